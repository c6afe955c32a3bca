"""The server's settlement data mapped onto the 日结单 the PDF module prints, and the drawer count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from client.core.cash_count import DifferenceKind, cash_count_lines, counted_fen, difference_kind
from client.core.settlement_report import (
    BUSINESS_NAMES_ZH,
    SettlementNotReadyError,
    cashier_settlement,
    hall_today,
    settlement_report,
)
from printing.pdf.settlement import BUSINESS_TYPES, METHODS, SettlementError, SettlementErrorCode
from shared_models.methods.payments import BusinessType, TenderMethod
from shared_models.methods.shifts import (
    DENOMINATIONS_FEN,
    BusinessTotalLine,
    CashCountLine,
    DailySettlement,
    MethodTotalLine,
    OfflineItemLine,
    OfflineStatus,
    ReceiptRangeLine,
    ShiftClosing,
    ShiftInfo,
    ShiftSummary,
    VoidedLine,
)
from shared_models.rules.hall_time import HALL_TZ

UTC = dt.UTC


def _utc(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, 23, hour, minute, tzinfo=UTC)


def _info(shift_no: str = "H0101-20261123-01", *, closed: bool = True, name: str = "王丽娟") -> ShiftInfo:
    return ShiftInfo(shift_no=shift_no, cashier_username="cashier0101", cashier_name=name, counter_code="H0101",
                     hall_code="H01", business_date=dt.date(2026, 11, 23), opened_at=_utc(0, 30),
                     float_fen=50000, closed_at=_utc(9, 5) if closed else None)


def _summary(**changes: Any) -> ShiftSummary:
    """A closed shift: cash and card over electricity, late fee and prepayment; one void; 0.50 short, approved."""
    pieces = (14, 1, 2, 0, 1, 4, 1, 0, 0, 0, 0)
    counts = [CashCountLine(denomination_fen=d, pieces=n) for d, n in zip(DENOMINATIONS_FEN, pieces, strict=True)]
    counted = sum(c.denomination_fen * c.pieces for c in counts)  # 1,499.50 yuan against 1,500.00 expected
    fields: dict[str, Any] = {
        "shift": _info(),
        "payments_count": 3,
        "collected_fen": 150000,
        "methods": [MethodTotalLine(method=TenderMethod.CASH, count=2, amount_fen=100000),
                    MethodTotalLine(method=TenderMethod.BANK_CARD, count=1, amount_fen=50000)],
        "businesses": [BusinessTotalLine(business=BusinessType.ELECTRICITY, count=2, amount_fen=140000),
                       BusinessTotalLine(business=BusinessType.LATE_FEE, count=1, amount_fen=2000),
                       BusinessTotalLine(business=BusinessType.PREPAYMENT, count=1, amount_fen=8000)],
        "voids": [VoidedLine(receipt_no="H0101-20261123-00002", amount_fen=12345, voided_at=_utc(3, 15),
                             cosigned_by="supervisor01", reason="户号输错")],
        "receipts_used": [ReceiptRangeLine(first="H0101-20261123-00001", last="H0101-20261123-00004", count=4)],
        "expected_cash_fen": 150000,
        "offline_count": 0,
        "closing": ShiftClosing(closed_at=_utc(9, 5), counted_cash_fen=counted, difference_fen=counted - 150000,
                                cash_counts=counts, approved_by="supervisor01", deposit_slip_no="JK-0001", note=""),
    }
    fields.update(changes)
    return ShiftSummary(**fields)


def _daily(shifts: list[ShiftSummary], **changes: Any) -> DailySettlement:
    fields: dict[str, Any] = {
        "hall_code": "H01", "hall_name": "文三路营业厅", "business_date": dt.date(2026, 11, 23), "shifts": shifts,
        "open_shifts": [], "deposit_slip_nos": sorted({s.closing.deposit_slip_no for s in shifts if s.closing}),
        "prepayment_opening_fen": 1234567, "prepayment_closing_fen": 1242567, "generated_at": _utc(10, 0),
        "generated_by": "cashier0101",
    }
    fields.update(changes)
    return DailySettlement(**fields)


class TestSettlementReport:
    """DailySettlement → SettlementReport."""

    def test_a_closed_shift_becomes_a_valid_cashier_section(self) -> None:
        """Every figure is carried over as the server sent it and the result passes the PDF's own checks."""
        summary = _summary()
        report = settlement_report(_daily([summary]))
        report.validate()
        (cashier,) = report.cashiers
        assert cashier.cashier_name == "王丽娟"
        assert cashier.counter_code == "H0101"
        assert cashier.shift_no == summary.shift.shift_no
        assert cashier.float_fen == 50000
        assert [(m.method, m.count, m.amount_fen) for m in cashier.methods] == [
            (m.method.value, m.count, m.amount_fen) for m in summary.methods
        ]
        assert [b.business for b in cashier.businesses] == ["电费", "违约金", "预收"]
        assert [(r.first, r.last, r.count) for r in cashier.receipts_used] == [
            ("H0101-20261123-00001", "H0101-20261123-00004", 4)
        ]
        assert cashier.receipts_voided == ("H0101-20261123-00002",)
        assert cashier.voids[0].cosigner == "supervisor01"
        assert cashier.voids[0].original_amount_fen == 12345
        assert cashier.expected_cash_fen == 150000
        assert summary.closing is not None
        assert cashier.counted_cash_fen == summary.closing.counted_cash_fen
        assert cashier.difference_fen == summary.closing.difference_fen == -50
        assert cashier.difference_approved_by == "supervisor01"
        assert report.deposit_slip_no == "JK-0001"
        assert (report.prepayment_opening_fen, report.prepayment_closing_fen) == (1234567, 1242567)
        assert report.printed_by == "cashier0101"

    def test_times_are_hall_local(self) -> None:
        """Shift, void and print times are shown in China time (UTC+8), the same instants."""
        cashier = settlement_report(_daily([_summary()])).cashiers[0]
        assert cashier.shift_opened_at.utcoffset() == dt.timedelta(hours=8)
        assert (cashier.shift_opened_at.hour, cashier.shift_opened_at.minute) == (8, 30)
        assert cashier.shift_closed_at.hour == 17
        assert cashier.voids[0].reversed_at == _utc(3, 15)
        assert cashier.voids[0].reversed_at.tzinfo == HALL_TZ

    def test_every_business_type_has_a_report_name(self) -> None:
        """The contract's business types map one to one onto the report's names."""
        assert sorted(BUSINESS_NAMES_ZH[b] for b in BusinessType) == sorted(BUSINESS_TYPES)
        assert sorted(m.value for m in TenderMethod) == sorted(METHODS)

    def test_open_shifts_are_left_out_and_slips_joined(self) -> None:
        """Only closed shifts become sections; two deposit slips are printed side by side."""
        first = _summary()
        second = _summary(shift=_info("H0101-20261123-02", name="陈晓燕"),
                          closing=_summary().closing.model_copy(update={"deposit_slip_no": "JK-0002"}))  # type: ignore[union-attr]
        still_open = _summary(shift=_info("H0102-20261123-01", closed=False), closing=None)
        report = settlement_report(_daily([first, second, still_open], open_shifts=["H0102-20261123-01"]))
        assert [c.cashier_name for c in report.cashiers] == ["王丽娟", "陈晓燕"]
        assert report.deposit_slip_no == "JK-0001、JK-0002"

    def test_a_day_without_closed_shifts_is_not_ready(self) -> None:
        """Nothing closed yet: there is no report to print."""
        still_open = _summary(shift=_info(closed=False), closing=None)
        with pytest.raises(SettlementNotReadyError):
            settlement_report(_daily([still_open]))
        with pytest.raises(ValueError, match="not closed"):
            cashier_settlement(still_open)

    def test_printed_by_names_the_person(self) -> None:
        """The screen passes who prints; the server's user name is the fallback."""
        assert settlement_report(_daily([_summary()]), printed_by="王丽娟").printed_by == "王丽娟"

    def test_offline_payments_are_carried(self) -> None:
        """The offline items are listed in hall time, and 离线未确认笔数 counts the ones still unconfirmed (a
        payment booked offline is confirmed, whatever ``offline_count`` says)."""
        items = [
            OfflineItemLine(receipt_no="H0101-20261123-00003", customer_no="3301000001", amount_fen=5000,
                            status=OfflineStatus.CONFIRMED, local_time=_utc(2, 0), booked_at=_utc(3, 0),
                            booked_shift_no="H0101-20261123-01", from_shift_no=None),
            OfflineItemLine(receipt_no="H0101-20261123-00004", customer_no="3301000003", amount_fen=700,
                            status=OfflineStatus.UNCONFIRMED, local_time=_utc(8, 0), booked_at=None,
                            booked_shift_no=None, from_shift_no=None),
        ]
        summary = _summary(offline_count=1, offline_items=items, offline_unconfirmed=1)
        (cashier,) = settlement_report(_daily([summary])).cashiers
        cashier.validate()
        assert cashier.offline_unconfirmed == 1
        assert [(x.receipt_no, x.status, x.booked_shift_no) for x in cashier.offline_items] == [
            ("H0101-20261123-00003", "confirmed", None), ("H0101-20261123-00004", "unconfirmed", None)]
        assert cashier.offline_items[0].local_time == _utc(2, 0)
        assert cashier.offline_items[0].local_time is not None
        assert cashier.offline_items[0].local_time.utcoffset() == dt.timedelta(hours=8)

    def test_unapproved_difference_fails_the_pdf_checks(self) -> None:
        """A difference without an approver (a server defect) is caught before anything is printed."""
        closing = _summary().closing
        assert closing is not None
        report = settlement_report(_daily([_summary(closing=closing.model_copy(update={"approved_by": None}))]))
        with pytest.raises(SettlementError) as info:
            report.validate()
        assert info.value.code is SettlementErrorCode.DIFFERENCE_NOT_APPROVED

    def test_hall_today_is_the_china_date(self) -> None:
        """17:00 UTC is already the next day in the hall."""
        assert hall_today(dt.datetime(2026, 11, 23, 17, 0, tzinfo=UTC)) == dt.date(2026, 11, 24)
        assert hall_today(dt.datetime(2026, 11, 23, 15, 59, tzinfo=UTC)) == dt.date(2026, 11, 23)


class TestCashCount:
    """The drawer count shown while closing."""

    def test_total_and_lines(self) -> None:
        """Pieces times denomination, every denomination listed in order, zero where none."""
        pieces = {10000: 3, 50: 1, 10: 7}
        assert counted_fen(pieces) == 30120
        lines = cash_count_lines(pieces)
        assert [line.denomination_fen for line in lines] == list(DENOMINATIONS_FEN)
        assert [line.pieces for line in lines] == [3, 0, 0, 0, 0, 0, 1, 7, 0, 0, 0]

    def test_refusals(self) -> None:
        """A note not counted at close, or negative pieces, is refused."""
        with pytest.raises(ValueError, match="denomination"):
            counted_fen({200: 1})
        with pytest.raises(ValueError, match="negative"):
            cash_count_lines({100: -1})

    def test_difference_kind(self) -> None:
        """Over is 长款, under is 短款."""
        assert difference_kind(100) is DifferenceKind.OVER
        assert difference_kind(-1) is DifferenceKind.SHORT
        assert difference_kind(0) is DifferenceKind.EVEN
