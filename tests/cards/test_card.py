"""The emulated card's APDU machine in process: selection, reads, challenge, both authentications, the MAC'd
update's access rules (6982, 6984, 6988: nothing written), and its JSON state."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from client.devices.cardsim.card import ATR, MAX_AUTH_FAILURES, CardState, VirtualCard
from client.devices.cardsim.keys import Esam
from shared_models.cards import apdu
from shared_models.cards.apdu import CommandApdu, ResponseApdu, Sw
from shared_models.cards.crypto import KeyId, auth_cryptogram, line_mac, mac_update
from shared_models.cards.files import (
    DF01,
    EF_INFO,
    EF_PARAMETERS,
    EF_RETURN,
    EF_WALLET,
    MF,
    CardType,
    EfId,
    ParameterFile,
    WalletFile,
)
from tests.cards.helpers import CUSTOMER, METER_NO


def send(card: VirtualCard, command: CommandApdu | bytes) -> ResponseApdu:
    """One exchange with the card."""
    raw = command if isinstance(command, bytes) else command.encode()
    return ResponseApdu.decode(card.transmit(raw))


def open_df01(card: VirtualCard) -> None:
    """Power up and select the application."""
    assert card.reset() == ATR
    assert send(card, apdu.select(MF)).sw == Sw.OK
    assert send(card, apdu.select(DF01)).sw == Sw.OK


def challenge(card: VirtualCard) -> bytes:
    """A fresh challenge."""
    return send(card, apdu.get_challenge()).expect("challenge", length=8)


def authenticate(card: VirtualCard, esam: Esam) -> None:
    """EXTERNAL AUTHENTICATE with the right key."""
    state = card.state
    cryptogram = auth_cryptogram(esam.encrypt(state.version.number),
                                 key=esam.card_key(state.version.number, KeyId.EXTERNAL, state.serial),
                                 random8=challenge(card))
    assert send(card, apdu.external_authenticate(KeyId.EXTERNAL, cryptogram)).sw == Sw.OK


def update(card: VirtualCard, esam: Esam, ef: EfId, data: bytes, *, nonce: bytes, sequence: int = 0) -> int:
    """A MAC'd whole-file update under the right key; its SW."""
    state = card.state
    command = mac_update(esam.encrypt(state.version.number),
                         update_key=esam.card_key(state.version.number, KeyId.UPDATE, state.serial),
                         challenge=nonce, sequence=sequence, ef=ef, data=data)
    return send(card, command).sw


WALLET = WalletFile(amount_fen=10_000, purchase_count=1, mac=bytes.fromhex("01020304")).encode()


class TestSelectAndRead:
    """SELECT and READ BINARY."""

    def test_reads_every_file(self, card: VirtualCard) -> None:
        """Each EF reads at its exact size; the info file holds serial and key version."""
        open_df01(card)
        for ef in (EF_PARAMETERS, EF_WALLET, EF_RETURN, EF_INFO):
            assert send(card, apdu.read_binary(ef.sfi, ef.size)).expect(ef.name, length=ef.size) == card.file(ef)
        assert card.file(EF_INFO)[:8] == card.state.serial

    @pytest.mark.parametrize(("raw", "sw"), [
        ("00a40000023f01", Sw.FILE_NOT_FOUND), ("00a40400023f00", Sw.WRONG_P1P2), ("00a40000033f0000", Sw.WRONG_LENGTH),
        ("00b0950901", Sw.OFFSET_OUT_OF_RANGE), ("00b0820000", Sw.OK), ("00b082000d", Sw.WRONG_LENGTH),
        ("00b08200", Sw.WRONG_LENGTH), ("00b0820c01", Sw.OFFSET_OUT_OF_RANGE), ("00b0830001", Sw.FILE_NOT_FOUND),
        ("00b0e20001", Sw.WRONG_P1P2), ("00b0000001", Sw.NO_CURRENT_EF), ("04b082000c", Sw.CLA_NOT_SUPPORTED),
        ("80b082000c", Sw.CLA_NOT_SUPPORTED), ("00ca000000", Sw.INS_NOT_SUPPORTED), ("00b082", Sw.WRONG_LENGTH),
        ("008400000408", Sw.WRONG_LENGTH), ("0084000004", Sw.WRONG_LENGTH), ("0088000107" + "00" * 7, Sw.WRONG_LENGTH),
        ("0088000208" + "00" * 8, Sw.WRONG_P1P2),
    ], ids=["unknown-df", "select-by-name", "select-3-bytes", "read-offset-past-end", "read-le-0-all",
            "read-le-too-long", "read-no-le", "read-offset-12", "read-unknown-sfi", "read-bad-p1", "read-no-current-ef",
            "read-cla-04", "read-cla-80", "unknown-ins", "truncated", "challenge-with-data", "challenge-4",
            "internal-7-bytes", "internal-wrong-key"])
    def test_refusals(self, card: VirtualCard, raw: str, sw: int) -> None:
        """Each malformed or impossible command gets its status word."""
        open_df01(card)
        assert send(card, bytes.fromhex(raw)).sw == sw

    def test_select_ef_then_read_current(self, card: VirtualCard) -> None:
        """SELECT an EF by file id, then READ BINARY of the current EF at an offset (P1 P2)."""
        open_df01(card)
        assert send(card, apdu.select(EF_INFO.fid)).sw == Sw.OK
        assert send(card, bytes.fromhex("00b0000004")).expect("read", length=4) == card.state.serial[:4]

    def test_ef_not_visible_from_mf(self, card: VirtualCard) -> None:
        """The EFs live in DF01: from the MF they are not found."""
        card.reset()
        assert send(card, apdu.select(MF)).sw == Sw.OK
        assert send(card, apdu.select(EF_WALLET.fid)).sw == Sw.FILE_NOT_FOUND
        assert send(card, apdu.read_binary(EF_WALLET.sfi, 12)).sw == Sw.FILE_NOT_FOUND


class TestAuthentication:
    """GET CHALLENGE, INTERNAL and EXTERNAL AUTHENTICATE."""

    def test_challenges_differ(self, card: VirtualCard) -> None:
        """Two challenges are not the same bytes."""
        open_df01(card)
        assert challenge(card) != challenge(card)

    def test_internal(self, card: VirtualCard, esam: Esam) -> None:
        """The card encrypts the terminal's random under its diversified internal key."""
        open_df01(card)
        state = card.state
        answer = send(card, apdu.internal_authenticate(KeyId.INTERNAL, b"RANDOM!!")).expect("internal", length=16)
        assert answer == auth_cryptogram(esam.encrypt(state.version.number), random8=b"RANDOM!!",
                                         key=esam.card_key(state.version.number, KeyId.INTERNAL, state.serial))

    def test_external_failures_count_and_block(self, card: VirtualCard, esam: Esam) -> None:
        """A wrong cryptogram answers 63Cx (tries left, persisted); after 5 the card blocks, even the right one."""
        open_df01(card)
        for left in range(MAX_AUTH_FAILURES - 1, -1, -1):
            challenge(card)
            assert send(card, apdu.external_authenticate(KeyId.EXTERNAL, bytes(16))).sw == 0x63C0 | left
        assert card.path is not None
        assert CardState.load(card.path).auth_failures == MAX_AUTH_FAILURES
        state = card.state
        cryptogram = auth_cryptogram(esam.encrypt(state.version.number), random8=challenge(card),
                                     key=esam.card_key(state.version.number, KeyId.EXTERNAL, state.serial))
        assert send(card, apdu.external_authenticate(KeyId.EXTERNAL, cryptogram)).sw == Sw.AUTH_BLOCKED

    def test_external_success_resets_counter(self, card: VirtualCard, esam: Esam) -> None:
        """A right cryptogram after a wrong one clears the failure count."""
        open_df01(card)
        challenge(card)
        assert send(card, apdu.external_authenticate(KeyId.EXTERNAL, bytes(16))).sw == 0x63C4
        authenticate(card, esam)
        assert card.state.auth_failures == 0

    def test_external_needs_challenge(self, card: VirtualCard) -> None:
        """Without a fresh challenge: 6984; with the wrong key id: 6A86."""
        open_df01(card)
        assert send(card, apdu.external_authenticate(KeyId.EXTERNAL, bytes(16))).sw == Sw.NO_CHALLENGE
        assert send(card, apdu.external_authenticate(KeyId.UPDATE, bytes(16))).sw == Sw.WRONG_P1P2


class TestUpdate:
    """MAC'd UPDATE BINARY: only with the right MAC over a fresh challenge; otherwise nothing written."""

    def test_written_and_persisted(self, card: VirtualCard, esam: Esam) -> None:
        """A right MAC writes the wallet and saves the card's JSON."""
        open_df01(card)
        assert update(card, esam, EF_WALLET, WALLET, nonce=challenge(card)) == Sw.OK
        assert card.file(EF_WALLET) == WALLET
        assert card.path is not None
        assert CardState.load(card.path).files[EF_WALLET.fid] == WALLET

    def test_plain_update_refused(self, card: VirtualCard) -> None:
        """CLA 00 (no MAC): 6982, nothing written."""
        open_df01(card)
        challenge(card)
        assert send(card, bytes.fromhex("00d682000c") + WALLET).sw == Sw.SECURITY_NOT_SATISFIED
        assert card.file(EF_WALLET) == bytes(12)

    def test_wrong_mac_refused(self, card: VirtualCard, esam: Esam) -> None:
        """A MAC under another key: 6988, file and JSON unchanged, the challenge spent."""
        open_df01(card)
        assert card.path is not None
        saved = card.path.read_bytes()
        nonce = challenge(card)
        wrong = mac_update(esam.encrypt(1), update_key=bytes(16), challenge=nonce, sequence=0, ef=EF_WALLET,
                           data=WALLET)
        assert send(card, wrong).sw == Sw.MAC_WRONG
        assert card.file(EF_WALLET) == bytes(12)
        assert card.path.read_bytes() == saved
        assert update(card, esam, EF_WALLET, WALLET, nonce=nonce) == Sw.NO_CHALLENGE

    def test_one_challenge_two_updates_in_sequence(self, card: VirtualCard, esam: Esam) -> None:
        """Update #0 and #1 under one challenge; replaying #0's MAC as #1 is 6988."""
        open_df01(card)
        nonce = challenge(card)
        assert update(card, esam, EF_RETURN, bytes(38), nonce=nonce, sequence=0) == Sw.OK
        assert update(card, esam, EF_WALLET, WALLET, nonce=nonce, sequence=1) == Sw.OK
        assert update(card, esam, EF_WALLET, WALLET, nonce=nonce, sequence=1) == Sw.MAC_WRONG

    def test_replayed_first_mac_refused(self, card: VirtualCard, esam: Esam) -> None:
        """The same command sent twice under one challenge: the second is 6988."""
        open_df01(card)
        nonce = challenge(card)
        state = card.state
        command = mac_update(esam.encrypt(state.version.number), challenge=nonce, sequence=0, ef=EF_WALLET,
                             update_key=esam.card_key(state.version.number, KeyId.UPDATE, state.serial), data=WALLET)
        assert send(card, command).sw == Sw.OK
        assert send(card, command).sw == Sw.MAC_WRONG

    @pytest.mark.parametrize("between", ["read", "reset", "select"])
    def test_challenge_serves_next_command_only(self, card: VirtualCard, esam: Esam, between: str) -> None:
        """Any other command or a reset after GET CHALLENGE spends it: the update answers 6984."""
        open_df01(card)
        nonce = challenge(card)
        if between == "read":
            send(card, apdu.read_binary(EF_WALLET.sfi, 12))
        elif between == "select":
            send(card, apdu.select(DF01))
        else:
            open_df01(card)
        assert update(card, esam, EF_WALLET, WALLET, nonce=nonce) == Sw.NO_CHALLENGE

    def test_parameters_need_external_authentication(self, card: VirtualCard, esam: Esam) -> None:
        """The parameter file: 6982 with only a MAC; written after EXTERNAL AUTHENTICATE."""
        parameters = ParameterFile(card_type=CardType.OPENING, meter_no=METER_NO, customer_no=CUSTOMER).encode()
        open_df01(card)
        assert update(card, esam, EF_PARAMETERS, parameters, nonce=challenge(card)) == Sw.SECURITY_NOT_SATISFIED
        authenticate(card, esam)
        assert update(card, esam, EF_PARAMETERS, parameters, nonce=challenge(card)) == Sw.OK
        assert card.parameters().card_type is CardType.OPENING

    def test_info_never_written(self, card: VirtualCard, esam: Esam) -> None:
        """The serial and key version cannot be rewritten, whatever the keys."""
        open_df01(card)
        authenticate(card, esam)
        assert update(card, esam, EF_INFO, bytes(9), nonce=challenge(card)) == Sw.SECURITY_NOT_SATISFIED

    def test_write_past_the_end(self, card: VirtualCard, esam: Esam) -> None:
        """12 bytes at offset 4 of the 12-byte wallet: 6700, nothing written."""
        open_df01(card)
        state = card.state
        header = bytes([0x04, 0xD6, 0x82, 0x04, 16])
        mac = line_mac(esam.encrypt(state.version.number), challenge=challenge(card), sequence=0, header=header,
                       key=esam.card_key(state.version.number, KeyId.UPDATE, state.serial), data=WALLET)
        assert send(card, header + WALLET + mac).sw == Sw.WRONG_LENGTH
        assert card.file(EF_WALLET) == bytes(12)

    def test_update_with_le_or_too_short(self, card: VirtualCard) -> None:
        """A MAC'd update with fewer than 5 data bytes, or with an Le: 6700."""
        open_df01(card)
        challenge(card)
        assert send(card, bytes.fromhex("04d6820004aabbccdd")).sw == Sw.WRONG_LENGTH


class TestState:
    """The card's JSON state."""

    def test_round_trip(self, card: VirtualCard) -> None:
        """Saved and loaded, the state is equal."""
        assert card.path is not None
        assert CardState.load(card.path) == card.state

    @pytest.mark.parametrize("damage", ["missing-key", "short-file", "bad-hex", "not-a-dict", "bad-suite"])
    def test_damaged_state_refused(self, tmp_path: Path, card: VirtualCard, damage: str) -> None:
        """A state file that does not fit is a ValueError naming it, not a half-working card."""
        doc = card.state.to_json()
        if damage == "missing-key":
            del doc["keys"]["3"]
        elif damage == "short-file":
            doc["files"]["0002"] = "00"
        elif damage == "bad-hex":
            doc["serial"] = "zz"
        elif damage == "bad-suite":
            doc["suite"] = "DES"
        else:
            doc["files"] = []
        path = tmp_path / "bad.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        with pytest.raises(ValueError, match="not a card state"):
            CardState.load(path)


class TestFuzz:
    """Random C-APDUs never crash the card and never change a file."""

    @settings(derandomize=True, deadline=None, max_examples=300,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(commands=st.lists(st.one_of(
        st.binary(max_size=40),
        st.builds(lambda ins, p1, data: bytes([0x04, ins, p1, 0, len(data)]) + data,
                  st.sampled_from([0xD6, 0x82, 0x84, 0xB0, 0xA4]), st.sampled_from([0x81, 0x82, 0x85, 0x95, 0]),
                  st.binary(min_size=1, max_size=40)),
        st.just(apdu.get_challenge().encode())), max_size=12))
    def test_random_commands(self, card: VirtualCard, commands: list[bytes]) -> None:
        """Every answer is at least a status word; the files stay as they were (no write without the key)."""
        files = dict(card.state.files)
        open_df01(card)
        for raw in commands:
            assert len(card.transmit(raw)) >= 2
        assert card.state.files == files
