"""The chaos run's verdict can fail: the item matching finds lost, duplicated, orphan, mismatched and
refused-but-booked payments, and the books check finds a ledger that no longer balances."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, NamedTuple, cast

from sqlalchemy import Engine, Row, select
from sqlalchemy.orm import Session

from client.core.outbox.items import ItemState, OutboxItem
from server.models.ledger import EntryKind, LedgerEntry
from server.models.payments import Payment
from shared_models.ids import IdempotencyKey
from tests.chaos.harness import ChaosResult, balance_problems, match_items, match_receipts
from tests.factories import WANG_FANG, ZHANG_WEI
from tests.rpc_helpers import Caller
from tests.server.payment_helpers import cash, pay, start


class _Payment(NamedTuple):
    id: int
    receipt_no: str
    idempotency_key: str
    customer_no: str
    amount_fen: int


def _item(n: int, state: ItemState, *, amount: int = 1000) -> OutboxItem:
    receipt_no = f"H0101-20261124-{n:05d}"
    return OutboxItem(
        id=n, key=IdempotencyKey(str(uuid.UUID(int=n))), method="payment.pay_bills", body={}, receipt_no=receipt_no,
        counter_code="H0101", username="cashier0101", shift_no="S1", customer_no=WANG_FANG, amount_fen=amount,
        summary={}, created_at=dt.datetime(2026, 11, 24, tzinfo=dt.UTC), offline=False, version=1, state=state,
        attempts=1, last_attempt_at=None, last_error=None, last_error_params={},
        result={"receipt_no": receipt_no, "paid_fen": amount} if state is ItemState.DONE else None,
        server_time=None, answered_at=None, acknowledged_by=None, acknowledged_at=None)


def _booked(pid: int, item: OutboxItem, **changes: Any) -> _Payment:
    assert item.receipt_no is not None
    row = _Payment(id=pid, receipt_no=item.receipt_no, idempotency_key=str(item.key), customer_no=WANG_FANG,
                   amount_fen=item.amount_fen)
    return row._replace(**changes)


class TestMatching:
    def test_every_kind_of_failure_is_counted(self) -> None:
        """One item of each failure next to a sound one: each is counted once, in its own figure."""
        sound, lost, twice, refused, wrong = (_item(1, ItemState.DONE), _item(2, ItemState.DONE),
                                              _item(3, ItemState.DONE), _item(4, ItemState.ATTENTION),
                                              _item(5, ItemState.DONE))
        payments = [
            _booked(10, sound),
            _booked(11, twice), _booked(12, twice, receipt_no="H0101-20261124-00099"),  # same key, booked again
            _booked(13, refused),
            _booked(14, wrong, amount_fen=999),
            _Payment(15, "H0102-20261124-00001", str(uuid.uuid4()), ZHANG_WEI, 500),  # no outbox holds it
        ]
        result = ChaosResult()
        missing = match_items(result, [sound, lost, twice, refused, wrong], cast(list[Row[Any]], payments))
        assert missing == {str(lost.key)}
        assert (result.duplicated, result.refused_but_booked, result.mismatched, result.orphans) == (1, 1, 1, 1)

    def test_nothing_wrong(self) -> None:
        """Items each booked once, as sent, leave every figure at zero."""
        items = [_item(n, ItemState.DONE, amount=100 * n) for n in range(1, 6)]
        result = ChaosResult()
        missing = match_items(result, items, cast(list[Row[Any]], [_booked(n, i) for n, i in enumerate(items)]))
        assert missing == set()
        assert (result.duplicated, result.refused_but_booked, result.mismatched, result.orphans) == (0, 0, 0, 0)

    def test_handed_receipts(self) -> None:
        """A receipt handed over must be a done, booked item; a refusal the cashier saw a rejected one."""
        done, pending, rejected = _item(1, ItemState.DONE), _item(2, ItemState.PENDING), _item(3, ItemState.REJECTED)
        assert done.receipt_no is not None
        assert pending.receipt_no is not None
        assert rejected.receipt_no is not None
        result = ChaosResult()
        missing = match_receipts(result, handed={done.receipt_no, pending.receipt_no, "H0101-20261124-00777"},
                                 refused={rejected.receipt_no, done.receipt_no}, items=[done, pending, rejected],
                                 booked={done.receipt_no})
        assert missing == {str(pending.key), "H0101-20261124-00777"}
        assert result.mismatched == 1  # the done item reported as refused
        assert (result.handed, result.refused_seen) == (3, 2)


class TestBooks:
    def test_balanced_after_payments_then_broken(self, caller: Caller, engine: Engine, db: Session) -> None:
        """Real payments keep the books balanced; one entry added behind their back is found."""
        start(caller)
        assert pay(caller, WANG_FANG, [cash(1_500)], seq=1).status == 200
        assert pay(caller, ZHANG_WEI, [cash(900_000)], seq=2).status == 200  # more than due: prepayment
        assert balance_problems(engine) == []
        payment = db.scalars(select(Payment).where(Payment.receipt_no.endswith("00001"))).one()
        db.add(LedgerEntry(customer_id=payment.customer_id, kind=EntryKind.PAYMENT, amount_fen=100, bill_id=None,
                           posted_at=payment.paid_at, posted_by=payment.user_id, reference=payment.receipt_no,
                           payment_id=payment.id))
        db.commit()
        problems = balance_problems(engine)
        assert any(p.startswith(f"payment {payment.receipt_no}:") for p in problems)
        assert any(p.startswith("customer ") for p in problems)
        assert any(p.startswith("payment entries ") for p in problems)
