"""The meter reader's hand-over screen (抄表交接): books due, download to a stick, upload, the report, accept.

The reader sees the books of the period with their state; **Download…** writes a book's signed package to a
folder the reader picks (atomically, ``client.core.handheld_files``) and keeps a copy in the client data
folder; **Upload…** reads a returned file (JSON or CSV), has the server validate it (``handheld.validate_upload``)
and shows the report (``handheld_report.ReportPanel``), where the reader marks each flagged record;
**Accept** sends ``handheld.accept_upload`` with the decided records (the rest stays open), its idempotency key
minted once per confirmation (a retry after a lost answer replays). When the server cannot be reached (or the
session was signed in offline) the file is checked on this PC against the package kept at download
(``handheld_steps.validate_here``) and Accept queues the decisions in the outbox (``client.core.handheld_queue``),
sent once when the link is back. Every file and network step runs in an ``Op``. Tests choose folders and files
through :meth:`download_to` and :meth:`upload_file` (or the dialogs' ``fileSelected``).
"""

from __future__ import annotations

import base64
import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QHBoxLayout, QPushButton, QTableView, QVBoxLayout, QWidget

from client.core.actions import OUTCOME_UNKNOWN, ActionSlot, outcome_unknown
from client.core.config import ClientPaths
from client.core.handheld_files import HandheldFileError, keep_package, read_capped, save_package
from client.core.handheld_queue import queue_accept
from client.core.outbox.items import OutboxItem
from client.core.rpc_client import SESSION_LOST_CODES, RpcError
from client.ui.context import UiContext
from client.ui.models.handheld_models import BooksModel
from client.ui.ops import Op
from client.ui.screens.handheld_report import ReportPanel
from client.ui.screens.handheld_steps import Downloaded, Uploaded, refusal_text, validate_here
from client.ui.screens.handheld_words import (
    book_state_name,
    finding_text,
)
from client.ui.widgets.labels import error_label, wrapped_label
from client.ui.widgets.table_fit import TableFit
from shared_models.handheld import DecisionKind
from shared_models.ids import IdempotencyKey
from shared_models.methods.handheld import (
    ACCEPT_UPLOAD,
    DOWNLOAD_BOOK,
    LIST_BOOKS,
    VALIDATE_UPLOAD,
    AcceptResult,
    AcceptUploadRequest,
    BookList,
    BookView,
    DownloadBookRequest,
    ListBooksRequest,
    ValidateUploadRequest,
)

log = logging.getLogger(__name__)
_OK_STYLE = "color: #1b5e20;"


class HandheldScreen(QWidget):
    """The reader's books, their download and upload, the validation report and the acceptance."""

    books_loaded = Signal()
    downloaded = Signal(object)  # Downloaded
    report_shown = Signal()
    accepted = Signal(object)  # AcceptResult
    queued = Signal(object)  # AcceptUploadRequest, stored in the outbox
    failed = Signal(str)  # the sentence shown

    def __init__(self, *, ctx: UiContext, data_dir: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handheldScreen")
        self._ctx = ctx
        self._data_dir = data_dir if data_dir is not None else ClientPaths.from_env().data_dir
        self.accept_slot = ActionSlot()
        self.download_slot = ActionSlot()
        self.period: int | None = None
        self.upload: Uploaded | None = None
        self.last_result: AcceptResult | None = None

        self._build()
        self._lay_out()
        self.refresh_button.clicked.connect(self.refresh)
        self.download_button.clicked.connect(self._ask_folder)
        self.upload_button.clicked.connect(self._ask_file)
        self.accept_button.clicked.connect(self.accept)
        self.books_table.selectionModel().selectionChanged.connect(self._render_buttons)
        self.report.decisions_changed.connect(self._render_buttons)
        self._render_buttons()
        self._loaded_once = False

    def _build(self) -> None:
        self.title_label = wrapped_label("handheldTitleLabel")
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("handheldRefreshButton")
        self.books_model = BooksModel(self)
        self.books_table = QTableView()
        self.books_table.setObjectName("handheldBooksTable")
        self.books_table.setModel(self.books_model)
        self.books_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.books_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.books_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.books_fit = TableFit(self.books_table, key=[0, 4, 5], secondary=[1, 2, 3], min_rows=2, fill=1)
        self.books_table.setMaximumHeight(self.books_fit.row_height() * 5 + 8)
        self.download_button = QPushButton(self.tr("Download…"))
        self.download_button.setObjectName("handheldDownloadButton")
        self.upload_button = QPushButton(self.tr("Upload…"))
        self.upload_button.setObjectName("handheldUploadButton")
        self.message_label = wrapped_label("handheldMessageLabel")
        self.message_label.setStyleSheet(_OK_STYLE)
        self.error_label = error_label("handheldErrorLabel")
        self.report = ReportPanel()
        self.accept_button = QPushButton(self.tr("Accept decided records"))
        self.accept_button.setObjectName("handheldAcceptButton")
        self.accept_button.setDefault(True)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.title_label, 1)
        top.addWidget(self.refresh_button)
        files = QHBoxLayout()
        files.addWidget(self.download_button)
        files.addWidget(self.upload_button)
        files.addStretch(1)
        files.addWidget(self.accept_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.books_table)
        layout.addLayout(files)
        layout.addWidget(self.message_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.report, 1)

    def activate(self) -> None:
        """Shown by the navigation: load the books the first time."""
        if not self._loaded_once:
            self.refresh()

    # --- the books -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Fetch the reader's books of the period."""
        rpc, period = self._ctx.rpc, self.period
        Op(parent=self, run=lambda: rpc.call(LIST_BOOKS, ListBooksRequest(period=period)), key="books",
           busy=[self.refresh_button]).on_success(self._on_books).on_failure(self._on_failed).start()

    def _on_books(self, books: BookList) -> None:
        self._loaded_once = True
        chosen = self.selected_book()
        self.period = books.period
        self.title_label.setText(self.tr("Reading books due for {period}: {count}").format(
            period=f"{books.period // 100}-{books.period % 100:02d}", count=len(books.books)))
        self.books_model.set_rows(books.books)
        codes = [b.book_code for b in books.books]
        if codes:
            self.select_book(chosen.book_code if chosen is not None and chosen.book_code in codes else codes[0])
        self._render_buttons()
        self.books_loaded.emit()

    def selected_book(self) -> BookView | None:
        """The book selected in the table."""
        rows = self.books_table.selectionModel().selectedRows()
        return self.books_model.row_at(rows[0].row()) if rows else None

    def select_book(self, book_code: str) -> bool:
        """Select the row of ``book_code``; False when the reader has no such book."""
        for row, book in enumerate(self.books_model.rows()):
            if book.book_code == book_code:
                self.books_table.selectRow(row)
                return True
        return False

    # --- download ------------------------------------------------------------------------------------

    def _ask_folder(self) -> None:
        dialog = QFileDialog(self, self.tr("Folder to write the package to (the handheld's USB stick)"))
        dialog.setObjectName("handheldFolderDialog")
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda name: self.download_to(Path(name)))
        dialog.open()

    def download_to(self, folder: Path) -> None:
        """Download the selected book's package and write it into ``folder`` (and keep a copy here)."""
        book = self.selected_book()
        if book is None:
            self._show_error(self.tr("Choose a book first."))
            return
        rpc, slot, data_dir = self._ctx.rpc, self.download_slot, self._data_dir
        request = DownloadBookRequest(book_code=book.book_code, period=book.period)
        action = slot.confirm((book.book_code, book.period, str(folder)))

        def work() -> Downloaded:
            package = slot.attempt(action, lambda: rpc.send(DOWNLOAD_BOOK, request, action=action))
            kept = True
            try:
                keep_package(data_dir, package.package_id, package.text)
            except HandheldFileError:  # the stick matters more: the reader can still validate online
                log.exception("package %s not kept in %s", package.package_id, data_dir)
                kept = False
            path = save_package(folder, package.file_name, package.text)
            return Downloaded(book_code=book.book_code, path=path, records=package.records, kept=kept)

        self._clear_messages()
        Op(parent=self, run=work, key="download", busy=[self.download_button]) \
            .on_success(self._on_downloaded).on_failure(self._on_failed).start()

    def _on_downloaded(self, done: Downloaded) -> None:
        text = self.tr("Book {book}: {records} records written to {path}. Take the stick to the handheld.").format(
            book=done.book_code, records=done.records, path=str(done.path))
        if not done.kept:
            text += " " + self.tr("(No copy could be kept on this PC: the file can only be checked online.)")
        self.message_label.setText(text)
        self.downloaded.emit(done)
        self.refresh()

    # --- upload --------------------------------------------------------------------------------------

    def _ask_file(self) -> None:
        dialog = QFileDialog(self, self.tr("Returned handheld file"), "",
                             self.tr("Handheld files (*.json *.csv);;All files (*)"))
        dialog.setObjectName("handheldFileDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda name: self.upload_file(Path(name)))
        dialog.open()

    def upload_file(self, path: Path) -> None:
        """Read ``path`` and have it validated; the report replaces the one shown."""
        rpc, data_dir, session = self._ctx.rpc, self._data_dir, self._ctx.session
        offline_session = session.offline_verified  # signed in without the server: it has no session to ask
        reader = session.username

        def work() -> Uploaded:
            data = read_capped(path)
            content = base64.b64encode(data).decode("ascii")
            if not offline_session:
                try:
                    report = rpc.call(VALIDATE_UPLOAD, ValidateUploadRequest(file_name=path.name[:200],
                                                                             content_b64=content))
                except RpcError as exc:
                    if exc.code not in OUTCOME_UNKNOWN:
                        raise
                    log.info("validate_upload failed (%s): the file is checked on this PC", exc.code)
                else:
                    return Uploaded(path=path, content_b64=content, report=report)
            return Uploaded(path=path, content_b64=content, report=validate_here(data_dir, data, reader=reader),
                            offline=True)

        self._clear_messages()
        Op(parent=self, run=work, key="upload", busy=[self.upload_button]) \
            .on_success(self._on_uploaded).on_failure(self._on_upload_failed).start()

    def _on_uploaded(self, uploaded: Uploaded) -> None:
        self.upload = uploaded
        report = uploaded.report
        summary = self.tr("{file}: book {book}, {period}, {records} records — errors: {errors}, warnings: {warnings} "
                          "({format}, {encoding}).").format(
            file=uploaded.path.name, book=report.book_code, period=f"{report.period // 100}-{report.period % 100:02d}",
            records=len(report.records), errors=report.errors, warnings=report.warnings,
            format=report.file_format.upper(), encoding=report.encoding.upper())
        if uploaded.offline:
            summary = self.tr("Checked on this PC: the server cannot be reached.") + " " + summary
        notices = " ".join(finding_text(n) for n in report.notices)
        self.report.show_report(report, summary=f"{summary} {notices}".strip())
        self.report_shown.emit()

    def _on_upload_failed(self, exc: BaseException) -> None:
        self.upload = None
        self.report.clear()
        self._on_failed(exc)

    # --- accept --------------------------------------------------------------------------------------

    def accept(self) -> None:
        """Send the decided records (the same action again while the last press is unanswered); a file checked
        on this PC while the link is down is queued in the outbox instead, sent once when the link is back."""
        uploaded, decisions = self.upload, self.report.decisions()
        if uploaded is None or not decisions:
            self._show_error(self.tr("Mark at least one record first."))
            return
        rpc, slot = self._ctx.rpc, self.accept_slot
        request = AcceptUploadRequest(file_name=uploaded.path.name[:200], content_b64=uploaded.content_b64,
                                      decisions=decisions)
        action = slot.confirm((uploaded.report.package_id, tuple((d.seq, d.decision, d.note) for d in decisions)))
        self._clear_messages()
        if uploaded.offline:
            self._queue(uploaded, request, action.key)
            return

        def work() -> AcceptResult:
            return slot.attempt(action, lambda: rpc.send(ACCEPT_UPLOAD, request, action=action))

        Op(parent=self, run=work, key="accept", busy=[self.accept_button]) \
            .on_success(self._on_accepted).on_failure(self._on_accept_failed).start()

    def _queue(self, uploaded: Uploaded, request: AcceptUploadRequest, key: IdempotencyKey) -> None:
        """Store the acceptance in the outbox with the action's key (the sync worker sends it, once)."""
        outbox, state, slot = self._ctx.outbox, self._ctx.session.state, self.accept_slot
        if outbox is None or state is None:
            self._show_error(self.tr("This PC has no outbox to queue the acceptance in: accept the file when the "
                                     "link is back."))
            return
        counter_code, username = state.counter.code, state.user.username

        def work() -> OutboxItem:
            item = queue_accept(outbox, request=request, counter_code=counter_code, username=username, key=key,
                                report=uploaded.report)
            slot.answered()  # stored durably with its key: the outbox owns it now
            return item

        Op(parent=self, run=work, key="accept", busy=[self.accept_button]) \
            .on_success(lambda item: self._on_queued(request)).on_failure(self._on_failed).start()

    def _on_queued(self, request: AcceptUploadRequest) -> None:
        self.report.record_results({d.seq: d.decision for d in request.decisions})
        self.message_label.setText(self.tr(
            "%n record(s) queued in the outbox: they are sent once when the link is back (see Outbox).", "",
            len(request.decisions)))
        self.queued.emit(request)

    def _on_accepted(self, result: AcceptResult) -> None:
        self.last_result = result
        written = sum(1 for r in result.records if not r.repeated and r.decision is not DecisionKind.REREAD)
        repeated = sum(1 for r in result.records if r.repeated)
        rereads = sum(1 for r in result.records if not r.repeated and r.decision is DecisionKind.REREAD)
        self.report.record_results({r.seq: r.decision for r in result.records})
        parts = [self.tr("%n reading(s) entered in the books.", "", written)]
        if rereads:
            parts.append(self.tr("%n re-read(s) ordered.", "", rereads))
        if repeated:
            parts.append(self.tr("%n record(s) had been accepted before: nothing written again.", "", repeated))
        parts.append(self.tr("The book is now {state}; {open} record(s) still open.").format(
            state=book_state_name(result.state), open=result.open_records))
        self.message_label.setText(" ".join(parts))
        self.accepted.emit(result)
        self.refresh()

    def _on_accept_failed(self, exc: BaseException) -> None:
        if outcome_unknown(exc) and not isinstance(exc, HandheldFileError):
            self._show_error(refusal_text(exc) + " " + self.tr(
                "The answer did not arrive: press Accept again — the same acceptance is sent, never twice."))
            return
        self._on_failed(exc)

    # --- shared --------------------------------------------------------------------------------------

    def _render_buttons(self, *_args: object) -> None:
        book = self.selected_book()
        self.download_button.setEnabled(book is not None)
        count = len(self.report.decisions())
        if self.upload is not None and self.upload.offline:
            self.accept_button.setText(self.tr("Queue decided records in the outbox ({count})").format(count=count))
        else:
            self.accept_button.setText(self.tr("Accept decided records ({count})").format(count=count))
        self.accept_button.setEnabled(self.upload is not None and count > 0)

    def _clear_messages(self) -> None:
        self.message_label.clear()
        self.error_label.clear()

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.failed.emit(text)

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, RpcError) and exc.code in SESSION_LOST_CODES:
            self._ctx.report_error(self, exc)
            return
        self._show_error(refusal_text(exc))
