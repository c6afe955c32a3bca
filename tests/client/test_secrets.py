"""The counter's secrets in keyring: the file backend and the CA pin."""

from __future__ import annotations

import stat
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from keyrings.alt.file import PlaintextKeyring
from keyrings.cryptfile.cryptfile import CryptFileKeyring

from client.core.config import ClientPaths
from client.core.rpc_client import RpcError
from client.core.secrets import SecretStore, choose_backend, file_backend
from server.tls import TlsFiles
from shared_models.errors import ErrorCode
from shared_models.pinning import ca_fingerprint
from tests.client.wire_peer import RpcFactory, WirePeer


@pytest.fixture
def paths(tmp_path: Path) -> ClientPaths:
    """A private client data folder."""
    return ClientPaths(data_dir=tmp_path / "client").ensure()


@pytest.fixture
def fast_store(tmp_path: Path) -> SecretStore:
    """A store over a plain file keyring (the encrypted one costs an argon2 derivation per access)."""
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "plain-keyring.cfg")
    return SecretStore(backend)


class TestFileKeyring:
    def test_round_trip_across_restarts(self, paths: ClientPaths) -> None:
        """A device key stored through the encrypted file keyring is read back by a new process's backend."""
        SecretStore(file_backend(paths)).store_device_key(counter_code="H0101-01", key="dk-secret-123")
        again = SecretStore(file_backend(paths))
        assert again.device_key("H0101-01") == "dk-secret-123"
        assert again.device_key("H0101-02") is None
        assert "dk-secret-123" not in paths.keyring_file.read_text(encoding="utf-8")

    def test_secret_file_private(self, paths: ClientPaths) -> None:
        """The file keyring's key is a random secret readable by its owner only."""
        file_backend(paths)
        mode = stat.S_IMODE(paths.keyring_secret_file.stat().st_mode)
        assert mode == 0o600
        assert len(paths.keyring_secret_file.read_text(encoding="ascii").strip()) >= 32

    def test_no_desktop_keyring_means_file(self, paths: ClientPaths, monkeypatch: pytest.MonkeyPatch) -> None:
        """Where keyring offers only its fail backend, the encrypted file keyring is used, without a prompt."""
        monkeypatch.setattr(keyring, "get_keyring", fail.Keyring)
        backend = choose_backend(paths)
        assert isinstance(backend, CryptFileKeyring)
        assert backend.file_path == str(paths.keyring_file)

    def test_low_priority_backend_means_file(self, paths: ClientPaths, monkeypatch: pytest.MonkeyPatch) -> None:
        """A file backend of priority below 1 (keyrings.alt's plain text) is not trusted as a desktop keyring."""
        monkeypatch.setattr(keyring, "get_keyring", PlaintextKeyring)
        assert isinstance(choose_backend(paths), CryptFileKeyring)


class TestDeviceKey:
    def test_key_file_from_enrollment(self, fast_store: SecretStore, tmp_path: Path) -> None:
        """The key file written by `counter enroll` (key and newline) is stored without the newline."""
        key_file = tmp_path / "H0101-01.key"
        key_file.write_text("AbC_123-xyz\n", encoding="utf-8")
        fast_store.store_device_key_file(counter_code="H0101-01", key_file=key_file)
        assert fast_store.device_key("H0101-01") == "AbC_123-xyz"

    @pytest.mark.parametrize("key", ["", "  \n", "two words", "x" * 257])
    def test_not_a_key(self, fast_store: SecretStore, key: str) -> None:
        """An empty, spaced or oversized key is refused instead of stored."""
        with pytest.raises(ValueError, match="not a device key"):
            fast_store.store_device_key(counter_code="H0101-01", key=key)


class TestCaPin:
    def test_pin_matches_the_servers_fingerprint(
        self, fast_store: SecretStore, paths: ClientPaths, tls_files: TlsFiles
    ) -> None:
        """Pinning copies the CA and stores the fingerprint the server's tooling computes."""
        fingerprint = fast_store.pin_ca(source=tls_files.ca_cert, dest=paths.ca_file)
        assert fingerprint == ca_fingerprint(tls_files.ca_cert.read_bytes())
        assert fast_store.ca_pin() == fingerprint
        assert paths.ca_file.read_bytes() == tls_files.ca_cert.read_bytes()

    def test_not_a_certificate(self, fast_store: SecretStore, paths: ClientPaths, tmp_path: Path) -> None:
        """A file that is not a PEM certificate is refused and nothing is pinned."""
        junk = tmp_path / "junk.pem"
        junk.write_text("hello", encoding="ascii")
        with pytest.raises(ValueError, match="PEM"):
            fast_store.pin_ca(source=junk, dest=paths.ca_file)
        assert fast_store.ca_pin() is None

    def test_swapped_ca_file_detected(  # noqa: PLR0917 - pytest hands fixtures in as arguments
        self, fast_store: SecretStore, paths: ClientPaths, tls_files: TlsFiles, foreign_tls: TlsFiles,
        peer: WirePeer, make_rpc: RpcFactory,
    ) -> None:
        """A CA file replaced behind the pin's back makes every call TLS_UNTRUSTED, before any request."""
        fast_store.pin_ca(source=tls_files.ca_cert, dest=paths.ca_file)
        trusting = make_rpc(peer.url, ca_file=paths.ca_file, ca_pin=fast_store.ca_pin)
        assert trusting.handshake().server_version == "test-peer"
        paths.ca_file.write_bytes(foreign_tls.ca_cert.read_bytes())
        swapped = make_rpc(peer.url, ca_file=paths.ca_file, ca_pin=fast_store.ca_pin)
        with pytest.raises(RpcError) as caught:
            swapped.handshake()
        assert caught.value.code is ErrorCode.TLS_UNTRUSTED
        assert len(peer.calls) == 1
