# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""The cashier desk with the link to the center cut (issue #5): a payment taken offline is printed
离线受理 with the counter's receipt number, counted in the status bar, and confirmed when the link
returns — through the real client, a TCP proxy the test cuts, the live server and PostgreSQL. Also the
longest GUI-thread stall while a backlog replays, measured with a timer probe."""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from pytestqt.qtbot import QtBot

from client.core.config import ClientPaths
from client.core.outbox.items import ItemState
from client.core.outbox.queue import Outbox
from client.core.outbox.store import OutboxFullError
from client.ui.ops import is_running, running_ops
from client.ui.screens.cashier_screen import CashierScreen
from client.ui.screens.outbox_screen import OutboxScreen
from printing.escpos import decode_text
from shared_models.methods.payments import PAY, PayRequest, Tender, TenderMethod
from shared_models.methods.shifts import GET_CURRENT
from shared_models.rpc import Empty
from shared_models.rules.hall_time import hall_now
from tests.chaos.proxy import ChaosProxy
from tests.ui.desk_helpers import (  # noqa: F401 - fixtures by name
    TIMEOUT_MS,
    Desk,
    DeskFactory,
    DeskServer,
    customers_in_arrears,
    desk_server,
    ensure_shift,
    link,
    open_desk,
    printer,
    sql,
)

pytestmark = pytest.mark.timeout(300)
JOB_TIMEOUT_S = 20.0
#: The sync worker backs off up to 30 s between tries while the link is down; the heal is seen by the
#: next try.
CONFIRM_TIMEOUT_MS = 45_000


def _open_customer(qtbot: QtBot, desk: Desk, customer_no: str) -> CashierScreen:
    ensure_shift(desk.app.rpc)
    screen = desk.screen
    screen.refresh_shift()
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)
    with qtbot.waitSignal(screen.overview_shown, timeout=TIMEOUT_MS):
        screen.open_customer(customer_no)
    qtbot.waitUntil(screen.payment.quote_is_current, timeout=TIMEOUT_MS)
    return screen


def _booked(server: DeskServer, receipt_no: str) -> list[tuple[int, bool]]:
    rows = sql(server, "SELECT amount_fen, accepted_offline FROM payments WHERE receipt_no = :r", r=receipt_no)
    return [(int(str(r[0])), bool(r[1])) for r in rows]


class TestLinkDown:
    def test_payment_taken_offline_then_confirmed(
        self, qtbot: QtBot, open_desk: DeskFactory, link: ChaosProxy, desk_server: DeskServer,  # noqa: F811
    ) -> None:
        """Cut the link after the customer is on screen; F9 takes the payment offline (离线受理, printed,
        drawer opened), the status bar says offline with one item queued; heal the link and the item is
        booked once, marked offline, and the status bar says the queue is empty."""
        desk = open_desk(payment_wait_s=2.0, server_url=link.url)
        customer_no = customers_in_arrears(desk_server)[0]
        screen = _open_customer(qtbot, desk, customer_no)
        due = screen.payment.quote.due_fen if screen.payment.quote else 0
        assert due > 0

        link.cut()
        with qtbot.waitSignal(screen.payment_done, timeout=TIMEOUT_MS) as done:
            qtbot.keyClick(screen, Qt.Key.Key_F9)
        receipt_no = done.args[0]
        assert "离线受理" in screen.message_label.text()
        assert receipt_no in screen.message_label.text()
        [job] = desk.printer.wait_for_jobs(1, timeout=JOB_TIMEOUT_S)
        text = decode_text(job)
        assert "离线受理" in text
        assert receipt_no in text
        window = desk.window
        qtbot.waitUntil(lambda: window.link_label.text() == "● 离线", timeout=TIMEOUT_MS)
        qtbot.waitUntil(lambda: "待上传 1 笔" in window.queue_label.text(), timeout=TIMEOUT_MS)
        assert _booked(desk_server, receipt_no) == []

        link.heal()
        qtbot.waitUntil(lambda: window.queue_label.text() == "队列已清空", timeout=CONFIRM_TIMEOUT_MS)
        qtbot.waitUntil(lambda: window.link_label.text() == "● 在线", timeout=TIMEOUT_MS)
        assert _booked(desk_server, receipt_no) == [(due, True)]
        assert desk.app.outbox is not None
        [item] = [i for i in desk.app.outbox.items() if i.receipt_no == receipt_no]
        assert item.state is ItemState.DONE
        assert item.offline
        assert item.server_time is not None
        qtbot.waitUntil(lambda: not is_running(screen, "pay") and running_ops() == 0, timeout=TIMEOUT_MS)


    def test_customer_served_from_the_cache(
        self, qtbot: QtBot, open_desk: DeskFactory, link: ChaosProxy, desk_server: DeskServer,  # noqa: F811
    ) -> None:
        """With the link cut before the customer is looked up, the search, the 360 view and the allocation
        come from the hall's customer cache (with the time of the last sync); the payment is taken offline
        against the cached due, the cached figures take it, and it is booked once when the link returns."""
        desk = open_desk(payment_wait_s=2.0, server_url=link.url)
        ensure_shift(desk.app.rpc)
        refresher, cache = desk.app.refresher, desk.app.cache
        assert refresher is not None
        assert cache is not None
        qtbot.waitUntil(lambda: refresher.last is not None and refresher.last.count > 0, timeout=TIMEOUT_MS)
        # a customer of this counter's hall (the cache holds the hall's customers only)
        customer_no = next(c for c in customers_in_arrears(desk_server)[3:] if cache.search(c).items)
        screen = desk.screen
        screen.refresh_shift()
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)

        link.cut()
        screen.search.search_box.setText(customer_no)
        with qtbot.waitSignal(screen.overview_shown, timeout=TIMEOUT_MS):
            qtbot.keyClick(screen.search.search_box, Qt.Key.Key_Return)
        assert screen.served_offline
        assert screen.message_label.text().startswith("离线：客户数据为最近一次同步")
        qtbot.waitUntil(screen.payment.quote_is_current, timeout=TIMEOUT_MS)
        quote = screen.payment.quote
        assert quote is not None
        assert quote.due_fen == cache.quote(customer_no).due_fen > 0
        with qtbot.waitSignal(screen.payment_done, timeout=TIMEOUT_MS) as done:
            qtbot.keyClick(screen, Qt.Key.Key_F9)
        receipt_no = done.args[0]
        assert "离线受理" in screen.message_label.text()
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)
        assert cache.quote(customer_no).due_fen == 0  # the cached bills took the offline payment
        window = desk.window
        # the status bar has counted the item: "queue empty" below is then news, not the label of before F9
        qtbot.waitUntil(lambda: "待上传 1 笔" in window.queue_label.text(), timeout=TIMEOUT_MS)

        outbox = desk.app.outbox
        assert outbox is not None

        def state_of_payment() -> ItemState | None:
            return next((i.state for i in outbox.items(limit=50) if i.receipt_no == receipt_no), None)

        assert state_of_payment() is ItemState.PENDING
        link.heal()
        # Wait on the item itself: the status bar's "queue empty" may still be showing from before the
        # payment was queued (its refresh is asynchronous), which once let this test look too early.
        qtbot.waitUntil(lambda: state_of_payment() is ItemState.DONE, timeout=CONFIRM_TIMEOUT_MS)
        assert _booked(desk_server, receipt_no) == [(quote.due_fen, True)]
        qtbot.waitUntil(lambda: window.queue_label.text() == "队列已清空", timeout=CONFIRM_TIMEOUT_MS)
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)


class TestReplayStall:
    def test_gui_thread_keeps_ticking_during_a_replay(
        self, qtbot: QtBot, open_desk: DeskFactory, link: ChaosProxy, desk_server: DeskServer,  # noqa: F811
    ) -> None:
        """300 payments queued while the link was down replay when it returns; a 10 ms timer on the GUI
        thread measures the longest gap between its ticks meanwhile (the figure is printed; the bound
        asserted here only catches a GUI thread that waits on the network or the disk — the 50 ms target
        is reported by bench/gui_stall.py)."""
        desk = open_desk(payment_wait_s=2.0, server_url=link.url)
        customers = customers_in_arrears(desk_server)[:30]
        shift = ensure_shift(desk.app.rpc)
        floor = desk.app.rpc.call(GET_CURRENT, Empty()).next_receipt_seq  # numbers the server already booked
        state = desk.app.session.state
        outbox = desk.app.outbox
        assert state is not None
        assert outbox is not None
        link.cut()
        for i in range(300):
            customer_no = customers[i % len(customers)]

            def build(receipt_no: str | None, customer_no: str = customer_no) -> PayRequest:
                assert receipt_no is not None
                return PayRequest(customer_no=customer_no, receipt_no=receipt_no, quoted_due_fen=100,
                                  tenders=[Tender(method=TenderMethod.CASH, amount_fen=100, cash_handed_fen=100)],
                                  accepted_offline=True, local_time=hall_now())

            outbox.submit(method=PAY.name, build=build, counter_code=state.counter.code,
                          username=state.user.username, shift_no=shift.shift_no, customer_no=customer_no,
                          amount_fen=100, numbered=True, server_next_seq=floor, offline=True)
        gaps: list[int] = []
        clock = QElapsedTimer()
        probe = QTimer()
        probe.setInterval(10)

        def tick() -> None:
            gaps.append(clock.restart())

        probe.timeout.connect(tick)
        clock.start()
        probe.start()
        started = time.monotonic()
        link.heal()
        assert desk.app.sync is not None
        desk.app.sync.wake()
        qtbot.waitUntil(lambda: outbox.counts().pending == 0, timeout=120_000)
        replay_s = time.monotonic() - started
        probe.stop()
        worst = max(gaps[1:]) if len(gaps) > 1 else 0
        line = f"RESULT gui_stall_ms={worst} replayed=300 replay_s={replay_s:.1f} ticks={len(gaps)}"
        sys.stdout.write(line + "\n")
        report = os.environ.get("GRIDCOUNTER_STALL_REPORT")
        if report:
            Path(report).write_text(line + "\n", encoding="utf-8")
        # The stall itself is a figure for bench/ (GRIDCOUNTER_STALL_REPORT), never a timed assert:
        # here the GUI thread must merely have kept running while the backlog replayed.
        assert len(gaps) > 1, line
        states = [i.state for i in outbox.items(limit=400)]
        assert states == [ItemState.DONE] * 300, [(i.receipt_no, i.last_error) for i in outbox.items(limit=5)]
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)


def _fill_up(outbox: Outbox) -> None:
    """Let the file grow by two pages at most and queue small requests of another user (never sent)
    until 30 in a row are refused as full: the table's last page then has no room for a payment."""
    pages = int(sqlite3.connect(outbox.path).execute("PRAGMA page_count").fetchone()[0])
    outbox._file.max_pages = pages + 2  # the file may not grow: SQLite then reports "database or disk is full"

    def tiny(_receipt_no: str | None) -> PayRequest:
        return PayRequest(customer_no="0000000000", receipt_no="F-20260101-00001", quoted_due_fen=1,
                          tenders=[Tender(method=TenderMethod.CASH, amount_fen=1, cash_handed_fen=1)])

    refused = 0
    while refused < 30:
        try:
            outbox.submit(method=PAY.name, build=tiny, counter_code="F", username="test-filler")
            refused = 0
        except OutboxFullError:
            refused += 1


class TestBadQueue:
    def test_full_disk_refuses_before_the_receipt(
        self, qtbot: QtBot, open_desk: DeskFactory, desk_server: DeskServer,  # noqa: F811 - fixtures
    ) -> None:
        """A disk that is full when the cashier confirms: a clear message, no receipt printed, nothing
        queued, no number spent, nothing booked."""
        desk = open_desk()
        customer_no = customers_in_arrears(desk_server)[1]
        screen = _open_customer(qtbot, desk, customer_no)
        outbox = desk.app.outbox
        assert outbox is not None
        before_items = len(outbox.items(limit=1000))
        before_seq = outbox.last_receipt_seq("H0101")
        _fill_up(outbox)
        before_items = len(outbox.items(limit=100_000))
        booked = len(sql(desk_server, "SELECT 1 FROM payments"))
        qtbot.keyClick(screen, Qt.Key.Key_F9)
        qtbot.waitUntil(lambda: not is_running(screen, "pay"), timeout=TIMEOUT_MS)
        assert screen.message_label.text().startswith("本柜台磁盘已满")
        assert desk.printer.jobs == []
        outbox._file.max_pages = None
        assert len(outbox.items(limit=100_000)) == before_items
        assert outbox.last_receipt_seq("H0101") == before_seq
        assert len(sql(desk_server, "SELECT 1 FROM payments")) == booked
        assert screen.payment.confirm_button.isEnabled()  # the cashier can try again once space is freed

    def test_damaged_queue_blocks_taking_money(
        self, qtbot: QtBot, open_desk: DeskFactory, client_paths: ClientPaths, desk_server: DeskServer,  # noqa: F811
    ) -> None:
        """A queue file damaged before the client started is set aside untouched; the desk refuses to take
        money (a clear sentence) until a supervisor acknowledges it."""
        client_paths.data_dir.mkdir(parents=True, exist_ok=True)
        damaged = client_paths.data_dir / "counter.sqlite3"
        junk = b"SQLite format 3\x00" + os.urandom(8192)
        damaged.write_bytes(junk)
        desk = open_desk()
        outbox_screen = desk.window.screen_widget("outbox")
        assert isinstance(outbox_screen, OutboxScreen)
        dialog = outbox_screen.damage_dialog  # opened at sign-in: the supervisor is asked at once
        assert dialog is not None
        dialog.reject()  # no supervisor at hand yet
        assert desk.window.show_screen("desk")
        customer_no = customers_in_arrears(desk_server)[2]
        screen = _open_customer(qtbot, desk, customer_no)
        assert desk.app.outbox_damage.closed
        kept = [p for p in client_paths.data_dir.iterdir() if p.name.startswith("counter.sqlite3.damaged-")]
        assert [p.read_bytes() for p in kept if not p.name.endswith(("-wal", "-shm"))] == [junk]
        booked = len(sql(desk_server, "SELECT 1 FROM payments"))
        qtbot.keyClick(screen, Qt.Key.Key_F9)
        assert "已损坏" in screen.message_label.text()
        assert len(sql(desk_server, "SELECT 1 FROM payments")) == booked
        assert desk.printer.jobs == []
