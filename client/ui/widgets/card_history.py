"""A customer's card history as ``card.get_history`` gives it: the cards (issued, retired and why), the purchases
with their state, the pending write, and what the meter last reported. A view only (:meth:`show_history`)."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableView, QVBoxLayout, QWidget

from client.ui.models.rows_model import MINUTES, hall_text
from client.ui.widgets.card_tables import CardPurchasesModel, CardRecordsModel, write_kind_text
from client.ui.widgets.labels import wrapped_label
from client.ui.widgets.table_fit import RowDetails, TableFit
from shared_models.methods.cards import CardHistory
from shared_models.money import format_fen


def _table(name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    return table


class CardHistoryPanel(QWidget):
    """Cards, purchases (newest first), the pending write and the meter's last report of one customer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardHistoryPanel")
        self.history: CardHistory | None = None
        self.pending_label = wrapped_label("cardHistoryPendingLabel")
        self.pending_label.setStyleSheet("color: #8a5a00; font-weight: bold;")
        self.return_label = wrapped_label("cardHistoryReturnLabel")
        self.cards_model = CardRecordsModel(self)
        self.cards_table = _table("cardRecordsTable")
        self.cards_table.setModel(self.cards_model)
        self.cards_fit = TableFit(self.cards_table, key=(0, 1, 2, 3), secondary=(4,), order=range(5), min_rows=2)
        self.purchases_model = CardPurchasesModel(self)
        self.purchases_table = _table("cardPurchasesTable")
        self.purchases_table.setModel(self.purchases_model)
        self.purchases_fit = TableFit(self.purchases_table, key=(0, 2, 3, 4, 5), secondary=(1, 6, 7),
                                      order=range(8), min_rows=3)
        self.purchase_details = RowDetails(self.purchases_fit, name="cardPurchaseDetailsLabel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pending_label)
        layout.addWidget(self.return_label)
        layout.addWidget(QLabel(self.tr("Cards")))
        layout.addWidget(self.cards_table, 1)
        layout.addWidget(QLabel(self.tr("Card purchases")))
        layout.addWidget(self.purchases_table, 2)
        layout.addWidget(self.purchase_details)
        self.show_history(None)

    def show_history(self, history: CardHistory | None) -> None:
        """Render ``history``; None empties the panel."""
        self.history = history
        self.cards_model.set_rows(history.cards if history is not None else [])
        self.purchases_model.set_rows(history.purchases if history is not None else [])
        pending = history.pending if history is not None else None
        if pending is not None:
            self.pending_label.setText(self.tr(
                "Waiting for its write: {kind} no. {count}, ¥{amount}, receipt {receipt}, sold by {cashier} at "
                "{counter} on {when}.").format(
                kind=write_kind_text(pending.kind), count=pending.purchase_count,
                amount=format_fen(pending.write_amount_fen), receipt=pending.receipt_no or "—",
                cashier=pending.cashier_name, counter=pending.counter_code,
                when=hall_text(pending.prepared_at, MINUTES)))
        else:
            self.pending_label.setText(self.tr("No purchase is waiting for its write.") if history else "")
        ret = history.last_return if history is not None else None
        if ret is not None:
            self.return_label.setText(self.tr(
                "The meter last reported ¥{remaining} remaining after purchase {count} ({when}).").format(
                remaining=format_fen(ret.remaining_fen), count=ret.purchase_count,
                when=hall_text(ret.written_at, MINUTES)))
        else:
            self.return_label.setText(self.tr("No meter report yet.") if history else "")
        if history is not None and not history.cards:
            self.return_label.setText(self.tr("No card issued to this customer."))
