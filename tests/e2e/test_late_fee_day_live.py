"""End to end through the client core's outbox and sync worker against the live server: a payment accepted
offline is booked with the late fee to the day the customer paid when the counter's clock is plausible, else
to the server's day and listed for the supervisor with both dates; in each case the receipt the counter
printed equals the ledger to the fen. A receipt number past the window is refused on replay and kept for
attention, reported to the supervisor's list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from client.core.attention import report_new_attention
from client.core.cashier import PaymentOutcome, take_payment
from client.core.outbox.items import ItemState
from client.core.outbox.queue import Outbox
from client.core.rpc_client import RpcClient, RpcError
from client.core.sync import Backoff, SyncWorker
from shared_models.errors import ErrorCode
from shared_models.methods.auth import LOGIN, LoginRequest
from shared_models.methods.payments import QUOTE, Quote, QuoteRequest, Tender, TenderMethod
from shared_models.methods.shifts import GET_CURRENT, OPEN, OpenShiftRequest
from shared_models.methods.sync import LIST_ATTENTION, AttentionItem, ListAttentionRequest
from shared_models.pinning import ca_fingerprint
from shared_models.rpc import Empty
from shared_models.rules.hall_time import business_date, hall_now
from shared_models.rules.receipt_numbers import RECEIPT_SEQ_WINDOW
from shared_models.rules.receipts import ReceiptHeader
from tests.action_helpers import confirmed
from tests.e2e.conftest import LiveServer
from tests.e2e.test_outbox_live import _dead_url
from tests.factories import COMMERCIAL, DEVICE_KEYS, LI_XIUYING, WANG_FANG, ZHANG_WEI, password_for

pytestmark = pytest.mark.timeout(240)


class SkewedCounter:
    """Counter T0101 whose clock runs ``offset`` from the hall's: its outbox numbers receipts by that clock
    and the desk stamps payments with it. Signed in, shift open, sync worker running."""

    def __init__(self, live: LiveServer, data_dir: Path, offset: dt.timedelta) -> None:
        self.live = live
        self.offset = offset
        pin = ca_fingerprint(live.ca.read_bytes())
        self.rpc = RpcClient(ca_file=live.ca, ca_pin=lambda: pin, client_version="test", server_url=live.url,
                             connect_timeout_s=2.0, read_timeout_s=10.0)
        self.outbox = Outbox(data_dir / "counter.sqlite3", now=self.now).open()
        self.sync = SyncWorker(outbox=self.outbox, rpc=self.rpc, user=lambda: "cashier1",
                               backoff=Backoff(base_s=0.05, cap_s=0.5), idle_s=0.3)
        self.rpc.link_listener = self.sync.note_link
        result = self.rpc.call(LOGIN, LoginRequest(username="cashier1", password=password_for("cashier1"),
                                                   counter_code="T0101", device_key=DEVICE_KEYS["T0101"]))
        self.rpc.set_session(token=result.token, counter_code="T0101")
        try:
            self.shift_no = self.rpc.send(OPEN, OpenShiftRequest(float_fen=0), action=confirmed()).shift_no
        except RpcError:  # an earlier test of the module left the shift open
            current = self.rpc.call(GET_CURRENT, Empty()).shift
            assert current is not None
            self.shift_no = current.shift_no
        self.sync.start()

    def now(self) -> dt.datetime:
        """The counter's clock."""
        return hall_now() + self.offset

    def quote(self, customer_no: str, amount_fen: int | None = None) -> tuple[Quote, int]:
        """``amount_fen`` (None: everything due) as the counter's cache has it (the server's figures of today),
        and the server's next receipt sequence."""
        return (self.rpc.call(QUOTE, QuoteRequest(customer_no=customer_no, amount_fen=amount_fen)),
                self.rpc.call(GET_CURRENT, Empty()).next_receipt_seq)

    def pay_offline(self, quote: Quote, floor: int) -> PaymentOutcome:
        """The link is down: the payment is accepted offline at once, with the counter's receipt."""
        self.rpc.set_server(_dead_url())
        self.sync.note_link(False)
        header = ReceiptHeader(hall_name="测试营业厅", counter_code="T0101", cashier_name="cashier1",
                               shift_no=self.shift_no, address="地址")
        outcome = take_payment(
            outbox=self.outbox, sync=self.sync, username="cashier1", header=header, server_next_seq=floor,
            quote=quote, local_time=self.now(), wait_s=3.0,
            tenders=[Tender(method=TenderMethod.CASH, amount_fen=quote.amount_fen, cash_handed_fen=quote.amount_fen)])
        assert outcome.offline
        assert outcome.receipt is not None
        return outcome

    def replay(self, outcome: PaymentOutcome) -> ItemState:
        """The link returns; the worker sends the item; its final state."""
        self.rpc.set_server(self.live.url)
        self.sync.wake()
        deadline = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=90)
        item = self.outbox.get(outcome.item.id)
        while item is not None and item.state is ItemState.PENDING and dt.datetime.now(dt.UTC) < deadline:
            self.sync.wake()
            item = self.sync.wait_for(outcome.item.id, 1.0)
        assert item is not None
        return item.state

    def attention(self, key: str) -> list[AttentionItem]:
        page = self.rpc.call(LIST_ATTENTION, ListAttentionRequest())
        return [i for i in page.items if i.item_key == key]

    def close(self) -> None:
        self.sync.stop()
        self.rpc.close()


@pytest.fixture
def skewed(live_server: LiveServer, tmp_path: Path) -> Iterator[Callable[[dt.timedelta], SkewedCounter]]:
    """A factory of counters whose clock runs the given offset from the hall's."""
    made: list[SkewedCounter] = []

    def make(offset: dt.timedelta) -> SkewedCounter:
        data_dir = tmp_path / f"pc{len(made)}"
        data_dir.mkdir()
        counter = SkewedCounter(live_server, data_dir, offset)
        made.append(counter)
        return counter

    try:
        yield make
    finally:
        for counter in made:
            counter.close()


def _booked(live: LiveServer, receipt_no: str) -> tuple[list[tuple[str, int, int]], dt.date | None, str | None]:
    """From the books: per bill (bill, late fee paid, fee + principal paid), the as-of day and the rule broken."""
    engine = create_engine(live.db_url)
    try:
        with engine.connect() as conn:
            lines = conn.execute(text(
                "SELECT b.bill_no, a.late_fee_fen, a.late_fee_fen + a.principal_fen FROM payments p"
                " JOIN payment_allocations a ON a.payment_id = p.id JOIN bills b ON b.id = a.bill_id"
                " WHERE p.receipt_no = :r ORDER BY a.id"), {"r": receipt_no}).all()
            head = conn.execute(text("SELECT late_fee_as_of, late_fee_as_of_rule FROM payments WHERE receipt_no = :r"),
                                {"r": receipt_no}).one_or_none()
    finally:
        engine.dispose()
    return [(r[0], int(r[1]), int(r[2])) for r in lines], head[0] if head else None, head[1] if head else None


def _printed(outcome: PaymentOutcome) -> list[tuple[str, int, int]]:
    assert outcome.receipt is not None
    return [(b.bill_no, b.late_fee_fen, b.paid_fen) for b in outcome.receipt.bills]


@pytest.mark.parametrize(("customer_no", "offset", "rule"), [
    (WANG_FANG, dt.timedelta(0), None),
    (ZHANG_WEI, dt.timedelta(days=3), "in_the_future"),
    (COMMERCIAL, -dt.timedelta(days=2), "before_shift"),
], ids=["clock-right", "clock-days-ahead", "clock-days-behind"])
def test_receipt_equals_ledger(skewed: Callable[[dt.timedelta], SkewedCounter], customer_no: str,
                               offset: dt.timedelta, rule: str | None) -> None:
    """Offline with the counter's clock right, days ahead or days behind: booked once, the receipt's bills equal
    the ledger's to the fen, the fee runs to the server's day (the day the customer paid); a clock outside the
    rules puts the payment on the attention list with the counter's day and the booking day."""
    counter = skewed(offset)
    quote, floor = counter.quote(customer_no)
    assert any(line.late_fee_fen > 0 for line in quote.lines)
    outcome = counter.pay_offline(quote, floor)
    assert outcome.item.receipt_no is not None
    assert outcome.item.receipt_no.split("-")[1] == f"{counter.now():%Y%m%d}"  # numbered by the counter's clock
    assert counter.replay(outcome) is ItemState.DONE
    lines, as_of, broken = _booked(counter.live, outcome.item.receipt_no)
    assert lines == _printed(outcome)
    today = business_date(hall_now())
    assert (as_of, broken) == (today, rule)
    listed = counter.attention(str(outcome.item.key))
    if rule is None:
        assert listed == []
    else:
        assert [(i.kind.value, i.taken_on, i.late_fee_as_of, i.as_of_rule) for i in listed] == [
            ("late_fee_day", business_date(counter.now()), today, rule)]


def test_number_past_the_window_needs_attention(skewed: Callable[[dt.timedelta], SkewedCounter]) -> None:
    """A counter numbering past the window (its floor far beyond the server's): the replay is refused with
    RECEIPT_SEQ_OUT_OF_WINDOW, nothing is booked, the item is kept for attention and reported to the list."""
    counter = skewed(dt.timedelta(0))
    quote, floor = counter.quote(LI_XIUYING, 500)  # to prepayment: the customer has no open bill
    outcome = counter.pay_offline(quote, floor + RECEIPT_SEQ_WINDOW + 5)
    assert counter.replay(outcome) is ItemState.ATTENTION
    item = counter.outbox.get(outcome.item.id)
    assert item is not None
    assert item.last_error == ErrorCode.RECEIPT_SEQ_OUT_OF_WINDOW.value
    assert outcome.item.receipt_no is not None
    assert _booked(counter.live, outcome.item.receipt_no) == ([], None, None)
    assert report_new_attention(counter.outbox, counter.rpc).reported == 1
    [listed] = counter.attention(str(outcome.item.key))
    assert (listed.kind.value, listed.error_code, listed.receipt_no) == (
        "refused", ErrorCode.RECEIPT_SEQ_OUT_OF_WINDOW, outcome.item.receipt_no)
