"""The daily settlement 日结单 on the wire (SPEC C4, DOMAIN §8): the report as the server assembled and checked it.

``settlement.get_daily`` answers with the whole report, figures included: one section per closed shift (totals
by tender method and business type, receipt number runs, voids, offline items, the drawer count, expected
against counted cash) and the hall's totals. The server assembles it with ``shared_models.rules.settlement``
and checks that its sums agree before answering; the counter's screen shows it and ``printing.pdf`` renders
it, neither adds anything up again. Names travel as codes (``TenderMethod``, ``BusinessType``,
``OfflineStatus``); the printed Chinese names belong to ``printing.labels``. Times are instants (the
renderer shows them in hall time).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AwareDatetime, Field

from shared_models.methods.payments import BusinessType, TenderMethod
from shared_models.methods.shifts import OfflineItemLine, ReceiptRangeLine, VoidedLine
from shared_models.money import FenField, NonNegativeFenField
from shared_models.roles import Perm
from shared_models.rpc import Model, Query, register

CountField = Annotated[int, Field(strict=True, ge=0)]


class SettlementRequest(Model):
    """The 日结单 of one business day: one cashier's (default: the caller) or the whole hall's."""

    business_date: dt.date
    whole_hall: bool = False


class MethodLine(Model):
    """Payments taken by one tender method (voided ones excluded)."""

    method: TenderMethod
    count: CountField
    amount_fen: NonNegativeFenField


class BusinessLine(Model):
    """Money booked to one business type (voided payments excluded)."""

    business: BusinessType
    count: CountField
    amount_fen: NonNegativeFenField


class MethodTotals(Model):
    """Lines by tender method in ``TenderMethod`` order, and their 合计 (count and amount)."""

    lines: list[MethodLine]
    count: CountField
    amount_fen: NonNegativeFenField


class BusinessTotals(Model):
    """Lines by business type in ``BusinessType`` order, and their 合计 (count and amount)."""

    lines: list[BusinessLine]
    count: CountField
    amount_fen: NonNegativeFenField


class CashLine(Model):
    """Pieces of one note or coin counted in the drawer, and what they are worth."""

    denomination_fen: NonNegativeFenField
    pieces: CountField
    amount_fen: NonNegativeFenField


class CashierSection(Model):
    """One cashier's closed shift as the 日结单 prints it."""

    cashier_name: str
    counter_code: str
    shift_no: str
    opened_at: AwareDatetime
    closed_at: AwareDatetime
    float_fen: NonNegativeFenField
    methods: MethodTotals
    businesses: BusinessTotals
    #: Everything taken during the shift: the method total, and the business total.
    collected_fen: NonNegativeFenField
    receipts_used: list[ReceiptRangeLine]
    #: Receipt numbers consumed, over all runs.
    receipts_used_count: CountField
    voids: list[VoidedLine]
    #: Every denomination counted at close (``DENOMINATIONS_FEN`` order, zero pieces included).
    cash_counts: list[CashLine]
    cash_pieces: CountField
    expected_cash_fen: NonNegativeFenField
    counted_cash_fen: NonNegativeFenField
    #: Counted minus expected: positive is 长款 (over), negative 短款 (short).
    difference_fen: FenField
    difference_approved_by: str | None
    deposit_slip_no: str
    #: Items signed as unsent at the close that the server has still not booked (离线未确认笔数).
    offline_unconfirmed: CountField
    offline_items: list[OfflineItemLine] = Field(default_factory=list)


class HallTotals(Model):
    """The hall's page (全厅合计): the cashiers' sections added up."""

    methods: MethodTotals
    businesses: BusinessTotals
    collected_fen: NonNegativeFenField
    float_fen: NonNegativeFenField
    expected_cash_fen: NonNegativeFenField
    counted_cash_fen: NonNegativeFenField
    difference_fen: FenField
    #: The supervisors who approved a cashier's difference, in section order, each once.
    difference_approved_by: list[str]
    offline_unconfirmed: CountField


class SettlementReport(Model):
    """A hall's (or one cashier's) 日结单 of a business day: every figure it prints, already checked."""

    hall_code: str
    hall_name: str
    business_date: dt.date
    cashiers: Annotated[list[CashierSection], Field(min_length=1)]
    hall: HallTotals
    #: The deposit slips (解款单号) of the closed shifts, sorted, each once.
    deposit_slip_nos: list[str]
    prepayment_opening_fen: NonNegativeFenField
    prepayment_closing_fen: NonNegativeFenField
    #: When and for whom the server assembled it (the print time: a report of closed shifts is reproducible).
    generated_at: AwareDatetime
    generated_by: str
    #: Summed up by the counter with the link down from its own figures (not yet the center's books): printed
    #: marked 临时; the final report prints once the counter's outbox has been replayed (docs/offline.md).
    provisional: bool = False


class DailySettlement(Model):
    """The answer to ``settlement.get_daily``: the report of the day's closed shifts (None while none is closed)
    and the shifts still open, which are not in it until they close."""

    hall_code: str
    hall_name: str
    business_date: dt.date
    open_shifts: list[str]
    report: SettlementReport | None


SETTLEMENT = register(
    Query("settlement.get_daily", SettlementRequest, DailySettlement, permission=Perm.COLLECT,
          summary="The daily settlement (日结单) of a cashier or, for a supervisor, the hall: assembled and checked.")
)
