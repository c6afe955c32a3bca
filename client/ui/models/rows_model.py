"""The one base of GridCounter's read-only tables: rows of one type, columns declared as data, times in hall time.

A model lists its :class:`Column` s (a title marked with ``QT_TRANSLATE_NOOP`` in the model's own context, the
cell's text, whether it is a number) in ``COLUMNS``; :class:`RowsModel` does the rest of Qt's model contract
(rows, header, display, alignment), and a subclass adds a tooltip or a colour where it has one. Every time
shown goes through :func:`hall_text`: the hall's clock (``shared_models.rules.hall_time``), whatever zone
this PC is set to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Final, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, Qt

from shared_models.rules.hall_time import HALL_TZ, as_hall_time

RowT = TypeVar("RowT")
Index = QModelIndex | QPersistentModelIndex

RIGHT: Final = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT: Final = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
#: To the minute (desk tables), and to the second (where two clocks are compared by eye).
MINUTES: Final = "%Y-%m-%d %H:%M"
SECONDS: Final = "%Y-%m-%d %H:%M:%S"


def hall_text(moment: dt.datetime | None, fmt: str = SECONDS) -> str:
    """``moment`` as the hall's clock reads it (a naive time is a counter's, already hall time), or empty."""
    return as_hall_time(moment).astimezone(HALL_TZ).strftime(fmt) if moment is not None else ""


@dataclass(frozen=True, slots=True)
class Column(Generic[RowT]):
    """One column: its title (source text in the model's context) and how a row shows in it."""

    title: str
    text: Callable[[RowT], str | int]
    #: Amounts and counts: right-aligned.
    numeric: bool = False


class RowsModel(QAbstractTableModel, Generic[RowT]):
    """A read-only table of ``COLUMNS`` over a list of rows; rows are numbered in the vertical header."""

    #: The translation context of the titles (the model's class name, as its ``self.tr`` would use).
    CONTEXT: ClassVar[str] = ""
    COLUMNS: ClassVar[tuple[Column[Any], ...]] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RowT] = []

    def set_rows(self, rows: Sequence[RowT]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def append_rows(self, rows: Sequence[RowT]) -> None:
        """Add rows after the current ones (the next page)."""
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def rows(self) -> list[RowT]:
        """The rows shown."""
        return list(self._rows)

    def row_at(self, row: int) -> RowT | None:
        """The item in ``row``, or None."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Rows; a table has no children."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Fixed columns."""
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Translated column titles; rows are numbered."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        if not 0 <= section < len(self.COLUMNS):
            return None
        return QCoreApplication.translate(self.CONTEXT, self.COLUMNS[section].title)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Cell text, alignment, and what a subclass adds (:meth:`tooltip`, :meth:`foreground`)."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < len(self.COLUMNS):
            return None
        row, column = self._rows[index.row()], self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column.numeric else LEFT
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, index.column())
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(row)
        return None

    def tooltip(self, row: RowT, column: int) -> str | None:
        """A cell's tooltip (none unless a subclass says)."""
        return None

    def foreground(self, row: RowT) -> object:
        """A row's text colour (the default unless a subclass says)."""
        return None


def translated(context: str, source: str) -> str:
    """``source`` translated in ``context`` (a model's cell text marked with ``QT_TRANSLATE_NOOP``)."""
    return QCoreApplication.translate(context, source)
