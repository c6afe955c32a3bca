"""The outbox as a queue (:class:`Outbox`): every confirmed mutation stored with its idempotency key (and its
receipt or shift number) in one durable local transaction before it is first sent; the answers the sync
worker (:mod:`client.core.sync`) records against it; what the cashier and the supervisor read of it."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from client.core.outbox import numbering
from client.core.outbox.damage import retire_marker
from client.core.outbox.items import COLUMNS, Answer, ItemState, OutboxCounts, OutboxItem, item_from_row, stored_time
from client.core.outbox.legacy import import_legacy_receipt_book
from client.core.outbox.store import OUTBOX_FILE, OutboxFile
from shared_models.ids import IdempotencyKey, new_idempotency_key
from shared_models.rpc import Model, load_all
from shared_models.rules.hall_time import business_date, hall_now

log = logging.getLogger(__name__)


class Outbox:
    """The outbox and receipt numbering of one counter PC (``client.core.outbox``)."""

    def __init__(self, path: Path, *, now: Callable[[], dt.datetime] = hall_now,
                 max_pages: int | None = None) -> None:
        self._file = OutboxFile(path, max_pages=max_pages)
        self._now = now

    @property
    def path(self) -> Path:
        """The outbox file."""
        return self._file.path

    # --- opening ----------------------------------------------------------------------------------

    @classmethod
    def in_folder(cls, data_dir: Path, **kwargs: Any) -> Outbox:
        """The outbox of the client data folder (not opened yet: :meth:`open` checks it)."""
        return cls(data_dir / OUTBOX_FILE, **kwargs)

    def open(self) -> Outbox:
        """Create the file or check the existing one; ``OutboxDamagedError`` if it cannot be trusted."""
        existed = self.path.exists()
        if existed:
            self._file.check_integrity()
        with self._file.connect():
            pass
        if not existed:
            import_legacy_receipt_book(self._file)
        return self

    # --- numbers ----------------------------------------------------------------------------------------

    def _today(self) -> dt.date:
        return business_date(self._now())

    def acknowledge_damage(self, *, by: str, server_next_seq: int, counter_code: str) -> None:
        """A supervisor acknowledged the set-aside file: numbering jumps past any number it may hold."""
        with self._file.write() as conn:
            numbering.jump_after_damage(conn, counter_code=counter_code, day=self._today(),
                                        server_next_seq=server_next_seq)
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('damage_acknowledged', ?)",
                         (json.dumps({"by": by, "at": self._now().isoformat()}),))
        retire_marker(self.path.parent, now=self._now())

    def note_shift_floor(self, counter_code: str, next_seq: int) -> None:
        """The server's next shift sequence of this counter today: the counter's own numbering never goes
        below it (shifts numbered by the server before, or by another client of this counter)."""
        with self._file.write() as conn:
            numbering.note_shift_floor(conn, counter_code=counter_code, day=self._today(), next_seq=next_seq)

    def last_receipt_seq(self, counter_code: str, day: dt.date | None = None) -> int:
        """The last receipt sequence taken for ``counter_code`` on ``day`` (today), 0 if none."""
        with self._file.connect() as conn:
            return numbering.last_receipt_seq(conn, counter_code=counter_code, day=day or self._today())

    def remember_server_shift(self, *, counter_code: str, username: str, shift_json: str | None) -> None:
        """The open shift the server last reported for ``username`` here (JSON of ``ShiftInfo``; None: none).

        With the link down the counter still knows a shift opened by the server (or before this counter's
        outbox existed, or in a file since set aside), so its cashier can go on taking payments offline.
        """
        key = f"server_shift:{counter_code}:{username}"
        with self._file.write() as conn:
            if shift_json is None:
                conn.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, shift_json))

    def server_shift(self, *, counter_code: str, username: str) -> str | None:
        """What :meth:`remember_server_shift` stored for ``username`` here, or None."""
        with self._file.connect() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?",
                               (f"server_shift:{counter_code}:{username}",)).fetchone()
        return str(row[0]) if row else None

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
        with self._file.write() as conn:
            receipt_no = (numbering.take_receipt_no(conn, counter_code=counter_code, day=business_date(now),
                                                    server_next_seq=server_next_seq, taken_at=now)
                          if numbered else None)
            if shift_numbered:
                shift_no = numbering.take_shift_no(conn, counter_code=counter_code, day=business_date(now),
                                                   server_next_seq=server_next_shift_seq)
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

    def take_receipt_no(self, *, counter_code: str, server_next_seq: int = 1) -> str:
        """Take the counter's next receipt number for a call that is sent directly, not queued (a card sale:
        it needs the link, ``client.core.card_flow``); from the same numbering as queued payments, recorded as
        taken in one durable transaction. ValueError when the day's numbers are used up."""
        now = self._now()
        with self._file.write() as conn:
            return numbering.take_receipt_no(conn, counter_code=counter_code, day=business_date(now),
                                             server_next_seq=server_next_seq, taken_at=now)

    # --- reading --------------------------------------------------------------------------------------

    def get(self, item_id: int) -> OutboxItem | None:
        """One item by id."""
        with self._file.connect() as conn:
            row = conn.execute(f"SELECT {COLUMNS} FROM outbox WHERE id = ?", (item_id,)).fetchone()  # noqa: S608
        return item_from_row(row) if row else None

    def pending(self, username: str, *, limit: int) -> list[OutboxItem]:
        """The oldest unanswered items taken by ``username``, in the order they were taken."""
        with self._file.connect() as conn:
            rows = conn.execute(
                f"SELECT {COLUMNS} FROM outbox WHERE state = 'pending' AND username = ? ORDER BY id LIMIT ?",  # noqa: S608
                (username, limit)).fetchall()
        return [item_from_row(r) for r in rows]

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
        with self._file.connect() as conn:
            rows = conn.execute(f"SELECT {COLUMNS} FROM outbox {clause} ORDER BY id DESC LIMIT ?",  # noqa: S608
                                (*params, limit)).fetchall()
        return [item_from_row(r) for r in rows]

    def counts(self) -> OutboxCounts:
        """Pending and needs-attention counts and the oldest pending item's time (one query)."""
        with self._file.connect() as conn:
            row = conn.execute(
                "SELECT sum(state = 'pending'), sum(state = 'attention' AND acknowledged_at IS NULL),"
                " min(CASE WHEN state = 'pending' THEN created_at END) FROM outbox").fetchone()
        return OutboxCounts(pending=int(row[0] or 0), attention=int(row[1] or 0), oldest_pending_at=stored_time(row[2]))

    # --- recording what happened ----------------------------------------------------------------------

    def record_answers(self, answers: Sequence[Answer]) -> list[bool]:
        """Several answers of one batch in one durable transaction (one fsync for the batch); for each,
        whether it was recorded (False: answered before, or changed since it was sent)."""
        now = self._now().isoformat()
        recorded = []
        with self._file.write() as conn:
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
        with self._file.write() as conn:
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
        with self._file.write() as conn:
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
        with self._file.write() as conn:
            cursor = conn.execute("UPDATE outbox SET acknowledged_by = ?, acknowledged_at = ?"
                                  " WHERE id = ? AND state = 'attention' AND acknowledged_at IS NULL",
                                  (by, self._now().isoformat(), item_id))
            return cursor.rowcount == 1
