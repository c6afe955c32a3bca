"""The customer cache against the HTTPS wire peer, where the scripted peer is the point: what the real server
cannot be made to do on cue — the exact requests on the wire, a pass restarted between the pages of one
refresh (a database restored mid-refresh), a link cut between pages, answers the server never gives — and
a hall of 3000 customers served in ten pages while another thread reads. The rest of the cache's
bookkeeping runs against the live server in ``tests/e2e/test_customer_cache.py``, its figures in
``tests/e2e/test_cache_live.py``; search keys and an empty cache need no server at all."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from client.core.customer_cache.cache import CustomerCache
from client.core.customer_cache.search import phone_key
from client.core.rpc_client import RpcClient, RpcError
from shared_models.errors import ErrorCode
from shared_models.methods.cache import CachedBill, HallChangesPage, HallCustomer, LateFeeTerms, PrincipalStep
from shared_models.methods.customers import CustomerCategory, CustomerProfile, CustomerStatus, MeterInfo, PaymentMode
from shared_models.rules.late_fees import CrossYearRule
from tests.client.wire_peer import Call, Reply, RpcFactory, WirePeer

TODAY = dt.date(2026, 11, 24)
TOMORROW = dt.date(2026, 11, 25)
AS_OF = dt.datetime(2026, 11, 24, 1, 30, tzinfo=dt.UTC)


def _customer(no: str, *, name: str = "张伟", hall: str = "H01", due_fen: int = 0) -> HallCustomer:
    due_on = dt.date(2026, 11, 25)  # not yet late on TODAY
    terms = LateFeeTerms(daily_permille_current="1", daily_permille_cross_year="1",
                         cross_year=CrossYearRule.SPLIT_BY_DAY, minimum_fen=100)
    bills = [CachedBill(bill_no=f"202610-{no}", period=202610, kwh="100.00", amount_fen=due_fen,
                        principal_open_fen=due_fen, issued_on=dt.date(2026, 11, 5), due_on=due_on,
                        steps=[PrincipalStep(on=due_on, open_fen=due_fen)], fee_charged_fen=0, terms=terms)
             ] if due_fen else []
    profile = CustomerProfile(
        customer_no=no, name=name, address=f"浙江省杭州市{no}号", phone=f"1380{no[-7:]}",
        id_number_masked="3301**********001X",
        category=CustomerCategory.RESIDENTIAL, status=CustomerStatus.ACTIVE, payment_mode=PaymentMode.POSTPAID,
        hall_code=hall, tariff_name="居民生活用电", meters=[MeterInfo(asset_no=f"M{no}", multiplier=1, digits=6)],
        balance_fen=-due_fen,
    )
    return HallCustomer(profile=profile, open_bills=bills, arrears_fen=due_fen, prepayment_fen=0)


def _page(customers: list[HallCustomer], cursor: int, *, complete: bool = True, restarted: bool = False,
          hall: str = "H01", day: dt.date = TODAY, departed: tuple[str, ...] = ()) -> HallChangesPage:
    return HallChangesPage(hall_code=hall, customers=customers, departed=list(departed), next_cursor=cursor,
                           next_customer_id=cursor, complete=complete, restarted=restarted, as_of=AS_OF,
                           business_date=day)


class Pages:
    """Serves the given pages one per call and keeps the requests."""

    def __init__(self, peer: WirePeer, *pages: HallChangesPage | Reply) -> None:
        self.pages = list(pages)
        self.requests: list[dict[str, object]] = []
        peer.on("customer.get_hall_changes", self)

    def __call__(self, call: Call) -> Reply:
        self.requests.append(call.json())
        page = self.pages.pop(0)
        return page if isinstance(page, Reply) else Reply.ok(page)


@pytest.fixture
def rpc(peer: WirePeer, make_rpc: RpcFactory) -> RpcClient:
    """A client signed in (as far as the peer cares) at counter H0101."""
    client = make_rpc(peer.url)
    client.set_session(token="t", counter_code="H0101")
    return client


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[CustomerCache]:
    """An empty cache in the data folder, its business day TODAY."""
    store = CustomerCache.in_folder(tmp_path, today=lambda: TODAY)
    yield store
    store.close()


def _numbers(cache: CustomerCache) -> set[str]:
    return {h.customer_no for h in cache.search("浙江省杭州市", limit=100).items}


class TestCursor:
    def test_sends_the_stored_cursor(self, cache: CustomerCache, peer: WirePeer, rpc: RpcClient) -> None:
        """First from (0, 0); then from the last page's cursor. The stand-in is the point: only it sees the
        requests, and the real cursors are transaction ids a test cannot predict."""
        pages = Pages(peer, _page([_customer("3301000001")], 10, complete=False), _page([_customer("3301000002")], 20),
                      _page([], 20))
        first = cache.refresh(rpc)
        assert (first.pages, first.received, first.full_pass, first.count) == (2, 2, True, 2)
        cache.refresh(rpc)
        assert pages.requests == [
            {"after_cursor": 0, "after_customer_id": 0, "limit": 1000},
            {"after_cursor": 10, "after_customer_id": 10, "limit": 1000},
            {"after_cursor": 20, "after_customer_id": 20, "limit": 1000},
        ]
        assert cache.as_of() == AS_OF
        assert cache.business_date() == TODAY

    def test_a_restart_drops_customers_who_left_the_hall(self, cache: CustomerCache, peer: WirePeer,
                                                         rpc: RpcClient) -> None:
        """A restarted full pass brings everyone still in the hall; whoever it did not bring is dropped. The
        stand-in is the point: a restart that brings fewer customers than the cache holds is a restored older
        database, which one live server cannot become."""
        Pages(peer, _page([_customer("3301000001"), _customer("3301000002")], 10),
              _page([_customer("3301000002", due_fen=900)], 30, complete=False, restarted=True, day=TOMORROW),
              _page([_customer("3301000003")], 31, day=TOMORROW))
        cache.refresh(rpc)
        stats = cache.refresh(rpc)
        assert (stats.full_pass, stats.removed, stats.count) == (True, 1, 2)
        assert _numbers(cache) == {"3301000002", "3301000003"}
        assert cache.business_date() == TOMORROW
        assert cache.quote("3301000002").due_fen == 900

    @pytest.mark.parametrize("batch", [1, 5000])
    def test_a_restart_in_the_middle_of_a_batch(self, cache: CustomerCache, peer: WirePeer, rpc: RpcClient,
                                                batch: int) -> None:
        """Pages stored one by one or together: the same customers, the pass starting where the server said.
        The stand-in is the point: a restart between two pages of one refresh needs a restore mid-refresh."""
        Pages(peer, _page([_customer("3301000001"), _customer("3301000002")], 10),
              _page([_customer("3301000001", name="王芳")], 11, complete=False),
              _page([_customer("3301000003")], 40, complete=False, restarted=True),
              _page([_customer("3301000004")], 41))
        cache.refresh(rpc)
        stats = cache.refresh(rpc, batch=batch)
        assert (stats.pages, stats.received, stats.full_pass, stats.removed) == (3, 3, True, 2)
        assert _numbers(cache) == {"3301000003", "3301000004"}

    def test_a_refresh_cut_between_pages_goes_on_from_its_cursor(self, cache: CustomerCache, peer: WirePeer,
                                                                 rpc: RpcClient) -> None:
        """The pages stored stay; the next refresh asks after them and still ends the full pass. The stand-in is
        the point: the link fails between two pages, on cue."""
        pages = Pages(peer, _page([_customer("3301000001")], 10),
                      _page([_customer("3301000002")], 20, complete=False, restarted=True),
                      Reply.error(ErrorCode.SERVICE_UNAVAILABLE),
                      _page([_customer("3301000003")], 21))
        cache.refresh(rpc)
        with pytest.raises(RpcError) as cut:
            cache.refresh(rpc)
        assert cut.value.code is ErrorCode.SERVICE_UNAVAILABLE
        assert cache.count() == 2
        stats = cache.refresh(rpc)
        assert pages.requests[-1]["after_cursor"] == 20
        assert (stats.removed, stats.count) == (1, 2)
        assert _numbers(cache) == {"3301000002", "3301000003"}

class TestConcurrency:
    def test_searches_while_a_refresh_writes(self, cache: CustomerCache, peer: WirePeer, rpc: RpcClient) -> None:
        """Another thread searches and quotes all through a refresh of many pages: never an error, and
        every answer is a state the cache was in (the customers of the pages stored so far). The stand-in is
        the point: 3000 customers in ten pages as fast as the cache stores them, so the reads race the writer."""
        numbers = [f"33010{i:05d}" for i in range(3000)]
        pages = [_page([_customer(no, due_fen=100) for no in numbers[i:i + 300]], i + 300, complete=i + 300 >= 3000)
                 for i in range(0, 3000, 300)]
        Pages(peer, *pages)
        stop = threading.Event()
        seen: list[int] = []
        failures: list[BaseException] = []

        def read() -> None:
            while not stop.is_set():
                try:
                    seen.append(len(cache.search("浙江省杭州市", limit=100).items))
                    if cache.count():
                        assert cache.quote(numbers[0]).due_fen == 100
                except BaseException as exc:
                    failures.append(exc)
                    return

        reader = threading.Thread(target=read, name="cache-test-reader")
        reader.start()
        try:
            stats = cache.refresh(rpc, batch=300)
        finally:
            stop.set()
            reader.join(10)
        assert failures == []
        assert seen
        assert (stats.pages, stats.count) == (10, 3000)


class TestBadInput:
    def test_an_empty_cache(self, cache: CustomerCache) -> None:
        """Never refreshed: nothing found, unknown customers, no as-of time."""
        assert cache.search("张伟").items == []
        assert cache.as_of() is None
        with pytest.raises(RpcError) as info:
            cache.overview("3301000001")
        assert info.value.code is ErrorCode.CUSTOMER_NOT_FOUND

    @pytest.mark.parametrize("steps", [
        [["2026-11-26", 500]],  # the first step after the due date
        [["2026-11-25", 500], ["2026-11-30", 300], ["2026-11-28", 100]],  # out of order
        [["2026-11-25", -1]],  # negative principal
    ], ids=["after-due", "out-of-order", "negative"])
    def test_late_fee_inputs_the_rule_cannot_use(self, cache: CustomerCache, peer: WirePeer, rpc: RpcClient,
                                                 steps: list[list[object]]) -> None:
        """A page whose bill steps the late-fee rule cannot take is a bad answer: nothing is stored. The stand-in
        is the point: the real server never sends such steps."""
        page = json.loads(_page([_customer("3301000001", due_fen=500)], 10).model_dump_json())
        page["customers"][0]["open_bills"][0]["steps"] = [{"on": on, "open_fen": fen} for on, fen in steps]
        peer.on("customer.get_hall_changes", Reply(200, json.dumps(page).encode()))
        with pytest.raises(RpcError) as info:
            cache.refresh(rpc)
        assert info.value.code is ErrorCode.BAD_RESPONSE
        assert (cache.count(), cache.as_of()) == (0, None)

    @pytest.mark.parametrize("query", ["", "张", "!!", "1234"])
    def test_search_keys(self, cache: CustomerCache, query: str) -> None:
        """No key, no search: the server's SEARCH_QUERY_INVALID."""
        with pytest.raises(RpcError) as info:
            cache.search(query)
        assert info.value.code is ErrorCode.SEARCH_QUERY_INVALID

    def test_phone_key(self) -> None:
        """Digits only, reversed, as the server's gc_phone_key."""
        assert phone_key("+86 138-0000-1234") == "4321000083168"
