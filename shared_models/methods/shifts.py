"""Cashier shifts (SPEC C4, DOMAIN §8): open, summary, close; the 日结单 is ``shared_models.methods.settlement``.

A shift is opened with a float (备用金) by one cashier on one counter; every payment belongs to the open
shift of its cashier. Closing records the cash counted by denomination; a difference against the
expected cash needs a supervisor's co-sign on the same screen. A closed shift never changes again.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Final

from pydantic import Field

from shared_models.cosign import AttestedCosign
from shared_models.ids import NO_NUL_PATTERN, CounterTimeField, CustomerNoField
from shared_models.methods.payments import BusinessType, ReceiptNoField, TenderMethod
from shared_models.money import FenField, NonNegativeFenField, PositiveFenField
from shared_models.roles import Perm
from shared_models.rpc import Empty, Model, Mutation, Query, register

#: Notes and coins counted at close, in fen: 100, 50, 20, 10, 5, 1 yuan; 5 and 1 jiao; and the 5, 2 and
#: 1 fen coins, still legal tender: bills are to the fen, so without them a cash payment of ¥12.34
#: would leave a difference nobody could count away.
DENOMINATIONS_FEN: Final = (10000, 5000, 2000, 1000, 500, 100, 50, 10, 5, 2, 1)

#: Most unsent items one close may carry (a day of a counter's payments, with room to spare).
MAX_UNSENT: Final = 500

ShiftNoField = Annotated[str, Field(strict=True, min_length=3, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]
PiecesField = Annotated[int, Field(strict=True, ge=0, le=1_000_000)]
#: An idempotency key on the wire: a UUID in its text form.
KeyField = Annotated[str, Field(strict=True, pattern=r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")]
#: The name of an RPC method (``domain.verb_noun``), as an outbox item records it.
MethodNameField = Annotated[str, Field(strict=True, min_length=3, max_length=64, pattern=r"^[a-z]+\.[a-z]+(_[a-z]+)*$")]


class ShiftInfo(Model):
    """A shift as the cashier sees it."""

    shift_no: str
    cashier_username: str
    cashier_name: str
    counter_code: str
    hall_code: str
    business_date: dt.date
    opened_at: dt.datetime
    float_fen: FenField
    closed_at: dt.datetime | None
    #: Opened at the counter with the link down (number minted by the counter; replayed from its outbox).
    opened_offline: bool = False
    #: The counter's clock when the cashier opened it (shown beside ``opened_at``, the server's).
    local_opened_at: dt.datetime | None = None


class CurrentShift(Model):
    """The caller's open shift at this counter, if any, and the next receipt sequence the server knows
    of for this counter today (the client numbers from the larger of this and its own)."""

    shift: ShiftInfo | None
    next_receipt_seq: int
    #: The next shift sequence the server knows of for this counter today (the counter numbers its next
    #: shift from the larger of this and its own, ``shared_models.rules.shift_numbers``).
    next_shift_seq: int = 1


class OpenShiftRequest(Model):
    """Open a shift with the float in the drawer.

    ``shift_no`` is the number the counter minted from its own sequence (None: the server numbers it); the
    server accepts it within ``shared_models.rules.shift_numbers`` (right counter, plausible day, no reuse, no
    jump). ``opened_offline`` and ``local_time`` (the counter's clock) say it was opened with the link down."""

    float_fen: NonNegativeFenField
    shift_no: ShiftNoField | None = None
    opened_offline: bool = False
    local_time: CounterTimeField | None = None


class ShiftRequest(Model):
    """A shift by number."""

    shift_no: ShiftNoField


class MethodTotalLine(Model):
    """Payments by one method (voided ones excluded)."""

    method: TenderMethod
    count: int
    amount_fen: FenField


class BusinessTotalLine(Model):
    """Money by business type (voided payments excluded)."""

    business: BusinessType
    count: int
    amount_fen: FenField


class VoidedLine(Model):
    """A voided receipt of the shift."""

    receipt_no: str
    amount_fen: FenField
    voided_at: dt.datetime
    cosigned_by: str
    reason: str
    #: The co-sign was verified at the counter with the link down (the supervisor's cached verifier).
    cosign_at_counter: bool = False


class ReceiptRangeLine(Model):
    """Consecutive receipt numbers used."""

    first: str
    last: str
    count: int


class CashCountLine(Model):
    """Pieces of one denomination in the drawer."""

    denomination_fen: FenField
    pieces: PiecesField


class ShiftClosing(Model):
    """What was recorded when the shift closed."""

    closed_at: dt.datetime
    counted_cash_fen: FenField
    difference_fen: FenField
    cash_counts: list[CashCountLine]
    approved_by: str | None
    deposit_slip_no: str
    note: str
    #: Closed at the counter with the link down (replayed from its outbox); the counter's clock then.
    closed_offline: bool = False
    local_closed_at: dt.datetime | None = None
    #: The approval or the signed unsent list was verified at the counter (the supervisor's cached verifier).
    cosign_at_counter: bool = False


class OfflineStatus(StrEnum):
    """Where an offline item of a shift stands (SPEC §5, C4)."""

    #: Accepted offline at the counter and booked by the server.
    CONFIRMED = "confirmed"
    #: Still on the counter (signed as unsent at the close): the server has not booked it yet.
    UNCONFIRMED = "unconfirmed"
    #: Signed as unsent at the close and booked by the server since (into the cashier's next shift).
    CONFIRMED_LATER = "confirmed_later"


class OfflineItemLine(Model):
    """One offline item of a shift: a payment booked with ``accepted_offline``, or one signed as unsent at its
    close. ``local_time`` is the counter's clock when the cashier confirmed, ``booked_at`` the server's when it
    booked the payment: both are shown (the counter's clock may be wrong)."""

    receipt_no: str
    customer_no: str
    amount_fen: FenField
    status: OfflineStatus
    local_time: dt.datetime | None
    booked_at: dt.datetime | None
    #: The shift the payment was booked into (None while unconfirmed).
    booked_shift_no: str | None
    #: The shift whose close signed the item as unsent, when that is another shift than this one.
    from_shift_no: str | None
    #: Money meant for bills that were paid elsewhere meanwhile, booked as prepayment instead.
    redirected_to_prepayment_fen: FenField = 0
    voided: bool = False


class ShiftSummary(Model):
    """Totals of a shift: what closing shows, and what the settlement prints.

    The figures of a closed shift never change. Its offline items' statuses may: an item signed as unsent at
    the close becomes ``confirmed_later`` when the server books it (into the cashier's next shift).
    """

    shift: ShiftInfo
    payments_count: int
    collected_fen: FenField
    methods: list[MethodTotalLine]
    businesses: list[BusinessTotalLine]
    voids: list[VoidedLine]
    receipts_used: list[ReceiptRangeLine]
    #: Float plus the cash part of the payments not voided (tendered minus change), plus the cash of the
    #: items signed as unsent at the close (in the drawer, not yet booked), minus the cash of payments booked
    #: here that an earlier shift's close had signed as unsent (that drawer held their cash).
    expected_cash_fen: FenField
    #: Payments accepted offline and booked in this shift.
    offline_count: int
    closing: ShiftClosing | None
    #: Offline items of the shift with their status (booked offline here, or signed as unsent at the close).
    offline_items: list[OfflineItemLine] = Field(default_factory=list)
    #: Items signed as unsent at the close that the server has still not booked (离线未确认笔数).
    offline_unconfirmed: int = 0


class UnsentItem(Model):
    """A payment the counter took in this shift that the server had not confirmed when the shift closed:
    still in the counter's outbox, sent when the link allows. ``cash_fen`` is its cash part (in the drawer
    being counted); ``local_time`` the counter's clock when the cashier confirmed."""

    idempotency_key: KeyField
    method: MethodNameField
    receipt_no: ReceiptNoField
    customer_no: CustomerNoField
    amount_fen: PositiveFenField
    cash_fen: NonNegativeFenField
    local_time: CounterTimeField


class CloseShiftRequest(Model):
    """Close a shift with the cash counted by denomination and the deposit slip number (解款单号).

    A difference between counted and expected cash needs the co-sign of a supervisor (header). So does a
    non-empty ``unsent`` list: the supervisor signs the list of the counter's payments not yet confirmed
    (SPEC §5), and their cash counts as expected in the drawer."""

    shift_no: ShiftNoField
    cash_counts: Annotated[list[CashCountLine], Field(max_length=len(DENOMINATIONS_FEN))]
    deposit_slip_no: Annotated[str, Field(strict=True, min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]
    note: Annotated[str, Field(strict=True, max_length=200, pattern=NO_NUL_PATTERN)] = ""
    unsent: Annotated[list[UnsentItem], Field(max_length=MAX_UNSENT)] = Field(default_factory=list)
    #: Closed with the link down: the counter's clock, and the supervisor's co-sign verified at the counter
    #: (accepted only when the close is replayed from the outbox, ``shared_models.cosign``).
    closed_offline: bool = False
    local_time: dt.datetime | None = None
    attested_cosign: AttestedCosign | None = None


GET_CURRENT = register(
    Query("shift.get_current", Empty, CurrentShift, permission=Perm.COLLECT,
          summary="The caller's open shift at this counter.")
)
OPEN = register(
    Mutation("shift.open_shift", OpenShiftRequest, ShiftInfo, permission=Perm.COLLECT, replayable=True,
             replay_neutral=frozenset({"opened_offline"}),
             summary="Open a shift with its float.")
)
SUMMARY = register(
    Query("shift.get_summary", ShiftRequest, ShiftSummary, permission=Perm.COLLECT,
          summary="Totals by method and business type, voids, receipts used and expected cash.")
)
CLOSE = register(
    Mutation("shift.close_shift", CloseShiftRequest, ShiftSummary, permission=Perm.COLLECT,
             cosign=Perm.APPROVE, cosign_required=False, replayable=True, attested_cosign=True,
             summary="Close a shift with the cash count; a difference or a list of unsent items needs a supervisor's "
                     "co-sign.")
)
