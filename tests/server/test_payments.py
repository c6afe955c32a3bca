"""Quotes and payments through the dispatcher: late fees to today, allocation, tenders, the books."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.clock import FixedClock
from server.models.billing import Bill
from server.models.ledger import EntryKind, LedgerEntry
from server.models.payments import Payment, PaymentAllocation, PaymentTender
from tests.factories import COMMERCIAL, LI_XIUYING, WANG_FANG, ZHANG_WEI, World, bill_no
from tests.rpc_helpers import Caller
from tests.server.payment_helpers import (
    TODAY,
    assert_books,
    cash,
    counts,
    other,
    pay,
    permille_fee,
    quote,
    start,
    to_fen,
)


def _bill(db: Session, w: World, customer_no: str, period: int) -> Bill:
    bill = db.get(Bill, w.bills[bill_no(customer_no, period)])
    assert bill is not None
    return bill


def _late_days(bill: Bill, on: dt.date = TODAY) -> int:
    return (on - bill.due_on).days


class TestQuote:
    def test_residential_late_fees_to_today(self, caller: Caller, db: Session, world: World) -> None:
        """张伟's two open bills: 1 ‰ a day since the day after the due date, and the 1-yuan minimum on a
        fee under 1 yuan; the paid August bill is not listed."""
        caller.login("cashier1")
        sep, octo = _bill(db, world, ZHANG_WEI, 202609), _bill(db, world, ZHANG_WEI, 202610)
        q = quote(caller, ZHANG_WEI)
        sep_fee = to_fen(permille_fee(sep.amount_fen, _late_days(sep), "1"))
        octo_exact = to_fen(permille_fee(octo.amount_fen, _late_days(octo), "1"))
        assert (_late_days(sep), _late_days(octo)) == (30, 3)
        assert 0 < octo_exact < 100  # below 1 yuan: collected as 1 yuan
        got = [(ln["bill_no"], ln["principal_open_fen"], ln["late_days"], ln["late_fee_fen"]) for ln in q["lines"]]
        assert got == [(sep.bill_no, sep.amount_fen, 30, sep_fee),
                       (octo.bill_no, octo.amount_fen, 3, 100)]
        assert q["due_fen"] == q["amount_fen"] == sep.amount_fen + sep_fee + octo.amount_fen + 100
        assert (q["to_prepayment_fen"], q["remaining_due_fen"], q["prepayment_before_fen"]) == (0, 0, 0)
        assert all(ln["settles_bill"] for ln in q["lines"])

    def test_commercial_rates_across_the_year_end(self, caller: Caller, db: Session, world: World) -> None:
        """A commercial bill due 2025-12-24 pays 2 ‰ for its 2025 late days and 3 ‰ from 1 January on;
        a bill of this year pays 2 ‰."""
        caller.login("cashier1")
        old, new = _bill(db, world, COMMERCIAL, 202511), _bill(db, world, COMMERCIAL, 202609)
        days_2025 = (dt.date(2025, 12, 31) - old.due_on).days
        days_2026 = (TODAY - dt.date(2025, 12, 31)).days
        old_fee = to_fen(permille_fee(old.amount_fen, days_2025, "2") + permille_fee(old.amount_fen, days_2026, "3"))
        new_fee = to_fen(permille_fee(new.amount_fen, _late_days(new), "2"))
        lines = quote(caller, COMMERCIAL)["lines"]
        assert [(ln["late_days"], ln["late_fee_fen"]) for ln in lines] == [
            (days_2025 + days_2026, old_fee), (_late_days(new), new_fee)]
        assert old_fee != to_fen(permille_fee(old.amount_fen, days_2025 + days_2026, "2"))

    def test_no_fee_before_the_due_date(self, caller: Caller) -> None:
        """王芳's bill is due in two days: no late days, no fee, not even the minimum."""
        caller.login("cashier1")
        q = quote(caller, WANG_FANG)
        assert [(ln["late_days"], ln["late_fee_fen"]) for ln in q["lines"]] == [(0, 0)]
        assert q["due_fen"] == q["lines"][0]["principal_open_fen"]

    def test_partial_amount_oldest_first_fee_before_principal(self, caller: Caller) -> None:
        """A partial amount pays the oldest bill's fee, then its principal, then stops."""
        caller.login("cashier1")
        full = quote(caller, ZHANG_WEI)
        first = full["lines"][0]
        amount = first["late_fee_fen"] + 1000
        q = quote(caller, ZHANG_WEI, amount)
        assert [(ln["pay_late_fee_fen"], ln["pay_principal_fen"], ln["settles_bill"]) for ln in q["lines"]] == [
            (first["late_fee_fen"], 1000, False), (0, 0, False)]
        assert q["remaining_due_fen"] == full["due_fen"] - amount
        assert q["to_prepayment_fen"] == 0

    def test_refusals(self, caller: Caller) -> None:
        """A quote needs an amount above zero and an open account that exists."""
        caller.login("cashier1")
        for amount in (0, -5):
            answer = caller.call("payment.get_quote", {"customer_no": ZHANG_WEI, "amount_fen": amount})
            assert answer.code == "AMOUNT_NOT_POSITIVE"
        assert caller.call("payment.get_quote", {"customer_no": "3301999999"}).code == "CUSTOMER_NOT_FOUND"
        assert caller.call("payment.get_quote", {"customer_no": "3301000005"}).code == "CUSTOMER_CLOSED"


class TestPay:
    def test_everything_due_and_more(self, caller: Caller, db: Session, world: World) -> None:
        """Paying more than due settles both bills (fee first) and books the rest as prepayment."""
        shift_no = start(caller)
        due = quote(caller, ZHANG_WEI)
        extra = 5_000
        answer = pay(caller, ZHANG_WEI, [cash(due["due_fen"] + extra, 50_000)], seq=1)
        assert answer.status == 200, answer.body
        r = answer.body
        assert (r["due_fen"], r["paid_fen"], r["tendered_fen"], r["change_fen"]) == (
            due["due_fen"], due["due_fen"] + extra, 50_000, 50_000 - due["due_fen"] - extra)
        assert (r["prepayment_before_fen"], r["prepayment_after_fen"]) == (0, extra)
        assert (r["shift_no"], r["counter_code"], r["cashier_name"], r["hall_name"]) == (
            shift_no, "T0101", "收费员甲", "一号营业厅")
        assert [(b["bill_no"], b["principal_fen"], b["late_fee_fen"], b["paid_fen"]) for b in r["bills"]] == [
            (ln["bill_no"], ln["principal_open_fen"], ln["late_fee_fen"], ln["principal_open_fen"] + ln["late_fee_fen"])
            for ln in due["lines"]]
        assert (r["reprint_count"], r["voided"], r["accepted_offline"]) == (0, False, False)

        payment = db.scalars(select(Payment)).one()
        entries = db.scalars(select(LedgerEntry).where(LedgerEntry.payment_id == payment.id)
                             .order_by(LedgerEntry.id)).all()
        bill_ids = [world.bills[ln["bill_no"]] for ln in due["lines"]]
        assert [(e.kind, e.bill_id, e.amount_fen) for e in entries] == [
            (EntryKind.LATE_FEE, bill_ids[0], -due["lines"][0]["late_fee_fen"]),
            (EntryKind.PAYMENT, bill_ids[0], due["lines"][0]["late_fee_fen"] + due["lines"][0]["principal_open_fen"]),
            (EntryKind.LATE_FEE, bill_ids[1], -due["lines"][1]["late_fee_fen"]),
            (EntryKind.PAYMENT, bill_ids[1], due["lines"][1]["late_fee_fen"] + due["lines"][1]["principal_open_fen"]),
            (EntryKind.PAYMENT, None, extra),
        ]
        assert all(e.reference == r["receipt_no"] and e.posted_by == world.users["cashier1"] for e in entries)
        allocations = db.scalars(select(PaymentAllocation).order_by(PaymentAllocation.id)).all()
        assert [(a.bill_id, a.late_fee_fen, a.late_days, a.principal_fen) for a in allocations] == [
            (bill_ids[i], ln["late_fee_fen"], ln["late_days"], ln["principal_open_fen"])
            for i, ln in enumerate(due["lines"])]
        assert (payment.to_prepayment_fen, payment.idempotency_key != "") == (extra, True)
        assert assert_books(db, world.customers[ZHANG_WEI]) == (0, extra)
        after = quote(caller, ZHANG_WEI)
        assert (after["due_fen"], after["lines"], after["prepayment_before_fen"]) == (0, [], extra)

    def test_partial_payment_lowers_the_late_fee_base(
        self, caller: Caller, db: Session, world: World, clock: FixedClock
    ) -> None:
        """A part of the oldest principal paid today stops bearing the fee from tomorrow; ten days on the
        fee is the old principal's to today plus the rest's for ten days, less the fee already paid."""
        start(caller)
        sep = _bill(db, world, ZHANG_WEI, 202609)
        fee_today = to_fen(permille_fee(sep.amount_fen, 30, "1"))
        principal_paid = 5_000
        assert pay(caller, ZHANG_WEI, [cash(fee_today + principal_paid)], seq=1).status == 200
        assert assert_books(db, world.customers[ZHANG_WEI])[0] == sep.amount_fen - principal_paid + _bill(
            db, world, ZHANG_WEI, 202610).amount_fen
        clock.advance(dt.timedelta(days=10))
        caller.login("cashier1")  # the session timed out meanwhile
        line = quote(caller, ZHANG_WEI)["lines"][0]
        whole = to_fen(permille_fee(sep.amount_fen, 30, "1") + permille_fee(sep.amount_fen - principal_paid, 10, "1"))
        assert (line["principal_open_fen"], line["late_days"], line["late_fee_fen"]) == (
            sep.amount_fen - principal_paid, 40, whole - fee_today)

    def test_part_of_a_fee(self, caller: Caller, db: Session, world: World) -> None:
        """Less than the oldest bill's fee goes to that fee alone; the rest of the fee stays due."""
        start(caller)
        before = quote(caller, COMMERCIAL)["lines"][0]
        amount = before["late_fee_fen"] // 2
        receipt = pay(caller, COMMERCIAL, [other("bank_card", amount, "POS-778812")], seq=1).body
        assert [(b["late_fee_fen"], b["paid_fen"]) for b in receipt["bills"]] == [(before["late_fee_fen"], amount)]
        after = quote(caller, COMMERCIAL)["lines"][0]
        assert (after["principal_open_fen"], after["late_fee_fen"]) == (
            before["principal_open_fen"], before["late_fee_fen"] - amount)
        entries = db.scalars(select(LedgerEntry.amount_fen).where(LedgerEntry.payment_id.is_not(None))
                             .order_by(LedgerEntry.id)).all()
        assert entries == [-amount, amount]
        assert_books(db, world.customers[COMMERCIAL])

    def test_mixed_tenders_with_change(self, caller: Caller, db: Session, world: World) -> None:
        """Cash (with change), bank card, QR and cheque together pay the due; each is stored once."""
        start(caller)
        due = quote(caller, COMMERCIAL)["due_fen"]
        card, qr, cheque = 100_000, 20_000, 30_000
        cash_part = due - card - qr - cheque
        tenders = [cash(cash_part, cash_part + 12_345), other("bank_card", card, "POS-0001"),
                   other("qr", qr, "WX4200001234"), other("cheque", cheque, "CHQ 0012")]
        r = pay(caller, COMMERCIAL, tenders, seq=1).body
        assert (r["paid_fen"], r["tendered_fen"], r["change_fen"]) == (due, cash_part + 12_345, 12_345)
        assert [(t["method"], t["amount_fen"], t["reference"]) for t in r["tenders"]] == [
            ("cash", cash_part, ""), ("bank_card", card, "POS-0001"), ("qr", qr, "WX4200001234"),
            ("cheque", cheque, "CHQ 0012")]
        stored = db.scalars(select(PaymentTender).order_by(PaymentTender.id)).all()
        assert [(t.method.value, t.amount_fen, t.cash_handed_fen) for t in stored] == [
            ("cash", cash_part, cash_part + 12_345), ("bank_card", card, 0), ("qr", qr, 0), ("cheque", cheque, 0)]
        assert assert_books(db, world.customers[COMMERCIAL]) == (0, 0)

    def test_prepayment_only(self, caller: Caller, db: Session, world: World) -> None:
        """A customer without open bills can pay in advance: it all goes to prepayment."""
        start(caller)
        before = quote(caller, LI_XIUYING)
        assert (before["due_fen"], before["lines"]) == (0, [])
        r = pay(caller, LI_XIUYING, [other("qr", 8_800, "ALI-99")], seq=1).body
        assert (r["bills"], r["prepayment_after_fen"] - r["prepayment_before_fen"]) == ([], 8_800)
        assert assert_books(db, world.customers[LI_XIUYING]) == (0, before["prepayment_before_fen"] + 8_800)

    def test_books_identity_over_several_payments(self, caller: Caller, db: Session, world: World) -> None:
        """After payments of every shape at two counters the ledger still explains every balance."""
        start(caller)
        second = Caller(caller.dispatcher, counter="T0102")
        start(second, "cashier2")
        assert pay(caller, ZHANG_WEI, [cash(300)], seq=1).status == 200
        assert pay(second, ZHANG_WEI, [other("qr", 15_000, "WX-1")], seq=1).status == 200
        assert pay(caller, COMMERCIAL, [other("cheque", 250_000, "CHQ-9")], seq=2).status == 200
        assert pay(second, LI_XIUYING, [cash(1)], seq=2).status == 200
        for customer_no in (ZHANG_WEI, COMMERCIAL, LI_XIUYING, WANG_FANG):
            arrears, prepayment = assert_books(db, world.customers[customer_no])
            view = caller.call("customer.get_overview", {"customer_no": customer_no}).body
            assert (view["arrears_fen"], view["prepayment_fen"]) == (arrears, prepayment)
        assert counts(db)["payments"] == 4
