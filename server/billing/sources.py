"""The bill run's inputs, each from the module of the helper that owns it (issue 12):

* :func:`usage_for` — a period's consumption and the anomalies of its reading (``server.services.readings``,
  merged from wt-readings).
* :func:`versions_for` — the tariff versions covering a period (``server.services.tariffs.versions_for``, merged
  from wt-tariffs), with the row id a released bill names.
* :func:`price` — the one pricing function ``server.pricing.price`` (branch wt-engine, merged).
* :func:`terms_for` — the customer's terms: the stored ``customer_terms`` row in force (``server.billing.terms``)
  and the kWh already billed in the customer's tier cycle (annual tiers).

The bill run calls only these, so each swap is a change in this module alone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from server import pricing
from server.billing import terms
from server.billing.inputs import DraftInputs, VersionRef
from server.errors import AppError
from server.services import readings, tariffs
from shared_models.errors import ErrorCode
from shared_models.methods.billruns import DraftAnomaly
from shared_models.pricing import CustomerTerms, PricedBill, Usage
from shared_models.rules.reading_consumption import ConsumptionError
from shared_models.tariffs import TariffVersionDoc


def usage_for(session: Session, *, customer_id: int, period: int,
              checks: readings.CustomerTermsForChecks | None = None) -> tuple[Usage | None, list[DraftAnomaly]]:
    """The period's usage (``server.services.readings.usage_of_customer``) and the anomalies of its reading
    (``period_anomalies``, against ``checks``); None with the consumption error as an anomaly when the readings
    give no usage."""
    anomalies = [DraftAnomaly(code=a.code.value, params=dict(a.figures))
                 for a in readings.period_anomalies(session=session, customer_id=customer_id, period=period,
                                                    terms=checks)]
    try:
        usage = readings.usage_of_customer(session=session, customer_id=customer_id, period=period)
    except ConsumptionError as exc:
        stop = DraftAnomaly(code=exc.code.value, params=dict(exc.figures))
        return None, anomalies if stop in anomalies else [*anomalies, stop]
    return usage, anomalies


def versions_for(session: Session, *, tariff_id: int, period_from: dt.date, period_to: dt.date) -> list[VersionRef]:
    """The versions of the tariff that price the days ``period_from``..``period_to``, each with the row id a
    released bill names (``server.services.tariffs.version_ids_for``); AppError(TARIFF_NO_VERSION) when a day
    has none."""
    return [VersionRef(version_id=version_id, doc=doc)
            for version_id, doc in tariffs.version_ids_for(session, tariff_id, period_from, period_to)]


def terms_for(session: Session, *, customer_id: int, period: int) -> CustomerTerms:
    """The customer's terms: the stored row in force and the kWh of its tier cycle's bills before ``period``
    (``server.billing.terms.cycle_kwh_before``)."""
    stored = terms.stored_terms(session, [customer_id], period=period)
    before = terms.cycle_kwh_before(session, [customer_id], period=period, stored=stored).get(customer_id, 0)
    return terms.with_stored(CustomerTerms(cycle_kwh_before=Decimal(before)), stored.get(customer_id))


def gather(session: Session, *, customer_id: int, tariff_id: int, period: int) -> DraftInputs:
    """Everything that prices one customer's bill of ``period``; the reading checks compare with the terms'
    contract demand and the power-factor standard of the version in force at the period's end."""
    customer_terms = terms_for(session, customer_id=customer_id, period=period)
    try:
        found: Usage | None = readings.usage_of_customer(session=session, customer_id=customer_id, period=period)
    except ConsumptionError:
        found = None
    versions: list[VersionRef] = []
    missing: DraftAnomaly | None = None
    if found is not None:
        try:
            versions = versions_for(session, tariff_id=tariff_id, period_from=found.period_from,
                                    period_to=found.period_to)
        except AppError as exc:
            if exc.code is not ErrorCode.TARIFF_NO_VERSION:
                raise
            missing = DraftAnomaly(code="no_tariff_version", params=dict(exc.params))
    usage, anomalies = usage_for(session, customer_id=customer_id, period=period,
                                 checks=terms.checks_of(customer_terms, versions))
    if usage is None:
        return DraftInputs(usage=None, terms=customer_terms, versions=(), anomalies=tuple(anomalies))
    if missing is not None:
        anomalies.append(missing)
    return DraftInputs(usage=usage, terms=customer_terms, versions=tuple(versions), anomalies=tuple(anomalies))


def price(versions: list[TariffVersionDoc], usage: Usage, terms: CustomerTerms) -> PricedBill:
    """The one pricing function (``server.pricing.price``); raises ``server.pricing.PricingError``."""
    return pricing.price(versions, usage, terms)
