"""``gridcounter-server card-keys init --test-keys``: the PUBLIC test masters imported in the emulator's versions,
marked TEST, refused over existing keys; the card service without keys answers CARD_KEYS_UNAVAILABLE."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from client.devices.cardsim.keys import Esam, default_test_version, sm4_available
from server import __main__ as server_cli
from server.cards.keys import CardKeys, load_kek
from server.clock import FixedClock
from server.db.session import make_session_factory
from server.models.audit import AuditRecord
from server.models.payments import Payment
from server.rpc.dispatch import Dispatcher
from server.security import PiiCipher
from server.settings import Settings
from shared_models.cards.crypto import KeyId
from shared_models.cards.files import CardInfo
from tests.conftest import PII_KEY_B64
from tests.rpc_helpers import Caller
from tests.server.card_helpers import KEK, PREPAID_A, SERIAL_A, CardWorld, blank, card_world, open_card

__all__ = ["card_world"]  # a fixture


@pytest.fixture
def env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The CLI's environment for the test database."""
    monkeypatch.setenv("GRIDCOUNTER_DATABASE_URL", db_url)
    monkeypatch.setenv("GRIDCOUNTER_PII_KEY", PII_KEY_B64)
    monkeypatch.setenv("GRIDCOUNTER_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("GRIDCOUNTER_CARD_KEK", KEK)
    return Settings(database_url=db_url, data_dir=tmp_path, pii_key=PII_KEY_B64, card_kek=KEK)


def test_test_keys_match_the_emulator(env: Settings, engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    assert server_cli.main(["card-keys", "init", "--test-keys"]) == 0
    out = capsys.readouterr().out
    current = default_test_version().number
    assert f"TEST card keys imported (public, for the demo and tests only); version {current} is current" in out
    assert server_cli.main(["card-keys", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    expected = [["1", "aes128", "retired"], ["2", "sm4", "current"]] if sm4_available() else [
        ["1", "aes128", "current"]]
    assert [line.split()[:3] for line in lines] == expected
    assert all(line.endswith("TEST (public keys)") for line in lines)
    esam = Esam.test()
    with Session(engine) as s:
        keys = CardKeys(s, load_kek(env))
        assert keys.current_version() == default_test_version()
        info = CardInfo(serial=SERIAL_A, key_version=current)
        assert keys.personalisation_keys(info) == esam.card_keys(current, SERIAL_A)
        wallet = keys.sealed_wallet(info, amount_fen=1_000, purchase_count=1)
        expected_key = esam.card_key(current, KeyId.WALLET, SERIAL_A)
        assert wallet.mac  # the emulator's ESAM (the meter) would MAC the same wallet with the same key
        assert len(expected_key) == 16
        marks = s.scalars(select(AuditRecord.after).where(AuditRecord.target.like("card_keys:%"))).all()
        assert all(m is not None and m.get("test_keys") is True for m in marks)


def test_refused_over_existing_keys(env: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert server_cli.main(["card-keys", "init"]) == 0
    assert server_cli.main(["card-keys", "init", "--test-keys"]) == 2
    assert "card keys exist already" in capsys.readouterr().out


def test_test_keys_take_no_algorithm(env: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert server_cli.main(["card-keys", "init", "--test-keys", "--algorithm", "aes128"]) == 2
    assert "no --algorithm" in capsys.readouterr().out


def test_keys_not_opening_is_keys_unavailable(card_world: CardWorld, engine: Engine, clock: FixedClock,
                                              pii: PiiCipher, db: Session) -> None:
    """The keys were made under another KEK: an opening is refused with CARD_KEYS_UNAVAILABLE, nothing booked."""
    other = card_world.settings.model_copy(update={"card_kek": base64.b64encode(bytes(range(32))).decode()})
    caller = Caller(Dispatcher(sessions=make_session_factory(engine), settings=other, clock=clock, pii=pii))
    assert caller.login("cashier1").status == 200
    assert caller.call("shift.open_shift", {"float_fen": 0}).status == 200
    answer = open_card(caller, blank(), PREPAID_A, 5_000, seq=1)
    assert (answer.status, answer.code) == (503, "CARD_KEYS_UNAVAILABLE")
    assert answer.params["key_version"] == default_test_version().number
    assert db.scalar(select(func.count()).select_from(Payment)) == 0
