"""The drawer count at the close of a shift: pieces per denomination, the total, and the difference.

Pure and Qt-free, so the close dialog only renders these figures. The server recomputes both from the
same pieces (its figures are the ones booked); these are for the cashier to see while counting.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from shared_models.methods.shifts import DENOMINATIONS_FEN, CashCountLine


class DifferenceKind(StrEnum):
    """Counted against expected cash: equal, 长款 (more than expected) or 短款 (less)."""

    EVEN = "even"
    OVER = "over"
    SHORT = "short"


def counted_fen(pieces: Mapping[int, int]) -> int:
    """What the counted notes and coins are worth (fen); ValueError for a denomination not counted at close
    or a negative number of pieces."""
    total = 0
    for denomination, n in pieces.items():
        if denomination not in DENOMINATIONS_FEN:
            raise ValueError(f"{denomination} fen is not a denomination counted at close")
        if n < 0:
            raise ValueError("a negative number of pieces")
        total += denomination * n
    return total


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
