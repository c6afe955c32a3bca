"""Time of use (DOMAIN §2): registers at their period price, absolute or ratio, TOU inside tiers, period increments."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from server.pricing import PricingError, PricingRefusal, price
from shared_models.pricing import PricedBill
from shared_models.tariffs import TouPeriod
from tests.pricing.builders import terms, usage, version

ALL_YEAR = list(range(1, 13))
ZJ_TOU = {"pricing": "absolute", "prices": {"peak": "0.568", "valley": "0.288"},
          "seasons": [{"name": "all", "months": ALL_YEAR,
                       "spans": [{"start": "08:00", "end": "22:00", "period": "peak"},
                                 {"start": "22:00", "end": "08:00", "period": "valley"}]}]}
ZJ_YEAR = {"cycle": "year", "thresholds_kwh": [2760, 4800], "increments": ["0", "0.05", "0.30"]}
SICHUAN_RATIO = {"pricing": "ratio", "prices": {"peak": "1.6", "flat": "1", "valley": "0.4"},
                 "seasons": [{"name": "all", "months": ALL_YEAR,
                              "spans": [{"start": "07:00", "end": "10:00", "period": "flat"},
                                        {"start": "10:00", "end": "12:00", "period": "peak"},
                                        {"start": "12:00", "end": "15:00", "period": "flat"},
                                        {"start": "15:00", "end": "21:00", "period": "peak"},
                                        {"start": "21:00", "end": "23:00", "period": "flat"},
                                        {"start": "23:00", "end": "07:00", "period": "valley"}]}]}
FUNDS_INCLUDED = [{"code": "RE", "name": "可再生能源电价附加", "rate_per_kwh": "0.019", "included": True},
                  {"code": "MIG", "name": "大中型水库移民后期扶持资金", "rate_per_kwh": "0.0062", "included": True}]


def rows(bill: PricedBill) -> list[tuple[Any, ...]]:
    """(tier, period, quantity, unit price, fen) of each line."""
    return [(line.tier, line.tou_period, str(line.quantity), str(line.unit_price), line.amount_fen)
            for line in bill.lines]


class TestRegisters:
    def test_each_register_at_its_price(self) -> None:
        """Peak 120 kWh at 0.568 and valley 80 kWh at 0.288."""
        bill = price([version(energy_price="0.538", tou=ZJ_TOU)],
                     usage(total_kwh="200", tou_kwh={"peak": "120", "valley": "80"}), terms())
        assert rows(bill) == [(None, TouPeriod.PEAK, "120.00", "0.568", 6816),
                              (None, TouPeriod.VALLEY, "80.00", "0.288", 2304)]

    def test_rest_of_total_billed_at_flat(self) -> None:
        """Registers 30 + 60 of a 100 kWh total: the 10 kWh left are billed at 平 (the energy price)."""
        bill = price([version(energy_price="0.538", tou=ZJ_TOU)],
                     usage(total_kwh="100", tou_kwh={"peak": "30", "valley": "60"}), terms())
        assert [(r[1], r[2], r[3]) for r in rows(bill)] == [
            (TouPeriod.PEAK, "30.00", "0.568"), (TouPeriod.FLAT, "10.00", "0.538"),
            (TouPeriod.VALLEY, "60.00", "0.288")]

    def test_registers_above_total_scaled_down(self) -> None:
        """Registers 50 + 50 on a 90 kWh total bill 45 + 45: the total is what is billed."""
        bill = price([version(energy_price="0.538", tou=ZJ_TOU)],
                     usage(total_kwh="90", tou_kwh={"peak": "50", "valley": "50"}), terms())
        assert [r[2] for r in rows(bill)] == ["45.00", "45.00"]

    def test_no_registers_is_flat(self) -> None:
        """A TOU tariff without register readings bills the total at the energy price."""
        bill = price([version(energy_price="0.538", tou=ZJ_TOU)], usage(total_kwh="100"), terms())
        assert rows(bill) == [(None, None, "100.00", "0.538", 5380)]

    def test_register_without_a_price_refused(self) -> None:
        """A 尖 register on a tariff without a 尖 price cannot be priced."""
        with pytest.raises(PricingError) as err:
            price([version(energy_price="0.538", tou=ZJ_TOU)],
                  usage(total_kwh="100", tou_kwh={"sharp": "10", "peak": "40", "valley": "50"}), terms())
        assert err.value.refusal is PricingRefusal.TOU_PERIOD_NOT_PRICED
        assert err.value.params["period"] == "sharp"


class TestRatio:
    def test_ratio_floats_energy_without_included_funds(self) -> None:
        """0.65 with 0.0252 of funds inside: peak (0.65 − 0.0252) × 1.6 + 0.0252 = 1.02488, valley × 0.4 → 0.27512."""
        v = version(energy_price="0.65", tou=SICHUAN_RATIO, funds=FUNDS_INCLUDED)
        bill = price([v], usage(total_kwh="1000", tou_kwh={"peak": "400", "flat": "350", "valley": "250"}),
                     terms())
        assert [(r[1], r[3], r[4]) for r in rows(bill)] == [
            (TouPeriod.PEAK, "1.02488", 40995), (TouPeriod.FLAT, "0.65", 22750),
            (TouPeriod.VALLEY, "0.27512", 6878)]


class TestTouInsideTiers:
    def test_tier_on_total_split_over_periods(self) -> None:
        """2700 before, 200 now (peak 120, valley 80): tier 1 60 → 36/24, tier 2 140 → 84/56 (DOMAIN §1.3)."""
        bill = price([version(energy_price="0.538", tiers=ZJ_YEAR, tou=ZJ_TOU)],
                     usage(total_kwh="200", tou_kwh={"peak": "120", "valley": "80"}), terms(cycle_kwh_before="2700"))
        assert rows(bill) == [(1, TouPeriod.PEAK, "36.00", "0.568", 2045),
                              (1, TouPeriod.VALLEY, "24.00", "0.288", 691),
                              (2, TouPeriod.PEAK, "84.00", "0.618", 5191),
                              (2, TouPeriod.VALLEY, "56.00", "0.338", 1893)]
        assert bill.total_fen == 9820

    def test_shanghai_period_increments(self) -> None:
        """Shanghai tier 2: peak +0.06, valley +0.03 instead of +0.05."""
        tiers = {"cycle": "year", "thresholds_kwh": [3120, 4800], "increments": ["0", "0.05", "0.30"],
                 "period_increments": {"peak": ["0", "0.06", "0.36"], "valley": ["0", "0.03", "0.18"]}}
        tou = {**ZJ_TOU, "prices": {"peak": "0.617", "valley": "0.307"},
               "seasons": [{"name": "all", "months": ALL_YEAR,
                            "spans": [{"start": "06:00", "end": "22:00", "period": "peak"},
                                      {"start": "22:00", "end": "06:00", "period": "valley"}]}]}
        bill = price([version(energy_price="0.617", tiers=tiers, tou=tou)],
                     usage(total_kwh="100", tou_kwh={"peak": "60", "valley": "40"}), terms(cycle_kwh_before="3200"))
        assert [(r[0], r[1], r[3]) for r in rows(bill)] == [(2, TouPeriod.PEAK, "0.677"),
                                                            (2, TouPeriod.VALLEY, "0.337")]


class TestSeasons:
    def test_season_prices_split_the_period_by_days(self) -> None:
        """Shanghai-style ratios: peak +80 % in July–September, +60 % otherwise; 20 June–19 July splits 11 / 19 days."""
        spans = [{"start": "06:00", "end": "22:00", "period": "peak"},
                 {"start": "22:00", "end": "06:00", "period": "valley"}]
        tou = {"pricing": "ratio", "prices": {"peak": "1.6", "valley": "0.5"},
               "seasons": [{"name": "summer", "months": [7, 8, 9], "spans": spans,
                            "prices": {"peak": "1.8", "valley": "0.4"}},
                           {"name": "other", "months": [1, 2, 3, 4, 5, 6, 10, 11, 12], "spans": spans}]}
        bill = price([version(energy_price="0.5", tou=tou)],
                     usage(period_from="2025-06-20", period_to="2025-07-19", total_kwh="300",
                           tou_kwh={"peak": "200", "valley": "100"}), terms())
        got = [(str(line.days_from), line.tou_period, str(line.quantity), str(line.unit_price)) for line in bill.lines]
        # 110 kWh in June (peak 7333.33 hundredths → 7333, valley 3666.67 → 3667), 190 kWh in July (12667 / 6333)
        assert got == [("2025-06-20", TouPeriod.PEAK, "73.33", "0.8"),
                       ("2025-06-20", TouPeriod.VALLEY, "36.67", "0.25"),
                       ("2025-07-01", TouPeriod.PEAK, "126.67", "0.9"),
                       ("2025-07-01", TouPeriod.VALLEY, "63.33", "0.2")]

    def test_season_without_a_price_for_its_period_refused(self) -> None:
        """A season using 尖 needs a 尖 price, its own or the spec's."""
        spans = [{"start": "00:00", "end": "12:00", "period": "sharp"},
                 {"start": "12:00", "end": "24:00", "period": "valley"}]
        tou = {"pricing": "ratio", "prices": {"valley": "0.5"},
               "seasons": [{"name": "all", "months": ALL_YEAR, "spans": spans}]}
        with pytest.raises(ValidationError, match="season all: no price for TOU period"):
            version(energy_price="0.5", tou=tou)
