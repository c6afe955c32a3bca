"""Reading a card into an image and the write plan: the files in their safe order, MAC'd as one sequence."""

from __future__ import annotations

import pytest

from client.devices.cardsim.card import VirtualCard
from client.devices.cardsim.keys import Esam
from shared_models.cards import apdu
from shared_models.cards.apdu import Sw
from shared_models.cards.crypto import KeyId
from shared_models.cards.errors import CardFormatError, CardStatusError
from shared_models.cards.files import EF_PARAMETERS, EF_RETURN, EF_WALLET, CardType, ParameterFile, WalletFile
from shared_models.cards.image import exchange, mac_plan, read_card, select_application, write_plan
from tests.cards.helpers import CUSTOMER, METER_NO

PARAMETERS = ParameterFile(card_type=CardType.PURCHASE, meter_no=METER_NO, customer_no=CUSTOMER)
WALLET = WalletFile(amount_fen=100, purchase_count=2, mac=bytes(4))


class _Scripted:
    """A port that answers every command with the same bytes (a card gone wrong)."""

    def __init__(self, answer: bytes) -> None:
        self.answer = answer

    def transmit(self, raw: bytes) -> bytes:
        return self.answer


class TestWritePlan:
    """Which files a write touches, and in which order."""

    def test_sale_clears_return_then_wallet(self) -> None:
        """A sale: return file cleared, then the wallet."""
        assert [ef for ef, _ in write_plan(parameters=None, wallet=WALLET)] == [EF_RETURN, EF_WALLET]

    def test_opening_order(self) -> None:
        """An opening or replacement: return file, parameters, wallet, each a whole file."""
        plan = write_plan(parameters=PARAMETERS, wallet=WALLET)
        assert [ef for ef, _ in plan] == [EF_RETURN, EF_PARAMETERS, EF_WALLET]
        assert [len(data) for _, data in plan] == [38, 26, 12]
        assert plan[0][1] == bytes(38)

    def test_nothing(self) -> None:
        """No return clearing and nothing else: an empty plan."""
        assert write_plan(parameters=None, wallet=None, clear_return=False) == []

    def test_commands_are_numbered_under_one_challenge(self, card: VirtualCard, esam: Esam) -> None:
        """mac_plan's commands go through in order under one challenge; out of order the second fails 6988."""
        card.reset()
        state = card.state
        version = state.version.number
        select_application(card)
        plan = write_plan(parameters=None, wallet=WALLET)
        challenge = exchange(card, apdu.get_challenge(), "challenge", length=8)
        commands = mac_plan(esam.encrypt(version), update_key=esam.card_key(version, KeyId.UPDATE, state.serial),
                            challenge=challenge, plan=plan)
        with pytest.raises(CardStatusError) as caught:
            exchange(card, commands[1], "update wallet")  # #1 before #0
        assert caught.value.sw == Sw.MAC_WRONG
        challenge = exchange(card, apdu.get_challenge(), "challenge", length=8)
        commands = mac_plan(esam.encrypt(version), update_key=esam.card_key(version, KeyId.UPDATE, state.serial),
                            challenge=challenge, plan=plan)
        for command in commands:
            exchange(card, command, "update")
        assert card.file(EF_WALLET) == WALLET.encode()


class TestReadCard:
    """read_card over a port: typed errors for every bad answer."""

    def test_blank(self, card: VirtualCard) -> None:
        """A blank card reads as blank, count 0, no return file."""
        card.reset()
        image = read_card(card)
        assert image.parameters == ParameterFile.blank()
        assert image.returned is None

    @pytest.mark.parametrize(("answer", "error"), [
        (bytes.fromhex("6a82"), CardStatusError), (bytes.fromhex("6989"), CardStatusError),
        (b"", CardFormatError), (bytes.fromhex("90"), CardFormatError), (bytes.fromhex("00") * 5 + b"\x90\x00",
                                                                         CardFormatError),
    ], ids=["6A82", "6989", "empty", "one-byte", "wrong-size"])
    def test_bad_answers(self, answer: bytes, error: type[Exception]) -> None:
        """A card answering an error SW, nothing, one byte or the wrong size: a typed error."""
        with pytest.raises(error):
            read_card(_Scripted(answer))

    def test_status_error_carries_sw(self) -> None:
        """The status word travels in the error."""
        with pytest.raises(CardStatusError) as caught:
            read_card(_Scripted(bytes.fromhex("6982")))
        assert caught.value.sw == Sw.SECURITY_NOT_SATISFIED
