"""退补 (refund/back-charge) of a released bill: the reason and a supervisor's co-sign, then the old and new amount.

Opened from the Bill runs screen for the released bill its lines panel shows (the last of its 退补 chain). **Correct
bill** sends ``billrun.correct_bill`` with the co-signature: the server reverses the bill's charge (what was paid on
it goes back to the customer's prepayment) and releases a new bill for the same period priced from the readings
and tariffs as they are now. The dialog then shows the reversed and the new amount. Every rule is the server's:
nothing changed since the bill (CORRECTION_CHANGES_NOTHING), a bill already corrected, a period that cannot be
priced, a missing or wrong co-sign are its refusals, shown as translated sentences, and nothing changes.

The idempotency key belongs to the screen's ``ActionSlot`` (passed in): minted when the clerk confirms, kept
until a definite answer, so pressing again after a lost answer (even from a reopened dialog) replays the
first result instead of correcting twice. Opened with ``open()``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QPushButton, QVBoxLayout, QWidget

from client.core.actions import ActionSlot
from client.core.receipts import period_text
from client.core.rpc_client import SESSION_LOST_CODES, RpcError, make_request
from client.ui.billrun_words import anomaly_codes_text
from client.ui.context import UiContext
from client.ui.errors import error_text
from client.ui.messages import error_message
from client.ui.ops import Op
from client.ui.widgets.cosign_fields import CosignFields
from client.ui.widgets.labels import error_label, wrapped_label
from shared_models.errors import ErrorCode
from shared_models.methods.billruns import CORRECT_BILL, BillLines, CorrectBillRequest, CorrectBillResult
from shared_models.money import format_fen


class CorrectBillDialog(QDialog):
    """Why bill ``bill`` is corrected and who co-signs; the answer's amounts once corrected."""

    #: The bill was corrected (the ``CorrectBillResult``).
    corrected = Signal(object)

    def __init__(self, *, ctx: UiContext, bill: BillLines, slot: ActionSlot, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("correctBillDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Refund/back-charge (退补)"))
        self._ctx = ctx
        self.bill = bill
        self.slot = slot
        self.answer: CorrectBillResult | None = None
        self.text_label = wrapped_label("askTextLabel", self.tr(
            "Correct bill {bill_no} of {customer_no} {name}, period {period}, ¥{amount}: it is reversed (what was "
            "paid on it goes back to the customer's prepayment) and a new bill for the same period is released, "
            "priced from the readings and tariffs as they are now. Correct the reading first if it was wrong.")
            .format(bill_no=bill.bill_no, customer_no=bill.customer_no, name=bill.customer_name,
                    period=period_text(bill.period), amount=format_fen(bill.amount_fen)))
        self.reason_combo = QComboBox()
        self.reason_combo.setObjectName("correctReasonCombo")
        self.reason_combo.setEditable(True)
        self.reason_combo.addItems([self.tr("Reading corrected"), self.tr("Tariff corrected retroactively"),
                                    self.tr("Customer complaint upheld")])
        self.reason_combo.setCurrentIndex(-1)
        line_edit = self.reason_combo.lineEdit()
        if line_edit is not None:
            line_edit.setMaxLength(200)
            line_edit.setPlaceholderText(self.tr("Reason for the correction"))
        self.cosign = CosignFields(hint=self.tr(
            "A refund/back-charge is co-signed by a supervisor with their own user name and password; both names "
            "go into the audit trail."))
        self.result_label = wrapped_label("correctResultLabel")
        self.result_label.setStyleSheet("color: #1b5e20; font-weight: bold;")
        self.error_label = error_label()
        self.ok_button = QPushButton(self.tr("Correct bill"))
        self.ok_button.setObjectName("correctConfirmButton")
        self.ok_button.setDefault(True)
        self.close_button = QPushButton(self.tr("Cancel"))
        self.close_button.setObjectName("dialogCancelButton")
        buttons = QDialogButtonBox()
        buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text_label)
        layout.addWidget(self.reason_combo)
        layout.addWidget(self.cosign)
        layout.addWidget(self.result_label)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)
        self.ok_button.clicked.connect(self.confirm)
        self.close_button.clicked.connect(self.reject)

    def reason(self) -> str:
        """The reason typed or picked."""
        return self.reason_combo.currentText().strip()

    def confirm(self) -> None:
        """Send the correction with the co-signature (the same action again while the last press is unanswered)."""
        reason = self.reason()
        if not reason:
            self.error_label.setText(self.tr("Give the reason for the correction."))
            return
        cosign = self.cosign.cosign()
        if cosign is None:  # the server refuses the same; saying it here spares the round trip
            self.error_label.setText(error_message(ErrorCode.COSIGN_REQUIRED))
            return
        self.error_label.clear()
        rpc, slot, bill_no = self._ctx.rpc, self.slot, self.bill.bill_no
        action = slot.confirm((bill_no, reason, cosign.username))

        def work() -> CorrectBillResult:
            req = make_request(CorrectBillRequest, bill_no=bill_no, reason=reason)
            return slot.attempt(action, lambda: rpc.send(CORRECT_BILL, req, action=action, cosign=cosign))

        Op(parent=self, run=work, busy=[self.ok_button], key="correct") \
            .on_success(self._on_corrected).on_failure(self._on_failed).start()

    def _on_corrected(self, result: CorrectBillResult) -> None:
        self.answer = result
        self.cosign.clear()
        new = result.new_bill
        change = new.amount_fen - result.reversed_fen
        if change > 0:
            difference = self.tr("The customer is charged ¥{amount} more.").format(amount=format_fen(change))
        elif change < 0:
            difference = self.tr("The customer is charged ¥{amount} less.").format(amount=format_fen(-change))
        else:
            difference = self.tr("The amount is the same; the lines changed.")
        self.result_label.setText(self.tr(
            "Bill {old} of ¥{old_amount} is reversed. New bill {new}: ¥{new_amount}. {difference} Still owed on the "
            "new bill: ¥{open}.").format(old=result.reversed_bill_no, old_amount=format_fen(result.reversed_fen),
                                        new=new.bill_no, new_amount=format_fen(new.amount_fen),
                                        difference=difference, open=format_fen(new.principal_open_fen)))
        self.ok_button.setVisible(False)
        self.reason_combo.setEnabled(False)
        self.cosign.setEnabled(False)
        self.close_button.setText(self.tr("Close"))
        self.corrected.emit(result)

    def _on_failed(self, exc: BaseException) -> None:
        self.cosign.clear()
        if isinstance(exc, RpcError) and exc.code in SESSION_LOST_CODES:
            self.reject()
            self._ctx.report_error(self.parentWidget(), exc)
            return
        self.error_label.setText(refusal_text(exc))


def refusal_text(exc: BaseException) -> str:
    """The sentence of a failed correction; a bill that cannot be priced names its findings in words."""
    if isinstance(exc, RpcError) and exc.code is ErrorCode.BILL_NOT_PRICEABLE:
        params = dict(exc.params)
        params["anomalies"] = anomaly_codes_text(str(params.get("anomalies", "")))
        return error_message(exc.code, params)
    return error_text(exc)
