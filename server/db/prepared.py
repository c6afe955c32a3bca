"""The hot path's SQL: every statement a payment, the dispatcher's claim and a replay batch run, prepared.

The statements are at the end of this module, in one place, so that a newcomer finds the SQL of a
payment here and a test (``tests/server/test_prepared.py``) can check each of them against the tables
(``server/models``). Everything off the hot path is written as SQLAlchemy expressions on the ORM tables,
next to the rule that uses it. The modules that own each step run these statements:
``server.services.auth`` (the session), ``server.idempotency`` (the claim), ``server.audit_chain`` (the
chain head and the records), ``server.services.bills`` (the open bills) and ``server.services.payments``
(the customer's lock and the payment's writes).

Server-side prepared statements, on psycopg2 (which has none of its own):

PostgreSQL parses and plans every statement psycopg2 sends. For the statements every payment runs,
planning costs as much CPU as executing (pg_stat_statements, docs/benchmarks.md): a CTE that claims
an idempotency key plans in ~0.5 ms and runs in ~0.2 ms. A statement marked with ``prepared()`` is
sent once per connection as ``PREPARE`` and from then on as ``EXECUTE name(…)`` with the same
parameters, so PostgreSQL plans it at most a few times per connection (a generic plan after five).

Opt-in, because PostgreSQL must infer every parameter's type from the statement alone (psycopg2
otherwise sends typed literals): a parameter whose type the context does not fix needs a ``CAST``.
Where PostgreSQL cannot guess at all (``:x IS NULL``) the first use fails; a bare parameter as an
output column (``SELECT :x``) silently becomes text. Columns, comparisons, ``INSERT … VALUES`` and
``INSERT … SELECT`` targets fix the type.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import hashlib
import re
from collections.abc import Mapping
from typing import Any, Final, TypeVar

from sqlalchemy import Connection, Engine, Executable, TextClause, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

_OPTION: Final = "gridcounter_prepared"
E = TypeVar("E", bound=Executable)
_PARAM: Final = re.compile(r"%%|%\((\w+)\)s")


def prepared(statement: E) -> E:
    """Mark a statement (``text()``, or a Core/ORM statement built once at import) to be executed as a
    server-side prepared statement."""
    return statement.execution_options(**{_OPTION: True})


def _split(sql: str) -> tuple[str, list[str]]:
    """The statement with ``$n`` parameters for PREPARE (no psycopg2 interpolation: ``%%`` is ``%``), and
    the parameter names in ``$n`` order."""
    positions: dict[str, int] = {}  # name -> $n (a dict: an audit batch of thousands of records stays linear)

    def number(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return "%"
        return f"${positions.setdefault(name, len(positions) + 1)}"

    return _PARAM.sub(number, sql), list(positions)


def install(engine: Engine) -> None:
    """Rewrite marked statements on ``engine`` to PREPARE once per connection and EXECUTE after."""

    @event.listens_for(engine, "before_cursor_execute", retval=True)
    def _rewrite(  # noqa: PLR0917 - SQLAlchemy's event signature
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool,
    ) -> tuple[str, Any]:
        if executemany or context is None or not context.execution_options.get(_OPTION):
            return statement, parameters
        name, body, names = _parsed(statement)
        _ensure_prepared(conn.connection.info, cursor, name, body)
        args = ", ".join(f"%({n})s" for n in names)
        return (f"EXECUTE {name}({args})" if names else f"EXECUTE {name}"), parameters


# --- the same, without SQLAlchemy's per-statement machinery ---------------------------------------------

_PARSED: dict[str, tuple[str, str, list[str]]] = {}
_SQL_OF: dict[int, str] = {}
_ROW_TYPES: dict[tuple[str, ...], type] = {}


def _parsed(sql: str) -> tuple[str, str, list[str]]:
    """(prepared name, ``$n`` body, parameter names) of a psycopg2-style statement, computed once."""
    found = _PARSED.get(sql)
    if found is None:
        body, names = _split(sql)
        found = _PARSED[sql] = ("gc_" + hashlib.sha256(body.encode()).hexdigest()[:20], body, names)
    return found


def _ensure_prepared(info: dict[str, Any], cursor: Any, name: str, body: str) -> None:
    """PREPARE ``name`` on this connection unless it already was (by either path; a rolled-back
    transaction keeps it: prepared statements belong to the connection)."""
    done: set[str] = info.setdefault(_OPTION, set())
    if name not in done:
        cursor.execute(f"PREPARE {name} AS {body}")
        done.add(name)


def _row_type(columns: tuple[str, ...]) -> type:
    found = _ROW_TYPES.get(columns)
    if found is None:
        found = _ROW_TYPES[columns] = collections.namedtuple("PreparedRow", columns, rename=True)
    return found


def fetch(session: Session | Connection, statement: TextClause, params: Mapping[str, Any]) -> list[Any]:
    """Run a ``prepared(text(...))`` statement straight on the DBAPI cursor, in the session's
    transaction: the PREPARE/EXECUTE of :func:`install`, without the ~0.1 ms of SQLAlchemy Python around
    each statement (the hot path runs five per payment; docs/benchmarks.md). Rows are named tuples;
    parameters go to psycopg2 as they are (no SQLAlchemy type processing: plain values and ``CAST``)."""
    conn = session.connection() if isinstance(session, Session) else session
    key = id(statement)
    sql = _SQL_OF.get(key)
    if sql is None:
        sql = _SQL_OF[key] = str(statement.compile(dialect=conn.dialect))
    name, body, names = _parsed(sql)
    fairy = conn.connection
    dbapi_error = conn.dialect.loaded_dbapi.Error
    cursor = fairy.cursor()
    try:
        _ensure_prepared(fairy.info, cursor, name, body)
        if names:
            cursor.execute(f"EXECUTE {name}({', '.join('%s' for _ in names)})", [params[n] for n in names])
        else:
            cursor.execute(f"EXECUTE {name}")
        if cursor.description is None:
            return []
        row = _row_type(tuple(d[0] for d in cursor.description))
        return [row(*r) for r in cursor.fetchall()]
    except dbapi_error as exc:
        # As SQLAlchemy's own execute would: a lost server invalidates the pooled connection, and the
        # error leaves as SQLAlchemy's class (OperationalError, IntegrityError …) around the driver's.
        invalidated = bool(conn.dialect.is_disconnect(exc, fairy.dbapi_connection, cursor))
        if invalidated:
            conn.invalidate(exc)
        raise DBAPIError.instance(sql, dict(params), exc, dbapi_error, connection_invalidated=invalidated,
                                  dialect=conn.dialect) from exc
    finally:
        with contextlib.suppress(Exception):
            cursor.close()


# --- the statements ------------------------------------------------------------------------------------
# Every parameter whose type the statement alone does not fix carries a CAST (see the module docstring).

#: The session behind a token hash, with its user and counter (the first statement of every call).
SESSION_SQL: Final = """
    SELECT s.id AS session_id, s.last_seen_at, s.ended_at, u.id AS user_id, u.username, u.role, u.active,
           k.id AS counter_id, k.code AS counter_code
    FROM user_sessions s JOIN users u ON u.id = s.user_id JOIN counters k ON k.id = s.counter_id
    WHERE s.token_hash = :token_hash
"""
#: The conditions under which ``auth.session_actor`` accepts a ``SESSION_SQL`` row, in SQL (for statements
#: that write only for a valid session; the two must say the same).
SESSION_VALID_SQL: Final = "ended_at IS NULL AND active AND counter_code = :counter AND last_seen_at >= :idle_since"
SESSION: Final = prepared(text(SESSION_SQL))
#: The activity touch of a call that keeps the session alive (at most once per ``auth.TOUCH_INTERVAL``).
TOUCH: Final = prepared(text("UPDATE user_sessions SET last_seen_at = :now WHERE id = :id"))

# The first statement of a mutating call (``idempotency.claim``): the session (for ``auth.session_actor``)
# and, only when it is valid at this counter, the activity touch, the claim of the idempotency key and,
# only when the key was claimed here, the counter's audit chain head moved on by one for the call's first
# record (so a replay writes nothing). One round trip instead of four; the head row stays locked to the
# commit, which only ever makes calls of the same counter wait for each other.
AUTHENTICATE_AND_CLAIM: Final = prepared(text(f"""
    WITH s AS ({SESSION_SQL}),
    ok AS (SELECT * FROM s WHERE {SESSION_VALID_SQL}),
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
"""))  # noqa: S608 - our own SQL fragments, no input

#: Lock a chain's head row and move it ``:n`` records on: (first new seq, previous hash).
CHAIN_ADVANCE: Final = prepared(text(
    "UPDATE audit_chain_heads SET seq = seq + :n WHERE chain = :c RETURNING seq - :n + 1 AS first_seq, hash"
))
#: The columns of an audit record, in the order ``audit_write`` binds them (``:<column><i>``).
AUDIT_COLUMNS: Final = ("chain", "seq", "at", "user_id", "username", "cosigner_id", "cosigner", "counter_code",
                        "method", "target", "before", "after", "idempotency_key", "refusal", "prev_hash", "hash")
_AUDIT_JSON_COLUMNS: Final = frozenset({"before", "after"})
#: Above this many records a call's audit goes as one array per column (``unnest``), in a statement that is the
#: same whatever the count: a handheld book accepts thousands of records in one call, and a statement with a
#: parameter per value, prepared and planned anew for each count, took seconds (20 000 records: most of a minute).
AUDIT_ROWS_AS_VALUES: Final = 64
_AUDIT_ARRAY_TYPES: Final = {"seq": "bigint", "at": "timestamptz", "user_id": "bigint", "cosigner_id": "bigint",
                             "prev_hash": "bytea", "hash": "bytea"}
_STORE_RESPONSE: Final = "UPDATE idempotency_records SET response = CAST(:response AS jsonb) WHERE key = :key"


@functools.cache
def audit_write(n: int, *, response: bool) -> TextClause:
    """One statement for the end of a call (``audit_chain.write_records``): insert ``n`` audit records, set
    the chain head (``:head_seq``, ``:head_hash`` of ``:chain``), and with ``response`` store the call's
    response on its idempotency record (``:response`` for ``:key``). Up to ``AUDIT_ROWS_AS_VALUES`` records
    bind ``:<column><i>``; more bind one list per column (``:<column>_all``)."""
    parts = []
    if n > AUDIT_ROWS_AS_VALUES:
        arrays = ", ".join(f"CAST(:{c}_all AS {_AUDIT_ARRAY_TYPES.get(c, 'text')}[])" for c in AUDIT_COLUMNS)
        values = ", ".join(f"CAST(u.{c} AS jsonb)" if c in _AUDIT_JSON_COLUMNS else f"u.{c}" for c in AUDIT_COLUMNS)
        parts.append(f"a AS (INSERT INTO audit_log ({', '.join(AUDIT_COLUMNS)}) SELECT {values} "  # noqa: S608
                     f"FROM unnest({arrays}) AS u({', '.join(AUDIT_COLUMNS)}))")
        parts.append("h AS (UPDATE audit_chain_heads SET seq = :head_seq, hash = :head_hash WHERE chain = :chain)")
    elif n:
        rows = ", ".join(
            "(" + ", ".join(f"CAST(:{c}{i} AS jsonb)" if c in _AUDIT_JSON_COLUMNS else f":{c}{i}"
                            for c in AUDIT_COLUMNS) + ")"
            for i in range(n)
        )
        # Only our column names and numbered bind parameters go into the text.
        parts.append(f"a AS (INSERT INTO audit_log ({', '.join(AUDIT_COLUMNS)}) VALUES {rows})")  # noqa: S608
        parts.append("h AS (UPDATE audit_chain_heads SET seq = :head_seq, hash = :head_hash WHERE chain = :chain)")
    if response:
        parts.append(f"r AS ({_STORE_RESPONSE})")
    return prepared(text("WITH " + ", ".join(parts) + " SELECT 1"))


# A customer's books (``bills.load_bills``): per-bill sums over the customer's entries (index
# ix_ledger_entries_customer_posted), then for the open bills only their entries (ix_ledger_entries_bill)
# with the kind of the entry a reversal reverses. The balance rides on every row; the LEFT JOIN ON true
# keeps one row when nothing is open. With :before set, only entries with a smaller id count: the books
# as they stood before a payment.
OPEN_BILLS: Final = prepared(text(
    """
    WITH per_bill AS (
        SELECT e.bill_id, sum(e.amount_fen) AS total
        FROM ledger_entries e
        WHERE e.customer_id = :cid AND (CAST(:before AS bigint) IS NULL OR e.id < :before)
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
        JOIN ledger_entries e ON e.bill_id = b.id AND (CAST(:before AS bigint) IS NULL OR e.id < :before)
        LEFT JOIN ledger_entries r ON r.id = e.reverses_id
        WHERE pb.total < 0
    ) AS o ON true
    ORDER BY o.due_on, o.period, o.id, o.entry_id
    """
))

# The first statement of a payment (``payments.pay_bills``): the customer and the cashier's open shift at
# this counter, both locked (FOR NO KEY UPDATE, the lock ``close_shift`` takes on the shift, so a payment
# and the close of its shift serialize), with what the receipt needs about the counter and the cashier.
# Whether the receipt number is taken is checked here too; the unique index backs it under concurrency.
# So are the highest number booked for the counter on the receipt's day and that day's damaged-outbox
# acknowledgements (the receipt window, ``late_fee_day``). A close committed while this waited for the
# shift lock is seen by ``WRITE_PAYMENT`` (a later statement: a new snapshot), which then writes nothing.
# One round trip and no ORM: this replaced three statements (docs/benchmarks.md).
LOCK_CUSTOMER: Final = prepared(text(
    """
    WITH s AS (
        SELECT sh.id, sh.shift_no FROM shifts sh
        WHERE sh.user_id = :user_id AND sh.counter_id = :counter_id
          AND NOT EXISTS (SELECT 1 FROM shift_closings sc WHERE sc.shift_id = sh.id)
        ORDER BY sh.id DESC LIMIT 1
        FOR NO KEY UPDATE
    )
    SELECT c.id, c.customer_no, c.name, c.address, c.status, c.payment_mode,
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
))

# Everything a payment writes (``payments.pay_bills``), in one round trip: the payment, its tenders, its
# allocations and its ledger entries. The payment row is only inserted while its shift has no closing
# row: the shift row is locked first (``LOCK_CUSTOMER``), so a close that committed meanwhile is seen here.
WRITE_PAYMENT: Final = prepared(text(
    """
    WITH p AS (
        INSERT INTO payments (receipt_no, customer_id, shift_id, user_id, counter_id, paid_at, local_time,
                              amount_fen, due_fen, tendered_fen, change_fen, prepayment_before_fen,
                              prepayment_after_fen, to_prepayment_fen, redirected_to_prepayment_fen,
                              accepted_offline, idempotency_key, late_fee_as_of, late_fee_as_of_rule)
        SELECT CAST(:receipt_no AS varchar), CAST(:customer_id AS bigint), CAST(:shift_id AS bigint),
               CAST(:user_id AS bigint), CAST(:counter_id AS bigint), CAST(:now AS timestamptz),
               CAST(:local_time AS timestamptz), CAST(:amount_fen AS bigint), CAST(:due_fen AS bigint),
               CAST(:tendered_fen AS bigint), CAST(:change_fen AS bigint), CAST(:prepayment_before_fen AS bigint),
               CAST(:prepayment_after_fen AS bigint), CAST(:to_prepayment_fen AS bigint),
               CAST(:redirected_fen AS bigint), CAST(:accepted_offline AS boolean), CAST(:idempotency_key AS varchar),
               CAST(:as_of AS date), CAST(:as_of_rule AS varchar)
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
        SELECT CAST(:customer_id AS bigint), x.kind, x.amount_fen, x.bill_id, CAST(:now AS timestamptz),
               CAST(:user_id AS bigint), CAST(:receipt_no AS varchar), p.id
        FROM p, jsonb_to_recordset(CAST(:entries AS jsonb)) AS x(n int, kind text, amount_fen bigint, bill_id bigint)
        ORDER BY x.n
    )
    SELECT id FROM p
    """
))

#: Every hot-path statement by name, in the shapes the server sends them (the table check runs each).
HOT_PATH: Final[dict[str, TextClause]] = {
    "SESSION": SESSION, "TOUCH": TOUCH, "AUTHENTICATE_AND_CLAIM": AUTHENTICATE_AND_CLAIM,
    "CHAIN_ADVANCE": CHAIN_ADVANCE, "audit_write(1)": audit_write(1, response=False),
    "audit_write(2, response)": audit_write(2, response=True),
    "audit_write(0, response)": audit_write(0, response=True),
    "OPEN_BILLS": OPEN_BILLS, "LOCK_CUSTOMER": LOCK_CUSTOMER, "WRITE_PAYMENT": WRITE_PAYMENT,
}
