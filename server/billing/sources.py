"""Adapters to the bill run's inputs, each a stand-in for the helper that owns it (issue 12):

* :func:`usage_for` — a period's consumption from the readings (owner: ``server.readings.consumption.usage_for``,
  branch wt-readings). Until that lands this reads the total register of today's ``readings`` table:
  kWh = (this period's value − the previous reading's) × multiplier, per meter of the customer.
* :func:`versions_for` — the tariff versions covering a period (``server.services.tariffs.versions_for``, merged
  from wt-tariffs), with the row id a released bill names.
* :func:`price` — the one pricing function ``server.pricing.price`` (branch wt-engine, merged).
* :func:`terms_for` — the customer's terms (kWh already billed in the calendar year, for annual tiers).

The bill run calls only these, so each swap is a change in this module alone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from server import pricing
from server.billing.inputs import DraftInputs, VersionRef
from server.errors import AppError
from server.models.billing import Bill, Reading
from server.models.customers import Meter
from server.services import tariffs
from shared_models.errors import ErrorCode
from shared_models.methods.billruns import DraftAnomaly
from shared_models.pricing import CustomerTerms, PricedBill, Usage
from shared_models.tariffs import TariffVersionDoc

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
    """The versions of the tariff that price the days ``period_from``..``period_to``, each with the row id a
    released bill names (``server.services.tariffs.version_ids_for``); AppError(TARIFF_NO_VERSION) when a day
    has none."""
    return [VersionRef(version_id=version_id, doc=doc)
            for version_id, doc in tariffs.version_ids_for(session, tariff_id, period_from, period_to)]


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
    try:
        versions = versions_for(session, tariff_id=tariff_id, period_from=usage.period_from, period_to=usage.period_to)
    except AppError as exc:
        if exc.code is not ErrorCode.TARIFF_NO_VERSION:
            raise
        versions = []
        anomalies.append(DraftAnomaly(code="no_tariff_version", params=dict(exc.params)))
    return DraftInputs(usage=usage, terms=terms, versions=tuple(versions), anomalies=tuple(anomalies))


def price(versions: list[TariffVersionDoc], usage: Usage, terms: CustomerTerms) -> PricedBill:
    """The one pricing function (``server.pricing.price``); raises ``server.pricing.PricingError``."""
    return pricing.price(versions, usage, terms)
