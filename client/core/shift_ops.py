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
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from client.core.cashier import DESK_WAIT_S, ReceiptHeader
from client.core.offline_shift import offline_closing, provisional_summary
from client.core.outbox import ItemState, Outbox, OutboxItem
from client.core.rpc_client import RpcError
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
from shared_models.rpc import Model
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


def _refusal(item: OutboxItem) -> RpcError:
    try:
        code = ErrorCode(item.last_error or ErrorCode.INTERNAL_ERROR.value)
    except ValueError:
        code = ErrorCode.INTERNAL_ERROR
    return RpcError(code, item.last_error_params)


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
        return Queued(item=item, result=None, offline=item.offline, refused=_refusal(item))
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
                         amount_fen=float_fen, summary={"float_fen": float_fen}, shift_numbered=True,
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
    req = CloseShiftRequest(shift_no=shift.shift_no, cash_counts=list(cash_counts), deposit_slip_no=deposit_slip_no,
                            note=note, unsent=list(unsent), closed_offline=True, local_time=local_time,
                            attested_cosign=cosign)
    item = outbox.submit(method=CLOSE.name, build=lambda _n: req, counter_code=shift.counter_code, username=username,
                         shift_no=shift.shift_no, summary={"cosigner_name": cosigner_name or ""}, offline=True)
    item = _send(outbox, sync, item, offline_now=True, wait_s=wait_s, patch={})

    def counters_own() -> ShiftSummary:
        items = outbox.items(shift_no=shift.shift_no)
        own = provisional_summary(shift, items, server=summary)  # its voids: online ones and offline ones
        closing = offline_closing(summary=own, counts=cash_counts, deposit_slip_no=deposit_slip_no, note=note,
                                  approved_by=cosigner_name, local_time=local_time)
        return own.model_copy(update={"closing": closing,
                                      "shift": shift.model_copy(update={"closed_at": local_time})})

    return _outcome(item, ShiftSummary, counters_own)


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
