"""Receipts on the counter: the server's booked receipt (or the counter's own, for a payment accepted
offline) as a printable document, in hall-local time. The receipt numbering lives in the outbox
(:mod:`client.core.outbox`), so a number and its request are one local transaction.

Qt-free.
"""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation

from printing.receipt import CardSale, ReceiptBillLine, ReceiptDocument, ReceiptTender
from shared_models.methods.payments import PaymentReceipt, TenderMethod
from shared_models.rules.hall_time import in_hall_time

log = logging.getLogger(__name__)

def period_text(period: int) -> str:
    """``202610`` -> ``"2026-10"`` (a bill's 电费年月)."""
    year, month = divmod(period, 100)
    return f"{year:04d}-{month:02d}"


def _kwh(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:  # the receipt's own validation names the field
        return Decimal("NaN")


def to_document(receipt: PaymentReceipt, *, reprint_count: int | None = None) -> ReceiptDocument:
    """The printable document of a booked receipt (``printing.receipt``), in hall-local time.

    ``reprint_count`` defaults to the receipt's own (0 for the first print). The time printed is the
    time the money was taken: the counter's clock for a payment accepted offline, the server's booking
    time otherwise. The cash handed over is the cash part plus the change, whatever the server calls
    tendered, so the document's money identities hold by construction.
    """
    tenders = tuple(
        ReceiptTender(method=t.method.value, amount_fen=t.amount_fen, reference=t.reference or None)
        for t in receipt.tenders
    )
    cash = sum(t.amount_fen for t in receipt.tenders if t.method is TenderMethod.CASH)
    has_cash = any(t.method is TenderMethod.CASH for t in receipt.tenders)
    taken_at = receipt.local_time if receipt.accepted_offline and receipt.local_time else receipt.paid_at
    return ReceiptDocument(
        hall_name=receipt.hall_name,
        receipt_no=receipt.receipt_no,
        printed_at=in_hall_time(taken_at),
        counter_code=receipt.counter_code,
        cashier_name=receipt.cashier_name,
        customer_no=receipt.customer_no,
        customer_name=receipt.customer_name,
        address=receipt.address,
        bills=tuple(
            ReceiptBillLine(period=period_text(b.period), kwh=_kwh(b.kwh), principal_fen=b.principal_fen,
                            late_fee_fen=b.late_fee_fen, paid_fen=b.paid_fen)
            for b in receipt.bills
        ),
        due_fen=receipt.due_fen,
        paid_fen=receipt.paid_fen,
        tendered_fen=cash + receipt.change_fen if has_cash else 0,
        change_fen=receipt.change_fen if has_cash else 0,
        prepayment_before_fen=receipt.prepayment_before_fen,
        prepayment_after_fen=receipt.prepayment_after_fen,
        tenders=tenders,
        card_sale=CardSale.of_receipt(receipt),
        reprint_count=receipt.reprint_count if reprint_count is None else reprint_count,
        offline=receipt.accepted_offline,
        voided=receipt.voided,
    )
