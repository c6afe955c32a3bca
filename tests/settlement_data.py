"""A realistic 日结单 for the settlement tests: 城东营业厅's 2026-10-12 with two cashiers, as shift summaries and
as the report ``shared_models.rules.settlement`` assembles from them (it adds up)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from shared_models.methods.payments import BusinessType, TenderMethod
from shared_models.methods.settlement import SettlementReport
from shared_models.methods.shifts import (
    BusinessTotalLine,
    CashCountLine,
    MethodTotalLine,
    ReceiptRangeLine,
    ShiftClosing,
    ShiftInfo,
    ShiftSummary,
    VoidedLine,
)
from shared_models.rules.hall_time import HALL_TZ
from shared_models.rules.settlement import assemble_settlement

E, L, P, C, S = (BusinessType.ELECTRICITY, BusinessType.LATE_FEE, BusinessType.PREPAYMENT,
                 BusinessType.CARD_PURCHASE, BusinessType.SERVICE_FEE)


def at(hour: int, minute: int) -> dt.datetime:
    """A time of 2026-10-12 in the hall."""
    return dt.datetime(2026, 10, 12, hour, minute, tzinfo=HALL_TZ)


def _summary(*, name: str, counter: str, shift_no: str, opened: dt.datetime, closed: dt.datetime, float_fen: int,
             methods: list[tuple[TenderMethod, int, int]], businesses: list[tuple[BusinessType, int, int]],
             ranges: list[tuple[str, str, int]], voids: list[VoidedLine], counts: list[tuple[int, int]],
             expected_fen: int, approved_by: str | None, offline_unconfirmed: int) -> ShiftSummary:
    counted = sum(d * n for d, n in counts)
    info = ShiftInfo(shift_no=shift_no, cashier_username=f"u{counter}", cashier_name=name, counter_code=counter,
                     hall_code="CD01", business_date=dt.date(2026, 10, 12), opened_at=opened, float_fen=float_fen,
                     closed_at=closed)
    return ShiftSummary(
        shift=info, payments_count=sum(n for _, n, _ in methods), collected_fen=sum(a for _, _, a in methods),
        methods=[MethodTotalLine(method=m, count=n, amount_fen=a) for m, n, a in methods],
        businesses=[BusinessTotalLine(business=b, count=n, amount_fen=a) for b, n, a in businesses],
        voids=voids, receipts_used=[ReceiptRangeLine(first=f, last=last, count=n) for f, last, n in ranges],
        expected_cash_fen=expected_fen, offline_count=0, offline_unconfirmed=offline_unconfirmed,
        closing=ShiftClosing(closed_at=closed, counted_cash_fen=counted, difference_fen=counted - expected_fen,
                             cash_counts=[CashCountLine(denomination_fen=d, pieces=n) for d, n in counts],
                             approved_by=approved_by, deposit_slip_no="JK20261012-0017", note=""),
    )


def li_xiaohong() -> ShiftSummary:
    """A busy shift: cash, card and QR; one void; 0.50 short, approved by 王班长."""
    return _summary(
        name="李小红", counter="T0101", shift_no="T0101-20261012-01", opened=at(8, 30), closed=at(17, 5),
        float_fen=50000,
        methods=[(TenderMethod.CASH, 42, 1823450), (TenderMethod.BANK_CARD, 15, 956720), (TenderMethod.QR, 31, 412385)],
        businesses=[(E, 70, 2950000), (L, 12, 4555), (P, 5, 150000), (C, 3, 80000), (S, 1, 8000)],
        ranges=[("T0101-20261012-000001", "T0101-20261012-000090", 90)],
        voids=[VoidedLine(receipt_no="T0101-20261012-000037", amount_fen=23000, voided_at=at(10, 42),
                          cosigned_by="王班长", reason="户号输错")],
        # 18,734.50 expected (500.00 float + 18,234.50 cash); 18,734.00 counted
        counts=[(10000, 185), (5000, 3), (2000, 2), (1000, 3), (500, 2), (100, 3), (50, 1), (10, 5)],
        expected_fen=1873450, approved_by="王班长", offline_unconfirmed=0,
    )


def chen_xiaodong() -> ShiftSummary:
    """A quieter shift with a cheque, no voids, cash exact, two offline items still unconfirmed."""
    return _summary(
        name="陈晓东", counter="T0102", shift_no="T0102-20261012-02", opened=at(8, 25), closed=at(17, 10),
        float_fen=30000,
        methods=[(TenderMethod.CASH, 20, 650000), (TenderMethod.BANK_CARD, 8, 300000),
                 (TenderMethod.CHEQUE, 2, 1200000)],
        businesses=[(E, 25, 1950000), (L, 3, 2000), (P, 2, 198000)],
        ranges=[("T0102-20261012-000001", "T0102-20261012-000018", 18),
                ("T0102-20261012-000101", "T0102-20261012-000112", 12)],
        voids=[], counts=[(10000, 68)], expected_fen=680000, approved_by=None, offline_unconfirmed=2,
    )


def settlement_report(summaries: list[ShiftSummary] | None = None, **changes: Any) -> SettlementReport:
    """The day's report of ``summaries`` (default: both cashiers) as the rule assembles it, with ``changes``."""
    report = assemble_settlement(
        hall_code="CD01", hall_name="国网示范市供电公司城东营业厅", business_date=dt.date(2026, 10, 12),
        summaries=summaries if summaries is not None else [li_xiaohong(), chen_xiaodong()],
        prepayment_opening_fen=12345678, prepayment_closing_fen=12693678, generated_at=at(18, 5),
        generated_by="王班长",
    )
    assert report is not None
    return report.model_copy(update=changes)
