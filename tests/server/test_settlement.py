"""The daily settlement 日结单 (SPEC C4, DOMAIN §8): assembled and checked by the server, per cashier and per
hall, prepayment, its PDF, and a settlement whose sums do not agree refused."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from printing.pdf.settlement import render_settlement_pdf
from server.clock import FixedClock
from server.rpc.dispatch import Dispatcher
from shared_models.methods.settlement import DailySettlement
from shared_models.methods.shifts import DENOMINATIONS_FEN
from tests.factories import CHINA, COMMERCIAL, LI_XIUYING, WANG_FANG, ZHANG_WEI
from tests.rpc_helpers import Caller
from tests.server.shift_helpers import SUPER, cash, close, open_shift, other, pay, signed_in, void, yuan_notes

DAY = "2026-11-23"


def _closed(answer: Any) -> dict[str, Any]:
    assert answer.status == 200, answer.body
    return dict(answer.body)


def _day(caller: Caller, *, whole_hall: bool = False, day: str = DAY) -> Any:
    return caller.call("settlement.get_daily", {"business_date": day, "whole_hall": whole_hall})


class _Hall:
    """A business day at hall T01: cashier1 closes a shift (with a void) and opens another, cashier2
    closes one with a short drawer; cashier3 works at hall T02."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self.c1 = signed_in(dispatcher, "cashier1")
        self.c2 = signed_in(dispatcher, "cashier2", "T0102")
        self.c3 = signed_in(dispatcher, "cashier3", "T0201")
        self.s1 = open_shift(self.c1, 20_000)
        pay(self.c1, "T0101-20261123-00001", ZHANG_WEI, cash(12_300, 15_000))
        pay(self.c1, "T0101-20261123-00002", LI_XIUYING, other("bank_card", 6_000))
        pay(self.c1, "T0101-20261123-00003", COMMERCIAL, cash(500))
        void(self.c1, "T0101-20261123-00003")
        self.closed1 = _closed(close(self.c1, self.s1, yuan_notes(20_000 + 12_300), slip="JK-0002"))
        self.s1b = open_shift(self.c1, 10_000)
        self.s2 = open_shift(self.c2, 0)
        pay(self.c2, "T0102-20261123-00001", WANG_FANG, cash(4_000), other("qr", 4_500))
        self.closed2 = _closed(close(self.c2, self.s2, yuan_notes(3_900), slip="JK-0001", cosign=SUPER))  # 1 yuan short
        self.s3 = open_shift(self.c3, 0)
        _closed(close(self.c3, self.s3, slip="JK-T02"))


def _section_of(summary: dict[str, Any]) -> dict[str, Any]:
    """The figures a cashier section must carry over from a shift's summary, as the section names them."""
    closing = summary["closing"]
    return {
        "shift_no": summary["shift"]["shift_no"], "cashier_name": summary["shift"]["cashier_name"],
        "float_fen": summary["shift"]["float_fen"], "collected_fen": summary["collected_fen"],
        "methods": [(m["method"], m["count"], m["amount_fen"]) for m in summary["methods"]],
        "businesses": [(b["business"], b["count"], b["amount_fen"]) for b in summary["businesses"]],
        "receipts_used": summary["receipts_used"], "voids": summary["voids"],
        "expected_cash_fen": summary["expected_cash_fen"], "counted_cash_fen": closing["counted_cash_fen"],
        "difference_fen": closing["difference_fen"], "difference_approved_by": closing["approved_by"],
        "deposit_slip_no": closing["deposit_slip_no"], "offline_items": summary["offline_items"],
    }


def _section(section: dict[str, Any]) -> dict[str, Any]:
    """The same figures read off a cashier section of the report."""
    picked = {k: section[k] for k in ("shift_no", "cashier_name", "float_fen", "collected_fen", "receipts_used",
                                      "voids", "expected_cash_fen", "counted_cash_fen", "difference_fen",
                                      "difference_approved_by", "deposit_slip_no", "offline_items")}
    picked["methods"] = [(m["method"], m["count"], m["amount_fen"]) for m in section["methods"]["lines"]]
    picked["businesses"] = [(b["business"], b["count"], b["amount_fen"]) for b in section["businesses"]["lines"]]
    return picked


class TestSettlement:
    def test_cashier_gets_own_shifts(self, dispatcher: Dispatcher) -> None:
        """A cashier's 日结单 holds their closed shifts as summarized, lists the open one, and their slip."""
        hall = _Hall(dispatcher)
        answer = _day(hall.c1)
        assert answer.status == 200, answer.body
        day = answer.body
        assert (day["hall_code"], day["hall_name"], day["business_date"]) == ("T01", "一号营业厅", DAY)
        report = day["report"]
        assert [_section(c) for c in report["cashiers"]] == [_section_of(hall.closed1)]
        assert day["open_shifts"] == [hall.s1b]
        assert report["deposit_slip_nos"] == ["JK-0002"]
        assert report["generated_by"] == "cashier1"
        assert not report["provisional"]

    def test_whole_hall_needs_approve(self, dispatcher: Dispatcher) -> None:
        """A cashier asking for the whole hall is PERMISSION_DENIED for "approve"."""
        hall = _Hall(dispatcher)
        answer = _day(hall.c1, whole_hall=True)
        assert (answer.status, answer.code, answer.params) == (403, "PERMISSION_DENIED", {"permission": "approve"})

    def test_supervisor_gets_the_hall(self, dispatcher: Dispatcher) -> None:
        """The hall's 日结单 has every closed shift of the hall and day, no other hall's, and all slips."""
        hall = _Hall(dispatcher)
        day = _day(signed_in(dispatcher, "super1"), whole_hall=True).body
        report = day["report"]
        assert [c["shift_no"] for c in report["cashiers"]] == [hall.s1, hall.s2]
        assert _section(report["cashiers"][1]) == _section_of(hall.closed2)
        assert day["open_shifts"] == [hall.s1b]
        assert report["deposit_slip_nos"] == ["JK-0001", "JK-0002"]
        assert report["generated_by"] == "super1"
        assert _day(signed_in(dispatcher, "super1"), whole_hall=True, day="2026-11-22").body["report"] is None

    def test_shift_belongs_to_china_day_it_opened(self, caller: Caller, clock: FixedClock) -> None:
        """A shift opened at 01:00 China time (17:00 UTC the day before) is on the China day's settlement."""
        clock.advance(dt.timedelta(hours=8))  # 2026-11-23 17:00 UTC = 2026-11-24 01:00 in China
        caller.login("cashier1")
        shift_no = open_shift(caller)
        assert shift_no.split("-")[1] == "20261124"
        assert _day(caller, day="2026-11-24").body["open_shifts"] == [shift_no]
        assert _day(caller).body["open_shifts"] == []

    def test_figures_add_up(self, dispatcher: Dispatcher) -> None:
        """Per shift: methods total = business total = collected; counted = Σ count lines; counted − expected =
        difference, approved; the hall page is the sections added up."""
        _Hall(dispatcher)
        report = _day(signed_in(dispatcher, "super1"), whole_hall=True).body["report"]
        for c in report["cashiers"]:
            assert c["methods"]["amount_fen"] == sum(m["amount_fen"] for m in c["methods"]["lines"])
            assert c["methods"]["amount_fen"] == c["businesses"]["amount_fen"] == c["collected_fen"]
            assert [x["denomination_fen"] for x in c["cash_counts"]] == list(DENOMINATIONS_FEN)
            assert c["counted_cash_fen"] == sum(x["denomination_fen"] * x["pieces"] for x in c["cash_counts"])
            assert c["difference_fen"] == c["counted_cash_fen"] - c["expected_cash_fen"]
            assert (c["difference_approved_by"] is None) == (c["difference_fen"] == 0)
        assert [c["difference_fen"] for c in report["cashiers"]] == [0, -100]
        hall = report["hall"]
        assert hall["collected_fen"] == sum(c["collected_fen"] for c in report["cashiers"]) == 12_300 + 6_000 + 8_500
        assert (hall["difference_fen"], hall["difference_approved_by"]) == (-100, ["班长甲"])
        assert [(m["method"], m["amount_fen"]) for m in hall["methods"]["lines"]] == [
            ("cash", 12_300 + 4_000), ("bank_card", 6_000), ("qr", 4_500)]

    def test_prepayment_opening_and_closing(self, dispatcher: Dispatcher, db: Session) -> None:
        """Opening and closing 预收 equal Σ max(0, balance + outstanding principal) of the hall's customers."""
        _Hall(dispatcher)
        report = _day(signed_in(dispatcher, "super1"), whole_hall=True).body["report"]
        start = dt.datetime(2026, 11, 23, tzinfo=CHINA)
        opening, closing = (_prepayment_by_definition(db, "T01", at) for at in (start, start + dt.timedelta(days=1)))
        assert (report["prepayment_opening_fen"], report["prepayment_closing_fen"]) == (opening, closing)
        assert closing > opening > 0

    def test_renders_as_pdf(self, dispatcher: Dispatcher) -> None:
        """The report as the client reads it off the wire renders, the same bytes twice."""
        _Hall(dispatcher)
        body = _day(signed_in(dispatcher, "super1"), whole_hall=True).body
        day = DailySettlement.model_validate_json(json.dumps(body))  # as the client reads it off the wire
        assert day.report is not None
        pdf = render_settlement_pdf(day.report)
        assert pdf.startswith(b"%PDF")
        assert render_settlement_pdf(day.report) == pdf


class TestSumsThatDoNotAgree:
    """A settlement whose figures do not agree is refused with INTERNAL_ERROR and logged, never answered."""

    @pytest.mark.parametrize(("closing", "check"), [
        # the drawer's lines say 100.00, the closing 90.00: the counted cash is not the sum of its lines
        ((9_000, {"10000": 1}, True), "SETTLEMENT_CASH_MISMATCH"),
        # 1.00 short and nobody approved it
        ((10_000 - 100, {"5000": 1, "2000": 2, "500": 1, "100": 4}, False), "SETTLEMENT_DIFFERENCE_NOT_APPROVED"),
        # a note nobody counts at close (2 yuan)
        ((10_000, {"5000": 2, "200": 0}, True), "SETTLEMENT_DENOMINATION_INVALID"),
    ])
    def test_refused_with_the_figures_logged(self, dispatcher: Dispatcher, db: Session,
                                             caplog: pytest.LogCaptureFixture,
                                             closing: tuple[int, dict[str, int], bool], check: str) -> None:
        """A closing written past the close service (so its figures disagree) makes the day's settlement fail
        INTERNAL_ERROR with a reference; the log names the failed check and its figures."""
        counted_fen, counts, approved = closing
        c1 = signed_in(dispatcher, "cashier1")
        shift_no = open_shift(c1, 10_000)
        db.execute(text(
            """
            INSERT INTO shift_closings (shift_id, closed_at, expected_cash_fen, counted_cash_fen, cash_counts,
                                        approved_by, deposit_slip_no, note)
            SELECT s.id, now(), 10000, :counted, CAST(:counts AS jsonb),
                   CASE WHEN :approved THEN (SELECT id FROM users WHERE username = 'super1') END, 'JK-BAD', ''
            FROM shifts s WHERE s.shift_no = :shift_no
            """), {"counted": counted_fen, "counts": json.dumps(counts), "approved": approved, "shift_no": shift_no})
        db.commit()
        with caplog.at_level(logging.ERROR, logger="server.services.settlement"):
            answer = _day(c1)
        assert (answer.status, answer.code) == (500, "INTERNAL_ERROR"), answer.body
        ref = str(answer.params["ref"])
        (record,) = [r for r in caplog.records if r.name == "server.services.settlement"]
        assert ref in record.getMessage()
        assert check in record.getMessage()
        assert shift_no in record.getMessage()


def _prepayment_by_definition(db: Session, hall_code: str, at: dt.datetime) -> int:
    """The hall's prepayment at ``at`` as DOMAIN defines it, from balances and open principal."""
    return int(db.execute(text(
        """
        WITH per_bill AS (
            SELECT e.customer_id, e.bill_id, sum(e.amount_fen) AS net FROM ledger_entries e
            WHERE e.posted_at < :at GROUP BY e.customer_id, e.bill_id
        ), per_customer AS (
            SELECT customer_id, sum(net) AS balance,
                   sum(CASE WHEN bill_id IS NOT NULL AND net < 0 THEN -net ELSE 0 END) AS outstanding
            FROM per_bill GROUP BY customer_id
        )
        SELECT coalesce(sum(greatest(0, p.balance + p.outstanding)), 0)
        FROM per_customer p JOIN customers c ON c.id = p.customer_id JOIN org_units h ON h.id = c.hall_id
        WHERE h.code = :hall
        """), {"at": at, "hall": hall_code}).scalar_one())
