"""Passwords (argon2id), tokens, device keys and PII encryption."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_hasher = PasswordHasher()  # argon2id with the library's (RFC 9106 low-memory) defaults

#: A precomputed hash used to spend the same time on unknown user names (no user enumeration by timing).
_DUMMY_HASH = _hasher.hash("gridcounter-dummy-password")


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; spends the same time when there is no such user."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """A session token: 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> bytes:
    """What the database keeps of a token or device key."""
    return hashlib.sha256(token.encode()).digest()


def same_hash(a: bytes, b: bytes) -> bool:
    """Constant-time comparison of two hashes."""
    return hmac.compare_digest(a, b)


class PiiCipher:
    """AES-256-GCM for personal data at rest (ID numbers)."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the PII key has 32 bytes")
        self._aead = AESGCM(key)

    @classmethod
    def from_settings(cls, *, key_b64: str | None, key_file: Path) -> PiiCipher:
        """The key from the environment, or from the key file (created on first use, mode 0600)."""
        if key_b64:
            return cls(base64.b64decode(key_b64))
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(base64.b64encode(AESGCM.generate_key(bit_length=256)))
        return cls(base64.b64decode(key_file.read_bytes()))

    def encrypt(self, text: str) -> bytes:
        """Nonce followed by ciphertext."""
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, text.encode(), b"gridcounter-pii")

    def decrypt(self, blob: bytes) -> str:
        """The plain text of ``encrypt``'s output."""
        return self._aead.decrypt(blob[:12], blob[12:], b"gridcounter-pii").decode()


def mask_id_number(id_number: str) -> str:
    """Keep the first 3 and last 4 characters of an ID number: ``110***********1234``."""
    if len(id_number) <= 7:
        return "*" * len(id_number)
    return id_number[:3] + "*" * (len(id_number) - 7) + id_number[-4:]
