"""client.core.card_flow end to end: the live server (TEST card keys), the client's card reader on the real pcscd and
the emulated card in the vpcd reader, the meter simulator crediting what was written.

Opening and a sale (steps reported in order, receipts, the meter credits each once and its remaining amount agrees
with the books); a sale refused while the card holds an uncredited purchase; a card pulled mid-write finished by
补写卡 without new money; a prepare whose answer is lost, retried with the same ticket (one payment); a confirm whose
answer is lost, finished on the next read; the link down before anything was sent (refused, offline); a card swapped
between the read and the sale; a bad amount refused by the contract before anything is sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from client.core.card_flow import (
    CardFailed,
    CardFlow,
    CardProblem,
    Done,
    NoAnswer,
    NotWritten,
    Read,
    ReaderAccess,
    Refused,
    Reversed,
    Step,
    WrittenNotConfirmed,
)
from client.core.config import CardReaderConfig
from client.core.outbox.queue import Outbox
from client.core.rpc_client import Cosign, RpcClient
from client.devices.card_reader import CardReader
from client.devices.cardsim.card import VirtualCard
from client.devices.cardsim.demo import IssuedSpec, demo_serial, write_demo_cards
from client.devices.cardsim.meter import MeterSimulator, Outcome
from client.devices.cardsim.vpcd import VpcdLink
from installer.demo_cards import card_specs
from shared_models.cards.apdu import Ins
from shared_models.cards.files import EF_RETURN, EF_WALLET, WalletFile
from shared_models.errors import ErrorCode
from shared_models.methods.cards import CardStanding
from tests.action_helpers import confirmed
from tests.cards.flow_live import (
    PREPAID,
    READER,
    CardServer,
    blank_card,
    books,
    cash,
    insert,
    inserted,
    meter_for,
    new_ticket,
    prepare_card_server,
    pull,
    rpc_for,
    sign_in,
)
from tests.cards.helpers import NOW
from tests.chaos.proxy import ChaosProxy
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.factories import World, password_for

__all__ = ["inserted"]  # the card-slot fixture of flow_live

pytestmark = [pytest.mark.timeout(300), pytest.mark.usefixtures("pcscd")]

CUSTOMERS = iter(PREPAID)  # each test takes customers of its own from the module's server


@pytest.fixture(scope="module")
def card_server(live_server: LiveServer, world_template: World) -> CardServer:  # noqa: F811 - the fixture
    """The module's live server with the TEST card keys and the prepaid customers."""
    return prepare_card_server(live_server, world_template)


@dataclass
class Desk:
    """The counter: its client stub (through ``proxy``), outbox (receipt numbers), card reader and flow."""

    rpc: RpcClient
    outbox: Outbox
    reader: CardReader
    flow: CardFlow
    proxy: ChaosProxy
    steps: list[Step] = field(default_factory=list)


@pytest.fixture
def desk(card_server: CardServer, tmp_path: Path) -> Iterator[Desk]:
    """cashier1 at T0101 with a shift open, talking to the server through a chaos proxy."""
    tls = card_server.data_dir / "tls"
    port = int(card_server.live.url.rsplit(":", 1)[1])
    with ChaosProxy(upstream_port=port, cert_file=tls / "server.pem", key_file=tls / "server.key",
                    ca_file=card_server.live.ca) as proxy:
        rpc = rpc_for(proxy.url, card_server.live.ca, read_timeout_s=5.0)
        sign_in(rpc)
        reader = CardReader(CardReaderConfig(name=READER))
        steps: list[Step] = []
        flow = CardFlow(rpc, ReaderAccess(reader, timeout_s=10.0), on_step=steps.append)
        desk = Desk(rpc=rpc, outbox=Outbox(tmp_path / "counter.sqlite3").open(), reader=reader, flow=flow,
                    proxy=proxy, steps=steps)
        try:
            yield desk
        finally:
            reader.close(timeout=10.0)
            rpc.close()


def read_ok(desk: Desk, customer_no: str) -> Read:
    """Read the card (it must read)."""
    outcome = desk.flow.read(customer_no)
    assert isinstance(outcome, Read), outcome
    return outcome


def open_and_credit(desk: Desk, links: list[VpcdLink], tmp_path: Path, customer_no: str, serial: bytes, *,
                    amount_fen: int = 10_000) -> tuple[VirtualCard, VpcdLink, MeterSimulator]:
    """A blank card opened for the customer through the flow and credited by the customer's new meter."""
    card = blank_card(tmp_path / f"{customer_no}.json", serial)
    link = insert(links, card)
    view = read_ok(desk, customer_no).view
    assert view.standing is CardStanding.BLANK
    outcome = desk.flow.open_card(new_ticket(desk.outbox, desk.rpc), customer_no=customer_no,
                                  tenders=cash(amount_fen), quoted_arrears_fen=0, serial=serial.hex())
    assert isinstance(outcome, Done), outcome
    meter = meter_for(customer_no)
    assert meter.insert(card, now=NOW).outcome is Outcome.CREDITED
    return card, link, meter


def test_open_then_sell(desk: Desk, inserted: list[VpcdLink], tmp_path: Path, card_server: CardServer) -> None:
    """开户 and 购电 through the flow: steps in order, the receipt's card part, the meter credits each purchase once
    and its remaining amount is what the books wrote."""
    customer = next(CUSTOMERS)
    card, _, meter = open_and_credit(desk, inserted, tmp_path, customer, bytes.fromhex("C0FFEE0000000001"))
    assert desk.steps[desk.steps.index(Step.PAYING):] == [
        Step.PAYING, Step.PAID, Step.WRITING, Step.AUTHENTICATING, Step.WRITING, Step.WRITTEN, Step.VERIFYING,
        Step.VERIFIED, Step.CONFIRMING, Step.DONE]
    desk.steps.clear()
    view = read_ok(desk, customer).view
    assert view.sale is not None
    assert view.sale.next_purchase_count == 2
    ticket = new_ticket(desk.outbox, desk.rpc)
    outcome = desk.flow.sell(ticket, customer_no=customer, purchase_count=2, tenders=cash(30_000),
                             quoted_arrears_fen=view.sale.arrears_fen, serial=view.serial)
    assert isinstance(outcome, Done), outcome
    assert Step.AUTHENTICATING in desk.steps  # the opening card becomes a purchase card: its parameters written
    assert outcome.receipt is not None
    assert outcome.receipt.receipt_no == ticket.receipt_no
    assert outcome.receipt.card is not None
    assert outcome.purchase.purchase_count == 2
    assert outcome.prepared is not None
    assert outcome.prepared.write_amount_fen == 30_000
    credited = meter.insert(card, now=NOW)
    assert (credited.outcome, credited.credited_fen) == (Outcome.CREDITED, 30_000)
    assert meter.insert(card, now=NOW).outcome is Outcome.SAME_COUNT
    held = books(card_server.live, customer)
    assert (held.card_payments, held.paid_fen, held.written, held.pending) == (2, 40_000, 2, 0)
    assert meter.state.remaining_fen == held.written_fen == 40_000


def test_sale_refused_while_the_card_holds_an_uncredited_purchase(
        desk: Desk, inserted: list[VpcdLink], tmp_path: Path, card_server: CardServer) -> None:
    """Sold but not yet inserted into the meter: the next read refuses a sale, and a sale tried anyway is refused
    by the server with nothing taken."""
    customer = next(CUSTOMERS)
    open_and_credit(desk, inserted, tmp_path, customer, bytes.fromhex("C0FFEE0000000002"))
    view = read_ok(desk, customer).view
    assert view.sale is not None
    assert isinstance(desk.flow.sell(new_ticket(desk.outbox, desk.rpc), customer_no=customer, purchase_count=2,
                                     tenders=cash(5_000), quoted_arrears_fen=0), Done)
    again = read_ok(desk, customer).view
    assert again.sale is None
    assert again.refusal is not None
    assert again.refusal.code is ErrorCode.CARD_PURCHASE_NOT_INSERTED
    before = books(card_server.live, customer)
    refused = desk.flow.sell(new_ticket(desk.outbox, desk.rpc), customer_no=customer, purchase_count=3,
                             tenders=cash(5_000), quoted_arrears_fen=0)
    assert isinstance(refused, Refused), refused
    assert refused.error.code is ErrorCode.CARD_PURCHASE_NOT_INSERTED
    assert not refused.offline
    assert books(card_server.live, customer) == before


def test_pulled_mid_write_then_rewrite(desk: Desk, inserted: list[VpcdLink], tmp_path: Path,
                                       card_server: CardServer) -> None:
    """The card pulled as the wallet is written: NotWritten with the money taken; re-inserted, the read shows the
    pending write, 补写卡 writes the same purchase with no new money, and the meter credits it once."""
    customer = next(CUSTOMERS)
    card, link, meter = open_and_credit(desk, inserted, tmp_path, customer, bytes.fromhex("C0FFEE0000000003"))
    link.pull_on(lambda c: c.ins == Ins.UPDATE_BINARY and c.p1 == 0x80 | EF_WALLET.sfi, after=False)
    outcome = desk.flow.sell(new_ticket(desk.outbox, desk.rpc), customer_no=customer, purchase_count=2,
                             tenders=cash(20_000), quoted_arrears_fen=0)
    assert isinstance(outcome, NotWritten), outcome
    assert outcome.problem is CardProblem.CARD_REMOVED
    assert outcome.receipt is not None  # the money was taken: the receipt is printed
    assert outcome.target.purchase_count == 2
    assert card.file(EF_RETURN) == bytes(EF_RETURN.size)  # the return file was cleared, the wallet not written
    link.remove()
    insert(inserted, card)
    view = read_ok(desk, customer).view
    assert view.pending is not None
    assert not view.pending.on_card
    done = desk.flow.rewrite(view.pending)
    assert isinstance(done, Done), done
    assert done.receipt is None
    assert done.purchase.rewritten
    assert meter.insert(card, now=NOW).credited_fen == 20_000
    held = books(card_server.live, customer)
    assert (held.card_payments, held.paid_fen, held.written, held.pending) == (2, 30_000, 2, 0)
    assert meter.state.remaining_fen == held.written_fen


def test_lost_prepare_answer_retried_with_the_same_ticket(desk: Desk, inserted: list[VpcdLink], tmp_path: Path,
                                                          card_server: CardServer) -> None:
    """The server took the money but its answer never came back: NoAnswer, nothing written; the retry of the same
    ticket gets the server's first answer (one payment) and finishes the write."""
    customer = next(CUSTOMERS)
    card, _, meter = open_and_credit(desk, inserted, tmp_path, customer, bytes.fromhex("C0FFEE0000000004"))
    arm = desk.proxy.arm_cut_after_commit(frozenset({"card.prepare_sale"}))
    ticket = new_ticket(desk.outbox, desk.rpc)
    first = desk.flow.sell(ticket, customer_no=customer, purchase_count=2, tenders=cash(15_000), quoted_arrears_fen=0)
    assert arm.fired.is_set()
    assert isinstance(first, NoAnswer), first
    assert books(card_server.live, customer).pending == 1
    second = desk.flow.sell(ticket, customer_no=customer, purchase_count=2, tenders=cash(15_000),
                            quoted_arrears_fen=0)
    assert isinstance(second, Done), second
    assert second.receipt is not None
    assert second.receipt.receipt_no == ticket.receipt_no
    assert meter.insert(card, now=NOW).credited_fen == 15_000
    held = books(card_server.live, customer)
    assert (held.card_payments, held.paid_fen, held.written, held.pending) == (2, 25_000, 2, 0)


def test_lost_confirm_answer_finished_on_the_next_read(desk: Desk, inserted: list[VpcdLink], tmp_path: Path,
                                                       card_server: CardServer) -> None:
    """The confirm was booked but its answer lost: WrittenNotConfirmed (the card holds the purchase); the next read
    shows nothing pending, and the meter credits it once."""
    customer = next(CUSTOMERS)
    card, _, meter = open_and_credit(desk, inserted, tmp_path, customer, bytes.fromhex("C0FFEE0000000005"))
    arm = desk.proxy.arm_cut_after_commit(frozenset({"card.confirm_write"}))
    outcome = desk.flow.sell(new_ticket(desk.outbox, desk.rpc), customer_no=customer, purchase_count=2,
                             tenders=cash(12_000), quoted_arrears_fen=0)
    assert arm.fired.is_set()
    assert isinstance(outcome, WrittenNotConfirmed), outcome
    assert outcome.receipt is not None
    view = read_ok(desk, customer).view
    assert view.pending is None
    assert view.wallet_count == 2
    assert meter.insert(card, now=NOW).credited_fen == 12_000
    held = books(card_server.live, customer)
    assert (held.card_payments, held.written, held.pending) == (2, 2, 0)


def test_confirm_cut_then_finish_pending(desk: Desk, inserted: list[VpcdLink], tmp_path: Path,
                                         card_server: CardServer) -> None:
    """The link cut right before the confirm: WrittenNotConfirmed; back online the read finds the write on the card
    and finish_pending confirms it (a rewrite, no new money)."""
    customer = next(CUSTOMERS)
    card, _, meter = open_and_credit(desk, inserted, tmp_path, customer, bytes.fromhex("C0FFEE0000000006"))
    flow = CardFlow(desk.rpc, ReaderAccess(desk.reader, timeout_s=10.0),
                    on_step=lambda step: desk.proxy.cut() if step is Step.CONFIRMING else None)
    outcome = flow.sell(new_ticket(desk.outbox, desk.rpc), customer_no=customer, purchase_count=2,
                        tenders=cash(8_000), quoted_arrears_fen=0)
    assert isinstance(outcome, WrittenNotConfirmed), outcome
    assert outcome.error is not None
    desk.proxy.heal()
    view = read_ok(desk, customer)
    assert view.view.pending is not None
    assert view.view.pending.on_card
    done = desk.flow.finish_pending(view)
    assert isinstance(done, Done), done
    assert meter.insert(card, now=NOW).credited_fen == 8_000
    held = books(card_server.live, customer)
    assert (held.card_payments, held.written, held.pending) == (2, 2, 0)


def test_offline_refused_before_anything_is_sent(desk: Desk, inserted: list[VpcdLink], tmp_path: Path,
                                                 card_server: CardServer) -> None:
    """With the link down the read is refused as offline and a sale is never prepared: nothing taken."""
    customer = next(CUSTOMERS)
    open_and_credit(desk, inserted, tmp_path, customer, bytes.fromhex("C0FFEE0000000007"))
    before = books(card_server.live, customer)
    desk.proxy.cut()
    try:
        outcome = desk.flow.read(customer)
        assert isinstance(outcome, Refused), outcome
        assert outcome.offline
        assert outcome.error.code is ErrorCode.NETWORK_UNREACHABLE
    finally:
        desk.proxy.heal()
    assert books(card_server.live, customer) == before


def test_another_card_in_the_reader(desk: Desk, inserted: list[VpcdLink], tmp_path: Path,
                                    card_server: CardServer) -> None:
    """The card read was swapped for another before the sale: OTHER_CARD, nothing taken."""
    customer = next(CUSTOMERS)
    _, link, _ = open_and_credit(desk, inserted, tmp_path, customer, bytes.fromhex("C0FFEE0000000008"))
    view = read_ok(desk, customer).view
    pull(link)
    insert(inserted, blank_card(tmp_path / "other.json", bytes.fromhex("C0FFEE00000000FF")))
    before = books(card_server.live, customer)
    outcome = desk.flow.sell(new_ticket(desk.outbox, desk.rpc), customer_no=customer, purchase_count=2,
                             tenders=cash(5_000), quoted_arrears_fen=0, serial=view.serial)
    assert isinstance(outcome, CardFailed), outcome
    assert outcome.problem is CardProblem.OTHER_CARD
    assert books(card_server.live, customer) == before


def test_no_card(desk: Desk, inserted: list[VpcdLink]) -> None:
    """An empty reader is NO_CARD, for a read and for a sale (nothing sent)."""
    outcome = desk.flow.read(next(CUSTOMERS))
    assert isinstance(outcome, CardFailed), outcome
    assert outcome.problem is CardProblem.NO_CARD
    sale = desk.flow.sell(new_ticket(desk.outbox, desk.rpc), customer_no=next(CUSTOMERS), purchase_count=1,
                          tenders=cash(5_000), quoted_arrears_fen=0)
    assert isinstance(sale, CardFailed), sale


def test_bad_reason_refused_before_sending(desk: Desk, inserted: list[VpcdLink], tmp_path: Path,
                                           card_server: CardServer) -> None:
    """A replacement reason the contract refuses (one character) is INVALID_REQUEST, nothing sent or taken."""
    customer = next(CUSTOMERS)
    _, link, _ = open_and_credit(desk, inserted, tmp_path, customer, bytes.fromhex("C0FFEE0000000009"))
    pull(link)
    insert(inserted, blank_card(tmp_path / "new.json", bytes.fromhex("C0FFEE000000000A")))
    before = books(card_server.live, customer)
    outcome = desk.flow.replace_card(new_ticket(desk.outbox, desk.rpc), customer_no=customer, tenders=cash(2_000),
                                     reason="x")
    assert isinstance(outcome, Refused), outcome
    assert outcome.error.code is ErrorCode.INVALID_REQUEST
    assert books(card_server.live, customer) == before


def test_demo_cards_follow_the_books(desk: Desk, inserted: list[VpcdLink], tmp_path: Path,
                                     card_server: CardServer) -> None:
    """The demo step lists a customer whose card has the demo serial with its last written purchase, and a blank
    card for a prepaid customer without one; the emulated demo card is the real one as the meter left it."""
    customer = next(CUSTOMERS)
    card, _, _ = open_and_credit(desk, inserted, tmp_path, customer, demo_serial(customer), amount_fen=12_300)
    specs = card_specs(card_server.live.db_url, blank=2)
    assert f"--issued={customer}:{PREPAID[customer]}:1:12300" in specs
    blanks = [spec for spec in specs if spec.startswith("--blank=")]
    assert len(blanks) == 2
    assert all(spec.split("=")[1].split(":")[0] in PREPAID for spec in blanks)
    mine = next(spec for spec in specs if spec.startswith(f"--issued={customer}:"))
    written = write_demo_cards(tmp_path / "demo", issued=[IssuedSpec.parse(mine.split("=")[1])], blank=[],
                               now=NOW)
    demo = VirtualCard.load(Path(written["cards"][0]["card"]))
    assert demo.file(EF_WALLET) == card.file(EF_WALLET)
    assert demo.file(EF_RETURN) != bytes(EF_RETURN.size)  # inserted into its meter once: a sale may follow


def test_reverse_a_sale_on_the_card(desk: Desk, inserted: list[VpcdLink], tmp_path: Path,
                                    card_server: CardServer) -> None:
    """冲正 with the supervisor's co-sign while the card holds the sale: the reversal is booked and the cancel write
    (amount 0, same count) goes onto the card at once; the meter then credits nothing."""
    customer = next(CUSTOMERS)
    card, _, meter = open_and_credit(desk, inserted, tmp_path, customer, bytes.fromhex("C0FFEE000000000B"))
    assert isinstance(desk.flow.sell(new_ticket(desk.outbox, desk.rpc), customer_no=customer, purchase_count=2,
                                     tenders=cash(7_000), quoted_arrears_fen=0), Done)
    outcome = desk.flow.reverse(confirmed(), customer_no=customer, purchase_count=2, reason="客户要求冲正",
                                cosign=Cosign("super1", password_for("super1")))
    assert isinstance(outcome, Reversed), outcome
    assert outcome.result.cancel_write
    assert outcome.result.cosigned_by
    assert isinstance(outcome.cancel, Done), outcome.cancel
    wallet = WalletFile.decode(card.file(EF_WALLET))
    assert (wallet.purchase_count, wallet.amount_fen) == (2, 0)
    assert meter.insert(card, now=NOW).credited_fen == 0
    assert meter.state.remaining_fen == 10_000  # the opening only
    held = books(card_server.live, customer)
    assert (held.written, held.pending) == (3, 0)  # the opening, the sale and its cancel, each confirmed
    refused = desk.flow.reverse(confirmed(), customer_no=customer, purchase_count=1, reason="太晚了的冲正",
                                cosign=Cosign("super1", password_for("super1")))
    assert isinstance(refused, Refused), refused
    assert refused.error.code is ErrorCode.CARD_REVERSAL_REFUSED
