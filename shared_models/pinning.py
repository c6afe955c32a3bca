"""The fingerprint a counter pins its server's CA by, one home for the server that prints it and the counter
that checks it: SHA-256 of the certificate's DER encoding, as lowercase hex. Pure (stdlib only)."""

from __future__ import annotations

import hashlib
import ssl
from typing import Final

#: A DER certificate is an ASN.1 SEQUENCE: its first byte.
_DER_SEQUENCE: Final = b"\x30"


def ca_fingerprint(pem: bytes) -> str:
    """SHA-256 of the (first) certificate's DER encoding as lowercase hex; ValueError when ``pem`` holds no
    PEM certificate."""
    try:
        der = ssl.PEM_cert_to_DER_cert(pem.decode("ascii"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError("not a PEM certificate") from exc
    if not der.startswith(_DER_SEQUENCE):  # base64 noise between the markers decodes to no certificate
        raise ValueError("not a PEM certificate")
    return hashlib.sha256(der).hexdigest()
