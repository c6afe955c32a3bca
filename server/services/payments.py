"""Counter payments (SPEC C3, DOMAIN §6): quote, pay, receipts and reprints (补打). Voids: ``voids.py``.

A payment is one transaction: the customer row is locked (two counters paying the same customer take
turns), the open bills are read with their late fee to the day the customer paid (``bills.py``,
``late_fee_day.py``), the money is allocated by the quote rule the offline counter applies too
(``shared_models/rules/quote.py`` over ``allocation.py``: oldest bill first, late fee before principal, the
rest to 预收), the receipt is built by ``shared_models/rules/receipts.py``, and one SQL statement writes the
payment, its tenders, its allocations and its ledger entries. Per bill paid the ledger gets LATE_FEE −fee
paid (the fee becomes due when paid) and PAYMENT +(fee + principal paid); the prepayment part is a PAYMENT
on no bill.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy import Insert, Row, Select, bindparam, func, insert, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.exc import IntegrityError

from server.context import CallContext
from server.db.prepared import LOCK_CUSTOMER, WRITE_PAYMENT, fetch
from server.errors import AppError
from server.models.card_sales import Card, CardWrite
from server.models.customers import Customer
from server.models.ledger import EntryKind, LedgerEntry
from server.models.org import Counter, OrgUnit
from server.models.payments import Payment, PaymentAllocation, PaymentTender, PaymentVoid, ReceiptPrint, Shift
from server.models.users import User
from server.services.bills import BillDue, CustomerBills, load_bills
from server.services.late_fee_day import check_receipt_window, payment_as_of, receipt_window_bounds
from shared_models.errors import ErrorCode
from shared_models.methods.customers import CustomerStatus
from shared_models.methods.payments import (
    AllocationLine,
    CardReceiptPart,
    PaymentReceipt,
    PayRequest,
    Quote,
    QuoteRequest,
    ReceiptBill,
    ReceiptRequest,
    ReceiptTenderLine,
    Tender,
    TenderMethod,
)
from shared_models.money import Fen
from shared_models.rules.allocation import AllocationError
from shared_models.rules.hall_time import as_hall_time, business_date
from shared_models.rules.quote import quote_payment
from shared_models.rules.receipt_numbers import check_counter_receipt_no
from shared_models.rules.receipts import ReceiptHeader, build_receipt
from shared_models.rules.tenders import TenderTotals, check_tenders


def _receipt_query(*, for_update: bool) -> Select[Any]:
    """A booked payment with everything its receipt shows; FOR UPDATE (reprints, voids) takes turns per receipt."""
    p, t, a = Payment.__table__.c, PaymentTender.__table__.c, PaymentAllocation.__table__.c
    rp, e = ReceiptPrint.__table__.c, LedgerEntry.__table__.c
    query = (
        select(
            p.id, p.receipt_no, p.customer_id, p.user_id, p.shift_id, p.paid_at, p.local_time, p.amount_fen,
            p.due_fen, p.tendered_fen, p.change_fen, p.prepayment_before_fen, p.prepayment_after_fen,
            p.redirected_to_prepayment_fen, p.accepted_offline, p.late_fee_as_of,
            Customer.customer_no, Customer.name.label("customer_name"), Customer.address,
            Counter.code.label("counter_code"), OrgUnit.name.label("hall_name"),
            User.display_name.label("cashier_name"), Shift.shift_no, PaymentVoid.id.is_not(None).label("voided"),
            select(func.coalesce(func.max(rp.print_no), 0)).where(rp.payment_id == p.id)
            .scalar_subquery().label("reprints"),
            select(func.json_agg(aggregate_order_by(func.json_build_array(t.method, t.amount_fen, t.reference), t.id)))
            .where(t.payment_id == p.id).scalar_subquery().label("tenders"),
            select(func.coalesce(
                func.json_agg(aggregate_order_by(
                    func.json_build_array(a.bill_id, a.late_fee_fen, a.principal_fen), a.id)),
                literal_column("'[]'"),
            )).where(a.payment_id == p.id).scalar_subquery().label("allocations"),
            select(func.min(e.id)).where(e.payment_id == p.id, e.kind != EntryKind.REVERSAL.value)
            .scalar_subquery().label("first_entry"),
        )
        .select_from(Payment.__table__)
        .join(Customer, Customer.id == p.customer_id)
        .join(Counter, Counter.id == p.counter_id)
        .join(OrgUnit, OrgUnit.id == Counter.hall_id)
        .join(User, User.id == p.user_id)
        .join(Shift, Shift.id == p.shift_id)
        .outerjoin(PaymentVoid, PaymentVoid.payment_id == p.id)
        .where(p.receipt_no == bindparam("receipt_no"))
    )
    return query.with_for_update(of=Payment.__table__) if for_update else query


_RECEIPT: Final = _receipt_query(for_update=False)
_RECEIPT_FOR_UPDATE: Final = _receipt_query(for_update=True)


def _next_print(*, payment_id: int, now: dt.datetime, user_id: int, counter_code: str) -> Insert:
    """Record one more print of a receipt (the next print number), returning it."""
    next_no = (select(func.coalesce(func.max(ReceiptPrint.print_no), 0) + 1)
               .where(ReceiptPrint.payment_id == payment_id).scalar_subquery())
    return (insert(ReceiptPrint)
            .values(payment_id=payment_id, print_no=next_no, printed_at=now, printed_by=user_id,
                    counter_code=counter_code)
            .returning(ReceiptPrint.print_no))


def get_quote(*, ctx: CallContext, req: QuoteRequest) -> Quote:
    """What the open bills owe today and how ``amount_fen`` (None: everything due) would be allocated."""
    row = ctx.session.execute(
        select(Customer.id, Customer.name, Customer.status).where(Customer.customer_no == req.customer_no)
    ).one_or_none()
    if row is None:
        raise AppError(ErrorCode.CUSTOMER_NOT_FOUND, customer_no=req.customer_no)
    if row.status == CustomerStatus.CLOSED.value:
        raise AppError(ErrorCode.CUSTOMER_CLOSED, customer_no=req.customer_no)
    if req.amount_fen is not None:
        check_amount(ctx, req.amount_fen)
    books = load_bills(ctx.session, customer_id=row.id, on=business_date(ctx.now))
    return quote_for(books, customer_no=req.customer_no, customer_name=row.name, amount_fen=req.amount_fen)


def pay_bills(*, ctx: CallContext, req: PayRequest) -> PaymentReceipt:
    """Take a payment: validate, allocate, book it all in the call's transaction, return the receipt.

    The late fee runs to the day the customer paid (``late_fee_day.payment_as_of``): today online; for a
    payment accepted offline the counter's day when its taken-at time is plausible, else today, and the
    payment is listed for the supervisor with both dates.

    ``accepted_offline``: the allocation runs on the bills as they are now even when the due changed since
    the quote; what the customer meant for bills that no longer take it goes to prepayment and is reported
    as ``redirected_to_prepayment_fen = min(to prepayment, max(0, quoted due − due now))``.
    """
    actor = ctx.require_actor()
    today = business_date(ctx.now)
    receipt_day, receipt_seq = check_receipt_no(ctx, req.receipt_no, today=today, offline=req.accepted_offline)
    totals = tender_totals(req.tenders)
    amount = totals.paid_fen
    check_amount(ctx, amount)
    local_time = local_time_utc(ctx, req.local_time, offline=req.accepted_offline)
    head = lock_payer(ctx, customer_no=req.customer_no, receipt_no=req.receipt_no, receipt_day=receipt_day,
                      receipt_seq=receipt_seq)
    shift_id, shift_no = int(head.shift_id), str(head.shift_no)
    as_of = payment_as_of(ctx, req, user_id=actor.user_id, counter_id=actor.counter_id, queued_on=receipt_day)
    books = load_bills(ctx.session, customer_id=head.id, on=as_of.day)
    due = books.due_fen
    if due != req.quoted_due_fen and not req.accepted_offline:
        raise AppError(ErrorCode.DUE_CHANGED, quoted_fen=req.quoted_due_fen, due_fen=due)
    quote = quote_for(books, customer_no=head.customer_no, customer_name=head.name, amount_fen=amount)
    redirected = min(quote.to_prepayment_fen, max(0, req.quoted_due_fen - due)) if req.accepted_offline else 0
    tenders = tender_rows(req.tenders)
    paid_bills = bills_paid(books, quote)
    params = {
        "receipt_no": req.receipt_no, "customer_id": head.id, "shift_id": shift_id, "user_id": actor.user_id,
        "counter_id": actor.counter_id, "now": ctx.now, "local_time": local_time, "amount_fen": amount,
        "due_fen": due, "tendered_fen": totals.tendered_fen, "change_fen": totals.change_fen,
        "prepayment_before_fen": quote.prepayment_before_fen, "prepayment_after_fen": quote.prepayment_after_fen,
        "to_prepayment_fen": quote.to_prepayment_fen, "redirected_fen": redirected,
        "accepted_offline": req.accepted_offline, "idempotency_key": ctx.idempotency_key or "",
        "as_of": as_of.day, "as_of_rule": as_of.broken.value if as_of.broken else None,
        "tenders": json.dumps(tenders), "allocations": json.dumps(allocation_rows(paid_bills)),
        "entries": json.dumps(ledger_entries(paid_bills, prepayment_fen=quote.to_prepayment_fen)),
    }
    write_payment(ctx, params)
    ctx.record(target=f"receipt:{req.receipt_no}", after={
        "customer_no": req.customer_no, "shift_no": shift_no, "amount_fen": amount, "due_fen": due,
        "change_fen": totals.change_fen, "to_prepayment_fen": quote.to_prepayment_fen, "redirected_fen": redirected,
        "accepted_offline": req.accepted_offline, "late_fee_as_of": as_of.day.isoformat(),
        "late_fee_as_of_rule": as_of.broken.value if as_of.broken else None,
        "tenders": {t["method"]: t["amount_fen"] for t in tenders},
        "bills": {bill.bill_no: [line.pay_late_fee_fen, line.pay_principal_fen] for bill, line in paid_bills},
    })
    header = ReceiptHeader(hall_name=head.hall_name, counter_code=actor.counter_code, cashier_name=head.cashier_name,
                           shift_no=shift_no, address=head.address)
    return build_receipt(receipt_no=req.receipt_no, header=header, quote=quote, tenders=req.tenders, paid_at=ctx.now,
                         local_time=local_time, accepted_offline=req.accepted_offline,
                         redirected_to_prepayment_fen=Fen(redirected))


def lock_payer(ctx: CallContext, *, customer_no: str, receipt_no: str, receipt_day: dt.date,
               receipt_seq: int) -> Row[Any]:
    """The customer row locked for a payment (``LOCK_CUSTOMER``: two counters paying the same customer take turns),
    with the receipt number's, the customer's and the shift's checks; a bill payment and a card sale both lock so."""
    actor = ctx.require_actor()
    heads = fetch(ctx.session, LOCK_CUSTOMER, {
        "customer_no": customer_no, "receipt_no": receipt_no, "counter_id": actor.counter_id,
        "user_id": actor.user_id, **receipt_window_bounds(actor.counter_code, receipt_day),
    })
    if not heads:
        raise AppError(ErrorCode.CUSTOMER_NOT_FOUND, customer_no=customer_no)
    head: Row[Any] = heads[0]
    if head.taken:
        raise AppError(ErrorCode.RECEIPT_NO_TAKEN, receipt_no=receipt_no)
    check_receipt_window(receipt_no=receipt_no, seq=receipt_seq, highest_receipt=head.highest_receipt,
                         damage_acks=int(head.damage_acks))
    if head.status == CustomerStatus.CLOSED.value:
        raise AppError(ErrorCode.CUSTOMER_CLOSED, customer_no=customer_no)
    if head.shift_id is None:
        raise AppError(ErrorCode.NO_OPEN_SHIFT)
    return head


def tender_rows(tenders: Sequence[Tender]) -> list[dict[str, Any]]:
    """The tenders as ``WRITE_PAYMENT`` takes them (JSON rows)."""
    return [{"method": t.method.value, "amount_fen": t.amount_fen, "cash_handed_fen": t.cash_handed_fen,
             "reference": t.reference.strip()} for t in tenders]


def bills_paid(books: CustomerBills, quote: Quote) -> list[tuple[BillDue, AllocationLine]]:
    """The bills a quote pays something to, with their allocation lines."""
    return [(bill, line) for bill, line in zip(books.bills, quote.lines, strict=True)
            if line.pay_late_fee_fen + line.pay_principal_fen > 0]


def allocation_rows(paid_bills: Sequence[tuple[BillDue, AllocationLine]]) -> list[dict[str, Any]]:
    """The allocations as ``WRITE_PAYMENT`` takes them (JSON rows)."""
    return [{"bill_id": bill.bill_id, "late_fee_fen": line.pay_late_fee_fen, "late_days": line.late_days,
             "principal_fen": line.pay_principal_fen} for bill, line in paid_bills]


def write_payment(ctx: CallContext, params: dict[str, Any]) -> int:
    """Run ``WRITE_PAYMENT`` (payment, tenders, allocations, ledger entries in one statement); its payment id.

    The same number booked meanwhile by a parallel call is RECEIPT_NO_TAKEN; no row back means the shift was
    closed while this call waited for it (NO_OPEN_SHIFT)."""
    try:
        written = fetch(ctx.session, WRITE_PAYMENT, params)
    except IntegrityError as exc:
        if constraint_name(exc) == "uq_payments_receipt_no":
            raise AppError(ErrorCode.RECEIPT_NO_TAKEN, receipt_no=str(params["receipt_no"])) from None
        raise
    if not written:
        raise AppError(ErrorCode.NO_OPEN_SHIFT)
    return int(written[0][0])


def get_receipt(*, ctx: CallContext, req: ReceiptRequest) -> PaymentReceipt:
    """A booked receipt as it was printed, with its reprint count and void mark as they are now."""
    return rebuild_receipt(ctx, find_receipt(ctx, req.receipt_no))


def reprint_receipt(*, ctx: CallContext, req: ReceiptRequest) -> PaymentReceipt:
    """Record the next reprint (补打 N) and return the receipt marked with N; voided receipts too."""
    actor = ctx.require_actor()
    row = find_receipt(ctx, req.receipt_no, for_update=True)
    print_no = ctx.session.execute(_next_print(
        payment_id=row.id, now=ctx.now, user_id=actor.user_id, counter_code=actor.counter_code,
    )).scalar_one()
    ctx.record(target=f"receipt:{req.receipt_no}", before={"reprints": print_no - 1}, after={"reprints": print_no})
    return rebuild_receipt(ctx, row, reprints=print_no)


def find_receipt(ctx: CallContext, receipt_no: str, *, for_update: bool = False) -> Row[Any]:
    """The booked payment behind a receipt number (the columns of ``_receipt_query``), or RECEIPT_NOT_FOUND."""
    row = ctx.session.execute(_RECEIPT_FOR_UPDATE if for_update else _RECEIPT, {"receipt_no": receipt_no}).one_or_none()
    if row is None:
        raise AppError(ErrorCode.RECEIPT_NOT_FOUND, receipt_no=receipt_no)
    return row


def rebuild_receipt(ctx: CallContext, row: Row[Any], *, reprints: int | None = None) -> PaymentReceipt:
    """The receipt of a booked payment: the bill lines come from the books as they stood before it; a card sale's
    receipt (开户, 购电, 补卡) carries its card part (purchase count, amount written, meter number, serial)."""
    as_of = row.late_fee_as_of or business_date(row.paid_at)  # NULL: booked before 0007, on its booking day
    books = load_bills(ctx.session, customer_id=row.customer_id, on=as_of, before_entry_id=row.first_entry)
    by_id = {b.bill_id: b for b in books.bills}
    bills = []
    for bill_id, fee, principal in row.allocations:
        bill = by_id[bill_id]
        bills.append(ReceiptBill(bill_no=bill.bill_no, period=bill.period, kwh=str(bill.kwh),
                                 principal_fen=bill.principal_open_fen, late_fee_fen=bill.late_fee_fen,
                                 paid_fen=fee + principal))
    return PaymentReceipt(
        receipt_no=row.receipt_no, hall_name=row.hall_name, counter_code=row.counter_code,
        cashier_name=row.cashier_name, shift_no=row.shift_no, paid_at=row.paid_at, local_time=row.local_time,
        customer_no=row.customer_no, customer_name=row.customer_name, address=row.address, bills=bills,
        due_fen=row.due_fen, paid_fen=row.amount_fen, tendered_fen=row.tendered_fen, change_fen=row.change_fen,
        prepayment_before_fen=row.prepayment_before_fen, prepayment_after_fen=row.prepayment_after_fen,
        tenders=[ReceiptTenderLine(method=TenderMethod(m), amount_fen=a, reference=r) for m, a, r in row.tenders],
        accepted_offline=row.accepted_offline, redirected_to_prepayment_fen=row.redirected_to_prepayment_fen,
        reprint_count=row.reprints if reprints is None else reprints, voided=row.voided,
        card=card_part(ctx, row.id),
    )


_CARD_PART: Final = (
    select(CardWrite.kind, CardWrite.purchase_count, CardWrite.write_amount_fen, CardWrite.meter_no, Card.serial)
    .join(Card, Card.id == CardWrite.card_id)
    .where(CardWrite.payment_id == bindparam("payment_id"))
    .order_by(CardWrite.id).limit(1)
)


def card_part(ctx: CallContext, payment_id: int) -> CardReceiptPart | None:
    """The card part of a card sale's receipt (the card write its payment paid for), None for a bill payment."""
    row = ctx.session.execute(_CARD_PART, {"payment_id": payment_id}).one_or_none()
    if row is None:
        return None
    return CardReceiptPart(kind=row.kind, purchase_count=int(row.purchase_count),
                           write_amount_fen=int(row.write_amount_fen), meter_no=row.meter_no,
                           serial=bytes(row.serial).hex().upper())


def ledger_entries(paid_bills: Sequence[tuple[BillDue, AllocationLine]], *, prepayment_fen: int
                    ) -> list[dict[str, Any]]:
    """Per bill LATE_FEE −fee paid (when any) and PAYMENT +(fee + principal); the rest PAYMENT on no bill.
    ``n`` orders the inserts, so entry ids follow this order."""
    entries: list[dict[str, Any]] = []
    for bill, line in paid_bills:
        if line.pay_late_fee_fen:
            entries.append({"kind": EntryKind.LATE_FEE.value, "amount_fen": -line.pay_late_fee_fen,
                            "bill_id": bill.bill_id})
        entries.append({"kind": EntryKind.PAYMENT.value, "amount_fen": line.pay_late_fee_fen + line.pay_principal_fen,
                        "bill_id": bill.bill_id})
    if prepayment_fen:
        entries.append({"kind": EntryKind.PAYMENT.value, "amount_fen": prepayment_fen, "bill_id": None})
    return [dict(e, n=n) for n, e in enumerate(entries)]


def quote_for(books: CustomerBills, *, customer_no: str, customer_name: str, amount_fen: int | None) -> Quote:
    """The shared quote rule on the books of the day (refusals as AppError)."""
    try:
        return quote_payment(customer_no=customer_no, customer_name=customer_name, bills=books.bills,
                             prepayment_fen=Fen(books.prepayment_fen),
                             amount_fen=None if amount_fen is None else Fen(amount_fen))
    except AllocationError as exc:
        raise _refusal(exc) from None


def check_amount(ctx: CallContext, amount: int) -> None:
    """One payment (or quote) is at most ``max_payment_fen``: a plausibility limit, which also keeps every
    sum the answer carries inside the contract's Fen bound."""
    limit = ctx.settings.max_payment_fen
    if amount > limit:
        raise AppError(ErrorCode.AMOUNT_TOO_LARGE, amount_fen=amount, limit_fen=limit)


def local_time_utc(ctx: CallContext, local_time: dt.datetime | None, *, offline: bool) -> dt.datetime | None:
    """The counter's clock in UTC (China time when it has no offset). Online, the cashier confirmed a moment
    ago: a clock further than ``clock_skew_s`` off the server's is refused; an offline payment's time is
    when it was taken, which may be long ago (the offline rules judge it)."""
    if local_time is None:
        return None
    aware = as_hall_time(local_time).astimezone(dt.UTC)
    skew = ctx.settings.clock_skew_s
    if not offline and abs(aware - ctx.now) > dt.timedelta(seconds=skew):
        raise AppError(ErrorCode.LOCAL_TIME_IMPLAUSIBLE, skew_s=skew)
    return aware


def check_receipt_no(ctx: CallContext, receipt_no: str, *, today: dt.date, offline: bool) -> tuple[dt.date, int]:
    """``<this counter>-<today>-<seq>``, as ``(day, seq)`` (``check_counter_receipt_no``); a later day of a
    payment accepted offline is booked as of today and listed for the supervisor (``late_fee_day``)."""
    try:
        return check_counter_receipt_no(receipt_no, counter_code=ctx.require_actor().counter_code, today=today,
                                        offline=offline)
    except ValueError:
        raise AppError(ErrorCode.RECEIPT_NO_INVALID, receipt_no=receipt_no) from None


def tender_totals(tenders: Sequence[Tender]) -> TenderTotals:
    """The totals of valid tenders (``shared_models.rules.tenders``); refuses the first problem found."""
    try:
        return check_tenders(tenders)
    except AllocationError as exc:
        raise _refusal(exc) from None


def constraint_name(exc: IntegrityError) -> str | None:
    diag = getattr(exc.orig, "diag", None)
    return getattr(diag, "constraint_name", None)


def _refusal(exc: AllocationError) -> AppError:
    """A payment rule's refusal as the wire error of the same code and parameters."""
    error = AppError(ErrorCode(exc.code.value))
    error.params.update(exc.params)
    return error
