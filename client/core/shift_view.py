"""What the shift screen shows, from the server or — with the link down — from the counter's outbox (SPEC §5).

Each function is a worker's job (blocking: network and disk) and answers with whether the answer is the
counter's own (``offline``): the open shift (:func:`current_shift`), its figures (:func:`shift_summary`) and what
the close dialog counts against (:func:`close_figures`). The counter's own view is used when the link is down
or when the shift is not on the server yet (its open still waits in the outbox).
"""

from __future__ import annotations

from dataclasses import dataclass

from client.core.attention import unsent_items
from client.core.offline_shift import close_unsent, provisional_summary
from client.core.outbox.queue import Outbox
from client.core.rpc_client import RpcClient, RpcError
from client.core.shift_ops import closed_here, local_current, must_queue
from client.core.sync import OFFLINE_CODES, LinkState, SyncWorker
from shared_models.methods.shifts import (
    GET_CURRENT,
    SUMMARY,
    CurrentShift,
    ShiftInfo,
    ShiftRequest,
    ShiftSummary,
    UnsentItem,
)
from shared_models.rpc import Empty


@dataclass(frozen=True)
class CloseFigures:
    """What the close dialog opens with: the figures, the unsent list, and whether the close is done offline."""

    summary: ShiftSummary
    unsent: list[UnsentItem]
    offline: bool


def current_shift(*, rpc: RpcClient, outbox: Outbox | None, sync: SyncWorker | None, username: str,
                  counter_code: str) -> tuple[CurrentShift, bool]:
    """The user's open shift here: the server's, or the counter's own when the link is down or the shift's open
    still waits in the outbox; True when it is the counter's own."""
    if outbox is None or sync is None:
        return rpc.call(GET_CURRENT, Empty()), False
    local, pending = local_current(outbox, username)
    if sync.link is not LinkState.DOWN:
        try:
            current = rpc.call(GET_CURRENT, Empty())
        except RpcError as exc:
            if exc.code not in OFFLINE_CODES:
                raise
        else:
            if current.next_shift_seq > 1:  # shifts the server knows of today: never numbered again here
                outbox.note_shift_floor(counter_code, current.next_shift_seq)
            outbox.remember_server_shift(counter_code=counter_code, username=username,
                                         shift_json=current.shift.model_dump_json() if current.shift else None)
            if not pending:
                return current, False
            return current.model_copy(update={"shift": local}), True
    if local is None:
        local = remembered_open_shift(outbox, counter_code=counter_code, username=username)
    return CurrentShift(shift=local, next_receipt_seq=1, next_shift_seq=1), local is not None


def remembered_open_shift(outbox: Outbox, *, counter_code: str, username: str) -> ShiftInfo | None:
    """The open shift the server last reported here, unless a close of it waits in (or went through) the outbox."""
    text = outbox.server_shift(counter_code=counter_code, username=username)
    if text is None:
        return None
    shift = ShiftInfo.model_validate_json(text)
    if shift.closed_at is not None or closed_here(outbox, shift.shift_no):
        return None
    return shift


def shift_summary(*, rpc: RpcClient, outbox: Outbox | None, sync: SyncWorker | None, info: ShiftInfo,
                  last_server: ShiftSummary | None) -> tuple[ShiftSummary, bool]:
    """The shift's figures: the server's, or the counter's own (True) when it cannot have them."""
    if outbox is None or sync is None or not must_queue(outbox, sync, info.shift_no):
        try:
            return rpc.call(SUMMARY, ShiftRequest(shift_no=info.shift_no)), False
        except RpcError as exc:
            if outbox is None or exc.code not in OFFLINE_CODES:
                raise
    return provisional_summary(info, outbox.items(shift_no=info.shift_no), server=last_server), True


def close_figures(*, rpc: RpcClient, outbox: Outbox | None, sync: SyncWorker | None, info: ShiftInfo,
                  last_server: ShiftSummary | None) -> CloseFigures:
    """The figures and unsent list the close dialog counts against (``client.core.close_count``: the booked
    figures plus the unsent payments). Online the booked figures are the server's; offline they are the counter's
    own over the shift's payments that are not on the unsent list, so both add the unsent cash the same way."""
    summary, offline = shift_summary(rpc=rpc, outbox=outbox, sync=sync, info=info, last_server=last_server)
    if outbox is None:
        return CloseFigures(summary=summary, unsent=[], offline=False)
    unsent = unsent_items(outbox, info.shift_no)
    if not offline:
        return CloseFigures(summary=summary, unsent=unsent, offline=False)
    items = outbox.items(shift_no=info.shift_no)
    unsent = close_unsent(items, unsent, last_server)
    listed = {u.idempotency_key for u in unsent}
    booked = provisional_summary(info, [i for i in items if i.key not in listed], server=last_server)
    return CloseFigures(summary=booked, unsent=unsent, offline=True)
