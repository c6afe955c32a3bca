"""The day a payment's late fee runs to, and the receipt sequences a counter could have minted.

The rules are shared with the counter (:mod:`shared_models.rules.as_of`,
:mod:`shared_models.rules.receipt_numbers`); this module reads what they need inside the payment's
transaction: the shift a payment taken offline belongs to, and the clock-skew setting.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from sqlalchemy import bindparam, select

from server.context import CallContext
from server.errors import AppError
from server.models.payments import Shift, ShiftClosing
from shared_models.errors import ErrorCode
from shared_models.methods.payments import PayRequest
from shared_models.rules.as_of import AsOf, ShiftSpan, late_fee_as_of
from shared_models.rules.hall_time import as_hall_time, business_date, day_bounds
from shared_models.rules.receipt_numbers import day_range, highest_allowed_seq, parse_receipt_no

# The shift a payment taken at :latest belongs to: the cashier's latest one at the counter opened by then
# (skew allowed), with its close if any. Offline replays only: not the hot path of a payment.
_SHIFT_AT: Final = (
    select(Shift.opened_at, ShiftClosing.closed_at)
    .outerjoin(ShiftClosing, ShiftClosing.shift_id == Shift.id)
    .where(Shift.user_id == bindparam("user_id"), Shift.counter_id == bindparam("counter_id"),
           Shift.opened_at <= bindparam("latest"))
    .order_by(Shift.opened_at.desc(), Shift.id.desc())
    .limit(1)
)


def payment_as_of(ctx: CallContext, req: PayRequest, *, user_id: int, counter_id: int, queued_on: dt.date) -> AsOf:
    """The late fee's day: the server's today online; for a payment accepted offline the counter's day
    when its taken-at time keeps the rules (``late_fee_as_of``), else today with the rule it broke."""
    today = business_date(ctx.now)
    if not req.accepted_offline:
        return AsOf(day=today, taken_on=None, broken=None)
    skew = dt.timedelta(seconds=ctx.settings.clock_skew_s)
    shift: ShiftSpan | None = None
    if req.local_time is not None:
        taken = as_hall_time(req.local_time)
        row = ctx.session.execute(_SHIFT_AT, {
            "user_id": user_id, "counter_id": counter_id, "latest": taken + skew,
        }).one_or_none()
        shift = ShiftSpan(opened_at=row.opened_at, closed_at=row.closed_at) if row is not None else None
    return late_fee_as_of(taken_at=req.local_time, server_now=ctx.now, shift=shift, queued_on=queued_on, skew=skew)


def receipt_window_bounds(counter_code: str, day: dt.date) -> dict[str, object]:
    """The parameters the payment's lock statement needs to find the highest receipt booked for the
    counter and day (a range, so the unique index serves whatever the collation, plus the exact prefix)
    and to count the damaged-outbox acknowledgements of that day."""
    prefix, lo, hi = day_range(counter_code, day)
    start, end = day_bounds(day)
    return {"seq_lo": lo, "seq_hi": hi, "seq_n": len(prefix), "seq_prefix": prefix,
            "day_start": start, "day_end": end}


def check_receipt_window(*, receipt_no: str, seq: int, highest_receipt: str | None, damage_acks: int) -> None:
    """Refuse a sequence past what the counter could have minted (RECEIPT_SEQ_OUT_OF_WINDOW)."""
    highest = parse_receipt_no(highest_receipt)[2] if highest_receipt else 0
    allowed = highest_allowed_seq(highest_booked=highest, damage_acks=damage_acks)
    if seq > allowed:
        raise AppError(ErrorCode.RECEIPT_SEQ_OUT_OF_WINDOW, receipt_no=receipt_no, highest_seq=highest,
                       allowed_seq=allowed)

