"""``call_on_gui``: the one way another thread hands work to the GUI thread.

A worker (an Op's pool thread, the outbox sender, the cache refresher) never emits a Qt signal and never
touches a QObject. It puts a plain Python call in a queue and posts a payload-free ``QEvent`` to one
inbox object that lives on the GUI thread for the whole process; the inbox runs the queued calls there.

Why not a queued signal carrying a Python object: with PySide6 6.12 an ``emit`` from a non-Qt thread
crashed the process once in CI (a segmentation fault inside ``emit``, no Python traceback, 1 run in
many). ``QCoreApplication.postEvent`` is Qt's documented thread-safe entry, the event carries no Python
object, and the receiver is never deleted, so no worker can race a GUI-thread deletion.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThread

log = logging.getLogger(__name__)

_WAKE = QEvent.Type(QEvent.registerEventType())

_Call = tuple[Callable[..., object], tuple[Any, ...], QObject | None]


class _Inbox(QObject):
    """Lives on the GUI thread; runs the calls other threads queued for it."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: queue.SimpleQueue[_Call] = queue.SimpleQueue()

    def event(self, event: QEvent) -> bool:
        if event.type() != _WAKE:
            return super().event(event)
        drain()
        return True


_inbox: _Inbox | None = None
_inbox_lock = threading.Lock()


def install() -> None:
    """Create the inbox on the GUI thread (idempotent); call it from the GUI thread before any worker runs."""
    global _inbox  # noqa: PLW0603 - one inbox per process, by design
    with _inbox_lock:
        if _inbox is None:
            app = QCoreApplication.instance()
            if app is None or QThread.currentThread() is not app.thread():
                raise RuntimeError("the GUI-thread inbox must be installed on the GUI thread, with the app built")
            _inbox = _Inbox()


def call_on_gui(fn: Callable[..., object], *args: Any, owner: QObject | None = None) -> None:
    """Run ``fn(*args)`` on the GUI thread soon; safe from any thread.

    With ``owner``, the call is dropped when that object was deleted before the GUI thread got to it
    (a window closed meanwhile). A call that raises is logged; it never reaches the event loop.
    """
    inbox = _inbox
    if inbox is None:
        raise RuntimeError("call_on_gui before install(): the GUI-thread inbox does not exist")
    inbox.calls.put((fn, args, owner))
    app = QCoreApplication.instance()
    if app is None:  # the application is gone (process shutting down): nobody left to deliver to
        log.debug("call_on_gui after the application ended: %r dropped", fn)
        return
    QCoreApplication.postEvent(inbox, QEvent(_WAKE))


def drain() -> int:
    """Run every queued call now (on the GUI thread); how many ran. Shutdown uses it to deliver what is left."""
    inbox = _inbox
    if inbox is None:
        return 0
    ran = 0
    while True:
        try:
            fn, args, owner = inbox.calls.get_nowait()
        except queue.Empty:
            return ran
        if owner is not None and not shiboken6.isValid(owner):
            log.debug("call %r dropped: its owner was deleted", fn)
            continue
        ran += 1
        try:
            fn(*args)
        except Exception:  # one failing call must not stop the others or escape into Qt
            log.exception("call on the GUI thread failed: %r", fn)
