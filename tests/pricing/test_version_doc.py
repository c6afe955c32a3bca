"""Bad input of a tariff version document (issue 12): each refused with a reason, one test each."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from shared_models.tariffs import TariffVersionDoc, VersionDatesError, check_version_dates, version_spans
from tests.pricing.builders import LATE_FEE, version

D = dt.date
ALL_YEAR = list(range(1, 13))


def refused(match: str, **fields: Any) -> None:
    """The document with these fields is refused with a message matching ``match``."""
    doc = {"effective_from": "2025-01-01", "energy_price": "0.538", "late_fee": LATE_FEE, **fields}
    with pytest.raises(ValidationError, match=match):
        TariffVersionDoc.model_validate_json(json.dumps(doc))


class TestVersionDates:
    def test_overlap(self) -> None:
        """A version ending on or after the next one's start overlaps it."""
        with pytest.raises(VersionDatesError, match="overlaps"):
            check_version_dates([(D(2025, 1, 1), D(2025, 7, 1)), (D(2025, 7, 1), None)])

    def test_gap(self) -> None:
        """A version ending two days before the next one leaves a day unpriced."""
        with pytest.raises(VersionDatesError, match="no version prices the days from 2025-06-30"):
            check_version_dates([(D(2025, 1, 1), D(2025, 6, 29)), (D(2025, 7, 1), None)])

    def test_open_version_before_another_is_ended_by_it(self) -> None:
        """An open-ended version followed by a later one ends the day before it starts."""
        spans = version_spans([version(effective_from="2025-07-01", energy_price="0.6"),
                               version(energy_price="0.5")])
        assert spans == [(D(2025, 1, 1), D(2025, 6, 30)), (D(2025, 7, 1), None)]

    def test_end_before_start(self) -> None:
        """A version cannot end before it starts."""
        refused("cannot end before it starts", effective_to="2024-12-31")


class TestDocument:
    def test_tou_not_covering_24_hours(self) -> None:
        """A season whose spans leave 22:00–24:00 unset is refused."""
        tou = {"pricing": "absolute", "prices": {"peak": "0.568", "valley": "0.288"},
               "seasons": [{"name": "all", "months": ALL_YEAR,
                            "spans": [{"start": "08:00", "end": "22:00", "period": "peak"},
                                      {"start": "00:00", "end": "08:00", "period": "valley"}]}]}
        refused("do not cover 24 h", tou=tou)

    def test_tou_spans_overlap(self) -> None:
        """Two spans covering the same minutes are refused."""
        tou = {"pricing": "absolute", "prices": {"peak": "0.568", "valley": "0.288"},
               "seasons": [{"name": "all", "months": ALL_YEAR,
                            "spans": [{"start": "08:00", "end": "23:00", "period": "peak"},
                                      {"start": "22:00", "end": "08:00", "period": "valley"}]}]}
        refused("overlap", tou=tou)

    def test_tou_seasons_not_covering_the_year(self) -> None:
        """Seasons that leave December without a table are refused."""
        tou = {"pricing": "absolute", "prices": {"flat": "0.5"},
               "seasons": [{"name": "most", "months": list(range(1, 12)),
                            "spans": [{"start": "00:00", "end": "24:00", "period": "flat"}]}]}
        refused("each month of the year exactly once", tou=tou)

    def test_thresholds_not_increasing(self) -> None:
        """Tier thresholds 2760 then 2000 are refused."""
        refused("must increase", tiers={"cycle": "year", "thresholds_kwh": [2760, 2000],
                                        "increments": ["0", "0.05", "0.30"]})

    def test_increments_per_tier(self) -> None:
        """Two increments for three tiers are refused."""
        refused("one increment per tier", tiers={"cycle": "year", "thresholds_kwh": [2760, 4800],
                                                 "increments": ["0", "0.05"]})

    def test_negative_price(self) -> None:
        """A negative energy price is refused."""
        refused("must not be negative", energy_price="-0.538")

    def test_negative_fund_rate(self) -> None:
        """A negative fund rate is refused."""
        refused("must not be negative", funds=[{"code": "RE", "name": "RE", "rate_per_kwh": "-0.019",
                                                "included": False}])

    def test_float_price(self) -> None:
        """A price given as a JSON number (a float) is refused: prices are decimal strings."""
        refused("decimal string", energy_price=0.538)

    def test_not_a_number(self) -> None:
        """A price that is not a number is refused."""
        refused("not a price", energy_price="abc")


class TestLateFee:
    def test_rule_for_the_counter(self) -> None:
        """The version's late-fee terms become the counter's LateFeeRule unchanged."""
        spec = version(energy_price="0.6", late_fee={"daily_permille_current": "2", "daily_permille_cross_year": "3",
                                                     "cross_year": "whole_bill", "minimum_fen": 0}).late_fee
        rule = spec.rule()
        assert (rule.daily_permille_current, rule.daily_permille_cross_year, rule.cross_year.value,
                rule.minimum_fen) == (Decimal(2), Decimal(3), "whole_bill", 0)

    def test_negative_rate_refused(self) -> None:
        """A negative late-fee rate is refused."""
        refused("late-fee rate must not be negative", late_fee={**LATE_FEE, "daily_permille_current": "-1"})
