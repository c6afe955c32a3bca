"""The refresh protocol of the customer cache: paging through ``customer.get_hall_changes`` from the stored
cursor into the file (``docs/offline-cache.md``).

A refresh brings only the customers changed since the stored cursor; a full pass (from the beginning) only
for an empty or rebuilt file or a cursor the server never handed out (``restarted``), and at the end of a
full pass customers no longer in the hall are dropped; customers who moved to another hall are dropped when
a page names them (``departed``); pages of another hall (the counter moved) start afresh. Pages are stored
with their cursor, so a refresh cut between pages goes on from there.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from client.core.customer_cache.search import phone_key
from client.core.customer_cache.store import CacheFile, stored_time
from client.core.rpc_client import RpcClient
from shared_models.methods.cache import GET_HALL_CHANGES, HallChangesPage, HallChangesRequest, HallCustomer

log = logging.getLogger(__name__)

#: Customers stored per local transaction during a refresh.
STORE_BATCH: Final = 5000
_CUSTOMER_COLUMNS: Final = ("customer_no", "name", "address", "phone", "phone_key", "id_number_masked", "category",
                            "status", "payment_mode", "hall_code", "tariff_name", "balance_fen", "arrears_fen",
                            "prepayment_fen", "pass")
_UPSERT_CUSTOMER: Final = (f"INSERT OR REPLACE INTO customers ({', '.join(_CUSTOMER_COLUMNS)}, local)"  # noqa: S608
                           f" VALUES ({', '.join('?' * len(_CUSTOMER_COLUMNS))}, 0)")  # (fixed column names)


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


class CacheCancelledError(Exception):
    """A refresh stopped because its refresher is stopping (what it stored so far stays)."""

def count(file: CacheFile) -> int:
    """Customers in the cache."""
    return int(file.run(lambda conn: conn.execute("SELECT count(*) FROM customers").fetchone()[0]))


def refresh(file: CacheFile, rpc: RpcClient, *, limit: int = 1000, batch: int = STORE_BATCH,
            cancelled: Callable[[], bool] | None = None) -> RefreshStats:
    """Page through ``customer.get_hall_changes`` from the stored cursor until complete. Pages are
    stored with their cursor in one local transaction per ``batch`` customers (one commit per page
    costs a large hall a third more time: each rewrites the index pages it touched). Blocking; on
    RpcError what was received is stored first, and the next refresh goes on from there."""
    started = time.monotonic()
    pages = received = removed = 0
    full_pass = False
    while True:
        first = file.run(functools.partial(_next_request, file, limit=limit))
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
            stored = (file.run(functools.partial(_store, file, pages=fetched, first=first), write=True)
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
    meta = file.run(file.meta)
    stored_day = meta.get("business_date")
    stats = RefreshStats(pages=pages, received=received, full_pass=full_pass, removed=removed,
                         seconds=time.monotonic() - started, as_of=stored_time(meta, "as_of"),
                         business_date=dt.date.fromisoformat(stored_day) if stored_day else None,
                         count=count(file))
    log.info("customer cache: %d customers received in %d pages, %d removed, %d cached, %.1f s",
             received, pages, removed, stats.count, stats.seconds)
    return stats

def _next_request(file: CacheFile, conn: sqlite3.Connection, *, limit: int) -> HallChangesRequest:
    """The request after the stored cursor."""
    meta = file.meta(conn)
    return HallChangesRequest(after_cursor=int(meta.get("cursor", 0)),
                              after_customer_id=int(meta.get("customer_id", 0)), limit=limit)

def _store(file: CacheFile, conn: sqlite3.Connection, *, pages: Sequence[HallChangesPage], first: HallChangesRequest
           ) -> tuple[bool, int] | None:
    """Store consecutive pages, the first asked for with ``first``: (they belong to a full pass,
    customers removed at the end of one); None when the stored cursor is no longer ``first``'s
    (the file was rebuilt, or another refresh stored these pages): nothing is stored then."""
    with file.transaction(conn):
        meta = file.meta(conn)
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
                file.set_meta(conn, as_of="")
                starts_pass = True
            if starts_pass:
                pass_no += 1
                in_pass = True
            full = full or in_pass
            _upsert(conn, page.customers, pass_no=pass_no)
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
        file.set_meta(conn, cursor=last.next_cursor, customer_id=last.next_customer_id,
                       business_date=last.business_date.isoformat(), hall_code=last.hall_code)
        file.set_meta(conn, **{"pass": pass_no, "pass_open": int(in_pass)})
        if last.complete:
            file.set_meta(conn, as_of=last.as_of.isoformat())
    return bool(full), removed

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
