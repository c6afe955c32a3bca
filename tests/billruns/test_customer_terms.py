"""Customer terms (计费参数) through ``customer.get_terms`` and ``customer.set_terms``: the view with history, a
dated change with its audit record and reason, the retry of one key applied once, who may do what, the bill run
pricing with a change, and each refusal (a translated code, no row written)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from server.billing import sources
from server.models.audit import AuditRecord
from server.models.customers import Customer
from server.models.terms import CustomerTermsRow
from server.services.tariffs import create_tariff
from shared_models.methods.customers import CustomerCategory
from shared_models.pricing import HouseholdKind
from shared_models.tariffs import (
    CrossYear,
    LateFeeSpec,
    PowerFactorSpec,
    PowerFactorStandard,
    TariffHeader,
    TariffVersionDoc,
    TierCycle,
    TierSpec,
    TwoPartSpec,
    VoltageLevel,
)
from tests.billruns.helpers import billing, refused
from tests.factories import COMMERCIAL, ZHANG_WEI, World
from tests.rpc_helpers import Caller

_LATE = LateFeeSpec(daily_permille_current=Decimal("1"), daily_permille_cross_year=Decimal("1"),
                    cross_year=CrossYear.SPLIT_BY_DAY, minimum_fen=100)


def _move(db: Session, customer_no: str, *, code: str, category: CustomerCategory, doc: TariffVersionDoc,
          two_part: bool) -> None:
    """Give ``customer_no`` a new tariff of one version."""
    header = TariffHeader(code=code, name=code, category=category, voltage=VoltageLevel.BELOW_1KV,
                          two_part=two_part, time_of_use=False)
    tariff, _ = create_tariff(db, header=header, versions=[doc])
    db.execute(update(Customer).where(Customer.customer_no == customer_no).values(tariff_id=tariff.id))
    db.commit()


@pytest.fixture
def two_part(db: Session, world: World) -> None:
    """The commercial customer (billed to 2026-09) on a two-part tariff."""
    _move(db, COMMERCIAL, code="TEST-TWO-PART", category=CustomerCategory.COMMERCIAL, two_part=True,
          doc=TariffVersionDoc(effective_from=dt.date(2025, 1, 1), energy_price=Decimal("0.6"), late_fee=_LATE,
                               two_part=TwoPartSpec(capacity_price_per_kva=Decimal("22.6"),
                                                    demand_price_per_kw=Decimal("36.1")),
                               power_factor=PowerFactorSpec(standard=PowerFactorStandard.PF_090)))


@pytest.fixture
def annual_tiers(db: Session, world: World) -> None:
    """张伟 (billed to 2026-10) on annual residential tiers."""
    _move(db, ZHANG_WEI, code="TEST-RES-TIERS", category=CustomerCategory.RESIDENTIAL, two_part=False,
          doc=TariffVersionDoc(effective_from=dt.date(2025, 1, 1), energy_price=Decimal("0.538"), late_fee=_LATE,
                               tiers=TierSpec(cycle=TierCycle.YEAR, thresholds_kwh=[2760, 4800],
                                              increments=[Decimal("0"), Decimal("0.05"), Decimal("0.3")])))


#: A change of the commercial customer's terms that its two-part tariff takes.
CONTRACT = {"customer_no": COMMERCIAL, "effective_from": "2026-10-01", "demand_basis": "contract_demand",
            "capacity_kva": "315", "contract_demand_kw": "200", "reason": "增容合同 2026-118"}


def _rows(db: Session) -> int:
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(CustomerTermsRow)) or 0)


def _refused(caller: Caller, db: Session, params: dict[str, Any], code: str) -> dict[str, Any]:
    """``customer.set_terms`` refused with ``code``: no terms row, nothing of the books changed; the params."""
    before = _rows(db)
    answer = refused(caller, db, "customer.set_terms", params, code)
    assert _rows(db) == before
    return answer.params


class TestGetTerms:
    def test_without_terms(self, caller: Caller, world: World) -> None:
        """A customer without stored terms: none current, no history, its tariff and billed period named."""
        billing(caller)
        answer = caller.call("customer.get_terms", {"customer_no": ZHANG_WEI})
        assert answer.status == 200, answer.body
        body = answer.body
        assert (body["current"], body["history"], body["two_part"], body["annual_tiers"]) == (None, [], False, False)
        assert (body["tariff_code"], body["billed_to"], body["category"]) == ("RES-FLAT", "2026-10-31", "residential")

    def test_a_cashier_sees_but_does_not_change(self, caller: Caller, db: Session, two_part: None) -> None:
        """Whoever sees customers reads the terms; only the billing clerk changes them."""
        assert caller.login("cashier1").status == 200
        assert caller.call("customer.get_terms", {"customer_no": COMMERCIAL}).status == 200
        _refused(caller, db, CONTRACT, "PERMISSION_DENIED")

    def test_unknown_customer(self, caller: Caller, db: Session, world: World) -> None:
        """An unknown 户号 is refused for reading and for a change."""
        billing(caller)
        assert caller.call("customer.get_terms", {"customer_no": "3309999999"}).code == "CUSTOMER_NOT_FOUND"
        _refused(caller, db, {**CONTRACT, "customer_no": "3309999999"}, "CUSTOMER_NOT_FOUND")


class TestSetTerms:
    def test_a_change_is_a_new_row_with_its_reason(self, caller: Caller, db: Session, two_part: None) -> None:
        """Two dated changes: two rows, the current one first in the history with who and why, an audit record
        each naming the row in force before."""
        billing(caller)
        first = caller.call("customer.set_terms", CONTRACT)
        assert first.status == 200, first.body
        assert first.body["current"]["contract_demand_kw"] == "200.00"
        later = {**CONTRACT, "effective_from": "2026-11-01", "contract_demand_kw": "250", "reason": "调整需量"}
        answer = caller.call("customer.set_terms", later)
        assert answer.status == 200, answer.body
        body = answer.body
        assert [(e["effective_from"], e["contract_demand_kw"], e["recorded_by"], e["reason"])
                for e in body["history"]] == [("2026-11-01", "250.00", "billing1", "调整需量"),
                                              ("2026-10-01", "200.00", "billing1", "增容合同 2026-118")]
        assert body["current"]["effective_from"] == "2026-11-01"  # the tests run after 2026-11-01
        assert _rows(db) == 2
        records = db.execute(select(AuditRecord.before, AuditRecord.after).where(
            AuditRecord.method == "customer.set_terms", AuditRecord.refusal.is_(None))
            .order_by(AuditRecord.id)).all()
        assert [r.after["contract_demand_kw"] for r in records] == ["200.00", "250.00"]
        assert records[0].before is None
        assert records[1].before["contract_demand_kw"] == "200.00"
        assert records[1].after["reason"] == "调整需量"

    def test_a_retry_is_applied_once(self, caller: Caller, db: Session, two_part: None) -> None:
        """The same key sent twice (the answer was lost): one row, one audit record, the first answer again."""
        billing(caller)
        key = "6b1f4c9e-2d7a-4f3b-9a51-0c8e2f7d4a10"
        first = caller.call("customer.set_terms", CONTRACT, key=key)
        again = caller.call("customer.set_terms", CONTRACT, key=key)
        assert first.status == again.status == 200
        assert again.body == first.body
        assert _rows(db) == 1
        assert db.scalar(select(func.count()).select_from(AuditRecord).where(
            AuditRecord.method == "customer.set_terms", AuditRecord.refusal.is_(None))) == 1

    def test_the_bill_run_prices_with_the_change(self, caller: Caller, db: Session, two_part: None) -> None:
        """The row in force on the period's last day is the one the bill run's inputs carry."""
        billing(caller)
        assert caller.call("customer.set_terms", CONTRACT).status == 200
        cid = db.scalar(select(Customer.id).where(Customer.customer_no == COMMERCIAL))
        assert cid is not None
        found = sources.terms_for(db, customer_id=cid, period=202611)
        assert (found.contract_demand_kw, found.capacity_kva) == (Decimal("200.00"), Decimal("315.00"))

    def test_tier_cycle_and_household_on_annual_tiers(self, caller: Caller, db: Session, annual_tiers: None) -> None:
        """A residential customer on annual tiers takes a tier cycle start and a household adjustment, and the
        bill run's inputs carry both."""
        billing(caller)
        answer = caller.call("customer.set_terms", {
            "customer_no": ZHANG_WEI, "effective_from": "2026-11-01", "tier_cycle_start": "2026-07-01",
            "household": {"kind": "extra_kwh", "valid_from": "2026-11-01", "extra_kwh_per_tier": [100, 100],
                          "document_no": "多人口 2026-7"},
            "reason": "一户多人口申请"})
        assert answer.status == 200, answer.body
        assert answer.body["annual_tiers"] is True
        current = answer.body["current"]
        assert (current["tier_cycle_start"], current["household"]["extra_kwh_per_tier"]) == ("2026-07-01", [100, 100])
        cid = db.scalar(select(Customer.id).where(Customer.customer_no == ZHANG_WEI))
        assert cid is not None
        found = sources.terms_for(db, customer_id=cid, period=202611)  # the bill run reads the stored JSON back
        assert found.household is not None
        assert (found.household.kind, found.household.extra_kwh_per_tier) == (HouseholdKind.EXTRA_KWH, [100, 100])
        assert found.tier_cycle_start == dt.date(2026, 7, 1)


class TestRefusals:
    @pytest.mark.parametrize("day", ["2026-09-30", "2026-09-15", "2025-01-01"])
    def test_a_date_inside_a_billed_period(self, caller: Caller, db: Session, two_part: None, day: str) -> None:
        """On or before the last day of a released bill's period (2026-09): refused, naming the bill."""
        billing(caller)
        params = _refused(caller, db, {**CONTRACT, "effective_from": day}, "CUSTOMER_TERMS_BILLED")
        assert (params["billed_to"], params["bill_no"]) == ("2026-09-30", f"202609-{COMMERCIAL}")

    def test_a_date_already_taken(self, caller: Caller, db: Session, two_part: None) -> None:
        """A second change from the same date is refused; the first stays."""
        billing(caller)
        assert caller.call("customer.set_terms", CONTRACT).status == 200
        _refused(caller, db, {**CONTRACT, "contract_demand_kw": "180"}, "CUSTOMER_TERMS_DATE_TAKEN")

    def test_contract_demand_on_a_single_part_tariff(self, caller: Caller, db: Session, world: World) -> None:
        """Two-part figures for a customer on a single-part tariff."""
        billing(caller)
        params = _refused(caller, db, {"customer_no": COMMERCIAL, "effective_from": "2026-12-01",
                                       "contract_demand_kw": "100", "reason": "x"}, "CUSTOMER_TERMS_NOT_TWO_PART")
        assert (params["tariff_code"], params["field"]) == ("COM-FLAT", "contract_demand_kw")

    @pytest.mark.parametrize(("change", "field"), [
        ({"demand_basis": None}, "demand_basis"),
        ({"contract_demand_kw": None}, "contract_demand_kw"),
        ({"capacity_kva": None}, "capacity_kva"),
        ({"demand_basis": "capacity", "capacity_kva": None}, "capacity_kva"),
    ])
    def test_a_figure_the_basis_needs_is_missing(self, caller: Caller, db: Session, two_part: None,
                                                 change: dict[str, Any], field: str) -> None:
        """A two-part customer without a basis, or without the figure its basis is charged on."""
        billing(caller)
        params = _refused(caller, db, {**CONTRACT, **change}, "CUSTOMER_TERMS_FIGURE_MISSING")
        assert params["field"] == field

    @pytest.mark.parametrize(("field", "value"), [("capacity_kva", "-315"), ("contract_demand_kw", "0")])
    def test_a_figure_not_above_zero(self, caller: Caller, db: Session, two_part: None, field: str,
                                     value: str) -> None:
        """A negative kVA or a zero contract demand."""
        billing(caller)
        params = _refused(caller, db, {**CONTRACT, field: value}, "CUSTOMER_TERMS_FIGURE_NOT_POSITIVE")
        assert params["field"] == field

    def test_household_for_a_business(self, caller: Caller, db: Session, two_part: None) -> None:
        """A household adjustment for a customer that is not residential."""
        billing(caller)
        params = _refused(caller, db, {**CONTRACT, "household": {"kind": "free_kwh", "valid_from": "2026-10-01",
                                                                 "free_kwh_per_month": 15}},
                          "CUSTOMER_TERMS_HOUSEHOLD_NOT_RESIDENTIAL")
        assert params["category"] == "commercial"

    def test_household_ending_before_it_starts(self, caller: Caller, db: Session, annual_tiers: None) -> None:
        """A household adjustment valid to a day before it is valid from: refused by the contract's rule."""
        billing(caller)
        params = _refused(caller, db, {"customer_no": ZHANG_WEI, "effective_from": "2026-12-01", "reason": "x",
                                       "household": {"kind": "free_kwh", "valid_from": "2026-12-01",
                                                     "valid_to": "2026-11-30", "free_kwh_per_month": 15}},
                          "PERIOD_ENDS_BEFORE_START")
        assert (params["date_from"], params["date_to"]) == ("2026-12-01", "2026-11-30")

    def test_tier_cycle_without_annual_tiers(self, caller: Caller, db: Session, world: World) -> None:
        """A tier cycle start for a customer on a flat tariff."""
        billing(caller)
        params = _refused(caller, db, {"customer_no": ZHANG_WEI, "effective_from": "2026-12-01",
                                       "tier_cycle_start": "2026-07-01", "reason": "x"},
                          "CUSTOMER_TERMS_NO_ANNUAL_TIERS")
        assert params["tariff_code"] == "RES-FLAT"

    @pytest.mark.parametrize(("household", "refusal"), [
        ({"kind": "extra_kwh", "valid_from": "2026-11-01", "extra_kwh_per_tier": [100]}, "household_tiers"),
        ({"kind": "shared_meter_price", "valid_from": "2026-11-01"}, "no_shared_meter_price"),
    ])
    def test_household_the_tariff_cannot_price(self, caller: Caller, db: Session, annual_tiers: None,
                                               household: dict[str, Any], refusal: str) -> None:
        """Extra kWh for one tier where the tariff has two thresholds, or the 合表 price on a tariff without one:
        refused now, not at the bill run."""
        billing(caller)
        params = _refused(caller, db, {"customer_no": ZHANG_WEI, "effective_from": "2026-11-01",
                                       "household": household, "reason": "x"},
                          "CUSTOMER_TERMS_HOUSEHOLD_NOT_PRICEABLE")
        assert (params["refusal"], params["tariff_code"]) == (refusal, "TEST-RES-TIERS")
