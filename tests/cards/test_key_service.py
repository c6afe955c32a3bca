"""The server's card key service against real PostgreSQL: the emulator's card accepts the writes it MACs, rotation
keeps old cards working, a wrong KEK refuses with a clear error, and no master key is ever in the database, the audit
trail, the log or the CLI's output in clear."""

from __future__ import annotations

import base64
import datetime as dt
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from client.devices.cardsim.card import CardState, VirtualCard
from client.devices.cardsim.keys import Esam
from client.devices.cardsim.meter import MeterSimulator, MeterState, Outcome
from server import __main__ as server_cli
from server.audit_chain import verify_chains
from server.cards import keys as key_service
from server.cards.keys import CardKeyError, CardKeys, Kek, list_versions, load_kek
from server.cards.models import CardKeyAlgorithm, CardKeyVersion
from server.context import CallContext
from server.models.audit import AuditRecord
from server.settings import Settings
from shared_models.cards import apdu
from shared_models.cards.apdu import Sw
from shared_models.cards.crypto import (
    KeyId,
    KeyVersion,
    Suite,
    auth_cryptogram,
    diversify,
    line_mac,
    wallet_mac,
)
from shared_models.cards.errors import CardStatusError
from shared_models.cards.files import ALL_EFS, EF_INFO, CardInfo, CardType, ParameterFile, WalletFile
from shared_models.cards.image import exchange, read_card, select_application, write_plan
from tests.cards.test_crypto import CHALLENGE, MASTER, PINNED, SERIAL
from tests.conftest import PII_KEY_B64

KEK_A = base64.b64encode(bytes(range(100, 132))).decode()
KEK_B = base64.b64encode(bytes(range(200, 232))).decode()
SERIAL_OLD = bytes.fromhex("A1A2A3A4A5A6A7A8")
SERIAL_NEW = bytes.fromhex("B1B2B3B4B5B6B7B8")
METER_NO = "000000123456"
CUSTOMER_NO = "330100000001"
NOW = dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC)


def _settings(db_url: str, data_dir: Path, kek: str | None = KEK_A) -> Settings:
    return Settings(database_url=db_url, data_dir=data_dir, pii_key=PII_KEY_B64, card_kek=kek)


@pytest.fixture
def kek_settings(db_url: str, tmp_path: Path) -> Settings:
    """Settings of the test database with KEK A given in the environment's place."""
    return _settings(db_url, tmp_path)


def admin(settings: Settings, method: str, action: Callable[[CallContext], object]) -> int:
    """One audited administrative action, as the CLI runs it (server.__main__._run_admin)."""
    return server_cli._run_admin(settings, method, action)


@pytest.fixture
def initialised(kek_settings: Settings) -> Settings:
    """Key version 1 made (in the cipher this machine prefers)."""
    assert admin(kek_settings, "card_keys.init", key_service.create_first_version) == 0
    return kek_settings


@pytest.fixture
def service(initialised: Settings, engine: Engine) -> Iterator[CardKeys]:
    """The key service for one session, with KEK A."""
    with Session(engine) as session:
        yield CardKeys(session, load_kek(initialised))


def blank_card(keys: CardKeys, serial: bytes, version: KeyVersion | None = None) -> VirtualCard:
    """An emulated card personalised under the key service's diversified keys (current version unless given)."""
    version = version or keys.current_version()
    info = CardInfo(serial=serial, key_version=version.number)
    files = {ef.fid: bytes(ef.size) for ef in ALL_EFS}
    files[EF_INFO.fid] = info.encode()
    return VirtualCard(CardState(serial=serial, version=version, keys=keys.personalisation_keys(info), files=files))


def sell(keys: CardKeys, card: VirtualCard, *, amount_fen: int, count: int, card_type: CardType) -> CardInfo:
    """Write parameters and a purchase as the counter will: the cryptogram and every MAC from the key service."""
    info = select_application(card)
    challenge = exchange(card, apdu.get_challenge(), "get challenge", length=8)
    exchange(card, apdu.external_authenticate(KeyId.EXTERNAL, keys.external_cryptogram(info, challenge=challenge)),
             "external authenticate")
    parameters = ParameterFile(card_type=card_type, meter_no=METER_NO, customer_no=CUSTOMER_NO)
    plan = write_plan(parameters=parameters, wallet=keys.sealed_wallet(info, amount_fen=amount_fen,
                                                                       purchase_count=count))
    challenge = exchange(card, apdu.get_challenge(), "get challenge", length=8)
    for command in keys.write_commands(info, challenge=challenge, plan=plan):
        exchange(card, command, "update")
    return info


class ServiceEsam(Esam):
    """The meter's ESAM for these tests: it holds no masters of its own but asks the key service for a card's keys
    (a real meter's ESAM is provisioned with the same masters)."""

    def __init__(self, keys: CardKeys) -> None:
        super().__init__({})
        self.keys = keys

    def knows(self, version: int) -> bool:
        return any(v.version == version for v in list_versions(self.keys._session))

    def suite(self, version: int) -> Suite:
        return self.keys.key_version(version).suite

    def card_key(self, version: int, key_id: KeyId, serial: bytes) -> bytes:
        return self.keys._card_key(CardInfo(serial=serial, key_version=version), key_id)


def versions_in_db(engine: Engine) -> list[tuple[int, str, int | None]]:
    """(version, algorithm as stored, superseded by) of every key version."""
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT v.version, v.algorithm, r.superseded_by FROM card_key_versions v"
            " LEFT JOIN card_key_retirements r ON r.version = v.version ORDER BY v.version"))]


class TestCiphers:
    """The server's own cipher wrapper gives the emulator's pinned answers (docs/card-format.md "Known answers")."""

    @pytest.mark.parametrize("suite", list(Suite))
    def test_pinned_answers(self, suite: Suite) -> None:
        """Diversification, line MAC, wallet MAC and cryptogram through server.cards.keys.encryptor."""
        encrypt = key_service.encryptor(suite)
        key = diversify(encrypt, master_key=MASTER, serial=SERIAL)
        got = (key.hex(),
               line_mac(encrypt, key=key, challenge=CHALLENGE, sequence=1, header=bytes.fromhex("04D682000C"),
                        data=bytes(8)).hex(),
               wallet_mac(encrypt, key=key, serial=SERIAL, body=bytes.fromhex("0000271000000004")).hex(),
               auth_cryptogram(encrypt, key=key, random8=CHALLENGE).hex())
        assert got == PINNED[suite]

    def test_sm4_runs_here(self) -> None:
        """This machine's cryptography runs SM4 (the GB/T 32907 vector), so new versions are SM4."""
        assert key_service.sm4_available()
        assert key_service.preferred_suite() is Suite.SM4


class TestRoundTrip:
    """A card of the emulator, personalised under the service's diversified keys, takes the service's writes."""

    def test_sale_written_and_credited_by_the_meter(self, service: CardKeys) -> None:
        """Opening card with purchase 1: the card accepts every MAC'd write, the wallet verifies, the meter (its
        ESAM on the same masters) authenticates the card and credits the amount."""
        card = blank_card(service, SERIAL_OLD)
        info = sell(service, card, amount_fen=10_000, count=1, card_type=CardType.OPENING)
        image = read_card(card)
        assert (image.wallet.amount_fen, image.wallet.purchase_count) == (10_000, 1)
        assert image.parameters.card_type is CardType.OPENING
        assert service.wallet_intact(info, image.wallet)
        meter = MeterSimulator(MeterState(meter_no=METER_NO), ServiceEsam(service))
        result = meter.insert(card, now=NOW)
        assert (result.outcome, result.credited_fen) == (Outcome.CREDITED, 10_000)

    def test_card_proves_itself(self, service: CardKeys) -> None:
        """The card's INTERNAL AUTHENTICATE answer verifies; another card's does not."""
        card, other = blank_card(service, SERIAL_OLD), blank_card(service, SERIAL_NEW)
        random8 = bytes.fromhex("0807060504030201")
        info = select_application(card)
        select_application(other)
        answer = exchange(card, apdu.internal_authenticate(KeyId.INTERNAL, random8), "internal", length=16)
        foreign = exchange(other, apdu.internal_authenticate(KeyId.INTERNAL, random8), "internal", length=16)
        assert service.card_authentic(info, random8=random8, cryptogram=answer)
        assert not service.card_authentic(info, random8=random8, cryptogram=foreign)

    def test_wallet_of_another_card_refused(self, service: CardKeys) -> None:
        """A wallet sealed for one serial neither verifies on another card nor credits in the meter (6989)."""
        card, other = blank_card(service, SERIAL_OLD), blank_card(service, SERIAL_NEW)
        info = sell(service, card, amount_fen=5_000, count=1, card_type=CardType.OPENING)
        copied = read_card(card).wallet
        other_info = sell(service, other, amount_fen=5_000, count=1, card_type=CardType.OPENING)
        assert service.wallet_intact(info, copied)
        assert not service.wallet_intact(other_info, copied)
        assert not service.wallet_intact(info, WalletFile(amount_fen=50_000, purchase_count=1, mac=copied.mac))

    def test_tampered_write_refused_by_the_card(self, service: CardKeys) -> None:
        """One changed byte of the MAC'd data: the card answers 6988 and writes nothing."""
        card = blank_card(service, SERIAL_OLD)
        info = select_application(card)
        wallet = service.sealed_wallet(info, amount_fen=10_000, purchase_count=1)
        challenge = exchange(card, apdu.get_challenge(), "get challenge", length=8)
        (command,) = service.write_commands(info, challenge=challenge,
                                            plan=write_plan(parameters=None, wallet=wallet, clear_return=False))
        raw = bytearray(command.encode())
        raw[8] ^= 0x01  # inside the amount
        with pytest.raises(CardStatusError) as refused:
            exchange(card, apdu.CommandApdu.decode(bytes(raw)), "update")
        assert refused.value.sw == Sw.MAC_WRONG
        assert read_card(card).wallet == WalletFile(amount_fen=0, purchase_count=0, mac=bytes(4))


class TestVersions:
    """Create, rotate, list; the algorithm recorded per version; the tables append-only."""

    def test_init_records_algorithm_and_audit(self, initialised: Settings, engine: Engine, db: Session) -> None:
        """Version 1 in SM4 (this machine runs it), current; one audit record on the server chain."""
        assert versions_in_db(engine) == [(1, "sm4", None)]
        (record,) = db.scalars(select(AuditRecord).where(AuditRecord.target.like("card_keys:%"))).all()
        assert record.after is not None
        assert (record.target, record.after["event"], record.after["algorithm"]) == ("card_keys:v1", "created", "sm4")
        assert record.username.startswith("cli:")

    def test_init_twice_refused(self, initialised: Settings, capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
        """A second init says to rotate and adds nothing."""
        self._env(monkeypatch, initialised)
        assert server_cli.main(["card-keys", "init"]) == 2
        assert "card keys exist already (newest version 1)" in capsys.readouterr().out

    def test_rotation_keeps_old_cards_and_new_cards_use_the_new_version(self, initialised: Settings,
                                                                        engine: Engine) -> None:
        """A card of version 1 still takes a sale after the rotation; a new card gets version 2; their keys differ."""
        with Session(engine) as session:
            before = CardKeys(session, load_kek(initialised))
            old_card = blank_card(before, SERIAL_OLD)
            sell(before, old_card, amount_fen=2_000, count=1, card_type=CardType.OPENING)
        assert admin(initialised, "card_keys.rotate", key_service.rotate) == 0
        assert versions_in_db(engine) == [(1, "sm4", 2), (2, "sm4", None)]
        with Session(engine) as session:
            keys = CardKeys(session, load_kek(initialised))
            assert keys.current_version() == KeyVersion(2, Suite.SM4)
            info = sell(keys, old_card, amount_fen=3_000, count=2, card_type=CardType.PURCHASE)
            assert info.key_version == 1
            assert keys.wallet_intact(info, read_card(old_card).wallet)
            new_card = blank_card(keys, SERIAL_NEW)
            new_info = sell(keys, new_card, amount_fen=4_000, count=1, card_type=CardType.OPENING)
            assert new_info.key_version == 2
            assert keys.wallet_intact(new_info, read_card(new_card).wallet)
            same_serial = CardInfo(serial=SERIAL_OLD, key_version=2)
            assert keys.personalisation_keys(same_serial) != keys.personalisation_keys(
                CardInfo(serial=SERIAL_OLD, key_version=1))
            rows = list_versions(session)
        assert [(v.version, v.current, v.superseded_by) for v in rows] == [(1, False, 2), (2, True, None)]
        assert rows[0].retired_at is not None

    def test_rotate_records_retirement_in_audit(self, initialised: Settings, db: Session) -> None:
        """Rotation writes a creation record for version 2 and a retirement record for version 1."""
        assert admin(initialised, "card_keys.rotate", key_service.rotate) == 0
        records = db.scalars(select(AuditRecord).where(AuditRecord.target.like("card_keys:%"))
                             .order_by(AuditRecord.id)).all()
        assert [(r.target, (r.after or {}).get("event")) for r in records] == [
            ("card_keys:v1", "created"), ("card_keys:v2", "created"), ("card_keys:v1", "retired")]
        report = verify_chains(db)
        assert (report.problems, report.records >= 3) == ([], True)

    def test_algorithm_chosen_per_version(self, initialised: Settings, engine: Engine,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
        """On a stack without SM4 the next version is AES-128; the SM4 version is still recorded as SM4."""
        monkeypatch.setattr(key_service, "sm4_available", lambda: False)
        assert admin(initialised, "card_keys.rotate", key_service.rotate) == 0
        assert versions_in_db(engine) == [(1, "sm4", 2), (2, "aes128", None)]
        with Session(engine) as session:
            keys = CardKeys(session, load_kek(initialised))
            assert keys.current_version() == KeyVersion(2, Suite.AES128)
            card = blank_card(keys, SERIAL_NEW)
            info = sell(keys, card, amount_fen=1_000, count=1, card_type=CardType.OPENING)
            assert keys.wallet_intact(info, read_card(card).wallet)
            with pytest.raises(CardKeyError, match="uses SM4, which the cryptography/OpenSSL of this server"):
                keys.sealed_wallet(CardInfo(serial=SERIAL_OLD, key_version=1), amount_fen=1, purchase_count=1)

    def test_sm4_asked_for_without_sm4_refused(self, initialised: Settings, engine: Engine,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
        """`rotate --algorithm sm4` on a stack without SM4: refused, nothing stored."""
        monkeypatch.setattr(key_service, "sm4_available", lambda: False)
        with pytest.raises(CardKeyError, match="uses SM4"):
            admin(initialised, "card_keys.rotate", lambda ctx: key_service.rotate(ctx, suite=Suite.SM4))
        assert versions_in_db(engine) == [(1, "sm4", None)]

    def test_rotate_before_init_refused(self, kek_settings: Settings) -> None:
        """No version yet: rotate says to init."""
        with pytest.raises(CardKeyError, match="card-keys init"):
            admin(kek_settings, "card_keys.rotate", key_service.rotate)

    def test_tables_append_only(self, initialised: Settings, engine: Engine) -> None:
        """No key version or retirement is updated or deleted in place."""
        assert admin(initialised, "card_keys.rotate", key_service.rotate) == 0
        for statement in ("UPDATE card_key_versions SET algorithm = 'aes128'", "DELETE FROM card_key_versions",
                          "TRUNCATE card_key_versions CASCADE", "UPDATE card_key_retirements SET superseded_by = 2",
                          "DELETE FROM card_key_retirements", "TRUNCATE card_key_retirements"):
            with engine.begin() as conn, pytest.raises(sa.exc.DBAPIError):
                conn.execute(text(statement))

    def test_cli_list(self, initialised: Settings, monkeypatch: pytest.MonkeyPatch,
                      capsys: pytest.CaptureFixture[str]) -> None:
        """init | rotate --algorithm aes128 | list through main(): versions, algorithms and states."""
        self._env(monkeypatch, initialised)
        assert server_cli.main(["card-keys", "rotate", "--algorithm", "aes128"]) == 0
        assert "card key version 2 made" in capsys.readouterr().out
        assert server_cli.main(["card-keys", "list"]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[0].split()[:3] == ["version", "algorithm", "state"]
        assert [line.split()[:3] for line in lines[1:]] == [["1", "sm4", "retired"], ["2", "aes128", "current"]]

    def test_cli_list_empty(self, kek_settings: Settings, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
        """No version yet: list says so."""
        self._env(monkeypatch, kek_settings)
        assert server_cli.main(["card-keys", "list"]) == 0
        assert "no card key version yet" in capsys.readouterr().out

    @staticmethod
    def _env(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
        monkeypatch.setenv("GRIDCOUNTER_DATABASE_URL", str(settings.database_url))
        monkeypatch.setenv("GRIDCOUNTER_PII_KEY", PII_KEY_B64)
        monkeypatch.setenv("GRIDCOUNTER_DATA_DIR", str(settings.data_dir))
        monkeypatch.setenv("GRIDCOUNTER_CARD_KEK", str(settings.card_kek))


class TestKek:
    """The key-encryption key: from the environment or its file; a wrong one never opens or adds a version."""

    def test_wrong_kek_refuses_with_a_clear_error(self, initialised: Settings, engine: Engine, tmp_path: Path,
                                                  db_url: str) -> None:
        """KEK B does not open version 1: a CardKeyError naming the version and the KEK's source."""
        wrong = _settings(db_url, tmp_path, KEK_B)
        with Session(engine) as session:
            keys = CardKeys(session, load_kek(wrong))
            with pytest.raises(CardKeyError, match=r"card key version 1 does not open under the card "
                                                   r"key-encryption key from GRIDCOUNTER_CARD_KEK"):
                keys.current_version()

    def test_wrong_kek_adds_no_version(self, initialised: Settings, engine: Engine, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        """`card-keys rotate` under KEK B: exit 2, the sentence, still one version."""
        TestVersions._env(monkeypatch, _settings(str(initialised.database_url), tmp_path, KEK_B))
        assert server_cli.main(["card-keys", "rotate"]) == 2
        assert "does not open under the card key-encryption key" in capsys.readouterr().out
        assert versions_in_db(engine) == [(1, "sm4", None)]

    def test_kek_file_made_by_init_only(self, db_url: str, tmp_path: Path, engine: Engine) -> None:
        """Without the environment variable: no file is an error for the service; init makes it (0600) and the
        service then opens the keys with it."""
        settings = _settings(db_url, tmp_path / "data", None)
        with pytest.raises(CardKeyError, match="no card key-encryption key: neither GRIDCOUNTER_CARD_KEK nor"):
            load_kek(settings)
        assert admin(settings, "card_keys.init", key_service.create_first_version) == 0
        assert settings.card_kek_file.stat().st_mode & 0o777 == 0o600
        with Session(engine) as session:
            assert CardKeys(session, load_kek(settings)).current_version().number == 1

    @pytest.mark.parametrize(("value", "problem"), [
        ("not base64!", "is not base64"),
        (base64.b64encode(bytes(16)).decode(), "has 16 bytes, not 32"),
        ("", None),  # empty: as if unset, the file is looked for
    ])
    def test_bad_kek_values(self, db_url: str, tmp_path: Path, value: str, problem: str | None) -> None:
        """A KEK that is not base64 or not 32 bytes is refused by name; an empty one falls back to the file."""
        settings = _settings(db_url, tmp_path, value)
        with pytest.raises(CardKeyError, match=problem or "no card key-encryption key"):
            load_kek(settings)

    def test_bad_kek_file(self, db_url: str, tmp_path: Path) -> None:
        """A KEK file of the wrong size is refused, naming the file."""
        settings = _settings(db_url, tmp_path, None)
        settings.card_kek_file.parent.mkdir(parents=True, exist_ok=True)
        settings.card_kek_file.write_bytes(base64.b64encode(bytes(31)))
        with pytest.raises(CardKeyError, match=rf"{settings.card_kek_file} has 31 bytes"):
            load_kek(settings)

    def test_swapped_algorithm_does_not_open(self, initialised: Settings, engine: Engine) -> None:
        """The ciphertext is bound to its version and algorithm: the same blob under another label fails."""
        with Session(engine) as session:
            row = session.get(CardKeyVersion, 1)
            assert row is not None
            kek = load_kek(initialised)
            assert len(key_service._unseal(kek, row)) == 4
            forged = CardKeyVersion(version=1, algorithm=CardKeyAlgorithm.AES128, masters_enc=row.masters_enc,
                                    created_by="x", created_at=NOW)
            with pytest.raises(CardKeyError, match="does not open"):
                key_service._unseal(kek, forged)


class TestNoKeyInClear:
    """Master keys never in the database, the audit records, the log or the CLI's output in clear."""

    def test_masters_absent(self, kek_settings: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
        """init, rotate, a sale and list with every logger at DEBUG (SQL and its parameters included): no master
        key, and no card's wallet or update key, appears in hex, base64 or raw bytes."""
        caplog.set_level(logging.DEBUG)
        logging.getLogger("sqlalchemy.engine").setLevel(logging.DEBUG)
        try:
            TestVersions._env(monkeypatch, kek_settings)
            assert server_cli.main(["-v", "card-keys", "init"]) == 0
            assert server_cli.main(["-v", "card-keys", "rotate", "--algorithm", "aes128"]) == 0
            with Session(engine) as session:
                keys = CardKeys(session, load_kek(kek_settings))
                sell(keys, blank_card(keys, SERIAL_NEW), amount_fen=1_000, count=1, card_type=CardType.OPENING)
                secrets_: list[bytes] = []
                for row in session.scalars(select(CardKeyVersion)).all():
                    secrets_ += key_service._unseal(load_kek(kek_settings), row).values()
                    info = CardInfo(serial=SERIAL_NEW, key_version=row.version)
                    secrets_ += [keys._card_key(info, KeyId.WALLET), keys._card_key(info, KeyId.UPDATE)]
                repr_text = repr(keys)
            assert server_cli.main(["card-keys", "list"]) == 0
        finally:
            logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
        assert len(secrets_) == 12
        dump = self._dump(engine)
        audit_rows = self._audit(engine)
        assert "card_keys:v2" in audit_rows
        texts = {"database dump": dump, "audit records": audit_rows, "log": caplog.text,
                 "CLI output": capsys.readouterr().out, "repr": repr_text}
        assert "INSERT INTO card_key_versions" in caplog.text  # the SQL log was on: the check can fail
        for secret in secrets_:
            forms = (secret.hex(), secret.hex().upper(), base64.b64encode(secret).decode(),
                     secret.decode("latin-1"))
            for where, content in texts.items():
                for form in forms:
                    assert form not in content, f"a key in {where}"

    @staticmethod
    def _dump(engine: Engine) -> str:
        """Every row of every table of the database, as PostgreSQL renders it (bytea in hex)."""
        with engine.connect() as conn:
            tables = conn.execute(text("SELECT table_name FROM information_schema.tables"
                                       " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")).scalars()
            return "\n".join(str(row) for table in list(tables)
                             for row in conn.execute(text(f'SELECT t::text FROM "{table}" t')).scalars())  # noqa: S608 (catalog names)

    @staticmethod
    def _audit(engine: Engine) -> str:
        with engine.connect() as conn:
            return "\n".join(str(r) for r in conn.execute(text(
                "SELECT a::text FROM audit_log a WHERE target LIKE 'card_keys:%'")).scalars())


def test_kek_repr_hides_the_key() -> None:
    """A Kek in a log line or a traceback shows where it came from, not the key."""
    kek = Kek(key=bytes(range(32)), source="GRIDCOUNTER_CARD_KEK")
    assert bytes(range(32)).hex() not in repr(kek)
    assert "GRIDCOUNTER_CARD_KEK" in repr(kek)
