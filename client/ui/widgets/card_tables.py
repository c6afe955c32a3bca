"""The card screens' tables and words: a customer's cards and card purchases, and the hall's pending writes.

Read-only models over the contract's views (``shared_models.methods.cards``); money in yuan from integer fen,
times in hall time. The words for card kinds, write kinds and purchase states are here once, for every card
screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Final

from PySide6.QtGui import QColor

from client.ui.models.rows_model import MINUTES, Column, RowsModel, hall_text, translated
from shared_models.methods.cards import (
    CardKind,
    CardRecord,
    PendingWriteView,
    PurchaseState,
    PurchaseView,
    WriteKind,
)
from shared_models.money import format_fen

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # PySide6's stub says it returns object
        ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

_WORDS: Final = "CardWords"
_CARD_KINDS: Final = {
    CardKind.BLANK: QT_TRANSLATE_NOOP("CardWords", "blank card"),
    CardKind.OPENING: QT_TRANSLATE_NOOP("CardWords", "opening card 开户卡"),
    CardKind.PURCHASE: QT_TRANSLATE_NOOP("CardWords", "purchase card 购电卡"),
    CardKind.REPLACEMENT: QT_TRANSLATE_NOOP("CardWords", "replacement card 补卡"),
    CardKind.PRESET: QT_TRANSLATE_NOOP("CardWords", "preset card 预置卡"),
}
_WRITE_KINDS: Final = {
    WriteKind.OPENING: QT_TRANSLATE_NOOP("CardWords", "Opening 开户"),
    WriteKind.SALE: QT_TRANSLATE_NOOP("CardWords", "Sale 购电"),
    WriteKind.REPLACEMENT: QT_TRANSLATE_NOOP("CardWords", "Replacement 补卡"),
    WriteKind.CANCEL: QT_TRANSLATE_NOOP("CardWords", "Cancel write"),
}
_STATES: Final = {
    PurchaseState.PENDING: QT_TRANSLATE_NOOP("CardWords", "Waiting for its write"),
    PurchaseState.WRITTEN: QT_TRANSLATE_NOOP("CardWords", "Written"),
    PurchaseState.REVERSED: QT_TRANSLATE_NOOP("CardWords", "Reversed"),
}
_REWRITTEN: Final = QT_TRANSLATE_NOOP("CardWords", "Written (补写卡)")
_CURRENT: Final = QT_TRANSLATE_NOOP("CardWords", "current")
_PENDING_COLOUR: Final = QColor("#8a5a00")


def card_kind_text(kind: CardKind) -> str:
    """The card type as the cashier reads it."""
    return translated(_WORDS, _CARD_KINDS[kind])


def write_kind_text(kind: WriteKind) -> str:
    """What a purchase puts on the card."""
    return translated(_WORDS, _WRITE_KINDS[kind])


def purchase_state_text(purchase: PurchaseView) -> str:
    """Where a purchase stands (a rewrite says so)."""
    if purchase.state is PurchaseState.WRITTEN and purchase.rewritten:
        return translated(_WORDS, _REWRITTEN)
    return translated(_WORDS, _STATES[purchase.state])


def _retired(card: CardRecord) -> str:
    if card.retired_at is None:
        return translated(_WORDS, _CURRENT)
    return hall_text(card.retired_at, MINUTES)


class CardRecordsModel(RowsModel[CardRecord]):
    """The customer's cards, newest first: serial, type, issued, retired (and why)."""

    CONTEXT = "CardRecordsModel"
    COLUMNS: ClassVar[tuple[Column[Any], ...]] = (
        Column(QT_TRANSLATE_NOOP("CardRecordsModel", "Card serial"), lambda c: c.serial.upper()),
        Column(QT_TRANSLATE_NOOP("CardRecordsModel", "Type"), lambda c: card_kind_text(c.kind)),
        Column(QT_TRANSLATE_NOOP("CardRecordsModel", "Issued"), lambda c: hall_text(c.issued_at, MINUTES)),
        Column(QT_TRANSLATE_NOOP("CardRecordsModel", "Retired"), _retired),
        Column(QT_TRANSLATE_NOOP("CardRecordsModel", "Reason"), lambda c: c.retire_reason or ""),
    )


class CardPurchasesModel(RowsModel[PurchaseView]):
    """The customer's card purchases, newest first; a purchase still waiting for its write stands out."""

    CONTEXT = "CardPurchasesModel"
    COLUMNS: ClassVar[tuple[Column[Any], ...]] = (
        Column(QT_TRANSLATE_NOOP("CardPurchasesModel", "Count"), lambda p: str(p.purchase_count), numeric=True),
        Column(QT_TRANSLATE_NOOP("CardPurchasesModel", "Kind"), lambda p: write_kind_text(p.kind)),
        Column(QT_TRANSLATE_NOOP("CardPurchasesModel", "State"), purchase_state_text),
        Column(QT_TRANSLATE_NOOP("CardPurchasesModel", "Paid"), lambda p: format_fen(p.paid_fen), numeric=True),
        Column(QT_TRANSLATE_NOOP("CardPurchasesModel", "Written"), lambda p: format_fen(p.write_amount_fen),
               numeric=True),
        Column(QT_TRANSLATE_NOOP("CardPurchasesModel", "Receipt"), lambda p: p.receipt_no or ""),
        Column(QT_TRANSLATE_NOOP("CardPurchasesModel", "Prepared"), lambda p: hall_text(p.prepared_at, MINUTES)),
        Column(QT_TRANSLATE_NOOP("CardPurchasesModel", "Card serial"), lambda p: p.serial.upper()),
    )

    def foreground(self, row: PurchaseView) -> object:
        """Pending purchases in amber: money taken, nothing on the card yet."""
        return _PENDING_COLOUR if row.state is PurchaseState.PENDING else None


class PendingWritesModel(RowsModel[PendingWriteView]):
    """The hall's purchases waiting for their write, oldest first: who sold it where, and its receipt."""

    CONTEXT = "PendingWritesModel"
    COLUMNS: ClassVar[tuple[Column[Any], ...]] = (
        Column(QT_TRANSLATE_NOOP("PendingWritesModel", "Prepared"), lambda p: hall_text(p.prepared_at, MINUTES)),
        Column(QT_TRANSLATE_NOOP("PendingWritesModel", "Account number"), lambda p: p.customer_no),
        Column(QT_TRANSLATE_NOOP("PendingWritesModel", "Count"), lambda p: str(p.purchase_count), numeric=True),
        Column(QT_TRANSLATE_NOOP("PendingWritesModel", "Kind"), lambda p: write_kind_text(p.kind)),
        Column(QT_TRANSLATE_NOOP("PendingWritesModel", "Paid"), lambda p: format_fen(p.paid_fen), numeric=True),
        Column(QT_TRANSLATE_NOOP("PendingWritesModel", "To write"), lambda p: format_fen(p.write_amount_fen),
               numeric=True),
        Column(QT_TRANSLATE_NOOP("PendingWritesModel", "Cashier"), lambda p: p.cashier_name),
        Column(QT_TRANSLATE_NOOP("PendingWritesModel", "Counter"), lambda p: p.counter_code),
        Column(QT_TRANSLATE_NOOP("PendingWritesModel", "Receipt"), lambda p: p.receipt_no or ""),
    )
