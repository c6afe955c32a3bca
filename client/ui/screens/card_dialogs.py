"""Dialogs of the card-sale screen: the reversal 冲正 of a card purchase with the supervisor's co-signature on the
same dialog (the desk's void co-sign fields), and the card history of a customer. Opened with ``open()`` and
answered by signals: no nested ``exec()``."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.core.rpc_client import SESSION_LOST_CODES, Cosign, RpcError, make_request
from client.ui.context import UiContext
from client.ui.errors import error_text, show_in_dialog
from client.ui.messages import error_message
from client.ui.ops import Op
from client.ui.widgets.card_history import CardHistoryPanel
from client.ui.widgets.card_tables import write_kind_text
from client.ui.widgets.cosign_fields import CosignFields
from client.ui.widgets.dialog_fit import fit_later
from client.ui.widgets.labels import ERROR_STYLE, error_label, wrapped_label
from shared_models.errors import ErrorCode
from shared_models.methods.cards import GET_HISTORY, CardCustomerRequest, CardHistory, PendingWriteView
from shared_models.money import format_fen

#: The reversal itself, run off the GUI thread: (reason, co-signature) → whatever the screen wants back.
ReverseWork = Callable[[str, Cosign], object]


class CardReverseDialog(QDialog):
    """冲正 of the purchase waiting for its write: the reason and a supervisor's co-signature."""

    #: The reversal went through: what the work returned.
    reversed_done = Signal(object)

    def __init__(self, *, ctx: UiContext, pending: PendingWriteView, work: ReverseWork,
                 problem_of: Callable[[object], str | None] = lambda _result: None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardReverseDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._ctx = ctx
        self._work = work
        #: What went wrong in the work's result (a refusal it returned rather than raised), or None.
        self._problem_of = problem_of
        self.pending = pending
        self.purchase_label = wrapped_label("cardReversePurchaseLabel", self.tr(
            "{kind} no. {count} of customer {customer_no}: ¥{paid} paid, receipt {receipt}.").format(
            kind=write_kind_text(pending.kind), count=pending.purchase_count, customer_no=pending.customer_no,
            paid=format_fen(pending.paid_fen), receipt=pending.receipt_no or "—"))
        self.reason_combo = QComboBox()
        self.reason_combo.setObjectName("cardReverseReasonCombo")
        self.reason_combo.setEditable(True)
        self.reason_combo.addItems([self.tr("Customer changed their mind"), self.tr("Wrong amount entered"),
                                    self.tr("Wrong customer")])
        self.reason_combo.setCurrentIndex(-1)
        self.cosign = CosignFields(hint=self.tr(
            "Only while the purchase is not on the card, or the meter has not credited it. A supervisor co-signs "
            "with their own user name and password; both names go into the audit trail."))
        self.error_label = error_label()
        self.ok_button = QPushButton(self.tr("Reverse purchase"))
        self.ok_button.setObjectName("cardReverseConfirmButton")
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("dialogCancelButton")
        buttons = QDialogButtonBox()
        buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        form = QFormLayout()
        form.addRow(self.purchase_label)
        form.addRow(self.tr("Reason"), self.reason_combo)
        form.addRow(self.cosign)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.ok_button.clicked.connect(self._on_ok)
        self.cancel_button.clicked.connect(self.reject)
        self.setWindowTitle(self.tr("Reverse card purchase (冲正)"))

    def reason(self) -> str:
        """The reason typed or picked."""
        return self.reason_combo.currentText().strip()

    def _on_ok(self) -> None:
        reason = self.reason()
        if len(reason) < 2:
            self.error_label.setText(self.tr("Give the reason for the reversal."))
            return
        cosign = self.cosign.cosign()
        if cosign is None:  # the server refuses the same; saying it here spares the round trip
            self.error_label.setText(error_message(ErrorCode.COSIGN_REQUIRED))
            return
        self.error_label.clear()
        work = self._work
        Op(parent=self, run=lambda: work(reason, cosign), busy=[self.ok_button], key="reverse") \
            .on_success(self._done) \
            .on_failure(self._failed) \
            .start()

    def _failed(self, exc: BaseException) -> None:
        self.cosign.clear()
        show_in_dialog(self, self.error_label, exc, self._ctx.report_error)

    def _done(self, result: object) -> None:
        problem = self._problem_of(result)
        if problem is not None:
            self.cosign.clear()
            self.error_label.setText(problem)
            return
        self.reversed_done.emit(result)
        self.accept()


class CardHistoryDialog(QDialog):
    """The card history of one customer (``card.get_history``), from the 360 view or the card-sale screen."""

    def __init__(self, *, ctx: UiContext, customer_no: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardHistoryDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._ctx = ctx
        self.customer_no = customer_no
        self.panel = CardHistoryPanel()
        self.message_label = wrapped_label("cardHistoryMessageLabel")
        close = QPushButton(self.tr("Close"))
        close.setObjectName("dialogCancelButton")
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Account number {customer_no}").format(customer_no=customer_no)))
        layout.addWidget(self.panel, 1)
        layout.addWidget(self.message_label)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.setWindowTitle(self.tr("Card history"))
        self.resize(860, 520)  # within the counter's 1024×768
        fit_later(self)
        self.refresh()

    @property
    def history(self) -> CardHistory | None:
        """The history shown (None until it arrived)."""
        return self.panel.history

    def refresh(self) -> None:
        """Ask the server for the customer's cards and purchases."""
        rpc, customer_no = self._ctx.rpc, self.customer_no
        Op(parent=self, key="history",
           run=lambda: rpc.call(GET_HISTORY, make_request(CardCustomerRequest, customer_no=customer_no))) \
            .on_success(self.panel.show_history) \
            .on_failure(self._failed) \
            .start()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, RpcError) and exc.code in SESSION_LOST_CODES:
            self._ctx.report_error(self, exc)
            return
        self.message_label.setText(error_text(exc))
        self.message_label.setStyleSheet(ERROR_STYLE)
