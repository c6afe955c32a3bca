# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""The cashier desk through the real client, against a live server on PostgreSQL and a real TCP receipt
printer: find a customer, see the bills with their late fee, pay with mixed tender, print (drawer kick,
补打 on reprints), survive a printer that is off or out of paper, and void with a supervisor's co-sign."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from client.core.receipts import period_text
from client.ui.ops import running_ops
from client.ui.screens.cashier_dialogs import ReprintDialog, VoidDialog
from client.ui.screens.cashier_screen import CashierScreen
from printing.escpos import DRAWER_KICK, decode_text, qr_payloads
from server.demo_data import DEMO_PASSWORD
from shared_models.methods.customers import OVERVIEW, CustomerOverview, GetCustomerRequest
from shared_models.methods.payments import GET_RECEIPT, ReceiptRequest
from shared_models.money import format_fen
from tests.ui.conftest import ARTIFACTS
from tests.ui.desk_helpers import (
    TIMEOUT_MS,
    Desk,
    DeskFactory,
    DeskServer,
    close_shift,
    customers_in_arrears,
    desk_server,  # noqa: F401 - the fixture
    ensure_shift,
    open_desk,  # noqa: F401 - the fixture
    payments_of,
    printer,  # noqa: F401 - the fixture
)

JOB_TIMEOUT_S = 10.0


@pytest.fixture(scope="module")
def arrears(desk_server: DeskServer) -> list[str]:  # noqa: F811 - fixture
    """Customers in arrears with a late fee running, as the module found them (each test takes its own)."""
    found = customers_in_arrears(desk_server)
    assert len(found) >= 6, found
    return found


def yuan(fen: int) -> str:
    """What a cashier types for ``fen``."""
    return format_fen(fen).replace(",", "")


def overview_of(desk: Desk, customer_no: str) -> CustomerOverview:
    """The server's 360 view, asked directly (what the screen must show)."""
    return desk.app.rpc.call(OVERVIEW, GetCustomerRequest(customer_no=customer_no))


def ready(qtbot: QtBot, desk: Desk) -> None:
    """Open the cashier's shift on the server and let the desk see it."""
    shift = ensure_shift(desk.app.rpc)
    desk.screen.refresh_shift()
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)  # the shift screen listens too
    assert shift.shift_no in desk.screen.payment.shift_label.text()


def open_customer(qtbot: QtBot, screen: CashierScreen, customer_no: str) -> None:
    """Open the customer and wait until the allocation of the amount due is shown."""
    with qtbot.waitSignal(screen.overview_shown, timeout=TIMEOUT_MS):
        screen.open_customer(customer_no)
    qtbot.waitUntil(screen.payment.quote_is_current, timeout=TIMEOUT_MS)


def type_amount(qtbot: QtBot, screen: CashierScreen, fen: int) -> None:
    """Replace the amount and wait for its allocation."""
    screen.payment.amount_edit.selectAll()
    qtbot.keyClicks(screen.payment.amount_edit, yuan(fen))
    qtbot.waitUntil(screen.payment.quote_is_current, timeout=TIMEOUT_MS)


def pay_cash(qtbot: QtBot, screen: CashierScreen) -> str:
    """F9 on the entry as it stands; the receipt number once booked and printed."""
    with qtbot.waitSignals([screen.payment_done, screen.receipt_printed], timeout=TIMEOUT_MS):
        qtbot.keyClick(screen, Qt.Key.Key_F9)
    assert screen.last_receipt is not None
    return screen.last_receipt.receipt_no


class TestPayment:
    def test_find_see_pay_mixed_and_print(self, qtbot: QtBot, open_desk: DeskFactory,  # noqa: F811
                                          desk_server: DeskServer, arrears: list[str]) -> None:  # noqa: F811
        """Search finds the customer; the 360 view shows the bills with their late fee; bank card and cash
        pay everything due; the receipt prints with the drawer kick and reads back with 户号, number and change."""
        desk = open_desk("zh_CN")
        screen = desk.screen
        ready(qtbot, desk)
        customer_no = arrears[0]
        expected = overview_of(desk, customer_no)

        qtbot.keyClick(screen, Qt.Key.Key_F2)
        assert screen.search.search_box.hasFocus()
        qtbot.keyClicks(screen.search.search_box, customer_no)
        with qtbot.waitSignal(screen.overview_shown, timeout=TIMEOUT_MS):
            qtbot.keyClick(screen.search.search_box, Qt.Key.Key_Return)
        qtbot.waitUntil(screen.payment.quote_is_current, timeout=TIMEOUT_MS)

        overview = screen.overview
        masked = overview.text_of("idNumberValue")
        assert masked == expected.profile.id_number_masked
        assert "*" in masked
        assert overview.text_of("nameValue") == expected.profile.name
        assert overview.text_of("dueValue") == format_fen(expected.due_fen)
        assert overview.text_of("lateFeeValue") == format_fen(expected.late_fee_fen)
        assert expected.late_fee_fen > 0
        model = overview.bills_model
        assert model.rowCount() == len(expected.open_bills) >= 2
        assert model.headerData(6, Qt.Orientation.Horizontal) == "违约金"
        for row, bill in enumerate(expected.open_bills):
            assert model.data(model.index(row, 0)) == period_text(bill.period)
            assert model.data(model.index(row, 6)) == format_fen(bill.late_fee_fen)
        due = expected.due_fen
        assert screen.payment.amount_edit.text() == yuan(due)
        assert screen.payment.allocation_model.rowCount() == len(expected.open_bills)

        card = min(1000, due // 2)
        cash = due - card
        qtbot.keyClicks(screen.payment.bank_card_edit, yuan(card))
        qtbot.keyClicks(screen.payment.bank_card_ref_edit, "T123456")
        qtbot.keyClicks(screen.payment.cash_handed_edit, yuan(cash + 2000))
        assert screen.payment.cash_part_label.text() == f"￥{format_fen(cash)}"
        assert screen.payment.change_label.text() == "找零 ￥20.00"
        assert screen.payment.problem_label.text() == ""

        receipt_no = pay_cash(qtbot, screen)
        assert screen.message_label.text() == f"已收 ￥{format_fen(due)}，流水号 {receipt_no}。找零 ￥20.00。"
        assert payments_of(desk_server, customer_no) == [(receipt_no, due, False)]
        [job] = desk.printer.wait_for_jobs(1, timeout=JOB_TIMEOUT_S)
        assert job.startswith(DRAWER_KICK)  # cash was taken: the drawer opens first
        text = decode_text(job[len(DRAWER_KICK):])
        for line in (f"户号：{customer_no}", f"流水号：{receipt_no}", "找零", "￥20.00", f"￥{format_fen(due)}",
                     f"￥{format_fen(cash + 2000)}", "银行卡", "T123456", "现金", expected.profile.name):
            assert line in text, line
        for bill in expected.open_bills:
            assert period_text(bill.period) in text
        assert qr_payloads(job) == [receipt_no]
        assert screen.print_label.text() == f"凭证 {receipt_no} 已打印。"

        qtbot.waitUntil(lambda: overview.text_of("dueValue") == "0.00", timeout=TIMEOUT_MS)  # the view reloaded
        assert screen.search.search_box.hasFocus()  # ready for the next customer's bill to be scanned
        assert overview.payments_model.data(overview.payments_model.index(0, 0)) == receipt_no
        assert overview.bills_model.rowCount() == 0
        ARTIFACTS.mkdir(exist_ok=True)
        assert desk.window.grab().save(str(ARTIFACTS / "desk-paid-zh_CN.png"))

    def test_partial_payment_survives_printer_off(self, qtbot: QtBot, open_desk: DeskFactory,  # noqa: F811
                                                  desk_server: DeskServer, arrears: list[str]) -> None:  # noqa: F811
        """A partial cash payment is booked while the printer is off; the message says so in English and
        Print again prints the receipt, drawer kick included, once the printer is back."""
        desk = open_desk("en")
        screen = desk.screen
        ready(qtbot, desk)
        customer_no = arrears[1]
        open_customer(qtbot, screen, customer_no)
        due = screen.payment.customer.due_fen if screen.payment.customer else 0
        part = due // 2
        type_amount(qtbot, screen, part)
        quote = screen.payment.quote
        assert quote is not None
        assert quote.remaining_due_fen == due - part
        assert f"still owed after this payment ¥{format_fen(due - part)}" in \
            screen.payment.allocation_label.text()
        assert quote.lines[0].pay_late_fee_fen == quote.lines[0].late_fee_fen  # late fee before principal

        ARTIFACTS.mkdir(exist_ok=True)
        assert desk.window.grab().save(str(ARTIFACTS / "desk-partial-en.png"))
        desk.printer.switch_off()
        with qtbot.waitSignals([screen.payment_done, screen.print_failed], timeout=TIMEOUT_MS):
            qtbot.keyClick(screen, Qt.Key.Key_F9)
        receipt = screen.last_receipt
        assert receipt is not None
        assert screen.print_label.text() == (
            "The receipt printer cannot be reached (switched off, unplugged or not ready). The payment is "
            "recorded: check the printer, then print the receipt again.")
        assert screen.retry_button.isVisibleTo(screen)
        assert payments_of(desk_server, customer_no) == [(receipt.receipt_no, part, False)]
        assert desk.app.rpc.call(GET_RECEIPT, ReceiptRequest(receipt_no=receipt.receipt_no)).paid_fen == part

        desk.printer.switch_on()
        with qtbot.waitSignal(screen.receipt_printed, timeout=TIMEOUT_MS):
            qtbot.mouseClick(screen.retry_button, Qt.MouseButton.LeftButton)
        [job] = desk.printer.wait_for_jobs(1, timeout=JOB_TIMEOUT_S)
        assert job.startswith(DRAWER_KICK)  # nothing reached the printer the first time: the drawer opens now
        text = decode_text(job[len(DRAWER_KICK):])
        assert f"流水号：{receipt.receipt_no}" in text
        assert "补打" not in text  # the first print never came out: this is not a reprint
        assert not screen.retry_button.isVisibleTo(screen)
        assert payments_of(desk_server, customer_no) == [(receipt.receipt_no, part, False)]
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)  # the view reloads after the payment


class TestReprint:
    def test_reprint_marked_after_paper_out(self, qtbot: QtBot, open_desk: DeskFactory,  # noqa: F811
                                            desk_server: DeskServer, arrears: list[str]) -> None:  # noqa: F811
        """F7 reprints the last receipt marked 补打 1 without opening the drawer; out of paper it says so and
        Print again finishes the job; the next reprint is 补打 2."""
        desk = open_desk("zh_CN")
        screen = desk.screen
        ready(qtbot, desk)
        open_customer(qtbot, screen, arrears[2])
        receipt_no = pay_cash(qtbot, screen)
        desk.printer.wait_for_jobs(1, timeout=JOB_TIMEOUT_S)

        desk.printer.set_paper_out(True)
        qtbot.keyClick(screen, Qt.Key.Key_F7)
        dialog = screen.dialog
        assert isinstance(dialog, ReprintDialog)
        assert dialog.receipt_edit.text() == receipt_no
        with qtbot.waitSignal(screen.print_failed, timeout=TIMEOUT_MS) as failed:
            qtbot.keyClick(dialog.receipt_edit, Qt.Key.Key_Return)
        assert failed.args == ["PRINTER_PAPER_OUT"]
        assert screen.print_label.text() == "凭证打印机缺纸。本笔收费已入账：请换上新纸卷后重新打印凭证。"
        assert len(desk.printer.jobs) == 1  # nothing was sent to a printer without paper

        desk.printer.set_paper_out(False)
        with qtbot.waitSignal(screen.receipt_printed, timeout=TIMEOUT_MS):
            qtbot.mouseClick(screen.retry_button, Qt.MouseButton.LeftButton)
        first, reprint = desk.printer.wait_for_jobs(2, timeout=JOB_TIMEOUT_S)
        assert first.startswith(DRAWER_KICK)
        assert not reprint.startswith(DRAWER_KICK)  # no cash changes hands on a reprint
        assert "补打 1" in decode_text(reprint)
        assert f"流水号：{receipt_no}" in decode_text(reprint)

        qtbot.mouseClick(screen.reprint_button, Qt.MouseButton.LeftButton)
        dialog = screen.dialog
        assert isinstance(dialog, ReprintDialog)
        with qtbot.waitSignal(screen.receipt_printed, timeout=TIMEOUT_MS):
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert "补打 2" in decode_text(desk.printer.wait_for_jobs(3, timeout=JOB_TIMEOUT_S)[2])
        assert screen.message_label.text() == f"凭证 {receipt_no} 第 2 次补打。"
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)


class TestVoid:
    def test_void_with_supervisor_cosign(self, qtbot: QtBot, open_desk: DeskFactory,  # noqa: F811
                                         desk_server: DeskServer, arrears: list[str]) -> None:  # noqa: F811
        """F8 on the selected payment, a reason and the supervisor's password on the same dialog: the payment
        is voided on the server, the bills are owed again and the desk says who co-signed."""
        desk = open_desk("zh_CN")
        screen = desk.screen
        ready(qtbot, desk)
        customer_no = arrears[3]
        open_customer(qtbot, screen, customer_no)
        due_before = screen.payment.customer.due_fen if screen.payment.customer else 0
        receipt_no = pay_cash(qtbot, screen)
        qtbot.waitUntil(lambda: screen.overview.text_of("dueValue") == "0.00", timeout=TIMEOUT_MS)
        screen.overview.payments_table.selectRow(0)

        qtbot.keyClick(screen, Qt.Key.Key_F8)
        dialog = screen.dialog
        assert isinstance(dialog, VoidDialog)
        assert dialog.receipt_edit.text() == receipt_no
        dialog.reason_combo.setCurrentIndex(0)
        assert dialog.reason() == "金额录入错误"
        qtbot.keyClicks(dialog.cosign.username_edit, "supervisor01")
        qtbot.keyClicks(dialog.cosign.password_edit, DEMO_PASSWORD)
        with qtbot.waitSignal(screen.payment_voided, timeout=TIMEOUT_MS):
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert screen.message_label.text() == (
            f"流水号 {receipt_no} 已冲正：冲回 ￥{format_fen(due_before)}，复核人 张海波。")
        assert payments_of(desk_server, customer_no) == [(receipt_no, due_before, True)]
        qtbot.waitUntil(lambda: screen.overview.text_of("dueValue") == format_fen(due_before), timeout=TIMEOUT_MS)
        payments = screen.overview.payments_model
        assert payments.data(payments.index(0, 0)) == receipt_no
        assert payments.data(payments.index(0, 5)) == "已冲正"
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)  # the allocation of the bills owed again

    def test_void_after_shift_closed_points_to_refund(self, qtbot: QtBot, open_desk: DeskFactory,  # noqa: F811
                                                      desk_server: DeskServer,  # noqa: F811
                                                      arrears: list[str]) -> None:
        """Once the shift is closed the desk says no shift is open, and a void of that shift's payment is
        refused with the sentence that sends the cashier to the refund workflow; nothing is voided."""
        desk = open_desk("zh_CN")
        screen = desk.screen
        ready(qtbot, desk)
        customer_no = arrears[4]
        open_customer(qtbot, screen, customer_no)
        receipt_no = pay_cash(qtbot, screen)
        shift = ensure_shift(desk.app.rpc)
        close_shift(desk.app.rpc, shift.shift_no)

        screen.refresh_shift()
        qtbot.waitUntil(lambda: screen.payment.shift_button.isVisibleTo(screen), timeout=TIMEOUT_MS)
        assert screen.payment.shift_label.text() == "您在本柜台没有未结的班次。收费前请先开班。"
        assert not screen.payment.confirm_button.isEnabled()
        qtbot.mouseClick(screen.payment.shift_button, Qt.MouseButton.LeftButton)
        assert desk.window.stack.currentWidget() is desk.window.screen_widget("shift")
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)  # the shift screen asks as it opens
        assert desk.window.show_screen("desk")

        dialog = screen.open_void()
        dialog.receipt_edit.setText(receipt_no)
        dialog.reason_combo.setEditText("客户要求撤销")
        dialog.cosign.username_edit.setText("supervisor01")
        dialog.cosign.password_edit.setText(DEMO_PASSWORD)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.error_label.text() != "", timeout=TIMEOUT_MS)
        assert dialog.error_label.text() == f"流水号 {receipt_no} 所属班次已结班，不能再冲正。请走退费流程。"
        assert payments_of(desk_server, customer_no) == [(receipt_no, screen.last_receipt.paid_fen if
                                                          screen.last_receipt else 0, False)]
        dialog.reject()
