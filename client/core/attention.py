"""The outbox's items that need attention, told to the center; the unsent list a shift closes with (SPEC §5).

* :func:`report_new_attention` reports every outbox item in state ``attention`` (refused on replay after the
  money was taken) with ``sync.report_attention``, once: what was reported is remembered in the table
  ``attention_reports`` of the outbox's own SQLite file (this module's, created on first use; the outbox's
  schema is not touched). The report's idempotency key derives from the item's, so a report whose answer
  was lost is replayed, not doubled; the server keeps one report per item anyway.
* :func:`apply_acknowledgements` marks local items acknowledged once a supervisor acknowledged them on the
  server (from any PC of the hall), so the counter's status bar stops counting them.
* :func:`unsent_items` describes the outbox's pending payments of a shift as the ``unsent`` list of
  ``shift.close_shift``: the list a supervisor signs.

Qt-free and blocking (disk and network): run it in an ``Op`` or on the sync worker's thread.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import sqlite3
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from pydantic import ValidationError

from client.core.actions import ConfirmedAction
from client.core.outbox.items import ItemState, OutboxItem
from client.core.outbox.queue import Outbox
from client.core.outbox.store import OutboxError
from client.core.rpc_client import SESSION_LOST_CODES, RpcClient, RpcError
from client.core.sync import LINK_CODES, RETRY_CODES
from shared_models.errors import ErrorCode
from shared_models.ids import IdempotencyKey
from shared_models.methods.payments import PAY, TenderMethod
from shared_models.methods.shifts import UnsentItem
from shared_models.methods.sync import REPORT_ATTENTION, AttentionItem, ReportAttentionRequest
from shared_models.rules.hall_time import hall_now

log = logging.getLogger(__name__)

#: Namespace of the report keys: ``uuid5(REPORT_NAMESPACE, item key)``.
REPORT_NAMESPACE: Final = uuid.UUID("5b7e0d1c-8f0e-4a53-9d2e-6a1f3c0b9e47")
#: How many attention items one run looks at (they are few: each is money a supervisor must deal with).
MAX_ITEMS: Final = 2000

_SCHEMA: Final = ("CREATE TABLE IF NOT EXISTS attention_reports"
                  " (item_id INTEGER PRIMARY KEY, reported_at TEXT NOT NULL, refused_code TEXT)")
_PARAM_KEY: Final = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_SHIFT_NO: Final = re.compile(r"^[A-Za-z0-9_-]{3,40}$")
_MAX_PARAMS: Final = 16
_MAX_PARAM_TEXT: Final = 200
#: The server could not be asked now: stop and try again on the next run.
_NOT_NOW: Final = LINK_CODES | RETRY_CODES | SESSION_LOST_CODES


@dataclass(frozen=True)
class ReportRun:
    """What one :func:`report_new_attention` run did."""

    #: Items the server now has (reported in this run).
    reported: int
    #: Items the server refused to store (kept in the outbox, never retried; the log says why).
    refused: int
    #: Items still to report (the server could not be reached, or nobody is signed in).
    waiting: int
    #: Why the run stopped early, or None.
    stopped_by: ErrorCode | None


def report_key(item_key: str) -> IdempotencyKey:
    """The idempotency key of the report of the item ``item_key``: the same on every try."""
    return IdempotencyKey(str(uuid.uuid5(REPORT_NAMESPACE, f"report:{item_key.lower()}")))


class AttentionReports:
    """The ``attention_reports`` table of an outbox file: which attention items were reported."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        except sqlite3.Error as exc:
            raise OutboxError(str(exc)) from exc
        try:
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute(_SCHEMA)
            yield conn
        except sqlite3.Error as exc:
            raise OutboxError(str(exc)) from exc
        finally:
            conn.close()

    def done(self) -> dict[int, str | None]:
        """Item id -> None (reported) or the code the server refused the report with."""
        with self._connect() as conn:
            return {int(r[0]): r[1] for r in conn.execute("SELECT item_id, refused_code FROM attention_reports")}

    def mark(self, item_id: int, *, refused_code: str | None = None) -> None:
        """Remember that the item was reported (or refused for good)."""
        with self._connect() as conn:
            conn.execute("INSERT OR IGNORE INTO attention_reports (item_id, reported_at, refused_code)"
                         " VALUES (?, ?, ?)", (item_id, hall_now().isoformat(), refused_code))


def _params(params: Mapping[str, Any]) -> dict[str, str | int]:
    """The refusal's parameters as the contract takes them: short keys, text or whole numbers, at most 16."""
    kept: dict[str, str | int] = {}
    for key, value in params.items():
        if len(kept) >= _MAX_PARAMS or not _PARAM_KEY.match(str(key)):
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            kept[str(key)] = value
        elif isinstance(value, str):
            kept[str(key)] = value[:_MAX_PARAM_TEXT]
    return kept


def _local_time(item: OutboxItem) -> dt.datetime:
    """When the cashier confirmed, by the counter's clock: the request's ``local_time``, else when it was queued."""
    text = item.body.get("local_time")
    if isinstance(text, str):
        with contextlib.suppress(ValueError):
            return dt.datetime.fromisoformat(text)
    return item.created_at


def report_request(item: OutboxItem) -> ReportAttentionRequest:
    """The report of one attention item (ValidationError when the item cannot be described)."""
    try:
        code = ErrorCode(item.last_error or ErrorCode.INTERNAL_ERROR.value)
        params = _params(item.last_error_params)
    except ValueError:  # a code this client does not know (a newer server): keep it in the parameters
        code, params = ErrorCode.INTERNAL_ERROR, {"code": str(item.last_error)[:_MAX_PARAM_TEXT]}
    return ReportAttentionRequest(
        item_key=item.key, method=item.method, receipt_no=item.receipt_no, customer_no=item.customer_no,
        amount_fen=max(0, item.amount_fen), error_code=code, error_params=params, taken_by=item.username,
        shift_no=item.shift_no if item.shift_no and _SHIFT_NO.match(item.shift_no) else None,
        local_time=_local_time(item), offline=item.offline,
    )


def report_new_attention(outbox: Outbox, rpc: RpcClient) -> ReportRun:
    """Report the attention items not reported yet, oldest first; stop when the server cannot be asked."""
    reports = AttentionReports(outbox.path)
    done = reports.done()
    todo = sorted((i for i in outbox.items(states=[ItemState.ATTENTION], limit=MAX_ITEMS) if i.id not in done),
                  key=lambda i: i.id)
    reported = refused = 0
    for n, item in enumerate(todo):
        try:
            req = report_request(item)
        except ValidationError:
            log.exception("attention item %d cannot be described to the server; listed on this counter only", item.id)
            reports.mark(item.id, refused_code=ErrorCode.INVALID_REQUEST.value)
            refused += 1
            continue
        try:
            rpc.send(REPORT_ATTENTION, req, action=ConfirmedAction.from_outbox(report_key(item.key)))
        except RpcError as exc:
            if exc.code in _NOT_NOW:
                return ReportRun(reported=reported, refused=refused, waiting=len(todo) - n, stopped_by=exc.code)
            log.error("the server refused the report of attention item %d: %s %s", item.id, exc.code.value, exc.params)
            reports.mark(item.id, refused_code=exc.code.value)
            refused += 1
            continue
        reports.mark(item.id)
        reported += 1
        log.info("attention item %d (receipt %s) reported", item.id, item.receipt_no)
    return ReportRun(reported=reported, refused=refused, waiting=0, stopped_by=None)


def apply_acknowledgements(outbox: Outbox, items: Sequence[AttentionItem]) -> int:
    """Mark local attention items acknowledged that a supervisor acknowledged on the server; how many."""
    acknowledged = {i.item_key.lower(): i.acknowledged_by for i in items if i.acknowledged_by is not None}
    if not acknowledged:
        return 0
    marked = 0
    for local in outbox.items(states=[ItemState.ATTENTION], limit=MAX_ITEMS):
        by = acknowledged.get(local.key.lower())
        if by is not None and local.acknowledged_at is None and outbox.acknowledge(local.id, by=by):
            marked += 1
    return marked


def cash_part(item: OutboxItem) -> int:
    """The cash part of a queued payment (fen): what it put in the drawer."""
    tenders = item.body.get("tenders")
    if not isinstance(tenders, list):
        return 0
    return sum(int(t.get("amount_fen", 0)) for t in tenders
               if isinstance(t, dict) and t.get("method") == TenderMethod.CASH.value)


def unsent_items(outbox: Outbox, shift_no: str) -> list[UnsentItem]:
    """The shift's payments still pending in the outbox, oldest first, as the close's ``unsent`` list."""
    pending = outbox.items(states=[ItemState.PENDING], shift_no=shift_no, limit=MAX_ITEMS)
    unsent = []
    for item in sorted(pending, key=lambda i: i.id):
        if item.method != PAY.name or item.receipt_no is None or item.customer_no is None:
            continue  # only payments carry money and a receipt number
        unsent.append(UnsentItem(
            idempotency_key=item.key, method=item.method, receipt_no=item.receipt_no, customer_no=item.customer_no,
            amount_fen=item.amount_fen, cash_fen=min(cash_part(item), item.amount_fen), local_time=_local_time(item),
        ))
    return unsent
