"""Customer search hits as a table: 户号, name, address, phone, meter number, status."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush

from client.ui.messages import customer_value
from shared_models.methods.customers import CustomerStatus, SearchHit

_Index = QModelIndex | QPersistentModelIndex


class SearchTableModel(QAbstractTableModel):
    """Rows of ``customer.search_customers`` in rank order; read-only. Pages are appended."""

    CUSTOMER_NO, NAME, ADDRESS, PHONE, METER, STATUS = range(6)
    COLUMNS = 6

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[SearchHit] = []

    def set_hits(self, hits: Sequence[SearchHit]) -> None:
        """Replace every row (a new search)."""
        self.beginResetModel()
        self._rows = list(hits)
        self.endResetModel()

    def append_hits(self, hits: Sequence[SearchHit]) -> None:
        """Add the rows of the next page after the current ones."""
        if not hits:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(hits) - 1)
        self._rows.extend(hits)
        self.endInsertRows()

    def hit_at(self, row: int) -> SearchHit | None:
        """The hit in ``row``, or None."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Hits so far; a table has no children."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Fixed columns."""
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Translated column titles; rows are numbered."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        titles = (self.tr("Account no."), self.tr("Name"), self.tr("Address"), self.tr("Phone"),
                  self.tr("Meter no."), self.tr("Status"))
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Cell text; the full address as a tooltip; a customer not in supply is greyed out."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        hit = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(hit, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.ADDRESS:
            return hit.address
        if role == Qt.ItemDataRole.ForegroundRole and hit.status is not CustomerStatus.ACTIVE:
            return QBrush(Qt.GlobalColor.gray)
        return None

    def _text(self, hit: SearchHit, column: int) -> str | None:
        values = (hit.customer_no, hit.name, hit.address, hit.phone, hit.meter_no, customer_value(hit.status))
        return values[column] if 0 <= column < len(values) else None
