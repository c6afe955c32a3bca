"""Energy charges (电度电费) of one segment: flat, tiers (DOMAIN §1), TOU registers (§2), TOU inside tiers, the
合表 price and the free kWh of 低保/五保 households (§1.4). Every price and threshold comes from the version."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from server.pricing.errors import PricingError, PricingRefusal
from server.pricing.lines import DraftLine, line_amount
from server.pricing.segments import Segment
from server.pricing.units import allocate, from_units, plain, round_units
from shared_models.pricing import CustomerTerms, HouseholdAdjustment, HouseholdKind, LineKind, Usage
from shared_models.tariffs import (
    TariffVersionDoc,
    TierCycle,
    TierProration,
    TierSpec,
    TouPeriod,
    TouPricing,
)

#: A period whose length is not a whole month counts one month per 30 days, rounded (28–44 days: one).
_DAYS_PER_MONTH = 30


def period_months(usage: Usage) -> int:
    """How many months of monthly thresholds and free kWh a period carries (a bi-monthly read carries two)."""
    days = (usage.period_to - usage.period_from).days + 1
    return max(1, (days + _DAYS_PER_MONTH // 2) // _DAYS_PER_MONTH)


def household_in_force(terms: CustomerTerms, usage: Usage) -> HouseholdAdjustment | None:
    """The customer's household adjustment when it is valid on the period's last day (the reading day)."""
    adj = terms.household
    if adj is None or adj.valid_from > usage.period_to:
        return None
    if adj.valid_to is not None and adj.valid_to < usage.period_to:
        return None
    return adj


def included_funds_rate(version: TariffVersionDoc) -> Decimal:
    """yuan/kWh of government funds inside the version's energy price."""
    return sum((f.rate_per_kwh for f in version.funds if f.included), Decimal(0))


def unit_price(version: TariffVersionDoc, tier_index: int, period: TouPeriod | None, month: int) -> Decimal:
    """The yuan/kWh of a tier (0-based; 0 without tiers) in a TOU period (None = not TOU) in a month (its season).

    TOU ratios float only the energy price without the included funds: (energy − funds) × ratio + funds;
    tier increments are added after the ratio and never float (DOMAIN §2 "the floating base excludes funds").
    """
    increment = Decimal(0)
    if version.tiers is not None:
        increments = version.tiers.increments
        if period is not None:
            increments = version.tiers.period_increments.get(period, increments)
        increment = increments[tier_index]
    if period is None or version.tou is None:
        return version.energy_price + increment
    tou = version.tou
    prices = tou.prices_in(month)
    if period not in prices:
        if period is not TouPeriod.FLAT:
            raise PricingError(PricingRefusal.TOU_PERIOD_NOT_PRICED, period=period.value,
                               version_from=version.effective_from.isoformat(), month=str(month))
        return version.energy_price + increment  # 平 is the energy price itself
    if tou.pricing is TouPricing.ABSOLUTE:
        return prices[period] + increment
    funds = included_funds_rate(version)
    return plain((version.energy_price - funds) * prices[period] + funds + increment)


def _supplied(terms: CustomerTerms, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    return (max(start, terms.supply_from) if terms.supply_from else start,
            min(end, terms.supply_to) if terms.supply_to else end)


def thresholds_units(seg: Segment, tiers: TierSpec, usage: Usage, terms: CustomerTerms,
                     household: HouseholdAdjustment | None) -> list[int]:
    """The tier thresholds of the segment's cycle in 0.01 kWh, after the household's extra kWh and the
    proration of a customer supplied for part of the cycle (DOMAIN §1.3: months | days | none)."""
    extra = [0] * len(tiers.thresholds_kwh)
    if household is not None and household.kind is HouseholdKind.EXTRA_KWH:
        if len(household.extra_kwh_per_tier) != len(extra):
            raise PricingError(PricingRefusal.HOUSEHOLD_TIERS, expected=str(len(extra)),
                               given=str(len(household.extra_kwh_per_tier)))
        extra = list(household.extra_kwh_per_tier)
    if tiers.cycle is TierCycle.YEAR:
        assert seg.cycle is not None
        start, end = seg.cycle
        months = 12
        scale = Decimal(1)
    else:
        start, end = usage.period_from, usage.period_to
        months = 1
        scale = Decimal(period_months(usage))
    s, e = _supplied(terms, start, end)
    if (s, e) != (start, end) and e >= s:
        if tiers.proration is TierProration.DAYS:
            scale = scale * ((e - s).days + 1) / ((end - start).days + 1)
        elif tiers.proration is TierProration.MONTHS and tiers.cycle is TierCycle.YEAR:
            # the opening and the closing month count as whole months
            supplied_months = min(12, (e.year * 12 + e.month) - (s.year * 12 + s.month) + 1)
            scale = scale * supplied_months / 12
    return [round_units((Decimal(t) + Decimal(x) * months) * scale) for t, x in
            zip(tiers.thresholds_kwh, extra, strict=True)]


def tier_parts(counter_start: int, units: int, thresholds: list[int]) -> list[int]:
    """The units of [counter_start, counter_start + units) falling in each tier; they sum to ``units``."""
    edges = [0, *thresholds]
    parts = []
    end = counter_start + units
    for index, low in enumerate(edges):
        high = edges[index + 1] if index + 1 < len(edges) else None
        top = end if high is None else min(end, high)
        parts.append(max(0, top - max(counter_start, low)))
    return parts


def energy_lines(seg: Segment, usage: Usage, terms: CustomerTerms) -> list[DraftLine]:
    """The segment's energy lines: one at the 合表 price, or one per tier (× TOU period with kWh), or one flat
    line; a segment without kWh still shows one zero line."""
    version = seg.version
    month = seg.days_from.month  # a segment lies inside one TOU season (split_period cuts at season changes)
    household = household_in_force(terms, usage)

    def line(units: int, price: Decimal, tier: int | None = None, period: TouPeriod | None = None) -> DraftLine:
        quantity = from_units(units)
        return DraftLine(kind=LineKind.ENERGY, version_from=version.effective_from, days_from=seg.days_from,
                         days_to=seg.days_to, quantity=quantity, unit_price=price,
                         amount_fen=line_amount(quantity, price), tier=tier, tou_period=period)

    if household is not None and household.kind is HouseholdKind.SHARED_METER_PRICE:
        if version.shared_meter_price is None:
            raise PricingError(PricingRefusal.NO_SHARED_METER_PRICE, version_from=version.effective_from.isoformat())
        return [line(seg.units, version.shared_meter_price)]
    tou = seg.tou_units if version.tou is not None else {}
    if version.tiers is None:
        parts = [seg.units]
    else:
        parts = tier_parts(seg.counter_start, seg.units, thresholds_units(seg, version.tiers, usage, terms, household))
    lines: list[DraftLine] = []
    for index, part in enumerate(parts):
        tier = index + 1 if version.tiers is not None else None
        if part == 0 and (lines or any(parts)):
            continue  # a zero period still shows its one (zero) energy line
        if not tou or not part:
            lines.append(line(part, unit_price(version, index, None, month), tier))
            continue
        for period, units in zip(tou, allocate(part, list(tou.values())), strict=True):
            if units:
                lines.append(line(units, unit_price(version, index, period, month), tier, period))
    return lines


def free_kwh_line(seg: Segment, free_units: int) -> DraftLine | None:
    """The 低保/五保 free kWh of the segment at minus the (tier 1, flat) energy price."""
    if not free_units:
        return None
    quantity = from_units(free_units)
    price = -seg.version.energy_price
    return DraftLine(kind=LineKind.FREE_KWH, version_from=seg.version.effective_from, days_from=seg.days_from,
                     days_to=seg.days_to, quantity=quantity, unit_price=price, amount_fen=line_amount(quantity, price))


def free_units_per_segment(segments: list[Segment], usage: Usage, terms: CustomerTerms) -> list[int]:
    """The household's free kWh of the period (per month × months, never above the consumption), shared over
    the segments in proportion to their kWh."""
    household = household_in_force(terms, usage)
    if household is None or household.kind is not HouseholdKind.FREE_KWH:
        return [0] * len(segments)
    consumed = sum(s.units for s in segments)
    free = min(consumed, household.free_kwh_per_month * 100 * period_months(usage))
    return allocate(free, [s.units for s in segments]) if consumed else [0] * len(segments)
