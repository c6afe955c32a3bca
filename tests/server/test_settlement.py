"""The daily settlement 日结单 (SPEC C4, DOMAIN §8): per cashier and per hall, prepayment, and its PDF."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from client.core.settlement_report import settlement_report
from printing.pdf.settlement import render_settlement_pdf
from server.clock import FixedClock
from server.rpc.dispatch import Dispatcher
from shared_models.methods.shifts import DailySettlement
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


class TestSettlement:
    def test_cashier_gets_own_shifts(self, dispatcher: Dispatcher) -> None:
        """A cashier's 日结单 holds their closed shifts as summarized, lists the open one, and their slip."""
        hall = _Hall(dispatcher)
        answer = _day(hall.c1)
        assert answer.status == 200, answer.body
        day = answer.body
        assert (day["hall_code"], day["hall_name"], day["business_date"]) == ("T01", "一号营业厅", DAY)
        assert day["shifts"] == [hall.closed1]
        assert day["open_shifts"] == [hall.s1b]
        assert day["deposit_slip_nos"] == ["JK-0002"]
        assert day["generated_by"] == "cashier1"

    def test_whole_hall_needs_approve(self, dispatcher: Dispatcher) -> None:
        """A cashier asking for the whole hall is PERMISSION_DENIED for "approve"."""
        hall = _Hall(dispatcher)
        answer = _day(hall.c1, whole_hall=True)
        assert (answer.status, answer.code, answer.params) == (403, "PERMISSION_DENIED", {"permission": "approve"})

    def test_supervisor_gets_the_hall(self, dispatcher: Dispatcher) -> None:
        """The hall's 日结单 has every closed shift of the hall and day, no other hall's, and all slips."""
        hall = _Hall(dispatcher)
        day = _day(signed_in(dispatcher, "super1"), whole_hall=True).body
        assert [s["shift"]["shift_no"] for s in day["shifts"]] == [hall.s1, hall.s2]
        assert day["shifts"][1] == hall.closed2
        assert day["open_shifts"] == [hall.s1b]
        assert day["deposit_slip_nos"] == ["JK-0001", "JK-0002"]
        assert _day(signed_in(dispatcher, "super1"), whole_hall=True, day="2026-11-22").body["shifts"] == []

    def test_shift_belongs_to_china_day_it_opened(self, caller: Caller, clock: FixedClock) -> None:
        """A shift opened at 01:00 China time (17:00 UTC the day before) is on the China day's settlement."""
        clock.advance(dt.timedelta(hours=8))  # 2026-11-23 17:00 UTC = 2026-11-24 01:00 in China
        caller.login("cashier1")
        shift_no = open_shift(caller)
        assert shift_no.split("-")[1] == "20261124"
        assert _day(caller, day="2026-11-24").body["open_shifts"] == [shift_no]
        assert _day(caller).body["open_shifts"] == []

    def test_figures_add_up(self, dispatcher: Dispatcher) -> None:
        """Per shift: methods total = business total = collected; counted − expected = difference, approved."""
        _Hall(dispatcher)
        day = _day(signed_in(dispatcher, "super1"), whole_hall=True).body
        for s in day["shifts"]:
            methods = sum(m["amount_fen"] for m in s["methods"])
            assert methods == sum(b["amount_fen"] for b in s["businesses"]) == s["collected_fen"]
            closing = s["closing"]
            counted = sum(c["denomination_fen"] * c["pieces"] for c in closing["cash_counts"])
            assert closing["counted_cash_fen"] == counted
            assert closing["difference_fen"] == closing["counted_cash_fen"] - s["expected_cash_fen"]
            assert (closing["approved_by"] is None) == (closing["difference_fen"] == 0)
        assert [s["closing"]["difference_fen"] for s in day["shifts"]] == [0, -100]

    def test_prepayment_opening_and_closing(self, dispatcher: Dispatcher, db: Session) -> None:
        """Opening and closing 预收 equal Σ max(0, balance + outstanding principal) of the hall's customers."""
        _Hall(dispatcher)
        day = _day(signed_in(dispatcher, "super1"), whole_hall=True).body
        start = dt.datetime(2026, 11, 23, tzinfo=CHINA)
        opening, closing = (_prepayment_by_definition(db, "T01", at) for at in (start, start + dt.timedelta(days=1)))
        assert (day["prepayment_opening_fen"], day["prepayment_closing_fen"]) == (opening, closing)
        assert closing > opening > 0

    def test_renders_as_pdf(self, dispatcher: Dispatcher) -> None:
        """The hall's data, through the client's converter, passes the PDF's checks and renders the same bytes twice."""
        _Hall(dispatcher)
        body = _day(signed_in(dispatcher, "super1"), whole_hall=True).body
        day = DailySettlement.model_validate_json(json.dumps(body))  # as the client reads it off the wire
        report = settlement_report(day)  # the client's converter
        pdf = render_settlement_pdf(report)
        assert pdf.startswith(b"%PDF")
        assert render_settlement_pdf(report) == pdf
        assert report.collected_fen == sum(s.collected_fen for s in day.shifts)
        assert report.difference_fen == sum(s.closing.difference_fen for s in day.shifts if s.closing)


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
