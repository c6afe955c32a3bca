"""Fixtures of the card tests: a pcscd with the vpcd reader (used if running, else started here), the TEST
ESAM, a blank card saved as JSON, that card inserted over vpcd, and a pyscard terminal on it.

One pcscd serves the whole machine and ``Virtual PCD 00 00`` holds one card at a time: under pytest-xdist every
test file using ``pcscd`` runs in one worker, one test at a time (tests/parallel.py); a fixture inserts its card
and removes it again at teardown.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from smartcard.pcsc.PCSCExceptions import EstablishContextException, ListReadersException
from smartcard.System import readers

from client.devices.cardsim.card import CardState, VirtualCard
from client.devices.cardsim.keys import Esam, default_test_version
from client.devices.cardsim.vpcd import DEFAULT_PORT, VpcdLink
from tests.cards.pcsc import PcscTerminal, wait_for_card

READER = "Virtual PCD 00 00"
SERIAL = bytes.fromhex("1122334455667788")


def _listed() -> bool:
    try:
        return READER in [str(reader) for reader in readers()]
    except (EstablishContextException, ListReadersException):
        return False


@pytest.fixture(scope="session")
def pcscd(test_root: Path) -> Iterator[str]:
    """The vpcd reader's name, from the running pcscd or from one started here (`pcscd -f -a`, as root in CI)."""
    if _listed():
        yield READER
        return
    binary = shutil.which("pcscd") or "/usr/sbin/pcscd"
    with (test_root / "pcscd.log").open("wb") as log:
        started = subprocess.Popen([binary, "-f", "-a"], stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 15
            while not _listed():  # a process start-up, not a test wait: poll until the reader shows
                assert started.poll() is None, f"pcscd exited with {started.returncode}; see {log.name}"
                assert time.monotonic() < deadline, "pcscd did not list the vpcd reader within 15 s"
                time.sleep(0.05)
            yield READER
        finally:
            started.terminate()
            started.wait(timeout=10)


@pytest.fixture
def esam() -> Esam:
    """An ESAM with the public TEST masters (the meter's, and the test issuer's)."""
    return Esam.test()


@pytest.fixture
def card(tmp_path: Path, esam: Esam) -> VirtualCard:
    """A blank card (serial 1122334455667788, the SM4 test key version where SM4 runs), saved as JSON."""
    path = tmp_path / "card.json"
    CardState.blank(serial=SERIAL, version=default_test_version(), esam=esam).save(path)
    return VirtualCard.load(path)


@pytest.fixture
def link(pcscd: str, card: VirtualCard) -> Iterator[VpcdLink]:
    """The card inserted into the vpcd reader; removed at teardown."""
    link = VpcdLink(card, port=DEFAULT_PORT)
    link.insert()
    wait_for_card(pcscd, present=True)
    yield link
    link.remove()
    wait_for_card(pcscd, present=False)  # the next test's card must not meet this one's stale state


@pytest.fixture
def terminal(link: VpcdLink, pcscd: str) -> Iterator[PcscTerminal]:
    """A pyscard connection to the inserted card."""
    terminal = PcscTerminal(pcscd)
    terminal.connect()
    yield terminal
    terminal.close()
