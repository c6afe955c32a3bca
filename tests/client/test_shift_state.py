"""The counter's view of the cashier's open shift, shared by the desk and the shift screen."""

from __future__ import annotations

import datetime as dt

from client.core.shift_state import ShiftState
from shared_models.methods.shifts import CurrentShift, ShiftInfo


def shift_info(*, closed: bool = False) -> ShiftInfo:
    """Shift 1 of cashier0101 at H0101 on 2026-11-23."""
    opened = dt.datetime(2026, 11, 23, 0, 30, tzinfo=dt.UTC)
    return ShiftInfo(shift_no="H0101-20261123-01", cashier_username="cashier0101", cashier_name="王丽娟",
                     counter_code="H0101", hall_code="H01", business_date=dt.date(2026, 11, 23), opened_at=opened,
                     float_fen=50000, closed_at=opened + dt.timedelta(hours=8) if closed else None)


class TestShiftState:
    """ShiftState."""

    def test_unknown_until_asked(self) -> None:
        """A new state knows nothing yet: no shift, sequence floor 1."""
        state = ShiftState()
        assert (state.known, state.is_open, state.shift, state.next_receipt_seq) == (False, False, None, 1)

    def test_update_open_close_notify(self) -> None:
        """Every change reaches the listeners; closing twice notifies once; unsubscribe stops them."""
        state = ShiftState()
        seen: list[str | None] = []
        unsubscribe = state.subscribe(lambda s: seen.append(s.shift.shift_no if s.shift else None))
        state.update(CurrentShift(shift=None, next_receipt_seq=7))
        assert (state.known, state.is_open, state.next_receipt_seq) == (True, False, 7)
        state.opened(shift_info())
        assert state.is_open
        state.closed()
        state.closed()
        assert seen == [None, "H0101-20261123-01", None]
        unsubscribe()
        state.opened(shift_info())
        assert len(seen) == 3

    def test_a_closed_shift_is_not_open(self) -> None:
        """A shift the server reports with a closing time counts as none open; a zero sequence floors at 1."""
        state = ShiftState()
        state.update(CurrentShift(shift=shift_info(closed=True), next_receipt_seq=0))
        assert (state.is_open, state.shift, state.next_receipt_seq) == (False, None, 1)
