"""The private CA and server certificate: a real TLS handshake on 127.0.0.1 trusting only ca.pem."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import ipaddress
import socket
import ssl
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from server.tls import TlsFiles, _create_server_cert, ensure_tls
from shared_models.pinning import ca_fingerprint


class _TlsEchoServer:
    """A one-thread TLS server on 127.0.0.1 that answers each handshake with b'ok'."""

    def __init__(self, files: TlsFiles) -> None:
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._context.load_cert_chain(files.server_cert, files.server_key)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(10)
        self.port: int = self._listener.getsockname()[1]
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="tls-test-server")
        self._thread.start()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                raw, _ = self._listener.accept()
            except OSError:
                return  # listener closed
            # A handshake the client refuses is an outcome some tests provoke on purpose.
            with (
                raw,
                contextlib.suppress(ssl.SSLError, OSError),
                self._context.wrap_socket(raw, server_side=True) as tls,
            ):
                tls.sendall(b"ok")

    def close(self) -> None:
        self._stopping.set()
        # close() alone does not wake a thread blocked in accept() on Linux; shutdown() does.
        self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._thread.join(timeout=10)


def _client_context(ca_cert: Path) -> ssl.SSLContext:
    # cafile given: only this CA is trusted, not the system store.
    return ssl.create_default_context(cafile=str(ca_cert))


def _handshake(port: int, context: ssl.SSLContext, server_hostname: str) -> bytes:
    with (
        socket.create_connection(("127.0.0.1", port), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname=server_hostname) as tls,
    ):
        return tls.recv(2)


@pytest.fixture
def tls_files(tmp_path: Path) -> TlsFiles:
    """TLS material for localhost plus one LAN name and address."""
    return ensure_tls(tls_dir=tmp_path / "tls", hostnames=["gc-server.hall.local", "192.168.10.5"])


@pytest.fixture
def tls_server(tls_files: TlsFiles) -> Iterator[_TlsEchoServer]:
    """A TLS server presenting the generated server certificate."""
    server = _TlsEchoServer(tls_files)
    try:
        yield server
    finally:
        server.close()


def _san(path: Path) -> x509.SubjectAlternativeName:
    cert = x509.load_pem_x509_certificate(path.read_bytes())
    return cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value


class TestEnsureTls:
    @pytest.mark.parametrize("server_hostname", ["localhost", "127.0.0.1", "gc-server.hall.local"])
    def test_chain_verifies_with_ssl(
        self, tls_files: TlsFiles, tls_server: _TlsEchoServer, server_hostname: str
    ) -> None:
        """A client trusting only ca.pem completes the handshake and checks the host name."""
        assert _handshake(tls_server.port, _client_context(tls_files.ca_cert), server_hostname) == b"ok"

    def test_unknown_hostname_is_refused(self, tls_files: TlsFiles, tls_server: _TlsEchoServer) -> None:
        """A name missing from the certificate fails verification on the client."""
        with pytest.raises(ssl.SSLCertVerificationError, match="mismatch"):
            _handshake(tls_server.port, _client_context(tls_files.ca_cert), "elsewhere.example")

    def test_other_ca_is_refused(self, tmp_path: Path, tls_server: _TlsEchoServer) -> None:
        """A client pinned to another CA does not accept the server."""
        other = ensure_tls(tls_dir=tmp_path / "other", hostnames=[])
        with pytest.raises(ssl.SSLCertVerificationError):
            _handshake(tls_server.port, _client_context(other.ca_cert), "localhost")

    def test_second_call_does_not_regenerate(self, tmp_path: Path, tls_files: TlsFiles) -> None:
        """Calling again with the same names keeps every file byte for byte."""
        paths = [tls_files.ca_cert, tls_files.server_cert, tls_files.server_key, tmp_path / "tls" / "ca.key"]
        before = [p.read_bytes() for p in paths]
        again = ensure_tls(tls_dir=tmp_path / "tls", hostnames=["192.168.10.5", "GC-Server.hall.local"])
        assert again == tls_files
        assert [p.read_bytes() for p in paths] == before

    def test_new_hostname_reissues_server_cert_only(self, tmp_path: Path, tls_files: TlsFiles) -> None:
        """A newly requested name gets a new server certificate under the same CA."""
        ca_before = tls_files.ca_cert.read_bytes()
        ensure_tls(tls_dir=tmp_path / "tls", hostnames=["gc-server.hall.local", "backup.hall.local"])
        assert tls_files.ca_cert.read_bytes() == ca_before
        san = _san(tls_files.server_cert)
        assert {"localhost", "gc-server.hall.local", "backup.hall.local"} <= set(san.get_values_for_type(x509.DNSName))

    def test_expired_server_cert_is_reissued(self, tmp_path: Path, tls_files: TlsFiles) -> None:
        """A server certificate past its end date is replaced by a currently valid one."""
        ca_cert = x509.load_pem_x509_certificate(tls_files.ca_cert.read_bytes())
        ca_key = serialization.load_pem_private_key((tmp_path / "tls" / "ca.key").read_bytes(), password=None)
        assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
        long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=900)
        _create_server_cert(tls_files, ca_cert, ca_key, dns_names=["localhost"], ips=[], now=long_ago)
        ensure_tls(tls_dir=tmp_path / "tls", hostnames=[])
        renewed = x509.load_pem_x509_certificate(tls_files.server_cert.read_bytes())
        assert renewed.not_valid_after_utc > dt.datetime.now(dt.UTC) + dt.timedelta(days=30)

    def test_san_holds_loopback_and_requested_names(self, tls_files: TlsFiles) -> None:
        """The server certificate names localhost, both loopback addresses and the requested hosts."""
        san = _san(tls_files.server_cert)
        assert set(san.get_values_for_type(x509.DNSName)) == {"localhost", "gc-server.hall.local"}
        assert set(san.get_values_for_type(x509.IPAddress)) == {
            ipaddress.ip_address("127.0.0.1"),
            ipaddress.ip_address("::1"),
            ipaddress.ip_address("192.168.10.5"),
        }

    def test_server_cert_is_for_server_auth_only(self, tls_files: TlsFiles) -> None:
        """The server certificate is not a CA and is limited to serverAuth."""
        cert = x509.load_pem_x509_certificate(tls_files.server_cert.read_bytes())
        assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        assert list(eku) == [x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]

    def test_ca_is_a_ten_year_p256_ca(self, tls_files: TlsFiles) -> None:
        """The CA uses a P-256 key, may sign certificates and lasts about ten years."""
        ca = x509.load_pem_x509_certificate(tls_files.ca_cert.read_bytes())
        key = ca.public_key()
        assert isinstance(key, ec.EllipticCurvePublicKey)
        assert key.curve.name == "secp256r1"
        assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
        assert ca.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign is True
        assert (ca.not_valid_after_utc - ca.not_valid_before_utc).days >= 3650

    def test_private_keys_are_owner_only(self, tmp_path: Path, tls_files: TlsFiles) -> None:
        """Both private keys are written with mode 0600."""
        for key in (tls_files.server_key, tmp_path / "tls" / "ca.key"):
            assert stat.S_IMODE(key.stat().st_mode) == 0o600

    def test_invalid_hostname_is_skipped(self, tmp_path: Path) -> None:
        """A host name that cannot be encoded is left out instead of failing the server start."""
        files = ensure_tls(tls_dir=tmp_path / "tls", hostnames=["bad..name", "ok.hall.local"])
        assert set(_san(files.server_cert).get_values_for_type(x509.DNSName)) == {"localhost", "ok.hall.local"}


class TestCaFingerprint:
    def test_fingerprint_is_sha256_of_der(self, tls_files: TlsFiles) -> None:
        """The fingerprint is the SHA-256 hex digest of the CA certificate in DER form."""
        pem = tls_files.ca_cert.read_bytes()
        der = ssl.PEM_cert_to_DER_cert(pem.decode("ascii"))
        assert ca_fingerprint(pem) == hashlib.sha256(der).hexdigest()

    def test_fingerprint_is_stable_across_calls(self, tmp_path: Path, tls_files: TlsFiles) -> None:
        """Re-running ensure_tls keeps the CA, so the pinned fingerprint stays valid."""
        first = ca_fingerprint(tls_files.ca_cert.read_bytes())
        ensure_tls(tls_dir=tmp_path / "tls", hostnames=["another.hall.local"])
        assert ca_fingerprint(tls_files.ca_cert.read_bytes()) == first

    def test_not_a_certificate(self) -> None:
        """Bytes that hold no PEM certificate (text, binary, an empty block) are a ValueError, not a pin."""
        for pem in (b"hello", b"\xff\xfe", b"-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n"):
            with pytest.raises(ValueError, match="not a PEM certificate"):
                ca_fingerprint(pem)
