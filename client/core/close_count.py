"""What the close dialog counts against: the cash the drawer should hold, the difference, and when a supervisor
must co-sign (SPEC C4, §5).

The drawer holds the shift's expected cash and the cash of its payments not yet confirmed by the server (the
unsent list the close carries); a difference, or any unsent payment, needs a supervisor's co-sign. Both rules
are ``shared_models.rules.shift_totals``, the server's own; the dialog only shows what this says. Qt-free and
pure: the server recounts from the same pieces, and its figures are the ones booked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from client.core.cash_count import counted_fen
from shared_models.methods.shifts import ShiftSummary, UnsentItem
from shared_models.rules.shift_totals import cosign_needed, drawer_expected_fen


@dataclass(frozen=True, kw_only=True, slots=True)
class CloseCount:
    """The figures a close is counted against."""

    #: What the drawer should hold: the shift's expected cash plus the cash of the unsent payments.
    expected_fen: int
    #: Of which the cash of the payments not yet confirmed.
    unsent_cash_fen: int
    unsent_count: int

    def counted_fen(self, pieces: Mapping[int, int]) -> int:
        """What the counted pieces are worth; ValueError for a denomination not counted or negative pieces."""
        return counted_fen(pieces)

    def difference_fen(self, pieces: Mapping[int, int]) -> int:
        """Counted minus expected (fen): positive 长款, negative 短款."""
        return self.counted_fen(pieces) - self.expected_fen

    def cosign_needed(self, pieces: Mapping[int, int]) -> bool:
        """Whether this count can close only with a supervisor's co-sign."""
        return cosign_needed(difference_fen=self.difference_fen(pieces), unsent_count=self.unsent_count)


def close_count(summary: ShiftSummary, unsent: Sequence[UnsentItem] = ()) -> CloseCount:
    """The close of ``summary``'s shift with the payments ``unsent`` still on the counter."""
    unsent_cash = [u.cash_fen for u in unsent]
    return CloseCount(expected_fen=drawer_expected_fen(expected_cash_fen=summary.expected_cash_fen,
                                                       unsent_cash=unsent_cash),
                      unsent_cash_fen=sum(unsent_cash), unsent_count=len(unsent))
