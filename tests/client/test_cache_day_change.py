"""The customer cache across a business-day change, against the real dispatcher (its clock moved by the
test) behind the HTTPS wire peer: the day after a full pass a refresh brings nobody when nothing changed
and exactly the changed customers otherwise, counted as the server sent them; offline quotes and 360
views computed on the counter equal the server's on the new day to the fen; a damaged file or a cursor
the server never handed out costs one full re-read."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from client.core.customer_cache.cache import CustomerCache
from client.core.rpc_client import RpcClient
from server.clock import FixedClock
from shared_models.methods.customers import CustomerOverview
from shared_models.methods.payments import Quote
from shared_models.rules.hall_time import business_date
from tests.client.wire_peer import Call, Reply, RpcFactory, WirePeer
from tests.factories import CUSTOMERS, LI_XIUYING, WANG_FANG, ZHANG_WEI
from tests.rpc_helpers import Caller
from tests.server.payment_helpers import cash, pay, start

HALL_T01 = sorted(no for no, *_ in CUSTOMERS)
METHOD = "customer.get_hall_changes"


class Relay:
    """Hands the counter's requests to the real dispatcher as the signed-in caller, and counts the
    customers each answer carried."""

    def __init__(self, peer: WirePeer, caller: Caller) -> None:
        self.caller = caller
        self.sent: list[int] = []
        peer.on(METHOD, self)

    def __call__(self, call: Call) -> Reply:
        answer = self.caller.call(METHOD, call.json())
        if answer.status == 200:
            self.sent.append(len(answer.body["customers"]))
        return Reply(answer.status, json.dumps(answer.body).encode())

    def take(self) -> int:
        """Customers sent since the last take."""
        total = sum(self.sent)
        self.sent.clear()
        return total


@pytest.fixture
def relay(peer: WirePeer, caller: Caller) -> Relay:
    """cashier1 at T0101 with a shift open, the peer relaying to the dispatcher."""
    start(caller)
    return Relay(peer, caller)


@pytest.fixture
def rpc(peer: WirePeer, make_rpc: RpcFactory) -> RpcClient:
    """The counter's client (the relay supplies the server session)."""
    client = make_rpc(peer.url)
    client.set_session(token="relayed", counter_code="T0101")
    return client


@pytest.fixture
def cache(tmp_path: Path, clock: FixedClock) -> Iterator[CustomerCache]:
    """The counter's cache; its business day is the clock's (the counter's clock agrees with the server's)."""
    store = CustomerCache.in_folder(tmp_path, today=lambda: business_date(clock.now()))
    yield store
    store.close()


def _next_day(caller: Caller, clock: FixedClock, days: int = 1) -> None:
    clock.advance(dt.timedelta(days=days))
    assert caller.login("cashier1").status == 200  # the old session timed out overnight


def _server_quote(caller: Caller, customer_no: str, amount_fen: int | None = None) -> Quote:
    answer = caller.call("payment.get_quote", {"customer_no": customer_no, "amount_fen": amount_fen})
    assert answer.status == 200, answer.body
    return Quote.model_validate_json(json.dumps(answer.body))


def _server_overview(caller: Caller, customer_no: str) -> CustomerOverview:
    answer = caller.call("customer.get_overview", {"customer_no": customer_no})
    assert answer.status == 200, answer.body
    overview = CustomerOverview.model_validate_json(json.dumps(answer.body))
    return overview.model_copy(update={"recent_payments": [], "card_status": None})


def _assert_as_server(cache: CustomerCache, caller: Caller, customer_no: str) -> None:
    """Quote of the whole due, a partial quote and the 360 view: the server's, to the fen."""
    if cache.overview(customer_no).overview.profile.status.value != "closed":
        assert cache.quote(customer_no) == _server_quote(caller, customer_no)
        assert cache.quote(customer_no, 3000) == _server_quote(caller, customer_no, 3000)
    assert cache.overview(customer_no).overview == _server_overview(caller, customer_no)


class TestDayChange:
    def test_nothing_changed_overnight_nothing_sent(self, cache: CustomerCache, rpc: RpcClient, relay: Relay,
                                                    caller: Caller, clock: FixedClock) -> None:
        """After a full pass and a new day, the refresh brings no customer, and every quote and 360 view
        from the cache is the server's of the new day (张伟's late fee one day larger)."""
        first = cache.refresh(rpc)
        assert (relay.take(), first.full_pass) == (len(HALL_T01), True)
        yesterday = cache.quote(ZHANG_WEI)
        _next_day(caller, clock)
        again = cache.refresh(rpc)
        assert (relay.take(), again.received, again.full_pass) == (0, 0, False)
        for customer_no in HALL_T01:
            _assert_as_server(cache, caller, customer_no)
        today = cache.quote(ZHANG_WEI)
        assert today.due_fen > yesterday.due_fen
        assert sum(line.late_days for line in today.lines) == sum(line.late_days for line in yesterday.lines) + 2

    def test_only_the_changed_customers_are_sent(self, cache: CustomerCache, rpc: RpcClient, relay: Relay,
                                                 caller: Caller, clock: FixedClock) -> None:
        """Payments for two customers after the last refresh of the day: the next day's first refresh
        brings exactly those two."""
        cache.refresh(rpc)
        relay.take()
        for seq, customer_no in enumerate((WANG_FANG, LI_XIUYING), start=1):
            assert pay(caller, customer_no, [cash(1000)], seq=seq).status == 200
        _next_day(caller, clock)
        stats = cache.refresh(rpc)
        assert (relay.take(), stats.received, stats.full_pass) == (2, 2, False)
        for customer_no in HALL_T01:
            _assert_as_server(cache, caller, customer_no)

    def test_a_cache_days_old_quotes_today(self, cache: CustomerCache, rpc: RpcClient, relay: Relay,
                                           caller: Caller, clock: FixedClock) -> None:
        """A partly paid bill, then four days without a refresh: the cache's figures are the server's of
        the fourth day (the fee base lowered from the payment's day)."""
        cache.refresh(rpc)
        assert pay(caller, ZHANG_WEI, [cash(5000)], seq=1).status == 200
        cache.refresh(rpc)
        relay.take()
        _next_day(caller, clock, days=4)
        _assert_as_server(cache, caller, ZHANG_WEI)
        assert relay.take() == 0  # computed on the counter: nothing was asked

    def test_a_payment_booked_offline_grows_like_the_books(self, cache: CustomerCache, rpc: RpcClient,
                                                           relay: Relay, caller: Caller, clock: FixedClock) -> None:
        """A partial payment booked into the cache and the same payment taken by the server: two days
        later the cache's figures are still the server's (principal lower from the payment's day, its
        fee counted as charged)."""
        cache.refresh(rpc)
        relay.take()
        quote = cache.quote(ZHANG_WEI, 5000)
        assert quote == _server_quote(caller, ZHANG_WEI, 5000)
        cache.apply_local_payment(ZHANG_WEI, quote)
        assert pay(caller, ZHANG_WEI, [cash(5000)], seq=1).status == 200
        _next_day(caller, clock, days=2)
        assert cache.overview(ZHANG_WEI).local_changes
        _assert_as_server(cache, caller, ZHANG_WEI)
        assert (cache.refresh(rpc).received, relay.take()) == (1, 1)


class TestFullReRead:
    def test_a_cursor_the_server_never_handed_out(self, cache: CustomerCache, rpc: RpcClient, relay: Relay,
                                                  caller: Caller, clock: FixedClock) -> None:
        """A cursor beyond the database (restored from a backup): the server restarts and the whole hall
        comes again, once."""
        cache.refresh(rpc)
        relay.take()
        cache.close()
        with sqlite3.connect(cache.path) as conn:  # as if the server's database had been restored since
            conn.execute("UPDATE meta SET value = ? WHERE key = 'cursor'", (str(2**62),))
        conn.close()
        _next_day(caller, clock)
        stats = cache.refresh(rpc)
        assert (relay.take(), stats.full_pass, stats.count) == (len(HALL_T01), True, len(HALL_T01))
        assert cache.refresh(rpc).received == 0
        _assert_as_server(cache, caller, ZHANG_WEI)

    def test_a_damaged_file(self, cache: CustomerCache, rpc: RpcClient, relay: Relay, caller: Caller,
                            clock: FixedClock) -> None:
        """A file scribbled over between two days: rebuilt, and the whole hall read again, once."""
        cache.refresh(rpc)
        relay.take()
        cache.close()
        cache.path.write_bytes(b"\x00" * 8192)
        _next_day(caller, clock)
        broken = CustomerCache(cache.path, today=lambda: business_date(clock.now()))
        try:
            stats = broken.refresh(rpc)
            assert (relay.take(), stats.full_pass, stats.count) == (len(HALL_T01), True, len(HALL_T01))
            _assert_as_server(broken, caller, ZHANG_WEI)
        finally:
            broken.close()
