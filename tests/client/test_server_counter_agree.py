"""Property: for the same inputs the server and the offline counter give the same answer, to the fen.

Hypothesis draws a customer's open bills with their late-fee inputs (due dates up to 14 months back, so
fees run across a year end; residential and commercial terms; partial payments and fees already charged on
earlier days), an amount (everything due, part of it, or more: prepayment) and tenders (cash with change, a
QR part). The server answers through the real dispatcher on PostgreSQL (``payment.get_quote``, then
``payment.pay_bills``); the counter answers from its customer cache, filled by a real refresh from that
server (``CustomerCache.quote``, then the receipt it prints for a payment accepted offline,
``client.core.cashier.offline_receipt``). The allocation lines, late days and fees, due, prepayment,
change and the receipt's bill and tender lines must agree. The day is the dispatcher's fixed clock; the
counter's business day is the same. The HTTPS wire peer only relays (the network is not under test)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from client.core.cashier import offline_receipt
from client.core.customer_cache.cache import CustomerCache
from client.core.rpc_client import RpcClient
from server.clock import FixedClock
from server.models.customers import Customer, CustomerCategory, CustomerStatus, PaymentMode
from server.models.ledger import EntryKind, LedgerEntry
from server.security import PiiCipher, mask_id_number
from shared_models.methods.payments import PaymentReceipt, Quote, Tender, TenderMethod
from shared_models.rules.hall_time import business_date
from shared_models.rules.receipt_numbers import make_receipt_no
from shared_models.rules.receipts import ReceiptHeader
from tests.client.test_cache_day_change import Relay, cache, relay, rpc  # noqa: F401 - fixtures, used by name
from tests.factories import World, add_bill, china_morning
from tests.rpc_helpers import Caller

#: No example database on disk (other suites run alongside), no deadline (PostgreSQL on a shared machine).
AGREE = settings(max_examples=40, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
HEADER = ReceiptHeader(hall_name="一号营业厅", counter_code="T0101", cashier_name="收费员甲", shift_no="", address="")
_NUMBERS = itertools.count(1)


@st.composite
def _bills(draw: st.DrawFn) -> list[dict[str, Any]]:
    """1 to 3 bills: due some days before (or after) today, with an optional earlier partial payment."""
    bills = []
    for period in sorted(draw(st.sets(st.integers(min_value=0, max_value=13), min_size=1, max_size=3))):
        due_days_ago = draw(st.integers(min_value=-5, max_value=430))
        payment = draw(st.none() | st.tuples(st.integers(min_value=0, max_value=40),  # days after the due date
                                             st.integers(min_value=5, max_value=95),  # percent of the principal
                                             st.integers(min_value=0, max_value=3000)))  # late fee paid with it
        bills.append({"period": period, "kwh": draw(st.integers(min_value=20, max_value=4000)),
                      "due_days_ago": due_days_ago, "payment": payment})
    return bills


def _customer(session: Session, world: World, pii: PiiCipher, *, commercial: bool, prepaid_fen: int,
              bills: list[dict[str, Any]], today: dt.date) -> str:
    """A new customer of hall T01 with ``bills`` booked as the server books them; returns its number."""
    customer_no = f"3302{next(_NUMBERS):06d}"
    category = CustomerCategory.COMMERCIAL if commercial else CustomerCategory.RESIDENTIAL
    tariff = world.tariffs["COM-FLAT" if commercial else "RES-FLAT"]
    id_number = "330106198001019999"
    customer = Customer(customer_no=customer_no, name=f"客户{customer_no[-4:]}", address="浙江省杭州市西湖区",
                        phone="13900000000", id_number_enc=pii.encrypt(id_number),
                        id_number_masked=mask_id_number(id_number), category=category, status=CustomerStatus.ACTIVE,
                        payment_mode=PaymentMode.POSTPAID, tariff_id=tariff.tariff_id, hall_id=world.org["T01"],
                        book_code="T01-B009", book_seq=1)
    session.add(customer)
    session.flush()
    books = World(org=world.org, customers={customer_no: customer.id}, tariffs=world.tariffs)
    if prepaid_fen:
        session.add(LedgerEntry(customer_id=customer.id, kind=EntryKind.PAYMENT, amount_fen=prepaid_fen,
                                posted_at=china_morning(today - dt.timedelta(days=500)), reference="SEED-PRE"))
    for spec in bills:
        due_on = today - dt.timedelta(days=spec["due_days_ago"])
        year, month = divmod(2026 * 12 + 11 - spec["period"], 12)  # distinct periods back from 2026-12
        issued_on = due_on - dt.timedelta(days=20)
        bill = add_bill(session, books, customer_no=customer_no, tariff=tariff, period=year * 100 + month + 1,
                        kwh=f"{spec['kwh']}.00", issued_on=issued_on, due_on=due_on)
        if spec["payment"] is not None:
            after_due, percent, fee = spec["payment"]
            paid_on = min(due_on + dt.timedelta(days=after_due), today - dt.timedelta(days=1))
            if paid_on <= issued_on:
                continue
            principal = max(1, bill.amount_fen * percent // 100)
            # as a counter payment books it: LATE_FEE -fee paid, PAYMENT +(fee + principal) on the bill
            if fee:
                session.add(LedgerEntry(customer_id=customer.id, kind=EntryKind.LATE_FEE, amount_fen=-fee,
                                        bill_id=bill.id, posted_at=china_morning(paid_on), reference="SEED-FEE"))
            session.add(LedgerEntry(customer_id=customer.id, kind=EntryKind.PAYMENT, amount_fen=fee + principal,
                                    bill_id=bill.id, posted_at=china_morning(paid_on), reference="SEED-PAY"))
    session.commit()
    return customer_no


def _server(caller: Caller, method: str, body: dict[str, Any]) -> Any:
    answer = caller.call(method, body)
    assert answer.status == 200, answer.body
    return answer.body


def _quote(caller: Caller, body: dict[str, Any]) -> Quote:
    return Quote.model_validate_json(json.dumps(_server(caller, "payment.get_quote", body)))


def _money(receipt: PaymentReceipt) -> dict[str, Any]:
    """What a receipt says about money and bills (not who printed it, where, or when)."""
    return receipt.model_dump(include={"customer_no", "customer_name", "bills", "due_fen", "paid_fen", "tendered_fen",
                                       "change_fen", "prepayment_before_fen", "prepayment_after_fen", "tenders"})


@dataclass(frozen=True)
class Case:
    """One drawn example: the customer's books, the amount to pay and how it is handed over."""

    bills: list[dict[str, Any]]
    commercial: bool
    prepaid_fen: int
    amount: str  # "all" due, "part" of it, or "more" (prepayment)
    percent: int  # of the due, for "part"
    qr_percent: int  # of the amount paid by QR (the rest in cash)
    change_fen: int  # cash handed over beyond the cash part


_CASES = st.builds(Case, bills=_bills(), commercial=st.booleans(), prepaid_fen=st.sampled_from([0, 0, 1234, 50_000]),
                   amount=st.sampled_from(["all", "part", "more"]), percent=st.integers(min_value=1, max_value=99),
                   qr_percent=st.sampled_from([0, 0, 30, 100]), change_fen=st.sampled_from([0, 0, 1, 4_321]))


@dataclass(frozen=True)
class Sides:
    """The server (dispatcher and database) and the counter (its cache, refreshed from that server)."""

    caller: Caller
    engine: Engine
    world: World
    pii: PiiCipher
    clock: FixedClock
    cache: CustomerCache
    rpc: RpcClient


@pytest.fixture
def sides(*, request: pytest.FixtureRequest, caller: Caller, engine: Engine, world: World, pii: PiiCipher,
          clock: FixedClock) -> Sides:
    """Both sides, cashier1 signed in at T0101 with a shift open: the relay, the counter's client and cache of
    ``test_cache_day_change`` (the cache's business day is the dispatcher's)."""
    relayed: Relay = request.getfixturevalue("relay")
    assert relayed.caller is caller
    return Sides(caller=caller, engine=engine, world=world, pii=pii, clock=clock,
                 cache=request.getfixturevalue("cache"), rpc=request.getfixturevalue("rpc"))


class TestServerAndCounterAgree:
    @AGREE
    @given(case=_CASES)
    def test_quote_and_receipt(self, sides: Sides, case: Case) -> None:
        """The counter's quote from its cache is the server's quote, and the receipt it prints offline for
        the same tenders has the money and lines of the receipt the server books."""
        caller, counter, clock = sides.caller, sides.cache, sides.clock
        today = business_date(clock.now())
        with Session(sides.engine) as session:
            customer_no = _customer(session, sides.world, sides.pii, commercial=case.commercial,
                                    prepaid_fen=case.prepaid_fen, bills=case.bills, today=today)
        counter.refresh(sides.rpc)

        whole = _quote(caller, {"customer_no": customer_no})
        assert counter.quote(customer_no) == whole
        due = whole.due_fen
        amount_fen = {"all": max(due, 1), "part": max(1, due * case.percent // 100), "more": due + 10_000}[case.amount]
        server_quote = _quote(caller, {"customer_no": customer_no, "amount_fen": amount_fen})
        counter_quote = counter.quote(customer_no, amount_fen)
        assert counter_quote == server_quote

        qr = amount_fen * case.qr_percent // 100
        tenders = [Tender(method=TenderMethod.CASH, amount_fen=amount_fen - qr,
                          cash_handed_fen=amount_fen - qr + case.change_fen)] if amount_fen > qr else []
        if qr:
            tenders.append(Tender(method=TenderMethod.QR, amount_fen=qr, reference="WX-1"))
        receipt_no = make_receipt_no("T0101", today, int(_server(caller, "shift.get_current", {})["next_receipt_seq"]))
        booked = PaymentReceipt.model_validate_json(json.dumps(_server(caller, "payment.pay_bills", {
            "customer_no": customer_no, "receipt_no": receipt_no,
            "tenders": [t.model_dump(mode="json") for t in tenders], "quoted_due_fen": due,
            "local_time": clock.now().isoformat(),
        })))
        printed = offline_receipt(quote=counter_quote, tenders=tenders, receipt_no=receipt_no, header=HEADER,
                                  local_time=clock.now())
        assert _money(printed) == _money(booked)
