"""The counter's outbox and the hall's attention list as tables (SPEC §5).

Both show two clocks side by side: when the cashier confirmed by the counter's clock, and when the server
booked (or learned of) it by the server's. A counter whose clock is wrong shows it here, and nothing
depends on it: the server's time books the entry. Money in yuan from integer fen; error codes as their
translated sentence (``client/ui/messages.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from client.core.outbox.items import ItemState, OutboxItem
from client.ui.messages import error_message
from shared_models.errors import ErrorCode
from shared_models.methods.payments import VOID_ATTESTED
from shared_models.methods.shifts import CLOSE, OPEN
from shared_models.methods.sync import AttentionItem, AttentionKind
from shared_models.money import format_fen
from shared_models.rules.as_of import AsOfRule
from shared_models.rules.hall_time import in_hall_time

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # PySide6's stub says it returns object
        ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

_Index = QModelIndex | QPersistentModelIndex
RowT = TypeVar("RowT")
_RIGHT: Final = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT: Final = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_ATTENTION_COLOR: Final = QColor("#b00020")
_TIME: Final = "%Y-%m-%d %H:%M:%S"

#: Outbox item states as the cashier reads them.
STATE_NAMES: Final[dict[ItemState, str]] = {
    ItemState.PENDING: QT_TRANSLATE_NOOP("Outbox", "Not yet confirmed"),
    ItemState.DONE: QT_TRANSLATE_NOOP("Outbox", "Confirmed"),
    ItemState.REJECTED: QT_TRANSLATE_NOOP("Outbox", "Refused"),
    ItemState.ATTENTION: QT_TRANSLATE_NOOP("Outbox", "Needs attention"),
}
#: Why an item is on the supervisor's list.
KIND_NAMES: Final[dict[AttentionKind, str]] = {
    AttentionKind.REFUSED: QT_TRANSLATE_NOOP("Outbox", "Refused on replay"),
    AttentionKind.REDIRECTED: QT_TRANSLATE_NOOP("Outbox", "Money went to prepayment"),
    AttentionKind.LATE_FEE_DAY: QT_TRANSLATE_NOOP("Outbox", "Late fee to the booking day"),
    AttentionKind.ATTESTED: QT_TRANSLATE_NOOP("Outbox", "Co-signed at the counter while offline"),
}
_ATTESTED_REASON: Final = QT_TRANSLATE_NOOP(
    "Outbox", "Done with the link down; {name} co-signed at the counter (checked there, not by the center). Review "
    "and acknowledge.")
_ACKNOWLEDGED_SUFFIX: Final = QT_TRANSLATE_NOOP("Outbox", "{state} (acknowledged by {name})")
_REDIRECTED_REASON: Final = QT_TRANSLATE_NOOP(
    "Outbox", "Accepted offline; the bills were paid elsewhere meanwhile, so ¥{amount} went to prepayment.")
_LATE_FEE_DAY_REASON: Final = QT_TRANSLATE_NOOP(
    "Outbox", "Accepted offline on {taken_on} (counter clock); that time is not plausible ({rule}), so the late "
              "fee was computed to {as_of}, the day it was booked. The receipt may show a different late fee.")
#: The as-of rule the counter's time broke (``shared_models.rules.as_of.AsOfRule``), in words.
AS_OF_RULE_NAMES: Final[dict[str, str]] = {
    AsOfRule.NO_TAKEN_AT: QT_TRANSLATE_NOOP("Outbox", "no counter time"),
    AsOfRule.IN_THE_FUTURE: QT_TRANSLATE_NOOP("Outbox", "ahead of the server's clock"),
    AsOfRule.BEFORE_SHIFT: QT_TRANSLATE_NOOP("Outbox", "before the shift opened"),
    AsOfRule.AFTER_SHIFT: QT_TRANSLATE_NOOP("Outbox", "after the shift closed"),
    AsOfRule.NOT_QUEUED_DAY: QT_TRANSLATE_NOOP("Outbox", "not the day it was queued"),
}


def _tr(source: str) -> str:
    return QCoreApplication.translate("Outbox", source)


def clock_text(moment: dt.datetime | None) -> str:
    """A moment in the hall's time, to the second (both clocks are compared by eye), or empty."""
    return in_hall_time(moment).strftime(_TIME) if moment is not None else ""


def state_text(item: OutboxItem) -> str:
    """The item's state in words, with who acknowledged it."""
    text = _tr(STATE_NAMES[item.state])
    if item.state is ItemState.ATTENTION and item.acknowledged_by:
        text = _tr(_ACKNOWLEDGED_SUFFIX).format(state=text, name=item.acknowledged_by)
    return text


#: What a queued item that is not a payment does, in the receipt column (SPEC §5: shifts and voids done offline).
_ACTIONS: Final[dict[str, str]] = {
    OPEN.name: QT_TRANSLATE_NOOP("Outbox", "Shift open {number}"),
    CLOSE.name: QT_TRANSLATE_NOOP("Outbox", "Shift close {number}"),
    VOID_ATTESTED.name: QT_TRANSLATE_NOOP("Outbox", "Void of {number}"),
}


def action_text(item: OutboxItem) -> str:
    """A queued shift open or close, or a void, in words (empty for anything else)."""
    source = _ACTIONS.get(item.method)
    if source is None:
        return ""
    number = item.body.get("receipt_no") if item.method == VOID_ATTESTED.name else item.shift_no
    return _tr(source).format(number=number or "")


def refusal_text(code: str | None, params: Mapping[str, object]) -> str:
    """The translated sentence of a recorded error code; an unknown code as it was recorded."""
    if not code:
        return ""
    try:
        known = ErrorCode(code)
    except ValueError:
        return code
    shown = {k: v for k, v in params.items() if isinstance(v, str | int) and not isinstance(v, bool)}
    return error_message(known, shown)


class _RowModel(QAbstractTableModel, Generic[RowT]):
    """A read-only table of rows: subclasses give the titles, the cells, the right-aligned columns and
    which rows are shown in red."""

    COLUMNS: int = 0
    RIGHT: frozenset[int] = frozenset()

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
        """The row ``row``, or None."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Rows; a table has no children."""
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
        titles = self._titles()
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Cell text (also as the tooltip: the whole text of a long answer), right-aligned numbers, rows
        that need someone in red."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        column = index.column()
        if not 0 <= column < self.COLUMNS:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._cells(item)[column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if column in self.RIGHT else _LEFT)
        if role == Qt.ItemDataRole.ForegroundRole and self._alarming(item):
            return QBrush(_ATTENTION_COLOR)
        return None

    def _titles(self) -> tuple[str, ...]:
        raise NotImplementedError

    def _cells(self, item: RowT) -> tuple[str, ...]:
        raise NotImplementedError

    def _alarming(self, item: RowT) -> bool:
        raise NotImplementedError


class OutboxModel(_RowModel[OutboxItem]):
    """Items of this counter's outbox, newest first; read-only."""

    RECEIPT, CUSTOMER, AMOUNT, TAKEN_AT, STATE, ATTEMPTS, LAST_ERROR, BOOKED_AT = range(8)
    COLUMNS = 8
    RIGHT = frozenset({AMOUNT, ATTEMPTS})

    def _titles(self) -> tuple[str, ...]:
        return (
            self.tr("Receipt"), self.tr("Account"), self.tr("Amount (yuan)"), self.tr("Taken at (counter clock)"),
            self.tr("State"), self.tr("Attempts"), self.tr("Last answer"), self.tr("Booked at (server clock)"),
        )

    def _cells(self, item: OutboxItem) -> tuple[str, ...]:
        return (
            item.receipt_no or action_text(item), item.customer_no or "", format_fen(item.amount_fen),
            clock_text(item.created_at), state_text(item), str(item.attempts),
            refusal_text(item.last_error, item.last_error_params), clock_text(item.server_time),
        )

    def _alarming(self, item: OutboxItem) -> bool:
        return item.state is ItemState.ATTENTION and not item.acknowledged_at


class AttentionModel(_RowModel[AttentionItem]):
    """The hall's items needing attention (``sync.list_attention``), unacknowledged first; read-only."""

    KIND, RECEIPT, CUSTOMER, AMOUNT, COUNTER, TAKEN_BY, TAKEN_AT, RECORDED_AT, REASON, ACKNOWLEDGED = range(10)
    COLUMNS = 10
    RIGHT = frozenset({AMOUNT})

    def _titles(self) -> tuple[str, ...]:
        return (
            self.tr("Why"), self.tr("Receipt"), self.tr("Account"), self.tr("Amount (yuan)"), self.tr("Counter"),
            self.tr("Cashier"), self.tr("Taken at (counter clock)"), self.tr("Recorded at (server clock)"),
            self.tr("Reason"), self.tr("Acknowledged"),
        )

    def _alarming(self, item: AttentionItem) -> bool:
        return item.acknowledged_by is None

    @staticmethod
    def reason(item: AttentionItem) -> str:
        """Why the item is listed, in words."""
        if item.kind is AttentionKind.REDIRECTED:
            return _tr(_REDIRECTED_REASON).format(amount=format_fen(item.redirected_to_prepayment_fen))
        if item.kind is AttentionKind.LATE_FEE_DAY:
            rule = AS_OF_RULE_NAMES.get(item.as_of_rule or "", item.as_of_rule or "")
            return _tr(_LATE_FEE_DAY_REASON).format(
                taken_on=item.taken_on.isoformat() if item.taken_on else "—", rule=_tr(rule),
                as_of=item.late_fee_as_of.isoformat() if item.late_fee_as_of else "—")
        if item.kind is AttentionKind.ATTESTED:
            return _tr(_ATTESTED_REASON).format(name=item.cosigned_by or "")
        return refusal_text(item.error_code.value if item.error_code else None, item.error_params)

    def _acknowledged(self, item: AttentionItem) -> str:
        if item.acknowledged_by is None:
            return ""
        return self.tr("{name}, {at}: {note}").format(
            name=item.acknowledged_by, at=clock_text(item.acknowledged_at), note=item.note or "")

    def _cells(self, item: AttentionItem) -> tuple[str, ...]:
        return (
            _tr(KIND_NAMES[item.kind]), item.receipt_no or "", item.customer_no or "", format_fen(item.amount_fen),
            item.counter_code, item.taken_by, clock_text(item.local_time), clock_text(item.recorded_at),
            self.reason(item), self._acknowledged(item),
        )
