"""The counter's outbox and the hall's attention list as tables (SPEC §5).

Both show two clocks side by side: when the cashier confirmed by the counter's clock, and when the server
booked (or learned of) it by the server's. A counter whose clock is wrong shows it here, and nothing
depends on it: the server's time books the entry. Money in yuan from integer fen; error codes as their
translated sentence (``client/ui/messages.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Final

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QBrush, QColor

from client.core.outbox.items import ItemState, OutboxItem
from client.ui.messages import error_message
from client.ui.models.rows_model import SECONDS, Column, RowsModel, RowT, hall_text, translated
from shared_models.errors import ErrorCode
from shared_models.methods.handheld import ACCEPT_UPLOAD
from shared_models.methods.payments import VOID_ATTESTED
from shared_models.methods.shifts import CLOSE, OPEN
from shared_models.methods.sync import AttentionItem, AttentionKind
from shared_models.money import format_fen
from shared_models.rules.as_of import AsOfRule

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # PySide6's stub says it returns object
        ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

_ATTENTION_COLOR: Final = QColor("#b00020")

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
    return hall_text(moment, SECONDS)


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


#: A meter reader's queued acceptance of a handheld file (``client.core.handheld_queue``), from its summary.
_ACCEPT: Final = QT_TRANSLATE_NOOP("Outbox", "Readings of book {book} ({period}): {accepted} accepted, {rereads} "
                                             "re-read")


def action_text(item: OutboxItem) -> str:
    """A queued shift open or close, a void, or a reader's acceptance, in words (empty for anything else)."""
    if item.method == ACCEPT_UPLOAD.name:
        summary = item.summary
        return _tr(_ACCEPT).format(book=summary.get("book_code") or summary.get("package_id") or "",
                                   period=summary.get("period") or "", accepted=summary.get("accepted", 0),
                                   rereads=summary.get("rereads", 0))
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


_ACKNOWLEDGED: Final = QT_TRANSLATE_NOOP("AttentionModel", "{name}, {at}: {note}")


class _AlarmModel(RowsModel[RowT]):
    """A table whose rows that need someone are red, and whose cells show their whole text as the tooltip
    (a long answer does not fit its column)."""

    def tooltip(self, row: RowT, column: int) -> str | None:
        """The cell's whole text."""
        return str(self.COLUMNS[column].text(row))

    def foreground(self, row: RowT) -> object:
        """Red for a row that needs someone."""
        return QBrush(_ATTENTION_COLOR) if self.alarming(row) else None

    def alarming(self, row: RowT) -> bool:
        """Whether ``row`` needs someone."""
        raise NotImplementedError


class OutboxModel(_AlarmModel[OutboxItem]):
    """Items of this counter's outbox, newest first; read-only."""

    RECEIPT, CUSTOMER, AMOUNT, TAKEN_AT, STATE, ATTEMPTS, LAST_ERROR, BOOKED_AT = range(8)
    CONTEXT = "OutboxModel"
    COLUMNS: ClassVar[tuple[Column[Any], ...]] = (
        Column(QT_TRANSLATE_NOOP("OutboxModel", "Receipt"), lambda i: i.receipt_no or action_text(i)),
        Column(QT_TRANSLATE_NOOP("OutboxModel", "Account"), lambda i: i.customer_no or ""),
        Column(QT_TRANSLATE_NOOP("OutboxModel", "Amount (yuan)"), lambda i: format_fen(i.amount_fen), numeric=True),
        Column(QT_TRANSLATE_NOOP("OutboxModel", "Taken at (counter clock)"), lambda i: clock_text(i.created_at)),
        Column(QT_TRANSLATE_NOOP("OutboxModel", "State"), state_text),
        Column(QT_TRANSLATE_NOOP("OutboxModel", "Attempts"), lambda i: str(i.attempts), numeric=True),
        Column(QT_TRANSLATE_NOOP("OutboxModel", "Last answer"),
               lambda i: refusal_text(i.last_error, i.last_error_params)),
        Column(QT_TRANSLATE_NOOP("OutboxModel", "Booked at (server clock)"), lambda i: clock_text(i.server_time)),
    )

    def alarming(self, row: OutboxItem) -> bool:
        """An item needing attention nobody has acknowledged."""
        return row.state is ItemState.ATTENTION and not row.acknowledged_at


def attention_reason(item: AttentionItem) -> str:
    """Why an attention item is listed, in words."""
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


def _acknowledged(item: AttentionItem) -> str:
    if item.acknowledged_by is None:
        return ""
    return translated("AttentionModel", _ACKNOWLEDGED).format(
        name=item.acknowledged_by, at=clock_text(item.acknowledged_at), note=item.note or "")


class AttentionModel(_AlarmModel[AttentionItem]):
    """The hall's items needing attention (``sync.list_attention``), unacknowledged first; read-only."""

    KIND, RECEIPT, CUSTOMER, AMOUNT, COUNTER, TAKEN_BY, TAKEN_AT, RECORDED_AT, REASON, ACKNOWLEDGED = range(10)
    CONTEXT = "AttentionModel"
    COLUMNS: ClassVar[tuple[Column[Any], ...]] = (
        Column(QT_TRANSLATE_NOOP("AttentionModel", "Why"), lambda i: _tr(KIND_NAMES[i.kind])),
        Column(QT_TRANSLATE_NOOP("AttentionModel", "Receipt"), lambda i: i.receipt_no or ""),
        Column(QT_TRANSLATE_NOOP("AttentionModel", "Account"), lambda i: i.customer_no or ""),
        Column(QT_TRANSLATE_NOOP("AttentionModel", "Amount (yuan)"), lambda i: format_fen(i.amount_fen),
               numeric=True),
        Column(QT_TRANSLATE_NOOP("AttentionModel", "Counter"), lambda i: i.counter_code),
        Column(QT_TRANSLATE_NOOP("AttentionModel", "Cashier"), lambda i: i.taken_by),
        Column(QT_TRANSLATE_NOOP("AttentionModel", "Taken at (counter clock)"), lambda i: clock_text(i.local_time)),
        Column(QT_TRANSLATE_NOOP("AttentionModel", "Recorded at (server clock)"),
               lambda i: clock_text(i.recorded_at)),
        Column(QT_TRANSLATE_NOOP("AttentionModel", "Reason"), attention_reason),
        Column(QT_TRANSLATE_NOOP("AttentionModel", "Acknowledged"), _acknowledged),
    )

    def alarming(self, row: AttentionItem) -> bool:
        """An item nobody has acknowledged."""
        return row.acknowledged_by is None

    @staticmethod
    def reason(item: AttentionItem) -> str:
        """Why the item is listed, in words."""
        return attention_reason(item)
