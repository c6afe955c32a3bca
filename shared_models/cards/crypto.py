"""The card's key and MAC scheme over an injected 128-bit block cipher (SM4 or AES-128, chosen per key version).

``shared_models`` may not import a crypto library (import-linter), so every function takes ``encrypt``, a
function ``(key16, block16) -> block16`` that encrypts one block; the server's key service and the card emulator
pass the SM4 or AES-128 encryption of the ``cryptography`` package. Nothing here stores a key.

The scheme (DOMAIN §7.3 says "card serial as the diversification factor"; the rest follows PBOC 3.0 / UICS
for 16-byte-block ciphers, as documented in docs/card-format.md):

* card key = E(master, serial || ~serial), one key per purpose (:class:`KeyId`) and key version;
* MAC = the first 4 bytes of the CBC chain over the data padded by ISO/IEC 9797-1 method 2 (0x80, then zeros);
* line MAC of an UPDATE BINARY: IV = the card's 8-byte challenge || the 8-byte big-endian number of MAC'd updates
  the card accepted since that challenge (0, 1, ...), data = CLA INS P1 P2 Lc data; one challenge thus covers a
  sale's two writes (return file cleared, then wallet), and any other command, a reset or a wrong MAC ends it;
* wallet record MAC: IV zero, data = serial || amount || count (the meter's ESAM checks it: 6989 when wrong);
* authentication cryptogram: E(key, random8 || 8 zero bytes), all 16 bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
from collections.abc import Callable
from enum import IntEnum, StrEnum
from typing import Final

from shared_models.cards.apdu import CommandApdu, update_binary, update_binary_header
from shared_models.cards.errors import CardFault, CardFormatError
from shared_models.cards.files import EfId, WalletFile

#: Encrypts one 16-byte block under a 16-byte key.
EncryptBlock = Callable[[bytes, bytes], bytes]

BLOCK: Final = 16
SERIAL_LENGTH: Final = 8


class Suite(StrEnum):
    """The block cipher of a key version."""

    SM4 = "SM4"  # GB/T 32907-2016
    AES128 = "AES-128"  # FIPS 197, where SM4 is not available


class KeyId(IntEnum):
    """What a diversified key is for; the card holds the first three, the wallet key lives only in ESAM/server."""

    INTERNAL = 0x01  # the card proves itself (INTERNAL AUTHENTICATE)
    EXTERNAL = 0x02  # the terminal proves itself (EXTERNAL AUTHENTICATE)
    UPDATE = 0x03  # line MAC of every UPDATE BINARY
    WALLET = 0x04  # the MAC stored in the wallet file, checked by the meter


CARD_KEYS: Final = (KeyId.INTERNAL, KeyId.EXTERNAL, KeyId.UPDATE)


@dataclasses.dataclass(frozen=True, slots=True)
class KeyVersion:
    """A key version (1..255, written on the card at personalisation) and the cipher its keys use."""

    number: int
    suite: Suite

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 255:
            raise CardFormatError(CardFault.RANGE, "key_version", str(self.number))


def _check(data: bytes, size: int, what: str) -> None:
    if len(data) != size:
        raise CardFormatError(CardFault.LENGTH, what, f"{len(data)} bytes, expected {size}")


def diversify(encrypt: EncryptBlock, *, master_key: bytes, serial: bytes) -> bytes:
    """The card's key: the master key encrypting ``serial || ~serial``."""
    _check(master_key, BLOCK, "master_key")
    _check(serial, SERIAL_LENGTH, "serial")
    return encrypt(master_key, bytes(serial) + bytes(b ^ 0xFF for b in serial))


def pad(data: bytes) -> bytes:
    """ISO/IEC 9797-1 padding method 2: 0x80, then zeros to a whole number of blocks (always at least one byte)."""
    padded = bytes(data) + b"\x80"
    return padded + bytes(-len(padded) % BLOCK)


def cbc_mac(encrypt: EncryptBlock, *, key: bytes, data: bytes, iv: bytes) -> bytes:
    """The first 4 bytes of the last block of the CBC encryption of ``pad(data)``."""
    _check(key, BLOCK, "key")
    _check(iv, BLOCK, "iv")
    chain = iv
    padded = pad(data)
    for start in range(0, len(padded), BLOCK):
        chain = encrypt(key, bytes(a ^ b for a, b in zip(chain, padded[start:start + BLOCK], strict=True)))
    return chain[:4]


def line_mac(encrypt: EncryptBlock, *, key: bytes, challenge: bytes, sequence: int, header: bytes,
             data: bytes) -> bytes:
    """The MAC of the ``sequence``-th (from 0) UPDATE BINARY after ``challenge``: over ``header`` (CLA INS P1 P2
    Lc) and ``data``."""
    _check(challenge, 8, "challenge")
    _check(header, 5, "header")
    if not 0 <= sequence <= 0xFF:
        raise CardFormatError(CardFault.RANGE, "sequence", str(sequence))
    iv = bytes(challenge) + sequence.to_bytes(8, "big")
    return cbc_mac(encrypt, key=key, data=bytes(header) + bytes(data), iv=iv)


def wallet_mac(encrypt: EncryptBlock, *, key: bytes, serial: bytes, body: bytes) -> bytes:
    """The MAC stored in the wallet file, over the serial and the 8-byte amount + count (binds both to the card)."""
    _check(serial, SERIAL_LENGTH, "serial")
    _check(body, 8, "wallet body")
    return cbc_mac(encrypt, key=key, data=bytes(serial) + bytes(body), iv=bytes(BLOCK))


def auth_cryptogram(encrypt: EncryptBlock, *, key: bytes, random8: bytes) -> bytes:
    """The answer to an authentication challenge: E(key, random8 || 8 zero bytes)."""
    _check(key, BLOCK, "key")
    _check(random8, 8, "random")
    return encrypt(key, bytes(random8) + bytes(8))


def same(a: bytes, b: bytes) -> bool:
    """Compare a MAC or cryptogram in constant time."""
    return hmac.compare_digest(a, b)


def seal_wallet(encrypt: EncryptBlock, *, wallet_key: bytes, serial: bytes, amount_fen: int,
                purchase_count: int) -> WalletFile:
    """The wallet record of a purchase, its MAC computed under the card's wallet key (the key service's job)."""
    unsealed = WalletFile(amount_fen=amount_fen, purchase_count=purchase_count)
    mac = wallet_mac(encrypt, key=wallet_key, serial=serial, body=unsealed.body())
    return WalletFile(amount_fen=amount_fen, purchase_count=purchase_count, mac=mac)


def wallet_intact(encrypt: EncryptBlock, *, wallet_key: bytes, serial: bytes, wallet: WalletFile) -> bool:
    """Whether the wallet record's MAC verifies (the meter's ESAM check; 6989 when not)."""
    return same(wallet_mac(encrypt, key=wallet_key, serial=serial, body=wallet.body()), wallet.mac)


def mac_update(encrypt: EncryptBlock, *, update_key: bytes, challenge: bytes, sequence: int, ef: EfId,
               data: bytes) -> CommandApdu:
    """The MAC'd UPDATE BINARY writing ``data`` over the whole of ``ef``, as the ``sequence``-th after ``challenge``."""
    if len(data) != ef.size:
        raise CardFormatError(CardFault.LENGTH, f"update of {ef.name}", f"{len(data)} bytes, expected {ef.size}")
    header = update_binary_header(ef.sfi, len(data))
    mac = line_mac(encrypt, key=update_key, challenge=challenge, sequence=sequence, header=header, data=data)
    return update_binary(ef.sfi, data, mac)


#: The public TEST key versions: 1 is AES-128, 2 is SM4 (a stack without SM4 uses only version 1).
TEST_VERSIONS: Final = {1: KeyVersion(1, Suite.AES128), 2: KeyVersion(2, Suite.SM4)}


def public_master_key(version: int, key_id: KeyId) -> bytes:
    """The TEST master key of ``key_id`` in key version ``version``: derived from a public label, so it protects
    nothing. The card emulator, the meter simulator and a server whose keys came from ``gridcounter-server
    card-keys init --test-keys`` all use it, so their cards agree; a production key service never does."""
    return hashlib.sha256(f"GridCounter TEST master key v{version} id{int(key_id)}".encode()).digest()[:16]
