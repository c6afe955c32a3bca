"""The users an administrator manages, as a table."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from client.ui.messages import role_name
from shared_models.methods.admin import UserRow

_Index = QModelIndex | QPersistentModelIndex


def local_time(value: datetime) -> str:
    """A server timestamp in the counter's local time."""
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S")


class UserTableModel(QAbstractTableModel):
    """Rows of ``admin.list_users``; read-only."""

    COLUMNS = 7

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[UserRow] = []

    def set_rows(self, rows: list[UserRow]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> UserRow | None:
        """The user in ``row``, or None."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Users; a table has no children."""
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
            self.tr("User name"), self.tr("Full name"), self.tr("Role"), self.tr("Unit"), self.tr("Status"),
            self.tr("Locked until"), self.tr("Failed sign-ins"),
        )
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Cell text; the status column is coloured by state."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        user = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(user, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 6:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, user: UserRow, column: int) -> str | int | None:
        locked = user.locked_until is not None and user.locked_until > datetime.now(UTC)
        values: tuple[str | int, ...] = (
            user.username,
            user.display_name,
            role_name(user.role),
            user.org_unit_name,
            self.tr("Locked") if locked else (self.tr("Active") if user.active else self.tr("Disabled")),
            local_time(user.locked_until) if user.locked_until is not None and locked else "",
            user.failed_attempts,
        )
        return values[column] if 0 <= column < len(values) else None
