"""Billing periods ``yyyymm``: their days, the bill number and due date a released bill gets."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Final

#: Days from issue to the due date (交费期限): a local rule (DOMAIN §5.3), the same for every bill run.
DUE_DAYS: Final = 20


def first_day(period: int) -> dt.date:
    """The 1st of the period's month."""
    return dt.date(period // 100, period % 100, 1)


def last_day(period: int) -> dt.date:
    """The last day of the period's month."""
    year, month = period // 100, period % 100
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def previous_period(period: int) -> int:
    """The month before ``period``."""
    year, month = period // 100, period % 100
    return (year - 1) * 100 + 12 if month == 1 else period - 1


def bill_no(*, period: int, customer_no: str, correction: int = 0) -> str:
    """``<period>-<户号>`` for the period's bill; its n-th 退补 correction is ``<period>-<户号>-C<n>``."""
    base = f"{period}-{customer_no}"
    return f"{base}-C{correction}" if correction else base


def due_on(issued_on: dt.date) -> dt.date:
    """The due date of a bill issued on ``issued_on``."""
    return issued_on + dt.timedelta(days=DUE_DAYS)
