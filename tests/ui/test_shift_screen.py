# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""The shift screen against the live server: open with a float, the live summary, close with and without a
cash difference (co-signed on the same dialog), and a shift closed twice."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QSpinBox, QTableWidget
from pytestqt.qtbot import QtBot

from client.core.rpc_client import RpcError
from client.ui.context import UiContext
from client.ui.messages import error_message, tender_name
from client.ui.screens.close_shift_dialog import CloseShiftDialog
from client.ui.screens.shift_screen import ShiftScreen
from shared_models.errors import ErrorCode
from shared_models.methods.shifts import CLOSE, SUMMARY, CashCountLine, CloseShiftRequest, ShiftRequest, ShiftSummary
from shared_models.money import format_fen
from tests.action_helpers import confirmed
from tests.e2e.conftest import live_server  # noqa: F401 - the fixture
from tests.factories import ZHANG_WEI, password_for
from tests.ui.conftest import ARTIFACTS
from tests.ui.live_helpers import SignIn, sign_in_live, take_payment  # noqa: F401 - sign_in_live: fixture

CLICK = Qt.MouseButton.LeftButton


def _screen(qtbot: QtBot, ctx: UiContext) -> ShiftScreen:
    """The shift screen, shown; it has asked the server whether a shift is open."""
    screen = ShiftScreen(ctx=ctx)
    qtbot.addWidget(screen)
    screen.resize(1000, 760)
    screen.show()
    qtbot.waitUntil(lambda: ctx.shift.known, timeout=10_000)
    return screen


def _open(qtbot: QtBot, screen: ShiftScreen, float_yuan: str) -> str:
    """Type the float and press F2; the number of the shift opened."""
    assert screen.open_box.isVisible()
    screen.activateWindow()
    screen.float_edit.setFocus()
    qtbot.keyClicks(screen.float_edit, float_yuan)
    qtbot.keyClick(screen.float_edit, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: screen.summary_view.summary is not None, timeout=10_000)
    assert screen.shift.shift is not None
    return screen.shift.shift.shift_no


def _close_dialog(qtbot: QtBot, screen: ShiftScreen) -> CloseShiftDialog:
    qtbot.mouseClick(screen.close_button, CLICK)
    qtbot.waitUntil(lambda: screen.close_dialog is not None and screen.close_dialog.isVisible(), timeout=10_000)
    assert screen.close_dialog is not None
    return screen.close_dialog


def _count(qtbot: QtBot, dialog: CloseShiftDialog, pieces: dict[int, int]) -> None:
    """Type the pieces of each denomination into its spin box."""
    for fen, n in pieces.items():
        spin = dialog.findChild(QSpinBox, f"piecesSpin{fen}")
        assert spin is not None
        spin.lineEdit().selectAll()
        qtbot.keyClicks(spin, str(n))


def _summary(ctx: UiContext, shift_no: str) -> ShiftSummary:
    return ctx.rpc.call(SUMMARY, ShiftRequest(shift_no=shift_no))


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def _error_box(screen: ShiftScreen) -> QMessageBox | None:
    return screen.findChild(QMessageBox, "errorBox")


class TestShiftScreen:
    """Open, follow and close a shift through the real widgets."""

    def test_open_follow_and_close_even(self, qtbot: QtBot, sign_in_live: SignIn,  # noqa: F811
                                        use_locale: Callable[[str], None]) -> None:
        """A 500.00 float opens a shift; a cash + card payment shows in the totals; an even count closes it."""
        use_locale("zh_CN")
        ctx = sign_in_live("cashier1", "T0101")
        screen = _screen(qtbot, ctx)
        assert screen.status_label.text() == "本柜台没有未结的班次。"
        shift_no = _open(qtbot, screen, "500")
        view = screen.summary_view
        assert screen.values["shiftNoValue"].text() == shift_no
        assert screen.values["floatValue"].text() == "500.00"
        assert view.value("expectedCashValue") == "500.00"
        assert view.value("paymentsCountValue") == "0"

        take_payment(ctx.rpc, ZHANG_WEI, cash_fen=10_000, card_fen=5_000)
        qtbot.mouseClick(screen.refresh_button, CLICK)
        qtbot.waitUntil(lambda: view.value("paymentsCountValue") == "1", timeout=10_000)
        methods = {_cell(view.methods_table, r, 0): _cell(view.methods_table, r, 2)
                   for r in range(view.methods_table.rowCount())}
        assert methods == {tender_name("cash"): "100.00", tender_name("bank_card"): "50.00"}
        businesses = [_cell(view.business_table, r, 0) for r in range(view.business_table.rowCount())]
        assert businesses
        assert set(businesses) <= {"电费", "违约金", "预收"}
        assert view.value("collectedValue") == "150.00"
        assert view.value("expectedCashValue") == "600.00"  # float + cash
        assert view.value("receiptsUsedValue").endswith("(1)")

        dialog = _close_dialog(qtbot, screen)
        assert dialog.expected_label.text() == "600.00"
        _count(qtbot, dialog, {10000: 6})
        assert dialog.counted_label.text() == "600.00"
        assert dialog.difference_label.text() == "0.00"
        assert dialog.cosign.isHidden()  # no difference, no supervisor needed
        qtbot.keyClicks(dialog.deposit_slip_edit, "JK-20261123-01")
        with qtbot.waitSignal(dialog.shift_closed, timeout=10_000):
            qtbot.mouseClick(dialog.ok_button, CLICK)
        qtbot.waitUntil(lambda: screen.close_dialog is None)
        assert screen.status_label.text() == "本柜台没有未结的班次。"
        assert screen.open_box.isVisible()  # a new shift could be opened
        assert screen.settlement_button.isVisible()
        assert screen.summary_title.text() == f"班次 {shift_no}（已结班，只读）"
        assert view.value("countedCashValue") == "600.00"
        assert view.value("approvedByValue") == "—"
        assert view.value("depositSlipValue") == "JK-20261123-01"
        closing = _summary(ctx, shift_no).closing
        assert closing is not None
        assert (closing.counted_cash_fen, closing.difference_fen, closing.approved_by) == (60_000, 0, None)
        ARTIFACTS.mkdir(exist_ok=True)
        assert screen.grab().save(str(ARTIFACTS / "shift-closed-zh_CN.png"))

    def test_a_difference_needs_a_supervisor(self, qtbot: QtBot, sign_in_live: SignIn,  # noqa: F811
                                             use_locale: Callable[[str], None]) -> None:
        """A 0.50 short count shows 短款 and asks for a co-signer; a cashier is refused, a supervisor accepted."""
        use_locale("zh_CN")
        ctx = sign_in_live("cashier2", "T0102")
        screen = _screen(qtbot, ctx)
        shift_no = _open(qtbot, screen, "200.00")
        dialog = _close_dialog(qtbot, screen)
        _count(qtbot, dialog, {10000: 1, 5000: 1, 2000: 2, 500: 1, 100: 4, 50: 1})  # 199.50
        assert dialog.counted_label.text() == "199.50"
        assert dialog.difference_label.text() == "-0.50 短款"
        assert not dialog.cosign.isHidden()
        qtbot.keyClicks(dialog.deposit_slip_edit, "JK-20261123-02")

        qtbot.mouseClick(dialog.ok_button, CLICK)  # no co-signer typed: refused before anything is sent
        assert "班长" in dialog.error_label.text()

        qtbot.keyClicks(dialog.cosign.username_edit, "cashier1")
        qtbot.keyClicks(dialog.cosign.password_edit, password_for("cashier1"))
        qtbot.mouseClick(dialog.ok_button, CLICK)
        expected = error_message(ErrorCode.COSIGN_NOT_AUTHORIZED, {"username": "cashier1"})
        qtbot.waitUntil(lambda: dialog.error_label.text() == expected, timeout=10_000)
        assert "复核" in expected  # the Chinese sentence, not the English source
        assert dialog.isVisible()
        assert _summary(ctx, shift_no).closing is None  # refused: nothing closed

        dialog.cosign.username_edit.clear()
        qtbot.keyClicks(dialog.cosign.username_edit, "super1")
        qtbot.keyClicks(dialog.cosign.password_edit, password_for("super1"))
        with qtbot.waitSignal(dialog.shift_closed, timeout=10_000):
            qtbot.mouseClick(dialog.ok_button, CLICK)
        view = screen.summary_view
        qtbot.waitUntil(lambda: view.value("approvedByValue") != "", timeout=10_000)
        assert view.value("differenceValue") == "-0.50 短款"
        closing = _summary(ctx, shift_no).closing
        assert closing is not None
        assert (closing.counted_cash_fen, closing.difference_fen) == (19_950, -50)
        assert closing.approved_by in {"super1", "班长甲"}  # the approving supervisor, as the server names them
        assert view.value("approvedByValue") == closing.approved_by
        assert format_fen(closing.counted_cash_fen) == view.value("countedCashValue")

    def test_a_shift_closed_twice(self, qtbot: QtBot, sign_in_live: SignIn,  # noqa: F811
                                  use_locale: Callable[[str], None]) -> None:
        """A close sent after the shift was closed elsewhere says so in Chinese and changes nothing."""
        use_locale("zh_CN")
        ctx = sign_in_live("cashier3", "T0201")
        screen = _screen(qtbot, ctx)
        shift_no = _open(qtbot, screen, "0")
        dialog = _close_dialog(qtbot, screen)
        # Meanwhile the shift is closed from another window of the same cashier.
        ctx.rpc.send(CLOSE, CloseShiftRequest(shift_no=shift_no, cash_counts=[], deposit_slip_no="JK-FIRST"),
                     action=confirmed())
        first = _summary(ctx, shift_no)
        _count(qtbot, dialog, {})
        qtbot.keyClicks(dialog.deposit_slip_edit, "JK-SECOND")
        qtbot.mouseClick(dialog.ok_button, CLICK)
        expected = error_message(ErrorCode.SHIFT_CLOSED, {"shift_no": shift_no})
        qtbot.waitUntil(lambda: dialog.error_label.text() == expected, timeout=10_000)
        assert expected == f"班次 {shift_no} 已结班，不能再更改。"
        assert not dialog.ok_button.isEnabled()
        assert _summary(ctx, shift_no) == first  # nothing changed: still the first close's slip and time
        qtbot.waitUntil(lambda: screen.summary_title.text() == f"班次 {shift_no}（已结班，只读）", timeout=10_000)
        assert screen.summary_view.value("depositSlipValue") == "JK-FIRST"
        assert _error_box(screen) is None
        dialog.reject()
        with pytest.raises(RpcError) as refused:
            ctx.rpc.send(CLOSE, CloseShiftRequest(shift_no=shift_no, cash_counts=[CashCountLine(
                denomination_fen=10000, pieces=1)], deposit_slip_no="JK-THIRD"), action=confirmed())
        assert refused.value.code is ErrorCode.SHIFT_CLOSED
        assert _summary(ctx, shift_no) == first
