"""Server-side prepared statements for the hot path, on psycopg2 (which has none of its own).

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
import hashlib
import re
from collections.abc import Mapping
from typing import Any, Final, TypeVar

from sqlalchemy import Connection, Engine, Executable, TextClause, event
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
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return "%"
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}"

    return _PARAM.sub(number, sql), names


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
