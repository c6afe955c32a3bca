"""The server's card key service: master keys per key version, encrypted at rest, and the MACs a card write needs.

Master keys never leave this module in clear: they are stored in ``card_key_versions.masters_enc`` encrypted with
AES-256-GCM under the card key-encryption key (KEK) of the server's secret store, loaded like the PII key
(``GRIDCOUNTER_CARD_KEK``, base64, else the file ``<data_dir>/card-kek.key``, mode 0600, made by
``gridcounter-server card-keys init``); the GCM associated data binds a ciphertext to its version and algorithm, so
a row's algorithm cannot be swapped. They are decrypted per call into a :class:`CardKeys` and never logged, put in
an audit record or returned; what leaves is a card's diversified keys (personalisation), a sealed wallet record,
MAC'd UPDATE BINARY commands and authentication cryptograms (docs/card-format.md §3–4, the pure scheme in
``shared_models.cards.crypto``).

Key versions: version 1 is made by :func:`create_first_version`; :func:`rotate` adds the next one, which new cards
get, and retires the old one with a dated row; a retired version still serves the cards personalised under it
(their info file names it). Each version's cipher is SM4 where ``cryptography`` runs it on this machine (checked on
the GB/T 32907 vector), AES-128 otherwise, chosen when the version is made and recorded with it.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import functools
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.cards.models import CardKeyAlgorithm, CardKeyRetirement, CardKeyVersion
from server.context import CallContext
from server.settings import Settings
from shared_models.cards.apdu import CommandApdu
from shared_models.cards.crypto import (
    BLOCK,
    CARD_KEYS,
    TEST_VERSIONS,
    EncryptBlock,
    KeyId,
    KeyVersion,
    Suite,
    auth_cryptogram,
    diversify,
    public_master_key,
    same,
    seal_wallet,
    wallet_intact,
)
from shared_models.cards.files import CardInfo, EfId, WalletFile
from shared_models.cards.image import mac_plan

KEK_SIZE: Final = 32
KEK_ENV: Final = "GRIDCOUNTER_CARD_KEK"
#: The master keys of a version, in this order, 16 bytes each, form the sealed plaintext.
MASTER_IDS: Final = tuple(KeyId)
MAX_VERSION: Final = 255
#: GB/T 32907-2016 Appendix A, example 1: key = plaintext = 0123456789ABCDEFFEDCBA9876543210.
SM4_VECTOR: Final = ("0123456789abcdeffedcba9876543210", "0123456789abcdeffedcba9876543210",
                     "681edf34d206965e86b3e94f536e4246")


class CardKeyError(Exception):
    """The card keys cannot be used: no KEK, a KEK that does not open them, no key version, an unknown version.

    The message says which and what the operator does about it; it never contains key material.
    """


# -- the block ciphers (the server's own few lines; shared_models may not import cryptography) --------------------


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
    key, plain, expected = (bytes.fromhex(h) for h in SM4_VECTOR)
    try:
        return _sm4_encrypt(key, plain) == expected
    except Exception:  # an OpenSSL built without SM4 raises UnsupportedAlgorithm, or worse
        return False


def encryptor(suite: Suite) -> EncryptBlock:
    """The one-block encryption of ``suite``; SM4 on a stack without it is a CardKeyError, never a silent AES."""
    if suite is Suite.SM4:
        if not sm4_available():
            raise CardKeyError("this key version uses SM4, which the cryptography/OpenSSL of this server cannot run")
        return _sm4_encrypt
    return _aes_encrypt


def preferred_suite() -> Suite:
    """The cipher a new key version gets: SM4 where this machine runs it, AES-128 otherwise."""
    return Suite.SM4 if sm4_available() else Suite.AES128


# -- the key-encryption key ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Kek:
    """The card key-encryption key and where it came from (for messages; never the key itself in a repr)."""

    key: bytes = dataclasses.field(repr=False)
    source: str


def _decode_kek(text: str | bytes, source: str) -> Kek:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise CardKeyError(f"the card key-encryption key in {source} is not base64") from None
    if len(key) != KEK_SIZE:
        raise CardKeyError(f"the card key-encryption key in {source} has {len(key)} bytes, not {KEK_SIZE}")
    return Kek(key=key, source=source)


def load_kek(settings: Settings, *, create: bool = False) -> Kek:
    """The KEK from ``GRIDCOUNTER_CARD_KEK``, else from ``settings.card_kek_file``; that file is made (random,
    mode 0600) only when ``create`` (``card-keys init``): a missing file never silently becomes a new KEK that
    cannot open the stored keys."""
    if settings.card_kek:
        return _decode_kek(settings.card_kek, KEK_ENV)
    path: Path = settings.card_kek_file
    if not path.exists():
        if not create:
            raise CardKeyError(f"no card key-encryption key: neither {KEK_ENV} nor {path} is there "
                               "(`gridcounter-server card-keys init` makes it with the first key version)")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(base64.b64encode(os.urandom(KEK_SIZE)))
    return _decode_kek(path.read_bytes(), str(path))


def _aad(version: int, algorithm: CardKeyAlgorithm) -> bytes:
    return f"gridcounter-card-keys/1 v{version} {algorithm.value}".encode()


def _seal(kek: Kek, version: int, algorithm: CardKeyAlgorithm, masters: dict[KeyId, bytes]) -> bytes:
    nonce = os.urandom(12)
    plain = b"".join(masters[key_id] for key_id in MASTER_IDS)
    return nonce + AESGCM(kek.key).encrypt(nonce, plain, _aad(version, algorithm))


def _unseal(kek: Kek, row: CardKeyVersion) -> dict[KeyId, bytes]:
    try:
        plain = AESGCM(kek.key).decrypt(row.masters_enc[:12], row.masters_enc[12:], _aad(row.version, row.algorithm))
    except InvalidTag:
        raise CardKeyError(
            f"card key version {row.version} does not open under the card key-encryption key from {kek.source}: "
            "that KEK is not the one the card keys were made under (wrong, or replaced); restore the original "
            f"{KEK_ENV} or card-kek.key") from None
    if len(plain) != BLOCK * len(MASTER_IDS):
        raise CardKeyError(f"card key version {row.version} holds {len(plain)} bytes of keys, not "
                           f"{BLOCK * len(MASTER_IDS)}")
    return {key_id: plain[i * BLOCK:(i + 1) * BLOCK] for i, key_id in enumerate(MASTER_IDS)}


# -- versions: list, create, rotate ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class VersionInfo:
    """What may be shown of a key version: number, cipher, who made it and when, its retirement (never a key)."""

    version: int
    algorithm: CardKeyAlgorithm
    created_by: str
    created_at: dt.datetime
    retired_at: dt.datetime | None
    superseded_by: int | None

    @property
    def current(self) -> bool:
        """Whether new cards get this version."""
        return self.retired_at is None


def list_versions(session: Session) -> list[VersionInfo]:
    """Every key version, oldest first, with its retirement (reads no key and needs no KEK)."""
    rows = session.execute(
        select(CardKeyVersion.version, CardKeyVersion.algorithm, CardKeyVersion.created_by,
               CardKeyVersion.created_at, CardKeyRetirement.retired_at, CardKeyRetirement.superseded_by)
        .outerjoin(CardKeyRetirement, CardKeyRetirement.version == CardKeyVersion.version)
        .order_by(CardKeyVersion.version)).all()
    return [VersionInfo(version=r.version, algorithm=r.algorithm, created_by=r.created_by, created_at=r.created_at,
                        retired_at=r.retired_at, superseded_by=r.superseded_by) for r in rows]


def _who(ctx: CallContext) -> str:
    if ctx.actor is not None:
        return ctx.actor.username
    return "cli:" + (os.environ.get("SUDO_USER") or os.environ.get("USER") or "cli")


def _current_row(session: Session) -> CardKeyVersion | None:
    retired = select(CardKeyRetirement.version)
    return session.scalar(select(CardKeyVersion).where(CardKeyVersion.version.not_in(retired))
                          .order_by(CardKeyVersion.version.desc()).limit(1))


#: ``created_by`` of a version imported from the public TEST keys (``card-keys list`` shows it).
TEST_MARK: Final = "TEST"


def _add_version(ctx: CallContext, kek: Kek, version: int, suite: Suite, *, test: bool = False) -> CardKeyVersion:
    encryptor(suite)  # SM4 asked for on a stack without it: refused before anything is stored
    algorithm = CardKeyAlgorithm.of(suite)
    if test:
        masters = {key_id: public_master_key(version, key_id) for key_id in MASTER_IDS}
    else:
        masters = {key_id: os.urandom(BLOCK) for key_id in MASTER_IDS}
    created_by = f"{TEST_MARK} {_who(ctx)}"[:64] if test else _who(ctx)
    row = CardKeyVersion(version=version, algorithm=algorithm, masters_enc=_seal(kek, version, algorithm, masters),
                         created_by=created_by, created_at=ctx.now)
    ctx.session.add(row)
    ctx.session.flush()
    after: dict[str, object] = {"event": "created", "version": version, "algorithm": algorithm.value,
                                "kek_source": kek.source}
    if test:
        after["test_keys"] = True
    ctx.record(target=f"card_keys:v{version}", after=after)
    return row


def import_test_keys(ctx: CallContext) -> int:
    """The public TEST master keys as key versions exactly as the card emulator and the meter simulator hold them
    (``shared_models.cards.crypto.TEST_VERSIONS``): 1 AES-128, and 2 SM4 current where this machine runs SM4
    (version 1 then retired by 2), else 1 current. Refused when any version exists. The versions are marked TEST
    (``created_by``, the audit records): for the demo and the tests, never a production hall. The current version."""
    s = ctx.session
    existing = s.scalar(select(CardKeyVersion.version).order_by(CardKeyVersion.version.desc()).limit(1))
    if existing is not None:
        raise CardKeyError(f"card keys exist already (newest version {existing}); test keys are imported only "
                           "into a database without any")
    kek = load_kek(ctx.settings, create=True)
    first = _add_version(ctx, kek, 1, TEST_VERSIONS[1].suite, test=True)
    if not sm4_available():
        return first.version
    second = _add_version(ctx, kek, 2, TEST_VERSIONS[2].suite, test=True)
    s.add(CardKeyRetirement(version=1, superseded_by=2, retired_by=second.created_by, retired_at=ctx.now))
    s.flush()
    ctx.record(target="card_keys:v1", before={"state": "current"},
               after={"event": "retired", "state": "retired", "superseded_by": 2, "test_keys": True})
    return second.version


def create_first_version(ctx: CallContext, *, suite: Suite | None = None) -> int:
    """Key version 1 under the KEK (made now if there is none): refused when any version exists."""
    s = ctx.session
    existing = s.scalar(select(CardKeyVersion.version).order_by(CardKeyVersion.version.desc()).limit(1))
    if existing is not None:
        raise CardKeyError(f"card keys exist already (newest version {existing}); "
                           "`gridcounter-server card-keys rotate` adds a version")
    kek = load_kek(ctx.settings, create=True)
    return _add_version(ctx, kek, 1, suite or preferred_suite()).version


def rotate(ctx: CallContext, *, suite: Suite | None = None) -> int:
    """A new current key version; the old one is retired (a dated row) and still serves its cards.

    The KEK must open the current version first, so a wrong KEK never adds a version the older ones cannot join.
    """
    s = ctx.session
    current = _current_row(s)
    if current is None:
        raise CardKeyError("there is no card key version yet: `gridcounter-server card-keys init` makes the first")
    kek = load_kek(ctx.settings)
    _unseal(kek, current)
    if current.version >= MAX_VERSION:
        raise CardKeyError(f"key version {current.version} is the last a card can name (1..{MAX_VERSION})")
    new = _add_version(ctx, kek, current.version + 1, suite or preferred_suite())
    s.add(CardKeyRetirement(version=current.version, superseded_by=new.version, retired_by=_who(ctx),
                            retired_at=ctx.now))
    s.flush()
    ctx.record(target=f"card_keys:v{current.version}", before={"state": "current"},
               after={"event": "retired", "state": "retired", "superseded_by": new.version})
    return new.version


# -- the service for one call -------------------------------------------------------------------------------------


class CardKeys:
    """The key service for one call or command: opens a version's masters when first needed, for this object only.

    Everything takes the card's :class:`CardInfo` (serial and key version, from its info file): a card is served
    under the version it was personalised with, current or retired.
    """

    def __init__(self, session: Session, kek: Kek) -> None:
        self._session = session
        self._kek = kek
        self._opened: dict[int, tuple[KeyVersion, dict[KeyId, bytes]]] = {}

    @classmethod
    def for_context(cls, ctx: CallContext) -> CardKeys:
        """The key service of a call, with the server's KEK."""
        return cls(ctx.session, load_kek(ctx.settings))

    def __repr__(self) -> str:
        return f"CardKeys(kek from {self._kek.source}, versions opened {sorted(self._opened)})"

    def _open(self, version: int) -> tuple[KeyVersion, dict[KeyId, bytes]]:
        if version not in self._opened:
            row = self._session.get(CardKeyVersion, version)
            if row is None:
                raise CardKeyError(f"card key version {version} is not known to this server")
            self._opened[version] = (KeyVersion(row.version, row.algorithm.suite), _unseal(self._kek, row))
        return self._opened[version]

    def current_version(self) -> KeyVersion:
        """The version new cards are personalised with."""
        row = _current_row(self._session)
        if row is None:
            raise CardKeyError("there is no card key version yet: `gridcounter-server card-keys init` makes the first")
        return self._open(row.version)[0]

    def key_version(self, version: int) -> KeyVersion:
        """Key version ``version`` and its cipher (CardKeyError when unknown or the KEK does not open it)."""
        return self._open(version)[0]

    def _encrypt(self, info: CardInfo) -> EncryptBlock:
        return encryptor(self._open(info.key_version)[0].suite)

    def _card_key(self, info: CardInfo, key_id: KeyId) -> bytes:
        version, masters = self._open(info.key_version)
        return diversify(encryptor(version.suite), master_key=masters[key_id], serial=info.serial)

    def personalisation_keys(self, info: CardInfo) -> dict[KeyId, bytes]:
        """The three keys a card of this serial and version is personalised with (never the wallet key)."""
        return {key_id: self._card_key(info, key_id) for key_id in CARD_KEYS}

    def sealed_wallet(self, info: CardInfo, *, amount_fen: int, purchase_count: int) -> WalletFile:
        """The wallet record of a purchase on this card, MAC'd under its diversified wallet key."""
        return seal_wallet(self._encrypt(info), wallet_key=self._card_key(info, KeyId.WALLET), serial=info.serial,
                           amount_fen=amount_fen, purchase_count=purchase_count)

    def wallet_intact(self, info: CardInfo, wallet: WalletFile) -> bool:
        """Whether a wallet record read from this card carries the MAC the meter will accept."""
        return wallet_intact(self._encrypt(info), wallet_key=self._card_key(info, KeyId.WALLET),
                             serial=info.serial, wallet=wallet)

    def write_commands(self, info: CardInfo, *, challenge: bytes,
                       plan: Sequence[tuple[EfId, bytes]]) -> list[CommandApdu]:
        """The MAC'd UPDATE BINARY commands of ``plan`` (``shared_models.cards.image.write_plan``), numbered from
        0 after the card's 8-byte ``challenge``."""
        return mac_plan(self._encrypt(info), update_key=self._card_key(info, KeyId.UPDATE), challenge=challenge,
                        plan=plan)

    def external_cryptogram(self, info: CardInfo, *, challenge: bytes) -> bytes:
        """The EXTERNAL AUTHENTICATE cryptogram answering the card's challenge (the terminal proves itself)."""
        return auth_cryptogram(self._encrypt(info), key=self._card_key(info, KeyId.EXTERNAL), random8=challenge)

    def card_authentic(self, info: CardInfo, *, random8: bytes, cryptogram: bytes) -> bool:
        """Whether the card's INTERNAL AUTHENTICATE answer to ``random8`` proves it holds its diversified key."""
        expected = auth_cryptogram(self._encrypt(info), key=self._card_key(info, KeyId.INTERNAL), random8=random8)
        return same(expected, cryptogram)
