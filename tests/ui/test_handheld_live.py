# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""Issue 13's "Done when" through the real widgets against the live server: the meter reader downloads book
T01-B001 to a folder, the handheld simulator fills it with anomalies, the reader uploads it, sees the report
(coloured, filtered), marks each flagged record, accepts; the billing clerk's bill run then prices the readings
accepted; a tampered file is refused with its sentence and nothing is written."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QPushButton
from pytestqt.qtbot import QtBot

from client.core.handheld_files import FileErrorKind, HandheldFileError
from client.ui.messages import error_message
from client.ui.models.handheld_models import DECIDED_COLOUR, SEVERITY_COLOURS
from client.ui.screens.handheld_screen import HandheldScreen
from client.ui.screens.handheld_words import book_state_name, file_error_text, finding_text
from server.handheld.simulator import damage, fill_document
from shared_models.errors import ErrorCode
from shared_models.handheld import MAX_FILE_BYTES, BookState, DecisionKind, FindingCode, Severity
from shared_models.methods.billruns import CALCULATE_RUN, GET_RUN, CalculateRunRequest, GetRunRequest, RunState
from shared_models.methods.readings import ReadingStatus
from tests.action_helpers import confirmed
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
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
from tests.ui.live_helpers import SignIn, live_client, sign_in_live  # noqa: F401 - the fixture

#: The case the handheld simulator reads for each record, in book order: a rise (warning), no reading at all
#: (estimated by the previous consumption), a value below the previous one without a rollover (an error: only
#: a re-read), a drop (warning, accepted with a note).
CASES = ("rise", "no_reading", "below_previous", "drop")
NOTE = "用户外出，读数已核对"


@pytest.fixture(scope="module")
def period(live_server: LiveServer) -> int:  # noqa: F811 - fixture
    """The book assigned to reader1 and read in the two months before; the current period."""
    return prepare_book(live_server)


def _kwh(record: dict[str, Any], value: str) -> Decimal:
    """The consumption of a total register read at ``value`` (previous value, multiplier of the package)."""
    previous = next(r["previous"] for r in record["registers"] if r["register"] == "total")
    return (Decimal(value) - Decimal(previous)) * int(record["multiplier"])


def _readings(live: LiveServer, period: int) -> dict[str, tuple[str, str, str]]:
    """户号 → (status, source, total) of the period's readings in the books."""
    rows = live_sql(live, "SELECT c.customer_no, r.status, r.source, r.total FROM readings r "
                          "JOIN meters m ON m.id = r.meter_id JOIN customers c ON c.id = m.customer_id "
                          "WHERE r.period = :period", period=period)
    return {str(c): (str(s), str(src), str(t)) for c, s, src, t in rows}


def test_reader_downloads_fills_uploads_marks_and_accepts_and_the_run_prices_it(
        qtbot: QtBot, period: int, sign_in_live: SignIn, tmp_path: Path,  # noqa: F811
        live_server: LiveServer) -> None:  # noqa: F811
    """The whole hand-over through the screen; the bill run prices what was accepted."""
    screen = HandheldScreen(ctx=sign_in_live("reader1", "T0101"), data_dir=tmp_path / "client-data")
    qtbot.addWidget(screen)
    screen.resize(1000, 700)
    screen.show()
    open_books(qtbot, screen)
    assert screen.period == period
    book = screen.selected_book()
    assert book is not None
    assert (book.book_code, book.state) == (BOOK, BookState.NOT_SENT)
    assert screen.books_model.index(0, 4).data() == book_state_name(BookState.NOT_SENT)

    # Download to the stick: the package is there whole, a copy kept for the offline check, the book on the handheld.
    stick = tmp_path / "stick"
    with qtbot.waitSignal(screen.books_loaded, timeout=TIMEOUT_MS):
        package = download(qtbot, screen, stick)
    settle(qtbot)
    assert [p.suffix for p in stick.iterdir()] == [".json"]
    assert (tmp_path / "client-data" / "handheld" / f"{package['package_id']}.json").is_file()
    assert len(package["records"]) == len(CASES), [r["customer_no"] for r in package["records"]]
    assert screen.selected_book() is not None
    assert screen.selected_book().state is BookState.ON_HANDHELD  # type: ignore[union-attr]

    # The handheld reads the book (the simulator) and the file comes back on the stick.
    filled = fill_document(package, cases=CASES, read_on=today())
    returned = stick / "returned.json"
    returned.write_text(json.dumps(filled, ensure_ascii=False, indent=1), encoding="utf-8")
    upload(qtbot, screen, returned)

    # The report: every record in book order, coloured by its severity, each finding in words.
    panel = screen.report
    rows = panel.shown_rows()
    assert [r.seq for r in rows] == [1, 2, 3, 4]
    assert [r.severity for r in rows] == [Severity.WARNING, Severity.WARNING, Severity.ERROR, Severity.WARNING]
    assert [panel.model.background(i) for i in range(4)] == [
        SEVERITY_COLOURS[Severity.WARNING], SEVERITY_COLOURS[Severity.WARNING], SEVERITY_COLOURS[Severity.ERROR],
        SEVERITY_COLOURS[Severity.WARNING]]
    assert FindingCode.MISSING in rows[1].codes
    assert FindingCode.ANOMALY in rows[2].codes
    for row in rows:
        for finding in row.findings:
            text = finding_text(finding)
            assert text, finding
            assert "{" not in text, (finding, text)
    assert panel.summary_label.text().count(BOOK) == 1

    # Filters: errors only, a finding kind, a status, free text; then everything again.
    panel.set_filter(severity=Severity.ERROR)
    assert [r.seq for r in panel.shown_rows()] == [3]
    panel.set_filter(code=FindingCode.MISSING)
    assert [r.seq for r in panel.shown_rows()] == [2]
    panel.set_filter(status="none")
    assert [r.seq for r in panel.shown_rows()] == [2]
    panel.set_filter(status=ReadingStatus.ACTUAL.value)
    assert [r.seq for r in panel.shown_rows()] == [1, 3, 4]
    panel.set_filter(text=rows[3].customer_no)
    assert [r.seq for r in panel.shown_rows()] == [4]
    panel.set_filter()
    assert len(panel.shown_rows()) == 4
    panel.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert [r.seq for r in panel.shown_rows()] == [4, 3, 2, 1]
    panel.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)

    # Marks: what a record does not allow is greyed out.
    buttons = panel.decision_buttons
    panel.select_seqs({3})
    assert [k for k, b in buttons.items() if b.isEnabled()] == [DecisionKind.REREAD]
    buttons[DecisionKind.REREAD].click()
    panel.select_seqs({2})
    assert {k for k, b in buttons.items() if b.isEnabled()} == {DecisionKind.ESTIMATE, DecisionKind.REREAD}
    buttons[DecisionKind.ESTIMATE].click()
    panel.select_seqs({1})
    assert all(b.isEnabled() for b in buttons.values())
    buttons[DecisionKind.ACCEPT].click()
    panel.select_seqs({4})
    buttons[DecisionKind.ACCEPT_WITH_NOTE].click()  # no note typed: the hint asks for it, nothing marked
    assert panel.hint_label.text()
    assert rows[3].decision is None
    panel.note_edit.setText(NOTE)
    buttons[DecisionKind.ACCEPT_WITH_NOTE].click()
    assert [r.decision for r in rows] == [DecisionKind.ACCEPT, DecisionKind.ESTIMATE, DecisionKind.REREAD,
                                          DecisionKind.ACCEPT_WITH_NOTE]
    assert panel.model.background(0) == DECIDED_COLOUR
    assert screen.accept_button.isEnabled()

    with qtbot.waitSignal(screen.accepted, timeout=TIMEOUT_MS) as blocker:
        screen.accept_button.click()
    settle(qtbot)
    result = blocker.args[0]
    assert result.state is BookState.PARTLY_ACCEPTED
    assert result.open_records == 1
    assert not any(r.repeated for r in result.records)
    assert screen.message_label.text()
    assert not screen.error_label.text()
    assert screen.selected_book().state is BookState.PARTLY_ACCEPTED  # type: ignore[union-attr]

    # The books hold the three readings accepted (the estimate as 估抄 of the previous month's 100), not the re-read.
    records = {r["seq"]: r for r in filled["records"]}
    books = _readings(live_server, period)
    assert set(books) == {records[s]["customer_no"] for s in (1, 2, 4)}
    first = books[records[1]["customer_no"]]
    assert (first[0].lower(), first[1].lower()) == ("actual", "handheld"), first
    assert Decimal(first[2]) == Decimal(records[1]["reading"]["values"]["total"])
    estimated = books[records[2]["customer_no"]]
    assert estimated[0].lower() == ReadingStatus.ESTIMATED.value
    assert Decimal(estimated[2]) == Decimal("1200.00")
    noted = live_sql(live_server, "SELECT note FROM handheld_accepted WHERE seq = 4")
    assert noted == [(NOTE,)]

    # The bill run of the period prices the readings accepted.
    rpc, _ = live_client(live_server, "billing1", "T0101")
    try:
        state = RunState.CALCULATING
        while state is RunState.CALCULATING:
            state = rpc.send(CALCULATE_RUN, CalculateRunRequest(book_code=BOOK, period=period),
                             action=confirmed()).state
        drafts = {d.customer_no: d for d in rpc.call(GET_RUN, GetRunRequest(book_code=BOOK, period=period)).drafts}
    finally:
        rpc.close()
    expected = {records[1]["customer_no"]: _kwh(records[1], records[1]["reading"]["values"]["total"]),
                records[2]["customer_no"]: _kwh(records[2], "1200.00"),
                records[4]["customer_no"]: _kwh(records[4], records[4]["reading"]["values"]["total"])}
    for customer_no, kwh in expected.items():
        draft = drafts[customer_no]
        assert draft.priced, draft
        assert Decimal(str(draft.total_kwh)) == kwh, (customer_no, draft.total_kwh, kwh)
        assert draft.total_fen > 0


def _tampered(document: dict[str, Any]) -> bytes:
    """The filled file with one digit of its signed part flipped by the simulator (still a readable package of
    the same id: the signature is what finds it)."""
    data = json.dumps(document, ensure_ascii=False, indent=1).encode()
    for seed in range(200):
        broken = damage(data, "flip", seed=seed)
        try:
            changed = json.loads(broken)
        except ValueError:
            continue
        same = all(changed.get(k) == document.get(k) for k in ("format", "package_id", "key_id", "hmac"))
        if same and changed["records"] != document["records"]:
            return broken
    raise AssertionError("no flip inside the records")  # pragma: no cover


def test_bad_files_and_folders_are_refused_with_their_sentences(
        qtbot: QtBot, period: int, sign_in_live: SignIn, tmp_path: Path,  # noqa: F811
        live_server: LiveServer) -> None:  # noqa: F811
    """Through the screen's own dialogs: a stick that is gone, a file over the cap (refused unread), and a package
    whose figures were changed after the download (the signature sentence, no report, nothing written)."""
    screen = HandheldScreen(ctx=sign_in_live("reader1", "T0101"), data_dir=tmp_path / "client-data")
    qtbot.addWidget(screen)
    screen.show()
    open_books(qtbot, screen)

    gone = tmp_path / "pulled-stick"
    with qtbot.waitSignal(screen.failed, timeout=TIMEOUT_MS) as blocker:
        _choose(screen, screen.download_button, "handheldFolderDialog", gone)
    settle(qtbot)
    assert blocker.args[0] == file_error_text(HandheldFileError(FileErrorKind.FOLDER_MISSING, gone))

    stick = tmp_path / "stick"
    stick.mkdir()
    with qtbot.waitSignal(screen.downloaded, timeout=TIMEOUT_MS) as done:
        _choose(screen, screen.download_button, "handheldFolderDialog", stick)
    settle(qtbot)
    package = json.loads(done.args[0].path.read_text(encoding="utf-8"))

    huge = stick / "huge.json"
    with huge.open("wb") as out:
        out.truncate(MAX_FILE_BYTES + 1)
    with qtbot.waitSignal(screen.failed, timeout=TIMEOUT_MS) as blocker:
        _choose(screen, screen.upload_button, "handheldFileDialog", huge)
    settle(qtbot)
    assert blocker.args[0] == file_error_text(HandheldFileError(FileErrorKind.TOO_LARGE, huge,
                                                                size=MAX_FILE_BYTES + 1))

    before = live_sql(live_server, "SELECT count(*) FROM readings")
    path = stick / "tampered.json"
    path.write_bytes(_tampered(fill_document(package, mix="normal", read_on=today())))
    with qtbot.waitSignal(screen.failed, timeout=TIMEOUT_MS) as blocker:
        _choose(screen, screen.upload_button, "handheldFileDialog", path)
    settle(qtbot)
    sentence = error_message(ErrorCode.HANDHELD_SIGNATURE_INVALID, {"package_id": package["package_id"]})
    assert blocker.args[0] == sentence
    assert screen.error_label.text() == sentence
    assert screen.report.model.rowCount() == 0
    assert not screen.accept_button.isEnabled()
    assert live_sql(live_server, "SELECT count(*) FROM readings") == before


def _choose(screen: HandheldScreen, button: QPushButton, dialog_name: str, path: Path) -> None:
    """Press ``button`` and pick ``path`` in the file dialog it opens (as the reader would, without typing)."""
    button.click()
    dialog = screen.findChild(QFileDialog, dialog_name)
    assert dialog is not None
    assert dialog.isVisible()
    dialog.fileSelected.emit(str(path))
    dialog.close()
