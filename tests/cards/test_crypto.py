"""The card crypto: the SM4 (GB/T 32907) and AES (FIPS 197, SP 800-38A) vectors through our ciphers, the MAC
chaining checked against the library's own CBC, and pinned answers of our diversification, MACs and cryptograms
(the server's key service must give the same bytes)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from hypothesis import given, settings
from hypothesis import strategies as st

from client.devices.cardsim.keys import (
    SM4_VECTOR,
    TEST_VERSIONS,
    Esam,
    default_test_version,
    encryptor,
    preferred_suite,
    public_master_key,
    sm4_available,
)
from shared_models.cards.crypto import (
    KeyId,
    KeyVersion,
    Suite,
    auth_cryptogram,
    cbc_mac,
    diversify,
    line_mac,
    mac_update,
    pad,
    seal_wallet,
    wallet_intact,
    wallet_mac,
)
from shared_models.cards.errors import CardFormatError
from shared_models.cards.files import EF_RETURN, EF_WALLET, WalletFile

DETERMINISTIC = settings(derandomize=True, deadline=None, max_examples=100)
MASTER = bytes(range(16))
SERIAL = bytes.fromhex("1122334455667788")
CHALLENGE = bytes.fromhex("0102030405060708")
# Our scheme's answers for MASTER, SERIAL and CHALLENGE (docs/card-format.md "Known answers"):
# suite -> (card key, line MAC of 04D682000C + 8 zero bytes as update #1, wallet MAC of 100 yuan count 4, cryptogram)
PINNED = {
    Suite.SM4: ("965570d41200c9bc5aec4a23a09d87ca", "20c5773e", "ff78d406", "590bd43c771cb516e485daa11f0a51e5"),
    Suite.AES128: ("f4159b935d41af8f288bc9cf60b994a6", "68924847", "2a06f334", "c66cd98fbc2961b665816b60ad6d482e"),
}


def _library_cbc_last_block(suite: Suite, key: bytes, iv: bytes, data: bytes) -> bytes:
    algorithm = algorithms.SM4(key) if suite is Suite.SM4 else algorithms.AES128(key)
    encryptor_ = Cipher(algorithm, modes.CBC(iv)).encryptor()
    return (encryptor_.update(data) + encryptor_.finalize())[-16:]


class TestCiphers:
    """The one-block ciphers against published vectors."""

    def test_sm4_runs_here(self) -> None:
        """cryptography has SM4 and its OpenSSL runs it (Debian 12; the wheel's OpenSSL), so new cards use SM4."""
        assert sm4_available()
        assert preferred_suite() is Suite.SM4
        assert default_test_version() == KeyVersion(2, Suite.SM4)

    def test_sm4_gbt_32907_example_1(self) -> None:
        """GB/T 32907-2016 Appendix A example 1."""
        key, plain, cipher = (bytes.fromhex(h) for h in SM4_VECTOR)
        assert encryptor(Suite.SM4)(key, plain) == cipher

    def test_aes_fips_197_c1(self) -> None:
        """FIPS 197 Appendix C.1 (AES-128)."""
        key = bytes.fromhex("000102030405060708090a0b0c0d0e0f")
        plain = bytes.fromhex("00112233445566778899aabbccddeeff")
        assert encryptor(Suite.AES128)(key, plain).hex() == "69c4e0d86a7b0430d8cdb78070b4c55a"

    def test_aes_sp800_38a_cbc_chain(self) -> None:
        """SP 800-38A F.2.1 (CBC-AES128): our chain over the 4 blocks reaches the published last block."""
        key = bytes.fromhex("2b7e151628aed2a6abf7158809cf4f3c")
        iv = bytes.fromhex("000102030405060708090a0b0c0d0e0f")
        plain = bytes.fromhex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
                              "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710")
        last = bytes.fromhex("3ff1caa1681fac09120eca307586e1a7")
        aes = encryptor(Suite.AES128)
        # pad() adds one block 80 00..: the MAC is that block chained from the published last ciphertext block.
        expected = aes(key, bytes(a ^ b for a, b in zip(last, b"\x80" + bytes(15), strict=True)))[:4]
        assert cbc_mac(aes, key=key, data=plain, iv=iv) == expected


class TestMac:
    """Padding, chaining and the scheme's MACs."""

    @pytest.mark.parametrize(("length", "padded"), [(0, 16), (1, 16), (15, 16), (16, 32), (17, 32), (31, 32)])
    def test_pad_method_2(self, length: int, padded: int) -> None:
        """ISO/IEC 9797-1 method 2: always 0x80, then zeros to the block."""
        out = pad(bytes([0x11]) * length)
        assert len(out) == padded
        assert out[length] == 0x80
        assert not any(out[length + 1:])

    @pytest.mark.parametrize("suite", list(Suite))
    @DETERMINISTIC
    @given(key=st.binary(min_size=16, max_size=16), iv=st.binary(min_size=16, max_size=16), data=st.binary(max_size=80))
    def test_cbc_mac_is_library_cbc(self, suite: Suite, key: bytes, iv: bytes, data: bytes) -> None:
        """Our chaining equals the library's CBC over the padded data (first 4 bytes of the last block)."""
        assert cbc_mac(encryptor(suite), key=key, data=data, iv=iv) == _library_cbc_last_block(
            suite, key, iv, pad(data))[:4]

    @pytest.mark.parametrize("suite", list(Suite))
    def test_pinned_answers(self, suite: Suite) -> None:
        """Diversification, line MAC, wallet MAC and cryptogram give the pinned bytes."""
        encrypt = encryptor(suite)
        key = diversify(encrypt, master_key=MASTER, serial=SERIAL)
        got = (key.hex(),
               line_mac(encrypt, key=key, challenge=CHALLENGE, sequence=1, header=bytes.fromhex("04D682000C"),
                        data=bytes(8)).hex(),
               wallet_mac(encrypt, key=key, serial=SERIAL, body=bytes.fromhex("0000271000000004")).hex(),
               auth_cryptogram(encrypt, key=key, random8=CHALLENGE).hex())
        assert got == PINNED[suite]

    @pytest.mark.parametrize("suite", list(Suite))
    def test_diversification(self, suite: Suite) -> None:
        """E(master, serial || ~serial): deterministic, and different per serial and per master."""
        encrypt = encryptor(suite)
        key = diversify(encrypt, master_key=MASTER, serial=SERIAL)
        assert key == encrypt(MASTER, SERIAL + bytes(b ^ 0xFF for b in SERIAL))
        assert key == diversify(encrypt, master_key=MASTER, serial=SERIAL)
        assert key != diversify(encrypt, master_key=MASTER, serial=bytes(8))
        assert key != diversify(encrypt, master_key=bytes(16), serial=SERIAL)

    def test_line_mac_binds_everything(self) -> None:
        """Another challenge, sequence number, header or data gives another MAC."""
        encrypt = encryptor(Suite.SM4)
        key = diversify(encrypt, master_key=MASTER, serial=SERIAL)
        base = {"key": key, "challenge": CHALLENGE, "sequence": 0, "header": bytes.fromhex("04D682000C"),
                "data": bytes(8)}
        mac = line_mac(encrypt, **base)  # type: ignore[arg-type]
        for field, other in (("challenge", bytes(8)), ("sequence", 1), ("header", bytes.fromhex("04D685000C")),
                             ("data", bytes(7) + b"\x01")):
            assert line_mac(encrypt, **{**base, field: other}) != mac  # type: ignore[arg-type]

    def test_sealed_wallet_verifies_only_unchanged(self) -> None:
        """A sealed wallet verifies; another amount, count or card serial does not."""
        encrypt = encryptor(Suite.SM4)
        key = diversify(encrypt, master_key=MASTER, serial=SERIAL)
        wallet = seal_wallet(encrypt, wallet_key=key, serial=SERIAL, amount_fen=10_000, purchase_count=4)
        assert wallet_intact(encrypt, wallet_key=key, serial=SERIAL, wallet=wallet)
        for forged in (WalletFile(amount_fen=10_001, purchase_count=4, mac=wallet.mac),
                       WalletFile(amount_fen=10_000, purchase_count=5, mac=wallet.mac)):
            assert not wallet_intact(encrypt, wallet_key=key, serial=SERIAL, wallet=forged)
        assert not wallet_intact(encrypt, wallet_key=key, serial=bytes(8), wallet=wallet)

    @pytest.mark.parametrize(("call", "kwargs"), [
        (diversify, {"master_key": bytes(15), "serial": SERIAL}),
        (diversify, {"master_key": MASTER, "serial": bytes(7)}),
        (cbc_mac, {"key": MASTER, "data": b"", "iv": bytes(8)}),
        (line_mac, {"key": MASTER, "challenge": bytes(4), "sequence": 0, "header": bytes(5), "data": b""}),
        (line_mac, {"key": MASTER, "challenge": bytes(8), "sequence": 256, "header": bytes(5), "data": b""}),
        (line_mac, {"key": MASTER, "challenge": bytes(8), "sequence": 0, "header": bytes(4), "data": b""}),
        (wallet_mac, {"key": MASTER, "serial": SERIAL, "body": bytes(7)}),
        (auth_cryptogram, {"key": MASTER, "random8": bytes(9)}),
    ])
    def test_wrong_sizes_refused(self, call: object, kwargs: dict[str, object]) -> None:
        """Keys, serials, IVs, challenges and bodies of the wrong size are CardFormatErrors."""
        with pytest.raises(CardFormatError):
            call(encryptor(Suite.AES128), **kwargs)  # type: ignore[operator]

    def test_mac_update_needs_the_whole_file(self) -> None:
        """A MAC'd update writes a whole EF: any other length is refused before a MAC is computed."""
        with pytest.raises(CardFormatError):
            mac_update(encryptor(Suite.AES128), update_key=MASTER, challenge=CHALLENGE, sequence=0, ef=EF_WALLET,
                       data=bytes(EF_RETURN.size))


class TestKeyVersions:
    """Key versions choose the cipher; the test ESAM diversifies per purpose."""

    def test_versions(self) -> None:
        """Version 1 is AES-128, version 2 SM4; 0 and 256 are not versions."""
        assert TEST_VERSIONS[1].suite is Suite.AES128
        assert TEST_VERSIONS[2].suite is Suite.SM4
        for number in (0, 256):
            with pytest.raises(CardFormatError):
                KeyVersion(number, Suite.SM4)

    def test_esam_keys_differ_per_purpose_and_card(self) -> None:
        """Each purpose has its own master; each card its own keys."""
        esam = Esam.test()
        keys = esam.card_keys(2, SERIAL)
        assert len(set(keys.values())) == 3
        assert keys[KeyId.UPDATE] == diversify(encryptor(Suite.SM4), master_key=public_master_key(2, KeyId.UPDATE),
                                               serial=SERIAL)
        assert esam.card_keys(2, bytes(8)) != keys
        assert esam.card_keys(1, SERIAL) != keys
        assert not esam.knows(3)
