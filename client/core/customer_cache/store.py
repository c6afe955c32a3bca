"""The customer cache's SQLite file: its schema, the reader's and writer's connections, the integrity check,
the rebuild of a file that is no usable cache, transactions and the ``meta`` table.

WAL with ``synchronous=NORMAL`` (a power cut may lose the last page; the cursor goes with it). Two
connections: reads (search, 360 view, quote) go on while a refresh writes a batch (WAL readers never wait
for the writer). Rebuilding takes both locks, always writer first.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Final, TypeVar

log = logging.getLogger(__name__)

CACHE_FILE: Final = "customers.sqlite3"
#: 2: bills hold late-fee inputs, not fees of a day (a file of version 1 is rebuilt: a full re-read).
SCHEMA_VERSION: Final = 2

_SCHEMA: Final = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    """CREATE TABLE IF NOT EXISTS customers (
        customer_no TEXT PRIMARY KEY, name TEXT NOT NULL, address TEXT NOT NULL, phone TEXT NOT NULL,
        phone_key TEXT NOT NULL, id_number_masked TEXT NOT NULL, category TEXT NOT NULL, status TEXT NOT NULL,
        payment_mode TEXT NOT NULL, hall_code TEXT NOT NULL, tariff_name TEXT NOT NULL,
        balance_fen INTEGER NOT NULL, arrears_fen INTEGER NOT NULL, prepayment_fen INTEGER NOT NULL,
        pass INTEGER NOT NULL, local INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS meters (
        customer_no TEXT NOT NULL, seq INTEGER NOT NULL, asset_no TEXT NOT NULL, multiplier INTEGER NOT NULL,
        digits INTEGER NOT NULL, PRIMARY KEY (customer_no, seq)) WITHOUT ROWID""",
    # ``bill``: the CachedBill as JSON (its late-fee inputs are only ever read whole, to compute the fee)
    """CREATE TABLE IF NOT EXISTS bills (
        customer_no TEXT NOT NULL, seq INTEGER NOT NULL, bill_no TEXT NOT NULL, bill TEXT NOT NULL,
        PRIMARY KEY (customer_no, seq)) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS customers_name ON customers (name, customer_no)",
    "CREATE INDEX IF NOT EXISTS customers_address ON customers (address, customer_no)",
    "CREATE INDEX IF NOT EXISTS customers_phone ON customers (phone_key, customer_no)",
    "CREATE INDEX IF NOT EXISTS meters_asset ON meters (asset_no)",
    "CREATE INDEX IF NOT EXISTS bills_no ON bills (bill_no)",
)

T = TypeVar("T")


class CacheFile:
    """The cache file of one PC (opened on first use). Safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._write_lock = threading.Lock()
        self._read_lock = threading.Lock()
        self._writer: sqlite3.Connection | None = None
        self._reader: sqlite3.Connection | None = None
        self._checked = False

    def close(self) -> None:
        """Close the file (it is opened again on the next use)."""
        with self._write_lock, self._read_lock:
            self._close()

    def _close(self) -> None:
        for conn in (self._writer, self._reader):
            if conn is not None:
                conn.close()
        self._writer = self._reader = None

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # a cache: losing the last page to a power cut is fine
            # A full refresh of a large hall writes ~130 MB: a bigger page cache and fewer, larger checkpoints
            # (each one syncs the file) cut its time by about a third; the WAL is cut back after each.
            conn.execute("PRAGMA cache_size=-32768")
            conn.execute("PRAGMA wal_autocheckpoint=8192")
            conn.execute("PRAGMA journal_size_limit=16777216")
        except BaseException:
            conn.close()
            raise
        return conn

    def _check(self, conn: sqlite3.Connection) -> None:
        """Once per file: a file cut short or scribbled over is found here, not halfway through a refresh
        that would then store a cursor over customers it no longer has. Then the schema."""
        problems = [r[0] for r in conn.execute("PRAGMA quick_check(3)")]
        if problems != ["ok"]:
            raise sqlite3.DatabaseError("; ".join(problems))
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            raise sqlite3.DatabaseError(f"cache schema {version}, expected {SCHEMA_VERSION}")
        conn.execute("BEGIN IMMEDIATE")
        for statement in _SCHEMA:
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        conn.execute("COMMIT")

    def _connection(self, *, write: bool) -> sqlite3.Connection:
        """The writer's or the reader's connection (the caller holds its lock); the first one checks the file."""
        conn = self._writer if write else self._reader
        if conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = self._connect()
            try:
                if not self._checked:
                    self._check(conn)
                    self._checked = True
            except BaseException:
                conn.close()
                raise
            if write:
                self._writer = conn
            else:
                self._reader = conn
        return conn

    def _rebuild(self, reason: str) -> None:
        """Delete the file (and its WAL) and start an empty one: the next refresh fills it from the server."""
        with self._write_lock, self._read_lock:
            log.warning("customer cache %s is unusable (%s): rebuilding it from the server", self.path, reason)
            self._close()
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(FileNotFoundError):
                    self.path.with_name(self.path.name + suffix).unlink()
            self._checked = False

    def run(self, work: Callable[[sqlite3.Connection], T], *, write: bool = False) -> T:
        """Run ``work`` on the reader's (or writer's) connection under its lock; a damaged file is rebuilt
        and ``work`` run again on the empty one."""
        for attempt in (1, 2):
            lock = self._write_lock if write else self._read_lock
            with lock:
                try:
                    return work(self._connection(write=write))
                except sqlite3.DatabaseError as exc:
                    if not _damaged(exc) or attempt == 2:
                        raise  # locked, disk full, a constraint: not the file's fault
                    reason = str(exc)
            self._rebuild(reason)
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    @contextlib.contextmanager
    def transaction(conn: sqlite3.Connection, *, write: bool = True) -> Iterator[sqlite3.Connection]:
        """A write transaction, or (``write`` False) one consistent snapshot for several reads."""
        conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield conn
        except BaseException:
            with contextlib.suppress(sqlite3.Error):  # a damaged file may refuse even this
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @staticmethod
    def meta(conn: sqlite3.Connection) -> dict[str, str]:
        return {r["key"]: r["value"] for r in conn.execute("SELECT key, value FROM meta")}

    @staticmethod
    def set_meta(conn: sqlite3.Connection, **values: object) -> None:
        conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                         [(k, str(v)) for k, v in values.items() if v is not None])


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    """True for the errors of a file that is no usable cache: SQLite's plain DatabaseError (not a database,
    disk image malformed), or tables and columns missing; not a lock, a full disk or a constraint."""
    if type(exc) is sqlite3.DatabaseError:
        return True
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("no such table" in text or "no such column" in text)


def stored_time(meta: dict[str, str], key: str) -> dt.datetime | None:
    """A server time stored in ``meta`` (None: never stored)."""
    value = meta.get(key)
    return dt.datetime.fromisoformat(value) if value else None
