"""The drawer count at the close of a shift: pieces per denomination, the total and which way a difference goes."""

from __future__ import annotations

import pytest

from client.core.cash_count import DifferenceKind, cash_count_lines, counted_fen, difference_kind
from shared_models.methods.shifts import DENOMINATIONS_FEN


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
