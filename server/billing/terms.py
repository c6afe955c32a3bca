"""The customer terms a bill run prices with: the stored ``customer_terms`` row in force on the period's last day.

:func:`stored_terms` reads them for many customers in one statement; :func:`with_stored` puts a row's figures on
the ``CustomerTerms`` the run computed (the kWh already billed in the cycle). Both bill-run paths (one by one in
``server.billing.sources``, in bulk in ``server.billing.bulk``) use these, so they price with the same terms.

:func:`cycle_kwh_before` is that kWh: the customer's bills of the annual tier cycle before the period, the cycle
starting on the customer's ``tier_cycle_start`` (DOMAIN §1.3; 1 January without one). A bill belongs to the
cycle that holds the first day of its period (:func:`cycle_first_period`), so every period is in exactly one
cycle and, with a cycle starting on the 1st of a month, the cycle's periods are its twelve months.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Integer, bindparam, column, func, select
from sqlalchemy.dialects.postgresql import ARRAY, distinct_on
from sqlalchemy.orm import Session, aliased

from server.billing import periods
from server.billing.inputs import VersionRef
from server.models.billing import Bill
from server.models.terms import CustomerTermsRow
from server.pricing.segments import cycle_bounds
from server.services.readings import CustomerTermsForChecks
from shared_models.pricing import CustomerTerms, HouseholdAdjustment
from shared_models.tariffs import DemandBasis


@dataclass(frozen=True)
class StoredTerms:
    """A ``customer_terms`` row's figures."""

    demand_basis: DemandBasis | None
    capacity_kva: Decimal | None
    contract_demand_kw: Decimal | None
    tier_cycle_start: dt.date | None
    household: HouseholdAdjustment | None


def stored_terms(session: Session, customer_ids: Sequence[int], *, period: int) -> dict[int, StoredTerms]:
    """The terms in force on ``period``'s last day of each customer that has any, in one statement."""
    if not customer_ids:
        return {}
    t = CustomerTermsRow
    stmt = (select(t.customer_id, t.demand_basis, t.capacity_kva, t.contract_demand_kw, t.tier_cycle_start,
                   t.household)
            .where(t.customer_id == bindparam("ids", list(customer_ids), type_=ARRAY(BigInteger)).any_(),
                   t.effective_from <= periods.last_day(period))
            .ext(distinct_on(t.customer_id)).order_by(t.customer_id, t.effective_from.desc()))
    return {row.customer_id: StoredTerms(
        demand_basis=row.demand_basis, capacity_kva=row.capacity_kva, contract_demand_kw=row.contract_demand_kw,
        tier_cycle_start=row.tier_cycle_start,
        household=household_of(row.household))
        for row in session.execute(stmt)}


def household_of(stored: dict[str, Any] | None) -> HouseholdAdjustment | None:
    """The household adjustment a row's JSON holds (read as on the wire: dates and kinds as text)."""
    return None if stored is None else HouseholdAdjustment.model_validate_json(json.dumps(stored))


def cycle_first_period(period: int, tier_cycle_start: dt.date | None) -> int:
    """The first period of the annual tier cycle ``period`` belongs to: the cycle holding the period's first day
    (as ``server.pricing`` cuts cycles, from ``tier_cycle_start``'s month and day), whose first period is the
    month it starts in when it starts on the 1st, else the month after."""
    start, _end = cycle_bounds(tier_cycle_start, periods.first_day(period))
    if start.day == 1:
        return start.year * 100 + start.month
    return start.year * 100 + start.month + 1 if start.month < 12 else (start.year + 1) * 100 + 1


def cycle_kwh_before(session: Session, customer_ids: Sequence[int], *, period: int,
                     stored: Mapping[int, StoredTerms]) -> dict[int, Decimal]:
    """The kWh of each customer's bills in its tier cycle before ``period`` (periods from
    :func:`cycle_first_period` of its stored ``tier_cycle_start`` to the one before ``period``; bills replaced by
    a 退补 left out, their correction counted), in one statement; customers without such bills are left out."""
    if not customer_ids:
        return {}
    firsts = [cycle_first_period(period, None if (s := stored.get(i)) is None else s.tier_cycle_start)
              for i in customer_ids]
    cycle = func.unnest(bindparam("cycle_ids", list(customer_ids), type_=ARRAY(BigInteger)),
                        bindparam("cycle_firsts", firsts, type_=ARRAY(Integer))) \
        .table_valued(column("customer_id", BigInteger), column("first_period", Integer)).render_derived()
    replaced = aliased(Bill)
    stmt = (select(cycle.c.customer_id, func.sum(Bill.kwh))
            .join(Bill, Bill.customer_id == cycle.c.customer_id)
            .where(Bill.period >= cycle.c.first_period, Bill.period < period,
                   ~select(replaced.id).where(replaced.corrects_bill_id == Bill.id).exists())
            .group_by(cycle.c.customer_id))
    return {customer_id: Decimal(kwh) for customer_id, kwh in session.execute(stmt)}


def with_stored(terms: CustomerTerms, stored: StoredTerms | None) -> CustomerTerms:
    """``terms`` with the stored row's figures (unchanged without a row)."""
    if stored is None:
        return terms
    return terms.model_copy(update={
        "demand_basis": stored.demand_basis, "capacity_kva": stored.capacity_kva,
        "contract_demand_kw": stored.contract_demand_kw, "tier_cycle_start": stored.tier_cycle_start,
        "household": stored.household})


def checks_of(terms: CustomerTerms, versions: Sequence[VersionRef]) -> CustomerTermsForChecks:
    """What the reading checks compare with: the contract demand of the terms and the power-factor standard of
    the tariff version in force at the period's end (None when not checked)."""
    spec = versions[-1].doc.power_factor if versions else None
    return CustomerTermsForChecks(contract_demand_kw=terms.contract_demand_kw,
                                  power_factor_standard=None if spec is None else Decimal(spec.standard.value))
