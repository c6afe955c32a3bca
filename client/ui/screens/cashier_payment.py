"""The payment panel of the cashier desk (SPEC C3): amount, allocation preview, tender lines, change.

A view with input checks: it renders the quote the desk fetched and turns what the cashier typed into
checked tender lines (:func:`client.core.tenders.plan_tenders`). It asks for a quote by signal
(debounced) and never talks to the server itself; the business rules (allocation, late fees) are the
server's, shown as the server quoted them.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from client.core.rpc_client import RpcError
from client.core.tenders import PlanError, PlanProblem, TenderEntry, TenderPlan, cash_part, plan_tenders
from client.ui.errors import error_text
from client.ui.messages import error_message, tender_name
from client.ui.models.desk_models import AllocationModel
from client.ui.widgets.fen_edit import FenEdit
from client.ui.widgets.table_fit import TableFit
from shared_models.errors import ErrorCode
from shared_models.methods.customers import CustomerOverview, CustomerStatus
from shared_models.methods.payments import Quote
from shared_models.money import format_fen

#: Wait this long after the last keystroke in the amount before asking the server for an allocation.
QUOTE_DEBOUNCE_MS = 250
_REFERENCE = QRegularExpression(r"^[A-Za-z0-9_\-/ ]{0,40}$")
_PROBLEM_STYLE = "color: #b00020;"


def _reference_edit(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setMaxLength(40)
    edit.setValidator(QRegularExpressionValidator(_REFERENCE, edit))  # the contract's characters only
    return edit


class PaymentPanel(QWidget):
    """Amount (default: due today), allocation preview, cash/bank card/QR/cheque lines, confirm and cancel."""

    #: The allocation of this amount (fen) is wanted: the desk fetches a quote off the GUI thread.
    quote_wanted = Signal(object)
    #: The cashier asked for the shift screen (no shift open).
    shift_screen_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paymentPanel")
        self._customer: CustomerOverview | None = None
        self._quote: Quote | None = None
        self._shift_open = False
        self._locked = False

        self.shift_label = QLabel()
        self.shift_label.setObjectName("shiftBannerLabel")
        self.shift_label.setWordWrap(True)
        self.shift_button = QPushButton(self.tr("Open the shift screen"))
        self.shift_button.setObjectName("openShiftScreenButton")
        self.shift_button.clicked.connect(self.shift_screen_requested)

        self.amount_edit = FenEdit(name="amountEdit", allow_empty=False)
        self.amount_edit.setStyleSheet("font-size: 16pt;")
        self.due_label = QLabel()
        self.due_label.setObjectName("payDueLabel")

        self.allocation_model = AllocationModel(self)
        self.allocation_table = QTableView()
        self.allocation_table.setObjectName("allocationTable")
        self.allocation_table.setModel(self.allocation_model)
        self.allocation_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.allocation_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.allocation_table.verticalHeader().setVisible(False)
        # Every column decides the payment (what each bill gets, what stays open): all of them stay whole.
        self.allocation_fit = TableFit(self.allocation_table, min_rows=3)
        self.allocation_label = QLabel()
        self.allocation_label.setObjectName("allocationSummaryLabel")
        self.allocation_label.setWordWrap(True)

        self._build_tenders()
        self.problem_label = QLabel()
        self.problem_label.setObjectName("entryProblemLabel")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(_PROBLEM_STYLE)
        self.confirm_button = QPushButton(self.tr("Confirm payment (F9)"))
        self.confirm_button.setObjectName("confirmPayment")
        self.confirm_button.setStyleSheet("font-weight: bold; padding: 6px 18px;")
        self.cancel_button = QPushButton(self.tr("Cancel (Esc)"))
        self.cancel_button.setObjectName("cancelPayment")

        self._layout()
        self._quote_timer = QTimer(self)
        self._quote_timer.setSingleShot(True)
        self._quote_timer.setInterval(QUOTE_DEBOUNCE_MS)
        self._quote_timer.timeout.connect(self._ask_quote)
        self.amount_edit.fen_changed.connect(self._on_amount_changed)
        for edit in (self.cash_handed_edit, self.bank_card_edit, self.qr_edit, self.cheque_edit):
            edit.fen_changed.connect(lambda _fen: self._refresh())
        for ref in (self.bank_card_ref_edit, self.qr_ref_edit, self.cheque_no_edit):
            ref.textChanged.connect(lambda _text: self._refresh())
        self.set_customer(None)

    def _build_tenders(self) -> None:
        """The tender lines: cash takes what the other methods leave."""
        self.cash_part_label = QLabel()
        self.cash_part_label.setObjectName("cashPartLabel")
        self.cash_handed_edit = FenEdit(name="cashHandedEdit")
        self.cash_handed_edit.setPlaceholderText(self.tr("exact"))
        self.change_label = QLabel()
        self.change_label.setObjectName("changeLabel")
        self.change_label.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.bank_card_edit = FenEdit(name="bankCardAmountEdit")
        self.bank_card_ref_edit = _reference_edit("bankCardReferenceEdit")
        self.bank_card_ref_edit.setPlaceholderText(self.tr("terminal trace no."))
        self.qr_edit = FenEdit(name="qrAmountEdit")
        self.qr_ref_edit = _reference_edit("qrReferenceEdit")
        self.qr_ref_edit.setPlaceholderText(self.tr("order no."))
        self.cheque_edit = FenEdit(name="chequeAmountEdit")
        self.cheque_no_edit = _reference_edit("chequeNumberEdit")
        self.cheque_no_edit.setPlaceholderText(self.tr("cheque no."))

    def _layout(self) -> None:
        shift_row = QHBoxLayout()
        shift_row.addWidget(self.shift_label, 1)
        shift_row.addWidget(self.shift_button)
        amount_box = QGroupBox(self.tr("Amount"))
        amount = QGridLayout(amount_box)
        amount.addWidget(QLabel(self.tr("Amount received (yuan)")), 0, 0)
        amount.addWidget(self.amount_edit, 0, 1)
        amount.addWidget(self.due_label, 1, 0, 1, 2)
        allocation_box = QGroupBox(self.tr("Allocation (oldest bill first, late fee before principal)"))
        allocation = QVBoxLayout(allocation_box)
        allocation.addWidget(self.allocation_table)
        allocation.addWidget(self.allocation_label)
        tender_box = QGroupBox(self.tr("Payment methods"))
        grid = QGridLayout(tender_box)
        grid.addWidget(QLabel(self.tr("Amount")), 0, 1)
        grid.addWidget(QLabel(self.tr("Reference / cash handed over")), 0, 2)
        grid.addWidget(QLabel(tender_name("bank_card")), 1, 0)
        grid.addWidget(self.bank_card_edit, 1, 1)
        grid.addWidget(self.bank_card_ref_edit, 1, 2)
        grid.addWidget(QLabel(tender_name("qr")), 2, 0)
        grid.addWidget(self.qr_edit, 2, 1)
        grid.addWidget(self.qr_ref_edit, 2, 2)
        grid.addWidget(QLabel(tender_name("cheque")), 3, 0)
        grid.addWidget(self.cheque_edit, 3, 1)
        grid.addWidget(self.cheque_no_edit, 3, 2)
        grid.addWidget(QLabel(tender_name("cash")), 4, 0)
        grid.addWidget(self.cash_part_label, 4, 1)
        grid.addWidget(self.cash_handed_edit, 4, 2)
        grid.addWidget(self.change_label, 5, 0, 1, 3)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(shift_row)
        layout.addWidget(amount_box)
        layout.addWidget(allocation_box, 1)
        layout.addWidget(tender_box)
        layout.addWidget(self.problem_label)
        layout.addLayout(buttons)
        # Tab order follows the hand: amount, card, QR, cheque, cash handed over, confirm.
        chain = [self.amount_edit, self.bank_card_edit, self.bank_card_ref_edit, self.qr_edit, self.qr_ref_edit,
                 self.cheque_edit, self.cheque_no_edit, self.cash_handed_edit, self.confirm_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # --- what the desk tells the panel ---------------------------------------------------------------

    @property
    def customer(self) -> CustomerOverview | None:
        """The customer being served."""
        return self._customer

    @property
    def quote(self) -> Quote | None:
        """The last allocation the server quoted for this customer."""
        return self._quote

    def set_shift(self, *, open_shift_no: str | None) -> None:
        """Show whether payments can be taken: a shift must be open (NO_OPEN_SHIFT otherwise)."""
        self._shift_open = open_shift_no is not None
        if open_shift_no is None:
            self.shift_label.setText(error_message(ErrorCode.NO_OPEN_SHIFT))
            self.shift_label.setStyleSheet(_PROBLEM_STYLE + " font-weight: bold;")
        else:
            self.shift_label.setText(self.tr("Shift {shift_no} is open.").format(shift_no=open_shift_no))
            self.shift_label.setStyleSheet("color: #1b5e20;")
        self.shift_button.setVisible(open_shift_no is None)
        self._refresh()

    def set_customer(self, overview: CustomerOverview | None) -> None:
        """Serve ``overview``'s customer (None: nobody): amount = due today, allocation asked for."""
        same = overview is not None and self._customer is not None and \
            overview.profile.customer_no == self._customer.profile.customer_no
        self._customer = overview
        if not (same and self._locked):
            self.reset_entry()
            self._quote_timer.stop()
            self._ask_quote()  # nothing typed yet: no reason to wait for the debounce

    def reset_entry(self) -> None:
        """Back to the defaults: amount = due today, no card/QR/cheque part, cash handed over empty."""
        self._locked = False
        self._quote = None
        self.allocation_model.set_rows([])
        self.allocation_label.setText("")
        for edit in (self.cash_handed_edit, self.bank_card_edit, self.qr_edit, self.cheque_edit):
            edit.clear()
        for ref in (self.bank_card_ref_edit, self.qr_ref_edit, self.cheque_no_edit):
            ref.clear()
        customer = self._customer
        due = customer.due_fen if customer is not None else 0
        self.due_label.setText(self.tr("Due today: ¥{due}").format(due=format_fen(due)) if customer else "")
        self.amount_edit.set_fen(due if due > 0 else None)
        self._set_inputs_enabled(True)
        self._on_amount_changed(self.amount_edit.fen())

    def show_quote(self, quote: Quote) -> None:
        """Render the server's allocation, if it is for the customer and amount on screen."""
        if self._customer is None or quote.customer_no != self._customer.profile.customer_no:
            return
        self._quote = quote
        self.allocation_model.set_rows(quote.lines)
        self.allocation_label.setText(self.tr(
            "To prepayment ¥{to_prepayment} · still owed after this payment ¥{remaining} · prepayment after "
            "¥{after}").format(to_prepayment=format_fen(quote.to_prepayment_fen),
                               remaining=format_fen(quote.remaining_due_fen),
                               after=format_fen(quote.prepayment_after_fen)))
        self._refresh()
        if quote.amount_fen != self.amount_edit.fen():  # typed on while the quote was on its way
            self._quote_timer.start()

    def lock_entry(self) -> None:
        """Freeze the entry while the payment on screen is being taken."""
        self._locked = True
        self._set_inputs_enabled(False)
        self._refresh()

    def unlock_entry(self) -> None:
        """The payment was taken or refused: the entry can be edited again."""
        if self._locked:
            self._locked = False
            self._set_inputs_enabled(True)
            self._refresh()

    @property
    def locked(self) -> bool:
        """True while the payment on screen is being taken."""
        return self._locked

    # --- reading the entry ---------------------------------------------------------------------------

    def payable_problem(self) -> str | None:
        """Why no payment can be taken for the customer on screen right now, or None."""
        customer = self._customer
        if customer is None:
            return self.tr("Find the customer first (F2).")
        if not self._shift_open:
            return error_message(ErrorCode.NO_OPEN_SHIFT)
        if customer.profile.status is CustomerStatus.CLOSED:
            return error_message(ErrorCode.CUSTOMER_CLOSED, {"customer_no": customer.profile.customer_no})
        return None

    def quote_is_current(self) -> bool:
        """True when the allocation shown is for the amount typed."""
        q = self._quote
        return q is not None and q.amount_fen == self.amount_edit.fen()

    def entry(self) -> TenderEntry | None:
        """What is typed, or None while an amount field holds something that is not an amount."""
        edits = (self.amount_edit, self.cash_handed_edit, self.bank_card_edit, self.qr_edit, self.cheque_edit)
        if any(e.problem() is not None for e in edits) or self.amount_edit.fen() is None:
            return None
        return TenderEntry(
            amount_fen=self.amount_edit.fen() or 0, cash_handed_fen=self.cash_handed_edit.fen(),
            bank_card_fen=self.bank_card_edit.fen(), bank_card_reference=self.bank_card_ref_edit.text(),
            qr_fen=self.qr_edit.fen(), qr_reference=self.qr_ref_edit.text(),
            cheque_fen=self.cheque_edit.fen(), cheque_number=self.cheque_no_edit.text(),
        )

    def entry_problem(self) -> str | None:
        """Why the entry cannot be confirmed (translated), or None."""
        for edit in (self.amount_edit, self.cash_handed_edit, self.bank_card_edit, self.qr_edit, self.cheque_edit):
            if edit.problem() is not None:
                return edit.problem()
        entry = self.entry()
        if entry is None:
            return self.tr("Enter the amount received.")
        try:
            plan_tenders(entry)
        except PlanError as exc:
            return self._plan_text(exc)
        except RpcError as exc:
            return error_text(exc)
        return None

    def plan(self) -> TenderPlan | None:
        """The checked tender lines, or None (see :meth:`entry_problem`)."""
        entry = self.entry()
        if entry is None:
            return None
        try:
            return plan_tenders(entry)
        except (PlanError, RpcError):
            return None

    def _plan_text(self, exc: PlanError) -> str:
        if exc.problem is PlanProblem.PARTS_EXCEED_AMOUNT:
            return self.tr("The card, QR and cheque parts (¥{parts}) are more than the amount (¥{amount}).").format(
                parts=format_fen(int(exc.params["parts_fen"])), amount=format_fen(int(exc.params["amount_fen"])))
        params = dict(exc.params)
        if "method" in params:
            params["method"] = tender_name(str(params["method"]))
        return error_message(ErrorCode(exc.problem.value), params)

    # --- reacting to typing --------------------------------------------------------------------------

    def _set_inputs_enabled(self, enabled: bool) -> None:
        for widget in (self.amount_edit, self.cash_handed_edit, self.bank_card_edit, self.bank_card_ref_edit,
                       self.qr_edit, self.qr_ref_edit, self.cheque_edit, self.cheque_no_edit):
            widget.setEnabled(enabled)

    def _on_amount_changed(self, _fen: object) -> None:
        if not self.quote_is_current():
            self.allocation_model.set_rows([])
            self.allocation_label.setText("")
        self._refresh()
        self._quote_timer.start()

    def _ask_quote(self) -> None:
        fen = self.amount_edit.fen()
        if self._customer is None or fen is None or fen <= 0 or self.quote_is_current() or self._locked:
            return
        if self._customer.profile.status is CustomerStatus.CLOSED:
            return
        self.quote_wanted.emit(fen)

    def _refresh(self) -> None:
        entry = self.entry()
        cash = cash_part(entry) if entry is not None else None
        self.cash_part_label.setText(self.tr("¥{amount}").format(amount=format_fen(cash))
                                     if cash is not None and cash >= 0 else "—")
        self.cash_handed_edit.setEnabled(not self._locked and (cash is None or cash > 0))
        plan = self.plan()
        if plan is not None and plan.has_cash:
            self.change_label.setText(self.tr("Change ¥{change}").format(change=format_fen(plan.change_fen)))
        else:
            self.change_label.setText("")
        problem = self.payable_problem() or self.entry_problem()
        self.problem_label.setText(problem or "")
        ready = problem is None and not self._locked and self.quote_is_current()
        self.confirm_button.setEnabled(ready)
        self.cancel_button.setEnabled(self._customer is not None)
