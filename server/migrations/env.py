"""Alembic environment: online migrations only, against the URL set by ``server.migrate``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

import server.models  # noqa: F401  (registers every table on the metadata)
from server.db.base import Base

config = context.config
url = config.get_main_option("sqlalchemy.url")
assert url, "server.migrate sets the URL"
engine = create_engine(url, poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
