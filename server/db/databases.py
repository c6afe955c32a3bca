"""Creating and dropping PostgreSQL databases: UTF-8 with a C.UTF-8 ctype, optionally cloned from a template."""

from __future__ import annotations

import logging
import re
from typing import Final

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

logger = logging.getLogger(__name__)

#: libc C.UTF-8: code-point collation (stable across glibc upgrades) with a UTF-8 ctype, which
#: pg_trgm needs to extract trigrams from Chinese text (a C ctype yields none).
LOCALE: Final = "C.UTF-8"
_DB_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def create_database(*, admin_url: str, name: str, template: str | None = None) -> str:
    """Create database ``name`` (UTF-8, C.UTF-8 ctype), optionally cloned from ``template``.

    ``admin_url`` should point at a database other than ``template`` (e.g. ``postgres``): a
    session in the template blocks the copy. Returns the URL of the new database.
    """
    _check_db_name(name)
    if template is not None:
        _check_db_name(template)
    engine = create_engine(admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        quote = engine.dialect.identifier_preparer.quote
        # template0 when none is given: template1 may carry objects an admin added. The explicit
        # locale makes PostgreSQL refuse a template whose ctype is not UTF-8.
        source = quote(template) if template is not None else "template0"
        statement = f"CREATE DATABASE {quote(name)} TEMPLATE {source} ENCODING 'UTF8' LOCALE '{LOCALE}'"
        with engine.connect() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()
    logger.info("Created database %s%s", name, f" from {template}" if template else "")
    return render_url(make_url(admin_url).set(database=name))


def drop_database(*, admin_url: str, name: str) -> None:
    """Drop database ``name`` if it exists, disconnecting its sessions first."""
    _check_db_name(name)
    engine = create_engine(admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        quote = engine.dialect.identifier_preparer.quote
        with engine.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)"))
    finally:
        engine.dispose()
    logger.info("Dropped database %s", name)


def render_url(url: URL) -> str:
    """A URL as a string with its password (for handing to create_engine or another process)."""
    return url.render_as_string(hide_password=False)


def _check_db_name(name: str) -> None:
    # Plain identifiers only: no quoting surprises, and within PostgreSQL's 63-byte limit.
    if not _DB_NAME_RE.fullmatch(name):
        raise ValueError(f"Invalid database name {name!r}: use letters, digits and _ (max 63)")
