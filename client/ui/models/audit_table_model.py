"""Audit records, newest first, as a table; times in hall time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtGui import QColor

from client.ui.messages import error_message
from client.ui.models.rows_model import Column, RowsModel, hall_text
from shared_models.methods.audit import AuditRow

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # PySide6's stub says it returns object
        ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

# A refused attempt's text colour: it stands out among the changes.
REFUSED_COLOR = QColor("#b00020")


class AuditTableModel(RowsModel[AuditRow]):
    """Rows of ``audit.list_records``; read-only. A refused attempt says why it was refused, in red."""

    CONTEXT = "AuditTableModel"
    COLUMNS: ClassVar[tuple[Column[Any], ...]] = (
        Column(QT_TRANSLATE_NOOP("AuditTableModel", "Time"), lambda r: hall_text(r.at)),
        Column(QT_TRANSLATE_NOOP("AuditTableModel", "User"), lambda r: r.username),
        Column(QT_TRANSLATE_NOOP("AuditTableModel", "Co-signer"), lambda r: r.cosigner or ""),
        Column(QT_TRANSLATE_NOOP("AuditTableModel", "Counter"), lambda r: r.counter_code or ""),
        Column(QT_TRANSLATE_NOOP("AuditTableModel", "Action"), lambda r: r.method),
        Column(QT_TRANSLATE_NOOP("AuditTableModel", "Target"), lambda r: r.target),
        Column(QT_TRANSLATE_NOOP("AuditTableModel", "Chain"), lambda r: f"{r.chain} #{r.seq}"),
        Column(QT_TRANSLATE_NOOP("AuditTableModel", "Refused"),
               lambda r: error_message(r.refusal, r.refusal_params) if r.refusal is not None else ""),
    )

    def foreground(self, row: AuditRow) -> object:
        """A refused attempt in red."""
        return REFUSED_COLOR if row.refusal is not None else None
