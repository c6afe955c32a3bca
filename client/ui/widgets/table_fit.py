"""Tables that fit a counter screen: key columns whole, secondary ones in what is left, rows counted in.

A counter runs at 1024×768 or 1366×768 (docs/cashier-desk.md). A table that decides a payment must show
its key columns (bill period, amount due, late fee, paid now, what remains) without a sideways scroll bar,
and the shift's short tables every row. :class:`TableFit` lays a table out that way instead of leaving it
to ``ResizeToContents`` and the layout, which squeeze a table until it scrolls:

* every key column is exactly as wide as its header and its cells need (never elided), and the table's
  minimum width is their sum, so the screen's layout gives it at least that;
* secondary columns share what is left, in their order of priority: whole while there is room, elided
  (the full text in the cell's tooltip) down to a few characters, and hidden below that; a
  :class:`RowDetails` line under the table shows the current row's secondary values in full;
* rows are compact and the table's minimum height holds ``min_rows`` of them (None: all of them).

The model's columns are never changed: only the view decides widths, order and what a narrow screen
moves to the details line.
"""

from __future__ import annotations

from collections.abc import Sequence

import shiboken6
from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFontMetrics, QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QWidget,
)

_Index = QModelIndex | QPersistentModelIndex
# A secondary column narrower than this many average characters is hidden rather than elided.
_MIN_USEFUL_CHARS = 6
# Space above and below the text of a compact row, in pixels.
_ROW_PADDING = 6
# The roles whose change can change a cell's width (a dataChanged naming only others needs no new layout).
_SIZE_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.DecorationRole,
                         Qt.ItemDataRole.SizeHintRole, Qt.ItemDataRole.CheckStateRole})


class ElidedTooltipDelegate(QStyledItemDelegate):
    """Paints cells as usual; a cell whose text does not fit shows its full text as a tooltip."""

    def helpEvent(self, event: QHelpEvent, view: QAbstractItemView, option: QStyleOptionViewItem,
                  index: _Index) -> bool:
        """A tooltip with the full text of an elided cell (the model gives none)."""
        if event.type() == QEvent.Type.ToolTip and index.isValid():
            text = index.data(Qt.ItemDataRole.DisplayRole)
            tip = index.data(Qt.ItemDataRole.ToolTipRole)
            if not tip and text and self.sizeHint(option, index).width() > option.rect.width():
                QToolTip.showText(event.globalPos(), str(text), view)
                return True
        return super().helpEvent(event, view, option, index)


class TableFit(QObject):
    """Lays ``table`` out to fit (see the module docstring); keeps doing so as rows, texts and size change.

    ``key``: the columns that must stay whole (None: every column); ``secondary``: the others, most
    useful first. ``order``: the columns in the order shown (default: key, then secondary). ``min_rows``:
    rows the minimum height holds (None: every row). ``fill``: the column that takes spare width (default:
    the last one shown)."""

    def __init__(self, table: QTableView, *, key: Sequence[int] | None = None, secondary: Sequence[int] = (),
                 order: Sequence[int] | None = None, min_rows: int | None = None, fill: int | None = None) -> None:
        super().__init__(table)
        self.setObjectName(f"{table.objectName()}Fit")
        self.table = table
        self._key = list(key) if key is not None else None
        self.secondary = list(secondary)
        self._order = list(order) if order is not None else None
        self.min_rows = min_rows
        self._fill = fill
        self._model: QAbstractItemModel | None = None
        self._busy = False
        # The columns' natural widths as last measured; None after anything that can change them (rows,
        # texts, font, style, language). A resize or a show lays out again from these: measuring asks the
        # model for every role of every measured cell, which is most of a large table's layout time.
        self._widths: dict[int, int] | None = None
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionsMovable(False)
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # bill and receipt numbers differ at both ends
        table.setWordWrap(False)
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._delegate = ElidedTooltipDelegate(table)
        table.setItemDelegate(self._delegate)
        table.installEventFilter(self)
        table.viewport().installEventFilter(self)
        self._watch(table.model())
        self.refit()

    # --- what is key, what is shown --------------------------------------------------------------------

    def key_columns(self) -> list[int]:
        """The columns that must stay whole."""
        model = self.table.model()
        count = model.columnCount() if model is not None else 0
        if self._key is not None:
            return [c for c in self._key if c < count]
        return [c for c in range(count) if c not in self.secondary]

    def hidden_columns(self) -> list[int]:
        """The secondary columns the width left no room for (their values are on the details line)."""
        return [c for c in self.secondary if self.table.isColumnHidden(c)]

    def natural_width(self, column: int) -> int:
        """What ``column`` needs to show its header and its cells whole."""
        table = self.table
        return max(table.horizontalHeader().sectionSizeHint(column), table.sizeHintForColumn(column), 0)

    def row_height(self) -> int:
        """The height of one compact row."""
        return QFontMetrics(self.table.font()).height() + _ROW_PADDING

    # --- laying out ------------------------------------------------------------------------------------

    def refit(self, *, measure: bool = True) -> None:
        """Widths, order, hidden columns and minimum size, from the rows and the space there are now
        (``measure=False``: from the widths last measured, when only the space changed)."""
        if measure:
            self._widths = None
        if self._busy or not shiboken6.isValid(self.table):
            return  # a QTableWidget's own model reports its rows going while the table is being deleted
        model = self.table.model()
        if model is None:
            return
        if model is not self._model:
            self._watch(model)
        self._busy = True
        try:
            self._arrange(model.columnCount())
        finally:
            self._busy = False

    def _arrange(self, count: int) -> None:
        table, header = self.table, self.table.horizontalHeader()
        table.verticalHeader().setDefaultSectionSize(self.row_height())
        order = [c for c in (self._order or [*self.key_columns(), *self.secondary]) if c < count]
        order += [c for c in range(count) if c not in order]
        for visual, logical in enumerate(order):
            current = header.visualIndex(logical)
            if current != visual:
                header.moveSection(current, visual)
        key = self.key_columns()
        known = self._widths or {}
        widths = {c: known[c] if c in known else self.natural_width(c) for c in range(count)}
        self._widths = dict(widths)
        for column in range(count):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        room = table.viewport().width() - sum(widths[c] for c in key)
        shown = list(key)
        useful = QFontMetrics(table.font()).averageCharWidth() * _MIN_USEFUL_CHARS
        for column in self.secondary:
            if column >= count:
                continue
            width = min(widths[column], room)
            hide = width < min(useful, widths[column])
            table.setColumnHidden(column, hide)
            if hide:
                continue
            widths[column] = width
            room -= width
            shown.append(column)
        fill = self._fill if self._fill is not None and self._fill in shown else \
            max(shown, key=header.visualIndex, default=None)
        for column in shown:
            extra = max(room, 0) if column == fill else 0
            header.resizeSection(column, widths[column] + extra)
        self._set_minimum(key, widths)

    def _set_minimum(self, key: list[int], widths: dict[int, int]) -> None:
        table = self.table
        frame = 2 * table.frameWidth()
        scroll = table.verticalScrollBar().sizeHint().width()
        table.setMinimumWidth(sum(widths[c] for c in key) + frame + scroll)
        rows = table.model().rowCount() if table.model() is not None else 0
        wanted = max(rows if self.min_rows is None else min(rows, self.min_rows), 1)
        header = table.horizontalHeader()
        header_height = 0 if header.isHidden() else header.sizeHint().height()
        height = header_height + wanted * self.row_height() + frame
        table.setMinimumHeight(height)
        if self.min_rows is None:  # every row: no more, so the spare height goes to the tables that scroll
            table.setMaximumHeight(height)
            parent = table.parentWidget()
            layout = parent.layout() if parent is not None else None
            if layout is not None:
                layout.setAlignment(table, Qt.AlignmentFlag.AlignTop)  # under its title, not floating mid-box
        table.updateGeometry()

    # --- following the table ---------------------------------------------------------------------------

    def _watch(self, model: QAbstractItemModel | None) -> None:
        if self._model is not None:
            for signal in self._signals(self._model):
                signal.disconnect(self._on_model_changed)
            self._model.dataChanged.disconnect(self._on_data_changed)
        self._model = model
        if model is not None:
            for signal in self._signals(model):
                signal.connect(self._on_model_changed)
            model.dataChanged.connect(self._on_data_changed)

    @staticmethod
    def _signals(model: QAbstractItemModel) -> tuple:  # type: ignore[type-arg]
        return (model.modelReset, model.rowsInserted, model.rowsRemoved, model.layoutChanged,
                model.headerDataChanged, model.columnsInserted, model.columnsRemoved)

    def _on_model_changed(self, *_args: object) -> None:
        self.refit()

    def _on_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, roles: Sequence[int] = ()) -> None:
        """Cells changed: measure again only their columns, and nothing when only their colours changed."""
        if roles and not set(roles) & _SIZE_ROLES:
            return
        if self._widths is not None:
            for column in range(top_left.column(), bottom_right.column() + 1):
                self._widths.pop(column, None)
        self.refit(measure=False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Refit when the table is resized or shown (from the widths measured), or its font, style or language
        changes (measured again)."""
        kind = event.type()
        if kind in {QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.LanguageChange, QEvent.Type.Polish}:
            self.refit()
        elif kind in {QEvent.Type.Resize, QEvent.Type.Show}:
            self.refit(measure=False)
        return False


class RowDetails(QLabel):
    """One line under a table: the current row's secondary values (hidden or elided there), in full.

    The titles are the model's own header texts; with no current row it describes the first row."""

    def __init__(self, fit: TableFit, *, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._fit = fit
        table = fit.table
        model = table.model()
        if model is not None:
            for signal in (model.modelReset, model.dataChanged, model.rowsInserted, model.rowsRemoved,
                           model.layoutChanged):
                signal.connect(self.render)
        selection = table.selectionModel()
        if selection is not None:
            selection.currentRowChanged.connect(self.render)
        self.render()

    def render(self, *_args: object) -> None:
        """Show the current (or first) row's secondary values."""
        table = self._fit.table
        if not shiboken6.isValid(self) or not shiboken6.isValid(table):
            return
        model = table.model()
        if model is None or model.rowCount() == 0:
            self.setText("")
            return
        row = table.currentIndex().row() if table.currentIndex().isValid() else 0
        key = self._fit.key_columns()
        title = model.index(row, key[0]).data() if key else None
        parts = [self.tr("{title} {value}").format(
            title=model.headerData(c, Qt.Orientation.Horizontal), value=model.index(row, c).data())
            for c in self._fit.secondary if c < model.columnCount()]
        line = " · ".join(parts)
        self.setText(self.tr("{row}: {details}").format(row=title, details=line) if title else line)
