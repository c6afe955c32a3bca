"""The HMAC of a handheld package: a key of its own per package, HMAC-SHA256 over the canonical JSON, pure.

The key stays on the server (encrypted at rest, ``handheld_packages.key_enc``); the file carries only its
``key_id`` and the ``hmac`` (hex) of :func:`shared_models.handheld.signed_part` of the document.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from shared_models.handheld import canonical_json, signed_part


def new_key() -> tuple[str, bytes]:
    """A fresh key id (text for the file) and 32-byte key."""
    return "k" + secrets.token_hex(12), secrets.token_bytes(32)


def sign(document: dict[str, Any], key: bytes) -> str:
    """The hex HMAC-SHA256 of the document's signed part."""
    return hmac.new(key, canonical_json(signed_part(document)), hashlib.sha256).hexdigest()


def verify(document: dict[str, Any], key: bytes) -> bool:
    """True when the document's ``hmac`` matches its signed part under ``key``."""
    given = document.get("hmac")
    if not isinstance(given, str):
        return False
    try:
        return hmac.compare_digest(given, sign(document, key))
    except (TypeError, ValueError):  # a value canonical JSON cannot write (NaN from a damaged file)
        return False
