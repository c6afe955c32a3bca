"""Alembic, driven from code: no alembic.ini to find, the URL comes from the caller."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic configuration for ``url``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


class UnsupportedDatabaseError(RuntimeError):
    """The database cannot serve GridCounter as it was created (a fix needs a new database)."""


def check_ctype(url: str) -> str:
    """Refuse a database whose character type is not UTF-8, and return the ctype.

    pg_trgm extracts no trigrams at all from Chinese text under a C/POSIX ctype (``show_trgm('张三丰')`` is
    empty), so name and address search would silently find nothing. The embedded cluster is created
    with C.UTF-8; an operator's own PostgreSQL must be too (``CREATE DATABASE … LC_CTYPE 'C.UTF-8'``).
    """
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            ctype = str(conn.execute(
                text("SELECT datctype FROM pg_database WHERE datname = current_database()")).scalar_one())
    finally:
        engine.dispose()
    if "utf8" not in ctype.lower().replace("-", ""):
        raise UnsupportedDatabaseError(
            f"the database's LC_CTYPE is {ctype!r}, not UTF-8: Chinese name and address search cannot work. "
            "Create the database with LC_CTYPE 'C.UTF-8' (or another UTF-8 locale) and TEMPLATE template0."
        )
    return ctype


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` to ``revision`` (after checking it can serve Chinese search)."""
    check_ctype(url)
    command.upgrade(alembic_config(url), revision)
