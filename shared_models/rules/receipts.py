"""The receipt of a payment, built once for the server and the offline counter (SPEC §6.3): from the quote
the payment was allocated by, its tenders and who took it where.

The server builds the receipt of a payment it books (``payment.pay_bills``); the counter builds the one it
hands over for a payment accepted offline (``client/core/cashier.py``, marked 离线受理) from the quote the
cashier confirmed. Same inputs, same receipt: the bill lines are the bills the payment takes money from,
with their principal and late fee on the day and what the payment put on each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from shared_models.methods.payments import AllocationLine, PaymentReceipt, Quote, ReceiptBill, ReceiptTenderLine, Tender
from shared_models.money import NO_FEN, Fen
from shared_models.rules.tenders import check_tenders


@dataclass(frozen=True)
class ReceiptHeader:
    """Who took the payment, where, and the customer's address: the receipt's lines that are no money."""

    hall_name: str
    counter_code: str
    cashier_name: str
    shift_no: str
    address: str


def receipt_bills(lines: Sequence[AllocationLine]) -> list[ReceiptBill]:
    """The receipt's bill lines: each bill the payment takes money from, in the quote's order."""
    return [ReceiptBill(bill_no=line.bill_no, period=line.period, kwh=line.kwh,
                        principal_fen=line.principal_open_fen, late_fee_fen=line.late_fee_fen,
                        paid_fen=line.pay_late_fee_fen + line.pay_principal_fen)
            for line in lines if line.pay_late_fee_fen + line.pay_principal_fen > 0]


def build_receipt(*, receipt_no: str, header: ReceiptHeader, quote: Quote, tenders: Sequence[Tender],
                  paid_at: dt.datetime, local_time: dt.datetime | None, accepted_offline: bool,
                  redirected_to_prepayment_fen: Fen = NO_FEN) -> PaymentReceipt:
    """The receipt of a payment of ``tenders`` allocated as ``quote`` says (its amount is theirs).

    ``AllocationError`` when the tenders break the rules (:func:`~shared_models.rules.tenders.check_tenders`).
    """
    totals = check_tenders(tenders)
    return PaymentReceipt(
        receipt_no=receipt_no, hall_name=header.hall_name, counter_code=header.counter_code,
        cashier_name=header.cashier_name, shift_no=header.shift_no, paid_at=paid_at, local_time=local_time,
        customer_no=quote.customer_no, customer_name=quote.customer_name, address=header.address,
        bills=receipt_bills(quote.lines), due_fen=quote.due_fen, paid_fen=totals.paid_fen,
        tendered_fen=totals.tendered_fen, change_fen=totals.change_fen,
        prepayment_before_fen=quote.prepayment_before_fen, prepayment_after_fen=quote.prepayment_after_fen,
        tenders=[ReceiptTenderLine(method=t.method, amount_fen=t.amount_fen, reference=t.reference.strip())
                 for t in tenders],
        accepted_offline=accepted_offline, redirected_to_prepayment_fen=redirected_to_prepayment_fen,
        reprint_count=0, voided=False,
    )
