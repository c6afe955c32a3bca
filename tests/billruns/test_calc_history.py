"""The bill run reads a chunk's readings from 13 months before the period on, and a customer's whole history only
when the window might change the outcome (a zero streak reaching back, an estimate, a meter without a reading in
the window's first month): either way the outcome is the one-by-one path's, which reads everything."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.billing import bulk
from server.models.customers import Customer, Meter
from server.models.readings import Reading
from shared_models.methods.readings import ReadingStatus
from shared_models.rules.reading_anomalies import previous_period
from shared_models.rules.reading_consumption import Consumptions, ReadingPoint
from tests.billruns.bulk_compare import differences
from tests.billruns.helpers import BOOK, PERIOD
from tests.factories import COMMERCIAL, LI_XIUYING, WANG_FANG, ZHANG_WEI

#: 2025-01 .. 2026-11: 23 months, ten before the window (which starts 2025-10).
MONTHS = [202500 + m for m in range(1, 13)] + [202600 + m for m in range(1, 12)]
WINDOW_START = previous_period(PERIOD, bulk.HISTORY_MONTHS)


def _history(db: Session, customer_no: str, kwh: dict[int, int], *, no_values: frozenset[int] = frozenset(),
             months: list[int] = MONTHS) -> None:
    """A reading on the 25th of each of ``months``; ``kwh`` by period (default 100), none read in ``no_values``."""
    meter_id = db.execute(select(Meter.id).join(Customer, Customer.id == Meter.customer_id)
                          .where(Customer.customer_no == customer_no)).scalar_one()
    value = Decimal(1000)
    for period in months:
        value += kwh.get(period, 100)
        empty = period in no_values
        db.add(Reading(meter_id=meter_id, period=period, read_on=dt.date(period // 100, period % 100, 25),
                       total=None if empty else value,
                       status=ReadingStatus.NO_ACCESS if empty else ReadingStatus.ACTUAL))
    db.commit()


def _ids(db: Session) -> dict[str, int]:
    return {no: i for no, i in db.execute(select(Customer.customer_no, Customer.id).where(Customer.book_code == BOOK))}


def test_the_window_or_the_whole_history_give_the_one_by_one_outcome(db: Session) -> None:
    """张伟: monthly readings, a jump against last year: read from the window only. 李秀英: zero for 16 months (the
    streak runs past the window): whole history. 王芳: a 门闭 month in the window: whole history. The commercial
    customer: read only from 2026-01 (nothing cut). Every outcome equals the one-by-one path's."""
    _history(db, ZHANG_WEI, {202511: 400})
    _history(db, LI_XIUYING, dict.fromkeys(MONTHS[-16:], 0))
    _history(db, WANG_FANG, {}, no_values=frozenset({202603}))
    _history(db, COMMERCIAL, {}, months=MONTHS[12:])
    ids = _ids(db)
    found = bulk._histories(db, list(ids.values()), PERIOD)
    assert min(p.period for p in found[ids[ZHANG_WEI]][1]) == WINDOW_START
    assert min(p.period for p in found[ids[LI_XIUYING]][1]) == MONTHS[0]
    assert min(p.period for p in found[ids[WANG_FANG]][1]) == MONTHS[0]
    assert min(p.period for p in found[ids[COMMERCIAL]][1]) == 202601
    compared, diffs = differences(db, book_code=BOOK, period=PERIOD)
    assert compared >= 4
    assert diffs == []
    inputs = bulk.gather_chunk(db, book_code=BOOK, period=PERIOD, chunk=[
        bulk.ChunkCustomer(customer_id=ids[LI_XIUYING], customer_no=LI_XIUYING, tariff_id=0)])
    streak = [a for a in inputs[ids[LI_XIUYING]].anomalies if a.code == "zero_streak"]
    assert [a.params for a in streak] == [{"count": "16"}]  # counted over the whole history, not the window


def test_needs_full_history_case_by_case(db: Session) -> None:
    """Nothing cut: the window is the history. Cut, but read in the window's first month with values every
    month: the window. Not read in the first month, an estimate, or zero a year ago: the whole history."""
    _history(db, ZHANG_WEI, {})
    meters, points = bulk._histories(db, [_ids(db)[ZHANG_WEI]], PERIOD)[_ids(db)[ZHANG_WEI]]
    window = [p for p in points if p.period >= WINDOW_START]
    meter = meters[0].meter_id

    def needs(readings: list[ReadingPoint], cut: set[int]) -> bool:
        return bulk.needs_full_history(meters, readings, period=PERIOD, cut=cut,
                                       consumptions=Consumptions(meters, readings))

    assert not needs(window, set())
    assert not needs(window, {meter})
    assert needs(window[1:], {meter})
    estimated = [*window[:3], ReadingPoint(reading_id=-1, meter_id=meter, period=window[3].period,
                                                read_on=window[3].read_on, status=ReadingStatus.NO_ACCESS),
                 *window[4:]]
    assert needs(estimated, {meter})
    year_ago = previous_period(PERIOD, 12)
    flat = [p if p.period != year_ago else ReadingPoint(
        reading_id=p.reading_id, meter_id=meter, period=p.period, read_on=p.read_on, status=p.status,
        values=next(q.values for q in window if q.period == WINDOW_START)) for p in window]
    assert needs(flat, {meter})
