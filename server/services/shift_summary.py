"""The figures of one shift (SPEC C4, DOMAIN §8): what closing shows and what the 日结单 prints.

Everything is read from the append-only books, so the summary of a closed shift is the same on every
read: totals by method and by business type over the payments not voided, the voids, the receipt
number runs used, and the expected cash (float plus the cash part of the payments not voided).

Each payment is read with its parts (tenders; 电费 the principal its allocations paid, 违约金 the late fees
they paid, 预收 what went to prepayment, ``to_prepayment_fen``, money redirected from bills paid elsewhere
included) and the totals and the expected cash are summed by ``shared_models.rules.shift_totals``, the
rule the offline counter sums its own figures with. So the business total always equals the method total
(the settlement checks it). A card sale's payment (``card_writes``, issue 14) adds 购电, what it wrote onto the card
(``card_fen``), beside the 电费/违约金 of the arrears it settled first; a replacement card's fee is 业务费
(``fee_fen``).

Offline items (SPEC §5, C4): the payments booked here with ``accepted_offline`` (confirmed), and the
counter's payments a supervisor signed as unsent when the shift closed (``shift_closing_unsent``):
unconfirmed until a payment with that receipt number is booked, then confirmed later. Such a payment is
booked into the cashier's open shift when it finally arrives (``payments.pay_bills``); that shift lists
it as "from shift X". The cash of an unsent item was in the drawer counted at X's close, so it counts as
expected cash of X, and not again of the shift it was booked into.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import Row, bindparam, exists, func, literal_column, or_, select, true
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session, aliased

from server.models.card_sales import CardWrite
from server.models.customers import Customer
from server.models.offline import AttestedCosign, ShiftClosingUnsent
from server.models.org import Counter, OrgUnit
from server.models.payments import Payment, PaymentAllocation, PaymentTender, PaymentVoid, Shift
from server.models.payments import ShiftClosing as ShiftClosingRow  # the methods' ShiftClosing is the answer
from server.models.users import User
from shared_models.methods.payments import TenderMethod
from shared_models.methods.shifts import (
    CashCountLine,
    OfflineItemLine,
    OfflineStatus,
    ShiftClosing,
    ShiftInfo,
    ShiftSummary,
    VoidedLine,
)
from shared_models.rules.receipt_ranges import receipt_ranges
from shared_models.rules.shift_totals import PaymentParts, expected_cash_fen, shift_totals

_APPROVER = aliased(User, name="a")
_SHIFT: Final = (
    select(
        Shift.id, Shift.shift_no, User.username, User.display_name, Counter.code.label("counter_code"),
        OrgUnit.code.label("hall_code"), Shift.business_date, Shift.opened_at, Shift.float_fen, Shift.opened_offline,
        Shift.local_opened_at, ShiftClosingRow.closed_offline, ShiftClosingRow.local_closed_at,
        exists().where(AttestedCosign.method == "shift.close_shift", AttestedCosign.shift_no == Shift.shift_no)
        .label("close_attested"),
        ShiftClosingRow.closed_at, ShiftClosingRow.expected_cash_fen, ShiftClosingRow.counted_cash_fen,
        ShiftClosingRow.cash_counts, ShiftClosingRow.deposit_slip_no, ShiftClosingRow.note,
        _APPROVER.display_name.label("approved_by"),
    )
    .join(User, User.id == Shift.user_id)
    .join(Counter, Counter.id == Shift.counter_id)
    .join(OrgUnit, OrgUnit.id == Shift.hall_id)
    .outerjoin(ShiftClosingRow, ShiftClosingRow.shift_id == Shift.id)
    .outerjoin(_APPROVER, _APPROVER.id == ShiftClosingRow.approved_by)
    .where(Shift.id == bindparam("shift_id"))
)

# Every payment of the shift with its void, and its parts: the tenders, what its allocations paid to principal
# and late fees, and what went to prepayment (one round trip; the totals are summed by the shared rule).
_COSIGNER = aliased(User, name="cu")
_ALLOCATED = (
    select(func.coalesce(func.sum(PaymentAllocation.principal_fen), 0).label("principal_fen"),
           func.coalesce(func.sum(PaymentAllocation.late_fee_fen), 0).label("late_fee_fen"))
    .where(PaymentAllocation.payment_id == Payment.id)
    .lateral("al")
)
_CARD = (
    select(func.coalesce(func.sum(CardWrite.card_fen), 0).label("card_fen"),
           func.coalesce(func.sum(CardWrite.fee_fen), 0).label("fee_fen"))
    .where(CardWrite.payment_id == Payment.id)
    .lateral("cw")
)
_PAYMENTS: Final = (
    select(
        Payment.receipt_no, Payment.amount_fen, Payment.accepted_offline, Payment.to_prepayment_fen,
        _CARD.c.card_fen, _CARD.c.fee_fen,
        PaymentVoid.voided_at, _COSIGNER.display_name.label("cosigned_by"), PaymentVoid.reason,
        exists()
        .where(AttestedCosign.method == "payment.void_attested", AttestedCosign.receipt_no == Payment.receipt_no)
        .label("void_attested"),
        _ALLOCATED.c.principal_fen, _ALLOCATED.c.late_fee_fen,
        select(func.coalesce(
            func.json_agg(aggregate_order_by(func.json_build_array(PaymentTender.method, PaymentTender.amount_fen),
                                             PaymentTender.id)),
            literal_column("'[]'::json"),
        )).where(PaymentTender.payment_id == Payment.id).scalar_subquery().label("tenders"),
    )
    .outerjoin(PaymentVoid, PaymentVoid.payment_id == Payment.id)
    .outerjoin(_COSIGNER, _COSIGNER.id == PaymentVoid.cosigned_by)
    .outerjoin(_ALLOCATED, true())
    .outerjoin(_CARD, true())
    .where(Payment.shift_id == bindparam("shift_id"))
    .order_by(Payment.id)
)

# The shift's payments that are offline items: accepted offline, or signed as unsent at another shift's
# close (the first such close names the shift they came from). ``cash_fen`` is their cash part.
_FROM_SHIFT = aliased(Shift, name="s2")
_CAME_FROM = (
    select(_FROM_SHIFT.shift_no.label("from_shift_no"))
    .select_from(ShiftClosingUnsent)
    .join(_FROM_SHIFT, _FROM_SHIFT.id == ShiftClosingUnsent.shift_id)
    .where(ShiftClosingUnsent.receipt_no == Payment.receipt_no, ShiftClosingUnsent.shift_id != Payment.shift_id)
    .order_by(ShiftClosingUnsent.id)
    .limit(1)
    .lateral("u")
)
_OFFLINE_PAYMENTS: Final = (
    select(
        Payment.receipt_no, Customer.customer_no, Payment.amount_fen, Payment.local_time, Payment.paid_at,
        Payment.redirected_to_prepayment_fen, PaymentVoid.id.is_not(None).label("voided"), _CAME_FROM.c.from_shift_no,
        select(func.coalesce(func.sum(PaymentTender.amount_fen), 0))
        .where(PaymentTender.payment_id == Payment.id, PaymentTender.method == TenderMethod.CASH)
        .scalar_subquery().label("cash_fen"),
    )
    .join(Customer, Customer.id == Payment.customer_id)
    .outerjoin(PaymentVoid, PaymentVoid.payment_id == Payment.id)
    .outerjoin(_CAME_FROM, true())
    .where(Payment.shift_id == bindparam("shift_id"),
           or_(Payment.accepted_offline, _CAME_FROM.c.from_shift_no.is_not(None)))
    .order_by(Payment.id)
)

# The items signed as unsent at this shift's close, with the payment booked for each since, if any.
_BOOKED_SHIFT = aliased(Shift, name="s")
_UNSENT: Final = (
    select(
        ShiftClosingUnsent.receipt_no, ShiftClosingUnsent.customer_no, ShiftClosingUnsent.amount_fen,
        ShiftClosingUnsent.cash_fen, ShiftClosingUnsent.local_time, Payment.paid_at,
        Payment.shift_id.label("booked_shift_id"), _BOOKED_SHIFT.shift_no.label("booked_shift_no"),
        Payment.redirected_to_prepayment_fen, PaymentVoid.id.is_not(None).label("voided"),
    )
    .outerjoin(Payment, Payment.receipt_no == ShiftClosingUnsent.receipt_no)
    .outerjoin(_BOOKED_SHIFT, _BOOKED_SHIFT.id == Payment.shift_id)
    .outerjoin(PaymentVoid, PaymentVoid.payment_id == Payment.id)
    .where(ShiftClosingUnsent.shift_id == bindparam("shift_id"))
    .order_by(ShiftClosingUnsent.id)
)


def _shift_info(r: Row[*tuple[Any, ...]]) -> ShiftInfo:
    return ShiftInfo(
        shift_no=r.shift_no, cashier_username=r.username, cashier_name=r.display_name,
        counter_code=r.counter_code, hall_code=r.hall_code, business_date=r.business_date,
        opened_at=r.opened_at, float_fen=int(r.float_fen), closed_at=r.closed_at,
        opened_offline=bool(r.opened_offline), local_opened_at=r.local_opened_at,
    )


def shift_info(session: Session, shift_id: int) -> ShiftInfo:
    """The :class:`ShiftInfo` of one shift."""
    return _shift_info(session.execute(_SHIFT, {"shift_id": shift_id}).one())


def payment_parts(row: Row[Any]) -> PaymentParts:
    """One payment row of :data:`_PAYMENTS` as the shared totals see it (a row without the card columns, as built
    by callers that know no card sales, counts no 购电 and no 业务费)."""
    return PaymentParts(
        amount_fen=int(row.amount_fen),
        tenders=tuple((TenderMethod(method), int(amount)) for method, amount in row.tenders),
        electricity_fen=int(row.principal_fen), late_fee_fen=int(row.late_fee_fen),
        prepayment_fen=int(row.to_prepayment_fen), voided=row.voided_at is not None,
        card_purchase_fen=int(getattr(row, "card_fen", 0)), service_fee_fen=int(getattr(row, "fee_fen", 0)),
    )


def offline_items(session: Session, shift: Row[*tuple[Any, ...]]) -> tuple[list[OfflineItemLine], int, int]:
    """The shift's offline items, and what they change in its expected cash (fen): the cash of unsent items not
    booked here (in this drawer), and the cash of payments carried in from another shift's close (not in it)."""
    lines: dict[str, OfflineItemLine] = {}
    unsent_cash = carried_in = 0
    for p in session.execute(_OFFLINE_PAYMENTS, {"shift_id": shift.id}):
        lines[p.receipt_no] = OfflineItemLine(
            receipt_no=p.receipt_no, customer_no=p.customer_no, amount_fen=int(p.amount_fen),
            status=OfflineStatus.CONFIRMED, local_time=p.local_time, booked_at=p.paid_at,
            booked_shift_no=shift.shift_no, from_shift_no=p.from_shift_no,
            redirected_to_prepayment_fen=int(p.redirected_to_prepayment_fen), voided=bool(p.voided),
        )
        if p.from_shift_no is not None and not p.voided:
            carried_in += int(p.cash_fen)
    for u in session.execute(_UNSENT, {"shift_id": shift.id}):
        booked_here = u.booked_shift_id == shift.id
        if booked_here and u.receipt_no in lines:
            continue  # booked offline in this very shift: listed above
        if not booked_here:
            unsent_cash += int(u.cash_fen)
        status = (OfflineStatus.UNCONFIRMED if u.booked_shift_id is None
                  else OfflineStatus.CONFIRMED if booked_here else OfflineStatus.CONFIRMED_LATER)
        lines[u.receipt_no] = OfflineItemLine(
            receipt_no=u.receipt_no, customer_no=u.customer_no, amount_fen=int(u.amount_fen), status=status,
            local_time=u.local_time, booked_at=u.paid_at, booked_shift_no=u.booked_shift_no, from_shift_no=None,
            redirected_to_prepayment_fen=int(u.redirected_to_prepayment_fen or 0), voided=bool(u.voided),
        )
    return [lines[no] for no in sorted(lines)], unsent_cash, carried_in


def summarize(session: Session, shift_id: int) -> ShiftSummary:
    """The summary of one shift, open or closed."""
    s = session.execute(_SHIFT, {"shift_id": shift_id}).one()
    payments = session.execute(_PAYMENTS, {"shift_id": shift_id}).all()
    totals = shift_totals(payment_parts(p) for p in payments)
    voids = sorted(
        (VoidedLine(receipt_no=p.receipt_no, amount_fen=int(p.amount_fen), voided_at=p.voided_at,
                    cosigned_by=p.cosigned_by, reason=p.reason, cosign_at_counter=bool(p.void_attested))
         for p in payments if p.voided_at is not None),
        key=lambda v: (v.voided_at, v.receipt_no),
    )
    offline, unsent_cash, carried_in = offline_items(session, s)
    closing = None
    if s.closed_at is not None:
        counts = sorted(((int(d), int(n)) for d, n in s.cash_counts.items()), reverse=True)
        closing = ShiftClosing(
            closed_at=s.closed_at, counted_cash_fen=int(s.counted_cash_fen),
            difference_fen=int(s.counted_cash_fen) - int(s.expected_cash_fen),
            cash_counts=[CashCountLine(denomination_fen=d, pieces=n) for d, n in counts],
            approved_by=s.approved_by, deposit_slip_no=s.deposit_slip_no, note=s.note,
            closed_offline=bool(s.closed_offline), local_closed_at=s.local_closed_at,
            cosign_at_counter=bool(s.close_attested),
        )
    return ShiftSummary(
        shift=_shift_info(s),
        payments_count=totals.payments_count,
        collected_fen=totals.collected_fen,
        methods=totals.methods,
        businesses=totals.businesses,
        voids=voids,
        receipts_used=receipt_ranges(p.receipt_no for p in payments),
        expected_cash_fen=expected_cash_fen(float_fen=int(s.float_fen), cash_fen=totals.cash_fen,
                                            unsent_cash_fen=unsent_cash, carried_in_cash_fen=carried_in),
        offline_count=sum(1 for p in payments if p.voided_at is None and p.accepted_offline),
        closing=closing,
        offline_items=offline,
        offline_unconfirmed=sum(1 for line in offline if line.status is OfflineStatus.UNCONFIRMED),
    )
