"""Customer terms (计费参数): read a customer's dated terms and add a change, checked against its tariff and bills.

The terms live in ``customer_terms`` (``server.models.terms``), append-only: a change is a new row holding the
whole terms from its date on, and the bill run prices a period with the row in force on the period's last day
(``server.billing.terms``). So a change is refused for a date on or before the last day of a period the customer
has a released bill for (that bill would no longer match its terms; a correction of it is a 退补), and for a date
that already has a row. Figures are checked against the customer's tariff (the versions in force from the date
on) and category: a demand basis or its figures only on a two-part tariff, and there the figures its basis needs;
a household adjustment only for a residential customer; a tier cycle start only with annual tiers. Who recorded a
row and why are in its audit record (``customer.set_terms``, target ``customer:<户号>:terms``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import func, or_, select

from server.billing import periods
from server.billing.terms import household_of
from server.context import CallContext
from server.errors import AppError
from server.models.audit import AuditRecord
from server.models.billing import Bill
from server.models.customers import Customer, Tariff, TariffVersion
from server.models.terms import CustomerTermsRow
from server.pricing import PricingRefusal
from server.services.customers import find_customer
from server.services.tariffs import stored_doc
from shared_models.errors import ErrorCode
from shared_models.methods.customer_terms import CustomerTermsView, GetTermsRequest, SetTermsRequest, TermsEntry
from shared_models.methods.customers import CustomerCategory
from shared_models.pricing import HouseholdAdjustment, HouseholdKind
from shared_models.rules.hall_time import business_date
from shared_models.tariffs import DemandBasis, TariffVersionDoc, TierCycle

_METHOD: Final = "customer.set_terms"
_CENT: Final = Decimal("0.01")
#: The two-part fields of the terms, in the order a refusal names the first one set.
_TWO_PART_FIELDS = ("demand_basis", "capacity_kva", "contract_demand_kw")


def _target(customer_no: str) -> str:
    return f"customer:{customer_no}:terms"


def _versions_since(ctx: CallContext, tariff_id: int, since: dt.date) -> list[TariffVersionDoc]:
    """The tariff's versions in force on ``since`` or later."""
    return [stored_doc(row) for row in ctx.session.scalars(select(TariffVersion).where(
        TariffVersion.tariff_id == tariff_id,
        or_(TariffVersion.effective_to.is_(None), TariffVersion.effective_to >= since)))]


def _annual_tiers(ctx: CallContext, tariff_id: int, since: dt.date) -> bool:
    """True when a version of the tariff in force on ``since`` or later has annual tiers."""
    return any(doc.tiers is not None and doc.tiers.cycle is TierCycle.YEAR
               for doc in _versions_since(ctx, tariff_id, since))


def _household_refusal(household: HouseholdAdjustment, docs: list[TariffVersionDoc]) -> PricingRefusal | None:
    """What ``server.pricing`` would refuse of the household adjustment under one of ``docs``, or None."""
    for doc in docs:
        if (household.kind is HouseholdKind.EXTRA_KWH and doc.tiers is not None
                and len(household.extra_kwh_per_tier) != len(doc.tiers.thresholds_kwh)):
            return PricingRefusal.HOUSEHOLD_TIERS
        if household.kind is HouseholdKind.SHARED_METER_PRICE and doc.shared_meter_price is None:
            return PricingRefusal.NO_SHARED_METER_PRICE
    return None


def _billed(ctx: CallContext, customer_id: int) -> tuple[dt.date, str] | None:
    """(the last day of the newest billed period, that period's bill number) of the customer, or None."""
    row = ctx.session.execute(select(Bill.period, Bill.bill_no).where(Bill.customer_id == customer_id)
                              .order_by(Bill.period.desc(), Bill.id.desc()).limit(1)).one_or_none()
    return None if row is None else (periods.last_day(row.period), row.bill_no)


#: A row's date (ISO) → who recorded it and why.
_Recorded = dict[str, tuple[str, str | None]]


def _entries(ctx: CallContext, customer: Customer, pending: _Recorded) -> list[TermsEntry]:
    """Every stored row of the customer, newest ``effective_from`` first, with who recorded it and why (from its
    audit record, or from ``pending`` for the row of this call, whose record dispatch writes after it)."""
    recorded: _Recorded = dict(pending)
    for username, after in ctx.session.execute(
            select(AuditRecord.username, AuditRecord.after)
            .where(AuditRecord.method == _METHOD, AuditRecord.target == _target(customer.customer_no),
                   AuditRecord.refusal.is_(None))):
        if after is not None and "effective_from" in after:
            recorded.setdefault(after["effective_from"], (username, after.get("reason")))
    rows = ctx.session.scalars(select(CustomerTermsRow).where(CustomerTermsRow.customer_id == customer.id)
                               .order_by(CustomerTermsRow.effective_from.desc()))
    out = []
    for row in rows:
        by, reason = recorded.get(row.effective_from.isoformat(), (None, None))
        out.append(TermsEntry(
            effective_from=row.effective_from, demand_basis=row.demand_basis, capacity_kva=row.capacity_kva,
            contract_demand_kw=row.contract_demand_kw, tier_cycle_start=row.tier_cycle_start,
            household=household_of(row.household),
            recorded_at=row.recorded_at, recorded_by=by, reason=reason))
    return out


def _view(ctx: CallContext, customer: Customer, pending: _Recorded | None = None) -> CustomerTermsView:
    tariff = ctx.session.get_one(Tariff, customer.tariff_id)
    today = business_date(ctx.now)
    history = _entries(ctx, customer, pending or {})
    billed = _billed(ctx, customer.id)
    return CustomerTermsView(
        customer_no=customer.customer_no, customer_name=customer.name, category=customer.category,
        tariff_code=tariff.code, tariff_name=tariff.name, two_part=tariff.two_part,
        annual_tiers=_annual_tiers(ctx, tariff.id, today), billed_to=None if billed is None else billed[0],
        current=next((e for e in history if e.effective_from <= today), None), history=history)


def get_terms(*, ctx: CallContext, req: GetTermsRequest) -> CustomerTermsView:
    """A customer's terms: the row in force today and every row, with what its tariff asks for."""
    return _view(ctx, find_customer(ctx, req.customer_no))


def _check_tariff(ctx: CallContext, req: SetTermsRequest, customer: Customer, tariff: Tariff) -> None:
    """Refuse figures that make no sense for the customer's tariff and category."""
    if not tariff.two_part:
        given = next((name for name in _TWO_PART_FIELDS if getattr(req, name) is not None), None)
        if given is not None:
            raise AppError(ErrorCode.CUSTOMER_TERMS_NOT_TWO_PART, customer_no=customer.customer_no,
                           tariff_code=tariff.code, field=given)
    else:
        needed = {None: ("demand_basis",), DemandBasis.CAPACITY: ("capacity_kva",), DemandBasis.DEMAND: (),
                  # contract demand: the 40 % floor is a share of the kVA (DOMAIN §3.2)
                  DemandBasis.CONTRACT_DEMAND: ("contract_demand_kw", "capacity_kva")}[req.demand_basis]
        missing = next((name for name in needed if getattr(req, name) is None), None)
        if missing is not None:
            raise AppError(ErrorCode.CUSTOMER_TERMS_FIGURE_MISSING, customer_no=customer.customer_no,
                           tariff_code=tariff.code, field=missing)
    if req.household is not None and customer.category is not CustomerCategory.RESIDENTIAL:
        raise AppError(ErrorCode.CUSTOMER_TERMS_HOUSEHOLD_NOT_RESIDENTIAL, customer_no=customer.customer_no,
                       category=customer.category.value)
    refusal = None if req.household is None else _household_refusal(
        req.household, _versions_since(ctx, tariff.id, max(req.effective_from, req.household.valid_from)))
    if refusal is not None:
        raise AppError(ErrorCode.CUSTOMER_TERMS_HOUSEHOLD_NOT_PRICEABLE, customer_no=customer.customer_no,
                       tariff_code=tariff.code, refusal=refusal.value)
    if req.tier_cycle_start is not None and not _annual_tiers(ctx, tariff.id, req.effective_from):
        raise AppError(ErrorCode.CUSTOMER_TERMS_NO_ANNUAL_TIERS, customer_no=customer.customer_no,
                       tariff_code=tariff.code)


def _audit_values(row: CustomerTermsRow) -> dict[str, Any]:
    return {"effective_from": row.effective_from.isoformat(),
            "demand_basis": None if row.demand_basis is None else row.demand_basis.value,
            "capacity_kva": None if row.capacity_kva is None else format(row.capacity_kva, "f"),
            "contract_demand_kw": None if row.contract_demand_kw is None else format(row.contract_demand_kw, "f"),
            "tier_cycle_start": None if row.tier_cycle_start is None else row.tier_cycle_start.isoformat(),
            "household": row.household}


def _stored(figure: Decimal | None) -> Decimal | None:
    """A figure as the NUMERIC(16, 2) column holds it (the contract allows at most two places)."""
    return None if figure is None else figure.quantize(_CENT)


def set_terms(*, ctx: CallContext, req: SetTermsRequest) -> CustomerTermsView:
    """Add the customer's terms from ``req.effective_from`` on (a new row), after its billed periods."""
    # the customer's row lock: two clerks changing one customer's terms (or a release billing it) take turns
    customer = find_customer(ctx, req.customer_no, for_update=True)
    tariff = ctx.session.get_one(Tariff, customer.tariff_id)
    billed = _billed(ctx, customer.id)
    if billed is not None and req.effective_from <= billed[0]:
        raise AppError(ErrorCode.CUSTOMER_TERMS_BILLED, customer_no=customer.customer_no,
                       effective_from=req.effective_from.isoformat(), billed_to=billed[0].isoformat(),
                       bill_no=billed[1])
    taken = ctx.session.scalar(select(func.count()).select_from(CustomerTermsRow).where(
        CustomerTermsRow.customer_id == customer.id, CustomerTermsRow.effective_from == req.effective_from))
    if taken:
        raise AppError(ErrorCode.CUSTOMER_TERMS_DATE_TAKEN, customer_no=customer.customer_no,
                       effective_from=req.effective_from.isoformat())
    _check_tariff(ctx, req, customer, tariff)
    before = ctx.session.scalars(select(CustomerTermsRow).where(
        CustomerTermsRow.customer_id == customer.id, CustomerTermsRow.effective_from <= req.effective_from)
        .order_by(CustomerTermsRow.effective_from.desc()).limit(1)).one_or_none()
    row = CustomerTermsRow(
        customer_id=customer.id, effective_from=req.effective_from, demand_basis=req.demand_basis,
        capacity_kva=_stored(req.capacity_kva), contract_demand_kw=_stored(req.contract_demand_kw),
        tier_cycle_start=req.tier_cycle_start,
        household=None if req.household is None else req.household.model_dump(mode="json"))
    ctx.session.add(row)
    ctx.session.flush()
    ctx.record(target=_target(customer.customer_no), before=None if before is None else _audit_values(before),
               after=_audit_values(row) | {"reason": req.reason})
    return _view(ctx, customer, {row.effective_from.isoformat(): (ctx.require_actor().username, req.reason)})
