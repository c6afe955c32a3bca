"""The customer 360 view (SPEC C2): profile, meters, open bills with late fee to today, arrears,
prepayment, the latest counter payments and the card status (C8, ``cards.card_status``). Work orders come with
C9."""

from __future__ import annotations

from typing import Final

from sqlalchemy import bindparam, exists, func, select

from server.context import CallContext
from server.models.org import Counter
from server.models.payments import Payment, PaymentTender, PaymentVoid
from server.services.bills import load_bills
from server.services.cards import card_status
from server.services.customers import customer_profile, find_customer
from shared_models.methods.customers import CustomerOverview, GetCustomerRequest, OpenBillView, RecentPayment
from shared_models.rules.hall_time import business_date

#: How many of the latest payments the view lists.
RECENT_PAYMENTS: Final = 10

_RECENT: Final = (
    select(
        Payment.receipt_no, Payment.paid_at, Payment.amount_fen, Counter.code.label("counter_code"),
        func.array(
            select(PaymentTender.method).where(PaymentTender.payment_id == Payment.id).order_by(PaymentTender.id)
            .scalar_subquery()
        ).label("methods"),
        exists().where(PaymentVoid.payment_id == Payment.id).label("voided"),
    )
    .join(Counter, Counter.id == Payment.counter_id)
    .where(Payment.customer_id == bindparam("cid"))
    .order_by(Payment.paid_at.desc(), Payment.id.desc())
    .limit(bindparam("n"))
)


def get_overview(*, ctx: CallContext, req: GetCustomerRequest) -> CustomerOverview:
    """Everything the counter shows about a customer, with late fees as if paid today (China time)."""
    customer = find_customer(ctx, req.customer_no)
    profile = customer_profile(ctx, customer)
    today = business_date(ctx.now)
    books = load_bills(ctx.session, customer_id=customer.id, on=today)
    recent = ctx.session.execute(_RECENT, {"cid": customer.id, "n": RECENT_PAYMENTS}).all()
    return CustomerOverview(
        profile=profile,
        open_bills=[
            OpenBillView(bill_no=b.bill_no, period=b.period, kwh=str(b.kwh), amount_fen=b.amount_fen,
                         principal_open_fen=b.principal_open_fen, issued_on=b.issued_on, due_on=b.due_on,
                         late_days=b.late_days, late_fee_fen=b.late_fee_fen)
            for b in books.bills
        ],
        arrears_fen=books.arrears_fen,
        late_fee_fen=books.late_fee_fen,
        due_fen=books.due_fen,
        prepayment_fen=books.prepayment_fen,
        recent_payments=[
            RecentPayment(receipt_no=r.receipt_no, paid_at=r.paid_at, amount_fen=r.amount_fen,
                          methods=list(r.methods), counter_code=r.counter_code, voided=r.voided)
            for r in recent
        ],
        card_status=card_status(ctx, customer.id),
        as_of=today,
    )
