"""``price``: the one pricing function (DOMAIN §1–§4) for bill runs, the 测算电费 calculator and prepaid estimates.

Pure: versions, usage and terms in, priced lines out; no database, no clock, no I/O beyond the power-factor
data file read once.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from server.pricing.basic import basic_lines
from server.pricing.energy import energy_lines, free_kwh_line, free_units_per_segment
from server.pricing.errors import PricingError, PricingRefusal
from server.pricing.lines import DraftLine, line_amount
from server.pricing.power_factor import power_factor_line
from server.pricing.segments import Segment, split_period
from server.pricing.units import from_units
from shared_models.pricing import CustomerTerms, FundPart, LineKind, PricedBill, Usage
from shared_models.rules.power_factor import power_factor
from shared_models.tariffs import Fund, TariffVersionDoc


def _fund_lines(seg: Segment) -> tuple[list[DraftLine], list[tuple[Fund, int]]]:
    """The segment's added-fund lines, and every fund with its amount (for the breakdown)."""
    kwh = from_units(seg.units)
    lines: list[DraftLine] = []
    parts: list[tuple[Fund, int]] = []
    for fund in seg.version.funds:
        amount = line_amount(kwh, fund.rate_per_kwh)
        parts.append((fund, amount))
        if not fund.included and seg.units:
            lines.append(DraftLine(kind=LineKind.FUND, version_from=seg.version.effective_from,
                                   days_from=seg.days_from, days_to=seg.days_to, quantity=kwh,
                                   unit_price=fund.rate_per_kwh, amount_fen=amount, fund_code=fund.code,
                                   fund_name=fund.name))
    return lines, parts


def price(versions: Sequence[TariffVersionDoc], usage: Usage, terms: CustomerTerms) -> PricedBill:
    """Price one billing period of one customer against the versions of its tariff.

    ``versions`` are the tariff's versions (any order; at least those covering the period); the period is
    split at version changes and annual tier-cycle starts by calendar days (kWh by largest remainder in
    0.01 kWh). Per part, in this order: energy lines (flat, tier, TOU period, tier × period, or the 合表 price),
    the free-kWh line, the basic-charge lines, the power-factor line, the added government funds. Each line is
    rounded half up to the fen on its own; the total is the sum of the lines. Raises :class:`PricingError`.
    """
    segments = split_period(versions, usage, terms)
    free = free_units_per_segment(segments, usage, terms)
    cos_phi = None
    if any(seg.version.power_factor is not None for seg in segments):
        if usage.reactive_kvarh is None:
            raise PricingError(PricingRefusal.NO_REACTIVE)
        cos_phi = power_factor(usage.total_kwh, usage.reactive_kvarh)
    drafts: list[DraftLine] = []
    fund_parts: dict[tuple[str, str, Decimal, bool], list[int]] = {}
    for seg, free_units in zip(segments, free, strict=True):
        energy = energy_lines(seg, usage, terms)
        free_line = free_kwh_line(seg, free_units)
        if free_line is not None:
            energy.append(free_line)
        basic = basic_lines(seg, usage, terms)
        funds, parts = _fund_lines(seg)
        for fund, amount in parts:
            kwh_amount = fund_parts.setdefault((fund.code, fund.name, fund.rate_per_kwh, fund.included), [0, 0])
            kwh_amount[0] += seg.units
            kwh_amount[1] += amount
        drafts += energy + basic
        spec = seg.version.power_factor
        if spec is not None and cos_phi is not None:
            included = sum(amount for fund, amount in parts if fund.included)
            drafts.append(power_factor_line(seg, spec, cos_phi, basic=basic, energy=energy,
                                            included_funds_fen=included, added_funds=funds))
        drafts += funds
    lines = [draft.numbered(no) for no, draft in enumerate(drafts, start=1)]
    return PricedBill(
        lines=lines, total_fen=sum(line.amount_fen for line in lines), total_kwh=usage.total_kwh,
        funds=[FundPart(code=code, name=name, rate_per_kwh=rate, kwh=from_units(units), amount_fen=amount,
                        included=included)
               for (code, name, rate, included), (units, amount) in fund_parts.items()],
        versions_from=list(dict.fromkeys(seg.version.effective_from for seg in segments)),
        power_factor=cos_phi)
