"""Late-payment fees (DOMAIN.md §5): worked examples by hand, then properties against a day-by-day reference."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared_models.rules.late_fees import (
    FIRST_LATE_DAY_OFFSET,
    CrossYearRule,
    LateFeeRule,
    OpenPrincipal,
    late_days,
    late_fee_fen,
)

D = dt.date
NO_MINIMUM = 0
#: Pure and fast: no example database on disk (another suite runs concurrently), no timing deadline.
FAST = settings(max_examples=200, deadline=None, database=None)


def _fee(principal_fen: int, due_on: dt.date, pay_on: dt.date, rule: LateFeeRule) -> int:
    return late_fee_fen(principal=OpenPrincipal.unpaid(due_on=due_on, principal_fen=principal_fen),
                        pay_on=pay_on, rule=rule)


def _reference_fee(principal: OpenPrincipal, pay_on: dt.date, rule: LateFeeRule) -> int:
    """Day by day in exact fractions, rounded half up once; no minimum, nothing already charged."""
    total = Fraction(0)
    day = principal.due_on + dt.timedelta(days=1)
    while day <= pay_on:
        base = [fen for on, fen in principal.balances if on < day][-1]  # unpaid at the start of the day
        if rule.cross_year is CrossYearRule.WHOLE_BILL:
            cross = pay_on.year > principal.due_on.year
        else:
            cross = day.year > principal.due_on.year
        rate = rule.daily_permille_cross_year if cross else rule.daily_permille_current
        total += Fraction(base) * Fraction(rate) / 1000
        day += dt.timedelta(days=1)
    return int(total + Fraction(1, 2)) if total > 0 else 0  # half up, fen


class TestConvention:
    def test_first_late_day_is_the_day_after_the_due_date(self) -> None:
        """The convention constant puts the first late day one day after the due date."""
        assert FIRST_LATE_DAY_OFFSET.days == 1

    def test_late_days_run_through_the_payment_date(self) -> None:
        """Due on the 24th: paying on the 25th is one late day, on the 24th none (DOMAIN §5.3)."""
        assert late_days(due_on=D(2024, 3, 24), pay_on=D(2024, 3, 25)) == 1
        assert late_days(due_on=D(2024, 3, 24), pay_on=D(2024, 3, 24)) == 0
        assert late_days(due_on=D(2024, 3, 24), pay_on=D(2024, 3, 1)) == 0
        assert late_days(due_on=D(2024, 3, 24), pay_on=D(2024, 4, 3)) == 10

    def test_leap_day_is_a_late_day(self) -> None:
        """February 29 counts as a calendar day of default."""
        assert late_days(due_on=D(2024, 2, 28), pay_on=D(2024, 3, 1)) == 2
        assert late_days(due_on=D(2023, 2, 28), pay_on=D(2023, 3, 1)) == 1


class TestResidential:
    def test_hundred_yuan_ten_days_is_one_yuan(self) -> None:
        """100.00 yuan at 1 ‰ for 10 days: 10000 × 10 × 0.001 = 100 fen = 1.00 yuan."""
        assert _fee(10_000, D(2024, 3, 24), D(2024, 4, 3), LateFeeRule.residential()) == 100

    def test_residential_rate_does_not_change_across_a_year_end(self) -> None:
        """Residential arrears stay at 1 ‰ after 1 January: 1000.00 yuan × 20 days = 20.00 yuan."""
        assert _fee(100_000, D(2023, 12, 21), D(2024, 1, 10), LateFeeRule.residential()) == 2_000

    def test_payment_on_the_due_date_costs_nothing(self) -> None:
        """Paying on or before the due date gives 0, and the minimum does not turn 0 into 1 yuan."""
        rule = LateFeeRule.residential()
        assert _fee(10_000, D(2024, 3, 24), D(2024, 3, 24), rule) == 0
        assert _fee(10_000, D(2024, 3, 24), D(2024, 3, 2), rule) == 0

    def test_leap_year(self) -> None:
        """1000.00 yuan due 28 Feb 2024, paid 1 Mar: two late days (29 Feb counts) = 2.00 yuan."""
        rule = LateFeeRule.residential()
        assert _fee(100_000, D(2024, 2, 28), D(2024, 3, 1), rule) == 200
        assert _fee(100_000, D(2023, 2, 28), D(2023, 3, 1), rule) == 100


class TestCrossYear:
    def test_split_by_day(self) -> None:
        """1000.00 yuan due 21 Dec, paid 10 Jan: 10 days at 2 ‰ (20.00) + 10 days at 3 ‰ (30.00)."""
        rule = LateFeeRule.non_residential(cross_year=CrossYearRule.SPLIT_BY_DAY)
        assert _fee(100_000, D(2023, 12, 21), D(2024, 1, 10), rule) == 5_000

    def test_whole_bill(self) -> None:
        """Same bill under the whole-bill reading: all 20 days at 3 ‰ = 60.00 yuan."""
        rule = LateFeeRule.non_residential(cross_year=CrossYearRule.WHOLE_BILL)
        assert _fee(100_000, D(2023, 12, 21), D(2024, 1, 10), rule) == 6_000

    def test_paid_before_the_year_end_is_current_year_under_both(self) -> None:
        """Paid on 31 Dec the bill never crossed a year end: 10 days at 2 ‰ = 20.00 yuan."""
        for reading in CrossYearRule:
            rule = LateFeeRule.non_residential(cross_year=reading)
            assert _fee(100_000, D(2023, 12, 21), D(2023, 12, 31), rule) == 2_000

    def test_due_on_new_years_eve(self) -> None:
        """Due 31 Dec: every late day is in the next year, so 3 ‰ from the first: 5 days = 15.00 yuan."""
        rule = LateFeeRule.non_residential()
        assert _fee(100_000, D(2023, 12, 31), D(2024, 1, 5), rule) == 1_500

    def test_two_year_ends(self) -> None:
        """Due 30 Dec 2022, paid 2 Jan 2024: 1 day at 2 ‰, then 365 + 2 days at 3 ‰."""
        rule = LateFeeRule.non_residential()
        assert _fee(100_000, D(2022, 12, 30), D(2024, 1, 2), rule) == 200 + 367 * 300

    def test_leap_year_across_a_year_end(self) -> None:
        """Due 31 Dec 2023, paid 31 Dec 2024: 366 days (2024 is leap) at 3 ‰ = 1098.00 yuan."""
        rule = LateFeeRule.non_residential()
        assert _fee(100_000, D(2023, 12, 31), D(2024, 12, 31), rule) == 366 * 300


class TestPartialPayments:
    #: 10 000.00 yuan due 10 March; 4 000.00 paid on 15 March leaves 6 000.00 from then on.
    PARTLY_PAID = OpenPrincipal(due_on=D(2024, 3, 10),
                                balances=((D(2024, 3, 10), 1_000_000), (D(2024, 3, 15), 600_000)))

    def test_partial_payment_lowers_the_base(self) -> None:
        """Days 11–15 on 10 000.00 (50.00) then days 16–20 on 6 000.00 (30.00) at 1 ‰ = 80.00 yuan."""
        fee = late_fee_fen(principal=self.PARTLY_PAID, pay_on=D(2024, 3, 20), rule=LateFeeRule.residential())
        assert fee == 8_000

    def test_payment_day_bears_its_fee(self) -> None:
        """The fee due with a payment is the same whether or not that payment is already in the balances."""
        rule = LateFeeRule.residential()
        before = OpenPrincipal.unpaid(due_on=D(2024, 3, 10), principal_fen=1_000_000)
        on_day = D(2024, 3, 15)
        assert late_fee_fen(principal=before, pay_on=on_day, rule=rule) == 5_000
        assert late_fee_fen(principal=self.PARTLY_PAID, pay_on=on_day, rule=rule) == 5_000

    def test_fees_already_charged_are_subtracted(self) -> None:
        """50.00 charged with the partial payment leaves 30.00 to charge with the final one."""
        fee = late_fee_fen(principal=self.PARTLY_PAID, pay_on=D(2024, 3, 20), rule=LateFeeRule.residential(),
                           already_charged_fen=5_000)
        assert fee == 3_000

    def test_never_negative(self) -> None:
        """More already charged than the whole fee gives 0, not a refund."""
        fee = late_fee_fen(principal=self.PARTLY_PAID, pay_on=D(2024, 3, 20), rule=LateFeeRule.residential(),
                           already_charged_fen=9_999)
        assert fee == 0

    def test_fully_paid_principal_stops_the_fee(self) -> None:
        """After the principal reaches 0 no day adds anything."""
        principal = OpenPrincipal(due_on=D(2024, 3, 10), balances=((D(2024, 3, 10), 1_000_000), (D(2024, 3, 15), 0)))
        rule = LateFeeRule.residential()
        assert late_fee_fen(principal=principal, pay_on=D(2024, 6, 1), rule=rule) == 5_000


class TestMinimumAndRounding:
    def test_minimum_on(self) -> None:
        """100.00 yuan 3 days at 1 ‰ is 0.30 yuan, collected as 1.00 yuan."""
        assert _fee(10_000, D(2024, 3, 24), D(2024, 3, 27), LateFeeRule.residential()) == 100

    def test_minimum_off(self) -> None:
        """With the minimum disabled (2024 rules, unverified) the same fee is 0.30 yuan."""
        assert _fee(10_000, D(2024, 3, 24), D(2024, 3, 27), LateFeeRule.residential(minimum_fen=NO_MINIMUM)) == 30

    def test_minimum_counts_toward_later_fees(self) -> None:
        """A 1-yuan minimum charged earlier covers a later total still under 1 yuan."""
        rule = LateFeeRule.residential()
        principal = OpenPrincipal.unpaid(due_on=D(2024, 3, 24), principal_fen=10_000)
        assert late_fee_fen(principal=principal, pay_on=D(2024, 3, 30), rule=rule, already_charged_fen=100) == 0

    def test_zero_rate_is_no_fee_even_with_the_minimum(self) -> None:
        """A category charged no late fee (rate 0) pays nothing, minimum or not."""
        rule = LateFeeRule(daily_permille_current=Decimal(0), daily_permille_cross_year=Decimal(0))
        assert _fee(10_000, D(2024, 3, 24), D(2025, 3, 27), rule) == 0

    def test_fee_rounding_to_nothing_gets_no_minimum(self) -> None:
        """0.40 yuan of principal, 1 day at 1 ‰, is 0.04 fen: rounds to 0, so no fee at all."""
        assert _fee(40, D(2024, 3, 24), D(2024, 3, 25), LateFeeRule.residential()) == 0

    def test_total_is_rounded_once_half_up(self) -> None:
        """5.00 yuan for 3 days at 1 ‰ is 1.5 fen → 2 fen (rounding each day would give 3)."""
        rule = LateFeeRule.residential(minimum_fen=NO_MINIMUM)
        assert _fee(500, D(2024, 3, 24), D(2024, 3, 25), rule) == 1  # 0.5 fen rounds up
        assert _fee(500, D(2024, 3, 24), D(2024, 3, 27), rule) == 2

    def test_fractional_rate(self) -> None:
        """A local rate of 0.5 ‰ is applied exactly: 1000.00 yuan × 7 days = 3.50 yuan."""
        rule = LateFeeRule(daily_permille_current=Decimal("0.5"), daily_permille_cross_year=Decimal("0.5"))
        assert _fee(100_000, D(2024, 3, 24), D(2024, 3, 31), rule) == 350


class TestValidation:
    def test_float_rate_is_refused(self) -> None:
        """A float rate is refused: rates are Decimal parsed from strings."""
        with pytest.raises(TypeError):
            LateFeeRule(daily_permille_current=0.001, daily_permille_cross_year=Decimal(1))  # type: ignore[arg-type]

    def test_negative_or_nan_rate_is_refused(self) -> None:
        """Rates are finite and not negative."""
        with pytest.raises(ValueError, match="per mille"):
            LateFeeRule(daily_permille_current=Decimal(-1), daily_permille_cross_year=Decimal(1))
        with pytest.raises(ValueError, match="per mille"):
            LateFeeRule(daily_permille_current=Decimal("NaN"), daily_permille_cross_year=Decimal(1))

    def test_bool_and_float_amounts_are_refused(self) -> None:
        """Amounts are int fen: bool and float are refused."""
        with pytest.raises(TypeError):
            LateFeeRule.residential(minimum_fen=True)
        with pytest.raises(TypeError):
            OpenPrincipal.unpaid(due_on=D(2024, 1, 1), principal_fen=1.0)  # type: ignore[arg-type]
        principal = OpenPrincipal.unpaid(due_on=D(2024, 1, 1), principal_fen=100)
        with pytest.raises(TypeError):
            late_fee_fen(principal=principal, pay_on=D(2024, 2, 1), rule=LateFeeRule.residential(),
                         already_charged_fen=False)

    def test_negative_amounts_are_refused(self) -> None:
        """A negative principal, minimum or amount already charged is refused."""
        with pytest.raises(ValueError, match="negative"):
            OpenPrincipal.unpaid(due_on=D(2024, 1, 1), principal_fen=-1)
        with pytest.raises(ValueError, match="negative"):
            LateFeeRule.residential(minimum_fen=-1)
        principal = OpenPrincipal.unpaid(due_on=D(2024, 1, 1), principal_fen=100)
        with pytest.raises(ValueError, match="negative"):
            late_fee_fen(principal=principal, pay_on=D(2024, 2, 1), rule=LateFeeRule.residential(),
                         already_charged_fen=-1)

    def test_datetime_is_refused(self) -> None:
        """Dates are local calendar dates; a datetime means a missed conversion."""
        principal = OpenPrincipal.unpaid(due_on=D(2024, 1, 1), principal_fen=100)
        with pytest.raises(TypeError):
            late_fee_fen(principal=principal, pay_on=dt.datetime(2024, 2, 1, tzinfo=dt.UTC),
                         rule=LateFeeRule.residential())

    def test_balances_must_be_ordered_and_start_by_the_due_date(self) -> None:
        """Balances are strictly increasing in date and known from the due date on."""
        with pytest.raises(ValueError, match="increasing"):
            OpenPrincipal(due_on=D(2024, 1, 1), balances=((D(2024, 1, 1), 100), (D(2024, 1, 1), 50)))
        with pytest.raises(ValueError, match="due date"):
            OpenPrincipal(due_on=D(2024, 1, 1), balances=((D(2024, 1, 2), 100),))
        with pytest.raises(ValueError, match="non-empty"):
            OpenPrincipal(due_on=D(2024, 1, 1), balances=())

    def test_balances_before_the_due_date_are_allowed(self) -> None:
        """A bill partly paid before its due date is late only on what is left."""
        principal = OpenPrincipal(due_on=D(2024, 3, 24), balances=((D(2024, 3, 1), 20_000), (D(2024, 3, 20), 10_000)))
        assert late_fee_fen(principal=principal, pay_on=D(2024, 4, 3), rule=LateFeeRule.residential()) == 100


# --- properties ------------------------------------------------------------------------------------

_RATES = st.decimals(min_value=0, max_value=5, places=3)


@st.composite
def _rules(draw: st.DrawFn, *, minimum: bool = False) -> LateFeeRule:
    current = draw(_RATES)
    cross = current + draw(_RATES)  # the cross-year rate is never the lower one
    return LateFeeRule(
        daily_permille_current=current,
        daily_permille_cross_year=cross,
        cross_year=draw(st.sampled_from(CrossYearRule)),
        minimum_fen=draw(st.sampled_from([0, 100])) if minimum else 0,
    )


@st.composite
def _principals(draw: st.DrawFn) -> OpenPrincipal:
    due_on = draw(st.dates(min_value=D(2019, 1, 1), max_value=D(2030, 12, 31)))
    balance = draw(st.integers(min_value=0, max_value=10**9))
    start = due_on - dt.timedelta(days=draw(st.integers(min_value=0, max_value=40)))
    balances = [(start, balance)]
    for gap in draw(st.lists(st.integers(min_value=1, max_value=200), max_size=4)):
        balance = draw(st.integers(min_value=0, max_value=balance))
        balances.append((balances[-1][0] + dt.timedelta(days=gap), balance))
    return OpenPrincipal(due_on=due_on, balances=tuple(balances))


_DAYS = st.integers(min_value=-5, max_value=900)


class TestLateFeeProperties:
    @FAST
    @given(principal=_principals(), days=_DAYS, rule=_rules())
    def test_matches_day_by_day_reference(self, principal: OpenPrincipal, days: int, rule: LateFeeRule) -> None:
        """The segment sum equals an exact day-by-day sum rounded once (no minimum)."""
        pay_on = principal.due_on + dt.timedelta(days=days)
        assert late_fee_fen(principal=principal, pay_on=pay_on, rule=rule) == _reference_fee(principal, pay_on, rule)

    @FAST
    @given(principal=_principals(), days=_DAYS, more=st.integers(min_value=0, max_value=500),
           rule=_rules(minimum=True))
    def test_monotonic_in_days(self, principal: OpenPrincipal, days: int, more: int, rule: LateFeeRule) -> None:
        """Paying later never costs less."""
        pay_on = principal.due_on + dt.timedelta(days=days)
        later = pay_on + dt.timedelta(days=more)
        assert late_fee_fen(principal=principal, pay_on=pay_on, rule=rule) <= late_fee_fen(
            principal=principal, pay_on=later, rule=rule)

    @FAST
    @given(principal=_principals(), days=_DAYS, rule=_rules(minimum=True),
           charged=st.integers(min_value=0, max_value=10**12))
    def test_never_negative(self, principal: OpenPrincipal, days: int, rule: LateFeeRule, charged: int) -> None:
        """Whatever was already charged, the fee is 0 or more, and charges only subtract."""
        pay_on = principal.due_on + dt.timedelta(days=days)
        whole = late_fee_fen(principal=principal, pay_on=pay_on, rule=rule)
        fee = late_fee_fen(principal=principal, pay_on=pay_on, rule=rule, already_charged_fen=charged)
        assert fee == max(whole - charged, 0)
        assert fee >= 0

    @FAST
    @given(principal=_principals(), days=_DAYS, more=st.integers(min_value=0, max_value=500),
           rule=_rules(minimum=True))
    def test_not_compounded(self, principal: OpenPrincipal, days: int, more: int, rule: LateFeeRule) -> None:
        """Charging at an earlier date then again later totals exactly the one-shot fee: fees never enter the base."""
        first_on = principal.due_on + dt.timedelta(days=days)
        second_on = first_on + dt.timedelta(days=more)
        first = late_fee_fen(principal=principal, pay_on=first_on, rule=rule)
        second = late_fee_fen(principal=principal, pay_on=second_on, rule=rule, already_charged_fen=first)
        assert first + second == late_fee_fen(principal=principal, pay_on=second_on, rule=rule)

    @FAST
    @given(principal=_principals(), days=st.integers(min_value=1, max_value=900), rule=_rules(minimum=True),
           paid=st.integers(min_value=0, max_value=10**9))
    def test_payment_of_the_day_does_not_change_its_fee(
        self, principal: OpenPrincipal, days: int, rule: LateFeeRule, paid: int
    ) -> None:
        """Recording a partial payment made on the payment date leaves that date's fee unchanged."""
        pay_on = principal.due_on + dt.timedelta(days=days)
        kept = tuple((on, fen) for on, fen in principal.balances if on < pay_on)  # never empty: pay_on > due_on
        recorded = OpenPrincipal(due_on=principal.due_on, balances=(*kept, (pay_on, max(kept[-1][1] - paid, 0))))
        unrecorded = OpenPrincipal(due_on=principal.due_on, balances=kept)
        assert late_fee_fen(principal=recorded, pay_on=pay_on, rule=rule) == late_fee_fen(
            principal=unrecorded, pay_on=pay_on, rule=rule)

    @FAST
    @given(principal_fen=st.integers(min_value=0, max_value=10**9), days=st.integers(min_value=0, max_value=900),
           permille=_RATES)
    def test_constant_principal_is_linear(self, principal_fen: int, days: int, permille: Decimal) -> None:
        """With one balance and one rate the fee is principal × days × rate rounded once: nothing grows the base."""
        rule = LateFeeRule(daily_permille_current=permille, daily_permille_cross_year=permille, minimum_fen=0)
        due_on = D(2024, 6, 30)
        fee = _fee(principal_fen, due_on, due_on + dt.timedelta(days=days), rule)
        exact = Fraction(principal_fen * days) * Fraction(permille) / 1000
        assert fee == int(exact + Fraction(1, 2))
