"""The bill run tables: a bill's priced lines (what priced each one) and the review table of a run's drafts.

Read-only models over the server's rows; money shown in yuan from integer fen, kWh and prices as the decimal
strings they travel as. The drafts model gives a sort key per cell (numbers as numbers, for ``DraftsProxy``) and
colours a row by its worst finding (``client.ui.billrun_words``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Final

from PySide6.QtCore import QSortFilterProxyModel

from client.core.receipts import period_text
from client.ui.billrun_words import draft_anomaly_message, draft_severity, line_title, severity_colour
from client.ui.models.rows_model import Column, Index, RowsModel, translated
from shared_models.methods.billruns import DraftRow
from shared_models.money import format_fen
from shared_models.pricing import PricedLine

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # PySide6's stub says it returns object
        ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

_HELD: Final = QT_TRANSLATE_NOOP("DraftsModel", "Held")
_RELEASED: Final = QT_TRANSLATE_NOOP("DraftsModel", "Released")
_NOT_PRICED: Final = QT_TRANSLATE_NOOP("DraftsModel", "Not priced")
_PENDING: Final = QT_TRANSLATE_NOOP("DraftsModel", "To release")


def _days(line: PricedLine) -> str:
    span = f"{line.days_from.isoformat()} – {line.days_to.isoformat()}"
    if line.days_charged is not None and line.days_basis is not None:
        span += f" ({line.days_charged}/{line.days_basis})"
    return span


class BillLinesModel(RowsModel[PricedLine]):
    """A bill's lines in order, each with what priced it."""

    CONTEXT = "BillLinesModel"
    COLUMNS: ClassVar[tuple[Column[Any], ...]] = (
        Column(QT_TRANSLATE_NOOP("BillLinesModel", "No."), lambda ln: str(ln.line_no), numeric=True),
        Column(QT_TRANSLATE_NOOP("BillLinesModel", "Line"), line_title),
        Column(QT_TRANSLATE_NOOP("BillLinesModel", "kWh / quantity"), lambda ln: str(ln.quantity), numeric=True),
        Column(QT_TRANSLATE_NOOP("BillLinesModel", "Price"), lambda ln: str(ln.unit_price), numeric=True),
        Column(QT_TRANSLATE_NOOP("BillLinesModel", "Amount"), lambda ln: format_fen(ln.amount_fen), numeric=True),
        Column(QT_TRANSLATE_NOOP("BillLinesModel", "Days"), _days),
        Column(QT_TRANSLATE_NOOP("BillLinesModel", "Tariff version"), lambda ln: ln.version_from.isoformat()),
    )


def _state(draft: DraftRow) -> str:
    if draft.bill_no is not None:
        return translated("DraftsModel", _RELEASED)
    if draft.held:
        return translated("DraftsModel", _HELD)
    if not draft.priced:
        return translated("DraftsModel", _NOT_PRICED)
    return translated("DraftsModel", _PENDING)


def _findings(draft: DraftRow) -> str:
    return " ".join(draft_anomaly_message(a) for a in draft.anomalies)


class DraftsModel(RowsModel[DraftRow]):
    """A run's drafts in book order: customer, kWh, amount, state and findings, coloured by severity."""

    CONTEXT = "DraftsModel"
    COLUMNS: ClassVar[tuple[Column[Any], ...]] = (
        Column(QT_TRANSLATE_NOOP("DraftsModel", "Seq."), lambda d: str(d.book_seq), numeric=True),
        Column(QT_TRANSLATE_NOOP("DraftsModel", "Account"), lambda d: d.customer_no),
        Column(QT_TRANSLATE_NOOP("DraftsModel", "Name"), lambda d: d.customer_name),
        Column(QT_TRANSLATE_NOOP("DraftsModel", "kWh"), lambda d: str(d.total_kwh), numeric=True),
        Column(QT_TRANSLATE_NOOP("DraftsModel", "Amount"), lambda d: format_fen(d.total_fen), numeric=True),
        Column(QT_TRANSLATE_NOOP("DraftsModel", "State"), _state),
        Column(QT_TRANSLATE_NOOP("DraftsModel", "Anomalies"), _findings),
    )
    #: The sort key of each column (the text, except numbers and the state by severity).
    _SORT_KEYS: ClassVar[tuple[Any, ...]] = (
        lambda d: d.book_seq, lambda d: d.customer_no, lambda d: d.customer_name, lambda d: d.total_kwh,
        lambda d: d.total_fen, lambda d: (d.bill_no is not None, d.held, d.priced),
        lambda d: (int(draft_severity(d)), len(d.anomalies)),
    )

    def sort_key(self, row: int, column: int) -> Any:
        """What ``column`` of ``row`` sorts by (None outside the table)."""
        draft = self.row_at(row)
        return self._SORT_KEYS[column](draft) if draft is not None and 0 <= column < len(self._SORT_KEYS) else None

    def tooltip(self, row: DraftRow, column: int) -> str | None:
        """The hold's reason on the state, every finding on the findings."""
        if column == 5 and row.hold_reason:
            return row.hold_reason
        if column == 6 and row.anomalies:
            return "\n".join(draft_anomaly_message(a) for a in row.anomalies)
        return None

    def foreground(self, row: DraftRow) -> object:
        """The row's colour: its worst finding."""
        return severity_colour(draft_severity(row))


class DraftsProxy(QSortFilterProxyModel):
    """Sorts the review table by each column's key (numbers as numbers, findings by severity)."""

    def lessThan(self, left: Index, right: Index) -> bool:
        """Compare the drafts' sort keys (Python values: Qt cannot compare them as variants)."""
        model = self.sourceModel()
        if not isinstance(model, DraftsModel):
            return super().lessThan(left, right)
        a, b = model.sort_key(left.row(), left.column()), model.sort_key(right.row(), right.column())
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)


def run_title(book_code: str, period: int) -> str:
    """``T01-B001 · 2026-11``."""
    return f"{book_code} · {period_text(period)}"
