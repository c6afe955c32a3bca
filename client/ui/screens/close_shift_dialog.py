"""Closing a shift: the cash count by denomination, the deposit slip number and, for a difference, the
supervisor's co-signature on the same dialog. Opened with ``open()`` and answered by signals.

Payments of the shift still waiting in the counter's outbox (SPEC §5) are listed: the shift closes only
when a supervisor signs that list (co-signature on the same dialog), and they go to the server as the
close's ``unsent`` items. Their cash is in the drawer, so it counts as expected cash. The expected cash, the
difference and whether a co-sign is needed come from ``client.core.close_count``, a line's amount and the counted
total from ``shared_models.rules.shift_totals`` (the server's own rule); the dialog only shows them.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from client.core import cash_count
from client.core.actions import ActionSlot
from client.core.close_count import close_count
from client.core.offline_cosign import remember_online_cosign, verify_at_counter
from client.core.outbox.items import ItemState
from client.core.rpc_client import Cosign, RpcError, make_request
from client.core.shift_ops import Queued
from client.core.shift_ops import close_shift as close_queued
from client.ui.context import UiContext
from client.ui.errors import show_in_dialog
from client.ui.models.outbox_model import clock_text
from client.ui.ops import Op
from client.ui.screens.shift_summary_view import difference_text
from client.ui.widgets.cosign_fields import CosignFields
from client.ui.widgets.labels import error_label
from shared_models.errors import ErrorCode
from shared_models.methods.shifts import (
    CLOSE,
    DENOMINATIONS_FEN,
    CashCountLine,
    CloseShiftRequest,
    ShiftSummary,
    UnsentItem,
)
from shared_models.money import format_fen
from shared_models.roles import Perm
from shared_models.rules.hall_time import hall_now
from shared_models.rules.shift_totals import count_line_fen

#: The server's answers that mean this shift is no longer there to close (closed elsewhere, or gone).
_GONE = frozenset({ErrorCode.SHIFT_CLOSED, ErrorCode.SHIFT_NOT_FOUND})
_COSIGN_REFUSED = frozenset({
    ErrorCode.COSIGN_REQUIRED, ErrorCode.COSIGN_INVALID, ErrorCode.COSIGN_NOT_AUTHORIZED,
    ErrorCode.COSIGN_SAME_USER, ErrorCode.CASH_DIFFERENCE_NEEDS_APPROVAL, ErrorCode.UNSENT_NEEDS_SUPERVISOR,
})
_SLIP_PATTERN = r"[A-Za-z0-9_-]{1,40}"


class CloseShiftDialog(QDialog):
    """Count the drawer and close the shift of ``summary``."""

    #: The shift is closed: its summary (``ShiftSummary``), and True when closed offline (the counter's figures).
    shift_closed = Signal(object, bool)
    #: The server says the shift is already closed or unknown (shift number): the screen reloads it.
    shift_gone = Signal(str)

    def __init__(self, *, ctx: UiContext, summary: ShiftSummary, unsent: Sequence[UnsentItem] = (),
                 parent: QWidget | None = None, slot: ActionSlot | None = None, offline: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("closeShiftDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._ctx = ctx
        #: Closed at the counter with the link down: the figures are the counter's own, the co-sign is checked
        #: against the supervisor's cached verifier, and the close waits in the outbox (SPEC §5).
        self.offline = offline
        self._summary = summary
        self._unsent = list(unsent)
        #: What the close counts against (the drawer holds the booked cash and the unsent payments' cash).
        self.drawer = close_count(summary, self._unsent)
        self.expected_fen = self.drawer.expected_fen
        # The close (with its cash-difference approval) the cashier confirmed: a retry of the same request
        # after a lost answer reuses its key, so the server closes the shift once and answers the retry
        # with the first result. The shift screen keeps it, so reopening the dialog is the same action.
        self.slot = slot if slot is not None else ActionSlot()
        shift = summary.shift
        self.setWindowTitle(self.tr("Close shift {shift_no}").format(shift_no=shift.shift_no))

        count_box = self._build_count_box()
        self.expected_label = self._figure("expectedCashValue", format_fen(self.expected_fen))
        self.counted_label = self._figure("countedCashValue", format_fen(0))
        self.difference_label = self._figure("differenceValue", "")
        self.deposit_slip_edit = QLineEdit()
        self.deposit_slip_edit.setObjectName("depositSlipEdit")
        self.deposit_slip_edit.setMaxLength(40)
        self.deposit_slip_edit.setValidator(QRegularExpressionValidator(QRegularExpression(_SLIP_PATTERN), self))
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("noteEdit")
        self.note_edit.setMaxLength(200)
        form = QFormLayout()
        form.addRow(self.tr("Shift"), QLabel(f"{shift.shift_no}  {shift.cashier_name}"))
        form.addRow(self.tr("Expected cash (yuan)"), self.expected_label)
        if self._unsent:
            self.unsent_cash_label = self._figure("unsentCashValue", format_fen(self.drawer.unsent_cash_fen))
            form.addRow(self.tr("of which cash of unsent payments (yuan)"), self.unsent_cash_label)
        form.addRow(self.tr("Counted cash (yuan)"), self.counted_label)
        form.addRow(self.tr("Difference (counted − expected)"), self.difference_label)
        form.addRow(self.tr("Deposit slip number (解款单号)"), self.deposit_slip_edit)
        form.addRow(self.tr("Note"), self.note_edit)

        if self._unsent:
            self.cosign = CosignFields(hint=self.tr(
                "Payments of this shift have not reached the server yet. A supervisor signs the list of unsent "
                "payments (and approves any cash difference) with their own user name and password; both names go "
                "into the audit trail."))
        else:
            self.cosign = CosignFields(hint=self.tr(
                "The counted cash differs from the expected cash. A supervisor approves the difference with their "
                "own user name and password; both names go into the audit trail."))
        self.unsent_box = self._build_unsent_box()

        buttons = self._build_buttons()

        layout = QVBoxLayout(self)
        layout.addWidget(self.unsent_box)
        layout.addWidget(count_box)
        layout.addLayout(form)
        layout.addWidget(self.cosign)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.ok_button.clicked.connect(self.confirm)
        self.cancel_button.clicked.connect(self.reject)
        self._force_cosign = False
        self._recount()

    def _build_count_box(self) -> QGroupBox:
        self.pieces: dict[int, QSpinBox] = {}
        self.amounts: dict[int, QLabel] = {}
        box = QGroupBox(self.tr("Cash count"))
        grid = QGridLayout(box)
        for column, caption in enumerate((self.tr("Denomination"), self.tr("Pieces"), self.tr("Amount (yuan)"))):
            grid.addWidget(QLabel(caption), 0, column)
        for row, fen in enumerate(DENOMINATIONS_FEN, start=1):
            spin = QSpinBox()
            spin.setObjectName(f"piecesSpin{fen}")
            spin.setRange(0, 1_000_000)
            spin.setAlignment(Qt.AlignmentFlag.AlignRight)
            amount = QLabel(format_fen(0))
            amount.setObjectName(f"amountValue{fen}")
            amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(QLabel(self._denomination(fen)), row, 0)
            grid.addWidget(spin, row, 1)
            grid.addWidget(amount, row, 2)
            self.pieces[fen], self.amounts[fen] = spin, amount
            spin.valueChanged.connect(self._recount)
        return box

    def _build_unsent_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Payments not yet confirmed by the server: {count}").format(count=len(self._unsent)))
        box.setObjectName("unsentBox")
        box.setStyleSheet("QGroupBox { color: #b00020; font-weight: bold; }")
        titles = [self.tr("Receipt"), self.tr("Account"), self.tr("Amount (yuan)"), self.tr("Cash (yuan)"),
                  self.tr("Taken at (counter clock)")]
        self.unsent_table = QTableWidget(len(self._unsent), len(titles))
        self.unsent_table.setObjectName("unsentTable")
        self.unsent_table.setHorizontalHeaderLabels(titles)
        self.unsent_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.unsent_table.verticalHeader().setVisible(False)
        self.unsent_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.unsent_table.setMaximumHeight(160)
        for row, item in enumerate(self._unsent):
            values = (item.receipt_no, item.customer_no, format_fen(item.amount_fen), format_fen(item.cash_fen),
                      clock_text(item.local_time))
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                if column in (2, 3):
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.unsent_table.setItem(row, column, cell)
        layout = QVBoxLayout(box)
        layout.addWidget(self.unsent_table)
        box.setVisible(bool(self._unsent))
        return box

    @property
    def unsent(self) -> list[UnsentItem]:
        """The payments the supervisor signs as unsent."""
        return list(self._unsent)

    def _build_buttons(self) -> QDialogButtonBox:
        self.error_label = error_label()
        self.ok_button = QPushButton(self.tr("Close shift"))
        self.ok_button.setObjectName("closeShiftConfirmButton")
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("dialogCancelButton")
        buttons = QDialogButtonBox()
        buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        return buttons

    def _figure(self, name: str, text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName(name)
        return label

    def _denomination(self, fen: int) -> str:
        if fen >= 100:
            return self.tr("{n} yuan").format(n=fen // 100)
        if fen >= 10:
            return self.tr("{n} jiao").format(n=fen // 10)
        return self.tr("{n} fen").format(n=fen)

    def counted_pieces(self) -> dict[int, int]:
        """Pieces per denomination as typed in."""
        return {fen: spin.value() for fen, spin in self.pieces.items()}

    def counted_fen(self) -> int:
        """The counted total (fen)."""
        return cash_count.counted_fen(self.counted_pieces())

    def difference_fen(self) -> int:
        """Counted minus expected (fen), against the expected cash the dialog was opened with (unsent cash
        included)."""
        return self.drawer.difference_fen(self.counted_fen())

    def _recount(self) -> None:
        for fen, spin in self.pieces.items():
            self.amounts[fen].setText(format_fen(count_line_fen(denomination_fen=fen, pieces=spin.value())))
        self.counted_label.setText(format_fen(self.counted_fen()))
        difference = self.difference_fen()
        self.difference_label.setText(difference_text(difference))
        self.difference_label.setStyleSheet("" if difference == 0 else "color: #b00020; font-weight: bold;")
        self.cosign.setVisible(self._force_cosign or self.drawer.cosign_needed(self.counted_fen()))

    def confirm(self) -> None:
        """Send the close (with the co-signature when the counted cash differs)."""
        slip = self.deposit_slip_edit.text().strip()
        if not slip:
            self.error_label.setText(self.tr("Enter the deposit slip number (解款单号)."))
            return
        cosign = self.cosign.cosign() if not self.cosign.isHidden() else None
        needed = self.drawer.cosign_needed(self.counted_fen())
        if needed and cosign is None and self._unsent:
            self.error_label.setText(self.tr(
                "{count} payments have not reached the server yet: a supervisor enters their user name and password "
                "to sign the list.").format(count=len(self._unsent)))
            return
        if needed and cosign is None:
            self.error_label.setText(self.tr(
                "The counted cash differs from the expected cash: a supervisor enters their user name and password "
                "to approve the difference."))
            return
        self.error_label.clear()
        rpc, shift_no, unsent = self._ctx.rpc, self._summary.shift.shift_no, list(self._unsent)
        lines, note = cash_count.cash_count_lines(self.counted_pieces()), self.note_edit.text().strip()
        if self.offline:
            self._close_at_counter(lines=lines, slip=slip, note=note, cosign=cosign)
            return
        slot, verifiers, counter = self.slot, self._ctx.verifiers, self._summary.shift.counter_code
        action = slot.confirm((shift_no, repr(lines), slip, note, tuple(u.idempotency_key for u in unsent)))

        def work() -> ShiftSummary:
            req = make_request(CloseShiftRequest, shift_no=shift_no, cash_counts=lines, deposit_slip_no=slip, note=note,
                               unsent=unsent)
            summary = slot.attempt(action, lambda: rpc.send(CLOSE, req, action=action, cosign=cosign))
            if cosign is not None and verifiers is not None:  # the co-signer may co-sign here offline too
                remember_online_cosign(verifiers, username=cosign.username, password=cosign.password,
                                       counter_code=counter, display_name=_approver(summary, cosign.username),
                                       permissions=frozenset({Perm.APPROVE}))
            return summary

        Op(parent=self, run=work, busy=[self.ok_button], key="close_shift") \
            .on_success(self._done) \
            .on_failure(self._failed) \
            .start()

    def _close_at_counter(self, *, lines: list[CashCountLine], slip: str, note: str, cosign: Cosign | None) -> None:
        """The link is down: check the co-sign against the cached verifier, queue the close behind the shift's
        payments, and close with the counter's own figures."""
        ctx, summary, unsent = self._ctx, self._summary, list(self._unsent)
        outbox, sync, state = ctx.outbox, ctx.sync, ctx.session.state
        if outbox is None or sync is None or state is None:  # pragma: no cover - offline figures came from them
            return
        now, wait_s = hall_now(), ctx.payment_wait_s

        def work() -> Queued[ShiftSummary]:
            signed = None if cosign is None else verify_at_counter(
                ctx.verifiers, cosign, counter_code=summary.shift.counter_code, actor=state.user.username,
                permission=Perm.APPROVE, now=now)
            return close_queued(outbox=outbox, sync=sync, username=state.user.username, summary=summary,
                                cash_counts=lines, deposit_slip_no=slip, note=note, unsent=unsent,
                                cosign=signed.attestation if signed else None,
                                cosigner_name=signed.display_name if signed else None, local_time=now, wait_s=wait_s)

        def done(outcome: Queued[ShiftSummary]) -> None:
            if outcome.refused is not None:
                self._failed(outcome.refused)
            elif outcome.result is not None:
                self.shift_closed.emit(outcome.result, outcome.item.state is not ItemState.DONE)
                self.accept()

        Op(parent=self, run=work, busy=[self.ok_button], key="close_shift") \
            .on_success(done) \
            .on_failure(self._failed) \
            .start()

    def _done(self, summary: ShiftSummary) -> None:
        self.shift_closed.emit(summary, False)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if not show_in_dialog(self, self.error_label, exc, self._ctx.report_error):
            return
        if not isinstance(exc, RpcError):
            return
        if exc.code in _COSIGN_REFUSED:
            self._force_cosign = True  # the server counts the expected cash: it may see a difference we do not
            self.cosign.clear()
            self._recount()
            self.cosign.password_edit.setFocus()
        elif exc.code in _GONE:
            self.ok_button.setEnabled(False)  # nothing to close any more; the figures stay as typed
            self.shift_gone.emit(self._summary.shift.shift_no)


def _approver(summary: ShiftSummary, username: str) -> str:
    """The co-signer's name as the server booked it (the approver of a difference), else their user name."""
    closing = summary.closing
    return closing.approved_by if closing is not None and closing.approved_by else username
