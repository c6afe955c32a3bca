"""A payment accepted offline is allocated with the late fee to the day the customer paid (至交纳日止): the
counter's day when its taken-at time keeps the rules, else the replay day with an attention item carrying both
dates. In every case the receipt the counter printed offline (built from its quote, as the desk builds it)
equals the ledger's allocation to the fen."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from client.core.cashier import offline_receipt
from server.clock import FixedClock
from server.rpc.dispatch import Dispatcher
from shared_models.methods.payments import PaymentReceipt, Quote, Tender, TenderMethod
from shared_models.rules.receipt_numbers import make_receipt_no
from shared_models.rules.receipts import ReceiptHeader
from tests.factories import CHINA, COMMERCIAL, ZHANG_WEI, World
from tests.rpc_helpers import Caller
from tests.server.payment_helpers import assert_books, cash, pay, permille_fee, quote, start, to_fen
from tests.server.shift_helpers import signed_in

HEADER = ReceiptHeader(hall_name="测试营业厅", counter_code="T0101", cashier_name="cashier1", shift_no="",
                       address="地址")


def _move_to(clock: FixedClock, moment: dt.datetime) -> None:
    """Move the server's clock forward to ``moment``."""
    assert moment >= clock.now()
    clock.advance(moment - clock.now())


def _china(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=CHINA)


class Counter:
    """What the counter does: quote (the server's figures for the server's day at that moment, as a quote
    taken just before the link dropped, or a cache computing for that day, gives them), take a receipt number
    of its outbox's day (its own clock), print the offline receipt (``offline_receipt``, as the desk does),
    and later replay the request."""

    def __init__(self, caller: Caller, customer_no: str, *, taken_at: dt.datetime, seq: int = 1) -> None:
        self.caller = caller
        self.customer_no = customer_no
        self.taken_at = taken_at
        self.quote = Quote.model_validate_json(json.dumps(quote(caller, customer_no)))  # as the wire brings it
        self.receipt_no = make_receipt_no("T0101", taken_at.astimezone(CHINA).date(), seq)
        self.key = str(uuid.uuid4())
        amount = self.quote.due_fen
        self.receipt = offline_receipt(
            quote=self.quote, receipt_no=self.receipt_no, header=HEADER, local_time=taken_at,
            tenders=[Tender(method=TenderMethod.CASH, amount_fen=amount, cash_handed_fen=amount)])

    def replay(self) -> dict[str, Any]:
        """The outbox sends the payment when the link is back (the session is new: signed in again)."""
        self.caller.login("cashier1")
        answer = pay(self.caller, self.customer_no, [cash(self.quote.due_fen)], seq=0, quoted=self.quote.due_fen,
                     key=self.key, offline=True, receipt_no=self.receipt_no, local_time=self.taken_at.isoformat())
        assert answer.status == 200, answer.body
        return answer.body


def _ledger(db: Session, receipt_no: str) -> list[tuple[str, int, int]]:
    """Per bill, from the books: (bill, late fee paid, fee + principal paid); checks the LATE_FEE entries agree."""
    db.expire_all()
    rows = db.execute(text(
        """
        SELECT b.bill_no, a.late_fee_fen, a.late_fee_fen + a.principal_fen,
               (SELECT coalesce(-sum(e.amount_fen), 0) FROM ledger_entries e
                WHERE e.payment_id = p.id AND e.bill_id = b.id AND e.kind = 'late_fee') AS fee_entries
        FROM payments p JOIN payment_allocations a ON a.payment_id = p.id JOIN bills b ON b.id = a.bill_id
        WHERE p.receipt_no = :r ORDER BY a.id
        """), {"r": receipt_no}).all()
    assert all(r[1] == r[3] for r in rows)
    return [(r[0], int(r[1]), int(r[2])) for r in rows]


def _printed(receipt: PaymentReceipt) -> list[tuple[str, int, int]]:
    return [(b.bill_no, b.late_fee_fen, b.paid_fen) for b in receipt.bills]


def _agree(db: Session, counter: Counter, booked: dict[str, Any]) -> None:
    """The counter's receipt equals the ledger and the server's receipt, to the fen."""
    assert _printed(counter.receipt) == _ledger(db, counter.receipt_no)
    server = PaymentReceipt.model_validate_json(json.dumps(booked))
    assert [(b.bill_no, b.principal_fen, b.late_fee_fen, b.paid_fen) for b in server.bills] == [
        (b.bill_no, b.principal_fen, b.late_fee_fen, b.paid_fen) for b in counter.receipt.bills]
    assert (server.due_fen, server.paid_fen, server.prepayment_after_fen, server.redirected_to_prepayment_fen) == (
        counter.receipt.due_fen, counter.receipt.paid_fen, counter.receipt.prepayment_after_fen, 0)


def _as_of(db: Session, receipt_no: str) -> tuple[dt.date, str | None]:
    row = db.execute(text("SELECT late_fee_as_of, late_fee_as_of_rule FROM payments WHERE receipt_no = :r"),
                     {"r": receipt_no}).one()
    return row[0], row[1]


def _attention(dispatcher: Dispatcher, key: str) -> list[dict[str, Any]]:
    supervisor = signed_in(dispatcher, "super1", "T0102")
    answer = supervisor.call("sync.list_attention", {})
    assert answer.status == 200, answer.body
    return [i for i in answer.body["items"] if i["item_key"] == key]


class TestWithinTheRules:
    def test_replayed_days_later(self, caller: Caller, clock: FixedClock, db: Session, dispatcher: Dispatcher,
                                 world: World) -> None:
        """Taken offline on 11-23, replayed on 11-26: the late fee runs to 11-23, not to the replay day."""
        start(caller)
        counter = Counter(caller, ZHANG_WEI, taken_at=clock.now())
        _move_to(clock, clock.now() + dt.timedelta(days=3))
        caller.login("cashier1")
        replay_day_due = quote(caller, ZHANG_WEI)["due_fen"]
        assert replay_day_due > counter.quote.due_fen  # three more days of fee had it been booked as of today
        booked = counter.replay()
        _agree(db, counter, booked)
        assert _as_of(db, counter.receipt_no) == (dt.date(2026, 11, 23), None)
        assert _attention(dispatcher, counter.key) == []
        assert assert_books(db, world.customers[ZHANG_WEI]) == (0, 0)
        again = caller.call("payment.get_receipt", {"receipt_no": counter.receipt_no})
        assert (again.status, again.body) == (200, booked)  # rebuilt with the fee to the same day

    def test_across_a_month_end(self, caller: Caller, clock: FixedClock, db: Session) -> None:
        """Taken on 11-30, replayed on 12-02: November's last day is the as-of day."""
        _move_to(clock, _china(dt.date(2026, 11, 30), 10))
        start(caller)
        counter = Counter(caller, ZHANG_WEI, taken_at=_china(dt.date(2026, 11, 30), 11))
        _move_to(clock, _china(dt.date(2026, 12, 2), 9))
        booked = counter.replay()
        _agree(db, counter, booked)
        assert _as_of(db, counter.receipt_no) == (dt.date(2026, 11, 30), None)

    def test_across_a_year_end(self, caller: Caller, clock: FixedClock, db: Session, world: World) -> None:
        """A commercial customer's bill of 2026 taken on 12-31 and replayed on 01-03 pays 2 ‰ only: the 3 ‰
        of arrears carried across the year end starts on 1 January, after the customer paid."""
        _move_to(clock, _china(dt.date(2026, 12, 31), 9))
        start(caller)
        counter = Counter(caller, COMMERCIAL, taken_at=_china(dt.date(2026, 12, 31), 16, 30))
        _move_to(clock, _china(dt.date(2027, 1, 3), 9))
        booked = counter.replay()
        _agree(db, counter, booked)
        sep = next(b for b in counter.receipt.bills if b.bill_no == f"202609-{COMMERCIAL}")
        days_2026 = (dt.date(2026, 12, 31) - dt.date(2026, 10, 24)).days
        assert sep.late_fee_fen == to_fen(permille_fee(sep.principal_fen, days_2026, "2"))
        assert _as_of(db, counter.receipt_no) == (dt.date(2026, 12, 31), None)
        assert assert_books(db, world.customers[COMMERCIAL]) == (0, 0)

    def test_cross_year_rate_to_the_counters_day(self, caller: Caller, clock: FixedClock, db: Session) -> None:
        """Taken on 01-02, replayed on 01-05: the 2026 bill pays 2 ‰ to 12-31 and 3 ‰ for two days of 2027."""
        _move_to(clock, _china(dt.date(2027, 1, 2), 9))
        start(caller)
        counter = Counter(caller, COMMERCIAL, taken_at=_china(dt.date(2027, 1, 2), 10))
        _move_to(clock, _china(dt.date(2027, 1, 5), 9))
        booked = counter.replay()
        _agree(db, counter, booked)
        sep = next(b for b in counter.receipt.bills if b.bill_no == f"202609-{COMMERCIAL}")
        exact = (permille_fee(sep.principal_fen, (dt.date(2026, 12, 31) - dt.date(2026, 10, 24)).days, "2")
                 + permille_fee(sep.principal_fen, 2, "3"))
        assert sep.late_fee_fen == to_fen(exact)
        assert _as_of(db, counter.receipt_no) == (dt.date(2027, 1, 2), None)

    def test_counter_a_little_ahead_past_midnight(self, caller: Caller, clock: FixedClock, db: Session,
                                                  dispatcher: Dispatcher) -> None:
        """A counter 9 minutes ahead (within the 10-minute allowance) says 01-01 00:04 when the server says
        12-31 23:55: the counter computed its fee for 01-01 (3 ‰ from that day on), and the server books the
        same day; nothing for the supervisor."""
        _move_to(clock, _china(dt.date(2026, 12, 31), 23, 50))
        start(caller)
        _move_to(clock, _china(dt.date(2027, 1, 1), 0, 4))  # the counter's figures for its own day
        counter = Counter(caller, COMMERCIAL, taken_at=clock.now())
        clock.advance(-dt.timedelta(minutes=9))  # the server's clock is 9 minutes behind the counter's
        booked = counter.replay()
        _agree(db, counter, booked)
        assert _as_of(db, counter.receipt_no) == (dt.date(2027, 1, 1), None)
        assert _attention(dispatcher, counter.key) == []


class TestOutsideTheRules:
    def _listed(self, dispatcher: Dispatcher, counter: Counter, *, rule: str, as_of: dt.date) -> None:
        items = _attention(dispatcher, counter.key)
        assert [(i["kind"], i["as_of_rule"], i["taken_on"], i["late_fee_as_of"], i["receipt_no"]) for i in items] == [
            ("late_fee_day", rule, counter.taken_at.astimezone(CHINA).date().isoformat(), as_of.isoformat(),
             counter.receipt_no)]

    def test_counter_clock_days_ahead(self, caller: Caller, clock: FixedClock, db: Session,
                                      dispatcher: Dispatcher) -> None:
        """A counter whose clock runs three days ahead quotes online, then the link drops: its time is in the
        server's future, so the fee runs to the server's day, the day of the quote it printed; listed with both
        dates."""
        start(caller)
        counter = Counter(caller, ZHANG_WEI, taken_at=clock.now() + dt.timedelta(days=3))
        booked = counter.replay()
        _agree(db, counter, booked)
        assert _as_of(db, counter.receipt_no) == (dt.date(2026, 11, 23), "in_the_future")
        self._listed(dispatcher, counter, rule="in_the_future", as_of=dt.date(2026, 11, 23))

    def test_counter_clock_days_behind(self, caller: Caller, clock: FixedClock, db: Session,
                                       dispatcher: Dispatcher) -> None:
        """A counter whose clock runs two days behind quotes online, then the link drops: by its clock the
        payment was taken before its shift opened, so the fee runs to the server's day, the quote's; listed with
        both dates."""
        start(caller)
        counter = Counter(caller, ZHANG_WEI, taken_at=clock.now() - dt.timedelta(days=2))
        booked = counter.replay()
        _agree(db, counter, booked)
        assert _as_of(db, counter.receipt_no) == (dt.date(2026, 11, 23), "before_shift")
        self._listed(dispatcher, counter, rule="before_shift", as_of=dt.date(2026, 11, 23))

    def test_skew_beyond_the_allowance_past_midnight(self, caller: Caller, clock: FixedClock, db: Session,
                                                     dispatcher: Dispatcher) -> None:
        """11 minutes ahead (the allowance is 10) across the year end: the fee runs to 12-31, the server's day,
        without the 3 ‰ of 2027; listed with both dates."""
        _move_to(clock, _china(dt.date(2026, 12, 31), 23, 40))
        start(caller)
        counter = Counter(caller, COMMERCIAL, taken_at=_china(dt.date(2027, 1, 1), 0, 6))
        _move_to(clock, _china(dt.date(2026, 12, 31), 23, 55))
        booked = counter.replay()
        _agree(db, counter, booked)
        assert _as_of(db, counter.receipt_no) == (dt.date(2026, 12, 31), "in_the_future")
        self._listed(dispatcher, counter, rule="in_the_future", as_of=dt.date(2026, 12, 31))

    def test_before_the_shift_opened(self, caller: Caller, clock: FixedClock, db: Session,
                                     dispatcher: Dispatcher) -> None:
        """Three days after the shift opened the counter quotes online and the link drops, its clock three days
        and an hour behind: by that clock the payment was taken before the shift opened, so it is allocated as
        of the server's day, the quote's; listed with both dates."""
        start(caller)
        taken_at = clock.now() - dt.timedelta(hours=1)
        _move_to(clock, clock.now() + dt.timedelta(days=3))
        caller.login("cashier1")
        counter = Counter(caller, ZHANG_WEI, taken_at=taken_at)
        booked = counter.replay()
        _agree(db, counter, booked)
        assert _as_of(db, counter.receipt_no) == (dt.date(2026, 11, 26), "before_shift")
        self._listed(dispatcher, counter, rule="before_shift", as_of=dt.date(2026, 11, 26))

    def test_acknowledged_once(self, caller: Caller, dispatcher: Dispatcher) -> None:
        """A supervisor acknowledges the late-fee-day item once, like every attention item."""
        start(caller)
        counter = Counter(caller, ZHANG_WEI, taken_at=dt.datetime(2026, 11, 27, 9, 0, tzinfo=CHINA))
        counter.replay()
        supervisor = signed_in(dispatcher, "super1", "T0102")
        first = supervisor.call("sync.acknowledge_attention", {"item_key": counter.key, "note": "已电话告知客户"})
        assert first.status == 200, first.body
        assert (first.body["kind"], first.body["acknowledged_by"]) == ("late_fee_day", "super1")
        again = supervisor.call("sync.acknowledge_attention", {"item_key": counter.key, "note": "再次"})
        assert again.code == "ALREADY_ACKNOWLEDGED"


class TestOnline:
    def test_online_payment_is_as_of_the_servers_day(self, caller: Caller, clock: FixedClock, db: Session,
                                                     dispatcher: Dispatcher) -> None:
        """An online payment's fee runs to the server's day (11-24, just past midnight), not to the day of the
        counter's clock (11-23, 40 seconds behind); it is not listed."""
        start(caller)
        _move_to(clock, _china(dt.date(2026, 11, 24), 0, 0) + dt.timedelta(seconds=30))
        caller.login("cashier1")
        key = str(uuid.uuid4())
        answer = pay(caller, ZHANG_WEI, [cash(1_000)], seq=1, key=key, local_time="2026-11-23T23:59:50+08:00",
                     receipt_no=make_receipt_no("T0101", dt.date(2026, 11, 24), 1))
        assert answer.status == 200, answer.body
        assert _as_of(db, answer.body["receipt_no"]) == (dt.date(2026, 11, 24), None)
        assert _attention(dispatcher, key) == []
