"""Build a handheld package of a book for a period: per meter in book order, what the reader needs on site.

The figures come from the customers' current readings (``server.services.readings.customer_histories``): the
previous value of each register and its date, the previous and same-month-last-year kWh of the customer, the
thresholds of its category and the book's reading window.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models.customers import Customer, Meter
from server.models.readings import ReadingBook
from server.services.readings import customer_histories, thresholds_for
from shared_models.handheld import FORMAT
from shared_models.methods.customers import CustomerCategory, CustomerStatus
from shared_models.methods.readings import Register
from shared_models.rules.reading_anomalies import BookWindow, Thresholds, previous_period
from shared_models.rules.reading_consumption import ConsumptionError, Consumptions, MeterSpec, ReadingPoint

_HUNDRED = Decimal(100)


def _total(consumptions: Consumptions, period: int) -> str | None:
    try:
        return str(consumptions(period).total_kwh)
    except ConsumptionError:
        return None


def _pct(share: Decimal) -> str:
    return str((share * _HUNDRED).normalize())


def book_customers(session: Session, book_code: str) -> list[tuple[Customer, Meter]]:
    """The book's customers that are not closed and their meters in service, in book order."""
    return [(row[0], row[1]) for row in session.execute(
        select(Customer, Meter).join(Meter, Meter.customer_id == Customer.id)
        .where(Customer.book_code == book_code, Customer.status != CustomerStatus.CLOSED, Meter.removed_on.is_(None))
        .order_by(Customer.book_seq, Customer.id, Meter.id))]


def build_document(session: Session, *, book: ReadingBook, period: int, reader: str, package_id: str, key_id: str,
                   generated_at: dt.datetime) -> dict[str, Any]:
    """The package document without its ``hmac`` (the caller signs it)."""
    pairs = book_customers(session, book.code)
    histories = customer_histories(session, sorted({c.id for c, _ in pairs}),
                                   since_period=previous_period(period, 14))
    limits: dict[CustomerCategory, Thresholds] = {}
    totals: dict[int, tuple[str | None, str | None]] = {}
    records: list[dict[str, Any]] = []
    for seq, (customer, meter) in enumerate(pairs, start=1):
        meters, points = histories.get(customer.id, ([], []))
        if customer.id not in totals:
            consumptions = Consumptions(meters, points)
            totals[customer.id] = (_total(consumptions, previous_period(period)),
                                   _total(consumptions, previous_period(period, 12)))
        if customer.category not in limits:
            limits[customer.category] = thresholds_for(session, customer.category)
        limit = limits[customer.category]
        last = _last_with_values(meter.id, points, period)
        records.append({
            "seq": seq, "book_seq": customer.book_seq, "customer_no": customer.customer_no, "name": customer.name,
            "address": customer.address, "asset_no": meter.asset_no, "multiplier": meter.multiplier,
            "digits": meter.digits,
            "registers": [{"register": r.value, "previous": None if last is None or r not in last.values
                           else str(last.values[r])} for r in Register if r.value in meter.registers],
            "previous_read_on": None if last is None else last.read_on.isoformat(),
            "previous_kwh": totals[customer.id][0], "last_year_kwh": totals[customer.id][1],
            "thresholds": {"rise_pct": _pct(limit.rise_share), "drop_pct": _pct(limit.drop_share),
                           "zero_streak": limit.zero_streak},
        })
    window = BookWindow(reading_day=book.reading_day, window_days=book.window_days).window(period)
    return {"format": FORMAT, "package_id": package_id, "key_id": key_id, "book": book.code,
            "book_name": book.name, "reader": reader, "period": period, "generated_at": generated_at.isoformat(),
            "window_from": window[0].isoformat(), "window_to": window[1].isoformat(), "records": records}


def _last_with_values(meter_id: int, points: list[ReadingPoint], period: int) -> ReadingPoint | None:
    earlier = [p for p in points if p.meter_id == meter_id and p.period < period and p.values]
    return max(earlier, key=lambda p: (p.period, p.read_on, p.reading_id), default=None)


def meter_specs(meters: list[MeterSpec]) -> dict[int, MeterSpec]:
    """Meters by id."""
    return {m.meter_id: m for m in meters}
