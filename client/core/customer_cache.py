"""The counter's cache of its hall's customers (SPEC §5 "serving offline", issue #5).

``customers.sqlite3`` in the client data folder holds the customers of the counter's hall as the server
last described them (``customer.get_hall_changes``): profile, current meters, open bills with the
inputs of their late fee (unpaid principal by day, fees already charged, the rule's terms), arrears and
prepayment. While online, :class:`CacheRefresher` asks for
what changed after the stored cursor every couple of minutes; with the link down the desk searches,
shows the 360 view and quotes from here, with the same models the server answers with, so the same
table and screens show them.

- **Search** recognises the key exactly as the server does (``shared_models.search_keys``) and ranks
  the same way: 户号 exact, a bill barcode (an open bill's number, else the 户号 after the period),
  the trailing digits of a phone (exact phones first), a meter asset number, and name or address
  fragments (exact and prefix matches first, in code-point order, then up to ``CANDIDATES`` texts
  holding the fragment, by where it stands, the shorter text, 户号).
- **Quotes** come from the cached bills and the server's own allocation rule
  (``shared_models.rules.allocation``); :meth:`CustomerCache.apply_local_payment` books a payment
  accepted offline into the cached figures, so the next offline payment of the same customer sees the
  reduced due. The server's next figures for that customer replace them.
- **Late fees** are computed when read, as of the counter's business day, by the server's rule
  (``shared_models.rules.late_fees`` via ``CachedBill.view_on``): a new day costs no refresh, and a
  cache days old quotes today's fee.
- **Freshness**: :meth:`CustomerCache.as_of` is the server time of the last complete refresh. A refresh
  brings only the customers changed since the stored cursor; a full pass (from the beginning) only for
  an empty or rebuilt file or a cursor the server never handed out (``restarted``), and at the end of a
  full pass customers no longer in the hall are dropped.

It is a cache, unlike the outbox: a damaged file is deleted and rebuilt from the server, never
repaired. WAL with ``synchronous=NORMAL`` (a power cut may lose the last page; the cursor goes with it).
Qt-free and blocking (disk, and the network in :meth:`CustomerCache.refresh`): call it from workers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import random
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, TypeVar

from client.core.background import BackgroundLoop
from client.core.rpc_client import SESSION_LOST_CODES, RpcClient, RpcError, make_request
from client.core.sync import Backoff
from shared_models.errors import ErrorCode
from shared_models.methods.cache import GET_HALL_CHANGES, CachedBill, HallChangesPage, HallChangesRequest, HallCustomer
from shared_models.methods.customers import (
    CustomerCategory,
    CustomerOverview,
    CustomerProfile,
    CustomerStatus,
    MeterInfo,
    PaymentMode,
    SearchHit,
    SearchKind,
    SearchResult,
)
from shared_models.methods.payments import Quote, QuoteRequest
from shared_models.money import Fen
from shared_models.rules.allocation import AllocationError
from shared_models.rules.hall_time import hall_now
from shared_models.rules.quote import allocate_bills, quote_payment
from shared_models.search_keys import barcode_parts, parse

log = logging.getLogger(__name__)

CACHE_FILE: Final = "customers.sqlite3"
#: Customers stored per local transaction during a refresh.
STORE_BATCH: Final = 5000
#: 2: bills hold late-fee inputs, not fees of a day (a file of version 1 is rebuilt: a full re-read).
SCHEMA_VERSION: Final = 2
#: How many texts holding a fragment are ranked at most beyond the prefix matches (as the server).
CANDIDATES: Final = 200
_SURROGATES_FIRST, _SURROGATES_LAST = 0xD800, 0xDFFF
_NOT_DIGIT: Final = re.compile(r"[^0-9]")

_SCHEMA: Final = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    """CREATE TABLE IF NOT EXISTS customers (
        customer_no TEXT PRIMARY KEY, name TEXT NOT NULL, address TEXT NOT NULL, phone TEXT NOT NULL,
        phone_key TEXT NOT NULL, id_number_masked TEXT NOT NULL, category TEXT NOT NULL, status TEXT NOT NULL,
        payment_mode TEXT NOT NULL, hall_code TEXT NOT NULL, tariff_name TEXT NOT NULL,
        balance_fen INTEGER NOT NULL, arrears_fen INTEGER NOT NULL, prepayment_fen INTEGER NOT NULL,
        pass INTEGER NOT NULL, local INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS meters (
        customer_no TEXT NOT NULL, seq INTEGER NOT NULL, asset_no TEXT NOT NULL, multiplier INTEGER NOT NULL,
        digits INTEGER NOT NULL, PRIMARY KEY (customer_no, seq)) WITHOUT ROWID""",
    # ``bill``: the CachedBill as JSON (its late-fee inputs are only ever read whole, to compute the fee)
    """CREATE TABLE IF NOT EXISTS bills (
        customer_no TEXT NOT NULL, seq INTEGER NOT NULL, bill_no TEXT NOT NULL, bill TEXT NOT NULL,
        PRIMARY KEY (customer_no, seq)) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS customers_name ON customers (name, customer_no)",
    "CREATE INDEX IF NOT EXISTS customers_address ON customers (address, customer_no)",
    "CREATE INDEX IF NOT EXISTS customers_phone ON customers (phone_key, customer_no)",
    "CREATE INDEX IF NOT EXISTS meters_asset ON meters (asset_no)",
    "CREATE INDEX IF NOT EXISTS bills_no ON bills (bill_no)",
)
_CUSTOMER_COLUMNS: Final = ("customer_no", "name", "address", "phone", "phone_key", "id_number_masked", "category",
                            "status", "payment_mode", "hall_code", "tariff_name", "balance_fen", "arrears_fen",
                            "prepayment_fen", "pass")
_UPSERT_CUSTOMER: Final = (f"INSERT OR REPLACE INTO customers ({', '.join(_CUSTOMER_COLUMNS)}, local)"  # noqa: S608
                           f" VALUES ({', '.join('?' * len(_CUSTOMER_COLUMNS))}, 0)")  # (fixed column names)


def _hits_where(condition: str) -> str:
    """A search statement: the columns of a hit (the first current meter) for the customers matching."""
    columns = ("c.customer_no, c.name, c.address, c.phone, c.status, c.category, c.payment_mode, c.hall_code,"
               " coalesce((SELECT m.asset_no FROM meters m WHERE m.customer_no = c.customer_no ORDER BY m.seq"
               " LIMIT 1), '') AS meter_no")
    return f"SELECT {columns} FROM customers c WHERE {condition}"  # noqa: S608 - fixed fragments, values are bound


_BY_CUSTOMER_NO: Final = _hits_where("c.customer_no = ?")
_BY_METER: Final = _hits_where("c.customer_no IN (SELECT customer_no FROM meters WHERE asset_no = ?)")
_BY_BILL: Final = _hits_where("c.customer_no IN (SELECT customer_no FROM bills WHERE bill_no IN (?, ?))")
# ':' follows '9': [tail, tail + ':') are the keys that start with the reversed digits.
_BY_PHONE: Final = _hits_where("c.phone_key >= ? AND c.phone_key < ? ORDER BY c.phone_key = ? DESC, c.customer_no"
                               " LIMIT ?")
#: name/address -> (exact and prefix matches in rank order, other texts holding the fragment). The second
#: reads only (户号, text): SQLite scans the column's index instead of the table, 2.5 times faster.
_BY_TEXT: Final = {
    column: (_hits_where(f"c.{column} >= ? AND c.{column} < ? ORDER BY c.{column}, c.customer_no LIMIT ?"),
             f"SELECT customer_no, {column} FROM customers"  # noqa: S608 - fixed column names
             f" WHERE instr({column}, ?) > 0 AND NOT ({column} >= ? AND {column} < ?) LIMIT ?")
    for column in ("name", "address")
}

T = TypeVar("T")


@dataclass(frozen=True)
class RefreshStats:
    """What one :meth:`CustomerCache.refresh` did."""

    pages: int
    received: int
    #: A full pass (from the beginning) was begun or continued by this refresh.
    full_pass: bool
    #: Customers dropped: announced as departed, or not brought by a full pass (no longer in the hall).
    removed: int
    seconds: float
    as_of: dt.datetime | None
    business_date: dt.date | None
    count: int


@dataclass(frozen=True)
class CachedOverview:
    """The 360 view from the cache: the server's model (no recent payments) and when it was true."""

    overview: CustomerOverview
    #: Server time of the last complete refresh (None: the cache was never complete).
    as_of: dt.datetime | None
    #: A payment accepted offline was booked into these figures since the server last sent them.
    local_changes: bool


class CacheCancelledError(Exception):
    """A refresh stopped because its refresher is stopping (what it stored so far stays)."""


def phone_key(phone: str) -> str:
    """The digits of a phone reversed (the server's ``gc_phone_key``): trailing digits become a prefix."""
    return _NOT_DIGIT.sub("", phone)[::-1]


def _successor(fragment: str) -> str:
    """The smallest text after every text that starts with ``fragment`` (code-point order)."""
    following = ord(fragment[-1]) + 1
    if _SURROGATES_FIRST <= following <= _SURROGATES_LAST:
        following = _SURROGATES_LAST + 1
    return fragment[:-1] + chr(following)


def cache_age_days(as_of: dt.datetime | None, now: dt.datetime) -> int | None:
    """Whole days since the last complete refresh (0: less than a day); None if it never completed."""
    if as_of is None:
        return None
    return max((now - as_of) // dt.timedelta(days=1), 0)


class CustomerCache:
    """The hall's customers on this PC (see the module docstring). Safe to share between threads."""

    def __init__(self, path: Path, *, today: Callable[[], dt.date] | None = None) -> None:
        self.path = path
        #: The business day late fees are computed for: the counter's own (hall time zone).
        self._today = today or (lambda: hall_now().date())
        # Two connections: reads (search, 360 view, quote) go on while a refresh writes a batch (WAL
        # readers never wait for the writer). Rebuilding takes both locks, always writer first.
        self._write_lock = threading.Lock()
        self._read_lock = threading.Lock()
        self._writer: sqlite3.Connection | None = None
        self._reader: sqlite3.Connection | None = None
        self._checked = False

    @classmethod
    def in_folder(cls, data_dir: Path, *, today: Callable[[], dt.date] | None = None) -> CustomerCache:
        """The cache of the client data folder (opened on first use)."""
        return cls(data_dir / CACHE_FILE, today=today)

    # --- the file -----------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the file (it is opened again on the next use)."""
        with self._write_lock, self._read_lock:
            self._close()

    def _close(self) -> None:
        for conn in (self._writer, self._reader):
            if conn is not None:
                conn.close()
        self._writer = self._reader = None

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # a cache: losing the last page to a power cut is fine
            # A full refresh of a large hall writes ~130 MB: a bigger page cache and fewer, larger checkpoints
            # (each one syncs the file) cut its time by about a third; the WAL is cut back after each.
            conn.execute("PRAGMA cache_size=-32768")
            conn.execute("PRAGMA wal_autocheckpoint=8192")
            conn.execute("PRAGMA journal_size_limit=16777216")
        except BaseException:
            conn.close()
            raise
        return conn

    def _check(self, conn: sqlite3.Connection) -> None:
        """Once per file: a file cut short or scribbled over is found here, not halfway through a refresh
        that would then store a cursor over customers it no longer has. Then the schema."""
        problems = [r[0] for r in conn.execute("PRAGMA quick_check(3)")]
        if problems != ["ok"]:
            raise sqlite3.DatabaseError("; ".join(problems))
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            raise sqlite3.DatabaseError(f"cache schema {version}, expected {SCHEMA_VERSION}")
        conn.execute("BEGIN IMMEDIATE")
        for statement in _SCHEMA:
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        conn.execute("COMMIT")

    def _connection(self, *, write: bool) -> sqlite3.Connection:
        """The writer's or the reader's connection (the caller holds its lock); the first one checks the file."""
        conn = self._writer if write else self._reader
        if conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = self._connect()
            try:
                if not self._checked:
                    self._check(conn)
                    self._checked = True
            except BaseException:
                conn.close()
                raise
            if write:
                self._writer = conn
            else:
                self._reader = conn
        return conn

    def _rebuild(self, reason: str) -> None:
        """Delete the file (and its WAL) and start an empty one: the next refresh fills it from the server."""
        with self._write_lock, self._read_lock:
            log.warning("customer cache %s is unusable (%s): rebuilding it from the server", self.path, reason)
            self._close()
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(FileNotFoundError):
                    self.path.with_name(self.path.name + suffix).unlink()
            self._checked = False

    def _run(self, work: Callable[[sqlite3.Connection], T], *, write: bool = False) -> T:
        """Run ``work`` on the reader's (or writer's) connection under its lock; a damaged file is rebuilt
        and ``work`` run again on the empty one."""
        for attempt in (1, 2):
            lock = self._write_lock if write else self._read_lock
            with lock:
                try:
                    return work(self._connection(write=write))
                except sqlite3.DatabaseError as exc:
                    if not _damaged(exc) or attempt == 2:
                        raise  # locked, disk full, a constraint: not the file's fault
                    reason = str(exc)
            self._rebuild(reason)
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    @contextlib.contextmanager
    def _transaction(conn: sqlite3.Connection, *, write: bool = True) -> Iterator[sqlite3.Connection]:
        """A write transaction, or (``write`` False) one consistent snapshot for several reads."""
        conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield conn
        except BaseException:
            with contextlib.suppress(sqlite3.Error):  # a damaged file may refuse even this
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # --- state ----------------------------------------------------------------------------------------

    @staticmethod
    def _meta(conn: sqlite3.Connection) -> dict[str, str]:
        return {r["key"]: r["value"] for r in conn.execute("SELECT key, value FROM meta")}

    @staticmethod
    def _set_meta(conn: sqlite3.Connection, **values: object) -> None:
        conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                         [(k, str(v)) for k, v in values.items() if v is not None])

    def as_of(self) -> dt.datetime | None:
        """Server time of the last complete refresh, or None before the first one completed."""
        value = self._run(self._meta).get("as_of")
        return dt.datetime.fromisoformat(value) if value else None

    def business_date(self) -> dt.date | None:
        """The server's business day at the last page stored (late fees are computed for :meth:`today`)."""
        value = self._run(self._meta).get("business_date")
        return dt.date.fromisoformat(value) if value else None

    def today(self) -> dt.date:
        """The business day quotes and the 360 view compute late fees for: the counter's."""
        return self._today()

    def count(self) -> int:
        """Customers in the cache."""
        return int(self._run(lambda conn: conn.execute("SELECT count(*) FROM customers").fetchone()[0]))

    # --- refresh --------------------------------------------------------------------------------------

    def refresh(self, rpc: RpcClient, *, limit: int = 1000, batch: int = STORE_BATCH,
                cancelled: Callable[[], bool] | None = None) -> RefreshStats:
        """Page through ``customer.get_hall_changes`` from the stored cursor until complete. Pages are
        stored with their cursor in one local transaction per ``batch`` customers (one commit per page
        costs a large hall a third more time: each rewrites the index pages it touched). Blocking; on
        RpcError what was received is stored first, and the next refresh goes on from there."""
        started = time.monotonic()
        pages = received = removed = 0
        full_pass = False
        while True:
            first = self._run(functools.partial(self._next_request, limit=limit))
            fetched: list[HallChangesPage] = []
            try:
                req = first
                while True:
                    page = rpc.call(GET_HALL_CHANGES, req)
                    fetched.append(page)
                    if page.complete or sum(len(p.customers) for p in fetched) >= batch or (cancelled and cancelled()):
                        break
                    req = HallChangesRequest(after_cursor=page.next_cursor, after_customer_id=page.next_customer_id,
                                             limit=limit)
            finally:  # keep what came, also when a call failed
                stored = (self._run(functools.partial(self._store, pages=fetched, first=first), write=True)
                          if fetched else None)
            pages += len(fetched)
            if stored is None:  # the stored cursor moved meanwhile (the file was rebuilt): ask again from it
                continue
            received += sum(len(p.customers) for p in fetched)
            full_pass = full_pass or stored[0]
            removed += stored[1]
            if fetched[-1].complete:
                break
            if cancelled is not None and cancelled():
                raise CacheCancelledError
        stats = RefreshStats(pages=pages, received=received, full_pass=full_pass, removed=removed,
                             seconds=time.monotonic() - started, as_of=self.as_of(),
                             business_date=self.business_date(), count=self.count())
        log.info("customer cache: %d customers received in %d pages, %d removed, %d cached, %.1f s",
                 received, pages, removed, stats.count, stats.seconds)
        return stats

    def _next_request(self, conn: sqlite3.Connection, *, limit: int) -> HallChangesRequest:
        """The request after the stored cursor."""
        meta = self._meta(conn)
        return HallChangesRequest(after_cursor=int(meta.get("cursor", 0)),
                                  after_customer_id=int(meta.get("customer_id", 0)), limit=limit)

    def _store(self, conn: sqlite3.Connection, *, pages: Sequence[HallChangesPage], first: HallChangesRequest
               ) -> tuple[bool, int] | None:
        """Store consecutive pages, the first asked for with ``first``: (they belong to a full pass,
        customers removed at the end of one); None when the stored cursor is no longer ``first``'s
        (the file was rebuilt, or another refresh stored these pages): nothing is stored then."""
        with self._transaction(conn):
            meta = self._meta(conn)
            after = (first.after_cursor, first.after_customer_id)
            if (int(meta.get("cursor", 0)), int(meta.get("customer_id", 0))) != after:
                return None
            pass_no = int(meta.get("pass", 0))
            in_pass = meta.get("pass_open") == "1"
            hall = meta.get("hall_code")
            full = removed = 0
            for page in pages:
                starts_pass = page.restarted or after == (0, 0)
                if hall not in (None, page.hall_code):  # the counter moved to another hall
                    for table in ("customers", "meters", "bills"):
                        conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
                    self._set_meta(conn, as_of="")
                    starts_pass = True
                if starts_pass:
                    pass_no += 1
                    in_pass = True
                full = full or in_pass
                self._upsert(conn, page.customers, pass_no=pass_no)
                if page.departed:  # moved to another hall (those never cached are no-ops)
                    gone = [(no,) for no in page.departed]
                    conn.executemany("DELETE FROM meters WHERE customer_no = ?", gone)
                    conn.executemany("DELETE FROM bills WHERE customer_no = ?", gone)
                    removed += conn.executemany("DELETE FROM customers WHERE customer_no = ?", gone).rowcount
                if page.complete and in_pass:  # every customer of the hall came in this pass: drop the rest
                    gone = [(r[0],) for r in conn.execute("SELECT customer_no FROM customers WHERE pass < ?",
                                                          (pass_no,))]
                    for table in ("meters", "bills", "customers"):
                        conn.executemany(f"DELETE FROM {table} WHERE customer_no = ?", gone)  # noqa: S608 - fixed
                    removed += len(gone)
                    in_pass = False
                after = (page.next_cursor, page.next_customer_id)
                hall = page.hall_code
            last = pages[-1]
            self._set_meta(conn, cursor=last.next_cursor, customer_id=last.next_customer_id,
                           business_date=last.business_date.isoformat(), hall_code=last.hall_code)
            self._set_meta(conn, **{"pass": pass_no, "pass_open": int(in_pass)})
            if last.complete:
                self._set_meta(conn, as_of=last.as_of.isoformat())
        return bool(full), removed

    @staticmethod
    def _upsert(conn: sqlite3.Connection, customers: Sequence[HallCustomer], *, pass_no: int) -> None:
        numbers = [(c.profile.customer_no,) for c in customers]
        conn.executemany("DELETE FROM meters WHERE customer_no = ?", numbers)
        conn.executemany("DELETE FROM bills WHERE customer_no = ?", numbers)
        rows = []
        meters = []
        bills = []
        for c in customers:
            p = c.profile
            rows.append((p.customer_no, p.name, p.address, p.phone, phone_key(p.phone), p.id_number_masked,
                         p.category.value, p.status.value, p.payment_mode.value, p.hall_code, p.tariff_name,
                         p.balance_fen, c.arrears_fen, c.prepayment_fen, pass_no))
            meters += [(p.customer_no, i, m.asset_no, m.multiplier, m.digits) for i, m in enumerate(p.meters)]
            bills += [(p.customer_no, i, b.bill_no, b.model_dump_json()) for i, b in enumerate(c.open_bills)]
        conn.executemany(_UPSERT_CUSTOMER, rows)
        conn.executemany("INSERT INTO meters VALUES (?, ?, ?, ?, ?)", meters)
        conn.executemany("INSERT INTO bills VALUES (?, ?, ?, ?)", bills)

    # --- reading ----------------------------------------------------------------------------------------

    def search(self, text: str, limit: int = 50) -> SearchResult:
        """The first ``limit`` hits for one search key, ranked as the server ranks them (module docstring).

        ``SEARCH_QUERY_INVALID`` (as RpcError, like the server's answer) when the text is no key.
        """
        key = parse(text)
        if key is None or limit < 1:
            raise RpcError(ErrorCode.SEARCH_QUERY_INVALID)
        ranked = self._run(lambda conn: self._find(conn, key.kind, key.text, limit + 1))
        hits = [self._hit(row, meter) for row, meter in ranked[:limit]]
        return SearchResult(kind=key.kind, query=key.text, items=hits, offset=0, has_more=len(ranked) > limit)

    @staticmethod
    def _find(conn: sqlite3.Connection, kind: SearchKind, key: str, need: int) -> list[tuple[sqlite3.Row, str | None]]:
        """Up to ``need`` ranked hits: (customer row, the meter that matched in a meter search)."""
        found: list[tuple[sqlite3.Row, str | None]]
        if kind is SearchKind.CUSTOMER_NO:
            found = [(r, None) for r in conn.execute(_BY_CUSTOMER_NO, (key,))]
        elif kind is SearchKind.METER:
            found = [(r, key) for r in conn.execute(_BY_METER, (key,))]
        elif kind is SearchKind.BARCODE:
            period, rest = barcode_parts(key)  # an open bill's number, else the 户号 after the period
            found = [(r, None) for r in conn.execute(_BY_BILL, (key, f"{period}-{rest}"))]
            found = found or [(r, None) for r in conn.execute(_BY_CUSTOMER_NO, (rest,))]
        elif kind is SearchKind.PHONE:
            tail = key[::-1]
            found = [(r, None) for r in conn.execute(_BY_PHONE, (tail, tail + ":", tail, need))]
        else:
            column = "name" if kind is SearchKind.NAME else "address"
            prefix_sql, contains_sql = _BY_TEXT[column]
            lo, hi = key, _successor(key)
            found = [(r, None) for r in conn.execute(prefix_sql, (lo, hi, need))]
            if len(found) < need:
                others = conn.execute(contains_sql, (key, lo, hi, CANDIDATES)).fetchall()
                others.sort(key=lambda r: (r[1].find(key), len(r[1]), r[0]))
                for no, _ in others[:need - len(found)]:
                    found += [(r, None) for r in conn.execute(_BY_CUSTOMER_NO, (no,))]
        return found[:need]

    @staticmethod
    def _hit(row: sqlite3.Row, meter: str | None) -> SearchHit:
        return SearchHit(customer_no=row["customer_no"], name=row["name"], address=row["address"], phone=row["phone"],
                         status=CustomerStatus(row["status"]), category=CustomerCategory(row["category"]),
                         payment_mode=PaymentMode(row["payment_mode"]), meter_no=meter or row["meter_no"],
                         hall_code=row["hall_code"])

    def _customer(self, conn: sqlite3.Connection, customer_no: str
                  ) -> tuple[sqlite3.Row, list[sqlite3.Row], list[CachedBill]]:
        row = conn.execute("SELECT * FROM customers WHERE customer_no = ?", (customer_no,)).fetchone()
        if row is None:
            raise RpcError(ErrorCode.CUSTOMER_NOT_FOUND, {"customer_no": customer_no})
        meters = conn.execute("SELECT * FROM meters WHERE customer_no = ? ORDER BY seq", (customer_no,)).fetchall()
        bills = conn.execute("SELECT * FROM bills WHERE customer_no = ? ORDER BY seq", (customer_no,)).fetchall()
        return row, meters, [CachedBill.model_validate_json(b["bill"]) for b in bills]

    def overview(self, customer_no: str) -> CachedOverview:
        """The 360 view as cached (no recent payments, no card); ``CUSTOMER_NOT_FOUND`` if not cached."""
        def read(conn: sqlite3.Connection) -> tuple[sqlite3.Row, list[sqlite3.Row], list[CachedBill], dict[str, str]]:
            with self._transaction(conn, write=False):
                return (*self._customer(conn, customer_no), self._meta(conn))

        row, meters, cached, meta = self._run(read)
        day = self._today()
        bills = [b.view_on(day) for b in cached]
        late_fee = sum(b.late_fee_fen for b in bills)
        profile = CustomerProfile(
            customer_no=row["customer_no"], name=row["name"], address=row["address"], phone=row["phone"],
            id_number_masked=row["id_number_masked"], category=CustomerCategory(row["category"]),
            status=CustomerStatus(row["status"]), payment_mode=PaymentMode(row["payment_mode"]),
            hall_code=row["hall_code"], tariff_name=row["tariff_name"],
            meters=[MeterInfo(asset_no=m["asset_no"], multiplier=m["multiplier"], digits=m["digits"]) for m in meters],
            balance_fen=row["balance_fen"],
        )
        overview = CustomerOverview(
            profile=profile, open_bills=bills, arrears_fen=row["arrears_fen"], late_fee_fen=late_fee,
            due_fen=row["arrears_fen"] + late_fee, prepayment_fen=row["prepayment_fen"], recent_payments=[],
            card_status=None, as_of=day,
        )
        as_of = meta.get("as_of")
        return CachedOverview(overview=overview, as_of=dt.datetime.fromisoformat(as_of) if as_of else None,
                              local_changes=bool(row["local"]))

    def quote(self, customer_no: str, amount_fen: int | None = None) -> Quote:
        """What the cached bills owe and how ``amount_fen`` (None: everything due) would be allocated: the
        server's ``payment.get_quote`` on the cached figures: the contract's refusals (``make_request``), then
        the server's quote rule (``shared_models.rules.quote``), refusals as RpcError."""
        req = make_request(QuoteRequest, customer_no=customer_no, amount_fen=amount_fen)

        def read(conn: sqlite3.Connection) -> tuple[sqlite3.Row, list[sqlite3.Row], list[CachedBill]]:
            with self._transaction(conn, write=False):
                return self._customer(conn, customer_no)

        row, _, cached = self._run(read)
        day = self._today()
        if row["status"] == CustomerStatus.CLOSED.value:
            raise RpcError(ErrorCode.CUSTOMER_CLOSED, {"customer_no": customer_no})
        try:
            return quote_payment(customer_no=customer_no, customer_name=row["name"],
                                 bills=[b.view_on(day) for b in cached], prepayment_fen=Fen(int(row["prepayment_fen"])),
                                 amount_fen=None if req.amount_fen is None else Fen(req.amount_fen))
        except AllocationError as exc:
            raise RpcError(ErrorCode(exc.code.value), exc.params) from None

    # --- offline payments -----------------------------------------------------------------------------

    def apply_local_payment(self, customer_no: str, quote: Quote) -> None:
        """Book a payment accepted offline into the cached figures: the quote's amount allocated over the
        cached bills by the shared rule (as the server will on replay), so the bills lose what it pays,
        settled bills go, and the rest raises prepayment. Unchanged bills give exactly ``quote``'s lines.
        """
        if quote.customer_no != customer_no:
            raise ValueError("the quote is for another customer")
        if quote.amount_fen <= 0:
            raise RpcError(ErrorCode.AMOUNT_NOT_POSITIVE)

        def book(conn: sqlite3.Connection) -> None:
            with self._transaction(conn):
                row, _, cached = self._customer(conn, customer_no)
                day = self._today()
                allocation = allocate_bills([b.view_on(day) for b in cached], Fen(quote.amount_fen))
                principal_paid = 0
                for line in allocation.lines:
                    bill = cached[line.bill_id]
                    principal_paid += line.principal_fen
                    if line.settles_bill:
                        conn.execute("DELETE FROM bills WHERE customer_no = ? AND bill_no = ?",
                                     (customer_no, bill.bill_no))
                    else:
                        paid = bill.after_payment(day=day, principal_fen=line.principal_fen,
                                                  late_fee_fen=line.late_fee_fen)
                        conn.execute("UPDATE bills SET bill = ? WHERE customer_no = ? AND bill_no = ?",
                                     (paid.model_dump_json(), customer_no, bill.bill_no))
                arrears = int(row["arrears_fen"]) - principal_paid
                prepayment = int(row["prepayment_fen"]) + allocation.prepayment_fen
                conn.execute("UPDATE customers SET arrears_fen = ?, prepayment_fen = ?, balance_fen = ?, local = 1"
                             " WHERE customer_no = ?", (arrears, prepayment, prepayment - arrears, customer_no))

        self._run(book, write=True)


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    """True for the errors of a file that is no usable cache: SQLite's plain DatabaseError (not a database,
    disk image malformed), or tables and columns missing; not a lock, a full disk or a constraint."""
    if type(exc) is sqlite3.DatabaseError:
        return True
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("no such table" in text or "no such column" in text)




class CacheRefresher(BackgroundLoop[RefreshStats]):
    """A thread that refreshes the cache every ``interval_s`` while a session exists, and on :meth:`wake`;
    after a failure it tries again with backoff. Listeners get each :class:`RefreshStats`, on this
    thread (the UI bridges them to the GUI thread by signal)."""

    def __init__(self, *, cache: CustomerCache, rpc: RpcClient, interval_s: float = 120.0,
                 backoff: Backoff | None = None, page_limit: int = 1000, name: str = "gridcounter-cache") -> None:
        super().__init__(name=name)
        self._cache = cache
        self._rpc = rpc
        self._interval_s = interval_s
        self._backoff = backoff or Backoff(base_s=2.0, cap_s=max(interval_s, 2.0))
        self._page_limit = page_limit
        self._failures = 0
        self._rng = random.Random()  # noqa: S311 - jitter, not a secret
        #: The last refresh that completed, and the code of the last failure since (None: it worked).
        self.last: RefreshStats | None = None
        self.last_error: ErrorCode | None = None

    def _step(self) -> float:
        """One refresh if a session exists; the seconds to wait before the next."""
        if not self._rpc.has_session:
            return self._interval_s
        try:
            stats = self._cache.refresh(self._rpc, limit=self._page_limit, cancelled=self._stop.is_set)
        except CacheCancelledError:
            return 0.0
        except RpcError as exc:
            self.last_error = exc.code
            if exc.code in SESSION_LOST_CODES:
                return self._interval_s  # until someone signs in again (wake)
            self._failures += 1
            log.info("customer cache refresh failed: %s (try %d)", exc.code.value, self._failures)
            return self._backoff.delay(self._failures, self._rng)
        except Exception:  # the refresher must outlive any bug: the cache would silently go stale
            log.exception("customer cache refresh failed")
            self.last_error = ErrorCode.INTERNAL_ERROR
            self._failures += 1
            return self._backoff.delay(self._failures, self._rng)
        self._failures = 0
        self.last = stats
        self.last_error = None
        self._emit(stats)
        return self._interval_s
