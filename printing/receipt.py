"""What a counter receipt says (SPEC §6.3, DOMAIN §6.4), independent of how it is printed.

A :class:`ReceiptDocument` is plain data: integer fen, a Decimal kWh, strings. :meth:`ReceiptDocument.validate`
checks that the figures add up; :mod:`printing.escpos` refuses to render a document that does not, so a
receipt that does not add up never reaches paper.

The money identities checked (all integer fen):

* ``paid_fen == sum(tender.amount_fen)``: what was paid is what the methods brought in;
* with a cash tender: ``change_fen == tendered_fen - cash part`` (``tendered_fen`` is the cash the
  customer handed over, as in ``shared_models.rules.allocation.change_due``); without one
  ``tendered_fen == change_fen == 0``;
* per bill ``paid_fen <= principal_fen + late_fee_fen``, and the bills together take at most ``due_fen``;
* ``prepayment_after_fen == prepayment_before_fen + paid_fen - sum(bill.paid_fen) - card amount bought - fee``:
  money paid goes to bills, to the card (an opening's or a sale's written amount), to a replacement card's fee, or
  to the 预收 balance, and 预收 may pay bills;
* no amount is negative.

The receipt is a Chinese business document (like the hall's stamp), so its labels are Chinese; they
all live in :data:`LABELS_ZH` so another layout language is one more table.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from printing.labels import TENDER_LABELS_ZH
from shared_models.methods.payments import PaymentReceipt, TenderMethod

#: Every word printed on a receipt, by key. ``{count}`` is filled in after lookup.
LABELS_ZH: Final = MappingProxyType(
    {
        "title_payment": "电费收费凭证",
        "title_card_sale": "购电凭证",
        "reprint": "补打 {count}",
        "offline": "离线受理",
        "voided": "作废",
        "receipt_no": "流水号",
        "printed_at": "时间",
        "counter": "柜台",
        "cashier": "收费员",
        "customer_no": "户号",
        "customer_name": "户名",
        "address": "用电地址",
        "bills": "缴费明细",
        "period": "电费年月",
        "kwh": "电量(kWh)",
        "principal": "电费",
        "late_fee": "违约金",
        "bill_paid": "本次实收",
        "due": "应收金额",
        "paid": "实收金额",
        "prepayment_before": "原预收余额",
        "prepayment_after": "现预收余额",
        "tendered": "收取现金",
        "change": "找零",
        "methods": "支付方式",
        **{f"method_{method.value}": label for method, label in TENDER_LABELS_ZH.items()},
        "reference": "参考号",
        "card_sale": "购电信息",
        "purchase_count": "购电次数",
        "purchase": "购电金额",
        "amount_written": "写卡金额",
        "remaining": "剩余金额",
        "meter_no": "表号",
        "card_kind": "业务类别",
        "card_kind_opening": "开户",
        "card_kind_sale": "购电",
        "card_kind_replacement": "补卡",
        "card_kind_cancel": "冲正",
        "fee": "补卡费",
        "serial": "卡号",
        "footer": "请核对并妥善保管本凭证",
        # U+FFE5 FULLWIDTH YEN SIGN: GBK A3A4. Never U+00A5, which GB18030 turns into 4 bytes GBK printers lack.
        "currency": "￥",
    }
)

#: The contract's tender methods (``TenderMethod`` values): a receipt names no other.
TENDER_METHODS: Final = frozenset(method.value for method in TenderMethod)

_PERIOD = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
# A receipt number is a system id printed in clear and put in the QR code: printable ASCII, no spaces.
_RECEIPT_NO = re.compile(r"[\x21-\x7e]{1,64}")


class ReceiptErrorCode(StrEnum):
    """Why a receipt cannot be printed."""

    FIELD_INVALID = "RECEIPT_FIELD_INVALID"
    AMOUNT_NEGATIVE = "RECEIPT_AMOUNT_NEGATIVE"
    TENDERS_NOT_PAID = "RECEIPT_TENDERS_NOT_PAID"
    CHANGE_MISMATCH = "RECEIPT_CHANGE_MISMATCH"
    BILL_OVERPAID = "RECEIPT_BILL_OVERPAID"
    BILLS_EXCEED_DUE = "RECEIPT_BILLS_EXCEED_DUE"
    PREPAYMENT_MISMATCH = "RECEIPT_PREPAYMENT_MISMATCH"


class ReceiptError(Exception):
    """A receipt that does not add up (or is malformed); carries a code and params, never prose."""

    def __init__(self, code: ReceiptErrorCode, /, **params: str | int) -> None:
        super().__init__(f"{code.value} {params}" if params else code.value)
        self.code = code
        self.params: dict[str, str | int] = params


@dataclass(frozen=True, kw_only=True, slots=True)
class ReceiptBillLine:
    """One bill settled (fully or partly) by this payment."""

    period: str  # "2026-10"
    kwh: Decimal
    principal_fen: int
    late_fee_fen: int
    paid_fen: int


@dataclass(frozen=True, kw_only=True, slots=True)
class ReceiptTender:
    """One payment method and the amount it brought in."""

    method: str  # one of TENDER_METHODS
    amount_fen: int
    reference: str | None = None  # terminal trace or cheque number; never a full bank card number


#: The card receipt kinds (``shared_models.methods.cards.WriteKind`` values) whose written amount the payment bought;
#: a replacement carries a purchase paid before (its payment is the fee).
PAID_CARD_KINDS: Final = frozenset({"opening", "sale"})


@dataclass(frozen=True, kw_only=True, slots=True)
class CardSale:
    """A prepaid purchase written to the customer's IC card (开户, 购电), or a replacement card 补卡 carrying the last
    purchase, whose payment is the fee (``fee_fen``, 业务费) and not money for the card."""

    purchase_count: int
    amount_written_fen: int
    meter_no: str
    purchase_fen: int | None = None  # 购电金额 when it differs from what was written
    remaining_fen: int | None = None  # 剩余金额 from the card's return file, when it was read
    kind: str = "sale"  # opening | sale | replacement
    fee_fen: int = 0
    serial: str | None = None

    @classmethod
    def of_receipt(cls, receipt: PaymentReceipt) -> CardSale | None:
        """The card part of a booked receipt (``PaymentReceipt.card``), None on a bill payment; a replacement's
        payment is its fee (what did not go to bills)."""
        part = receipt.card
        if part is None:
            return None
        fee = receipt.paid_fen - sum(b.paid_fen for b in receipt.bills) if part.kind == "replacement" else 0
        return cls(purchase_count=part.purchase_count, amount_written_fen=part.write_amount_fen,
                   meter_no=part.meter_no, kind=part.kind, serial=part.serial or None, fee_fen=fee)

    @property
    def bought_fen(self) -> int:
        """What of the payment went onto the card: the written amount of an opening or a sale, else 0."""
        return self.amount_written_fen if self.kind in PAID_CARD_KINDS else 0


@dataclass(frozen=True, kw_only=True, slots=True)
class ReceiptDocument:
    """Everything one receipt shows; ``printed_at`` is timezone-aware, in the hall's local time."""

    hall_name: str
    receipt_no: str
    printed_at: dt.datetime
    counter_code: str
    cashier_name: str
    customer_no: str
    customer_name: str
    address: str
    bills: tuple[ReceiptBillLine, ...]
    due_fen: int
    paid_fen: int
    tendered_fen: int
    change_fen: int
    prepayment_before_fen: int
    prepayment_after_fen: int
    tenders: tuple[ReceiptTender, ...]
    card_sale: CardSale | None = None
    reprint_count: int = 0
    offline: bool = False
    voided: bool = False

    @property
    def cash_fen(self) -> int:
        """The part of the payment made in cash."""
        return sum(t.amount_fen for t in self.tenders if t.method == TenderMethod.CASH)

    @property
    def has_cash(self) -> bool:
        """Whether any of the payment was made in cash (the drawer opens, change is counted)."""
        return any(t.method == TenderMethod.CASH for t in self.tenders)

    def validate(self) -> None:
        """Raise :class:`ReceiptError` unless every field is well formed and the figures add up."""
        self._validate_header()
        self._validate_lines()
        for name, value in self._amounts():
            # bool is an int subclass and a float may carry binary noise: neither is an amount of fen
            if isinstance(value, bool) or not isinstance(value, int):
                raise ReceiptError(ReceiptErrorCode.FIELD_INVALID, field=name)
            if value < 0:
                raise ReceiptError(ReceiptErrorCode.AMOUNT_NEGATIVE, field=name, amount_fen=value)
        self._validate_sums()

    def _validate_header(self) -> None:
        for name in ("hall_name", "counter_code", "cashier_name", "customer_no", "customer_name", "address"):
            _check_text(name, getattr(self, name))
        if not isinstance(self.receipt_no, str) or not _RECEIPT_NO.fullmatch(self.receipt_no):
            raise ReceiptError(ReceiptErrorCode.FIELD_INVALID, field="receipt_no")
        if not isinstance(self.printed_at, dt.datetime) or self.printed_at.utcoffset() is None:
            raise ReceiptError(ReceiptErrorCode.FIELD_INVALID, field="printed_at")
        for name in ("offline", "voided"):
            if not isinstance(getattr(self, name), bool):
                raise ReceiptError(ReceiptErrorCode.FIELD_INVALID, field=name)
        _check_count("reprint_count", self.reprint_count, minimum=0)

    def _validate_lines(self) -> None:
        if not isinstance(self.bills, tuple) or not all(isinstance(b, ReceiptBillLine) for b in self.bills):
            raise ReceiptError(ReceiptErrorCode.FIELD_INVALID, field="bills")
        if not isinstance(self.tenders, tuple) or not all(isinstance(t, ReceiptTender) for t in self.tenders):
            raise ReceiptError(ReceiptErrorCode.FIELD_INVALID, field="tenders")
        for i, bill in enumerate(self.bills):
            if not isinstance(bill.period, str) or not _PERIOD.fullmatch(bill.period):
                raise ReceiptError(ReceiptErrorCode.FIELD_INVALID, field=f"bills[{i}].period")
            if not isinstance(bill.kwh, Decimal) or not bill.kwh.is_finite():
                raise ReceiptError(ReceiptErrorCode.FIELD_INVALID, field=f"bills[{i}].kwh")
        for i, tender in enumerate(self.tenders):
            if tender.method not in TENDER_METHODS:
                raise ReceiptError(ReceiptErrorCode.FIELD_INVALID, field=f"tenders[{i}].method")
            if tender.reference is not None:
                _check_text(f"tenders[{i}].reference", tender.reference)
            # a tender of nothing is a data error upstream, not a method the customer used
            if tender.amount_fen == 0:
                raise ReceiptError(ReceiptErrorCode.FIELD_INVALID, field=f"tenders[{i}].amount_fen")
        self._validate_card_sale()

    def _validate_card_sale(self) -> None:
        sale = self.card_sale
        if sale is None:
            return
        if not isinstance(sale, CardSale):
            raise ReceiptError(ReceiptErrorCode.FIELD_INVALID, field="card_sale")
        _check_count("card_sale.purchase_count", sale.purchase_count, minimum=1)
        _check_text("card_sale.meter_no", sale.meter_no)
        if sale.kind not in PAID_CARD_KINDS | {"replacement"}:
            raise ReceiptError(ReceiptErrorCode.FIELD_INVALID, field="card_sale.kind")
        if sale.serial is not None:
            _check_text("card_sale.serial", sale.serial)

    def _amounts(self) -> list[tuple[str, object]]:
        """Every money field by name (optional ones only when given)."""
        amounts: list[tuple[str, object]] = [
            ("due_fen", self.due_fen),
            ("paid_fen", self.paid_fen),
            ("tendered_fen", self.tendered_fen),
            ("change_fen", self.change_fen),
            ("prepayment_before_fen", self.prepayment_before_fen),
            ("prepayment_after_fen", self.prepayment_after_fen),
        ]
        for i, bill in enumerate(self.bills):
            amounts += [
                (f"bills[{i}].principal_fen", bill.principal_fen),
                (f"bills[{i}].late_fee_fen", bill.late_fee_fen),
                (f"bills[{i}].paid_fen", bill.paid_fen),
            ]
        amounts += [(f"tenders[{i}].amount_fen", t.amount_fen) for i, t in enumerate(self.tenders)]
        if self.card_sale is not None:
            amounts.append(("card_sale.amount_written_fen", self.card_sale.amount_written_fen))
            amounts.append(("card_sale.fee_fen", self.card_sale.fee_fen))
            optional = {"purchase_fen": self.card_sale.purchase_fen, "remaining_fen": self.card_sale.remaining_fen}
            amounts += [(f"card_sale.{name}", value) for name, value in optional.items() if value is not None]
        return amounts

    def _validate_sums(self) -> None:
        by_methods = sum(t.amount_fen for t in self.tenders)
        if by_methods != self.paid_fen:
            raise ReceiptError(ReceiptErrorCode.TENDERS_NOT_PAID, paid_fen=self.paid_fen, tenders_fen=by_methods)
        expected_change = self.tendered_fen - self.cash_fen if self.has_cash else 0
        if (not self.has_cash and self.tendered_fen != 0) or self.change_fen != expected_change:
            raise ReceiptError(
                ReceiptErrorCode.CHANGE_MISMATCH,
                tendered_fen=self.tendered_fen,
                cash_fen=self.cash_fen,
                change_fen=self.change_fen,
            )
        for i, bill in enumerate(self.bills):
            if bill.paid_fen > bill.principal_fen + bill.late_fee_fen:
                raise ReceiptError(ReceiptErrorCode.BILL_OVERPAID, bill=i, period=bill.period, paid_fen=bill.paid_fen)
        bills_paid = sum(b.paid_fen for b in self.bills)
        if bills_paid > self.due_fen:
            raise ReceiptError(ReceiptErrorCode.BILLS_EXCEED_DUE, bills_paid_fen=bills_paid, due_fen=self.due_fen)
        card = self.card_sale.bought_fen + self.card_sale.fee_fen if self.card_sale is not None else 0
        expected_after = self.prepayment_before_fen + self.paid_fen - bills_paid - card
        if self.prepayment_after_fen != expected_after:
            raise ReceiptError(
                ReceiptErrorCode.PREPAYMENT_MISMATCH,
                prepayment_after_fen=self.prepayment_after_fen,
                expected_fen=expected_after,
            )


def _check_text(name: str, value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ReceiptError(ReceiptErrorCode.FIELD_INVALID, field=name)


def _check_count(name: str, value: object, *, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ReceiptError(ReceiptErrorCode.FIELD_INVALID, field=name)
