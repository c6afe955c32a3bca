"""The card-sale screen against a live server and a real pcscd: a demo-data server with the TEST card keys
(``card-keys init --test-keys``), demo customers turned prepaid-card customers, emulated cards in the vpcd reader
``Virtual PCD 00 00`` read by the client's real card-reader device, and the meter simulator.

The one vpcd reader holds one card at a time: these tests run in one worker with the other card tests
(tests/cards/conftest.py), and every card a test inserts is pulled at its teardown."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import pytest
from pytestqt.qtbot import QtBot

from client.core.config import KEY_CARD_READER_ENABLED, KEY_CARD_READER_NAME, ClientPaths
from client.devices.cardsim.card import CardState, VirtualCard
from client.devices.cardsim.keys import Esam, default_test_version
from client.devices.cardsim.meter import InsertResult, MeterSimulator, MeterState
from client.devices.cardsim.vpcd import DEFAULT_PORT, VpcdLink
from client.ui.app import open_settings
from client.ui.ops import running_ops
from client.ui.screens.card_sale_screen import CardSaleScreen
from server.db.databases import create_database, drop_database
from server.db.embedded import EmbeddedPostgres
from shared_models.cards.files import BEIJING
from tests.cards.pcsc import wait_for_card
from tests.conftest import PII_KEY_B64
from tests.e2e.conftest import _free_port, running_server
from tests.ui.desk_helpers import COUNTERS, TIMEOUT_MS, Desk, DeskServer, sql

#: The card key-encryption key of the test server (base64 of 32 bytes; tests only).
KEK: Final = "dGVzdC1vbmx5LWNhcmQta2VrLWZvci11aS10ZXN0cyE="
READER: Final = "Virtual PCD 00 00"
#: When the meter simulator writes its return files (Beijing time).
METER_NOW: Final = dt.datetime(2026, 11, 23, 17, 30, tzinfo=BEIJING)


@pytest.fixture(scope="module")
def card_server(pg: EmbeddedPostgres, test_root: Path) -> Iterator[DeskServer]:
    """``serve --migrate --demo-data 300`` with the card KEK, ``card-keys init --test-keys`` (the public TEST
    masters the emulator and the meter simulator use), counters H0101 and H0102 enrolled."""
    name = f"gc_cards_{uuid.uuid4().hex[:10]}"
    db_url = create_database(admin_url=pg.admin_url, name=name)
    data_dir = test_root / name
    port = _free_port()
    env = {**os.environ, "GRIDCOUNTER_DATABASE_URL": db_url, "GRIDCOUNTER_PII_KEY": PII_KEY_B64,
           "GRIDCOUNTER_CARD_KEK": KEK}
    base = [sys.executable, "-m", "server", "--data-dir", str(data_dir)]
    try:
        with running_server(["--data-dir", str(data_dir), "serve", "--port", str(port), "--workers", "2",
                             "--migrate", "--demo-data", "300"], env):
            done = subprocess.run([*base, "card-keys", "init", "--test-keys"], env=env, capture_output=True,
                                  text=True, timeout=60, check=False)
            assert done.returncode == 0, done.stdout + done.stderr
            keys = {}
            for counter in COUNTERS:
                key_file = data_dir / f"{counter}.key"
                done = subprocess.run([*base, "counter", "enroll", "--counter", counter, "--key-file", str(key_file)],
                                      env=env, capture_output=True, text=True, timeout=60, check=False)
                assert done.returncode == 0, done.stdout + done.stderr
                keys[counter] = key_file.read_text().strip()
            yield DeskServer(url=f"https://127.0.0.1:{port}", ca=data_dir / "tls" / "ca.pem", db_url=db_url,
                             device_keys=keys)
    finally:
        drop_database(admin_url=pg.admin_url, name=name)


def prepaid_customer(server: DeskServer) -> str:
    """Turn one paid-up, active, one-meter demo customer of hall H01 without a card into a prepaid-card customer
    (test data, set before the test) and return the 户号."""
    [(customer_no,)] = sql(server, """
        UPDATE customers SET payment_mode = 'prepaid_card' WHERE id = (
            SELECT c.id FROM customers c JOIN org_units h ON h.id = c.hall_id AND h.code = 'H01'
            WHERE c.status = 'active' AND c.payment_mode = 'postpaid'
              AND (SELECT count(*) FROM meters m WHERE m.customer_id = c.id) = 1
              AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.customer_id = c.id AND e.bill_id IS NOT NULL
                              GROUP BY e.bill_id HAVING sum(e.amount_fen) < 0)
            ORDER BY c.customer_no LIMIT 1)
        RETURNING customer_no""")
    return str(customer_no)


def card_payments(server: DeskServer, customer_no: str) -> list[tuple[str, int]]:
    """``(receipt_no, amount_fen)`` of every payment booked for the customer (card sales are payments too)."""
    rows = sql(server, "SELECT p.receipt_no, p.amount_fen FROM payments p JOIN customers c ON c.id = p.customer_id"
                       " WHERE c.customer_no = :n ORDER BY p.id", n=customer_no)
    return [(str(r[0]), int(str(r[1]))) for r in rows]


def blank_card(tmp_path: Path, serial: str) -> VirtualCard:
    """A personalised, never opened emulated card (TEST keys), kept in a JSON file like a real card keeps its EEPROM."""
    path = tmp_path / f"card-{serial}.json"
    CardState.blank(serial=bytes.fromhex(serial), version=default_test_version(), esam=Esam.test()).save(path)
    return VirtualCard.load(path)


@dataclass
class Counter:
    """The card slot of the counter's reader, where the test plays the customer: cards in and out of
    ``Virtual PCD 00 00``, the one the client's own card reader is configured for."""

    links: list[VpcdLink] = field(default_factory=list)

    def insert(self, card: VirtualCard) -> VpcdLink:
        """Put ``card`` into the reader and wait until pcscd saw it."""
        link = VpcdLink(card, port=DEFAULT_PORT)
        link.insert()
        self.links.append(link)
        wait_for_card(READER, present=True)
        return link

    def pull(self, link: VpcdLink) -> None:
        """Take the card out and wait until pcscd noticed."""
        link.remove()
        self.links.remove(link)
        wait_for_card(READER, present=False)

    def pull_all(self) -> None:
        """Take every card out."""
        for link in list(self.links):
            self.pull(link)


@pytest.fixture
def counter(pcscd: str, client_paths: ClientPaths) -> Iterator[Counter]:
    """The client configured for the vpcd reader ``Virtual PCD 00 00`` (``card_reader/name``, read when the client
    is built); every card pulled at teardown."""
    settings = open_settings(client_paths)
    settings.setValue(KEY_CARD_READER_ENABLED, "true")  # tests/ui/conftest.py switches it off for the others
    settings.setValue(KEY_CARD_READER_NAME, pcscd)
    settings.sync()
    here = Counter()
    try:
        yield here
    finally:
        here.pull_all()


def card_screen(qtbot: QtBot, desk: Desk, counter: Counter) -> CardSaleScreen:
    """The card-sale screen of the signed-in client, on the client's own card reader."""
    screen = desk.window.screen_widget("cardsale")
    assert isinstance(screen, CardSaleScreen)
    assert desk.app.card_reader is not None
    assert desk.app.card_reader.config.name == READER
    return screen


def idle(qtbot: QtBot) -> None:
    """Every Op delivered (the screen's flow and its quiet re-read)."""
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)


def run_flow(qtbot: QtBot, screen: CardSaleScreen, start: Callable[[], object]) -> object:
    """Start a flow with ``start`` (a key press, a click) and return the outcome the screen showed."""
    with qtbot.waitSignal(screen.outcome_shown, timeout=TIMEOUT_MS) as shown:
        start()
    idle(qtbot)
    return shown.args[0] if shown.args else None


def meter_insert(meter: MeterSimulator, counter: Counter, link: VpcdLink, card: VirtualCard) -> InsertResult:
    """The customer takes the card out of the counter's reader and puts it into the meter."""
    counter.pull(link)
    return meter.insert(card, now=METER_NOW)


def new_meter(meter_no: str) -> MeterSimulator:
    """The customer's meter as installed: never opened (the opening card opens it)."""
    return MeterSimulator(MeterState(meter_no=meter_no), Esam.test())
