"""The customer terms a bill run prices with: the stored ``customer_terms`` row in force on the period's last day.

:func:`stored_terms` reads them for many customers in one statement; :func:`with_stored` puts a row's figures on
the ``CustomerTerms`` the run computed (the kWh already billed in the cycle). Both bill-run paths (one by one in
``server.billing.sources``, in bulk in ``server.billing.bulk``) use these, so they price with the same terms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import BigInteger, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY, distinct_on
from sqlalchemy.orm import Session

from server.billing import periods
from server.billing.inputs import VersionRef
from server.models.terms import CustomerTermsRow
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
        household=None if row.household is None else HouseholdAdjustment.model_validate(row.household))
        for row in session.execute(stmt)}


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
