"""The block ciphers (``cryptography``: SM4 where OpenSSL has it, else AES-128) and the fixed TEST master keys.

The test master keys are derived from a public label, so they protect nothing: they exist so that the emulated
cards, the meter simulator (playing the meter's ESAM) and the tests agree. A production key service never uses
them; it keeps its own masters on the server (issue 14, part 2).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Final

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from shared_models.cards.crypto import (
    CARD_KEYS,
    EncryptBlock,
    KeyId,
    KeyVersion,
    Suite,
    diversify,
    public_master_key,
)
from shared_models.cards.crypto import TEST_VERSIONS as SHARED_TEST_VERSIONS

#: GB/T 32907-2016 Appendix A, example 1: key = plaintext = 0123456789ABCDEFFEDCBA9876543210.
SM4_VECTOR: Final = ("0123456789abcdeffedcba9876543210", "0123456789abcdeffedcba9876543210",
                     "681edf34d206965e86b3e94f536e4246")


def _sm4_encrypt(key: bytes, block: bytes) -> bytes:
    # ECB on exactly one block is the raw block cipher; the modes and chaining are in shared_models.cards.crypto.
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()  # noqa: S305 (one block, see above)
    return encryptor.update(block) + encryptor.finalize()


def _aes_encrypt(key: bytes, block: bytes) -> bytes:
    encryptor = Cipher(algorithms.AES128(key), modes.ECB()).encryptor()  # noqa: S305 (one block, see above)
    return encryptor.update(block) + encryptor.finalize()


@functools.cache
def sm4_available() -> bool:
    """Whether ``cryptography`` has SM4 and its OpenSSL really runs it (checked on the GB/T 32907 vector)."""
    if not hasattr(algorithms, "SM4"):
        return False
    key, plain, cipher = (bytes.fromhex(h) for h in SM4_VECTOR)
    try:
        return _sm4_encrypt(key, plain) == cipher
    except Exception:  # an OpenSSL built without SM4 raises UnsupportedAlgorithm, or worse
        return False


def encryptor(suite: Suite) -> EncryptBlock:
    """The one-block encryption of ``suite``; SM4 on a stack without it is a RuntimeError, never a silent AES."""
    if suite is Suite.SM4:
        if not sm4_available():
            raise RuntimeError("SM4 is not available in this cryptography/OpenSSL")
        return _sm4_encrypt
    return _aes_encrypt


def preferred_suite() -> Suite:
    """SM4 where the stack runs it, AES-128 otherwise (the suite a new key version gets)."""
    return Suite.SM4 if sm4_available() else Suite.AES128


#: Test key versions: 1 is AES-128, 2 is SM4 (on a stack without SM4 only version 1 is usable).
TEST_VERSIONS: Final[Mapping[int, KeyVersion]] = SHARED_TEST_VERSIONS


def default_test_version() -> KeyVersion:
    """The test key version a new card gets: the SM4 one where the stack runs SM4."""
    return TEST_VERSIONS[2] if sm4_available() else TEST_VERSIONS[1]


class Esam:
    """The meter's (or a test issuer's) security module: master keys per version; it diversifies by card serial."""

    def __init__(self, masters: Mapping[int, tuple[KeyVersion, Mapping[KeyId, bytes]]]) -> None:
        self._masters = dict(masters)

    @classmethod
    def test(cls) -> Esam:
        """An ESAM holding every TEST key version."""
        return cls({number: (version, {key_id: public_master_key(number, key_id) for key_id in KeyId})
                    for number, version in TEST_VERSIONS.items()})

    def knows(self, version: int) -> bool:
        """Whether this ESAM has the masters of key version ``version``."""
        return version in self._masters

    def suite(self, version: int) -> Suite:
        """The cipher of key version ``version`` (KeyError when unknown)."""
        return self._masters[version][0].suite

    def encrypt(self, version: int) -> EncryptBlock:
        """The block encryption of key version ``version``."""
        return encryptor(self.suite(version))

    def card_key(self, version: int, key_id: KeyId, serial: bytes) -> bytes:
        """The key ``key_id`` of the card ``serial``, diversified from this ESAM's master."""
        _, masters = self._masters[version]
        return diversify(self.encrypt(version), master_key=masters[key_id], serial=serial)

    def card_keys(self, version: int, serial: bytes) -> dict[KeyId, bytes]:
        """The keys a card of ``serial`` is personalised with (internal, external, update)."""
        return {key_id: self.card_key(version, key_id, serial) for key_id in CARD_KEYS}


__all__ = ["SM4_VECTOR", "TEST_VERSIONS", "Esam", "default_test_version", "encryptor", "preferred_suite",
           "public_master_key", "sm4_available"]
