"""The cashier desk's tables: open bills with their late fee to today, the allocation preview of a
payment, and the customer's recent payments. Read-only models; money shown in yuan from integer fen."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from client.core.receipts import period_text
from client.ui.messages import tender_name
from shared_models.methods.customers import OpenBillView, RecentPayment
from shared_models.methods.payments import AllocationLine
from shared_models.money import format_fen
from shared_models.rules.hall_time import in_hall_time

_Index = QModelIndex | QPersistentModelIndex
RowT = TypeVar("RowT")

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class _RowsModel(QAbstractTableModel, Generic[RowT]):
    """Rows of one pydantic type; subclasses give the titles (with their own ``tr`` context) and cells."""

    #: Columns holding numbers (right-aligned).
    NUMERIC: frozenset[int] = frozenset()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RowT] = []

    def set_rows(self, rows: Sequence[RowT]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[RowT]:
        """The rows shown."""
        return list(self._rows)

    def row_at(self, row: int) -> RowT | None:
        """The item in ``row``, or None."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def titles(self) -> tuple[str, ...]:
        raise NotImplementedError

    def cells(self, row: RowT) -> tuple[str, ...]:
        raise NotImplementedError

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Rows; a table has no children."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Fixed columns."""
        return 0 if parent.isValid() else len(self.titles())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Translated column titles; rows are numbered."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        titles = self.titles()
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Cell text; amounts right-aligned."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in self.NUMERIC else _LEFT
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        values = self.cells(self._rows[index.row()])
        return values[column] if 0 <= column < len(values) else None


class OpenBillsModel(_RowsModel[OpenBillView]):
    """The customer's open bills, oldest first, with the late fee to today (DOMAIN §5)."""

    NUMERIC = frozenset({2, 3, 5, 6, 7})

    def titles(self) -> tuple[str, ...]:
        """Column titles."""
        return (self.tr("Period"), self.tr("Bill"), self.tr("kWh"), self.tr("Principal open"), self.tr("Due date"),
                self.tr("Days late"), self.tr("Late fee"), self.tr("Owed today"))

    def cells(self, row: OpenBillView) -> tuple[str, ...]:
        """One bill's cells."""
        return (period_text(row.period), row.bill_no, row.kwh, format_fen(row.principal_open_fen),
                row.due_on.isoformat(), str(row.late_days), format_fen(row.late_fee_fen),
                format_fen(row.principal_open_fen + row.late_fee_fen))


class AllocationModel(_RowsModel[AllocationLine]):
    """How the payment being entered would be allocated: oldest bill first, late fee before principal."""

    NUMERIC = frozenset({1, 2, 3, 4})

    def titles(self) -> tuple[str, ...]:
        """Column titles."""
        return (self.tr("Period"), self.tr("Late fee"), self.tr("Principal open"), self.tr("Pays late fee"),
                self.tr("Pays principal"), self.tr("Bill"))

    def cells(self, row: AllocationLine) -> tuple[str, ...]:
        """One allocation line's cells."""
        if row.settles_bill:
            state = self.tr("Settled")
        elif row.pay_late_fee_fen or row.pay_principal_fen:
            state = self.tr("Partly paid")
        else:
            state = self.tr("Stays open")
        return (period_text(row.period), format_fen(row.late_fee_fen), format_fen(row.principal_open_fen),
                format_fen(row.pay_late_fee_fen), format_fen(row.pay_principal_fen), state)


class RecentPaymentsModel(_RowsModel[RecentPayment]):
    """The customer's latest payments, newest first."""

    NUMERIC = frozenset({2})

    def titles(self) -> tuple[str, ...]:
        """Column titles."""
        return (self.tr("Receipt"), self.tr("Time"), self.tr("Amount"), self.tr("Method"), self.tr("Counter"),
                self.tr("State"))

    def cells(self, row: RecentPayment) -> tuple[str, ...]:
        """One payment's cells."""
        methods = " + ".join(tender_name(m) for m in row.methods)
        state = self.tr("Voided") if row.voided else self.tr("Paid")
        return (row.receipt_no, in_hall_time(row.paid_at).strftime("%Y-%m-%d %H:%M"), format_fen(row.amount_fen),
                methods, row.counter_code, state)
