"""The hall's clock and business day, one home for the counter and the server: business days are China
dates (UTC+8, no daylight saving), and a counter time without an offset is hall time.

Two readings of a time without an offset exist and each has one function: a counter's clock reading
(``local_time``, a cashier's entry) is hall time (:func:`as_hall_time`); a stored instant shown to a
person is UTC (:func:`in_hall_time`).
"""

from __future__ import annotations

import datetime as dt
from typing import Final

HALL_TZ: Final = dt.timezone(dt.timedelta(hours=8), "CST")
_ONE_DAY: Final = dt.timedelta(days=1)


def as_hall_time(moment: dt.datetime) -> dt.datetime:
    """``moment`` with its offset; a naive time (a counter's clock) is taken as hall time."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=HALL_TZ)


def business_date(moment: dt.datetime) -> dt.date:
    """The hall's calendar date of an instant: the day receipts and shifts are numbered by and late fees
    run to. A naive time is read as hall time (a counter's clock)."""
    return as_hall_time(moment).astimezone(HALL_TZ).date()


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Start and end (exclusive) of a business day, as instants."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=HALL_TZ)
    return start, start + _ONE_DAY


def hall_now() -> dt.datetime:
    """The current time in the hall's time zone (the counter's clock)."""
    return dt.datetime.now(HALL_TZ)


def in_hall_time(moment: dt.datetime) -> dt.datetime:
    """A stored instant in hall time, for showing it; a naive value is taken as UTC (as stored)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(HALL_TZ)
