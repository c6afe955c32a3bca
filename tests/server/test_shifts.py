"""Shifts (SPEC C4): open with a float, the current shift, the summary, and the close with its cash count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.clock import FixedClock
from server.models.audit import AuditRecord
from server.models.payments import Shift, ShiftClosing
from server.rpc.dispatch import Dispatcher
from shared_models.rules.receipt_ranges import receipt_ranges
from tests.factories import COMMERCIAL, LI_XIUYING, WANG_FANG, ZHANG_WEI, World, password_for
from tests.rpc_helpers import Caller
from tests.server.attempt_helpers import refusals
from tests.server.shift_helpers import SUPER, cash, close, open_shift, other, pay, signed_in, void

#: 2 × 100 yuan + 1 × 50 yuan + 3 × 5 jiao, in fen.
COUNTS = [{"denomination_fen": 10000, "pieces": 2}, {"denomination_fen": 5000, "pieces": 1},
          {"denomination_fen": 50, "pieces": 3}]
COUNTED = 2 * 10000 + 5000 + 3 * 50


def _closings(db: Session) -> list[tuple[Any, ...]]:
    db.expire_all()
    return [tuple(r) for r in db.execute(select(ShiftClosing.__table__)).all()]


class TestOpenShift:
    def test_open_with_float(self, caller: Caller, db: Session, world: World) -> None:
        """A shift opens at the caller's counter with its float, numbered by counter and China date."""
        caller.login("cashier1")
        answer = caller.call("shift.open_shift", {"float_fen": 50_000})
        assert answer.status == 200, answer.body
        body = answer.body
        assert body["shift_no"] == "T0101-20261123-01"
        assert (body["cashier_username"], body["counter_code"], body["hall_code"]) == ("cashier1", "T0101", "T01")
        assert (body["float_fen"], body["business_date"], body["closed_at"]) == (50_000, "2026-11-23", None)
        row = db.scalars(select(Shift)).one()
        assert (row.user_id, row.counter_id, row.hall_id) == (world.users["cashier1"], world.counters["T0101"],
                                                              world.org["T01"])
        rec = db.scalars(select(AuditRecord).where(AuditRecord.method == "shift.open_shift")).one()
        assert rec.target == "shift:T0101-20261123-01"
        assert rec.after == {"float_fen": 50_000, "counter": "T0101", "business_date": "2026-11-23"}

    def test_negative_float_refused(self, caller: Caller, db: Session) -> None:
        """A negative float is INVALID_REQUEST on ``float_fen`` and opens nothing."""
        caller.login("cashier1")
        answer = caller.call("shift.open_shift", {"float_fen": -1})
        assert (answer.status, answer.code, answer.params) == (
            422, "INVALID_REQUEST", {"field": "float_fen", "problem": "greater_than_equal"})
        assert db.scalar(select(func.count()).select_from(Shift)) == 0

    def test_fractional_float_refused(self, caller: Caller) -> None:
        """A float in yuan with decimals is not fen: FEN_NOT_INTEGER."""
        caller.login("cashier1")
        assert caller.call("shift.open_shift", {"float_fen": 500.5}).code == "FEN_NOT_INTEGER"

    def test_already_open(self, caller: Caller, dispatcher: Dispatcher) -> None:
        """A second open, here or at another counter, is SHIFT_ALREADY_OPEN naming the open shift."""
        caller.login("cashier1")
        shift_no = open_shift(caller)
        again = caller.call("shift.open_shift", {"float_fen": 0})
        assert (again.status, again.code, again.params) == (409, "SHIFT_ALREADY_OPEN", {"shift_no": shift_no})
        elsewhere = signed_in(dispatcher, "cashier1", "T0102").call("shift.open_shift", {"float_fen": 0})
        assert (elsewhere.code, elsewhere.params) == ("SHIFT_ALREADY_OPEN", {"shift_no": shift_no})

    def test_numbering_per_counter_and_day(self, caller: Caller, dispatcher: Dispatcher, clock: FixedClock) -> None:
        """The n-th shift of a counter on a day gets n; the next China day starts again at 1."""
        caller.login("cashier1")
        first = open_shift(caller)
        assert close(caller, first).status == 200
        second = open_shift(signed_in(dispatcher, "cashier2"))
        assert (first, second) == ("T0101-20261123-01", "T0101-20261123-02")
        other_counter = open_shift(signed_in(dispatcher, "super1", "T0102"))
        assert other_counter == "T0102-20261123-01"
        assert close(caller, open_shift(caller)).status == 200
        clock.advance(dt.timedelta(hours=15))  # 00:00 China time on the 24th
        caller.login("cashier1")
        assert open_shift(caller) == "T0101-20261124-01"


class TestGetCurrent:
    def test_no_shift(self, caller: Caller) -> None:
        """Before opening there is no current shift and the counter's first receipt is number 1."""
        caller.login("cashier1")
        answer = caller.call("shift.get_current")
        assert answer.status == 200
        assert answer.body == {"shift": None, "next_receipt_seq": 1, "next_shift_seq": 1}

    def test_current_shift_at_this_counter_only(self, caller: Caller, dispatcher: Dispatcher) -> None:
        """The open shift is current at its counter; at another counter the caller has none."""
        caller.login("cashier1")
        shift_no = open_shift(caller, 30_000)
        here = caller.call("shift.get_current").body
        assert here["shift"]["shift_no"] == shift_no
        assert here["shift"]["float_fen"] == 30_000
        assert signed_in(dispatcher, "cashier1", "T0102").call("shift.get_current").body["shift"] is None

    def test_next_receipt_seq(self, caller: Caller, dispatcher: Dispatcher, clock: FixedClock) -> None:
        """The next sequence follows the counter's highest receipt of the China day, gaps included."""
        caller.login("cashier1")
        open_shift(caller)
        pay(caller, "T0101-20261123-00001", ZHANG_WEI, cash(1_000))
        pay(caller, "T0101-20261123-00007", ZHANG_WEI, cash(1_000))
        pay(caller, "T0101-20261122-00040", ZHANG_WEI, cash(1_000), offline=True)  # yesterday's, replayed
        neighbour = signed_in(dispatcher, "cashier2", "T0102")
        open_shift(neighbour)
        pay(neighbour, "T0102-20261123-00050", WANG_FANG, cash(1_000))
        answer = caller.call("shift.get_current")
        assert answer.body["next_receipt_seq"] == 7 + 1
        clock.advance(dt.timedelta(hours=15))  # the 24th in China: a new day of receipts
        caller.login("cashier1")
        assert caller.call("shift.get_current").body["next_receipt_seq"] == 1


class TestSummary:
    def _shift_with_payments(self, caller: Caller) -> tuple[str, list[tuple[dict[str, Any], dict[str, Any]]]]:
        """Five payments over every method, one offline, one voided, receipt 00005 never used."""
        caller.login("cashier1")
        shift_no = open_shift(caller, 50_000)
        paid = [
            pay(caller, "T0101-20261123-00001", ZHANG_WEI, cash(10_000, 20_000)),
            pay(caller, "T0101-20261123-00002", WANG_FANG, cash(2_000), other("bank_card", 5_000)),
            pay(caller, "T0101-20261123-00003", LI_XIUYING, other("qr", 3_000), offline=True),
            pay(caller, "T0101-20261123-00004", COMMERCIAL, cash(1_000)),
            pay(caller, "T0101-20261123-00006", ZHANG_WEI, other("cheque", 4_200, "CHQ-778")),
        ]
        void(caller, "T0101-20261123-00004")
        return shift_no, [p for p in paid if p[1]["receipt_no"] != "T0101-20261123-00004"]

    def test_totals_by_method_and_business(self, caller: Caller) -> None:
        """Mixed tenders and a void: methods and business types add up over the payments not voided."""
        shift_no, kept = self._shift_with_payments(caller)
        answer = caller.call("shift.get_summary", {"shift_no": shift_no})
        assert answer.status == 200, answer.body
        s = answer.body
        by_method: dict[str, list[int]] = {}
        for _, receipt in kept:
            for t in receipt["tenders"]:
                line = by_method.setdefault(t["method"], [0, 0])
                line[0] += 1
                line[1] += t["amount_fen"]
        assert {m["method"]: [m["count"], m["amount_fen"]] for m in s["methods"]} == by_method
        assert [m["method"] for m in s["methods"]] == ["cash", "bank_card", "qr", "cheque"]

        def business(part: str) -> list[int]:
            amounts = [sum(line[part] for line in quote["lines"]) for quote, _ in kept]
            return [sum(1 for a in amounts if a), sum(amounts)]

        prepaid = [quote["to_prepayment_fen"] for quote, _ in kept]
        assert {b["business"]: [b["count"], b["amount_fen"]] for b in s["businesses"]} == {
            "electricity": business("pay_principal_fen"),
            "late_fee": business("pay_late_fee_fen"),
            "prepayment": [sum(1 for a in prepaid if a), sum(prepaid)],
        }
        collected = sum(receipt["paid_fen"] for _, receipt in kept)
        assert s["collected_fen"] == collected
        assert sum(m["amount_fen"] for m in s["methods"]) == sum(b["amount_fen"] for b in s["businesses"]) == collected
        assert (s["payments_count"], s["offline_count"]) == (len(kept), 1)
        cash_kept = sum(t["amount_fen"] for _, r in kept for t in r["tenders"] if t["method"] == "cash")
        assert s["expected_cash_fen"] == 50_000 + cash_kept
        assert s["closing"] is None

    def test_voids_and_receipt_ranges(self, caller: Caller) -> None:
        """The void is listed with its co-signer and reason; used numbers form runs split at the gap (00005)."""
        shift_no, _ = self._shift_with_payments(caller)
        s = caller.call("shift.get_summary", {"shift_no": shift_no}).body
        assert [(v["receipt_no"], v["amount_fen"], v["cosigned_by"], v["reason"]) for v in s["voids"]] == [
            ("T0101-20261123-00004", 1_000, "班长甲", "录错户号")]
        assert s["receipts_used"] == [
            {"first": "T0101-20261123-00001", "last": "T0101-20261123-00004", "count": 4},
            {"first": "T0101-20261123-00006", "last": "T0101-20261123-00006", "count": 1},
        ]

    def test_who_may_read(self, caller: Caller, dispatcher: Dispatcher) -> None:
        """Another cashier gets SHIFT_NOT_OWN, a supervisor of the hall reads it, an unknown number is not found."""
        caller.login("cashier1")
        shift_no = open_shift(caller)
        other = signed_in(dispatcher, "cashier2").call("shift.get_summary", {"shift_no": shift_no})
        assert (other.status, other.code, other.params) == (403, "SHIFT_NOT_OWN", {"shift_no": shift_no})
        assert signed_in(dispatcher, "super1", "T0102").call("shift.get_summary", {"shift_no": shift_no}).status == 200
        missing = caller.call("shift.get_summary", {"shift_no": "T0101-20261123-99"})
        assert (missing.status, missing.code) == (404, "SHIFT_NOT_FOUND")


class TestCloseShift:
    def _shift(self, caller: Caller, *, cash_fen: int = 5_000) -> str:
        """An open shift with a float of 200 yuan and one cash payment of ``cash_fen``."""
        caller.login("cashier1")
        shift_no = open_shift(caller, 20_000)
        pay(caller, "T0101-20261123-00001", ZHANG_WEI, cash(cash_fen))
        return shift_no

    def test_exact_count_closes(self, caller: Caller, db: Session) -> None:
        """Counted equal to expected closes without a co-sign and records the count and the slip."""
        shift_no = self._shift(caller, cash_fen=COUNTED - 20_000)
        answer = close(caller, shift_no, COUNTS)
        assert answer.status == 200, answer.body
        closing = answer.body["closing"]
        assert (closing["counted_cash_fen"], closing["difference_fen"], closing["approved_by"]) == (COUNTED, 0, None)
        assert closing["cash_counts"] == sorted(COUNTS, key=lambda c: -c["denomination_fen"])
        assert closing["deposit_slip_no"] == "JK-20261123-1"
        assert answer.body["shift"]["closed_at"] is not None
        assert caller.call("shift.get_current").body["shift"] is None
        rec = db.scalars(select(AuditRecord).where(AuditRecord.method == "shift.close_shift")).one()
        assert rec.before == {"closed": False, "expected_cash_fen": COUNTED}
        assert rec.after is not None
        assert (rec.after["counted_cash_fen"], rec.after["difference_fen"], rec.after["approved_by"]) == (
            COUNTED, 0, None)

    def test_difference_needs_supervisor(self, caller: Caller, db: Session) -> None:
        """A short drawer is refused with the difference, then closes with a supervisor's co-sign."""
        shift_no = self._shift(caller)
        expected = 20_000 + 5_000
        refused = close(caller, shift_no, COUNTS)
        assert (refused.status, refused.code, refused.params) == (
            403, "CASH_DIFFERENCE_NEEDS_APPROVAL", {"difference_fen": COUNTED - expected})
        assert _closings(db) == []
        answer = close(caller, shift_no, COUNTS, cosign=SUPER)
        assert answer.status == 200, answer.body
        closing = answer.body["closing"]
        assert (closing["difference_fen"], closing["approved_by"]) == (COUNTED - expected, "班长甲")
        rec = db.scalars(select(AuditRecord).where(AuditRecord.method == "shift.close_shift")).one()
        assert (rec.cosigner, rec.after and rec.after["approved_by"]) == ("super1", "super1")

    def test_cashier_cannot_approve(self, caller: Caller, db: Session) -> None:
        """A difference co-signed by a cashier is COSIGN_NOT_AUTHORIZED and closes nothing."""
        shift_no = self._shift(caller)
        answer = close(caller, shift_no, COUNTS, cosign=("cashier2", password_for("cashier2")))
        assert (answer.code, answer.params) == ("COSIGN_NOT_AUTHORIZED", {"username": "cashier2"})
        assert _closings(db) == []

    def test_closed_twice(self, caller: Caller, db: Session, clock: FixedClock) -> None:
        """A second close is SHIFT_CLOSED and changes nothing: closing row, summary and audit stay as they were
        but for the one record of the refused (co-signed) attempt."""
        shift_no = self._shift(caller, cash_fen=COUNTED - 20_000)
        assert close(caller, shift_no, COUNTS).status == 200
        rows = _closings(db)
        summary = caller.call("shift.get_summary", {"shift_no": shift_no}).body
        audits = db.scalar(select(func.count()).select_from(AuditRecord))
        clock.advance(dt.timedelta(minutes=10))
        again = close(caller, shift_no, [{"denomination_fen": 100, "pieces": 7}], cosign=SUPER, slip="JK-2")
        assert (again.status, again.code, again.params) == (409, "SHIFT_CLOSED", {"shift_no": shift_no})
        assert _closings(db) == rows
        assert caller.call("shift.get_summary", {"shift_no": shift_no}).body == summary
        db.expire_all()
        assert db.scalar(select(func.count()).select_from(AuditRecord)) == (audits or 0) + 1
        assert refusals(db) == [("cashier1", "SHIFT_CLOSED", "shift.close_shift", f"shift:{shift_no}")]

    @pytest.mark.parametrize("counts", [
        [{"denomination_fen": 200, "pieces": 1}],
        [{"denomination_fen": 10000, "pieces": 1}, {"denomination_fen": 10000, "pieces": 2}],
    ], ids=["two-jiao", "twice"])
    def test_bad_denomination(self, counts: list[dict[str, int]], caller: Caller, db: Session) -> None:
        """A note that is not counted at close, or one counted twice, is DENOMINATION_INVALID naming it."""
        shift_no = self._shift(caller)
        answer = close(caller, shift_no, counts, cosign=SUPER)
        assert (answer.status, answer.code, answer.params) == (
            422, "DENOMINATION_INVALID", {"denomination_fen": counts[-1]["denomination_fen"]})
        assert _closings(db) == []

    def test_other_cashier_cannot_close(self, caller: Caller, dispatcher: Dispatcher, db: Session) -> None:
        """Another cashier gets SHIFT_NOT_OWN; a supervisor of another hall too."""
        shift_no = self._shift(caller)
        other = close(signed_in(dispatcher, "cashier2"), shift_no, COUNTS, cosign=SUPER)
        assert (other.code, other.params) == ("SHIFT_NOT_OWN", {"shift_no": shift_no})
        far = signed_in(dispatcher, "cashier3", "T0201")
        far_shift = open_shift(far)
        assert close(signed_in(dispatcher, "super1"), far_shift).code == "SHIFT_NOT_OWN"
        assert _closings(db) == []

    def test_supervisor_closes_for_cashier(self, caller: Caller, dispatcher: Dispatcher) -> None:
        """A supervisor of the hall may close a cashier's shift; a difference still needs a second supervisor."""
        shift_no = self._shift(caller)
        boss = signed_in(dispatcher, "super1", "T0102")
        assert close(boss, shift_no, COUNTS).code == "CASH_DIFFERENCE_NEEDS_APPROVAL"
        assert close(boss, shift_no, COUNTS, cosign=SUPER).code == "COSIGN_SAME_USER"
        answer = close(boss, shift_no, COUNTS, cosign=("super2", password_for("super2")))
        assert answer.status == 200, answer.body
        assert answer.body["closing"]["approved_by"] == "班长乙"
        assert answer.body["shift"]["cashier_username"] == "cashier1"

    def test_reopen_after_close(self, caller: Caller) -> None:
        """After closing, the cashier opens a new shift; the closed one keeps its figures."""
        shift_no = self._shift(caller, cash_fen=COUNTED - 20_000)
        closed = close(caller, shift_no, COUNTS).body
        new = open_shift(caller, 10_000)
        assert new != shift_no
        assert caller.call("shift.get_current").body["shift"]["shift_no"] == new
        assert caller.call("shift.get_summary", {"shift_no": shift_no}).body == closed


class TestReceiptRanges:
    def test_runs_split_at_gaps_and_days(self) -> None:
        """Runs are per counter and day, consecutive numbers only; order and duplicates do not matter."""
        nos = ["T0101-20261123-00003", "T0101-20261122-00099", "T0101-20261123-00001", "T0101-20261123-00002",
               "T0101-20261123-00002", "T0101-20261123-00010", "T0102-20261123-00004"]
        assert [(r.first, r.last, r.count) for r in receipt_ranges(nos)] == [
            ("T0101-20261122-00099", "T0101-20261122-00099", 1),
            ("T0101-20261123-00001", "T0101-20261123-00003", 3),
            ("T0101-20261123-00010", "T0101-20261123-00010", 1),
            ("T0102-20261123-00004", "T0102-20261123-00004", 1),
        ]
