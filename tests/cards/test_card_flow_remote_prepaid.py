"""远程费控 (remote-prepaid) top-ups need no card (issue 14 point 8): they are ordinary payments — the bills first,
the rest to 预收 — so the desk queues them in the outbox like any payment when the link is down, and the queued
top-up is booked exactly once when it replays, even when it is sent again with its key."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from client.core.actions import ConfirmedAction
from client.core.outbox.items import ItemState
from client.core.sync import LinkState
from shared_models.methods.payments import PAY, PayRequest
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.e2e.test_outbox_live import Counter, _payments, counter
from tests.factories import WANG_FANG

__all__ = ["counter"]  # the live counter fixture of the outbox suite (its live_server imported above)

pytestmark = pytest.mark.timeout(180)


def _prepayment_fen(live: LiveServer, customer_no: str) -> int:
    """The customer's 预收 balance on the books: payments and reversals not on any bill."""
    engine = create_engine(live.db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(
                "SELECT coalesce(sum(e.amount_fen), 0) FROM ledger_entries e JOIN customers c ON c.id = e.customer_id"
                " WHERE c.customer_no = :c AND e.bill_id IS NULL"), {"c": customer_no}).scalar_one())
    finally:
        engine.dispose()


@pytest.fixture
def remote_prepaid(counter: Counter) -> Iterator[str]:
    """王芳 as a remote-prepaid customer for the test (the payment mode is customer data, set here directly)."""
    engine = create_engine(counter.live.db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE customers SET payment_mode = 'remote_prepaid' WHERE customer_no = :c"),
                         {"c": WANG_FANG})
        yield WANG_FANG
    finally:
        with engine.begin() as conn:
            conn.execute(text("UPDATE customers SET payment_mode = 'postpaid' WHERE customer_no = :c"),
                         {"c": WANG_FANG})
        engine.dispose()


def test_remote_prepaid_top_up_queued_offline_replays_once(counter: Counter, remote_prepaid: str) -> None:
    """Link down: the top-up is accepted offline with the counter's receipt; when the link returns it is booked
    once (the bills first, the rest to 预收); sending it again with its key books nothing more."""
    quote = counter.quote(remote_prepaid, None)
    amount = quote.due_fen + 20_000
    quote = counter.quote(remote_prepaid, amount)
    assert quote.to_prepayment_fen == 20_000
    before = _prepayment_fen(counter.live, remote_prepaid)
    counter.link(up=False)
    outcome = counter.pay(quote, wait_s=3.0)
    assert outcome.offline
    assert outcome.receipt is not None
    assert outcome.receipt.accepted_offline
    assert outcome.item.state is ItemState.PENDING
    assert counter.sync.link is LinkState.DOWN
    counter.link(up=True)
    counter.drained()
    receipt_no = outcome.receipt.receipt_no
    assert _payments(counter.live, receipt_no) == [(amount, True, 0)]
    item = counter.outbox.get(outcome.item.id)
    assert item is not None
    assert item.state is ItemState.DONE
    assert _prepayment_fen(counter.live, remote_prepaid) == before + 20_000
    # the same queued request sent once more with its key (an answer lost on the way back): replayed, not re-booked
    again = counter.rpc.send(PAY, PayRequest.model_validate_json(json.dumps(item.body)),
                             action=ConfirmedAction.from_outbox(item.key))
    assert again.receipt_no == receipt_no
    assert _payments(counter.live, receipt_no) == [(amount, True, 0)]
    assert _prepayment_fen(counter.live, remote_prepaid) == before + 20_000


def test_remote_prepaid_top_up_online(counter: Counter, remote_prepaid: str) -> None:
    """Online, a top-up without bills due goes wholly to 预收 and prints the server's receipt."""
    quote = counter.quote(remote_prepaid, None)
    if quote.due_fen:
        counter.pay(quote)  # settle the bills first: the next top-up is all prepayment
    quote = counter.quote(remote_prepaid, 5_000)
    assert (quote.due_fen, quote.to_prepayment_fen) == (0, 5_000)
    before = _prepayment_fen(counter.live, remote_prepaid)
    outcome = counter.pay(quote)
    assert outcome.refused is None
    assert outcome.receipt is not None
    assert not outcome.offline
    assert outcome.receipt.prepayment_after_fen - outcome.receipt.prepayment_before_fen == 5_000
    assert _prepayment_fen(counter.live, remote_prepaid) == before + 5_000
