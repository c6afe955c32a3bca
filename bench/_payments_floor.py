"""The payment's floor for ``bench/payments.py``: the server's SQL of one payment, replayed by pgbench.

The SQL statements the server runs for one ``payment.pay_bills``, replayed by ``pgbench -M prepared`` with
a custom script on a clone of the same template, 16 clients: the cost of the database work alone, which
no server can beat.

One transaction of the script is one payment as the server makes it (``server/rpc/dispatch.py`` and
``server/services/payments.py``): BEGIN; the session check, key claim and chain-head advance
(dispatch); the customer and shift lock with the receipt-window figures (payments); the open bills
with their ledger entries (``server/services/bills.py``); the write of payment, tender, allocation and
ledger entries (payments); the audit record, chain head and stored response (``server/services/audit.py``);
COMMIT. Every statement is the server's text, with pgbench variables for its parameters, prepared
once per connection as the server prepares them (``server/db/prepared.py``). Two parameters the server
sends as SQL NULL are the literal NULL here (pgbench has no null parameter; PostgreSQL plans both alike).

Each client is one bench counter (``B0000``…) with its own session, open shift and audit chain, and
pays 1 yuan cash to one of its own customers, chosen at random: the customers its counter pays in the
throughput phase. The values the server computes in Python (receipt number, idempotency key, the
allocation, the audit record's JSON) come from one small extra query per transaction on two bench
tables (``bench_floor_clients``, ``bench_floor_slots``, a primary-key read): that query makes the floor
slightly higher than the statements alone, never lower.

``check_statements`` compares the script's statements with the ones the server really issued for one
payment (captured with ``log_statement = all`` in the same run): if the server's payment path changes,
the run says so instead of measuring a stale floor.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

FLOOR = "bench_floor"
CLIENTS = 16

# ------------------------------------------------------------------------------------------------ the statements
# The server's statements, parameters as pgbench variables (``:name``). Variables set once per client come
# from bench_floor_clients, per transaction from bench_floor_slots and the statements' own results.

_AUTHENTICATE_AND_CLAIM = """
    WITH s AS (
    SELECT s.id AS session_id, s.last_seen_at, s.ended_at, u.id AS user_id, u.username, u.role, u.active,
           k.id AS counter_id, k.code AS counter_code
    FROM user_sessions s JOIN users u ON u.id = s.user_id JOIN counters k ON k.id = s.counter_id
    WHERE s.token_hash = :token_hash
),
    ok AS (SELECT * FROM s WHERE ended_at IS NULL AND active AND counter_code = :counter
                            AND last_seen_at >= :idle_since),
    touch AS (
        UPDATE user_sessions SET last_seen_at = :now
        WHERE id = (SELECT session_id FROM ok) AND :touch AND last_seen_at < :touch_before
    ),
    claim AS (
        INSERT INTO idempotency_records (key, user_id, method, request_hash, created_at)
        SELECT CAST(:key AS uuid), user_id, :method, :request_hash, :now FROM ok
        ON CONFLICT DO NOTHING RETURNING key
    ),
    head AS (
        UPDATE audit_chain_heads SET seq = seq + 1
        WHERE chain = :counter AND EXISTS (SELECT 1 FROM claim)
        RETURNING seq, hash
    )
    SELECT s.*, EXISTS (SELECT 1 FROM claim) AS claimed, (SELECT seq FROM head) AS head_seq,
           (SELECT hash FROM head) AS head_hash
    FROM s
"""

_LOCK_CUSTOMER = """
    WITH s AS (
        SELECT sh.id, sh.shift_no FROM shifts sh
        WHERE sh.user_id = :user_id AND sh.counter_id = :counter_id
          AND NOT EXISTS (SELECT 1 FROM shift_closings sc WHERE sc.shift_id = sh.id)
        ORDER BY sh.id DESC LIMIT 1
        FOR NO KEY UPDATE
    )
    SELECT c.id, c.customer_no, c.name, c.address, c.status,
           EXISTS (SELECT 1 FROM payments p WHERE p.receipt_no = :receipt_no) AS taken,
           (SELECT max(p.receipt_no) FROM payments p
             WHERE p.receipt_no BETWEEN CAST(:seq_lo AS varchar) AND CAST(:seq_hi AS varchar)
               AND left(p.receipt_no, CAST(:seq_n AS int)) = CAST(:seq_prefix AS varchar)) AS highest_receipt,
           (SELECT count(*) FROM damaged_outbox_acks d
             WHERE d.counter_id = :counter_id AND d.acknowledged_at >= CAST(:day_start AS timestamptz)
               AND d.acknowledged_at < CAST(:day_end AS timestamptz)) AS damage_acks,
           (SELECT h.name FROM counters k JOIN org_units h ON h.id = k.hall_id WHERE k.id = :counter_id) AS hall_name,
           (SELECT u.display_name FROM users u WHERE u.id = :user_id) AS cashier_name,
           (SELECT s.id FROM s) AS shift_id, (SELECT s.shift_no FROM s) AS shift_no
    FROM customers c WHERE c.customer_no = :customer_no
    FOR NO KEY UPDATE OF c
"""

# :before is NULL for a payment (the books as they are now).
_OPEN_BILLS = """
    WITH per_bill AS (
        SELECT e.bill_id, sum(e.amount_fen) AS total
        FROM ledger_entries e
        WHERE e.customer_id = :id AND (CAST(NULL AS bigint) IS NULL OR e.id < NULL)
        GROUP BY e.bill_id
    )
    SELECT (SELECT coalesce(sum(total), 0) FROM per_bill) AS balance_fen,
           o.id, o.bill_no, o.period, o.kwh, o.amount_fen, o.issued_on, o.due_on,
           o.late_fee_daily_permille, o.late_fee_cross_year_permille, o.late_fee_cross_year_rule,
           o.late_fee_minimum_fen, o.kind, o.entry_fen, o.posted_at, o.reversed_kind
    FROM (SELECT 1) AS one
    LEFT JOIN (
        SELECT b.id, b.bill_no, b.period, b.kwh, b.amount_fen, b.issued_on, b.due_on,
               tv.late_fee_daily_permille, tv.late_fee_cross_year_permille, tv.late_fee_cross_year_rule,
               tv.late_fee_minimum_fen, e.id AS entry_id, e.kind, e.amount_fen AS entry_fen, e.posted_at,
               r.kind AS reversed_kind
        FROM per_bill pb
        JOIN bills b ON b.id = pb.bill_id
        JOIN tariff_versions tv ON tv.id = b.tariff_version_id
        JOIN ledger_entries e ON e.bill_id = b.id AND (CAST(NULL AS bigint) IS NULL OR e.id < NULL)
        LEFT JOIN ledger_entries r ON r.id = e.reverses_id
        WHERE pb.total < 0
    ) AS o ON true
    ORDER BY o.due_on, o.period, o.id, o.entry_id
"""

# late_fee_as_of_rule is NULL for a payment taken online.
_WRITE = """
    WITH p AS (
        INSERT INTO payments (receipt_no, customer_id, shift_id, user_id, counter_id, paid_at, local_time,
                              amount_fen, due_fen, tendered_fen, change_fen, prepayment_before_fen,
                              prepayment_after_fen, to_prepayment_fen, redirected_to_prepayment_fen,
                              accepted_offline, idempotency_key, late_fee_as_of, late_fee_as_of_rule)
        SELECT CAST(:receipt_no AS varchar), CAST(:id AS bigint), CAST(:shift_id AS bigint),
               CAST(:user_id AS bigint), CAST(:counter_id AS bigint), CAST(:now AS timestamptz),
               CAST(:now AS timestamptz), CAST(:amount_fen AS bigint), CAST(:due_fen AS bigint),
               CAST(:amount_fen AS bigint), CAST(:zero AS bigint), CAST(:zero AS bigint),
               CAST(:zero AS bigint), CAST(:zero AS bigint),
               CAST(:zero AS bigint), CAST(:offline AS boolean), CAST(:key AS varchar),
               CAST(:day AS date), CAST(NULL AS varchar)
        WHERE NOT EXISTS (SELECT 1 FROM shift_closings sc WHERE sc.shift_id = CAST(:shift_id AS bigint))
        RETURNING id
    ), t AS (
        INSERT INTO payment_tenders (payment_id, method, amount_fen, cash_handed_fen, reference)
        SELECT p.id, x.method, x.amount_fen, x.cash_handed_fen, x.reference
        FROM p, jsonb_to_recordset(CAST(:tenders AS jsonb))
             AS x(method text, amount_fen bigint, cash_handed_fen bigint, reference text)
    ), a AS (
        INSERT INTO payment_allocations (payment_id, bill_id, late_fee_fen, late_days, principal_fen)
        SELECT p.id, x.bill_id, x.late_fee_fen, x.late_days, x.principal_fen
        FROM p, jsonb_to_recordset(CAST(:allocations AS jsonb))
             AS x(bill_id bigint, late_fee_fen bigint, late_days int, principal_fen bigint)
    ), l AS (
        INSERT INTO ledger_entries (customer_id, kind, amount_fen, bill_id, posted_at, posted_by, reference,
                                    payment_id)
        SELECT CAST(:id AS bigint), x.kind, x.amount_fen, x.bill_id, CAST(:now AS timestamptz),
               CAST(:user_id AS bigint), CAST(:receipt_no AS varchar), p.id
        FROM p, jsonb_to_recordset(CAST(:entries AS jsonb)) AS x(n int, kind text, amount_fen bigint, bill_id bigint)
        ORDER BY x.n
    )
    SELECT id FROM p
"""

_AUDIT = (
    "WITH a AS (INSERT INTO audit_log (chain, seq, at, user_id, username, cosigner_id, cosigner, counter_code, "
    "method, target, before, after, idempotency_key, refusal, prev_hash, hash) VALUES (:counter, :head_seq, :now, "
    ":user_id, :username, NULL, NULL, :counter, :method, :target, CAST(:before AS jsonb), CAST(:after AS jsonb), "
    ":key, NULL, :head_hash, :new_hash)), h AS (UPDATE audit_chain_heads SET seq = :head_seq, hash = :new_hash "
    "WHERE chain = :counter), r AS (UPDATE idempotency_records SET response = CAST(:response AS jsonb) "
    "WHERE key = :key) SELECT 1"
)

#: The server's statements of one payment, in order, between BEGIN and COMMIT.
STATEMENTS: tuple[str, ...] = (_AUTHENTICATE_AND_CLAIM, _LOCK_CUSTOMER, _OPEN_BILLS, _WRITE, _AUDIT)

# What the server computes in Python per payment, read per transaction (one primary-key read).
_PER_PAYMENT = """
    SELECT CAST(:seq_prefix AS text) || lpad(CAST(:seq AS text), 5, '0') AS receipt_no,
           'receipt:' || CAST(:seq_prefix AS text) || lpad(CAST(:seq AS text), 5, '0') AS target,
           CAST(gen_random_uuid() AS text) AS key, CAST(now() AS text) AS now,
           f.customer_no, f.due_fen, f.tenders, f.allocations, f.entries, f.after, f.response
    FROM bench_floor_slots f WHERE f.client_id = :client_id AND f.k = :k
"""

_PER_CLIENT = """
    SELECT counter, counter_id, user_id, username, token_hash, request_hash, new_hash, seq_prefix, seq_lo,
           seq_hi, seq_n, day, day_start, day_end, idle_since, touch_before
    FROM bench_floor_clients WHERE client_id = :client_id
"""


def script() -> str:
    """The pgbench script: one payment per transaction."""
    return "\n".join([
        "\\if :seq = 0",  # a client's first transaction (-D seq=0): its counter, session and shift
        _PER_CLIENT.strip() + " \\gset",
        "\\endif",
        "\\set seq :seq + 1",
        "\\set k random(0, :per_client - 1)",
        _PER_PAYMENT.strip() + " \\gset",
        "BEGIN;",
        _AUTHENTICATE_AND_CLAIM.strip() + " \\gset",
        _LOCK_CUSTOMER.strip() + " \\gset",
        _OPEN_BILLS.strip() + ";",
        _WRITE.strip() + ";",
        _AUDIT + ";",
        "COMMIT;",
        "",
    ])


# ------------------------------------------------------------------------------------------------ set-up


def prepare_floor(*, admin_url: str, url: str, template: str, day: dt.date,
                  customers: dict[str, list[str]]) -> int:
    """Clone ``template`` into the floor database and give the first ``CLIENTS`` counters of ``customers``
    (code -> their customers) a session, an open shift, a chain head and their payment slots, as the
    bench run has them after its set-up over RPC. Returns the slots per client."""
    from server.db.databases import drop_database
    from server.migrate import upgrade
    from server.security import token_hash
    from shared_models.rules.shift_numbers import make_shift_no

    drop_database(admin_url=admin_url, name=FLOOR)
    admin = create_engine(admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"CREATE DATABASE {FLOOR} TEMPLATE {template} STRATEGY FILE_COPY"))
    admin.dispose()
    upgrade(url)
    codes = list(customers)[:CLIENTS]
    per_client = min(len(customers[code]) for code in codes)
    start, end = _hall_day_bounds(day)
    now = dt.datetime.now(dt.UTC)
    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as c:
        c.execute(text(
            "CREATE TABLE bench_floor_clients (client_id int PRIMARY KEY, counter text, counter_id bigint,"
            " user_id bigint, username text, token_hash bytea, request_hash bytea, new_hash bytea, seq_prefix text,"
            " seq_lo text, seq_hi text, seq_n int, day date, day_start timestamptz, day_end timestamptz,"
            " idle_since timestamptz, touch_before timestamptz)"))
        c.execute(text(
            "CREATE TABLE bench_floor_slots (client_id int, k int, customer_no text, due_fen bigint, tenders text,"
            " allocations text, entries text, after text, response text, PRIMARY KEY (client_id, k))"))
        for client_id, code in enumerate(codes):
            ids = c.execute(text(
                "SELECT k.id AS counter_id, k.hall_id, u.id AS user_id, u.username FROM counters k, users u"
                " WHERE k.code = :code AND u.username = :user"),
                {"code": code, "user": "bench" + code[1:]}).one()
            prefix = f"{code}-{day:%Y%m%d}-"
            c.execute(text(
                "INSERT INTO user_sessions (token_hash, user_id, counter_id, created_at, last_seen_at)"
                " VALUES (:h, :u, :k, :now, :now)"),
                {"h": token_hash(f"floor-{code}"), "u": ids.user_id, "k": ids.counter_id, "now": now})
            c.execute(text(
                "INSERT INTO shifts (shift_no, user_id, counter_id, hall_id, business_date, opened_at, float_fen)"
                " VALUES (:no, :u, :k, :h, :day, :now, 50000)"),
                {"no": make_shift_no(code, day, 1), "u": ids.user_id, "k": ids.counter_id, "h": ids.hall_id,
                 "day": day, "now": now})
            c.execute(text("INSERT INTO audit_chain_heads (chain, seq, hash) VALUES (:c, 0, :h)"
                           " ON CONFLICT DO NOTHING"), {"c": code, "h": bytes(32)})
            c.execute(text(
                "INSERT INTO bench_floor_clients VALUES (:i, :code, :k, :u, :user, :th, :rh, :nh, :prefix, :lo, :hi,"
                " :n, :day, :start, :end, :idle, :touch)"),
                {"i": client_id, "code": code, "k": ids.counter_id, "u": ids.user_id, "user": ids.username,
                 "th": token_hash(f"floor-{code}"), "rh": hashlib.sha256(code.encode()).digest(),
                 "nh": hashlib.sha256(prefix.encode()).digest(), "prefix": prefix, "lo": f"{prefix}00000",
                 "hi": f"{prefix}99999", "n": len(prefix), "day": day, "start": start, "end": end,
                 "idle": now - dt.timedelta(days=1), "touch": now - dt.timedelta(days=1)})
            for k, customer_no in enumerate(customers[code][:per_client]):
                c.execute(text("INSERT INTO bench_floor_slots VALUES (:i, :k, :no, :due, :t, :a, :e, :after, :resp)"),
                          {"i": client_id, "k": k, "no": customer_no, **_slot_json(c, customer_no, code, day)})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("VACUUM (ANALYZE)"))
    engine.dispose()
    return per_client


def _slot_json(c: object, customer_no: str, code: str, day: dt.date) -> dict[str, object]:
    """The JSON the server builds for a 1-yuan payment to ``customer_no``'s oldest open bill: the same rows
    as the server writes (a late-fee entry too when that bill is past due), amounts as the allocation
    would make them of 100 fen."""
    from sqlalchemy.engine import Connection

    assert isinstance(c, Connection)
    bill = c.execute(text(
        "SELECT b.id, b.bill_no, b.due_on, -sum(e.amount_fen) AS open_fen FROM bills b"
        " JOIN customers cu ON cu.id = b.customer_id JOIN ledger_entries e ON e.bill_id = b.id"
        " WHERE cu.customer_no = :no GROUP BY b.id HAVING sum(e.amount_fen) < 0 ORDER BY b.due_on, b.period, b.id"
        " LIMIT 1"), {"no": customer_no}).one()
    late = bill.due_on < day
    fee = 1 if late else 0
    allocations = [{"bill_id": bill.id, "late_fee_fen": fee, "late_days": (day - bill.due_on).days if late else 0,
                    "principal_fen": 100 - fee}]
    entries = ([{"kind": "late_fee", "amount_fen": -fee, "bill_id": bill.id}] if late else []) + [
        {"kind": "payment", "amount_fen": 100, "bill_id": bill.id}]
    tenders = [{"method": "cash", "amount_fen": 100, "cash_handed_fen": 100, "reference": ""}]
    after = {"customer_no": customer_no, "shift_no": f"{code}-{day:%Y%m%d}-01", "amount_fen": 100,
             "due_fen": int(bill.open_fen), "change_fen": 0, "to_prepayment_fen": 0, "redirected_fen": 0,
             "accepted_offline": False, "late_fee_as_of": day.isoformat(), "late_fee_as_of_rule": None,
             "tenders": {"cash": 100}, "bills": {bill.bill_no: [fee, 100 - fee]}}
    response = {"receipt_no": f"{code}-{day:%Y%m%d}-00001", "hall_name": "营业厅", "counter_code": code,
                "cashier_name": "压测", "shift_no": f"{code}-{day:%Y%m%d}-01", "paid_at": f"{day}T00:00:00Z",
                "local_time": f"{day}T00:00:00Z", "customer_no": customer_no, "customer_name": "压测客户",
                "address": "浙江省杭州市西湖区文三路1号1幢1单元101室",
                "bills": [{"bill_no": bill.bill_no, "period": 0, "kwh": "0", "principal_fen": int(bill.open_fen),
                           "late_fee_fen": fee, "paid_fen": 100}],
                "due_fen": int(bill.open_fen), "paid_fen": 100, "tendered_fen": 100, "change_fen": 0,
                "prepayment_before_fen": 0, "prepayment_after_fen": 0,
                "tenders": [{"method": "cash", "amount_fen": 100, "reference": ""}], "accepted_offline": False,
                "redirected_to_prepayment_fen": 0, "reprint_count": 0, "voided": False}
    return {"due": int(bill.open_fen), "t": json.dumps(tenders), "a": json.dumps(allocations),
            "e": json.dumps([dict(e, n=n) for n, e in enumerate(entries)]), "after": json.dumps(after),
            "resp": json.dumps(response, ensure_ascii=False, separators=(",", ":"))}


def _hall_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    from shared_models.rules.hall_time import HALL_TZ

    start = dt.datetime.combine(day, dt.time(), HALL_TZ)
    return start, start + dt.timedelta(days=1)


# ------------------------------------------------------------------------------------------------ the run


@dataclass(frozen=True)
class FloorResult:
    """What the pgbench run of the payment script measured."""

    tps: float
    transactions: int
    failed: int
    payments_written: int
    postgres_cpu_s: float = 0.0
    pgbench_cpu_s: float = 0.0

    def cpu_ms(self) -> tuple[float, float]:
        """CPU milliseconds per payment of PostgreSQL and of pgbench."""
        n = max(self.transactions, 1)
        return 1000 * self.postgres_cpu_s / n, 1000 * self.pgbench_cpu_s / n


def run_floor(*, pgbench: Path, env: dict[str, str], url: str, data: Path, seconds: float, per_client: int,
              threads: int = 2) -> FloorResult:
    """pgbench -M prepared, ``CLIENTS`` clients, the payment script for ``seconds``; tps without connection time.

    Checks afterwards that every transaction wrote its payment (a statement that silently writes nothing
    would make a floor too low)."""
    script_file = data / "payment_floor.sql"
    script_file.write_text(script(), encoding="utf-8")
    out = subprocess.run(
        [str(pgbench), "-n", "-M", "prepared", "-c", str(CLIENTS), "-j", str(threads), "-T", str(int(seconds)),
         "-f", str(script_file), "-D", "seq=0", "-D", f"per_client={per_client}", "-D", "method=payment.pay_bills",
         "-D", "touch=false", "-D", "amount_fen=100", "-D", "zero=0", "-D", "offline=false", "-D", "before={}",
         FLOOR],
        env=env, check=False, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"pgbench with the payment script failed:\n{out.stdout}\n{out.stderr[-3000:]}")
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out.stdout)
    done = re.search(r"number of transactions actually processed: (\d+)", out.stdout)
    failed = re.search(r"number of failed transactions: (\d+)", out.stdout)
    if tps is None or done is None:
        raise SystemExit(f"cannot read pgbench's output:\n{out.stdout}")
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as c:
        written = int(c.execute(text("SELECT count(*) FROM payments p JOIN bench_floor_clients f"
                                     " ON p.counter_id = f.counter_id")).scalar_one())
    engine.dispose()
    result = FloorResult(tps=float(tps.group(1)), transactions=int(done.group(1)),
                         failed=int(failed.group(1)) if failed else 0, payments_written=written)
    if result.payments_written != result.transactions:
        raise SystemExit(f"the payment script ran {result.transactions} transactions but wrote "
                         f"{result.payments_written} payments: the floor would be wrong")
    return result


# ------------------------------------------------------------------------------------------------ same statements?

_LOG_ENTRY = re.compile(r"^\S+ \S+ \S+ \[(\d+)\] +(?:\S+ +)?(LOG|DETAIL|ERROR|STATEMENT):  (.*)$")


def _log_entries(lines: list[str]) -> Iterator[tuple[int, str, str]]:
    """(pid, kind, text) of each log entry; continuation lines (tab-indented) joined to their entry."""
    current: list[object] | None = None
    for line in lines:
        match = _LOG_ENTRY.match(line)
        if match:
            if current is not None:
                yield int(str(current[0])), str(current[1]), str(current[2])
            current = [match.group(1), match.group(2), match.group(3)]
        elif current is not None:
            current[2] = f"{current[2]}\n{line}"
    if current is not None:
        yield int(str(current[0])), str(current[1]), str(current[2])


def captured_statements(log_lines: list[str], receipt_no: str) -> list[str]:
    """The statements (prepared bodies) one server transaction ran for the payment ``receipt_no``, from a
    postgres log written with ``log_statement = all``; BEGIN and COMMIT left out."""
    entries = list(_log_entries(log_lines))
    anchor = next((i for i, (_, kind, body) in enumerate(entries)
                   if kind == "LOG" and body.startswith("statement: EXECUTE") and f"'{receipt_no}'" in body
                   and "receipt:" not in body), None)
    if anchor is None:
        return []
    pid = entries[anchor][0]
    mine = [(i, kind, body) for i, (p, kind, body) in enumerate(entries) if p == pid]
    pos = next(n for n, (i, _, _) in enumerate(mine) if i == anchor)
    begin = max(n for n, (_, kind, body) in enumerate(mine[:pos]) if body.strip() == "statement: BEGIN")
    statements: list[str] = []
    for n in range(begin + 1, len(mine)):
        _, kind, body = mine[n]
        if kind == "LOG" and body.strip() == "statement: COMMIT":
            break
        # An EXECUTE is followed by its prepared body; a statement's first use on a connection sends its
        # PREPARE first, whose body comes again with the EXECUTE.
        if kind == "DETAIL" and body.startswith("prepare: PREPARE"):
            statements.append(re.sub(r"^prepare: PREPARE \w+ AS", "", body))
        elif kind == "LOG" and body.startswith("statement:") and not re.match(r"statement: (EXECUTE|PREPARE) ", body):
            statements.append(body.removeprefix("statement:"))
    return statements


def normalized(sql: str) -> str:
    """A statement's shape: parameters (``$n``, ``:name``) and NULL as ``?``, whitespace collapsed."""
    shape = re.sub(r"\$\d+|(?<![:\w]):[A-Za-z_]\w*|\bNULL\b", "?", sql)
    return " ".join(shape.split())


def check_statements(log_lines: list[str], receipt_no: str) -> tuple[bool, str]:
    """Whether the script's statements are the ones the server ran for ``receipt_no``; and a note."""
    server = [normalized(s) for s in captured_statements(log_lines, receipt_no)]
    floor = [normalized(s) for s in STATEMENTS]
    if server == floor:
        return True, f"the floor script runs the server's {len(floor)} statements of a payment, in order"
    lines = [f"MISMATCH: the server ran {len(server)} statements for {receipt_no}, the floor script has {len(floor)}"]
    for n in range(max(len(server), len(floor))):
        a = server[n] if n < len(server) else "(none)"
        b = floor[n] if n < len(floor) else "(none)"
        if a != b:
            lines.append(f"  statement {n + 1}:\n    server: {a[:400]}\n    floor:  {b[:400]}")
    return False, "\n".join(lines)


def main() -> int:
    """Print the pgbench script (to run it by hand)."""
    sys.stdout.write(script())
    return 0


if __name__ == "__main__":
    sys.exit(main())
