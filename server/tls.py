"""A private certificate authority and the server's TLS certificate.

The server speaks HTTPS on the hall's network without a public CA: ``ensure_tls`` creates a CA
once and signs the server certificate with it. Counters trust that CA only, pinned by the
SHA-256 fingerprint that ``shared_models.pinning.ca_fingerprint`` computes, so the CA must stay stable: it is
regenerated only when missing, unreadable or expired, while the server certificate is
reissued whenever it nears expiry or lacks a requested host name.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import ipaddress
import logging
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from shared_models.pinning import ca_fingerprint

logger = logging.getLogger(__name__)

_CA_VALIDITY = dt.timedelta(days=3650)
# 825 days: the longest lifetime TLS clients commonly accept for a leaf certificate.
_SERVER_VALIDITY = dt.timedelta(days=825)
# Reissue well before expiry so a server restarted now and then never serves an expired cert.
_RENEW_BEFORE = dt.timedelta(days=30)
# Back-date notBefore: a counter whose clock runs behind must still accept a fresh certificate.
_BACKDATE = dt.timedelta(days=1)
_ALWAYS_DNS = ("localhost",)
_ALWAYS_IPS = (ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1"))

_IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class TlsFiles:
    """Paths of the PEM files a TLS server needs, and the CA clients must trust."""

    ca_cert: Path
    server_cert: Path
    server_key: Path


class TlsError(RuntimeError):
    """The TLS material could not be created or read."""


def ensure_tls(*, tls_dir: Path, hostnames: list[str]) -> TlsFiles:
    """Create or reuse the CA and a server certificate valid for ``hostnames``.

    Idempotent: existing files are kept while they are valid; safe against concurrent callers.
    """
    files = TlsFiles(
        ca_cert=tls_dir / "ca.pem",
        server_cert=tls_dir / "server.pem",
        server_key=tls_dir / "server.key",
    )
    ca_key_path = tls_dir / "ca.key"
    dns_names, ips = _split_names(hostnames)
    try:
        tls_dir.mkdir(parents=True, exist_ok=True, mode=0o755)
        with _locked(tls_dir / ".lock"):
            now = dt.datetime.now(dt.UTC)
            ca = _load_ca(files.ca_cert, ca_key_path, now=now)
            if ca is None:
                ca = _create_ca(files.ca_cert, ca_key_path, now=now)
                # A new CA invalidates every server certificate signed by the old one.
                _unlink(files.server_cert)
            ca_cert, ca_key = ca
            reason = _server_cert_problem(files, ca_cert, dns_names=dns_names, ips=ips, now=now)
            if reason is not None:
                logger.info("Issuing a new server certificate (%s)", reason)
                _create_server_cert(files, ca_cert, ca_key, dns_names=dns_names, ips=ips, now=now)
    except OSError as exc:
        raise TlsError(f"Cannot prepare TLS files in {tls_dir}: {exc}") from exc
    return files


# ---------------------------------------------------------------------- CA


def _load_ca(
    cert_path: Path, key_path: Path, *, now: dt.datetime
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None:
    """The existing CA, or None if it must be (re)created."""
    if not cert_path.exists() and not key_path.exists():
        return None
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        logger.warning("Replacing unreadable CA in %s (%s); counters must re-pin it", cert_path.parent, exc)
        return None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.public_key() != cert.public_key():
        logger.warning("CA key in %s does not match its certificate; counters must re-pin a new CA", key_path)
        return None
    if cert.not_valid_after_utc <= now:
        logger.warning("CA in %s expired on %s; counters must re-pin a new CA", cert_path, cert.not_valid_after_utc)
        return None
    return cert, key


def _create_ca(
    cert_path: Path, key_path: Path, *, now: dt.datetime
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "GridCounter"),
            x509.NameAttribute(NameOID.COMMON_NAME, "GridCounter local CA"),
        ]
    )
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE)
        .not_valid_after(now + _CA_VALIDITY)
        # path_length=0: this CA signs server certificates only, never another CA.
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    # Key first: a certificate without its key would be taken for a broken CA and replaced.
    _write_atomic(key_path, _key_pem(key), mode=0o600)
    pem = cert.public_bytes(serialization.Encoding.PEM)
    _write_atomic(cert_path, pem, mode=0o644)
    logger.info("Created a new TLS CA in %s (fingerprint %s)", cert_path.parent, ca_fingerprint(pem))
    return cert, key


# ---------------------------------------------------------------------- server certificate


def _server_cert_problem(
    files: TlsFiles,
    ca_cert: x509.Certificate,
    *,
    dns_names: list[str],
    ips: list[_IPAddress],
    now: dt.datetime,
) -> str | None:
    """Why the server certificate must be reissued, or None if it can stay."""
    if not files.server_cert.exists() or not files.server_key.exists():
        return "missing"
    try:
        cert = x509.load_pem_x509_certificate(files.server_cert.read_bytes())
        key = serialization.load_pem_private_key(files.server_key.read_bytes(), password=None)
    except (OSError, ValueError, TypeError):
        return "unreadable"
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.public_key() != cert.public_key():
        return "key does not match"
    return (
        _issuer_problem(cert, ca_cert)
        or _expiry_problem(cert, now)
        or _names_problem(cert, dns_names=dns_names, ips=ips)
    )


def _issuer_problem(cert: x509.Certificate, ca_cert: x509.Certificate) -> str | None:
    try:
        cert.verify_directly_issued_by(ca_cert)
    except (ValueError, TypeError, InvalidSignature):
        return "not signed by the current CA"
    return None


def _expiry_problem(cert: x509.Certificate, now: dt.datetime) -> str | None:
    if cert.not_valid_after_utc - _RENEW_BEFORE <= now:
        return f"expires {cert.not_valid_after_utc:%Y-%m-%d}"
    return None


def _names_problem(cert: x509.Certificate, *, dns_names: list[str], ips: list[_IPAddress]) -> str | None:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return "no subjectAltName"
    have_dns = {name.lower() for name in san.get_values_for_type(x509.DNSName)}
    have_ips = set(san.get_values_for_type(x509.IPAddress))
    missing = [n for n in dns_names if n not in have_dns] + [str(ip) for ip in ips if ip not in have_ips]
    return f"lacks {', '.join(missing)}" if missing else None


def _create_server_cert(
    files: TlsFiles,
    ca_cert: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    *,
    dns_names: list[str],
    ips: list[_IPAddress],
    now: dt.datetime,
) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key()
    san = x509.SubjectAlternativeName([*(x509.DNSName(n) for n in dns_names), *(x509.IPAddress(ip) for ip in ips)])
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, dns_names[0])]))
        .issuer_name(ca_cert.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE)
        # Never outlive the CA: a chain is only as valid as its shortest-lived link.
        .not_valid_after(min(now + _SERVER_VALIDITY, ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,  # ECDSA keys sign; there is no RSA key transport
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(san, critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    # Key before certificate: a reader seeing the new certificate always finds its key.
    _write_atomic(files.server_key, _key_pem(key), mode=0o600)
    _write_atomic(files.server_cert, cert.public_bytes(serialization.Encoding.PEM), mode=0o644)


# ---------------------------------------------------------------------- helpers


def _split_names(hostnames: list[str]) -> tuple[list[str], list[_IPAddress]]:
    """DNS names (always with localhost) and IP addresses (always with loopback), de-duplicated."""
    dns_names: list[str] = list(_ALWAYS_DNS)
    ips: list[_IPAddress] = list(_ALWAYS_IPS)
    for raw in hostnames:
        name = raw.strip().rstrip(".").lower()
        if not name:
            continue
        try:
            ip = ipaddress.ip_address(name)
        except ValueError:
            # Internationalised names go into the certificate as their ASCII (punycode) form.
            try:
                ascii_name = name.encode("idna").decode("ascii")
            except UnicodeError:
                # Skipped, not fatal: callers pass socket.gethostname(), which may be odd.
                logger.warning("Ignoring %r: not a valid host name for a certificate", raw)
                continue
            if ascii_name not in dns_names:
                dns_names.append(ascii_name)
        else:
            if ip not in ips:
                ips.append(ip)
    return dns_names, ips


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    # Unencrypted: the server starts unattended; the file's 0600 mode protects it.
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )




def _write_atomic(path: Path, data: bytes, *, mode: int) -> None:
    """Write via a temporary file and rename: readers never see a half-written key."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def _unlink(path: Path) -> None:
    path.unlink(missing_ok=True)


@contextlib.contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    """Serialise generation between processes (server workers started together)."""
    fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
