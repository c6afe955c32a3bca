"""``call_on_gui``: work handed from plain Python threads runs on the GUI thread, in order, and a call
whose owner was deleted meanwhile, or that raises, harms nothing else."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import pytest
import shiboken6
from PySide6.QtCore import QObject, QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from client.ui import gui_thread


@pytest.fixture(autouse=True)
def inbox(qapp: QApplication) -> None:
    """The inbox exists, as build_app installs it."""
    gui_thread.install()


def _from_thread(fn: Callable[[], None]) -> None:
    worker = threading.Thread(target=fn)
    worker.start()
    worker.join()


def test_calls_from_threads_run_on_the_gui_thread_in_order(qtbot: QtBot, qapp: QApplication) -> None:
    seen: list[tuple[int, bool]] = []

    def record(n: int) -> None:
        seen.append((n, QThread.currentThread() is qapp.thread()))

    def post() -> None:
        for n in range(50):
            gui_thread.call_on_gui(record, n)

    _from_thread(post)
    assert seen == []  # nothing runs on the worker, nothing before the GUI thread gets to it
    qtbot.waitUntil(lambda: len(seen) == 50, timeout=5_000)
    assert seen == [(n, True) for n in range(50)]


def test_a_deleted_owner_drops_the_call(qtbot: QtBot) -> None:
    seen: list[str] = []
    kept, gone = QObject(), QObject()

    def post() -> None:
        gui_thread.call_on_gui(seen.append, "gone", owner=gone)
        gui_thread.call_on_gui(seen.append, "kept", owner=kept)

    _from_thread(post)
    shiboken6.delete(gone)  # the window closed before the GUI thread got to the call
    qtbot.waitUntil(lambda: seen == ["kept"], timeout=5_000)
    assert gui_thread.drain() == 0


def test_a_failing_call_is_logged_and_the_next_still_runs(qtbot: QtBot, caplog: pytest.LogCaptureFixture) -> None:
    seen: list[int] = []

    def boom() -> None:
        raise ValueError("kaputt")

    with caplog.at_level(logging.ERROR, logger="client.ui.gui_thread"):

        def post() -> None:
            gui_thread.call_on_gui(boom)
            gui_thread.call_on_gui(seen.append, 1)

        _from_thread(post)
        qtbot.waitUntil(lambda: seen == [1], timeout=5_000)
    assert "call on the GUI thread failed" in caplog.text


def test_install_off_the_gui_thread_is_refused(qapp: QApplication) -> None:
    errors: list[BaseException] = []

    def install() -> None:
        saved, gui_thread._inbox = gui_thread._inbox, None
        try:
            gui_thread.install()
        except RuntimeError as exc:
            errors.append(exc)
        finally:
            gui_thread._inbox = saved

    _from_thread(install)
    assert len(errors) == 1
