"""The outbox and the sync worker against the real server (HTTPS, two workers, PostgreSQL): a payment
confirmed online, one accepted offline and sent when the link returns, a refusal on replay kept for
attention, a bill paid elsewhere meanwhile turned into prepayment, and a session that ended."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from client.core.cashier import PaymentOutcome, take_payment
from client.core.outbox.items import ItemState
from client.core.outbox.queue import Outbox
from client.core.rpc_client import RpcClient, RpcError
from client.core.sync import Backoff, LinkState, SyncWorker
from shared_models.errors import ErrorCode
from shared_models.methods.auth import LOGIN, LOGOUT, LoginRequest
from shared_models.methods.payments import PAY, QUOTE, PayRequest, Quote, QuoteRequest, Tender, TenderMethod
from shared_models.methods.shifts import GET_CURRENT, OPEN, OpenShiftRequest
from shared_models.pinning import ca_fingerprint
from shared_models.rpc import Empty
from shared_models.rules.hall_time import hall_now
from shared_models.rules.receipt_numbers import make_receipt_no
from shared_models.rules.receipts import ReceiptHeader
from tests.action_helpers import confirmed
from tests.e2e.conftest import LiveServer
from tests.factories import CLOSED, DEVICE_KEYS, WANG_FANG, ZHANG_WEI, password_for

pytestmark = pytest.mark.timeout(180)


def _dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"https://127.0.0.1:{port}"  # nothing listens: connections are refused, as with a cut link


@dataclass
class Counter:
    """One counter PC: its client stub, outbox and sync worker, signed in with an open shift."""

    live: LiveServer
    rpc: RpcClient
    outbox: Outbox
    sync: SyncWorker
    username: str
    code: str
    shift_no: str
    floor: int = 1

    def sign_in(self) -> None:
        result = self.rpc.call(LOGIN, LoginRequest(username=self.username, password=password_for(self.username),
                                                   counter_code=self.code, device_key=DEVICE_KEYS[self.code]))
        self.rpc.set_session(token=result.token, counter_code=self.code)
        self.sync.wake()

    def link(self, *, up: bool) -> None:
        self.rpc.set_server(self.live.url if up else _dead_url())
        self.sync.wake()

    def quote(self, customer_no: str, amount_fen: int | None = None) -> Quote:
        """The server's quote (online), and the server's next receipt number for this counter."""
        self.floor = self.rpc.call(GET_CURRENT, Empty()).next_receipt_seq
        return self.rpc.call(QUOTE, QuoteRequest(customer_no=customer_no, amount_fen=amount_fen))

    def pay(self, quote: Quote, *, wait_s: float = 5.0) -> PaymentOutcome:
        header = ReceiptHeader(hall_name="测试营业厅", counter_code=self.code, cashier_name=self.username,
                               shift_no=self.shift_no, address="地址")
        return take_payment(outbox=self.outbox, sync=self.sync, username=self.username, header=header,
                            server_next_seq=self.floor, quote=quote, local_time=hall_now(), wait_s=wait_s,
                            tenders=[Tender(method=TenderMethod.CASH, amount_fen=quote.amount_fen,
                                            cash_handed_fen=quote.amount_fen)])

    def drained(self, timeout_s: float = 60.0) -> None:
        deadline = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=timeout_s)
        while self.outbox.counts().pending and dt.datetime.now(dt.UTC) < deadline:
            self.sync.wake()
            for item in self.outbox.items(states=[ItemState.PENDING]):
                self.sync.wait_for(item.id, 1.0)
        assert self.outbox.counts().pending == 0, self.outbox.items(states=[ItemState.PENDING])


@pytest.fixture
def counter(live_server: LiveServer, tmp_path: Path) -> Iterator[Counter]:
    """cashier1 at T0101 with a shift open, a fresh outbox and a running sync worker."""
    pin = ca_fingerprint(live_server.ca.read_bytes())
    rpc = RpcClient(ca_file=live_server.ca, ca_pin=lambda: pin, client_version="test", server_url=live_server.url,
                    connect_timeout_s=2.0, read_timeout_s=10.0)
    outbox = Outbox(tmp_path / "counter.sqlite3").open()
    sync = SyncWorker(outbox=outbox, rpc=rpc, user=lambda: "cashier1", backoff=Backoff(base_s=0.05, cap_s=0.5),
                      idle_s=0.3)
    rpc.link_listener = sync.note_link
    counter = Counter(live=live_server, rpc=rpc, outbox=outbox, sync=sync, username="cashier1", code="T0101",
                      shift_no="")
    counter.sign_in()
    try:
        counter.shift_no = rpc.send(OPEN, OpenShiftRequest(float_fen=0), action=confirmed()).shift_no
    except RpcError:  # the module's server keeps the shift of an earlier test open
        current = rpc.call(GET_CURRENT, Empty()).shift
        assert current is not None
        counter.shift_no = current.shift_no
    sync.start()
    try:
        yield counter
    finally:
        sync.stop()
        rpc.close()


def _payments(live: LiveServer, receipt_no: str) -> list[tuple[int, bool, int]]:
    engine = create_engine(live.db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT amount_fen, accepted_offline, redirected_to_prepayment_fen"
                                     " FROM payments WHERE receipt_no = :r"), {"r": receipt_no}).all()
    finally:
        engine.dispose()
    return [(int(r[0]), bool(r[1]), int(r[2])) for r in rows]


class TestOnline:
    def test_confirmed_online(self, counter: Counter) -> None:
        """With the link up the server's receipt comes back and the item is done, booked once."""
        quote = counter.quote(WANG_FANG, 1000)
        outcome = counter.pay(quote)
        assert outcome.refused is None
        assert not outcome.offline
        assert outcome.receipt is not None
        assert not outcome.receipt.accepted_offline
        assert outcome.item.state is ItemState.DONE
        assert counter.sync.link is LinkState.UP
        assert _payments(counter.live, outcome.receipt.receipt_no) == [(1000, False, 0)]

    def test_refusal_while_watched_is_rejected(self, counter: Counter) -> None:
        """A refusal the cashier sees come back (a closed customer) leaves the item rejected, nothing booked."""
        quote = counter.quote(WANG_FANG, 1000).model_copy(update={"customer_no": CLOSED})
        outcome = counter.pay(quote)
        assert outcome.refused is not None
        assert outcome.refused.code is ErrorCode.CUSTOMER_CLOSED
        assert outcome.item.state is ItemState.REJECTED
        assert outcome.item.receipt_no is not None
        assert _payments(counter.live, outcome.item.receipt_no) == []


class TestOffline:
    def test_accepted_offline_then_confirmed(self, counter: Counter) -> None:
        """Link down: the payment is accepted offline at once with the counter's receipt; when the link
        returns the worker sends it and it is booked exactly once, marked offline."""
        quote = counter.quote(WANG_FANG, 1500)
        counter.link(up=False)
        first = counter.pay(quote, wait_s=3.0)
        assert first.offline
        assert first.receipt is not None
        assert first.receipt.accepted_offline
        assert first.item.state is ItemState.PENDING
        assert counter.sync.link is LinkState.DOWN
        second = counter.pay(quote, wait_s=3.0)  # the worker knows the link is down: no waiting now
        assert second.offline
        assert counter.outbox.counts().pending == 2
        counter.link(up=True)
        counter.drained()
        for outcome in (first, second):
            assert outcome.receipt is not None
            assert _payments(counter.live, outcome.receipt.receipt_no) == [(1500, True, 0)]
            item = counter.outbox.get(outcome.item.id)
            assert item is not None
            assert item.state is ItemState.DONE
            assert item.server_time is not None

    def test_bill_paid_elsewhere_becomes_prepayment(self, counter: Counter, live_server: LiveServer) -> None:
        """Offline, 张伟's bills are paid at another counter meanwhile: on replay the money is not refused
        but goes to prepayment, and the payment says how much was redirected."""
        quote = counter.quote(ZHANG_WEI)
        counter.link(up=False)
        offline = counter.pay(quote, wait_s=3.0)
        assert offline.offline
        other = Counter(live=live_server, rpc=RpcClient(
            ca_file=live_server.ca, ca_pin=lambda: ca_fingerprint(live_server.ca.read_bytes()),
            client_version="test", server_url=live_server.url), outbox=counter.outbox, sync=counter.sync,
            username="cashier2", code="T0102", shift_no="")
        other.sign_in()
        other.rpc.send(OPEN, OpenShiftRequest(float_fen=0), action=confirmed())
        paid_there = other_request(other, other.quote(ZHANG_WEI))
        elsewhere = other.rpc.send(PAY, paid_there, action=confirmed())
        assert elsewhere.paid_fen == quote.due_fen
        other.rpc.close()
        counter.link(up=True)
        counter.drained()
        assert offline.receipt is not None
        [(amount, was_offline, redirected)] = _payments(counter.live, offline.receipt.receipt_no)
        assert (amount, was_offline) == (quote.amount_fen, True)
        assert redirected == quote.due_fen
        item = counter.outbox.get(offline.item.id)
        assert item is not None
        assert item.state is ItemState.DONE

    def test_refused_on_replay_needs_attention(self, counter: Counter) -> None:
        """A customer closed while the counter was offline: the replay is refused and the item is kept in
        attention with its reason — never dropped, never retried into a double payment."""
        quote = counter.quote(WANG_FANG, 700)
        counter.link(up=False)
        offline = counter.pay(quote, wait_s=3.0)
        engine = create_engine(counter.live.db_url)
        try:
            with engine.begin() as conn:
                conn.execute(text("UPDATE customers SET status = 'closed' WHERE customer_no = :c"), {"c": WANG_FANG})
            counter.link(up=True)
            counter.drained()
        finally:
            with engine.begin() as conn:
                conn.execute(text("UPDATE customers SET status = 'active' WHERE customer_no = :c"), {"c": WANG_FANG})
            engine.dispose()
        item = counter.outbox.get(offline.item.id)
        assert item is not None
        assert item.state is ItemState.ATTENTION
        assert item.last_error == ErrorCode.CUSTOMER_CLOSED.value
        assert counter.outbox.counts().attention == 1
        assert offline.receipt is not None
        assert _payments(counter.live, offline.receipt.receipt_no) == []

    def test_session_ended_waits_for_sign_in(self, counter: Counter) -> None:
        """Items queued while the session is gone stay pending and go out after the next sign-in."""
        quote = counter.quote(WANG_FANG, 300)
        counter.rpc.send(LOGOUT, Empty(), action=confirmed())
        counter.rpc.clear_session()
        outcome = counter.pay(quote, wait_s=1.5)
        assert outcome.offline
        assert counter.outbox.counts().pending == 1
        counter.sign_in()
        counter.drained()
        assert outcome.receipt is not None
        assert len(_payments(counter.live, outcome.receipt.receipt_no)) == 1


def other_request(other: Counter, quote: Quote) -> PayRequest:
    """A plain online payment of ``quote`` at the other counter."""
    receipt_no = make_receipt_no(other.code, hall_now().date(), other.floor)
    return PayRequest(customer_no=quote.customer_no, receipt_no=receipt_no,
                      quoted_due_fen=quote.due_fen, tenders=[Tender(method=TenderMethod.CASH,
                                                                    amount_fen=quote.amount_fen,
                                                                    cash_handed_fen=quote.amount_fen)])
