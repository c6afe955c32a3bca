"""What the close dialog counts against: the cash the drawer should hold, the difference, and when a supervisor
must co-sign (SPEC C4, §5).

The drawer holds the shift's expected cash as booked (the server's, or the counter's own without the payments
still unsent) and the cash of its payments not yet confirmed by the server (the unsent list the close carries);
a difference, or any unsent payment, needs a supervisor's co-sign. The rule is
``shared_models.rules.shift_totals.drawer_at_close``, the one the server checks the close with; the dialog only
shows what it says. Qt-free and pure: the server recounts from the same pieces, and its figures are the ones booked.
"""

from __future__ import annotations

from collections.abc import Sequence

from shared_models.methods.shifts import ShiftSummary, UnsentItem
from shared_models.rules.shift_totals import DrawerAtClose, drawer_at_close


def close_count(summary: ShiftSummary, unsent: Sequence[UnsentItem] = ()) -> DrawerAtClose:
    """The close of ``summary``'s shift (its booked figures) with the payments ``unsent`` still on the counter."""
    return drawer_at_close(expected_cash_fen=summary.expected_cash_fen, unsent_cash=[u.cash_fen for u in unsent])
