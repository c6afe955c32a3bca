"""The card-sale screen 购电 (SPEC C8 §6.2): read the customer's card, sell onto it in mixed tender, write, verify
and confirm; rewrite 补写卡, opening 开户, replacement 补卡 and reversal 冲正. Keyboard first:

====================  ==============================================
F2                    account number (a blank card has no customer)
F3                    读卡 read the card
F9 / Ctrl+Enter       售电 sell (开户 / 补卡 in those modes)
F6                    补写卡 rewrite the purchase waiting for its write
F8                    冲正 reverse it (a supervisor co-signs)
F7                    the customer's card history
Esc                   cancel the entry
====================  ==============================================

Every step runs in an ``Op`` through :class:`client.core.card_flow.CardFlow` (the card on the reader's device
thread, the server through the RPC client) and reports its progress here; the receipt prints on the printer's
thread. The money step is keyed once when the cashier confirms (:class:`~client.core.card_flow.CardTicket`): a
retry after no answer resends the same sale. A card sale needs the link: with it down the screen says so and
offers nothing that takes money.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.core.actions import ActionSlot
from client.core.card_flow import (
    CardAccess,
    CardFailed,
    CardFlow,
    CardTicket,
    Done,
    NoAnswer,
    NotWritten,
    Read,
    ReaderAccess,
    Refused,
    Reversed,
    Step,
    WriteTarget,
    WrittenNotConfirmed,
    mint_ticket,
)
from client.core.receipts import to_document
from client.core.rpc_client import SESSION_LOST_CODES, Cosign, RpcError
from client.core.shift_state import ShiftState
from client.core.sync import LinkState
from client.ui.context import UiContext
from client.ui.errors import error_text
from client.ui.gui_thread import call_on_gui
from client.ui.messages import error_message
from client.ui.ops import Op, is_running
from client.ui.screens.card_dialogs import CardHistoryDialog, CardReverseDialog
from client.ui.screens.card_sale_form import CardSaleForm, SaleMode
from client.ui.screens.card_sale_words import (
    done_text,
    no_answer_text,
    not_confirmed_text,
    not_written_outcome_text,
    offline_text,
    problem_text,
    refusal_text,
    reverse_problem_text,
    step_text,
)
from client.ui.screens.cashier_printing import ReceiptPrintBar
from client.ui.widgets.card_view_panel import CardViewPanel
from client.ui.widgets.labels import wrapped_label
from shared_models.errors import ErrorCode
from shared_models.ids import is_customer_no
from shared_models.methods.cards import CardStanding, CardView
from shared_models.methods.payments import PaymentReceipt
from shared_models.money import format_fen
from shared_models.rules.hall_time import hall_now

log = logging.getLogger(__name__)

_STYLES = {"ok": "color: #1b5e20; font-size: 13pt; font-weight: bold;",
           "error": "color: #b00020; font-weight: bold;", "warn": "color: #8a5a00; font-weight: bold;", "info": ""}

#: Everything a flow can end with, as the screen receives it.
Outcome = object


class CardSaleScreen(QWidget):
    """Card, terms and tender entry on one screen (Perm.COLLECT)."""

    card_shown = Signal(object)  # the CardView read
    outcome_shown = Signal(object)  # a flow's outcome, once on screen
    sale_done = Signal(str)  # receipt_no
    receipt_printed = Signal(str)  # receipt_no

    def __init__(self, *, ctx: UiContext, access: CardAccess | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardSaleScreen")
        self._ctx = ctx
        # the counter's own reader (its device thread) unless a caller hands another way to the card
        self._access = access if access is not None else (
            ReaderAccess(ctx.card_reader) if ctx.card_reader is not None else None)
        self.read: Read | None = None
        self.last_outcome: Outcome | None = None
        self.last_receipt: PaymentReceipt | None = None
        #: A purchase this screen knows is paid and not on the card (补写卡 offered).
        self.rewrite_target: WriteTarget | None = None
        self.dialog: CardReverseDialog | CardHistoryDialog | None = None
        # The confirmed money step: its ticket is kept until a definite answer, so a retry is the same sale.
        self._sale_slot = ActionSlot()
        self._reverse_slot = ActionSlot()
        self._tickets: dict[str, CardTicket] = {}
        self._offline = False

        self.customer_edit = QLineEdit()
        self.customer_edit.setObjectName("cardCustomerNoEdit")
        self.customer_edit.setMaxLength(13)  # a 户号: 10 digits, or 13 with the province prefix
        self.customer_edit.setPlaceholderText(self.tr("from the card; type it for a blank card"))
        self.offline_label = wrapped_label("cardOfflineLabel")
        self.offline_label.setStyleSheet(_STYLES["error"])
        self.view_panel = CardViewPanel()
        self.form = CardSaleForm()
        self.tenders = self.form.tenders
        self.sell_button, self.rewrite_button = self.form.sell_button, self.form.rewrite_button
        self.reverse_button = self.form.reverse_button
        self.read_button = QPushButton(self.tr("Read card 读卡 (F3)"))
        self.read_button.setObjectName("cardReadButton")
        self.history_button = QPushButton(self.tr("Card history (F7)"))
        self.history_button.setObjectName("cardHistoryButton")
        self.message_label = wrapped_label("cardMessageLabel")
        self.printing = ReceiptPrintBar(printer=ctx.printer)
        self._layout()

        self.read_button.clicked.connect(self.read_card)
        self.sell_button.clicked.connect(self.confirm)
        self.rewrite_button.clicked.connect(self.rewrite)
        self.reverse_button.clicked.connect(self.open_reverse)
        self.history_button.clicked.connect(self.open_history)
        self.form.mode_combo.currentIndexChanged.connect(lambda _i: self._refresh())
        self.tenders.entry_changed.connect(self._refresh)
        self.form.reason_edit.textChanged.connect(lambda _t: self._refresh())
        self.printing.printed.connect(self.receipt_printed)
        for keys, slot in (
            (["F2"], self.focus_customer), (["F3"], self.read_card), (["F6"], self.rewrite),
            (["F9", "Ctrl+Return", "Ctrl+Enter"], self.confirm), (["F8"], self.open_reverse),
            (["F7"], self.open_history), (["Esc"], self.cancel),
        ):
            for key in keys:  # only while this screen is the one shown (hidden pages have none)
                QShortcut(QKeySequence(key), self, slot, context=Qt.ShortcutContext.WindowShortcut)
        self._unsubscribe_shift = ctx.shift.subscribe(self._on_shift_changed)
        sync = ctx.sync
        self._unsubscribe_sync = sync.subscribe(lambda status: call_on_gui(
            self._on_link, status.link, owner=self)) if sync is not None else (lambda: None)
        self.destroyed.connect(lambda *_: (self._unsubscribe_shift(), self._unsubscribe_sync()))
        self._refresh()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Account number")))
        top.addWidget(self.customer_edit)
        top.addWidget(self.read_button)
        top.addWidget(self.history_button)
        top.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.view_panel, 3)
        body.addWidget(self.form, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.offline_label)
        layout.addLayout(body, 1)
        layout.addWidget(self.message_label)
        layout.addWidget(self.printing)

    # --- screen life ---------------------------------------------------------------------------------

    def activate(self) -> None:
        """The screen became visible: the cursor where the next key press belongs."""
        self._on_link(self._link())
        if self.read is None:
            self.focus_customer()
        else:
            self.tenders.amount_edit.setFocus()

    def serve(self, customer_no: str) -> None:
        """Come from the 360 view with ``customer_no``: read the card in the reader for that customer."""
        self.customer_edit.setText(customer_no)
        self.read_card()

    def focus_customer(self) -> None:
        """F2: the account number field."""
        self.customer_edit.setFocus()
        self.customer_edit.selectAll()

    def set_access(self, access: CardAccess | None) -> None:
        """The card reader this screen uses (None: no reader configured on this counter)."""
        self._access = access
        self._refresh()

    def _link(self) -> LinkState:
        sync = self._ctx.sync
        if self._ctx.session.offline_verified:
            return LinkState.DOWN
        return sync.link if sync is not None else LinkState.UNKNOWN

    def _on_link(self, link: LinkState) -> None:
        if not shiboken6.isValid(self):
            return
        if link is not LinkState.UNKNOWN:
            self._set_offline(link is LinkState.DOWN)

    def _set_offline(self, offline: bool) -> None:
        self._offline = offline
        self.offline_label.setText(offline_text() if offline else "")
        self.offline_label.setVisible(offline)
        self._refresh()

    def _on_shift_changed(self, _state: ShiftState) -> None:
        if shiboken6.isValid(self):
            self._refresh()

    def _say(self, text: str, kind: str = "info") -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(_STYLES[kind])

    def mode(self) -> SaleMode:
        """The mode chosen."""
        return self.form.mode()

    # --- what may be done ----------------------------------------------------------------------------

    def _busy(self) -> bool:
        return is_running(self, "flow")

    def _customer_no(self) -> str:
        view = self.read.view if self.read is not None else None
        if view is not None and view.customer_no:
            return view.customer_no
        return self.customer_edit.text().strip()

    def money_problem(self) -> str | None:
        """Why the confirm key takes no money now (translated), or None."""
        return self._counter_problem() or self._card_problem() or self.tenders.entry_problem()

    def _counter_problem(self) -> str | None:
        """Why this counter sells nothing onto a card now, whatever the card."""
        problem: str | None = None
        if self._offline:
            problem = offline_text()
        elif self._access is None:
            problem = self.tr("No card reader is configured on this counter.")
        elif self._ctx.outbox is None or self._ctx.outbox_damage.closed:
            problem = self.tr("Payments cannot be taken on this counter: its local queue cannot be written. "
                              "Call the operations engineer.")
        elif not (self._ctx.shift.is_open and self._ctx.shift.shift is not None):
            problem = error_message(ErrorCode.NO_OPEN_SHIFT)
        return problem

    def _card_problem(self) -> str | None:
        """Why the card read allows nothing in the chosen mode."""
        view = self.read.view if self.read is not None else None
        mode = self.mode()
        problem: str | None = None
        if view is None:
            problem = self.tr("Read the card first (F3).")
        elif mode is SaleMode.SALE:
            if view.sale is None:
                problem = refusal_text(view.refusal) if view.refusal is not None else self.tr(
                    "No sale can be made onto this card.")
        elif view.standing is not CardStanding.BLANK:
            problem = error_message(ErrorCode.CARD_NOT_BLANK)
        elif not self._customer_no():
            problem = self.tr("Type the account number of the customer the blank card is for (F2).")
        elif mode is SaleMode.REPLACEMENT and len(self.form.reason()) < 2:
            problem = self.tr("Give the reason for the replacement card.")
        return problem

    def _rewritable(self) -> WriteTarget | None:
        if self.rewrite_target is not None:
            return self.rewrite_target
        view = self.read.view if self.read is not None else None
        if view is not None and view.pending is not None and not view.pending.on_card:
            return WriteTarget.of_pending(view.pending)
        return None

    def _refresh(self) -> None:
        self.form.show_mode()
        busy, online = self._busy(), not self._offline
        problem = self.money_problem()
        self.sell_button.setEnabled(not busy and problem is None)
        self.sell_button.setToolTip(problem or "")
        # offline: nothing that could take money, write a card or reverse one is offered (issue 14 point 8)
        self.tenders.blockSignals(True)  # set_locked re-checks the entry: no second refresh from it
        self.tenders.set_locked(busy or not online)
        self.tenders.blockSignals(False)
        self.rewrite_button.setEnabled(not busy and online and self._access is not None
                                       and self._rewritable() is not None)
        view = self.read.view if self.read is not None else None
        self.reverse_button.setEnabled(not busy and online and self._access is not None
                                       and view is not None and view.pending is not None)
        self.read_button.setEnabled(not busy and self._access is not None)
        self.history_button.setEnabled(online and bool(self._customer_no()))

    # --- the flow ------------------------------------------------------------------------------------

    def _flow(self) -> CardFlow:
        access = self._access
        if access is None:  # pragma: no cover - the buttons are disabled without a reader
            raise RpcError(ErrorCode.INTERNAL_ERROR)
        return CardFlow(self._ctx.rpc, access, on_step=lambda step: call_on_gui(self._on_step, step, owner=self))

    def _on_step(self, step: Step) -> None:
        self.form.show_step(step)

    def _run(self, work: Callable[[], Outcome], done: Callable[[Outcome], None], *, start: str) -> bool:
        """Run ``work`` off the GUI thread as the one flow of this screen; ``done`` gets its outcome."""
        self.form.start_progress(start)
        started = Op(parent=self, run=work, key="flow") \
            .on_success(lambda outcome: self._finished(outcome, done)) \
            .on_failure(self._failed) \
            .start()
        self._refresh()
        return started

    def _finished(self, outcome: Outcome, done: Callable[[Outcome], None]) -> None:
        self.last_outcome = outcome
        done(outcome)
        self._refresh()
        self.outcome_shown.emit(outcome)

    def _failed(self, exc: BaseException) -> None:
        """A failure the flow did not type (a local queue that cannot be written, a bug): said, nothing more."""
        self._refresh()
        if isinstance(exc, RpcError) and exc.code in SESSION_LOST_CODES:
            self._ctx.report_error(self, exc)
            return
        if isinstance(exc, ValueError):  # the day's receipt numbers are used up
            self._say(self.tr("No receipt number is left for today on this counter: nothing was taken. Call the "
                              "operations engineer."), "error")
            return
        self._say(error_text(exc), "error")
        self.outcome_shown.emit(exc)

    def read_card(self) -> None:
        """F3: read the card and show what the center says about it; a write found on the card unconfirmed is
        confirmed at once."""
        if self._busy() or self._access is None:  # offline too: a read takes no money and finds the link again
            return
        typed = self.customer_edit.text().strip() or None
        if typed is not None and not is_customer_no(typed):
            self._say(self.tr("“{text}” is not an account number (10 or 13 digits).").format(text=typed), "error")
            self.focus_customer()
            return
        flow = self._flow()
        self._say("")
        self._run(lambda: flow.read(typed), self._on_read, start=step_text(Step.READING))

    def _on_read(self, outcome: Outcome, *, quiet: bool = False) -> None:
        if isinstance(outcome, Read):
            if self._offline:  # the center answered: the link is back
                self._set_offline(False)
            self.form.start_progress("")  # a read is no progress of a sale
            self._show_read(outcome)
            pending = outcome.view.pending
            if pending is not None and pending.on_card:
                flow = self._flow()
                self._run(lambda: flow.finish_pending(outcome), self._on_written, start=step_text(Step.CONFIRMING))
            elif not quiet:
                self._say("")
            return
        self._show_failure(outcome)

    def _show_read(self, read: Read) -> None:
        self.read = read
        view = read.view
        self.view_panel.show_card(view)
        if view.customer_no:
            self.customer_edit.setText(view.customer_no)
        if self.rewrite_target is not None and (view.pending is None or view.customer_no !=
                                                self.rewrite_target.customer_no):
            self.rewrite_target = None  # finished meanwhile (or another customer's card)
        if view.standing is CardStanding.BLANK:
            if self.mode() is SaleMode.SALE:
                self.form.set_mode(SaleMode.OPENING)
        else:
            self.form.set_mode(SaleMode.SALE)
        terms = view.sale
        if terms is not None and self.tenders.amount_edit.fen() is None:
            self.tenders.reset(None)
        self.tenders.amount_edit.setFocus()
        self.card_shown.emit(view)

    def _show_failure(self, outcome: Outcome) -> None:
        if isinstance(outcome, CardFailed):
            self._say(problem_text(outcome.problem, outcome.sw) + " " + self.tr("Nothing was taken."), "error")
        elif isinstance(outcome, Refused):
            if outcome.offline:
                self._set_offline(True)
                self._say(offline_text(), "error")
            else:
                self._say(refusal_text(outcome.error) + " " + self.tr("Nothing was taken."), "error")
        elif isinstance(outcome, NoAnswer):
            self._say(no_answer_text(), "warn")
        else:  # pragma: no cover - every outcome type is handled above or by its caller
            log.error("unexpected card outcome %r", outcome)

    def confirm(self) -> None:
        """F9: take the money and write the card (sale, opening or replacement as chosen)."""
        if self._busy():
            return
        problem = self.money_problem()
        plan = self.tenders.plan()
        read, state, shift = self.read, self._ctx.session.state, self._ctx.shift.shift
        outbox = self._ctx.outbox
        if problem is not None or plan is None or read is None or state is None or shift is None or outbox is None:
            self._say(problem or self.tr("Payments cannot be taken on this counter."), "error")
            return
        mode, view, customer_no = self.mode(), read.view, self._customer_no()
        tenders, reason = list(plan.tenders), self.form.reason()
        terms = view.sale
        action = self._sale_slot.confirm((mode, customer_no, view.serial, tuple(t.model_dump_json() for t in tenders),
                                          reason))
        tickets, counter, floor = self._tickets, state.counter.code, self._ctx.shift.next_receipt_seq
        flow, serial, now = self._flow(), view.serial, hall_now()

        def work() -> Outcome:
            ticket = tickets.get(action.key)
            if ticket is None:  # minted once: the outbox's receipt numbering, a durable local write
                ticket = tickets[action.key] = mint_ticket(action, outbox=outbox, counter_code=counter,
                                                           server_next_seq=floor)
            if mode is SaleMode.SALE and terms is not None:
                return flow.sell(ticket, customer_no=customer_no, purchase_count=terms.next_purchase_count,
                                 tenders=tenders, quoted_arrears_fen=terms.arrears_fen, serial=serial, local_time=now)
            if mode is SaleMode.OPENING:
                return flow.open_card(ticket, customer_no=customer_no, tenders=tenders,
                                      quoted_arrears_fen=terms.arrears_fen if terms is not None else 0,
                                      serial=serial, local_time=now)
            return flow.replace_card(ticket, customer_no=customer_no, tenders=tenders, reason=reason, serial=serial,
                                     local_time=now)

        self._say(self.tr("Taking the payment…"))
        self._run(work, lambda outcome: self._on_sold(action.key, outcome), start=step_text(Step.READING))

    def _on_sold(self, key: str, outcome: Outcome) -> None:
        if isinstance(outcome, NoAnswer):
            self._show_failure(outcome)  # the ticket and the entry stay: F9 resends the same sale
            return
        ticket = self._tickets.pop(key, None)
        if ticket is not None:
            self._sale_slot.answered(ticket.action)
        if isinstance(outcome, Done | WrittenNotConfirmed | NotWritten):
            self.tenders.reset(None)
            self._on_written(outcome)
        else:
            self._show_failure(outcome)

    def _on_written(self, outcome: Outcome) -> None:
        """A write ended (a sale, a rewrite, a confirmation at the read): say how, print, offer 补写卡."""
        receipt = getattr(outcome, "receipt", None)
        if isinstance(outcome, Done):
            self.rewrite_target = None
            self._say(done_text(outcome), "ok")
        elif isinstance(outcome, WrittenNotConfirmed):
            self.rewrite_target = None
            self._say(not_confirmed_text(count=outcome.target.purchase_count), "warn")
        elif isinstance(outcome, NotWritten):
            self.rewrite_target = outcome.target
            self._say(not_written_outcome_text(outcome), "error")
            self.rewrite_button.setFocus()
        else:
            self._show_failure(outcome)
            return
        if isinstance(receipt, PaymentReceipt):
            self.last_receipt = receipt
            self.sale_done.emit(receipt.receipt_no)
            self.printing.print_receipt(to_document(receipt))
        if not isinstance(outcome, NotWritten):
            self._reread()

    def _reread(self) -> None:
        """Read the card again after a write, quietly: the panel shows what the card and the books hold now."""
        if self._access is None or self._offline:
            return
        access, typed = self._access, self._customer_no() or None
        if typed is not None and not is_customer_no(typed):
            typed = None
        flow = CardFlow(self._ctx.rpc, access)  # quiet: no progress shown
        Op(parent=self, run=lambda: flow.read(typed), key="reread") \
            .on_success(self._after_reread) \
            .on_failure(lambda exc: log.warning("re-read after the write failed: %r", exc)) \
            .start()

    def _after_reread(self, outcome: Outcome) -> None:
        if isinstance(outcome, Read):
            message, style = self.message_label.text(), self.message_label.styleSheet()
            self._show_read(outcome)
            self.message_label.setText(message)
            self.message_label.setStyleSheet(style)
            self._refresh()

    def rewrite(self) -> None:
        """F6: 补写卡 — write the purchase waiting for its write again, same data, no new money."""
        target = self._rewritable()
        if self._busy() or self._offline or self._access is None or target is None:
            return
        flow = self._flow()
        self._say(self.tr("Rewriting purchase no. {count} (补写卡)…").format(count=target.purchase_count))
        self._run(lambda: flow.rewrite(target), self._on_written, start=step_text(Step.WRITING))

    def cancel(self) -> None:
        """Esc: drop the entry."""
        if self._busy():
            return
        self.tenders.reset(None)
        self.form.reason_edit.clear()
        self._say("")
        self.tenders.amount_edit.setFocus()

    # --- dialogs -------------------------------------------------------------------------------------

    def open_reverse(self) -> CardReverseDialog | None:
        """F8: 冲正 of the purchase waiting for its write, co-signed by a supervisor."""
        view = self.read.view if self.read is not None else None
        if self._busy() or self._offline or self._access is None or view is None or view.pending is None:
            return None
        pending, slot, access, rpc = view.pending, self._reverse_slot, self._access, self._ctx.rpc

        def work(reason: str, cosign: Cosign) -> Outcome:
            action = slot.confirm((pending.customer_no, pending.purchase_count, reason, cosign.username))
            outcome = CardFlow(rpc, access).reverse(action, customer_no=pending.customer_no,
                                                    purchase_count=pending.purchase_count, reason=reason,
                                                    cosign=cosign)
            if not isinstance(outcome, NoAnswer):
                slot.answered(action)
            return outcome

        dialog = CardReverseDialog(ctx=self._ctx, pending=pending, work=work, problem_of=reverse_problem_text,
                                   parent=self)
        dialog.reversed_done.connect(self._on_reversed)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _on_reversed(self, outcome: object) -> None:
        assert isinstance(outcome, Reversed)
        result = outcome.result
        self.rewrite_target = None
        text = self.tr("Purchase no. {count} reversed: ¥{amount} to hand back, co-signed by {cosigner}.").format(
            count=result.purchase_count, amount=format_fen(abs(result.amount_fen)), cosigner=result.cosigned_by)
        cancel = outcome.cancel
        if isinstance(cancel, NotWritten):
            self.rewrite_target = cancel.target
            text += " " + self.tr("The card still holds the purchase: put it back and press F6 to clear it.")
            self._say(text, "error")
        else:
            self._say(text, "ok")
        self.last_outcome = outcome
        self.outcome_shown.emit(outcome)
        self._reread()

    def open_history(self) -> CardHistoryDialog | None:
        """F7: the customer's cards and card purchases."""
        customer_no = self._customer_no()
        if not customer_no or self._offline:
            return None
        dialog = CardHistoryDialog(ctx=self._ctx, customer_no=customer_no, parent=self)
        self.dialog = dialog
        dialog.open()
        return dialog

    def card_view(self) -> CardView | None:
        """The card as last read (None before the first read)."""
        return self.read.view if self.read is not None else None
