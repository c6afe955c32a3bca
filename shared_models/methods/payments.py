"""Counter payments (SPEC C3): quote, pay, void (冲正), receipts and reprints (补打).

Receipt numbers are minted by the counter, never by the center (SPEC §5): their format and sequence rules
live in :mod:`shared_models.rules.receipt_numbers`; :data:`ReceiptNoField` is the contract's field.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field

from shared_models.cosign import AttestedCosign
from shared_models.ids import NO_NUL_PATTERN, CounterTimeField, CustomerNoField
from shared_models.money import FenField, NonNegativeFenField, PaymentFenField
from shared_models.roles import Perm
from shared_models.rpc import Model, Mutation, Query, register
from shared_models.rules.receipt_numbers import RECEIPT_NO_PATTERN, parse_receipt_no


def _check_receipt_no(value: str) -> str:
    parse_receipt_no(value)  # its ValueError becomes the field's validation error
    return value


ReceiptNoField = Annotated[str, Field(strict=True, min_length=16, max_length=40, pattern=RECEIPT_NO_PATTERN),
                          AfterValidator(_check_receipt_no)]
ReferenceField = Annotated[str, Field(strict=True, max_length=40, pattern=r"^[A-Za-z0-9_\-/ ]*$")]


class TenderMethod(StrEnum):
    """How the customer pays (DOMAIN §6.1)."""

    CASH = "cash"
    BANK_CARD = "bank_card"
    QR = "qr"
    CHEQUE = "cheque"


class BusinessType(StrEnum):
    """What the money was for, as the daily settlement groups it (DOMAIN §8)."""

    ELECTRICITY = "electricity"  # 电费
    LATE_FEE = "late_fee"  # 违约金
    PREPAYMENT = "prepayment"  # 预收
    CARD_PURCHASE = "card_purchase"  # 购电
    SERVICE_FEE = "service_fee"  # 业务费


class Tender(Model):
    """One method's part of a payment. Cash carries what the customer handed over (``cash_handed_fen``
    ≥ ``amount_fen``; the difference is the change); the other methods carry their reference (bank
    terminal trace, WeChat/Alipay order number, cheque number) and ``cash_handed_fen`` 0."""

    method: TenderMethod
    amount_fen: PaymentFenField
    cash_handed_fen: NonNegativeFenField = 0
    reference: ReferenceField = ""


class QuoteRequest(Model):
    """What a payment of ``amount_fen`` would settle; None quotes paying everything due."""

    customer_no: CustomerNoField
    amount_fen: PaymentFenField | None = None


class AllocationLine(Model):
    """One open bill and the part of the payment it would take (oldest first, late fee first)."""

    bill_no: str
    period: int
    kwh: str
    due_on: dt.date
    principal_open_fen: FenField
    late_days: int
    late_fee_fen: FenField
    pay_late_fee_fen: FenField
    pay_principal_fen: FenField
    settles_bill: bool


class Quote(Model):
    """The allocation the cashier confirms; ``due_fen`` is what the open bills owe today."""

    customer_no: str
    customer_name: str
    due_fen: FenField
    amount_fen: FenField
    lines: list[AllocationLine]
    to_prepayment_fen: FenField
    prepayment_before_fen: FenField
    prepayment_after_fen: FenField
    remaining_due_fen: FenField


class PayRequest(Model):
    """Confirm a payment. ``quoted_due_fen`` is the due the cashier saw: when the bills changed since
    (paid at another counter), the server refuses with ``DUE_CHANGED`` unless ``accepted_offline``, in
    which case whatever the bills no longer take goes to prepayment (SPEC §5)."""

    customer_no: CustomerNoField
    receipt_no: ReceiptNoField
    tenders: Annotated[list[Tender], Field(min_length=1, max_length=4)]
    #: What the open bills owed (principal and late fee): never negative.
    quoted_due_fen: NonNegativeFenField
    accepted_offline: bool = False
    #: The counter's clock when the cashier confirmed (shown beside the server's booking time).
    local_time: CounterTimeField | None = None


class ReceiptBill(Model):
    """A bill line on the receipt."""

    bill_no: str
    period: int
    kwh: str
    principal_fen: FenField
    late_fee_fen: FenField
    paid_fen: FenField


class ReceiptTenderLine(Model):
    """A method line on the receipt."""

    method: TenderMethod
    amount_fen: FenField
    reference: str


class CardReceiptPart(Model):
    """What a card sale adds to its receipt (SPEC §6.3): purchase count, amount written, meter number.
    ``kind`` is ``shared_models.methods.cards.WriteKind``'s value (opening, sale, replacement, cancel)."""

    kind: Annotated[str, Field(strict=True, pattern=r"^(opening|sale|replacement|cancel)$")]
    purchase_count: Annotated[int, Field(strict=True, ge=0, le=0xFFFF_FFFF)]
    write_amount_fen: NonNegativeFenField
    meter_no: str
    serial: str


class PaymentReceipt(Model):
    """Everything a receipt shows (SPEC §6.3), as the server booked it."""

    receipt_no: str
    hall_name: str
    counter_code: str
    cashier_name: str
    shift_no: str
    paid_at: dt.datetime
    local_time: dt.datetime | None
    customer_no: str
    customer_name: str
    address: str
    bills: list[ReceiptBill]
    due_fen: FenField
    paid_fen: FenField
    tendered_fen: FenField
    change_fen: FenField
    prepayment_before_fen: FenField
    prepayment_after_fen: FenField
    tenders: list[ReceiptTenderLine]
    accepted_offline: bool
    #: Money an offline payment meant for bills that were paid elsewhere meanwhile (now prepayment).
    redirected_to_prepayment_fen: FenField
    reprint_count: int
    voided: bool
    #: A card sale's card part (None on a bill payment).
    card: CardReceiptPart | None = None


class ReceiptRequest(Model):
    """A receipt by number."""

    receipt_no: ReceiptNoField


class VoidRequest(Model):
    """Void a receipt of the current shift (冲正); needs a supervisor's co-sign."""

    receipt_no: ReceiptNoField
    reason: Annotated[str, Field(strict=True, min_length=2, max_length=200, pattern=NO_NUL_PATTERN)]


class AttestedVoidRequest(Model):
    """A void confirmed at the counter with the link down, co-signed by a supervisor whose cached verifier the
    counter checked (``shared_models.cosign``). Queued in the outbox after the payment it voids and accepted
    only when replayed from it; ``local_time`` is the counter's clock when the cashier confirmed."""

    receipt_no: ReceiptNoField
    reason: Annotated[str, Field(strict=True, min_length=2, max_length=200)]
    attested_cosign: AttestedCosign
    local_time: dt.datetime


class VoidResult(Model):
    """The reversal as booked."""

    receipt_no: str
    amount_fen: FenField
    voided_at: dt.datetime
    voided_by: str
    cosigned_by: str
    reason: str
    #: The co-sign was verified at the counter with the link down (the supervisor's cached verifier).
    cosign_at_counter: bool = False


QUOTE = register(
    Query("payment.get_quote", QuoteRequest, Quote, permission=Perm.COLLECT,
          summary="Amount due today and how a payment would be allocated.")
)
PAY = register(
    Mutation("payment.pay_bills", PayRequest, PaymentReceipt, permission=Perm.COLLECT,
             replay_neutral=frozenset({"accepted_offline"}), replayable=True,
             summary="Take a payment: ledger entries, allocations and the receipt in one transaction.")
)
GET_RECEIPT = register(
    Query("payment.get_receipt", ReceiptRequest, PaymentReceipt, permission=Perm.COLLECT,
          summary="A booked receipt by number.")
)
REPRINT = register(
    Mutation("payment.reprint_receipt", ReceiptRequest, PaymentReceipt, permission=Perm.COLLECT,
             summary="Record a reprint (补打 N) and return the receipt with its reprint count.")
)
VOID = register(
    Mutation("payment.void_payment", VoidRequest, VoidResult, permission=Perm.COLLECT,
             cosign=Perm.APPROVE, summary="Reverse a payment of the open shift (冲正), co-signed by a supervisor.")
)
VOID_ATTESTED = register(
    Mutation("payment.void_attested", AttestedVoidRequest, VoidResult, permission=Perm.COLLECT,
             cosign=Perm.APPROVE, cosign_required=False, replayable=True, attested_cosign=True,
             summary="A void confirmed offline at the counter, its supervisor's co-sign verified there; accepted "
                     "only when replayed from the counter's outbox.")
)
