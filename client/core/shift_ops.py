"""Opening and closing a shift, and a void, through the counter's outbox (SPEC §5), on or off line.

Like a payment (:mod:`client.core.cashier`), each goes to the outbox first — request, idempotency key and,
for an open, the shift number the counter mints from its own sequence (``shared_models.rules.shift_numbers``)
— in one durable transaction; then the sync worker sends it, in order with the payments. When the server
answers within ``wait_s`` the answer is the server's; when it does not, the action is *done offline*: the
shift is open (or closed, or the receipt voided) at the counter at once, with the counter's own figures
(:mod:`client.core.offline_shift`), and the outbox replays it exactly once when the link returns.

A close or a void done offline carries its supervisor's co-sign as verified at the counter
(:mod:`client.core.offline_cosign`); the server accepts that only in a replay of the outbox (the sync worker
sends such items in ``outbox.replay_batch``).

Qt-free and blocking: run it in an ``Op``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from client.core.cashier import DESK_WAIT_S, refusal_of
from client.core.offline_auth import VerifierStore
from client.core.offline_cosign import verify_at_counter
from client.core.offline_shift import offline_closing, provisional_summary
from client.core.outbox.items import ItemState, OutboxItem
from client.core.outbox.queue import Outbox
from client.core.rpc_client import Cosign, RpcError
from client.core.sync import LinkState, SyncWorker
from shared_models.cosign import AttestedCosign
from shared_models.errors import ErrorCode
from shared_models.methods.payments import VOID_ATTESTED, AttestedVoidRequest, VoidResult
from shared_models.methods.shifts import (
    CLOSE,
    OPEN,
    CashCountLine,
    CloseShiftRequest,
    OpenShiftRequest,
    ShiftInfo,
    ShiftSummary,
    UnsentItem,
)
from shared_models.roles import Perm
from shared_models.rpc import Model
from shared_models.rules.receipts import ReceiptHeader
from shared_models.rules.shift_numbers import parse_shift_no

log = logging.getLogger(__name__)
T = TypeVar("T", bound=Model)


@dataclass(frozen=True)
class Queued(Generic[T]):
    """What became of a queued shift action: the server's answer, or the counter's own when done offline."""

    item: OutboxItem
    result: T | None
    offline: bool
    refused: RpcError | None


def _send(outbox: Outbox, sync: SyncWorker, item: OutboxItem, *, offline_now: bool, wait_s: float,
          patch: Mapping[str, Any]) -> OutboxItem:
    """Wait up to ``wait_s`` for the server (when the link is up), else mark the item done offline."""
    if offline_now:
        sync.wake()
        return item
    sync.watch(item.id)
    try:
        item = sync.wait_for(item.id, wait_s)
        if item.state is ItemState.PENDING:
            item = outbox.accept_offline(item.id, patch=patch)
            log.info("%s %s done offline after %.1f s without an answer", item.method, item.shift_no, wait_s)
    finally:
        sync.unwatch(item.id)
    return item


def _outcome(item: OutboxItem, model: type[T], offline: Callable[[], T]) -> Queued[T]:
    if item.state is ItemState.DONE and item.result is not None:
        return Queued(item=item, result=model.model_validate_json(item.result_json), offline=item.offline, refused=None)
    if item.state in (ItemState.REJECTED, ItemState.ATTENTION):
        return Queued(item=item, result=None, offline=item.offline, refused=refusal_of(item))
    return Queued(item=item, result=offline(), offline=True, refused=None)


def must_queue(outbox: Outbox, sync: SyncWorker, shift_no: str | None = None) -> bool:
    """Whether an action on the shift must be done offline: the link is down, or the shift (its open, or
    anything before it) is still waiting in the outbox, so the server does not know it yet."""
    if sync.link is LinkState.DOWN:
        return True
    if shift_no is None:
        return False
    return any(i.method == OPEN.name for i in outbox.items(states=[ItemState.PENDING], shift_no=shift_no))


def open_shift(*, outbox: Outbox, sync: SyncWorker, username: str, header: ReceiptHeader, hall_code: str,
               float_fen: int, server_next_shift_seq: int, local_time: dt.datetime,
               wait_s: float = DESK_WAIT_S) -> Queued[ShiftInfo]:
    """Queue the open with the counter's next shift number; the server's shift, or the counter's own."""
    offline_now = sync.link is LinkState.DOWN

    def build(shift_no: str | None) -> OpenShiftRequest:
        return OpenShiftRequest(float_fen=float_fen, shift_no=shift_no, opened_offline=offline_now,
                                local_time=local_time)

    item = outbox.submit(method=OPEN.name, build=build, counter_code=header.counter_code, username=username,
                         amount_fen=float_fen, shift_numbered=True,
                         summary={"float_fen": float_fen, "cashier_name": header.cashier_name, "hall_code": hall_code},
                         server_next_shift_seq=server_next_shift_seq, offline=offline_now)
    number = str(item.body["shift_no"])
    item = _send(outbox, sync, item, offline_now=offline_now, wait_s=wait_s, patch={"opened_offline": True})

    def counters_own() -> ShiftInfo:
        return ShiftInfo(shift_no=number, cashier_username=username, cashier_name=header.cashier_name,
                         counter_code=header.counter_code, hall_code=hall_code,
                         business_date=parse_shift_no(number)[1], opened_at=local_time, float_fen=float_fen,
                         closed_at=None, opened_offline=True, local_opened_at=local_time)

    return _outcome(item, ShiftInfo, counters_own)


def close_shift(*, outbox: Outbox, sync: SyncWorker, username: str, summary: ShiftSummary,
                cash_counts: Sequence[CashCountLine], deposit_slip_no: str, note: str, unsent: Sequence[UnsentItem],
                cosign: AttestedCosign | None, cosigner_name: str | None, local_time: dt.datetime,
                wait_s: float = DESK_WAIT_S) -> Queued[ShiftSummary]:
    """Queue the close of ``summary``'s shift done at the counter with the link down (its count, unsent list
    and the co-sign verified at the counter); the server's final summary, or the counter's own."""
    shift = summary.shift
    own = provisional_summary(shift, outbox.items(shift_no=shift.shift_no), server=summary)  # online and offline voids
    closing = offline_closing(summary=own, counts=cash_counts, deposit_slip_no=deposit_slip_no, note=note,
                              approved_by=cosigner_name, local_time=local_time)
    final = own.model_copy(update={"closing": closing, "shift": shift.model_copy(update={"closed_at": local_time})})
    req = CloseShiftRequest(shift_no=shift.shift_no, cash_counts=list(cash_counts), deposit_slip_no=deposit_slip_no,
                            note=note, unsent=list(unsent), closed_offline=True, local_time=local_time,
                            attested_cosign=cosign)
    item = outbox.submit(method=CLOSE.name, build=lambda _n: req, counter_code=shift.counter_code, username=username,
                         shift_no=shift.shift_no, offline=True,
                         summary={"cosigner_name": cosigner_name or "", "provisional": final.model_dump(mode="json")})
    item = _send(outbox, sync, item, offline_now=True, wait_s=wait_s, patch={})
    return _outcome(item, ShiftSummary, lambda: final)


def void_offline(*, outbox: Outbox, sync: SyncWorker, username: str, cashier_name: str, counter_code: str,
                 shift_no: str, receipt_no: str, customer_no: str | None, amount_fen: int, reason: str,
                 cosign: AttestedCosign, cosigner_name: str, local_time: dt.datetime,
                 wait_s: float = DESK_WAIT_S) -> Queued[VoidResult]:
    """Queue a void done at the counter with the link down, behind the payment it voids."""
    req = AttestedVoidRequest(receipt_no=receipt_no, reason=reason, attested_cosign=cosign, local_time=local_time)
    item = outbox.submit(method=VOID_ATTESTED.name, build=lambda _n: req, counter_code=counter_code,
                         username=username, shift_no=shift_no, customer_no=customer_no, amount_fen=amount_fen,
                         summary={"cosigner_name": cosigner_name, "receipt_no": receipt_no}, offline=True)
    item = _send(outbox, sync, item, offline_now=True, wait_s=wait_s, patch={})

    def counters_own() -> VoidResult:
        return VoidResult(receipt_no=receipt_no, amount_fen=amount_fen, voided_at=local_time, voided_by=cashier_name,
                          cosigned_by=cosigner_name, reason=reason.strip(), cosign_at_counter=True)

    return _outcome(item, VoidResult, counters_own)


# --- what the screens ask, on or off line -----------------------------------------------------------------


def local_current(outbox: Outbox, username: str) -> tuple[ShiftInfo | None, bool]:
    """The user's open shift as the outbox knows it — the last shift they opened here with no close queued
    after it — and whether its open still waits to be sent (then the server does not know it yet)."""
    items = outbox.items(limit=1000)  # newest first
    for item in items:
        if item.username != username or item.method != OPEN.name or item.state not in (ItemState.PENDING,
                                                                                       ItemState.DONE):
            continue
        if _close_queued(items, item.shift_no):
            return None, False
        if item.state is ItemState.DONE and item.result is not None:
            return ShiftInfo.model_validate_json(item.result_json), False
        return _opened_here(item), True
    return None, False


def _close_queued(items: Iterable[OutboxItem], shift_no: str | None) -> bool:
    """Whether ``items`` hold a close of ``shift_no`` (pending or done, not refused)."""
    return any(i.method == CLOSE.name and i.shift_no == shift_no and i.state is not ItemState.REJECTED for i in items)


def closed_here(outbox: Outbox, shift_no: str) -> bool:
    """Whether a close of ``shift_no`` was queued at this counter (only that shift's items are read)."""
    return _close_queued(outbox.items(shift_no=shift_no, limit=1000), shift_no)


def _opened_here(item: OutboxItem) -> ShiftInfo:
    number = str(item.body["shift_no"])
    local = item.body.get("local_time")
    opened = dt.datetime.fromisoformat(local) if isinstance(local, str) else item.created_at
    return ShiftInfo(shift_no=number, cashier_username=item.username,
                     cashier_name=str(item.summary.get("cashier_name", item.username)),
                     counter_code=item.counter_code, hall_code=str(item.summary.get("hall_code", "")),
                     business_date=parse_shift_no(number)[1], opened_at=opened, float_fen=int(item.body["float_fen"]),
                     closed_at=None, opened_offline=True, local_opened_at=opened)


def payment_item(outbox: Outbox, receipt_no: str) -> OutboxItem | None:
    """The outbox item of a payment taken at this counter, by receipt number."""
    return next((i for i in outbox.items(limit=1000) if i.receipt_no == receipt_no and i.method != VOID_ATTESTED.name),
                None)


def void_must_queue(outbox: Outbox, sync: SyncWorker, receipt_no: str) -> bool:
    """Whether a void must be done at the counter: the link is down, or the payment (or its shift's open)
    still waits in the outbox, so the server cannot void it yet."""
    paid = payment_item(outbox, receipt_no)
    if paid is None:
        return sync.link is LinkState.DOWN
    return paid.state is ItemState.PENDING or must_queue(outbox, sync, paid.shift_no)


def pending_closes(outbox: Outbox, day: dt.date) -> list[ShiftSummary]:
    """The counter's own final figures of the shifts of ``day`` it closed with the link down and has not yet
    replayed: what the provisional 日结单 prints until the server's (final) one can."""
    closes = [i for i in outbox.items(states=[ItemState.PENDING], limit=1000) if i.method == CLOSE.name]
    summaries = []
    for item in sorted(closes, key=lambda i: i.id):
        own = item.summary.get("provisional")
        if isinstance(own, dict):
            summary = ShiftSummary.model_validate_json(json.dumps(own))  # strict: dates as JSON text
            if summary.shift.business_date == day:
                summaries.append(summary)
    return summaries


def void_at_counter(*, outbox: Outbox, sync: SyncWorker, verifiers: VerifierStore | None, username: str,
                    cashier_name: str, counter_code: str, receipt_no: str, reason: str, cosign: Cosign,
                    now: dt.datetime, wait_s: float = DESK_WAIT_S) -> VoidResult:
    """(worker) A void while the link is down, or before the payment reached the server: the co-sign checked
    against the supervisor's cached verifier, the void queued behind the payment; the counter's own result
    (or the server's, when it answered in time). Only a payment this cashier took here can be voided so."""
    paid = payment_item(outbox, receipt_no)
    if paid is None or paid.shift_no is None or paid.username != username:
        raise RpcError(ErrorCode.RECEIPT_NOT_FOUND, {"receipt_no": receipt_no})
    if any(i.method == VOID_ATTESTED.name and i.body.get("receipt_no") == receipt_no
           and i.state is not ItemState.REJECTED for i in outbox.items(shift_no=paid.shift_no)):
        raise RpcError(ErrorCode.ALREADY_VOIDED, {"receipt_no": receipt_no})
    signed = verify_at_counter(verifiers, cosign, counter_code=counter_code, actor=username,
                               permission=Perm.APPROVE, now=now)
    outcome = void_offline(outbox=outbox, sync=sync, username=username, cashier_name=cashier_name,
                           counter_code=counter_code, shift_no=paid.shift_no, receipt_no=receipt_no,
                           customer_no=paid.customer_no, amount_fen=paid.amount_fen, reason=reason,
                           cosign=signed.attestation, cosigner_name=signed.display_name, local_time=now,
                           wait_s=wait_s)
    if outcome.refused is not None:
        raise outcome.refused
    assert outcome.result is not None
    return outcome.result
