"""Customer profile reads and contact changes."""

from __future__ import annotations

from sqlalchemy import func, select

from server.errors import AppError
from server.models.customers import Customer, Meter, Tariff
from server.models.ledger import LedgerEntry
from server.models.org import OrgUnit
from server.rpc.context import CallContext
from shared_models.errors import ErrorCode
from shared_models.methods.customers import (
    CustomerProfile,
    GetCustomerRequest,
    MeterInfo,
    UpdateContactRequest,
)


def _customer(ctx: CallContext, customer_no: str, *, for_update: bool = False) -> Customer:
    stmt = select(Customer).where(Customer.customer_no == customer_no)
    if for_update:
        stmt = stmt.with_for_update()
    customer = ctx.session.scalar(stmt)
    if customer is None:
        raise AppError(ErrorCode.CUSTOMER_NOT_FOUND, customer_no=customer_no)
    return customer


def _profile(ctx: CallContext, c: Customer) -> CustomerProfile:
    s = ctx.session
    hall = s.get_one(OrgUnit, c.hall_id)
    tariff = s.get_one(Tariff, c.tariff_id)
    meters = s.scalars(select(Meter).where(Meter.customer_id == c.id, Meter.removed_on.is_(None))
                       .order_by(Meter.id))
    balance = s.scalar(select(func.coalesce(func.sum(LedgerEntry.amount_fen), 0))
                       .where(LedgerEntry.customer_id == c.id))
    return CustomerProfile(
        customer_no=c.customer_no, name=c.name, address=c.address, phone=c.phone,
        id_number_masked=c.id_number_masked, category=c.category.value, status=c.status.value,
        payment_mode=c.payment_mode.value, hall_code=hall.code, tariff_name=tariff.name,
        meters=[MeterInfo(asset_no=m.asset_no, multiplier=m.multiplier, digits=m.digits) for m in meters],
        balance_fen=int(balance or 0),
    )


def get_customer(*, ctx: CallContext, req: GetCustomerRequest) -> CustomerProfile:
    """Profile, current meters and ledger balance of one customer."""
    return _profile(ctx, _customer(ctx, req.customer_no))


def update_contact(*, ctx: CallContext, req: UpdateContactRequest) -> CustomerProfile:
    """Change the contact phone; master data, not the books, so the row changes with an audit record."""
    customer = _customer(ctx, req.customer_no, for_update=True)
    before = {"phone": customer.phone}
    customer.phone = req.phone.strip()
    ctx.session.flush()
    ctx.record(target=f"customer:{customer.customer_no}", before=before, after={"phone": customer.phone})
    return _profile(ctx, customer)
