# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""The hand-over screen against the live server, beyond the first acceptance: it fits 1024×768 in Chinese and in
English with every text filled in (no ``{placeholder}`` left, no English words in Chinese); a package accepted in
parts leaves the rest open; a second acceptance of the same records (another counter's stale report) writes
nothing and says so; a book accepted whole refuses a new download and a second upload with their sentences."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLabel, QLineEdit, QTableView, QWidget
from pytestqt.qtbot import QtBot

from client.core.config import ClientPaths
from client.ui.i18n import install_translators
from client.ui.main_window import MainWindow
from client.ui.messages import error_message
from client.ui.screens.handheld_screen import HandheldScreen
from server.handheld.simulator import fill_document, to_csv
from shared_models.errors import ErrorCode
from shared_models.handheld import BookState, DecisionKind
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.ui.conftest import ARTIFACTS
from tests.ui.handheld_live_helpers import (
    BOOK,
    TIMEOUT_MS,
    download,
    open_books,
    prepare_book,
    settle,
    today,
    upload,
)
from tests.ui.live_client import live_sql
from tests.ui.live_helpers import SignIn, sign_in_live  # noqa: F401 - the fixture

#: Cases of the simulator for the fit screenshots: every severity on screen.
CASES = ("rise", "no_reading", "below_previous", "no_access")
#: Latin words a Chinese screen shows on purpose: formats, units, the file and the book's code.
_LATIN_OK = re.compile(r"JSON|CSV|UTF-8|GB18030|kWh|kW|T01-B001|[\w.-]+\.(json|csv)|[0-9a-f-]{36}", re.IGNORECASE)


@pytest.fixture(scope="module")
def period(live_server: LiveServer) -> int:  # noqa: F811 - fixture
    """The book assigned to reader1 and read in the two months before; the current period."""
    return prepare_book(live_server)


@pytest.fixture
def translated(qapp: QApplication, qm_dir: Path, locale: str) -> Iterator[str]:
    """The interface in ``locale`` while the test builds its widgets."""
    translators = install_translators(qapp, locale, qm_dir=qm_dir)
    yield locale
    for translator in translators:
        qapp.removeTranslator(translator)


def _texts(root: QWidget) -> list[str]:
    """Every text the screen shows: labels, buttons, fields, combo items, table headers and cells."""
    out: list[str] = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            out.append(widget.text())
        elif isinstance(widget, QLineEdit):
            out.extend((widget.text(), widget.placeholderText()))
        elif isinstance(widget, QComboBox):
            out.extend(widget.itemText(i) for i in range(widget.count()))
        elif isinstance(widget, QTableView):
            model = widget.model()
            for column in range(model.columnCount()):
                out.append(str(model.headerData(column, Qt.Orientation.Horizontal)))
                out.extend(str(model.index(row, column).data() or "") for row in range(model.rowCount()))
                out.extend(str(model.index(row, column).data(Qt.ItemDataRole.ToolTipRole) or "")
                           for row in range(model.rowCount()))
    return [t for t in out if t]


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_the_screen_fits_1024x768_in_both_languages(
        qtbot: QtBot, period: int, sign_in_live: SignIn, client_paths: ClientPaths,  # noqa: F811
        translated: str) -> None:
    """The reader's window at 1024×768 with a report of every severity: nothing squeezed, the key columns whole,
    every sentence filled in and, in Chinese, no English word."""
    window = MainWindow(ctx=sign_in_live("reader1", "T0101"))
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    qtbot.waitExposed(window)
    assert window.show_screen("handheld")
    screen = window.screen_widget("handheld")
    assert isinstance(screen, HandheldScreen)
    qtbot.waitUntil(lambda: screen.books_model.rowCount() == 1, timeout=TIMEOUT_MS)
    settle(qtbot)
    package = download(qtbot, screen, client_paths.data_dir / "stick")
    path = client_paths.data_dir / "stick" / "returned.csv"
    path.write_text(to_csv(fill_document(package, cases=CASES, read_on=today())), encoding="utf-8")
    upload(qtbot, screen, path)
    screen.report.select_seqs({1})
    for _ in range(3):
        QApplication.processEvents()
    assert (window.width(), window.height()) == (1024, 768), "the window cannot shrink to the screen"
    table = screen.report.table
    assert table.horizontalScrollBar().maximum() == 0
    header = table.horizontalHeader()
    for column in screen.report.fit.key_columns():
        title = str(table.model().headerData(column, Qt.Orientation.Horizontal))
        assert not header.isSectionHidden(column), title
        assert header.sectionSize(column) >= table.sizeHintForColumn(column), title
    for button in screen.findChildren(QAbstractButton):
        if button.isVisible():
            assert button.width() >= button.minimumSizeHint().width(), button.objectName()
    texts = _texts(screen)
    assert any("T01-B001" in t for t in texts)
    for text in texts:
        assert not re.search(r"\{[a-z_]+\}", text), text
        if translated == "zh_CN":
            assert not re.search(r"[A-Za-z]{3,}", _LATIN_OK.sub("", text)), text
    name = f"handheld-{translated}-1024x768.png"
    target = client_paths.data_dir / name
    assert window.grab().save(str(target))
    (ARTIFACTS / "screens").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(target, ARTIFACTS / "screens" / name)


def _accept(qtbot: QtBot, screen: HandheldScreen, seqs: set[int]) -> object:
    screen.report.select_seqs(seqs)
    screen.report.decision_buttons[DecisionKind.ACCEPT].click()
    with qtbot.waitSignal(screen.accepted, timeout=TIMEOUT_MS) as blocker:
        screen.accept_button.click()
    settle(qtbot)
    return blocker.args[0]


def _count(live: LiveServer, table: str) -> object:
    return live_sql(live, f"SELECT count(*) FROM {table}")[0][0]  # noqa: S608 - the tests' own table names


def test_accepted_in_parts_and_a_second_acceptance_writes_nothing(
        qtbot: QtBot, period: int, sign_in_live: SignIn, tmp_path: Path,  # noqa: F811
        live_server: LiveServer) -> None:  # noqa: F811
    """Two records now, the rest open; a stale second report of the same records accepts nothing new; the rest
    later; then the book refuses a new download and the file a second upload."""
    first = HandheldScreen(ctx=sign_in_live("reader1", "T0101"), data_dir=tmp_path / "a")
    second = HandheldScreen(ctx=sign_in_live("reader1", "T0101"), data_dir=tmp_path / "b")
    for screen in (first, second):
        qtbot.addWidget(screen)
        screen.show()
        open_books(qtbot, screen)
    package = download(qtbot, first, tmp_path / "stick")
    path = tmp_path / "stick" / "returned.json"
    path.write_text(json.dumps(fill_document(package, mix="normal", read_on=today()), ensure_ascii=False),
                    encoding="utf-8")
    upload(qtbot, first, path)
    upload(qtbot, second, path)  # another counter PC with the same file, before the first accepts
    assert [r.severity for r in first.report.shown_rows()] == [None] * 4

    result = _accept(qtbot, first, {1, 2})
    assert result.state is BookState.PARTLY_ACCEPTED  # type: ignore[attr-defined]
    assert result.open_records == 2  # type: ignore[attr-defined]
    assert [r.decided for r in first.report.shown_rows()] == [DecisionKind.ACCEPT] * 2 + [None] * 2
    first.report.select_seqs({1})
    assert not any(b.isEnabled() for b in first.report.decision_buttons.values())  # decided: nothing to mark
    readings, decided = _count(live_server, "readings"), _count(live_server, "handheld_accepted")

    repeat = _accept(qtbot, second, {1, 2})
    assert [r.repeated for r in repeat.records] == [True, True]  # type: ignore[attr-defined]
    assert repeat.open_records == 2  # type: ignore[attr-defined]
    assert (_count(live_server, "readings"), _count(live_server, "handheld_accepted")) == (readings, decided)
    assert "2" in second.message_label.text()

    rest = _accept(qtbot, first, {3, 4})
    assert rest.state is BookState.ACCEPTED  # type: ignore[attr-defined]
    assert rest.open_records == 0  # type: ignore[attr-defined]
    assert _count(live_server, "readings") == readings + 2  # type: ignore[operator]
    qtbot.waitUntil(lambda: first.selected_book() is not None
                    and first.selected_book().state is BookState.ACCEPTED,  # type: ignore[union-attr]
                    timeout=TIMEOUT_MS)

    with qtbot.waitSignal(first.failed, timeout=TIMEOUT_MS) as blocker:
        first.download_to(tmp_path / "stick")
    settle(qtbot)
    assert blocker.args[0] == error_message(ErrorCode.HANDHELD_BOOK_ACCEPTED, {"book_code": BOOK, "period": period})
    with qtbot.waitSignal(first.failed, timeout=TIMEOUT_MS) as blocker:
        first.upload_file(path)
    settle(qtbot)
    assert blocker.args[0] == error_message(ErrorCode.HANDHELD_PACKAGE_ACCEPTED,
                                            {"package_id": package["package_id"]})
    assert first.report.model.rowCount() == 0
