"""The card side of the card flow: PortAccess over the emulator (in memory and through the real pcscd), the
ticket that keeps its request, the confirm keys, and the cardsim `issue` / `demo-cards` commands."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from client.core.actions import ActionSlot
from client.core.card_flow import (
    CardAccessError,
    CardProblem,
    CardTicket,
    PortAccess,
    ReaderAccess,
    confirm_key,
    files_of,
    mint_ticket,
)
from client.core.outbox.queue import Outbox
from client.devices.card_reader import CardReader
from client.devices.cardsim.__main__ import main
from client.devices.cardsim.card import VirtualCard
from client.devices.cardsim.demo import BlankSpec, IssuedSpec, blank_serial, demo_serial
from client.devices.cardsim.keys import Esam
from client.devices.cardsim.meter import MeterSimulator, MeterState, Outcome
from client.devices.cardsim.vpcd import VpcdLink
from shared_models.cards import apdu
from shared_models.cards.files import EF_RETURN, CardType
from shared_models.methods.cards import CardFiles, ConfirmWriteRequest
from shared_models.rules.receipt_numbers import parse_receipt_no
from tests.cards.helpers import CUSTOMER, METER_NO, NOW, blank_card, issued_card, stale_return
from tests.cards.pcsc import PcscTerminal
from tests.cards.test_card_reader import WAIT_S, plug, reader, slot, wallet_write

__all__ = ["plug", "reader", "slot"]  # the second-slot fixtures of the reader's suite


def test_read_gives_the_files_as_read_and_the_image(esam: Esam) -> None:
    """The four files in hex exactly as READ BINARY returned them, and the decoded image beside them."""
    card = issued_card(esam, card_type=CardType.PURCHASE, count=4, amount_fen=12_345)
    card.reset()
    read = PortAccess(card).read()
    assert read.serial == card.state.serial.hex()
    assert read.image is not None
    assert (read.image.wallet.amount_fen, read.image.wallet.purchase_count) == (12_345, 4)
    assert read.image.parameters.customer_no == CUSTOMER
    assert bytes.fromhex(read.files.wallet) == read.image.wallet.encode()
    assert read.image.returned is None
    assert read.files.returned == "00" * 38


def test_a_file_that_does_not_decode_is_sent_as_read(esam: Esam) -> None:
    """A card type byte nobody knows: the files still go to the server (which names the field), no image."""
    raw = {"info": bytes(9), "parameters": b"\x09" + bytes(25), "wallet": bytes(12), "returned": bytes(38)}
    read = files_of(raw)
    assert read.image is None
    assert read.files.parameters.startswith("09")


def test_a_file_of_the_wrong_length_is_malformed() -> None:
    """A truncated file is the reader's MALFORMED, never a pydantic error."""
    with pytest.raises(CardAccessError) as caught:
        files_of({"info": bytes(8), "parameters": bytes(26), "wallet": bytes(12), "returned": bytes(38)})
    assert caught.value.problem is CardProblem.CARD_MALFORMED


def test_transmit_all_stops_at_the_first_refusal(esam: Esam) -> None:
    """A batch stops at the first status word other than 9000: its index and SW; the rest is not sent."""
    card = blank_card(esam)
    card.reset()
    access = PortAccess(card)
    access.read()
    forged = apdu.update_binary(0x02, bytes(12), mac=bytes(4)).encode()  # no challenge taken: refused
    with pytest.raises(CardAccessError) as caught:
        access.transmit_all([apdu.select(0x3F00).encode(), forged, forged])
    assert (caught.value.problem, caught.value.index) == (CardProblem.CARD_STATUS, 1)
    assert caught.value.sw is not None
    assert caught.value.sw != 0x9000
    assert len(access.get_challenge(card.state.serial)) == 8
    with pytest.raises(CardAccessError) as other:
        access.get_challenge(bytes(8))
    assert other.value.problem is CardProblem.OTHER_CARD


def test_a_pulled_card_is_removed(esam: Esam) -> None:
    """The transport's own error (here OSError) is a pulled card, with the index it broke at."""
    class Pulled:
        def transmit(self, raw: bytes) -> bytes:
            raise OSError("card removed")
    with pytest.raises(CardAccessError) as caught:
        PortAccess(Pulled()).read()
    assert (caught.value.problem, caught.value.index) == (CardProblem.CARD_REMOVED, 0)


def test_read_through_pcscd(terminal: PcscTerminal, card: VirtualCard) -> None:
    """The same read through the real pcscd and the vpcd reader."""
    read = PortAccess(terminal).read()
    assert read.serial == card.state.serial.hex()
    assert read.image is not None
    assert read.image.parameters.card_type is CardType.BLANK


def test_a_ticket_resends_its_first_request() -> None:
    """Retrying a ticket never builds a second request: the server sees the same body and key."""
    action = ActionSlot().confirm("sale")
    ticket = CardTicket(action, "H0101-20261207-00001")
    assert ticket.request_if_sent() is None
    first = ticket.request(lambda: ConfirmWriteRequest(customer_no="3301000001", purchase_count=1,
                                                       files=_blank_files()))
    again: ConfirmWriteRequest = ticket.request(lambda: pytest.fail("built twice"))
    assert again is first
    assert ticket.request_if_sent() is first


def test_confirm_keys_follow_the_request() -> None:
    """The same confirmation always carries the same key; another count or rewrite flag another key."""
    one = ConfirmWriteRequest(customer_no="3301000001", purchase_count=2, files=_blank_files())
    assert confirm_key(one).key == confirm_key(one.model_copy()).key
    assert uuid.UUID(confirm_key(one).key).version == 5
    assert confirm_key(one).key != confirm_key(one.model_copy(update={"purchase_count": 3})).key
    assert confirm_key(one).key != confirm_key(one.model_copy(update={"rewrite": True})).key


def _blank_files() -> CardFiles:
    return CardFiles(info="00" * 9, parameters="00" * 26, wallet="00" * 12, returned="00" * 38)


# --- the cardsim commands ------------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    """Run one command in process; its JSON output."""
    assert main(list(argv)) == 0
    out: dict[str, object] = json.loads(capsys.readouterr().out)
    return out


def test_issue_writes_a_card_the_meter_credits(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`issue` makes an opening card the meter credits; issued again as a purchase, the next count is credited."""
    card, meter = tmp_path / "card.json", tmp_path / "meter.json"
    issued = run(capsys, "issue", str(card), "--customer-no", CUSTOMER, "--meter-no", METER_NO, "--count", "1",
                 "--amount-fen", "5000", "--type", "opening", "--serial", "0102030405060708")
    assert (issued["serial"], issued["purchase_count"]) == ("0102030405060708", 1)
    run(capsys, "meter-create", str(meter), "--meter-no", METER_NO)
    assert run(capsys, "meter-insert", str(meter), str(card))["outcome"] == "credited"
    run(capsys, "issue", str(card), "--customer-no", CUSTOMER, "--meter-no", METER_NO, "--count", "2",
        "--amount-fen", "3000")
    second = run(capsys, "meter-insert", str(meter), str(card))
    assert (second["outcome"], second["remaining_fen"]) == ("credited", 8_000)


@pytest.mark.parametrize("argv", [
    ["--customer-no", "12345", "--meter-no", METER_NO, "--count", "1", "--amount-fen", "1"],  # not 12 digits
    ["--customer-no", CUSTOMER, "--meter-no", METER_NO, "--count", "-1", "--amount-fen", "1"],  # count < 0
    ["--customer-no", CUSTOMER, "--meter-no", METER_NO, "--count", "1", "--amount-fen", "100000000"],  # > max
])
def test_issue_refuses_bad_values(tmp_path: Path, argv: list[str]) -> None:
    """A customer number of the wrong length, a negative count, an amount above 999 999.99 yuan: exit 1."""
    assert main(["issue", str(tmp_path / "card.json"), *argv]) == 1


def test_issue_refuses_a_serial_for_an_existing_card(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--serial names a new card only; a bad serial is refused by the parser."""
    card = tmp_path / "card.json"
    run(capsys, "create", str(card))
    args = ["issue", str(card), "--customer-no", CUSTOMER, "--meter-no", METER_NO, "--count", "1", "--amount-fen",
            "1"]
    assert main([*args, "--serial", "0102030405060708"]) == 1
    with pytest.raises(SystemExit):
        main([*args[:2], "--serial", "xyz", *args[2:]])


def test_demo_cards(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The demo's cards carry the registered serials, hold their last purchase already credited by their meters
    (so a sale is allowed), and the blank cards are blank beside unopened meters."""
    folder = tmp_path / "cards"
    out = run(capsys, "demo-cards", str(folder), "--issued", f"{CUSTOMER}:{METER_NO}:3:10000",
              "--blank", "330100000009:000000123999")
    card = VirtualCard.load(folder / f"card-{CUSTOMER}.json")
    assert card.state.serial == demo_serial(CUSTOMER)
    card.reset()
    read = PortAccess(card).read()
    assert read.image is not None
    assert read.image.returned is not None
    assert (read.image.wallet.purchase_count, read.image.returned.purchase_count) == (3, 3)
    meter_state = MeterState.load(folder / f"meter-{METER_NO}.json")
    assert (meter_state.purchase_count, meter_state.remaining_fen) == (3, 10_000)
    blank = VirtualCard.load(folder / "blank-330100000009.json")
    assert blank.state.serial == blank_serial("330100000009")
    assert MeterState.load(folder / "meter-000000123999.json").customer_no is None
    assert out["cards"] == [{"card": str(folder / f"card-{CUSTOMER}.json"), "customer_no": CUSTOMER,
                             "serial": demo_serial(CUSTOMER).hex(), "purchase_count": 3}]
    assert out["blank_cards"] == [{"card": str(folder / "blank-330100000009.json"), "for_customer_no": "330100000009",
                                   "serial": blank_serial("330100000009").hex()}]
    # the card is as-inserted: a second insertion credits nothing
    again = MeterSimulator(meter_state, Esam.test()).insert(card, now=NOW)
    assert again.outcome is Outcome.SAME_COUNT


@pytest.mark.parametrize("text", ["1:2:3", f"{CUSTOMER}:{METER_NO}:0:100", f"{CUSTOMER}:{METER_NO}:x:100",
                                  f"{CUSTOMER}:1234:1:100"])
def test_demo_spec_refusals(text: str) -> None:
    """A spec of the wrong shape, a count of 0, a count that is no number, a meter number that is not 12 digits."""
    with pytest.raises(ValueError, match=r"expected|count must|digits|invalid literal"):
        IssuedSpec.parse(text)


def test_blank_spec_refusals(tmp_path: Path) -> None:
    """A blank spec needs both numbers; the command exits 1 on a bad one."""
    with pytest.raises(ValueError, match="expected CUSTOMER_NO:METER_NO"):
        BlankSpec.parse(CUSTOMER)
    assert main(["demo-cards", str(tmp_path), "--blank", "1:2"]) == 1


# --- ReaderAccess over the client's card reader (second vpcd slot, as tests/cards/test_card_reader.py) ----------


def test_reader_access_writes_and_maps_faults(reader: CardReader, plug: Callable[[VirtualCard], VpcdLink],
                                              esam: Esam) -> None:
    """Through the device thread: read, a challenge for the card read, the MAC'd writes; a challenge for another
    serial is OTHER_CARD and a wrong MAC is CARD_STATUS 6988 at its index, as CardAccessError."""
    sold = issued_card(esam, card_type=CardType.PURCHASE, count=3)
    sold.state.files[EF_RETURN.fid] = stale_return(count=3, remaining_fen=4_000)
    plug(sold)
    access = ReaderAccess(reader, timeout_s=WAIT_S)
    read = access.read()
    assert read.serial == sold.state.serial.hex()
    assert read.image is not None
    assert bytes.fromhex(read.files.returned) == sold.file(EF_RETURN)
    with pytest.raises(CardAccessError) as other:
        access.get_challenge(bytes(8))
    assert other.value.problem is CardProblem.OTHER_CARD
    reader_read = reader.read_image().result(timeout=WAIT_S)
    bad = wallet_write(esam, reader_read, access.get_challenge(sold.state.serial), amount_fen=1, count=4)
    bad[1] = bad[1][:-1] + bytes([bad[1][-1] ^ 0xFF])
    with pytest.raises(CardAccessError) as refused:
        access.transmit_all(bad)
    assert (refused.value.problem, refused.value.index, refused.value.sw) == (CardProblem.CARD_STATUS, 1, 0x6988)
    good = wallet_write(esam, reader_read, access.get_challenge(sold.state.serial), amount_fen=20_000, count=4)
    assert access.transmit_all(good) == [b"", b""]
    after = access.read()
    assert after.image is not None
    assert (after.image.wallet.purchase_count, after.image.wallet.amount_fen) == (4, 20_000)
    with pytest.raises(CardAccessError) as not_apdu:
        access.transmit_all([b"\x00"])
    assert not_apdu.value.problem is CardProblem.CARD_MALFORMED


def test_ticket_numbers_come_from_the_outbox_numbering(tmp_path: Path) -> None:
    """A card ticket's receipt number is the counter's next one from the outbox's numbering (the one queued payments
    use), recorded as taken: the next ticket gets the following number; the server's floor is respected."""
    outbox = Outbox(tmp_path / "counter.sqlite3").open()
    first = mint_ticket(ActionSlot().confirm("a"), outbox=outbox, counter_code="T0101", server_next_seq=5)
    second = mint_ticket(ActionSlot().confirm("b"), outbox=outbox, counter_code="T0101", server_next_seq=1)
    assert parse_receipt_no(first.receipt_no)[2] == 5
    assert parse_receipt_no(second.receipt_no)[2] == 6
    assert first.action.key != second.action.key
    assert outbox.last_receipt_seq("T0101") == 6
