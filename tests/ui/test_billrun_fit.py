# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""The billing clerk's screens fit the counter's screen: at 1024×768 and 1366×768, in Chinese and in English,
the Bill runs screen (review table and bill lines), the reading dialog and the bill lines dialog show their
columns whole without a sideways scroll bar and stay inside the screen; screenshots go to artifacts/screens/.

Book T01-B001's 2026-11 is calculated and released over the wire once per module, 王芳's draft (nothing used after
100 kWh in October) held back: the review shows released rows and a held one with its anomaly.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QTableView, QWidget
from pytestqt.qtbot import QtBot

from client.ui.i18n import install_translators
from client.ui.main_window import MainWindow
from client.ui.ops import running_ops
from client.ui.screens.bill_lines_dialog import BillLinesDialog
from client.ui.screens.billrun_screen import BillRunScreen
from client.ui.widgets.bill_lines import LINE_KEY
from shared_models.methods.billruns import (
    CALCULATE_RUN,
    GET_RUN,
    HOLD_BILL,
    RELEASE_RUN,
    CalculateRunRequest,
    GetRunRequest,
    HoldBillRequest,
    RunRef,
    RunState,
)
from tests.action_helpers import confirmed
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.factories import COMMERCIAL, LI_XIUYING, WANG_FANG, ZHANG_WEI
from tests.ui.billrun_live_helpers import BOOK, PERIOD, TIMEOUT_MS, enter_readings
from tests.ui.conftest import ARTIFACTS
from tests.ui.live_helpers import SignIn, live_client, sign_in_live  # noqa: F401 - the fixture

SIZES = [(1024, 768), (1366, 768)]
LOCALES = ["zh_CN", "en"]
READINGS = {ZHANG_WEI: ("820.00", "1000.00", "1180.00"), LI_XIUYING: ("400.00", "500.00", "600.00"),
            WANG_FANG: ("1900.00", "2000.00", "2000.00"), COMMERCIAL: ("7500.00", "8000.00", "8500.00")}


@pytest.fixture(scope="module")
def bill_no(live_server: LiveServer) -> str:  # noqa: F811 - fixture
    """The run calculated, 王芳 held, released; 张伟's bill number."""
    enter_readings(live_server, READINGS)
    rpc, _ = live_client(live_server, "billing1", "T0101")
    try:
        state = RunState.CALCULATING
        while state is RunState.CALCULATING:
            state = rpc.send(CALCULATE_RUN, CalculateRunRequest(book_code=BOOK, period=PERIOD, chunk_size=200),
                             action=confirmed()).state
        rpc.send(HOLD_BILL, HoldBillRequest(book_code=BOOK, period=PERIOD, customer_no=WANG_FANG,
                                            reason="示数待现场核实"), action=confirmed())
        rpc.send(RELEASE_RUN, RunRef(book_code=BOOK, period=PERIOD), action=confirmed())
        page = rpc.call(GET_RUN, GetRunRequest(book_code=BOOK, period=PERIOD))
        return next(str(d.bill_no) for d in page.drafts if d.customer_no == ZHANG_WEI)
    finally:
        rpc.close()


@pytest.fixture
def translated(qapp: QApplication, qm_dir: Path, locale: str) -> Iterator[str]:
    """The interface in ``locale`` while the test builds its widgets."""
    translators = install_translators(qapp, locale, qm_dir=qm_dir)
    yield locale
    for translator in translators:
        qapp.removeTranslator(translator)


def _settle(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)
    for _ in range(3):
        QApplication.processEvents()


def _save(tmp_path: Path, widget: QWidget, name: str) -> None:
    """Grab ``widget`` into tmp_path and copy it to artifacts/screens/ for a person to look at."""
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
    header = table.horizontalHeader()
    shown = sum(header.sectionSize(c) for c in range(header.count()) if not header.isSectionHidden(c))
    assert shown <= table.viewport().width(), (table.objectName(), shown, table.viewport().width())
    metrics = header.fontMetrics()
    for column in columns:
        title = str(table.model().headerData(column, Qt.Orientation.Horizontal))
        assert not header.isSectionHidden(column), (table.objectName(), title)
        width = header.sectionSize(column)
        assert width >= table.sizeHintForColumn(column), (table.objectName(), title, width)
        assert metrics.elidedText(title, Qt.TextElideMode.ElideRight, width) == title, (title, width)


def _assert_inside(dialog: QDialog, size: tuple[int, int]) -> None:
    """The dialog needs no more than the screen, and is shown at least at the size its layout asks for (nothing
    squeezed below its preferred height, no field cut short)."""
    layout = dialog.layout()
    assert layout is not None
    wanted = layout.totalHeightForWidth(dialog.width()) if layout.hasHeightForWidth() else dialog.sizeHint().height()
    assert dialog.width() <= size[0], (dialog.objectName(), dialog.width())
    assert dialog.height() <= size[1], (dialog.objectName(), dialog.height())
    assert dialog.width() >= dialog.minimumSizeHint().width(), (dialog.objectName(), dialog.width())
    assert dialog.height() >= wanted, (dialog.objectName(), dialog.height(), wanted)


def _window(qtbot: QtBot, sign_in_live: SignIn, size: tuple[int, int]) -> tuple[MainWindow, BillRunScreen]:  # noqa: F811
    window = MainWindow(ctx=sign_in_live("billing1", "T0101"))
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    assert window.show_screen("billrun")
    screen = window.screen_widget("billrun")
    assert isinstance(screen, BillRunScreen)
    _settle(qtbot)
    assert (window.width(), window.height()) == size, "the window cannot shrink to the screen"
    screen.set_run(BOOK, PERIOD)
    with qtbot.waitSignal(screen.run_loaded, timeout=TIMEOUT_MS):
        screen.open_button.click()
    _settle(qtbot)
    return window, screen


def _gone(qtbot: QtBot, dialog: QDialog) -> None:
    dialog.close()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog), timeout=TIMEOUT_MS)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("size", SIZES, ids=["1024x768", "1366x768"])
class TestBillRunFit:
    def test_review_and_lines(  # noqa: PLR0917 - pytest hands fixtures and parameters in
        self, qtbot: QtBot, sign_in_live: SignIn, bill_no: str, translated: str,  # noqa: F811
        tmp_path: Path, size: tuple[int, int],
    ) -> None:
        """The review table shows every column whole; the selected bill's lines show their key columns."""
        window, screen = _window(qtbot, sign_in_live, size)
        assert [d.customer_no for d in screen.model.rows()] == [ZHANG_WEI, LI_XIUYING, WANG_FANG, COMMERCIAL]
        with qtbot.waitSignal(screen.lines_shown, timeout=TIMEOUT_MS):
            assert screen.select_customer(ZHANG_WEI)
        _settle(qtbot)
        findings = screen.model.columnCount() - 1  # the last column takes the rest; a long sentence is elided
        _assert_whole(screen.table, list(range(findings)))
        held = screen.proxy.index(screen.row_of(WANG_FANG), findings)
        assert held.data() == held.data(Qt.ItemDataRole.ToolTipRole)  # the whole sentence on hovering
        assert screen.table.columnWidth(findings) >= screen.table.fontMetrics().averageCharWidth() * 30
        assert screen.lines.lines()
        _assert_whole(screen.lines.table, list(LINE_KEY))
        assert screen.correct_button.isEnabled()  # 张伟's bill is released: it can be corrected (退补)
        for button in (screen.hold_button, screen.unhold_button, screen.recalculate_button, screen.reading_button,
                       screen.release_button, screen.correct_button, screen.calculate_button, screen.open_button):
            assert button.width() >= button.sizeHint().width(), button.text()
        _save(tmp_path, window, f"billrun-{translated}-{size[0]}x{size[1]}.png")

    def test_reading_dialog(  # noqa: PLR0917 - pytest hands fixtures and parameters in
        self, qtbot: QtBot, sign_in_live: SignIn, bill_no: str, translated: str,  # noqa: F811
        tmp_path: Path, size: tuple[int, int],
    ) -> None:
        """The held draft's reading dialog fits the screen with every field and the co-sign."""
        _, screen = _window(qtbot, sign_in_live, size)
        assert screen.select_customer(WANG_FANG)
        dialog = screen.open_reading()
        assert dialog is not None
        qtbot.waitUntil(lambda: dialog.history is not None, timeout=TIMEOUT_MS)
        _settle(qtbot)
        _assert_inside(dialog, size)
        assert dialog.register_edits["total"].isVisible()
        assert dialog.cosign.password_edit.isVisible()
        assert dialog.correction_label.text()  # November's reading exists: saving corrects it
        combo = dialog.meter_combo
        assert combo.width() >= combo.sizeHint().width()  # the asset number whole
        for child in (dialog.period_edit, dialog.read_on_edit, dialog.status_combo, combo):
            assert child.height() >= child.sizeHint().height(), child.objectName()
        _save(tmp_path, dialog, f"reading-{translated}-{size[0]}x{size[1]}.png")
        _gone(qtbot, dialog)

    def test_correct_bill_dialog(  # noqa: PLR0917 - pytest hands fixtures and parameters in
        self, qtbot: QtBot, sign_in_live: SignIn, bill_no: str, translated: str,  # noqa: F811
        tmp_path: Path, size: tuple[int, int],
    ) -> None:
        """The 退补 dialog of a released bill fits the screen with its reason, the co-sign and its buttons."""
        _, screen = _window(qtbot, sign_in_live, size)
        with qtbot.waitSignal(screen.lines_shown, timeout=TIMEOUT_MS):
            assert screen.select_customer(ZHANG_WEI)
        _settle(qtbot)
        dialog = screen.open_correct()
        assert dialog is not None
        assert bill_no in dialog.text_label.text()
        _settle(qtbot)
        _assert_inside(dialog, size)
        for child in (dialog.reason_combo, dialog.cosign.username_edit, dialog.cosign.password_edit,
                      dialog.ok_button, dialog.close_button):
            assert child.isVisible(), child.objectName()
            assert child.height() >= child.sizeHint().height(), child.objectName()
        assert dialog.ok_button.width() >= dialog.ok_button.sizeHint().width()
        _save(tmp_path, dialog, f"correct-bill-{translated}-{size[0]}x{size[1]}.png")
        _gone(qtbot, dialog)

    def test_bill_lines_dialog(  # noqa: PLR0917 - pytest hands fixtures and parameters in
        self, qtbot: QtBot, sign_in_live: SignIn, bill_no: str, translated: str,  # noqa: F811
        tmp_path: Path, size: tuple[int, int],
    ) -> None:
        """The cashier's bill lines of a released bill: the key columns whole, the notice buttons, inside."""
        window = MainWindow(ctx=sign_in_live("cashier1", "T0101"))
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        _settle(qtbot)
        dialog = BillLinesDialog(ctx=sign_in_live("cashier1", "T0101"), bill_no=bill_no, offline=False,
                                 parent=window)
        with qtbot.waitSignal(dialog.lines_shown, timeout=TIMEOUT_MS):
            dialog.open()
        _settle(qtbot)
        _assert_inside(dialog, size)
        _assert_whole(dialog.lines.table, list(LINE_KEY))
        assert dialog.paid_label.text()
        assert dialog.notice.save_button.isVisible()
        _save(tmp_path, dialog, f"bill-lines-{translated}-{size[0]}x{size[1]}.png")
        _gone(qtbot, dialog)
