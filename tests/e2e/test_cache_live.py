"""The counter's customer cache against the real server (HTTPS, two workers, PostgreSQL): a full refresh,
an incremental one after a payment at another counter, offline search by every kind of key with the
server's own ranking, the 360 view and quotes equal to the server's, a payment booked locally, a
damaged file rebuilt, and the refresher thread."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from client.core.customer_cache.cache import CustomerCache
from client.core.customer_cache.refresh import RefreshStats
from client.core.customer_cache.refresher import CacheRefresher
from client.core.rpc_client import RpcClient, RpcError
from client.core.sync import Backoff
from shared_models.errors import ErrorCode
from shared_models.methods.auth import LOGIN, LoginRequest
from shared_models.methods.customers import OVERVIEW, SEARCH, GetCustomerRequest, SearchRequest
from shared_models.methods.payments import PAY, QUOTE, PayRequest, QuoteRequest, Tender, TenderMethod
from shared_models.methods.shifts import GET_CURRENT, OPEN, OpenShiftRequest
from shared_models.pinning import ca_fingerprint
from shared_models.rpc import Empty
from shared_models.rules.hall_time import hall_now
from tests.action_helpers import confirmed
from tests.e2e.conftest import LiveServer
from tests.factories import CLOSED, COMMERCIAL, CUSTOMERS, DEVICE_KEYS, LI_XIUYING, WANG_FANG, ZHANG_WEI, password_for

pytestmark = pytest.mark.timeout(180)

HALL_T01 = {no for no, *_ in CUSTOMERS}
_receipt_seq = iter(range(1, 99999))


def _dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"https://127.0.0.1:{port}"  # nothing listens: connections are refused, as with a cut link


def _signed_in(live: LiveServer, username: str, counter: str) -> RpcClient:
    pin = ca_fingerprint(live.ca.read_bytes())
    rpc = RpcClient(ca_file=live.ca, ca_pin=lambda: pin, client_version="test", server_url=live.url)
    result = rpc.call(LOGIN, LoginRequest(username=username, password=password_for(username), counter_code=counter,
                                          device_key=DEVICE_KEYS[counter]))
    rpc.set_session(token=result.token, counter_code=counter)
    return rpc


@pytest.fixture(scope="module")
def desk(live_server: LiveServer) -> Iterator[RpcClient]:
    """cashier1 at T0101: the counter whose cache is tested."""
    rpc = _signed_in(live_server, "cashier1", "T0101")
    yield rpc
    rpc.close()


@pytest.fixture(scope="module")
def elsewhere(live_server: LiveServer) -> Iterator[RpcClient]:
    """cashier2 at T0102 (same hall), with an open shift: takes payments the cache must learn about."""
    rpc = _signed_in(live_server, "cashier2", "T0102")
    if rpc.call(GET_CURRENT, Empty()).shift is None:
        rpc.send(OPEN, OpenShiftRequest(float_fen=0), action=confirmed())
    yield rpc
    rpc.close()


def _pay_elsewhere(rpc: RpcClient, customer_no: str, amount_fen: int) -> None:
    """A cash payment at T0102, quoted first (as the desk does)."""
    due = rpc.call(QUOTE, QuoteRequest(customer_no=customer_no)).due_fen
    receipt_no = f"T0102-{hall_now():%Y%m%d}-{next(_receipt_seq):05d}"
    rpc.send(PAY, PayRequest(customer_no=customer_no, receipt_no=receipt_no, quoted_due_fen=due,
                             tenders=[Tender(method=TenderMethod.CASH, amount_fen=amount_fen,
                                             cash_handed_fen=amount_fen)]),
             action=confirmed())


@pytest.fixture
def cache(tmp_path: Path, desk: RpcClient) -> Iterator[CustomerCache]:
    """A fresh cache file in the client data folder, refreshed once."""
    store = CustomerCache.in_folder(tmp_path)
    store.refresh(desk)
    yield store
    store.close()


def _assert_as_server(cache: CustomerCache, desk: RpcClient, customer_no: str) -> None:
    """The cached 360 view is the server's, without the recent payments."""
    server = desk.call(OVERVIEW, GetCustomerRequest(customer_no=customer_no))
    cached = cache.overview(customer_no).overview
    assert cached == server.model_copy(update={"recent_payments": [], "card_status": None})


class TestRefresh:
    def test_full_refresh_then_nothing_new(self, tmp_path: Path, desk: RpcClient) -> None:
        """The first refresh brings the whole hall in small pages; the next one brings nothing."""
        store = CustomerCache.in_folder(tmp_path)
        assert (store.count(), store.as_of()) == (0, None)
        first = store.refresh(desk, limit=2)
        assert (first.pages, first.received, first.full_pass, first.count) == (3, 5, True, 5)
        assert first.as_of is not None
        assert first.business_date == hall_now().date()
        assert (tmp_path / "customers.sqlite3").exists()
        again = store.refresh(desk)
        assert (again.pages, again.received, again.full_pass, again.count) == (1, 0, False, 5)
        assert again.as_of is not None
        assert again.as_of >= first.as_of
        store.close()

    def test_a_payment_elsewhere_comes_in_incrementally(self, cache: CustomerCache, desk: RpcClient,
                                                        elsewhere: RpcClient) -> None:
        """Another counter's payment brings exactly that customer, with the server's new figures."""
        before = cache.overview(WANG_FANG).overview.due_fen
        _pay_elsewhere(elsewhere, WANG_FANG, 1000)
        stats = cache.refresh(desk)
        assert (stats.received, stats.full_pass) == (1, False)
        assert cache.overview(WANG_FANG).overview.due_fen == max(before - 1000, 0)
        _assert_as_server(cache, desk, WANG_FANG)


class TestOffline:
    @pytest.mark.parametrize(("query", "kind"), [
        (ZHANG_WEI, "customer_no"),  # 户号
        ("3300000000002", "customer_no"),  # a 13-digit 户号
        ("2026093301000001", "barcode"),  # the barcode of an open bill: period + 户号
        ("13800000003", "phone"),  # a whole mobile number
        ("00002", "phone"),  # trailing digits
        ("0000000000000000000004", "meter"),  # a meter asset number
        ("张伟", "name"),  # a whole name
        ("顺达", "name"),  # a two-character fragment inside a name
        ("商贸有限", "name"),  # a longer fragment
        ("文三路102", "address"),  # an address fragment
        ("文三路", "address"),  # in every address: ranked by position, length, 户号
        ("浙江省杭州市", "address"),  # a prefix of every address
    ])
    def test_search_ranks_like_the_server(self, cache: CustomerCache, desk: RpcClient, live_server: LiveServer,
                                          query: str, kind: str) -> None:
        """With the link down, each kind of key finds what the server finds, in the same order."""
        server = desk.call(SEARCH, SearchRequest(query=query))
        assert server.kind.value == kind
        assert server.items, query
        pin = ca_fingerprint(live_server.ca.read_bytes())
        offline = RpcClient(ca_file=live_server.ca, ca_pin=lambda: pin, client_version="test", server_url=_dead_url())
        with pytest.raises(RpcError) as cut:
            cache.refresh(offline)
        assert cut.value.code is ErrorCode.NETWORK_UNREACHABLE
        offline.close()
        cached = cache.search(query)
        assert (cached.kind, cached.query) == (server.kind, server.query)
        assert cached.items == server.items
        assert cached.has_more is server.has_more

    def test_search_refuses_what_is_no_key(self, cache: CustomerCache) -> None:
        """One Chinese character is no key: the server's own code."""
        with pytest.raises(RpcError) as info:
            cache.search("张")
        assert info.value.code is ErrorCode.SEARCH_QUERY_INVALID
        assert cache.search("99999999999").items == []

    @pytest.mark.parametrize("customer_no", [ZHANG_WEI, LI_XIUYING, COMMERCIAL, CLOSED])
    def test_overview_is_the_servers(self, cache: CustomerCache, desk: RpcClient, customer_no: str) -> None:
        """Profile, meters, open bills with late fees, due and prepayment as the server shows them."""
        _assert_as_server(cache, desk, customer_no)
        cached = cache.overview(customer_no)
        assert cached.as_of == cache.as_of()
        assert cached.local_changes is False

    def test_unknown_customer(self, cache: CustomerCache) -> None:
        """A 户号 not in the hall's cache: CUSTOMER_NOT_FOUND, as the server says for an unknown one."""
        with pytest.raises(RpcError) as info:
            cache.overview("3309999999")
        assert info.value.code is ErrorCode.CUSTOMER_NOT_FOUND

    @pytest.mark.parametrize(("customer_no", "amount_fen"), [
        (ZHANG_WEI, None), (ZHANG_WEI, 1), (ZHANG_WEI, 10_000), (ZHANG_WEI, 1_000_000),
        (COMMERCIAL, None), (COMMERCIAL, 120_000), (LI_XIUYING, 500), (WANG_FANG, None),
    ])
    def test_quote_is_the_servers(self, cache: CustomerCache, desk: RpcClient, customer_no: str,
                                  amount_fen: int | None) -> None:
        """The same allocation line by line: late fee first, oldest bill first, the rest to prepayment."""
        server = desk.call(QUOTE, QuoteRequest(customer_no=customer_no, amount_fen=amount_fen))
        assert cache.quote(customer_no, amount_fen) == server

    @pytest.mark.parametrize(("customer_no", "amount_fen", "code"), [
        (CLOSED, None, ErrorCode.CUSTOMER_CLOSED), (ZHANG_WEI, 0, ErrorCode.AMOUNT_NOT_POSITIVE),
        (ZHANG_WEI, -5, ErrorCode.AMOUNT_NOT_POSITIVE), ("3309999999", None, ErrorCode.CUSTOMER_NOT_FOUND),
    ])
    def test_quote_refusals_are_the_servers(self, cache: CustomerCache, desk: RpcClient, customer_no: str,
                                            amount_fen: int | None, code: ErrorCode) -> None:
        """What the server refuses, the cache refuses with the same code (the request is sent unchecked: an
        amount below 1 breaks the contract, and the server's answer is what is compared)."""
        with pytest.raises(RpcError) as server:
            desk.call(QUOTE, QuoteRequest.model_construct(customer_no=customer_no, amount_fen=amount_fen))
        with pytest.raises(RpcError) as cached:
            cache.quote(customer_no, amount_fen)
        assert cached.value.code is server.value.code is code


class TestLocalPayment:
    def test_a_second_offline_payment_sees_the_reduced_due(self, cache: CustomerCache, desk: RpcClient,
                                                           elsewhere: RpcClient) -> None:
        """Booked locally as quoted; then the server's figures (after the payment reached it) replace them."""
        first = cache.quote(ZHANG_WEI, 5000)
        cache.apply_local_payment(ZHANG_WEI, first)
        second = cache.quote(ZHANG_WEI)
        assert second.due_fen == first.remaining_due_fen == first.due_fen - 5000
        view = cache.overview(ZHANG_WEI)
        assert view.local_changes is True
        assert view.overview.due_fen == first.remaining_due_fen
        assert view.overview.prepayment_fen == first.prepayment_after_fen
        _pay_elsewhere(elsewhere, ZHANG_WEI, 5000)  # the payment arrives at the server
        cache.refresh(desk)
        assert cache.overview(ZHANG_WEI).local_changes is False
        _assert_as_server(cache, desk, ZHANG_WEI)
        assert cache.quote(ZHANG_WEI) == desk.call(QUOTE, QuoteRequest(customer_no=ZHANG_WEI))

    def test_paying_more_than_due_settles_every_bill(self, cache: CustomerCache) -> None:
        """Every bill goes, the due is zero, the surplus is prepayment, the balance follows."""
        quote = cache.quote(COMMERCIAL, 10_000_000)
        cache.apply_local_payment(COMMERCIAL, quote)
        view = cache.overview(COMMERCIAL).overview
        assert (view.open_bills, view.due_fen, view.arrears_fen, view.late_fee_fen) == ([], 0, 0, 0)
        assert view.prepayment_fen == quote.prepayment_after_fen
        assert view.profile.balance_fen == quote.prepayment_after_fen

    def test_bad_input_changes_nothing(self, cache: CustomerCache) -> None:
        """A quote of another customer or of nothing: refused, the cached figures unchanged."""
        before = cache.overview(WANG_FANG)
        with pytest.raises(ValueError, match="another customer"):
            cache.apply_local_payment(WANG_FANG, cache.quote(LI_XIUYING, 100))
        zero = cache.quote(WANG_FANG).model_copy(update={"amount_fen": 0})
        with pytest.raises(RpcError):
            cache.apply_local_payment(WANG_FANG, zero)
        assert cache.overview(WANG_FANG) == before


class TestDamagedFile:
    @pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
    def test_rebuilt_from_the_server(self, cache: CustomerCache, desk: RpcClient, damage: str) -> None:
        """A damaged cache file is deleted and filled again by the next refresh; nothing to acknowledge."""
        path = cache.path
        cache.close()
        data = path.read_bytes()
        assert not path.with_name(path.name + "-wal").exists()  # closing checkpointed everything into the file
        if damage == "garbage":
            path.write_bytes(b"this is not a database" * 300)
        elif damage == "truncated":  # the first pages only: the schema names pages that are gone
            path.write_bytes(data[: 2 * 4096])
        else:
            path.write_bytes(b"")
        reopened = CustomerCache(path)
        try:
            assert reopened.count() == 0  # rebuilt empty: found when the file was opened
            assert reopened.as_of() is None
            assert reopened.search(ZHANG_WEI).items == []
            stats = reopened.refresh(desk)
            assert (stats.count, stats.full_pass) == (5, True)
            assert {h.customer_no for h in reopened.search("文三路").items} == HALL_T01
            _assert_as_server(reopened, desk, ZHANG_WEI)
        finally:
            reopened.close()


class TestRefresher:
    def test_refreshes_on_wake_and_reports(self, tmp_path: Path, desk: RpcClient, elsewhere: RpcClient) -> None:
        """On wake the thread refreshes and tells its listeners; a payment elsewhere comes with the next."""
        store = CustomerCache.in_folder(tmp_path)
        refresher = CacheRefresher(cache=store, rpc=desk, interval_s=600)
        seen: list[RefreshStats] = []
        arrived = threading.Event()

        def listen(stats: RefreshStats) -> None:
            seen.append(stats)
            arrived.set()

        refresher.subscribe(listen)
        refresher.start()
        try:
            assert arrived.wait(30)
            assert (seen[0].count, seen[0].full_pass) == (5, True)
            arrived.clear()
            _pay_elsewhere(elsewhere, LI_XIUYING, 300)
            refresher.wake()
            assert arrived.wait(30)
            assert (seen[-1].received, seen[-1].full_pass) == (1, False)
            assert refresher.last is seen[-1]
            assert refresher.last_error is None
        finally:
            refresher.stop()
            store.close()
        assert not refresher.running

    def test_backs_off_while_the_link_is_down(self, tmp_path: Path, live_server: LiveServer) -> None:
        """A cut link: no listener call, the failure's code kept, and the cache refreshed once it is back."""
        rpc = _signed_in(live_server, "cashier1", "T0101")
        store = CustomerCache.in_folder(tmp_path)
        refresher = CacheRefresher(cache=store, rpc=rpc, interval_s=600, backoff=Backoff(base_s=0.05, cap_s=0.2))
        done = threading.Event()
        refresher.subscribe(lambda _: done.set())
        rpc.set_server(_dead_url())
        refresher.start()
        try:
            assert not done.wait(1.0)
            assert refresher.last_error is ErrorCode.NETWORK_UNREACHABLE
            rpc.set_server(live_server.url)
            assert done.wait(30)
            assert store.count() == 5
            assert refresher.last_error is None
        finally:
            refresher.stop()
            store.close()
            rpc.close()

    def test_waits_for_a_session(self, tmp_path: Path, live_server: LiveServer) -> None:
        """Without a session nothing is asked; signing in and waking it starts the refresh."""
        pin = ca_fingerprint(live_server.ca.read_bytes())
        rpc = RpcClient(ca_file=live_server.ca, ca_pin=lambda: pin, client_version="test", server_url=live_server.url)
        store = CustomerCache.in_folder(tmp_path)
        refresher = CacheRefresher(cache=store, rpc=rpc, interval_s=600)
        done = threading.Event()
        refresher.subscribe(lambda _: done.set())
        refresher.start()
        try:
            assert not done.wait(0.5)
            assert store.count() == 0
            result = rpc.call(LOGIN, LoginRequest(username="cashier1", password=password_for("cashier1"),
                                                  counter_code="T0101", device_key=DEVICE_KEYS["T0101"]))
            rpc.set_session(token=result.token, counter_code="T0101")
            refresher.wake()
            assert done.wait(30)
            assert store.count() == 5
        finally:
            refresher.stop()
            store.close()
            rpc.close()
