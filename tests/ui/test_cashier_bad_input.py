# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""Bad input at the cashier desk, through the real client against a live server: each is refused with
its translated sentence on screen, and the server's books and the receipt numbering do not change."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from client.ui.ops import is_running, running_ops
from client.ui.screens.cashier_dialogs import VoidDialog
from client.ui.screens.cashier_screen import CashierScreen
from server.demo_data import DEMO_PASSWORD
from shared_models.methods.payments import PAY, PayRequest, Tender, TenderMethod
from shared_models.methods.shifts import GET_CURRENT
from shared_models.money import format_fen
from shared_models.rpc import Empty
from shared_models.rules.hall_time import HALL_TZ
from shared_models.rules.receipt_numbers import make_receipt_no
from tests.action_helpers import confirmed
from tests.ui.desk_helpers import (
    TIMEOUT_MS,
    Desk,
    DeskFactory,
    DeskServer,
    close_customer,
    customers_in_arrears,
    desk_server,  # noqa: F401 - the fixture
    ensure_shift,
    open_desk,  # noqa: F401 - the fixture
    payments_of,
    printer,  # noqa: F401 - the fixture
    rpc_session,
)


@pytest.fixture(scope="module")
def arrears(desk_server: DeskServer) -> list[str]:  # noqa: F811 - fixture
    """Customers in arrears, as the module found them (each test takes its own)."""
    found = customers_in_arrears(desk_server)
    assert len(found) >= 5, found
    return found


def ready(qtbot: QtBot, desk: Desk, customer_no: str) -> CashierScreen:
    """Shift open, the customer on screen with the allocation of the amount due shown."""
    shift = ensure_shift(desk.app.rpc)
    screen = desk.screen
    screen.refresh_shift()
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)  # the shift screen listens too
    assert shift.shift_no in screen.payment.shift_label.text()
    with qtbot.waitSignal(screen.overview_shown, timeout=TIMEOUT_MS):
        screen.open_customer(customer_no)
    qtbot.waitUntil(screen.payment.quote_is_current, timeout=TIMEOUT_MS)
    return screen


def numbers_taken(desk: Desk) -> int:
    """Receipt numbers this counter has spent today."""
    assert desk.app.outbox is not None
    return desk.app.outbox.last_receipt_seq("H0101")


def press_confirm(qtbot: QtBot, screen: CashierScreen) -> None:
    """F9, and whatever it started has finished."""
    qtbot.keyClick(screen, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: not is_running(screen, "pay"), timeout=TIMEOUT_MS)


class TestPaymentInput:
    @pytest.mark.parametrize("typed", ["0", "-5", "0.00"])
    def test_amount_zero_or_less(self, qtbot: QtBot, open_desk: DeskFactory,  # noqa: F811
                                 desk_server: DeskServer, arrears: list[str], typed: str) -> None:  # noqa: F811
        """An amount of zero or less is refused beside the field and on F9; nothing is sent or numbered."""
        desk = open_desk("zh_CN")
        screen = ready(qtbot, desk, arrears[0])
        screen.payment.amount_edit.selectAll()
        qtbot.keyClicks(screen.payment.amount_edit, typed)
        assert screen.payment.problem_label.text() == "金额必须大于零。"
        assert not screen.payment.confirm_button.isEnabled()
        press_confirm(qtbot, screen)
        assert screen.message_label.text() == "金额必须大于零。"
        assert payments_of(desk_server, arrears[0]) == []
        assert numbers_taken(desk) == 0

    def test_cash_handed_over_below_amount(self, qtbot: QtBot, open_desk: DeskFactory,  # noqa: F811
                                           desk_server: DeskServer, arrears: list[str]) -> None:  # noqa: F811
        """Cash handed over below the cash part is refused with both amounts; nothing is sent or numbered."""
        desk = open_desk("zh_CN")
        screen = ready(qtbot, desk, arrears[0])
        due = screen.payment.quote.amount_fen if screen.payment.quote else 0
        handed = due - 100
        qtbot.keyClicks(screen.payment.cash_handed_edit, format_fen(handed).replace(",", ""))
        sentence = f"收取的现金（￥{format_fen(handed)}）少于本次现金应收（￥{format_fen(due)}）。"
        assert screen.payment.problem_label.text() == sentence
        assert screen.payment.change_label.text() == ""
        press_confirm(qtbot, screen)
        assert screen.message_label.text() == sentence
        assert payments_of(desk_server, arrears[0]) == []
        assert numbers_taken(desk) == 0

    def test_double_click_on_confirm_pays_once(self, qtbot: QtBot, open_desk: DeskFactory,  # noqa: F811
                                               desk_server: DeskServer, arrears: list[str]) -> None:  # noqa: F811
        """A double click on Confirm, F9 pressed twice and a direct second confirm book one payment, spend one
        receipt number and print one receipt."""
        desk = open_desk("zh_CN")
        screen = ready(qtbot, desk, arrears[2])
        due = screen.payment.quote.amount_fen if screen.payment.quote else 0
        with qtbot.waitSignals([screen.payment_done, screen.receipt_printed], timeout=TIMEOUT_MS):
            qtbot.mouseDClick(screen.payment.confirm_button, Qt.MouseButton.LeftButton)
            qtbot.keyClick(screen, Qt.Key.Key_F9)
            qtbot.keyClick(screen, Qt.Key.Key_F9)
            screen.confirm()
        assert screen.last_receipt is not None
        assert payments_of(desk_server, arrears[2]) == [(screen.last_receipt.receipt_no, due, False)]
        assert numbers_taken(desk) == int(screen.last_receipt.receipt_no[-5:])
        assert len(desk.printer.wait_for_jobs(1, timeout=10.0)) == 1
        qtbot.waitUntil(lambda: screen.overview.text_of("dueValue") == "0.00", timeout=TIMEOUT_MS)
        assert len(desk.printer.jobs) == 1


class TestCustomer:
    def test_unknown_customer(self, qtbot: QtBot, open_desk: DeskFactory,  # noqa: F811
                              desk_server: DeskServer) -> None:  # noqa: F811
        """An account number nobody has finds nobody (English), and opening it directly names it; no payment
        can be confirmed."""
        desk = open_desk("en")
        screen = desk.screen
        ensure_shift(desk.app.rpc)
        unknown = "3399999999"
        assert payments_of(desk_server, unknown) == []
        qtbot.keyClicks(screen.search.search_box, unknown)
        with qtbot.waitSignal(screen.search.results_shown, timeout=TIMEOUT_MS):
            qtbot.keyClick(screen.search.search_box, Qt.Key.Key_Return)
        assert screen.search.message_label.text() == "No customer found."
        screen.open_customer(unknown)
        qtbot.waitUntil(lambda: screen.message_label.text() != "", timeout=TIMEOUT_MS)
        assert screen.message_label.text() == "There is no customer with the account number 3399999999."
        assert screen.payment.problem_label.text() == "Find the customer first (F2)."
        press_confirm(qtbot, screen)
        assert numbers_taken(desk) == 0
        assert not screen.payment.confirm_button.isEnabled()

    def test_closed_customer(self, qtbot: QtBot, open_desk: DeskFactory, desk_server: DeskServer) -> None:  # noqa: F811
        """A closed account shows its 360 view but takes no payment: the sentence sends the customer to the
        business counter, F9 does nothing and nothing is booked or numbered."""
        closed = close_customer(desk_server)
        desk = open_desk("zh_CN")
        screen = desk.screen
        ensure_shift(desk.app.rpc)
        screen.refresh_shift()
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)  # the shift screen listens too
        qtbot.keyClicks(screen.search.search_box, closed)
        with qtbot.waitSignal(screen.overview_shown, timeout=TIMEOUT_MS):
            qtbot.keyClick(screen.search.search_box, Qt.Key.Key_Return)  # one exact hit opens the customer
        sentence = f"户号 {closed} 已销户，不能收费。请引导客户到业务受理柜台办理。"
        qtbot.waitUntil(lambda: screen.payment.problem_label.text() == sentence, timeout=TIMEOUT_MS)
        assert screen.overview.text_of("statusValue") == "已销户"
        assert not screen.payment.confirm_button.isEnabled()
        press_confirm(qtbot, screen)
        assert screen.message_label.text() == sentence
        assert payments_of(desk_server, closed) == []
        assert numbers_taken(desk) == 0

    def test_bill_paid_at_another_counter(self, qtbot: QtBot, open_desk: DeskFactory,  # noqa: F811
                                          desk_server: DeskServer, arrears: list[str]) -> None:  # noqa: F811
        """The bills shown are paid at counter H0102 meanwhile: confirming here is refused with the new amount
        due, nothing is charged here, and the desk shows the customer as the server now has them."""
        desk = open_desk("zh_CN")
        customer_no = arrears[1]
        screen = ready(qtbot, desk, customer_no)
        quoted = screen.payment.quote.due_fen if screen.payment.quote else 0
        other = rpc_session(desk_server, username="cashier0102", counter="H0102")
        try:
            ensure_shift(other)
            seq = other.call(GET_CURRENT, Empty()).next_receipt_seq
            elsewhere = make_receipt_no("H0102", dt.datetime.now(HALL_TZ).date(), seq)
            other.send(PAY, PayRequest(customer_no=customer_no, receipt_no=elsewhere, quoted_due_fen=quoted,
                                       tenders=[Tender(method=TenderMethod.QR, amount_fen=quoted, reference="WX1")]),
                       action=confirmed())
        finally:
            other.close()

        floor = desk.app.rpc.call(GET_CURRENT, Empty()).next_receipt_seq
        press_confirm(qtbot, screen)
        assert screen.message_label.text() == (
            f"应收金额已从￥{format_fen(quoted)}变为￥0.00，可能有账单已在其他柜台缴清。本次未收费：请核对新金额后重新确认。")
        assert payments_of(desk_server, customer_no) == [(elsewhere, quoted, False)]
        assert numbers_taken(desk) == floor  # spent by the refused attempt: the next payment takes floor + 1
        qtbot.waitUntil(lambda: screen.overview.text_of("dueValue") == "0.00", timeout=TIMEOUT_MS)
        assert screen.message_label.text().startswith("应收金额已从")  # still there after the reload
        assert desk.printer.jobs == []


class TestVoidCosign:
    def _void_dialog(self, qtbot: QtBot, desk: Desk, customer_no: str) -> tuple[str, VoidDialog]:
        screen = ready(qtbot, desk, customer_no)
        with qtbot.waitSignals([screen.payment_done, screen.receipt_printed], timeout=TIMEOUT_MS):
            qtbot.keyClick(screen, Qt.Key.Key_F9)
        assert screen.last_receipt is not None
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)  # the view reloaded after the payment
        qtbot.keyClick(screen, Qt.Key.Key_F8)
        dialog = screen.dialog
        assert isinstance(dialog, VoidDialog)
        dialog.reason_combo.setCurrentIndex(1)
        return screen.last_receipt.receipt_no, dialog

    def test_void_without_cosign(self, qtbot: QtBot, open_desk: DeskFactory,  # noqa: F811
                                 desk_server: DeskServer, arrears: list[str]) -> None:  # noqa: F811
        """A void with no supervisor (or a user name without a password) is refused on the dialog; the
        payment stays valid."""
        desk = open_desk("zh_CN")
        receipt_no, dialog = self._void_dialog(qtbot, desk, arrears[3])
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert dialog.error_label.text() == "此操作需要班长复核。"
        qtbot.keyClicks(dialog.cosign.username_edit, "supervisor01")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert dialog.error_label.text() == "此操作需要班长复核。"
        assert not is_running(dialog, "void")
        [(number, _, voided)] = payments_of(desk_server, arrears[3])
        assert (number, voided) == (receipt_no, False)
        dialog.reject()

    def test_void_cosigned_by_a_cashier(self, qtbot: QtBot, open_desk: DeskFactory,  # noqa: F811
                                        desk_server: DeskServer, arrears: list[str]) -> None:  # noqa: F811
        """A co-signature from a cashier is refused by the server with the co-signer's name; nothing is voided."""
        desk = open_desk("zh_CN")
        receipt_no, dialog = self._void_dialog(qtbot, desk, arrears[4])
        qtbot.keyClicks(dialog.cosign.username_edit, "cashier0102")
        qtbot.keyClicks(dialog.cosign.password_edit, DEMO_PASSWORD)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.error_label.text() != "", timeout=TIMEOUT_MS)
        assert dialog.error_label.text() == "cashier0102 无权复核此操作。"
        assert dialog.cosign.password_edit.text() == ""  # typed again by the right person
        [(number, _, voided)] = payments_of(desk_server, arrears[4])
        assert (number, voided) == (receipt_no, False)
        dialog.reject()
