"""The counter's secrets in ``keyring``: its device key, the pinned CA fingerprint and the key of its
offline verifiers.

A counter PC in a hall usually runs no desktop keyring (no D-Bus session, no Secret Service, no
KWallet): there ``keyring`` either fails or picks a file backend that asks for a password on the
terminal, which nobody is there to type. We then use an encrypted file keyring in the client's data
folder whose key is a random secret file (0600) created on first run. That protects the secrets
against copying of the keyring file alone and keeps them out of settings and logs; it does not
protect against someone who can read the user's whole data folder, which is what the OS account's
file permissions are for.
"""

from __future__ import annotations

import logging
import os
import secrets as random_secrets
import threading
from collections.abc import Callable
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend

from client.core.config import ClientPaths
from client.core.offline_auth import decode_secret, encode_secret, new_secret
from shared_models.pinning import ca_fingerprint

log = logging.getLogger(__name__)

SERVICE = "gridcounter"
CA_PIN_NAME = "ca-pin"
MAX_DEVICE_KEY_LENGTH = 256
_NATIVE_PREFIX = "keyring.backends."
_NOT_NATIVE = ("keyring.backends.fail", "keyring.backends.null", "keyring.backends.chainer")


def device_key_name(counter_code: str) -> str:
    """The keyring entry of a counter's device key."""
    return f"device-key:{counter_code}"


def offline_secret_name(counter_code: str) -> str:
    """The keyring entry of the secret a counter's offline verifiers are encrypted under."""
    return f"offline-verifier:{counter_code}"


def _native_backends(backend: KeyringBackend) -> list[KeyringBackend]:
    """The desktop keyrings among ``backend`` (or the backends it chains), best first."""
    from keyring.backends.chainer import ChainerBackend

    candidates = list(ChainerBackend.backends) if isinstance(backend, ChainerBackend) else [backend]
    native = [
        b for b in candidates
        if type(b).__module__.startswith(_NATIVE_PREFIX) and not type(b).__module__.startswith(_NOT_NATIVE)
        and b.priority >= 1
    ]
    return sorted(native, key=lambda b: b.priority, reverse=True)


def _read_or_create_secret(path: Path) -> str:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    secret = random_secrets.token_urlsafe(32)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secret + "\n")
    log.info("created the file keyring's key at %s", path)
    return secret


def file_backend(paths: ClientPaths) -> KeyringBackend:
    """An encrypted file keyring in the data folder, keyed by a random secret file made on first run."""
    from keyrings.cryptfile.cryptfile import CryptFileKeyring

    paths.ensure()
    backend = CryptFileKeyring()  # untyped library: Any until returned
    backend.file_path = str(paths.keyring_file)
    backend.keyring_key = _read_or_create_secret(paths.keyring_secret_file)  # no prompt: the key is given
    typed: KeyringBackend = backend
    return typed


def choose_backend(paths: ClientPaths) -> KeyringBackend:
    """The desktop keyring when one runs, otherwise :func:`file_backend`."""
    native = _native_backends(keyring.get_keyring())
    if native:
        log.info("secrets in the desktop keyring %s", type(native[0]).__name__)
        return native[0]
    log.info("no desktop keyring: secrets in the encrypted file keyring %s", paths.keyring_file)
    return file_backend(paths)


class SecretStore:
    """The device key per counter and the CA pin; thread-safe, the backend opened on first use.

    Keyring access is disk I/O (and the file keyring derives a key with argon2), so the UI calls
    this from worker threads only.
    """

    def __init__(self, backend: KeyringBackend | Callable[[], KeyringBackend]) -> None:
        self._lock = threading.Lock()
        self._backend: KeyringBackend | None = backend if isinstance(backend, KeyringBackend) else None
        self._factory = None if isinstance(backend, KeyringBackend) else backend

    def _kr(self) -> KeyringBackend:
        if self._backend is None:
            assert self._factory is not None
            self._backend = self._factory()
        return self._backend

    def device_key(self, counter_code: str) -> str | None:
        """The device key enrolled for ``counter_code``, or None."""
        with self._lock:
            return self._kr().get_password(SERVICE, device_key_name(counter_code))

    def store_device_key(self, *, counter_code: str, key: str) -> None:
        """Keep ``key`` as the device key of ``counter_code``."""
        key = key.strip()
        if not key or len(key) > MAX_DEVICE_KEY_LENGTH or any(c.isspace() for c in key):
            raise ValueError("not a device key")
        with self._lock:
            self._kr().set_password(SERVICE, device_key_name(counter_code), key)
        log.info("device key of counter %s stored in the keyring", counter_code)

    def store_device_key_file(self, *, counter_code: str, key_file: Path) -> None:
        """Read the key that ``gridcounter-server counter enroll --key-file`` wrote, and keep it."""
        self.store_device_key(counter_code=counter_code, key=key_file.read_text(encoding="utf-8"))

    def offline_verifier_secret(self, counter_code: str) -> bytes:
        """The random 32-byte secret of ``counter_code``'s offline verifier file, created on first use.

        A keyring entry that is not such a secret is replaced by a fresh one: the verifier file it
        encrypted is then unreadable, is set aside, and users sign in online once before they can
        sign in offline again.
        """
        name = offline_secret_name(counter_code)
        with self._lock:
            kr = self._kr()
            stored = kr.get_password(SERVICE, name)
            if stored is not None:
                try:
                    return decode_secret(stored)
                except ValueError:
                    log.error("the offline verifier secret of counter %s is damaged: replaced", counter_code)
            secret = new_secret()
            kr.set_password(SERVICE, name, encode_secret(secret))
        log.info("offline verifier secret of counter %s created in the keyring", counter_code)
        return secret

    def ca_pin(self) -> str | None:
        """The pinned CA fingerprint (SHA-256 of the DER, hex), or None."""
        with self._lock:
            return self._kr().get_password(SERVICE, CA_PIN_NAME)

    def pin_ca(self, *, source: Path, dest: Path) -> str:
        """Copy the CA certificate ``source`` to ``dest`` and pin its fingerprint; returns it."""
        pem = source.read_bytes()
        fingerprint = ca_fingerprint(pem)  # ValueError when it is not a certificate
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".tmp")
        tmp.write_bytes(pem)
        tmp.replace(dest)
        with self._lock:
            self._kr().set_password(SERVICE, CA_PIN_NAME, fingerprint)
        log.info("pinned CA %s (sha256 %s)", dest, fingerprint)
        return fingerprint
