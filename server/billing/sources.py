"""Adapters to the bill run's inputs, each a stand-in for the helper that owns it (issue 12):

* :func:`usage_for` — a period's consumption from the readings (owner: ``server.readings.consumption.usage_for``,
  branch wt-readings). Until that lands this reads the total register of today's ``readings`` table:
  kWh = (this period's value − the previous reading's) × multiplier, per meter of the customer.
* :func:`versions_for` — the tariff versions covering a period (owner: ``server.services.tariffs.versions_for``,
  branch wt-tariffs). Until then the flat ``tariff_versions`` rows become ``TariffVersionDoc`` documents.
* :func:`price` — the one pricing function ``server.pricing.price`` (branch wt-engine). Until it lands this
  prices the flat energy line per version, split by calendar days (largest remainder).
* :func:`terms_for` — the customer's terms (kWh already billed in the calendar year, for annual tiers).

The bill run calls only these four, so each swap is a change in this module alone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from server.billing.inputs import DraftInputs, VersionRef
from server.models.billing import Bill, Reading
from server.models.customers import Meter, TariffVersion
from shared_models.methods.billruns import DraftAnomaly
from shared_models.money import round_half_up_to_fen
from shared_models.pricing import CustomerTerms, LineKind, PricedBill, PricedLine, Usage
from shared_models.tariffs import CrossYear, LateFeeSpec, TariffVersionDoc

_CENT: Final = Decimal("0.01")


def usage_for(session: Session, *, customer_id: int, period: int) -> tuple[Usage | None, list[DraftAnomaly]]:
    """The period's usage of the customer's meters, or None with the anomaly that prevents pricing."""
    meters = session.execute(
        select(Meter.id, Meter.multiplier, Meter.asset_no).where(Meter.customer_id == customer_id).order_by(Meter.id)
    ).all()
    total = Decimal(0)
    read_from: dt.date | None = None
    read_to: dt.date | None = None
    anomalies: list[DraftAnomaly] = []
    found = False
    for meter in meters:
        current = session.execute(
            select(Reading.value, Reading.read_on).where(Reading.meter_id == meter.id, Reading.period == period)
            .order_by(Reading.id.desc()).limit(1)
        ).one_or_none()
        if current is None:
            continue
        found = True
        previous = session.execute(
            select(Reading.value, Reading.read_on).where(Reading.meter_id == meter.id, Reading.period < period)
            .order_by(Reading.period.desc(), Reading.id.desc()).limit(1)
        ).one_or_none()
        if previous is None:
            return None, [DraftAnomaly(code="no_previous_reading", params={"meter": meter.asset_no})]
        if current.value < previous.value:
            return None, [DraftAnomaly(code="below_previous", params={
                "meter": meter.asset_no, "previous": str(previous.value), "current": str(current.value)})]
        total += (current.value - previous.value) * meter.multiplier
        start = previous.read_on + dt.timedelta(days=1)
        read_from = start if read_from is None else min(read_from, start)
        read_to = current.read_on if read_to is None else max(read_to, current.read_on)
    if not found or read_from is None or read_to is None:
        return None, [DraftAnomaly(code="no_reading", params={"period": period})]
    if total == 0:
        anomalies.append(DraftAnomaly(code="zero_consumption", params={"period": period}))
    return Usage(period_from=read_from, period_to=max(read_to, read_from), total_kwh=total.quantize(_CENT)), anomalies


def versions_for(session: Session, *, tariff_id: int, period_from: dt.date, period_to: dt.date) -> list[VersionRef]:
    """The versions of the tariff that price a day of ``period_from``..``period_to``, by effective date."""
    later = aliased(TariffVersion)
    next_from = (select(func.min(later.effective_from))
                 .where(later.tariff_id == TariffVersion.tariff_id, later.effective_from > TariffVersion.effective_from)
                 .scalar_subquery())
    rows = session.execute(
        select(TariffVersion, next_from.label("next_from"))
        .where(TariffVersion.tariff_id == tariff_id, TariffVersion.effective_from <= period_to)
        .order_by(TariffVersion.effective_from)
    ).all()
    out = []
    for version, following in rows:
        effective_to = following - dt.timedelta(days=1) if following is not None else None
        if effective_to is not None and effective_to < period_from:
            continue
        out.append(VersionRef(version_id=version.id, doc=TariffVersionDoc(
            effective_from=version.effective_from, effective_to=effective_to,
            energy_price=version.price_per_kwh,
            late_fee=LateFeeSpec(daily_permille_current=version.late_fee_daily_permille,
                                 daily_permille_cross_year=version.late_fee_cross_year_permille,
                                 cross_year=CrossYear(version.late_fee_cross_year_rule),
                                 minimum_fen=version.late_fee_minimum_fen),
        )))
    return out


def terms_for(session: Session, *, customer_id: int, period: int) -> CustomerTerms:
    """The customer's terms: kWh of the calendar year's bills before ``period`` (bills not replaced by a 退补)."""
    replaced = aliased(Bill)
    before = session.execute(
        select(func.coalesce(func.sum(Bill.kwh), 0))
        .where(Bill.customer_id == customer_id, Bill.period >= (period // 100) * 100 + 1, Bill.period < period,
               ~select(replaced.id).where(replaced.corrects_bill_id == Bill.id).exists())
    ).scalar_one()
    return CustomerTerms(cycle_kwh_before=Decimal(before))


def gather(session: Session, *, customer_id: int, tariff_id: int, period: int) -> DraftInputs:
    """Everything that prices one customer's bill of ``period``."""
    usage, anomalies = usage_for(session, customer_id=customer_id, period=period)
    terms = terms_for(session, customer_id=customer_id, period=period)
    if usage is None:
        return DraftInputs(usage=None, terms=terms, versions=(), anomalies=tuple(anomalies))
    versions = versions_for(session, tariff_id=tariff_id, period_from=usage.period_from, period_to=usage.period_to)
    if not versions:
        anomalies.append(DraftAnomaly(code="no_tariff_version", params={"from": usage.period_from.isoformat()}))
    return DraftInputs(usage=usage, terms=terms, versions=tuple(versions), anomalies=tuple(anomalies))


def price(versions: list[TariffVersionDoc], usage: Usage, terms: CustomerTerms) -> PricedBill:
    """Stand-in for ``server.pricing.price`` (flat versions only): one energy line per version, the kWh split
    by the calendar days each version prices, largest remainder to the 0.01 kWh so the parts sum exactly."""
    del terms  # the flat stand-in needs no customer terms
    spans = []
    for doc in versions:
        start = max(doc.effective_from, usage.period_from)
        end = usage.period_to if doc.effective_to is None else min(doc.effective_to, usage.period_to)
        if start <= end:
            spans.append((doc, start, end, (end - start).days + 1))
    days = sum(s[3] for s in spans)
    cents = int(usage.total_kwh * 100)
    shares = [cents * s[3] // days for s in spans]
    order = sorted(range(len(spans)), key=lambda i: (-(cents * spans[i][3] % days), i))
    for i in order[: cents - sum(shares)]:
        shares[i] += 1
    lines = []
    for n, ((doc, start, end, _), share) in enumerate(zip(spans, shares, strict=True), start=1):
        kwh = Decimal(share) / 100
        lines.append(PricedLine(line_no=n, kind=LineKind.ENERGY, version_from=doc.effective_from, days_from=start,
                                days_to=end, quantity=kwh.quantize(_CENT), unit_price=doc.energy_price,
                                amount_fen=round_half_up_to_fen(kwh * doc.energy_price)))
    return PricedBill(lines=lines, total_fen=sum(line.amount_fen for line in lines), total_kwh=usage.total_kwh,
                      versions_from=[s[0].effective_from for s in spans])
