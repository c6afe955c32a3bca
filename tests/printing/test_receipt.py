"""ReceiptDocument: keyword-only, frozen, and a receipt that does not add up is refused."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from printing.receipt import CardSale, ReceiptBillLine, ReceiptError, ReceiptErrorCode, ReceiptTender
from tests.printing import card_sale_receipt, payment_receipt

E = ReceiptErrorCode


class TestConstruction:
    """How receipt data is built."""

    def test_fields_are_keyword_only(self) -> None:
        """Positional construction is refused, so two amounts can never be swapped silently."""
        with pytest.raises(TypeError):
            ReceiptTender("cash", 100)  # type: ignore[call-arg]

    def test_documents_are_frozen(self) -> None:
        """A document cannot change between validation and printing."""
        doc = payment_receipt()
        with pytest.raises(dataclasses.FrozenInstanceError):
            doc.paid_fen = 1  # type: ignore[misc]

    def test_cash_part_sums_cash_tenders_only(self) -> None:
        """The cash part counts cash tenders, not the card part of a mixed payment."""
        doc = payment_receipt(
            tenders=(
                ReceiptTender(method="bank_card", amount_fen=10000),
                ReceiptTender(method="cash", amount_fen=13000),
            ),
            tendered_fen=15000,
        )
        assert (doc.cash_fen, doc.has_cash) == (13000, True)


class TestValidate:
    """validate() checks every identity the receipt prints."""

    def test_sample_receipts_add_up(self) -> None:
        """The payment and card-sale samples pass."""
        payment_receipt().validate()
        card_sale_receipt().validate()

    def test_mixed_tender_change_counts_cash_only(self) -> None:
        """Card 100.00 + cash 130.00 with 150.00 cash handed over gives 20.00 change."""
        payment_receipt(
            tenders=(
                ReceiptTender(method="bank_card", amount_fen=10000),
                ReceiptTender(method="cash", amount_fen=13000),
            ),
            tendered_fen=15000,
            change_fen=2000,
        ).validate()

    def test_change_left_as_prepayment(self) -> None:
        """Change left as 预收: the whole 250.00 is paid, no change, and 预收 grows by 28.05."""
        payment_receipt(
            paid_fen=25000,
            change_fen=0,
            tenders=(ReceiptTender(method="cash", amount_fen=25000),),
            prepayment_after_fen=3805,
        ).validate()

    def test_paid_from_prepayment_alone(self) -> None:
        """A bill settled from 预收 alone: nothing paid, no tenders, 预收 goes down by the bill."""
        bill = ReceiptBillLine(period="2026-10", kwh=Decimal(10), principal_fen=538, late_fee_fen=0, paid_fen=538)
        payment_receipt(
            bills=(bill,),
            due_fen=538,
            paid_fen=0,
            tendered_fen=0,
            change_fen=0,
            tenders=(),
            prepayment_before_fen=1000,
            prepayment_after_fen=462,
        ).validate()

    @pytest.mark.parametrize(
        ("changes", "code"),
        [
            ({"paid_fen": 22999, "prepayment_after_fen": 1804}, E.TENDERS_NOT_PAID),
            ({"change_fen": 1999}, E.CHANGE_MISMATCH),
            ({"tendered_fen": 22000, "change_fen": -1000}, E.AMOUNT_NEGATIVE),
            ({"prepayment_after_fen": 1806}, E.PREPAYMENT_MISMATCH),
            ({"due_fen": 22194}, E.BILLS_EXCEED_DUE),
            ({"paid_fen": 23000.0}, E.FIELD_INVALID),
            ({"paid_fen": True}, E.FIELD_INVALID),
            ({"printed_at": dt.datetime(2026, 10, 12, 14, 3, 5)}, E.FIELD_INVALID),  # noqa: DTZ001 - naive on purpose
            ({"receipt_no": "T0101 000123"}, E.FIELD_INVALID),
            ({"customer_name": "  "}, E.FIELD_INVALID),
            ({"reprint_count": -1}, E.FIELD_INVALID),
            ({"tenders": (ReceiptTender(method="alipay", amount_fen=23000),)}, E.FIELD_INVALID),
            ({"tenders": [ReceiptTender(method="cash", amount_fen=23000)]}, E.FIELD_INVALID),
        ],
        ids=lambda v: str(v) if isinstance(v, ReceiptErrorCode) else "",
    )
    def test_payment_that_does_not_add_up(self, changes: dict[str, Any], code: ReceiptErrorCode) -> None:
        """Each broken identity or malformed field raises ReceiptError with its code."""
        with pytest.raises(ReceiptError) as caught:
            payment_receipt(**changes).validate()
        assert caught.value.code is code

    def test_bill_paid_over_principal_and_fee(self) -> None:
        """A bill line paying more than its principal plus late fee is refused."""
        bills = payment_receipt().bills
        overpaid = dataclasses.replace(bills[1], paid_fen=10653)
        doc = payment_receipt(bills=(bills[0], overpaid), due_fen=30000, prepayment_after_fen=1804)
        with pytest.raises(ReceiptError) as caught:
            doc.validate()
        assert caught.value.code is E.BILL_OVERPAID
        assert caught.value.params["period"] == "2026-10"

    def test_bad_period_and_kwh(self) -> None:
        """A period that is not YYYY-MM and a kWh that is not a finite Decimal are refused."""
        bill = payment_receipt().bills[0]
        for broken in (
            dataclasses.replace(bill, period="2026-13"),
            dataclasses.replace(bill, period="202609"),
            dataclasses.replace(bill, kwh=Decimal("NaN")),
            dataclasses.replace(bill, kwh=213.5),  # type: ignore[arg-type]
        ):
            with pytest.raises(ReceiptError) as caught:
                payment_receipt(bills=(broken, payment_receipt().bills[1])).validate()
            assert caught.value.code is E.FIELD_INVALID

    def test_card_payment_has_no_cash_tendered(self) -> None:
        """Without a cash tender, cash tendered and change must both be zero."""
        with pytest.raises(ReceiptError) as caught:
            card_sale_receipt(tendered_fen=50000).validate()
        assert caught.value.code is E.CHANGE_MISMATCH

    def test_card_sale_written_amount_is_accounted(self) -> None:
        """The amount written to the card leaves the payment: writing more than was paid does not add up."""
        sale = CardSale(purchase_count=7, amount_written_fen=50100, meter_no="3300001234567890")
        with pytest.raises(ReceiptError) as caught:
            card_sale_receipt(card_sale=sale).validate()
        assert caught.value.code is E.PREPAYMENT_MISMATCH

    def test_card_sale_fields(self) -> None:
        """A purchase count below 1 or an empty meter number is refused."""
        for sale in (
            CardSale(purchase_count=0, amount_written_fen=50000, meter_no="3300001234567890"),
            CardSale(purchase_count=7, amount_written_fen=50000, meter_no=""),
        ):
            with pytest.raises(ReceiptError) as caught:
                card_sale_receipt(card_sale=sale).validate()
            assert caught.value.code is E.FIELD_INVALID

    def test_error_carries_code_not_prose(self) -> None:
        """The exception's code and params are data the client turns into its own sentence."""
        with pytest.raises(ReceiptError) as caught:
            payment_receipt(change_fen=1).validate()
        assert caught.value.params == {"tendered_fen": 25000, "cash_fen": 23000, "change_fen": 1}
        assert str(caught.value.code) == "RECEIPT_CHANGE_MISMATCH"
