# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""The counter's screens fit the counter's screen: at 1024×768 and 1366×768, in Chinese and in English, the
signed-in client against the live server shows every column that decides a payment whole and without a
sideways scroll bar, and every business-type row of the shift; screenshots go to artifacts/screens/."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QTableView, QWidget
from pytestqt.qtbot import QtBot

from client.core.rpc_client import Cosign
from client.ui.main_window import MainWindow
from client.ui.ops import running_ops
from client.ui.screens.cashier_overview import BILL_KEY, BILL_SECONDARY
from client.ui.screens.shift_screen import ShiftScreen
from client.ui.widgets.table_fit import TableFit
from server.demo_data import DEMO_PASSWORD
from shared_models.methods.customers import OVERVIEW, GetCustomerRequest
from shared_models.methods.payments import VOID, VoidRequest
from shared_models.methods.shifts import SUMMARY, ShiftRequest, ShiftSummary
from tests.action_helpers import confirmed
from tests.ui.conftest import ARTIFACTS
from tests.ui.desk_helpers import (
    TIMEOUT_MS,
    Desk,
    DeskFactory,
    DeskServer,
    customers_in_arrears,
    desk_server,  # noqa: F401 - the fixture
    ensure_shift,
    open_desk,  # noqa: F401 - the fixture
    printer,  # noqa: F401 - the fixture
    rpc_session,
)
from tests.ui.live_helpers import take_payment

#: The screens a counter PC has (docs/cashier-desk.md): the main window fills them.
SIZES = [(1024, 768), (1366, 768)]
LOCALES = ["zh_CN", "en"]


@dataclass(frozen=True)
class Day:
    """The cashier's shift as the screenshots find it, and the customer on the desk."""

    shift_no: str
    customer_no: str
    open_bills: int


@pytest.fixture(scope="module")
def day(desk_server: DeskServer) -> Iterator[Day]:  # noqa: F811 - fixture
    """cashier0101's shift at H0101 with every business type a payment makes (electricity, late fee,
    prepayment) and a void; the customer on the desk is the one with the most open bills, left unpaid."""
    arrears = customers_in_arrears(desk_server)
    assert len(arrears) >= 3, arrears
    rpc = rpc_session(desk_server, username="cashier0101", counter="H0101")
    try:
        shift = ensure_shift(rpc)
        due = rpc.call(OVERVIEW, GetCustomerRequest(customer_no=arrears[1])).due_fen
        take_payment(rpc, arrears[1], cash_fen=due + 10_000)  # 100 yuan over: prepayment
        voided = take_payment(rpc, arrears[2], card_fen=1_000)
        rpc.send(VOID, VoidRequest(receipt_no=voided.receipt_no, reason="金额录入错误"), action=confirmed(),
                 cosign=Cosign(username="supervisor01", password=DEMO_PASSWORD))
        bills = len(rpc.call(OVERVIEW, GetCustomerRequest(customer_no=arrears[0])).open_bills)
        yield Day(shift_no=shift.shift_no, customer_no=arrears[0], open_bills=bills)
    finally:
        rpc.close()


def _settle(qtbot: QtBot) -> None:
    """Every answer landed and every pending layout done."""
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)
    for _ in range(3):
        QApplication.processEvents()


def _open_window(qtbot: QtBot, open_desk: DeskFactory, locale: str, size: tuple[int, int]) -> Desk:  # noqa: F811
    desk = open_desk(locale)
    window = desk.window
    window.resize(*size)
    qtbot.waitExposed(window)
    _settle(qtbot)
    assert (window.width(), window.height()) == size, "the window cannot shrink to the screen"
    return desk


def _save(tmp_path: Path, widget: QWidget, name: str) -> None:
    """Grab ``widget`` into tmp_path and copy it to artifacts/screens/ (git-ignored) for a person to look at."""
    target = tmp_path / name
    assert widget.grab().save(str(target))
    screens = ARTIFACTS / "screens"
    screens.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(target, screens / name)


def _assert_whole(table: QTableView, columns: list[int]) -> None:
    """No sideways scrolling, and each of ``columns`` as wide as its header text and its cells need."""
    assert table.isVisible(), table.objectName()
    bar = table.horizontalScrollBar()
    assert bar.maximum() == 0, (table.objectName(), bar.maximum())
    assert not bar.isVisible(), table.objectName()
    header = table.horizontalHeader()
    shown = sum(header.sectionSize(c) for c in range(header.count()) if not header.isSectionHidden(c))
    assert shown <= table.viewport().width(), (table.objectName(), shown, table.viewport().width())
    for column in columns:
        title = str(table.model().headerData(column, Qt.Orientation.Horizontal))
        assert not header.isSectionHidden(column), (table.objectName(), title)
        width = header.sectionSize(column)
        assert width >= header.sectionSizeHint(column), (table.objectName(), title, width)
        assert width >= table.sizeHintForColumn(column), (table.objectName(), title, width)
        metrics = header.fontMetrics()
        assert metrics.horizontalAdvance(title) < width, (table.objectName(), title, width)
        assert metrics.elidedText(title, Qt.TextElideMode.ElideRight, width) == title


def _assert_every_row(table: QTableView, rows: int) -> None:
    """All ``rows`` rows are in view: the viewport is at least as tall as their heights together."""
    assert table.model().rowCount() == rows
    needed = sum(table.rowHeight(r) for r in range(rows))
    assert table.viewport().height() >= needed, (table.objectName(), table.viewport().height(), needed)
    assert table.verticalScrollBar().maximum() == 0


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("size", SIZES, ids=["1024x768", "1366x768"])
class TestScreenFit:
    def test_desk_shows_every_payment_column(  # noqa: PLR0917 - pytest hands fixtures and parameters in
        self, qtbot: QtBot, open_desk: DeskFactory, day: Day, tmp_path: Path,  # noqa: F811
        locale: str, size: tuple[int, int],
    ) -> None:
        """The open bills and the allocation of the amount due show their payment columns whole, without a
        sideways scroll bar; what a narrow screen leaves out of the bills table is on the details line."""
        assert QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)  # CJK glyphs, not boxes
        desk = _open_window(qtbot, open_desk, locale, size)
        screen = desk.screen
        with qtbot.waitSignal(screen.overview_shown, timeout=TIMEOUT_MS):
            screen.open_customer(day.customer_no)
        qtbot.waitUntil(screen.payment.quote_is_current, timeout=TIMEOUT_MS)
        _settle(qtbot)

        bills, allocation = screen.overview.bills_table, screen.payment.allocation_table
        assert bills.model().rowCount() == day.open_bills >= 2
        assert allocation.model().rowCount() == day.open_bills
        _assert_whole(bills, list(BILL_KEY))
        _assert_whole(allocation, list(range(allocation.model().columnCount())))
        fit = bills.findChild(TableFit)
        assert fit is not None
        details = screen.overview.bill_details.text()
        for column in BILL_SECONDARY:  # whole in the table, or in full on the details line
            value = str(bills.model().index(0, column).data())
            assert value in details, (column, value, details)
            if not bills.isColumnHidden(column) and bills.columnWidth(column) < fit.natural_width(column):
                assert bills.columnWidth(column) >= bills.fontMetrics().averageCharWidth() * 6
        if size[0] >= 1366:  # room for the whole bills table
            assert fit.hidden_columns() == []
        _assert_whole(screen.search.results_view, [])
        _save(tmp_path, desk.window, f"desk-{locale}-{size[0]}x{size[1]}.png")

    def test_shift_shows_every_business_type(  # noqa: PLR0917 - pytest hands fixtures and parameters in
        self, qtbot: QtBot, open_desk: DeskFactory, day: Day, tmp_path: Path,  # noqa: F811
        locale: str, size: tuple[int, int],
    ) -> None:
        """The shift screen shows every business-type and payment-method row of the shift, whole, beside
        its totals and voids."""
        desk = _open_window(qtbot, open_desk, locale, size)
        window: MainWindow = desk.window
        assert window.show_screen("shift")
        screen = window.screen_widget("shift")
        assert isinstance(screen, ShiftScreen)
        qtbot.waitUntil(lambda: screen.summary_view.summary is not None, timeout=TIMEOUT_MS)
        _settle(qtbot)
        summary: ShiftSummary = desk.app.rpc.call(SUMMARY, ShiftRequest(shift_no=day.shift_no))
        assert len(summary.businesses) >= 3  # electricity, late fee, prepayment
        assert summary.voids

        view = screen.summary_view
        for table, rows in ((view.business_table, len(summary.businesses)), (view.methods_table,
                                                                             len(summary.methods))):
            _assert_every_row(table, rows)
            _assert_whole(table, list(range(table.columnCount())))
        _assert_every_row(view.voids_table, len(summary.voids))
        _save(tmp_path, window, f"shift-{locale}-{size[0]}x{size[1]}.png")
