"""The drawer count at the close of a shift: pieces per denomination, the total, which way a difference goes,
and what the close counts against (expected cash with the unsent payments, and when a supervisor co-signs)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from client.core.cash_count import DifferenceKind, cash_count_lines, counted_fen, difference_kind
from client.core.close_count import close_count
from shared_models.methods.shifts import DENOMINATIONS_FEN, ShiftInfo, ShiftSummary, UnsentItem
from shared_models.rules.hall_time import HALL_TZ
from shared_models.rules.shift_totals import CashCountError


class TestCashCount:
    """The drawer count shown while closing."""

    def test_total_and_lines(self) -> None:
        """Pieces times denomination, every denomination listed in order, zero where none."""
        pieces = {10000: 3, 50: 1, 10: 7}
        assert counted_fen(pieces) == 30120
        lines = cash_count_lines(pieces)
        assert [line.denomination_fen for line in lines] == list(DENOMINATIONS_FEN)
        assert [line.pieces for line in lines] == [3, 0, 0, 0, 0, 0, 1, 7, 0, 0, 0]

    def test_refusals(self) -> None:
        """A note not counted at close, or negative pieces, is refused."""
        with pytest.raises(ValueError, match="denomination"):
            counted_fen({200: 1})
        with pytest.raises(ValueError, match="negative"):
            cash_count_lines({100: -1})

    def test_difference_kind(self) -> None:
        """Over is 长款, under is 短款."""
        assert difference_kind(100) is DifferenceKind.OVER
        assert difference_kind(-1) is DifferenceKind.SHORT
        assert difference_kind(0) is DifferenceKind.EVEN


class TestCloseCount:
    """What the close dialog counts against (``client.core.close_count``)."""

    @staticmethod
    def _summary(expected_fen: int) -> ShiftSummary:
        info = ShiftInfo(shift_no="H0101-20261123-01", cashier_username="cashier1", cashier_name="收费员甲",
                         counter_code="H0101", hall_code="H01", business_date=dt.date(2026, 11, 23),
                         opened_at=dt.datetime(2026, 11, 23, 8, 0, tzinfo=HALL_TZ), float_fen=10000, closed_at=None)
        return ShiftSummary(shift=info, payments_count=0, collected_fen=0, methods=[], businesses=[], voids=[],
                            receipts_used=[], expected_cash_fen=expected_fen, offline_count=0, closing=None)

    @staticmethod
    def _unsent(n: int, cash_fen: int) -> UnsentItem:
        return UnsentItem(idempotency_key=str(uuid.UUID(int=n)), method="payment.pay_bills",
                          receipt_no=f"H0101-20261123-{n:05d}", customer_no="3301000001", amount_fen=cash_fen + 1,
                          cash_fen=cash_fen, local_time=dt.datetime(2026, 11, 23, 9, 0, tzinfo=HALL_TZ))

    def test_even_drawer_needs_no_cosign(self) -> None:
        """Counted equal to expected and nothing unsent: no co-sign."""
        count = close_count(self._summary(13000))
        assert (count.expected_fen, count.unsent_cash_fen, count.unsent_count) == (13000, 0, 0)
        assert count.difference_fen(counted_fen({10000: 1, 1000: 3})) == 0
        assert not count.cosign_needed(counted_fen({10000: 1, 1000: 3}))

    def test_difference_needs_cosign(self) -> None:
        """Short or over, a supervisor co-signs."""
        count = close_count(self._summary(13000))
        assert count.difference_fen(counted_fen({10000: 1})) == -3000
        assert count.cosign_needed(counted_fen({10000: 1}))
        assert count.cosign_needed(counted_fen({10000: 2}))

    def test_unsent_cash_is_in_the_drawer_and_needs_cosign(self) -> None:
        """The unsent payments' cash is expected in the drawer; even an even drawer needs a supervisor then."""
        count = close_count(self._summary(13000), [self._unsent(1, 500), self._unsent(2, 0)])
        assert (count.expected_fen, count.unsent_cash_fen, count.unsent_count) == (13500, 500, 2)
        assert count.difference_fen(counted_fen({10000: 1, 1000: 3, 500: 1})) == 0
        assert count.cosign_needed(counted_fen({10000: 1, 1000: 3, 500: 1}))

    def test_refuses_what_cannot_be_counted(self) -> None:
        """A denomination not counted at close is refused, not added, with the denomination named."""
        with pytest.raises(CashCountError, match="denomination") as refused:
            counted_fen({10000: 1, 200: 1})
        assert refused.value.denomination_fen == 200
