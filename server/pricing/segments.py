"""The day split of a billing period (DOMAIN §1.3): parts by tariff version and tier cycle, kWh by calendar days.

A period straddling a version change (or, under annual tiers, the start of the customer's tier cycle, or a
change of TOU season whose prices differ) is cut into parts of whole days; the total kWh, each TOU register
and the reactive kvarh are split over the parts in proportion to their days by the largest-remainder method
in units of 0.01 kWh, so the parts sum exactly.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from server.pricing.errors import PricingError, PricingRefusal
from server.pricing.units import allocate, to_units
from shared_models.pricing import CustomerTerms, Usage
from shared_models.tariffs import (
    TariffVersionDoc,
    TierCycle,
    TouPeriod,
    TouSpec,
    VersionDatesError,
    version_spans,
)

_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Segment:
    """Whole days of the period priced by one version inside one tier cycle, with their share of the usage."""

    version: TariffVersionDoc
    days_from: dt.date
    days_to: dt.date
    #: kWh of these days in 0.01 units, and of each TOU register (fitted to the total, see ``tou_weights``).
    units: int
    tou_units: dict[TouPeriod, int]
    reactive_units: int | None
    #: Where the segment's tier counter starts (0.01 kWh already counted in its cycle before these days).
    counter_start: int
    #: The annual tier cycle the days fall in (None for a monthly cycle or without tiers).
    cycle: tuple[dt.date, dt.date] | None

    @property
    def days(self) -> int:
        """Calendar days of the segment."""
        return (self.days_to - self.days_from).days + 1


def cycle_bounds(anchor: dt.date | None, day: dt.date) -> tuple[dt.date, dt.date]:
    """The annual tier cycle holding ``day``: it starts on the anchor's month and day (1 January without one;
    29 February becomes the 28th in a common year) and ends the day before the next start."""
    month, dom = (anchor.month, anchor.day) if anchor else (1, 1)

    def start_in(year: int) -> dt.date:
        return dt.date(year, month, min(dom, calendar.monthrange(year, month)[1]))

    start = start_in(day.year) if start_in(day.year) <= day else start_in(day.year - 1)
    return start, start_in(start.year + 1) - _DAY


def tou_weights(usage: Usage) -> dict[TouPeriod, int]:
    """The TOU registers as the shares the total kWh is billed in: a total above the registers' sum bills the
    rest at 平; a sum above the total is scaled down to it (the anomaly check reports either)."""
    weights = {p: to_units(usage.tou_kwh[p]) for p in TouPeriod if p in usage.tou_kwh}
    rest = to_units(usage.total_kwh) - sum(weights.values())
    if rest > 0:
        weights[TouPeriod.FLAT] = weights.get(TouPeriod.FLAT, 0) + rest
    return {p: weights[p] for p in TouPeriod if p in weights}  # 尖, 峰, 平, 谷, 深谷: the bill's order


def _season_end(tou: TouSpec, day: dt.date) -> dt.date:
    """The last day before the next month that belongs to another TOU season (at most a year ahead)."""
    season = tou.season_of(day.month)
    month_start = day.replace(day=1)
    for _ in range(12):
        month_start = (month_start + dt.timedelta(days=32)).replace(day=1)
        if tou.season_of(month_start.month) is not season:
            return month_start - _DAY
    return dt.date.max


def _version_for(versions: Sequence[TariffVersionDoc], spans: Sequence[tuple[dt.date, dt.date | None]],
                 day: dt.date) -> tuple[TariffVersionDoc, dt.date | None]:
    for version, (start, end) in zip(versions, spans, strict=True):
        if start <= day and (end is None or day <= end):
            return version, end
    raise PricingError(PricingRefusal.NO_VERSION, day=day.isoformat())


def split_period(versions: Sequence[TariffVersionDoc], usage: Usage, terms: CustomerTerms) -> list[Segment]:
    """Cut the period at version changes and annual tier-cycle starts and share the usage out by days."""
    ordered = sorted(versions, key=lambda v: v.effective_from)
    if not ordered:
        raise PricingError(PricingRefusal.NO_VERSION, day=usage.period_from.isoformat())
    try:
        spans = version_spans(ordered)
    except VersionDatesError as exc:
        raise PricingError(PricingRefusal.VERSION_DATES, detail=str(exc)) from exc
    bounds: list[tuple[dt.date, dt.date, TariffVersionDoc, tuple[dt.date, dt.date] | None]] = []
    day = usage.period_from
    while day <= usage.period_to:
        version, version_end = _version_for(ordered, spans, day)
        end = usage.period_to if version_end is None else min(usage.period_to, version_end)
        cycle = None
        if version.tiers is not None and version.tiers.cycle is TierCycle.YEAR:
            cycle = cycle_bounds(terms.tier_cycle_start, day)
            end = min(end, cycle[1])
        if version.tou is not None and version.tou.seasonal():
            end = min(end, _season_end(version.tou, day))
        bounds.append((day, end, version, cycle))
        day = end + _DAY
    days = [(end - start).days + 1 for start, end, _v, _c in bounds]
    total = to_units(usage.total_kwh)
    unit_parts = allocate(total, days)
    weights = tou_weights(usage) if usage.tou_kwh else {}
    reactive = (allocate(to_units(usage.reactive_kvarh), days) if usage.reactive_kvarh is not None
                else [None] * len(days))
    segments: list[Segment] = []
    counter = to_units(terms.cycle_kwh_before)
    previous_cycle: tuple[dt.date, dt.date] | None = None
    for (start, end, version, cycle), units, reactive_units in zip(bounds, unit_parts, reactive, strict=True):
        if cycle is not None and previous_cycle is not None and cycle != previous_cycle:
            counter = 0  # a new annual cycle starts inside the period: its counter starts from nothing
        tou = dict(zip(weights, allocate(units, list(weights.values())), strict=True)) if weights else {}
        segments.append(Segment(version=version, days_from=start, days_to=end, units=units, tou_units=tou,
                                reactive_units=reactive_units, counter_start=counter, cycle=cycle))
        counter += units
        previous_cycle = cycle if cycle is not None else previous_cycle
    return segments
