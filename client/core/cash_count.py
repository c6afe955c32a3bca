"""The drawer count at the close of a shift: pieces per denomination, the total, and the difference.

Pure and Qt-free, so the close dialog only renders these figures. What a line and a count are worth, and which
counts are refused, is ``shared_models.rules.shift_totals`` (the server recomputes both from the same pieces with
it, and its figures are the ones booked); these are for the cashier to see while counting.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from shared_models.methods.shifts import DENOMINATIONS_FEN, CashCountLine
from shared_models.rules.shift_totals import counted_cash_fen


class DifferenceKind(StrEnum):
    """Counted against expected cash: equal, 长款 (more than expected) or 短款 (less)."""

    EVEN = "even"
    OVER = "over"
    SHORT = "short"


def counted_fen(pieces: Mapping[int, int]) -> int:
    """What the counted notes and coins are worth (fen); ``CashCountError`` (a ValueError) for a denomination not
    counted at close or a negative number of pieces."""
    return counted_cash_fen(pieces.items())


def difference_kind(difference_fen: int) -> DifferenceKind:
    """Whether a difference (counted − expected) is even, over (长款) or short (短款)."""
    if difference_fen > 0:
        return DifferenceKind.OVER
    if difference_fen < 0:
        return DifferenceKind.SHORT
    return DifferenceKind.EVEN


def cash_count_lines(pieces: Mapping[int, int]) -> list[CashCountLine]:
    """Every denomination in the order of :data:`DENOMINATIONS_FEN` (zero where none were counted)."""
    counted_fen(pieces)  # the same refusals as the total
    return [CashCountLine(denomination_fen=d, pieces=pieces.get(d, 0)) for d in DENOMINATIONS_FEN]
