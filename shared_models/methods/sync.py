"""What the counters' outboxes tell the center, and what the supervisor does about it (SPEC §5).

* ``sync.report_attention``: a counter reports an outbox item the server refused on replay after the money
  was taken (*needs attention*). Stored once per original item (its idempotency key): a second report of
  the same item returns the first.
* ``sync.list_attention``: the items needing attention — the ones reported, the payments accepted
  offline whose bills were paid elsewhere meanwhile (their money went to prepayment), and those whose
  late fee was computed to the booking day because the counter's time broke the as-of rules — each with
  whether a supervisor acknowledged it. A supervisor sees the whole hall, a cashier their counter's.
* ``sync.acknowledge_attention``: a supervisor has dealt with an item; a new row, never an update.
* ``sync.acknowledge_damaged_outbox``: a counter found its outbox file damaged and set it aside; a
  supervisor's co-signed acknowledgement goes on the books before the counter takes money again.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Final

from pydantic import Field

from shared_models.errors import ErrorCode
from shared_models.ids import NO_NUL_PATTERN, CounterTimeField, CustomerNoField, UsernameField
from shared_models.methods.outbox import ReplayableMethodField
from shared_models.methods.payments import ReceiptNoField
from shared_models.methods.shifts import KeyField, ShiftNoField
from shared_models.money import FenField, NonNegativeFenField
from shared_models.roles import Perm
from shared_models.rpc import Model, Mutation, Query, register

#: Most files a damaged outbox leaves behind (the database, its -wal, -shm and -journal).
MAX_DAMAGED_FILES: Final = 8

PARAM_KEY_PATTERN: Final = r"^[a-z][a-z0-9_]*$"
ParamKeyField = Annotated[str, Field(strict=True, min_length=1, max_length=40, pattern=PARAM_KEY_PATTERN)]
ParamTextField = Annotated[str, Field(strict=True, max_length=200, pattern=NO_NUL_PATTERN)]
ParamIntField = Annotated[int, Field(strict=True, ge=-(10**15), le=10**15)]
#: At least two characters once trimmed (the pattern: two that are not spaces, the server trims).
NoteField = Annotated[str, Field(strict=True, min_length=2, max_length=200, pattern=r"^[^\x00]*\S[^\x00]*\S[^\x00]*$")]
FileNameField = Annotated[str, Field(strict=True, min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._-]+$")]
Sha256Field = Annotated[str, Field(strict=True, pattern=r"^[0-9a-f]{64}$")]


class AttentionKind(StrEnum):
    """Why an item is on the supervisor's list."""

    #: Refused by the server on replay after the money was taken; reported by the counter.
    REFUSED = "refused"
    #: Accepted offline; its bills were paid elsewhere meanwhile, so the money became prepayment.
    REDIRECTED = "redirected"
    #: Accepted offline with a taken-at time outside the rules (``shared_models.rules.as_of``): the late
    #: fee was computed to the day it was booked, not the counter's day, so the receipt may differ.
    LATE_FEE_DAY = "late_fee_day"
    #: Done with the link down and co-signed by a supervisor whose cached verifier the counter checked (a void,
    #: a cash difference or an unsent list at a close): booked, listed for the supervisor to review.
    ATTESTED = "attested"


class ReportAttentionRequest(Model):
    """One outbox item the server refused on replay: the item's own idempotency key (``item_key``), what it
    asked for, and the refusal (code and parameters) as the counter recorded it."""

    item_key: KeyField
    method: ReplayableMethodField
    receipt_no: ReceiptNoField | None = None
    customer_no: CustomerNoField | None = None
    amount_fen: NonNegativeFenField
    error_code: ErrorCode
    error_params: Annotated[
        dict[ParamKeyField, ParamTextField | ParamIntField],
        # pydantic states the key rule as patternProperties, which lets other keys through: say it in full
        Field(max_length=16, json_schema_extra={"additionalProperties": False, "propertyNames": {
            "minLength": 1, "maxLength": 40, "pattern": PARAM_KEY_PATTERN}}),
    ] = Field(default_factory=dict)
    #: Who took the money (the outbox item's user, who must exist), and in which shift as the counter knew it.
    taken_by: UsernameField
    shift_no: ShiftNoField | None = None
    #: The counter's clock when the cashier confirmed.
    local_time: CounterTimeField | None = None
    #: Whether the receipt was handed over marked 离线受理.
    offline: bool = False


class AttentionItem(Model):
    """An item on the supervisor's list, and whether a supervisor acknowledged it."""

    kind: AttentionKind
    #: The original item's idempotency key: what an acknowledgement names.
    item_key: str
    method: str
    receipt_no: str | None
    customer_no: str | None
    amount_fen: FenField
    counter_code: str
    taken_by: str
    shift_no: str | None
    local_time: dt.datetime | None
    #: When the server learned of it: the report's time, or the payment's booking time.
    recorded_at: dt.datetime
    #: The refusal (``refused``); None for ``redirected``.
    error_code: ErrorCode | None
    error_params: dict[str, str | int]
    #: The money that went to prepayment (``redirected``); 0 for ``refused``.
    redirected_to_prepayment_fen: FenField
    acknowledged_by: str | None
    acknowledged_at: dt.datetime | None
    note: str | None
    #: A booked payment: the counter's day (of ``local_time``; None without one) and the day the late fee
    #: was computed to; ``late_fee_day``: the as-of rule the counter's time broke (``AsOfRule``).
    taken_on: dt.date | None = None
    late_fee_as_of: dt.date | None = None
    as_of_rule: str | None = None
    #: The supervisor whose co-sign was verified at the counter (``attested``); None otherwise.
    cosigned_by: str | None = None


class ListAttentionRequest(Model):
    """The items of the caller's hall (a supervisor) or counter (a cashier); unacknowledged ones first."""

    include_acknowledged: bool = True
    limit: Annotated[int, Field(strict=True, ge=1, le=500)] = 200


class AttentionPage(Model):
    """Items needing attention, unacknowledged first, newest first within each group."""

    items: list[AttentionItem]
    #: How many of the caller's items are not yet acknowledged (all of them, not only this page's).
    unacknowledged: int


class AcknowledgeAttentionRequest(Model):
    """A supervisor has dealt with an item (refund, correction, customer told): what they did, in a note."""

    item_key: KeyField
    note: NoteField


class DamagedFile(Model):
    """A file of a damaged outbox as it was set aside, untouched: its new name, size and SHA-256."""

    name: FileNameField
    size_bytes: Annotated[int, Field(strict=True, ge=0, le=2**50)]
    sha256: Sha256Field


class AcknowledgeDamagedOutboxRequest(Model):
    """The counter's damage report (``client.core.outbox.DamageReport``), acknowledged by a supervisor who
    co-signs: the set-aside files stay on the PC for the engineers; the counter may take money again."""

    reason: Annotated[str, Field(strict=True, min_length=1, max_length=500, pattern=NO_NUL_PATTERN)]
    found_at: CounterTimeField
    files: Annotated[list[DamagedFile], Field(max_length=MAX_DAMAGED_FILES)]
    note: Annotated[str, Field(strict=True, max_length=200, pattern=NO_NUL_PATTERN)] = ""


class DamagedOutboxAck(Model):
    """The acknowledgement as booked (the first one, when the same files were acknowledged before)."""

    counter_code: str
    reason: str
    found_at: dt.datetime
    files: list[DamagedFile]
    acknowledged_at: dt.datetime
    reported_by: str
    cosigned_by: str
    note: str


REPORT_ATTENTION = register(
    Mutation("sync.report_attention", ReportAttentionRequest, AttentionItem, permission=Perm.COLLECT,
             summary="Report an outbox item refused on replay after the money was taken (once per item).")
)
LIST_ATTENTION = register(
    Query("sync.list_attention", ListAttentionRequest, AttentionPage, permission=Perm.COLLECT,
          summary="Items needing attention: refused on replay, or offline payments redirected to prepayment.")
)
ACKNOWLEDGE_ATTENTION = register(
    Mutation("sync.acknowledge_attention", AcknowledgeAttentionRequest, AttentionItem, permission=Perm.APPROVE,
             summary="A supervisor acknowledges an item needing attention, with a note.")
)
ACKNOWLEDGE_DAMAGED_OUTBOX = register(
    Mutation("sync.acknowledge_damaged_outbox", AcknowledgeDamagedOutboxRequest, DamagedOutboxAck,
             permission=Perm.COLLECT, cosign=Perm.APPROVE,
             summary="Record a damaged outbox set aside at a counter, acknowledged by a supervisor's co-sign.")
)
