"""The 日结单 assembled from closed shifts and its checks (``shared_models.rules.settlement``): what the server
answers and the counter's provisional report both go through."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from shared_models.methods.payments import BusinessType, TenderMethod
from shared_models.methods.settlement import CashLine, MethodLine, SettlementReport
from shared_models.methods.shifts import (
    DENOMINATIONS_FEN,
    OfflineItemLine,
    OfflineStatus,
    ShiftSummary,
)
from shared_models.rules.settlement import (
    SettlementCheck,
    SettlementMismatchError,
    assemble_settlement,
    cashier_section,
    check_settlement,
)
from tests.settlement_data import at, chen_xiaodong, li_xiaohong, settlement_report

C = SettlementCheck


def _code(report: SettlementReport) -> SettlementCheck:
    with pytest.raises(SettlementMismatchError) as info:
        check_settlement(report)
    return info.value.code


def _with_cashier(index: int, **changes: Any) -> SettlementReport:
    """The realistic report with one section changed (past the assembler, as a defect would)."""
    report = settlement_report()
    cashiers = list(report.cashiers)
    cashiers[index] = cashiers[index].model_copy(update=changes)
    return report.model_copy(update={"cashiers": cashiers})


class TestAssemble:
    """Closed shifts → the report."""

    def test_a_closed_shift_becomes_its_section(self) -> None:
        """Every figure is carried over from the shift's summary; totals get their 合计."""
        summary = li_xiaohong()
        section = cashier_section(summary)
        assert (section.cashier_name, section.counter_code, section.shift_no) == (
            "李小红", "T0101", "T0101-20261012-01")
        assert [(m.method, m.count, m.amount_fen) for m in section.methods.lines] == [
            (m.method, m.count, m.amount_fen) for m in summary.methods]
        assert (section.methods.count, section.methods.amount_fen) == (88, 3192555)
        assert [b.business for b in section.businesses.lines] == list(BusinessType)
        assert section.businesses.amount_fen == section.collected_fen == 3192555
        assert section.receipts_used_count == 90
        assert [v.receipt_no for v in section.voids] == ["T0101-20261012-000037"]
        assert [c.denomination_fen for c in section.cash_counts] == list(DENOMINATIONS_FEN)
        assert section.cash_counts[0] == CashLine(denomination_fen=10000, pieces=185, amount_fen=1850000)
        assert (section.expected_cash_fen, section.counted_cash_fen, section.difference_fen) == (1873450, 1873400, -50)
        assert (section.difference_approved_by, section.deposit_slip_no) == ("王班长", "JK20261012-0017")

    def test_hall_totals_sum_over_cashiers(self) -> None:
        """Hall totals merge the cashiers' lines per method and business type, in contract order."""
        hall = settlement_report().hall
        assert [(m.method, m.count, m.amount_fen) for m in hall.methods.lines] == [
            (TenderMethod.CASH, 62, 2473450),
            (TenderMethod.BANK_CARD, 23, 1256720),
            (TenderMethod.QR, 31, 412385),
            (TenderMethod.CHEQUE, 2, 1200000),
        ]
        assert [b.business for b in hall.businesses.lines] == list(BusinessType)
        assert hall.businesses.lines[0].amount_fen == 4900000
        assert hall.collected_fen == hall.methods.amount_fen == 5342555
        assert (hall.expected_cash_fen, hall.counted_cash_fen, hall.difference_fen) == (2553450, 2553400, -50)
        assert hall.difference_approved_by == ["王班长"]
        assert (hall.float_fen, hall.offline_unconfirmed) == (80000, 2)

    def test_open_shifts_are_left_out_and_slips_listed_once(self) -> None:
        """Only closed shifts become sections; the deposit slips are listed sorted, each once."""
        second = chen_xiaodong()
        assert second.closing is not None
        second = second.model_copy(update={"closing": second.closing.model_copy(update={"deposit_slip_no": "JK-0001"})})
        still_open = li_xiaohong().model_copy(update={"closing": None})
        report = settlement_report([li_xiaohong(), second, still_open])
        assert [c.cashier_name for c in report.cashiers] == ["李小红", "陈晓东"]
        assert report.deposit_slip_nos == ["JK-0001", "JK20261012-0017"]

    def test_nothing_closed_is_no_report(self) -> None:
        """No closed shift: no report; an open shift is no section."""
        still_open = li_xiaohong().model_copy(update={"closing": None})
        assert assemble_settlement(hall_code="CD01", hall_name="城东", business_date=dt.date(2026, 10, 12),
                                   summaries=[still_open], prepayment_opening_fen=0, prepayment_closing_fen=0,
                                   generated_at=at(18, 0), generated_by="x") is None
        with pytest.raises(ValueError, match="not closed"):
            cashier_section(still_open)

    def test_offline_items_are_carried(self) -> None:
        """The offline items travel as listed, and 离线未确认笔数 is the shift's."""
        items = [
            OfflineItemLine(receipt_no="T0102-20261012-000003", customer_no="3301000001", amount_fen=5000,
                            status=OfflineStatus.CONFIRMED, local_time=at(10, 0), booked_at=at(11, 0),
                            booked_shift_no="T0102-20261012-02", from_shift_no=None),
            OfflineItemLine(receipt_no="T0102-20261012-000004", customer_no="3301000003", amount_fen=700,
                            status=OfflineStatus.UNCONFIRMED, local_time=at(16, 0), booked_at=None,
                            booked_shift_no=None, from_shift_no=None),
        ]
        summary: ShiftSummary = chen_xiaodong().model_copy(update={"offline_items": items, "offline_unconfirmed": 1})
        report = settlement_report([summary])
        check_settlement(report)
        assert report.cashiers[0].offline_items == items
        assert report.hall.offline_unconfirmed == 1


class TestCheck:
    """A settlement that does not add up is refused with a code and the figures."""

    def test_consistent_report_passes(self) -> None:
        """The realistic two-cashier day passes every check."""
        check_settlement(settlement_report())

    def test_difference_needs_an_approver(self) -> None:
        """A cash difference without a supervisor's approval is refused, naming the shift and the difference."""
        with pytest.raises(SettlementMismatchError) as info:
            check_settlement(_with_cashier(0, difference_approved_by=None))
        assert info.value.code is C.DIFFERENCE_NOT_APPROVED
        assert info.value.figures == {"shift_no": "T0101-20261012-01", "difference_fen": -50}

    def test_exact_cash_needs_no_approver(self) -> None:
        """No difference, no approval needed."""
        check_settlement(settlement_report([chen_xiaodong()]))

    def test_counted_must_be_the_sum_of_the_lines(self) -> None:
        """The counted cash is the drawer's lines added up."""
        assert _code(_with_cashier(1, counted_cash_fen=680100, difference_fen=100,
                                   difference_approved_by="王班长")) is C.CASH_MISMATCH

    def test_a_line_is_denomination_times_pieces(self) -> None:
        """A count line worth something else than denomination × pieces is refused."""
        report = settlement_report([chen_xiaodong()])
        lines = list(report.cashiers[0].cash_counts)
        lines[0] = lines[0].model_copy(update={"amount_fen": 1})
        assert _code(_with_cashier(1, cash_counts=lines)) is C.CASH_MISMATCH

    def test_difference_must_be_counted_minus_expected(self) -> None:
        """A difference that is not counted − expected is refused."""
        assert _code(_with_cashier(1, difference_fen=-1, difference_approved_by="王班长")) is C.CASH_MISMATCH

    def test_unknown_denomination_is_refused(self) -> None:
        """Only the notes and coins of DENOMINATIONS_FEN are counted (a 2-yuan note is not)."""
        summary = chen_xiaodong()
        assert summary.closing is not None
        counts = [*summary.closing.cash_counts, summary.closing.cash_counts[0].model_copy(
            update={"denomination_fen": 200, "pieces": 0})]
        odd = summary.model_copy(update={"closing": summary.closing.model_copy(update={"cash_counts": counts})})
        assert _code(settlement_report([odd])) is C.DENOMINATION_INVALID

    def test_duplicate_denomination_is_refused(self) -> None:
        """Each denomination is counted on one line, so it cannot be added twice."""
        report = settlement_report([chen_xiaodong()])
        lines = [*report.cashiers[0].cash_counts, report.cashiers[0].cash_counts[0]]
        assert _code(_with_cashier(1, cash_counts=lines)) is C.DENOMINATION_INVALID

    def test_negative_pieces_never_reach_the_check(self) -> None:
        """A negative number of notes is refused by the contract itself."""
        with pytest.raises(ValidationError):
            CashLine(denomination_fen=100, pieces=-1, amount_fen=0)

    def test_business_totals_must_match_method_totals(self) -> None:
        """Money booked to business types must be the money taken by the methods."""
        report = settlement_report()
        businesses = report.cashiers[1].businesses
        lines = [businesses.lines[0].model_copy(update={"amount_fen": 2149999}), *businesses.lines[1:]]
        changed = businesses.model_copy(update={"lines": lines, "amount_fen": sum(x.amount_fen for x in lines)})
        assert _code(_with_cashier(1, businesses=changed)) is C.BUSINESS_METHOD_MISMATCH

    def test_a_total_must_be_its_lines(self) -> None:
        """A 合计 that is not the sum of its lines is refused."""
        methods = settlement_report().cashiers[0].methods
        assert _code(_with_cashier(0, methods=methods.model_copy(update={"count": 1}))) is C.TOTAL_MISMATCH

    def test_a_method_listed_twice_is_refused(self) -> None:
        """Each method has one line."""
        methods = settlement_report().cashiers[1].methods
        cash = MethodLine(method=TenderMethod.CASH, count=0, amount_fen=0)
        twice = methods.model_copy(update={"lines": [*methods.lines, cash]})
        assert _code(_with_cashier(1, methods=twice)) is C.FIELD_INVALID

    def test_receipts_used_count_is_the_runs(self) -> None:
        """The receipt numbers used are the runs added up."""
        assert _code(_with_cashier(1, receipts_used_count=31)) is C.TOTAL_MISMATCH

    def test_hall_page_is_the_sections(self) -> None:
        """A hall total that is not the sections added up is refused, naming the figure."""
        report = settlement_report()
        with pytest.raises(SettlementMismatchError) as info:
            check_settlement(report.model_copy(update={"hall": report.hall.model_copy(update={"float_fen": 1})}))
        assert info.value.code is C.HALL_MISMATCH
        assert info.value.figures == {"field": "hall.float_fen", "reported": 1, "sections": 80000}

    def test_offline_count_must_match_the_items(self) -> None:
        """With offline items listed, 离线未确认笔数 is the number of unconfirmed ones."""
        item = OfflineItemLine(receipt_no="T0102-20261012-000004", customer_no="3301000003", amount_fen=700,
                               status=OfflineStatus.UNCONFIRMED, local_time=at(16, 0), booked_at=None,
                               booked_shift_no=None, from_shift_no=None)
        assert _code(_with_cashier(1, offline_items=[item])) is C.OFFLINE_MISMATCH  # listed 1, section says 2

    def test_unconfirmed_item_has_no_booking_time(self) -> None:
        """An unconfirmed item was not booked, so it has no booking time; a booked one has one."""
        item = OfflineItemLine(receipt_no="T0102-20261012-000004", customer_no="3301000003", amount_fen=700,
                               status=OfflineStatus.UNCONFIRMED, local_time=at(16, 0), booked_at=at(17, 0),
                               booked_shift_no=None, from_shift_no=None)
        assert _code(_with_cashier(1, offline_items=[item], offline_unconfirmed=1)) is C.FIELD_INVALID

    def test_blank_shift_number_is_refused(self) -> None:
        """Every cashier section names its shift."""
        assert _code(_with_cashier(1, shift_no="  ")) is C.FIELD_INVALID

    def test_closed_before_opened_is_refused(self) -> None:
        """A shift cannot close before it opened."""
        assert _code(_with_cashier(1, closed_at=at(8, 0))) is C.FIELD_INVALID

    def test_naive_times_never_reach_the_check(self) -> None:
        """Times travel with their offset: the contract refuses a naive one."""
        section = settlement_report().cashiers[0]
        with pytest.raises(ValidationError):
            type(section).model_validate({**section.model_dump(), "opened_at": dt.datetime(2026, 10, 12, 8, 25)})  # noqa: DTZ001 - the error under test
