"""Prepaid IC-card sales on the server (issue 14, SPEC C8 §6.2, DOMAIN §7): read, sell, write, confirm, reverse.

The counter sends the card's files as read; this module decodes them (``shared_models.cards.files``), judges the
card against the books (``cards``, ``card_writes`` and their outcomes, ``card_returns``: ``server/models/
card_sales.py``) and books a sale in one transaction: the customer row locked like a bill payment
(``LOCK_CUSTOMER``), the arrears settled from the payment by the quote rule of ``payment.pay_bills`` and written by
the same statement (``WRITE_PAYMENT``: tenders, allocations, ledger entries; the card part is **not** 预收: it
goes on the card, and the shift totals count it as 购电 from ``card_writes.card_fen``), then the pending write with
its wallet sealed by the key service (``server/cards/keys.py``). The database allows one pending write per customer
(migration 0018); a second prepare waits for the customer lock and then finds the first one pending.

Rules (docs/card-sales-server.md has them with the settings):

* the next purchase count is the books' highest count + 1; the meter's count (the card's return file, else the
  last return file the books saw) must equal the books' count, else CARD_COUNT_MISMATCH;
* a sale is refused while the card holds a purchase the meter has not seen (return file empty and the card's
  count equal to the books'): CARD_PURCHASE_NOT_INSERTED; and while a write is pending: CARD_PENDING_WRITE;
* the card carries a 12-digit customer number: a 10-digit 户号 is zero-padded on the left, a 13-digit one does not
  fit (CARD_CUSTOMER_UNFIT); the meter number is the last 12 digits of the meter's asset number (the 表号 part of a
  资产编号), the CT ratio the meter's multiplier and the PT ratio 1;
* return files are recorded (``card_returns``) by the mutations that carry the card (prepare, open, replace,
  confirm, reverse); ``card.read_card`` is a query and records nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any, Final

from sqlalchemy import exists, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from server.cards.keys import CardKeyError, CardKeys
from server.context import CallContext
from server.errors import AppError
from server.models.card_sales import (
    Card,
    CardRetirement,
    CardReturn,
    CardWrite,
    CardWriteOutcome,
    IssuedKind,
    WriteOutcome,
)
from server.models.customers import Customer, Meter
from server.models.org import Counter
from server.models.payments import Payment
from server.models.users import User
from server.services import voids
from server.services.bills import CustomerBills, load_bills
from server.services.payments import (
    allocation_rows,
    bills_paid,
    check_amount,
    check_receipt_no,
    constraint_name,
    find_receipt,
    ledger_entries,
    local_time_utc,
    lock_payer,
    quote_for,
    rebuild_receipt,
    tender_rows,
    tender_totals,
    write_payment,
)
from shared_models.cards.errors import CardFormatError
from shared_models.cards.files import (
    MAX_AMOUNT_FEN,
    CardInfo,
    CardType,
    ParameterFile,
    ReturnFile,
    WalletFile,
)
from shared_models.cards.image import write_plan
from shared_models.errors import ErrorCode, ErrorPayload
from shared_models.methods.cards import (
    CardCustomerRequest,
    CardFiles,
    CardHistory,
    CardKind,
    CardRecord,
    CardStanding,
    CardView,
    ConfirmWriteRequest,
    OpenCardRequest,
    PendingList,
    PendingListRequest,
    PendingWriteView,
    PreparedWrite,
    PrepareSaleRequest,
    PurchaseState,
    PurchaseView,
    ReadCardRequest,
    ReplaceCardRequest,
    ReturnView,
    ReverseResult,
    ReverseSaleRequest,
    SaleTerms,
    WriteAuthentication,
    WriteCommands,
    WriteKeyRequest,
    WriteKind,
)
from shared_models.methods.customers import CustomerStatus, PaymentMode
from shared_models.methods.payments import PaymentReceipt, Tender
from shared_models.money import Fen
from shared_models.rules.hall_time import business_date

#: A result row of this module's queries (their columns are named where the query is).
DbRow = Any

_KIND: Final = {CardType.BLANK: CardKind.BLANK, CardType.OPENING: CardKind.OPENING,
                CardType.PURCHASE: CardKind.PURCHASE, CardType.REPLACEMENT: CardKind.REPLACEMENT,
                CardType.PRESET: CardKind.PRESET}
#: Write kinds that are a purchase with money of its own (keyed by customer and count).
_MONEY_KINDS: Final = (WriteKind.OPENING.value, WriteKind.SALE.value)


# -- the card as read ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class ReadFiles:
    """The card's four files decoded (the return file None when empty) and the wallet's bytes as read."""

    info: CardInfo
    parameters: ParameterFile
    wallet: WalletFile
    returned: ReturnFile | None
    wallet_bytes: bytes
    parameter_bytes: bytes

    @property
    def blank(self) -> bool:
        """Never opened: blank parameters, a zero wallet, an empty return file."""
        return (self.parameters.card_type is CardType.BLANK and not any(self.wallet_bytes)
                and self.returned is None)


def decode_files(files: CardFiles) -> ReadFiles:
    """Decode the four files strictly; any malformed one is CARD_UNREADABLE naming the field."""
    try:
        raw = {name: bytes.fromhex(getattr(files, name)) for name in ("info", "parameters", "wallet", "returned")}
        return ReadFiles(info=CardInfo.decode(raw["info"]), parameters=ParameterFile.decode(raw["parameters"]),
                         wallet=WalletFile.decode(raw["wallet"]), returned=ReturnFile.decode(raw["returned"]),
                         wallet_bytes=raw["wallet"], parameter_bytes=raw["parameters"])
    except CardFormatError as exc:
        raise AppError(ErrorCode.CARD_UNREADABLE, field=exc.what, problem=exc.fault.value) from None
    except ValueError:  # pragma: no cover - the contract's pattern admits only hex
        raise AppError(ErrorCode.CARD_UNREADABLE, field="files", problem="hex") from None


def _keys(ctx: CallContext) -> CardKeys:
    try:
        return CardKeys.for_context(ctx)
    except CardKeyError:
        raise AppError(ErrorCode.CARD_KEYS_UNAVAILABLE, key_version=0) from None


def _wallet_intact(keys: CardKeys, card: ReadFiles) -> bool:
    """The wallet's MAC checks out (a blank card's all-zero wallet needs none)."""
    if card.blank:
        return True
    try:
        return keys.wallet_intact(card.info, card.wallet)
    except CardKeyError:
        raise AppError(ErrorCode.CARD_KEYS_UNAVAILABLE, key_version=card.info.key_version) from None


def _seal(keys: CardKeys, info: CardInfo, *, amount_fen: int, count: int) -> WalletFile:
    try:
        return keys.sealed_wallet(info, amount_fen=amount_fen, purchase_count=count)
    except CardKeyError:
        raise AppError(ErrorCode.CARD_KEYS_UNAVAILABLE, key_version=info.key_version) from None


def card_customer_no(customer_no: str) -> str:
    """The 12 digits a card carries for a 户号: 10 digits zero-padded on the left; 13 digits do not fit."""
    if len(customer_no) > 12:
        raise AppError(ErrorCode.CARD_CUSTOMER_UNFIT, customer_no=customer_no, meter_no="")
    return customer_no.rjust(12, "0")


def card_meter_no(asset_no: str, customer_no: str) -> str:
    """The 12-digit 表号 of a meter: the last 12 digits of its asset number."""
    if len(asset_no) < 12 or not asset_no.isascii() or not asset_no[-12:].isdigit():
        raise AppError(ErrorCode.CARD_CUSTOMER_UNFIT, customer_no=customer_no, meter_no=asset_no)
    return asset_no[-12:]


# -- the books of one customer ------------------------------------------------------------------------------------

_OUTCOME = aliased(CardWriteOutcome, name="o")
_OUTCOME_BY = aliased(User, name="ob")


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class CustomerCards:
    """What the books hold about a customer's cards: the current card, every write (oldest first), the last
    return file seen."""

    customer_id: int
    customer_no: str
    current: DbRow | None
    writes: list[DbRow]
    last_return: CardReturn | None

    @property
    def pending(self) -> DbRow | None:
        """The write without an outcome (at most one: the database holds it)."""
        return next((w for w in self.writes if w.outcome is None), None)

    @property
    def system_count(self) -> int:
        """The highest purchase count of the customer's writes not reversed (pending included), 0 when none: a
        reversed purchase never reached the meter, so its count goes to the next sale."""
        return max((int(w.purchase_count) for w in self.writes if w.outcome != WriteOutcome.REVERSED.value),
                   default=0)

    @property
    def newest_id(self) -> int | None:
        """The id of the newest write (the one the next write follows)."""
        return int(self.writes[-1].id) if self.writes else None


_WRITES: Final = (
    select(CardWrite.id, CardWrite.card_id, CardWrite.purchase_count, CardWrite.kind, CardWrite.payment_id,
           CardWrite.paid_fen, CardWrite.deducted_fen, CardWrite.write_amount_fen, CardWrite.wallet,
           CardWrite.parameters, CardWrite.meter_no, CardWrite.prepared_at, CardWrite.carries_write_id,
           Card.serial, Card.key_version, _OUTCOME.outcome, _OUTCOME.at.label("outcome_at"),
           _OUTCOME.rewrite, User.display_name.label("prepared_by_name"),
           Counter.code.label("counter_code"), Payment.receipt_no,
           _OUTCOME_BY.display_name.label("outcome_by"))
    .join(Card, Card.id == CardWrite.card_id)
    .join(User, User.id == CardWrite.prepared_by)
    .join(Counter, Counter.id == CardWrite.counter_id)
    .outerjoin(_OUTCOME, _OUTCOME.write_id == CardWrite.id)
    .outerjoin(_OUTCOME_BY, _OUTCOME_BY.id == _OUTCOME.by_user)
    .outerjoin(Payment, Payment.id == CardWrite.payment_id)
)


def load_cards(ctx: CallContext, customer_id: int, customer_no: str) -> CustomerCards:
    """The customer's cards and writes as the books hold them."""
    s = ctx.session
    current = s.execute(
        select(Card.id, Card.serial, Card.key_version, Card.kind, Card.issued_at)
        .where(Card.customer_id == customer_id, ~exists().where(CardRetirement.card_id == Card.id))
        .order_by(Card.id.desc()).limit(1)).one_or_none()
    writes = s.execute(_WRITES.where(CardWrite.customer_id == customer_id).order_by(CardWrite.id)).all()
    last_return = s.execute(
        select(CardReturn).where(CardReturn.customer_id == customer_id)
        .order_by(CardReturn.written_at.desc(), CardReturn.id.desc()).limit(1)).scalar_one_or_none()
    return CustomerCards(customer_id=customer_id, customer_no=customer_no, current=current, writes=list(writes),
                         last_return=last_return)


def _pending_view(w: DbRow, customer_no: str, *, on_card: bool = False) -> PendingWriteView:
    return PendingWriteView(
        customer_no=customer_no, purchase_count=int(w.purchase_count), kind=WriteKind(w.kind),
        write_amount_fen=int(w.write_amount_fen), paid_fen=int(w.paid_fen), receipt_no=w.receipt_no,
        serial=bytes(w.serial).hex().upper(), prepared_at=w.prepared_at, cashier_name=w.prepared_by_name,
        counter_code=w.counter_code, on_card=on_card)


def _purchase_view(w: DbRow, customer_no: str) -> PurchaseView:
    outcome = WriteOutcome(w.outcome) if w.outcome is not None else None
    state = (PurchaseState.WRITTEN if outcome is WriteOutcome.WRITTEN
             else PurchaseState.REVERSED if outcome is WriteOutcome.REVERSED else PurchaseState.PENDING)
    return PurchaseView(
        customer_no=customer_no, purchase_count=int(w.purchase_count), kind=WriteKind(w.kind), state=state,
        serial=bytes(w.serial).hex().upper(), paid_fen=int(w.paid_fen), write_amount_fen=int(w.write_amount_fen),
        receipt_no=w.receipt_no, prepared_at=w.prepared_at, prepared_by=w.prepared_by_name,
        written_at=w.outcome_at if outcome is WriteOutcome.WRITTEN else None,
        written_by=w.outcome_by if outcome is WriteOutcome.WRITTEN else None,
        rewritten=bool(w.rewrite) if outcome is WriteOutcome.WRITTEN else False,
        reversed_at=w.outcome_at if outcome is WriteOutcome.REVERSED else None)


def _return_view(r: ReturnFile | CardReturn | None) -> ReturnView | None:
    if r is None:
        return None
    return ReturnView(remaining_fen=r.remaining_fen, purchase_count=r.purchase_count, overdraft_fen=r.overdraft_fen,
                      illegal_inserts=r.illegal_inserts, written_at=r.written_at)


def _record_return(ctx: CallContext, *, customer_id: int, card_id: int, returned: ReturnFile | None) -> None:
    """Keep a return file seen on the customer's card (once per card, time and count)."""
    if returned is None:
        return
    ctx.session.execute(pg_insert(CardReturn).values(
        customer_id=customer_id, card_id=card_id, meter_no=returned.meter_no, remaining_fen=returned.remaining_fen,
        purchase_count=returned.purchase_count, overdraft_fen=returned.overdraft_fen,
        illegal_inserts=returned.illegal_inserts, written_at=returned.written_at, seen_at=ctx.now,
        seen_by=ctx.require_actor().user_id,
    ).on_conflict_do_nothing())


# -- judging a card -----------------------------------------------------------------------------------------------


@dataclasses.dataclass(kw_only=True, slots=True)
class Judgement:
    """A card judged against the books: its standing, whose, the sale terms or the refusal."""

    standing: CardStanding
    customer: DbRow | None
    books: CustomerCards | None
    card_row: DbRow | None
    retired_on: dt.date | None = None
    pending_on_card: bool = False
    sale: SaleTerms | None = None
    refusal: AppError | None = None


_CUSTOMER: Final = select(Customer.id, Customer.customer_no, Customer.name, Customer.address, Customer.status,
                          Customer.payment_mode)


def _customer_by_no(ctx: CallContext, customer_no: str) -> DbRow:
    row = ctx.session.execute(_CUSTOMER.where(Customer.customer_no == customer_no)).one_or_none()
    if row is None:
        raise AppError(ErrorCode.CUSTOMER_NOT_FOUND, customer_no=customer_no)
    return row


def _meter(ctx: CallContext, customer_id: int) -> DbRow | None:
    """The customer's meter in service (the newest installed), or None."""
    return ctx.session.execute(
        select(Meter.asset_no, Meter.multiplier).where(Meter.customer_id == customer_id, Meter.removed_on.is_(None))
        .order_by(Meter.installed_on.desc(), Meter.id.desc()).limit(1)).one_or_none()


def _hoarding_limit(ctx: CallContext) -> int:
    return min(ctx.settings.card_hoarding_limit_fen, MAX_AMOUNT_FEN)


def _sale_terms(ctx: CallContext, *, next_count: int, remaining: int, arrears: int) -> SaleTerms:
    limit = _hoarding_limit(ctx)
    most = max(0, min(ctx.settings.card_max_sale_fen, MAX_AMOUNT_FEN - remaining, limit - remaining))
    return SaleTerms(next_purchase_count=next_count, min_fen=ctx.settings.card_min_sale_fen, max_fen=most + arrears,
                     arrears_fen=arrears, hoarding_limit_fen=limit, remaining_fen=remaining)


def judge(ctx: CallContext, keys: CardKeys, card: ReadFiles, *, customer_no: str | None,
          arrears: CustomerBills | None = None) -> Judgement:
    """Whose card this is and whether a sale may be made onto it now (the refusal otherwise)."""
    s = ctx.session
    serial = card.info.serial
    row = s.execute(
        select(Card.id, Card.customer_id, Card.serial, Card.key_version, Card.kind, CardRetirement.retired_at)
        .outerjoin(CardRetirement, CardRetirement.card_id == Card.id).where(Card.serial == serial)).one_or_none()
    serial_hex = serial.hex().upper()
    if row is None:
        if card.parameters.card_type is CardType.PRESET:
            return Judgement(standing=CardStanding.UNKNOWN, customer=None, books=None, card_row=None,
                             refusal=AppError(ErrorCode.CARD_PRESET, serial=serial_hex))
        if card.blank:
            refusal = AppError(ErrorCode.CARD_BLANK, customer_no=customer_no or "")
            return Judgement(standing=CardStanding.BLANK, customer=None, books=None, card_row=None, refusal=refusal)
        return Judgement(standing=CardStanding.UNKNOWN, customer=None, books=None, card_row=None,
                         refusal=AppError(ErrorCode.CARD_UNKNOWN, serial=serial_hex))
    customer = s.execute(_CUSTOMER.where(Customer.id == row.customer_id)).one()
    books = load_cards(ctx, customer.id, customer.customer_no)
    j = Judgement(standing=CardStanding.CURRENT, customer=customer, books=books, card_row=row)
    if row.retired_at is not None:
        j.standing = CardStanding.RETIRED
        j.retired_on = business_date(row.retired_at)
        j.refusal = AppError(ErrorCode.CARD_RETIRED, serial=serial_hex, retired_on=j.retired_on.isoformat())
        return j
    pending = books.pending
    if pending is not None and bytes(pending.serial) == serial:
        j.pending_on_card = card.wallet_bytes == bytes(pending.wallet)
    if customer_no is not None and customer.customer_no != customer_no:
        j.refusal = AppError(ErrorCode.CARD_OTHER_CUSTOMER, serial=serial_hex, customer_no=customer_no,
                             card_customer_no=customer.customer_no)
        return j
    j.refusal = _sale_refusal(ctx, keys, card, j)
    if j.refusal is None:
        bills = arrears if arrears is not None else load_bills(s, customer_id=customer.id, on=business_date(ctx.now))
        remaining = card.returned.remaining_fen if card.returned is not None else 0
        j.sale = _sale_terms(ctx, next_count=books.system_count + 1, remaining=remaining, arrears=bills.due_fen)
        if j.sale.max_fen - j.sale.arrears_fen < j.sale.min_fen:
            j.refusal = AppError(ErrorCode.CARD_HOARDING_LIMIT, remaining_fen=remaining, amount_fen=j.sale.min_fen,
                                 limit_fen=j.sale.hoarding_limit_fen)
            j.sale = None
    return j


def _sale_refusal(ctx: CallContext, keys: CardKeys, card: ReadFiles, j: Judgement) -> AppError | None:  # noqa: PLR0911
    """Why no sale may be made onto the customer's current card now, or None."""
    assert j.books is not None
    assert j.customer is not None
    books, customer = j.books, j.customer
    serial_hex = card.info.serial.hex().upper()
    if customer.status == CustomerStatus.CLOSED.value:
        return AppError(ErrorCode.CUSTOMER_CLOSED, customer_no=customer.customer_no)
    if customer.payment_mode != PaymentMode.PREPAID_CARD.value:
        return AppError(ErrorCode.CARD_NOT_PREPAID, customer_no=customer.customer_no,
                        payment_mode=str(customer.payment_mode))
    pending = books.pending
    if pending is not None:
        return AppError(ErrorCode.CARD_PENDING_WRITE, customer_no=customer.customer_no,
                        purchase_count=int(pending.purchase_count))
    if not _wallet_intact(keys, card):
        return AppError(ErrorCode.CARD_WALLET_MAC_BAD, serial=serial_hex)
    if card.parameters.card_type is CardType.BLANK:
        return AppError(ErrorCode.CARD_BLANK, customer_no=customer.customer_no)
    system = books.system_count
    if card.wallet.purchase_count != system:
        return AppError(ErrorCode.CARD_COUNT_MISMATCH, card_count=card.wallet.purchase_count, system_count=system)
    if card.returned is None:
        return AppError(ErrorCode.CARD_PURCHASE_NOT_INSERTED, serial=serial_hex, purchase_count=system)
    meter = _meter(ctx, customer.id)
    if meter is None:
        return AppError(ErrorCode.CARD_NO_METER, customer_no=customer.customer_no)
    meter_no = meter.asset_no[-12:]
    if card.returned.meter_no != meter_no:
        return AppError(ErrorCode.CARD_METER_MISMATCH, card_meter_no=card.returned.meter_no, meter_no=meter_no)
    if card.returned.purchase_count != system:
        return AppError(ErrorCode.CARD_COUNT_MISMATCH, card_count=card.returned.purchase_count, system_count=system)
    return None


def _payload(error: AppError) -> ErrorPayload:
    return ErrorPayload(code=error.code, params=error.params)


# -- card.read_card -----------------------------------------------------------------------------------------------


def read_card(*, ctx: CallContext, req: ReadCardRequest) -> CardView:
    """What the card is and what may be done with it (writes nothing)."""
    card = decode_files(req.files)
    keys = _keys(ctx)
    j = judge(ctx, keys, card, customer_no=req.customer_no)
    customer, books = j.customer, j.books
    if j.standing is CardStanding.BLANK and req.customer_no is not None:
        # a blank card for an open customer: opening (no card yet) or replacement (a card already)
        target = _customer_by_no(ctx, req.customer_no)
        target_books = load_cards(ctx, target.id, target.customer_no)
        pending = target_books.pending
        if pending is not None:
            j.refusal = AppError(ErrorCode.CARD_PENDING_WRITE, customer_no=target.customer_no,
                                 purchase_count=int(pending.purchase_count))
    meter_no = None
    if customer is not None:
        meter = _meter(ctx, customer.id)
        meter_no = meter.asset_no[-12:] if meter is not None else None
    pending_view = None
    if books is not None and books.pending is not None:
        pending_view = _pending_view(books.pending, books.customer_no, on_card=j.pending_on_card)
    returned = card.returned if card.returned is not None else (books.last_return if books is not None else None)
    return CardView(
        serial=card.info.serial.hex().upper(), key_version=card.info.key_version,
        kind=_KIND[card.parameters.card_type], standing=j.standing,
        customer_no=customer.customer_no if customer is not None else None,
        customer_name=customer.name if customer is not None else None,
        address=customer.address if customer is not None else None, meter_no=meter_no,
        wallet_amount_fen=card.wallet.amount_fen, wallet_count=card.wallet.purchase_count,
        system_count=books.system_count if books is not None else None, returned=_return_view(returned),
        pending=pending_view, sale=j.sale if j.refusal is None else None,
        refusal=_payload(j.refusal) if j.refusal is not None else None,
    )


# -- the money: one payment in the cashier's shift ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Booked:
    """A card payment as written: its id, the shift, the arrears settled from it."""

    payment_id: int
    shift_id: int
    deducted_fen: int


def _lock(ctx: CallContext, *, customer_no: str, receipt_no: str) -> tuple[DbRow, tuple[dt.date, int]]:
    """The customer locked like a payment locks it (``payments.lock_payer``), with the receipt number's checks."""
    receipt_day, receipt_seq = check_receipt_no(ctx, receipt_no, today=business_date(ctx.now), offline=False)
    head = lock_payer(ctx, customer_no=customer_no, receipt_no=receipt_no, receipt_day=receipt_day,
                      receipt_seq=receipt_seq)
    return head, (receipt_day, receipt_seq)


def _book_payment(ctx: CallContext, head: DbRow, *, receipt_no: str, tenders: list[Tender],
                  bills: CustomerBills | None, local_time: dt.datetime | None) -> Booked:
    """Write the payment: tenders, and (``bills``) the arrears settled by the quote rule; never 预收."""
    actor = ctx.require_actor()
    totals = tender_totals(tenders)
    due = bills.due_fen if bills is not None else 0
    paid_bills: list[Any] = []
    if bills is not None and due > 0:
        paid_bills = bills_paid(bills, quote_for(bills, customer_no=head.customer_no, customer_name=head.name,
                                                 amount_fen=due))
    prepayment = bills.prepayment_fen if bills is not None else 0
    params = {
        "receipt_no": receipt_no, "customer_id": head.id, "shift_id": int(head.shift_id), "user_id": actor.user_id,
        "counter_id": actor.counter_id, "now": ctx.now, "local_time": local_time, "amount_fen": totals.paid_fen,
        "due_fen": due, "tendered_fen": totals.tendered_fen, "change_fen": totals.change_fen,
        "prepayment_before_fen": prepayment, "prepayment_after_fen": prepayment, "to_prepayment_fen": 0,
        "redirected_fen": 0, "accepted_offline": False, "idempotency_key": ctx.idempotency_key or "",
        "as_of": business_date(ctx.now), "as_of_rule": None, "tenders": json.dumps(tender_rows(tenders)),
        "allocations": json.dumps(allocation_rows(paid_bills)),
        "entries": json.dumps(ledger_entries(paid_bills, prepayment_fen=0)),
    }
    payment_id = write_payment(ctx, params)
    return Booked(payment_id=payment_id, shift_id=int(head.shift_id), deducted_fen=due)


def _insert_write(ctx: CallContext, *, customer_id: int, card_id: int, count: int, kind: WriteKind,
                  booked: Booked | None, paid: int, deducted: int, amount: int, card_fen: int, fee_fen: int,
                  wallet: WalletFile, parameters: ParameterFile | None, meter_no: str, follows: int | None,
                  carries: int | None = None, shift_id: int | None = None) -> int:
    """The pending write; a concurrent pending write of the customer is CARD_PENDING_WRITE (the constraint)."""
    actor = ctx.require_actor()
    row = CardWrite(customer_id=customer_id, card_id=card_id, purchase_count=count, kind=kind.value,
                    payment_id=booked.payment_id if booked is not None else None, paid_fen=paid, deducted_fen=deducted,
                    write_amount_fen=amount, card_fen=card_fen, fee_fen=fee_fen, wallet=wallet.encode(),
                    parameters=parameters.encode() if parameters is not None else None, meter_no=meter_no,
                    prepared_at=ctx.now, prepared_by=actor.user_id, counter_id=actor.counter_id,
                    shift_id=booked.shift_id if booked is not None else shift_id, follows_write_id=follows,
                    carries_write_id=carries)
    try:
        with ctx.session.begin_nested():
            ctx.session.add(row)
            ctx.session.flush()
    except IntegrityError as exc:
        name = constraint_name(exc) or ""
        if name in {"uq_card_writes_one_pending", "fk_card_writes_follows_write_id"}:
            raise AppError(ErrorCode.CARD_PENDING_WRITE, customer_no=ctx_customer_no(ctx, customer_id),
                           purchase_count=count) from None
        raise
    return int(row.id)


def ctx_customer_no(ctx: CallContext, customer_id: int) -> str:
    """The 户号 of a customer id."""
    return str(ctx.session.scalar(select(Customer.customer_no).where(Customer.id == customer_id)))


def _receipt(ctx: CallContext, receipt_no: str) -> PaymentReceipt:
    return rebuild_receipt(ctx, find_receipt(ctx, receipt_no))


def _check_customer_for_card(ctx: CallContext, head: DbRow) -> tuple[str, str, DbRow]:
    """A prepaid-card customer with a meter: (card customer number, meter number, meter)."""
    if head.payment_mode != PaymentMode.PREPAID_CARD.value:
        raise AppError(ErrorCode.CARD_NOT_PREPAID, customer_no=head.customer_no, payment_mode=str(head.payment_mode))
    meter = _meter(ctx, head.id)
    if meter is None:
        raise AppError(ErrorCode.CARD_NO_METER, customer_no=head.customer_no)
    return card_customer_no(head.customer_no), card_meter_no(meter.asset_no, head.customer_no), meter


def _parameters(ctx: CallContext, kind: CardType, *, meter_no: str, customer_no: str, meter: DbRow
                ) -> ParameterFile:
    return ParameterFile(card_type=kind, meter_no=meter_no, customer_no=customer_no,
                         ct_ratio=max(1, min(int(meter.multiplier), 9_999)), pt_ratio=1,
                         alarm1_fen=ctx.settings.card_alarm1_fen, alarm2_fen=ctx.settings.card_alarm2_fen)


def _check_write_amount(ctx: CallContext, *, amount: int, remaining: int) -> None:
    if amount < ctx.settings.card_min_sale_fen:
        raise AppError(ErrorCode.CARD_AMOUNT_BELOW_MIN, amount_fen=amount, min_fen=ctx.settings.card_min_sale_fen)
    most = min(ctx.settings.card_max_sale_fen, MAX_AMOUNT_FEN - remaining)
    if amount > most:
        raise AppError(ErrorCode.CARD_AMOUNT_ABOVE_MAX, amount_fen=amount, max_fen=most)
    limit = _hoarding_limit(ctx)
    if remaining + amount > limit:
        raise AppError(ErrorCode.CARD_HOARDING_LIMIT, remaining_fen=remaining, amount_fen=amount, limit_fen=limit)


# -- card.prepare_sale ----------------------------------------------------------------------------------------------


def prepare_sale(*, ctx: CallContext, req: PrepareSaleRequest) -> PreparedWrite:
    """购电: the arrears settled first, the rest recorded as the pending write of ``purchase_count``."""
    totals = tender_totals(req.tenders)
    check_amount(ctx, totals.paid_fen)
    local_time = local_time_utc(ctx, req.local_time, offline=False)
    card = decode_files(req.files)
    head, _ = _lock(ctx, customer_no=req.customer_no, receipt_no=req.receipt_no)
    customer_no12, meter_no, meter = _check_customer_for_card(ctx, head)
    keys = _keys(ctx)
    bills = load_bills(ctx.session, customer_id=head.id, on=business_date(ctx.now))
    j = judge(ctx, keys, card, customer_no=req.customer_no, arrears=bills)
    if j.refusal is not None:
        raise j.refusal
    assert j.sale is not None
    assert j.books is not None
    assert j.card_row is not None
    if req.purchase_count != j.sale.next_purchase_count:
        raise AppError(ErrorCode.CARD_COUNT_MISMATCH, card_count=req.purchase_count,
                       system_count=j.sale.next_purchase_count - 1)
    if bills.due_fen != req.quoted_arrears_fen:
        raise AppError(ErrorCode.DUE_CHANGED, quoted_fen=req.quoted_arrears_fen, due_fen=bills.due_fen)
    amount = totals.paid_fen - bills.due_fen
    if amount <= 0:
        raise AppError(ErrorCode.CARD_NOTHING_TO_WRITE, amount_fen=totals.paid_fen, arrears_fen=bills.due_fen)
    _check_write_amount(ctx, amount=amount, remaining=j.sale.remaining_fen)
    _record_return(ctx, customer_id=head.id, card_id=int(j.card_row.id), returned=card.returned)
    booked = _book_payment(ctx, head, receipt_no=req.receipt_no, tenders=req.tenders, bills=bills,
                           local_time=local_time)
    count = req.purchase_count
    wallet = _seal(keys, card.info, amount_fen=amount, count=count)
    # an opening or replacement card becomes a purchase card with its first sale (a card-type change: the meter
    # takes an opening card only with count 0 or 1), its other parameters as the books issued them
    parameters = None
    if card.parameters.card_type is not CardType.PURCHASE:
        parameters = _parameters(ctx, CardType.PURCHASE, meter_no=meter_no, customer_no=customer_no12, meter=meter)
    _insert_write(ctx, customer_id=head.id, card_id=int(j.card_row.id), count=count, kind=WriteKind.SALE,
                  booked=booked, paid=totals.paid_fen, deducted=booked.deducted_fen, amount=amount, card_fen=amount,
                  fee_fen=0, wallet=wallet, parameters=parameters, meter_no=meter_no, follows=j.books.newest_id)
    _audit_prepared(ctx, req.customer_no, count, WriteKind.SALE, card.info.serial, paid=totals.paid_fen,
                    deducted=booked.deducted_fen, amount=amount, receipt_no=req.receipt_no)
    return PreparedWrite(customer_no=req.customer_no, purchase_count=count, kind=WriteKind.SALE,
                         serial=card.info.serial.hex().upper(), paid_fen=totals.paid_fen,
                         deducted_fen=booked.deducted_fen, write_amount_fen=amount,
                         needs_authentication=parameters is not None, receipt=_receipt(ctx, req.receipt_no))


def _audit_prepared(ctx: CallContext, customer_no: str, count: int, kind: WriteKind, serial: bytes, *, paid: int,
                    deducted: int, amount: int, receipt_no: str | None, **extra: Any) -> None:
    ctx.record(target=f"card_write:{customer_no}:{count}", after={
        "kind": kind.value, "serial": serial.hex().upper(), "purchase_count": count, "paid_fen": paid,
        "deducted_fen": deducted, "write_amount_fen": amount, "receipt_no": receipt_no, "state": "pending", **extra})


# -- card.open_card -------------------------------------------------------------------------------------------------


def _require_blank(ctx: CallContext, card: ReadFiles) -> None:
    serial_hex = card.info.serial.hex().upper()
    if card.parameters.card_type is CardType.PRESET:
        raise AppError(ErrorCode.CARD_PRESET, serial=serial_hex)
    taken = ctx.session.scalar(select(Card.id).where(Card.serial == card.info.serial))
    if not card.blank or card.wallet.purchase_count != 0 or taken is not None:
        raise AppError(ErrorCode.CARD_NOT_BLANK, serial=serial_hex)


def _issue_card(ctx: CallContext, *, customer_id: int, card: ReadFiles, kind: IssuedKind) -> int:
    row = Card(customer_id=customer_id, serial=card.info.serial, key_version=card.info.key_version, kind=kind,
               issued_at=ctx.now, issued_by=ctx.require_actor().user_id)
    try:
        with ctx.session.begin_nested():
            ctx.session.add(row)
            ctx.session.flush()
    except IntegrityError:
        raise AppError(ErrorCode.CARD_NOT_BLANK, serial=card.info.serial.hex().upper()) from None
    return int(row.id)


def open_card(*, ctx: CallContext, req: OpenCardRequest) -> PreparedWrite:
    """开户: a blank card registered to the customer, its first purchase (count 1) recorded as pending write."""
    totals = tender_totals(req.tenders)
    check_amount(ctx, totals.paid_fen)
    local_time = local_time_utc(ctx, req.local_time, offline=False)
    card = decode_files(req.files)
    head, _ = _lock(ctx, customer_no=req.customer_no, receipt_no=req.receipt_no)
    customer_no12, meter_no, meter = _check_customer_for_card(ctx, head)
    books = load_cards(ctx, head.id, head.customer_no)
    if books.current is not None:
        raise AppError(ErrorCode.CARD_ALREADY_ISSUED, customer_no=req.customer_no,
                       serial=bytes(books.current.serial).hex().upper())
    if books.pending is not None:
        raise AppError(ErrorCode.CARD_PENDING_WRITE, customer_no=req.customer_no,
                       purchase_count=int(books.pending.purchase_count))
    _require_blank(ctx, card)
    keys = _keys(ctx)
    bills = load_bills(ctx.session, customer_id=head.id, on=business_date(ctx.now))
    if bills.due_fen != req.quoted_arrears_fen:
        raise AppError(ErrorCode.DUE_CHANGED, quoted_fen=req.quoted_arrears_fen, due_fen=bills.due_fen)
    amount = totals.paid_fen - bills.due_fen
    if amount <= 0:
        raise AppError(ErrorCode.CARD_NOTHING_TO_WRITE, amount_fen=totals.paid_fen, arrears_fen=bills.due_fen)
    _check_write_amount(ctx, amount=amount, remaining=0)
    count = 1
    parameters = _parameters(ctx, CardType.OPENING, meter_no=meter_no, customer_no=customer_no12, meter=meter)
    wallet = _seal(keys, card.info, amount_fen=amount, count=count)
    card_id = _issue_card(ctx, customer_id=head.id, card=card, kind=IssuedKind.OPENING)
    booked = _book_payment(ctx, head, receipt_no=req.receipt_no, tenders=req.tenders, bills=bills,
                           local_time=local_time)
    _insert_write(ctx, customer_id=head.id, card_id=card_id, count=count, kind=WriteKind.OPENING, booked=booked,
                  paid=totals.paid_fen, deducted=booked.deducted_fen, amount=amount, card_fen=amount, fee_fen=0,
                  wallet=wallet, parameters=parameters, meter_no=meter_no, follows=books.newest_id)
    ctx.record(target=f"card:{card.info.serial.hex().upper()}", after={
        "event": "issued", "kind": IssuedKind.OPENING.value, "customer_no": req.customer_no,
        "key_version": card.info.key_version})
    _audit_prepared(ctx, req.customer_no, count, WriteKind.OPENING, card.info.serial, paid=totals.paid_fen,
                    deducted=booked.deducted_fen, amount=amount, receipt_no=req.receipt_no)
    return PreparedWrite(customer_no=req.customer_no, purchase_count=count, kind=WriteKind.OPENING,
                         serial=card.info.serial.hex().upper(), paid_fen=totals.paid_fen,
                         deducted_fen=booked.deducted_fen, write_amount_fen=amount, needs_authentication=True,
                         receipt=_receipt(ctx, req.receipt_no))


# -- card.replace_card ----------------------------------------------------------------------------------------------


def replace_card(*, ctx: CallContext, req: ReplaceCardRequest) -> PreparedWrite:
    """补卡: a blank card replaces the current one (retired now), the fee a 业务费 receipt, and the last purchase
    (its count and amount, sealed for the new serial) carried as the pending write; a pending write of the old card
    is superseded by it. The meter credits the carried purchase only if it never did (the count rule)."""
    totals = tender_totals(req.tenders)
    fee = ctx.settings.card_replacement_fee_fen
    if totals.paid_fen < fee:
        raise AppError(ErrorCode.CARD_AMOUNT_BELOW_MIN, amount_fen=totals.paid_fen, min_fen=fee)
    if totals.paid_fen > fee:
        raise AppError(ErrorCode.CARD_AMOUNT_ABOVE_MAX, amount_fen=totals.paid_fen, max_fen=fee)
    local_time = local_time_utc(ctx, req.local_time, offline=False)
    card = decode_files(req.files)
    head, _ = _lock(ctx, customer_no=req.customer_no, receipt_no=req.receipt_no)
    customer_no12, meter_no, meter = _check_customer_for_card(ctx, head)
    books = load_cards(ctx, head.id, head.customer_no)
    old = books.current
    if old is None:
        raise AppError(ErrorCode.CARD_NONE_ISSUED, customer_no=req.customer_no)
    _require_blank(ctx, card)
    keys = _keys(ctx)
    # the purchase carried: the newest write that is not reversed (a pending one too: it is superseded)
    carried = next((w for w in reversed(books.writes) if w.outcome != WriteOutcome.REVERSED.value), None)
    count = int(carried.purchase_count) if carried is not None else 0
    amount = int(carried.write_amount_fen) if carried is not None else 0
    parameters = _parameters(ctx, CardType.REPLACEMENT, meter_no=meter_no, customer_no=customer_no12, meter=meter)
    wallet = _seal(keys, card.info, amount_fen=amount, count=count)
    pending = books.pending
    if pending is not None:
        ctx.session.add(CardWriteOutcome(write_id=int(pending.id), outcome=WriteOutcome.SUPERSEDED, at=ctx.now,
                                         by_user=ctx.require_actor().user_id, counter_id=ctx.require_actor().counter_id,
                                         rewrite=False, card_wallet=None, reason=req.reason.strip()))
        ctx.session.flush()
    new_id = _issue_card(ctx, customer_id=head.id, card=card, kind=IssuedKind.REPLACEMENT)
    ctx.session.add(CardRetirement(card_id=int(old.id), retired_at=ctx.now, retired_by=ctx.require_actor().user_id,
                                   reason=req.reason.strip(), replaced_by=new_id))
    ctx.session.flush()
    booked = _book_payment(ctx, head, receipt_no=req.receipt_no, tenders=req.tenders, bills=None,
                           local_time=local_time)
    _insert_write(ctx, customer_id=head.id, card_id=new_id, count=count, kind=WriteKind.REPLACEMENT, booked=booked,
                  paid=totals.paid_fen, deducted=fee, amount=amount, card_fen=0, fee_fen=fee, wallet=wallet,
                  parameters=parameters, meter_no=meter_no, follows=books.newest_id,
                  carries=int(carried.id) if carried is not None else None)
    old_hex, new_hex = bytes(old.serial).hex().upper(), card.info.serial.hex().upper()
    ctx.record(target=f"card:{old_hex}", before={"state": "current"},
               after={"state": "retired", "replaced_by": new_hex, "reason": req.reason.strip()})
    ctx.record(target=f"card:{new_hex}", after={"event": "issued", "kind": IssuedKind.REPLACEMENT.value,
                                                "customer_no": req.customer_no, "replaces": old_hex})
    _audit_prepared(ctx, req.customer_no, count, WriteKind.REPLACEMENT, card.info.serial, paid=totals.paid_fen,
                    deducted=fee, amount=amount, receipt_no=req.receipt_no,
                    superseded=int(pending.purchase_count) if pending is not None else None)
    return PreparedWrite(customer_no=req.customer_no, purchase_count=count, kind=WriteKind.REPLACEMENT,
                         serial=new_hex, paid_fen=totals.paid_fen, deducted_fen=fee, write_amount_fen=amount,
                         needs_authentication=True, receipt=_receipt(ctx, req.receipt_no))


# -- writing: authentication, commands, confirmation ----------------------------------------------------------------


def _pending_for(ctx: CallContext, req: WriteKeyRequest) -> DbRow:
    customer = _customer_by_no(ctx, req.customer_no)
    books = load_cards(ctx, customer.id, customer.customer_no)
    pending = books.pending
    serial = bytes.fromhex(req.serial)
    if pending is None or int(pending.purchase_count) != req.purchase_count or bytes(pending.serial) != serial:
        owner = ctx.session.scalar(
            select(Customer.customer_no).join(Card, Card.customer_id == Customer.id).where(Card.serial == serial))
        if owner is not None and owner != req.customer_no:
            raise AppError(ErrorCode.CARD_OTHER_CUSTOMER, serial=req.serial.upper(), customer_no=req.customer_no,
                           card_customer_no=owner)
        raise AppError(ErrorCode.CARD_NO_PENDING_WRITE, customer_no=req.customer_no,
                       purchase_count=req.purchase_count)
    return pending


def authenticate_write(*, ctx: CallContext, req: WriteKeyRequest) -> WriteAuthentication:
    """The EXTERNAL AUTHENTICATE cryptogram for the customer's pending write on that card."""
    pending = _pending_for(ctx, req)
    keys = _keys(ctx)
    info = CardInfo(serial=bytes(pending.serial), key_version=int(pending.key_version))
    try:
        cryptogram = keys.external_cryptogram(info, challenge=bytes.fromhex(req.challenge))
    except CardKeyError:
        raise AppError(ErrorCode.CARD_KEYS_UNAVAILABLE, key_version=info.key_version) from None
    return WriteAuthentication(cryptogram=cryptogram.hex().upper())


def get_write_commands(*, ctx: CallContext, req: WriteKeyRequest) -> WriteCommands:
    """The MAC'd UPDATE BINARY commands of the pending write (return file cleared, parameters, wallet)."""
    pending = _pending_for(ctx, req)
    keys = _keys(ctx)
    info = CardInfo(serial=bytes(pending.serial), key_version=int(pending.key_version))
    parameters = ParameterFile.decode(bytes(pending.parameters)) if pending.parameters is not None else None
    plan = write_plan(parameters=parameters, wallet=WalletFile.decode(bytes(pending.wallet)))
    try:
        commands = keys.write_commands(info, challenge=bytes.fromhex(req.challenge), plan=plan)
    except CardKeyError:
        raise AppError(ErrorCode.CARD_KEYS_UNAVAILABLE, key_version=info.key_version) from None
    return WriteCommands(commands=[c.encode().hex().upper() for c in commands])


def confirm_write(*, ctx: CallContext, req: ConfirmWriteRequest) -> PurchaseView:
    """Mark the pending write written once the card read back holds exactly its wallet (and parameters); a write
    already confirmed with the card still holding it answers as confirmed (a lost answer's repeat)."""
    card = decode_files(req.files)
    customer = ctx.session.execute(
        _CUSTOMER.where(Customer.customer_no == req.customer_no).with_for_update(key_share=True)).one_or_none()
    if customer is None:
        raise AppError(ErrorCode.CUSTOMER_NOT_FOUND, customer_no=req.customer_no)
    books = load_cards(ctx, customer.id, customer.customer_no)
    pending = books.pending
    serial = card.info.serial
    if pending is None or int(pending.purchase_count) != req.purchase_count:
        done = next((w for w in reversed(books.writes) if int(w.purchase_count) == req.purchase_count
                     and w.outcome == WriteOutcome.WRITTEN.value and bytes(w.serial) == serial
                     and bytes(w.wallet) == card.wallet_bytes), None)
        if done is not None:
            return _purchase_view(done, req.customer_no)
        raise AppError(ErrorCode.CARD_NO_PENDING_WRITE, customer_no=req.customer_no,
                       purchase_count=req.purchase_count)
    if bytes(pending.serial) != serial:
        owner = ctx.session.scalar(
            select(Customer.customer_no).join(Card, Card.customer_id == Customer.id).where(Card.serial == serial))
        if owner is not None and owner != req.customer_no:
            raise AppError(ErrorCode.CARD_OTHER_CUSTOMER, serial=serial.hex().upper(), customer_no=req.customer_no,
                           card_customer_no=owner)
        raise AppError(ErrorCode.CARD_WRITE_NOT_ON_CARD, purchase_count=req.purchase_count)
    on_card = card.wallet_bytes == bytes(pending.wallet) and (
        pending.parameters is None or card.parameter_bytes == bytes(pending.parameters))
    if not on_card:
        raise AppError(ErrorCode.CARD_WRITE_NOT_ON_CARD, purchase_count=req.purchase_count)
    actor = ctx.require_actor()
    ctx.session.add(CardWriteOutcome(write_id=int(pending.id), outcome=WriteOutcome.WRITTEN, at=ctx.now,
                                     by_user=actor.user_id, counter_id=actor.counter_id, rewrite=req.rewrite,
                                     card_wallet=card.wallet_bytes, reason=None))
    ctx.session.flush()
    _record_return(ctx, customer_id=customer.id, card_id=int(pending.card_id), returned=card.returned)
    ctx.record(target=f"card_write:{req.customer_no}:{req.purchase_count}", before={"state": "pending"},
               after={"state": "written", "rewrite": req.rewrite, "serial": serial.hex().upper(),
                      "kind": pending.kind, "write_amount_fen": int(pending.write_amount_fen)})
    written = ctx.session.execute(_WRITES.where(CardWrite.id == pending.id)).one()
    return _purchase_view(written, req.customer_no)


# -- card.reverse_sale ----------------------------------------------------------------------------------------------


def reverse_sale(*, ctx: CallContext, req: ReverseSaleRequest) -> ReverseResult:
    """冲正 of a card sale the meter has not credited, co-signed: the payment voided (``voids``) and

    * the card does not hold the purchase (wallet count below it, return count below it): the pending write is
      marked reversed;
    * the card holds it and its return file is empty (the meter has not seen it): a CANCEL write (amount 0, the same
      count) becomes the pending write, to be written before the customer leaves (``cancel_write``);
    * otherwise CARD_REVERSAL_REFUSED (the refund workflow). Only the customer's newest purchase, a sale, of the
      caller's open shift and day (the void's rules) is reversed."""
    actor = ctx.require_actor()
    cosigner = ctx.cosigner
    if cosigner is None:
        raise AppError(ErrorCode.COSIGN_REQUIRED)
    card = decode_files(req.files)
    customer = ctx.session.execute(
        _CUSTOMER.where(Customer.customer_no == req.customer_no).with_for_update(key_share=True)).one_or_none()
    if customer is None:
        raise AppError(ErrorCode.CUSTOMER_NOT_FOUND, customer_no=req.customer_no)
    books = load_cards(ctx, customer.id, customer.customer_no)
    n = req.purchase_count

    def refuse(reason: str) -> AppError:
        return AppError(ErrorCode.CARD_REVERSAL_REFUSED, purchase_count=n, reason=reason)

    target = next((w for w in reversed(books.writes) if int(w.purchase_count) == n and w.kind in _MONEY_KINDS), None)
    if target is None or target.kind != WriteKind.SALE.value:
        raise refuse("not_a_sale")
    if n != books.system_count or target.id != books.newest_id:
        raise refuse("not_the_last_purchase")
    if target.outcome is not None and target.outcome != WriteOutcome.WRITTEN.value:
        raise refuse(str(target.outcome))
    if bytes(target.serial) != card.info.serial:
        raise refuse("other_card")
    returned = card.returned
    holds = card.wallet_bytes == bytes(target.wallet)
    if not holds and card.wallet.purchase_count < n and (returned is None or returned.purchase_count < n):
        if target.outcome is not None:  # confirmed written, yet the card does not hold it: the meter took it
            raise refuse("credited")
        cancel = False
    elif holds and returned is None:
        cancel = True
    else:
        raise refuse("credited")
    receipt_no = str(target.receipt_no)
    voided = voids.void_card_payment(ctx, receipt_no=receipt_no, reason=req.reason)
    if target.outcome is None:
        ctx.session.add(CardWriteOutcome(write_id=int(target.id), outcome=WriteOutcome.REVERSED, at=ctx.now,
                                         by_user=actor.user_id, counter_id=actor.counter_id, rewrite=False,
                                         card_wallet=card.wallet_bytes, reason=req.reason.strip()))
        ctx.session.flush()
    if cancel:
        keys = _keys(ctx)
        wallet = _seal(keys, card.info, amount_fen=0, count=n)
        _insert_write(ctx, customer_id=customer.id, card_id=int(target.card_id), count=n, kind=WriteKind.CANCEL,
                      booked=None, paid=0, deducted=0, amount=0, card_fen=0, fee_fen=0, wallet=wallet,
                      parameters=None, meter_no=str(target.meter_no), follows=int(target.id),
                      carries=int(target.id), shift_id=None)
    ctx.record(target=f"card_write:{req.customer_no}:{n}", before={"state": target.outcome or "pending"},
               after={"state": "reversed", "receipt_no": receipt_no, "cancel_write": cancel,
                      "cosigned_by": cosigner.username, "reason": req.reason.strip()})
    return ReverseResult(customer_no=req.customer_no, purchase_count=n, amount_fen=Fen(voided.amount_fen),
                         receipt_no=receipt_no, reversed_at=ctx.now, cosigned_by=voided.cosigned_by,
                         cancel_write=cancel)


# -- history and the pending list -----------------------------------------------------------------------------------


def get_history(*, ctx: CallContext, req: CardCustomerRequest) -> CardHistory:
    """A customer's cards (newest first), purchases (newest first), the pending write and the last return file."""
    customer = _customer_by_no(ctx, req.customer_no)
    books = load_cards(ctx, customer.id, customer.customer_no)
    cards = ctx.session.execute(
        select(Card.serial, Card.kind, Card.issued_at, CardRetirement.retired_at, CardRetirement.reason)
        .outerjoin(CardRetirement, CardRetirement.card_id == Card.id)
        .where(Card.customer_id == customer.id).order_by(Card.id.desc())).all()
    latest_kind = {}
    for w in books.writes:
        latest_kind[bytes(w.serial)] = w
    records = []
    for c in cards:
        w = latest_kind.get(bytes(c.serial))
        kind = CardKind.BLANK
        if w is not None and w.parameters is not None:
            kind = _KIND[ParameterFile.decode(bytes(w.parameters)).card_type]
        elif c.kind == IssuedKind.REPLACEMENT:
            kind = CardKind.REPLACEMENT
        elif w is not None:
            kind = CardKind.OPENING
        records.append(CardRecord(serial=bytes(c.serial).hex().upper(), kind=kind, issued_at=c.issued_at,
                                  retired_at=c.retired_at, retire_reason=c.reason))
    pending = books.pending
    return CardHistory(
        customer_no=customer.customer_no, cards=records,
        purchases=[_purchase_view(w, customer.customer_no) for w in reversed(books.writes)],
        pending=_pending_view(pending, customer.customer_no) if pending is not None else None,
        last_return=_return_view(books.last_return))


def list_pending(*, ctx: CallContext, req: PendingListRequest) -> PendingList:
    """Every pending write of the caller's hall, oldest first."""
    actor = ctx.require_actor()
    hall = ctx.session.scalar(select(Counter.hall_id).where(Counter.id == actor.counter_id))
    rows = ctx.session.execute(
        _WRITES.add_columns(Customer.customer_no)
        .join(Customer, Customer.id == CardWrite.customer_id)
        .where(_OUTCOME.write_id.is_(None), Customer.hall_id == hall)
        .order_by(CardWrite.prepared_at, CardWrite.id).limit(req.limit)).all()
    return PendingList(items=[_pending_view(r, r.customer_no) for r in rows])


def card_status(ctx: CallContext, customer_id: int) -> str | None:
    """The 360 view's one-line card status (``CustomerOverview.card_status``), documented in
    docs/card-sales-server.md: None for a customer without a card; ``pending:<count>`` while a write is pending;
    ``card:<serial>:<count>`` with the current card and the books' purchase count; ``retired`` when every card of
    the customer is retired."""
    has_card = ctx.session.scalar(select(exists().where(Card.customer_id == customer_id)))
    if not has_card:
        return None
    no = ctx_customer_no(ctx, customer_id)
    books = load_cards(ctx, customer_id, no)
    if books.pending is not None:
        return f"pending:{int(books.pending.purchase_count)}"
    if books.current is None:
        return "retired"
    return f"card:{bytes(books.current.serial).hex().upper()}:{books.system_count}"

