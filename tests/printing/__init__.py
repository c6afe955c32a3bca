"""Tests of the Qt-free receipt printing package, and the receipts they print."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from printing.receipt import CardSale, ReceiptBillLine, ReceiptDocument, ReceiptTender

CST = dt.timezone(dt.timedelta(hours=8), "CST")


def payment_receipt(**changes: Any) -> ReceiptDocument:
    """A cash payment of two bills that adds up: 230.00 paid from 250.00 tendered, 8.05 to 预收."""
    doc = ReceiptDocument(
        hall_name="国网示范市供电公司城东营业厅",
        receipt_no="T0101-20261012-000123",
        printed_at=dt.datetime(2026, 10, 12, 14, 3, 5, tzinfo=CST),
        counter_code="T0101",
        cashier_name="李小红",
        customer_no="0101234567",
        customer_name="张三（个体户）",
        address="示范省示范市城东区人民路123号幸福小区5栋2单元1101室（东门）",
        bills=(
            ReceiptBillLine(
                period="2026-09", kwh=Decimal("213.5"), principal_fen=11486, late_fee_fen=57, paid_fen=11543
            ),
            ReceiptBillLine(period="2026-10", kwh=Decimal("198"), principal_fen=10652, late_fee_fen=0, paid_fen=10652),
        ),
        due_fen=22195,
        paid_fen=23000,
        tendered_fen=25000,
        change_fen=2000,
        prepayment_before_fen=1000,
        prepayment_after_fen=1805,
        tenders=(ReceiptTender(method="cash", amount_fen=23000),),
    )
    return dataclasses.replace(doc, **changes)


def card_sale_receipt(**changes: Any) -> ReceiptDocument:
    """A prepaid purchase of 500.00 paid by bank card and written to the card (purchase number 7)."""
    doc = ReceiptDocument(
        hall_name="国网示范市供电公司城东营业厅",
        receipt_no="T0101-20261012-000124",
        printed_at=dt.datetime(2026, 10, 12, 14, 9, 41, tzinfo=CST),
        counter_code="T0101",
        cashier_name="李小红",
        customer_no="0109876543",
        customer_name="王五",
        address="示范市城西区建设路8号",
        bills=(),
        due_fen=50000,
        paid_fen=50000,
        tendered_fen=0,
        change_fen=0,
        prepayment_before_fen=0,
        prepayment_after_fen=0,
        tenders=(ReceiptTender(method="bank_card", amount_fen=50000, reference="POS 000417"),),
        card_sale=CardSale(purchase_count=7, amount_written_fen=50000, meter_no="3300001234567890", remaining_fen=1234),
    )
    return dataclasses.replace(doc, **changes)
