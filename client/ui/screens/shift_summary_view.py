"""A shift's figures as the cashier reads them before and after closing: a view of a ``ShiftSummary`` only."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from client.core.cash_count import DifferenceKind, difference_kind
from client.ui.messages import tender_name
from shared_models.methods.shifts import ShiftSummary
from shared_models.money import format_fen
from shared_models.rules.hall_time import in_hall_time

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # PySide6's stub says it returns object
        ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

#: Business types as the contract names them (``BusinessType``), as the settlement groups money.
BUSINESS_NAMES: dict[str, str] = {
    "electricity": QT_TRANSLATE_NOOP("BusinessTypes", "Electricity"),
    "late_fee": QT_TRANSLATE_NOOP("BusinessTypes", "Late fees"),
    "prepayment": QT_TRANSLATE_NOOP("BusinessTypes", "Prepayment"),
    "card_purchase": QT_TRANSLATE_NOOP("BusinessTypes", "Card purchase"),
    "service_fee": QT_TRANSLATE_NOOP("BusinessTypes", "Service fees"),
}

_TIME = "%Y-%m-%d %H:%M"
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def business_name(code: str) -> str:
    """The translated name of a business type (``"late_fee"`` -> ``"违约金"``); unknown codes as sent."""
    source = BUSINESS_NAMES.get(code)
    return QCoreApplication.translate("BusinessTypes", source) if source else code


def difference_text(difference_fen: int) -> str:
    """``1.00 长款`` / ``-0.50 短款`` / ``0.00``: counted minus expected cash, and which way it goes."""
    kind = difference_kind(difference_fen)
    if kind is DifferenceKind.OVER:
        return QCoreApplication.translate("Shifts", "{amount} over (长款)").format(amount=format_fen(difference_fen))
    if kind is DifferenceKind.SHORT:
        return QCoreApplication.translate("Shifts", "{amount} short (短款)").format(amount=format_fen(difference_fen))
    return format_fen(0)


def shown_time(moment: object) -> str:
    """A server time as the hall reads it (``2026-11-23 09:00``), or empty."""
    return in_hall_time(moment).strftime(_TIME) if isinstance(moment, dt.datetime) else ""


def _table(name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], *, right_from: int) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c >= right_from:
                item.setTextAlignment(_RIGHT)
            table.setItem(r, c, item)


class ShiftSummaryView(QWidget):
    """Totals by method and business type, voids, receipts used, expected cash and, once closed, the count."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shiftSummaryView")
        self.summary: ShiftSummary | None = None
        self.values: dict[str, QLabel] = {}

        figures = QGroupBox(self.tr("Totals"))
        form = QFormLayout(figures)
        for name, caption in (
            ("paymentsCountValue", self.tr("Payments")),
            ("collectedValue", self.tr("Collected (yuan)")),
            ("receiptsUsedValue", self.tr("Receipt numbers used")),
            ("voidedCountValue", self.tr("Voided receipts")),
            ("expectedCashValue", self.tr("Expected cash in the drawer (yuan)")),
            ("offlineCountValue", self.tr("Accepted offline")),
        ):
            form.addRow(caption, self._value(name))

        self.closing_box = QGroupBox(self.tr("Closing"))
        closing = QFormLayout(self.closing_box)
        for name, caption in (
            ("closedAtValue", self.tr("Closed at")),
            ("countedCashValue", self.tr("Counted cash (yuan)")),
            ("differenceValue", self.tr("Difference (yuan)")),
            ("approvedByValue", self.tr("Difference approved by")),
            ("depositSlipValue", self.tr("Deposit slip number (解款单号)")),
            ("noteValue", self.tr("Note")),
        ):
            closing.addRow(caption, self._value(name))

        self.methods_table = _table("methodsTable", [self.tr("Payment method"), self.tr("Count"),
                                                     self.tr("Amount (yuan)")])
        self.business_table = _table("businessTable", [self.tr("Business type"), self.tr("Count"),
                                                       self.tr("Amount (yuan)")])
        self.voids_table = _table("voidsTable", [self.tr("Receipt number"), self.tr("Amount (yuan)"),
                                                 self.tr("Voided at"), self.tr("Co-signed by"), self.tr("Reason")])

        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(figures, 0, 0)
        layout.addWidget(self.closing_box, 0, 1)
        layout.addWidget(self._titled(self.tr("By payment method"), self.methods_table), 1, 0)
        layout.addWidget(self._titled(self.tr("By business type"), self.business_table), 1, 1)
        layout.addWidget(self._titled(self.tr("Voided receipts (冲正)"), self.voids_table), 2, 0, 1, 2)
        self.show_summary(None)

    def _value(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.values[name] = label
        return label

    @staticmethod
    def _titled(title: str, table: QTableWidget) -> QGroupBox:
        box = QGroupBox(title)
        inner = QGridLayout(box)
        inner.addWidget(table)
        return box

    def value(self, name: str) -> str:
        """The text shown in the value label ``name`` (tests and screenshots read the screen through this)."""
        return self.values[name].text()

    def show_summary(self, summary: ShiftSummary | None) -> None:
        """Render ``summary``; None clears the view."""
        self.summary = summary
        s = summary
        ranges = [f"{r.first} – {r.last} ({r.count})" for r in s.receipts_used] if s else []
        texts = {
            "paymentsCountValue": str(s.payments_count) if s else "",
            "collectedValue": format_fen(s.collected_fen) if s else "",
            "receiptsUsedValue": "\n".join(ranges) if ranges else (self.tr("none") if s else ""),
            "voidedCountValue": str(len(s.voids)) if s else "",
            "expectedCashValue": format_fen(s.expected_cash_fen) if s else "",
            "offlineCountValue": str(s.offline_count) if s else "",
        }
        closing = s.closing if s else None
        texts |= {
            "closedAtValue": shown_time(closing.closed_at) if closing else "",
            "countedCashValue": format_fen(closing.counted_cash_fen) if closing else "",
            "differenceValue": difference_text(closing.difference_fen) if closing else "",
            "approvedByValue": (closing.approved_by or "—") if closing else "",
            "depositSlipValue": closing.deposit_slip_no if closing else "",
            "noteValue": closing.note if closing else "",
        }
        for name, text in texts.items():
            self.values[name].setText(text)
        self.closing_box.setVisible(closing is not None)
        _fill(self.methods_table, [[tender_name(m.method), str(m.count), format_fen(m.amount_fen)]
                                   for m in (s.methods if s else [])], right_from=1)
        _fill(self.business_table, [[business_name(b.business), str(b.count), format_fen(b.amount_fen)]
                                    for b in (s.businesses if s else [])], right_from=1)
        _fill(self.voids_table, [[v.receipt_no, format_fen(v.amount_fen), shown_time(v.voided_at), v.cosigned_by,
                                  v.reason] for v in (s.voids if s else [])], right_from=1)
