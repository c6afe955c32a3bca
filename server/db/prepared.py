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

import hashlib
import re
from typing import Any, Final, TypeVar

from sqlalchemy import Engine, Executable, event

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
        done: dict[str, str] = conn.connection.info.setdefault(_OPTION, {})
        execute = done.get(statement)
        if execute is None:
            body, names = _split(statement)
            name = "gc_" + hashlib.sha256(body.encode()).hexdigest()[:20]
            cursor.execute(f"PREPARE {name} AS {body}")
            args = ", ".join(f"%({n})s" for n in names)
            execute = done[statement] = f"EXECUTE {name}({args})" if names else f"EXECUTE {name}"
        return execute, parameters
