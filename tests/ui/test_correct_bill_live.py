# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""退补 through the real widgets against the live server: a billing clerk selects a released bill on the Bill runs
screen; the correction is refused (no reason, no co-sign, a wrong password, readings unchanged), each with a
translated sentence, changing nothing; the clerk corrects the reading (co-signed) from the same row, then corrects
the bill with a reason and a supervisor's co-sign: the dialog shows the old and the new amount, the lines panel the
new bill naming the one it replaces, the ledger the reversal, and the cashier's bill lines both bills.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from client.ui.ops import running_ops
from client.ui.screens.bill_lines_dialog import BillLinesDialog
from client.ui.screens.billrun_screen import BillRunScreen
from client.ui.screens.correct_bill_dialog import CorrectBillDialog
from shared_models.methods.billruns import (
    CALCULATE_RUN,
    RELEASE_RUN,
    CalculateRunRequest,
    CorrectBillResult,
    RunRef,
    RunState,
)
from shared_models.money import format_fen
from tests.action_helpers import confirmed
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.factories import COMMERCIAL, LI_XIUYING, WANG_FANG, ZHANG_WEI
from tests.ui.billrun_live_helpers import BOOK, PERIOD, SUPERVISOR, TIMEOUT_MS, enter_readings
from tests.ui.confirm_helpers import sql
from tests.ui.live_helpers import SignIn, live_client, sign_in_live  # noqa: F401 - the fixture

pytestmark = pytest.mark.timeout(300)

#: 户号 → readings of 2026-09, -10, -11: 李秀英 used 100 kWh in November, as read.
READINGS = {ZHANG_WEI: ("820.00", "1000.00", "1180.00"), LI_XIUYING: ("400.00", "500.00", "600.00"),
            WANG_FANG: ("1900.00", "2000.00", "2120.50"), COMMERCIAL: ("7500.00", "8000.00", "8500.00")}
OLD_BILL = f"{PERIOD}-{LI_XIUYING}"
NEW_BILL = f"{OLD_BILL}-C1"


@pytest.fixture(scope="module")
def released(live_server: LiveServer) -> None:  # noqa: F811 - fixture
    """The book's November calculated and released (a run any clerk released before)."""
    enter_readings(live_server, READINGS)
    rpc, _ = live_client(live_server, "billing1", "T0101")
    try:
        state = RunState.CALCULATING
        while state is RunState.CALCULATING:
            state = rpc.send(CALCULATE_RUN, CalculateRunRequest(book_code=BOOK, period=PERIOD, chunk_size=200),
                             action=confirmed()).state
        rpc.send(RELEASE_RUN, RunRef(book_code=BOOK, period=PERIOD), action=confirmed())
    finally:
        rpc.close()


def _idle(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)


def _close(qtbot: QtBot, dialog: QDialog) -> None:
    """Close the dialog and let it be deleted before the screen under it is torn down."""
    dialog.close()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog), timeout=TIMEOUT_MS)


def _bills(live: LiveServer) -> list[tuple[str, int, str | None]]:
    """李秀英's bills of the period: number, amount, the bill each corrects."""
    rows = sql(live, "SELECT b.bill_no, b.amount_fen, o.bill_no FROM bills b JOIN customers c ON c.id = b.customer_id"
                     " LEFT JOIN bills o ON o.id = b.corrects_bill_id WHERE c.customer_no = :c AND b.period = :p"
                     " ORDER BY b.id", c=LI_XIUYING, p=PERIOD)
    return [(str(n), int(a), o) for n, a, o in rows]


def _refused(qtbot: QtBot, dialog: CorrectBillDialog, password: str, sentence: str) -> None:
    """Confirm with ``password``; the server refuses with ``sentence`` and the password is cleared."""
    dialog.cosign.username_edit.setText(SUPERVISOR.username)
    dialog.cosign.password_edit.setText(password)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: bool(dialog.error_label.text()), timeout=TIMEOUT_MS)
    _idle(qtbot)
    assert dialog.error_label.text() == sentence
    assert dialog.cosign.password_edit.text() == ""
    assert dialog.answer is None


def test_clerk_corrects_a_released_bill(
        qapp: QApplication, qtbot: QtBot, released: None, live_server: LiveServer,  # noqa: F811
        sign_in_live: SignIn) -> None:  # noqa: F811
    """Refusals change nothing; after a corrected reading the 退补 reverses the bill and bills 150 kWh instead of
    100; the screen, the dialog, the ledger and the cashier's bill lines all show it."""
    screen = BillRunScreen(ctx=sign_in_live("billing1", "T0101"))
    qtbot.addWidget(screen)
    screen.resize(1024, 700)
    screen.show()
    screen.set_run(BOOK, PERIOD)
    with qtbot.waitSignal(screen.run_loaded, timeout=TIMEOUT_MS):
        screen.open_button.click()
    _idle(qtbot)
    assert not screen.correct_button.isEnabled()  # nothing selected
    with qtbot.waitSignal(screen.lines_shown, timeout=TIMEOUT_MS):
        assert screen.select_customer(LI_XIUYING)
    _idle(qtbot)
    old = screen.lines_panel.bill
    assert old is not None
    assert (old.bill_no, old.kwh) == (OLD_BILL, Decimal("100.00"))
    assert screen.correct_button.isEnabled()
    assert screen.reading_button.isEnabled()  # a released bill's reading can be corrected before the 退补
    assert not screen.hold_button.isEnabled()
    assert _bills(live_server) == [(OLD_BILL, old.amount_fen, None)]

    # Refusals: the dialog's own (no reason, no co-sign), then the server's; each a sentence, nothing changes.
    screen.correct_button.click()
    dialog = screen.correct_dialog
    assert isinstance(dialog, CorrectBillDialog)
    assert f"¥{format_fen(old.amount_fen)}" in dialog.text_label.text()
    dialog.ok_button.click()
    assert dialog.error_label.text() == "Give the reason for the correction."
    dialog.reason_combo.setEditText("抄表员看错一位")
    dialog.ok_button.click()
    assert dialog.error_label.text().startswith("This action needs a supervisor's co-signature")
    _refused(qtbot, dialog, "not-the-password", "The co-signer's user name or password is wrong.")
    _refused(qtbot, dialog, SUPERVISOR.password,
             f"Priced again, bill {OLD_BILL} comes out exactly the same; there is nothing to correct.")
    assert screen.slots["correct"].pending is None  # definite answers: the next confirmation is a new action
    _close(qtbot, dialog)
    assert _bills(live_server) == [(OLD_BILL, old.amount_fen, None)]

    # The reading was 650, not 600: corrected from the same row, co-signed.
    reading = screen.open_reading()
    assert reading is not None
    qtbot.waitUntil(lambda: reading.history is not None, timeout=TIMEOUT_MS)
    assert reading.current_reading() is not None
    reading.set_value("total", "650.00")
    reading.note_edit.setText("抄表员看错一位")
    reading.cosign.username_edit.setText(SUPERVISOR.username)
    reading.cosign.password_edit.setText(SUPERVISOR.password)
    with qtbot.waitSignal(reading.reading_saved, timeout=TIMEOUT_MS):
        reading.save_button.click()
    _close(qtbot, reading)
    assert "refund/back-charge (退补)" in screen.message_label.text()

    # 退补: the old and the new amount in the dialog; the screen reloads on the new bill.
    dialog = screen.open_correct()
    assert dialog is not None
    dialog.reason_combo.setEditText("抄表员看错一位")
    dialog.cosign.username_edit.setText(SUPERVISOR.username)
    dialog.cosign.password_edit.setText(SUPERVISOR.password)
    with qtbot.waitSignal(screen.run_loaded, timeout=TIMEOUT_MS), \
            qtbot.waitSignal(dialog.corrected, timeout=TIMEOUT_MS) as corrected:
        dialog.ok_button.click()
    _idle(qtbot)
    result = corrected.args[0]
    assert isinstance(result, CorrectBillResult)
    new = result.new_bill
    assert (result.reversed_bill_no, result.reversed_fen) == (OLD_BILL, old.amount_fen)
    assert (new.bill_no, new.kwh, new.corrects_bill_no, new.correction_reason) == (
        NEW_BILL, Decimal("150.00"), OLD_BILL, "抄表员看错一位")
    more = new.amount_fen - old.amount_fen
    assert more > 0
    assert dialog.result_label.text() == (
        f"Bill {OLD_BILL} of ¥{format_fen(old.amount_fen)} is reversed. New bill {NEW_BILL}: "
        f"¥{format_fen(new.amount_fen)}. The customer is charged ¥{format_fen(more)} more. Still owed on the new "
        f"bill: ¥{format_fen(new.principal_open_fen)}.")
    assert not dialog.ok_button.isVisible()
    assert dialog.cosign.password_edit.text() == ""
    _close(qtbot, dialog)
    assert screen.message_label.text() == \
        f"Bill {OLD_BILL} is reversed and replaced by bill {NEW_BILL} of ¥{format_fen(new.amount_fen)}."

    # The lines panel follows the row's bill to the one that replaced it.
    qtbot.waitUntil(lambda: screen.lines_panel.bill is not None and screen.lines_panel.bill.bill_no == NEW_BILL,
                    timeout=TIMEOUT_MS)
    assert screen.selected_draft() is not None
    assert f"replaces bill {OLD_BILL}, which is reversed. Reason: 抄表员看错一位" in screen.lines.title_label.text()
    assert screen.lines.lines()[0].quantity == Decimal("150.00")
    assert screen.correct_button.isEnabled()  # the new bill may be corrected in turn

    # The books: the old charge reversed, the new bill charged; one correction.
    assert _bills(live_server) == [(OLD_BILL, old.amount_fen, None), (NEW_BILL, new.amount_fen, OLD_BILL)]
    entries = sql(live_server, "SELECT e.kind, e.amount_fen FROM ledger_entries e JOIN bills b ON b.id = e.bill_id"
                               " WHERE b.bill_no = :b AND e.kind IN ('charge', 'reversal') ORDER BY e.id",
                  b=OLD_BILL)
    assert [(str(k), int(a)) for k, a in entries] == [("charge", -old.amount_fen), ("reversal", old.amount_fen)]

    # The cashier's bill lines: the new bill with its lines and what it replaces, the old one reversed.
    cashier = sign_in_live("cashier1", "T0101")
    for bill_no, says in ((NEW_BILL, f"It replaces bill {OLD_BILL} by a refund/back-charge (退补): 抄表员看错一位"),
                          (OLD_BILL, f"Reversed by a refund/back-charge (退补): bill {NEW_BILL} replaces it.")):
        lines = BillLinesDialog(ctx=cashier, bill_no=bill_no, offline=False)
        qtbot.addWidget(lines)
        with qtbot.waitSignal(lines.lines_shown, timeout=TIMEOUT_MS):
            lines.open()
        assert says in lines.paid_label.text()
        assert lines.lines.lines()
        _close(qtbot, lines)
