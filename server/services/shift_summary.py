"""The figures of one shift (SPEC C4, DOMAIN §8): what closing shows and what the 日结单 prints.

Everything is read from the append-only books, so the summary of a closed shift is the same on every
read: totals by method and by business type over the payments not voided, the voids, the receipt
number runs used, and the expected cash (float plus the cash part of the payments not voided).

Each payment is read with its parts (tenders; 电费 the principal its allocations paid, 违约金 the late fees
they paid, 预收 what went to prepayment, ``to_prepayment_fen``, money redirected from bills paid elsewhere
included) and the totals and the expected cash are summed by ``shared_models.rules.shift_totals``, the
rule the offline counter sums its own figures with. So the business total always equals the method total
(the settlement checks it). 购电 and 业务费 have no payments yet and are left out while zero.

Offline items (SPEC §5, C4): the payments booked here with ``accepted_offline`` (confirmed), and the
counter's payments a supervisor signed as unsent when the shift closed (``shift_closing_unsent``):
unconfirmed until a payment with that receipt number is booked, then confirmed later. Such a payment is
booked into the cashier's open shift when it finally arrives (``payments.pay_bills``); that shift lists
it as "from shift X". The cash of an unsent item was in the drawer counted at X's close, so it counts as
expected cash of X, and not again of the shift it was booked into.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.orm import Session

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

_SHIFT_SQL = text(
    """
    SELECT s.id, s.shift_no, u.username, u.display_name, c.code AS counter_code, h.code AS hall_code,
           s.business_date, s.opened_at, s.float_fen, s.opened_offline, s.local_opened_at,
           sc.closed_offline, sc.local_closed_at,
           EXISTS (SELECT 1 FROM attested_cosigns ac WHERE ac.method = 'shift.close_shift'
                   AND ac.shift_no = s.shift_no) AS close_attested,
           sc.closed_at, sc.expected_cash_fen, sc.counted_cash_fen, sc.cash_counts, sc.deposit_slip_no, sc.note,
           a.display_name AS approved_by
    FROM shifts s
    JOIN users u ON u.id = s.user_id
    JOIN counters c ON c.id = s.counter_id
    JOIN org_units h ON h.id = s.hall_id
    LEFT JOIN shift_closings sc ON sc.shift_id = s.id
    LEFT JOIN users a ON a.id = sc.approved_by
    WHERE s.id = :shift_id
    """
)

# Every payment of the shift with its void, and its parts: the tenders, what its allocations paid to principal
# and late fees, and what went to prepayment (one round trip; the totals are summed by the shared rule).
_PAYMENTS_SQL = text(
    """
    SELECT p.receipt_no, p.amount_fen, p.accepted_offline, p.to_prepayment_fen, v.voided_at,
           cu.display_name AS cosigned_by, v.reason,
           EXISTS (SELECT 1 FROM attested_cosigns ac WHERE ac.method = 'payment.void_attested'
                   AND ac.receipt_no = p.receipt_no) AS void_attested,
           al.principal_fen, al.late_fee_fen,
           (SELECT coalesce(json_agg(json_build_array(t.method, t.amount_fen) ORDER BY t.id), '[]'::json)
            FROM payment_tenders t WHERE t.payment_id = p.id) AS tenders
    FROM payments p
    LEFT JOIN payment_voids v ON v.payment_id = p.id
    LEFT JOIN users cu ON cu.id = v.cosigned_by
    LEFT JOIN LATERAL (
        SELECT coalesce(sum(a.principal_fen), 0) AS principal_fen, coalesce(sum(a.late_fee_fen), 0) AS late_fee_fen
        FROM payment_allocations a WHERE a.payment_id = p.id
    ) al ON true
    WHERE p.shift_id = :shift_id
    ORDER BY p.id
    """
)


# The shift's payments that are offline items: accepted offline, or signed as unsent at another shift's
# close (the first such close names the shift they came from). ``cash_fen`` is their cash part.
_OFFLINE_PAYMENTS_SQL = text(
    """
    SELECT p.receipt_no, c.customer_no, p.amount_fen, p.local_time, p.paid_at, p.redirected_to_prepayment_fen,
           v.id IS NOT NULL AS voided, u.from_shift_no,
           (SELECT coalesce(sum(t.amount_fen), 0) FROM payment_tenders t
            WHERE t.payment_id = p.id AND t.method = 'cash') AS cash_fen
    FROM payments p
    JOIN customers c ON c.id = p.customer_id
    LEFT JOIN payment_voids v ON v.payment_id = p.id
    LEFT JOIN LATERAL (
        SELECT s2.shift_no AS from_shift_no FROM shift_closing_unsent x JOIN shifts s2 ON s2.id = x.shift_id
        WHERE x.receipt_no = p.receipt_no AND x.shift_id <> p.shift_id ORDER BY x.id LIMIT 1
    ) u ON true
    WHERE p.shift_id = :shift_id AND (p.accepted_offline OR u.from_shift_no IS NOT NULL)
    ORDER BY p.id
    """
)

# The items signed as unsent at this shift's close, with the payment booked for each since, if any.
_UNSENT_SQL = text(
    """
    SELECT x.receipt_no, x.customer_no, x.amount_fen, x.cash_fen, x.local_time,
           p.paid_at, p.shift_id AS booked_shift_id, s.shift_no AS booked_shift_no, p.redirected_to_prepayment_fen,
           v.id IS NOT NULL AS voided
    FROM shift_closing_unsent x
    LEFT JOIN payments p ON p.receipt_no = x.receipt_no
    LEFT JOIN shifts s ON s.id = p.shift_id
    LEFT JOIN payment_voids v ON v.payment_id = p.id
    WHERE x.shift_id = :shift_id
    ORDER BY x.id
    """
)


def _shift_info(r: Row[Any]) -> ShiftInfo:
    return ShiftInfo(
        shift_no=r.shift_no, cashier_username=r.username, cashier_name=r.display_name,
        counter_code=r.counter_code, hall_code=r.hall_code, business_date=r.business_date,
        opened_at=r.opened_at, float_fen=int(r.float_fen), closed_at=r.closed_at,
        opened_offline=bool(r.opened_offline), local_opened_at=r.local_opened_at,
    )


def shift_info(session: Session, shift_id: int) -> ShiftInfo:
    """The :class:`ShiftInfo` of one shift."""
    return _shift_info(session.execute(_SHIFT_SQL, {"shift_id": shift_id}).one())


def payment_parts(row: Row[Any]) -> PaymentParts:
    """One payment row of :data:`_PAYMENTS_SQL` as the shared totals see it."""
    return PaymentParts(
        amount_fen=int(row.amount_fen),
        tenders=tuple((TenderMethod(method), int(amount)) for method, amount in row.tenders),
        electricity_fen=int(row.principal_fen), late_fee_fen=int(row.late_fee_fen),
        prepayment_fen=int(row.to_prepayment_fen), voided=row.voided_at is not None,
    )


def offline_items(session: Session, shift: Row[Any]) -> tuple[list[OfflineItemLine], int, int]:
    """The shift's offline items, and what they change in its expected cash (fen): the cash of unsent items not
    booked here (in this drawer), and the cash of payments carried in from another shift's close (not in it)."""
    lines: dict[str, OfflineItemLine] = {}
    unsent_cash = carried_in = 0
    for p in session.execute(_OFFLINE_PAYMENTS_SQL, {"shift_id": shift.id}):
        lines[p.receipt_no] = OfflineItemLine(
            receipt_no=p.receipt_no, customer_no=p.customer_no, amount_fen=int(p.amount_fen),
            status=OfflineStatus.CONFIRMED, local_time=p.local_time, booked_at=p.paid_at,
            booked_shift_no=shift.shift_no, from_shift_no=p.from_shift_no,
            redirected_to_prepayment_fen=int(p.redirected_to_prepayment_fen), voided=bool(p.voided),
        )
        if p.from_shift_no is not None and not p.voided:
            carried_in += int(p.cash_fen)
    for u in session.execute(_UNSENT_SQL, {"shift_id": shift.id}):
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
    s = session.execute(_SHIFT_SQL, {"shift_id": shift_id}).one()
    payments = session.execute(_PAYMENTS_SQL, {"shift_id": shift_id}).all()
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
