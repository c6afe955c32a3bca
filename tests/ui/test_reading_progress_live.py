# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""The supervisor's Reading progress screen and the billing clerk's Reading books screen against the live server,
driven through the real widgets.

Hall T01 has two books this month: T01-B001 of reader1 (three customers) and T01-B002 of reader2 (the fourth
customer). reader1 downloads T01-B001 over the wire, the simulator fills it, reader1 accepts record 1 and orders
record 2 re-read; record 3 stays on the handheld. The supervisor's tables show those figures and the chart's bars
are drawn to them (segment widths and the pixels' colours); the clerk gives T01-B002 to reader1 through the
dialog and the list and the completion follow; a refusal shows its sentence; a lost answer to Assign, pressed
again, assigns once; both screens fit 1024×768 in Chinese and in English.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QTableWidget
from pytestqt.qtbot import QtBot

from client.ui.book_words import state_name
from client.ui.context import UiContext
from client.ui.i18n import install_translators
from client.ui.main_window import MainWindow
from client.ui.ops import running_ops
from client.ui.screens.book_assign_dialog import BookAssignDialog
from client.ui.screens.reading_books_screen import ReadingBooksScreen
from client.ui.screens.reading_progress_screen import COLORS, ReadingProgressScreen
from server.handheld.simulator import fill_document
from server.security import hash_password
from shared_models.handheld import Decision, DecisionKind
from shared_models.methods.handheld import ACCEPT_UPLOAD, DOWNLOAD_BOOK, AcceptUploadRequest, DownloadBookRequest
from shared_models.rules.hall_time import hall_now
from tests.action_helpers import confirmed
from tests.chaos.proxy import ChaosProxy
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.factories import password_for
from tests.ui.confirm_helpers import TIMEOUT_MS, LostAnswer, ViaLink, link, sql, via_link  # noqa: F401
from tests.ui.conftest import ARTIFACTS
from tests.ui.live_helpers import SignIn, live_client, sign_in_live  # noqa: F401 - the fixture

pytestmark = pytest.mark.timeout(300)
CLICK = Qt.MouseButton.LeftButton
TODAY = hall_now().date()
PERIOD = TODAY.year * 100 + TODAY.month
LOCALES = ["zh_CN", "en"]


def _before(period: int, months: int) -> int:
    index = (period // 100) * 12 + period % 100 - 1 - months
    return (index // 12) * 100 + index % 12 + 1


@pytest.fixture(scope="module")
def hall(live_server: LiveServer) -> None:  # noqa: F811 - fixture
    """The two books, reader2, two months of readings, and reader1's package: record 1 accepted, record 2 re-read."""
    [(hall_id,)] = sql(live_server, "SELECT id FROM org_units WHERE code = 'T01'")
    sql(live_server, "INSERT INTO users (username, display_name, role, org_unit_id, password_hash,"
                     " must_change_password, failed_attempts, active)"
                     " VALUES ('reader2', '抄表员乙', 'meter_reader', :h, :p, false, 0, true)",
        h=hall_id, p=hash_password(password_for("reader2")))
    for code, name, reader in (("T01-B001", "文三路一段", "reader1"), ("T01-B002", "文三路二段", "reader2")):
        sql(live_server, "INSERT INTO reading_books (code, name, hall_id, reader_id, reading_day, window_days)"
                         " SELECT :c, :n, :h, id, :d, 15 FROM users WHERE username = :r",
            c=code, n=name, h=hall_id, r=reader, d=TODAY.day)
    sql(live_server, "UPDATE customers SET book_code = 'T01-B002', book_seq = 1 WHERE book_seq = 4")
    for months, total in ((2, "1000.00"), (1, "1100.00")):
        period = _before(PERIOD, months)
        sql(live_server, "INSERT INTO readings (meter_id, period, read_on, status, source, total)"
                         " SELECT id, :p, :d, 'actual', 'import', :t FROM meters",
            p=period, d=dt.date(period // 100, period % 100, 20), t=Decimal(total))
    rpc, _ = live_client(live_server, "reader1", "T0101")
    try:
        package = rpc.send(DOWNLOAD_BOOK, DownloadBookRequest(book_code="T01-B001", period=PERIOD),
                           action=confirmed())
        document = fill_document(json.loads(package.text), mix="normal", read_on=TODAY)
        content = base64.b64encode(json.dumps(document, ensure_ascii=False).encode()).decode()
        rpc.send(ACCEPT_UPLOAD, AcceptUploadRequest(content_b64=content, decisions=[
            Decision(seq=1, decision=DecisionKind.ACCEPT), Decision(seq=2, decision=DecisionKind.REREAD)]),
            action=confirmed())
    finally:
        rpc.close()


def _idle(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)


def _cells(table: QTableWidget) -> list[list[str]]:
    items = [[table.item(r, c) for c in range(table.columnCount())] for r in range(table.rowCount())]
    return [["" if item is None else item.text() for item in row] for row in items]


def _progress(qtbot: QtBot, ctx: UiContext) -> ReadingProgressScreen:
    screen = ReadingProgressScreen(ctx=ctx)
    qtbot.addWidget(screen)
    screen.resize(900, 600)
    screen.show()
    screen.period_edit.setDate(QDate(PERIOD // 100, PERIOD % 100, 1))
    with qtbot.waitSignal(screen.completion_loaded, timeout=TIMEOUT_MS):
        qtbot.mouseClick(screen.refresh_button, CLICK)
    _idle(qtbot)
    return screen


def _books(qtbot: QtBot, ctx: UiContext) -> ReadingBooksScreen:
    screen = ReadingBooksScreen(ctx=ctx)
    qtbot.addWidget(screen)
    screen.show()
    with qtbot.waitSignal(screen.books_loaded, timeout=TIMEOUT_MS):
        screen.activate()
    _idle(qtbot)
    return screen


def _open_assign(qtbot: QtBot, screen: ReadingBooksScreen, code: str) -> BookAssignDialog:
    assert screen.page is not None
    screen.table.selectRow([b.book_code for b in screen.page.books].index(code))
    assert screen.assign_button.isEnabled()
    qtbot.mouseClick(screen.assign_button, CLICK)
    dialog = screen.findChild(BookAssignDialog)
    assert dialog is not None
    return dialog


def _close(qtbot: QtBot, dialog: BookAssignDialog) -> None:
    dialog.close()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog), timeout=TIMEOUT_MS)


def _near(color: QColor, expected: QColor) -> bool:
    return max(abs(color.red() - expected.red()), abs(color.green() - expected.green()),
               abs(color.blue() - expected.blue())) <= 8


def test_the_progress_screen_shows_the_figures_and_draws_them(
        qtbot: QtBot, hall: None, sign_in_live: SignIn) -> None:  # noqa: F811
    """Per book and per reader the server's figures; each reader's bar split accepted / returned / on handheld /
    not sent in those proportions, in the legend's colours."""
    screen = _progress(qtbot, sign_in_live("super1", "T0101"))
    books = _cells(screen.book_table)
    assert [row[0] for row in books] == ["T01-B001", "T01-B002"]
    assert books[0][3:9] == ["3", "3", "3", "2", "1", "1"]  # customers, records, sent, returned, accepted, open
    assert books[0][9] == state_name(screen.report.books[0].state)  # type: ignore[union-attr]
    assert books[1][3:9] == ["1", "1", "0", "0", "0", "0"]
    assert _cells(screen.reader_table) == [
        ["抄表员甲 (reader1)", "1", "3", "3", "2", "1", "1"], ["抄表员乙 (reader2)", "1", "1", "0", "0", "0", "0"]]
    chart = screen.chart
    assert [(b.label, b.values) for b in chart.bars] == [("抄表员甲 (reader1)", (1, 1, 1, 0)),
                                                          ("抄表员乙 (reader2)", (0, 0, 0, 1))]
    image = chart.grab().toImage()
    ratio = chart.devicePixelRatioF()
    first, second = chart.segment_rects()
    unit = first[0].width()
    assert unit > 20
    for rect in (first[1], first[2], second[3]):
        assert abs(rect.width() - unit) <= 1  # one record each, to one scale
    assert first[3].width() == 0
    assert second[0].width() == second[1].width() == second[2].width() == 0
    for rects, values in ((first, (1, 1, 1, 0)), (second, (0, 0, 0, 1))):
        for rect, value, color in zip(rects, values, COLORS, strict=True):
            if value:
                center = rect.center()
                pixel = image.pixelColor(int(center.x() * ratio), int(center.y() * ratio))
                assert _near(pixel, color), (rect, pixel.name(), color.name())
    assert "1" in screen.summary_label.text()


def test_assign_through_the_dialog_moves_the_book(
        qtbot: QtBot, hall: None, sign_in_live: SignIn, live_server: LiveServer) -> None:  # noqa: F811
    """The clerk gives T01-B002 to reader1 on day 10 ± 2: the list shows it, the supervisor's totals follow, and
    a deactivated reader is refused with the translated sentence."""
    clerk = sign_in_live("billing1", "T0101")
    screen = _books(qtbot, clerk)
    assert _cells(screen.table)[1][:3] == ["T01-B002", "文三路二段", "抄表员乙 (reader2)"]
    dialog = _open_assign(qtbot, screen, "T01-B002")
    assert dialog.reader_combo.currentData() == "reader2"
    dialog.reader_combo.setCurrentIndex(dialog.reader_combo.findData("reader1"))
    dialog.day_spin.setValue(10)
    dialog.window_spin.setValue(2)
    with qtbot.waitSignal(screen.books_loaded, timeout=TIMEOUT_MS):
        qtbot.mouseClick(dialog.assign_button, CLICK)
    _idle(qtbot)
    row = _cells(screen.table)[1]
    assert row[2:5] == ["抄表员甲 (reader1)", "10", screen.tr("± {days} days").format(days=2)]
    assert sql(live_server, "SELECT u.username, b.reading_day, b.window_days FROM reading_books b"
                            " JOIN users u ON u.id = b.reader_id WHERE b.code = 'T01-B002'") == [("reader1", 10, 2)]
    progress = _progress(qtbot, sign_in_live("super1", "T0101"))
    assert _cells(progress.reader_table) == [["抄表员甲 (reader1)", "2", "4", "3", "2", "1", "1"]]
    assert [b.values for b in progress.chart.bars] == [(1, 1, 1, 1)]

    sql(live_server, "UPDATE users SET active = false WHERE username = 'reader2'")
    try:
        dialog = _open_assign(qtbot, screen, "T01-B002")
        dialog.reader_combo.setCurrentIndex(dialog.reader_combo.findData("reader2"))
        qtbot.mouseClick(dialog.assign_button, CLICK)
        qtbot.waitUntil(lambda: bool(dialog.error_label.text()), timeout=TIMEOUT_MS)
        assert "reader2" in dialog.error_label.text()
        assert dialog.isVisible()
        assert sql(live_server, "SELECT u.username FROM reading_books b JOIN users u ON u.id = b.reader_id"
                                " WHERE b.code = 'T01-B002'") == [("reader1",)]
        _close(qtbot, dialog)
    finally:
        sql(live_server, "UPDATE users SET active = true WHERE username = 'reader2'")


def test_lost_answer_assigned_again_stores_once(qtbot: QtBot, hall: None, live_server: LiveServer,  # noqa: F811
                                                link: ChaosProxy, via_link: ViaLink) -> None:  # noqa: F811
    """The answer to Assign is lost after the commit; the second press answers the first result: one change."""
    screen = _books(qtbot, via_link("billing1", "T0101"))
    dialog = _open_assign(qtbot, screen, "T01-B001")
    dialog.reader_combo.setCurrentIndex(dialog.reader_combo.findData("reader2"))
    dialog.day_spin.setValue(21)
    lost = LostAnswer.arm_for(live_server, link, "books.assign_book")
    qtbot.mouseClick(dialog.assign_button, CLICK)
    lost.wait_lost(qtbot, dialog.slot)
    assert dialog.error_label.text()
    with qtbot.waitSignal(dialog.book_assigned, timeout=TIMEOUT_MS) as assigned:
        qtbot.mouseClick(dialog.assign_button, CLICK)
    stored = lost.check_once(dialog.slot, assigned.args[0])
    assert (stored["reader"], stored["reading_day"]) == ("reader2", 21)
    _idle(qtbot)


@pytest.fixture
def translated(qapp: QApplication, qm_dir: Path, locale: str) -> Iterator[str]:
    """The interface in ``locale`` while the test builds its widgets."""
    translators = install_translators(qapp, locale, qm_dir=qm_dir)
    yield locale
    for translator in translators:
        qapp.removeTranslator(translator)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_screens_fit_1024x768(qtbot: QtBot, hall: None, sign_in_live: SignIn,  # noqa: F811
                                  translated: str) -> None:
    """In the main window at 1024×768 the progress screen's tables need no sideways scroll bar, the chart has room
    for its bars, and the books screen and the assign dialog fit; screenshots go to artifacts/screens/."""
    for username, name in (("super1", "progress"), ("billing1", "books")):
        window = MainWindow(ctx=sign_in_live(username, "T0101"))
        qtbot.addWidget(window)
        window.resize(1024, 768)
        window.show()
        qtbot.waitExposed(window)
        assert window.show_screen(name), (translated, name)
        _idle(qtbot)
        for _ in range(3):
            QApplication.processEvents()
        assert (window.width(), window.height()) == (1024, 768), (translated, name)
        screen = window.screen_widget(name)
        if isinstance(screen, ReadingProgressScreen):
            tables = [screen.book_table, screen.reader_table]
            assert screen.chart.height() >= screen.chart.minimumSizeHint().height()
            assert all(rect.height() >= 14 for rects in screen.chart.segment_rects() for rect in rects)
            chart = screen.chart
            assert all(chart.rect().contains(text) for _, text in chart.legend_rects()), translated  # nothing cut
            assert all(chart.fontMetrics().horizontalAdvance(segment.name) < text.width()
                       for segment, (_, text) in zip(chart.segments, chart.legend_rects(), strict=True))
        else:
            assert isinstance(screen, ReadingBooksScreen)
            tables = [screen.table]
            dialog = _open_assign(qtbot, screen, "T01-B001")
            QApplication.processEvents()
            assert dialog.width() <= 1024
            assert dialog.height() <= 768
            assert dialog.width() >= dialog.minimumSizeHint().width()
            _close(qtbot, dialog)
        for table in tables:
            assert table.rowCount() > 0
            assert table.horizontalScrollBar().maximum() == 0, (translated, table.objectName())
        screens = ARTIFACTS / "screens"
        screens.mkdir(parents=True, exist_ok=True)
        assert window.grab().save(str(screens / f"{name}-{translated}-1024x768.png"))
