"""Closing a shift with unsent items (SPEC §5, C4): a supervisor signs the pending list, it is stored
append-only and audited, its cash counts in the drawer, and the summary and the 日结单 list the offline
items as confirmed, unconfirmed, or confirmed later (booked into the cashier's next shift)."""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from printing.pdf.settlement import render_settlement_pdf
from server.models.audit import AuditRecord
from server.models.payments import ShiftClosing
from shared_models.methods.settlement import DailySettlement
from shared_models.methods.shifts import MAX_UNSENT
from tests.factories import LI_XIUYING, WANG_FANG, ZHANG_WEI, password_for
from tests.rpc_helpers import Answer, Caller
from tests.server.attempt_helpers import refusals, refused_records
from tests.server.shift_helpers import SUPER, cash, open_shift, other, pay, yuan_notes

UNSENT_A = "T0101-20261123-00007"
UNSENT_B = "T0101-20261123-00008"
LOCAL = "2026-11-23T16:40:00+08:00"


def unsent(receipt_no: str, customer_no: str, amount_fen: int, *, cash_fen: int | None = None,
           key: str | None = None) -> dict[str, Any]:
    """One unsent item as the counter's outbox describes it (all cash unless said)."""
    return {"idempotency_key": key or str(uuid.uuid4()), "method": "payment.pay_bills", "receipt_no": receipt_no,
            "customer_no": customer_no, "amount_fen": amount_fen,
            "cash_fen": amount_fen if cash_fen is None else cash_fen, "local_time": LOCAL}


def close_with(caller: Caller, shift_no: str, counted_fen: int, items: list[dict[str, Any]], *,
               cosign: tuple[str, str] | None = SUPER) -> Answer:
    """Close ``shift_no`` counting ``counted_fen`` in notes, with ``items`` as the unsent list."""
    return caller.call("shift.close_shift", {"shift_no": shift_no, "cash_counts": yuan_notes(counted_fen),
                                             "deposit_slip_no": "JK-20261123-9", "unsent": items}, cosign=cosign)


def _state(db: Session) -> tuple[int, int, int]:
    """Closings, unsent rows and audit records of changes: what a refused close must leave as it was (a
    refused co-signed close adds the record of the attempt only, see ``refusals``)."""
    db.expire_all()
    closings = db.scalar(select(func.count()).select_from(ShiftClosing)) or 0
    rows = db.scalar(text("SELECT count(*) FROM shift_closing_unsent")) or 0
    audit = db.scalar(select(func.count()).select_from(AuditRecord).where(AuditRecord.refusal.is_(None))) or 0
    return int(closings), int(rows), int(audit)


@pytest.fixture
def cashier(caller: Caller) -> Caller:
    """cashier1 signed in at T0101."""
    assert caller.login("cashier1").status == 200
    return caller


class TestCloseWithUnsent:
    def test_needs_a_supervisor_even_without_difference(self, cashier: Caller, db: Session) -> None:
        """An even count with unsent items is UNSENT_NEEDS_SUPERVISOR with their number; nothing is written."""
        shift_no = open_shift(cashier, 10_000)
        before = _state(db)
        answer = close_with(cashier, shift_no, 10_000 + 3_000, [unsent(UNSENT_A, ZHANG_WEI, 3_000)], cosign=None)
        assert (answer.status, answer.code, answer.params) == (403, "UNSENT_NEEDS_SUPERVISOR", {"count": 1})
        assert _state(db) == before

    def test_a_cashier_cannot_sign_the_list(self, cashier: Caller, db: Session) -> None:
        """Co-signed by another cashier: COSIGN_NOT_AUTHORIZED, nothing written."""
        shift_no = open_shift(cashier, 10_000)
        before = _state(db)
        answer = close_with(cashier, shift_no, 13_000, [unsent(UNSENT_A, ZHANG_WEI, 3_000)],
                            cosign=("cashier2", password_for("cashier2")))
        assert (answer.code, answer.params) == ("COSIGN_NOT_AUTHORIZED", {"username": "cashier2"})
        assert _state(db) == before
        assert refusals(db) == [("cashier1", "COSIGN_NOT_AUTHORIZED", "shift.close_shift", f"shift:{shift_no}")]

    def test_a_supervisor_of_another_hall_cannot_sign(self, cashier: Caller, dispatcher: Any, db: Session) -> None:
        """The list is signed by a supervisor of the shift's hall (or above): one of another hall is refused."""
        admin = Caller(dispatcher)
        assert admin.login("admin1").status == 200
        other_hall = {"username": "super9", "display_name": "二厅班长", "role": "supervisor", "org_unit_code": "T02",
                      "initial_password": "Initial-pass-9"}
        assert admin.call("admin.create_user", other_hall).status == 200
        shift_no = open_shift(cashier, 0)
        before = _state(db)
        answer = close_with(cashier, shift_no, 3_000, [unsent(UNSENT_A, ZHANG_WEI, 3_000)],
                            cosign=("super9", "Initial-pass-9"))
        assert (answer.code, answer.params) == ("COSIGN_NOT_AUTHORIZED", {"username": "super9"})
        assert _state(db) == before
        assert refusals(db) == [("cashier1", "COSIGN_NOT_AUTHORIZED", "shift.close_shift", f"shift:{shift_no}")]

    def test_signed_list_is_stored_and_audited(self, cashier: Caller, db: Session, world: Any) -> None:
        """A supervisor's co-sign closes the shift: the list is stored with the signer, the audit names it, the
        unsent cash counts as expected (so the even count has no difference), and the summary lists both
        items as unconfirmed."""
        shift_no = open_shift(cashier, 10_000)
        pay(cashier, "T0101-20261123-00001", WANG_FANG, cash(2_000))
        items = [unsent(UNSENT_A, ZHANG_WEI, 3_000), unsent(UNSENT_B, LI_XIUYING, 1_500, cash_fen=0)]
        answer = close_with(cashier, shift_no, 10_000 + 2_000 + 3_000, items)
        assert answer.status == 200, answer.body
        s = answer.body
        assert s["expected_cash_fen"] == 15_000
        assert (s["closing"]["difference_fen"], s["closing"]["approved_by"]) == (0, None)
        assert s["offline_unconfirmed"] == 2
        assert [(i["receipt_no"], i["status"], i["booked_at"], i["amount_fen"]) for i in s["offline_items"]] == [
            (UNSENT_A, "unconfirmed", None, 3_000), (UNSENT_B, "unconfirmed", None, 1_500)]
        assert s["offline_items"][0]["local_time"] == "2026-11-23T08:40:00Z"
        rows = db.execute(text("SELECT receipt_no, amount_fen, cash_fen, signed_by, idempotency_key"
                               " FROM shift_closing_unsent ORDER BY id")).all()
        assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
            (UNSENT_A, 3_000, 3_000, world.users["super1"]), (UNSENT_B, 1_500, 0, world.users["super1"])]
        assert [r[4] for r in rows] == [items[0]["idempotency_key"], items[1]["idempotency_key"]]
        record = db.scalars(select(AuditRecord).where(AuditRecord.method == "shift.close_shift")).one()
        assert record.after is not None
        assert record.after["unsent"] == [[UNSENT_A, 3_000, 3_000], [UNSENT_B, 1_500, 0]]
        assert (record.after["unsent_signed_by"], record.cosigner) == ("super1", "super1")

    def test_counting_without_the_unsent_cash_is_a_difference(self, cashier: Caller) -> None:
        """The unsent cash is expected in the drawer: a count without it is a shortfall (approved by the same
        co-sign)."""
        shift_no = open_shift(cashier, 10_000)
        answer = close_with(cashier, shift_no, 10_000, [unsent(UNSENT_A, ZHANG_WEI, 3_000)])
        assert answer.status == 200, answer.body
        assert (answer.body["closing"]["difference_fen"], answer.body["closing"]["approved_by"]) == (-3_000, "班长甲")

    def test_the_list_is_append_only(self, cashier: Caller, engine: Engine) -> None:
        """Even with SQL, a signed list cannot be changed or removed."""
        shift_no = open_shift(cashier, 0)
        assert close_with(cashier, shift_no, 3_000, [unsent(UNSENT_A, ZHANG_WEI, 3_000)]).status == 200
        for sql in ("UPDATE shift_closing_unsent SET amount_fen = 1", "DELETE FROM shift_closing_unsent"):
            with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
                conn.execute(text(sql))


class TestBadUnsentLists:
    @pytest.mark.parametrize(("items", "code", "params"), [
        ([unsent("T0102-20261123-00001", ZHANG_WEI, 100)], "RECEIPT_NO_INVALID",
         {"receipt_no": "T0102-20261123-00001"}),
        ([unsent(UNSENT_A, ZHANG_WEI, 100), unsent(UNSENT_A, WANG_FANG, 200)], "INVALID_REQUEST",
         {"field": "unsent.1", "problem": "duplicate"}),
        ([unsent(UNSENT_A, ZHANG_WEI, 100, key="0b5e3f3c-7a55-4d8e-9a53-7f1f6d7a0c11"),
          unsent(UNSENT_B, ZHANG_WEI, 100, key="0B5E3F3C-7A55-4D8E-9A53-7F1F6D7A0C11")], "INVALID_REQUEST",
         {"field": "unsent.1", "problem": "duplicate"}),
        ([unsent(UNSENT_A, ZHANG_WEI, 100, cash_fen=101)], "INVALID_REQUEST",
         {"field": "unsent.0.cash_fen", "problem": "greater_than_amount"}),
        ([unsent(UNSENT_A, ZHANG_WEI, 0)], "INVALID_REQUEST", {"field": "unsent.0.amount_fen",
                                                               "problem": "greater_than_equal"}),
        ([dict(unsent(UNSENT_A, ZHANG_WEI, 100), local_time="yesterday")], "INVALID_REQUEST",
         {"field": "unsent.0.local_time", "problem": "datetime_parsing"}),
        ([dict(unsent(UNSENT_A, ZHANG_WEI, 100), cash_fen=99.5)], "FEN_NOT_INTEGER",
         {"field": "unsent.0.cash_fen"}),
        ([unsent(f"T0101-20261123-{n:05d}", ZHANG_WEI, 100) for n in range(1, MAX_UNSENT + 2)], "INVALID_REQUEST",
         {"field": "unsent", "problem": "too_long"}),
    ], ids=["other-counter", "same-receipt", "same-key", "cash-over-amount", "zero-amount", "bad-time",
            "float-cash", "too-many"])
    def test_refused_and_nothing_changes(  # noqa: PLR0917 - pytest hands the parameters in
            self, cashier: Caller, db: Session, items: list[dict[str, Any]], code: str, params: dict[str, Any],
            request: pytest.FixtureRequest) -> None:
        """Each bad list is refused with its code, co-signed or not, and the shift stays open."""
        shift_no = open_shift(cashier, 0)
        before = _state(db)
        answer = close_with(cashier, shift_no, 100, items)
        assert (answer.code, answer.params) == (code, params)
        assert _state(db) == before
        # a list the contract refuses is answered before the co-signer is named; the service's refusals of
        # the co-signed close are recorded attempts
        recorded = request.node.callspec.id in {"other-counter", "same-receipt", "same-key", "cash-over-amount"}
        assert [r.refusal for r in refused_records(db)] == ([code] if recorded else [])
        assert cashier.call("shift.get_summary", {"shift_no": shift_no}).body["closing"] is None


class TestConfirmedLater:
    def _closed_with_unsent(self, cashier: Caller) -> tuple[str, str]:
        """Shift X closed with UNSENT_A (30.00 cash) unsent; shift Y opened with a float of 100.00."""
        x = open_shift(cashier, 10_000)
        assert close_with(cashier, x, 13_000, [unsent(UNSENT_A, ZHANG_WEI, 3_000)]).status == 200
        return x, open_shift(cashier, 10_000)

    def test_replayed_item_is_confirmed_later_and_from_shift_x(self, cashier: Caller) -> None:
        """The unsent payment arrives after the close: booked into the open shift Y, listed there as "from
        shift X" (its cash not expected in Y's drawer), and on X as confirmed later; X's figures stay."""
        x, y = self._closed_with_unsent(cashier)
        x_before = cashier.call("shift.get_summary", {"shift_no": x}).body
        pay(cashier, UNSENT_A, ZHANG_WEI, cash(3_000), offline=True)
        x_after = cashier.call("shift.get_summary", {"shift_no": x}).body
        (line,) = x_after["offline_items"]
        assert (line["status"], line["booked_shift_no"], line["from_shift_no"]) == ("confirmed_later", y, None)
        assert line["booked_at"] is not None
        assert x_after["offline_unconfirmed"] == 0
        figures = ("expected_cash_fen", "collected_fen", "methods", "businesses", "receipts_used", "closing")
        assert {k: x_after[k] for k in figures} == {k: x_before[k] for k in figures}
        y_summary = cashier.call("shift.get_summary", {"shift_no": y}).body
        (carried,) = y_summary["offline_items"]
        assert (carried["receipt_no"], carried["status"], carried["from_shift_no"]) == (UNSENT_A, "confirmed", x)
        assert y_summary["collected_fen"] == 3_000
        assert y_summary["expected_cash_fen"] == 10_000  # the 30.00 was counted and deposited with shift X
        closed_y = close_with(cashier, y, 10_000, [])
        assert closed_y.status == 200, closed_y.body
        assert closed_y.body["closing"]["difference_fen"] == 0

    def test_item_booked_before_the_close_is_not_counted_twice(self, cashier: Caller) -> None:
        """An item the server booked in this very shift (its answer was lost) is listed confirmed, and its cash
        is expected once."""
        x = open_shift(cashier, 0)
        pay(cashier, UNSENT_A, ZHANG_WEI, other("bank_card", 500), cash(2_000))
        answer = close_with(cashier, x, 2_000, [unsent(UNSENT_A, ZHANG_WEI, 2_500, cash_fen=2_000)])
        assert answer.status == 200, answer.body
        assert (answer.body["expected_cash_fen"], answer.body["closing"]["difference_fen"]) == (2_000, 0)
        (line,) = answer.body["offline_items"]
        assert (line["status"], line["booked_shift_no"], answer.body["offline_unconfirmed"]) == ("confirmed", x, 0)

    @pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
    def test_settlement_lists_the_items(self, cashier: Caller, dispatcher: Any, tmp_path: Path) -> None:
        """The 日结单 data carries each shift's offline items; the PDF prints them with both times and status."""
        _, y = self._closed_with_unsent(cashier)
        supervisor = Caller(dispatcher, counter="T0102")
        assert supervisor.login("super1").status == 200
        answer = supervisor.call("settlement.get_daily", {"business_date": "2026-11-23", "whole_hall": True})
        assert answer.status == 200, answer.body
        daily = DailySettlement.model_validate_json(_json(answer))
        report = daily.report
        assert report is not None
        (shift_x,) = report.cashiers
        assert ([(i.receipt_no, i.status.value) for i in shift_x.offline_items], shift_x.offline_unconfirmed) == (
            [(UNSENT_A, "unconfirmed")], 1)
        assert daily.open_shifts == [y]
        assert report.hall.offline_unconfirmed == 1
        pdf = tmp_path / "settlement.pdf"
        pdf.write_bytes(render_settlement_pdf(report))
        found = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
        compact = "".join(found.split())
        expected = ("离线业务明细（1）", UNSENT_A, "未确认", "受理时间（柜台）", "2026-11-2316:40", "离线未确认笔数1")
        assert [e for e in expected if e not in compact] == []


def _json(answer: Answer) -> bytes:
    return json.dumps(answer.body).encode()
