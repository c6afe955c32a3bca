"""The two-part customer the customer-terms tests share: the commercial customer of book T01-B001 moved to a
two-part tariff on contract demand, with terms from 2026-10-01 (200 kVA, 100 kW)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.models.customers import Customer
from server.models.terms import CustomerTermsRow
from server.services.tariffs import create_tariff
from shared_models.methods.customers import CustomerCategory
from shared_models.tariffs import (
    CrossYear,
    DemandBasis,
    LateFeeSpec,
    TariffHeader,
    TariffVersionDoc,
    TwoPartSpec,
    VoltageLevel,
)
from tests.factories import COMMERCIAL


def put_on_two_part(db: Session) -> int:
    """Move the commercial customer to a new two-part tariff with terms from 2026-10-01; its id (not committed)."""
    doc = TariffVersionDoc(
        effective_from=dt.date(2025, 1, 1), energy_price=Decimal("0.6"),
        two_part=TwoPartSpec(capacity_price_per_kva=Decimal("22.6"), demand_price_per_kw=Decimal("36.1")),
        late_fee=LateFeeSpec(daily_permille_current=Decimal("1"), daily_permille_cross_year=Decimal("1"),
                             cross_year=CrossYear.SPLIT_BY_DAY, minimum_fen=100))
    tariff, _ = create_tariff(db, header=TariffHeader(
        code="TEST-TWO-PART", name="大工业用电 测试", category=CustomerCategory.COMMERCIAL,
        voltage=VoltageLevel.BELOW_1KV, two_part=True, time_of_use=False), versions=[doc])
    customer_id = db.execute(select(Customer.id).where(Customer.customer_no == COMMERCIAL)).scalar_one()
    db.execute(update(Customer).where(Customer.id == customer_id).values(tariff_id=tariff.id))
    db.add(CustomerTermsRow(customer_id=customer_id, effective_from=dt.date(2026, 10, 1),
                            demand_basis=DemandBasis.CONTRACT_DEMAND, capacity_kva=Decimal("200"),
                            contract_demand_kw=Decimal("100")))
    return int(customer_id)
