"""The amount and the mixed tender lines of a card sale, entered as on the bill payment (SPEC C3).

The same fields, names and rule as the desk's payment panel: bank card, QR and cheque parts with their references,
cash takes what they leave, an empty "cash handed over" is the exact cash part; the lines are checked by
:func:`client.core.tenders.plan_tenders`, so a card sale and a bill payment refuse the same entries with the
same sentences. A view with input checks, nothing more."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QLineEdit, QWidget

from client.core.rpc_client import RpcError
from client.core.tenders import PlanError, PlanProblem, TenderEntry, TenderPlan, cash_part, plan_tenders
from client.ui.errors import error_text
from client.ui.messages import error_message, tender_name
from client.ui.widgets.fen_edit import FenEdit
from shared_models.errors import ErrorCode
from shared_models.money import format_fen

_REFERENCE = QRegularExpression(r"^[A-Za-z0-9_\-/ ]{0,40}$")


def _reference_edit(name: str, placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setMaxLength(40)
    edit.setValidator(QRegularExpressionValidator(_REFERENCE, edit))  # the contract's characters only
    edit.setPlaceholderText(placeholder)
    return edit


class CardTenderBox(QGroupBox):
    """Amount paid, bank card / QR / cheque parts with references, the cash part and the cash handed over."""

    #: Something typed changed (the screen re-checks what may be confirmed).
    entry_changed = Signal()

    def __init__(self, *, title: str, amount_caption: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName("cardTenderBox")
        self.amount_edit = FenEdit(name="cardAmountEdit", allow_empty=False)
        self.amount_edit.setStyleSheet("font-size: 15pt;")
        self.bank_card_edit = FenEdit(name="bankCardAmountEdit")
        self.bank_card_ref_edit = _reference_edit("bankCardReferenceEdit", self.tr("terminal trace no."))
        self.qr_edit = FenEdit(name="qrAmountEdit")
        self.qr_ref_edit = _reference_edit("qrReferenceEdit", self.tr("order no."))
        self.cheque_edit = FenEdit(name="chequeAmountEdit")
        self.cheque_no_edit = _reference_edit("chequeNumberEdit", self.tr("cheque no."))
        self.cash_part_label = QLabel()
        self.cash_part_label.setObjectName("cashPartLabel")
        self.cash_handed_edit = FenEdit(name="cashHandedEdit")
        self.cash_handed_edit.setPlaceholderText(self.tr("exact"))
        self.change_label = QLabel()
        self.change_label.setObjectName("changeLabel")
        self.change_label.setStyleSheet("font-size: 13pt; font-weight: bold;")

        grid = QGridLayout(self)
        grid.addWidget(QLabel(amount_caption), 0, 0)
        grid.addWidget(self.amount_edit, 0, 1, 1, 2)
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
        # Tab order follows the hand: amount, card, QR, cheque, cash handed over.
        for first, second in itertools.pairwise(self._edits_in_order()):
            QWidget.setTabOrder(first, second)
        for edit in self._amount_edits():
            edit.fen_changed.connect(lambda _fen: self._refresh())
        for ref in (self.bank_card_ref_edit, self.qr_ref_edit, self.cheque_no_edit):
            ref.textChanged.connect(lambda _text: self._refresh())
        self._refresh()

    def _amount_edits(self) -> tuple[FenEdit, ...]:
        return (self.amount_edit, self.cash_handed_edit, self.bank_card_edit, self.qr_edit, self.cheque_edit)

    def _edits_in_order(self) -> list[QWidget]:
        return [self.amount_edit, self.bank_card_edit, self.bank_card_ref_edit, self.qr_edit, self.qr_ref_edit,
                self.cheque_edit, self.cheque_no_edit, self.cash_handed_edit]

    def last_field(self) -> QWidget:
        """The last field of the tab chain (the screen chains its confirm button after it)."""
        return self.cash_handed_edit

    def reset(self, amount_fen: int | None = None) -> None:
        """Empty every field; the amount set to ``amount_fen`` when given."""
        for edit in self._amount_edits():
            edit.clear()
        for ref in (self.bank_card_ref_edit, self.qr_ref_edit, self.cheque_no_edit):
            ref.clear()
        self.amount_edit.set_fen(amount_fen)
        self._refresh()

    def set_locked(self, locked: bool) -> None:
        """Freeze the entry while the money is being taken (or when nothing may be sold)."""
        if locked == (not self.amount_edit.isEnabled()):
            return
        for widget in self._edits_in_order():
            widget.setEnabled(not locked)
        self._refresh()

    def entry(self) -> TenderEntry | None:
        """What is typed, or None while an amount field holds something that is not an amount."""
        if any(e.problem() is not None for e in self._amount_edits()) or self.amount_edit.fen() is None:
            return None
        return TenderEntry(
            amount_fen=self.amount_edit.fen() or 0, cash_handed_fen=self.cash_handed_edit.fen(),
            bank_card_fen=self.bank_card_edit.fen(), bank_card_reference=self.bank_card_ref_edit.text(),
            qr_fen=self.qr_edit.fen(), qr_reference=self.qr_ref_edit.text(),
            cheque_fen=self.cheque_edit.fen(), cheque_number=self.cheque_no_edit.text(),
        )

    def entry_problem(self) -> str | None:
        """Why the entry cannot be confirmed (translated), or None."""
        for edit in self._amount_edits():
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

    def _refresh(self) -> None:
        entry = self.entry()
        cash = cash_part(entry) if entry is not None else None
        self.cash_part_label.setText(self.tr("¥{amount}").format(amount=format_fen(cash))
                                     if cash is not None and cash >= 0 else "—")
        locked = not self.amount_edit.isEnabled()
        self.cash_handed_edit.setEnabled(not locked and (cash is None or cash > 0))
        plan = self.plan()
        self.change_label.setText(self.tr("Change ¥{change}").format(change=format_fen(plan.change_fen))
                                  if plan is not None and plan.has_cash else "")
        self.entry_changed.emit()
