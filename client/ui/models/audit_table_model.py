"""Audit records, newest first, as a table."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from client.ui.messages import error_message
from client.ui.models.user_table_model import local_time
from shared_models.methods.audit import AuditRow

# A refused attempt's text colour: it stands out among the changes.
REFUSED_COLOR = QColor("#b00020")

_Index = QModelIndex | QPersistentModelIndex


class AuditTableModel(QAbstractTableModel):
    """Rows of ``audit.list_records``; read-only. A refused attempt says why it was refused, in red."""

    COLUMNS = 8

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AuditRow] = []

    def set_rows(self, rows: list[AuditRow]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Records; a table has no children."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Fixed columns."""
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Translated column titles."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        titles = (
            self.tr("Time"), self.tr("User"), self.tr("Co-signer"), self.tr("Counter"), self.tr("Action"),
            self.tr("Target"), self.tr("Chain"), self.tr("Refused"),
        )
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Cell text; a refused attempt in red."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record = self._rows[index.row()]
        if role == Qt.ItemDataRole.ForegroundRole:
            return REFUSED_COLOR if record.refusal is not None else None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        values = (
            local_time(record.at),
            record.username,
            record.cosigner or "",
            record.counter_code or "",
            record.method,
            record.target,
            f"{record.chain} #{record.seq}",
            error_message(record.refusal, record.refusal_params) if record.refusal is not None else "",
        )
        column = index.column()
        return values[column] if 0 <= column < len(values) else None
