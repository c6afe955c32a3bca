"""One dedicated worker thread per peripheral (STYLE rule 7, after Electrum's ``run_in_hwd_thread``).

Every call that talks to a device (printer, card reader, drawer) runs on that device's own thread,
submitted through :meth:`DeviceThread.submit`, which returns a :class:`concurrent.futures.Future`; the
UI wraps the Future in its Op runner, so the GUI thread never waits on hardware. Device methods are
marked with :func:`on_device_thread`, which refuses to run them anywhere else: not on the GUI thread,
and not on another device's thread (two devices never share one, so they never queue behind each other).

A hung device blocks only its own thread. A printer that stops answering stalls the jobs queued behind
it on ``receipt_printer``; the card reader's thread keeps working. A Python thread cannot be killed, so
what bounds a hang is the driver's own I/O timeout (``NetworkPrinter.timeout``); :meth:`DeviceThread.shutdown`
takes a ``timeout`` so closing the application never waits forever on a stuck device.

No Qt here: ``client/devices`` is testable without a QApplication.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

# Set once on each device thread by the executor's initializer; absent on every other thread.
_local = threading.local()


class WrongThreadError(RuntimeError):
    """A device function was called off its device's thread (a programming error, never a device fault)."""

    def __init__(self, *, device: str, thread_name: str) -> None:
        super().__init__(f"{device!r} device function called on thread {thread_name!r}")
        self.device = device
        self.thread_name = thread_name


def current_device() -> str | None:
    """The name of the device whose thread is running this code, or None off every device thread."""
    name: str | None = getattr(_local, "device", None)
    return name


def on_device_thread(name: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Mark a device function: calling it on any thread but device ``name``'s raises :class:`WrongThreadError`.

    ``@on_device_thread("receipt_printer") def _print_now(self, doc: ReceiptDocument) -> None: ...``
    """

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            if current_device() != name:
                raise WrongThreadError(device=name, thread_name=threading.current_thread().name)
            return fn(*args, **kwargs)

        return checked

    return decorate


def _enter_device_thread(device: str) -> None:
    _local.device = device


class DeviceThread:
    """The one worker thread of one peripheral: a single-worker executor whose thread is named after it.

    The thread starts with the first :meth:`submit` and is named ``device-<name>_0``. Jobs run one at a
    time, in submission order; a job's exception is raised by its Future, never swallowed.
    """

    def __init__(self, name: str) -> None:
        """``name`` is the device's name, the one its functions give :func:`on_device_thread`."""
        if not name or not name.isidentifier():
            raise ValueError(f"not a device name: {name!r}")
        self.name = name
        self.thread_name_prefix = f"device-{name}"
        self._executor = ThreadPoolExecutor(
            max_workers=1,
            thread_name_prefix=self.thread_name_prefix,
            initializer=_enter_device_thread,
            initargs=(name,),
        )

    def __repr__(self) -> str:
        return f"DeviceThread({self.name!r})"

    def submit(self, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> Future[R]:
        """Queue ``fn(*args, **kwargs)`` on the device thread; RuntimeError once shut down."""
        return self._executor.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, timeout: float | None = None) -> bool:
        """Accept no more jobs; let the queued ones finish; with ``wait``, join the thread.

        Returns True when the thread has ended (or never started), False when ``timeout`` seconds passed
        first: the device is hung inside a job, and its thread ends when the driver's I/O timeout fires.
        """
        self._executor.shutdown(wait=False)
        # CPython's executor keeps its worker in ``_threads`` (typed in typeshed); Executor.shutdown
        # itself cannot wait with a timeout, so the join is done here.
        threads = list(self._executor._threads)
        if wait:
            for thread in threads:
                thread.join(timeout)
        if any(t.is_alive() for t in threads):
            if wait:
                log.warning("device thread %s still busy after %s s", self.name, timeout)
            return False
        return True
