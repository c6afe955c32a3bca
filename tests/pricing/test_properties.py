"""Property tests of pricing (hypothesis): exact splits, integer fen per line, an inclining tariff never pays less
for more."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from server.pricing import price
from server.pricing.energy import tier_parts
from server.pricing.segments import split_period
from server.pricing.units import allocate
from shared_models.money import round_half_up_to_fen
from shared_models.pricing import LineKind
from tests.pricing.builders import terms, usage, version

PROPS = settings(max_examples=150, deadline=None, derandomize=True)
ALL_YEAR = list(range(1, 13))
TOU = {"pricing": "absolute", "prices": {"peak": "0.568", "flat": "0.538", "valley": "0.288"},
       "seasons": [{"name": "all", "months": ALL_YEAR,
                    "spans": [{"start": "08:00", "end": "22:00", "period": "peak"},
                              {"start": "22:00", "end": "08:00", "period": "valley"}]}]}

units_st = st.integers(min_value=0, max_value=10**8)


def kwh(units: int) -> str:
    """0.01 kWh units as a kWh string."""
    return f"{units // 100}.{units % 100:02d}"


kwh_st = units_st.map(kwh)
price_st = st.integers(min_value=0, max_value=2_000_000).map(lambda n: str(Decimal(n).scaleb(-6)))


@st.composite
def thresholds_st(draw: st.DrawFn) -> list[int]:
    """Increasing positive thresholds (in whatever unit)."""
    first = draw(st.integers(min_value=1, max_value=5000))
    steps = draw(st.lists(st.integers(min_value=1, max_value=5000), max_size=4))
    out = [first]
    for step in steps:
        out.append(out[-1] + step)
    return out


@st.composite
def tiers_st(draw: st.DrawFn) -> dict[str, Any]:
    """A tier spec with non-decreasing increments (an inclining tariff)."""
    thresholds = draw(thresholds_st())
    raw = sorted(draw(st.lists(st.integers(min_value=0, max_value=500_000), min_size=len(thresholds),
                               max_size=len(thresholds))))
    return {"cycle": draw(st.sampled_from(["month", "year"])), "thresholds_kwh": thresholds,
            "increments": ["0", *(str(Decimal(n).scaleb(-6)) for n in raw)]}


@st.composite
def funds_st(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Up to three funds with six-place rates, included or added."""
    count = draw(st.integers(min_value=0, max_value=3))
    return [{"code": f"F{i}", "name": f"fund {i}", "rate_per_kwh": draw(price_st),
             "included": draw(st.booleans())} for i in range(count)]


class TestSplits:
    @PROPS
    @given(total=units_st, weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=8))
    def test_allocate_sums_exactly(self, total: int, weights: list[int]) -> None:
        """Largest remainder: parts sum to the total, each within one unit of its exact share."""
        if not any(weights):
            weights = [*weights[:-1], 1]
        parts = allocate(total, weights)
        assert sum(parts) == total
        assert all(total * w // sum(weights) <= p <= total * w // sum(weights) + 1
                   for p, w in zip(parts, weights, strict=True))

    @PROPS
    @given(start=units_st, units=units_st, thresholds=thresholds_st())
    def test_tier_parts_sum_to_consumption(self, start: int, units: int, thresholds: list[int]) -> None:
        """The kWh of the tiers add up to the period's kWh, none negative."""
        parts = tier_parts(start, units, [t * 100 for t in thresholds])
        assert sum(parts) == units
        assert all(p >= 0 for p in parts)
        assert len(parts) == len(thresholds) + 1

    @PROPS
    @given(days=st.integers(min_value=1, max_value=120), cuts=st.lists(st.integers(min_value=1, max_value=119),
                                                                      max_size=4, unique=True),
           total=kwh_st, peak=kwh_st, valley=kwh_st, reactive=kwh_st, anchor=st.dates(dt.date(2020, 1, 1),
                                                                                       dt.date(2020, 12, 31)))
    def test_day_split_sums_exactly(self, *, days: int, cuts: list[int], total: str, peak: str, valley: str,
                                    reactive: str, anchor: dt.date) -> None:
        """kWh, each TOU register share and reactive kvarh split over version and cycle parts sum exactly."""
        start = dt.date(2025, 1, 10)
        tiers = {"cycle": "year", "thresholds_kwh": [2760, 4800], "increments": ["0", "0.05", "0.30"]}
        versions = [version(effective_from="2024-01-01", energy_price="0.5", tiers=tiers, tou=TOU)]
        versions += [version(effective_from=str(start + dt.timedelta(days=c)), energy_price="0.6", tou=TOU)
                     for c in cuts if c < days]
        use = usage(period_from=str(start), period_to=str(start + dt.timedelta(days=days - 1)), total_kwh=total,
                    tou_kwh={"peak": peak, "valley": valley}, reactive_kvarh=reactive)
        segments = split_period(versions, use, terms(tier_cycle_start=str(anchor)))
        assert sum(s.units for s in segments) == int(Decimal(total) * 100)
        assert sum(s.reactive_units or 0 for s in segments) == int(Decimal(reactive) * 100)
        assert sum(s.days for s in segments) == days
        assert all(sum(s.tou_units.values()) == s.units for s in segments)
        assert segments[0].days_from == use.period_from
        assert segments[-1].days_to == use.period_to


class TestMoney:
    @PROPS
    @given(energy=price_st, tiers=st.none() | tiers_st(), tou=st.booleans(), funds=funds_st(), total=kwh_st,
           peak_share=st.integers(min_value=0, max_value=100), before=kwh_st, change=st.integers(0, 40))
    def test_every_line_is_integer_fen_rounded_on_its_own(self, *, energy: str, tiers: dict[str, Any] | None,
                                                          tou: bool, funds: list[dict[str, Any]], total: str,
                                                          peak_share: int, before: str, change: int) -> None:
        """Each line's fen is quantity × price (× days share) rounded half up; the total is their sum."""
        fields: dict[str, Any] = {"energy_price": energy, "funds": funds}
        if tiers:
            fields["tiers"] = tiers
        if tou:
            fields["tou"] = TOU
        old = version(**fields)
        new = version(**{**fields, "effective_from": str(dt.date(2025, 3, 1) + dt.timedelta(days=change))})
        units = int(Decimal(total) * 100)
        peak = units * peak_share // 100
        use = usage(total_kwh=total, tou_kwh={"peak": kwh(peak), "valley": kwh(units - peak)})
        bill = price([old, new] if change else [old], use, terms(cycle_kwh_before=before))
        for line in bill.lines:
            assert isinstance(line.amount_fen, int)
            exact = line.quantity * line.unit_price
            if line.kind is LineKind.POWER_FACTOR:
                exact = exact / 100
            if line.days_basis:
                exact = exact * line.days_charged / line.days_basis  # type: ignore[operator]
            assert line.amount_fen == round_half_up_to_fen(exact)
        assert bill.total_fen == sum(line.amount_fen for line in bill.lines)
        energy_kwh = sum(line.quantity for line in bill.lines if line.kind is LineKind.ENERGY)
        assert energy_kwh == Decimal(total)


class TestInclining:
    @PROPS
    @given(energy=price_st, tiers=tiers_st(), funds=funds_st(), low=units_st, more=units_st, before=kwh_st,
           free=st.integers(min_value=0, max_value=20))
    def test_more_kwh_never_costs_less(self, *, energy: str, tiers: dict[str, Any], funds: list[dict[str, Any]],
                                       low: int, more: int, before: str, free: int) -> None:
        """Under an inclining tariff a higher consumption never gives a lower bill (free kWh included)."""
        v = version(energy_price=energy, tiers=tiers, funds=funds)
        household = {"kind": "free_kwh", "valid_from": "2025-01-01", "free_kwh_per_month": free}
        who = terms(cycle_kwh_before=before, household=household)

        def bill(units: int) -> int:
            return price([v], usage(total_kwh=kwh(units)), who).total_fen

        assert bill(low + more) >= bill(low)
