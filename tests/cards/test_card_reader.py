"""The client's card reader device through a real pcscd and the vpcd reader with the emulated card: events, reads,
a MAC'd write with the TEST keys, a card pulled mid-write, the "card was reset" and "transaction failed" recoveries,
no reader, no card, cards that answer wrongly, and the device-thread check.

These tests use the second vpcd slot (``Virtual PCD 00 01``, port 35964), so they never meet a card another suite
put into ``Virtual PCD 00 00``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Final

import pytest

from client.core.config import CardReaderConfig
from client.devices.card_reader import (
    CardRead,
    CardReader,
    CardReaderError,
    ReaderEvent,
    ReaderFault,
    ReaderState,
)
from client.devices.cardsim.card import ATR, CardState, VirtualCard
from client.devices.cardsim.issuer import Issuer
from client.devices.cardsim.keys import Esam
from client.devices.cardsim.vpcd import VpcdLink
from client.devices.device_thread import WrongThreadError
from shared_models.cards.apdu import CommandApdu, Ins, Sw
from shared_models.cards.crypto import KeyId
from shared_models.cards.errors import CardFormatError, CardStatusError
from shared_models.cards.files import ALL_EFS, DF01, EF_INFO, EF_PARAMETERS, EF_RETURN, EF_WALLET, CardType, ReturnFile
from shared_models.cards.image import mac_plan, read_card, write_plan
from tests.cards.helpers import CUSTOMER, SERIAL_B, issued_card, stale_return
from tests.cards.pcsc import PcscTerminal, find_reader, wait_for_card

#: A fuzzing card's case: its name, its own answer to some commands, the fault and status word expected.
BadAnswer = tuple[str, Callable[[CommandApdu], bytes | None], ReaderFault, int | None]

SLOT: Final = "Virtual PCD 00 01"
SLOT_PORT: Final = 35964
WAIT_S: Final = 10.0


class Events:
    """Every event a reader published, with a wait for the one a test expects."""

    def __init__(self) -> None:
        self.seen: list[ReaderEvent] = []
        self._changed = threading.Condition()

    def __call__(self, event: ReaderEvent) -> None:
        with self._changed:
            self.seen.append(event)
            self._changed.notify_all()

    def wait_for(self, state: ReaderState, *, after: int = 0) -> ReaderEvent:
        """The first event in ``state`` at or after position ``after`` (an AssertionError if none comes)."""
        with self._changed:
            found = self._changed.wait_for(
                lambda: next((e for e in self.seen[after:] if e.state is state), None), timeout=WAIT_S)
        assert found is not None, f"no {state} event; saw {[e.state.value for e in self.seen]}"
        return found

    def mark(self) -> int:
        """The position after the events seen so far."""
        with self._changed:
            return len(self.seen)


@pytest.fixture
def slot(pcscd: str) -> str:
    """The second vpcd reader of the running pcscd (the fixture makes sure pcscd runs)."""
    find_reader(SLOT)
    return SLOT


@pytest.fixture
def reader(slot: str) -> Iterator[CardReader]:
    """A card reader configured for the second vpcd slot; closed at teardown."""
    device = CardReader(CardReaderConfig(name=slot))
    yield device
    assert device.close(timeout=WAIT_S)


@pytest.fixture
def plug(slot: str) -> Iterator[Callable[[VirtualCard], VpcdLink]]:
    """Insert a card into the second slot (and wait until pcscd saw it); every card is pulled at teardown."""
    links: list[VpcdLink] = []

    def insert(card: VirtualCard) -> VpcdLink:
        link = VpcdLink(card, port=SLOT_PORT)
        link.insert()
        links.append(link)
        wait_for_card(slot, present=True)
        return link

    yield insert
    for link in links:
        link.remove()
    wait_for_card(slot, present=False)


def pull(link: VpcdLink) -> None:
    """Take the card out and wait until pcscd noticed."""
    link.remove()
    wait_for_card(SLOT, present=False)


def failure(future: object) -> CardReaderError:
    """The CardReaderError a job's Future raised (an AssertionError if it succeeded or raised anything else)."""
    with pytest.raises(CardReaderError) as caught:
        future.result(timeout=WAIT_S)  # type: ignore[attr-defined]
    return caught.value


def wallet_write(esam: Esam, read: CardRead, challenge: bytes, *, amount_fen: int, count: int) -> list[bytes]:
    """The MAC'd commands (return file cleared, then the wallet) as the key service makes them, with TEST keys."""
    info = read.image.info
    wallet = Issuer(esam).sealed_wallet(info, amount_fen=amount_fen, purchase_count=count)
    plan = write_plan(parameters=None, wallet=wallet)
    update_key = esam.card_key(info.key_version, KeyId.UPDATE, info.serial)
    commands = mac_plan(esam.encrypt(info.key_version), update_key=update_key, challenge=challenge, plan=plan)
    return [command.encode() for command in commands]


def is_update(sfi: int) -> Callable[[CommandApdu], bool]:
    """Matches the UPDATE BINARY of the file with short id ``sfi``."""
    return lambda command: command.ins == Ins.UPDATE_BINARY and command.p1 == 0x80 | sfi


class _Answering(VirtualCard):
    """An emulated card that answers one kind of command its own way (a foreign or a broken card)."""

    def __init__(self, state: CardState, answer: Callable[[CommandApdu], bytes | None]) -> None:
        super().__init__(state)
        self._answer = answer

    def transmit(self, raw: bytes) -> bytes:
        own = self._answer(CommandApdu.decode(raw))
        return own if own is not None else super().transmit(raw)


class TestEvents:
    """The watcher reports the reader's state; the read after an insertion is published too."""

    def test_insert_read_remove(self, reader: CardReader, plug: Callable[[VirtualCard], VpcdLink],
                                card: VirtualCard) -> None:
        """An empty reader, then a blank card inserted (ATR, then its read), then removed."""
        events = Events()
        reader.subscribe(events)
        reader.start()
        events.wait_for(ReaderState.NO_CARD)
        link = plug(card)
        inserted = events.wait_for(ReaderState.CARD_PRESENT)
        assert inserted.atr == ATR
        assert inserted.reader == SLOT
        read = events.wait_for(ReaderState.CARD_READ).read
        assert read is not None
        assert read.blank
        assert read.image.info.serial == card.state.serial
        after = events.mark()
        pull(link)
        events.wait_for(ReaderState.NO_CARD, after=after)

    def test_second_insertion_is_reported(self, reader: CardReader, plug: Callable[[VirtualCard], VpcdLink],
                                          card: VirtualCard, esam: Esam) -> None:
        """A second card after the first is read too, as a new insertion."""
        events = Events()
        reader.subscribe(events)
        reader.start()
        link = plug(card)
        first = events.wait_for(ReaderState.CARD_READ)
        after = events.mark()
        pull(link)
        plug(issued_card(esam, card_type=CardType.PURCHASE, count=2, serial=SERIAL_B))
        second = events.wait_for(ReaderState.CARD_READ, after=after)
        assert second.insertion > first.insertion
        assert second.read is not None
        assert second.read.image.parameters.customer_no == CUSTOMER

    def test_late_subscriber_gets_the_state(self, reader: CardReader) -> None:
        """A listener subscribing after the watcher started hears the current state at once."""
        early = Events()
        reader.subscribe(early)
        reader.start()
        early.wait_for(ReaderState.NO_CARD)
        late = Events()
        unsubscribe = reader.subscribe(late)
        assert late.seen[0].state is ReaderState.NO_CARD
        unsubscribe()

    def test_unknown_card_is_unreadable(self, reader: CardReader, plug: Callable[[VirtualCard], VpcdLink],
                                        card: VirtualCard) -> None:
        """A card without our application is reported unreadable (UNKNOWN_CARD), not as an exception."""
        events = Events()
        reader.subscribe(events)
        reader.start()
        foreign = _Answering(card.state, lambda c: Sw.FILE_NOT_FOUND.to_bytes(2, "big")
                             if c.ins == Ins.SELECT and c.data == DF01.to_bytes(2, "big") else None)
        plug(foreign)
        event = events.wait_for(ReaderState.CARD_UNREADABLE)
        assert event.error is not None
        assert event.error.code is ReaderFault.UNKNOWN_CARD


class TestJobs:
    """Reads, challenges and MAC'd writes on the device thread."""

    def test_read_image_equals_the_card(self, reader: CardReader, plug: Callable[[VirtualCard], VpcdLink],
                                        esam: Esam) -> None:
        """read_image decodes what read_card decodes, and its raw bytes are the emulator's files."""
        sold = issued_card(esam, card_type=CardType.PURCHASE, count=3, amount_fen=12_345)
        sold.state.files[EF_RETURN.fid] = stale_return(count=3, remaining_fen=4_000)
        plug(sold)
        read = reader.read_image().result(timeout=WAIT_S)
        assert read.raw == {ef.name: sold.file(ef) for ef in ALL_EFS}
        assert read.files_hex == {"info": sold.file(EF_INFO).hex(), "parameters": sold.file(EF_PARAMETERS).hex(),
                                  "wallet": sold.file(EF_WALLET).hex(), "returned": sold.file(EF_RETURN).hex()}
        assert read.image == read_card(sold)
        assert read.image.returned == ReturnFile.decode(sold.file(EF_RETURN))
        assert not read.blank

    def test_mac_write_through_transmit_all(self, reader: CardReader, plug: Callable[[VirtualCard], VpcdLink],
                                            esam: Esam) -> None:
        """A challenge, then the MAC'd writes made with the TEST keys: the card holds the new wallet."""
        sold = issued_card(esam, card_type=CardType.PURCHASE, count=3)
        sold.state.files[EF_RETURN.fid] = stale_return(count=3, remaining_fen=4_000)
        plug(sold)
        read = reader.read_image().result(timeout=WAIT_S)
        challenge = reader.get_challenge(serial=read.image.info.serial).result(timeout=WAIT_S)
        assert len(challenge) == 8
        commands = wallet_write(esam, read, challenge, amount_fen=20_000, count=4)
        assert reader.transmit_all(commands).result(timeout=WAIT_S) == [b"", b""]
        after = reader.read_image().result(timeout=WAIT_S)
        assert after.image.wallet.purchase_count == 4
        assert after.image.wallet.amount_fen == 20_000
        assert after.image.returned is None
        assert after.raw["wallet"] == sold.file(EF_WALLET)

    def test_insertion_read_waits_for_the_write(self, reader: CardReader, plug: Callable[[VirtualCard], VpcdLink],
                                                esam: Esam) -> None:
        """pcscd reports an insertion after a write took its challenge (the cashier pressed 补写卡 at once): the read
        that follows an insertion waits for the write's commands instead of taking the challenge (SW 6984), and is
        published after them."""
        sold = issued_card(esam, card_type=CardType.PURCHASE, count=3)
        plug(sold)
        events = Events()
        reader.subscribe(events)
        read = reader.read_image().result(timeout=WAIT_S)
        challenge = reader.get_challenge(serial=read.image.info.serial).result(timeout=WAIT_S)
        # The watcher's late report of this insertion (as _Watcher would make it): its read is queued now.
        reader._card_inserted(ReaderEvent(state=ReaderState.CARD_PRESENT, reader=SLOT, atr=ATR, insertion=1))
        commands = wallet_write(esam, read, challenge, amount_fen=20_000, count=4)
        assert reader.transmit_all(commands).result(timeout=WAIT_S) == [b"", b""]
        published = events.wait_for(ReaderState.CARD_READ).read
        assert published is not None
        assert published.image.wallet.purchase_count == 4

    def test_wrong_mac_stops_with_its_index(self, reader: CardReader, plug: Callable[[VirtualCard], VpcdLink],
                                            esam: Esam) -> None:
        """A command with a wrong MAC is CARD_STATUS 6988 at its index; nothing after it is sent."""
        sold = issued_card(esam, card_type=CardType.PURCHASE, count=3)
        plug(sold)
        before = {ef.name: sold.file(ef) for ef in ALL_EFS}
        read = reader.read_image().result(timeout=WAIT_S)
        challenge = reader.get_challenge().result(timeout=WAIT_S)
        commands = wallet_write(esam, read, challenge, amount_fen=20_000, count=4)
        commands[0] = commands[0][:-1] + bytes([commands[0][-1] ^ 0xFF])
        error = failure(reader.transmit_all(commands))
        assert (error.code, error.index, error.sw) == (ReaderFault.CARD_STATUS, 0, Sw.MAC_WRONG)
        assert isinstance(error.__cause__, CardStatusError)
        assert error.__cause__.sw == Sw.MAC_WRONG
        assert {ef.name: sold.file(ef) for ef in ALL_EFS} == before

    def test_stale_challenge_is_refused(self, reader: CardReader, plug: Callable[[VirtualCard], VpcdLink],
                                        esam: Esam) -> None:
        """A read between the challenge and the writes voids the challenge: the card refuses with 6984."""
        sold = issued_card(esam, card_type=CardType.PURCHASE, count=3)
        plug(sold)
        read = reader.read_image().result(timeout=WAIT_S)
        challenge = reader.get_challenge().result(timeout=WAIT_S)
        reader.read_image().result(timeout=WAIT_S)
        error = failure(reader.transmit_all(wallet_write(esam, read, challenge, amount_fen=1_000, count=4)))
        assert (error.code, error.index, error.sw) == (ReaderFault.CARD_STATUS, 0, Sw.NO_CHALLENGE)

    def test_other_card_refused_for_the_challenge(self, reader: CardReader, plug: Callable[[VirtualCard], VpcdLink],
                                                  card: VirtualCard) -> None:
        """get_challenge for another serial than the card's is OTHER_CARD."""
        plug(card)
        error = failure(reader.get_challenge(serial=SERIAL_B))
        assert error.code is ReaderFault.OTHER_CARD

    def test_not_an_apdu_is_refused_before_sending(self, reader: CardReader) -> None:
        """transmit_all refuses bytes that are no APDU at once, on the caller's thread."""
        with pytest.raises(ValueError, match="command 1"):
            reader.transmit_all([bytes.fromhex("0084000008"), b"\x00\x01"])

    def test_write_without_a_session(self, reader: CardReader, plug: Callable[[VirtualCard], VpcdLink],
                                     card: VirtualCard) -> None:
        """transmit_all before any challenge (no card session) is CARD_REMOVED at index 0."""
        plug(card)
        error = failure(reader.transmit_all([bytes.fromhex("0084000008")]))
        assert (error.code, error.index) == (ReaderFault.CARD_REMOVED, 0)


class TestRemoval:
    """A card pulled out during a write or between its steps."""

    def test_pulled_mid_write(self, reader: CardReader, plug: Callable[[VirtualCard], VpcdLink], esam: Esam) -> None:
        """Pulled after the card cleared the return file but before its answer: CARD_REMOVED at index 0, and the
        wallet (the command after it) is not written."""
        sold = issued_card(esam, card_type=CardType.PURCHASE, count=3)
        sold.state.files[EF_RETURN.fid] = stale_return(count=3, remaining_fen=4_000)
        link = plug(sold)
        wallet_before = sold.file(EF_WALLET)
        read = reader.read_image().result(timeout=WAIT_S)
        challenge = reader.get_challenge().result(timeout=WAIT_S)
        pulled = link.pull_on(is_update(EF_RETURN.sfi), after=True)
        error = failure(reader.transmit_all(wallet_write(esam, read, challenge, amount_fen=20_000, count=4)))
        assert pulled.is_set()
        assert (error.code, error.index) == (ReaderFault.CARD_REMOVED, 0)
        assert sold.file(EF_RETURN) == ReturnFile.empty()
        assert sold.file(EF_WALLET) == wallet_before

    def test_pulled_before_the_wallet(self, reader: CardReader, plug: Callable[[VirtualCard], VpcdLink],
                                      esam: Esam) -> None:
        """Pulled as the wallet command arrives (before the card acts): CARD_REMOVED at index 1, wallet unchanged."""
        sold = issued_card(esam, card_type=CardType.PURCHASE, count=3)
        link = plug(sold)
        wallet_before = sold.file(EF_WALLET)
        read = reader.read_image().result(timeout=WAIT_S)
        challenge = reader.get_challenge().result(timeout=WAIT_S)
        link.pull_on(is_update(EF_WALLET.sfi), after=False)
        error = failure(reader.transmit_all(wallet_write(esam, read, challenge, amount_fen=20_000, count=4)))
        assert (error.code, error.index) == (ReaderFault.CARD_REMOVED, 1)
        assert sold.file(EF_WALLET) == wallet_before

    def test_pulled_between_challenge_and_write(self, reader: CardReader, plug: Callable[[VirtualCard], VpcdLink],
                                                esam: Esam) -> None:
        """The card went out after its challenge: the write is CARD_REMOVED at index 0; the next read is NO_CARD."""
        sold = issued_card(esam, card_type=CardType.PURCHASE, count=3)
        link = plug(sold)
        read = reader.read_image().result(timeout=WAIT_S)
        challenge = reader.get_challenge().result(timeout=WAIT_S)
        pull(link)
        error = failure(reader.transmit_all(wallet_write(esam, read, challenge, amount_fen=20_000, count=4)))
        assert (error.code, error.index) == (ReaderFault.CARD_REMOVED, 0)
        assert failure(reader.read_image()).code is ReaderFault.NO_CARD

    def test_no_card(self, reader: CardReader) -> None:
        """A read from the empty reader is NO_CARD."""
        assert failure(reader.read_image()).code is ReaderFault.NO_CARD


class TestRecovery:
    """The "card was reset" retry and the "transaction failed" window after a swap."""

    def test_reset_elsewhere_is_retried(self, reader: CardReader, plug: Callable[[VirtualCard], VpcdLink],
                                        card: VirtualCard) -> None:
        """Another handle resets the card between two reads: the second read reconnects and succeeds."""
        plug(card)
        first = reader.read_image().result(timeout=WAIT_S)
        PcscTerminal(SLOT).reset_from_elsewhere()
        assert reader.read_image().result(timeout=WAIT_S) == first
        assert reader.resets == 1

    def test_reset_between_challenge_and_write(self, reader: CardReader, plug: Callable[[VirtualCard], VpcdLink],
                                               esam: Esam) -> None:
        """A reset after the challenge fails the write (CARD_RESET at index 0, nothing written); a new challenge
        and write then succeed on the same card."""
        sold = issued_card(esam, card_type=CardType.PURCHASE, count=3)
        plug(sold)
        wallet_before = sold.file(EF_WALLET)
        read = reader.read_image().result(timeout=WAIT_S)
        challenge = reader.get_challenge().result(timeout=WAIT_S)
        PcscTerminal(SLOT).reset_from_elsewhere()
        error = failure(reader.transmit_all(wallet_write(esam, read, challenge, amount_fen=20_000, count=4)))
        assert (error.code, error.index) == (ReaderFault.CARD_RESET, 0)
        assert sold.file(EF_WALLET) == wallet_before
        challenge = reader.get_challenge().result(timeout=WAIT_S)
        reader.transmit_all(wallet_write(esam, read, challenge, amount_fen=20_000, count=4)).result(timeout=WAIT_S)
        assert reader.read_image().result(timeout=WAIT_S).image.wallet.purchase_count == 4

    def test_swap_before_pcscd_polls(self, reader: CardReader, plug: Callable[[VirtualCard], VpcdLink],
                                     card: VirtualCard, esam: Esam) -> None:
        """A card swapped faster than pcscd polls (transaction failed on the old handle): the read waits for the
        reader and reads the new card."""
        link = plug(card)
        reader.read_image().result(timeout=WAIT_S)
        link.remove()  # no wait: pcscd has not seen it go
        other = issued_card(esam, card_type=CardType.PURCHASE, count=5, serial=SERIAL_B)
        plug(other)
        read = reader.read_image().result(timeout=WAIT_S)
        assert read.image.info.serial == SERIAL_B
        assert read.image.wallet.purchase_count == 5


class TestFaults:
    """No reader, and cards whose answers do not fit: typed errors, never a pyscard exception."""

    def test_no_reader_matches(self, slot: str) -> None:
        """A configured name no reader has: NO_READER for a job and from the watcher."""
        device = CardReader(CardReaderConfig(name="No Such Reader 42"))
        try:
            events = Events()
            device.subscribe(events)
            device.start()
            events.wait_for(ReaderState.NO_READER)
            assert failure(device.read_image()).code is ReaderFault.NO_READER
        finally:
            assert device.close(timeout=WAIT_S)

    @pytest.mark.parametrize("case", [
        ("mute select", lambda c: Sw.INS_NOT_SUPPORTED.to_bytes(2, "big") if c.ins == Ins.SELECT else None,
         ReaderFault.UNKNOWN_CARD, Sw.INS_NOT_SUPPORTED),
        ("truncated wallet", lambda c: bytes(5) + b"\x90\x00" if c.ins == Ins.READ_BINARY and c.p1 == 0x82 else None,
         ReaderFault.CARD_MALFORMED, None),
        ("over-long info", lambda c: bytes(12) + b"\x90\x00" if c.ins == Ins.READ_BINARY and c.p1 == 0x95 else None,
         ReaderFault.CARD_MALFORMED, None),
        ("one-byte answer", lambda c: b"\x90" if c.ins == Ins.READ_BINARY and c.p1 == 0x81 else None,
         ReaderFault.CARD_MALFORMED, None),
        ("bad BCD", lambda c: bytes([0x02, 0x00]) + bytes(12) + b"\xaa" * 12 + b"\x90\x00"
         if c.ins == Ins.READ_BINARY and c.p1 == 0x81 else None, ReaderFault.CARD_MALFORMED, None),
        ("status 6581", lambda c: b"\x65\x81" if c.ins == Ins.READ_BINARY and c.p1 == 0x85 else None,
         ReaderFault.CARD_STATUS, 0x6581),
    ], ids=lambda case: case[0])
    def test_bad_answers(self, reader: CardReader, plug: Callable[[VirtualCard], VpcdLink], card: VirtualCard,
                         case: BadAnswer) -> None:
        """Each broken answer is its typed error (the card error of shared_models as the cause)."""
        _, answer, fault, sw = case
        plug(_Answering(card.state, answer))
        error = failure(reader.read_image())
        assert (error.code, error.sw) == (fault, sw)
        assert error.index is None
        assert isinstance(error.__cause__, CardFormatError | CardStatusError)

    def test_wrong_thread(self, reader: CardReader) -> None:
        """A device function called off the card reader's thread is refused."""
        with pytest.raises(WrongThreadError):
            reader._read_now()



class TestConfig:
    """The reader settings as the client's settings file holds them."""

    @pytest.mark.parametrize(("enabled", "expected"), [
        ("true", True), (True, True), ("", True), ("yes", True), ("false", False), (False, False), ("0", False),
        (" Off ", False), ("NO", False),
    ])
    def test_enabled(self, enabled: object, expected: bool) -> None:
        """Only false, 0, no and off (any case, any spaces) switch the reader off; anything else leaves it on."""
        assert CardReaderConfig.from_settings(enabled=enabled, name=None).enabled is expected

    def test_name_matches_a_part_in_any_case(self) -> None:
        """The name is a case-insensitive part of the reader's; empty matches every reader."""
        config = CardReaderConfig.from_settings(enabled="true", name="  pcd 00 01 ")
        assert config.name == "pcd 00 01"
        assert config.matches("Virtual PCD 00 01")
        assert not config.matches("Virtual PCD 00 00")
        assert CardReaderConfig().matches("Any Reader")
