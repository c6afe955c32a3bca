"""The tariff and pricing contract says in JSON Schema what it takes, and its rules across fields answer their own
codes (``shared_models.cross_field``) through the one refusal mapping of the server and the client's stub."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from pydantic import ValidationError

from server.rpc.openapi import build_openapi
from shared_models.errors import ErrorCode
from shared_models.methods.billruns import RunRef
from shared_models.methods.tariffs import QuoteBillRequest
from shared_models.refusals import contract_refusal
from shared_models.tariffs import (
    KWH_PATTERN,
    PRICE_PATTERN,
    QUANTITY_PATTERN,
    RATIO_PATTERN,
    TIME_OF_DAY_PATTERN,
    UNIT_PRICE_PATTERN,
    TariffVersionDoc,
)

LATE_FEE = {"daily_permille_current": "1", "daily_permille_cross_year": "2"}
USAGE = {"period_from": "2026-03-01", "period_to": "2026-03-31", "total_kwh": "100"}


def doc(**fields: Any) -> dict[str, Any]:
    """A flat version document with these fields changed."""
    return {"effective_from": "2027-01-01", "energy_price": "0.538", "late_fee": LATE_FEE, **fields}


def refusal(model: type[Any], body: dict[str, Any]) -> tuple[ErrorCode, dict[str, Any]]:
    """What the dispatcher answers for ``body`` sent to a method taking ``model``."""
    with pytest.raises(ValidationError) as caught:
        model.model_validate_json(json.dumps(body))
    return contract_refusal(caught.value)


class TestPatterns:
    @pytest.mark.parametrize(("pattern", "good", "bad"), [
        (PRICE_PATTERN, ["0", "0.538", "99999999.999999", "12"], ["-0.1", "1e3", "0.1234567", "123456789", " 1",
                                                                   ".5", "1.", "NaN", ""]),
        (RATIO_PATTERN, ["1.6", "0.9", "1.05"], ["-1", "12345", "1.1234567"]),
        (KWH_PATTERN, ["0", "999999999999.99", "12.5"], ["12.345", "-1", "1234567890123"]),
        (QUANTITY_PATTERN, ["1.0500", "0.123456789012"], ["-1", "0.1234567890123"]),
        (UNIT_PRICE_PATTERN, ["-0.538", "0.86080", "-1.5"], ["+1", "--1", "1e-3"]),
        (TIME_OF_DAY_PATTERN, ["00:00", "7:30", "23:59", "24:00"], ["24:01", "25:00", "12:60", "1200", "12:5"]),
    ])
    def test_pattern_says_what_is_taken(self, pattern: str, good: list[str], bad: list[str]) -> None:
        """The schema's pattern takes exactly the strings listed as good."""
        assert [g for g in good if not re.fullmatch(pattern, g)] == []
        assert [b for b in bad if re.fullmatch(pattern, b)] == []

    @pytest.mark.parametrize("price", ["0", "0.538", "99999999.999999"])
    def test_server_takes_what_the_pattern_takes(self, price: str) -> None:
        """A price matching the pattern is a valid price."""
        assert str(TariffVersionDoc.model_validate_json(json.dumps(doc(energy_price=price))).energy_price) == price

    @pytest.mark.parametrize("price", ["-0.1", "1e3", "0.1234567", "123456789", "abc", " 1"])
    def test_server_refuses_what_the_pattern_refuses(self, price: str) -> None:
        """A price off the pattern is INVALID_REQUEST ``string_pattern_mismatch`` naming the field."""
        assert refusal(TariffVersionDoc, doc(energy_price=price)) == (
            ErrorCode.INVALID_REQUEST, {"field": "energy_price", "problem": "string_pattern_mismatch"})

    def test_served_schema_states_them(self) -> None:
        """The OpenAPI document carries the patterns and bounds, prices as strings only."""
        schemas = build_openapi(server_version="test")["components"]["schemas"]
        assert schemas["TariffVersionDoc"]["properties"]["energy_price"] == {
            "type": "string", "pattern": PRICE_PATTERN, "title": "Energy Price"}
        assert schemas["Usage"]["properties"]["total_kwh"]["pattern"] == KWH_PATTERN
        assert schemas["TouSpan"]["properties"]["start"]["pattern"] == TIME_OF_DAY_PATTERN
        assert schemas["TouSeason"]["properties"]["months"]["items"] == {"maximum": 12, "minimum": 1, "type": "integer"}
        assert schemas["TierSpec"]["properties"]["thresholds_kwh"]["items"]["minimum"] == 1
        assert (schemas["TwoPartSpec"]["properties"]["days_per_month"]["minimum"],
                schemas["TwoPartSpec"]["properties"]["days_per_month"]["maximum"]) == (28, 31)
        assert (schemas["RunRef"]["properties"]["period"]["minimum"],
                schemas["RunRef"]["properties"]["period"]["maximum"]) == (200001, 209912)


YEAR = list(range(1, 13))


class TestCrossFieldCodes:
    @pytest.mark.parametrize(("fields", "field", "params"), [
        ({"tiers": {"cycle": "year", "thresholds_kwh": [4800, 2760], "increments": ["0", "0.05", "0.3"]}},
         "tiers", {"rule": "thresholds_not_increasing"}),
        ({"tiers": {"cycle": "year", "thresholds_kwh": [2760], "increments": ["0"]}},
         "tiers", {"rule": "increments_per_tier", "name": "increments", "tiers": 2, "given": 1}),
        ({"tou": {"pricing": "absolute", "prices": {"peak": "0.6"}, "seasons": [{"name": "全年", "months": YEAR,
          "spans": [{"start": "08:00", "end": "08:00", "period": "peak"}]}]}},
         "tou.seasons.0.spans.0", {"rule": "empty_span", "start": "08:00", "end": "08:00"}),
        ({"tou": {"pricing": "absolute", "prices": {"peak": "0.6"}, "seasons": [{"name": "全年", "months": YEAR,
          "spans": [{"start": "00:00", "end": "12:00", "period": "peak"},
                    {"start": "11:00", "end": "24:00", "period": "peak"}]}]}},
         "tou.seasons.0", {"rule": "spans_overlap", "season": "全年", "time": "11:00"}),
        ({"tou": {"pricing": "absolute", "prices": {"peak": "0.6"}, "seasons": [{"name": "全年", "months": YEAR,
          "spans": [{"start": "00:00", "end": "12:00", "period": "peak"}]}]}},
         "tou.seasons.0", {"rule": "day_not_covered", "season": "全年", "time": "12:00"}),
        ({"tou": {"pricing": "absolute", "prices": {"peak": "0.6"}, "seasons": [{"name": "夏", "months": [7, 8],
          "spans": [{"start": "00:00", "end": "24:00", "period": "peak"}]}]}},
         "tou", {"rule": "seasons_not_year"}),
        ({"tou": {"pricing": "absolute", "prices": {"peak": "0.6"}, "seasons": [{"name": "全年", "months": YEAR,
          "spans": [{"start": "00:00", "end": "24:00", "period": "valley"}]}]}},
         "tou", {"rule": "period_not_priced", "season": "全年", "periods": "valley"}),
        ({"effective_to": "2026-12-31"}, "(body)",
         {"rule": "ends_before_start", "effective_from": "2027-01-01", "effective_to": "2026-12-31"}),
        ({"funds": [{"code": "RE", "name": "RE", "rate_per_kwh": "0.019", "included": False}] * 2}, "(body)",
         {"rule": "fund_twice", "name": "RE"}),
    ], ids=["tiers-not-increasing", "increments-per-tier", "empty-span", "spans-overlap", "day-not-covered",
            "seasons-not-year", "period-not-priced", "ends-before-start", "fund-twice"])
    def test_document_rule(self, fields: dict[str, Any], field: str, params: dict[str, Any]) -> None:
        """Each rule of the version document is TARIFF_VERSION_INVALID with the rule's key and figures."""
        assert refusal(TariffVersionDoc, doc(**fields)) == (ErrorCode.TARIFF_VERSION_INVALID,
                                                            {"field": field, **params})

    @pytest.mark.parametrize("body", [{"usage": USAGE},
                                      {"usage": USAGE, "tariff_code": "RES-FLAT", "version": doc()}],
                             ids=["neither", "both"])
    def test_quote_source(self, body: dict[str, Any]) -> None:
        """A quote names exactly one of a tariff code and an inline version."""
        assert refusal(QuoteBillRequest, body) == (ErrorCode.QUOTE_SOURCE_INVALID, {"field": "(body)"})

    def test_usage_period(self) -> None:
        """A usage period ending before it starts is PERIOD_ENDS_BEFORE_START with its days."""
        body = {"tariff_code": "RES-FLAT", "usage": {**USAGE, "period_from": "2026-04-01"}}
        assert refusal(QuoteBillRequest, body) == (ErrorCode.PERIOD_ENDS_BEFORE_START, {
            "field": "usage", "date_from": "2026-04-01", "date_to": "2026-03-31"})

    @pytest.mark.parametrize(("period", "answer"), [
        (202613, (ErrorCode.READING_PERIOD_INVALID, {"field": "period", "period": 202613})),
        (202600, (ErrorCode.READING_PERIOD_INVALID, {"field": "period", "period": 202600})),
        (209913, (ErrorCode.INVALID_REQUEST, {"field": "period", "problem": "less_than_equal"})),
    ])
    def test_bill_run_period(self, period: int, answer: tuple[ErrorCode, dict[str, Any]]) -> None:
        """Inside the schema's bounds a month that is not 1–12 has its own code; outside them, INVALID_REQUEST."""
        assert refusal(RunRef, {"book_code": "B1", "period": period}) == answer

    def test_a_field_error_comes_first(self) -> None:
        """With a cross-field rule broken in one part and a field the schema refuses in a later one, the field's
        refusal is answered (the cross-field code is only for a request the schema accepts)."""
        body = {"version": doc(effective_to="2026-12-31"), "usage": {**USAGE, "total_kwh": "x"}}
        with pytest.raises(ValidationError) as caught:
            QuoteBillRequest.model_validate_json(json.dumps(body))
        assert [e["type"] for e in caught.value.errors()] == ["cross_field", "string_pattern_mismatch"]
        assert contract_refusal(caught.value) == (
            ErrorCode.INVALID_REQUEST, {"field": "usage.total_kwh", "problem": "string_pattern_mismatch"})
