# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""The billing clerk's bill run through the real widgets against the live server (issue 12, "Done when"):
calculate book T01-B001's 2026-11 with a progress bar, see the anomaly, hold the bill, correct its reading
with a supervisor's co-sign, recalculate, lift the hold, release the run; the cashier then sees the released
bill's lines in the 360 view's bill lines (and, offline, that they are not available), and collects it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from client.core.rpc_client import Cosign, RpcClient
from client.ui.ops import running_ops
from client.ui.screens.bill_lines_dialog import BillLinesDialog
from client.ui.screens.billrun_screen import BillRunScreen
from shared_models.methods.billruns import DraftFilter, RunState
from shared_models.methods.readings import ENTER_READING, EnterReadingRequest, ReadingStatus, Register
from shared_models.pricing import LineKind
from tests.action_helpers import confirmed
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.factories import COMMERCIAL, LI_XIUYING, WANG_FANG, ZHANG_WEI, password_for
from tests.ui.live_helpers import SignIn, live_client, sign_in_live  # noqa: F401 - the fixture

TIMEOUT_MS = 20_000
BOOK, PERIOD = "T01-B001", 202611
#: 户号 → (reading of 2026-10, reading of 2026-11); 王芳's November reading repeats October's: no consumption.
READINGS = {ZHANG_WEI: ("1000.00", "1180.00"), LI_XIUYING: ("500.00", "600.00"), WANG_FANG: ("2000.00", "2000.00"),
            COMMERCIAL: ("8000.00", "8500.00")}
SUPERVISOR = Cosign(username="super1", password=password_for("super1"))


def _asset_no(customer_no: str) -> str:
    index = [ZHANG_WEI, LI_XIUYING, WANG_FANG, COMMERCIAL].index(customer_no)
    return f"{index:022d}"


@pytest.fixture(scope="module")
def readings(live_server: LiveServer) -> Iterator[None]:  # noqa: F811 - fixture
    """The meter reader's October and November readings of the book, entered as the handheld would not: by hand."""
    rpc: RpcClient
    rpc, _ = live_client(live_server, "reader1", "T0101")
    try:
        for customer_no, values in READINGS.items():
            for period, value, day in ((202610, values[0], dt.date(2026, 10, 25)),
                                       (PERIOD, values[1], dt.date(2026, 11, 22))):
                rpc.send(ENTER_READING, EnterReadingRequest(
                    asset_no=_asset_no(customer_no), period=period, read_on=day, status=ReadingStatus.ACTUAL,
                    values={Register.TOTAL: Decimal(value)}), action=confirmed(), cosign=SUPERVISOR)
        yield
    finally:
        rpc.close()


def _wait_idle(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)


def test_clerk_runs_a_book_and_the_cashier_explains_and_collects(
        qapp: QApplication, qtbot: QtBot, readings: None, sign_in_live: SignIn) -> None:  # noqa: F811
    """Calculate with progress, hold the zero-consumption bill, correct its reading, recalculate, release; the
    cashier's bill lines show the released bill line by line, say offline that they are not available, and the
    bill is collected."""
    ctx = sign_in_live("billing1", "T0101")
    screen = BillRunScreen(ctx=ctx)
    qtbot.addWidget(screen)
    screen.resize(1000, 700)
    screen.show()
    screen.chunk_size = 1  # one customer per call: the bar moves four times
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

    # The anomaly: 王芳 used nothing; the filter shows her alone, in the warning colour, with the sentence.
    with qtbot.waitSignal(screen.run_loaded, timeout=TIMEOUT_MS):
        screen.set_filter(DraftFilter.ANOMALIES)
    _wait_idle(qtbot)
    (flagged,) = screen.model.rows()
    assert flagged.customer_no == WANG_FANG
    findings = screen.proxy.index(0, 6).data()
    assert "No consumption in period 202611" in findings
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

    # The cashier's 360 view: the released bill of 王芳 line by line, the same widget.
    cashier = sign_in_live("cashier1", "T0101")
    lines = BillLinesDialog(ctx=cashier, bill_no=str(bills[WANG_FANG]), offline=False)
    qtbot.addWidget(lines)
    with qtbot.waitSignal(lines.lines_shown, timeout=TIMEOUT_MS):
        lines.show()
    assert lines.bill is not None
    assert lines.bill.kwh == Decimal("120.50")
    assert lines.lines.lines()[0].quantity == Decimal("120.50")
    assert lines.notice.save_button.isEnabled()
    offline = BillLinesDialog(ctx=cashier, bill_no=str(bills[WANG_FANG]), offline=True)
    qtbot.addWidget(offline)
    assert "not available offline" in offline.lines.title_label.text()
    assert offline.lines.lines() == []
