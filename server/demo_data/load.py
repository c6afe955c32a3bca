"""The demo load, in one transaction: organization, tariffs, reading books, customers, readings, bill runs, payments.

Customers, meters and readings go in by COPY in bounded batches, the keys and indexes dropped and rebuilt
around it. The bills then come out of bill runs (``server.services.billruns``): for each month, oldest first,
each reading book's run is calculated and released as its billing clerk would, with the same audit records;
the last month's run of one book (``PENDING_BOOK``) is left calculated, not released, for the clerk to
review. The payment history (``payments.py``) pays those bills at the counters.

Everything is generated from one seeded generator (``customers.py``, ``readings.py``, ``payments.py``), so the
same seed gives the same books; a worker thread generates the next batch while PostgreSQL stores the current one.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import random
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from typing import Any, cast

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from server.audit_chain import write_records
from server.clock import SystemClock
from server.context import Actor, AuditEntry, CallContext
from server.demo_data.cards import load_demo_cards
from server.demo_data.customers import CUSTOMER_COLUMNS, METER_COLUMNS, TERMS_COLUMNS, CustomerFactory
from server.demo_data.org import HALLS, load_org
from server.demo_data.payments import LEDGER_COLUMNS, Account, Bill, write_ledger
from server.demo_data.readings import READING_COLUMNS, Period, periods
from server.demo_data.tariffs import load_tariffs
from server.models.billing import Bill as BillRow
from server.models.org import OrgUnit
from server.models.readings import ReadingBook
from server.security import PiiCipher
from server.services import billruns
from server.settings import Settings
from shared_models.methods.billruns import CalculateRunRequest, RunRef, RunState
from shared_models.roles import Role
from shared_models.rules.hall_time import HALL_TZ

logger = logging.getLogger(__name__)

_BATCH = 50_000
_BULK_TABLES = ("customers", "meters", "readings")
#: The reading book whose last month's run is calculated but not released (the billing clerk's demo).
PENDING_BOOK = "H01-B001"
#: The billing clerk of each city, by hall (docs/demo-users.md).
_CLERK = {"H01": "billing01", "H02": "billing01", "H03": "billing02", "H04": "billing02"}
_READER = {hall.code: f"reader{hall.code[1:]}" for hall in HALLS}
_CHUNK = 5000


class DemoDataError(RuntimeError):
    """Demo data cannot be loaded (the database already holds data, or the arguments are wrong)."""


@dataclass(frozen=True)
class DemoSummary:
    """What a load created, and how long it took."""

    org_units: int
    counters: int
    users: int
    customers: int
    meters: int
    readings: int
    reading_books: int
    bills: int
    ledger_entries: int
    seconds: float
    #: Demo prepaid cards registered (``server.demo_data.cards``).
    cards: int = 0


def has_data(url: str) -> bool:
    """True when the database already has an organization (demo data or real data)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with Session(engine) as session:
            return session.scalar(select(func.count()).select_from(OrgUnit)) != 0
    finally:
        engine.dispose()


def load_demo_data(
    *,
    url: str,
    customers: int,
    pii: PiiCipher,
    seed: int = 20261123,
    months: int = 12,
    today: dt.date | None = None,
) -> DemoSummary:
    """Load the demo organization, users, tariffs and ``customers`` customers with ``months`` months
    of readings, bill runs and payments ending at the last full month before ``today`` (hall time).

    One transaction: the keys and indexes of the customer and book tables are dropped for the bulk
    load and rebuilt at the end, so those tables are locked until it commits (it is meant for an
    empty database). Raises DemoDataError when the database already holds an organization or tariffs.
    """
    if customers < 0 or not 1 <= months <= 120:
        raise DemoDataError(f"need customers >= 0 and 1 <= months <= 120, got {customers} and {months}")
    started = time.perf_counter()
    today = today or dt.datetime.now(HALL_TZ).date()
    engine = create_engine(url, poolclass=NullPool, connect_args={"options": "-c timezone=UTC"})
    try:
        with Session(engine) as session, session.begin():
            # One loader at a time; a concurrent second one waits here and then finds the data.
            session.execute(text("LOCK TABLE org_units, tariffs IN EXCLUSIVE MODE"))
            if session.scalar(text("SELECT EXISTS (SELECT 1 FROM org_units) OR EXISTS (SELECT 1 FROM tariffs)")):
                raise DemoDataError("the database already has an organization or tariffs: demo data needs an "
                                    "empty database")
            session.execute(text("SET LOCAL work_mem = '256MB'"))
            session.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
            session.execute(text("SET LOCAL synchronous_commit = off"))
            org, counters, users = load_org(session)
            months_of = periods(today, months)
            first = months_of[1].period
            tariffs = load_tariffs(session, first_period_start=dt.date(first // 100, first % 100, 1))
            logger.info("demo data: organization, %d users and tariffs in %.1f s", len(users),
                        time.perf_counter() - started)
            factory = CustomerFactory(rng=random.Random(seed), pii=pii, count=customers, org=org, users=users,
                                      tariffs=tariffs, periods=months_of)
            restore = _drop_keys_and_indexes(session)
            readings, meters, accounts = _load_customers(session, factory=factory, count=customers, started=started)
            _restore_keys_and_indexes(session, restore)
            books = _load_books(session, factory=factory, org=org, users=users)
            session.execute(text("ANALYZE customers, meters, readings"))
            logger.info("demo data: %d customers with readings and %d books after %.1f s", customers, len(books),
                        time.perf_counter() - started)
            bills = _run_bills(session, pii=pii, books=books, months=months_of, users=users, started=started)
            _load_payments(session, accounts=accounts, months=months_of, rng=random.Random(seed + 1))
            cards = load_demo_cards(session, halls=[org[hall.code] for hall in HALLS], user_id=users["cashier0101"],
                                    today=today)
            entries = int(session.scalar(text("SELECT count(*) FROM ledger_entries")) or 0)
            summary = DemoSummary(
                org_units=len(org), counters=counters, users=len(users), customers=customers, meters=meters,
                readings=readings, reading_books=len(books), bills=bills, ledger_entries=entries, seconds=0.0,
                cards=cards,
            )
            _audit(session, pii=pii, summary=summary, seed=seed, months=months)
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    finally:
        engine.dispose()
    seconds = round(time.perf_counter() - started, 3)
    logger.info("demo data: loaded %d customers in %.1f s", customers, seconds)
    return replace(summary, seconds=seconds)


def _load_customers(
    session: Session, *, factory: CustomerFactory, count: int, started: float,
) -> tuple[int, int, list[Account]]:
    """Customers, meters and their readings, batch by batch; returns (readings, meters, how each pays).

    A worker thread generates the next batch in Python while PostgreSQL stores the current one
    (psycopg2 releases the GIL while it waits), so the two cores work at the same time.
    """
    readings = meters = 0
    accounts: list[Account] = []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-data") as worker:
        pending = worker.submit(factory.batch, 0, min(_BATCH, count))
        for start in range(0, count, _BATCH):
            end = min(start + _BATCH, count)
            batch = pending.result()
            if end < count:
                pending = worker.submit(factory.batch, end, min(end + _BATCH, count))
            _copy(session, "customers", CUSTOMER_COLUMNS, batch.customers)
            _copy(session, "meters", METER_COLUMNS, batch.meters)
            _copy(session, "readings", READING_COLUMNS, batch.readings)
            _copy(session, "customer_terms", TERMS_COLUMNS, batch.terms)
            readings += batch.reading_rows
            meters += batch.meter_rows
            accounts += batch.accounts
            logger.info("demo data: %d of %d customers with their readings after %.1f s", end, count,
                        time.perf_counter() - started)
    _set_sequence(session, "customers", count)
    _set_max_sequence(session, "meters")
    _set_max_sequence(session, "readings")
    return readings, meters, accounts


def _load_books(session: Session, *, factory: CustomerFactory, org: dict[str, int],
                users: dict[str, int]) -> list[tuple[str, str]]:
    """The reading books (抄表段) the customers were put in: each with its hall's meter reader and its 例日;
    returns (book code, hall code) in code order."""
    out = []
    for code, (hall, day) in sorted(factory.books.items()):
        session.add(ReadingBook(code=code, name=f"{hall} 第{code[-3:]}抄表段", hall_id=org[hall],
                                reader_id=users[_READER[hall]], reading_day=day, window_days=3))
        out.append((code, hall))
    session.flush()
    return out


def _clerk_context(session: Session, *, pii: PiiCipher, users: dict[str, int], hall: str,
                   now: dt.datetime, method: str) -> CallContext:
    """The call context of the hall's billing clerk at ``now`` (the server's audit chain: no counter)."""
    username = _CLERK[hall]
    actor = Actor(user_id=users[username], username=username, role=Role.BILLING_CLERK, counter_id=0,
                  counter_code="", session_id=0)
    return CallContext(session=session, clock=SystemClock(), settings=Settings(), pii=pii, now=now, method=method,
                       actor=actor)


def _run_bills(session: Session, *, pii: PiiCipher, books: list[tuple[str, str]], months: list[Period],
               users: dict[str, int], started: float) -> int:
    """Every month's bill run of every book, oldest month first: calculated, then released on the bill's issue
    day (the pending book's last run only calculated). Returns how many bills were released."""
    released = 0
    for period in months[1:]:
        # The whole load is one transaction, so autovacuum never sees these tables grow: without fresh statistics
        # the planner takes the month's drafts and lines for a handful of rows and scans them whole in every run.
        session.execute(text("ANALYZE bill_drafts, bill_draft_lines, bills, bill_lines, ledger_entries"))
        now = dt.datetime.combine(period.issued_on, dt.time(9, 0), HALL_TZ)
        for book, hall in books:
            state = RunState.CALCULATING
            while state is not RunState.CALCULATED:
                ctx = _clerk_context(session, pii=pii, users=users, hall=hall, now=now, method="billrun.calculate_run")
                state = billruns.calculate_run(ctx=ctx, req=CalculateRunRequest(
                    book_code=book, period=period.period, chunk_size=_CHUNK)).state
                write_records(ctx, ctx.audit, idempotency_key=None)
            if book == PENDING_BOOK and period is months[-1]:
                continue
            ctx = _clerk_context(session, pii=pii, users=users, hall=hall, now=now, method="billrun.release_run")
            released += billruns.release_run(ctx=ctx, req=RunRef(book_code=book, period=period.period)).bills_released
            write_records(ctx, ctx.audit, idempotency_key=None)
        logger.info("demo data: bill runs of %d released after %.1f s", period.period, time.perf_counter() - started)
    return released


def _load_payments(session: Session, *, accounts: list[Account], months: list[Period], rng: random.Random) -> int:
    """The payments of the released bills, customer by customer; returns how many ledger entries."""
    window = {p.period: p.pay_window for p in months}
    rows = session.execute(
        select(BillRow.customer_id, BillRow.id, BillRow.bill_no, BillRow.issued_on, BillRow.amount_fen, BillRow.period)
        .where(BillRow.corrects_bill_id.is_(None)).order_by(BillRow.customer_id, BillRow.period)
    ).all()
    by_customer: dict[int, list[Bill]] = {}
    for cid, bill_id, bill_no, issued, amount, period in rows:
        by_customer.setdefault(cid, []).append(Bill(bill_id=bill_id, bill_no=bill_no, issued_on=issued,
                                                    pay_window=window.get(period, 0), amount_fen=amount))
    out = io.StringIO()
    entries = sum(write_ledger(account, by_customer.get(account.customer_id, []), rng, out=out)
                  for account in accounts)
    _copy(session, "ledger_entries", LEDGER_COLUMNS, out)
    return entries


def _copy(session: Session, table: str, columns: Sequence[str], buffer: io.StringIO) -> None:
    """COPY the tab-separated rows of ``buffer`` into ``table`` in the session's transaction."""
    buffer.seek(0)
    raw = cast(Any, session.connection().connection.dbapi_connection)
    with raw.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def _set_sequence(session: Session, table: str, last_id: int) -> None:
    """Move the identity of ``table`` past the ids inserted explicitly (1 .. ``last_id``)."""
    session.execute(text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :next, false)"),
                    {"table": table, "next": last_id + 1})


def _set_max_sequence(session: Session, table: str) -> None:
    """Move the identity of ``table`` past its largest id."""
    statement = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"  # noqa: S608, E501 - our own table names
    session.execute(text(statement))


def _drop_keys_and_indexes(session: Session) -> list[str]:
    """Drop the keys and indexes of the bulk-loaded tables; returns the statements that re-create them.

    Checking a foreign key and updating every index row by row costs more than the insert itself;
    building them afterwards checks and sorts all rows at once (the PostgreSQL manual's advice for
    bulk loads). The definitions come from the catalog, so they stay whatever the migrations made
    them, including indexes added later. All of it is DDL inside the load's transaction: a failed
    load rolls back to the original schema.
    """
    tables = {"tables": list(_BULK_TABLES)}
    foreign = session.execute(text(
        "SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname),"
        " format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid))"
        " FROM pg_constraint WHERE contype = 'f'"
        " AND (conrelid = ANY (CAST(:tables AS regclass[])) OR confrelid = ANY (CAST(:tables AS regclass[])))"
        " ORDER BY conrelid, conname"
    ), tables).all()
    keys = session.execute(text(
        "SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname),"
        " format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid))"
        " FROM pg_constraint WHERE contype IN ('p', 'u', 'x') AND conrelid = ANY (CAST(:tables AS regclass[]))"
        " ORDER BY conrelid, contype, conname"
    ), tables).all()
    indexes = session.execute(text(
        "SELECT format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid)"
        " FROM pg_index i WHERE i.indrelid = ANY (CAST(:tables AS regclass[]))"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
        "                 WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))"
        " ORDER BY i.indrelid, i.indexrelid"
    ), tables).all()
    for drop, _ in [*foreign, *keys, *indexes]:
        session.execute(text(drop))
    return [create for _, create in [*keys, *indexes, *foreign]]


def _restore_keys_and_indexes(session: Session, statements: list[str]) -> None:
    """Re-create (and so check) what ``_drop_keys_and_indexes`` dropped."""
    started = time.perf_counter()
    for statement in statements:
        step = time.perf_counter()
        session.execute(text(statement))
        logger.debug("demo data: %s in %.1f s", statement, time.perf_counter() - step)
    logger.info("demo data: %d keys and indexes built in %.1f s", len(statements), time.perf_counter() - started)


def _audit(session: Session, *, pii: PiiCipher, summary: DemoSummary, seed: int, months: int) -> None:
    """One audit record for the whole load, on the ``server`` chain, in the load's transaction."""
    now = SystemClock().now()
    ctx = CallContext(session=session, clock=SystemClock(), settings=Settings(), pii=pii, now=now,
                      method="demo_data.load")
    after = {k: v for k, v in asdict(summary).items() if k != "seconds"} | {"seed": seed, "months": months}
    write_records(ctx, [AuditEntry(target="database", after=after, username="demo-data")], idempotency_key=None)
