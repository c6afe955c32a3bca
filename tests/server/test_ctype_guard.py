"""A database with a C ctype cannot serve Chinese search: migrations and the CLI refuse it clearly."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from server.__main__ import main
from server.db.databases import drop_database
from server.db.embedded import EmbeddedPostgres
from server.migrate import UnsupportedDatabaseError, check_ctype, upgrade

NAME = "gc_c_ctype"


@pytest.fixture
def c_ctype_url(pg: EmbeddedPostgres) -> Iterator[str]:
    """A database created by an operator with the C locale (as a bare `createdb` on a C cluster does)."""
    engine = create_engine(pg.admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {NAME}"))
            conn.execute(text(f"CREATE DATABASE {NAME} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"))
    finally:
        engine.dispose()
    yield make_url(pg.admin_url).set(database=NAME).render_as_string(hide_password=False)
    drop_database(admin_url=pg.admin_url, name=NAME)


def _tables(url: str) -> int:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).scalar_one())
    finally:
        engine.dispose()


def test_show_trgm_is_empty_under_c_ctype(c_ctype_url: str) -> None:
    """The trap itself: under a C ctype pg_trgm finds no trigrams in Chinese text."""
    engine = create_engine(c_ctype_url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            assert conn.execute(text("SELECT show_trgm('张三丰')")).scalar_one() == []
    finally:
        engine.dispose()


def test_upgrade_refuses_a_c_ctype_database(c_ctype_url: str) -> None:
    """Migrations refuse the database before creating anything in it."""
    with pytest.raises(UnsupportedDatabaseError, match="LC_CTYPE"):
        upgrade(c_ctype_url)
    assert _tables(c_ctype_url) == 0


def test_cli_names_the_problem(
    c_ctype_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`gridcounter-server db upgrade` on such a database exits 2 with a sentence, not a traceback."""
    monkeypatch.setenv("GRIDCOUNTER_DATABASE_URL", c_ctype_url)
    assert main(["db", "upgrade"]) == 2
    out = capsys.readouterr()
    assert "LC_CTYPE" in out.out + out.err
    assert "Traceback" not in out.out + out.err


def test_the_test_database_passes(db_url: str) -> None:
    """The suite's own database (cloned from the migrated template) is UTF-8 and accepted."""
    assert check_ctype(db_url) == "C.UTF-8"
