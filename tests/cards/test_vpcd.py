"""The emulated card through a real pcscd and the vpcd virtual reader, spoken to with pyscard: reads, MAC'd writes,
a wrong MAC refused with nothing written, a card pulled mid-write (before and after it acted), the "Card was
reset" retry, removal and reinsertion, and a card handed between reader and meter."""

from __future__ import annotations

import pytest
from smartcard.Exceptions import CardConnectionException

from client.devices.cardsim.card import ATR, CardState, VirtualCard
from client.devices.cardsim.issuer import Issuer
from client.devices.cardsim.keys import Esam
from client.devices.cardsim.meter import MeterSimulator, MeterState, Outcome
from client.devices.cardsim.vpcd import VpcdLink
from shared_models.cards import apdu
from shared_models.cards.apdu import CommandApdu, Ins, ResponseApdu, Sw
from shared_models.cards.crypto import mac_update
from shared_models.cards.errors import CardStatusError
from shared_models.cards.files import DF01, EF_WALLET, MF, CardType, ParameterFile, WalletFile
from shared_models.cards.image import exchange, read_card
from tests.cards.conftest import SERIAL
from tests.cards.helpers import CUSTOMER, METER_NO, NOW
from tests.cards.pcsc import PcscTerminal, find_reader, wait_for_card

OPENING = ParameterFile(card_type=CardType.OPENING, meter_no=METER_NO, customer_no=CUSTOMER, ct_ratio=1, pt_ratio=1)


def _is_wallet_update(command: CommandApdu) -> bool:
    return command.ins == Ins.UPDATE_BINARY and command.p1 == 0x80 | EF_WALLET.sfi


def _remove(link: VpcdLink, reader: str) -> None:
    """Pull the card and wait until pcscd saw it go."""
    link.remove()
    wait_for_card(reader, present=False)


def _reinsert(link: VpcdLink, reader: str) -> PcscTerminal:
    """Put the card back (pulled if still in) and connect a fresh terminal."""
    _remove(link, reader)
    link.insert()
    terminal = PcscTerminal(reader)
    terminal.connect()
    return terminal


class TestThroughPcscd:
    """Reads and writes over pcscd + vpcd."""

    def test_reads_blank_card(self, terminal: PcscTerminal) -> None:
        """A blank card reads through the reader: serial, blank parameters, count 0, empty return file."""
        image = read_card(terminal)
        assert image.info.serial == SERIAL
        assert image.parameters == ParameterFile.blank()
        assert image.wallet.purchase_count == 0
        assert image.returned is None

    def test_atr(self, terminal: PcscTerminal, pcscd: str) -> None:
        """pcscd reports the emulator's ATR."""
        connection = find_reader(pcscd).createConnection()
        connection.connect()
        assert bytes(connection.getATR()) == ATR
        connection.disconnect()

    def test_opening_write(self, terminal: PcscTerminal, esam: Esam, card: VirtualCard) -> None:
        """Opening parameters and a sealed wallet go onto the card and into its JSON file."""
        Issuer(esam).write(terminal, parameters=OPENING, amount_fen=10_000, purchase_count=1)
        image = read_card(terminal)
        assert (image.parameters, image.wallet.amount_fen, image.wallet.purchase_count) == (OPENING, 10_000, 1)
        assert card.path is not None
        assert CardState.load(card.path).files[EF_WALLET.fid] == image.wallet.encode()

    def test_wrong_mac_refused_nothing_written(self, terminal: PcscTerminal, card: VirtualCard) -> None:
        """An update MAC'd under a wrong key answers 6988; the card and its JSON are unchanged."""
        assert card.path is not None
        saved = card.path.read_bytes()
        exchange(terminal, apdu.select(MF), "select MF")
        exchange(terminal, apdu.select(DF01), "select DF01")
        nonce = exchange(terminal, apdu.get_challenge(), "challenge", length=8)
        forged = mac_update(Esam.test().encrypt(1), update_key=bytes(16), challenge=nonce, sequence=0, ef=EF_WALLET,
                            data=WalletFile(amount_fen=99_999, purchase_count=1).encode())
        with pytest.raises(CardStatusError) as caught:
            exchange(terminal, forged, "update wallet")
        assert caught.value.sw == Sw.MAC_WRONG
        assert read_card(terminal).wallet.purchase_count == 0
        assert card.path.read_bytes() == saved

    def test_plain_update_refused(self, terminal: PcscTerminal) -> None:
        """An UPDATE BINARY without secure messaging answers 6982."""
        exchange(terminal, apdu.select(MF), "select MF")
        exchange(terminal, apdu.select(DF01), "select DF01")
        answer = ResponseApdu.decode(terminal.transmit(bytes.fromhex("00d682000c") + bytes(12)))
        assert answer.sw == Sw.SECURITY_NOT_SATISFIED


class TestPulledMidWrite:
    """The card pulled out while the wallet is written."""

    def test_pulled_before_the_card_acted(self, link: VpcdLink, terminal: PcscTerminal, esam: Esam,
                                          card: VirtualCard, pcscd: str) -> None:
        """The terminal gets an error and the wallet keeps its old purchase (the return file, written first, is
        cleared)."""
        Issuer(esam).write(terminal, parameters=OPENING, amount_fen=10_000, purchase_count=1)
        pulled = link.pull_on(_is_wallet_update, after=False)
        with pytest.raises(CardConnectionException):
            Issuer(esam).write(terminal, amount_fen=5_000, purchase_count=2)
        assert pulled.wait(timeout=5)
        terminal.close()
        again = _reinsert(link, pcscd)
        try:
            assert read_card(again).wallet.purchase_count == 1
        finally:
            again.close()

    def test_pulled_after_the_card_acted(self, link: VpcdLink, terminal: PcscTerminal, esam: Esam,
                                         card: VirtualCard, pcscd: str) -> None:
        """The terminal gets an error, yet the card holds the new purchase: written but never confirmed."""
        Issuer(esam).write(terminal, parameters=OPENING, amount_fen=10_000, purchase_count=1)
        pulled = link.pull_on(_is_wallet_update, after=True)
        with pytest.raises(CardConnectionException):
            Issuer(esam).write(terminal, amount_fen=5_000, purchase_count=2)
        assert pulled.wait(timeout=5)
        terminal.close()
        again = _reinsert(link, pcscd)
        try:
            wallet = read_card(again).wallet
            assert (wallet.amount_fen, wallet.purchase_count) == (5_000, 2)
        finally:
            again.close()


class TestReaderEvents:
    """Reset, removal and reinsertion as a reader reports them."""

    def test_card_reset_is_retried_once(self, terminal: PcscTerminal) -> None:
        """After another handle reset the card, the next transmit reconnects once and succeeds."""
        exchange(terminal, apdu.select(MF), "select MF")
        terminal.reset_from_elsewhere()
        assert exchange(terminal, apdu.select(MF), "select MF") == b""
        assert terminal.resets == 1
        assert read_card(terminal).info.serial == SERIAL

    def test_removed_then_reinserted(self, link: VpcdLink, terminal: PcscTerminal, pcscd: str) -> None:
        """A removed card fails the next transmit; reinserted it reads again."""
        _remove(link, pcscd)
        with pytest.raises(CardConnectionException):
            read_card(terminal)
        terminal.close()
        again = _reinsert(link, pcscd)
        try:
            assert read_card(again).info.serial == SERIAL
        finally:
            again.close()

    def test_card_between_reader_and_meter(self, link: VpcdLink, terminal: PcscTerminal, esam: Esam,
                                           card: VirtualCard, pcscd: str) -> None:
        """Written in the reader, credited in the meter, and the reader then reads the meter's return file."""
        Issuer(esam).write(terminal, parameters=OPENING, amount_fen=10_000, purchase_count=1)
        terminal.close()
        _remove(link, pcscd)
        simulator = MeterSimulator(MeterState(meter_no=METER_NO), esam)
        assert simulator.insert(card, now=NOW).outcome is Outcome.CREDITED
        again = _reinsert(link, pcscd)
        try:
            returned = read_card(again).returned
        finally:
            again.close()
        assert returned is not None
        assert (returned.purchase_count, returned.remaining_fen) == (1, 10_000)
