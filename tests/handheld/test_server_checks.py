"""The validator's checks that need the customer's contract and tariff: demand over the contract and a low power
factor on a handheld reading; and 估抄 of a customer with several meters, each meter by its own previous use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.models.customers import Customer, Meter
from server.models.readings import Reading
from server.models.terms import CustomerTermsRow
from server.services.tariffs import create_tariff
from shared_models.methods.customers import CustomerCategory
from shared_models.methods.readings import ReadingSource, ReadingStatus
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
from tests.factories import ZHANG_WEI, World
from tests.handheld.conftest import b64, download, error_code, fill, ok
from tests.rpc_helpers import Caller

ASSET = "PF-0001"


@pytest.fixture
def two_part(reader: Caller, db: Session, world: World) -> Caller:
    """ZHANG_WEI on a two-part tariff (power-factor standard 0.90) with a 100 kW contract demand, and a second
    meter PF-0001 (total, reactive, demand) read 2026-09 (900 / 50 / 60) and 2026-10 (1000 / 100 / 70)."""
    doc = TariffVersionDoc(
        effective_from=dt.date(2025, 1, 1), energy_price=Decimal("0.6"),
        two_part=TwoPartSpec(capacity_price_per_kva=Decimal("22.6"), demand_price_per_kw=Decimal("36.1")),
        power_factor=PowerFactorSpec(standard=PowerFactorStandard.PF_090),
        late_fee=LateFeeSpec(daily_permille_current=Decimal("1"), daily_permille_cross_year=Decimal("1"),
                             cross_year=CrossYear.SPLIT_BY_DAY, minimum_fen=100))
    header = TariffHeader(code="HH-TWO-PART", name="两部制 抄表", category=CustomerCategory.COMMERCIAL,
                          voltage=VoltageLevel.BELOW_1KV, two_part=True, time_of_use=False)
    tariff, _ = create_tariff(db, header=header, versions=[doc])
    customer_id = world.customers[ZHANG_WEI]
    db.execute(update(Customer).where(Customer.id == customer_id).values(tariff_id=tariff.id))
    db.add(CustomerTermsRow(customer_id=customer_id, effective_from=dt.date(2026, 1, 1),
                            demand_basis=DemandBasis.CONTRACT_DEMAND, capacity_kva=Decimal("200"),
                            contract_demand_kw=Decimal("100")))
    meter = Meter(asset_no=ASSET, customer_id=customer_id, multiplier=1, digits=6, installed_on=dt.date(2024, 1, 1),
                  registers=["total", "reactive", "demand"])
    db.add(meter)
    db.flush()
    for period, total, reactive, demand in ((202609, 900, 50, 60), (202610, 1000, 100, 70)):
        db.add(Reading(meter_id=meter.id, period=period, read_on=dt.date(period // 100, period % 100, 20),
                       status=ReadingStatus.ACTUAL, source=ReadingSource.IMPORT, total=Decimal(total),
                       reactive=Decimal(reactive), demand=Decimal(demand)))
    db.commit()
    return reader


def _record(document: dict[str, Any], asset_no: str) -> dict[str, Any]:
    return next(r for r in document["records"] if r["asset_no"] == asset_no)


def _anomalies(report: dict[str, Any], seq: int) -> dict[str, dict[str, str]]:
    record = next(r for r in report["records"] if r["seq"] == seq)
    return {f["anomaly"]: f["figures"] for f in record["findings"] if f["anomaly"]}


def test_demand_and_power_factor_are_checked_on_a_handheld_reading(two_part: Caller) -> None:
    document = fill(download(two_part))
    record = _record(document, ASSET)
    assert [r["register"] for r in record["registers"]] == ["total", "reactive", "demand"]
    record["reading"]["values"] = {"total": "2000.00", "reactive": "1100.00", "demand": "120.00"}
    found = _anomalies(ok(two_part.call("handheld.validate_upload", {"content_b64": b64(document)})), record["seq"])
    assert found["demand_over_contract"]["contract_kw"] == "100.00"
    assert found["demand_over_contract"]["demand_kw"] == "120.00"
    assert found["low_power_factor"]["standard"] == "0.90"
    record["reading"]["values"] = {"total": "2000.00", "reactive": "150.00", "demand": "90.00"}
    found = _anomalies(ok(two_part.call("handheld.validate_upload", {"content_b64": b64(document)})), record["seq"])
    assert "demand_over_contract" not in found
    assert "low_power_factor" not in found


def test_each_meter_of_a_customer_with_several_is_estimated_by_its_own_use(two_part: Caller, db: Session) -> None:
    document = fill(download(two_part))
    meters = db.scalars(select(Meter).where(Meter.customer_id == db.scalar(
        select(Customer.id).where(Customer.customer_no == ZHANG_WEI))).order_by(Meter.id)).all()
    first, second = _record(document, meters[0].asset_no), _record(document, ASSET)
    del first["reading"], second["reading"]
    done = ok(two_part.call("handheld.accept_upload", {"content_b64": b64(document), "decisions": [
        {"seq": first["seq"], "decision": "estimate"}, {"seq": second["seq"], "decision": "estimate"}]}))
    rows = {r["seq"]: db.get(Reading, r["reading_id"]) for r in done["records"]}
    own = rows[first["seq"]]
    assert own is not None
    assert (own.total, own.status) == (Decimal("1200.00"), ReadingStatus.ESTIMATED)  # 1100 + its own 100
    other = rows[second["seq"]]
    assert other is not None
    assert (other.total, other.reactive, other.demand) == (Decimal("1100.00"), Decimal("150.00"),
                                                           Decimal("70.00"))


def test_a_meter_without_a_previous_use_cannot_be_estimated(two_part: Caller, db: Session) -> None:
    """PF-0001 without its 2026-09 reading would have no previous use: here a new meter read once."""
    customer_id = db.scalar(select(Customer.id).where(Customer.customer_no == ZHANG_WEI))
    meter = Meter(asset_no="PF-0002", customer_id=customer_id, multiplier=1, digits=6,
                  installed_on=dt.date(2026, 9, 1))
    db.add(meter)
    db.flush()
    db.add(Reading(meter_id=meter.id, period=202610, read_on=dt.date(2026, 10, 20), status=ReadingStatus.ACTUAL,
                   source=ReadingSource.IMPORT, total=Decimal(10)))
    db.commit()
    document = fill(download(two_part))
    record = _record(document, "PF-0002")
    del record["reading"]
    answer = two_part.call("handheld.accept_upload", {"content_b64": b64(document),
                                                      "decisions": [{"seq": record["seq"], "decision": "estimate"}]})
    assert error_code(answer) == "HANDHELD_ESTIMATE_UNAVAILABLE"
