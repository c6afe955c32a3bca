# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""A demo cashier's whole day through the real client, against the real server with demo data and a real TCP
receipt printer (issue #4, done when): sign in, open the shift, find the customer by every kind of key, pay
with cash and bank card, print the receipt, void it with the supervisor's co-sign, take another payment,
close the shift with a counted difference the supervisor approves, and print and save the 日结单."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QLineEdit, QSpinBox
from pytestqt.qtbot import QtBot

from client.ui.main_window import MainWindow
from client.ui.screens.cashier_dialogs import VoidDialog
from client.ui.screens.cashier_screen import CashierScreen
from client.ui.screens.settlement_screen import SettlementScreen
from client.ui.screens.shift_screen import ShiftScreen
from printing.escpos import DRAWER_KICK, decode_text
from server.demo_data import DEMO_PASSWORD
from shared_models.methods.customers import OVERVIEW, CustomerOverview, GetCustomerRequest, SearchKind
from shared_models.methods.shifts import DENOMINATIONS_FEN
from shared_models.money import format_fen
from tests.ui.conftest import ARTIFACTS
from tests.ui.desk_helpers import (
    TIMEOUT_MS,
    DeskFactory,
    DeskServer,
    desk_server,  # noqa: F401 - the fixture
    open_desk,  # noqa: F401 - the fixture
    payments_of,
    printer,  # noqa: F401 - the fixture
    sql,
)

pytestmark = pytest.mark.skipif(not all(shutil.which(t) for t in ("pdftotext", "pdftoppm", "pdfinfo")),
                                reason="poppler-utils missing")
CLICK = Qt.MouseButton.LeftButton
JOB_TIMEOUT_S = 10.0
FLOAT_FEN = 50_000


def _yuan(fen: int) -> str:
    return format_fen(fen).replace(",", "")


def _customer(server: DeskServer) -> str:
    """An active residential customer of hall H01 (the cashier's) with an overdue bill, a phone and a meter."""
    rows = sql(server, """
        SELECT c.customer_no FROM customers c
        JOIN org_units h ON h.id = c.hall_id AND h.code = 'H01'
        JOIN bills b ON b.customer_id = c.id
        JOIN (SELECT bill_id FROM ledger_entries WHERE bill_id IS NOT NULL GROUP BY bill_id
              HAVING sum(amount_fen) < 0) o ON o.bill_id = b.id
        WHERE c.status = 'active' AND c.category = 'residential' AND c.payment_mode = 'postpaid'
          AND c.phone <> '' AND EXISTS (SELECT 1 FROM meters m WHERE m.customer_id = c.id)
        GROUP BY c.customer_no HAVING min(b.due_on) < current_date - 5
        ORDER BY c.customer_no LIMIT 1""")
    assert rows, "the demo data has no customer in arrears at H01"
    return str(rows[0][0])


def _activate(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT_MS)


def _go(qtbot: QtBot, window: MainWindow, name: str) -> None:
    """Click the screen's entry in the navigation list."""
    row = window.screen_names().index(name)
    rect = window.nav_list.visualItemRect(window.nav_list.item(row))
    qtbot.mouseClick(window.nav_list.viewport(), CLICK, pos=rect.center())
    assert window.stack.currentWidget() is window.screen_widget(name)


def _type(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    """Type ``text``: ASCII as key clicks, Chinese as an input method commits it (QTest has no CJK keys)."""
    if text.isascii():
        qtbot.keyClicks(edit, text)
        return
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QCoreApplication.sendEvent(edit, event)


def _find(qtbot: QtBot, desk: CashierScreen, text: str, kind: SearchKind, customer_no: str) -> None:
    """Type ``text`` into the search box (recognised as ``kind``), Enter, and open ``customer_no`` from the
    results (an exact key with one hit opens by itself)."""
    search = desk.search
    qtbot.keyClick(desk, Qt.Key.Key_F2)
    assert search.search_box.hasFocus()
    search.search_box.selectAll()
    _type(qtbot, search.search_box, text)
    assert search.kind_label.text() == search.kind_name(kind), text
    with qtbot.waitSignal(search.results_shown, timeout=TIMEOUT_MS):
        qtbot.keyClick(search.search_box, Qt.Key.Key_Return)
    rows = [search.model.hit_at(r) for r in range(search.model.rowCount())]
    numbers = [hit.customer_no for hit in rows if hit is not None]
    assert customer_no in numbers, (text, numbers)
    shown = desk.payment.customer
    if not (len(numbers) == 1 and kind in {SearchKind.CUSTOMER_NO, SearchKind.BARCODE, SearchKind.METER}):
        with qtbot.waitSignal(desk.overview_shown, timeout=TIMEOUT_MS) as opened:
            search.results_view.setFocus()
            search.results_view.selectRow(numbers.index(customer_no))
            qtbot.keyClick(search.results_view, Qt.Key.Key_Return)
        assert opened.args == [customer_no]
    qtbot.waitUntil(lambda: desk.payment.customer is not None and desk.payment.customer is not shown
                    and desk.payment.customer.profile.customer_no == customer_no, timeout=TIMEOUT_MS)
    qtbot.waitUntil(desk.payment.quote_is_current, timeout=TIMEOUT_MS)


def _pieces(fen: int) -> dict[int, int]:
    """``fen`` in the fewest notes and coins."""
    pieces = {}
    for denomination in DENOMINATIONS_FEN:
        pieces[denomination], fen = divmod(fen, denomination)
    assert fen == 0
    return pieces


def _pdf_text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return "".join(out.split())


def _ink(pdf: Path, folder: Path) -> float:
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(folder / "page")],
                   check=True)
    png = next(folder.glob("page*.png"))
    with Image.open(png) as image:
        return sum(image.convert("L").histogram()[:200]) / (image.width * image.height)


def test_a_cashiers_day(qtbot: QtBot, open_desk: DeskFactory, desk_server: DeskServer,  # noqa: F811
                        tmp_path: Path) -> None:
    """cashier0101's day, every step through the real widgets, checked on screen, on paper and on the server."""
    desk = open_desk("zh_CN", "cashier0101")
    window, cashier = desk.window, desk.screen
    assert window.screen_names() == [
        "account", "shift", "desk", "cardsale", "settlement", "outbox", "tariffs", "calculator"]
    customer_no = _customer(desk_server)
    profile: CustomerOverview = desk.app.rpc.call(OVERVIEW, GetCustomerRequest(customer_no=customer_no))

    # 1. open the shift with a 500.00 float (F2)
    _go(qtbot, window, "shift")
    shift_screen = window.screen_widget("shift")
    assert isinstance(shift_screen, ShiftScreen)
    qtbot.waitUntil(shift_screen.open_box.isVisible, timeout=TIMEOUT_MS)
    qtbot.keyClicks(shift_screen.float_edit, _yuan(FLOAT_FEN))
    qtbot.keyClick(shift_screen.float_edit, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: shift_screen.summary_view.summary is not None, timeout=TIMEOUT_MS)
    assert shift_screen.values["floatValue"].text() == "500.00"
    shift = desk.app.main_window.screen_widget("shift").shift.shift  # type: ignore[union-attr]
    assert shift is not None
    shift_no = shift.shift_no

    # 2. find the customer by every kind of key
    _go(qtbot, window, "desk")
    qtbot.waitUntil(lambda: shift_no in cashier.payment.shift_label.text(), timeout=TIMEOUT_MS)
    bill_no = profile.open_bills[0].bill_no
    address = profile.profile.address
    keys = [
        (customer_no, SearchKind.CUSTOMER_NO),
        (bill_no, SearchKind.BARCODE),
        (profile.profile.name, SearchKind.NAME),
        (address[address.index("区") + 1:], SearchKind.ADDRESS),  # the fragment after the district
        (profile.profile.phone, SearchKind.PHONE),
        (profile.profile.meters[0].asset_no, SearchKind.METER),
    ]
    for text, kind in keys:
        _find(qtbot, cashier, text, kind, customer_no)
    due = cashier.payment.customer.due_fen if cashier.payment.customer else 0
    assert due == profile.due_fen > 0

    # 3. pay in mixed tender: part by bank card, the rest in cash with change; the receipt prints
    card = min(10_000, due // 2)
    cash = due - card
    qtbot.keyClicks(cashier.payment.bank_card_edit, _yuan(card))
    qtbot.keyClicks(cashier.payment.bank_card_ref_edit, "POS123456")
    qtbot.keyClicks(cashier.payment.cash_handed_edit, _yuan(cash + 5_000))
    assert cashier.payment.problem_label.text() == ""
    with qtbot.waitSignals([cashier.payment_done, cashier.receipt_printed], timeout=TIMEOUT_MS):
        qtbot.keyClick(cashier, Qt.Key.Key_F9)
    assert cashier.last_receipt is not None
    first_receipt = cashier.last_receipt.receipt_no
    [job] = desk.printer.wait_for_jobs(1, timeout=JOB_TIMEOUT_S)
    assert job.startswith(DRAWER_KICK)
    paper = decode_text(job[len(DRAWER_KICK):])
    for line in (f"户号：{customer_no}", f"流水号：{first_receipt}", "银行卡", "POS123456", "现金", "找零",
                 f"￥{format_fen(due)}", "￥50.00", profile.profile.name):
        assert line in paper, line

    # 4. void it (F8) with supervisor01's co-sign on the same dialog
    qtbot.waitUntil(lambda: cashier.overview.text_of("dueValue") == "0.00", timeout=TIMEOUT_MS)
    qtbot.keyClick(cashier, Qt.Key.Key_F8)
    void = cashier.findChild(VoidDialog)
    assert isinstance(void, VoidDialog)
    assert void.receipt_edit.text() == first_receipt
    void.reason_combo.setCurrentIndex(1)
    qtbot.keyClicks(void.cosign.username_edit, "supervisor01")
    qtbot.keyClicks(void.cosign.password_edit, DEMO_PASSWORD)
    with qtbot.waitSignal(cashier.payment_voided, timeout=TIMEOUT_MS):
        qtbot.mouseClick(void.ok_button, CLICK)
    assert "张海波" in cashier.message_label.text()

    # 5. take the payment again, all in cash
    qtbot.waitUntil(lambda: cashier.overview.text_of("dueValue") == format_fen(due), timeout=TIMEOUT_MS)
    qtbot.waitUntil(cashier.payment.quote_is_current, timeout=TIMEOUT_MS)
    qtbot.keyClicks(cashier.payment.cash_handed_edit, _yuan(due))
    assert cashier.payment.problem_label.text() == ""
    _activate(qtbot, window)  # the void dialog had the focus; the offscreen platform does not hand it back
    with qtbot.waitSignals([cashier.payment_done, cashier.receipt_printed], timeout=TIMEOUT_MS):
        qtbot.keyClick(cashier, Qt.Key.Key_F9)
    second_receipt = cashier.last_receipt.receipt_no
    assert second_receipt != first_receipt
    assert payments_of(desk_server, customer_no)[-2:] == [(first_receipt, due, True), (second_receipt, due, False)]
    assert f"流水号：{second_receipt}" in decode_text(desk.printer.wait_for_jobs(2, timeout=JOB_TIMEOUT_S)[1])

    # 6. close the shift a yuan short; supervisor01 approves the difference
    _go(qtbot, window, "shift")
    view = shift_screen.summary_view
    qtbot.waitUntil(lambda: view.value("paymentsCountValue") == "1" and view.value("voidedCountValue") == "1",
                    timeout=TIMEOUT_MS)
    expected = FLOAT_FEN + due
    assert view.value("expectedCashValue") == format_fen(expected)
    qtbot.mouseClick(shift_screen.close_button, CLICK)
    qtbot.waitUntil(lambda: shift_screen.close_dialog is not None and shift_screen.close_dialog.isVisible(),
                    timeout=TIMEOUT_MS)
    dialog = shift_screen.close_dialog
    assert dialog is not None
    counted = expected - 100  # a yuan short
    short = f"{format_fen(counted - expected)} 短款"
    for fen, n in _pieces(counted).items():
        spin = dialog.findChild(QSpinBox, f"piecesSpin{fen}")
        assert spin is not None
        spin.lineEdit().selectAll()
        qtbot.keyClicks(spin, str(n))
    assert dialog.counted_label.text() == format_fen(counted)
    assert dialog.difference_label.text() == short
    slip = "JK-H01-0001"
    qtbot.keyClicks(dialog.deposit_slip_edit, slip)
    qtbot.keyClicks(dialog.cosign.username_edit, "supervisor01")
    qtbot.keyClicks(dialog.cosign.password_edit, DEMO_PASSWORD)
    with qtbot.waitSignal(dialog.shift_closed, timeout=TIMEOUT_MS):
        qtbot.mouseClick(dialog.ok_button, CLICK)
    qtbot.waitUntil(lambda: view.value("approvedByValue") != "", timeout=TIMEOUT_MS)
    assert view.value("differenceValue") == short
    assert view.value("approvedByValue") in {"张海波", "supervisor01"}
    assert cashier.payment.payable_problem() is not None  # the desk knows the shift is closed

    # 7. the 日结单: shown, saved and printed
    settlement = window.screen_widget("settlement")
    assert isinstance(settlement, SettlementScreen)
    with qtbot.waitSignal(settlement.settlement_shown, timeout=60_000):
        qtbot.mouseClick(shift_screen.settlement_button, CLICK)
    assert window.stack.currentWidget() is settlement
    assert settlement.business_date() == shift.business_date
    assert settlement.page_labels
    target = tmp_path / "日结单.pdf"
    with qtbot.waitSignal(settlement.saved, timeout=TIMEOUT_MS):
        settlement.save_pdf(target)
    text = _pdf_text(target)
    for item in ("营业厅日结单", "文三路营业厅", "王丽娟", "H0101", "解款单号", slip, first_receipt, second_receipt,
                 "作废票据号", "现金", f"应有现金{format_fen(expected)}", f"实点现金{format_fen(counted)}",
                 short.replace(" ", ""), "差额审批人", "期初预收余额", "期末预收余额"):
        assert item in text, item
    assert _ink(target, tmp_path) > 0.01
    pdf_printer = settlement.new_printer()
    pdf_printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    pdf_printer.setOutputFileName(str(printed))
    with qtbot.waitSignal(settlement.printed, timeout=60_000):
        settlement.print_to(pdf_printer)
    pages = tmp_path / "printed-pages"
    pages.mkdir()
    assert _ink(printed, pages) > 0.01
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(target, ARTIFACTS / "cashier-day-settlement.pdf")
    assert window.grab().save(str(ARTIFACTS / "cashier-day-settlement-zh_CN.png"))
