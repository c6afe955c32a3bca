"""Server-side prepared statements: prepared once per connection, same answers as plain statements."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import ProgrammingError

from server.db.prepared import _split, prepared

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
