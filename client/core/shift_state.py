"""The cashier's current shift as the counter knows it, shared by the cashier desk and the shift screen.

Plain Python with listeners, like :class:`client.core.session.Session`: changed on the GUI thread only
(from ``Op`` callbacks), the screens subscribe and re-render. One instance per signed-in session
(``UiContext.shift``). Whoever learns something about the shift tells it here:

* ``shift.get_current`` answered          -> :meth:`ShiftState.update`
* ``shift.open_shift`` answered           -> :meth:`ShiftState.opened`
* ``shift.close_shift`` answered          -> :meth:`ShiftState.closed`
* the server refused with ``NO_OPEN_SHIFT`` -> :meth:`ShiftState.closed`

``next_receipt_seq`` is the server's floor for the next receipt sequence of this counter today; the
receipt book (:class:`client.core.receipts.ReceiptBook`) numbers from the larger of it and its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from shared_models.methods.shifts import CurrentShift, ShiftInfo

log = logging.getLogger(__name__)

ShiftListener = Callable[["ShiftState"], None]


class ShiftState:
    """The open shift of the signed-in cashier at this counter, if any; listeners hear every change."""

    def __init__(self) -> None:
        self._shift: ShiftInfo | None = None
        self._next_receipt_seq = 1
        self._next_shift_seq = 1
        #: True while the open shift is the counter's own (opened with the link down, not yet on the server).
        self.offline = False
        self._known = False
        self._listeners: list[ShiftListener] = []

    @property
    def shift(self) -> ShiftInfo | None:
        """The open shift, or None (none open, or not asked yet: see :attr:`known`)."""
        return self._shift

    @property
    def is_open(self) -> bool:
        """True while the cashier has an open shift at this counter."""
        return self._shift is not None and self._shift.closed_at is None

    @property
    def known(self) -> bool:
        """False until the server has been asked once (``shift.get_current``) or a shift was opened."""
        return self._known

    @property
    def next_receipt_seq(self) -> int:
        """The server's floor for the next receipt sequence of this counter today (at least 1)."""
        return self._next_receipt_seq

    @property
    def next_shift_seq(self) -> int:
        """The server's floor for the next shift sequence of this counter today (at least 1)."""
        return self._next_shift_seq

    def subscribe(self, listener: ShiftListener) -> Callable[[], None]:
        """Call ``listener(state)`` on every change; returns the function that unsubscribes it."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def update(self, current: CurrentShift, *, offline: bool = False) -> None:
        """The server's answer to ``shift.get_current`` (``offline``: the counter's own, from its outbox)."""
        self._shift = current.shift if current.shift is not None and current.shift.closed_at is None else None
        self.offline = offline and self._shift is not None
        self._next_receipt_seq = max(1, current.next_receipt_seq)
        self._next_shift_seq = max(1, current.next_shift_seq)
        self._known = True
        self._emit()

    def opened(self, shift: ShiftInfo, *, offline: bool = False) -> None:
        """A shift was opened on this counter (``shift.open_shift`` answered, or done offline)."""
        self._shift = shift
        self.offline = offline
        self._known = True
        self._emit()

    def closed(self) -> None:
        """The shift was closed here, or the server says there is no open shift."""
        if self._known and self._shift is None:
            return
        self._shift = None
        self.offline = False
        self._known = True
        self._emit()

    def _emit(self) -> None:
        log.debug("shift state: %s", self._shift.shift_no if self._shift else "none open")
        for listener in list(self._listeners):
            listener(self)
