"""``Op``: the one way the UI runs blocking work (network, disk, keyring) off the GUI thread.

After Anki's ``QueryOp``: ``run`` executes on a ``QThreadPool`` worker and must not touch widgets;
its result or exception comes back through ``gui_thread.call_on_gui``, so ``on_success``/``on_failure`` run on
the GUI thread. The Op owns the busy state: it disables the widgets that triggered it and ignores a
second start with the same parent and key while the first is running (a double click submits once).

    Op(parent=self, run=lambda: rpc.call(WHOAMI, Empty()), busy=[self.button]) \\
        .on_success(self._show).on_failure(self._report).start()
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QThreadPool
from PySide6.QtWidgets import QWidget

from client.ui import gui_thread
from client.ui.errors import show_error

log = logging.getLogger(__name__)

T = TypeVar("T")

# Running ops by (parent, key). Holding them here keeps an Op alive while its worker runs even if the
# caller dropped its reference, and lets the test guard see unfinished work.
_RUNNING: dict[tuple[int, str], Op[Any]] = {}


def running_ops() -> int:
    """How many Ops have started and not yet delivered their result."""
    return len(_RUNNING)


def is_running(parent: QObject, key: str = "") -> bool:
    """True while an Op with this parent and key runs."""
    return (id(parent), key) in _RUNNING


class Op(Generic[T]):
    """Background work with callbacks on the GUI thread; build it, then :meth:`start` it."""

    def __init__(
        self,
        *,
        parent: QWidget,
        run: Callable[[], T],
        busy: Sequence[QWidget] = (),
        key: str = "",
        pool: QThreadPool | None = None,
    ) -> None:
        self._parent = parent
        self._run = run
        self._busy = list(busy)
        self._key = key
        self._pool = pool
        self._success: Callable[[T], object] | None = None
        self._failure: Callable[[BaseException], object] | None = None
        self._was_enabled: list[bool] = []

    def on_success(self, callback: Callable[[T], object]) -> Op[T]:
        """Call ``callback(result)`` on the GUI thread when ``run`` returns."""
        self._success = callback
        return self

    def on_failure(self, callback: Callable[[BaseException], object]) -> Op[T]:
        """Call ``callback(exception)`` on the GUI thread when ``run`` raises (default: show_error)."""
        self._failure = callback
        return self

    def start(self) -> bool:
        """Start the work; False (and nothing happens) while the same parent and key are still busy."""
        slot = (id(self._parent), self._key)
        if slot in _RUNNING:
            log.debug("op %r on %s already running: second start ignored", self._key, type(self._parent).__name__)
            return False
        _RUNNING[slot] = self
        self._was_enabled = [w.isEnabled() for w in self._busy]
        for widget in self._busy:
            widget.setEnabled(False)
        gui_thread.install()
        run, deliver = self._run, self._deliver

        def work() -> None:
            outcome: tuple[bool, object]
            try:
                outcome = (True, run())
            except Exception as exc:  # every failure goes back to the GUI thread, none escapes the worker
                outcome = (False, exc)
            gui_thread.call_on_gui(deliver, outcome)  # no Qt object is touched from this thread

        (self._pool or QThreadPool.globalInstance()).start(work)
        return True

    def _deliver(self, outcome: tuple[bool, object]) -> None:
        _RUNNING.pop((id(self._parent), self._key), None)
        for widget, enabled in zip(self._busy, self._was_enabled, strict=True):
            if shiboken6.isValid(widget):
                widget.setEnabled(enabled)
        if not shiboken6.isValid(self._parent):
            log.debug("op %r finished after its window closed: result dropped", self._key)
            return
        ok, value = outcome
        if ok:
            try:
                if self._success is not None:
                    self._success(value)  # type: ignore[arg-type]
            except Exception as exc:  # a failing callback is reported, it never kills the event loop
                log.exception("op %r: success callback failed", self._key)
                self._fail(exc)
            return
        assert isinstance(value, BaseException)
        self._fail(value)

    def _fail(self, exc: BaseException) -> None:
        try:
            if self._failure is not None:
                self._failure(exc)
            else:
                show_error(self._parent, exc)
        except Exception:
            log.exception("op %r: failure callback failed", self._key)
