"""Inclining tiers (DOMAIN §1): monthly and annual cycles, the cumulative model, proration, household adjustments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from server.pricing import PricingError, PricingRefusal, price
from shared_models.pricing import LineKind, PricedBill
from tests.pricing.builders import terms, usage, version

ZJ_YEAR = {"cycle": "year", "thresholds_kwh": [2760, 4800], "increments": ["0", "0.05", "0.30"]}
MONTHLY = {"cycle": "month", "thresholds_kwh": [180, 350], "increments": ["0", "0.05", "0.30"]}


def rows(bill: PricedBill) -> list[tuple[Any, ...]]:
    """(kind, tier, quantity, unit price, fen) of each line."""
    return [(line.kind, line.tier, str(line.quantity), str(line.unit_price), line.amount_fen) for line in bill.lines]


class TestAnnual:
    def test_crossing_a_threshold_splits_the_month(self) -> None:
        """2700 kWh already billed this year, 100 more: 60 at 0.538 and 40 at 0.588 (cumulative model a)."""
        bill = price([version(energy_price="0.538", tiers=ZJ_YEAR)], usage(total_kwh="100"),
                     terms(cycle_kwh_before="2700"))
        assert rows(bill) == [(LineKind.ENERGY, 1, "60.00", "0.538", 3228),
                              (LineKind.ENERGY, 2, "40.00", "0.588", 2352)]

    def test_all_three_tiers_in_one_period(self) -> None:
        """From 2700, 2200 kWh: 60 in tier 1, 2040 in tier 2, 100 in tier 3 at 0.838."""
        bill = price([version(energy_price="0.538", tiers=ZJ_YEAR)], usage(total_kwh="2200"),
                     terms(cycle_kwh_before="2700"))
        assert [(r[1], r[2], r[4]) for r in rows(bill)] == [(1, "60.00", 3228), (2, "2040.00", 119952),
                                                            (3, "100.00", 8380)]

    def test_cycle_start_inside_the_period_resets_the_counter(self) -> None:
        """Cycle from 16 March: the first 15 days continue the old cycle (tier 2), the rest start at tier 1."""
        bill = price([version(energy_price="0.538", tiers=ZJ_YEAR)], usage(total_kwh="310"),
                     terms(cycle_kwh_before="2760", tier_cycle_start="2024-03-16"))
        got = [(line.days_from, line.tier, str(line.quantity)) for line in bill.lines]
        assert got == [(dt.date(2025, 3, 1), 2, "150.00"), (dt.date(2025, 3, 16), 1, "160.00")]

    def test_proration_by_months(self) -> None:
        """Supplied from 10 August: five months (August counts whole), thresholds 1150 / 2000."""
        tiers = {**ZJ_YEAR, "proration": "months"}
        bill = price([version(energy_price="0.538", tiers=tiers)],
                     usage(period_from="2025-12-01", period_to="2025-12-31", total_kwh="100"),
                     terms(cycle_kwh_before="1100", supply_from="2025-08-10"))
        assert [(r[1], r[2]) for r in rows(bill)] == [(1, "50.00"), (2, "50.00")]

    def test_proration_by_days(self) -> None:
        """Supplied from 10 August: 144 of 365 days, tier 1 ends at 2760 × 144 / 365 = 1088.88 kWh."""
        tiers = {**ZJ_YEAR, "proration": "days"}
        bill = price([version(energy_price="0.538", tiers=tiers)],
                     usage(period_from="2025-12-01", period_to="2025-12-31", total_kwh="100"),
                     terms(cycle_kwh_before="1000", supply_from="2025-08-10"))
        assert [(r[1], r[2]) for r in rows(bill)] == [(1, "88.88"), (2, "11.12")]

    def test_no_proration(self) -> None:
        """With proration none a customer supplied from August keeps the full 2760 kWh."""
        tiers = {**ZJ_YEAR, "proration": "none"}
        bill = price([version(energy_price="0.538", tiers=tiers)],
                     usage(period_from="2025-12-01", period_to="2025-12-31", total_kwh="100"),
                     terms(cycle_kwh_before="1100", supply_from="2025-08-10"))
        assert [r[1] for r in rows(bill)] == [1]


class TestMonthly:
    def test_three_tiers(self) -> None:
        """400 kWh on 180/350: 180 × 0.5653, 170 × 0.6153, 50 × 0.8653 (43.265 → 43.27)."""
        bill = price([version(energy_price="0.5653", tiers=MONTHLY)], usage(total_kwh="400"), terms())
        assert rows(bill) == [(LineKind.ENERGY, 1, "180.00", "0.5653", 10175),
                              (LineKind.ENERGY, 2, "170.00", "0.6153", 10460),
                              (LineKind.ENERGY, 3, "50.00", "0.8653", 4327)]

    def test_two_month_period_doubles_the_thresholds(self) -> None:
        """A bi-monthly read (61 days) carries two months of thresholds: 360 kWh stay in tier 1."""
        bill = price([version(energy_price="0.5653", tiers=MONTHLY)],
                     usage(period_from="2025-03-01", period_to="2025-04-30", total_kwh="360"), terms())
        assert [r[1] for r in rows(bill)] == [1]

    def test_days_proration_of_a_month(self) -> None:
        """Supplied from 17 March with days proration: 15/31 of 180 = 87.10 kWh in tier 1."""
        tiers = {**MONTHLY, "proration": "days"}
        bill = price([version(energy_price="0.5653", tiers=tiers)], usage(total_kwh="100"),
                     terms(supply_from="2025-03-17"))
        assert [(r[1], r[2]) for r in rows(bill)] == [(1, "87.10"), (2, "12.90")]


class TestHousehold:
    def test_extra_kwh_per_tier(self) -> None:
        """一户多人口 +100 kWh a month on both thresholds: 180/350 become 280/450."""
        adj = {"kind": "extra_kwh", "valid_from": "2025-01-01", "extra_kwh_per_tier": [100, 100]}
        bill = price([version(energy_price="0.5653", tiers=MONTHLY)], usage(total_kwh="400"),
                     terms(household=adj))
        assert [(r[1], r[2]) for r in rows(bill)] == [(1, "280.00"), (2, "120.00")]

    def test_extra_kwh_on_annual_tiers_counts_twelve_months(self) -> None:
        """+100 kWh a month on an annual tier 1 moves the threshold by 1200 (2760 → 3960)."""
        adj = {"kind": "extra_kwh", "valid_from": "2025-01-01", "extra_kwh_per_tier": [100, 0]}
        bill = price([version(energy_price="0.538", tiers=ZJ_YEAR)], usage(total_kwh="100"),
                     terms(cycle_kwh_before="3900", household=adj))
        assert [(r[1], r[2]) for r in rows(bill)] == [(1, "60.00"), (2, "40.00")]

    def test_extra_kwh_needs_one_figure_per_threshold(self) -> None:
        """An extra-kWh list of the wrong length is refused."""
        adj = {"kind": "extra_kwh", "valid_from": "2025-01-01", "extra_kwh_per_tier": [100]}
        with pytest.raises(PricingError) as err:
            price([version(energy_price="0.5653", tiers=MONTHLY)], usage(total_kwh="400"), terms(household=adj))
        assert err.value.refusal is PricingRefusal.HOUSEHOLD_TIERS

    def test_shared_meter_price(self) -> None:
        """A 合表 household pays 0.558 flat instead of the tiers."""
        adj = {"kind": "shared_meter_price", "valid_from": "2025-01-01"}
        bill = price([version(energy_price="0.538", tiers=ZJ_YEAR, shared_meter_price="0.558")],
                     usage(total_kwh="500"), terms(cycle_kwh_before="4700", household=adj))
        assert rows(bill) == [(LineKind.ENERGY, None, "500.00", "0.558", 27900)]

    def test_shared_meter_without_price_refused(self) -> None:
        """A 合表 household on a version without a 合表 price cannot be priced."""
        adj = {"kind": "shared_meter_price", "valid_from": "2025-01-01"}
        with pytest.raises(PricingError) as err:
            price([version(energy_price="0.538", tiers=ZJ_YEAR)], usage(total_kwh="500"), terms(household=adj))
        assert err.value.refusal is PricingRefusal.NO_SHARED_METER_PRICE

    def test_free_kwh(self) -> None:
        """低保: 15 kWh a month free, a negative line at the tier-1 price."""
        adj = {"kind": "free_kwh", "valid_from": "2025-01-01", "free_kwh_per_month": 15}
        bill = price([version(energy_price="0.4883", tiers=MONTHLY)], usage(total_kwh="100"), terms(household=adj))
        assert rows(bill) == [(LineKind.ENERGY, 1, "100.00", "0.4883", 4883),
                              (LineKind.FREE_KWH, None, "15.00", "-0.4883", -732)]
        assert bill.total_fen == 4883 - 732

    def test_free_kwh_never_above_consumption(self) -> None:
        """A month of 10 kWh gets 10 kWh free, not 15."""
        adj = {"kind": "free_kwh", "valid_from": "2025-01-01", "free_kwh_per_month": 15}
        bill = price([version(energy_price="0.4883")], usage(total_kwh="10"), terms(household=adj))
        assert bill.total_fen == 0

    def test_adjustment_expired_before_the_reading_day(self) -> None:
        """An adjustment that ended before the period's last day does not apply."""
        adj = {"kind": "free_kwh", "valid_from": "2024-01-01", "valid_to": "2025-03-30", "free_kwh_per_month": 15}
        bill = price([version(energy_price="0.4883")], usage(total_kwh="10"), terms(household=adj))
        assert bill.total_fen == 488
