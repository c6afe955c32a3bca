"""Test helpers of the card suite: make cards in given states and meters with given memories (TEST keys)."""

from __future__ import annotations

import datetime as dt
from typing import Final

from client.devices.cardsim.card import CardState, VirtualCard
from client.devices.cardsim.issuer import Issuer
from client.devices.cardsim.keys import Esam, default_test_version
from client.devices.cardsim.meter import MeterSimulator, MeterState
from shared_models.cards import apdu
from shared_models.cards.apdu import ResponseApdu
from shared_models.cards.crypto import KeyId, auth_cryptogram, mac_update
from shared_models.cards.files import BEIJING, DF01, EF_PARAMETERS, MF, CardType, EfId, ParameterFile, ReturnFile

METER_NO: Final = "000000123456"
OTHER_METER_NO: Final = "000000654321"
CUSTOMER: Final = "330100000001"
OTHER_CUSTOMER: Final = "330100000002"
SERIAL_A: Final = bytes.fromhex("A1A2A3A4A5A6A7A8")
SERIAL_B: Final = bytes.fromhex("B1B2B3B4B5B6B7B8")
NOW: Final = dt.datetime(2026, 12, 6, 9, 30, tzinfo=BEIJING)


def blank_card(esam: Esam, serial: bytes = SERIAL_A) -> VirtualCard:
    """A personalised, never opened card (in memory)."""
    return VirtualCard(CardState.blank(serial=serial, version=default_test_version(), esam=esam))


def issued_card(esam: Esam, *, card_type: CardType, count: int, amount_fen: int = 10_000,
                serial: bytes = SERIAL_A, meter_no: str = METER_NO, customer_no: str = CUSTOMER) -> VirtualCard:
    """A card written by the test issuer: parameters of ``card_type`` and a sealed wallet of ``count``."""
    card = blank_card(esam, serial)
    card.reset()
    parameters = ParameterFile(card_type=card_type, meter_no=meter_no, customer_no=customer_no, ct_ratio=1,
                               pt_ratio=1, alarm1_fen=2_000, alarm2_fen=1_000)
    Issuer(esam).write(card, parameters=parameters, amount_fen=amount_fen, purchase_count=count)
    return card


def raw_write(card: VirtualCard, esam: Esam, ef: EfId, data: bytes) -> int:
    """Write ``data`` into ``ef`` with a valid line MAC (as a holder of the update key may); the card's SW."""
    card.reset()
    for fid in (MF, DF01):
        ResponseApdu.decode(card.transmit(apdu.select(fid).encode())).expect("select")
    version, serial = card.state.version.number, card.state.serial
    if ef == EF_PARAMETERS:  # the parameter file also needs an external authentication
        challenge = ResponseApdu.decode(card.transmit(apdu.get_challenge().encode())).expect("challenge")
        cryptogram = auth_cryptogram(esam.encrypt(version), key=esam.card_key(version, KeyId.EXTERNAL, serial),
                                     random8=challenge)
        ResponseApdu.decode(card.transmit(apdu.external_authenticate(KeyId.EXTERNAL, cryptogram).encode())).expect(
            "external authenticate")
    challenge = ResponseApdu.decode(card.transmit(apdu.get_challenge().encode())).expect("challenge")
    command = mac_update(esam.encrypt(version), update_key=esam.card_key(version, KeyId.UPDATE, serial),
                         challenge=challenge, sequence=0, ef=ef, data=data)
    return ResponseApdu.decode(card.transmit(command.encode())).sw


def stale_return(*, count: int, remaining_fen: int) -> bytes:
    """A return file as a meter writes it (non-empty: the card has been in the meter since the last sale)."""
    return ReturnFile(ct_ratio=1, pt_ratio=1, meter_no=METER_NO, customer_no=CUSTOMER, remaining_fen=remaining_fen,
                      purchase_count=count, overdraft_fen=0, illegal_inserts=0, written_at=NOW).encode()


def meter(esam: Esam, *, opened: bool = True, count: int = 3, remaining_fen: int = 5_000, overdraft_fen: int = 0,
          hoarding_limit_fen: int = 99_999_999, serial: bytes = SERIAL_A,
          retired: tuple[bytes, ...] = ()) -> MeterSimulator:
    """A meter: opened for CUSTOMER with card ``serial`` and ``count`` purchases credited, or unopened."""
    state = MeterState(meter_no=METER_NO, hoarding_limit_fen=hoarding_limit_fen)
    if opened:
        state.customer_no, state.serial, state.purchase_count = CUSTOMER, serial, count
        state.remaining_fen, state.overdraft_fen = remaining_fen, overdraft_fen
        state.retired_serials = list(retired)
    return MeterSimulator(state, esam)


def foreign_esam() -> Esam:
    """An ESAM whose masters are not the TEST ones (another utility's cards)."""
    version = default_test_version()
    return Esam({version.number: (version, {key_id: bytes(15) + bytes([key_id]) for key_id in KeyId})})

