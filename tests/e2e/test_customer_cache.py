"""The customer cache's own bookkeeping against the live server (HTTPS, PostgreSQL): incremental pages after
a full pass, a cursor the server never handed out, customers who left the hall, a counter moved to another
hall, cancelling between pages, files it cannot use, bad input. The hall is changed the way the books
change it (SQL on the server's database, its triggers keeping the change log), then restored.

What only a scripted peer can produce (a link cut between pages, answers the server never gives, the exact
requests on the wire) stays in ``tests/client/test_customer_cache.py``."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from client.core.customer_cache.cache import CustomerCache
from client.core.customer_cache.refresh import CacheCancelledError
from client.core.customer_cache.store import CACHE_FILE
from client.core.rpc_client import RpcClient, RpcError
from shared_models.errors import ErrorCode
from shared_models.methods.auth import LOGIN, LoginRequest
from shared_models.pinning import ca_fingerprint
from tests.e2e.conftest import LiveServer
from tests.factories import CLOSED, CUSTOMERS, DEVICE_KEYS, WANG_FANG, ZHANG_WEI, password_for

#: The seeded hall T01 (every customer of the seeded world).
HALL_T01 = {no for no, *_ in CUSTOMERS}


@pytest.fixture(scope="module")
def desk(live_server: LiveServer) -> Iterator[RpcClient]:
    """cashier1 at T0101: the counter whose cache is tested."""
    pin = ca_fingerprint(live_server.ca.read_bytes())
    rpc = RpcClient(ca_file=live_server.ca, ca_pin=lambda: pin, client_version="test", server_url=live_server.url)
    result = rpc.call(LOGIN, LoginRequest(username="cashier1", password=password_for("cashier1"),
                                          counter_code="T0101", device_key=DEVICE_KEYS["T0101"]))
    rpc.set_session(token=result.token, counter_code="T0101")
    yield rpc
    rpc.close()


@pytest.fixture(scope="module")
def books(live_server: LiveServer) -> Iterator[Engine]:
    """The live server's database, to change the hall as the books would."""
    engine = create_engine(live_server.db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[CustomerCache]:
    """An empty cache in the data folder."""
    store = CustomerCache.in_folder(tmp_path)
    yield store
    store.close()


def _numbers(cache: CustomerCache) -> set[str]:
    return {h.customer_no for h in cache.search("浙江省杭州市", limit=100).items}


def _sql(books: Engine, statement: str, **params: object) -> None:
    with books.begin() as conn:
        conn.execute(text(statement), params)


def _move_customer(books: Engine, customer_no: str, hall: str) -> None:
    _sql(books, "UPDATE customers SET hall_id = (SELECT id FROM org_units WHERE code = :hall)"
                " WHERE customer_no = :no", hall=hall, no=customer_no)


class TestPasses:
    def test_incremental_pages_drop_nobody(self, cache: CustomerCache, desk: RpcClient, books: Engine) -> None:
        """After a full pass a refresh brings only the customer changed since (a new name), replacing it."""
        first = cache.refresh(desk, limit=2)
        assert (first.full_pass, first.count) == (True, len(HALL_T01))
        old = cache.overview(WANG_FANG).overview.profile.name
        _sql(books, "UPDATE customers SET name = '王芳芳' WHERE customer_no = :no", no=WANG_FANG)
        try:
            stats = cache.refresh(desk)
            assert (stats.received, stats.full_pass, stats.removed, stats.count) == (1, False, 0, len(HALL_T01))
            assert cache.overview(WANG_FANG).overview.profile.name == "王芳芳"
        finally:
            _sql(books, "UPDATE customers SET name = :name WHERE customer_no = :no", name=old, no=WANG_FANG)

    def test_a_cursor_the_server_never_handed_out_restarts(self, cache: CustomerCache, desk: RpcClient) -> None:
        """A cache file whose cursor is from another database (a restore): the server restarts from the
        beginning and the cache makes it a full pass, ending with exactly the hall."""
        cache.refresh(desk)
        with sqlite3.connect(cache.path) as other:
            other.execute("UPDATE meta SET value = '9000000000000' WHERE key = 'cursor'")
        stats = cache.refresh(desk, limit=2)
        assert (stats.full_pass, stats.removed, stats.count) == (True, 0, len(HALL_T01))
        assert _numbers(cache) == HALL_T01

    def test_customers_who_left_the_hall_are_dropped(self, cache: CustomerCache, desk: RpcClient,
                                                     books: Engine) -> None:
        """A customer moved to another hall is dropped with its bills and meters, nobody else."""
        cache.refresh(desk)
        _move_customer(books, ZHANG_WEI, "T02")
        try:
            stats = cache.refresh(desk)
            assert (stats.full_pass, stats.removed, stats.count) == (False, 1, len(HALL_T01) - 1)
            assert _numbers(cache) == HALL_T01 - {ZHANG_WEI}
            assert cache.search(f"202609-{ZHANG_WEI}").items == []  # its bill went with it
            with pytest.raises(RpcError) as info:
                cache.quote(ZHANG_WEI)
            assert info.value.code is ErrorCode.CUSTOMER_NOT_FOUND
        finally:
            _move_customer(books, ZHANG_WEI, "T01")

    def test_a_counter_moved_to_another_hall_starts_afresh(self, cache: CustomerCache, desk: RpcClient,
                                                          books: Engine) -> None:
        """Pages of another hall: the old hall's customers go at once, the new hall's come."""
        cache.refresh(desk)
        _move_customer(books, WANG_FANG, "T02")
        _sql(books, "UPDATE counters SET hall_id = (SELECT id FROM org_units WHERE code = 'T02') WHERE code = 'T0101'")
        try:
            stats = cache.refresh(desk)
            assert (stats.full_pass, stats.count) == (True, 1)
            assert _numbers(cache) == {WANG_FANG}
        finally:
            _sql(books, "UPDATE counters SET hall_id = (SELECT id FROM org_units WHERE code = 'T01')"
                        " WHERE code = 'T0101'")
            _move_customer(books, WANG_FANG, "T01")

    def test_cancelled_between_pages(self, cache: CustomerCache, desk: RpcClient) -> None:
        """A stopping refresher ends the refresh after the page in hand, which is kept; the next goes on."""
        with pytest.raises(CacheCancelledError):
            cache.refresh(desk, limit=1, batch=1, cancelled=lambda: True)
        assert cache.count() == 1
        assert cache.refresh(desk).count == len(HALL_T01)


def _newer_schema(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version=99")


def _first_schema(path: Path) -> None:
    """A cache of version 1 (late fees of one day, not their inputs), with a cursor."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version=1")
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("INSERT INTO meta VALUES ('cursor', '77')")
        conn.execute("CREATE TABLE bills (customer_no TEXT, seq INTEGER, late_fee_fen INTEGER)")


def _missing_table(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version=2")
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("INSERT INTO meta VALUES ('cursor', '77')")
        conn.execute("CREATE TABLE customers (customer_no TEXT PRIMARY KEY)")


class TestUnusableFiles:
    @pytest.mark.parametrize("spoil", [
        lambda path: path.write_bytes(b"\x00" * 10_000),
        lambda path: path.write_text("SQLite format 3\x00 but not really", encoding="utf-8"),
        _newer_schema,
        _first_schema,
        _missing_table,
    ], ids=["zeros", "fake-header", "newer-schema", "first-schema", "missing-table"])
    def test_rebuilt_empty(self, tmp_path: Path, desk: RpcClient, spoil: Callable[[Path], None]) -> None:
        """Whatever is wrong with the file, the cache starts empty and the next refresh fills it: a full
        re-read, whatever cursor the file held."""
        path = tmp_path / CACHE_FILE
        spoil(path)
        store = CustomerCache(path)
        try:
            assert store.count() == 0
            stats = store.refresh(desk)
            assert (stats.count, stats.full_pass) == (len(HALL_T01), True)
        finally:
            store.close()

    def test_damage_found_later_is_rebuilt_too(self, cache: CustomerCache, desk: RpcClient) -> None:
        """A table dropped behind the cache's back: the next read rebuilds instead of failing forever."""
        cache.refresh(desk)
        with sqlite3.connect(cache.path) as other:
            other.execute("DROP TABLE bills")
        with pytest.raises(RpcError) as info:  # reading the bills finds the damage: rebuilt, so not found
            cache.overview(ZHANG_WEI)
        assert info.value.code is ErrorCode.CUSTOMER_NOT_FOUND
        assert cache.count() == 0
        assert cache.refresh(desk).count == len(HALL_T01)
        assert cache.quote(ZHANG_WEI).due_fen > 0


class TestBadInput:
    @pytest.mark.parametrize(("amount", "code"), [(1.5, ErrorCode.FEN_NOT_INTEGER), (True, ErrorCode.FEN_NOT_INTEGER),
                                                  (0, ErrorCode.AMOUNT_NOT_POSITIVE),
                                                  (-1, ErrorCode.AMOUNT_NOT_POSITIVE),
                                                  (10**13 + 1, ErrorCode.AMOUNT_TOO_LARGE)])
    def test_quote_amounts(self, cache: CustomerCache, desk: RpcClient, amount: object, code: ErrorCode) -> None:
        """Floats and booleans are no fen, zero is no payment, past the contract's bound is too large."""
        cache.refresh(desk)
        with pytest.raises(RpcError) as info:
            cache.quote(ZHANG_WEI, amount)  # type: ignore[arg-type]
        assert info.value.code is code

    def test_closed_customer(self, cache: CustomerCache, desk: RpcClient) -> None:
        """A closed account is quoted nothing: CUSTOMER_CLOSED, as the server says."""
        cache.refresh(desk)
        with pytest.raises(RpcError) as info:
            cache.quote(CLOSED)
        assert info.value.code is ErrorCode.CUSTOMER_CLOSED
