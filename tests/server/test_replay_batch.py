"""``outbox.replay_batch``: queued calls of a counter's outbox run in one request, each exactly as if it
had come alone (its own key, checks, transaction and stored result), in order; the batch stops at the
first "try later"."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.models.payments import Payment
from tests.factories import CLOSED, WANG_FANG, ZHANG_WEI
from tests.rpc_helpers import Caller
from tests.server.payment_helpers import cash, quote, receipt, start


def _pay(caller: Caller, customer_no: str, seq: int, amount: int = 500, *, offline: bool = True,
         due: int | None = None) -> dict[str, Any]:
    """A queued payment as the outbox holds it."""
    return {"key": str(uuid.uuid4()), "method": "payment.pay_bills", "body": {
        "customer_no": customer_no, "receipt_no": receipt(seq, counter=caller.counter), "tenders": [cash(amount)],
        "quoted_due_fen": due if due is not None else 0, "accepted_offline": offline, "local_time": None}}


def _payments(db: Session) -> int:
    return int(db.scalar(select(func.count()).select_from(Payment)) or 0)


class TestReplayBatch:
    def test_each_call_runs_alone_and_replays_return_the_first_result(self, caller: Caller, db: Session) -> None:
        """Three payments in one batch are booked once each; the same batch again books nothing and
        answers with the stored results."""
        start(caller)
        items = [_pay(caller, WANG_FANG, 1), _pay(caller, ZHANG_WEI, 2), _pay(caller, WANG_FANG, 3)]
        first = caller.call("outbox.replay_batch", {"items": items})
        assert first.status == 200, first.body
        outcomes = first.body["outcomes"]
        assert [o["key"] for o in outcomes] == [i["key"] for i in items]
        assert all(o["error"] is None for o in outcomes)
        assert [o["result"]["receipt_no"] for o in outcomes] == [receipt(1), receipt(2), receipt(3)]
        assert _payments(db) == 3
        again = caller.call("outbox.replay_batch", {"items": items})
        assert again.body == first.body
        assert _payments(db) == 3

    def test_a_single_send_then_a_batch_with_the_item_marked_offline(self, caller: Caller, db: Session) -> None:
        """A payment sent alone (online) whose answer was lost, then replayed in a batch marked offline:
        the same key returns the first result (``accepted_offline`` is replay-neutral)."""
        start(caller)
        due = int(quote(caller, WANG_FANG)["due_fen"])
        item = _pay(caller, WANG_FANG, 1, offline=False, due=due)
        alone = caller.call("payment.pay_bills", item["body"], key=item["key"])
        assert alone.status == 200, alone.body
        item["body"]["accepted_offline"] = True
        batch = caller.call("outbox.replay_batch", {"items": [item]})
        assert batch.body["outcomes"][0]["result"] == alone.body
        assert _payments(db) == 1

    def test_a_refusal_does_not_stop_the_batch(self, caller: Caller, db: Session) -> None:
        """A closed customer's payment is answered with its error; the calls after it still run."""
        start(caller)
        items = [_pay(caller, WANG_FANG, 1), _pay(caller, CLOSED, 2), _pay(caller, ZHANG_WEI, 3)]
        outcomes = caller.call("outbox.replay_batch", {"items": items}).body["outcomes"]
        assert [o["error"]["code"] if o["error"] else None for o in outcomes] == [None, "CUSTOMER_CLOSED", None]
        assert _payments(db) == 2

    def test_try_later_stops_the_batch(self, caller: Caller, db: Session) -> None:
        """No shift open: the first call answers NO_OPEN_SHIFT and the others are not run (order kept)."""
        assert caller.login("cashier1").status == 200
        items = [_pay(caller, WANG_FANG, 1), _pay(caller, ZHANG_WEI, 2)]
        outcomes = caller.call("outbox.replay_batch", {"items": items}).body["outcomes"]
        assert len(outcomes) == 1
        assert outcomes[0]["error"]["code"] == "NO_OPEN_SHIFT"
        assert _payments(db) == 0

    def test_only_replayable_methods_and_valid_bodies(self, caller: Caller, db: Session) -> None:
        """A method that may not be queued, a body the contract refuses and a malformed key are each
        refused on their own, and nothing is booked for them."""
        start(caller)
        # a void co-signed with a password: a password never waits in an outbox
        not_replayable = {"key": str(uuid.uuid4()), "method": "payment.void_payment",
                          "body": {"receipt_no": receipt(1), "reason": "收错户号"}}
        float_fen = _pay(caller, WANG_FANG, 1)
        float_fen["body"]["tenders"][0]["amount_fen"] = 5.5
        bad_key = dict(_pay(caller, WANG_FANG, 2), key="x" * 36)
        outcomes = caller.call("outbox.replay_batch", {"items": [not_replayable, float_fen, bad_key]}).body["outcomes"]
        assert [o["error"]["code"] for o in outcomes] == ["INVALID_REQUEST", "FEN_NOT_INTEGER",
                                                          "IDEMPOTENCY_KEY_REQUIRED"]
        assert _payments(db) == 0

    def test_the_batch_needs_a_session_and_the_permission(self, caller: Caller, db: Session) -> None:
        """Without a session the batch is refused as a whole; a role without COLLECT too."""
        items = [_pay(caller, WANG_FANG, 1)]
        assert caller.call("outbox.replay_batch", {"items": items}).code == "NOT_AUTHENTICATED"
        assert caller.login("reader1").status == 200
        assert caller.call("outbox.replay_batch", {"items": items}).code == "PERMISSION_DENIED"
        assert caller.call("outbox.replay_batch", {"items": []}).code == "INVALID_REQUEST"
        assert _payments(db) == 0
