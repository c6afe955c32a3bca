"""The counter's outbox (SPEC §5): every confirmed mutation is written here, with its idempotency key and
its receipt number, in one local SQLite transaction before it is first sent; the sync worker
(:mod:`client.core.sync`) sends it and records the server's answer against it.

The file is ``counter.sqlite3`` in the client data folder, in WAL mode with ``synchronous=FULL``: a
confirmed payment survives SIGKILL and a power cut. The same file holds the receipt numbering
(``receipt_seq``/``receipts_taken``, formerly ``receipts.sqlite3``) so the number and the request are
one transaction.

Item states:

``pending``    not yet answered by the server (never "failed": a timeout or a dropped link leaves it here)
``done``       the server booked it; its answer (``result``) and booking time are stored
``rejected``   refused while the cashier watched the answer come back (nothing was handed over)
``attention``  refused after the money was taken (accepted offline, or nobody saw the answer):
               listed for the cashier and the supervisor with its reason, never dropped

Qt-free and blocking (disk): call it from workers, never from the GUI thread. Safe to share between
threads and processes (SQLite's lock; ``BEGIN IMMEDIATE`` for every write).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Final

from shared_models.ids import IdempotencyKey, new_idempotency_key
from shared_models.rpc import Model, load_all
from shared_models.rules.hall_time import business_date, hall_now
from shared_models.rules.receipt_numbers import make_receipt_no, next_receipt_seq, seq_floor_after_damage
from shared_models.rules.shift_numbers import make_shift_no, next_shift_seq

log = logging.getLogger(__name__)

OUTBOX_FILE: Final = "counter.sqlite3"
#: Where a damaged outbox is described until a supervisor acknowledges it (the files stay, renamed).
DAMAGE_MARKER: Final = "outbox-damaged.json"
_LEGACY_RECEIPT_BOOK: Final = "receipts.sqlite3"
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


class ItemState(StrEnum):
    """Where an outbox item stands (see the module docstring)."""

    PENDING = "pending"
    DONE = "done"
    REJECTED = "rejected"
    ATTENTION = "attention"


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


@dataclass(frozen=True)
class OutboxItem:
    """One queued call and what became of it."""

    id: int
    key: IdempotencyKey
    method: str
    body: dict[str, Any]
    receipt_no: str | None
    counter_code: str
    username: str
    shift_no: str | None
    customer_no: str | None
    amount_fen: int
    summary: dict[str, Any]
    created_at: dt.datetime
    offline: bool
    version: int
    state: ItemState
    attempts: int
    last_attempt_at: dt.datetime | None
    last_error: str | None
    last_error_params: dict[str, Any]
    result: dict[str, Any] | None
    server_time: dt.datetime | None
    answered_at: dt.datetime | None
    acknowledged_by: str | None
    acknowledged_at: dt.datetime | None

    @property
    def result_json(self) -> bytes:
        """The server's answer as JSON bytes (for ``Model.model_validate_json``)."""
        return json.dumps(self.result, ensure_ascii=False).encode()


@dataclass(frozen=True)
class Answer:
    """What one answer does to its item (:meth:`Outbox.record_answers`): ``done`` with its result,
    ``pending`` (an attempt without an answer), or ``rejected``/``attention`` for the ``version`` sent."""

    item_id: int
    state: ItemState
    version: int = 0
    result: Mapping[str, Any] | None = None
    server_time: dt.datetime | None = None
    code: str | None = None
    params: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class OutboxCounts:
    """What the status bar shows: items not yet confirmed, items needing attention, the oldest wait."""

    pending: int
    attention: int
    oldest_pending_at: dt.datetime | None


@dataclass(frozen=True)
class DamageReport:
    """A damaged outbox file that was set aside, waiting for a supervisor's acknowledgement."""

    reason: str
    found_at: dt.datetime
    files: tuple[dict[str, Any], ...]  # name, bytes, sha256 of each set-aside file

    def to_json(self) -> str:
        """The marker file's content."""
        return json.dumps({"reason": self.reason, "found_at": self.found_at.isoformat(), "files": list(self.files)},
                          ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> DamageReport:
        """Read a marker file (ValueError if it is not one)."""
        data = json.loads(text)
        return cls(reason=str(data["reason"]), found_at=dt.datetime.fromisoformat(data["found_at"]),
                   files=tuple(dict(f) for f in data["files"]))


class DamageGate:
    """Whether money may be taken on this PC: closed while a damaged outbox waits for a supervisor.

    Read on the GUI thread; :meth:`open_gate` after the acknowledgement was recorded (server and file).
    """

    def __init__(self, report: DamageReport | None = None) -> None:
        self.report = report

    @property
    def closed(self) -> bool:
        """True while a damaged outbox is unacknowledged."""
        return self.report is not None

    def open_gate(self) -> None:
        """The supervisor acknowledged the damaged file."""
        self.report = None


def _dt(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _is_full(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code == sqlite3.SQLITE_FULL or "full" in str(exc).lower()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Outbox:
    """The outbox and receipt numbering of one counter PC (see the module docstring)."""

    def __init__(self, path: Path, *, now: Callable[[], dt.datetime] = hall_now,
                 max_pages: int | None = None) -> None:
        self.path = path
        self._now = now
        self._max_pages = max_pages  # tests: a size limit that makes SQLite report "database or disk is full"
        self._lock = threading.Lock()
        self._ready = False

    # --- opening ----------------------------------------------------------------------------------

    @classmethod
    def in_folder(cls, data_dir: Path, **kwargs: Any) -> Outbox:
        """The outbox of the client data folder (not opened yet: :meth:`open` checks it)."""
        return cls(data_dir / OUTBOX_FILE, **kwargs)

    def open(self) -> Outbox:
        """Create the file or check the existing one; :class:`OutboxDamagedError` if it cannot be trusted."""
        existed = self.path.exists()
        if existed:
            self._check_integrity()
        with self._connect():
            pass
        if not existed:
            self._import_legacy_receipt_book()
        return self

    def _check_integrity(self) -> None:
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
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        except sqlite3.Error as exc:
            raise OutboxError(str(exc)) from exc
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")  # a confirmed payment survives a power cut
            conn.execute("PRAGMA busy_timeout=30000")
            if self._max_pages is not None:
                conn.execute(f"PRAGMA max_page_count={int(self._max_pages)}")
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
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` transaction, committed when the block ends (durable: FULL sync)."""
        with self._lock, self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")

    def _import_legacy_receipt_book(self) -> None:
        """Carry the numbers of a ``receipts.sqlite3`` from before the outbox over, so none is reused."""
        legacy = self.path.parent / _LEGACY_RECEIPT_BOOK
        if not legacy.exists():
            return
        try:
            with self._write() as conn:
                conn.execute("ATTACH DATABASE ? AS legacy", (str(legacy),))
                conn.execute(
                    "INSERT INTO receipt_seq (counter_code, day, last_seq) SELECT counter_code, day, last_seq"
                    " FROM legacy.receipt_seq WHERE true ON CONFLICT (counter_code, day)"
                    " DO UPDATE SET last_seq = max(last_seq, excluded.last_seq)")
                conn.execute("INSERT OR IGNORE INTO receipts_taken"
                             " SELECT receipt_no, taken_at FROM legacy.receipts_taken")
            log.info("receipt numbers of %s carried over into %s", legacy, self.path)
        except OutboxError:
            log.exception("could not read the old receipt book %s; numbering continues from the server's", legacy)

    # --- damaged files --------------------------------------------------------------------------------

    @staticmethod
    def set_aside(path: Path, *, reason: str, now: dt.datetime | None = None) -> DamageReport:
        """Rename a damaged outbox (and its -wal/-shm) out of the way, untouched, and write the marker."""
        now = now or hall_now()
        stamp = now.strftime("%Y%m%d-%H%M%S")
        files = []
        for suffix in ("", "-wal", "-shm", "-journal"):
            source = path.with_name(path.name + suffix)
            if not source.exists():
                continue
            target = path.with_name(f"{path.name}.damaged-{stamp}{suffix}")
            files.append({"name": target.name, "bytes": source.stat().st_size, "sha256": _sha256(source)})
            os.replace(source, target)  # a rename: the bytes stay exactly as they were
        report = DamageReport(reason=reason, found_at=now, files=tuple(files))
        marker = path.with_name(DAMAGE_MARKER)
        tmp = marker.with_suffix(".tmp")
        tmp.write_text(report.to_json(), encoding="utf-8")
        with tmp.open("rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, marker)
        log.error("outbox %s is damaged (%s): set aside as %s", path, reason, [f["name"] for f in files])
        return report

    @staticmethod
    def damage_report(data_dir: Path) -> DamageReport | None:
        """The damaged outbox still waiting for a supervisor's acknowledgement, or None."""
        marker = data_dir / DAMAGE_MARKER
        if not marker.exists():
            return None
        try:
            return DamageReport.from_json(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError):
            return DamageReport(reason="unreadable damage marker", found_at=hall_now(), files=())

    def acknowledge_damage(self, *, by: str, server_next_seq: int, counter_code: str) -> None:
        """A supervisor acknowledged the set-aside file: numbering jumps past any number it may hold."""
        marker = self.path.parent / DAMAGE_MARKER
        day = self._today()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO receipt_seq (counter_code, day, last_seq) VALUES (?, ?, ?)"
                " ON CONFLICT (counter_code, day) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq)",
                (counter_code, day.isoformat(), seq_floor_after_damage(server_next=server_next_seq)))
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('damage_acknowledged', ?)",
                         (json.dumps({"by": by, "at": self._now().isoformat()}),))
        if marker.exists():
            os.replace(marker, marker.with_name(f"{DAMAGE_MARKER}.acknowledged-{self._now():%Y%m%d-%H%M%S}"))

    # --- receipt numbers ------------------------------------------------------------------------------

    def _today(self) -> dt.date:
        return business_date(self._now())

    def _take_receipt_no(self, conn: sqlite3.Connection, *, counter_code: str, server_next_seq: int) -> str:
        day = self._today()
        row = conn.execute("SELECT last_seq FROM receipt_seq WHERE counter_code = ? AND day = ?",
                           (counter_code, day.isoformat())).fetchone()
        seq = next_receipt_seq(own_last=int(row[0]) if row else 0, server_next=server_next_seq)
        receipt_no = make_receipt_no(counter_code, day, seq)  # ValueError past 99,999 a day
        conn.execute("INSERT INTO receipt_seq (counter_code, day, last_seq) VALUES (?, ?, ?)"
                     " ON CONFLICT (counter_code, day) DO UPDATE SET last_seq = excluded.last_seq",
                     (counter_code, day.isoformat(), seq))
        conn.execute("INSERT INTO receipts_taken (receipt_no, taken_at) VALUES (?, ?)",
                     (receipt_no, self._now().isoformat()))
        return receipt_no

    def _take_shift_no(self, conn: sqlite3.Connection, *, counter_code: str, server_next_seq: int) -> str:
        day = self._today()
        row = conn.execute("SELECT last_seq FROM shift_seq WHERE counter_code = ? AND day = ?",
                           (counter_code, day.isoformat())).fetchone()
        seq = next_shift_seq(own_last=int(row[0]) if row else 0, server_next=server_next_seq)
        shift_no = make_shift_no(counter_code, day, seq)  # ValueError past 99 a day
        conn.execute("INSERT INTO shift_seq (counter_code, day, last_seq) VALUES (?, ?, ?)"
                     " ON CONFLICT (counter_code, day) DO UPDATE SET last_seq = excluded.last_seq",
                     (counter_code, day.isoformat(), seq))
        return shift_no

    def note_shift_floor(self, counter_code: str, next_seq: int) -> None:
        """The server's next shift sequence of this counter today: the counter's own numbering never goes
        below it (shifts numbered by the server before, or by another client of this counter)."""
        with self._write() as conn:
            conn.execute("INSERT INTO shift_seq (counter_code, day, last_seq) VALUES (?, ?, ?)"
                         " ON CONFLICT (counter_code, day) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq)",
                         (counter_code, self._today().isoformat(), max(next_seq, 1) - 1))

    def remember_server_shift(self, *, counter_code: str, username: str, shift_json: str | None) -> None:
        """The open shift the server last reported for ``username`` here (JSON of ``ShiftInfo``; None: none).

        With the link down the counter still knows a shift opened by the server (or before this counter's
        outbox existed, or in a file since set aside), so its cashier can go on taking payments offline.
        """
        key = f"server_shift:{counter_code}:{username}"
        with self._write() as conn:
            if shift_json is None:
                conn.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, shift_json))

    def server_shift(self, *, counter_code: str, username: str) -> str | None:
        """What :meth:`remember_server_shift` stored for ``username`` here, or None."""
        with self._connect() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?",
                               (f"server_shift:{counter_code}:{username}",)).fetchone()
        return str(row[0]) if row else None

    def last_receipt_seq(self, counter_code: str, day: dt.date | None = None) -> int:
        """The last receipt sequence taken for ``counter_code`` on ``day`` (today), 0 if none."""
        day = day or self._today()
        with self._connect() as conn:
            row = conn.execute("SELECT last_seq FROM receipt_seq WHERE counter_code = ? AND day = ?",
                               (counter_code, day.isoformat())).fetchone()
        return int(row[0]) if row else 0

    # --- queueing -------------------------------------------------------------------------------------

    def submit(
        self, *, method: str, build: Callable[[str | None], Model], counter_code: str, username: str,
        shift_no: str | None = None, customer_no: str | None = None, amount_fen: int = 0,
        summary: Mapping[str, Any] | None = None, numbered: bool = False, server_next_seq: int = 1,
        offline: bool = False, key: IdempotencyKey | None = None, shift_numbered: bool = False,
        server_next_shift_seq: int = 1,
    ) -> OutboxItem:
        """Queue one call: mint its key, take its receipt number (``numbered``) or its shift number
        (``shift_numbered``: a shift open), store the request built by ``build(number)``; one durable
        transaction, before anything is sent.

        :class:`OutboxFullError` when the disk is full (nothing queued, no number spent); ValueError from
        ``build`` or when the day's receipt numbers are used up.
        """
        key = key or new_idempotency_key()
        now = self._now()
        with self._write() as conn:
            receipt_no = (self._take_receipt_no(conn, counter_code=counter_code, server_next_seq=server_next_seq)
                          if numbered else None)
            if shift_numbered:
                shift_no = self._take_shift_no(conn, counter_code=counter_code, server_next_seq=server_next_shift_seq)
            body = build(shift_no if shift_numbered else receipt_no).model_dump(mode="json")
            cursor = conn.execute(
                "INSERT INTO outbox (key, method, body, receipt_no, counter_code, username, shift_no, customer_no,"
                " amount_fen, summary, created_at, offline) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (key, method, json.dumps(body, ensure_ascii=False), receipt_no, counter_code, username, shift_no,
                 customer_no, int(amount_fen), json.dumps(dict(summary or {}), ensure_ascii=False),
                 now.isoformat(), int(offline)))
            item_id = int(cursor.lastrowid or 0)
        log.info("queued %s %s (item %d, receipt %s)", method, key, item_id, receipt_no)
        item = self.get(item_id)
        assert item is not None
        return item

    # --- reading --------------------------------------------------------------------------------------

    _COLUMNS: Final = ("id, key, method, body, receipt_no, counter_code, username, shift_no, customer_no, amount_fen,"
                       " summary, created_at, offline, version, state, attempts, last_attempt_at, last_error,"
                       " last_error_params, result, server_time, answered_at, acknowledged_by, acknowledged_at")

    @staticmethod
    def _item(row: Sequence[Any]) -> OutboxItem:
        return OutboxItem(
            id=int(row[0]), key=IdempotencyKey(row[1]), method=row[2], body=json.loads(row[3]), receipt_no=row[4],
            counter_code=row[5], username=row[6], shift_no=row[7], customer_no=row[8], amount_fen=int(row[9]),
            summary=json.loads(row[10] or "{}"), created_at=dt.datetime.fromisoformat(row[11]), offline=bool(row[12]),
            version=int(row[13]), state=ItemState(row[14]), attempts=int(row[15]), last_attempt_at=_dt(row[16]),
            last_error=row[17], last_error_params=json.loads(row[18] or "{}"),
            result=json.loads(row[19]) if row[19] else None, server_time=_dt(row[20]), answered_at=_dt(row[21]),
            acknowledged_by=row[22], acknowledged_at=_dt(row[23]),
        )

    def get(self, item_id: int) -> OutboxItem | None:
        """One item by id."""
        with self._connect() as conn:
            row = conn.execute(f"SELECT {self._COLUMNS} FROM outbox WHERE id = ?", (item_id,)).fetchone()  # noqa: S608
        return self._item(row) if row else None

    def pending(self, username: str, *, limit: int) -> list[OutboxItem]:
        """The oldest unanswered items taken by ``username``, in the order they were taken."""
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT {self._COLUMNS} FROM outbox WHERE state = 'pending' AND username = ? ORDER BY id LIMIT ?",  # noqa: S608
                (username, limit)).fetchall()
        return [self._item(r) for r in rows]

    def items(self, *, states: Sequence[ItemState] | None = None, shift_no: str | None = None,
              limit: int = 500) -> list[OutboxItem]:
        """Items, newest first, optionally of some states or of one shift."""
        where: list[str] = []
        params: list[object] = []
        if states:
            where.append(f"state IN ({', '.join('?' for _ in states)})")
            params.extend(s.value for s in states)
        if shift_no is not None:
            where.append("shift_no = ?")
            params.append(shift_no)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        with self._connect() as conn:
            rows = conn.execute(f"SELECT {self._COLUMNS} FROM outbox {clause} ORDER BY id DESC LIMIT ?",  # noqa: S608
                                (*params, limit)).fetchall()
        return [self._item(r) for r in rows]

    def counts(self) -> OutboxCounts:
        """Pending and needs-attention counts and the oldest pending item's time (one query)."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT sum(state = 'pending'), sum(state = 'attention' AND acknowledged_at IS NULL),"
                " min(CASE WHEN state = 'pending' THEN created_at END) FROM outbox").fetchone()
        return OutboxCounts(pending=int(row[0] or 0), attention=int(row[1] or 0), oldest_pending_at=_dt(row[2]))

    # --- recording what happened ----------------------------------------------------------------------

    def record_answers(self, answers: Sequence[Answer]) -> list[bool]:
        """Several answers of one batch in one durable transaction (one fsync for the batch); for each,
        whether it was recorded (False: answered before, or changed since it was sent)."""
        now = self._now().isoformat()
        recorded = []
        with self._write() as conn:
            for a in answers:
                if a.state is ItemState.DONE:
                    cursor = conn.execute(
                        "UPDATE outbox SET state = 'done', result = ?, server_time = ?, answered_at = ?,"
                        " attempts = attempts + 1, last_attempt_at = ?, last_error = NULL, last_error_params = NULL"
                        " WHERE id = ? AND state = 'pending'",
                        (json.dumps(dict(a.result or {}), ensure_ascii=False),
                         a.server_time.isoformat() if a.server_time else None, now, now, a.item_id))
                elif a.state is ItemState.PENDING:
                    cursor = conn.execute(
                        "UPDATE outbox SET attempts = attempts + 1, last_attempt_at = ?, last_error = ?,"
                        " last_error_params = ? WHERE id = ? AND state = 'pending'",
                        (now, a.code, json.dumps(dict(a.params or {}), ensure_ascii=False), a.item_id))
                else:
                    cursor = conn.execute(
                        "UPDATE outbox SET state = ?, last_error = ?, last_error_params = ?, answered_at = ?,"
                        " attempts = attempts + 1, last_attempt_at = ? WHERE id = ? AND version = ?"
                        " AND state = 'pending'",
                        (a.state.value, a.code, json.dumps(dict(a.params or {}), ensure_ascii=False), now, now,
                         a.item_id, a.version))
                recorded.append(cursor.rowcount == 1)
        return recorded

    def record_attempt(self, item_id: int, *, code: str, params: Mapping[str, Any] | None = None) -> None:
        """A send that got no answer (or one that says "try later"): the item stays pending."""
        self.record_answers([Answer(item_id=item_id, state=ItemState.PENDING, code=code, params=params)])

    def record_done(self, item_id: int, *, result: Mapping[str, Any], server_time: dt.datetime | None) -> bool:
        """The server's answer: the item is done. False if it was answered before (another replayer)."""
        [recorded] = self.record_answers([Answer(item_id=item_id, state=ItemState.DONE, result=result,
                                                 server_time=server_time)])
        return recorded

    def record_refusal(self, item_id: int, *, version: int, state: ItemState, code: str,
                       params: Mapping[str, Any] | None = None) -> bool:
        """The server refused the item as sent (``version``): it becomes ``rejected`` or ``attention``.

        False when the item changed since that version was sent (accepted offline meanwhile): the caller
        sends it again as it is now.
        """
        if state not in (ItemState.REJECTED, ItemState.ATTENTION):
            raise ValueError(f"not a refusal state: {state}")
        [recorded] = self.record_answers([Answer(item_id=item_id, state=state, version=version, code=code,
                                                 params=params)])
        return recorded

    def accept_offline(self, item_id: int, *, patch: Mapping[str, Any] | None = None) -> OutboxItem:
        """The counter hands the receipt over without the server's answer: mark the item offline and apply
        ``patch`` (replay-neutral request fields such as ``accepted_offline``) for its next send.

        An item answered meanwhile is returned unchanged: the caller uses that answer instead.
        """
        with self._write() as conn:
            row = conn.execute("SELECT state, body, offline FROM outbox WHERE id = ?", (item_id,)).fetchone()
            if row is None:
                raise KeyError(item_id)
            if row[0] == ItemState.PENDING.value and not row[2]:
                body = {**json.loads(row[1]), **dict(patch or {})}
                conn.execute("UPDATE outbox SET offline = 1, body = ?, version = version + 1 WHERE id = ?",
                             (json.dumps(body, ensure_ascii=False), item_id))
        item = self.get(item_id)
        assert item is not None
        return item

    def adopt_unwatched(self) -> int:
        """Items sent online whose answer nobody waited for to the end (the client stopped meanwhile) are
        accepted offline now: the cashier confirmed them, so a replay must not be refused because the due
        changed or the day turned since (the offline rules). Only calls whose contract declares
        ``accepted_offline`` replay-neutral are touched. Call it when the outbox's sender starts."""
        registry = load_all()
        adopted = 0
        with self._write() as conn:
            rows = conn.execute(
                "SELECT id, method, body FROM outbox WHERE state = 'pending' AND offline = 0").fetchall()
            for item_id, method, body in rows:
                rpc = registry.get(method)
                if rpc is None or "accepted_offline" not in rpc.replay_neutral:
                    continue
                patched = {**json.loads(body), "accepted_offline": True}
                conn.execute("UPDATE outbox SET offline = 1, body = ?, version = version + 1 WHERE id = ?",
                             (json.dumps(patched, ensure_ascii=False), item_id))
                adopted += 1
        if adopted:
            log.warning("%d unanswered item(s) left by a stopped client are now accepted offline", adopted)
        return adopted

    def acknowledge(self, item_id: int, *, by: str) -> bool:
        """A supervisor has dealt with an item that needed attention (it stays listed, marked)."""
        with self._write() as conn:
            cursor = conn.execute("UPDATE outbox SET acknowledged_by = ?, acknowledged_at = ?"
                                  " WHERE id = ? AND state = 'attention' AND acknowledged_at IS NULL",
                                  (by, self._now().isoformat(), item_id))
            return cursor.rowcount == 1
