"""The command line: create a card, show it, insert it into the real reader and remove it, and a meter that
credits a card and consumes energy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from client.devices.cardsim.__main__ import main
from client.devices.cardsim.card import VirtualCard
from client.devices.cardsim.issuer import Issuer
from client.devices.cardsim.keys import Esam
from shared_models.cards.files import CardType, ParameterFile
from shared_models.cards.image import read_card
from tests.cards.helpers import CUSTOMER, METER_NO
from tests.cards.pcsc import PcscTerminal, wait_for_card

REPO = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    """Run one command in process; its JSON output."""
    assert main(list(argv)) == 0
    out: dict[str, object] = json.loads(capsys.readouterr().out)
    return out


def test_create_and_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A created card shows as blank with its serial and the SM4 key version."""
    card = tmp_path / "card.json"
    created = run(capsys, "create", str(card), "--serial", "0102030405060708")
    assert created == {"card": str(card), "serial": "0102030405060708", "key_version": 2, "suite": "SM4"}
    shown = run(capsys, "show", str(card))
    assert shown["serial"] == "0102030405060708"
    assert shown["parameters"]["card_type"] == "BLANK"  # type: ignore[index]
    assert shown["return"] is None
    assert main(["create", str(card)]) == 1  # never overwrites without --force


def test_meter_credits_and_consumes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """meter-insert credits an opening card once; meter-consume lowers the remaining amount."""
    card, meter = tmp_path / "card.json", tmp_path / "meter.json"
    run(capsys, "create", str(card), "--key-version", "1")
    Issuer(Esam.test()).write(VirtualCard.load(card), amount_fen=10_000, purchase_count=1, parameters=ParameterFile(
        card_type=CardType.OPENING, meter_no=METER_NO, customer_no=CUSTOMER))
    run(capsys, "meter-create", str(meter), "--meter-no", METER_NO)
    first = run(capsys, "meter-insert", str(meter), str(card))
    assert (first["outcome"], first["remaining_fen"]) == ("credited", 10_000)
    assert run(capsys, "meter-insert", str(meter), str(card))["outcome"] == "same_count"
    assert run(capsys, "meter-consume", str(meter), "--kwh", "100", "--price", "0.538")["remaining_fen"] == 4_620
    assert main(["meter-consume", str(meter), "--kwh", "ten", "--price", "0.5"]) == 1


def test_insert_and_remove_through_pcscd(tmp_path: Path, capsys: pytest.CaptureFixture[str], pcscd: str) -> None:
    """`insert` holds the card in the reader until `remove` pulls it; the reader reads it meanwhile."""
    card = tmp_path / "card.json"
    run(capsys, "create", str(card), "--serial", "0A0B0C0D0E0F1011")
    holder = subprocess.Popen([sys.executable, "-m", "client.devices.cardsim", "insert", str(card)], cwd=REPO,
                              stderr=subprocess.DEVNULL)
    try:
        wait_for_card(pcscd, present=True)
        terminal = PcscTerminal(pcscd)
        terminal.connect()
        assert read_card(terminal).info.serial.hex() == "0a0b0c0d0e0f1011"
        terminal.close()
        assert main(["remove", str(card)]) == 0
        assert holder.wait(timeout=10) == 0
        wait_for_card(pcscd, present=False)
    finally:
        if holder.poll() is None:
            holder.terminate()
            holder.wait(timeout=10)
    assert main(["remove", str(card)]) == 1  # no longer inserted


def test_insert_without_reader_and_stale_remove(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No vpcd listening: `insert` fails with 1; a pid file of a dead holder: `remove` clears it."""
    card = tmp_path / "card.json"
    run(capsys, "create", str(card))
    assert main(["insert", str(card), "--port", "1", "--wait", "0.2"]) == 1
    pid_file = tmp_path / "card.json.pid"
    pid_file.write_text("999999999", encoding="utf-8")
    assert main(["remove", str(card)]) == 0
    assert not pid_file.exists()
