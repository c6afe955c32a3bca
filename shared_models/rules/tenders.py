"""The tenders of one payment, one rule for the server and the counter: which mixes of methods a payment may
be made of, what they add up to, and the change due (DOMAIN §6.1, §6.3).

A payment is made of at most one part per method (cash, bank card, QR, cheque), each part at least 1 fen.
Cash carries what the customer handed over, at least the cash part: the difference is the change
(:func:`~shared_models.rules.allocation.change_due`). The other methods carry their reference (terminal
trace, order number, cheque number) and no cash. The server refuses what breaks these rules
(``payment.pay_bills``); the counter's receipt of a payment accepted offline shows the same totals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shared_models.methods.payments import Tender, TenderMethod
from shared_models.money import Fen
from shared_models.rules.allocation import AllocationError, AllocationErrorCode, change_due


@dataclass(frozen=True)
class TenderTotals:
    """What the tenders of a payment add up to."""

    #: The payment's amount: every method's part.
    paid_fen: Fen
    #: The part paid in cash (0: no cash).
    cash_fen: Fen
    #: The cash the customer handed over (0: no cash).
    tendered_fen: Fen
    #: The change handed back.
    change_fen: Fen


def check_tenders(tenders: Sequence[Tender]) -> TenderTotals:
    """The totals of valid tenders; ``AllocationError`` with the first rule broken: TENDER_INVALID (a method
    twice, a part below 1 fen, cash handed over with another method), AMOUNT_NOT_POSITIVE, CASH_TENDERED_TOO_LOW,
    TENDER_REFERENCE_REQUIRED."""
    methods = [t.method for t in tenders]
    for method in methods:
        if methods.count(method) > 1:
            raise AllocationError(AllocationErrorCode.TENDER_INVALID, method=method.value)
    paid = sum(t.amount_fen for t in tenders)
    if paid <= 0:
        raise AllocationError(AllocationErrorCode.AMOUNT_NOT_POSITIVE)
    cash = tendered = change = 0
    for t in tenders:
        if t.amount_fen <= 0:  # a zero or negative part of a mixed payment
            raise AllocationError(AllocationErrorCode.TENDER_INVALID, method=t.method.value)
        if t.method is TenderMethod.CASH:
            try:
                change = change_due(cash_tendered_fen=Fen(max(t.cash_handed_fen, 0)), cash_part_fen=Fen(t.amount_fen))
            except AllocationError:
                raise AllocationError(AllocationErrorCode.CASH_TENDERED_TOO_LOW, handed_fen=t.cash_handed_fen,
                                      cash_fen=t.amount_fen) from None
            cash, tendered = t.amount_fen, t.cash_handed_fen
        elif t.cash_handed_fen != 0:
            raise AllocationError(AllocationErrorCode.TENDER_INVALID, method=t.method.value)
        elif not t.reference.strip():
            raise AllocationError(AllocationErrorCode.TENDER_REFERENCE_REQUIRED, method=t.method.value)
    return TenderTotals(paid_fen=Fen(paid), cash_fen=Fen(cash), tendered_fen=Fen(tendered), change_fen=Fen(change))
