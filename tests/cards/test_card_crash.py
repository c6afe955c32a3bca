"""Exactly once under crashes (issue 14 point 7): the counter process is SIGKILLed — or its link cut — at each step
of a card sale (after prepare, after the write, after the verify, right before the confirm); a fresh counter process
then reads the card and finishes as the cashier would (补写卡, or the confirm of a write already on the card).

In every case: the money is taken once (one payment for the sale), the card holds the purchase once, the meter
simulator credits it once, and its remaining amount agrees with what the books say was written.

The counter runs as a child process (``tests/cards/flow_child.py``) with the client's card reader on the real pcscd;
the emulated card stays in the vpcd reader, served by this process, so a killed counter leaves the card as it was.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest

from client.core.card_flow import CardFlow, Done, ReaderAccess, Step
from client.core.config import CardReaderConfig
from client.core.outbox.queue import Outbox
from client.devices.card_reader import CardReader
from client.devices.cardsim.card import VirtualCard
from client.devices.cardsim.meter import MeterSimulator, Outcome
from client.devices.cardsim.vpcd import VpcdLink
from shared_models.cards.files import EF_WALLET, WalletFile
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
    rpc_for,
    sign_in,
)
from tests.cards.helpers import NOW
from tests.chaos.proxy import ChaosProxy
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.factories import World

__all__ = ["inserted"]  # the card-slot fixture of flow_live

pytestmark = [pytest.mark.timeout(300), pytest.mark.usefixtures("pcscd")]

REPO: Final = Path(__file__).resolve().parents[2]
STOPS: Final = (Step.PAID, Step.WRITTEN, Step.VERIFIED, Step.CONFIRMING)
OPENING_FEN: Final = 10_000
SALE_FEN: Final = 23_400
CUSTOMERS = iter(PREPAID)
CHILD_WAIT_S: Final = 60.0


@pytest.fixture(scope="module")
def card_server(live_server: LiveServer, world_template: World) -> CardServer:  # noqa: F811 - the fixture
    """The module's live server with the TEST card keys and the prepaid customers."""
    return prepare_card_server(live_server, world_template)


@pytest.fixture
def proxy(card_server: CardServer) -> Iterator[ChaosProxy]:
    """The counter's link to the server, which the test cuts."""
    tls = card_server.data_dir / "tls"
    port = int(card_server.live.url.rsplit(":", 1)[1])
    with ChaosProxy(upstream_port=port, cert_file=tls / "server.pem", key_file=tls / "server.key",
                    ca_file=card_server.live.ca) as chaos:
        yield chaos


class Child:
    """One counter process; its stdout lines collected by a thread."""

    def __init__(self, *args: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.cards.flow_child", *args], cwd=REPO, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._pump = threading.Thread(target=self._read, daemon=True)
        self._pump.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, prefix: str) -> str:
        """The first line starting with ``prefix`` (an AssertionError naming what came when it does not)."""
        with self._changed:
            found = self._changed.wait_for(
                lambda: next((ln for ln in self.lines if ln.startswith(prefix)), None)
                or (self.proc.poll() is not None and not self._pump.is_alive() and "EXITED"), timeout=CHILD_WAIT_S)
        if not found or found == "EXITED":
            self.kill()
            stderr = self.proc.stderr.read() if self.proc.stderr else ""
            raise AssertionError(f"no {prefix!r} from the counter; saw {self.lines}\n{stderr[-3000:]}")
        return found

    def go(self) -> None:
        """Let a child waiting at its stop go on."""
        assert self.proc.stdin is not None
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()

    def kill(self) -> None:
        """SIGKILL: no cleanup, no last word."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=CHILD_WAIT_S)
        self._close()

    def outcome(self) -> tuple[str, dict[str, object]]:
        """The child's printed outcome, after it exited 0."""
        line = self.wait_for("OUTCOME ")
        assert self.proc.wait(timeout=CHILD_WAIT_S) == 0
        self._close()
        _, name, doc = line.split(" ", 2)
        return name, json.loads(doc)

    def _close(self) -> None:
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


def _opened(card_server: CardServer, links: list[VpcdLink], tmp_path: Path, customer: str,
            serial: bytes) -> tuple[VirtualCard, MeterSimulator]:
    """The customer's card opened (in this process, through the reader) and credited by its meter."""
    card = blank_card(tmp_path / "card.json", serial)
    insert(links, card)
    rpc = rpc_for(card_server.live.url, card_server.live.ca)
    sign_in(rpc)
    reader = CardReader(CardReaderConfig(name=READER))
    try:
        flow = CardFlow(rpc, ReaderAccess(reader, timeout_s=10.0))
        opened = flow.open_card(new_ticket(Outbox(tmp_path / "opening.sqlite3").open(), rpc), customer_no=customer,
                                tenders=cash(OPENING_FEN), quoted_arrears_fen=0)
        assert isinstance(opened, Done), opened
    finally:
        reader.close(timeout=10.0)
        rpc.close()
    meter = meter_for(customer)
    assert meter.insert(card, now=NOW).outcome is Outcome.CREDITED
    return card, meter


@pytest.mark.parametrize("cut", [False, True], ids=["sigkill", "link-cut"])
@pytest.mark.parametrize("stop", STOPS, ids=[s.value for s in STOPS])
def test_sale_exactly_once(  # noqa: PLR0917 - pytest hands the parameters in
        stop: Step, cut: bool, card_server: CardServer, proxy: ChaosProxy,
        inserted: list[VpcdLink], tmp_path: Path) -> None:
    """Stopped at ``stop`` (killed, or its link cut and let go on), then finished by a fresh counter process: one
    payment for the sale, the purchase on the card once, credited once, the meter's remaining = the books'."""
    customer = next(CUSTOMERS)
    serial = bytes.fromhex(f"D0{STOPS.index(stop):02X}{int(cut):02X}0000000000")
    card, meter = _opened(card_server, inserted, tmp_path, customer, serial)
    ca = str(card_server.live.ca)
    seller = Child("sell", "--url", proxy.url, "--ca", ca, "--outbox", str(tmp_path / "counter.sqlite3"),
                   "--customer", customer, "--count", "2", "--amount-fen", str(SALE_FEN), "--stop-at", stop.value)
    seller.wait_for(f"AT {stop.value}")
    if cut:
        proxy.cut()
        seller.go()
        name, _ = seller.outcome()
        # what the counter says when the link goes: the money is taken, the card written or not
        assert name == ("NotWritten" if stop is Step.PAID else "WrittenNotConfirmed"), (stop, name)
        proxy.heal()
    else:
        seller.kill()
    recovered, _ = Child("recover", "--url", card_server.live.url, "--ca", ca, "--customer", customer).outcome()
    assert recovered == "Done", recovered
    again, _ = Child("recover", "--url", card_server.live.url, "--ca", ca, "--customer", customer).outcome()
    assert again == "Nothing"  # nothing left to finish: the books hold the purchase as written
    held = books(card_server.live, customer)
    assert (held.card_payments, held.paid_fen) == (2, OPENING_FEN + SALE_FEN)  # the opening and ONE sale
    assert (held.written, held.pending) == (2, 0)
    wallet = WalletFile.decode(card.file(EF_WALLET))
    assert (wallet.purchase_count, wallet.amount_fen) == (2, SALE_FEN)  # the purchase on the card, once
    credited = meter.insert(card, now=NOW)
    assert (credited.outcome, credited.credited_fen) == (Outcome.CREDITED, SALE_FEN)
    assert meter.insert(card, now=NOW).outcome is Outcome.SAME_COUNT
    assert meter.state.purchase_count == 2
    assert meter.state.remaining_fen == held.written_fen == OPENING_FEN + SALE_FEN
