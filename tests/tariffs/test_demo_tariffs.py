"""The demo's tariffs: one code per kind of DOMAIN §10 stored as documents, a price change inside the demo year,
customers mapped to them by category and meter, and each priced through the 测算电费 RPC."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from server.demo_data.tariffs import DemoTariff, DemoTariffs, load_tariffs, price_change_day
from server.models.customers import CustomerCategory, Tariff, TariffKind, TariffVersion
from server.services.tariffs import stored_doc, versions_for
from tests.rpc_helpers import Caller

FIRST_PERIOD = dt.date(2025, 12, 1)


@pytest.fixture
def demo(engine: Engine) -> DemoTariffs:
    """The demo tariffs loaded into the test database (committed: the RPC tests read them)."""
    with Session(engine) as session:
        tariffs = load_tariffs(session, first_period_start=FIRST_PERIOD)
        session.commit()
    return tariffs


class TestDemoTariffs:
    def test_every_kind_and_category(self, demo: DemoTariffs, db: Session) -> None:
        """Flat, tiered TOU, single-part TOU and two-part codes for every category, late fee by category."""
        rows = db.execute(select(Tariff, TariffVersion).join(TariffVersion)
                          .where(Tariff.code.in_([t.value for t in DemoTariff]))).all()
        assert {t.category for t, _ in rows} == set(CustomerCategory)
        kinds = Counter(v.kind for _, v in rows)
        assert set(kinds) == {TariffKind.FLAT, TariffKind.TIERED_TOU, TariffKind.TOU, TariffKind.TWO_PART}
        for tariff, version in rows:
            doc = stored_doc(version)
            assert (tariff.two_part, tariff.time_of_use) == (doc.two_part is not None, doc.tou is not None)
            residential = tariff.category is CustomerCategory.RESIDENTIAL
            assert doc.late_fee.daily_permille_current == (Decimal(1) if residential else Decimal(2))
            assert all(f.included is residential for f in doc.funds)
            if doc.two_part is not None:
                assert doc.power_factor is not None
                assert doc.power_factor.standard.value == "0.90"
        assert len(demo.refs) == len(DemoTariff)

    def test_price_change_inside_the_demo_year(self, demo: DemoTariffs, db: Session) -> None:
        """ZJ-COM-TOU changes price on the seventh month's first day: a period across it gets both versions."""
        change = price_change_day(FIRST_PERIOD)
        assert change == dt.date(2026, 6, 1)
        tariff_id = demo.refs[DemoTariff.COMMERCIAL_TOU].tariff_id
        docs = versions_for(db, tariff_id, dt.date(2026, 5, 20), dt.date(2026, 6, 19))
        assert [(d.effective_to, d.energy_price) for d in docs] == [
            (dt.date(2026, 5, 31), Decimal("0.6600")), (None, Decimal("0.6450"))]

    def test_customers_by_category_and_meter(self, demo: DemoTariffs) -> None:
        """Large C&I meters are two-part industry (CT 50 capacity, CT 80 contract demand); one home in 20 合表."""
        com, res = CustomerCategory.COMMERCIAL, CustomerCategory.RESIDENTIAL
        assert demo.for_customer(com, multiplier=50, index=0).code == DemoTariff.INDUSTRY_CAPACITY
        assert demo.for_customer(com, multiplier=80, index=0).code == DemoTariff.INDUSTRY_DEMAND
        assert demo.for_customer(com, multiplier=30, index=0).code == DemoTariff.COMMERCIAL_TOU
        homes = Counter(demo.for_customer(res, multiplier=1, index=i).code for i in range(200))
        assert homes == {DemoTariff.RESIDENTIAL_TOU: 190, DemoTariff.RESIDENTIAL_SHARED: 10}
        assert demo.for_customer(CustomerCategory.AGRICULTURAL, multiplier=1, index=7).code == DemoTariff.AGRICULTURAL


def _quote(caller: Caller, code: str, usage: dict[str, Any], terms: dict[str, Any] | None = None) -> dict[str, Any]:
    answer = caller.call("tariff.quote_bill", {"tariff_code": code, "usage": usage, "terms": terms or {}})
    assert answer.status == 200, answer.body
    return answer.body


class TestQuote:
    @pytest.fixture
    def cashier(self, caller: Caller, demo: DemoTariffs) -> Caller:
        """A cashier (VIEW_CUSTOMERS) signed in, the demo tariffs loaded."""
        assert caller.login("cashier1").status == 200
        return caller

    def test_tiered_tou_household(self, cashier: Caller) -> None:
        """A household's peak and valley registers at 0.568 and 0.288 (tier 1 of the year)."""
        bill = _quote(cashier, "ZJ-RES-TOU", {"period_from": "2026-05-01", "period_to": "2026-05-31",
                                              "total_kwh": "300", "tou_kwh": {"peak": "200", "valley": "100"}})
        assert [(line["tou_period"], line["unit_price"], line["amount_fen"]) for line in bill["lines"]] == [
            ("peak", "0.568", 11360), ("valley", "0.288", 2880)]
        assert bill["total_fen"] == 14240

    def test_two_part_on_contract_demand(self, cashier: Caller) -> None:
        """The 35 kV industry tariff charges contract demand, the part above 105 % double, and adjusts the power
        factor (0.90 standard)."""
        bill = _quote(cashier, "ZJ-LI-DEM-35KV", {
            "period_from": "2026-03-01", "period_to": "2026-03-31", "total_kwh": "1000", "reactive_kvarh": "400",
            "max_demand_kw": "300", "tou_kwh": {"peak": "400", "flat": "300", "valley": "300"}},
            {"demand_basis": "contract_demand", "contract_demand_kw": "280", "capacity_kva": "630"})
        basic = {line["kind"]: (Decimal(line["quantity"]), line["amount_fen"]) for line in bill["lines"]
                 if line["kind"].startswith("basic")}
        assert basic == {"basic_demand": (Decimal(294), 999600), "basic_demand_over": (Decimal(6), 40800)}
        assert bill["power_factor"] == "0.93"
        assert sum(line["amount_fen"] for line in bill["lines"]) == bill["total_fen"]

    def test_day_split_across_the_price_change(self, cashier: Caller) -> None:
        """A period across ZJ-COM-TOU's price change is priced by both versions, split by days."""
        bill = _quote(cashier, "ZJ-COM-TOU", {"period_from": "2026-05-20", "period_to": "2026-06-19",
                                              "total_kwh": "310"})
        assert bill["versions_from"] == ["2025-01-01", "2026-06-01"]
        energy = [(line["days_from"], line["quantity"]) for line in bill["lines"] if line["kind"] == "energy"]
        assert energy == [("2026-05-20", "120.00"), ("2026-06-01", "190.00")]

    def test_inline_version(self, cashier: Caller) -> None:
        """A version given inline is priced without any tariff code."""
        answer = cashier.call("tariff.quote_bill", {
            "version": {"effective_from": "2026-01-01", "energy_price": "0.5", "late_fee": {
                "daily_permille_current": "1", "daily_permille_cross_year": "1"}},
            "usage": {"period_from": "2026-03-01", "period_to": "2026-03-31", "total_kwh": "10.01"}})
        assert answer.status == 200, answer.body
        assert answer.body["total_fen"] == 501  # 5.005 yuan rounds half up

    def test_unknown_code(self, cashier: Caller) -> None:
        """An unknown tariff code is TARIFF_NOT_FOUND."""
        answer = cashier.call("tariff.quote_bill", {"tariff_code": "NO-SUCH", "usage": {
            "period_from": "2026-03-01", "period_to": "2026-03-31", "total_kwh": "1"}})
        assert (answer.status, answer.code) == (404, "TARIFF_NOT_FOUND")

    def test_days_without_a_version(self, cashier: Caller) -> None:
        """A period before the first version is TARIFF_NO_VERSION naming the code and the days."""
        answer = cashier.call("tariff.quote_bill", {"tariff_code": "ZJ-AGR-1KV", "usage": {
            "period_from": "2024-12-20", "period_to": "2025-01-10", "total_kwh": "1"}})
        assert (answer.code, answer.params) == ("TARIFF_NO_VERSION", {
            "code": "ZJ-AGR-1KV", "date_from": "2024-12-20", "date_to": "2025-01-10"})

    def test_two_part_without_terms(self, cashier: Caller) -> None:
        """A two-part tariff without the customer's basis is PRICING_REFUSED (no_demand_basis)."""
        answer = cashier.call("tariff.quote_bill", {"tariff_code": "ZJ-LI-CAP-10KV", "usage": {
            "period_from": "2026-03-01", "period_to": "2026-03-31", "total_kwh": "1000", "reactive_kvarh": "1"}})
        assert (answer.status, answer.code, answer.params["refusal"]) == (422, "PRICING_REFUSED", "no_demand_basis")

    def test_figures_beyond_a_bill(self, cashier: Caller) -> None:
        """kWh and a price whose product no bill can hold is PRICING_REFUSED (out_of_range), not a server error."""
        answer = cashier.call("tariff.quote_bill", {
            "version": {"effective_from": "2026-01-01", "energy_price": "99999999999999999999", "late_fee": {
                "daily_permille_current": "1", "daily_permille_cross_year": "1"}},
            "usage": {"period_from": "2026-03-01", "period_to": "2026-03-31", "total_kwh": "99999999999.99"}})
        assert (answer.status, answer.code, answer.params) == (422, "PRICING_REFUSED", {"refusal": "out_of_range"})

    def test_both_sources_refused(self, cashier: Caller) -> None:
        """A tariff code and an inline version together are refused."""
        answer = cashier.call("tariff.quote_bill", {
            "tariff_code": "ZJ-AGR-1KV", "usage": {"period_from": "2026-03-01", "period_to": "2026-03-31",
                                                   "total_kwh": "1"},
            "version": {"effective_from": "2026-01-01", "energy_price": "0.5", "late_fee": {
                "daily_permille_current": "1", "daily_permille_cross_year": "1"}}})
        assert (answer.status, answer.code) == (422, "INVALID_REQUEST")

    def test_float_kwh_refused(self, cashier: Caller) -> None:
        """kWh sent as a JSON number is PRICE_NOT_DECIMAL."""
        answer = cashier.call("tariff.quote_bill", {"tariff_code": "ZJ-AGR-1KV", "usage": {
            "period_from": "2026-03-01", "period_to": "2026-03-31", "total_kwh": 12.5}})
        assert (answer.code, answer.params) == ("PRICE_NOT_DECIMAL", {"field": "usage.total_kwh"})
