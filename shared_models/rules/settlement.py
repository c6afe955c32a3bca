"""The 日结单 assembled from closed shifts and checked (SPEC C4, DOMAIN §8): one home for the server and the counter.

:func:`assemble_settlement` turns the summaries of a day's closed shifts into the report the contract carries
(``shared_models.methods.settlement``): a section per shift and the hall's totals. :func:`check_settlement`
re-adds every figure and raises :class:`SettlementMismatchError` (a code and the figures, never prose) unless:

* every 合计 is the sum of its lines, and per shift the tender-method total, the business-type total and the
  collected amount are one amount. Counts are not compared across the two: one payment may cover 电费 and
  违约金 (two business lines) or be split over cash and card (two method lines);
* the drawer is counted in the notes and coins of ``DENOMINATIONS_FEN``, each once, each line worth
  denomination × pieces, the counted cash their sum, the difference counted − expected;
* a difference other than zero carries the supervisor who approved it;
* the offline items listed carry their booking time exactly when booked, and the unconfirmed ones are as
  many as the shift's 离线未确认笔数;
* the hall's page is the sum of the sections.

The server (``server/services/settlement.py``) assembles and checks before it answers; the counter does the
same with its own figures for the provisional report it prints with the link down. Pure: no I/O, no clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import TypeVar

from shared_models.methods.payments import BusinessType, TenderMethod
from shared_models.methods.settlement import (
    BusinessLine,
    BusinessTotals,
    CashierSection,
    CashLine,
    HallTotals,
    MethodLine,
    MethodTotals,
    SettlementReport,
)
from shared_models.methods.shifts import DENOMINATIONS_FEN, OfflineStatus, ShiftSummary

_K = TypeVar("_K", TenderMethod, BusinessType)


class SettlementCheck(StrEnum):
    """Which check a settlement failed."""

    FIELD_INVALID = "SETTLEMENT_FIELD_INVALID"
    DENOMINATION_INVALID = "SETTLEMENT_DENOMINATION_INVALID"
    CASH_MISMATCH = "SETTLEMENT_CASH_MISMATCH"
    DIFFERENCE_NOT_APPROVED = "SETTLEMENT_DIFFERENCE_NOT_APPROVED"
    TOTAL_MISMATCH = "SETTLEMENT_TOTAL_MISMATCH"
    BUSINESS_METHOD_MISMATCH = "SETTLEMENT_BUSINESS_METHOD_MISMATCH"
    OFFLINE_MISMATCH = "SETTLEMENT_OFFLINE_MISMATCH"
    HALL_MISMATCH = "SETTLEMENT_HALL_MISMATCH"


class SettlementMismatchError(ValueError):
    """A settlement whose figures do not agree (or are malformed): the check and the figures, never prose."""

    def __init__(self, check: SettlementCheck, /, **figures: str | int) -> None:
        super().__init__(f"{check.value} {figures}" if figures else check.value)
        self.code = check
        self.figures: dict[str, str | int] = figures


# --- assembling ------------------------------------------------------------------------------------

def method_totals(lines: Iterable[tuple[TenderMethod, int, int]]) -> MethodTotals:
    """``(method, count, amount)`` lines merged per method, in ``TenderMethod`` order, with their 合计."""
    merged = _merge(lines)
    out = [MethodLine(method=m, count=merged[m][0], amount_fen=merged[m][1]) for m in TenderMethod if m in merged]
    return MethodTotals(lines=out, count=sum(x.count for x in out), amount_fen=sum(x.amount_fen for x in out))


def business_totals(lines: Iterable[tuple[BusinessType, int, int]]) -> BusinessTotals:
    """``(business, count, amount)`` lines merged per business type, in ``BusinessType`` order, with their 合计."""
    merged = _merge(lines)
    out = [BusinessLine(business=b, count=merged[b][0], amount_fen=merged[b][1]) for b in BusinessType if b in merged]
    return BusinessTotals(lines=out, count=sum(x.count for x in out), amount_fen=sum(x.amount_fen for x in out))


def cash_lines(counts: Iterable[tuple[int, int]]) -> list[CashLine]:
    """Every denomination of ``DENOMINATIONS_FEN`` (zero pieces where none were counted), then any other
    denomination as counted (which :func:`check_settlement` refuses: it is never silently dropped)."""
    pieces: dict[int, int] = {}
    for denomination, n in counts:
        pieces[denomination] = pieces.get(denomination, 0) + n
    order = [*DENOMINATIONS_FEN, *sorted(d for d in pieces if d not in DENOMINATIONS_FEN)]
    return [CashLine(denomination_fen=d, pieces=pieces.get(d, 0), amount_fen=d * pieces.get(d, 0)) for d in order]


def cashier_section(summary: ShiftSummary) -> CashierSection:
    """One closed shift as a section of the report; ValueError for a shift still open."""
    closing = summary.closing
    if closing is None:
        raise ValueError(f"shift {summary.shift.shift_no} is not closed")
    methods = method_totals((m.method, m.count, m.amount_fen) for m in summary.methods)
    counts = cash_lines((c.denomination_fen, c.pieces) for c in closing.cash_counts)
    return CashierSection(
        cashier_name=summary.shift.cashier_name,
        counter_code=summary.shift.counter_code,
        shift_no=summary.shift.shift_no,
        opened_at=summary.shift.opened_at,
        closed_at=closing.closed_at,
        float_fen=summary.shift.float_fen,
        methods=methods,
        businesses=business_totals((b.business, b.count, b.amount_fen) for b in summary.businesses),
        collected_fen=summary.collected_fen,
        receipts_used=list(summary.receipts_used),
        receipts_used_count=sum(r.count for r in summary.receipts_used),
        voids=list(summary.voids),
        cash_counts=counts,
        cash_pieces=sum(c.pieces for c in counts),
        expected_cash_fen=summary.expected_cash_fen,
        counted_cash_fen=closing.counted_cash_fen,
        difference_fen=closing.difference_fen,
        difference_approved_by=closing.approved_by,
        deposit_slip_no=closing.deposit_slip_no,
        offline_unconfirmed=summary.offline_unconfirmed,
        offline_items=list(summary.offline_items),
    )


def hall_totals(sections: Sequence[CashierSection]) -> HallTotals:
    """The hall's page: every section added up."""
    return HallTotals(
        methods=method_totals((m.method, m.count, m.amount_fen) for c in sections for m in c.methods.lines),
        businesses=business_totals((b.business, b.count, b.amount_fen) for c in sections for b in c.businesses.lines),
        collected_fen=sum(c.collected_fen for c in sections),
        float_fen=sum(c.float_fen for c in sections),
        expected_cash_fen=sum(c.expected_cash_fen for c in sections),
        counted_cash_fen=sum(c.counted_cash_fen for c in sections),
        difference_fen=sum(c.difference_fen for c in sections),
        difference_approved_by=list(dict.fromkeys(
            c.difference_approved_by for c in sections if c.difference_approved_by and c.difference_fen != 0)),
        offline_unconfirmed=sum(c.offline_unconfirmed for c in sections),
    )


def assemble_settlement(*, hall_code: str, hall_name: str, business_date: dt.date,
                        summaries: Sequence[ShiftSummary], prepayment_opening_fen: int, prepayment_closing_fen: int,
                        generated_at: dt.datetime, generated_by: str,
                        provisional: bool = False) -> SettlementReport | None:
    """The 日结单 of the closed ones of ``summaries`` (None when none is closed), not yet checked."""
    sections = [cashier_section(s) for s in summaries if s.closing is not None]
    if not sections:
        return None
    return SettlementReport(
        hall_code=hall_code, hall_name=hall_name, business_date=business_date, cashiers=sections,
        hall=hall_totals(sections), deposit_slip_nos=sorted({c.deposit_slip_no for c in sections}),
        prepayment_opening_fen=prepayment_opening_fen, prepayment_closing_fen=prepayment_closing_fen,
        generated_at=generated_at, generated_by=generated_by, provisional=provisional,
    )


# --- checking --------------------------------------------------------------------------------------

def check_settlement(report: SettlementReport) -> None:
    """Raise :class:`SettlementMismatchError` unless every figure of ``report`` agrees (module docstring)."""
    for name in ("hall_name", "hall_code", "generated_by"):
        _check_text(name, getattr(report, name))
    for i, slip in enumerate(report.deposit_slip_nos):
        _check_text(f"deposit_slip_nos[{i}]", slip)
    for i, section in enumerate(report.cashiers):
        check_section(section, where=f"cashiers[{i}]")
    expected = hall_totals(report.cashiers)
    if report.hall != expected:
        field = next(name for name in HallTotals.model_fields if getattr(report.hall, name) != getattr(expected, name))
        raise SettlementMismatchError(SettlementCheck.HALL_MISMATCH, field=f"hall.{field}",
                                      reported=_figure(getattr(report.hall, field)),
                                      sections=_figure(getattr(expected, field)))


def check_section(c: CashierSection, *, where: str = "cashier") -> None:
    """Raise :class:`SettlementMismatchError` unless one shift's section agrees with itself."""
    for name in ("cashier_name", "counter_code", "shift_no", "deposit_slip_no"):
        _check_text(f"{where}.{name}", getattr(c, name))
    if c.closed_at < c.opened_at:
        raise SettlementMismatchError(SettlementCheck.FIELD_INVALID, field=f"{where}.closed_at")
    _check_totals(f"{where}.methods", [m.method for m in c.methods.lines], c.methods.lines, c.methods)
    _check_totals(f"{where}.businesses", [b.business for b in c.businesses.lines], c.businesses.lines, c.businesses)
    if not c.methods.amount_fen == c.businesses.amount_fen == c.collected_fen:
        raise SettlementMismatchError(SettlementCheck.BUSINESS_METHOD_MISMATCH, shift_no=c.shift_no,
                                      methods_fen=c.methods.amount_fen, businesses_fen=c.businesses.amount_fen,
                                      collected_fen=c.collected_fen)
    for i, r in enumerate(c.receipts_used):
        _check_text(f"{where}.receipts_used[{i}].first", r.first)
        _check_text(f"{where}.receipts_used[{i}].last", r.last)
        if r.count < 1:
            raise SettlementMismatchError(SettlementCheck.FIELD_INVALID, field=f"{where}.receipts_used[{i}].count")
    if c.receipts_used_count != sum(r.count for r in c.receipts_used):
        raise SettlementMismatchError(SettlementCheck.TOTAL_MISMATCH, field=f"{where}.receipts_used_count",
                                      reported=c.receipts_used_count, lines=sum(r.count for r in c.receipts_used))
    for i, v in enumerate(c.voids):
        _check_text(f"{where}.voids[{i}].receipt_no", v.receipt_no)
        _check_text(f"{where}.voids[{i}].cosigned_by", v.cosigned_by)
    _check_cash(c, where=where)
    _check_offline(c, where=where)


def _check_cash(c: CashierSection, *, where: str) -> None:
    seen: set[int] = set()
    for i, line in enumerate(c.cash_counts):
        if line.denomination_fen not in DENOMINATIONS_FEN or line.denomination_fen in seen:
            raise SettlementMismatchError(SettlementCheck.DENOMINATION_INVALID, field=f"{where}.cash_counts[{i}]",
                                          shift_no=c.shift_no, denomination_fen=line.denomination_fen)
        seen.add(line.denomination_fen)
        if line.amount_fen != line.denomination_fen * line.pieces:
            raise SettlementMismatchError(SettlementCheck.CASH_MISMATCH, field=f"{where}.cash_counts[{i}]",
                                          shift_no=c.shift_no, denomination_fen=line.denomination_fen,
                                          pieces=line.pieces, amount_fen=line.amount_fen)
    pieces, counted = sum(x.pieces for x in c.cash_counts), sum(x.amount_fen for x in c.cash_counts)
    if c.cash_pieces != pieces or c.counted_cash_fen != counted:
        raise SettlementMismatchError(SettlementCheck.CASH_MISMATCH, field=f"{where}.counted_cash_fen",
                                      shift_no=c.shift_no, counted_cash_fen=c.counted_cash_fen, lines_fen=counted,
                                      cash_pieces=c.cash_pieces, lines_pieces=pieces)
    if c.difference_fen != c.counted_cash_fen - c.expected_cash_fen:
        raise SettlementMismatchError(SettlementCheck.CASH_MISMATCH, field=f"{where}.difference_fen",
                                      shift_no=c.shift_no, difference_fen=c.difference_fen,
                                      counted_cash_fen=c.counted_cash_fen, expected_cash_fen=c.expected_cash_fen)
    if c.difference_approved_by is not None:
        _check_text(f"{where}.difference_approved_by", c.difference_approved_by)
    elif c.difference_fen != 0:
        raise SettlementMismatchError(SettlementCheck.DIFFERENCE_NOT_APPROVED, shift_no=c.shift_no,
                                      difference_fen=c.difference_fen)


def _check_offline(c: CashierSection, *, where: str) -> None:
    for i, line in enumerate(c.offline_items):
        _check_text(f"{where}.offline_items[{i}].receipt_no", line.receipt_no)
        _check_text(f"{where}.offline_items[{i}].customer_no", line.customer_no)
        if (line.booked_at is None) != (line.status is OfflineStatus.UNCONFIRMED):
            raise SettlementMismatchError(SettlementCheck.FIELD_INVALID, field=f"{where}.offline_items[{i}].booked_at")
        if line.amount_fen < 0 or line.redirected_to_prepayment_fen < 0:
            raise SettlementMismatchError(SettlementCheck.FIELD_INVALID, field=f"{where}.offline_items[{i}]")
    unconfirmed = sum(1 for line in c.offline_items if line.status is OfflineStatus.UNCONFIRMED)
    if c.offline_items and unconfirmed != c.offline_unconfirmed:
        raise SettlementMismatchError(SettlementCheck.OFFLINE_MISMATCH, shift_no=c.shift_no,
                                      offline_unconfirmed=c.offline_unconfirmed, listed=unconfirmed)


def _check_totals(where: str, keys: list[StrEnum], lines: Sequence[MethodLine | BusinessLine],
                  total: MethodTotals | BusinessTotals) -> None:
    if len(set(keys)) != len(keys):
        raise SettlementMismatchError(SettlementCheck.FIELD_INVALID, field=where)
    count, amount = sum(x.count for x in lines), sum(x.amount_fen for x in lines)
    if (total.count, total.amount_fen) != (count, amount):
        raise SettlementMismatchError(SettlementCheck.TOTAL_MISMATCH, field=where, count=total.count,
                                      lines_count=count, amount_fen=total.amount_fen, lines_fen=amount)


def _check_text(name: str, value: str) -> None:
    if not value.strip():
        raise SettlementMismatchError(SettlementCheck.FIELD_INVALID, field=name)


def _merge(lines: Iterable[tuple[_K, int, int]]) -> dict[_K, tuple[int, int]]:
    merged: dict[_K, tuple[int, int]] = {}
    for key, count, amount in lines:
        n, fen = merged.get(key, (0, 0))
        merged[key] = (n + count, fen + amount)
    return merged


def _figure(value: object) -> str | int:
    return value if isinstance(value, int) and not isinstance(value, bool) else str(value)
