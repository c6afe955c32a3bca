"""Server-side prepared statements: prepared once per connection, same answers as plain statements; and every
hot-path statement of ``server.db.prepared`` matches the ORM tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, MetaData, TextClause, text
from sqlalchemy.exc import DBAPIError, ProgrammingError

import server.models  # noqa: F401 - registers every table on the metadata
from server.db.base import NAMING_CONVENTION, Base
from server.db.prepared import HOT_PATH, _split, prepared

_LOOKUP = prepared(text(
    "SELECT username, CAST(:at AS timestamptz) AS at, CAST(:blob AS bytea) AS blob, username LIKE 'cash%' AS cashier"
    " FROM users"
    " WHERE username = :name OR username = :other ORDER BY username"
))


def _rows(result: Any) -> list[tuple[Any, ...]]:
    return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in result]


def _prepared_count(conn: object) -> int:
    return int(conn.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar_one())  # type: ignore[attr-defined]


class TestPrepared:
    def test_placeholders_become_numbered_parameters(self) -> None:
        """Each distinct name gets one number in order of appearance; an escaped percent sign stays one."""
        body, names = _split("SELECT %(a)s, %(b)s, %(a)s WHERE x LIKE 'y%%'")
        assert (body, names) == ("SELECT $1, $2, $1 WHERE x LIKE 'y%'", ["a", "b"])

    def test_same_answers_and_prepared_once(self, engine: Engine) -> None:
        """Repeated executions answer like the plain statement and PREPARE only once per connection."""
        at = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
        params = {"name": "cashier1", "other": "admin1", "at": at, "blob": b"\x00\x01"}
        with engine.connect() as conn:
            before = _prepared_count(conn)
            plain = _rows(conn.execute(text(str(_LOOKUP.text)), params))
            answers = [_rows(conn.execute(_LOOKUP, params)) for _ in range(7)]
            conn.rollback()  # a prepared statement outlives the transaction it was prepared in
            answers.append(_rows(conn.execute(_LOOKUP, {**params, "other": "nobody"})))
            assert _prepared_count(conn) == before + 1
        assert plain == [("admin1", at, b"\x00\x01", False), ("cashier1", at, b"\x00\x01", True)]
        assert all(a == plain for a in answers[:-1])
        assert [r[0] for r in answers[-1]] == ["cashier1"]

    def test_untyped_parameter_fails_on_first_use(self, engine: Engine) -> None:
        """A parameter whose type PostgreSQL cannot infer is refused at once."""
        with engine.connect() as conn, pytest.raises(ProgrammingError, match="could not determine data type"):
            conn.execute(prepared(text("SELECT :x IS NULL")), {"x": 1})

    def test_output_parameter_without_cast_is_text(self, engine: Engine) -> None:
        """An output column from a bare parameter comes back as text: such parameters need a CAST."""
        at = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
        with engine.connect() as conn:
            assert conn.execute(prepared(text("SELECT :at AS at")), {"at": at}).scalar_one() == "2026-11-23 09:00:00+00"


#: The schema the ORM's own tables are built in, beside the migrated ones in ``public``.
_ORM_SCHEMA = "orm_tables"


def _describe(conn: Connection, statement: TextClause) -> tuple[list[str], list[str]] | str:
    """(parameter types, result types) of ``statement`` as PostgreSQL prepares it on the tables the
    search path finds first; the error message when it cannot be prepared there."""
    body, _ = _split(str(statement.compile(dialect=conn.dialect)))
    savepoint = conn.begin_nested()
    try:
        conn.exec_driver_sql(f"PREPARE gc_table_check AS {body}".replace("%", "%%"))
    except DBAPIError as exc:
        savepoint.rollback()
        return str(exc.orig).splitlines()[0]
    row = conn.execute(text(
        "SELECT CAST(parameter_types AS text[]), CAST(result_types AS text[]) FROM pg_prepared_statements"
        " WHERE name = 'gc_table_check'"
    )).one()
    conn.exec_driver_sql("DEALLOCATE gc_table_check")
    savepoint.commit()
    return list(row[0]), list(row[1] or [])


def statement_problems(conn: Connection, metadata: MetaData) -> dict[str, str]:
    """Per hot-path statement that does not match ``metadata``'s tables: why. Each statement is prepared on
    the migrated tables and on tables built from ``metadata`` alone; both must accept it with the same
    parameter and result types (a column the ORM names differently, or types differently, shows)."""
    problems: dict[str, str] = {}
    migrated = {name: _describe(conn, stmt) for name, stmt in HOT_PATH.items()}
    conn.execute(text(f"CREATE SCHEMA {_ORM_SCHEMA}"))
    conn.execute(text(f"SET LOCAL search_path TO {_ORM_SCHEMA}, public"))
    metadata.create_all(conn, checkfirst=False)  # checkfirst would see the migrated tables through the path
    for name, stmt in HOT_PATH.items():
        modelled = _describe(conn, stmt)
        if isinstance(migrated[name], str):
            problems[name] = f"on the migrated tables: {migrated[name]}"
        elif isinstance(modelled, str):
            problems[name] = f"on the ORM tables: {modelled}"
        elif modelled != migrated[name]:
            problems[name] = f"types differ: ORM {modelled}, migrated {migrated[name]}"
    return problems


def _copy(metadata: MetaData) -> MetaData:
    copy = MetaData(naming_convention=NAMING_CONVENTION)
    for table in metadata.sorted_tables:
        table.to_metadata(copy)
    return copy


class TestHotPathStatements:
    def test_every_statement_matches_the_orm_tables(self, engine: Engine) -> None:
        """Each hot-path statement prepares on the migrated and on the ORM-built tables with the same types."""
        assert len(HOT_PATH) >= 10
        with engine.connect() as conn:
            assert statement_problems(conn, Base.metadata) == {}
            conn.rollback()

    def test_a_column_renamed_in_the_orm_fails_the_check(self, engine: Engine) -> None:
        """Renaming a column the payment statements name, in the ORM only, is reported for those statements."""
        metadata = _copy(Base.metadata)
        metadata.tables["payments"].c.receipt_no.name = "receipt_number"
        with engine.connect() as conn:
            problems = statement_problems(conn, metadata)
            conn.rollback()
        assert set(problems) == {"LOCK_CUSTOMER", "WRITE_PAYMENT"}
        assert all("receipt_no" in why for why in problems.values())

    def test_a_column_retyped_in_the_orm_fails_the_check(self, engine: Engine) -> None:
        """A column the session statement returns, typed differently in the ORM only, is reported."""
        metadata = _copy(Base.metadata)
        metadata.tables["user_sessions"].c.last_seen_at.type = metadata.tables["bills"].c.due_on.type
        with engine.connect() as conn:
            problems = statement_problems(conn, metadata)
            conn.rollback()
        assert {"SESSION", "AUTHENTICATE_AND_CLAIM"} <= set(problems)
        assert "types differ" in problems["SESSION"]
