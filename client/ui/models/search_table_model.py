"""Customer search hits as a table: 户号, name, address, phone, meter number, status."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush

from client.ui.messages import customer_value
from client.ui.models.rows_model import Column, RowsModel
from shared_models.methods.customers import CustomerStatus, SearchHit

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # PySide6's stub says it returns object
        ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP


class SearchTableModel(RowsModel[SearchHit]):
    """Rows of ``customer.search_customers`` in rank order; read-only. Pages are appended."""

    CUSTOMER_NO, NAME, ADDRESS, PHONE, METER, STATUS = range(6)
    CONTEXT = "SearchTableModel"
    COLUMNS: ClassVar[tuple[Column[Any], ...]] = (
        Column(QT_TRANSLATE_NOOP("SearchTableModel", "Account no."), lambda h: h.customer_no),
        Column(QT_TRANSLATE_NOOP("SearchTableModel", "Name"), lambda h: h.name),
        Column(QT_TRANSLATE_NOOP("SearchTableModel", "Address"), lambda h: h.address),
        Column(QT_TRANSLATE_NOOP("SearchTableModel", "Phone"), lambda h: h.phone),
        Column(QT_TRANSLATE_NOOP("SearchTableModel", "Meter no."), lambda h: h.meter_no),
        Column(QT_TRANSLATE_NOOP("SearchTableModel", "Status"), lambda h: customer_value(h.status)),
    )

    def set_hits(self, hits: Sequence[SearchHit]) -> None:
        """Replace every row (a new search)."""
        self.set_rows(hits)

    def append_hits(self, hits: Sequence[SearchHit]) -> None:
        """Add the rows of the next page after the current ones."""
        self.append_rows(hits)

    def hit_at(self, row: int) -> SearchHit | None:
        """The hit in ``row``, or None."""
        return self.row_at(row)

    def tooltip(self, row: SearchHit, column: int) -> str | None:
        """The full address."""
        return row.address if column == self.ADDRESS else None

    def foreground(self, row: SearchHit) -> object:
        """A customer not in supply is greyed out."""
        return QBrush(Qt.GlobalColor.gray) if row.status is not CustomerStatus.ACTIVE else None
