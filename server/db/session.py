"""Engine and session factory; built by ``create_app`` (never at import time)."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from server.db.prepared import install as install_prepared_statements


def make_engine(url: str, *, pool_size: int = 6, max_overflow: int = 4) -> Engine:
    """A psycopg2 engine with a small pool, UTC session time zone, a statement timeout and server-side
    prepared statements for the statements marked with ``server.db.prepared.prepared``."""
    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_recycle=3600,
        connect_args={"options": "-c timezone=UTC -c statement_timeout=30000", "connect_timeout": 5},
    )
    install_prepared_statements(engine)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (responses are built after it)."""
    return sessionmaker(engine, expire_on_commit=False)
