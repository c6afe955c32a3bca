"""Bill run benchmark: one bill run over N customers (default 1 000 000), calculated and released through the
bulk path (``server.billing.bulk`` via ``server.services.billruns``), against the floor of a COPY of the same
number of bill and bill-line rows into a scratch table.

It starts an embedded PostgreSQL in ``--data-dir`` (default a fresh temporary folder), migrates it, loads a small
demo (tariffs, users, books) and then clones one residential customer N times into book ``BENCH`` by COPY (rows
made in Python, keys and indexes built after the load): half on the flat 合表 tariff, half on a monthly tiered TOU
tariff (``BENCH-RES-TIER``: the demo household tariff with 230 / 400 kWh monthly tiers), each with a meter and four
per-register readings (periods ``PERIOD`` − 3 .. ``PERIOD``), kWh spread 0..800 and varied from month to month
(some ±50 % jumps and zero months, so the checks find anomalies). The calculation runs in chunks of ``--chunk``
customers, one transaction each, as the client's progress loop calls ``billrun.calculate_run``; the release is one
transaction. The services are called with a
``CallContext`` of the demo billing clerk (the dispatcher's sign-in and audit flush are one statement per call,
not per customer, and are left out).

Last line: ``RESULT billrun_customers=… calculate_s=… release_s=… copy_s=… ratio_to_copy=…``.

Usage: python bench/billrun.py [--customers 1000000] [--chunk 2000] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PERIOD = 202610
TODAY = dt.date(2026, 11, 23)


def _rows(conn: Any, sql: str, **params: Any) -> list[list[str]]:
    """The rows of a query as COPY text cells (exactly what COPY FROM takes back)."""
    buffer = io.StringIO()
    with conn.connection.dbapi_connection.cursor() as cursor:
        cursor.copy_expert(cursor.mogrify(f"COPY ({sql}) TO STDOUT", params).decode(), buffer)
    return [line.split("\t") for line in buffer.getvalue().splitlines()]


def _copy(conn: Any, table: str, columns: Sequence[str], lines: Iterable[str]) -> None:
    """COPY text lines into ``table``, in batches (the rows are made as they go)."""
    with conn.connection.dbapi_connection.cursor() as cursor:
        batch: list[str] = []
        for line in lines:
            batch.append(line)
            if len(batch) == 200_000:
                cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", io.StringIO("".join(batch)))
                batch = []
        if batch:
            cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", io.StringIO("".join(batch)))


def _bench_tariff(session: Any) -> int:
    """``BENCH-RES-TIER``: the demo's tiered TOU household tariff with a monthly cycle (230 / 400 kWh), so that
    a month's reading crosses the tiers."""
    from sqlalchemy import select

    from server.models.customers import Tariff
    from server.services import tariffs
    from shared_models.tariffs import TariffHeader, TierCycle, TierSpec
    source = session.execute(select(Tariff).where(Tariff.code == "ZJ-RES-TOU")).scalar_one()
    [(_, doc)] = tariffs.version_ids_for(session, source.id, TODAY, TODAY)
    monthly = doc.model_copy(update={"tiers": TierSpec(cycle=TierCycle.MONTH, thresholds_kwh=[230, 400],
                                                       increments=doc.tiers.increments if doc.tiers else [])})
    header = TariffHeader(code="BENCH-RES-TIER", name="bench 居民 月阶梯 峰谷", category=source.category,
                          voltage=source.voltage, two_part=False, time_of_use=True)
    tariff, _ = tariffs.create_tariff(session, header=header, versions=[monthly])
    return int(tariff.id)


def _consumptions(rng: random.Random) -> list[int]:
    """Three months of whole kWh of one customer: a usual level 0..800, ±30 % from month to month, now and then
    a jump or a drop (the ±50 % checks), and a few empty homes (zero)."""
    level = rng.randint(0, 800)
    months = []
    for _ in range(3):
        roll = rng.random()
        factor = 0.0 if roll < 0.01 else 2.2 if roll < 0.04 else 0.3 if roll < 0.07 else rng.uniform(0.7, 1.3)
        months.append(int(level * factor))
    return months


def _populate(engine: Any, customers: int) -> None:
    """N customers in book BENCH cloned from one residential customer of the demo, half on the flat 合表 tariff
    (a total register) and half on ``BENCH-RES-TIER`` (total, peak and valley registers), each with a meter and
    readings of ``PERIOD`` and the three periods before (three months of kWh from :func:`_consumptions`, seeded;
    the peak share 40..80 % each month).

    Rows are made in Python and COPYed; the keys and indexes of customers, meters and readings are dropped for
    the load and built afterwards (``server.demo_data.load`` does the same), then ANALYZE."""
    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from server.demo_data.load import _drop_keys_and_indexes, _restore_keys_and_indexes
    with Session(engine) as session, session.begin():
        tiered = _bench_tariff(session)
        conn = session.connection()
        template = conn.execute(text(
            "SELECT cu.id FROM customers cu JOIN tariffs t ON t.id = cu.tariff_id "
            "JOIN tariff_versions v ON v.tariff_id = t.id AND v.effective_to IS NULL "
            "WHERE cu.status <> 'closed' AND v.kind = 'flat' AND cu.category = 'residential' "
            "ORDER BY cu.id LIMIT 1")).scalar_one()
        book = conn.execute(text("SELECT * FROM reading_books LIMIT 1")).mappings().one()
        conn.execute(text(
            "INSERT INTO reading_books (code, name, hall_id, reader_id, reading_day, window_days) "
            "VALUES ('BENCH', 'bench', :hall, :reader, 25, 3)"), {"hall": book["hall_id"], "reader": book["reader_id"]})

        def columns(table: str) -> list[str]:
            return [r[0] for r in conn.execute(text(
                "SELECT column_name FROM information_schema.columns WHERE table_name = :t "
                "AND table_schema = 'public' ORDER BY ordinal_position"), {"t": table})]

        def next_id(table: str) -> int:
            return int(conn.execute(text(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")).scalar_one())  # noqa: S608

        ccols, mcols = columns("customers"), columns("meters")
        [crow] = _rows(conn, f"SELECT {', '.join(ccols)} FROM customers WHERE id = %(t)s", t=template)  # noqa: S608
        [mrow] = _rows(conn, f"SELECT {', '.join(mcols)} FROM meters WHERE customer_id = %(t)s "  # noqa: S608
                             "ORDER BY id LIMIT 1", t=template)
        first_customer, first_meter, first_reading = next_id("customers"), next_id("meters"), next_id("readings")
        ci, mi = {c: i for i, c in enumerate(ccols)}, {c: i for i, c in enumerate(mcols)}
        restore = _drop_keys_and_indexes(session)
        t0 = time.perf_counter()

        def customer_lines() -> Iterator[str]:
            row = list(crow)
            flat = row[ci["tariff_id"]]
            row[ci["book_code"]] = "BENCH"
            for g in range(customers):
                row[ci["id"]] = str(first_customer + g)
                row[ci["customer_no"]] = str(9900000000 + g)
                row[ci["book_seq"]] = str(g + 1)
                row[ci["tariff_id"]] = str(tiered) if g % 2 else flat
                yield "\t".join(row) + "\n"

        def meter_lines() -> Iterator[str]:
            row = list(mrow)
            row[mi["multiplier"]], row[mi["removed_on"]], row[mi["installed_on"]] = "1", "\\N", "2020-01-01"
            for g in range(customers):
                row[mi["id"]] = str(first_meter + g)
                row[mi["customer_id"]] = str(first_customer + g)
                row[mi["asset_no"]] = f"{9900000000 + g:022d}"
                row[mi["registers"]] = "{total,peak,valley}" if g % 2 else "{total}"
                yield "\t".join(row) + "\n"

        def reading_lines() -> Iterator[str]:
            rng = random.Random(20261206)
            reading_id = first_reading
            periods = [(PERIOD - 3, "2026-07-25"), (PERIOD - 2, "2026-08-25"), (PERIOD - 1, "2026-09-25"),
                       (PERIOD, "2026-10-25")]
            for g in range(customers):
                tou = g % 2 == 1
                total = peak = 1000 + rng.randint(0, 5000)
                months = [0, *_consumptions(rng)]
                for kwh, (period, read_on) in zip(months, periods, strict=True):
                    share = rng.randint(40, 80) if tou else 100
                    total, peak = total + kwh, peak + kwh * share // 100
                    registers = f"{total}.00\t{peak}.00\t{total - peak}.00" if tou else f"{total}.00\t\\N\t\\N"
                    yield f"{reading_id}\t{first_meter + g}\t{period}\t{read_on}\tactual\timport\t{registers}\n"
                    reading_id += 1

        _copy(conn, "customers", ccols, customer_lines())
        _copy(conn, "meters", mcols, meter_lines())
        _copy(conn, "readings", ("id", "meter_id", "period", "read_on", "status", "source", "total", "peak",
                                 "valley"), reading_lines())
        print(f"setup: rows copied in {time.perf_counter() - t0:.1f} s", flush=True)
        _restore_keys_and_indexes(session, restore)
        for table in ("customers", "meters", "readings"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - our names
                              f"(SELECT max(id) FROM {table}))"))
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))


def _copy_floor(url: str, bills: int, lines: int) -> float:
    """Seconds to COPY ``bills`` bill-shaped and ``lines`` line-shaped rows into scratch tables."""
    import psycopg2
    conn = psycopg2.connect(url.replace("postgresql+psycopg2://", "postgresql://"))
    try:
        cur = conn.cursor()
        cur.execute("CREATE TEMP TABLE scratch_bills (LIKE bills INCLUDING DEFAULTS)")
        cur.execute("CREATE TEMP TABLE scratch_lines (LIKE bill_lines INCLUDING DEFAULTS)")
        bill_buf = io.StringIO("".join(
            f"{i}\t2026-10-{i:010d}\t1\t{PERIOD}\t100.00\t5380\t2026-11-23\t2026-12-23\t1\n" for i in range(bills)))
        line_buf = io.StringIO("".join(
            f"{i}\t{i}\t1\tenergy\t电费\t100.000000\t0.5380\t5380\n" for i in range(lines)))
        start = time.perf_counter()
        cur.copy_expert("COPY scratch_bills (id, bill_no, customer_id, period, kwh, amount_fen, issued_on, due_on, "
                        "tariff_version_id) FROM STDIN", bill_buf)
        cur.copy_expert("COPY scratch_lines (id, bill_id, line_no, kind, description, quantity, unit_price, "
                        "amount_fen) FROM STDIN", line_buf)
        conn.commit()
        return time.perf_counter() - start
    finally:
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=2000)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()

    from sqlalchemy import create_engine, func, select, text
    from sqlalchemy.orm import Session
    from sqlalchemy.pool import NullPool

    from server.clock import FixedClock
    from server.context import Actor, CallContext
    from server.db.embedded import EmbeddedPostgres
    from server.demo_data import load_demo_data
    from server.migrate import upgrade
    from server.models.billruns import BillDraft, BillRun
    from server.models.users import User
    from server.security import PiiCipher
    from server.services import billruns
    from server.settings import Settings
    from shared_models.methods.billruns import CalculateRunRequest, RunRef, RunState
    from shared_models.roles import Role
    from shared_models.rules.hall_time import HALL_TZ

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="gridcounter-bench-billrun-"))
    pg = EmbeddedPostgres(data_dir=data_dir)
    try:
        url = pg.start()
        upgrade(url)
        pii = PiiCipher(bytes(range(32)))
        load_demo_data(url=url, customers=20, pii=pii, months=1, today=TODAY)
        engine = create_engine(url, poolclass=NullPool)
        t0 = time.perf_counter()
        _populate(engine, args.customers)
        print(f"setup: {args.customers} customers with readings in {time.perf_counter() - t0:.1f} s", flush=True)
        now = dt.datetime(2026, 11, 23, 10, 0, tzinfo=HALL_TZ)
        with Session(engine) as s:
            clerk = s.execute(select(User).where(User.role == Role.BILLING_CLERK)).scalars().first()
            assert clerk is not None
            actor = Actor(user_id=clerk.id, username=clerk.username, role=clerk.role, counter_id=0,
                          counter_code="", session_id=0)

        def ctx(session: Session, method: str) -> CallContext:
            return CallContext(session=session, clock=FixedClock(now), settings=Settings(), pii=pii, now=now,
                               method=method, actor=actor)

        t0, cpu0 = time.perf_counter(), time.process_time()
        state = RunState.CALCULATING
        while state is RunState.CALCULATING:
            with Session(engine) as s, s.begin():
                summary = billruns.calculate_run(ctx=ctx(s, "billrun.calculate_run"), req=CalculateRunRequest(
                    book_code="BENCH", period=PERIOD, chunk_size=args.chunk))
                state = summary.state
        calculate_s, calculate_cpu = time.perf_counter() - t0, time.process_time() - cpu0
        with Session(engine) as s:
            priced = s.execute(select(func.count()).select_from(BillDraft).join(BillRun, BillRun.id == BillDraft.run_id)
                               .where(BillDraft.priced, BillRun.book_code == "BENCH",
                                      BillRun.period == PERIOD)).scalar_one()
        print(f"calculate: {summary.drafts} drafts ({priced} priced) in {calculate_s:.1f} s "
              f"({calculate_cpu:.1f} s of it this process's CPU)", flush=True)
        t0 = time.perf_counter()
        with Session(engine) as s, s.begin():
            result = billruns.release_run(ctx=ctx(s, "billrun.release_run"),
                                          req=RunRef(book_code="BENCH", period=PERIOD))
        release_s = time.perf_counter() - t0
        with Session(engine) as s:
            lines = s.execute(text(
                "SELECT count(*) FROM bill_lines l JOIN bills b ON b.id = l.bill_id JOIN bill_runs r "
                "ON r.id = b.bill_run_id WHERE r.book_code = 'BENCH'")).scalar_one()
        print(f"release: {result.bills_released} bills in {release_s:.1f} s", flush=True)
        copy_s = _copy_floor(url, result.bills_released, int(lines))
        ratio = (calculate_s + release_s) / copy_s if copy_s else float("inf")
        print(f"RESULT billrun_customers={args.customers} calculate_s={calculate_s:.1f} release_s={release_s:.1f} "
              f"copy_s={copy_s:.2f} ratio_to_copy={ratio:.1f}")
        engine.dispose()
        return 0
    finally:
        pg.stop()
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
