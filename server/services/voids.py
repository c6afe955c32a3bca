"""Void (冲正) of a counter payment (SPEC C3, DOMAIN §8): same day, same cashier, shift still open,
co-signed by a supervisor. Nothing is edited: a ``payment_voids`` row marks the receipt voided and one
REVERSAL entry per ledger entry of the payment (opposite amount, same bill, ``reverses_id`` the
original) takes the money back out of the books. After the shift closes only a refund workflow remains.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from sqlalchemy import Select, bindparam, exists, func, insert, literal, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from server.context import CallContext
from server.errors import AppError
from server.models.card_sales import CardWrite
from server.models.customers import Customer
from server.models.ledger import EntryKind, LedgerEntry
from server.models.payments import PaymentVoid, Shift
from server.models.users import User
from server.services.attested import record_attested
from server.services.payments import find_receipt
from server.services.shifts import is_closed
from shared_models.errors import ErrorCode
from shared_models.methods.payments import AttestedVoidRequest, VoidRequest, VoidResult
from shared_models.rules.hall_time import as_hall_time, business_date

_LOCK_CUSTOMER: Final = select(Customer.id).where(Customer.id == bindparam("id")).with_for_update(key_share=True)
_LOCK_SHIFT: Final = select(Shift.id).where(Shift.id == bindparam("id")).with_for_update(key_share=True)


def _void_statement() -> Select[tuple[int, str | None, str | None]]:
    """The void row and the reversals in one statement; the unique index on payment_voids.payment_id (and
    on ledger_entries.reverses_id) makes a second void fail even when two race past the check."""
    void = (
        insert(PaymentVoid)
        .values(payment_id=bindparam("payment_id"), voided_at=bindparam("now"), voided_by=bindparam("user_id"),
                cosigned_by=bindparam("cosigner_id"), reason=bindparam("reason"))
        .returning(PaymentVoid.id)
        .cte("v")
    )
    original = aliased(LedgerEntry, name="e")
    reversals = (
        insert(LedgerEntry)
        .from_select(
            ["customer_id", "kind", "amount_fen", "bill_id", "reverses_id", "posted_at", "posted_by", "reference",
             "payment_id"],
            select(original.customer_id, literal(EntryKind.REVERSAL, LedgerEntry.kind.type), -original.amount_fen,
                   original.bill_id, original.id, bindparam("now"), bindparam("user_id"), bindparam("reference"),
                   original.payment_id)
            .select_from(void)
            .join(original, true())
            .where(original.payment_id == bindparam("payment_id"), original.kind != EntryKind.REVERSAL)
            .order_by(original.id),
        )
        .returning(LedgerEntry.id)
        .cte("r")
    )
    voided_by, cosigned_by = aliased(User), aliased(User)
    return select(
        select(func.count()).select_from(reversals).scalar_subquery().label("reversals"),
        select(voided_by.display_name).where(voided_by.id == bindparam("user_id")).scalar_subquery()
        .label("voided_by"),
        select(cosigned_by.display_name).where(cosigned_by.id == bindparam("cosigner_id")).scalar_subquery()
        .label("cosigned_by"),
    )


_VOID: Final = _void_statement()


def void_payment(*, ctx: CallContext, req: VoidRequest) -> VoidResult:
    """Reverse a payment of the caller's open shift, taken today, with a supervisor's co-sign; a card sale's
    payment is reversed only by ``card.reverse_sale`` (CARD_SALE_USE_CARD_REVERSAL), which knows the card."""
    return _void(ctx, receipt_no=req.receipt_no, reason=req.reason, local_time=None)


def void_card_payment(ctx: CallContext, *, receipt_no: str, reason: str) -> VoidResult:
    """The void of a card sale's payment, for ``card.reverse_sale`` (same rules: same cashier, same day, shift
    open, co-signed); the card write's outcome is the caller's."""
    return _void(ctx, receipt_no=receipt_no, reason=reason, local_time=None, card=True)


def void_attested(*, ctx: CallContext, req: AttestedVoidRequest) -> VoidResult:
    """A void confirmed offline at the counter, replayed from its outbox; dispatch has checked the co-sign
    verified at the counter (``shared_models.cosign``). "Same day" compares the counter's clocks: the void's
    and the payment's (the server books both when the link returns, possibly after midnight)."""
    return _void(ctx, receipt_no=req.receipt_no, reason=req.reason, local_time=req.local_time)


def _void(ctx: CallContext, *, receipt_no: str, reason: str, local_time: dt.datetime | None,
          card: bool = False) -> VoidResult:
    actor = ctx.require_actor()
    cosigner = ctx.cosigner
    if cosigner is None:  # dispatch refuses the call before; a service never voids without one
        raise AppError(ErrorCode.COSIGN_REQUIRED)
    row = find_receipt(ctx, receipt_no, for_update=True)
    if not card and ctx.session.scalar(select(exists().where(CardWrite.payment_id == row.id))):
        raise AppError(ErrorCode.CARD_SALE_USE_CARD_REVERSAL, receipt_no=receipt_no)
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
        done = ctx.session.execute(_VOID, {
            "payment_id": row.id, "now": ctx.now, "user_id": actor.user_id, "cosigner_id": cosigner.user_id,
            "reason": reason, "reference": f"VOID-{receipt_no}",
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
