"""Customer terms (``customer_terms``, migration 0013) in the bill run: a two-part customer is priced with its
stored basis and figures (basic charge and power-factor lines), the row in force on the period's last day is the
one used, the reading checks compare the demand with the contract and the power factor with the tariff's standard,
both paths agree, and the table is append-only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from server.billing import sources
from server.billing.bulk import price_inputs
from server.models.customers import Customer, Meter
from server.models.readings import Reading
from server.models.terms import CustomerTermsRow
from server.services.tariffs import create_tariff
from shared_models.methods.customers import CustomerCategory
from shared_models.methods.readings import ReadingStatus
from shared_models.pricing import LineKind
from shared_models.tariffs import (
    CrossYear,
    DemandBasis,
    LateFeeSpec,
    PowerFactorSpec,
    PowerFactorStandard,
    TariffHeader,
    TariffVersionDoc,
    TwoPartSpec,
    VoltageLevel,
)
from tests.billruns.bulk_compare import differences
from tests.billruns.helpers import BOOK, PERIOD, add_readings
from tests.factories import ZHANG_WEI


def _two_part_customer(db: Session, *, demand: str = "80", reactive: str = "300") -> int:
    """ZHANG_WEI moved to a two-part tariff with a 0.90 power-factor standard, its meter reading total, reactive
    and demand: 1000 kWh in 202611 with ``reactive`` kvarh and ``demand`` kW."""
    doc = TariffVersionDoc(
        effective_from=dt.date(2025, 1, 1), energy_price=Decimal("0.6"),
        two_part=TwoPartSpec(capacity_price_per_kva=Decimal("22.6"), demand_price_per_kw=Decimal("36.1")),
        power_factor=PowerFactorSpec(standard=PowerFactorStandard.PF_090),
        late_fee=LateFeeSpec(daily_permille_current=Decimal("1"), daily_permille_cross_year=Decimal("1"),
                             cross_year=CrossYear.SPLIT_BY_DAY, minimum_fen=100))
    header = TariffHeader(code="TEST-TWO-PART", name="两部制 测试", category=CustomerCategory.COMMERCIAL,
                          voltage=VoltageLevel.BELOW_1KV, two_part=True, time_of_use=False)
    tariff, _ = create_tariff(db, header=header, versions=[doc])
    customer = db.execute(select(Customer).where(Customer.customer_no == ZHANG_WEI)).scalar_one()
    db.execute(update(Customer).where(Customer.id == customer.id).values(tariff_id=tariff.id))
    meter_id = db.execute(select(Meter.id).where(Meter.customer_id == customer.id)).scalar_one()
    db.execute(update(Meter).where(Meter.id == meter_id).values(registers=["total", "reactive", "demand"]))
    db.add(Reading(meter_id=meter_id, period=202610, read_on=dt.date(2026, 10, 25), status=ReadingStatus.ACTUAL,
                   total=Decimal("1000.00"), reactive=Decimal("100.00"), demand=Decimal("70.00")))
    db.add(Reading(meter_id=meter_id, period=PERIOD, read_on=dt.date(2026, 11, 22), status=ReadingStatus.ACTUAL,
                   total=Decimal("2000.00"), reactive=Decimal("100.00") + Decimal(reactive), demand=Decimal(demand)))
    db.commit()
    return customer.id


def _terms(db: Session, customer_id: int, on: dt.date, **figures: Any) -> None:
    db.add(CustomerTermsRow(customer_id=customer_id, effective_from=on, **figures))
    db.commit()


def _outcome(db: Session, customer_id: int) -> tuple[Any, Any]:
    tariff_id = db.execute(select(Customer.tariff_id).where(Customer.id == customer_id)).scalar_one()
    priced, inputs = price_inputs(sources.gather(db, customer_id=customer_id, tariff_id=tariff_id, period=PERIOD))
    return priced, inputs


def _codes(inputs: Any) -> list[str]:
    return [a.code for a in inputs.anomalies]


def test_two_part_without_terms_is_refused(db: Session) -> None:
    """No stored terms: the pricing function refuses (no demand basis), in both paths alike."""
    cid = _two_part_customer(db)
    priced, inputs = _outcome(db, cid)
    assert priced is None
    assert any(a.code == "pricing_refused" and a.params["refusal"] == "no_demand_basis" for a in inputs.anomalies)
    assert differences(db, book_code=BOOK, period=PERIOD)[1] == []


def test_two_part_with_terms_has_basic_and_power_factor_lines(db: Session) -> None:
    """Terms on contract demand: the bill has the basic charge on the contract kW and the power-factor line; the
    bulk path prices it the same."""
    cid = _two_part_customer(db)
    _terms(db, cid, dt.date(2026, 1, 1), demand_basis=DemandBasis.CONTRACT_DEMAND, capacity_kva=Decimal("200"),
           contract_demand_kw=Decimal("100"))
    priced, inputs = _outcome(db, cid)
    assert priced is not None, inputs.anomalies
    kinds = {line.kind for line in priced.lines}
    assert {LineKind.BASIC_DEMAND, LineKind.POWER_FACTOR} <= kinds
    basic = next(line for line in priced.lines if line.kind is LineKind.BASIC_DEMAND)
    assert basic.quantity == Decimal("100")
    assert inputs.terms.contract_demand_kw == Decimal("100")
    assert "demand_over_contract" not in _codes(inputs)
    add_readings(db, skip=(ZHANG_WEI,))
    compared, diffs = differences(db, book_code=BOOK, period=PERIOD)
    assert compared >= 4
    assert diffs == []


def test_terms_on_capacity(db: Session) -> None:
    """Terms on transformer capacity: the basic charge is on the kVA."""
    cid = _two_part_customer(db)
    _terms(db, cid, dt.date(2026, 1, 1), demand_basis=DemandBasis.CAPACITY, capacity_kva=Decimal("315"))
    priced, _ = _outcome(db, cid)
    assert priced is not None
    basic = next(line for line in priced.lines if line.kind is LineKind.BASIC_CAPACITY)
    assert basic.quantity == Decimal("315")


def test_demand_over_contract_and_low_power_factor_are_flagged(db: Session) -> None:
    """A demand of 120 kW over a 100 kW contract (limit 105) and cos φ ≈ 0.71 (1000 kWh, 1000 kvarh) under the
    tariff's 0.90: both anomalies, in both paths."""
    cid = _two_part_customer(db, demand="120", reactive="1000")
    _terms(db, cid, dt.date(2026, 1, 1), demand_basis=DemandBasis.CONTRACT_DEMAND,
           capacity_kva=Decimal("200"), contract_demand_kw=Decimal("100"))
    priced, inputs = _outcome(db, cid)
    assert priced is not None, inputs.anomalies
    over = next(a for a in inputs.anomalies if a.code == "demand_over_contract")
    assert over.params["contract_kw"] == "100.00"
    low = next(a for a in inputs.anomalies if a.code == "low_power_factor")
    assert low.params["standard"] == "0.90"
    assert LineKind.BASIC_DEMAND_OVER in {line.kind for line in priced.lines}
    assert differences(db, book_code=BOOK, period=PERIOD)[1] == []


def test_the_row_in_force_on_the_last_day_is_used(db: Session) -> None:
    """Rows from 2026-01-01 (100 kW) and 2026-11-30 (150 kW) and 2026-12-01 (300 kW): the period 202611 is
    priced on 150 kW; with only a row from December the customer has no terms."""
    cid = _two_part_customer(db)
    _terms(db, cid, dt.date(2026, 12, 1), demand_basis=DemandBasis.CONTRACT_DEMAND, capacity_kva=Decimal("400"),
           contract_demand_kw=Decimal("300"))
    priced, inputs = _outcome(db, cid)
    assert priced is None
    assert inputs.terms.demand_basis is None
    _terms(db, cid, dt.date(2026, 1, 1), demand_basis=DemandBasis.CONTRACT_DEMAND, capacity_kva=Decimal("400"),
           contract_demand_kw=Decimal("100"))
    _terms(db, cid, dt.date(2026, 11, 30), demand_basis=DemandBasis.CONTRACT_DEMAND,
           capacity_kva=Decimal("400"), contract_demand_kw=Decimal("150"))
    priced, inputs = _outcome(db, cid)
    assert priced is not None
    assert inputs.terms.contract_demand_kw == Decimal("150")
    assert differences(db, book_code=BOOK, period=PERIOD)[1] == []


@pytest.mark.parametrize("statement", [
    "UPDATE customer_terms SET contract_demand_kw = 1",
    "DELETE FROM customer_terms",
    "TRUNCATE customer_terms",
])
def test_customer_terms_are_append_only(db: Session, statement: str) -> None:
    """A stored row is never changed: update, delete and truncate are refused and the row stays."""
    cid = _two_part_customer(db)
    _terms(db, cid, dt.date(2026, 1, 1), demand_basis=DemandBasis.CAPACITY, capacity_kva=Decimal("315"))
    with pytest.raises(DBAPIError, match="append-only"):
        db.execute(text(statement))
    db.rollback()
    assert db.execute(select(CustomerTermsRow.capacity_kva)).scalars().all() == [Decimal("315.00")]
