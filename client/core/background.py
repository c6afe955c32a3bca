"""The counter's background loops (the outbox sender, the customer cache refresher): one daemon thread
each that runs a step, waits the seconds the step asked for (or less, when woken), and tells listeners
what changed. Qt-free: listeners are called on the loop's thread; the UI bridges them by signal."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Generic, Self, TypeVar

log = logging.getLogger(__name__)

EventT = TypeVar("EventT")
#: After a step failed with an unexpected error, the loop waits this long and goes on.
FAILED_STEP_WAIT_S = 5.0


class BackgroundLoop(Generic[EventT]):
    """Runs :meth:`_step` on a daemon thread until stopped; subclasses implement the step."""

    def __init__(self, *, name: str) -> None:
        self._name = name
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._listeners: list[Callable[[EventT], None]] = []

    def start(self) -> Self:
        """Start the thread (once)."""
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name=self._name, daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout_s: float = 20.0) -> None:
        """Stop after the step in progress (a call in flight) returns."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    @property
    def running(self) -> bool:
        """True while the thread runs."""
        return self._thread is not None and self._thread.is_alive()

    def wake(self) -> None:
        """Run the next step now instead of after the wait."""
        self._wake.set()

    def subscribe(self, listener: Callable[[EventT], None]) -> Callable[[], None]:
        """Call ``listener(event)`` (on the loop's thread) on every event; returns the unsubscribe."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    def _emit(self, event: EventT) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # one broken listener must not stop the loop or the others
                log.exception("%s: listener failed", self._name)

    def _loop(self) -> None:
        log.info("%s started", self._name)
        self._on_start()
        while not self._stop.is_set():
            try:
                delay = self._step()
            except Exception:  # the loop must outlive any bug: what it serves would silently stall
                log.exception("%s: step failed", self._name)
                delay = FAILED_STEP_WAIT_S
            if self._stop.is_set():
                break
            if delay > 0:
                self._wake.wait(delay)
            self._wake.clear()
        log.info("%s stopped", self._name)

    def _on_start(self) -> None:
        """Run once on the thread before the first step."""

    def _step(self) -> float:
        """One step; the seconds to wait before the next (0: at once)."""
        raise NotImplementedError
