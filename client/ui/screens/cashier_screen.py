"""The cashier desk (收费台): find the customer, see the 360 view, take the payment, print the receipt;
reprint (补打) and void (冲正). Keyboard first:

====================  ==============================================
F2                    search box (scan a bill barcode or type)
F9 / Ctrl+Enter       confirm the payment
Esc                   cancel the entry (back to the amount due)
F7                    reprint a receipt
F8                    void a payment (supervisor co-signs)
F5                    reload the customer
F10                   card sale 购电 for a prepaid-card customer (the card-sale screen)
====================  ==============================================

Every call runs in an ``Op``; the receipt prints on the printer's own thread. Confirming writes the
payment to the counter's outbox (key and receipt number minted there, once); the sync worker sends it,
and resends it with the same key until the server answers, so it can never be taken twice. Without an
answer within a few seconds the payment is accepted offline (离线受理 on the receipt).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from client.core.actions import ActionSlot
from client.core.cashier import PaymentOutcome, take_payment
from client.core.customer_cache.views import CachedOverview, cache_age_days
from client.core.outbox.store import OutboxError, OutboxFullError
from client.core.receipts import to_document
from client.core.rpc_client import SESSION_LOST_CODES, RpcError, make_request
from client.core.shift_state import ShiftState
from client.core.shift_view import current_shift
from client.core.sync import LinkState, online_or_cached
from client.ui.context import UiContext
from client.ui.errors import error_text
from client.ui.ops import Op, is_running
from client.ui.screens.bill_lines_dialog import BillLinesDialog
from client.ui.screens.card_dialogs import CardHistoryDialog
from client.ui.screens.cashier_dialogs import ReprintDialog, VoidDialog
from client.ui.screens.cashier_overview import OverviewPanel
from client.ui.screens.cashier_payment import PaymentPanel
from client.ui.screens.cashier_printing import ReceiptPrintBar
from client.ui.widgets.customer_search import CustomerSearchWidget
from shared_models.errors import ErrorCode
from shared_models.methods.customers import OVERVIEW, CustomerOverview, GetCustomerRequest
from shared_models.methods.payments import QUOTE, PaymentReceipt, Quote, QuoteRequest, VoidResult
from shared_models.methods.shifts import CurrentShift
from shared_models.money import format_fen
from shared_models.rules.hall_time import hall_now, in_hall_time
from shared_models.rules.receipts import ReceiptHeader

log = logging.getLogger(__name__)

_STYLES = {"ok": "color: #1b5e20; font-size: 13pt; font-weight: bold;",
           "error": "color: #b00020; font-weight: bold;", "info": ""}


class CashierScreen(QWidget):
    """Search, 360 view and payment on one screen (Perm.COLLECT)."""

    overview_shown = Signal(str)  # customer_no
    payment_done = Signal(str)  # receipt_no
    receipt_printed = Signal(str)  # receipt_no
    print_failed = Signal(str)  # printer fault code
    payment_voided = Signal(str)  # receipt_no
    shift_screen_requested = Signal()
    card_sale_requested = Signal(str)  # customer_no: the card-sale screen for this prepaid-card customer

    def __init__(self, *, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cashierScreen")
        self._ctx = ctx
        #: The customer on screen came from the cache (the link was down).
        self.served_offline = False
        self.last_receipt: PaymentReceipt | None = None
        #: The reprint or void dialog opened last (deleted when closed).
        self.dialog: ReprintDialog | VoidDialog | BillLinesDialog | CardHistoryDialog | None = None
        # The reprint and the void waiting for an answer: kept across the dialogs (one key per action).
        self.reprint_action = ActionSlot()
        self.void_action = ActionSlot()

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
        self.overview.bill_lines_requested.connect(self.open_bill_lines)
        self.overview.card_sale_requested.connect(self.card_sale_requested)
        self.overview.card_history_requested.connect(self.open_card_history)
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
            (["F5"], self.reload_customer), (["F10"], self.overview.card_sale_button.click),
        ):
            for key in keys:
                QShortcut(QKeySequence(key), self, slot, context=Qt.ShortcutContext.WindowShortcut)
        self._unsubscribe = ctx.shift.subscribe(self._on_shift_changed)
        self.destroyed.connect(lambda *_: self._unsubscribe())
        self._on_shift_changed(ctx.shift)

    def _layout(self) -> None:
        # Neither side can be dragged away: each keeps the width its payment columns need (docs/cashier-desk.md).
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
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
        rows.setChildrenCollapsible(False)
        rows.addWidget(self.search)
        rows.addWidget(splitter)
        rows.setStretchFactor(0, 1)
        rows.setStretchFactor(1, 4)
        rows.setSizes([150, 600])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
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
        """Ask for the open shift and the next receipt sequence (the server, or with the link down the outbox)."""
        ctx, state = self._ctx, self._ctx.shift
        signed_in = ctx.session.state
        username = signed_in.user.username if signed_in is not None else ""
        counter = signed_in.counter.code if signed_in is not None else ""

        def work() -> tuple[CurrentShift, bool]:
            return current_shift(rpc=ctx.rpc, outbox=ctx.outbox, sync=ctx.sync, username=username, counter_code=counter)

        Op(parent=self, run=work, key="shift") \
            .on_success(lambda answer: state.update(answer[0], offline=answer[1])) \
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
        it is (in the search box, ready for the next customer). With the link down the view comes from
        the hall's customer cache, with the time its figures are from."""
        if not keep_message:
            self._say("")
        focus_amount = not keep_message
        rpc, cache, link = self._ctx.rpc, self._ctx.cache, self._link()

        def work() -> tuple[CustomerOverview, CachedOverview | None]:
            def online() -> CachedOverview:
                overview = rpc.call(OVERVIEW, make_request(GetCustomerRequest, customer_no=customer_no))
                return CachedOverview(overview=overview, as_of=None, local_changes=False)

            got, from_cache = online_or_cached(
                online, (lambda: cache.overview(customer_no)) if cache is not None else None, link=link)
            return got.overview, got if from_cache else None

        Op(parent=self, run=work, key="overview") \
            .on_success(lambda got: self._show_overview(got[0], focus_amount=focus_amount, cached=got[1],
                                                        keep_message=keep_message)) \
            .on_failure(lambda exc: self._on_failed(exc, after=lambda: self._show_overview(None))) \
            .start()

    def _link(self) -> LinkState:
        sync = self._ctx.sync
        return sync.link if sync is not None else LinkState.UNKNOWN

    def reload_customer(self) -> None:
        """F5: fetch the customer on screen again (late fees, bills paid elsewhere)."""
        if self.payment.customer is not None:
            self.open_customer(self.payment.customer.profile.customer_no)

    def _show_overview(self, overview: CustomerOverview | None, *, focus_amount: bool = False,
                       cached: CachedOverview | None = None, keep_message: bool = True) -> None:
        self.overview.show_overview(overview)
        self.payment.set_customer(overview)
        self.served_offline = cached is not None
        if overview is None:
            return
        problem = self.payment.payable_problem()
        if problem is not None and self.payment.customer is not None and not self.message_label.text():
            self._say(problem, "error")
        elif cached is not None and not keep_message:
            self._say(self._offline_note(cached), "error")
        if cached is not None:
            self.overview.show_cache_age(days=cache_age_days(cached.as_of, hall_now()), synced_at=_synced_at(cached))
        self.overview_shown.emit(overview.profile.customer_no)
        if focus_amount:
            self.payment.amount_edit.setFocus()
            self.payment.amount_edit.selectAll()

    def _offline_note(self, cached: CachedOverview) -> str:
        """The offline message: the sync time, and how many days old the data is once it is a day or more
        (late fees are still today's: the counter computes them)."""
        days = cache_age_days(cached.as_of, hall_now())
        if days is not None and days >= 1:
            return self.tr("Offline: the customer data is %n day(s) old (last sync {when}); late fees are computed "
                           "to today. A payment is accepted offline.", "", days).format(when=_synced_at(cached))
        return self.tr("Offline: the customer's figures are those of the last sync ({when}); a payment "
                       "is accepted offline.").format(when=_synced_at(cached))

    def _fetch_quote(self, amount_fen: int) -> None:
        customer = self.payment.customer
        if customer is None:
            return
        rpc, customer_no = self._ctx.rpc, customer.profile.customer_no

        cache, link = self._ctx.cache, self._link()

        def work() -> Quote:
            def online() -> Quote:
                return rpc.call(QUOTE, make_request(QuoteRequest, customer_no=customer_no, amount_fen=amount_fen))

            quote, _ = online_or_cached(
                online, (lambda: cache.quote(customer_no, amount_fen)) if cache is not None else None, link=link)
            return quote

        if not Op(parent=self, run=work, key="quote").on_success(self.payment.show_quote) \
                .on_failure(self._on_failed).start():
            # one quote at a time: when it lands, the panel asks again if the amount moved on meanwhile
            log.debug("quote for %d fen deferred", amount_fen)

    # --- payment -------------------------------------------------------------------------------------

    def _cannot_take_money(self) -> str | None:
        """Why this counter takes no money at all right now (outbox missing or damaged), or None."""
        if self._ctx.outbox is None or self._ctx.sync is None:
            return self.tr("Payments cannot be taken on this counter: its local queue cannot be written. "
                           "Call the operations engineer.")
        if self._ctx.outbox_damage.closed:
            return self.tr("The local queue file was damaged and has been set aside untouched. A supervisor "
                           "must acknowledge it on the Outbox screen before money can be taken.")
        return None

    def confirm(self) -> None:
        """F9: take the payment on screen (once: a second confirm while it runs is ignored).

        The request goes to the outbox first (one durable local transaction with its key and receipt
        number); the server's answer is awaited a few seconds, after which the payment is accepted
        offline and the receipt says so (SPEC §5)."""
        if is_running(self, "pay"):
            return
        panel, state = self.payment, self._ctx.session.state
        problem = self._cannot_take_money() or panel.payable_problem() or panel.entry_problem()
        if problem is None and not panel.quote_is_current():
            problem = self.tr("The allocation is being updated; confirm again in a moment.")
        shift = self._ctx.shift.shift
        if problem is None and (state is None or shift is None):
            problem = self.tr("Payments cannot be taken on this counter.")
        if problem is not None:
            self._say(problem, "error")
            return
        plan, quote, customer = panel.plan(), panel.quote, panel.customer
        outbox, sync = self._ctx.outbox, self._ctx.sync
        if plan is None or quote is None or customer is None or state is None or shift is None \
                or outbox is None or sync is None:  # pragma: no cover - the checks above rule these out
            return
        header = ReceiptHeader(hall_name=state.counter.hall_name, counter_code=state.counter.code,
                               cashier_name=state.user.display_name, shift_no=shift.shift_no,
                               address=customer.profile.address)
        username, floor, wait_s = state.user.username, self._ctx.shift.next_receipt_seq, self._ctx.payment_wait_s
        tenders, local_time = list(plan.tenders), hall_now()

        cache = self._ctx.cache

        def work() -> PaymentOutcome:
            outcome = take_payment(outbox=outbox, sync=sync, username=username, header=header,
                                   server_next_seq=floor, quote=quote, tenders=tenders, local_time=local_time,
                                   wait_s=wait_s)
            if outcome.offline and outcome.receipt is not None and cache is not None:
                try:  # the next quote for this customer must not ask for the same bills again
                    cache.apply_local_payment(quote.customer_no, quote)
                except RpcError as exc:  # not cached (never synced): the server sorts it out on replay
                    log.warning("offline payment %s not booked into the cache: %s", outcome.receipt.receipt_no,
                                exc.code.value)
            return outcome

        self._say(self.tr("Taking the payment…"))
        panel.lock_entry()
        Op(parent=self, run=work, busy=[panel.confirm_button], key="pay") \
            .on_success(self._on_outcome) \
            .on_failure(self._on_pay_failed) \
            .start()

    def _on_outcome(self, outcome: PaymentOutcome) -> None:
        self.payment.unlock_entry()
        if outcome.refused is not None or outcome.receipt is None:
            self._on_pay_failed(outcome.refused or RpcError(ErrorCode.INTERNAL_ERROR))
            return
        receipt = outcome.receipt
        self.last_receipt = receipt
        if outcome.offline:
            text = self.tr("Accepted offline: ¥{paid}, receipt {receipt_no}. Change ¥{change}. It will be sent "
                           "to the center when the link returns.") if receipt.change_fen > 0 else self.tr(
                "Accepted offline: ¥{paid}, receipt {receipt_no}. It will be sent to the center when the link "
                "returns.")
        elif receipt.change_fen > 0:
            text = self.tr("Paid ¥{paid} — receipt {receipt_no}. Change ¥{change}.")
        else:
            text = self.tr("Paid ¥{paid} — receipt {receipt_no}.")
        self._say(text.format(paid=format_fen(receipt.paid_fen), receipt_no=receipt.receipt_no,
                              change=format_fen(receipt.change_fen)), "ok")
        self.payment.set_customer(None)  # no second payment on the old figures until the view is reloaded
        self.payment_done.emit(receipt.receipt_no)
        self.printing.print_receipt(to_document(receipt))
        # online: the server's figures; offline: the cache's, which took the payment in the worker
        self.open_customer(receipt.customer_no, keep_message=True)
        self.focus_search()  # the next customer's bill can be scanned straight away

    def _on_pay_failed(self, exc: BaseException) -> None:
        self.payment.unlock_entry()
        if isinstance(exc, OutboxFullError):
            self._say(self.tr("The disk of this counter is full: the payment was NOT taken and no receipt was "
                              "printed. Hand the money back and call the operations engineer."), "error")
            return
        if isinstance(exc, OutboxError):
            self._say(self.tr("The local queue cannot be written: the payment was NOT taken and no receipt was "
                              "printed. Call the operations engineer."), "error")
            return
        self._on_failed(exc)
        if isinstance(exc, RpcError) and exc.code is ErrorCode.DUE_CHANGED and self.payment.customer is not None:
            self.open_customer(self.payment.customer.profile.customer_no, keep_message=True)

    def cancel(self) -> None:
        """Esc: drop the entry and start again from the amount due."""
        if is_running(self, "pay"):
            return
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
        dialog = ReprintDialog(ctx=self._ctx, receipt_no=self._default_receipt_no(), parent=self,
                               slot=self.reprint_action)
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
        dialog = VoidDialog(ctx=self._ctx, receipt_no=self._default_receipt_no(), parent=self,
                            slot=self.void_action)
        dialog.payment_voided.connect(self._on_voided)
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_bill_lines(self, bill_no: str) -> BillLinesDialog:
        """The lines of an open bill (not available offline: the cache has none)."""
        offline = self.served_offline or self._link() is LinkState.DOWN
        dialog = BillLinesDialog(ctx=self._ctx, bill_no=bill_no, offline=offline, parent=self)
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_card_history(self, customer_no: str) -> CardHistoryDialog:
        """The card history of a prepaid-card customer (``card.get_history``; needs the link)."""
        dialog = CardHistoryDialog(ctx=self._ctx, customer_no=customer_no, parent=self)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _on_voided(self, result: VoidResult) -> None:
        self._say(self.tr("Receipt {receipt_no} voided: ¥{amount} reversed, co-signed by {cosigner}.").format(
            receipt_no=result.receipt_no, amount=format_fen(result.amount_fen), cosigner=result.cosigned_by), "ok")
        self.payment_voided.emit(result.receipt_no)
        if self.payment.customer is not None:
            self.open_customer(self.payment.customer.profile.customer_no, keep_message=True)


def _synced_at(cached: CachedOverview) -> str:
    """When the cache last completed a refresh, in hall time ("—": never)."""
    return in_hall_time(cached.as_of).strftime("%Y-%m-%d %H:%M") if cached.as_of else "—"
