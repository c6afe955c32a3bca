"""The customer 360 view: profile, open bills with late fee to today, arrears, prepayment, payments."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models.billing import Bill
from tests.factories import CLOSED, COMMERCIAL, LI_XIUYING, ZHANG_WEI, World, password_for
from tests.rpc_helpers import Caller
from tests.server.payment_helpers import (
    TODAY,
    assert_books,
    cash,
    other,
    pay,
    permille_fee,
    quote,
    receipt,
    start,
    to_fen,
)


def _overview(caller: Caller, customer_no: str) -> dict[str, Any]:
    answer = caller.call("customer.get_overview", {"customer_no": customer_no})
    assert answer.status == 200, answer.body
    return answer.body


class TestOverview:
    def test_open_bills_with_late_fee_to_today(self, caller: Caller, db: Session, world: World) -> None:
        """张伟: both open bills oldest first with their late fees to today, totals, no prepayment."""
        caller.login("reader1")  # anyone who may view customers
        view = _overview(caller, ZHANG_WEI)
        bills = db.scalars(select(Bill).where(Bill.customer_id == world.customers[ZHANG_WEI], Bill.period >= 202609)
                           .order_by(Bill.due_on)).all()
        fees = [max(to_fen(permille_fee(b.amount_fen, (TODAY - b.due_on).days, "1")), 100) for b in bills]
        assert view["open_bills"] == [
            {"bill_no": b.bill_no, "period": b.period, "kwh": f"{b.kwh:.2f}", "amount_fen": b.amount_fen,
             "principal_open_fen": b.amount_fen, "issued_on": b.issued_on.isoformat(),
             "due_on": b.due_on.isoformat(), "late_days": (TODAY - b.due_on).days, "late_fee_fen": fee}
            for b, fee in zip(bills, fees, strict=True)]
        arrears = sum(b.amount_fen for b in bills)
        assert (view["arrears_fen"], view["late_fee_fen"], view["due_fen"], view["prepayment_fen"]) == (
            arrears, sum(fees), arrears + sum(fees), 0)
        assert (view["as_of"], view["card_status"], view["recent_payments"]) == (TODAY.isoformat(), None, [])
        profile = view["profile"]
        assert (profile["name"], profile["balance_fen"], profile["status"]) == ("张伟", -arrears, "active")

    def test_prepayment_customer(self, caller: Caller, db: Session, world: World) -> None:
        """李秀英 owes nothing and has prepayment: the surplus of her last payment."""
        caller.login("cashier1")
        view = _overview(caller, LI_XIUYING)
        arrears, prepayment = assert_books(db, world.customers[LI_XIUYING])
        assert (view["open_bills"], view["arrears_fen"], view["due_fen"]) == ([], 0, 0)
        assert view["prepayment_fen"] == prepayment == 5_000
        assert arrears == 0

    def test_commercial_and_closed_customers(self, caller: Caller) -> None:
        """The view agrees with the quote for a commercial customer, and still shows a closed account."""
        caller.login("cashier1")
        view = _overview(caller, COMMERCIAL)
        q = quote(caller, COMMERCIAL)
        assert view["due_fen"] == q["due_fen"]
        assert [b["late_fee_fen"] for b in view["open_bills"]] == [ln["late_fee_fen"] for ln in q["lines"]]
        closed = _overview(caller, CLOSED)
        assert closed["profile"]["status"] == "closed"
        assert closed["arrears_fen"] > 0

    def test_recent_payments(self, caller: Caller) -> None:
        """The ten latest payments, newest first, with their methods, counter and void mark."""
        start(caller)
        for seq in range(1, 12):
            tenders = [cash(100 + seq)] if seq % 2 else [cash(50), other("qr", 50 + seq, f"WX-{seq}")]
            assert pay(caller, LI_XIUYING, tenders, seq=seq).status == 200
        voided = caller.call("payment.void_payment", {"receipt_no": receipt(11), "reason": "重复收费"},
                             cosign=("super1", password_for("super1")))
        assert voided.status == 200
        recent = _overview(caller, LI_XIUYING)["recent_payments"]
        assert [p["receipt_no"] for p in recent] == [receipt(seq) for seq in range(11, 1, -1)]
        assert [(p["amount_fen"], p["methods"], p["voided"], p["counter_code"]) for p in recent[:2]] == [
            (111, ["cash"], True, "T0101"), (110, ["cash", "qr"], False, "T0101")]

    def test_unknown_customer(self, caller: Caller) -> None:
        """An unknown 户号 is CUSTOMER_NOT_FOUND."""
        caller.login("cashier1")
        answer = caller.call("customer.get_overview", {"customer_no": "3301999999"})
        assert (answer.code, answer.params) == ("CUSTOMER_NOT_FOUND", {"customer_no": "3301999999"})
