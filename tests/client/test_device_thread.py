"""Tests of the per-peripheral device threads (STYLE rule 7)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest

from client.devices.device_thread import DeviceThread, WrongThreadError, current_device, on_device_thread

TIMEOUT = 5.0


def device_threads_alive() -> list[str]:
    """Names of the live threads that belong to a DeviceThread."""
    return [t.name for t in threading.enumerate() if t.name.startswith("device-")]


class Scanner:
    """A stand-in device whose functions must run on the ``scanner`` thread."""

    @on_device_thread("scanner")
    def read(self, value: int) -> int:
        """Return ``value`` (a device call)."""
        return value


@pytest.fixture
def make_thread() -> Iterator[Callable[[str], DeviceThread]]:
    """Create DeviceThreads that are shut down (and checked gone) after the test."""
    made: list[DeviceThread] = []

    def make(name: str) -> DeviceThread:
        thread = DeviceThread(name)
        made.append(thread)
        return thread

    yield make
    for thread in made:
        assert thread.shutdown(wait=True, timeout=TIMEOUT)
    assert device_threads_alive() == []


class TestOnDeviceThread:
    """Device functions run only on their own device's thread."""

    def test_runs_on_its_thread(self, make_thread: Callable[[str], DeviceThread]) -> None:
        """A device function submitted to its device's thread runs and returns its result."""
        scanner = make_thread("scanner")
        assert scanner.submit(Scanner().read, 7).result(timeout=TIMEOUT) == 7

    def test_refused_on_the_calling_thread(self) -> None:
        """Called directly (as from the GUI thread), a device function raises WrongThreadError."""
        with pytest.raises(WrongThreadError) as info:
            Scanner().read(1)
        assert info.value.device == "scanner"
        assert info.value.thread_name == threading.current_thread().name

    def test_refused_on_another_device_thread(self, make_thread: Callable[[str], DeviceThread]) -> None:
        """A device function submitted to another device's thread fails with WrongThreadError."""
        printer = make_thread("receipt_printer")
        future = printer.submit(Scanner().read, 1)
        with pytest.raises(WrongThreadError):
            future.result(timeout=TIMEOUT)

    def test_current_device(self, make_thread: Callable[[str], DeviceThread]) -> None:
        """current_device() names the device on its thread and is None elsewhere."""
        scanner = make_thread("scanner")
        assert current_device() is None
        assert scanner.submit(current_device).result(timeout=TIMEOUT) == "scanner"


class TestDeviceThread:
    """One worker thread per device: named, independent, joined on shutdown."""

    def test_thread_is_named_after_the_device(self, make_thread: Callable[[str], DeviceThread]) -> None:
        """The worker thread's name starts with device-<name>."""
        scanner = make_thread("scanner")
        name = scanner.submit(lambda: threading.current_thread().name).result(timeout=TIMEOUT)
        assert name.startswith("device-scanner")

    def test_jobs_run_in_order_on_one_thread(self, make_thread: Callable[[str], DeviceThread]) -> None:
        """Jobs of one device run one at a time, in order, on the same thread."""
        scanner = make_thread("scanner")
        seen: list[tuple[int, int]] = []

        def record(i: int) -> None:
            seen.append((i, threading.get_ident()))

        futures = [scanner.submit(record, i) for i in range(5)]
        for future in futures:
            future.result(timeout=TIMEOUT)
        assert [i for i, _ in seen] == list(range(5))
        assert len({ident for _, ident in seen}) == 1

    def test_exception_surfaces_in_the_future(self, make_thread: Callable[[str], DeviceThread]) -> None:
        """A job's exception is raised by its Future, and the thread keeps serving."""
        scanner = make_thread("scanner")

        def fail() -> None:
            raise OSError("device unplugged")

        with pytest.raises(OSError, match="unplugged"):
            scanner.submit(fail).result(timeout=TIMEOUT)
        assert scanner.submit(lambda: 3).result(timeout=TIMEOUT) == 3

    def test_hung_device_does_not_block_another(self, make_thread: Callable[[str], DeviceThread]) -> None:
        """While one device's job hangs, another device's thread keeps running jobs."""
        printer = make_thread("receipt_printer")
        reader = make_thread("card_reader")
        started = threading.Event()
        release = threading.Event()

        def hang() -> bool:
            started.set()
            return release.wait(TIMEOUT)

        hung = printer.submit(hang)
        assert started.wait(TIMEOUT)
        assert reader.submit(lambda: "card").result(timeout=TIMEOUT) == "card"
        assert not hung.done()
        release.set()
        assert hung.result(timeout=TIMEOUT) is True

    def test_shutdown_joins_the_thread(self) -> None:
        """shutdown() waits for the queued job and leaves no device thread behind."""
        scanner = DeviceThread("scanner")
        future = scanner.submit(lambda: 1)
        assert scanner.shutdown()
        assert future.result(timeout=0) == 1
        assert device_threads_alive() == []

    def test_shutdown_timeout_on_a_hung_device(self) -> None:
        """shutdown() with a timeout returns False while a job hangs, True once it ends."""
        scanner = DeviceThread("scanner")
        started = threading.Event()
        release = threading.Event()

        def hang() -> bool:
            started.set()
            return release.wait(TIMEOUT)

        scanner.submit(hang)
        assert started.wait(TIMEOUT)
        assert scanner.shutdown(wait=True, timeout=0.05) is False
        release.set()
        assert scanner.shutdown(wait=True, timeout=TIMEOUT) is True
        assert device_threads_alive() == []

    def test_shutdown_before_any_job(self) -> None:
        """A DeviceThread that never ran a job shuts down at once (its thread never started)."""
        assert DeviceThread("scanner").shutdown(timeout=TIMEOUT)

    def test_submit_after_shutdown_is_refused(self) -> None:
        """Once shut down, a DeviceThread takes no more jobs."""
        scanner = DeviceThread("scanner")
        scanner.shutdown()
        with pytest.raises(RuntimeError):
            scanner.submit(lambda: 1)

    def test_name_is_checked(self) -> None:
        """A device name must be an identifier (it names the thread and the decorator's check)."""
        with pytest.raises(ValueError, match="device name"):
            DeviceThread("")
