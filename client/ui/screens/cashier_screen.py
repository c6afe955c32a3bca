"""The cashier desk (收费台): find the customer, see the 360 view, take the payment, print the receipt;
reprint (补打) and void (冲正). Keyboard first:

====================  ==============================================
F2                    search box (scan a bill barcode or type)
F9 / Ctrl+Enter       confirm the payment
Esc                   cancel the entry (back to the amount due)
F7                    reprint a receipt
F8                    void a payment (supervisor co-signs)
F5                    reload the customer
====================  ==============================================

Every call runs in an ``Op``; the receipt prints on the printer's own thread. Confirming mints the
idempotency key and spends a receipt number once; a payment whose outcome is unknown (the network
dropped the answer) is resent exactly as it was, key and number included, so it can never be taken twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from client.core.receipts import hall_now, to_document
from client.core.rpc_client import SESSION_LOST_CODES, RpcError, make_request
from client.core.shift_state import ShiftState
from client.ui.context import UiContext
from client.ui.errors import error_text
from client.ui.ops import Op, is_running
from client.ui.screens.cashier_dialogs import ReprintDialog, VoidDialog
from client.ui.screens.cashier_overview import OverviewPanel
from client.ui.screens.cashier_payment import PaymentPanel
from client.ui.screens.cashier_printing import ReceiptPrintBar
from client.ui.widgets.customer_search import CustomerSearchWidget
from shared_models.errors import ErrorCode
from shared_models.ids import IdempotencyKey, new_idempotency_key
from shared_models.methods.customers import OVERVIEW, CustomerOverview, GetCustomerRequest
from shared_models.methods.payments import PAY, QUOTE, PaymentReceipt, PayRequest, Quote, QuoteRequest, VoidResult
from shared_models.methods.shifts import GET_CURRENT
from shared_models.money import format_fen
from shared_models.rpc import Empty

log = logging.getLogger(__name__)

#: Failures after which the payment may or may not have been booked: resend it unchanged (same key).
_UNKNOWN_OUTCOME = frozenset({ErrorCode.NETWORK_TIMEOUT, ErrorCode.NETWORK_UNREACHABLE, ErrorCode.BAD_RESPONSE,
                              ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.INTERNAL_ERROR})
_STYLES = {"ok": "color: #1b5e20; font-size: 13pt; font-weight: bold;",
           "error": "color: #b00020; font-weight: bold;", "info": ""}


@dataclass
class _Attempt:
    """One confirmation: its key, and the receipt number once the worker has spent one."""

    key: IdempotencyKey
    customer_no: str
    fields: dict[str, Any]
    receipt_no: str | None = field(default=None)


class CashierScreen(QWidget):
    """Search, 360 view and payment on one screen (Perm.COLLECT)."""

    overview_shown = Signal(str)  # customer_no
    payment_done = Signal(str)  # receipt_no
    receipt_printed = Signal(str)  # receipt_no
    print_failed = Signal(str)  # printer fault code
    payment_voided = Signal(str)  # receipt_no
    shift_screen_requested = Signal()

    def __init__(self, *, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cashierScreen")
        self._ctx = ctx
        self._pending: _Attempt | None = None
        self.last_receipt: PaymentReceipt | None = None
        #: The reprint or void dialog opened last (deleted when closed).
        self.dialog: ReprintDialog | VoidDialog | None = None

        self.search = CustomerSearchWidget(ctx=ctx)
        self.overview = OverviewPanel()
        self.payment = PaymentPanel()
        self.message_label = QLabel()
        self.message_label.setObjectName("deskMessageLabel")
        self.message_label.setWordWrap(True)
        self.printing = ReceiptPrintBar(printer=ctx.printer)
        self.print_label, self.retry_button = self.printing.label, self.printing.retry_button
        self.reprint_button = QPushButton(self.tr("Reprint receipt (F7)"))
        self.reprint_button.setObjectName("reprintReceipt")
        self.void_button = QPushButton(self.tr("Void payment (F8)"))
        self.void_button.setObjectName("voidPayment")

        self._layout()

        self.search.customerChosen.connect(self.open_customer)
        self.payment.quote_wanted.connect(self._fetch_quote)
        self.payment.confirm_button.clicked.connect(self.confirm)
        self.payment.cancel_button.clicked.connect(self.cancel)
        self.payment.shift_screen_requested.connect(self.shift_screen_requested)
        self.printing.printed.connect(self.receipt_printed)
        self.printing.failed.connect(self.print_failed)
        self.reprint_button.clicked.connect(self.open_reprint)
        self.void_button.clicked.connect(self.open_void)
        for keys, slot in (
            (["F2"], self.focus_search), (["F9", "Ctrl+Return", "Ctrl+Enter"], self.confirm),
            (["Esc"], self.cancel), (["F7"], self.open_reprint), (["F8"], self.open_void),
            (["F5"], self.reload_customer),
        ):
            for key in keys:
                QShortcut(QKeySequence(key), self, slot, context=Qt.ShortcutContext.WindowShortcut)
        self._unsubscribe = ctx.shift.subscribe(self._on_shift_changed)
        self.destroyed.connect(lambda *_: self._unsubscribe())
        self._on_shift_changed(ctx.shift)

    def _layout(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.overview)
        splitter.addWidget(self.payment)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        printing = QHBoxLayout()
        printing.addWidget(self.printing, 1)
        printing.addWidget(self.reprint_button)
        printing.addWidget(self.void_button)
        # The search results above, the customer below; the cashier can drag the split.
        rows = QSplitter(Qt.Orientation.Vertical)
        rows.addWidget(self.search)
        rows.addWidget(splitter)
        rows.setStretchFactor(0, 1)
        rows.setStretchFactor(1, 4)
        rows.setSizes([150, 600])
        layout = QVBoxLayout(self)
        layout.addWidget(rows, 1)
        layout.addWidget(self.message_label)
        layout.addLayout(printing)

    # --- screen life ---------------------------------------------------------------------------------

    def activate(self) -> None:
        """The screen became visible: cursor in the search box, the shift asked for."""
        self.focus_search()
        self.refresh_shift()

    def focus_search(self) -> None:
        """F2: put the cursor in the search box."""
        self.search.activate()

    def refresh_shift(self) -> None:
        """Ask the server for the open shift and the next receipt sequence."""
        rpc, state = self._ctx.rpc, self._ctx.shift
        Op(parent=self, run=lambda: rpc.call(GET_CURRENT, Empty()), key="shift") \
            .on_success(state.update) \
            .on_failure(self._on_failed) \
            .start()

    def _on_shift_changed(self, state: ShiftState) -> None:
        if not shiboken6.isValid(self):
            return
        self.payment.set_shift(open_shift_no=state.shift.shift_no if state.is_open and state.shift else None)

    def _say(self, text: str, kind: str = "info") -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(_STYLES[kind])

    def _on_failed(self, exc: BaseException, *, after: Callable[[], None] | None = None) -> None:
        """Show a failure on the desk; a lost session goes back to the login window."""
        if isinstance(exc, RpcError) and exc.code in SESSION_LOST_CODES:
            self._ctx.report_error(self, exc)
            return
        if isinstance(exc, RpcError) and exc.code is ErrorCode.NO_OPEN_SHIFT:
            self._ctx.shift.closed()
        self._say(error_text(exc), "error")
        if after is not None:
            after()

    # --- customer ------------------------------------------------------------------------------------

    def open_customer(self, customer_no: str, *, keep_message: bool = False) -> None:
        """Show the 360 view of ``customer_no`` and prepare the payment of what is due today.

        ``keep_message``: a reload after a payment or void; the message stays and the cursor stays where
        it is (in the search box, ready for the next customer)."""
        if not keep_message:
            self._say("")
        focus_amount = not keep_message
        rpc = self._ctx.rpc

        def work() -> CustomerOverview:
            return rpc.call(OVERVIEW, make_request(GetCustomerRequest, customer_no=customer_no))

        Op(parent=self, run=work, key="overview") \
            .on_success(lambda overview: self._show_overview(overview, focus_amount=focus_amount)) \
            .on_failure(lambda exc: self._on_failed(exc, after=lambda: self._show_overview(None))) \
            .start()

    def reload_customer(self) -> None:
        """F5: fetch the customer on screen again (late fees, bills paid elsewhere)."""
        if self.payment.customer is not None:
            self.open_customer(self.payment.customer.profile.customer_no)

    def _show_overview(self, overview: CustomerOverview | None, *, focus_amount: bool = False) -> None:
        pending = self._pending
        if pending is not None and (overview is None or overview.profile.customer_no != pending.customer_no):
            log.warning("payment %s of unknown outcome abandoned: another customer was opened",
                        pending.receipt_no)
            self._pending = None
        self.overview.show_overview(overview)
        self.payment.set_customer(overview)
        if overview is None:
            return
        problem = self.payment.payable_problem()
        if problem is not None and self.payment.customer is not None and not self.message_label.text():
            self._say(problem, "error")
        self.overview_shown.emit(overview.profile.customer_no)
        if focus_amount:
            self.payment.amount_edit.setFocus()
            self.payment.amount_edit.selectAll()

    def _fetch_quote(self, amount_fen: int) -> None:
        customer = self.payment.customer
        if customer is None:
            return
        rpc, customer_no = self._ctx.rpc, customer.profile.customer_no

        def work() -> Quote:
            return rpc.call(QUOTE, make_request(QuoteRequest, customer_no=customer_no, amount_fen=amount_fen))

        if not Op(parent=self, run=work, key="quote").on_success(self.payment.show_quote) \
                .on_failure(self._on_failed).start():
            # one quote at a time: when it lands, the panel asks again if the amount moved on meanwhile
            log.debug("quote for %d fen deferred", amount_fen)

    # --- payment -------------------------------------------------------------------------------------

    def confirm(self) -> None:
        """F9: take the payment on screen (once: a second confirm while it runs is ignored)."""
        if is_running(self, "pay"):
            return
        panel, state, book = self.payment, self._ctx.session.state, self._ctx.receipt_book
        problem = panel.payable_problem() or (None if panel.locked else panel.entry_problem())
        if problem is None and not (panel.locked or panel.quote_is_current()):
            problem = self.tr("The allocation is being updated; confirm again in a moment.")
        if problem is not None or state is None or book is None:
            self._say(problem or self.tr("Payments cannot be taken on this counter."), "error")
            return
        attempt = self._pending if panel.locked else None
        if attempt is None:
            plan, quote = panel.plan(), panel.quote
            assert plan is not None
            assert quote is not None
            assert panel.customer is not None
            attempt = _Attempt(key=new_idempotency_key(), customer_no=panel.customer.profile.customer_no, fields={
                "customer_no": panel.customer.profile.customer_no, "tenders": list(plan.tenders),
                "quoted_due_fen": quote.due_fen, "local_time": hall_now()})
        rpc, counter, floor = self._ctx.rpc, state.counter.code, self._ctx.shift.next_receipt_seq

        def work() -> PaymentReceipt:
            if attempt.receipt_no is None:  # spent now, even if the call then fails: never handed out twice
                attempt.receipt_no = book.take(counter_code=counter, server_next_seq=floor)
            req = make_request(PayRequest, receipt_no=attempt.receipt_no, **attempt.fields)
            return rpc.call(PAY, req, idempotency_key=attempt.key)

        self._say(self.tr("Taking the payment…"))
        Op(parent=self, run=work, busy=[panel.confirm_button], key="pay") \
            .on_success(self._on_paid) \
            .on_failure(lambda exc: self._on_pay_failed(exc, attempt)) \
            .start()

    def _on_paid(self, receipt: PaymentReceipt) -> None:
        self._pending = None
        self.last_receipt = receipt
        if receipt.change_fen > 0:
            text = self.tr("Paid ¥{paid} — receipt {receipt_no}. Change ¥{change}.")
        else:
            text = self.tr("Paid ¥{paid} — receipt {receipt_no}.")
        self._say(text.format(paid=format_fen(receipt.paid_fen), receipt_no=receipt.receipt_no,
                              change=format_fen(receipt.change_fen)), "ok")
        self.payment.set_customer(None)  # no second payment on the old figures until the view is reloaded
        self.payment_done.emit(receipt.receipt_no)
        self.printing.print_receipt(to_document(receipt))
        self.open_customer(receipt.customer_no, keep_message=True)
        self.focus_search()  # the next customer's bill can be scanned straight away

    def _on_pay_failed(self, exc: BaseException, attempt: _Attempt) -> None:
        if isinstance(exc, RpcError) and exc.code in _UNKNOWN_OUTCOME and attempt.receipt_no is not None:
            self._pending = attempt
            self.payment.lock_entry()
            self._say(error_text(exc) + " " + self.tr(
                "The payment may have been recorded: press F9 to send exactly the same payment again (receipt "
                "{receipt_no}); it will not be taken twice. Esc abandons it.").format(receipt_no=attempt.receipt_no),
                "error")
            return
        self._pending = None
        self._on_failed(exc)
        if isinstance(exc, RpcError) and exc.code is ErrorCode.DUE_CHANGED and self.payment.customer is not None:
            self.open_customer(self.payment.customer.profile.customer_no, keep_message=True)

    def cancel(self) -> None:
        """Esc: drop the entry (and a payment waiting to be resent) and start again from the amount due."""
        if is_running(self, "pay"):
            return
        if self._pending is not None:
            log.warning("payment %s of unknown outcome abandoned by the cashier", self._pending.receipt_no)
            self._pending = None
        self.payment.reset_entry()
        self._say("")
        self.payment.amount_edit.setFocus()

    # --- receipts ------------------------------------------------------------------------------------

    def _default_receipt_no(self) -> str:
        selected = self.overview.selected_receipt_no()
        if selected:
            return selected
        return self.last_receipt.receipt_no if self.last_receipt is not None else ""

    def open_reprint(self) -> ReprintDialog:
        """F7: reprint a receipt by number (the selected recent payment, or the last one taken)."""
        dialog = ReprintDialog(ctx=self._ctx, receipt_no=self._default_receipt_no(), parent=self)
        dialog.reprint_ready.connect(self._on_reprint_ready)
        self.dialog = dialog
        dialog.open()  # window-modal: the desk's keys wait until it closes
        return dialog

    def _on_reprint_ready(self, receipt: PaymentReceipt) -> None:
        self._say(self.tr("Reprint {count} of receipt {receipt_no}.").format(
            count=receipt.reprint_count, receipt_no=receipt.receipt_no))
        self.printing.print_receipt(to_document(receipt), reprint_count=max(1, receipt.reprint_count))

    def open_void(self) -> VoidDialog:
        """F8: void a payment of the open shift, co-signed by a supervisor on the same dialog."""
        dialog = VoidDialog(ctx=self._ctx, receipt_no=self._default_receipt_no(), parent=self)
        dialog.payment_voided.connect(self._on_voided)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _on_voided(self, result: VoidResult) -> None:
        self._say(self.tr("Receipt {receipt_no} voided: ¥{amount} reversed, co-signed by {cosigner}.").format(
            receipt_no=result.receipt_no, amount=format_fen(result.amount_fen), cosigner=result.cosigned_by), "ok")
        self.payment_voided.emit(result.receipt_no)
        if self.payment.customer is not None:
            self.open_customer(self.payment.customer.profile.customer_no, keep_message=True)
