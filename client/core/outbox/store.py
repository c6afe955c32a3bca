"""The outbox's SQLite file: its schema, the integrity check when it is opened, connections with their
durability settings (WAL, ``synchronous=FULL``: a confirmed payment survives SIGKILL and a power cut), the
write transaction, and the errors that mean nothing was queued."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Final

OUTBOX_FILE: Final = "counter.sqlite3"
SCHEMA_VERSION: Final = 1

_SCHEMA: Final = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS receipt_seq (counter_code TEXT NOT NULL, day TEXT NOT NULL,"
    " last_seq INTEGER NOT NULL, PRIMARY KEY (counter_code, day))",
    "CREATE TABLE IF NOT EXISTS receipts_taken (receipt_no TEXT PRIMARY KEY, taken_at TEXT NOT NULL)",
    # the counter's own shift numbering (shared_models.rules.shift_numbers), like the receipts'
    "CREATE TABLE IF NOT EXISTS shift_seq (counter_code TEXT NOT NULL, day TEXT NOT NULL,"
    " last_seq INTEGER NOT NULL, PRIMARY KEY (counter_code, day))",
    """CREATE TABLE IF NOT EXISTS outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL UNIQUE,
        method TEXT NOT NULL,
        body TEXT NOT NULL,
        receipt_no TEXT UNIQUE,
        counter_code TEXT NOT NULL,
        username TEXT NOT NULL,
        shift_no TEXT,
        customer_no TEXT,
        amount_fen INTEGER NOT NULL DEFAULT 0,
        summary TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        offline INTEGER NOT NULL DEFAULT 0,
        version INTEGER NOT NULL DEFAULT 1,
        state TEXT NOT NULL DEFAULT 'pending'
            CHECK (state IN ('pending', 'done', 'rejected', 'attention')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_attempt_at TEXT,
        last_error TEXT,
        last_error_params TEXT,
        result TEXT,
        server_time TEXT,
        answered_at TEXT,
        acknowledged_by TEXT,
        acknowledged_at TEXT)""",
    "CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (username, id) WHERE state = 'pending'",
    "CREATE INDEX IF NOT EXISTS outbox_shift ON outbox (shift_no)",
)


class OutboxError(Exception):
    """The outbox file could not be written: nothing was queued, nothing may be handed over."""


class OutboxFullError(OutboxError):
    """The disk (or the file's size limit) is full: the payment is refused before its receipt prints."""


class OutboxDamagedError(OutboxError):
    """The outbox file is not a readable SQLite database (corrupted or truncated)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def _is_full(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code == sqlite3.SQLITE_FULL or "full" in str(exc).lower()


class OutboxFile:
    """The outbox file of one counter PC: connections and write transactions (the caller's lock is ours)."""

    def __init__(self, path: Path, *, max_pages: int | None = None) -> None:
        self.path = path
        self.max_pages = max_pages  # tests: a size limit that makes SQLite report "database or disk is full"
        self._lock = threading.Lock()
        self._ready = False

    def check_integrity(self) -> None:
        """:class:`OutboxDamagedError` unless the file is a readable SQLite database with an outbox table."""
        try:
            if self.path.stat().st_size == 0:
                raise OutboxDamagedError(self.path, "empty file")
            conn = sqlite3.connect(f"file:{self.path}?mode=rw", uri=True, timeout=10.0, isolation_level=None)
            try:
                rows = conn.execute("PRAGMA quick_check").fetchall()
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            raise OutboxDamagedError(self.path, str(exc)) from exc
        if rows != [("ok",)]:
            raise OutboxDamagedError(self.path, "; ".join(str(r[0]) for r in rows[:3]))
        if "outbox" not in tables:
            raise OutboxDamagedError(self.path, "no outbox table")

    @contextlib.contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection with the durability settings; the schema is created on the first one."""
        try:
            conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        except sqlite3.Error as exc:
            raise OutboxError(str(exc)) from exc
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")  # a confirmed payment survives a power cut
            conn.execute("PRAGMA busy_timeout=30000")
            if self.max_pages is not None:
                conn.execute(f"PRAGMA max_page_count={int(self.max_pages)}")
            if not self._ready:
                conn.execute("BEGIN IMMEDIATE")
                for statement in _SCHEMA:
                    conn.execute(statement)
                conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)",
                             (str(SCHEMA_VERSION),))
                conn.execute("COMMIT")
                self._ready = True
            yield conn
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            if _is_full(exc):
                raise OutboxFullError(str(exc)) from exc
            if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
                raise OutboxDamagedError(self.path, str(exc)) from exc
            raise OutboxError(str(exc)) from exc
        finally:
            conn.close()

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` transaction, committed when the block ends (durable: FULL sync)."""
        with self._lock, self.connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
