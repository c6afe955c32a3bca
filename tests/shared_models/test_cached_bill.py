"""CachedBill: the late fee of any day from the cached inputs, and a payment booked into them as the
server's books record it (the principal lower from the payment's day, the fee paid counted as charged)."""

from __future__ import annotations

import datetime as dt

from shared_models.methods.cache import CachedBill, LateFeeTerms, PrincipalStep
from shared_models.rules.late_fees import CrossYearRule

DUE = dt.date(2026, 12, 20)


def _bill(open_fen: int = 100_000) -> CachedBill:
    """A non-residential bill (2 ‰ a day, 3 ‰ across the year end) of 1 000.00, nothing paid."""
    terms = LateFeeTerms(daily_permille_current="2.000000", daily_permille_cross_year="3.000000",
                         cross_year=CrossYearRule.SPLIT_BY_DAY, minimum_fen=100)
    return CachedBill(bill_no="202611-3301000002", period=202611, kwh="1200.00", amount_fen=open_fen,
                      principal_open_fen=open_fen, issued_on=dt.date(2026, 12, 5), due_on=DUE,
                      steps=[PrincipalStep(on=DUE, open_fen=open_fen)], fee_charged_fen=0, terms=terms)


class TestViewOn:
    def test_fee_grows_a_day_at_a_time_and_across_the_year_end(self) -> None:
        """Worked by hand: to the 30th, 10 days at 2 ‰ of 1 000.00 = 20.00; to 1 January, 11 December days
        (22.00) and one at the cross-year 3 ‰ (3.00)."""
        bill = _bill()
        assert (bill.view_on(DUE).late_days, bill.view_on(DUE).late_fee_fen) == (0, 0)
        assert bill.view_on(dt.date(2026, 12, 30)).late_fee_fen == 2_000
        view = bill.view_on(dt.date(2027, 1, 1))
        assert (view.late_days, view.late_fee_fen) == (12, 2_500)


class TestAfterPayment:
    def test_before_the_due_date_lowers_the_whole_base(self) -> None:
        """Half paid before the due date: one step, of the half, and the fee runs on it."""
        paid = _bill().after_payment(day=dt.date(2026, 12, 10), principal_fen=50_000, late_fee_fen=0)
        assert [(s.on, s.open_fen) for s in paid.steps] == [(DUE, 50_000)]
        assert paid.view_on(dt.date(2026, 12, 30)).late_fee_fen == 1_000

    def test_after_the_due_date_the_base_falls_from_that_day(self) -> None:
        """Paid on the 25th with its fee (10.00) and half the principal: 5 days on 1 000.00 charged, then
        the half from the 26th; on the 30th the fee still open is 5 days on 500.00."""
        bill = _bill()
        fee = bill.view_on(dt.date(2026, 12, 25)).late_fee_fen
        assert fee == 1_000
        paid = bill.after_payment(day=dt.date(2026, 12, 25), principal_fen=50_000, late_fee_fen=fee)
        assert [(s.on, s.open_fen) for s in paid.steps] == [(DUE, 100_000), (dt.date(2026, 12, 25), 50_000)]
        assert (paid.principal_open_fen, paid.fee_charged_fen) == (50_000, 1_000)
        assert paid.view_on(dt.date(2026, 12, 25)).late_fee_fen == 0
        assert paid.view_on(dt.date(2026, 12, 30)).late_fee_fen == 500

    def test_two_payments_the_same_day_make_one_step(self) -> None:
        """A second payment on the same day replaces that day's balance."""
        day = dt.date(2026, 12, 25)
        once = _bill().after_payment(day=day, principal_fen=30_000, late_fee_fen=1_000)
        twice = once.after_payment(day=day, principal_fen=20_000, late_fee_fen=0)
        assert [(s.on, s.open_fen) for s in twice.steps] == [(DUE, 100_000), (day, 50_000)]
        assert twice.fee_charged_fen == 1_000
