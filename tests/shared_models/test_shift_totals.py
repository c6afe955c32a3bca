"""A shift's totals and drawer (``shared_models.rules.shift_totals``): the server's figures from its books and the
offline counter's from its outbox agree for the same payments, and the close's co-sign rule."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, NamedTuple, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Row

from client.core.offline_shift import provisional_summary
from client.core.outbox.items import ItemState, OutboxItem
from server.services.shift_summary import payment_parts
from shared_models.ids import IdempotencyKey
from shared_models.methods.payments import PAY, VOID_ATTESTED, BusinessType, TenderMethod
from shared_models.methods.shifts import ShiftInfo
from shared_models.rules.hall_time import HALL_TZ
from shared_models.rules.shift_totals import (
    CashCountError,
    PaymentParts,
    cosign_needed,
    count_line_fen,
    counted_cash_fen,
    drawer_at_close,
    drawer_expected_fen,
    expected_cash_fen,
    shift_totals,
)

AT = dt.datetime(2026, 11, 23, 9, 0, tzinfo=HALL_TZ)
SHIFT_NO = "H0101-20261123-01"


class Paid(NamedTuple):
    """One payment as drawn: its tenders, where its money went, and whether it was voided."""

    tenders: list[tuple[TenderMethod, int]]
    late_fee_fen: int
    prepayment_fen: int
    voided: bool

    @property
    def amount_fen(self) -> int:
        return sum(amount for _, amount in self.tenders)


class _PaymentRow(NamedTuple):
    """The columns ``server.services.shift_summary._PAYMENTS`` reads per payment."""

    amount_fen: int
    tenders: list[list[Any]]
    principal_fen: int
    late_fee_fen: int
    to_prepayment_fen: int
    voided_at: dt.datetime | None


@st.composite
def paid(draw: st.DrawFn) -> Paid:
    """A payment: one to four tenders of distinct methods, a late fee and a prepayment part within its amount."""
    methods = draw(st.lists(st.sampled_from(list(TenderMethod)), min_size=1, max_size=4, unique=True))
    tenders = [(m, draw(st.integers(min_value=1, max_value=5_000_000))) for m in methods]
    amount = sum(a for _, a in tenders)
    late = draw(st.integers(min_value=0, max_value=amount))
    prepaid = draw(st.integers(min_value=0, max_value=amount - late))
    return Paid(tenders=tenders, late_fee_fen=late, prepayment_fen=prepaid, voided=draw(st.booleans()))


def _server_row(p: Paid) -> Row[Any]:
    """The payment as the server's books hold it: the allocations' principal is what is left of the amount."""
    row = _PaymentRow(amount_fen=p.amount_fen, tenders=[[m.value, a] for m, a in p.tenders],
                      principal_fen=p.amount_fen - p.late_fee_fen - p.prepayment_fen, late_fee_fen=p.late_fee_fen,
                      to_prepayment_fen=p.prepayment_fen, voided_at=AT if p.voided else None)
    return cast("Row[Any]", row)


def _item(item_id: int, *, method: str, body: dict[str, Any], amount_fen: int, receipt_no: str | None,
          summary: dict[str, Any]) -> OutboxItem:
    return OutboxItem(
        id=item_id, key=IdempotencyKey(str(uuid.UUID(int=item_id))), method=method, body=body, receipt_no=receipt_no,
        counter_code="H0101", username="cashier1", shift_no=SHIFT_NO, customer_no="3301000001",
        amount_fen=amount_fen, summary=summary, created_at=AT, offline=True, version=1, state=ItemState.PENDING,
        attempts=0, last_attempt_at=None, last_error=None, last_error_params={}, result=None, server_time=None,
        answered_at=None, acknowledged_by=None, acknowledged_at=None)


def _outbox_items(payments: list[Paid]) -> list[OutboxItem]:
    """The same payments as the counter queued them, each voided one followed by its queued void."""
    items = []
    for n, p in enumerate(payments, start=1):
        receipt_no = f"H0101-20261123-{n:05d}"
        items.append(_item(2 * n, method=PAY.name, amount_fen=p.amount_fen, receipt_no=receipt_no,
                           body={"tenders": [{"method": m.value, "amount_fen": a} for m, a in p.tenders]},
                           summary={"late_fee_fen": p.late_fee_fen, "prepayment_fen": p.prepayment_fen}))
        if p.voided:
            items.append(_item(2 * n + 1, method=VOID_ATTESTED.name, amount_fen=p.amount_fen, receipt_no=None,
                               body={"receipt_no": receipt_no, "reason": "录错"}, summary={"cosigner_name": "班长"}))
    return items


class TestServerAndCounterAgree:
    @settings(max_examples=200, deadline=None)
    @given(payments=st.lists(paid(), max_size=12), float_fen=st.integers(min_value=0, max_value=1_000_000))
    def test_same_payments_same_figures(self, payments: list[Paid], float_fen: int) -> None:
        """For the same payments, the server's totals (from its payment rows) and the offline counter's
        provisional summary (from its outbox) have the same counts, totals by method and business type,
        collected amount and expected cash."""
        server = shift_totals(payment_parts(_server_row(p)) for p in payments)
        info = ShiftInfo(shift_no=SHIFT_NO, cashier_username="cashier1", cashier_name="收费员甲", counter_code="H0101",
                         hall_code="H01", business_date=AT.date(), opened_at=AT, float_fen=float_fen, closed_at=None)
        counter = provisional_summary(info, _outbox_items(payments))
        assert (counter.payments_count, counter.collected_fen) == (server.payments_count, server.collected_fen)
        assert counter.methods == server.methods
        assert counter.businesses == server.businesses
        assert counter.expected_cash_fen == expected_cash_fen(float_fen=float_fen, cash_fen=server.cash_fen)
        assert sum(m.amount_fen for m in server.methods) == sum(b.amount_fen for b in server.businesses)


class TestShiftTotals:
    def test_lines_counts_and_cash(self) -> None:
        """A split payment is one line per tender; a payment counts once in each business type it paid; the
        voided one counts nowhere; only the cash part is in the drawer."""
        split = PaymentParts(amount_fen=5000, tenders=((TenderMethod.CASH, 3000), (TenderMethod.QR, 2000)),
                             electricity_fen=4800, late_fee_fen=200, prepayment_fen=0)
        voided = PaymentParts(amount_fen=1000, tenders=((TenderMethod.CASH, 1000),), electricity_fen=1000,
                              late_fee_fen=0, prepayment_fen=0, voided=True)
        totals = shift_totals([split, voided])
        assert (totals.payments_count, totals.collected_fen, totals.cash_fen) == (1, 5000, 3000)
        assert [(m.method, m.count, m.amount_fen) for m in totals.methods] == [
            (TenderMethod.CASH, 1, 3000), (TenderMethod.QR, 1, 2000)]
        assert [(b.business, b.count, b.amount_fen) for b in totals.businesses] == [
            (BusinessType.ELECTRICITY, 1, 4800), (BusinessType.LATE_FEE, 1, 200)]

    def test_expected_cash(self) -> None:
        """Float plus cash, plus unsent cash in the drawer, minus cash another drawer held."""
        assert expected_cash_fen(float_fen=10000, cash_fen=3000) == 13000
        assert expected_cash_fen(float_fen=10000, cash_fen=3000, unsent_cash_fen=500, carried_in_cash_fen=700) == 12800
        assert drawer_expected_fen(expected_cash_fen=13000, unsent_cash=[500, 0, 200]) == 13700

    @pytest.mark.parametrize(("difference_fen", "unsent_count", "needed"), [
        (0, 0, False), (-1, 0, True), (100, 0, True), (0, 1, True), (-50, 2, True)])
    def test_cosign_needed(self, difference_fen: int, unsent_count: int, needed: bool) -> None:
        """A difference either way, or any unsent payment, needs a supervisor; an even drawer with none does not."""
        assert cosign_needed(difference_fen=difference_fen, unsent_count=unsent_count) is needed

    def test_drawer_at_close(self) -> None:
        """The drawer holds the booked expected cash and the unsent cash; each unsent payment counts for the
        co-sign, even one whose cash is not in the drawer."""
        drawer = drawer_at_close(expected_cash_fen=13000, unsent_cash=[500, 0])
        assert (drawer.expected_fen, drawer.unsent_cash_fen, drawer.unsent_count) == (13500, 500, 2)
        assert drawer.difference_fen(13400) == -100
        assert drawer.cosign_needed(13500)
        even = drawer_at_close(expected_cash_fen=13000, unsent_cash=[])
        assert (even.difference_fen(13000), even.cosign_needed(13000), even.cosign_needed(13001)) == (0, False, True)


class TestCashCount:
    """What a count line and a whole cash count are worth, and the counts refused."""

    def test_line_and_total(self) -> None:
        """A line is its denomination times its pieces; a count is the sum of its lines."""
        assert count_line_fen(denomination_fen=5000, pieces=3) == 15000
        assert count_line_fen(denomination_fen=1, pieces=0) == 0
        assert counted_cash_fen([(10000, 3), (50, 1), (10, 7)]) == 30120
        assert counted_cash_fen([]) == 0

    @pytest.mark.parametrize(("lines", "denomination", "problem"), [
        ([(200, 1)], 200, "not a denomination"),
        ([(0, 1)], 0, "not a denomination"),
        ([(100, 1), (100, 2)], 100, "counted twice"),
        ([(500, -1)], 500, "negative"),
    ])
    def test_refusals(self, lines: list[tuple[int, int]], denomination: int, problem: str) -> None:
        """A denomination not counted at close, one counted twice, or negative pieces is refused, naming it."""
        with pytest.raises(CashCountError, match=problem) as refused:
            counted_cash_fen(lines)
        assert refused.value.denomination_fen == denomination
