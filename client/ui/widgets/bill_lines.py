"""The "bill lines" panel: a draft's or a released bill's lines, each with what priced it, and the total.

Used by the bill run review (the selected draft) and the cashier's 360 view (an open bill). A view only: it
renders the lines the server priced (``PricedLine``) and adds nothing up; the total shown is the server's.
:meth:`BillLinesWidget.show_message` replaces the lines with a sentence (loading, not available offline).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableView, QVBoxLayout, QWidget

from client.ui.models.billrun_models import BillLinesModel
from client.ui.widgets.table_fit import RowDetails, TableFit
from shared_models.money import format_fen
from shared_models.pricing import PricedLine

# No., line, quantity, price and amount stay whole; the days and the version go to the details line first.
LINE_KEY = (0, 1, 2, 3, 4)
LINE_SECONDARY = (5, 6)


class BillLinesWidget(QWidget):
    """A title, the lines table, the line's details and the total."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("billLinesWidget")
        self.title_label = QLabel()
        self.title_label.setObjectName("billLinesTitle")
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = BillLinesModel(self)
        self.table = QTableView()
        self.table.setObjectName("billLinesTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.fit = TableFit(self.table, key=LINE_KEY, secondary=LINE_SECONDARY, min_rows=3)
        self.details = RowDetails(self.fit, name="billLineDetails")
        self.total_label = QLabel()
        self.total_label.setObjectName("billLinesTotal")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.total_label.setStyleSheet("font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.total_label)
        self.clear()

    def show_lines(self, *, title: str, lines: list[PricedLine], total_fen: int) -> None:
        """Show ``lines`` under ``title``, with the bill's total ``total_fen`` (the server's)."""
        self.title_label.setText(title)
        self.title_label.setStyleSheet("")
        self.model.set_rows(lines)
        self.table.setVisible(True)
        self.total_label.setText(self.tr("Total: ¥{amount} in %n line(s)", "", len(lines))
                                 .format(amount=format_fen(total_fen)))

    def show_message(self, text: str, *, alert: bool = False) -> None:
        """No lines: ``text`` instead (in red when ``alert``)."""
        self.model.set_rows([])
        self.title_label.setText(text)
        self.title_label.setStyleSheet("color: #b00020;" if alert else "")
        self.total_label.setText("")

    def clear(self) -> None:
        """Nothing selected."""
        self.show_message(self.tr("Select a bill to see its lines."))

    def lines(self) -> list[PricedLine]:
        """The lines shown."""
        return self.model.rows()
