"""What an outbox item is: its state, the stored call and what became of it, an answer to record, the
counts the status bar shows, and how a row of the ``outbox`` table reads as an item."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from shared_models.ids import IdempotencyKey


class ItemState(StrEnum):
    """Where an outbox item stands (see the module docstring)."""

    PENDING = "pending"
    DONE = "done"
    REJECTED = "rejected"
    ATTENTION = "attention"


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


#: The columns of an item, in the order :func:`item_from_row` reads them.
COLUMNS: Final = ("id, key, method, body, receipt_no, counter_code, username, shift_no, customer_no, amount_fen,"
                  " summary, created_at, offline, version, state, attempts, last_attempt_at, last_error,"
                  " last_error_params, result, server_time, answered_at, acknowledged_by, acknowledged_at")


def item_from_row(row: Sequence[Any]) -> OutboxItem:
    """The item a row of ``SELECT {COLUMNS} FROM outbox`` stands for."""
    return OutboxItem(
        id=int(row[0]), key=IdempotencyKey(row[1]), method=row[2], body=json.loads(row[3]), receipt_no=row[4],
        counter_code=row[5], username=row[6], shift_no=row[7], customer_no=row[8], amount_fen=int(row[9]),
        summary=json.loads(row[10] or "{}"), created_at=dt.datetime.fromisoformat(row[11]), offline=bool(row[12]),
        version=int(row[13]), state=ItemState(row[14]), attempts=int(row[15]),
        last_attempt_at=stored_time(row[16]),
        last_error=row[17], last_error_params=json.loads(row[18] or "{}"),
        result=json.loads(row[19]) if row[19] else None, server_time=stored_time(row[20]),
        answered_at=stored_time(row[21]),
        acknowledged_by=row[22], acknowledged_at=stored_time(row[23]),
    )


def stored_time(text: str | None) -> dt.datetime | None:
    """A time stored as ISO text (None: none stored)."""
    return dt.datetime.fromisoformat(text) if text else None
