# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""The billing clerk's bill run through the real widgets against the live server (issue 12, "Done when"):
calculate book T01-B001's 2026-11 with a progress bar, see the anomaly, hold the bill, correct its reading
with a supervisor's co-sign, recalculate, lift the hold, release the run; the cashier then sees the released
bill's lines in the 360 view's bill lines (and, offline, that they are not available), and collects it."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from client.core.outbox.queue import Outbox
from client.core.sync import Backoff, SyncWorker
from client.ui.context import UiContext
from client.ui.ops import running_ops
from client.ui.screens.bill_lines_dialog import BillLinesDialog
from client.ui.screens.billrun_screen import BillRunScreen
from client.ui.screens.cashier_screen import CashierScreen
from shared_models.methods.billruns import DraftFilter, RunState
from shared_models.methods.shifts import GET_CURRENT, OPEN, OpenShiftRequest
from shared_models.money import format_fen
from shared_models.pricing import LineKind
from shared_models.rpc import Empty
from tests.action_helpers import confirmed
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.factories import COMMERCIAL, LI_XIUYING, WANG_FANG, ZHANG_WEI
from tests.ui.billrun_live_helpers import BOOK, PERIOD, SUPERVISOR, TIMEOUT_MS, enter_readings
from tests.ui.live_helpers import SignIn, sign_in_live  # noqa: F401 - the fixture

#: 户号 → readings of 2026-09, -10, -11; 王芳's November repeats October: nothing used, after 100 kWh in October.
READINGS = {ZHANG_WEI: ("820.00", "1000.00", "1180.00"), LI_XIUYING: ("400.00", "500.00", "600.00"),
            WANG_FANG: ("1900.00", "2000.00", "2000.00"), COMMERCIAL: ("7500.00", "8000.00", "8500.00")}


@pytest.fixture(scope="module")
def readings(live_server: LiveServer) -> None:  # noqa: F811 - fixture
    """The meter reader's October and November readings of the book, entered as the handheld would not: by hand."""
    enter_readings(live_server, READINGS)


def _wait_idle(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)


def test_clerk_runs_a_book_and_the_cashier_explains_and_collects(
        qapp: QApplication, qtbot: QtBot, readings: None, sign_in_live: SignIn,  # noqa: F811
        tmp_path: Path) -> None:
    """Calculate with progress, hold the zero-consumption bill, correct its reading, recalculate, release; the
    cashier's bill lines show the released bill line by line, say offline that they are not available, and the
    bill is collected."""
    ctx = sign_in_live("billing1", "T0101")
    screen = BillRunScreen(ctx=ctx)
    qtbot.addWidget(screen)
    screen.resize(1000, 700)
    screen.show()
    screen.bar.chunk_size = 1  # one customer per call: the bar moves four times
    screen.set_run(BOOK, PERIOD)
    seen: list[int] = []
    screen.progress.valueChanged.connect(seen.append)
    with qtbot.waitSignal(screen.run_loaded, timeout=TIMEOUT_MS):
        screen.calculate_button.click()
    _wait_idle(qtbot)
    assert screen.run is not None
    assert screen.run.state is RunState.CALCULATED
    assert seen[-1] == 4, seen
    assert len(set(seen)) >= 3, seen  # the bar followed the chunks
    assert [d.customer_no for d in screen.model.rows()] == [ZHANG_WEI, LI_XIUYING, WANG_FANG, COMMERCIAL]

    # The anomaly: 王芳 used nothing after 100 kWh; the filter shows her alone, in the warning colour, with the
    # sentence.
    with qtbot.waitSignal(screen.run_loaded, timeout=TIMEOUT_MS):
        screen.set_filter(DraftFilter.ANOMALIES)
    _wait_idle(qtbot)
    (flagged,) = screen.model.rows()
    assert flagged.customer_no == WANG_FANG
    findings = screen.proxy.index(0, 6).data()
    assert findings == "Consumption 0.00 kWh is -100.0 % against the previous period's 100.00 kWh (limit −50.0 %)."
    assert screen.proxy.index(0, 6).data(9) is not None  # ForegroundRole: coloured by severity

    # Hold it with a reason.
    assert screen.select_customer(WANG_FANG)
    hold = screen.open_hold()
    assert hold is not None
    hold.reason_combo.setEditText("示数待现场核实")
    with qtbot.waitSignal(screen.run_loaded, timeout=TIMEOUT_MS):
        hold.ok_button.click()
    _wait_idle(qtbot)
    held = screen.selected_draft()
    assert held is not None
    assert held.held
    with qtbot.waitSignal(screen.run_loaded, timeout=TIMEOUT_MS):
        screen.set_filter(DraftFilter.HELD)
    _wait_idle(qtbot)
    assert [d.customer_no for d in screen.model.rows()] == [WANG_FANG]
    assert screen.select_customer(WANG_FANG)

    # Correct her November reading, co-signed; the dialog says what the checks found.
    dialog = screen.open_reading()
    assert dialog is not None
    with qtbot.waitSignal(dialog.history_loaded, timeout=TIMEOUT_MS):
        pass
    assert dialog.current_reading() is not None  # the save corrects the November reading
    dialog.set_value("total", "2120.50")
    dialog.note_edit.setText("抄表员看错一位")
    dialog.cosign.username_edit.setText(SUPERVISOR.username)
    dialog.cosign.password_edit.setText(SUPERVISOR.password)
    with qtbot.waitSignal(dialog.reading_saved, timeout=TIMEOUT_MS):
        dialog.save_button.click()
    assert "is stored" in dialog.result_label.text()
    dialog.close()

    # Recalculate the held draft: 120.5 kWh now, its lines in the panel; lift the hold.
    with qtbot.waitSignal(screen.run_loaded, timeout=TIMEOUT_MS):
        screen.recalculate_button.click()
    _wait_idle(qtbot)
    draft = screen.selected_draft()
    assert draft is not None
    assert draft.total_kwh == Decimal("120.50")
    assert draft.held
    qtbot.waitUntil(lambda: bool(screen.lines.lines()), timeout=TIMEOUT_MS)
    assert screen.lines.lines()[0].kind is LineKind.ENERGY
    with qtbot.waitSignal(screen.run_loaded, timeout=TIMEOUT_MS):
        screen.unhold_button.click()
    _wait_idle(qtbot)

    # Release the run after the confirmation with its totals.
    with qtbot.waitSignal(screen.run_loaded, timeout=TIMEOUT_MS):
        screen.set_filter(DraftFilter.ALL)
    _wait_idle(qtbot)
    release = screen.open_release()
    assert release is not None
    assert "¥" in release.text_label.text()
    with qtbot.waitSignal(screen.released, timeout=TIMEOUT_MS) as blocker:
        release.ok_button.click()
    assert blocker.args[0].bills_released == 4
    _wait_idle(qtbot)
    released = screen.run
    assert released is not None
    assert released.state == RunState.RELEASED
    bills = {d.customer_no: d.bill_no for d in screen.model.rows()}
    assert all(bills.values())

    # The cashier's desk: the shift open, 王芳 found; the released bill is among her open bills in the 360 view
    # and its lines open from there, with the amount still owed.
    bill_no = str(bills[WANG_FANG])
    cashier = sign_in_live("cashier1", "T0101")
    if cashier.rpc.call(GET_CURRENT, Empty()).shift is None:
        cashier.rpc.send(OPEN, OpenShiftRequest(float_fen=0), action=confirmed())
    outbox = Outbox.in_folder(tmp_path).open()
    worker = SyncWorker(outbox=outbox, rpc=cashier.rpc, user=lambda: "cashier1",
                        backoff=Backoff(base_s=0.1, cap_s=0.5), idle_s=0.2).start()
    try:
        _collect(qtbot, dataclasses.replace(cashier, outbox=outbox, sync=worker), bill_no)
    finally:
        worker.stop()
    offline = BillLinesDialog(ctx=cashier, bill_no=bill_no, offline=True)
    qtbot.addWidget(offline)
    assert "not available offline" in offline.lines.title_label.text()
    assert offline.lines.lines() == []


def _collect(qtbot: QtBot, ctx: UiContext, bill_no: str) -> None:
    """At the desk: the bill's lines from the 360 view, the amount due taken in cash, the bill then paid."""
    desk = CashierScreen(ctx=ctx)
    qtbot.addWidget(desk)
    desk.resize(1024, 768)
    desk.show()
    desk.refresh_shift()
    _wait_idle(qtbot)
    with qtbot.waitSignal(desk.overview_shown, timeout=TIMEOUT_MS):
        desk.open_customer(WANG_FANG)
    qtbot.waitUntil(desk.payment.quote_is_current, timeout=TIMEOUT_MS)
    overview = desk.overview
    numbers = [row.bill_no for row in overview.bills_model.rows()]
    assert bill_no in numbers
    overview.bills_table.selectRow(numbers.index(bill_no))
    assert overview.selected_bill_no() == bill_no
    overview.bill_lines_button.click()
    lines = desk.dialog
    assert isinstance(lines, BillLinesDialog)
    qtbot.waitUntil(lambda: lines.bill is not None, timeout=TIMEOUT_MS)
    assert lines.bill is not None
    assert lines.bill.kwh == Decimal("120.50")
    assert lines.lines.lines()[0].quantity == Decimal("120.50")
    assert lines.bill.principal_open_fen == lines.bill.amount_fen > 0
    assert lines.paid_label.text() == f"Still owed: ¥{format_fen(lines.bill.amount_fen)} of " \
                                      f"¥{format_fen(lines.bill.amount_fen)}."
    assert lines.notice.save_button.isEnabled()
    lines.close_button.click()

    # Collect: the whole amount due in cash, confirmed (F9's button).
    customer = desk.payment.customer
    assert customer is not None
    due = customer.due_fen
    assert due >= lines.bill.amount_fen
    desk.payment.amount_edit.selectAll()
    qtbot.keyClicks(desk.payment.amount_edit, format_fen(due))
    qtbot.waitUntil(desk.payment.quote_is_current, timeout=TIMEOUT_MS)
    qtbot.keyClicks(desk.payment.cash_handed_edit, format_fen(due))
    assert desk.payment.problem_label.text() == ""
    with qtbot.waitSignal(desk.payment_done, timeout=TIMEOUT_MS):
        desk.payment.confirm_button.click()
    receipt = desk.last_receipt
    assert receipt is not None
    assert not receipt.accepted_offline
    assert receipt.paid_fen == due
    assert bill_no in [b.bill_no for b in receipt.bills]
    _wait_idle(qtbot)  # the 360 view reloads after the payment

    # The bill has left the open bills, and its lines say it is paid.
    qtbot.waitUntil(lambda: overview.bills_model.rowCount() == 0, timeout=TIMEOUT_MS)
    paid = desk.open_bill_lines(bill_no)
    qtbot.waitUntil(lambda: paid.bill is not None, timeout=TIMEOUT_MS)
    assert paid.bill is not None
    assert paid.bill.principal_open_fen == 0
    assert paid.paid_label.text() == "Paid in full."
    paid.close_button.click()
    qtbot.waitUntil(lambda: not shiboken6.isValid(paid), timeout=TIMEOUT_MS)  # gone before the desk is torn down
