"""The counter's receipts: a booked PaymentReceipt as a printable document (numbering: test_outbox.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from client.core.receipts import period_text, to_document
from printing.escpos import decode_text, qr_payloads, render
from printing.receipt import ReceiptError
from shared_models.methods.payments import (
    PaymentReceipt,
    ReceiptBill,
    ReceiptTenderLine,
    TenderMethod,
)
from shared_models.rules.hall_time import HALL_TZ, in_hall_time


def booked(**changes: Any) -> PaymentReceipt:
    """Two bills (12.00 + 0.36 late fee, and 20.00) paid 50.00 by bank card 30.00 and cash 20.00 from 30.00
    handed over; 17.64 goes to prepayment (5.00 before)."""
    receipt = PaymentReceipt(
        receipt_no="H0101-20261123-00007", hall_name="文三路营业厅", counter_code="H0101", cashier_name="王丽娟",
        shift_no="H0101-20261123-01", paid_at=dt.datetime(2026, 11, 23, 1, 30, 5, tzinfo=dt.UTC), local_time=None,
        customer_no="3301000001", customer_name="张伟", address="浙江省杭州市西湖区文三路100号",
        bills=[
            ReceiptBill(bill_no="2026093301000001", period=202609, kwh="22.3", principal_fen=1200, late_fee_fen=36,
                        paid_fen=1236),
            ReceiptBill(bill_no="2026103301000001", period=202610, kwh="37.2", principal_fen=2000, late_fee_fen=0,
                        paid_fen=2000),
        ],
        due_fen=3236, paid_fen=5000, tendered_fen=3000, change_fen=1000, prepayment_before_fen=500,
        prepayment_after_fen=2264,
        tenders=[ReceiptTenderLine(method=TenderMethod.BANK_CARD, amount_fen=3000, reference="T88001"),
                 ReceiptTenderLine(method=TenderMethod.CASH, amount_fen=2000, reference="")],
        accepted_offline=False, redirected_to_prepayment_fen=0, reprint_count=0, voided=False,
    )
    return receipt.model_copy(update=changes)


class TestToDocument:
    """PaymentReceipt -> ReceiptDocument."""

    def test_mixed_tender_receipt_prints_what_was_booked(self) -> None:
        """The document adds up and its printed text names the customer, number, bills, methods and change."""
        doc = to_document(booked())
        doc.validate()
        text = decode_text(render(doc, paper=80))
        for expected in ("户号：3301000001", "流水号：H0101-20261123-00007", "2026-09", "2026-10", "找零",
                         "￥10.00", "收取现金", "￥30.00", "银行卡", "参考号", "T88001", "现金", "实收金额",
                         "￥50.00", "现预收余额", "￥22.64", "收费员：王丽娟"):
            assert expected in text, expected
        assert qr_payloads(render(doc, paper=58)) == ["H0101-20261123-00007"]
        assert "补打" not in text
        assert "离线受理" not in text

    def test_time_is_hall_local(self) -> None:
        """01:30:05 UTC prints as 09:30:05 in the hall (UTC+8)."""
        doc = to_document(booked())
        assert doc.printed_at.utcoffset() == dt.timedelta(hours=8)
        assert "时间：2026-11-23 09:30:05" in decode_text(render(doc, paper=58))

    def test_cash_handed_over_is_cash_part_plus_change(self) -> None:
        """However the server counts 'tendered', the receipt's cash handed over is the cash part plus change."""
        doc = to_document(booked(tendered_fen=6000))  # a server counting card and cash together
        assert (doc.tendered_fen, doc.change_fen, doc.cash_fen) == (3000, 1000, 2000)
        doc.validate()

    def test_no_cash_means_nothing_handed_over(self) -> None:
        """A bank-card-only payment prints neither cash handed over nor change."""
        receipt = booked(tenders=[ReceiptTenderLine(method=TenderMethod.BANK_CARD, amount_fen=5000, reference="T1")],
                         tendered_fen=5000, change_fen=0)
        doc = to_document(receipt)
        doc.validate()
        assert (doc.tendered_fen, doc.change_fen, doc.has_cash) == (0, 0, False)
        assert "找零" not in decode_text(render(doc, paper=80))

    def test_reprint_count_and_marks(self) -> None:
        """The server's reprint count prints as 补打 N; an override wins; offline and voided are marked."""
        assert "补打 2" in decode_text(render(to_document(booked(reprint_count=2)), paper=58))
        assert "补打 3" in decode_text(render(to_document(booked(), reprint_count=3), paper=58))
        assert "作废" in decode_text(render(to_document(booked(voided=True)), paper=58))
        offline = booked(accepted_offline=True, local_time=dt.datetime(2026, 11, 23, 9, 12, 0, tzinfo=HALL_TZ))
        text = decode_text(render(to_document(offline), paper=58))
        assert "离线受理" in text
        assert "时间：2026-11-23 09:12:00" in text  # when the money was taken, not when it was booked

    def test_figures_that_do_not_add_up_never_print(self) -> None:
        """A receipt whose prepayment does not follow from the figures is refused before any byte."""
        with pytest.raises(ReceiptError):
            render(to_document(booked(prepayment_after_fen=2265)), paper=80)

    def test_period_and_naive_time(self) -> None:
        """Periods print as YYYY-MM; a naive timestamp is taken as UTC."""
        assert period_text(202601) == "2026-01"
        assert in_hall_time(dt.datetime(2026, 1, 1, 16, 0)).isoformat() == "2026-01-02T00:00:00+08:00"  # noqa: DTZ001
