"""Prepaid IC-card RPCs (issue 14, SPEC C8 §6.2, DOMAIN §7): read, sell, write, verify, confirm; rewrite,
replacement, opening and reversal.

The counter sends the card's files **as read** (hex of each file's bytes, :class:`CardFiles`); the server decodes
them with the same strict codecs the counter uses (``shared_models.cards.files``) and judges the card: whose it is,
whether it still holds a purchase the meter has not credited, what a sale may be. The counter never holds a key:

1. ``card.read_card`` — what the card is and what may be done with it (:class:`CardView`, writes nothing);
2. ``card.prepare_sale`` / ``card.open_card`` / ``card.replace_card`` — the money (mixed tender, in the cashier's
   shift, a receipt) and the purchase recorded as **pending write** with its sealed wallet, in one transaction;
   exactly one pending write per customer (a database constraint); all writes keyed by (customer, purchase count);
3. ``card.authenticate_write`` (only when the write includes the parameter file: opening, replacement) and
   ``card.get_write_commands`` — the MAC'd UPDATE BINARY commands of the pending write for the challenge the counter
   just read from the card (a fresh challenge per attempt: a rewrite 补写卡 is steps 3–4 again, no new money);
4. the counter writes, re-reads the card and sends what it read to ``card.confirm_write``, which checks the card
   now holds exactly the sealed wallet before it marks the purchase written.

``card.reverse_sale`` (co-signed) reverses a purchase the meter has not credited; ``card.list_pending`` shows the
supervisor every purchase still waiting for its write; ``card.get_history`` gives a customer's cards and purchases.
A card sale needs the link (the key service is on the server): the counter offers none offline.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from shared_models.errors import ErrorPayload
from shared_models.ids import NO_NUL_PATTERN, CounterTimeField, CustomerNoField
from shared_models.methods.payments import CardReceiptPart, PaymentReceipt, ReceiptNoField, Tender
from shared_models.money import FenField, NonNegativeFenField
from shared_models.roles import Perm
from shared_models.rpc import Model, Mutation, Query, register


def _hex(size: int) -> object:
    """Exactly ``size`` bytes as lowercase or uppercase hex."""
    return Field(strict=True, min_length=2 * size, max_length=2 * size, pattern=r"^[0-9A-Fa-f]*$")


#: Card serial: 8 bytes, hex.
SerialField = Annotated[str, _hex(8)]
#: A challenge from GET CHALLENGE: 8 bytes, hex.
ChallengeField = Annotated[str, _hex(8)]
#: A purchase count 购电次数 (the wallet's 4-byte counter).
PurchaseCountField = Annotated[int, Field(strict=True, ge=0, le=0xFFFF_FFFF)]
ReasonField = Annotated[str, Field(strict=True, min_length=2, max_length=200, pattern=NO_NUL_PATTERN)]


class CardFiles(Model):
    """The card's four files exactly as READ BINARY returned them (hex); sizes per docs/card-format.md §1.

    Lengths are checked here; contents are decoded by the server (a malformed file is ``CARD_UNREADABLE``)."""

    info: Annotated[str, _hex(9)]
    parameters: Annotated[str, _hex(26)]
    wallet: Annotated[str, _hex(12)]
    returned: Annotated[str, _hex(38)]


class CardKind(StrEnum):
    """The card type byte as the counter shows it (``shared_models.cards.files.CardType``)."""

    BLANK = "blank"
    OPENING = "opening"  # 开户卡
    PURCHASE = "purchase"  # 购电卡
    REPLACEMENT = "replacement"  # 补卡
    PRESET = "preset"  # 预置卡 (factory/test; refused)


class CardStanding(StrEnum):
    """Whose card this is, as the books know it."""

    BLANK = "blank"  # never opened: may be opened or issued as a replacement
    CURRENT = "current"  # the customer's current card
    RETIRED = "retired"  # replaced by a newer card: refused
    UNKNOWN = "unknown"  # not blank and not registered to anyone


class WriteKind(StrEnum):
    """What a pending write puts on the card."""

    OPENING = "opening"  # 开户: parameters (opening card) + first purchase
    SALE = "sale"  # 购电: wallet
    REPLACEMENT = "replacement"  # 补卡: parameters (replacement card) + the last purchase carried
    CANCEL = "cancel"  # a reversed purchase that sat on the card: wallet amount 0, same count


class PurchaseState(StrEnum):
    """Where a card purchase stands."""

    PENDING = "pending"  # money taken, the write not confirmed
    WRITTEN = "written"  # confirmed on the card
    REVERSED = "reversed"  # money reversed (co-signed); never credited


class ReturnView(Model):
    """The return file 返写文件 the meter wrote when the card was last inserted."""

    remaining_fen: NonNegativeFenField
    purchase_count: PurchaseCountField
    overdraft_fen: NonNegativeFenField
    illegal_inserts: int
    written_at: dt.datetime


class PendingWriteView(Model):
    """A purchase whose card write is not confirmed (the money was taken when it was prepared)."""

    customer_no: str
    purchase_count: PurchaseCountField
    kind: WriteKind
    write_amount_fen: NonNegativeFenField
    paid_fen: NonNegativeFenField
    receipt_no: str | None
    serial: SerialField
    prepared_at: dt.datetime
    cashier_name: str
    counter_code: str
    #: The card read with the request already holds this write (only confirming is left).
    on_card: bool = False


class SaleTerms(Model):
    """What a sale onto this card may be now (DOMAIN §7.4: 最小/最大购电值, arrears deducted first)."""

    next_purchase_count: PurchaseCountField
    min_fen: NonNegativeFenField
    #: The most that may be paid now: the sale limit, the meter's 999 999.99 yuan and the hoarding limit less the
    #: remaining amount the meter last reported, plus the arrears the payment settles first.
    max_fen: NonNegativeFenField
    #: Open bills (principal and late fee to today) a payment settles before anything is written to the card.
    arrears_fen: NonNegativeFenField
    hoarding_limit_fen: NonNegativeFenField
    #: The remaining amount the meter last reported (return file, else the books), 0 when never reported.
    remaining_fen: NonNegativeFenField


class CardView(Model):
    """``card.read_card``: the card as the books see it, and the one thing the cashier may do next."""

    serial: SerialField
    key_version: int
    kind: CardKind
    standing: CardStanding
    customer_no: str | None
    customer_name: str | None
    address: str | None
    meter_no: str | None
    wallet_amount_fen: NonNegativeFenField
    wallet_count: PurchaseCountField
    #: The highest purchase count the books hold for the customer (pending included); None for a blank card.
    system_count: PurchaseCountField | None
    returned: ReturnView | None
    pending: PendingWriteView | None
    #: Present when a sale may be made now.
    sale: SaleTerms | None
    #: Why no sale now (e.g. CARD_PURCHASE_NOT_INSERTED, CARD_PENDING_WRITE, CARD_RETIRED), a translated sentence
    #: on the counter; None with ``sale`` set.
    refusal: ErrorPayload | None


class ReadCardRequest(Model):
    """Judge a card (and, when the cashier has a customer open, whether it is that customer's)."""

    files: CardFiles
    customer_no: CustomerNoField | None = None


class PrepareSaleRequest(Model):
    """购电: take ``tenders`` (their sum is the amount paid), settle the arrears first, record the rest as the pending
    write of ``purchase_count`` — ``card.read_card``'s ``next_purchase_count`` sent back, so that a card or books
    changed since are refused rather than written with another count."""

    customer_no: CustomerNoField
    files: CardFiles
    purchase_count: PurchaseCountField
    receipt_no: ReceiptNoField
    tenders: Annotated[list[Tender], Field(min_length=1, max_length=4)]
    #: The arrears the cashier saw deducted: refused with DUE_CHANGED when the bills changed since.
    quoted_arrears_fen: NonNegativeFenField
    local_time: CounterTimeField | None = None


class OpenCardRequest(Model):
    """开户: a blank card becomes the customer's first card, written as an opening card with the first purchase."""

    customer_no: CustomerNoField
    files: CardFiles
    receipt_no: ReceiptNoField
    tenders: Annotated[list[Tender], Field(min_length=1, max_length=4)]
    quoted_arrears_fen: NonNegativeFenField
    local_time: CounterTimeField | None = None


class ReplaceCardRequest(Model):
    """补卡: a blank card replaces the customer's lost or broken card; the fee is a business-fee receipt, the
    current count and the last purchase are carried (the meter credits it only if it never did)."""

    customer_no: CustomerNoField
    files: CardFiles
    receipt_no: ReceiptNoField
    tenders: Annotated[list[Tender], Field(min_length=1, max_length=4)]
    reason: ReasonField
    local_time: CounterTimeField | None = None


class PreparedWrite(Model):
    """The recorded purchase, pending write, and its receipt (the card part in ``receipt.card``)."""

    customer_no: str
    purchase_count: PurchaseCountField
    kind: WriteKind
    serial: SerialField
    paid_fen: NonNegativeFenField
    #: Arrears (and fees) settled from the payment before the card.
    deducted_fen: NonNegativeFenField
    write_amount_fen: NonNegativeFenField
    #: The write includes the parameter file: ``card.authenticate_write`` comes first.
    needs_authentication: bool
    receipt: PaymentReceipt | None


class WriteKeyRequest(Model):
    """For the pending write (customer, purchase count) onto the card ``serial``: the card's fresh challenge."""

    customer_no: CustomerNoField
    purchase_count: PurchaseCountField
    serial: SerialField
    challenge: ChallengeField


class WriteAuthentication(Model):
    """The EXTERNAL AUTHENTICATE cryptogram (hex) answering the challenge: all 16 bytes of the block
    (``shared_models.cards.crypto.auth_cryptogram``, docs/card-format.md)."""

    cryptogram: Annotated[str, _hex(16)]


class WriteCommands(Model):
    """The MAC'd UPDATE BINARY commands (hex C-APDUs), to be sent in this order right after the challenge."""

    commands: Annotated[list[Annotated[str, Field(strict=True, max_length=512, pattern=r"^[0-9A-Fa-f]*$")]],
                        Field(min_length=1, max_length=8)]


class ConfirmWriteRequest(Model):
    """The card as re-read after the write: confirmed when its wallet is exactly the pending write's."""

    customer_no: CustomerNoField
    purchase_count: PurchaseCountField
    files: CardFiles
    #: This write finishes an earlier attempt (补写卡), possibly on a later day or another counter.
    rewrite: bool = False


class PurchaseView(Model):
    """One card purchase of a customer (the history, and the answer of a confirm)."""

    customer_no: str
    purchase_count: PurchaseCountField
    kind: WriteKind
    state: PurchaseState
    serial: SerialField
    paid_fen: NonNegativeFenField
    write_amount_fen: NonNegativeFenField
    receipt_no: str | None
    prepared_at: dt.datetime
    prepared_by: str
    written_at: dt.datetime | None
    written_by: str | None
    #: Confirmed by a rewrite 补写卡.
    rewritten: bool
    reversed_at: dt.datetime | None


class ReverseSaleRequest(Model):
    """冲正 of a card purchase the meter has not credited, co-signed by a supervisor; the card read now."""

    customer_no: CustomerNoField
    purchase_count: PurchaseCountField
    files: CardFiles
    reason: ReasonField


class ReverseResult(Model):
    """The reversal as booked. ``cancel_write``: the card held the purchase, so a zero write of the same count is now
    pending and must be written (``card.get_write_commands`` + ``card.confirm_write``) before the customer leaves."""

    customer_no: str
    purchase_count: PurchaseCountField
    amount_fen: FenField
    receipt_no: str | None
    reversed_at: dt.datetime
    cosigned_by: str
    cancel_write: bool


class CardCustomerRequest(Model):
    """A customer's cards and purchases."""

    customer_no: CustomerNoField


class CardRecord(Model):
    """One card the customer held."""

    serial: SerialField
    kind: CardKind
    issued_at: dt.datetime
    retired_at: dt.datetime | None
    retire_reason: str | None


class CardHistory(Model):
    """The 360 view's card panel: cards (newest first), purchases (newest first), the pending write if any."""

    customer_no: str
    cards: list[CardRecord]
    purchases: list[PurchaseView]
    pending: PendingWriteView | None
    #: The last remaining amount a meter reported through a return file, and when.
    last_return: ReturnView | None


class PendingListRequest(Model):
    """Every pending write of the supervisor's hall (oldest first)."""

    limit: Annotated[int, Field(strict=True, ge=1, le=500)] = 200


class PendingList(Model):
    """Pending writes, oldest first."""

    items: list[PendingWriteView]


READ_CARD = register(
    Query("card.read_card", ReadCardRequest, CardView, permission=Perm.COLLECT,
          summary="Judge a card read at the counter: whose, what it holds, whether a sale may be made.")
)
PREPARE_SALE = register(
    Mutation("card.prepare_sale", PrepareSaleRequest, PreparedWrite, permission=Perm.COLLECT,
             summary="购电: take the money and record the purchase as pending write, in one transaction.")
)
OPEN_CARD = register(
    Mutation("card.open_card", OpenCardRequest, PreparedWrite, permission=Perm.COLLECT,
             summary="开户: register a blank card and record its first purchase as pending write.")
)
REPLACE_CARD = register(
    Mutation("card.replace_card", ReplaceCardRequest, PreparedWrite, permission=Perm.COLLECT,
             summary="补卡: register a new card, retire the old one, take the fee, carry the last purchase.")
)
AUTHENTICATE_WRITE = register(
    Query("card.authenticate_write", WriteKeyRequest, WriteAuthentication, permission=Perm.COLLECT,
          summary="The external-authenticate cryptogram for a pending write that includes the parameter file.")
)
GET_WRITE_COMMANDS = register(
    Query("card.get_write_commands", WriteKeyRequest, WriteCommands, permission=Perm.COLLECT,
          summary="The MAC'd card writes of a pending purchase for the card's challenge (also 补写卡).")
)
CONFIRM_WRITE = register(
    Mutation("card.confirm_write", ConfirmWriteRequest, PurchaseView, permission=Perm.COLLECT,
             summary="Mark a pending purchase written once the card read back holds it.")
)
REVERSE_SALE = register(
    Mutation("card.reverse_sale", ReverseSaleRequest, ReverseResult, permission=Perm.COLLECT,
             cosign=Perm.APPROVE, summary="冲正 a card purchase the meter has not credited, co-signed by a supervisor.")
)
GET_HISTORY = register(
    Query("card.get_history", CardCustomerRequest, CardHistory, permission=Perm.VIEW_CUSTOMERS,
          summary="A customer's cards, card purchases and pending write.")
)
LIST_PENDING = register(
    Query("card.list_pending", PendingListRequest, PendingList, permission=Perm.APPROVE,
          summary="Card purchases of the hall still waiting for their write, oldest first.")
)

__all__ = ["CardReceiptPart"]
