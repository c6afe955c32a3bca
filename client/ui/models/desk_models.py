"""The cashier desk's tables: open bills with their late fee to today, the allocation preview of a
payment, and the customer's recent payments. Read-only models; money shown in yuan from integer fen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Final

from client.core.receipts import period_text
from client.ui.messages import tender_name
from client.ui.models.rows_model import MINUTES, Column, RowsModel, hall_text, translated
from shared_models.methods.customers import OpenBillView, RecentPayment
from shared_models.methods.payments import AllocationLine
from shared_models.money import format_fen

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # PySide6's stub says it returns object
        ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

_SETTLED: Final = QT_TRANSLATE_NOOP("AllocationModel", "Settled")
_PARTLY: Final = QT_TRANSLATE_NOOP("AllocationModel", "Partly paid")
_OPEN: Final = QT_TRANSLATE_NOOP("AllocationModel", "Stays open")
_VOIDED: Final = QT_TRANSLATE_NOOP("RecentPaymentsModel", "Voided")
_PAID: Final = QT_TRANSLATE_NOOP("RecentPaymentsModel", "Paid")


class OpenBillsModel(RowsModel[OpenBillView]):
    """The customer's open bills, oldest first, with the late fee to today (DOMAIN §5)."""

    CONTEXT = "OpenBillsModel"
    COLUMNS: ClassVar[tuple[Column[Any], ...]] = (
        Column(QT_TRANSLATE_NOOP("OpenBillsModel", "Period"), lambda b: period_text(b.period)),
        Column(QT_TRANSLATE_NOOP("OpenBillsModel", "Bill"), lambda b: b.bill_no),
        Column(QT_TRANSLATE_NOOP("OpenBillsModel", "kWh"), lambda b: b.kwh, numeric=True),
        Column(QT_TRANSLATE_NOOP("OpenBillsModel", "Principal open"), lambda b: format_fen(b.principal_open_fen),
               numeric=True),
        Column(QT_TRANSLATE_NOOP("OpenBillsModel", "Due date"), lambda b: b.due_on.isoformat()),
        Column(QT_TRANSLATE_NOOP("OpenBillsModel", "Days late"), lambda b: str(b.late_days), numeric=True),
        Column(QT_TRANSLATE_NOOP("OpenBillsModel", "Late fee"), lambda b: format_fen(b.late_fee_fen), numeric=True),
        Column(QT_TRANSLATE_NOOP("OpenBillsModel", "Owed today"),
               lambda b: format_fen(b.principal_open_fen + b.late_fee_fen), numeric=True),
    )


def _allocation_state(line: AllocationLine) -> str:
    if line.settles_bill:
        return translated("AllocationModel", _SETTLED)
    if line.pay_late_fee_fen or line.pay_principal_fen:
        return translated("AllocationModel", _PARTLY)
    return translated("AllocationModel", _OPEN)


class AllocationModel(RowsModel[AllocationLine]):
    """How the payment being entered would be allocated: oldest bill first, late fee before principal."""

    CONTEXT = "AllocationModel"
    COLUMNS: ClassVar[tuple[Column[Any], ...]] = (
        Column(QT_TRANSLATE_NOOP("AllocationModel", "Period"), lambda a: period_text(a.period)),
        Column(QT_TRANSLATE_NOOP("AllocationModel", "Late fee"), lambda a: format_fen(a.late_fee_fen), numeric=True),
        Column(QT_TRANSLATE_NOOP("AllocationModel", "Principal open"), lambda a: format_fen(a.principal_open_fen),
               numeric=True),
        Column(QT_TRANSLATE_NOOP("AllocationModel", "Pays late fee"), lambda a: format_fen(a.pay_late_fee_fen),
               numeric=True),
        Column(QT_TRANSLATE_NOOP("AllocationModel", "Pays principal"), lambda a: format_fen(a.pay_principal_fen),
               numeric=True),
        Column(QT_TRANSLATE_NOOP("AllocationModel", "Bill"), _allocation_state),
    )


class RecentPaymentsModel(RowsModel[RecentPayment]):
    """The customer's latest payments, newest first."""

    CONTEXT = "RecentPaymentsModel"
    COLUMNS: ClassVar[tuple[Column[Any], ...]] = (
        Column(QT_TRANSLATE_NOOP("RecentPaymentsModel", "Receipt"), lambda p: p.receipt_no),
        Column(QT_TRANSLATE_NOOP("RecentPaymentsModel", "Time"), lambda p: hall_text(p.paid_at, MINUTES)),
        Column(QT_TRANSLATE_NOOP("RecentPaymentsModel", "Amount"), lambda p: format_fen(p.amount_fen), numeric=True),
        Column(QT_TRANSLATE_NOOP("RecentPaymentsModel", "Method"),
               lambda p: " + ".join(tender_name(m) for m in p.methods)),
        Column(QT_TRANSLATE_NOOP("RecentPaymentsModel", "Counter"), lambda p: p.counter_code),
        Column(QT_TRANSLATE_NOOP("RecentPaymentsModel", "State"),
               lambda p: translated("RecentPaymentsModel", _VOIDED if p.voided else _PAID)),
    )
