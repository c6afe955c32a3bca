"""Voids (冲正), receipts and reprints (补打): reversal entries, the rules of a void, each refusal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.clock import FixedClock
from server.models.audit import AuditRecord
from server.models.billing import Bill
from server.models.ledger import EntryKind, LedgerEntry
from server.models.payments import Payment, PaymentVoid, ReceiptPrint
from tests.factories import COMMERCIAL, ZHANG_WEI, World, password_for
from tests.rpc_helpers import Answer, Caller
from tests.server.attempt_helpers import refusals
from tests.server.payment_helpers import (
    TODAY,
    assert_books,
    cash,
    counts,
    other,
    pay,
    permille_fee,
    quote,
    receipt,
    start,
    to_fen,
)

SUPER = ("super1", password_for("super1"))


def _void(caller: Caller, seq: int = 1, *, cosign: tuple[str, str] | None = SUPER, **extra: Any) -> Answer:
    return caller.call("payment.void_payment", {"receipt_no": receipt(seq, **extra), "reason": "收错户号"},
                       cosign=cosign)


def _refused(caller: Caller, db: Session, **kwargs: Any) -> Answer:
    """A void that must be refused and leave every table of the books as it was; a co-signed one leaves
    one audit record of the attempt (a void is sensitive), one without a co-sign none."""
    before, attempts = counts(db), refusals(db)
    answer = _void(caller, **kwargs)
    assert answer.status >= 400, answer.body
    after = counts(db)
    recorded = kwargs.get("cosign", SUPER) is not None
    assert after.pop("audit_log") == before.pop("audit_log") + recorded
    assert after == before
    seq = kwargs.get("seq", 1)
    assert refusals(db)[len(attempts):] == (
        [("cashier1", answer.code, "payment.void_payment", f"receipt:{receipt(seq)}")] if recorded else [])
    return answer


class TestVoid:
    def test_reverses_every_entry(self, caller: Caller, db: Session, world: World) -> None:
        """A void adds one reversal per entry of the payment (same bill, opposite amount, pointing at the
        original) and the customer owes exactly what was due before, late fees included."""
        start(caller)
        before = quote(caller, ZHANG_WEI)
        paid = pay(caller, ZHANG_WEI, [cash(before["due_fen"] + 3_000, 30_000)], seq=1).body
        answer = _void(caller)
        assert answer.status == 200, answer.body
        assert answer.body | {"voided_at": None} == {
            "receipt_no": receipt(1), "amount_fen": paid["paid_fen"], "voided_at": None, "voided_by": "收费员甲",
            "cosigned_by": "班长甲", "reason": "收错户号", "cosign_at_counter": False}
        payment = db.scalars(select(Payment)).one()
        entries = db.scalars(select(LedgerEntry).where(LedgerEntry.payment_id == payment.id)
                             .order_by(LedgerEntry.id)).all()
        originals = [e for e in entries if e.kind is not EntryKind.REVERSAL]
        reversals = {e.reverses_id: e for e in entries if e.kind is EntryKind.REVERSAL}
        assert len(originals) == len(reversals) == 5
        for e in originals:
            r = reversals[e.id]
            assert (r.amount_fen, r.bill_id, r.customer_id) == (-e.amount_fen, e.bill_id, e.customer_id)
        assert sum(e.amount_fen for e in entries) == 0
        void = db.scalars(select(PaymentVoid)).one()
        assert (void.voided_by, void.cosigned_by) == (world.users["cashier1"], world.users["super1"])
        after = quote(caller, ZHANG_WEI)
        assert (after["due_fen"], after["lines"], after["prepayment_before_fen"]) == (
            before["due_fen"], before["lines"], 0)
        assert assert_books(db, world.customers[ZHANG_WEI]) == (
            sum(ln["principal_open_fen"] for ln in before["lines"]), 0)

    def test_audit_names_both(self, caller: Caller, db: Session) -> None:
        """The void's audit record carries the cashier, the co-signer, and before/after."""
        start(caller)
        pay(caller, ZHANG_WEI, [cash(1_000)], seq=1)
        assert _void(caller).status == 200
        rec = db.scalars(select(AuditRecord).where(AuditRecord.method == "payment.void_payment")).one()
        assert (rec.username, rec.cosigner, rec.target) == ("cashier1", "super1", f"receipt:{receipt(1)}")
        assert rec.before is not None
        assert rec.after is not None
        assert (rec.before["voided"], rec.after["voided"], rec.after["cosigned_by"]) == (False, True, "super1")

    def test_void_of_a_partial_payment_restores_the_late_fee_base(
        self, caller: Caller, db: Session, world: World, clock: FixedClock
    ) -> None:
        """Five days after a voided payment of a fee and part of a principal, the whole fee of the whole
        principal is due again: the reversed fee no longer counts as charged, the principal is unpaid."""
        start(caller)
        old = quote(caller, COMMERCIAL)["lines"][0]
        pay(caller, COMMERCIAL, [other("qr", old["late_fee_fen"] + 50_000, "WX-5")], seq=1)
        assert _void(caller).status == 200
        clock.advance(dt.timedelta(days=5))
        caller.login("cashier1")
        bill = db.get(Bill, world.bills[old["bill_no"]])
        assert bill is not None
        days_2025 = (dt.date(2025, 12, 31) - bill.due_on).days
        days_2026 = (TODAY + dt.timedelta(days=5) - dt.date(2025, 12, 31)).days
        fee = to_fen(permille_fee(bill.amount_fen, days_2025, "2") + permille_fee(bill.amount_fen, days_2026, "3"))
        line = quote(caller, COMMERCIAL)["lines"][0]
        assert (line["principal_open_fen"], line["late_fee_fen"]) == (bill.amount_fen, fee)

    def test_without_cosign(self, caller: Caller, db: Session) -> None:
        """No co-sign: COSIGN_REQUIRED, nothing changes."""
        start(caller)
        pay(caller, ZHANG_WEI, [cash(1_000)], seq=1)
        assert _refused(caller, db, cosign=None).code == "COSIGN_REQUIRED"

    def test_cosigned_by_a_cashier(self, caller: Caller, db: Session) -> None:
        """A cashier's co-sign is COSIGN_NOT_AUTHORIZED."""
        start(caller)
        pay(caller, ZHANG_WEI, [cash(1_000)], seq=1)
        answer = _refused(caller, db, cosign=("cashier2", password_for("cashier2")))
        assert (answer.code, answer.params) == ("COSIGN_NOT_AUTHORIZED", {"username": "cashier2"})

    def test_by_another_cashier(self, caller: Caller, db: Session) -> None:
        """Only the cashier who took the payment may void it."""
        start(caller)
        pay(caller, ZHANG_WEI, [cash(1_000)], seq=1)
        colleague = Caller(caller.dispatcher, counter="T0102")
        start(colleague, "cashier2")
        before = counts(db)
        answer = colleague.call("payment.void_payment", {"receipt_no": receipt(1), "reason": "代同事冲正"},
                                cosign=SUPER)
        assert (answer.code, answer.params) == ("VOID_NOT_SAME_CASHIER", {"receipt_no": receipt(1)})
        assert counts(db) == before | {"audit_log": before["audit_log"] + 1}
        assert refusals(db) == [("cashier2", "VOID_NOT_SAME_CASHIER", "payment.void_payment", f"receipt:{receipt(1)}")]

    def test_next_day(self, caller: Caller, db: Session, clock: FixedClock) -> None:
        """A receipt of yesterday (China time) is not voided, even with its shift still open."""
        start(caller)
        pay(caller, ZHANG_WEI, [cash(1_000)], seq=1)
        clock.advance(dt.timedelta(hours=15))  # 00:00 the next day in China
        caller.login("cashier1")
        assert _refused(caller, db).code == "VOID_NOT_SAME_DAY"

    def test_after_the_shift_closed(self, caller: Caller, db: Session) -> None:
        """Once the shift is closed the receipt can only be refunded: VOID_SHIFT_CLOSED."""
        shift_no = start(caller)
        pay(caller, ZHANG_WEI, [other("qr", 1_000, "WX-7")], seq=1)
        closed = caller.call("shift.close_shift", {"shift_no": shift_no, "cash_counts": [], "deposit_slip_no": "JK-1"})
        assert closed.status == 200, closed.body
        answer = _refused(caller, db)
        assert (answer.code, answer.params) == ("VOID_SHIFT_CLOSED", {"receipt_no": receipt(1)})

    def test_twice(self, caller: Caller, db: Session) -> None:
        """A second void of the same receipt is ALREADY_VOIDED."""
        start(caller)
        pay(caller, ZHANG_WEI, [cash(1_000)], seq=1)
        assert _void(caller).status == 200
        assert _refused(caller, db).code == "ALREADY_VOIDED"

    def test_unknown_receipt(self, caller: Caller, db: Session) -> None:
        """Voiding, reading or reprinting a number never booked is RECEIPT_NOT_FOUND."""
        start(caller)
        assert _refused(caller, db, seq=9).code == "RECEIPT_NOT_FOUND"
        for method in ("payment.get_receipt", "payment.reprint_receipt"):
            assert caller.call(method, {"receipt_no": receipt(9)}).code == "RECEIPT_NOT_FOUND"
        assert counts(db)["receipt_prints"] == 0


class TestReceipt:
    def test_as_printed_even_after_later_payments(self, caller: Caller) -> None:
        """get_receipt rebuilds the receipt as booked, although later payments changed the bills; the
        counter's local time (China time when it has no offset) is kept beside the booking time."""
        start(caller)
        due = quote(caller, ZHANG_WEI)["due_fen"]
        first = pay(caller, ZHANG_WEI, [cash(due - 2_000, due)], seq=1, local_time="2026-11-23T17:00:05").body
        assert first["local_time"] == "2026-11-23T09:00:05Z"  # the counter's clock is China time
        assert pay(caller, ZHANG_WEI, [other("bank_card", 2_000, "POS-3")], seq=2).status == 200
        again = caller.call("payment.get_receipt", {"receipt_no": receipt(1)})
        assert (again.status, again.body) == (200, first)

    def test_reprints_are_counted(self, caller: Caller, db: Session) -> None:
        """Each reprint adds a numbered print row and returns 补打 N; the receipt is otherwise unchanged."""
        start(caller)
        first = pay(caller, ZHANG_WEI, [cash(1_000)], seq=1).body
        for n in (1, 2):
            again = caller.call("payment.reprint_receipt", {"receipt_no": receipt(1)})
            assert again.status == 200, again.body
            assert again.body == first | {"reprint_count": n}
        assert [p.print_no for p in db.scalars(select(ReceiptPrint).order_by(ReceiptPrint.id))] == [1, 2]
        assert caller.call("payment.get_receipt", {"receipt_no": receipt(1)}).body["reprint_count"] == 2

    def test_voided_receipt_reprints_marked_void(self, caller: Caller) -> None:
        """A voided receipt can still be read and reprinted, and says it is voided."""
        start(caller)
        pay(caller, ZHANG_WEI, [cash(1_000)], seq=1)
        assert _void(caller).status == 200
        reprint = caller.call("payment.reprint_receipt", {"receipt_no": receipt(1)}).body
        assert (reprint["voided"], reprint["reprint_count"]) == (True, 1)
        assert caller.call("payment.get_receipt", {"receipt_no": receipt(1)}).body["voided"] is True
