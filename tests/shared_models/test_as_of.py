"""The as-of rule (shared_models.rules.as_of) that the server books by and the counter quotes by: each rule
on its own, then properties over any clocks; and the counter's offline quote and the server's allocation
agree for the same bills and the same as-of day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared_models.money import Fen
from shared_models.rules.allocation import OpenBill, allocate
from shared_models.rules.as_of import DEFAULT_SKEW, AsOfRule, ShiftSpan, late_fee_as_of
from shared_models.rules.hall_time import HALL_TZ, business_date
from shared_models.rules.late_fees import LateFeeRule, OpenPrincipal, late_fee_fen

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)  # 17:00 in the hall
OPENED = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)  # 09:00 in the hall
SHIFT = ShiftSpan(opened_at=OPENED)
TODAY = dt.date(2026, 11, 23)


def _hall(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=HALL_TZ)


class TestRules:
    @pytest.mark.parametrize(("taken_at", "shift", "queued_on", "day", "broken"), [
        (_hall(TODAY, 10), SHIFT, TODAY, TODAY, None),
        (_hall(TODAY, 17, 9), SHIFT, TODAY, TODAY, None),  # ahead within the allowance
        (_hall(TODAY, 17, 11), SHIFT, TODAY, TODAY, AsOfRule.IN_THE_FUTURE),
        (_hall(TODAY, 8, 51), SHIFT, TODAY, TODAY, None),  # before the opening within the allowance
        (_hall(TODAY, 8, 49), SHIFT, TODAY, TODAY, AsOfRule.BEFORE_SHIFT),
        (_hall(TODAY, 10), None, TODAY, TODAY, AsOfRule.BEFORE_SHIFT),
        (_hall(TODAY, 12), ShiftSpan(OPENED, _hall(TODAY, 11)), TODAY, TODAY, AsOfRule.AFTER_SHIFT),
        (_hall(TODAY, 10), SHIFT, TODAY - dt.timedelta(days=1), TODAY, AsOfRule.NOT_QUEUED_DAY),
        (None, SHIFT, TODAY, TODAY, AsOfRule.NO_TAKEN_AT),
        (_hall(TODAY, 10).replace(tzinfo=None), SHIFT, TODAY, TODAY, None),  # naive: the counter's hall time
    ], ids=["in-shift", "ahead-within", "ahead-beyond", "early-within", "before-shift", "no-shift", "after-close",
            "other-queued-day", "no-time", "naive"])
    def test_each_rule(self, taken_at: dt.datetime | None, shift: ShiftSpan | None, queued_on: dt.date,
                       day: dt.date, broken: AsOfRule | None) -> None:
        """Each rule, at its edge: within it the counter's day, outside it the server's with the rule named."""
        got = late_fee_as_of(taken_at=taken_at, server_now=NOW, shift=shift, queued_on=queued_on)
        assert (got.day, got.broken) == (day, broken)

    def test_days_earlier_within_the_shift(self) -> None:
        """Taken three days before the replay, in a shift open since then: that day, not the replay day."""
        opened = _hall(dt.date(2026, 11, 20), 8)
        got = late_fee_as_of(taken_at=_hall(dt.date(2026, 11, 20), 15), server_now=NOW,
                             shift=ShiftSpan(opened_at=opened), queued_on=dt.date(2026, 11, 20))
        assert (got.day, got.taken_on, got.broken) == (dt.date(2026, 11, 20), dt.date(2026, 11, 20), None)

    def test_ahead_within_the_allowance_past_midnight(self) -> None:
        """At the server's 23:55 a counter 9 minutes ahead says 00:04 of the next day: within the rules, so its
        day, the one its receipt's fee was computed for; 11 minutes ahead is the server's day, listed."""
        server_now = _hall(TODAY, 23, 55)
        tomorrow = TODAY + dt.timedelta(days=1)
        within = late_fee_as_of(taken_at=_hall(tomorrow, 0, 4), server_now=server_now, shift=SHIFT, queued_on=tomorrow)
        beyond = late_fee_as_of(taken_at=_hall(tomorrow, 0, 6), server_now=server_now, shift=SHIFT, queued_on=tomorrow)
        assert (within.day, within.broken) == (tomorrow, None)
        assert (beyond.day, beyond.taken_on, beyond.broken) == (TODAY, tomorrow, AsOfRule.IN_THE_FUTURE)

    def test_negative_skew_is_refused(self) -> None:
        """A negative allowance is a programming error."""
        with pytest.raises(ValueError, match="skew"):
            late_fee_as_of(taken_at=NOW, server_now=NOW, shift=SHIFT, queued_on=TODAY, skew=-DEFAULT_SKEW)


# hypothesis takes naive bounds and attaches the time zone itself
_moments = st.datetimes(min_value=dt.datetime(2025, 6, 1), max_value=dt.datetime(2027, 6, 1),  # noqa: DTZ001
                        timezones=st.just(dt.UTC))


@settings(max_examples=300, deadline=None)
@given(taken=_moments, now=_moments, opened=_moments, queued_shift=st.integers(-1, 1),
       skew_s=st.integers(0, 3600), closed_after_s=st.none() | st.integers(0, 10**6))
def test_properties(taken: dt.datetime, now: dt.datetime, opened: dt.datetime, queued_shift: int,  # noqa: PLR0917
                    skew_s: int, closed_after_s: int | None) -> None:
    """Never later than the server's day plus the allowance; the counter's day exactly when every rule holds;
    the server's day whenever a rule is broken."""
    skew = dt.timedelta(seconds=skew_s)
    closed = None if closed_after_s is None else opened + dt.timedelta(seconds=closed_after_s)
    queued_on = business_date(taken) + dt.timedelta(days=queued_shift)
    got = late_fee_as_of(taken_at=taken, server_now=now, shift=ShiftSpan(opened, closed), queued_on=queued_on,
                         skew=skew)
    today = business_date(now)
    assert got.day <= business_date(now + skew)
    assert got.taken_on == business_date(taken)
    holds = (taken <= now + skew and taken >= opened - skew and (closed is None or taken <= closed + skew)
             and queued_shift == 0)
    assert (got.broken is None) == holds
    assert got.day == (business_date(taken) if holds else today)


_RULE = LateFeeRule.non_residential()


@st.composite
def _bills(draw: st.DrawFn) -> list[tuple[dt.date, int]]:
    n = draw(st.integers(1, 4))
    return [(draw(st.dates(dt.date(2025, 10, 1), dt.date(2026, 12, 31))), draw(st.integers(1, 5_000_000)))
            for _ in range(n)]


@settings(max_examples=200, deadline=None)
@given(bills=_bills(), taken=_moments, days_later=st.integers(0, 10), share=st.decimals("0.01", "1.5", places=2))
def test_counter_quote_and_server_allocation_agree(bills: list[tuple[dt.date, int]], taken: dt.datetime,
                                                   days_later: int, share: Decimal) -> None:
    """For the same bills, the fee the counter quotes for its day (the shared late-fee rule to the as-of day
    of its own clock) and the fee the server books days later (to the as-of day the rule gives it) are the
    same, and so is every fen of the allocation."""
    shift = ShiftSpan(opened_at=taken - dt.timedelta(hours=1))
    now = taken + dt.timedelta(days=days_later)

    def open_bills(pay_on: dt.date) -> list[OpenBill]:
        return [OpenBill(bill_id=i, due_on=due, period=i, principal_fen=Fen(fen), late_fee_fen=late_fee_fen(
            principal=OpenPrincipal.unpaid(due_on=due, principal_fen=fen), pay_on=pay_on, rule=_RULE))
            for i, (due, fen) in enumerate(bills)]

    counter_day = late_fee_as_of(taken_at=taken, server_now=taken, shift=shift, queued_on=business_date(taken)).day
    server_day = late_fee_as_of(taken_at=taken, server_now=now, shift=shift, queued_on=business_date(taken)).day
    quoted = open_bills(counter_day)
    amount = max(1, int(sum(b.outstanding_fen for b in quoted) * share))
    assert allocate(bills=quoted, amount_fen=Fen(amount)) == allocate(bills=open_bills(server_day),
                                                                  amount_fen=Fen(amount))
