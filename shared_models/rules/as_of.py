"""The day a payment's late fee runs to (至交纳日止, DOMAIN §5.1), for the server and the counter alike.

The late fee runs to the day the customer paid. Online that is the server's day. A payment accepted
offline is booked when the counter's outbox replays it, maybe days later; it is allocated as of the day
the counter took it (the hall date of its ``local_time``), which is also the day the counter's offline
quote and receipt are computed for, when that time is plausible:

* not in the future of the server's clock by more than the skew allowance;
* not before the shift it belongs to opened (the latest shift of the cashier at the counter opened by
  then, skew allowed), nor after that shift closed;
* not on another day than the one the outbox queued it: the outbox's ``created_at`` does not travel, but
  the receipt number it minted in the same local transaction carries that day, and the server reads it.

Within the rules the counter's day is used even when a counter a few minutes ahead is already past the
server's midnight: that is the day its receipt's fee was computed for. Otherwise the payment is allocated
as of the replay day (the server's) and listed for the supervisor with both dates (``AsOfRule`` names the
rule broken). Pure: the callers read the clocks and the shift.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from shared_models.rules.hall_time import as_hall_time, business_date

#: The default skew allowance between a counter's clock and the server's (the server's setting
#: ``clock_skew_s``, GRIDCOUNTER_CLOCK_SKEW_S, overrides it).
DEFAULT_SKEW: Final = dt.timedelta(minutes=10)


class AsOfRule(StrEnum):
    """The rule a counter's taken-at time broke, so the replay day was used instead."""

    #: The payment carries no taken-at time (``local_time``).
    NO_TAKEN_AT = "no_taken_at"
    #: Later than the server's clock plus the skew allowance.
    IN_THE_FUTURE = "in_the_future"
    #: Before the shift it belongs to opened (no shift of the cashier at this counter open by then).
    BEFORE_SHIFT = "before_shift"
    #: After the shift it belongs to closed.
    AFTER_SHIFT = "after_shift"
    #: On another day than the one its outbox queued it (the receipt number's day).
    NOT_QUEUED_DAY = "not_queued_day"


@dataclass(frozen=True)
class ShiftSpan:
    """When the shift a payment belongs to opened, and closed (None while open), as instants."""

    opened_at: dt.datetime
    closed_at: dt.datetime | None = None


@dataclass(frozen=True)
class AsOf:
    """The day the late fee runs to, the counter's day, and the rule broken (None: the counter's day)."""

    day: dt.date
    taken_on: dt.date | None
    broken: AsOfRule | None


def late_fee_as_of(
    *, taken_at: dt.datetime | None, server_now: dt.datetime, shift: ShiftSpan | None, queued_on: dt.date,
    skew: dt.timedelta = DEFAULT_SKEW,
) -> AsOf:
    """The as-of day of a payment accepted offline (see the module doc).

    ``shift`` is the cashier's latest shift at the counter opened by ``taken_at`` + ``skew`` (None when
    there is none); ``queued_on`` is the day of the receipt number the outbox minted.
    """
    if skew < dt.timedelta(0):
        raise ValueError("skew must not be negative")
    today = business_date(server_now)
    if taken_at is None:
        return AsOf(day=today, taken_on=None, broken=AsOfRule.NO_TAKEN_AT)
    taken = as_hall_time(taken_at)
    taken_on = business_date(taken)
    broken: AsOfRule | None = None
    if taken > as_hall_time(server_now) + skew:
        broken = AsOfRule.IN_THE_FUTURE
    elif shift is None or taken < as_hall_time(shift.opened_at) - skew:
        broken = AsOfRule.BEFORE_SHIFT
    elif shift.closed_at is not None and taken > as_hall_time(shift.closed_at) + skew:
        broken = AsOfRule.AFTER_SHIFT
    elif taken_on != queued_on:
        broken = AsOfRule.NOT_QUEUED_DAY
    # within the rules the counter's day is booked even when, a few minutes ahead, it is already past the
    # server's midnight: the counter computed the receipt's late fee for that day (``CustomerCache``)
    return AsOf(day=today if broken else taken_on, taken_on=taken_on, broken=broken)
