"""Helpers of the card-sale tests: prepaid customers with meters, the TEST card keys on the server, emulated cards
spoken to as the counter does (read its files, authenticate, write the server's commands) and a meter simulator."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from client.devices.cardsim.card import CardState, VirtualCard
from client.devices.cardsim.keys import Esam, default_test_version
from client.devices.cardsim.meter import InsertResult, MeterSimulator, MeterState
from server import __main__ as server_cli
from server.cards.keys import import_test_keys
from server.clock import FixedClock
from server.db.session import make_session_factory
from server.models.customers import Customer, CustomerCategory, CustomerStatus, Meter, PaymentMode
from server.rpc.dispatch import Dispatcher
from server.security import PiiCipher, mask_id_number
from server.settings import Settings
from shared_models.cards import apdu
from shared_models.cards.apdu import ResponseApdu
from shared_models.cards.crypto import KeyId
from shared_models.cards.files import BEIJING, EF_INFO, EF_PARAMETERS, EF_RETURN, EF_WALLET
from shared_models.cards.image import exchange, select_application
from tests.conftest import PII_KEY_B64
from tests.factories import World
from tests.rpc_helpers import Answer, Caller
from tests.server.payment_helpers import cash, receipt

KEK: Final = base64.b64encode(bytes(range(50, 82))).decode()  # the card key-encryption key of these tests
#: Prepaid-card customers the card tests add to the factory world (户号, meter asset no, status).
PREPAID_A: Final = "3301000101"
PREPAID_B: Final = "3301000102"
PREPAID_13: Final = "3301000000103"
PREPAID_CLOSED: Final = "3301000104"
METER_A: Final = "000000123456"
METER_B: Final = "000000123457"
SERIAL_A: Final = bytes.fromhex("A1A2A3A4A5A6A7A8")
SERIAL_B: Final = bytes.fromhex("B1B2B3B4B5B6B7B8")
SERIAL_C: Final = bytes.fromhex("C1C2C3C4C5C6C7C8")
SUPER: Final = ("super1", "Passw0rd-super1")
#: The meter writes its return files at this time (Beijing).
METER_NOW: Final = dt.datetime(2026, 11, 23, 17, 30, tzinfo=BEIJING)


@dataclass
class CardWorld:
    """The prepaid customers' ids and the settings the card dispatcher runs with."""

    settings: Settings
    customers: dict[str, int]


@pytest.fixture
def card_world(db_url: str, tmp_path: Path, world: World, engine: Engine, pii: PiiCipher) -> CardWorld:
    """TEST card keys imported, and four prepaid-card customers with meters in hall T01."""
    settings = Settings(database_url=db_url, data_dir=tmp_path, pii_key=PII_KEY_B64, card_kek=KEK)
    assert server_cli._run_admin(settings, "card_keys.init", import_test_keys) == 0
    ids: dict[str, int] = {}
    with Session(engine) as s:
        rows = ((PREPAID_A, METER_A, CustomerStatus.ACTIVE), (PREPAID_B, METER_B, CustomerStatus.ACTIVE),
                (PREPAID_13, "000000123458", CustomerStatus.ACTIVE),
                (PREPAID_CLOSED, "000000123459", CustomerStatus.CLOSED))
        for i, (no, meter_no, status) in enumerate(rows):
            id_number = f"33010619900101{i:03d}X"
            c = Customer(customer_no=no, name=f"购电户{i}", address=f"杭州市文一路{i}号", phone="13900000000",
                         id_number_enc=pii.encrypt(id_number), id_number_masked=mask_id_number(id_number),
                         category=CustomerCategory.RESIDENTIAL, status=status, payment_mode=PaymentMode.PREPAID_CARD,
                         tariff_id=world.tariffs["RES-FLAT"].tariff_id, hall_id=world.org["T01"],
                         book_code="T01-B002", book_seq=i + 1)
            s.add(c)
            s.flush()
            s.add(Meter(asset_no="3301000000" + meter_no, customer_id=c.id, multiplier=1, digits=6,
                        installed_on=dt.date(2020, 1, 1)))
            ids[no] = c.id
        s.commit()
    return CardWorld(settings=settings, customers=ids)


@pytest.fixture
def card_dispatcher(engine: Engine, card_world: CardWorld, clock: FixedClock, pii: PiiCipher) -> Dispatcher:
    """The real dispatcher with the card KEK."""
    return Dispatcher(sessions=make_session_factory(engine), settings=card_world.settings, clock=clock, pii=pii)


@pytest.fixture
def cc(card_dispatcher: Dispatcher) -> Caller:
    """A caller at T0101 with cashier1 signed in and a shift open."""
    caller = Caller(card_dispatcher)
    assert caller.login("cashier1").status == 200
    assert caller.call("shift.open_shift", {"float_fen": 0}).status == 200
    return caller


def blank(serial: bytes = SERIAL_A) -> VirtualCard:
    """A personalised, never opened emulated card (the current TEST key version)."""
    return VirtualCard(CardState.blank(serial=serial, version=default_test_version(), esam=Esam.test()))


def files(card: VirtualCard) -> dict[str, str]:
    """The card's four files as the counter reads them (hex)."""
    card.reset()
    select_application(card)
    return {"info": card.file(EF_INFO).hex(), "parameters": card.file(EF_PARAMETERS).hex(),
            "wallet": card.file(EF_WALLET).hex(), "returned": card.file(EF_RETURN).hex()}


def tenders(amount_fen: int) -> list[dict[str, Any]]:
    """Cash, exactly."""
    return [cash(amount_fen)]


def read(caller: Caller, card: VirtualCard, customer_no: str | None = None) -> Answer:
    """card.read_card."""
    params: dict[str, Any] = {"files": files(card)}
    if customer_no is not None:
        params["customer_no"] = customer_no
    return caller.call("card.read_card", params)


def open_card(caller: Caller, card: VirtualCard, customer_no: str, amount_fen: int, *, seq: int,
              arrears: int = 0) -> Answer:
    """card.open_card paid in cash."""
    return caller.call("card.open_card", {
        "customer_no": customer_no, "files": files(card), "receipt_no": receipt(seq), "tenders": tenders(amount_fen),
        "quoted_arrears_fen": arrears})


def sale(caller: Caller, card: VirtualCard, customer_no: str, amount_fen: int, *, seq: int, count: int,
         arrears: int = 0, key: str | None = None, pay: list[dict[str, Any]] | None = None) -> Answer:
    """card.prepare_sale."""
    return caller.call("card.prepare_sale", {
        "customer_no": customer_no, "files": files(card), "purchase_count": count, "receipt_no": receipt(seq),
        "tenders": pay or tenders(amount_fen), "quoted_arrears_fen": arrears}, key=key)


def write(caller: Caller, card: VirtualCard, customer_no: str, count: int, *, auth: bool) -> None:
    """Write the pending write onto the card as the counter does: its challenge, the server's commands."""
    card.reset()
    info = select_application(card)
    serial = info.serial.hex()
    if auth:
        challenge = exchange(card, apdu.get_challenge(), "challenge", length=8)
        answer = caller.call("card.authenticate_write", {"customer_no": customer_no, "purchase_count": count,
                                                         "serial": serial, "challenge": challenge.hex()})
        assert answer.status == 200, answer.body
        exchange(card, apdu.external_authenticate(KeyId.EXTERNAL, bytes.fromhex(answer.body["cryptogram"])), "auth")
    challenge = exchange(card, apdu.get_challenge(), "challenge", length=8)
    answer = caller.call("card.get_write_commands", {"customer_no": customer_no, "purchase_count": count,
                                                     "serial": serial, "challenge": challenge.hex()})
    assert answer.status == 200, answer.body
    for command in answer.body["commands"]:
        ResponseApdu.decode(card.transmit(bytes.fromhex(command))).expect("update")


def confirm(caller: Caller, card: VirtualCard, customer_no: str, count: int, *, rewrite: bool = False,
            key: str | None = None) -> Answer:
    """card.confirm_write with the card as re-read."""
    return caller.call("card.confirm_write", {"customer_no": customer_no, "purchase_count": count,
                                              "files": files(card), "rewrite": rewrite}, key=key)


def meter(meter_no: str = METER_A) -> MeterSimulator:
    """An unopened meter (test keys) with the server's default hoarding limit."""
    return MeterSimulator(MeterState(meter_no=meter_no, hoarding_limit_fen=1_000_000), Esam.test())


def insert(m: MeterSimulator, card: VirtualCard) -> InsertResult:
    """Insert the card into the meter (its return file written at METER_NOW)."""
    return m.insert(card, now=METER_NOW)


def opened(caller: Caller, card: VirtualCard, m: MeterSimulator, customer_no: str = PREPAID_A,
           amount_fen: int = 10_000, *, seq: int = 1) -> None:
    """Open ``card`` for the customer, write and confirm it, and insert it into ``m`` (credited)."""
    answer = open_card(caller, card, customer_no, amount_fen, seq=seq)
    assert answer.status == 200, answer.body
    write(caller, card, customer_no, 1, auth=True)
    assert confirm(caller, card, customer_no, 1).status == 200
    assert insert(m, card).credited_fen == amount_fen

