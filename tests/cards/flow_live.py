"""Live set-up of the card-flow tests and the crash test: the real server (``live_server``) with the TEST card keys
(``card-keys init --test-keys``) and prepaid-card customers, a signed-in cashier desk with a shift open, emulated
cards in the real pcscd's first vpcd slot, and the books' view of a customer's card purchases."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from client.core.actions import ActionSlot
from client.core.card_flow import CardTicket, mint_ticket
from client.core.outbox.queue import Outbox
from client.core.rpc_client import RpcClient, RpcError
from client.devices.cardsim.card import CardState, VirtualCard
from client.devices.cardsim.keys import Esam, default_test_version
from client.devices.cardsim.meter import MeterSimulator, MeterState
from client.devices.cardsim.vpcd import DEFAULT_PORT, VpcdLink
from server.models.customers import Customer, CustomerCategory, CustomerStatus, Meter, PaymentMode
from server.security import PiiCipher, mask_id_number
from shared_models.methods.auth import LOGIN, LoginRequest
from shared_models.methods.payments import Tender, TenderMethod
from shared_models.methods.shifts import GET_CURRENT, OPEN, OpenShiftRequest
from shared_models.pinning import ca_fingerprint
from shared_models.rpc import Empty
from tests.action_helpers import confirmed
from tests.cards.pcsc import wait_for_card
from tests.conftest import PII_KEY_B64
from tests.e2e.conftest import LiveServer
from tests.factories import DEVICE_KEYS, World, password_for

READER: Final = "Virtual PCD 00 00"
#: Prepaid-card customers added to the live server's copy of the factory world: customer no -> meter no.
PREPAID: Final = {f"33010002{i:02d}": f"0000001235{i:02d}" for i in range(1, 31)}


@dataclass(frozen=True)
class CardServer:
    """The live server with card keys and prepaid customers."""

    live: LiveServer
    data_dir: Path


def prepare_card_server(live: LiveServer, world: World) -> CardServer:
    """Import the TEST card keys into the live server (as the demo does) and add the prepaid-card customers."""
    data_dir = live.ca.parent.parent
    env = {**os.environ, "GRIDCOUNTER_DATABASE_URL": live.db_url, "GRIDCOUNTER_PII_KEY": PII_KEY_B64}
    done = subprocess.run([sys.executable, "-m", "server", "--data-dir", str(data_dir), "card-keys", "init",
                           "--test-keys"], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    pii = PiiCipher(base64.b64decode(PII_KEY_B64))
    engine = create_engine(live.db_url)
    try:
        with Session(engine) as s:
            for i, (no, meter_no) in enumerate(PREPAID.items()):
                id_number = f"33010619910101{i:03d}X"
                customer = Customer(
                    customer_no=no, name=f"购电户{i}", address=f"杭州市文二路{i}号", phone="13900000001",
                    id_number_enc=pii.encrypt(id_number), id_number_masked=mask_id_number(id_number),
                    category=CustomerCategory.RESIDENTIAL, status=CustomerStatus.ACTIVE,
                    payment_mode=PaymentMode.PREPAID_CARD, tariff_id=world.tariffs["RES-FLAT"].tariff_id,
                    hall_id=world.org["T01"], book_code="T01-B003", book_seq=i + 1)
                s.add(customer)
                s.flush()
                s.add(Meter(asset_no="3301000000" + meter_no, customer_id=customer.id, multiplier=1, digits=6,
                            installed_on=dt.date(2020, 1, 1)))
            s.commit()
    finally:
        engine.dispose()
    return CardServer(live=live, data_dir=data_dir)


def rpc_for(url: str, ca: Path, *, read_timeout_s: float = 10.0) -> RpcClient:
    """A client stub trusting the live server's CA."""
    pin = ca_fingerprint(ca.read_bytes())
    return RpcClient(ca_file=ca, ca_pin=lambda: pin, client_version="test", server_url=url, connect_timeout_s=2.0,
                     read_timeout_s=read_timeout_s)


def sign_in(rpc: RpcClient, *, username: str = "cashier1", counter: str = "T0101") -> int:
    """Sign in and open (or keep) the shift; the server's next receipt sequence for the counter."""
    result = rpc.call(LOGIN, LoginRequest(username=username, password=password_for(username), counter_code=counter,
                                          device_key=DEVICE_KEYS[counter]))
    rpc.set_session(token=result.token, counter_code=counter)
    with contextlib.suppress(RpcError):  # the module's server keeps the shift of an earlier test open
        rpc.send(OPEN, OpenShiftRequest(float_fen=0), action=confirmed())
    return rpc.call(GET_CURRENT, Empty()).next_receipt_seq


def new_ticket(outbox: Outbox, rpc: RpcClient, *, counter: str = "T0101") -> CardTicket:
    """What the screen does when the cashier confirms: an action (key) and the next receipt number, once."""
    floor = rpc.call(GET_CURRENT, Empty()).next_receipt_seq
    return mint_ticket(ActionSlot().confirm(object()), outbox=outbox, counter_code=counter, server_next_seq=floor)


def cash(amount_fen: int) -> list[Tender]:
    """Cash, exactly."""
    return [Tender(method=TenderMethod.CASH, amount_fen=amount_fen, cash_handed_fen=amount_fen)]


def blank_card(path: Path, serial: bytes) -> VirtualCard:
    """A blank emulated card saved at ``path`` (it saves itself after every write)."""
    CardState.blank(serial=serial, version=default_test_version(), esam=Esam.test()).save(path)
    return VirtualCard.load(path)


def meter_for(customer_no: str) -> MeterSimulator:
    """The customer's unopened meter, with the server's default hoarding limit."""
    return MeterSimulator(MeterState(meter_no=PREPAID[customer_no], hoarding_limit_fen=1_000_000), Esam.test())


@pytest.fixture
def inserted(pcscd: str) -> Iterator[list[VpcdLink]]:
    """Cards put into the first vpcd slot by the test (``insert``); each pulled at teardown."""
    links: list[VpcdLink] = []
    yield links
    for link in links:
        if link.inserted:
            link.remove()
    wait_for_card(READER, present=False)


def insert(links: list[VpcdLink], card: VirtualCard) -> VpcdLink:
    """Put ``card`` into the first vpcd slot and wait until pcscd saw it."""
    link = VpcdLink(card, port=DEFAULT_PORT)
    link.insert()
    links.append(link)
    wait_for_card(READER, present=True)
    return link


def pull(link: VpcdLink) -> None:
    """Take the card out and wait until pcscd noticed."""
    link.remove()
    wait_for_card(READER, present=False)


@dataclass(frozen=True)
class Books:
    """A customer's card purchases as the books hold them, and the money taken for them."""

    written_fen: int
    written: int
    pending: int
    card_payments: int
    paid_fen: int


def books(live: LiveServer, customer_no: str) -> Books:
    """Read the books directly: the card purchases by state and the payments (receipts) of the customer."""
    engine = create_engine(live.db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT o.outcome, w.card_fen FROM card_writes w JOIN customers c ON c.id = w.customer_id"
                " LEFT JOIN card_write_outcomes o ON o.write_id = w.id WHERE c.customer_no = :c"),
                {"c": customer_no}).all()
            pay = conn.execute(text(
                "SELECT count(*), coalesce(sum(p.amount_fen), 0) FROM payments p"
                " JOIN customers c ON c.id = p.customer_id WHERE c.customer_no = :c"), {"c": customer_no}).one()
    finally:
        engine.dispose()
    written = [int(amount) for outcome, amount in rows if outcome == "written"]
    pending = sum(1 for outcome, _ in rows if outcome is None)
    return Books(written_fen=sum(written), written=len(written), pending=pending, card_payments=int(pay[0]),
                 paid_fen=int(pay[1]))
