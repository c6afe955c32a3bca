"""A released bill's lines in the cashier's 360 view (``bill.get_lines``): why the bill is what it is, line by line.

Opened from the desk's open bills (or the customer screen) with ``open()``; fetches the lines in an ``Op`` and
shows them in the bill lines panel, with the 电费通知单 to print or save. A bill reversed by a 退补 says so and
names the bill that replaced it; a 退补's new bill names the bill it replaces and why. The counter's cache holds no
bill lines: with the link down the dialog says the lines are not available offline and asks nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from client.core.rpc_client import SESSION_LOST_CODES, RpcError
from client.ui.context import UiContext
from client.ui.errors import error_text
from client.ui.ops import Op
from client.ui.widgets.bill_lines import BillLinesWidget
from client.ui.widgets.bill_notice_bar import BillNoticeBar
from shared_models.methods.billruns import GET_LINES, BillLines, BillRequest
from shared_models.money import format_fen


class BillLinesDialog(QDialog):
    """The lines of bill ``bill_no`` (or, offline, why there are none)."""

    #: The lines arrived and are shown (``BillLines``).
    lines_shown = Signal(object)

    def __init__(self, *, ctx: UiContext, bill_no: str, offline: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("billLinesDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Bill {bill_no}").format(bill_no=bill_no))
        self._ctx = ctx
        self.bill_no = bill_no
        self.bill: BillLines | None = None
        self.lines = BillLinesWidget()
        #: Whether the bill is paid: what is still owed of it, and what the prepayment paid at release.
        self.paid_label = QLabel()
        self.paid_label.setObjectName("billPaidLabel")
        self.paid_label.setWordWrap(True)
        state = ctx.session.state
        self.notice = BillNoticeBar(hall_name=state.counter.hall_name if state is not None else "")
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setObjectName("dialogCancelButton")
        buttons = QDialogButtonBox()
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.lines, 1)
        layout.addWidget(self.paid_label)
        layout.addWidget(self.notice)
        layout.addWidget(buttons)
        self.close_button.clicked.connect(self.reject)
        self.resize(760, 420)
        if offline:
            self.lines.show_message(self.tr("The lines of bill {bill_no} are not available offline: the counter "
                                            "keeps only the bill's amounts. They show again when the link returns.")
                                    .format(bill_no=bill_no), alert=True)
            return
        self.lines.show_message(self.tr("Loading the lines of bill {bill_no}…").format(bill_no=bill_no))
        rpc = ctx.rpc
        Op(parent=self, run=lambda: rpc.call(GET_LINES, BillRequest(bill_no=bill_no)), key="lines") \
            .on_success(self._on_lines).on_failure(self._on_failed).start()

    def _on_lines(self, bill: BillLines) -> None:
        self.bill = bill
        self.lines.show_lines(
            title=self.tr("Bill {bill_no} · {customer_no} {name} · {start} to {end} · {kwh} kWh · tariff {tariff}")
            .format(bill_no=bill.bill_no, customer_no=bill.customer_no, name=bill.customer_name,
                    start=bill.period_from.isoformat() if bill.period_from else "",
                    end=bill.period_to.isoformat() if bill.period_to else "", kwh=bill.kwh, tariff=bill.tariff_name),
            lines=bill.lines, total_fen=bill.amount_fen)
        self.paid_label.setText(self.paid_text(bill))
        self.notice.set_bill(bill)
        self.lines_shown.emit(bill)

    def paid_text(self, bill: BillLines) -> str:
        """Paid in full, or how much of the bill is still owed; and what the prepayment paid at release. A bill
        reversed by a 退补 owes nothing: it says which bill replaced it."""
        if bill.corrected_by_bill_no is not None:
            return self.tr("Reversed by a refund/back-charge (退补): bill {new} replaces it.").format(
                new=bill.corrected_by_bill_no)
        if bill.principal_open_fen <= 0:
            text = self.tr("Paid in full.")
        else:
            text = self.tr("Still owed: ¥{open} of ¥{amount}.").format(
                open=format_fen(bill.principal_open_fen), amount=format_fen(bill.amount_fen))
        if bill.prepayment_applied_fen:
            text += " " + self.tr("The prepayment paid ¥{applied} of it when the bill was released.").format(
                applied=format_fen(bill.prepayment_applied_fen))
        if bill.corrects_bill_no is not None:
            text += " " + self.tr("It replaces bill {old} by a refund/back-charge (退补): {reason}").format(
                old=bill.corrects_bill_no, reason=bill.correction_reason or "")
        return text

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, RpcError) and exc.code in SESSION_LOST_CODES:
            self.reject()
            self._ctx.report_error(self.parentWidget(), exc)
            return
        self.lines.show_message(error_text(exc), alert=True)
