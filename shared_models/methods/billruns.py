"""Bill runs on the wire (SPEC C5, issue 12 item 4): calculate → review (hold, recalculate) → release, 退补.

A bill run is one reading book (抄表段, ``book_code``) and one period (``yyyymm``). Progress: the server
prices a run in chunks, one chunk per ``billrun.calculate_run`` call (``chunk_size`` customers), and answers
the run's progress (``customers_done`` of ``customers_total``) with it; the client calls again while the
state is ``calculating`` and drives its progress bar from the answers (each chunk is its own transaction, so
another clerk's ``billrun.get_run`` sees the progress too). Calling ``calculate_run`` on a calculated run
recalculates it (a new pass; drafts whose inputs did not change stay exactly as they were); on a released
run it is refused.

Release (``billrun.release_run``) turns every draft that is not held into a bill with its lines, charges it
to the ledger and lets the customer's prepayment (预收) pay it (a ``prepayment_transfer`` pair); a held draft
stays a draft and can be released on its own later (``billrun.release_bill``). A released bill is never
changed: ``billrun.correct_bill`` (退补) reverses its charge and releases a new bill priced from today's
readings, with a reason, co-signed by a supervisor. ``bill.get_lines`` answers a released bill with the lines
that priced it (the cashier's 360 view, the 电费通知单).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from shared_models.ids import NO_NUL_PATTERN, CustomerNoField
from shared_models.money import FenField, NonNegativeFenField
from shared_models.pricing import PricedLine
from shared_models.roles import Perm
from shared_models.rpc import Model, Mutation, Query, register
from shared_models.tariffs import Kwh

#: A billing period ``yyyymm`` (the schema's range; a month 00 or 13 is READING_PERIOD_INVALID, from the service).
PeriodField = Annotated[int, Field(strict=True, ge=200001, le=209912)]
#: A reading book code (抄表段).
BookCodeField = Annotated[str, Field(strict=True, min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")]
#: Why a draft is held or a bill corrected: free text the clerk types.
ReasonField = Annotated[str, Field(strict=True, min_length=1, max_length=200, pattern=NO_NUL_PATTERN)]
#: A bill number.
BillNoField = Annotated[str, Field(strict=True, min_length=1, max_length=32, pattern=r"^[A-Za-z0-9-]+$")]
CountField = Annotated[int, Field(strict=True, ge=0)]


class RunState(StrEnum):
    """Where a bill run is."""

    CALCULATING = "calculating"
    CALCULATED = "calculated"
    RELEASED = "released"


class DraftFilter(StrEnum):
    """Which drafts ``billrun.get_run`` lists."""

    ALL = "all"
    HELD = "held"
    ANOMALIES = "anomalies"
    PENDING = "pending"  # not held, not yet released
    RELEASED = "released"


class DraftAnomaly(Model):
    """A finding on the inputs of a draft: a code the client translates and the figures behind it."""

    code: str = Field(min_length=1, max_length=48)
    params: dict[str, str | int] = Field(default_factory=dict)


class RunRef(Model):
    """One bill run: a book and a period."""

    book_code: BookCodeField
    period: PeriodField


class CalculateRunRequest(Model):
    """Price the next ``chunk_size`` customers of the run (creating or restarting it when needed)."""

    book_code: BookCodeField
    period: PeriodField
    chunk_size: int = Field(default=500, strict=True, ge=1, le=5000)


class RunSummary(Model):
    """A run's state, progress and totals (over its drafts; ``released_*`` over the bills it released)."""

    book_code: str
    period: int
    state: RunState
    customers_total: CountField
    customers_done: CountField
    passes: CountField
    drafts: CountField
    held: CountField
    with_anomalies: CountField
    total_kwh: Kwh
    total_fen: NonNegativeFenField
    bills_released: CountField
    released_fen: NonNegativeFenField
    created_by: str
    calculated_by: str | None
    calculated_at: dt.datetime | None
    released_by: str | None
    released_at: dt.datetime | None


class ListRunsRequest(Model):
    """The runs of one book (or of all books), newest period first."""

    book_code: BookCodeField | None = None
    limit: int = Field(default=50, strict=True, ge=1, le=500)


class RunList(Model):
    """Runs, newest period first."""

    runs: list[RunSummary]


class GetRunRequest(Model):
    """A run with one page of its drafts (by book sequence), filtered."""

    book_code: BookCodeField
    period: PeriodField
    filter: DraftFilter = DraftFilter.ALL
    offset: int = Field(default=0, strict=True, ge=0)
    limit: int = Field(default=100, strict=True, ge=1, le=1000)


class DraftRow(Model):
    """One draft in the review table."""

    customer_no: str
    customer_name: str
    book_seq: int
    period_from: dt.date | None
    period_to: dt.date | None
    total_kwh: Kwh
    total_fen: NonNegativeFenField
    priced: bool
    held: bool
    hold_reason: str | None
    anomalies: list[DraftAnomaly]
    versions_from: list[dt.date]
    #: The bill it became (None while a draft).
    bill_no: str | None


class RunPage(Model):
    """A run's summary and one page of its drafts."""

    run: RunSummary
    drafts: list[DraftRow]
    offset: int
    has_more: bool


class DraftRef(Model):
    """One customer's draft in a run."""

    book_code: BookCodeField
    period: PeriodField
    customer_no: CustomerNoField


class HoldBillRequest(Model):
    """Hold a draft (it is not released with the run) and say why."""

    book_code: BookCodeField
    period: PeriodField
    customer_no: CustomerNoField
    reason: ReasonField


class DraftDetail(Model):
    """A draft with its lines (the review's "explain this bill")."""

    draft: DraftRow
    lines: list[PricedLine]


class ReleaseRunResult(Model):
    """What one release did, and the run afterwards."""

    run: RunSummary
    bills_released: CountField
    released_fen: NonNegativeFenField
    #: Prepayment (预收) that paid the new bills at release.
    prepayment_applied_fen: NonNegativeFenField


class CorrectBillRequest(Model):
    """退补: reverse a released bill and release it again, priced from the readings as they are now."""

    bill_no: BillNoField
    reason: ReasonField


class BillRequest(Model):
    """A released bill by number."""

    bill_no: BillNoField


class BillLines(Model):
    """A released bill and the lines that priced it (the 360 view's detail and the 电费通知单)."""

    bill_no: str
    customer_no: str
    customer_name: str
    address: str
    book_code: str
    period: int
    period_from: dt.date | None
    period_to: dt.date | None
    kwh: Kwh
    amount_fen: FenField
    issued_on: dt.date
    due_on: dt.date
    tariff_code: str
    tariff_name: str
    lines: list[PricedLine]
    #: Prepayment (预收) that paid this bill when it was released.
    prepayment_applied_fen: NonNegativeFenField
    #: Unpaid principal today.
    principal_open_fen: FenField
    #: 退补: the bill this one replaces and why; and the bill that replaced this one.
    corrects_bill_no: str | None
    correction_reason: str | None
    corrected_by_bill_no: str | None


class CorrectBillResult(Model):
    """The reversed bill and the new one."""

    reversed_bill_no: str
    reversed_fen: NonNegativeFenField
    new_bill: BillLines


LIST_RUNS = register(Query("billrun.list_runs", ListRunsRequest, RunList, permission=Perm.BILLING,
                           summary="Bill runs with their state, progress and totals, newest period first."))
GET_RUN = register(Query("billrun.get_run", GetRunRequest, RunPage, permission=Perm.BILLING,
                         summary="A bill run's totals and one filtered page of its drafts with anomalies."))
GET_DRAFT = register(Query("billrun.get_draft", DraftRef, DraftDetail, permission=Perm.BILLING,
                           summary="One draft bill with its priced lines."))
CALCULATE_RUN = register(Mutation(
    "billrun.calculate_run", CalculateRunRequest, RunSummary, permission=Perm.BILLING,
    summary="Price the next chunk of a bill run's customers into drafts (call again while calculating)."))
HOLD_BILL = register(Mutation("billrun.hold_bill", HoldBillRequest, DraftRow, permission=Perm.BILLING,
                              summary="Hold a draft bill with a reason: the run's release leaves it out."))
RELEASE_BILL = register(Mutation(
    "billrun.release_bill", DraftRef, DraftRow, permission=Perm.BILLING,
    summary="Lift a draft's hold; in a released run the draft is released as a bill at once."))
RECALCULATE_BILL = register(Mutation(
    "billrun.recalculate_bill", DraftRef, DraftDetail, permission=Perm.BILLING,
    summary="Price a held draft again (after a corrected reading); it stays held."))
RELEASE_RUN = register(Mutation(
    "billrun.release_run", RunRef, ReleaseRunResult, permission=Perm.BILLING,
    summary="Release every draft that is not held: bills, lines, ledger charges, prepayment offset."))
CORRECT_BILL = register(Mutation(
    "billrun.correct_bill", CorrectBillRequest, CorrectBillResult, permission=Perm.BILLING, cosign=Perm.APPROVE,
    summary="退补: reverse a released bill's charge and release a new bill for its period, with a reason."))
GET_LINES = register(Query("bill.get_lines", BillRequest, BillLines, permission=Perm.VIEW_CUSTOMERS,
                           summary="A released bill with the lines that priced it."))
