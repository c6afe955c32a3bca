"""Late-payment fees (电费违约金), DOMAIN.md §5: pure arithmetic on integer fen and Decimal rates.

The fee of one bill is the sum over its late days of (principal unpaid that day × daily rate), summed
exactly and rounded half up to the fen once. The base is principal only: fees already computed never
enter it (no compounding, §5.1). Rates are per mille per day and come from the rule version in force.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, Inexact, localcontext
from enum import StrEnum
from typing import Final

from shared_models.money import Fen, round_half_up_to_fen

#: The day-count convention, in one place. The first late day (逾期之日) is the day after the due
#: date (DOMAIN §5.3, [M]); late days then run through the payment date inclusive (至交纳日止, §5.1),
#: so a bill due on the 24th and paid on the 25th is one day late: late_days = pay_on − due_on (§5.3 [D]).
FIRST_LATE_DAY_OFFSET: Final = dt.timedelta(days=1)

_ONE_DAY: Final = dt.timedelta(days=1)
#: fen × permille → yuan: / 1000 (per mille) / 100 (fen per yuan).
_PERMILLE_FEN_PER_YUAN: Final = Decimal(100_000)
#: Enough digits that sums of 10^15 fen over centuries at 6-decimal rates stay exact (Inexact is trapped).
_PRECISION: Final = 60


class CrossYearRule(StrEnum):
    """How "arrears carried across a year end" (跨年度, DOMAIN §5.3 [M]) get the cross-year rate."""

    #: Days up to 31 Dec of the due date's year at the current-year rate, later days at the cross-year rate.
    SPLIT_BY_DAY = "split_by_day"
    #: Once paid in a later year than the due date's, every late day at the cross-year rate.
    WHOLE_BILL = "whole_bill"


@dataclass(frozen=True)
class LateFeeRule:
    """The late-fee terms of one customer category in one rule version.

    ``minimum_fen`` is the "below 1 yuan is collected as 1 yuan" minimum (DOMAIN §5.1); 0 disables it,
    as the 2024 供电营业规则 is reported to have dropped it (§5.2, unverified). A rate may be 0: many
    provinces charge residential customers no late fee (§5.3).
    """

    daily_permille_current: Decimal
    daily_permille_cross_year: Decimal
    cross_year: CrossYearRule = CrossYearRule.SPLIT_BY_DAY
    minimum_fen: int = 100

    def __post_init__(self) -> None:
        _check_rate("daily_permille_current", self.daily_permille_current)
        _check_rate("daily_permille_cross_year", self.daily_permille_cross_year)
        if not isinstance(self.cross_year, CrossYearRule):
            raise TypeError("cross_year must be a CrossYearRule")
        _check_fen("minimum_fen", self.minimum_fen)

    @classmethod
    def residential(cls, *, minimum_fen: int = 100) -> LateFeeRule:
        """Residential users: 1 ‰ per day of the arrears, whatever the year (DOMAIN §5.1)."""
        return cls(daily_permille_current=Decimal(1), daily_permille_cross_year=Decimal(1), minimum_fen=minimum_fen)

    @classmethod
    def non_residential(
        cls, *, cross_year: CrossYearRule = CrossYearRule.SPLIT_BY_DAY, minimum_fen: int = 100
    ) -> LateFeeRule:
        """Other users: 2 ‰ per day for current-year arrears, 3 ‰ for arrears carried across a year end."""
        return cls(
            daily_permille_current=Decimal(2),
            daily_permille_cross_year=Decimal(3),
            cross_year=cross_year,
            minimum_fen=minimum_fen,
        )


@dataclass(frozen=True)
class OpenPrincipal:
    """The unpaid principal of one bill over time.

    ``balances`` lists ``(date, fen)`` in increasing date order: from that date on (after the payments
    of that date), ``fen`` of principal is unpaid. A payment still bears the fee of the day it is made
    (the payment date is a late day, see ``FIRST_LATE_DAY_OFFSET``), so a balance recorded on day d is
    the base from day d + 1 on. The first entry must be on or before the due date.
    """

    due_on: dt.date
    balances: tuple[tuple[dt.date, int], ...]

    def __post_init__(self) -> None:
        _check_date("due_on", self.due_on)
        if not isinstance(self.balances, tuple) or not self.balances:
            raise ValueError("balances must be a non-empty tuple of (date, fen)")
        previous: dt.date | None = None
        for entry in self.balances:
            if not isinstance(entry, tuple) or len(entry) != 2:
                raise TypeError("each balance must be a (date, fen) tuple")
            on, fen = entry
            _check_date("balance date", on)
            _check_fen("balance", fen)
            if previous is not None and on <= previous:
                raise ValueError("balance dates must be strictly increasing")
            previous = on
        if self.balances[0][0] > _first_late_day(self.due_on) - _ONE_DAY:
            raise ValueError("the first balance must be dated on or before the due date")

    @classmethod
    def unpaid(cls, *, due_on: dt.date, principal_fen: int) -> OpenPrincipal:
        """A bill of which nothing has been paid."""
        return cls(due_on=due_on, balances=((due_on, principal_fen),))


def late_days(*, due_on: dt.date, pay_on: dt.date) -> int:
    """Number of late days when paying on ``pay_on`` (0 when paid on or before the due date)."""
    _check_date("due_on", due_on)
    _check_date("pay_on", pay_on)
    return max((pay_on - _first_late_day(due_on)).days + 1, 0)


def late_fee_fen(
    *, principal: OpenPrincipal, pay_on: dt.date, rule: LateFeeRule, already_charged_fen: int = 0
) -> Fen:
    """The late fee (fen) still to charge on one bill paid on ``pay_on``.

    The whole fee from the first late day through ``pay_on`` is computed, the minimum applied to it,
    and ``already_charged_fen`` (fees of this bill already posted) subtracted; never below 0.
    """
    if not isinstance(principal, OpenPrincipal):
        raise TypeError("principal must be an OpenPrincipal")
    if not isinstance(rule, LateFeeRule):
        raise TypeError("rule must be a LateFeeRule")
    _check_date("pay_on", pay_on)
    _check_fen("already_charged_fen", already_charged_fen)
    total = _total_fee_fen(principal=principal, pay_on=pay_on, rule=rule)
    if total > 0:  # a fee that rounds to nothing is no fee, so the minimum cannot create one
        total = Fen(max(total, rule.minimum_fen))
    return Fen(max(total - already_charged_fen, 0))


@dataclass(frozen=True)
class LateFeeOnDay:
    """A bill as of the day it would be paid: its late days and the late fee still to charge."""

    late_days: int
    late_fee_fen: Fen


def late_fee_on(*, principal: OpenPrincipal, rule: LateFeeRule, already_charged_fen: int, pay_on: dt.date
                ) -> LateFeeOnDay:
    """The late-fee inputs of one bill (unpaid principal by day, its rule, fees already charged) read for
    ``pay_on``: what the server's books and the counter's cache both show for a bill on that day."""
    return LateFeeOnDay(late_days=late_days(due_on=principal.due_on, pay_on=pay_on),
                        late_fee_fen=late_fee_fen(principal=principal, pay_on=pay_on, rule=rule,
                                                  already_charged_fen=already_charged_fen))


def _total_fee_fen(*, principal: OpenPrincipal, pay_on: dt.date, rule: LateFeeRule) -> Fen:
    """The whole fee from the first late day through ``pay_on``, rounded once, before the minimum."""
    due_on = principal.due_on
    first = _first_late_day(due_on)
    if pay_on < first:
        return Fen(0)
    whole_bill_crossed = pay_on.year > due_on.year
    dates = [on for on, _ in principal.balances]
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        ctx.traps[Inexact] = True  # the sum must be exact; the only rounding is the final one
        total = Decimal(0)
        for start, days in _segments(principal=principal, first=first, last=pay_on, rule=rule):
            # the base of a day is the principal unpaid at its start: the balance of the day before
            base_fen = principal.balances[bisect_right(dates, start - _ONE_DAY) - 1][1]
            whole_bill = rule.cross_year is CrossYearRule.WHOLE_BILL
            cross = whole_bill_crossed if whole_bill else start.year > due_on.year
            rate = rule.daily_permille_cross_year if cross else rule.daily_permille_current
            total += base_fen * days * rate
        ctx.traps[Inexact] = False
        return round_half_up_to_fen(total / _PERMILLE_FEN_PER_YUAN)


def _segments(
    *, principal: OpenPrincipal, first: dt.date, last: dt.date, rule: LateFeeRule
) -> Iterator[tuple[dt.date, int]]:
    """Runs of late days with one base and one rate, as ``(first day, number of days)``."""
    breaks = {on + _ONE_DAY for on, _ in principal.balances}
    if rule.cross_year is CrossYearRule.SPLIT_BY_DAY:
        breaks.update(dt.date(year, 1, 1) for year in range(principal.due_on.year + 1, last.year + 1))
    start = first
    for cut in sorted(b for b in breaks if first < b <= last):
        yield start, (cut - start).days
        start = cut
    yield start, (last - start).days + 1


def _first_late_day(due_on: dt.date) -> dt.date:
    return due_on + FIRST_LATE_DAY_OFFSET


def _check_date(name: str, value: object) -> None:
    # datetime is a date subclass; a timestamp here would mean a missed conversion to the local date
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise TypeError(f"{name} must be a datetime.date")


def _check_fen(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int amount in fen")
    if value < 0:
        raise ValueError(f"{name} must not be negative")


def _check_rate(name: str, value: object) -> None:
    if not isinstance(value, Decimal):  # a float rate would carry binary noise into the books
        raise TypeError(f"{name} must be a Decimal (parse it with parse_price)")
    if not value.is_finite() or value < 0:
        raise ValueError(f"{name} must be a finite, non-negative number of per mille")
