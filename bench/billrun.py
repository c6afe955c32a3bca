"""Bill run benchmark: one bill run over N customers (default 1 000 000), calculated and released through the
bulk path (``server.billing.bulk`` via ``server.services.billruns``), against the floor of a COPY of the same
number of bill and bill-line rows into a scratch table.

It starts an embedded PostgreSQL in ``--data-dir`` (default a fresh temporary folder), migrates it, loads a small
demo (tariffs, users, books) and then clones one flat-tariff residential customer N times into book ``BENCH``
with SQL (``generate_series``), each with a meter and two per-register readings (periods ``--period`` − 1 and
``--period``). The calculation runs in chunks of ``--chunk`` customers, one transaction each, as the client's
progress loop calls ``billrun.calculate_run``; the release is one transaction. The services are called with a
``CallContext`` of the demo billing clerk (the dispatcher's sign-in and audit flush are one statement per call,
not per customer, and are left out).

Last line: ``RESULT billrun_customers=… calculate_s=… release_s=… copy_s=… ratio_to_copy=…``.

Usage: python bench/billrun.py [--customers 1000000] [--chunk 2000] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PERIOD = 202610
TODAY = dt.date(2026, 11, 23)


def _clone(conn: object, customers: int) -> None:
    """N customers in book BENCH, copies of one flat-tariff residential customer, each with a meter (total
    register) and the readings of the period before and of the period."""
    from sqlalchemy import text
    c = conn  # a SQLAlchemy Connection
    template = c.execute(text(  # type: ignore[attr-defined]
        "SELECT cu.id FROM customers cu JOIN tariffs t ON t.id = cu.tariff_id "
        "JOIN tariff_versions v ON v.tariff_id = t.id AND v.effective_to IS NULL "
        "WHERE cu.status <> 'closed' AND v.kind = 'flat' AND cu.category = 'residential' "
        "ORDER BY cu.id LIMIT 1")).scalar_one()
    book = c.execute(text("SELECT * FROM reading_books LIMIT 1")).mappings().one()  # type: ignore[attr-defined]
    c.execute(text(  # type: ignore[attr-defined]
        "INSERT INTO reading_books (code, name, hall_id, reader_id, reading_day, window_days) "
        "VALUES ('BENCH', 'bench', :hall, :reader, 25, 3)"), {"hall": book["hall_id"], "reader": book["reader_id"]})

    def columns(table: str) -> list[str]:
        return [r[0] for r in c.execute(text(  # type: ignore[attr-defined]
            "SELECT column_name FROM information_schema.columns WHERE table_name = :t AND table_schema = 'public' "
            "AND column_name <> 'id' ORDER BY ordinal_position"), {"t": table})]

    overrides = {"customer_no": "(9900000000 + g)::text", "book_code": "'BENCH'", "book_seq": "g"}
    cols = columns("customers")
    c.execute(text(  # type: ignore[attr-defined]
        f"INSERT INTO customers ({', '.join(cols)}) SELECT {', '.join(overrides.get(x, 'cu.' + x) for x in cols)} "  # noqa: S608 - names from information_schema
        f"FROM customers cu, generate_series(1, :n) AS g WHERE cu.id = :tid"), {"n": customers, "tid": template})
    mcols = columns("meters")
    moverrides = {"asset_no": "lpad(cu.customer_no, 22, '0')", "customer_id": "cu.id", "multiplier": "1",
                  "registers": "'{total}'::text[]", "removed_on": "NULL", "installed_on": "DATE '2020-01-01'"}
    tm = c.execute(  # type: ignore[attr-defined]
        text("SELECT id FROM meters WHERE customer_id = :t ORDER BY id LIMIT 1"), {"t": template}).scalar_one()
    c.execute(text(  # type: ignore[attr-defined]
        f"INSERT INTO meters ({', '.join(mcols)}) SELECT {', '.join(moverrides.get(x, 'm.' + x) for x in mcols)} "  # noqa: S608 - names from information_schema
        f"FROM customers cu, meters m WHERE cu.book_code = 'BENCH' AND m.id = :tm"), {"tm": tm})
    c.execute(text(  # type: ignore[attr-defined]
        "INSERT INTO readings (meter_id, period, read_on, status, source, total) "
        "SELECT m.id, p.period, p.read_on, 'actual', 'import', p.base + (m.id % 97) * p.step "
        "FROM meters m JOIN customers cu ON cu.id = m.customer_id AND cu.book_code = 'BENCH', "
        "(VALUES (:p0, DATE '2026-09-25', 1000, 0), (:p1, DATE '2026-10-25', 1100, 2)) "
        "AS p(period, read_on, base, step)"),
        {"p0": PERIOD - 1, "p1": PERIOD})
    c.execute(text("ANALYZE"))  # type: ignore[attr-defined]


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
    from server.models.billruns import BillDraft
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
        with engine.begin() as conn:
            _clone(conn, args.customers)
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

        t0 = time.perf_counter()
        state = RunState.CALCULATING
        while state is RunState.CALCULATING:
            with Session(engine) as s, s.begin():
                summary = billruns.calculate_run(ctx=ctx(s, "billrun.calculate_run"), req=CalculateRunRequest(
                    book_code="BENCH", period=PERIOD, chunk_size=args.chunk))
                state = summary.state
        calculate_s = time.perf_counter() - t0
        with Session(engine) as s:
            priced = s.execute(select(func.count()).select_from(BillDraft).where(BillDraft.priced)).scalar_one()
        print(f"calculate: {summary.drafts} drafts ({priced} priced) in {calculate_s:.1f} s", flush=True)
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
