"""Void (冲正) of a counter payment (SPEC C3, DOMAIN §8): same day, same cashier, shift still open,
co-signed by a supervisor. Nothing is edited: a ``payment_voids`` row marks the receipt voided and one
REVERSAL entry per ledger entry of the payment (opposite amount, same bill, ``reverses_id`` the
original) takes the money back out of the books. After the shift closes only a refund workflow remains.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from server.errors import AppError
from server.models.ledger import EntryKind
from server.rpc.context import CallContext
from server.services.attested import record_attested
from server.services.payments import find_receipt
from server.services.shifts import is_closed
from shared_models.errors import ErrorCode
from shared_models.methods.payments import AttestedVoidRequest, VoidRequest, VoidResult
from shared_models.rules.hall_time import as_hall_time, business_date

_LOCK_CUSTOMER: Final = text("SELECT id FROM customers WHERE id = :id FOR NO KEY UPDATE")
_LOCK_SHIFT: Final = text("SELECT id FROM shifts WHERE id = :id FOR NO KEY UPDATE")

# The void row and the reversals in one statement; the unique index on payment_voids.payment_id (and
# on ledger_entries.reverses_id) makes a second void fail even when two race past the check.
_VOID_SQL: Final = text(
    """
    WITH v AS (
        INSERT INTO payment_voids (payment_id, voided_at, voided_by, cosigned_by, reason)
        VALUES (:payment_id, :now, :user_id, :cosigner_id, :reason)
        RETURNING id
    ), r AS (
        INSERT INTO ledger_entries (customer_id, kind, amount_fen, bill_id, reverses_id, posted_at, posted_by,
                                    reference, payment_id)
        SELECT e.customer_id, :reversal, -e.amount_fen, e.bill_id, e.id, :now, :user_id, :reference, e.payment_id
        FROM v, ledger_entries e
        WHERE e.payment_id = :payment_id AND e.kind <> :reversal
        ORDER BY e.id
        RETURNING id
    )
    SELECT (SELECT count(*) FROM r) AS reversals,
           (SELECT display_name FROM users WHERE id = :user_id) AS voided_by,
           (SELECT display_name FROM users WHERE id = :cosigner_id) AS cosigned_by
    """
)


def void_payment(*, ctx: CallContext, req: VoidRequest) -> VoidResult:
    """Reverse a payment of the caller's open shift, taken today, with a supervisor's co-sign."""
    return _void(ctx, receipt_no=req.receipt_no, reason=req.reason, local_time=None)


def void_attested(*, ctx: CallContext, req: AttestedVoidRequest) -> VoidResult:
    """A void confirmed offline at the counter, replayed from its outbox; dispatch has checked the co-sign
    verified at the counter (``shared_models.cosign``). "Same day" compares the counter's clocks: the void's
    and the payment's (the server books both when the link returns, possibly after midnight)."""
    return _void(ctx, receipt_no=req.receipt_no, reason=req.reason, local_time=req.local_time)


def _void(ctx: CallContext, *, receipt_no: str, reason: str, local_time: dt.datetime | None) -> VoidResult:
    actor = ctx.require_actor()
    cosigner = ctx.cosigner
    if cosigner is None:  # dispatch refuses the call before; a service never voids without one
        raise AppError(ErrorCode.COSIGN_REQUIRED)
    row = find_receipt(ctx, receipt_no, for_update=True)
    if row.voided:
        raise AppError(ErrorCode.ALREADY_VOIDED, receipt_no=receipt_no)
    if row.user_id != actor.user_id:
        raise AppError(ErrorCode.VOID_NOT_SAME_CASHIER, receipt_no=receipt_no)
    if local_time is None:
        same_day = business_date(row.paid_at) == business_date(ctx.now)
    else:
        taken = row.local_time if row.local_time is not None else row.paid_at
        same_day = business_date(taken) == business_date(as_hall_time(local_time))
    if not same_day:
        raise AppError(ErrorCode.VOID_NOT_SAME_DAY, receipt_no=receipt_no)
    # the same lock order as a payment (customer, then shift): a void and a payment of the same
    # customer, or a void and the close of its shift, take turns
    ctx.session.execute(_LOCK_CUSTOMER, {"id": row.customer_id})
    ctx.session.execute(_LOCK_SHIFT, {"id": row.shift_id})
    if is_closed(ctx, row.shift_id):
        raise AppError(ErrorCode.VOID_SHIFT_CLOSED, receipt_no=receipt_no)
    reason = reason.strip()
    try:
        done = ctx.session.execute(_VOID_SQL, {
            "payment_id": row.id, "now": ctx.now, "user_id": actor.user_id, "cosigner_id": cosigner.user_id,
            "reason": reason, "reversal": EntryKind.REVERSAL.value, "reference": f"VOID-{receipt_no}",
        }).one()
    except IntegrityError:
        raise AppError(ErrorCode.ALREADY_VOIDED, receipt_no=receipt_no) from None
    ctx.record(
        target=f"receipt:{receipt_no}",
        before={"voided": False, "amount_fen": row.amount_fen, "cashier": actor.username},
        after={"voided": True, "amount_fen": row.amount_fen, "reversal_entries": int(done.reversals),
               "voided_by": actor.username, "cosigned_by": cosigner.username, "reason": reason,
               "local_time": as_hall_time(local_time).isoformat() if local_time is not None else None},
    )
    record_attested(ctx, target=f"receipt:{receipt_no}", amount_fen=row.amount_fen, receipt_no=receipt_no,
                    shift_no=row.shift_no)
    return VoidResult(receipt_no=receipt_no, amount_fen=row.amount_fen, voided_at=ctx.now,
                      voided_by=done.voided_by, cosigned_by=done.cosigned_by, reason=reason,
                      cosign_at_counter=cosigner.attested_at is not None)
