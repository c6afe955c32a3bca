"""The basic charge of a two-part tariff (DOMAIN §3.2): capacity, demand, contract demand, 105 %, 40 %, 260 kWh/kVA,
1/30 a day."""

from __future__ import annotations

from typing import Any

import pytest

from server.pricing import PricingError, PricingRefusal, price
from shared_models.pricing import LineKind, PricedBill
from tests.pricing.builders import terms, usage, version

TWO_PART = {"capacity_price_per_kva": "22.6", "demand_price_per_kw": "36.1"}


def basic(bill: PricedBill) -> list[tuple[Any, ...]]:
    """(kind, quantity, unit price, days share, fen) of the basic-charge lines."""
    return [(line.kind, str(line.quantity), str(line.unit_price),
             (line.days_charged, line.days_basis) if line.days_basis else None, line.amount_fen)
            for line in bill.lines if line.kind.value.startswith("basic")]


def two_part_version(**fields: Any) -> Any:
    """A two-part version at 0.6 yuan/kWh with the Huizhou basic prices."""
    return version(energy_price="0.6", two_part={**TWO_PART, **fields})


class TestBases:
    def test_capacity(self) -> None:
        """315 kVA × 22.6 = 7119.00 yuan."""
        bill = price([two_part_version()], usage(total_kwh="10000"), terms(demand_basis="capacity", capacity_kva="315"))
        assert basic(bill) == [(LineKind.BASIC_CAPACITY, "315", "22.6", None, 711900)]
        assert bill.total_fen == 711900 + 600000

    def test_actual_demand(self) -> None:
        """250 kW × 36.1 = 9025.00 yuan."""
        bill = price([two_part_version()], usage(total_kwh="10000", max_demand_kw="250"),
                     terms(demand_basis="demand", capacity_kva="630"))
        assert basic(bill) == [(LineKind.BASIC_DEMAND, "250", "36.1", None, 902500)]

    def test_contract_demand_within_105_percent(self) -> None:
        """Contract 200 kW, actual 208 kW (≤ 210): charged on the contract, 200 × 36.1."""
        bill = price([two_part_version()], usage(total_kwh="10000", max_demand_kw="208"),
                     terms(demand_basis="contract_demand", capacity_kva="400", contract_demand_kw="200"))
        assert basic(bill) == [(LineKind.BASIC_DEMAND, "200", "36.1", None, 722000)]

    def test_contract_demand_above_105_percent_doubles_the_excess(self) -> None:
        """Contract 200 kW, actual 230 kW: 210 × 36.1 + 20 × 72.2."""
        bill = price([two_part_version()], usage(total_kwh="10000", max_demand_kw="230"),
                     terms(demand_basis="contract_demand", capacity_kva="400", contract_demand_kw="200"))
        assert basic(bill) == [(LineKind.BASIC_DEMAND, "210", "36.1", None, 758100),
                               (LineKind.BASIC_DEMAND_OVER, "20", "72.2", None, 144400)]

    def test_forty_percent_floor(self) -> None:
        """Contract 300 kW on 1000 kVA is raised to 400 kW (40 %)."""
        bill = price([two_part_version()], usage(total_kwh="10000", max_demand_kw="350"),
                     terms(demand_basis="contract_demand", capacity_kva="1000", contract_demand_kw="300"))
        assert basic(bill) == [(LineKind.BASIC_DEMAND, "400", "36.1", None, 1444000)]

    def test_high_use_month_pays_ninety_percent(self) -> None:
        """90 000 kWh on 315 kVA is 285.7 kWh/kVA ≥ 260: the demand price is 36.1 × 0.90 = 32.49."""
        bill = price([two_part_version()], usage(total_kwh="90000", max_demand_kw="250"),
                     terms(demand_basis="demand", capacity_kva="315"))
        assert basic(bill) == [(LineKind.BASIC_DEMAND, "250", "32.49", None, 812250)]

    def test_high_use_does_not_apply_to_capacity(self) -> None:
        """The 90 % rule is for demand-based users only."""
        bill = price([two_part_version()], usage(total_kwh="90000"), terms(demand_basis="capacity", capacity_kva="315"))
        assert basic(bill)[0][2] == "22.6"


class TestProration:
    def test_opening_inside_the_month_charges_a_thirtieth_a_day(self) -> None:
        """Supplied from 20 March: 12 days of 30, 315 × 22.6 × 12 / 30 = 2847.60 yuan."""
        bill = price([two_part_version()], usage(total_kwh="1000"),
                     terms(demand_basis="capacity", capacity_kva="315", supply_from="2025-03-20"))
        assert basic(bill) == [(LineKind.BASIC_CAPACITY, "315", "22.6", (12, 30), 284760)]

    def test_closing_inside_the_month(self) -> None:
        """Supply ending on 10 March: 10 days of 30."""
        bill = price([two_part_version()], usage(total_kwh="1000"),
                     terms(demand_basis="capacity", capacity_kva="315", supply_to="2025-03-10"))
        assert basic(bill) == [(LineKind.BASIC_CAPACITY, "315", "22.6", (10, 30), 237300)]

    def test_version_change_shares_the_month_by_days(self) -> None:
        """A capacity price change on 16 March: 15/31 at 22.6 and 16/31 at 24.0."""
        old = two_part_version()
        new = version(effective_from="2025-03-16", energy_price="0.6",
                      two_part={**TWO_PART, "capacity_price_per_kva": "24.0"})
        bill = price([old, new], usage(total_kwh="1000"), terms(demand_basis="capacity", capacity_kva="315"))
        assert basic(bill) == [(LineKind.BASIC_CAPACITY, "315", "22.6", (15, 31), 344468),
                               (LineKind.BASIC_CAPACITY, "315", "24.0", (16, 31), 390194)]


class TestRefusals:
    def test_no_basis(self) -> None:
        """A two-part tariff needs the customer's demand basis."""
        with pytest.raises(PricingError) as err:
            price([two_part_version()], usage(total_kwh="1"), terms())
        assert err.value.refusal is PricingRefusal.NO_DEMAND_BASIS

    def test_no_capacity(self) -> None:
        """A basic charge on capacity needs the kVA."""
        with pytest.raises(PricingError) as err:
            price([two_part_version()], usage(total_kwh="1"), terms(demand_basis="capacity"))
        assert err.value.refusal is PricingRefusal.NO_CAPACITY

    def test_no_max_demand(self) -> None:
        """A basic charge on demand needs the month's maximum demand."""
        with pytest.raises(PricingError) as err:
            price([two_part_version()], usage(total_kwh="1"), terms(demand_basis="demand"))
        assert err.value.refusal is PricingRefusal.NO_MAX_DEMAND

    def test_no_contract_demand(self) -> None:
        """A basic charge on contract demand needs the contract figure."""
        with pytest.raises(PricingError) as err:
            price([two_part_version()], usage(total_kwh="1", max_demand_kw="10"),
                  terms(demand_basis="contract_demand", capacity_kva="315"))
        assert err.value.refusal is PricingRefusal.NO_CONTRACT_DEMAND
