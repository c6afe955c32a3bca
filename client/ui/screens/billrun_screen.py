"""The billing clerk's bill runs (SPEC C5, issue 12): calculate a reading book's period, review, hold, release.

Pick the book (抄表段) and period; **Calculate** prices the book's customers into drafts, one chunk per
``billrun.calculate_run`` call, each in its own ``Op`` (``billrun_bar``: the progress bar follows the server's
count; the GUI thread never waits). The review table lists the drafts with kWh, amount, state and findings,
coloured by the worst finding, filtered by the server (all / with anomalies / held / to release / released) and
sortable. The selected draft's lines (``billrun.get_draft``) or released bill's lines (``bill.get_lines``) show in
the bill lines panel (``billrun_review``); a released bill's 电费通知单 prints from there. **Hold…** (with a
reason), **Lift hold**, **Recalculate** (a held draft, after its reading was corrected through **Correct
reading…**), **Release run…** (a confirmation with the run's totals) and, for a released bill, **Correct bill
(退补)…** (the reason and a supervisor's co-sign, ``correct_bill_dialog``) are the server's mutations; nothing is
priced or added up here."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from client.core.actions import ActionSlot, ConfirmedAction
from client.core.rpc_client import SESSION_LOST_CODES, RpcClient, RpcError, make_request
from client.ui.billrun_words import run_state_name
from client.ui.context import UiContext
from client.ui.errors import error_text
from client.ui.models.billrun_models import run_title
from client.ui.ops import Op
from client.ui.screens.billrun_bar import RunBar
from client.ui.screens.billrun_dialogs import HoldDialog, ReleaseRunDialog
from client.ui.screens.billrun_review import DraftFilterCombo, DraftsTable, RunLinesPanel, fetch_run
from client.ui.screens.correct_bill_dialog import CorrectBillDialog
from client.ui.screens.reading_dialog import ReadingDialog
from shared_models.methods.billruns import (
    HOLD_BILL,
    RECALCULATE_BILL,
    RELEASE_BILL,
    RELEASE_RUN,
    CorrectBillResult,
    DraftFilter,
    DraftRef,
    DraftRow,
    HoldBillRequest,
    ReleaseRunResult,
    RunPage,
    RunRef,
    RunState,
    RunSummary,
)
from shared_models.money import format_fen

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
    #: A mutation (hold, lift hold, recalculate, release, correct) was answered.
    changed = Signal(str)
    #: The run was released (``ReleaseRunResult``).
    released = Signal(object)

    def __init__(self, *, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("billRunScreen")
        self._ctx = ctx
        self.page: RunPage | None = None
        self.run: RunSummary | None = None
        self.reading_dialog: ReadingDialog | None = None
        self.correct_dialog: CorrectBillDialog | None = None
        #: After a mutation of the selected draft: its customer and row, so that the reload selects the same
        #: customer or, when the filter no longer lists it, the row that took its place.
        self._follow: tuple[str, int] | None = None
        # One pending action per kind of mutation: a retry after a lost answer is the same action.
        self.slots = {name: ActionSlot() for name in ("hold", "unhold", "recalculate", "release", "correct")}
        self._build()
        self._connect()
        self._render_actions()

    # --- layout ----------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.bar = self._build_bar()
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
        layout.addWidget(self.bar)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.message_label)
        layout.addLayout(actions)
        layout.addWidget(split, 1)

    def _build_bar(self) -> RunBar:
        bar = RunBar(ctx=self._ctx)
        self.book_combo, self.period_edit, self.progress = bar.book_combo, bar.period_edit, bar.progress
        self.open_button, self.calculate_button = bar.open_button, bar.calculate_button
        self.slots["calculate"] = bar.slot
        self.filter_combo = DraftFilterCombo()
        return bar

    def _build_review(self) -> QSplitter:
        self.table = DraftsTable()
        self.model, self.proxy = self.table.drafts, self.table.sorted
        self.lines_panel = RunLinesPanel(ctx=self._ctx)
        self.lines, self.notice = self.lines_panel.lines, self.lines_panel.notice
        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("billRunSplitter")
        split.setChildrenCollapsible(False)
        split.addWidget(self.table)
        split.addWidget(self.lines_panel)
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
        self.correct_button = QPushButton(self.tr("Correct bill (退补)…"))
        self.correct_button.setObjectName("correctBillButton")
        actions = QHBoxLayout()
        actions.addWidget(QLabel(self.tr("Show")))
        actions.addWidget(self.filter_combo)
        actions.addStretch(1)
        for button in (self.hold_button, self.unhold_button, self.recalculate_button, self.reading_button,
                       self.release_button, self.correct_button):
            actions.addWidget(button)
        return actions

    def _connect(self) -> None:
        self.open_button.clicked.connect(self.load)
        self.calculate_button.clicked.connect(self.calculate)
        self.bar.progressed.connect(self._show_summary)
        self.bar.calculated.connect(self._on_calculated)
        self.bar.failed.connect(self._failed)
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
        self.correct_button.clicked.connect(self.open_correct)
        self.lines_panel.lines_shown.connect(self.lines_shown)
        self.lines_panel.lines_shown.connect(self._render_actions)

    # --- what is chosen --------------------------------------------------------------------------------

    def activate(self) -> None:
        """The screen became visible: offer the books that have runs."""
        self.bar.activate()

    def set_run(self, book_code: str, period: int) -> None:
        """Choose the book and period (nothing is fetched)."""
        self.bar.set_run(book_code, period)

    def book_code(self) -> str:
        """The book typed or picked."""
        return self.bar.book_code()

    def period(self) -> int:
        """The period chosen, ``YYYYMM``."""
        return self.bar.period()

    def set_filter(self, which: DraftFilter) -> None:
        """Show only the drafts ``which`` selects (reloads)."""
        self.filter_combo.choose(which)

    def selected_draft(self) -> DraftRow | None:
        """The draft of the selected row."""
        return self.table.selected_draft()

    def row_of(self, customer_no: str) -> int:
        """The table row (as sorted) of ``customer_no``; -1 when it is not listed."""
        return self.table.row_of(customer_no)

    def select_customer(self, customer_no: str) -> bool:
        """Select the row of ``customer_no``; False when it is not listed."""
        return self.table.select_customer(customer_no)

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
        rpc, book, period, which = self._ctx.rpc, self.book_code(), self.period(), self.filter_combo.which()
        Op(parent=self, run=lambda: fetch_run(rpc, book, period, which), busy=[self.open_button], key="load") \
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
                self.table.select_row(min(row, self.proxy.rowCount() - 1))
        elif selected is not None:
            self.select_customer(selected.customer_no)
        if self.selected_draft() is None:
            self.lines_panel.clear()
        self._render_actions()
        self.run_loaded.emit(page)

    def _on_load_failed(self, exc: BaseException) -> None:
        self.page = None
        self.run = None
        self.model.set_rows([])
        self.summary_label.setText("")
        self.lines_panel.clear()
        self._render_actions()
        self._failed(exc)

    def _show_summary(self, run: RunSummary) -> None:
        self.run = run
        self.bar.show_progress(run)
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
        """Price the run chunk by chunk (``RunBar``); the review table loads when it is done."""
        if self._bad_book():
            return
        self._say(self.tr("Calculating…"))
        self.bar.calculate()

    def _on_calculated(self, run: RunSummary) -> None:
        self._say(self.tr("Calculated: {drafts} drafts, {anomalies} with anomalies.").format(
            drafts=run.drafts, anomalies=run.with_anomalies), "ok")
        self.calculated.emit(run)
        self.load()

    # --- the selected draft's lines -----------------------------------------------------------------

    def _on_row_changed(self, *_args: object) -> None:
        draft = self.selected_draft()
        if draft is None:
            self.lines_panel.clear()
        else:
            self.show_lines_of(draft)
        self._render_actions()

    def show_lines_of(self, draft: DraftRow) -> None:
        """Fetch and show the lines of ``draft`` (of its bill once released, or of the bill that replaced it)."""
        self.lines_panel.show_draft(book_code=self.book_code(), period=self.period(), draft=draft)

    # --- hold, lift, recalculate, correct the reading, release ----------------------------------------

    def _render_actions(self) -> None:
        draft, run = self.selected_draft(), self.run
        open_draft = draft is not None and draft.bill_no is None
        self.hold_button.setEnabled(open_draft and draft is not None and not draft.held)
        self.unhold_button.setEnabled(open_draft and draft is not None and draft.held)
        self.recalculate_button.setEnabled(open_draft and draft is not None and draft.held)
        self.reading_button.setEnabled(draft is not None)  # a released bill's reading is corrected before a 退补
        self.release_button.setEnabled(run is not None and run.state is RunState.CALCULATED)
        bill = self.lines_panel.bill
        self.correct_button.setEnabled(draft is not None and bill is not None and bill.corrected_by_bill_no is None
                                       and bill.customer_no == draft.customer_no)

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
        then = self.tr("The reading is stored. Recalculate the held bill to price it from the corrected reading.") \
            if draft.bill_no is None else self.tr("The reading is stored. The bill is released: correct it with a "
                                                  "refund/back-charge (退补) to bill it from the corrected reading.")
        dialog.reading_saved.connect(lambda _reading: self._say(then, "ok"))
        self.reading_dialog = dialog
        dialog.open()
        return dialog

    def open_correct(self) -> CorrectBillDialog | None:
        """退补 of the released bill the lines panel shows: the reason and the co-sign, then the new amount."""
        bill = self.lines_panel.bill
        if bill is None or self.selected_draft() is None:
            return None
        dialog = CorrectBillDialog(ctx=self._ctx, bill=bill, slot=self.slots["correct"], parent=self)
        dialog.corrected.connect(self._on_corrected)
        self.correct_dialog = dialog
        dialog.open()
        return dialog

    def _on_corrected(self, result: CorrectBillResult) -> None:
        self._say(self.tr("Bill {old} is reversed and replaced by bill {new} of ¥{amount}.").format(
            old=result.reversed_bill_no, new=result.new_bill.bill_no, amount=format_fen(result.new_bill.amount_fen)),
            "ok")
        self.changed.emit("correct")
        self._follow = (result.new_bill.customer_no, max(self.row_of(result.new_bill.customer_no), 0))
        self.load()

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

