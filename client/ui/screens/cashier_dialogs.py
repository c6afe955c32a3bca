"""Dialogs of the cashier desk: reprint a receipt (补打) and void a payment (冲正) with the supervisor's
co-signature on the same dialog. Opened with ``open()`` and answered by signals: no nested ``exec()``."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.core.actions import ActionSlot
from client.core.offline_cosign import remember_online_cosign
from client.core.rpc_client import RpcError, make_request
from client.core.shift_ops import void_at_counter, void_must_queue
from client.ui.context import UiContext
from client.ui.errors import show_in_dialog
from client.ui.messages import error_message
from client.ui.ops import Op
from client.ui.widgets.cosign_fields import CosignFields
from client.ui.widgets.labels import error_label
from shared_models.errors import ErrorCode
from shared_models.methods.payments import REPRINT, VOID, PaymentReceipt, ReceiptRequest, VoidRequest, VoidResult
from shared_models.roles import Perm
from shared_models.rules.hall_time import hall_now
from shared_models.rules.receipt_numbers import is_receipt_no


class _DeskDialog(QDialog):
    """A receipt number field, a form, an error line, OK and Cancel (Enter and Esc)."""

    def __init__(self, *, ctx: UiContext, receipt_no: str, ok_name: str, parent: QWidget | None,
                 slot: ActionSlot | None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._ctx = ctx
        # The desk's pending action of this kind: it outlives the dialog, so closing the dialog after a
        # lost answer and trying again is still the same action (one key).
        self.slot = slot if slot is not None else ActionSlot()
        self.receipt_edit = QLineEdit(receipt_no)
        self.receipt_edit.setObjectName("receiptNoEdit")
        self.receipt_edit.setMaxLength(40)
        self.receipt_edit.selectAll()
        self.form = QFormLayout()
        self.error_label = error_label()
        self.ok_button = QPushButton()
        self.ok_button.setObjectName(ok_name)
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("dialogCancelButton")
        buttons = QDialogButtonBox()
        buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.ok_button.clicked.connect(self._on_ok)
        self.cancel_button.clicked.connect(self.reject)

    def _on_ok(self) -> None:
        raise NotImplementedError

    def _receipt_no(self) -> str | None:
        """The receipt number typed (or scanned from the receipt's QR code), or None with the reason shown."""
        text = self.receipt_edit.text().strip()
        if not is_receipt_no(text):  # the contract's one rule: the shape and a real day
            # a fixed context: self.tr in a base class would look under the subclass's name
            self.error_label.setText(QCoreApplication.translate(
                "CashierDialogs", "“{text}” is not a receipt number (for example H0101-20261123-00042).",
            ).format(text=text))
            return None
        return text

    def _failed(self, exc: BaseException) -> None:
        show_in_dialog(self, self.error_label, exc, self._ctx.report_error)


class ReprintDialog(_DeskDialog):
    """Reprint a receipt by number: the server counts the reprint, the receipt prints marked 补打 N."""

    reprint_ready = Signal(object)  # the PaymentReceipt with its reprint count

    def __init__(self, *, ctx: UiContext, receipt_no: str = "", parent: QWidget | None = None,
                 slot: ActionSlot | None = None) -> None:
        super().__init__(ctx=ctx, receipt_no=receipt_no, ok_name="reprintConfirmButton", parent=parent, slot=slot)
        self.setObjectName("reprintDialog")
        self.form.addRow(self.tr("Receipt number"), self.receipt_edit)
        hint = QLabel(self.tr("The copy is marked 补打 with the number of the reprint."))
        hint.setWordWrap(True)
        self.form.addRow(hint)
        self.setWindowTitle(self.tr("Reprint receipt"))
        self.ok_button.setText(self.tr("Reprint"))
        self.cancel_button.setText(self.tr("Cancel"))

    def _on_ok(self) -> None:
        receipt_no = self._receipt_no()
        if receipt_no is None:
            return
        self.error_label.clear()
        rpc, slot = self._ctx.rpc, self.slot
        action = slot.confirm(receipt_no)  # a retry after a lost answer counts the reprint once

        def work() -> PaymentReceipt:
            req = make_request(ReceiptRequest, receipt_no=receipt_no)
            return slot.attempt(action, lambda: rpc.send(REPRINT, req, action=action))

        Op(parent=self, run=work, busy=[self.ok_button], key="reprint") \
            .on_success(self._done) \
            .on_failure(self._failed) \
            .start()

    def _done(self, receipt: PaymentReceipt) -> None:
        self.reprint_ready.emit(receipt)
        self.accept()


class VoidDialog(_DeskDialog):
    """Void (冲正) a payment of the open shift: receipt number, reason, and the supervisor's co-signature."""

    payment_voided = Signal(object)  # the VoidResult

    def __init__(self, *, ctx: UiContext, receipt_no: str = "", parent: QWidget | None = None,
                 slot: ActionSlot | None = None) -> None:
        super().__init__(ctx=ctx, receipt_no=receipt_no, ok_name="voidConfirmButton", parent=parent, slot=slot)
        self.setObjectName("voidDialog")
        self.reason_combo = QComboBox()
        self.reason_combo.setObjectName("voidReasonCombo")
        self.reason_combo.setEditable(True)
        self.reason_combo.addItems([self.tr("Wrong amount entered"), self.tr("Wrong customer"),
                                    self.tr("Wrong payment method")])
        self.reason_combo.setCurrentIndex(-1)
        self.cosign = CosignFields(hint=self.tr(
            "Same day, same cashier, shift still open. A supervisor co-signs the void with their own user name "
            "and password; both names go into the audit trail."))
        self.form.addRow(self.tr("Receipt number"), self.receipt_edit)
        self.form.addRow(self.tr("Reason"), self.reason_combo)
        self.form.addRow(self.cosign)
        self.setWindowTitle(self.tr("Void payment (冲正)"))
        self.ok_button.setText(self.tr("Void payment"))
        self.cancel_button.setText(self.tr("Cancel"))

    def reason(self) -> str:
        """The reason typed or picked."""
        return self.reason_combo.currentText().strip()

    def _on_ok(self) -> None:
        receipt_no = self._receipt_no()
        if receipt_no is None:
            return
        reason = self.reason()
        if len(reason) < 2:
            self.error_label.setText(self.tr("Give the reason for the void."))
            return
        cosign = self.cosign.cosign()
        if cosign is None:  # the server refuses the same; saying it here spares the round trip
            self.error_label.setText(error_message(ErrorCode.COSIGN_REQUIRED))
            return
        self.error_label.clear()
        rpc, slot, ctx = self._ctx.rpc, self.slot, self._ctx
        # A retry after a lost answer gets the first void's result, not ALREADY_VOIDED.
        action = slot.confirm((receipt_no, reason, cosign.username))
        now = hall_now()

        def work() -> VoidResult:
            if ctx.outbox is not None and ctx.sync is not None and void_must_queue(ctx.outbox, ctx.sync, receipt_no):
                state = ctx.session.state
                if state is None:
                    raise RpcError(ErrorCode.NOT_AUTHENTICATED)
                return void_at_counter(outbox=ctx.outbox, sync=ctx.sync, verifiers=ctx.verifiers,
                                       username=state.user.username, cashier_name=state.user.display_name,
                                       counter_code=state.counter.code, receipt_no=receipt_no, reason=reason,
                                       cosign=cosign, now=now, wait_s=ctx.payment_wait_s)
            req = make_request(VoidRequest, receipt_no=receipt_no, reason=reason)
            result = slot.attempt(action, lambda: rpc.send(VOID, req, action=action, cosign=cosign))
            state = ctx.session.state
            if ctx.verifiers is not None and state is not None:  # the co-signer may co-sign here offline too
                remember_online_cosign(ctx.verifiers, username=cosign.username, password=cosign.password,
                                       counter_code=state.counter.code, display_name=result.cosigned_by,
                                       permissions=frozenset({Perm.APPROVE}))
            return result

        Op(parent=self, run=work, busy=[self.ok_button], key="void") \
            .on_success(self._done) \
            .on_failure(self._on_void_failed) \
            .start()

    def _on_void_failed(self, exc: BaseException) -> None:
        self.cosign.clear()
        self._failed(exc)

    def _done(self, result: VoidResult) -> None:
        self.payment_voided.emit(result)
        self.accept()

