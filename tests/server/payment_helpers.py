"""Helpers for the payment, void and overview tests: tenders, receipt numbers, row counts, the books."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from server.models.audit import AuditRecord
from server.models.ledger import LedgerEntry
from server.models.payments import Payment, PaymentAllocation, PaymentTender, PaymentVoid, ReceiptPrint
from shared_models.rules.receipt_numbers import make_receipt_no
from tests.rpc_helpers import Answer, Caller

TODAY = dt.date(2026, 11, 23)

#: Tables a refused call must leave as they were.
COUNTED = (Payment, PaymentTender, PaymentAllocation, LedgerEntry, PaymentVoid, ReceiptPrint, AuditRecord)


def receipt(seq: int, *, counter: str = "T0101", day: dt.date = TODAY) -> str:
    """A receipt number of ``counter`` on ``day``."""
    return make_receipt_no(counter, day, seq)


def cash(amount_fen: int, handed_fen: int | None = None) -> dict[str, Any]:
    """A cash tender; the customer hands over ``handed_fen`` (the exact amount unless given)."""
    return {"method": "cash", "amount_fen": amount_fen,
            "cash_handed_fen": amount_fen if handed_fen is None else handed_fen}


def other(method: str, amount_fen: int, reference: str = "REF-1") -> dict[str, Any]:
    """A bank card, QR or cheque tender with its reference."""
    return {"method": method, "amount_fen": amount_fen, "reference": reference}


def permille_fee(principal_fen: int, days: int, permille: str) -> Decimal:
    """The exact (unrounded) fee in fen of ``days`` late days on ``principal_fen`` at ``permille`` per day."""
    return Decimal(principal_fen) * days * Decimal(permille) / 1000


def to_fen(exact: Decimal) -> int:
    """Round an exact fen amount half up (the books' one rounding rule)."""
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def start(caller: Caller, username: str = "cashier1", *, float_fen: int = 0) -> str:
    """Sign ``username`` in at the caller's counter and open a shift; returns the shift number."""
    assert caller.login(username).status == 200
    opened = caller.call("shift.open_shift", {"float_fen": float_fen})
    assert opened.status == 200, opened.body
    return str(opened.body["shift_no"])


def quote(caller: Caller, customer_no: str, amount_fen: int | None = None) -> dict[str, Any]:
    """A successful quote."""
    params: dict[str, Any] = {"customer_no": customer_no}
    if amount_fen is not None:
        params["amount_fen"] = amount_fen
    answer = caller.call("payment.get_quote", params)
    assert answer.status == 200, answer.body
    return answer.body


def pay(
    caller: Caller, customer_no: str, tenders: list[dict[str, Any]], *, seq: int, quoted: int | None = None,
    key: str | None = None, offline: bool = False, receipt_no: str | None = None, local_time: str | None = None,
) -> Answer:
    """Call payment.pay_bills; the quoted due is fetched first unless given."""
    due = quote(caller, customer_no)["due_fen"] if quoted is None else quoted
    return caller.call("payment.pay_bills", {
        "customer_no": customer_no, "receipt_no": receipt_no or receipt(seq, counter=caller.counter),
        "tenders": tenders, "quoted_due_fen": due, "accepted_offline": offline, "local_time": local_time,
    }, key=key)


def counts(db: Session) -> dict[str, int]:
    """Rows in every table a payment, void or reprint writes."""
    db.expire_all()
    return {m.__tablename__: int(db.scalar(select(func.count()).select_from(m)) or 0) for m in COUNTED}


def assert_books(db: Session, customer_id: int) -> tuple[int, int]:
    """Check the books identity of a customer and return ``(arrears, prepayment)``.

    From the payment tables alone (payments not voided): a bill's unpaid principal is its amount less
    what was paid on it outside the counter and the principal the allocations took; prepayment is what
    payments sent to 预收. The ledger must agree bill by bill, and its sum must be prepayment − arrears.
    """
    db.expire_all()
    params = {"c": customer_id}
    expected_open: dict[int, int] = dict(db.execute(text(
        """
        SELECT b.id, b.amount_fen
               - coalesce((SELECT sum(e.amount_fen) FROM ledger_entries e
                           WHERE e.bill_id = b.id AND e.kind = 'payment' AND e.payment_id IS NULL), 0)
               - coalesce((SELECT sum(a.principal_fen) FROM payment_allocations a
                           WHERE a.bill_id = b.id AND NOT EXISTS (
                               SELECT 1 FROM payment_voids v WHERE v.payment_id = a.payment_id)), 0)
        FROM bills b WHERE b.customer_id = :c
        """), params).all())
    ledger_open: dict[int, int] = dict(db.execute(text(
        "SELECT bill_id, -sum(amount_fen) FROM ledger_entries WHERE customer_id = :c AND bill_id IS NOT NULL"
        " GROUP BY bill_id"), params).all())
    assert ledger_open == expected_open
    prepayment = int(db.scalar(text(
        """
        SELECT coalesce((SELECT sum(amount_fen) FROM ledger_entries
                         WHERE customer_id = :c AND bill_id IS NULL AND payment_id IS NULL), 0)
             + coalesce((SELECT sum(p.to_prepayment_fen) FROM payments p WHERE p.customer_id = :c AND NOT EXISTS (
                             SELECT 1 FROM payment_voids v WHERE v.payment_id = p.id)), 0)
        """), params) or 0)
    arrears = sum(v for v in expected_open.values() if v > 0)
    balance = int(db.scalar(text("SELECT coalesce(sum(amount_fen), 0) FROM ledger_entries WHERE customer_id = :c"),
                            params) or 0)
    assert balance == prepayment - arrears
    return arrears, prepayment
