"""The basic charge (基本电费) of a two-part tariff (DOMAIN §3.2): on capacity, on actual demand, or on contract
demand with the 105 % rule and the 40 % floor; 90 % of the demand price in a month of ≥ 260 kWh per kVA; days
proration (1/30 a day) in a month of opening or closure. Every figure comes from ``TwoPartSpec``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from server.pricing.errors import PricingError, PricingRefusal
from server.pricing.lines import DraftLine, line_amount
from server.pricing.segments import Segment
from server.pricing.units import plain
from shared_models.pricing import CustomerTerms, LineKind, Usage
from shared_models.tariffs import DemandBasis, TwoPartSpec


def _overlap_days(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> int:
    return max(0, (min(a[1], b[1]) - max(a[0], b[0])).days + 1)


def basic_share(seg: Segment, spec: TwoPartSpec, usage: Usage, terms: CustomerTerms) -> tuple[int, int] | None:
    """(days charged, days basis) of the monthly charge this segment carries; None for the whole month.

    Supply starting or ending inside the period: each supplied day is 1/``days_per_month`` (a month of more
    supplied days than that is charged whole). Otherwise a period split over versions shares the month by
    calendar days.
    """
    period = (usage.period_from, usage.period_to)
    period_days = (usage.period_to - usage.period_from).days + 1
    starts_inside = terms.supply_from is not None and terms.supply_from > usage.period_from
    ends_inside = terms.supply_to is not None and terms.supply_to < usage.period_to
    if starts_inside or ends_inside:
        supplied = (terms.supply_from if starts_inside and terms.supply_from else usage.period_from,
                    terms.supply_to if ends_inside and terms.supply_to else usage.period_to)
        supplied_days = _overlap_days(supplied, period)
        return (_overlap_days(supplied, (seg.days_from, seg.days_to)), max(spec.days_per_month, supplied_days))
    if seg.days == period_days:
        return None
    return seg.days, period_days


def basic_lines(seg: Segment, usage: Usage, terms: CustomerTerms) -> list[DraftLine]:
    """The segment's basic-charge lines (none for a single-part version)."""
    version = seg.version
    spec = version.two_part
    if spec is None:
        return []
    share = basic_share(seg, spec, usage, terms)

    def line(kind: LineKind, quantity: Decimal, price: Decimal) -> DraftLine:
        return DraftLine(kind=kind, version_from=version.effective_from, days_from=seg.days_from,
                         days_to=seg.days_to, quantity=quantity, unit_price=price,
                         amount_fen=line_amount(quantity, price, share),
                         days_charged=share[0] if share else None, days_basis=share[1] if share else None)

    basis = terms.demand_basis
    if basis is None:
        raise PricingError(PricingRefusal.NO_DEMAND_BASIS)
    if basis is DemandBasis.CAPACITY:
        if terms.capacity_kva is None:
            raise PricingError(PricingRefusal.NO_CAPACITY)
        return [line(LineKind.BASIC_CAPACITY, terms.capacity_kva, spec.capacity_price_per_kva)]
    if usage.max_demand_kw is None:
        raise PricingError(PricingRefusal.NO_MAX_DEMAND)
    price = spec.demand_price_per_kw
    if terms.capacity_kva and usage.total_kwh / terms.capacity_kva >= spec.high_use_kwh_per_kva:
        price = plain(price * spec.high_use_factor)
    if basis is DemandBasis.DEMAND:
        return [line(LineKind.BASIC_DEMAND, usage.max_demand_kw, price)]
    if terms.contract_demand_kw is None:
        raise PricingError(PricingRefusal.NO_CONTRACT_DEMAND)
    if terms.capacity_kva is None:
        raise PricingError(PricingRefusal.NO_CAPACITY)
    contract = plain(max(terms.contract_demand_kw, terms.capacity_kva * spec.contract_floor_share))
    limit = plain(contract * spec.over_contract_share)
    if usage.max_demand_kw <= limit:
        return [line(LineKind.BASIC_DEMAND, contract, price)]
    return [line(LineKind.BASIC_DEMAND, limit, price),
            line(LineKind.BASIC_DEMAND_OVER, plain(usage.max_demand_kw - limit),
                 plain(price * spec.over_contract_factor))]
