"""Flat energy, the day split over versions and government funds (DOMAIN §1.3, §4)."""

from __future__ import annotations

import datetime as dt

import pytest

from server.pricing import PricingError, PricingRefusal, price
from server.pricing.units import allocate
from shared_models.pricing import LineKind
from tests.pricing.builders import terms, usage, version

RE_INCLUDED = {"code": "RE", "name": "可再生能源电价附加", "rate_per_kwh": "0.001", "included": True}
WATER_ADDED = {"code": "WATER", "name": "国家重大水利工程建设基金", "rate_per_kwh": "0.004200", "included": False}


class TestAllocate:
    def test_largest_remainder_sums_exactly(self) -> None:
        """Three equal shares of 100 units give 34, 33, 33: the remainder goes to the earliest part."""
        assert allocate(100, [1, 1, 1]) == [34, 33, 33]

    def test_larger_remainder_wins(self) -> None:
        """The part with the larger fractional share gets the leftover unit."""
        assert allocate(10, [15, 16]) == [5, 5]  # 4.84 and 5.16: floors 4 and 5, the leftover to the 0.84

    def test_nothing_to_split_by(self) -> None:
        """Zero weights cannot carry a non-zero total."""
        with pytest.raises(ValueError, match="nothing to split by"):
            allocate(1, [0, 0])


class TestFlat:
    def test_one_line_rounded_half_up(self) -> None:
        """123.45 kWh × 0.538 = 66.4161 yuan → 6642 fen."""
        bill = price([version(energy_price="0.538")], usage(total_kwh="123.45"), terms())
        assert [(line.kind, str(line.quantity), str(line.unit_price), line.amount_fen) for line in bill.lines] == [
            (LineKind.ENERGY, "123.45", "0.538", 6642)]
        assert bill.total_fen == 6642
        assert bill.versions_from == [dt.date(2025, 1, 1)]

    def test_half_fen_rounds_up(self) -> None:
        """1.25 kWh × 0.5 = 0.625 yuan → 63 fen (half up, not to even)."""
        bill = price([version(energy_price="0.5")], usage(total_kwh="1.25"), terms())
        assert bill.total_fen == 63

    def test_zero_consumption_shows_a_zero_line(self) -> None:
        """A period without consumption still has its (zero) energy line."""
        bill = price([version(energy_price="0.538")], usage(total_kwh="0"), terms())
        assert [line.amount_fen for line in bill.lines] == [0]


class TestDaySplit:
    def test_straddling_period_split_by_days(self) -> None:
        """March (31 days) across a change on the 16th: 15/31 and 16/31 of 123.45 kWh, each at its price."""
        old = version(energy_price="0.538")
        new = version(effective_from="2025-03-16", energy_price="0.558")
        bill = price([new, old], usage(total_kwh="123.45"), terms())
        got = [(line.version_from, line.days_from, line.days_to, str(line.quantity), line.amount_fen)
               for line in bill.lines]
        assert got == [
            (dt.date(2025, 1, 1), dt.date(2025, 3, 1), dt.date(2025, 3, 15), "59.73", 3213),
            (dt.date(2025, 3, 16), dt.date(2025, 3, 16), dt.date(2025, 3, 31), "63.72", 3556),
        ]
        assert bill.total_fen == 3213 + 3556
        assert bill.versions_from == [dt.date(2025, 1, 1), dt.date(2025, 3, 16)]

    def test_explicit_end_must_meet_next_start(self) -> None:
        """A version whose effective_to leaves a day before the next one is a gap."""
        old = version(energy_price="0.538", effective_to="2025-03-14")
        new = version(effective_from="2025-03-16", energy_price="0.558")
        with pytest.raises(PricingError) as err:
            price([old, new], usage(total_kwh="10"), terms())
        assert err.value.refusal is PricingRefusal.VERSION_DATES

    def test_overlap_refused(self) -> None:
        """A version ending after the next one starts overlaps it."""
        old = version(energy_price="0.538", effective_to="2025-03-20")
        new = version(effective_from="2025-03-16", energy_price="0.558")
        with pytest.raises(PricingError) as err:
            price([old, new], usage(total_kwh="10"), terms())
        assert err.value.refusal is PricingRefusal.VERSION_DATES

    def test_two_versions_from_the_same_day_refused(self) -> None:
        """Two versions starting on the same day overlap."""
        with pytest.raises(PricingError) as err:
            price([version(energy_price="0.5"), version(energy_price="0.6")], usage(total_kwh="10"), terms())
        assert err.value.refusal is PricingRefusal.VERSION_DATES

    def test_day_before_first_version_refused(self) -> None:
        """A period starting before the tariff's first version cannot be priced."""
        with pytest.raises(PricingError) as err:
            price([version(effective_from="2025-03-02", energy_price="0.5")], usage(total_kwh="10"), terms())
        assert err.value.refusal is PricingRefusal.NO_VERSION
        assert err.value.params == {"day": "2025-03-01"}

    def test_day_after_closed_version_refused(self) -> None:
        """A period running past a closed last version cannot be priced."""
        closed = version(energy_price="0.5", effective_to="2025-03-30")
        with pytest.raises(PricingError) as err:
            price([closed], usage(total_kwh="10"), terms())
        assert err.value.params == {"day": "2025-03-31"}

    def test_no_versions_refused(self) -> None:
        """Without a version nothing is priced."""
        with pytest.raises(PricingError) as err:
            price([], usage(total_kwh="10"), terms())
        assert err.value.refusal is PricingRefusal.NO_VERSION


class TestFunds:
    def test_added_fund_is_a_line_included_only_in_breakdown(self) -> None:
        """An added fund is a FUND line; an included one shows only in the breakdown."""
        v = version(energy_price="0.538", funds=[RE_INCLUDED, WATER_ADDED])
        bill = price([v], usage(total_kwh="250"), terms())
        assert [(line.kind, line.fund_code, line.amount_fen) for line in bill.lines] == [
            (LineKind.ENERGY, None, 13450), (LineKind.FUND, "WATER", 105)]
        assert [(p.code, p.included, p.amount_fen, str(p.kwh)) for p in bill.funds] == [
            ("RE", True, 25, "250.00"), ("WATER", False, 105, "250.00")]
        assert bill.lines[1].fund_name == "国家重大水利工程建设基金"
        assert bill.total_fen == 13450 + 105

    def test_six_place_rate_rounds_per_line(self) -> None:
        """A rate with six places is exact; the line rounds half up on its own: 1000 × 0.004225 = 4.225 → 423
        (half to even would give 422)."""
        fund = {**WATER_ADDED, "rate_per_kwh": "0.004225"}
        bill = price([version(energy_price="0.5", funds=[fund])], usage(total_kwh="1000"), terms())
        assert bill.lines[1].amount_fen == 423
