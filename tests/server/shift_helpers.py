"""Helpers for the shift and settlement tests: sign in, open a shift, take and void payments, close.

Everything goes through the RPC as the client sends it, so the figures under test are the ones the
payment service really books.
"""

from __future__ import annotations

from typing import Any

from server.rpc.dispatch import Dispatcher
from tests.factories import password_for
from tests.rpc_helpers import Caller

SUPER = ("super1", password_for("super1"))


def signed_in(dispatcher: Dispatcher, username: str, counter: str = "T0101") -> Caller:
    """A caller signed in as ``username`` at ``counter``."""
    c = Caller(dispatcher, counter=counter)
    answer = c.login(username)
    assert answer.status == 200, answer.body
    return c


def open_shift(caller: Caller, float_fen: int = 0) -> str:
    """Open the signed-in caller's shift; its number."""
    answer = caller.call("shift.open_shift", {"float_fen": float_fen})
    assert answer.status == 200, answer.body
    return str(answer.body["shift_no"])


def cash(amount_fen: int, handed_fen: int | None = None) -> dict[str, Any]:
    """A cash tender (handed over exactly, unless said)."""
    handed = amount_fen if handed_fen is None else handed_fen
    return {"method": "cash", "amount_fen": amount_fen, "cash_handed_fen": handed}


def other(method: str, amount_fen: int, reference: str = "REF-1") -> dict[str, Any]:
    """A bank card, QR or cheque tender."""
    return {"method": method, "amount_fen": amount_fen, "reference": reference}


def pay(caller: Caller, receipt_no: str, customer_no: str, *tenders: dict[str, Any],
        offline: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    """Quote the amount of the tenders and pay it; ``(quote, receipt)``."""
    amount = sum(int(t["amount_fen"]) for t in tenders)
    quote = caller.call("payment.get_quote", {"customer_no": customer_no, "amount_fen": amount})
    assert quote.status == 200, quote.body
    paid = caller.call("payment.pay_bills", {
        "customer_no": customer_no, "receipt_no": receipt_no, "tenders": list(tenders),
        "quoted_due_fen": quote.body["due_fen"], "accepted_offline": offline,
    })
    assert paid.status == 200, paid.body
    return quote.body, paid.body


def void(caller: Caller, receipt_no: str, reason: str = "录错户号") -> dict[str, Any]:
    """Void a receipt of the caller's open shift, co-signed by super1."""
    answer = caller.call("payment.void_payment", {"receipt_no": receipt_no, "reason": reason}, cosign=SUPER)
    assert answer.status == 200, answer.body
    return answer.body


def close(caller: Caller, shift_no: str, counts: list[dict[str, int]] | None = None, *,
          cosign: tuple[str, str] | None = None, slip: str = "JK-20261123-1") -> Any:
    """Ask to close ``shift_no`` with the cash counts; the answer."""
    return caller.call("shift.close_shift", {"shift_no": shift_no, "cash_counts": counts or [],
                                             "deposit_slip_no": slip}, cosign=cosign)


def yuan_notes(fen: int) -> list[dict[str, int]]:
    """A cash count of ``fen`` in the fewest notes and coins (it must be a multiple of 1 jiao)."""
    counts = []
    for d in (10000, 5000, 2000, 1000, 500, 100, 50, 10):
        n, fen = divmod(fen, d)
        if n:
            counts.append({"denomination_fen": d, "pieces": n})
    assert fen == 0, "not countable in notes and coins"
    return counts
