"""The server's settlement data (``settlement.get_daily``) as the 日结单 the PDF module prints.

Qt-free and pure: :func:`settlement_report` maps a :class:`DailySettlement` onto
:class:`printing.pdf.settlement.SettlementReport` (one cashier section per closed shift), in the hall's
local time (China, UTC+8, no daylight saving), with the Chinese business-type names the report uses.
The figures are the server's; nothing is recomputed here, so the PDF's own checks
(:meth:`SettlementReport.validate`) check the server's arithmetic once more before anything is printed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Final

from printing.pdf.settlement import (
    BusinessTotal,
    CashCount,
    CashierSettlement,
    MethodTotal,
    OfflineLine,
    ReceiptRange,
    SettlementReport,
    VoidLine,
)
from shared_models.methods.payments import BusinessType
from shared_models.methods.shifts import DailySettlement, OfflineItemLine, ShiftSummary
from shared_models.rules.hall_time import HALL_TZ

#: Halls keep China time (UTC+8, no daylight saving): shift times and the print time are shown in it.

#: The report's business-type names (``printing.pdf.settlement.BUSINESS_TYPES``), by contract value.
BUSINESS_NAMES_ZH: Final[Mapping[BusinessType, str]] = MappingProxyType({
    BusinessType.ELECTRICITY: "电费",
    BusinessType.LATE_FEE: "违约金",
    BusinessType.PREPAYMENT: "预收",
    BusinessType.CARD_PURCHASE: "购电",
    BusinessType.SERVICE_FEE: "业务费",
})

#: Joins the deposit slip numbers of a day with several closed shifts (one bank deposit each).
DEPOSIT_SLIP_SEPARATOR: Final = "、"
#: Printed where the business document needs a text and the data has none (a void without a reason).
_NONE: Final = "—"


class SettlementNotReadyError(ValueError):
    """The day has no closed shift (for this cashier, or the hall): there is nothing to settle yet."""


def hall_today(now: dt.datetime | None = None) -> dt.date:
    """Today's business date in the hall's time zone."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(HALL_TZ).date()


def hall_time(moment: dt.datetime) -> dt.datetime:
    """``moment`` (timezone-aware) in the hall's local time."""
    if moment.utcoffset() is None:
        raise ValueError("a settlement time must carry its UTC offset")
    return moment.astimezone(HALL_TZ)


def offline_line(item: OfflineItemLine, *, shift_no: str) -> OfflineLine:
    """One offline item of shift ``shift_no`` as the report lists it, in hall time."""
    return OfflineLine(
        receipt_no=item.receipt_no,
        customer_no=item.customer_no,
        amount_fen=item.amount_fen,
        status=item.status.value,
        local_time=hall_time(item.local_time) if item.local_time else None,
        booked_at=hall_time(item.booked_at) if item.booked_at else None,
        from_shift_no=item.from_shift_no,
        booked_shift_no=item.booked_shift_no if item.booked_shift_no != shift_no else None,
        redirected_fen=item.redirected_to_prepayment_fen,
        voided=item.voided,
    )


def cashier_settlement(summary: ShiftSummary) -> CashierSettlement:
    """One closed shift as a cashier section of the report; ValueError for a shift still open."""
    closing = summary.closing
    if closing is None:
        raise ValueError(f"shift {summary.shift.shift_no} is not closed")
    return CashierSettlement(
        cashier_name=summary.shift.cashier_name,
        counter_code=summary.shift.counter_code,
        shift_no=summary.shift.shift_no,
        shift_opened_at=hall_time(summary.shift.opened_at),
        shift_closed_at=hall_time(closing.closed_at),
        float_fen=summary.shift.float_fen,
        methods=tuple(
            MethodTotal(method=m.method.value, count=m.count, amount_fen=m.amount_fen) for m in summary.methods
        ),
        businesses=tuple(
            BusinessTotal(business=BUSINESS_NAMES_ZH[b.business], count=b.count, amount_fen=b.amount_fen)
            for b in summary.businesses
        ),
        receipts_used=tuple(ReceiptRange(first=r.first, last=r.last, count=r.count) for r in summary.receipts_used),
        receipts_voided=tuple(v.receipt_no for v in summary.voids),
        voids=tuple(
            VoidLine(
                receipt_no=v.receipt_no,
                original_amount_fen=v.amount_fen,
                reversed_at=hall_time(v.voided_at),
                cosigner=v.cosigned_by,
                reason=v.reason.strip() or _NONE,
            )
            for v in summary.voids
        ),
        cash_counts=tuple(CashCount(denomination_fen=c.denomination_fen, pieces=c.pieces) for c in closing.cash_counts),
        expected_cash_fen=summary.expected_cash_fen,
        difference_approved_by=closing.approved_by,
        # Items a supervisor signed as unsent at the close that the server has still not booked.
        offline_unconfirmed=summary.offline_unconfirmed,
        offline_items=tuple(offline_line(i, shift_no=summary.shift.shift_no) for i in summary.offline_items),
    )


def settlement_report(daily: DailySettlement, *, printed_by: str | None = None,
                      provisional: bool = False) -> SettlementReport:
    """The 日结单 of ``daily``'s closed shifts; :class:`SettlementNotReadyError` when none is closed.

    ``printed_by`` names who prints (default: the user the server generated the data for); the print
    time is the server's ``generated_at``, so a report of closed shifts is reproducible from its data.
    ``provisional``: the counter summed the data up itself with the link down (:func:`provisional_daily`);
    the report prints marked 临时.
    """
    closed = [s for s in daily.shifts if s.closing is not None]
    if not closed:
        raise SettlementNotReadyError(f"no closed shift on {daily.business_date.isoformat()}")
    slips = list(dict.fromkeys(daily.deposit_slip_nos)) or [
        s.closing.deposit_slip_no for s in closed if s.closing is not None
    ]
    return SettlementReport(
        hall_name=daily.hall_name,
        hall_code=daily.hall_code,
        business_date=daily.business_date,
        cashiers=tuple(cashier_settlement(s) for s in closed),
        deposit_slip_no=DEPOSIT_SLIP_SEPARATOR.join(slips),
        prepayment_opening_fen=daily.prepayment_opening_fen,
        prepayment_closing_fen=daily.prepayment_closing_fen,
        printed_at=hall_time(daily.generated_at),
        printed_by=printed_by or daily.generated_by,
        provisional=provisional,
    )


def provisional_daily(summaries: Sequence[ShiftSummary], *, hall_name: str, printed_by: str,
                      now: dt.datetime) -> DailySettlement:
    """The day's settlement data of shifts the counter closed with the link down (its own figures): what the
    provisional 日结单 prints. Prepayment balances are the center's and unknown here: printed as 0."""
    first = summaries[0].shift
    return DailySettlement(
        hall_code=first.hall_code, hall_name=hall_name, business_date=first.business_date, shifts=list(summaries),
        open_shifts=[], deposit_slip_nos=[s.closing.deposit_slip_no for s in summaries if s.closing is not None],
        prepayment_opening_fen=0, prepayment_closing_fen=0, generated_at=now, generated_by=printed_by,
    )
