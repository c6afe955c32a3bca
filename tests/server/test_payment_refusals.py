"""Payments refused or repeated: each bad input gets its code and changes nothing; replays and races
book a payment once; what the hot path costs in SQL statements."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from server.models.payments import Payment
from tests.factories import CLOSED, COMMERCIAL, LI_XIUYING, ZHANG_WEI, World
from tests.rpc_helpers import Answer, Caller
from tests.server.payment_helpers import TODAY, assert_books, cash, counts, other, pay, quote, receipt, start


def _refused(caller: Caller, db: Session, tenders: list[dict[str, Any]], **kwargs: Any) -> Answer:
    """Pay ``tenders`` to 张伟, expecting a refusal that leaves every table as it was."""
    before = counts(db)
    answer = pay(caller, kwargs.pop("customer_no", ZHANG_WEI), tenders, seq=kwargs.pop("seq", 1), **kwargs)
    assert answer.status >= 400, answer.body
    assert counts(db) == before
    return answer


class TestBadInput:
    @pytest.mark.parametrize("amount", [0, -100])
    def test_amount_not_positive(self, caller: Caller, db: Session, amount: int) -> None:
        """A payment of zero or less, or a zero or negative part of a mixed one, is AMOUNT_NOT_POSITIVE (the
        contract says ``minimum: 1``; the code stays the one the counter explains)."""
        start(caller)
        assert _refused(caller, db, [cash(amount, 0)]).code == "AMOUNT_NOT_POSITIVE"
        assert _refused(caller, db, [other("qr", amount)]).code == "AMOUNT_NOT_POSITIVE"
        assert _refused(caller, db, [cash(500), other("bank_card", amount, "POS-1")]).code == "AMOUNT_NOT_POSITIVE"

    def test_float_amount(self, caller: Caller, db: Session) -> None:
        """Yuan as a float never reaches the service: FEN_NOT_INTEGER."""
        start(caller)
        answer = _refused(caller, db, [{"method": "cash", "amount_fen": 100.0, "cash_handed_fen": 100}])
        assert (answer.code, answer.params["field"]) == ("FEN_NOT_INTEGER", "tenders.0.amount_fen")

    def test_cash_tendered_too_low(self, caller: Caller, db: Session) -> None:
        """Less cash handed over than the cash part is refused with both amounts."""
        start(caller)
        answer = _refused(caller, db, [cash(10_000, 9_999)])
        assert (answer.code, answer.params) == ("CASH_TENDERED_TOO_LOW", {"handed_fen": 9_999, "cash_fen": 10_000})

    @pytest.mark.parametrize(("tenders", "code", "method"), [
        ([other("bank_card", 100, "")], "TENDER_REFERENCE_REQUIRED", "bank_card"),
        ([other("cheque", 100, "   ")], "TENDER_REFERENCE_REQUIRED", "cheque"),
        ([{"method": "qr", "amount_fen": 100, "cash_handed_fen": 100, "reference": "WX-1"}], "TENDER_INVALID", "qr"),
        ([cash(100), cash(200)], "TENDER_INVALID", "cash"),
    ], ids=["card-no-ref", "cheque-blank-ref", "qr-with-cash", "cash-twice"])
    def test_bad_tenders(
        self, caller: Caller, db: Session, tenders: list[dict[str, Any]], code: str, method: str
    ) -> None:
        """Each method once, above zero, with its reference; only cash carries cash handed over."""
        start(caller)
        answer = _refused(caller, db, tenders)
        assert (answer.code, answer.params) == (code, {"method": method})

    def test_unknown_and_closed_customers(self, caller: Caller, db: Session) -> None:
        """No payment for a customer that does not exist or whose account is closed."""
        start(caller)
        unknown = _refused(caller, db, [cash(100)], customer_no="3301999999", quoted=0)
        assert (unknown.code, unknown.params) == ("CUSTOMER_NOT_FOUND", {"customer_no": "3301999999"})
        closed = _refused(caller, db, [cash(100)], customer_no=CLOSED, quoted=2690)
        assert (closed.code, closed.params) == ("CUSTOMER_CLOSED", {"customer_no": CLOSED})

    def test_no_open_shift(self, caller: Caller, db: Session) -> None:
        """A cashier without an open shift at this counter takes no payment."""
        caller.login("cashier1")
        assert _refused(caller, db, [cash(100)]).code == "NO_OPEN_SHIFT"

    @pytest.mark.parametrize("receipt_no", [
        receipt(1, counter="T0102"), receipt(1, day=TODAY + dt.timedelta(days=1)),
        receipt(1, day=TODAY - dt.timedelta(days=1)),
    ], ids=["other-counter", "tomorrow", "yesterday-online"])
    def test_receipt_number_of_another_counter_or_day(self, caller: Caller, db: Session, receipt_no: str) -> None:
        """A receipt number names this counter and today (China time)."""
        start(caller)
        answer = _refused(caller, db, [cash(100)], receipt_no=receipt_no)
        assert (answer.code, answer.params) == ("RECEIPT_NO_INVALID", {"receipt_no": receipt_no})

    def test_receipt_number_of_the_china_day(self, caller: Caller, clock: Any) -> None:
        """At 23:30 UTC it is already the next day in China, and receipts carry that date."""
        clock.advance(dt.timedelta(hours=14, minutes=30))
        start(caller)
        assert pay(caller, ZHANG_WEI, [cash(100)], seq=1).code == "RECEIPT_NO_INVALID"
        next_day = receipt(1, day=TODAY + dt.timedelta(days=1))
        assert pay(caller, ZHANG_WEI, [cash(100)], seq=1, receipt_no=next_day).status == 200


class TestPaidElsewhere:
    def _paid_at_another_counter(self, caller: Caller) -> int:
        """张伟's quote at T0101, then 张伟 pays everything at T0102; returns the stale quoted due."""
        start(caller)
        stale = int(quote(caller, ZHANG_WEI)["due_fen"])
        other_counter = Caller(caller.dispatcher, counter="T0102")
        start(other_counter, "cashier2")
        assert pay(other_counter, ZHANG_WEI, [cash(stale)], seq=1).status == 200
        return stale

    def test_due_changed(self, caller: Caller, db: Session) -> None:
        """Confirming a stale quote is DUE_CHANGED with both amounts, and nothing is written."""
        stale = self._paid_at_another_counter(caller)
        answer = _refused(caller, db, [cash(stale)], quoted=stale)
        assert (answer.code, answer.params) == ("DUE_CHANGED", {"quoted_fen": stale, "due_fen": 0})

    def test_offline_payment_goes_to_prepayment(self, caller: Caller, db: Session, world: World) -> None:
        """An offline payment replayed after the bills were paid elsewhere is kept, as prepayment."""
        stale = self._paid_at_another_counter(caller)
        answer = pay(caller, ZHANG_WEI, [cash(stale)], seq=1, quoted=stale, offline=True)
        assert answer.status == 200, answer.body
        r = answer.body
        assert (r["due_fen"], r["bills"], r["accepted_offline"]) == (0, [], True)
        assert r["redirected_to_prepayment_fen"] == r["prepayment_after_fen"] - r["prepayment_before_fen"] == stale
        assert assert_books(db, world.customers[ZHANG_WEI]) == (0, stale)

    def test_offline_redirect_is_what_the_bills_no_longer_take(self, caller: Caller, db: Session) -> None:
        """Only the part meant for bills paid meanwhile is redirected; a surplus the customer meant as
        prepayment anyway is not."""
        start(caller)
        full = quote(caller, ZHANG_WEI)
        oldest = full["lines"][0]
        other_counter = Caller(caller.dispatcher, counter="T0102")
        start(other_counter, "cashier2")
        oldest_due = oldest["principal_open_fen"] + oldest["late_fee_fen"]
        assert pay(other_counter, ZHANG_WEI, [cash(oldest_due)], seq=1).status == 200
        surplus = 700
        r = pay(caller, ZHANG_WEI, [cash(full["due_fen"] + surplus)], seq=1, quoted=full["due_fen"],
                offline=True).body
        assert (r["due_fen"], r["redirected_to_prepayment_fen"]) == (full["due_fen"] - oldest_due, oldest_due)
        assert r["prepayment_after_fen"] - r["prepayment_before_fen"] == oldest_due + surplus

    def test_offline_replay_after_midnight(self, caller: Caller, clock: Any) -> None:
        """An offline receipt numbered yesterday is accepted today; never one of tomorrow."""
        start(caller)
        clock.advance(dt.timedelta(days=1))
        caller.login("cashier1")  # the session timed out; yesterday's shift is still open
        yesterday = receipt(7)
        assert pay(caller, ZHANG_WEI, [cash(100)], seq=7, receipt_no=yesterday).code == "RECEIPT_NO_INVALID"
        assert pay(caller, ZHANG_WEI, [cash(100)], seq=7, receipt_no=yesterday, offline=True).status == 200


class TestOnce:
    def test_replay_returns_the_first_receipt(self, caller: Caller, db: Session) -> None:
        """The same idempotency key again returns the first receipt and books nothing more."""
        start(caller)
        key = str(uuid.uuid4())
        first = pay(caller, ZHANG_WEI, [cash(1_000)], seq=1, key=key)
        after_first = counts(db)
        again = pay(caller, ZHANG_WEI, [cash(1_000)], seq=1, key=key, quoted=first.body["due_fen"])
        assert (again.status, again.body) == (200, first.body)
        assert counts(db) == after_first
        assert after_first["payments"] == 1

    def test_double_submit_with_a_new_key(self, caller: Caller, db: Session) -> None:
        """The same receipt number under a second key is RECEIPT_NO_TAKEN and changes nothing."""
        start(caller)
        due = quote(caller, ZHANG_WEI)["due_fen"]
        assert pay(caller, ZHANG_WEI, [cash(1_000)], seq=1, quoted=due).status == 200
        answer = _refused(caller, db, [cash(1_000)], quoted=due - 1_000)
        assert (answer.code, answer.params) == ("RECEIPT_NO_TAKEN", {"receipt_no": receipt(1)})

    def test_two_counters_at_once(self, caller: Caller, db: Session, world: World) -> None:
        """Two counters confirming the same due at the same moment: the customer lock lets one pay and
        the other sees the changed due; the bills are never paid twice."""
        start(caller)
        second = Caller(caller.dispatcher, counter="T0102")
        start(second, "cashier2")
        due = quote(caller, COMMERCIAL)["due_fen"]
        barrier = threading.Barrier(2)
        answers: dict[str, Answer] = {}

        def run(who: Caller) -> None:
            barrier.wait()
            answers[who.counter] = pay(who, COMMERCIAL, [other("qr", due, f"WX-{who.counter}")], seq=1, quoted=due)

        threads = [threading.Thread(target=run, args=(c,)) for c in (caller, second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert sorted(a.code or "ok" for a in answers.values()) == ["DUE_CHANGED", "ok"]
        assert len(db.scalars(select(Payment)).all()) == 1
        assert assert_books(db, world.customers[COMMERCIAL]) == (0, 0)

    def test_one_receipt_number_for_two_customers_at_once(self, caller: Caller, db: Session) -> None:
        """Two payments racing with one receipt number (different customers, so no common customer
        lock): one is booked, the other is RECEIPT_NO_TAKEN, never an internal error."""
        start(caller)
        dues = {no: quote(caller, no)["due_fen"] for no in (ZHANG_WEI, COMMERCIAL)}
        barrier = threading.Barrier(2)
        answers: list[Answer] = []

        def run(customer_no: str) -> None:
            barrier.wait()
            answers.append(pay(caller, customer_no, [other("qr", 100, "WX-9")], seq=5, quoted=dues[customer_no]))

        threads = [threading.Thread(target=run, args=(no,)) for no in (ZHANG_WEI, COMMERCIAL)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert sorted(a.code or "ok" for a in answers) == ["RECEIPT_NO_TAKEN", "ok"]
        assert counts(db)["payments"] == 1


@pytest.fixture
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements sent on ``engine`` while the test runs."""
    seen: list[str] = []

    def on_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", on_execute)
    yield seen
    event.remove(engine, "before_cursor_execute", on_execute)


def test_statements_per_payment(caller: Caller, statements: list[str]) -> None:
    """A payment costs a small, fixed number of statements whatever it pays: the session and key, lock
    the customer, the open shift (lock, then closed?), read the bills, write payment, tenders,
    allocations and ledger in one statement, then the audit record and the stored response."""
    start(caller)
    shapes = [
        (LI_XIUYING, [cash(100)]),  # no bill: all prepayment
        (ZHANG_WEI, [cash(20_000, 30_000), other("bank_card", 1_000, "POS-1"), other("qr", 1_000, "WX-1"),
                     other("cheque", 100_000, "CHQ-1")]),  # two bills and prepayment
    ]
    used = []
    for seq, (customer_no, tenders) in enumerate(shapes, start=1):
        due = quote(caller, customer_no)["due_fen"]
        statements.clear()
        assert pay(caller, customer_no, tenders, seq=seq, quoted=due).status == 200
        used.append(len(statements))
    assert used[0] == used[1] <= 11, "\n---\n".join(s[:200] for s in statements)
