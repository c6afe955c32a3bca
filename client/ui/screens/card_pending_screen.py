"""The supervisor's list of card purchases still waiting for their write (Perm.APPROVE): oldest first, with the
cashier, the counter and the receipt, so that every paid purchase that is not on a card gets its 补写卡.

F5 or **Refresh** asks ``card.list_pending`` again; the list needs the link (it is the server's)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QPushButton, QTableView, QVBoxLayout, QWidget

from client.core.rpc_client import SESSION_LOST_CODES, RpcError, make_request
from client.ui.context import UiContext
from client.ui.errors import error_text
from client.ui.ops import Op
from client.ui.widgets.card_tables import PendingWritesModel
from client.ui.widgets.labels import ERROR_STYLE, wrapped_label
from client.ui.widgets.table_fit import TableFit
from shared_models.methods.cards import LIST_PENDING, PendingList, PendingListRequest


class CardPendingScreen(QWidget):
    """Pending card writes of the hall, oldest first; refreshed when shown and on F5."""

    def __init__(self, *, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardPendingScreen")
        self._ctx = ctx
        self.pending: PendingList | None = None
        self.model = PendingWritesModel(self)
        self.table = QTableView()
        self.table.setObjectName("cardPendingTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        # When, whose, how much and which receipt stay whole; kind, cashier and counter take the rest.
        self.fit = TableFit(self.table, key=(0, 1, 2, 4, 8), secondary=(5, 6, 7, 3), order=range(9), min_rows=5)
        self.summary_label = wrapped_label("cardPendingSummaryLabel")
        self.refresh_button = QPushButton(self.tr("Refresh (F5)"))
        self.refresh_button.setObjectName("refreshCardPendingButton")
        self.refresh_button.clicked.connect(self.refresh)
        QShortcut(QKeySequence("F5"), self, self.refresh, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        top = QHBoxLayout()
        top.addWidget(wrapped_label("cardPendingHintLabel", self.tr(
            "Card purchases paid but not yet confirmed on a card, oldest first. Have the customer come back with the "
            "card for 补写卡 (no new money), or reverse the purchase with a co-sign while it is not on the card.")), 1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary_label)

    def activate(self) -> None:
        """The screen became visible: fetch the list."""
        self.refresh()

    def refresh(self) -> None:
        """Ask the server for the hall's pending writes."""
        rpc = self._ctx.rpc

        def work() -> PendingList:
            return rpc.call(LIST_PENDING, make_request(PendingListRequest))

        Op(parent=self, run=work, busy=[self.refresh_button], key="pending") \
            .on_success(self._show) \
            .on_failure(self._failed) \
            .start()

    def _show(self, pending: PendingList) -> None:
        self.pending = pending
        self.model.set_rows(pending.items)
        self.summary_label.setStyleSheet("")
        self.summary_label.setText(self.tr("%n purchase(s) waiting for their write.", "", len(pending.items))
                                   if pending.items else self.tr("No card purchase is waiting for its write."))

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, RpcError) and exc.code in SESSION_LOST_CODES:
            self._ctx.report_error(self, exc)
            return
        self.summary_label.setText(error_text(exc))
        self.summary_label.setStyleSheet(ERROR_STYLE)
