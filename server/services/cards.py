"""Prepaid IC-card sales on the server (issue 14, SPEC C8 §6.2, DOMAIN §7): read, sell, write, confirm, reverse.

Wired first with every RPC refusing as not yet available; the rules follow in this module.
"""

from __future__ import annotations

from typing import NoReturn

from server.context import CallContext
from server.errors import AppError
from shared_models.errors import ErrorCode
from shared_models.methods.cards import (
    CardCustomerRequest,
    CardHistory,
    CardView,
    ConfirmWriteRequest,
    OpenCardRequest,
    PendingList,
    PendingListRequest,
    PreparedWrite,
    PrepareSaleRequest,
    PurchaseView,
    ReadCardRequest,
    ReplaceCardRequest,
    ReverseResult,
    ReverseSaleRequest,
    WriteAuthentication,
    WriteCommands,
    WriteKeyRequest,
)


def _not_yet(method: str) -> NoReturn:
    raise AppError(ErrorCode.CARD_KEYS_UNAVAILABLE, key_version=0, method=method)


def read_card(*, ctx: CallContext, req: ReadCardRequest) -> CardView:
    """What the card is and what may be done with it."""
    _not_yet("card.read_card")


def prepare_sale(*, ctx: CallContext, req: PrepareSaleRequest) -> PreparedWrite:
    """购电."""
    _not_yet("card.prepare_sale")


def open_card(*, ctx: CallContext, req: OpenCardRequest) -> PreparedWrite:
    """开户."""
    _not_yet("card.open_card")


def replace_card(*, ctx: CallContext, req: ReplaceCardRequest) -> PreparedWrite:
    """补卡."""
    _not_yet("card.replace_card")


def authenticate_write(*, ctx: CallContext, req: WriteKeyRequest) -> WriteAuthentication:
    """The external-authenticate cryptogram of a pending write."""
    _not_yet("card.authenticate_write")


def get_write_commands(*, ctx: CallContext, req: WriteKeyRequest) -> WriteCommands:
    """The MAC'd writes of a pending write."""
    _not_yet("card.get_write_commands")


def confirm_write(*, ctx: CallContext, req: ConfirmWriteRequest) -> PurchaseView:
    """Mark a pending write written."""
    _not_yet("card.confirm_write")


def reverse_sale(*, ctx: CallContext, req: ReverseSaleRequest) -> ReverseResult:
    """冲正 of a card purchase."""
    _not_yet("card.reverse_sale")


def get_history(*, ctx: CallContext, req: CardCustomerRequest) -> CardHistory:
    """A customer's cards and purchases."""
    _not_yet("card.get_history")


def list_pending(*, ctx: CallContext, req: PendingListRequest) -> PendingList:
    """The hall's pending writes."""
    _not_yet("card.list_pending")
