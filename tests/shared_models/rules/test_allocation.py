"""Payment allocation and change (DOMAIN.md §6.2–6.3): worked examples, edge cases and invariants."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared_models.money import Fen
from shared_models.rules.allocation import (
    Allocation,
    AllocationError,
    AllocationErrorCode,
    BillAllocation,
    OpenBill,
    allocate,
    change_due,
)

D = dt.date
#: Pure and fast: no example database on disk (another suite runs concurrently), no timing deadline.
FAST = settings(max_examples=200, deadline=None, database=None)

#: January's bill (120.00 principal + 3.60 late fee) and February's (80.00, not yet late).
JANUARY = OpenBill(bill_id=11, due_on=D(2024, 2, 24), period=202401, principal_fen=Fen(12_000), late_fee_fen=Fen(360))
FEBRUARY = OpenBill(bill_id=12, due_on=D(2024, 3, 24), period=202402, principal_fen=Fen(8_000), late_fee_fen=Fen(0))
BOTH = (FEBRUARY, JANUARY)  # given newest first on purpose: order comes from the due date


class TestWorkedExamples:
    def test_oldest_first_late_fee_first_partial_on_the_next(self) -> None:
        """150.00 pays January's 3.60 fee and 120.00, then 26.40 of February, which stays open."""
        result = allocate(bills=BOTH, amount_fen=Fen(15_000))
        assert result == Allocation(
            lines=(
                BillAllocation(bill_id=11, late_fee_fen=Fen(360), principal_fen=Fen(12_000), settles_bill=True),
                BillAllocation(bill_id=12, late_fee_fen=Fen(0), principal_fen=Fen(2_640), settles_bill=False),
            ),
            prepayment_fen=Fen(0),
            paid_fen=Fen(15_000),
            due_fen=Fen(20_360),
            remaining_due_fen=Fen(5_360),
        )

    def test_less_than_the_late_fee_pays_only_the_late_fee(self) -> None:
        """2.00 goes to January's late fee; no principal is touched (fee before principal)."""
        result = allocate(bills=BOTH, amount_fen=Fen(200))
        assert result.lines == (BillAllocation(bill_id=11, late_fee_fen=Fen(200), principal_fen=Fen(0),
                                               settles_bill=False),)
        assert result.remaining_due_fen == 20_160

    def test_exact_amount_settles_everything(self) -> None:
        """Paying exactly what is due settles every bill and leaves no prepayment."""
        result = allocate(bills=BOTH, amount_fen=Fen(20_360))
        assert [line.settles_bill for line in result.lines] == [True, True]
        assert (result.prepayment_fen, result.remaining_due_fen) == (0, 0)

    def test_one_fen_short(self) -> None:
        """One fen short leaves the newest bill open by one fen of principal."""
        result = allocate(bills=BOTH, amount_fen=Fen(20_359))
        assert result.lines[-1] == BillAllocation(bill_id=12, late_fee_fen=Fen(0), principal_fen=Fen(7_999),
                                                  settles_bill=False)
        assert (result.prepayment_fen, result.remaining_due_fen) == (0, 1)

    def test_overpayment_becomes_prepayment(self) -> None:
        """250.00 against 203.60 due: both settled, 46.40 becomes 预收."""
        result = allocate(bills=BOTH, amount_fen=Fen(25_000))
        assert [line.settles_bill for line in result.lines] == [True, True]
        assert (result.prepayment_fen, result.remaining_due_fen) == (4_640, 0)

    def test_no_open_bills_is_all_prepayment(self) -> None:
        """With no open bills the whole payment is prepayment."""
        assert allocate(bills=[], amount_fen=Fen(5_000)) == Allocation(
            lines=(), prepayment_fen=Fen(5_000), paid_fen=Fen(5_000), due_fen=Fen(0), remaining_due_fen=Fen(0))

    def test_equal_due_dates_order_by_period_then_bill_id(self) -> None:
        """Bills due the same day are paid in period order, then by bill id."""
        due = D(2024, 5, 24)
        bills = [
            OpenBill(bill_id=3, due_on=due, period=202404, principal_fen=Fen(100), late_fee_fen=Fen(0)),
            OpenBill(bill_id=2, due_on=due, period=202403, principal_fen=Fen(100), late_fee_fen=Fen(0)),
            OpenBill(bill_id=1, due_on=due, period=202404, principal_fen=Fen(100), late_fee_fen=Fen(0)),
        ]
        result = allocate(bills=bills, amount_fen=Fen(250))
        assert [(line.bill_id, line.total_fen) for line in result.lines] == [(2, 100), (1, 100), (3, 50)]

    def test_settled_bill_gets_no_line(self) -> None:
        """A bill with nothing outstanding is skipped, not given a zero line."""
        paid = OpenBill(bill_id=10, due_on=D(2024, 1, 24), period=202312, principal_fen=Fen(0), late_fee_fen=Fen(0))
        result = allocate(bills=[paid, *BOTH], amount_fen=Fen(100))
        assert [line.bill_id for line in result.lines] == [11]

    def test_total_fen(self) -> None:
        """A line's total is its late fee plus its principal."""
        line = BillAllocation(bill_id=1, late_fee_fen=Fen(360), principal_fen=Fen(12_000), settles_bill=True)
        assert line.total_fen == 12_360


class TestAllocateRefusals:
    @pytest.mark.parametrize("amount", [0, -1])
    def test_amount_not_positive(self, amount: int) -> None:
        """A payment of less than one fen is refused with a code."""
        with pytest.raises(AllocationError) as caught:
            allocate(bills=BOTH, amount_fen=Fen(amount))
        assert caught.value.code == "AMOUNT_NOT_POSITIVE"
        assert caught.value.params == {"amount_fen": amount}

    @pytest.mark.parametrize("amount", [True, 100.0, "100"])
    def test_amount_must_be_int(self, amount: object) -> None:
        """A bool, float or string amount is refused as a type error."""
        with pytest.raises(TypeError):
            allocate(bills=BOTH, amount_fen=amount)  # type: ignore[arg-type]

    @pytest.mark.parametrize("field", ["bill_id", "period", "principal_fen", "late_fee_fen"])
    @pytest.mark.parametrize("value", [True, 1.0])
    def test_open_bill_fields_must_be_int(self, field: str, value: object) -> None:
        """OpenBill refuses bool and float in its integer fields."""
        fields: dict[str, object] = {"bill_id": 1, "due_on": D(2024, 1, 1), "period": 202312,
                                     "principal_fen": 100, "late_fee_fen": 0, field: value}
        with pytest.raises(TypeError):
            OpenBill(**fields)  # type: ignore[arg-type]

    def test_open_bill_amounts_not_negative(self) -> None:
        """An outstanding amount below zero is refused."""
        with pytest.raises(ValueError, match="negative"):
            OpenBill(bill_id=1, due_on=D(2024, 1, 1), period=202312, principal_fen=Fen(-1), late_fee_fen=Fen(0))

    def test_duplicate_bill_is_refused(self) -> None:
        """The same bill given twice would be paid twice: refused."""
        with pytest.raises(ValueError, match="twice"):
            allocate(bills=[JANUARY, JANUARY], amount_fen=Fen(100))

    def test_bills_must_be_open_bills(self) -> None:
        """Anything but a sequence of OpenBill is refused."""
        with pytest.raises(TypeError):
            allocate(bills=[object()], amount_fen=Fen(100))  # type: ignore[list-item]


class TestChangeDue:
    def test_change(self) -> None:
        """300.00 tendered for a 203.60 cash part gives 96.40 change."""
        assert change_due(cash_tendered_fen=Fen(30_000), cash_part_fen=Fen(20_360)) == 9_640

    def test_exact_cash_gives_no_change(self) -> None:
        """Tendering exactly the cash part gives 0."""
        assert change_due(cash_tendered_fen=Fen(20_360), cash_part_fen=Fen(20_360)) == 0

    def test_tendered_too_low(self) -> None:
        """Less cash than the cash part is refused with a code and both amounts."""
        with pytest.raises(AllocationError) as caught:
            change_due(cash_tendered_fen=Fen(20_359), cash_part_fen=Fen(20_360))
        assert caught.value.code is AllocationErrorCode.CASH_TENDERED_TOO_LOW
        assert caught.value.params == {"cash_tendered_fen": 20_359, "cash_part_fen": 20_360}

    def test_types_and_signs(self) -> None:
        """Bool and float are type errors; negative cash is a value error."""
        with pytest.raises(TypeError):
            change_due(cash_tendered_fen=100.0, cash_part_fen=50)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            change_due(cash_tendered_fen=Fen(100), cash_part_fen=False)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="negative"):
            change_due(cash_tendered_fen=Fen(100), cash_part_fen=Fen(-1))


# --- properties ------------------------------------------------------------------------------------


@st.composite
def _bills(draw: st.DrawFn) -> list[OpenBill]:
    ids = draw(st.lists(st.integers(min_value=1, max_value=10**6), unique=True, max_size=6))
    return [
        OpenBill(
            bill_id=bill_id,
            due_on=draw(st.dates(min_value=D(2023, 1, 1), max_value=D(2023, 3, 31))),  # narrow: many ties
            period=draw(st.integers(min_value=202301, max_value=202303)),
            principal_fen=Fen(draw(st.integers(min_value=0, max_value=50_000))),
            late_fee_fen=Fen(draw(st.integers(min_value=0, max_value=2_000))),
        )
        for bill_id in ids
    ]


_AMOUNTS = st.integers(min_value=1, max_value=400_000)


def _order(bill: OpenBill) -> tuple[dt.date, int, int]:
    return (bill.due_on, bill.period, bill.bill_id)


class TestAllocationProperties:
    @FAST
    @given(bills=_bills(), amount=_AMOUNTS)
    def test_amount_is_fully_accounted_for(self, bills: list[OpenBill], amount: int) -> None:
        """Lines plus prepayment add up to the amount paid, and the remaining due is what the lines left."""
        result = allocate(bills=bills, amount_fen=Fen(amount))
        allocated = sum(line.total_fen for line in result.lines)
        assert allocated + result.prepayment_fen == amount == result.paid_fen
        assert result.due_fen == sum(b.late_fee_fen + b.principal_fen for b in bills)
        assert result.remaining_due_fen == result.due_fen - allocated
        assert min(result.prepayment_fen, result.remaining_due_fen) == 0  # 预收 only once nothing is owed

    @FAST
    @given(bills=_bills(), amount=_AMOUNTS)
    def test_no_line_exceeds_its_bill(self, bills: list[OpenBill], amount: int) -> None:
        """Each line pays positive amounts within its bill's outstanding, late fee before principal."""
        by_id = {b.bill_id: b for b in bills}
        result = allocate(bills=bills, amount_fen=Fen(amount))
        for line in result.lines:
            bill = by_id[line.bill_id]  # never a bill that was not given
            assert 0 <= line.late_fee_fen <= bill.late_fee_fen
            assert 0 <= line.principal_fen <= bill.principal_fen
            assert line.total_fen > 0
            assert line.principal_fen == 0 or line.late_fee_fen == bill.late_fee_fen
            assert line.settles_bill == (line.total_fen == bill.late_fee_fen + bill.principal_fen)

    @FAST
    @given(bills=_bills(), amount=_AMOUNTS)
    def test_oldest_first(self, bills: list[OpenBill], amount: int) -> None:
        """A bill is only touched when every older bill is fully settled."""
        paid = {line.bill_id: line for line in allocate(bills=bills, amount_fen=Fen(amount)).lines}
        for bill in bills:
            if bill.bill_id not in paid:
                continue
            for older in bills:
                if _order(older) < _order(bill) and older.late_fee_fen + older.principal_fen > 0:
                    assert paid[older.bill_id].settles_bill

    @FAST
    @given(bills=_bills(), amount=_AMOUNTS, data=st.data())
    def test_order_of_the_input_does_not_matter(self, bills: list[OpenBill], amount: int, data: st.DataObject) -> None:
        """The allocation depends on due dates, periods and ids, not on the order bills are given in."""
        shuffled = data.draw(st.permutations(bills))
        assert allocate(bills=shuffled, amount_fen=Fen(amount)) == allocate(bills=bills, amount_fen=Fen(amount))

    @FAST
    @given(tendered=st.integers(min_value=0, max_value=10**9), part=st.integers(min_value=0, max_value=10**9))
    def test_change_adds_up(self, tendered: int, part: int) -> None:
        """Change plus the cash part is the cash tendered, or the tender is refused."""
        if tendered < part:
            with pytest.raises(AllocationError):
                change_due(cash_tendered_fen=Fen(tendered), cash_part_fen=Fen(part))
        else:
            assert change_due(cash_tendered_fen=Fen(tendered), cash_part_fen=Fen(part)) + part == tendered
