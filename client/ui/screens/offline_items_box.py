"""The offline items of a shift under its figures (SPEC §5): each payment taken offline or signed as unsent at
the close, with both clocks and whether the center has confirmed it. Part of the shift screen (its texts keep
the shift screen's translation context)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from client.ui.models.outbox_model import clock_text
from shared_models.methods.shifts import OfflineItemLine, OfflineStatus
from shared_models.money import format_fen

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # PySide6's stub says it returns object
        ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

#: Where an offline item stands, as the cashier reads it.
OFFLINE_STATUS_NAMES: dict[OfflineStatus, str] = {
    OfflineStatus.CONFIRMED: QT_TRANSLATE_NOOP("Shifts", "Confirmed"),
    OfflineStatus.UNCONFIRMED: QT_TRANSLATE_NOOP("Shifts", "Not yet confirmed"),
    OfflineStatus.CONFIRMED_LATER: QT_TRANSLATE_NOOP("Shifts", "Confirmed after the close"),
}


class OfflineItemsBox(QGroupBox):
    """A titled table of a shift's offline items; hidden while there are none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(QCoreApplication.translate("ShiftScreen", "Offline payments"), parent)
        self.setObjectName("offlineBox")
        titles = [QCoreApplication.translate("ShiftScreen", "Receipt"),
                  QCoreApplication.translate("ShiftScreen", "Account"),
                  QCoreApplication.translate("ShiftScreen", "Amount (yuan)"),
                  QCoreApplication.translate("ShiftScreen", "Taken at (counter clock)"),
                  QCoreApplication.translate("ShiftScreen", "Booked at (server clock)"),
                  QCoreApplication.translate("ShiftScreen", "Status"),
                  QCoreApplication.translate("ShiftScreen", "Note")]
        self.table = QTableWidget(0, len(titles))
        self.table.setObjectName("offlineTable")
        self.table.setHorizontalHeaderLabels(titles)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMaximumHeight(180)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

    def show_items(self, items: list[OfflineItemLine], *, shift_no: str | None) -> None:
        """Show the offline items of shift ``shift_no``."""
        self.setVisible(bool(items))
        self.setTitle(QCoreApplication.translate("ShiftScreen", "Offline payments: {count}").format(count=len(items)))
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            values = (item.receipt_no, item.customer_no, format_fen(item.amount_fen), clock_text(item.local_time),
                      clock_text(item.booked_at),
                      QCoreApplication.translate("Shifts", OFFLINE_STATUS_NAMES[item.status]), _note(item, shift_no))
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                if column == 2:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, cell)


def _note(item: OfflineItemLine, shift_no: str | None) -> str:
    parts = []
    if item.from_shift_no:
        parts.append(QCoreApplication.translate("ShiftScreen", "from shift {shift_no}").format(
            shift_no=item.from_shift_no))
    if item.booked_shift_no and item.booked_shift_no != shift_no:
        parts.append(QCoreApplication.translate("ShiftScreen", "booked in shift {shift_no}").format(
            shift_no=item.booked_shift_no))
    if item.redirected_to_prepayment_fen:
        parts.append(QCoreApplication.translate("ShiftScreen", "{amount} went to prepayment").format(
            amount=format_fen(item.redirected_to_prepayment_fen)))
    if item.voided:
        parts.append(QCoreApplication.translate("ShiftScreen", "voided"))
    return "; ".join(parts)
