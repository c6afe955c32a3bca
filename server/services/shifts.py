"""Cashier shifts (SPEC C4): open with a float, the running summary, close with the cash count.

A shift belongs to one cashier on one counter. Its number is ``<counter>-<YYYYMMDD>-<nn>``, the
``nn``-th shift opened at that counter on that China business day (``H0101-20261123-01``), minted by the
counter itself (on or off line) within ``shared_models.rules.shift_numbers``; the server numbers it only
for a client that sends none. A shift opened or closed with the link down arrives replayed from the
counter's outbox, in order with its payments, carrying the counter's clock (kept beside the server's). A cashier
has at most one open shift, anywhere; it is "current" only at its own counter (payments go there),
and its cashier may close it from any counter. A shift is closed by adding its one ``shift_closings`` row;
both tables refuse UPDATE and DELETE, so a closed shift never changes: a second close is
``SHIFT_CLOSED``, payments need an open shift, and a void needs the receipt's shift open.

Who may close: the shift's cashier, or a supervisor (APPROVE) of the shift's hall (or above) when
the cashier cannot (left ill, forgot): the drawer is then counted by the supervisor. Either way a
cash difference needs the co-sign of a supervisor other than the one closing. Reading a summary
follows the same rule.

Unsent items (SPEC §5): payments the counter took in the shift that the server has not confirmed yet
(still in its outbox) travel with the close as ``unsent``. A shift with unsent items closes only when a
supervisor co-signs that list, difference or not; the list is stored (``shift_closing_unsent``, append-only)
and its cash counts as expected in the drawer (``shift_summary``). What the drawer should hold, the counted
cash and when a co-sign is needed are ``shared_models.rules.shift_totals``, the rule the counter's close dialog
shows.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from sqlalchemy import bindparam, exists, func, select
from sqlalchemy.orm import Session

from server.context import CallContext
from server.errors import AppError
from server.models.offline import ShiftClosingUnsent
from server.models.org import Counter
from server.models.payments import Payment, Shift, ShiftClosing
from server.models.users import User
from server.services.attested import record_attested
from server.services.org import units_up_from
from server.services.shift_summary import shift_info, summarize
from shared_models.errors import ErrorCode
from shared_models.methods.shifts import (
    CloseShiftRequest,
    CurrentShift,
    OpenShiftRequest,
    ShiftInfo,
    ShiftRequest,
    ShiftSummary,
)
from shared_models.roles import ROLE_PERMISSIONS, Perm
from shared_models.rpc import Empty
from shared_models.rules.hall_time import as_hall_time, business_date
from shared_models.rules.receipt_numbers import day_range, parse_receipt_no, server_next_seq
from shared_models.rules.shift_numbers import make_shift_no, parse_shift_no, shift_no_problem
from shared_models.rules.shift_totals import CashCountError, counted_cash_fen, drawer_at_close


def current_open_shift(ctx: CallContext, *, for_update: bool = False) -> Shift | None:
    """The actor's shift at the actor's counter that has no closing row, if any.

    ``for_update`` locks the shift row (FOR NO KEY UPDATE, the lock ``close_shift`` takes too), so a
    payment and the close of the same shift serialize; after the lock the closing is checked again in
    a statement of its own, which sees a close committed while this call waited.
    """
    actor = ctx.require_actor()
    params = {"user_id": actor.user_id, "counter_id": actor.counter_id}
    shift = ctx.session.scalar(_OPEN_SHIFT_FOR_UPDATE if for_update else _OPEN_SHIFT, params)
    if shift is not None and for_update and is_closed(ctx, shift.id):
        return None
    return shift


def is_closed(ctx: CallContext, shift_id: int) -> bool:
    """Whether the shift has its closing row (then it never changes again)."""
    return bool(ctx.session.scalar(_IS_CLOSED, {"shift_id": shift_id}))


# Built once at import: building a statement per call costs more Python time than running it.
_OPEN_SHIFT: Final = (
    select(Shift)
    .where(Shift.user_id == bindparam("user_id"), Shift.counter_id == bindparam("counter_id"),
           ~exists().where(ShiftClosing.shift_id == Shift.id))
    .order_by(Shift.id.desc())
    .limit(1)
)
_OPEN_SHIFT_FOR_UPDATE: Final = _OPEN_SHIFT.with_for_update(key_share=True)
_IS_CLOSED: Final = select(exists().where(ShiftClosing.shift_id == bindparam("shift_id")))


def _open_shift_of_user(session: Session, user_id: int) -> Shift | None:
    closed = exists().where(ShiftClosing.shift_id == Shift.id)
    return session.scalar(select(Shift).where(Shift.user_id == user_id, ~closed).order_by(Shift.id).limit(1))


def _next_receipt_seq(session: Session, counter_code: str, day: dt.date) -> int:
    """1 + the highest receipt sequence booked for this counter and day (1 when none).

    The range keeps the unique index on ``receipt_no`` usable whatever the collation; the prefix test
    makes the answer exact (``_`` in a counter code would be a LIKE wildcard, so no LIKE).
    """
    prefix, lo, hi = day_range(counter_code, day)
    highest = session.scalar(
        select(func.max(Payment.receipt_no))
        .where(Payment.receipt_no.between(lo, hi), func.left(Payment.receipt_no, len(prefix)) == prefix)
    )
    return server_next_seq(highest)


def _highest_shift_seq(session: Session, counter_id: int, counter_code: str, day: dt.date) -> int:
    """The highest shift sequence booked for a counter and day (0 when none). Counted by number, not by
    rows: a counter-minted sequence may leave a gap (a refused offline open)."""
    prefix = make_shift_no(counter_code, day, 1)[:-2]
    numbers = session.scalars(select(Shift.shift_no).where(Shift.counter_id == counter_id,
                                                           Shift.shift_no.startswith(prefix, autoescape=True)))
    seqs = [parse_shift_no(n)[2] for n in numbers if len(n) == len(prefix) + 2 and n[-2:].isdigit()]
    return max(seqs, default=0)


def get_current(*, ctx: CallContext, req: Empty) -> CurrentShift:
    """The caller's open shift at this counter and the next receipt and shift sequences of the counter today."""
    actor = ctx.require_actor()
    shift = current_open_shift(ctx)
    today = business_date(ctx.now)
    return CurrentShift(
        shift=shift_info(ctx.session, shift.id) if shift is not None else None,
        next_receipt_seq=_next_receipt_seq(ctx.session, actor.counter_code, today),
        next_shift_seq=_highest_shift_seq(ctx.session, actor.counter_id, actor.counter_code, today) + 1,
    )


def _counter_minted(ctx: CallContext, counter: Counter, shift_no: str) -> dt.date:
    """Check a shift number the counter minted (``shared_models.rules.shift_numbers``); its business day."""
    try:
        _, day, _ = parse_shift_no(shift_no)
    except ValueError:
        raise AppError(ErrorCode.SHIFT_NO_INVALID, shift_no=shift_no, problem="malformed") from None
    taken = bool(ctx.session.scalar(select(exists().where(Shift.shift_no == shift_no))))
    highest = _highest_shift_seq(ctx.session, counter.id, counter.code, day)
    problem = shift_no_problem(shift_no, counter_code=counter.code, today=business_date(ctx.now),
                               highest_booked=highest, taken=taken)
    if problem is not None:
        raise AppError(ErrorCode.SHIFT_NO_INVALID, shift_no=shift_no, problem=problem.value)
    return day


def open_shift(*, ctx: CallContext, req: OpenShiftRequest) -> ShiftInfo:
    """Open a shift at the caller's counter with the float in the drawer."""
    actor = ctx.require_actor()
    s = ctx.session
    # The user's row serializes their opens (one open shift anywhere), the counter's the numbering.
    # NO KEY UPDATE: rows inserted with a foreign key to them are not held up.
    s.execute(select(User.id).where(User.id == actor.user_id).with_for_update(key_share=True))
    counter = s.execute(
        select(Counter).where(Counter.id == actor.counter_id).with_for_update(key_share=True)
    ).scalar_one()
    already = _open_shift_of_user(s, actor.user_id)
    if already is not None:
        raise AppError(ErrorCode.SHIFT_ALREADY_OPEN, shift_no=already.shift_no)
    if req.shift_no is not None:  # minted by the counter (on or off line), within the shared rules
        day = _counter_minted(ctx, counter, req.shift_no)
        shift_no = req.shift_no
    else:
        day = business_date(ctx.now)
        shift_no = make_shift_no(counter.code, day, _highest_shift_seq(s, counter.id, counter.code, day) + 1)
    local_opened_at = as_hall_time(req.local_time) if req.local_time is not None else None
    shift = Shift(shift_no=shift_no, user_id=actor.user_id, counter_id=counter.id, hall_id=counter.hall_id,
                  business_date=day, opened_at=ctx.now, float_fen=req.float_fen,
                  opened_offline=req.opened_offline, local_opened_at=local_opened_at)
    s.add(shift)
    s.flush()
    after: dict[str, object] = {"float_fen": shift.float_fen, "counter": counter.code, "business_date": day.isoformat()}
    if req.shift_no is not None or req.opened_offline:
        after.update(counter_minted=req.shift_no is not None, opened_offline=req.opened_offline,
                     local_time=local_opened_at.isoformat() if local_opened_at else None)
    ctx.record(target=f"shift:{shift.shift_no}", after=after)
    return shift_info(s, shift.id)


def _in_scope(session: Session, *, user_id: int, hall_id: int) -> bool:
    """Whether the user's org unit is the hall or above it."""
    up = units_up_from(hall_id)
    return bool(session.scalar(select(exists().where(User.org_unit_id == up.c.id, User.id == user_id))))


def check_cosigner_in_scope(ctx: CallContext, *, hall_id: int) -> None:
    """A co-signer who signs for a hall's money (an unsent list, a damaged outbox) must belong to that hall or
    a unit above it: COSIGN_NOT_AUTHORIZED otherwise."""
    cosigner = ctx.cosigner
    if cosigner is not None and not _in_scope(ctx.session, user_id=cosigner.user_id, hall_id=hall_id):
        raise AppError(ErrorCode.COSIGN_NOT_AUTHORIZED, username=cosigner.username)


def _shift_for(ctx: CallContext, shift_no: str, *, lock: bool = False) -> Shift:
    """The shift by number, if the caller may see and close it: their own, or as a supervisor of its hall."""
    actor = ctx.require_actor()
    stmt = select(Shift).where(Shift.shift_no == shift_no)
    if lock:
        stmt = stmt.with_for_update(key_share=True)
    shift = ctx.session.scalar(stmt)
    if shift is None:
        raise AppError(ErrorCode.SHIFT_NOT_FOUND, shift_no=shift_no)
    if shift.user_id != actor.user_id and not (
        Perm.APPROVE in ROLE_PERMISSIONS[actor.role]
        and _in_scope(ctx.session, user_id=actor.user_id, hall_id=shift.hall_id)
    ):
        raise AppError(ErrorCode.SHIFT_NOT_OWN, shift_no=shift_no)
    return shift


def get_summary(*, ctx: CallContext, req: ShiftRequest) -> ShiftSummary:
    """Totals by method and business type, voids, receipts used and expected cash of a shift."""
    return summarize(ctx.session, _shift_for(ctx, req.shift_no).id)


def _counted(req: CloseShiftRequest) -> tuple[dict[int, int], int]:
    """The pieces per denomination and what they are worth (fen); DENOMINATION_INVALID for a denomination not
    counted at close or counted twice."""
    lines = [(line.denomination_fen, line.pieces) for line in req.cash_counts]
    try:
        counted = counted_cash_fen(lines)
    except CashCountError as exc:
        raise AppError(ErrorCode.DENOMINATION_INVALID, denomination_fen=exc.denomination_fen) from None
    return dict(lines), counted


def _unsent_cash(ctx: CallContext, shift: Shift, req: CloseShiftRequest) -> list[int]:
    """Check the unsent list against the shift; per item the cash it puts in the drawer (fen).

    Every item must carry a receipt number of the shift's counter, each number and key once. An item the
    server has booked meanwhile in this very shift (its answer was lost) is listed, but its cash is
    already in the expected cash (zero here).
    """
    if not req.unsent:
        return []
    counter = ctx.session.scalar(select(Counter.code).where(Counter.id == shift.counter_id))
    seen_receipts: set[str] = set()
    seen_keys: set[str] = set()
    for i, item in enumerate(req.unsent):
        if parse_receipt_no(item.receipt_no)[0] != counter:
            raise AppError(ErrorCode.RECEIPT_NO_INVALID, receipt_no=item.receipt_no)
        if item.cash_fen > item.amount_fen:
            raise AppError(ErrorCode.INVALID_REQUEST, field=f"unsent.{i}.cash_fen", problem="greater_than_amount")
        key = item.idempotency_key.lower()
        if item.receipt_no in seen_receipts or key in seen_keys:
            raise AppError(ErrorCode.INVALID_REQUEST, field=f"unsent.{i}", problem="duplicate")
        seen_receipts.add(item.receipt_no)
        seen_keys.add(key)
    booked_here = set(ctx.session.scalars(
        select(Payment.receipt_no).where(Payment.shift_id == shift.id, Payment.receipt_no.in_(sorted(seen_receipts)))
    ))
    return [0 if item.receipt_no in booked_here else item.cash_fen for item in req.unsent]


def close_shift(*, ctx: CallContext, req: CloseShiftRequest) -> ShiftSummary:
    """Close a shift with the cash counted; a difference, or unsent items, need a supervisor's co-sign."""
    s = ctx.session
    shift = _shift_for(ctx, req.shift_no, lock=True)
    if is_closed(ctx, shift.id):
        raise AppError(ErrorCode.SHIFT_CLOSED, shift_no=shift.shift_no)
    counts, counted = _counted(req)
    drawer = drawer_at_close(expected_cash_fen=summarize(s, shift.id).expected_cash_fen,
                             unsent_cash=_unsent_cash(ctx, shift, req))
    expected, difference = drawer.expected_fen, drawer.difference_fen(counted)
    if drawer.cosign_needed(counted) and ctx.cosigner is None:
        if req.unsent:  # the list needs its signature whatever the difference
            raise AppError(ErrorCode.UNSENT_NEEDS_SUPERVISOR, count=len(req.unsent))
        raise AppError(ErrorCode.CASH_DIFFERENCE_NEEDS_APPROVAL, difference_fen=difference)
    if req.unsent:
        check_cosigner_in_scope(ctx, hall_id=shift.hall_id)
    approver = ctx.cosigner if difference != 0 else None
    local_closed_at = as_hall_time(req.local_time) if req.local_time is not None else None
    closing = ShiftClosing(
        shift_id=shift.id, closed_at=ctx.now, expected_cash_fen=expected, counted_cash_fen=counted,
        cash_counts={str(d): n for d, n in sorted(counts.items(), reverse=True)},
        approved_by=approver.user_id if approver else None, deposit_slip_no=req.deposit_slip_no, note=req.note,
        closed_offline=req.closed_offline, local_closed_at=local_closed_at,
    )
    s.add(closing)
    s.flush()
    signer = ctx.cosigner
    if req.unsent:
        assert signer is not None  # checked above
        s.add_all([
            ShiftClosingUnsent(shift_id=shift.id, idempotency_key=item.idempotency_key.lower(), method=item.method,
                               receipt_no=item.receipt_no, customer_no=item.customer_no, amount_fen=item.amount_fen,
                               cash_fen=item.cash_fen, local_time=as_hall_time(item.local_time),
                               signed_by=signer.user_id)
            for item in req.unsent
        ])
        s.flush()
    ctx.record(
        target=f"shift:{shift.shift_no}",
        before={"closed": False, "expected_cash_fen": expected},
        after={
            "closed": True, "counted_cash_fen": counted, "expected_cash_fen": expected,
            "difference_fen": difference, "approved_by": approver.username if approver else None,
            "cash_counts": closing.cash_counts, "deposit_slip_no": req.deposit_slip_no,
            "unsent": [[i.receipt_no, i.amount_fen, i.cash_fen] for i in req.unsent],
            "unsent_signed_by": signer.username if req.unsent and signer else None,
            **({"closed_offline": True, "local_time": local_closed_at.isoformat() if local_closed_at else None}
               if req.closed_offline else {}),
        },
    )
    if approver is not None or req.unsent:  # a co-sign verified at the counter goes on the supervisor's list
        record_attested(ctx, target=f"shift:{shift.shift_no}", amount_fen=difference, shift_no=shift.shift_no)
    return summarize(s, shift.id)
