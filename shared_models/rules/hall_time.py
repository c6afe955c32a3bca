"""The hall's clock, one home for the counter and the server: business days are China dates (UTC+8, no
daylight saving), and a counter time without an offset is hall time."""

from __future__ import annotations

import datetime as dt
from typing import Final

HALL_TZ: Final = dt.timezone(dt.timedelta(hours=8), "CST")


def as_hall_time(moment: dt.datetime) -> dt.datetime:
    """``moment`` with its offset; a naive time (a counter's clock) is taken as hall time."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=HALL_TZ)
