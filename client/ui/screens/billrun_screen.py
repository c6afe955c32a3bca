"""The billing clerk's bill runs (SPEC C5, issue 12): calculate a reading book's period, review, hold, release.

Pick the book (抄表段) and period; **Calculate** prices the book's customers into drafts, one chunk per
``billrun.calculate_run`` call, each in its own ``Op`` (the progress bar follows the server's count; the GUI
thread never waits). The review table lists the drafts with kWh, amount, state and findings, coloured by the
worst finding, filtered by the server (all / with anomalies / held / to release / released) and sortable. The
selected draft's lines (``billrun.get_draft``) or released bill's lines (``bill.get_lines``) show in the bill
lines panel; a released bill's 电费通知单 prints from there. **Hold…** (with a reason), **Lift hold**,
**Recalculate** (a held draft, after its reading was corrected through **Correct reading…**), and **Release
run…** (a confirmation with the run's totals) are the server's mutations; nothing is priced or added up here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from client.core.actions import ActionSlot, ConfirmedAction
from client.core.rpc_client import SESSION_LOST_CODES, RpcClient, RpcError, make_request
from client.ui.billrun_words import run_state_name
from client.ui.context import UiContext
from client.ui.errors import error_text
from client.ui.models.billrun_models import DraftsModel, DraftsProxy, run_title
from client.ui.ops import Op
from client.ui.screens.billrun_dialogs import HoldDialog, ReleaseRunDialog
from client.ui.screens.reading_dialog import ReadingDialog
from client.ui.widgets.bill_lines import BillLinesWidget
from client.ui.widgets.bill_notice_bar import BillNoticeBar
from shared_models.methods.billruns import (
    CALCULATE_RUN,
    GET_DRAFT,
    GET_LINES,
    GET_RUN,
    HOLD_BILL,
    LIST_RUNS,
    RECALCULATE_BILL,
    RELEASE_BILL,
    RELEASE_RUN,
    BillLines,
    BillRequest,
    CalculateRunRequest,
    DraftDetail,
    DraftFilter,
    DraftRef,
    DraftRow,
    GetRunRequest,
    HoldBillRequest,
    ListRunsRequest,
    ReleaseRunResult,
    RunList,
    RunPage,
    RunRef,
    RunState,
    RunSummary,
)
from shared_models.money import format_fen
from shared_models.rules.hall_time import hall_now

#: Customers priced per ``billrun.calculate_run`` call: small enough for the bar to move on a small book.
CHUNK_SIZE = 200
#: Drafts fetched per ``billrun.get_run`` page.
PAGE_SIZE = 500
#: A draft mutation: the call and its answer, from a worker.
_DraftSend = Callable[[RpcClient, DraftRef, ConfirmedAction], object]
_STYLES = {"ok": "color: #1b5e20; font-weight: bold;", "error": "color: #b00020; font-weight: bold;", "info": ""}


class BillRunScreen(QWidget):
    """Calculate → review (hold, recalculate) → release one book's period (Perm.BILLING)."""

    #: The run on screen was (re)loaded (its ``RunPage``).
    run_loaded = Signal(object)
    #: A calculation finished (its ``RunSummary``).
    calculated = Signal(object)
    #: The selected draft's or bill's lines are shown.
    lines_shown = Signal()
    #: A mutation (hold, lift hold, recalculate, release) was answered.
    changed = Signal(str)
    #: The run was released (``ReleaseRunResult``).
    released = Signal(object)

    def __init__(self, *, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("billRunScreen")
        self._ctx = ctx
        self.chunk_size = CHUNK_SIZE
        self.page: RunPage | None = None
        self.run: RunSummary | None = None
        self.reading_dialog: ReadingDialog | None = None
        #: After a mutation of the selected draft: its customer and row, so that the reload selects the same
        #: customer or, when the filter no longer lists it, the row that took its place.
        self._follow: tuple[str, int] | None = None
        # One pending action per kind of mutation: a retry after a lost answer is the same action.
        self.slots = {name: ActionSlot() for name in ("calculate", "hold", "unhold", "recalculate", "release")}
        self._build()
        self._connect()
        self._render_actions()

    # --- layout ----------------------------------------------------------------------------------------

    def _build(self) -> None:
        bar = self._build_bar()
        self.summary_label = QLabel()
        self.summary_label.setObjectName("runSummaryLabel")
        self.summary_label.setWordWrap(True)
        self.message_label = QLabel()
        self.message_label.setObjectName("billRunMessageLabel")
        self.message_label.setWordWrap(True)
        self.message_label.setVisible(False)
        split = self._build_review()
        actions = self._build_actions()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.message_label)
        layout.addLayout(actions)
        layout.addWidget(split, 1)

    def _build_bar(self) -> QHBoxLayout:
        self.book_combo = QComboBox()
        self.book_combo.setObjectName("bookCombo")
        self.book_combo.setEditable(True)
        self.book_combo.setMinimumContentsLength(10)
        self.period_edit = QDateEdit()
        self.period_edit.setObjectName("periodEdit")
        self.period_edit.setDisplayFormat("yyyy-MM")
        previous = hall_now().date().replace(day=1) - dt.timedelta(days=1)  # runs bill the month just read
        self.period_edit.setDate(QDate(previous.year, previous.month, 1))
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.setObjectName("openRunButton")
        self.calculate_button = QPushButton(self.tr("Calculate"))
        self.calculate_button.setObjectName("calculateButton")
        self.progress = QProgressBar()
        self.progress.setObjectName("calculateProgress")
        self.progress.setFormat(self.tr("%v of %m customers"))
        self.progress.setValue(0)
        self.filter_combo = QComboBox()
        self.filter_combo.setObjectName("draftFilterCombo")
        for text, value in ((self.tr("All drafts"), DraftFilter.ALL),
                            (self.tr("Anomalies only"), DraftFilter.ANOMALIES), (self.tr("Held"), DraftFilter.HELD),
                            (self.tr("To release"), DraftFilter.PENDING), (self.tr("Released"), DraftFilter.RELEASED)):
            self.filter_combo.addItem(text, value.value)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Book")))
        bar.addWidget(self.book_combo, 1)
        bar.addWidget(QLabel(self.tr("Period")))
        bar.addWidget(self.period_edit)
        bar.addWidget(self.open_button)
        bar.addWidget(self.calculate_button)
        bar.addWidget(self.progress, 1)
        return bar

    def _build_review(self) -> QSplitter:
        self.model = DraftsModel(self)
        self.proxy = DraftsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("draftsTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.lines = BillLinesWidget()
        state = self._ctx.session.state
        self.notice = BillNoticeBar(hall_name=state.counter.hall_name if state is not None else "")
        lines_box = QWidget()
        lines_layout = QVBoxLayout(lines_box)
        lines_layout.setContentsMargins(0, 0, 0, 0)
        lines_layout.addWidget(self.lines, 1)
        lines_layout.addWidget(self.notice)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("billRunSplitter")
        split.setChildrenCollapsible(False)
        split.addWidget(self.table)
        split.addWidget(lines_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        return split

    def _build_actions(self) -> QHBoxLayout:
        self.hold_button = QPushButton(self.tr("Hold…"))
        self.hold_button.setObjectName("holdButton")
        self.unhold_button = QPushButton(self.tr("Lift hold"))
        self.unhold_button.setObjectName("unholdButton")
        self.recalculate_button = QPushButton(self.tr("Recalculate"))
        self.recalculate_button.setObjectName("recalculateButton")
        self.reading_button = QPushButton(self.tr("Correct reading…"))
        self.reading_button.setObjectName("correctReadingButton")
        self.release_button = QPushButton(self.tr("Release run…"))
        self.release_button.setObjectName("releaseRunButton")
        actions = QHBoxLayout()
        actions.addWidget(QLabel(self.tr("Show")))
        actions.addWidget(self.filter_combo)
        actions.addStretch(1)
        for button in (self.hold_button, self.unhold_button, self.recalculate_button, self.reading_button,
                       self.release_button):
            actions.addWidget(button)
        return actions

    def _connect(self) -> None:
        self.open_button.clicked.connect(self.load)
        self.calculate_button.clicked.connect(self.calculate)
        editor = self.book_combo.lineEdit()
        if editor is not None:
            editor.returnPressed.connect(self.load)
        self.filter_combo.currentIndexChanged.connect(self.load)
        self.table.selectionModel().currentRowChanged.connect(self._on_row_changed)
        self.hold_button.clicked.connect(self.open_hold)
        self.unhold_button.clicked.connect(self.lift_hold)
        self.recalculate_button.clicked.connect(self.recalculate)
        self.reading_button.clicked.connect(self.open_reading)
        self.release_button.clicked.connect(self.open_release)

    # --- what is chosen --------------------------------------------------------------------------------

    def activate(self) -> None:
        """The screen became visible: offer the books that have runs."""
        rpc = self._ctx.rpc
        Op(parent=self, run=lambda: rpc.call(LIST_RUNS, ListRunsRequest()), key="books") \
            .on_success(self._on_runs_listed).on_failure(self._failed).start()

    def _on_runs_listed(self, runs: RunList) -> None:
        typed = self.book_combo.currentText()
        books = sorted({r.book_code for r in runs.runs})
        self.book_combo.clear()
        self.book_combo.addItems(books)
        self.book_combo.setEditText(typed or (books[0] if books else ""))

    def set_run(self, book_code: str, period: int) -> None:
        """Choose the book and period (nothing is fetched)."""
        self.book_combo.setEditText(book_code)
        self.period_edit.setDate(QDate(period // 100, period % 100, 1))

    def book_code(self) -> str:
        """The book typed or picked."""
        return self.book_combo.currentText().strip()

    def period(self) -> int:
        """The period chosen, ``YYYYMM``."""
        chosen = self.period_edit.date()
        return chosen.year() * 100 + chosen.month()

    def set_filter(self, which: DraftFilter) -> None:
        """Show only the drafts ``which`` selects (reloads)."""
        self.filter_combo.setCurrentIndex(self.filter_combo.findData(which.value))

    def selected_draft(self) -> DraftRow | None:
        """The draft of the selected row."""
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row())

    def row_of(self, customer_no: str) -> int:
        """The table row (as sorted) of ``customer_no``; -1 when it is not listed."""
        for row in range(self.proxy.rowCount()):
            draft = self.model.row_at(self.proxy.mapToSource(self.proxy.index(row, 0)).row())
            if draft is not None and draft.customer_no == customer_no:
                return row
        return -1

    def select_customer(self, customer_no: str) -> bool:
        """Select the row of ``customer_no``; False when it is not listed."""
        row = self.row_of(customer_no)
        if row < 0:
            return False
        self.table.setCurrentIndex(self.proxy.index(row, 0))
        return True

    def select_row(self, row: int) -> None:
        """Select the table's ``row`` (as sorted); a row outside the table selects nothing."""
        if 0 <= row < self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(row, 0))
        else:
            self.table.clearSelection()
            self.table.setCurrentIndex(self.proxy.index(-1, -1))

    # --- loading and calculating -----------------------------------------------------------------------

    def _say(self, text: str, kind: str = "info") -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(_STYLES[kind])
        self.message_label.setVisible(bool(text))  # no empty line between the summary and the actions

    def _bad_book(self) -> bool:
        if self.book_code():
            return False
        self._say(self.tr("Choose the reading book first."), "error")
        return True

    def load(self) -> None:
        """Fetch the run of the chosen book and period with its drafts (every page), as filtered."""
        if self._bad_book():
            return
        rpc, book, period = self._ctx.rpc, self.book_code(), self.period()
        which = DraftFilter(self.filter_combo.currentData())

        def work() -> RunPage:
            page = rpc.call(GET_RUN, make_request(GetRunRequest, book_code=book, period=period, filter=which,
                                                  limit=PAGE_SIZE))
            drafts = list(page.drafts)
            while page.has_more:
                page = rpc.call(GET_RUN, make_request(GetRunRequest, book_code=book, period=period, filter=which,
                                                      offset=page.offset + PAGE_SIZE, limit=PAGE_SIZE))
                drafts.extend(page.drafts)
            return page.model_copy(update={"drafts": drafts, "offset": 0, "has_more": False})

        Op(parent=self, run=work, busy=[self.open_button], key="load") \
            .on_success(self._on_loaded).on_failure(self._on_load_failed).start()

    def _on_loaded(self, page: RunPage) -> None:
        selected, follow, self._follow = self.selected_draft(), self._follow, None
        self.page = page
        self._show_summary(page.run)
        self.model.set_rows(page.drafts)
        self.table.resizeColumnsToContents()
        if follow is not None:
            customer_no, row = follow
            if not self.select_customer(customer_no):  # filtered out (say no longer an anomaly): the next row
                self.select_row(min(row, self.proxy.rowCount() - 1))
        elif selected is not None:
            self.select_customer(selected.customer_no)
        if self.selected_draft() is None:
            self.lines.clear()
            self.notice.set_bill(None)
        self._render_actions()
        self.run_loaded.emit(page)

    def _on_load_failed(self, exc: BaseException) -> None:
        self.page = None
        self.run = None
        self.model.set_rows([])
        self.summary_label.setText("")
        self.lines.clear()
        self._render_actions()
        self._failed(exc)

    def _show_summary(self, run: RunSummary) -> None:
        self.run = run
        self.progress.setMaximum(max(run.customers_total, 1))
        self.progress.setValue(run.customers_done)
        text = self.tr("{run}: {state}. {done} of {total} customers priced; {drafts} drafts for {kwh} kWh, "
                       "¥{amount}; {held} held, {anomalies} with anomalies.").format(
            run=run_title(run.book_code, run.period), state=run_state_name(run.state), done=run.customers_done,
            total=run.customers_total, drafts=run.drafts, kwh=run.total_kwh, amount=format_fen(run.total_fen),
            held=run.held, anomalies=run.with_anomalies)
        if run.state is RunState.RELEASED:
            text += " " + self.tr("Released by {who} at {when}: {bills} bills, ¥{amount}.").format(
                who=run.released_by or "", when=run.released_at.strftime("%Y-%m-%d %H:%M") if run.released_at else "",
                bills=run.bills_released, amount=format_fen(run.released_fen))
        self.summary_label.setText(text)

    def calculate(self) -> None:
        """Price the run chunk by chunk; the bar follows, the review table loads when it is done."""
        if self._bad_book():
            return
        self._say(self.tr("Calculating…"))
        self.calculate_button.setEnabled(False)
        self._calculate_step()

    def _calculate_step(self) -> None:
        rpc, slot = self._ctx.rpc, self.slots["calculate"]
        book, period, chunk = self.book_code(), self.period(), self.chunk_size
        action = slot.confirm((book, period))

        def work() -> RunSummary:
            req = make_request(CalculateRunRequest, book_code=book, period=period, chunk_size=chunk)
            return slot.attempt(action, lambda: rpc.send(CALCULATE_RUN, req, action=action))

        Op(parent=self, run=work, key="calculate") \
            .on_success(self._on_chunk).on_failure(self._on_calculate_failed).start()

    def _on_chunk(self, run: RunSummary) -> None:
        self._show_summary(run)
        if run.state is RunState.CALCULATING:
            QTimer.singleShot(0, self, self._calculate_step)  # the next chunk, after the bar has been painted
            return
        self.calculate_button.setEnabled(True)
        self._say(self.tr("Calculated: {drafts} drafts, {anomalies} with anomalies.").format(
            drafts=run.drafts, anomalies=run.with_anomalies), "ok")
        self.calculated.emit(run)
        self.load()

    def _on_calculate_failed(self, exc: BaseException) -> None:
        self.calculate_button.setEnabled(True)
        self._failed(exc)

    # --- the selected draft's lines -----------------------------------------------------------------

    def _on_row_changed(self, *_args: object) -> None:
        self._render_actions()
        draft = self.selected_draft()
        if draft is None:
            self.lines.clear()
            self.notice.set_bill(None)
            return
        self.show_lines_of(draft)

    def show_lines_of(self, draft: DraftRow) -> None:
        """Fetch and show the lines of ``draft`` (of its bill once released)."""
        rpc, book, period = self._ctx.rpc, self.book_code(), self.period()
        self.lines.show_message(self.tr("Loading the lines of {customer_no}…").format(customer_no=draft.customer_no))
        bill_no = draft.bill_no
        if bill_no is not None:
            Op(parent=self, run=lambda: rpc.call(GET_LINES, BillRequest(bill_no=bill_no)), key="lines") \
                .on_success(self._on_bill_lines).on_failure(self._on_lines_failed).start()
            return
        ref = DraftRef(book_code=book, period=period, customer_no=draft.customer_no)
        Op(parent=self, run=lambda: rpc.call(GET_DRAFT, ref), key="lines") \
            .on_success(self._on_draft_lines).on_failure(self._on_lines_failed).start()

    def _on_draft_lines(self, detail: DraftDetail) -> None:
        d = detail.draft
        if not detail.lines:
            self.lines.show_message(self.tr("The draft of {customer_no} could not be priced: see its anomalies.")
                                    .format(customer_no=d.customer_no), alert=True)
        else:
            self.lines.show_lines(title=self.tr("Draft of {customer_no} {name}, {start} to {end}, {kwh} kWh").format(
                customer_no=d.customer_no, name=d.customer_name, start=_day(d.period_from), end=_day(d.period_to),
                kwh=d.total_kwh), lines=detail.lines, total_fen=d.total_fen)
        self.notice.set_bill(None)
        self.lines_shown.emit()

    def _on_bill_lines(self, bill: BillLines) -> None:
        self.lines.show_lines(title=self.tr("Bill {bill_no} of {customer_no} {name}, {start} to {end}, {kwh} kWh")
                              .format(bill_no=bill.bill_no, customer_no=bill.customer_no, name=bill.customer_name,
                                      start=_day(bill.period_from), end=_day(bill.period_to), kwh=bill.kwh),
                              lines=bill.lines, total_fen=bill.amount_fen)
        self.notice.set_bill(bill)
        self.lines_shown.emit()

    def _on_lines_failed(self, exc: BaseException) -> None:
        self.lines.show_message(error_text(exc), alert=True)
        self.notice.set_bill(None)
        if isinstance(exc, RpcError) and exc.code in SESSION_LOST_CODES:
            self._ctx.report_error(self, exc)

    # --- hold, lift, recalculate, correct the reading, release ----------------------------------------

    def _render_actions(self) -> None:
        draft, run = self.selected_draft(), self.run
        open_draft = draft is not None and draft.bill_no is None
        self.hold_button.setEnabled(open_draft and draft is not None and not draft.held)
        self.unhold_button.setEnabled(open_draft and draft is not None and draft.held)
        self.recalculate_button.setEnabled(open_draft and draft is not None and draft.held)
        self.reading_button.setEnabled(open_draft)
        self.release_button.setEnabled(run is not None and run.state is RunState.CALCULATED)

    def _draft_mutation(self, name: str, send: _DraftSend, done: str, *, asked: object = None) -> None:
        """Run one draft mutation in an Op: ``send(rpc, ref, action)`` answers; ``done`` is said after. ``asked``
        is what else the user confirmed besides the draft (a hold's reason): the key is the same only for a retry
        of the same draft and the same ``asked``."""
        draft = self.selected_draft()
        if draft is None:
            return
        rpc, slot = self._ctx.rpc, self.slots[name]
        ref = DraftRef(book_code=self.book_code(), period=self.period(), customer_no=draft.customer_no)
        action = slot.confirm((ref, asked))
        customer_no = draft.customer_no

        def work() -> object:
            return slot.attempt(action, lambda: send(rpc, ref, action))

        def ok(_result: object) -> None:
            self._say(done.format(customer_no=customer_no), "ok")
            self.changed.emit(name)
            self._follow = (customer_no, max(self.row_of(customer_no), 0))
            self.load()

        Op(parent=self, run=work, key=name).on_success(ok).on_failure(self._failed).start()

    def open_hold(self) -> HoldDialog | None:
        """Ask why the selected draft is held; holding it is sent when the dialog is confirmed."""
        draft = self.selected_draft()
        if draft is None:
            return None
        dialog = HoldDialog(customer_no=draft.customer_no, customer_name=draft.customer_name, parent=self)
        dialog.hold_confirmed.connect(self.hold)
        dialog.open()
        return dialog

    def hold(self, reason: str) -> None:
        """Hold the selected draft with ``reason``."""
        draft = self.selected_draft()
        if draft is None:
            return
        book, period = self.book_code(), self.period()

        def send(rpc: RpcClient, ref: DraftRef, action: ConfirmedAction) -> object:
            req = make_request(HoldBillRequest, book_code=book, period=period, customer_no=ref.customer_no,
                               reason=reason)
            return rpc.send(HOLD_BILL, req, action=action)

        self._draft_mutation("hold", send, self.tr("The bill of {customer_no} is held."), asked=reason)

    def lift_hold(self) -> None:
        """Lift the hold of the selected draft (it is released with the run again)."""
        self._draft_mutation("unhold", lambda rpc, ref, action: rpc.send(RELEASE_BILL, ref, action=action),
                             self.tr("The hold on the bill of {customer_no} is lifted."))

    def recalculate(self) -> None:
        """Price the selected held draft again from the readings as they are now."""
        self._draft_mutation("recalculate", lambda rpc, ref, action: rpc.send(RECALCULATE_BILL, ref, action=action),
                             self.tr("The bill of {customer_no} is recalculated from its current readings."))

    def open_reading(self) -> ReadingDialog | None:
        """Enter or correct the selected customer's reading of the run's period (co-signed)."""
        draft = self.selected_draft()
        if draft is None:
            return None
        dialog = ReadingDialog(ctx=self._ctx, customer_no=draft.customer_no, period=self.period(), parent=self)
        dialog.reading_saved.connect(lambda _reading: self._say(self.tr(
            "The reading is stored. Recalculate the held bill to price it from the corrected reading."), "ok"))
        self.reading_dialog = dialog
        dialog.open()
        return dialog

    def open_release(self) -> ReleaseRunDialog | None:
        """Confirm the release with the run's totals; the release is sent when confirmed."""
        run = self.run
        if run is None:
            return None
        dialog = ReleaseRunDialog(run=run, parent=self)
        dialog.release_confirmed.connect(self.release)
        dialog.open()
        return dialog

    def release(self) -> None:
        """Release every draft of the run that is not held."""
        if self._bad_book():
            return
        rpc, slot = self._ctx.rpc, self.slots["release"]
        ref = RunRef(book_code=self.book_code(), period=self.period())
        action = slot.confirm(ref)

        def work() -> ReleaseRunResult:
            return slot.attempt(action, lambda: rpc.send(RELEASE_RUN, ref, action=action))

        Op(parent=self, run=work, busy=[self.release_button], key="release") \
            .on_success(self._on_released).on_failure(self._failed).start()

    def _on_released(self, result: ReleaseRunResult) -> None:
        self._say(self.tr("Released {bills} bills, ¥{amount}; prepayments paid ¥{prepaid} of them.").format(
            bills=result.bills_released, amount=format_fen(result.released_fen),
            prepaid=format_fen(result.prepayment_applied_fen)), "ok")
        self.released.emit(result)
        self.load()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, RpcError) and exc.code in SESSION_LOST_CODES:
            self._ctx.report_error(self, exc)
            return
        self._say(error_text(exc), "error")


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else ""
