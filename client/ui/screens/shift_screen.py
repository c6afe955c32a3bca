"""The cashier's shift (SPEC C4): open it with a float, follow its totals, close it with the cash count.

No open shift: the float (备用金) in yuan and **Open shift** (F2). An open shift: its number, opening time and
float, and its summary (totals by method and business type, voids, receipt numbers used, expected cash),
fetched from the server whenever the screen is shown and on **Refresh** (F5). **Close shift…** opens the
count dialog. A closed shift stays on screen read-only, with the way to its daily settlement (日结单).
The shift itself lives in ``UiContext.shift`` (shared with the cashier desk); this screen keeps it current.

Offline items (SPEC §5): under the summary, the shift's payments taken offline with both clocks and whether
the server has confirmed them. Closing reads the counter's outbox for the shift's payments not yet sent;
the count dialog lists them and asks for a supervisor's signature.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.core.actions import ActionSlot
from client.core.outbox.items import ItemState
from client.core.outbox.queue import Outbox
from client.core.rpc_client import RpcError, make_request
from client.core.session import SignedIn
from client.core.shift_ops import Queued
from client.core.shift_ops import open_shift as open_shift_queued
from client.core.shift_state import ShiftState
from client.core.shift_view import CloseFigures, close_figures, current_shift, shift_summary
from client.core.sync import SyncWorker
from client.ui.context import UiContext
from client.ui.ops import Op
from client.ui.screens.close_shift_dialog import CloseShiftDialog
from client.ui.screens.offline_items_box import OfflineItemsBox
from client.ui.screens.shift_summary_view import ShiftSummaryView, shown_time
from client.ui.widgets.fen_edit import FenEdit
from client.ui.widgets.table_fit import TableFit
from shared_models.errors import ErrorCode
from shared_models.methods.shifts import (
    OPEN,
    SUMMARY,
    CurrentShift,
    OpenShiftRequest,
    ShiftInfo,
    ShiftRequest,
    ShiftSummary,
)
from shared_models.money import format_fen
from shared_models.rules.hall_time import hall_now
from shared_models.rules.receipts import ReceiptHeader


class ShiftScreen(QWidget):
    """Open, follow and close the signed-in cashier's shift at this counter."""

    #: The cashier asks for the daily settlement of this business day (``datetime.date``).
    settlement_requested = Signal(object)
    #: A summary was rendered (tests and the desk wait for this).
    summary_shown = Signal(object)

    def __init__(self, *, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shiftScreen")
        self._ctx = ctx
        self._summary: ShiftSummary | None = None
        #: The server's last summary of the open shift (a link that drops keeps it as the base: online voids).
        self._server_summary: ShiftSummary | None = None
        #: Whether the figures on screen are the counter's own (offline), not the server's.
        self._provisional = False
        # The shift open and the close waiting for an answer (one key per confirmed action).
        self.open_action, self.close_action = ActionSlot(), ActionSlot()
        #: Shifts this screen opened: a GET_CURRENT answer asked for before the last one is stale.
        self._opened_here = 0
        self.close_dialog: CloseShiftDialog | None = None

        self.status_label = QLabel()
        self.status_label.setObjectName("shiftStatusLabel")
        self.status_label.setStyleSheet("font-weight: bold;")
        self.message_label = QLabel()
        self.message_label.setObjectName("shiftMessageLabel")
        self.message_label.setWordWrap(True)

        self.open_box = self._build_open_box()
        self.shift_box = self._build_shift_box()

        self.summary_title = QLabel()
        self.summary_title.setObjectName("summaryTitleLabel")
        self.summary_view = ShiftSummaryView()
        # The short tables show every row and every column whole: a cashier checks each business type and
        # each method against the drawer (docs/cashier-desk.md, screen sizes); the voids list takes the rest.
        self.business_fit = TableFit(self.summary_view.business_table)
        self.methods_fit = TableFit(self.summary_view.methods_table)
        self.offline_box = OfflineItemsBox()
        self.offline_table = self.offline_box.table

        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addWidget(self.message_label)
        layout.addWidget(self.open_box)
        layout.addWidget(self.shift_box)
        layout.addWidget(self.summary_title)
        layout.addWidget(self.summary_view, 1)
        layout.addWidget(self.offline_box)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.settlement_button)
        layout.addLayout(bottom)

        scope = Qt.ShortcutContext.WindowShortcut  # only while this screen is the one shown (hidden pages have none)
        QShortcut(QKeySequence(Qt.Key.Key_F2), self, self._on_open_key, context=scope)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.refresh, context=scope)
        self.open_button.clicked.connect(self.open_shift)
        self.float_edit.returnPressed.connect(self.open_shift)
        self.refresh_button.clicked.connect(self.refresh)
        self.close_button.clicked.connect(self.start_close)
        self.settlement_button.clicked.connect(self._on_settlement_clicked)
        unsubscribe = ctx.shift.subscribe(self._on_shift_changed)
        self.destroyed.connect(lambda *_: unsubscribe())
        self._render()

    def _build_open_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Open a shift"))
        self.float_edit = FenEdit(name="floatEdit")
        self.open_button = QPushButton(self.tr("Open shift (F2)"))
        self.open_button.setObjectName("openShiftButton")
        open_row = QHBoxLayout(box)
        open_row.addWidget(QLabel(self.tr("Float in the drawer (备用金, yuan)")))
        open_row.addWidget(self.float_edit, 1)
        open_row.addWidget(self.open_button)
        return box

    def _build_shift_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Current shift"))
        self.values: dict[str, QLabel] = {}
        # Three fields a row: two rows leave the height to the summary's tables on a 768-pixel screen.
        info = QGridLayout()
        for index, (name, caption) in enumerate((
            ("shiftNoValue", self.tr("Shift number")), ("cashierValue", self.tr("Cashier")),
            ("counterValue", self.tr("Counter")), ("openedAtValue", self.tr("Opened at")),
            ("floatValue", self.tr("Float (yuan)")),
        )):
            label = QLabel()
            label.setObjectName(name)
            self.values[name] = label
            row, column = divmod(index, 3)
            info.addWidget(QLabel(caption), row, column * 2)
            info.addWidget(label, row, column * 2 + 1)
        for column in (1, 3, 5):
            info.setColumnStretch(column, 1)
        self.refresh_button = QPushButton(self.tr("Refresh (F5)"))
        self.refresh_button.setObjectName("refreshSummaryButton")
        self.close_button = QPushButton(self.tr("Close shift…"))
        self.close_button.setObjectName("closeShiftButton")
        self.settlement_button = QPushButton(self.tr("Daily settlement (日结单)…"))
        self.settlement_button.setObjectName("showSettlementButton")
        shift_row = QHBoxLayout(box)
        shift_row.addLayout(info, 1)
        shift_row.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        shift_row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        return box

    # --- the shift as the server knows it -------------------------------------------------------

    @property
    def shift(self) -> ShiftState:
        """The shared shift state this screen renders."""
        return self._ctx.shift

    def activate(self) -> None:
        """The screen became visible: fetch the shift (and its summary) afresh."""
        self.refresh()
        if not self.shift.is_open:
            self.float_edit.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        """Shown inside another window (or on its own in tests): make sure the shift is known."""
        super().showEvent(event)
        if not self.shift.known:
            self.refresh()

    def refresh(self) -> None:
        """Ask for the open shift (the server, or with the link down the counter's outbox); its summary follows."""
        ctx, asked = self._ctx, self._opened_here
        state = ctx.session.state
        username = state.user.username if state is not None else ""
        counter = state.counter.code if state is not None else ""

        def work() -> tuple[CurrentShift, bool]:
            return current_shift(rpc=ctx.rpc, outbox=ctx.outbox, sync=ctx.sync, username=username, counter_code=counter)

        Op(parent=self, run=work, busy=[self.refresh_button], key="current") \
            .on_success(lambda answer: self._on_current(*answer, asked=asked)) \
            .on_failure(self._report) \
            .start()

    def _on_current(self, current: CurrentShift, offline: bool, *, asked: int) -> None:
        if asked != self._opened_here:
            return  # asked before this screen opened a shift: the answer is older than what it knows
        self.shift.update(current, offline=offline)  # listeners (this screen, the desk) re-render
        if self.shift.is_open:
            self.load_summary()

    def load_summary(self, shift_no: str | None = None) -> None:
        """Fetch the summary of ``shift_no`` (default: the open shift)."""
        current = self.shift.shift
        number = shift_no or (current.shift_no if current is not None else None)
        if number is None:
            return
        ctx, last = self._ctx, self._server_summary
        info = current if current is not None and current.shift_no == number else None

        def work() -> tuple[ShiftSummary, bool]:
            if info is None:  # a closed shift: only the server has it
                return ctx.rpc.call(SUMMARY, ShiftRequest(shift_no=number)), False
            return shift_summary(rpc=ctx.rpc, outbox=ctx.outbox, sync=ctx.sync, info=info, last_server=last)

        Op(parent=self, run=work, key=f"summary:{number}") \
            .on_success(lambda answer: self._show_summary(*answer)) \
            .on_failure(self._report) \
            .start()

    def _show_summary(self, summary: ShiftSummary, provisional: bool = False) -> None:
        if not provisional:
            self._server_summary = summary  # the counter builds on it when the link drops (online voids)
        self._provisional = provisional
        current = self.shift.shift
        is_current = current is not None and current.shift_no == summary.shift.shift_no
        if summary.closing is not None and is_current:
            self.shift.closed()  # closed elsewhere (another client, or a supervisor): re-render below
        if summary.closing is None and not is_current:
            return  # an answer about a shift that is no longer this counter's open one
        self._summary = summary
        self._render()
        self.summary_shown.emit(summary)

    def _on_shift_changed(self, _state: ShiftState) -> None:
        if self._summary is not None and self._summary.closing is None:
            current = self.shift.shift
            if current is None or current.shift_no != self._summary.shift.shift_no:
                self._summary = None  # the live figures of a shift that is no longer open here
        self._render()

    # --- opening ----------------------------------------------------------------------------------

    def _on_open_key(self) -> None:
        if self.open_box.isVisible():
            self.open_shift()

    def open_shift(self) -> None:
        """Open a shift with the float typed in."""
        if self.shift.is_open:
            return
        fen = self.float_edit.fen()
        if fen is None:
            self._say(self.float_edit.problem() or self.tr("Enter the float in yuan (0 if there is none)."))
            return
        self._say("")
        ctx, state = self._ctx, self._ctx.session.state
        if ctx.outbox is not None and ctx.sync is not None and state is not None:
            self._open_queued(fen, ctx.outbox, ctx.sync, state)
            return
        # Confirmed here; a retry with the same float after a lost answer reuses the key (one shift, not two).
        rpc, slot = self._ctx.rpc, self.open_action
        action = slot.confirm(fen)

        def work() -> ShiftInfo:
            req = make_request(OpenShiftRequest, float_fen=fen)
            return slot.attempt(action, lambda: rpc.send(OPEN, req, action=action))

        Op(parent=self, run=work, busy=[self.open_button, self.float_edit], key="open") \
            .on_success(self._on_opened) \
            .on_failure(self._on_open_failed) \
            .start()

    def _open_queued(self, fen: int, outbox: Outbox, sync: SyncWorker, state: SignedIn) -> None:
        """Through the outbox, numbered by the counter: on line, or done offline when no answer comes."""
        header = ReceiptHeader(hall_name=state.counter.hall_name, counter_code=state.counter.code,
                               cashier_name=state.user.display_name, shift_no="", address="")
        floor, wait_s, now = self.shift.next_shift_seq, self._ctx.payment_wait_s, hall_now()

        def work() -> Queued[ShiftInfo]:
            return open_shift_queued(outbox=outbox, sync=sync, username=state.user.username, header=header,
                                     hall_code=state.counter.hall_code, float_fen=fen, server_next_shift_seq=floor,
                                     local_time=now, wait_s=wait_s)

        def done(outcome: Queued[ShiftInfo]) -> None:
            if outcome.refused is not None:
                self._on_open_failed(outcome.refused)
            elif outcome.result is not None:
                self._on_opened(outcome.result, offline=outcome.offline and outcome.item.state is ItemState.PENDING)

        Op(parent=self, run=work, busy=[self.open_button, self.float_edit], key="open") \
            .on_success(done) \
            .on_failure(self._on_open_failed) \
            .start()

    def _on_opened(self, info: ShiftInfo, offline: bool = False) -> None:
        self._opened_here += 1
        self.float_edit.clear()
        self._summary = None
        self.shift.opened(info, offline=offline)
        if offline:
            self._say(self.tr("Shift {shift_no} is open at this counter (offline); the center confirms it when the "
                              "link returns.").format(shift_no=info.shift_no))
        else:
            self._say(self.tr("Shift {shift_no} is open.").format(shift_no=info.shift_no))
        self.load_summary(info.shift_no)

    def _on_open_failed(self, exc: BaseException) -> None:
        self._report(exc)
        if isinstance(exc, RpcError) and exc.code is ErrorCode.SHIFT_ALREADY_OPEN:
            self.refresh()

    # --- closing ----------------------------------------------------------------------------------

    def start_close(self) -> None:
        """Fetch the latest figures and the outbox's unsent payments of the shift, then open the count dialog."""
        current = self.shift.shift
        if current is None or self.close_dialog is not None:
            return
        ctx, last = self._ctx, self._server_summary

        def work() -> CloseFigures:
            return close_figures(rpc=ctx.rpc, outbox=ctx.outbox, sync=ctx.sync, info=current, last_server=last)

        Op(parent=self, run=work, busy=[self.close_button], key="close") \
            .on_success(self._open_close_dialog) \
            .on_failure(self._report) \
            .start()

    def _open_close_dialog(self, loaded: CloseFigures) -> None:
        summary, unsent = loaded.summary, loaded.unsent
        if not loaded.offline:
            self._show_summary(summary)
        if summary.closing is not None:
            return  # closed meanwhile: the read-only summary is on screen
        dialog = CloseShiftDialog(ctx=self._ctx, summary=summary, unsent=unsent, parent=self,
                                  slot=self.close_action, offline=loaded.offline)
        dialog.shift_closed.connect(self._on_closed)
        dialog.shift_gone.connect(self._on_shift_gone)
        dialog.finished.connect(self._on_dialog_finished)
        self.close_dialog = dialog
        dialog.open()

    def _on_dialog_finished(self) -> None:
        self.close_dialog = None

    def _on_closed(self, summary: ShiftSummary, offline: bool = False) -> None:
        self._summary = summary
        self._provisional = offline
        self.shift.closed()
        if offline:
            self._say(self.tr("Shift {shift_no} is closed at this counter (offline). Its daily settlement prints "
                              "marked provisional now, and final once the center has booked it.")
                      .format(shift_no=summary.shift.shift_no))
        else:
            self._say(self.tr("Shift {shift_no} is closed. Its figures can no longer change.")
                      .format(shift_no=summary.shift.shift_no))
        self._render()
        self.summary_shown.emit(summary)

    def _on_shift_gone(self, shift_no: str) -> None:
        self.shift.closed()
        self.load_summary(shift_no)

    def _on_settlement_clicked(self) -> None:
        day = self._summary.shift.business_date if self._summary is not None else None
        self.settlement_requested.emit(day)

    # --- rendering --------------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.message_label.setText(text)

    def _report(self, exc: BaseException) -> None:
        self._ctx.report_error(self, exc)

    def _render(self) -> None:
        state = self.shift
        current = state.shift if state.is_open else None
        if not state.known:
            self.status_label.setText(self.tr("Checking for an open shift…"))
        elif current is None:
            self.status_label.setText(self.tr("No open shift at this counter."))
        elif state.offline:
            self.status_label.setText(self.tr("Shift {shift_no} is open (offline, not yet confirmed by the center).")
                                      .format(shift_no=current.shift_no))
        else:
            self.status_label.setText(self.tr("Shift {shift_no} is open.").format(shift_no=current.shift_no))
        self.open_box.setVisible(state.known and current is None)
        self.shift_box.setVisible(current is not None)
        self._render_info(current)
        summary = self._summary
        closed = summary is not None and summary.closing is not None
        if summary is None:
            self.summary_title.setText("")
        elif closed:
            self.summary_title.setText(self.tr("Shift {shift_no} (closed, read-only)")
                                       .format(shift_no=summary.shift.shift_no))
        else:
            self.summary_title.setText(self.tr("Shift {shift_no} so far").format(shift_no=summary.shift.shift_no))
        if summary is not None and self._provisional:
            self.summary_title.setText(self.summary_title.text() + " · "
                                       + self.tr("counted at this counter (provisional)"))
        self.summary_view.setVisible(summary is not None)
        self.summary_view.show_summary(summary)
        self.offline_box.show_items(summary.offline_items if summary is not None else [],
                                    shift_no=summary.shift.shift_no if summary is not None else None)
        self.settlement_button.setVisible(closed)

    def _render_info(self, current: ShiftInfo | None) -> None:
        texts = {
            "shiftNoValue": current.shift_no if current else "",
            "cashierValue": current.cashier_name if current else "",
            "counterValue": current.counter_code if current else "",
            "openedAtValue": shown_time(current.opened_at) if current else "",
            "floatValue": format_fen(current.float_fen) if current else "",
        }
        for name, text in texts.items():
            self.values[name].setText(text)
