"""Offline sign-in (SPEC §5): a cached verifier per user and counter, checked when the center is out of reach.

After each online sign-in at a counter the client keeps an argon2id hash of the password (a fresh salt
each time; never the password itself) with who the user is and what they may do. While the link is
down the same user may sign in at the same counter with the same password for ``valid_for`` (72 h by
default) after that online sign-in. The file is encrypted at rest (AES-256-GCM) under a random secret
kept in the counter's keyring, written atomically; a file that cannot be read (damaged, truncated,
another keyring's secret) is set aside and treated as empty: nobody signs in offline until they have
signed in online again. Wrong passwords count toward an offline lockout that is kept in the same file,
so restarting the client does not reset it.

Qt-free and blocking (argon2 costs tens of milliseconds and 64 MiB on purpose): call it from a worker.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import logging
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import ValidationError

from client.core.atomic_file import replace_file
from shared_models.errors import ErrorCode
from shared_models.methods.auth import CounterInfo, UserInfo
from shared_models.roles import Perm

log = logging.getLogger(__name__)

#: Bytes of the keyring secret the file is encrypted under (AES-256).
SECRET_BYTES: Final = 32
_MAGIC: Final = b"GCOV1\n"
_NONCE_BYTES: Final = 12
#: A verifier file is a few hundred bytes per user; anything far larger is not ours.
_MAX_FILE_BYTES: Final = 4 * 1024 * 1024
#: A verifier recorded later than this ahead of the counter's clock means the clock was set back:
#: the verifier is not trusted (otherwise turning the clock back would stretch its validity).
CLOCK_SKEW: Final = dt.timedelta(minutes=5)
DEFAULT_VALID_FOR: Final = dt.timedelta(hours=72)
DEFAULT_LOCKOUT_THRESHOLD: Final = 5
DEFAULT_LOCKOUT: Final = dt.timedelta(minutes=15)


def verifier_file(data_dir: Path, counter_code: str) -> Path:
    """The verifier file of ``counter_code`` in the client data folder (one file, one secret per counter)."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in counter_code)
    return data_dir / f"offline-verifiers-{safe}.bin"


@dataclass(frozen=True)
class OfflineIdentity:
    """A user whose password matched the verifier cached at this counter."""

    username: str
    display_name: str
    roles: tuple[str, ...]
    permissions: frozenset[Perm]
    counter_code: str
    #: When the user last signed in online here (aware UTC): the verifier is valid from then on.
    verified_at: dt.datetime
    #: The user and counter as the server last described them (None when only a co-sign was cached).
    user: UserInfo | None = None
    counter: CounterInfo | None = None


class OfflineAuthError(Exception):
    """An offline sign-in refused; ``code`` says why (the UI translates), ``params`` fill its sentence."""

    def __init__(self, code: ErrorCode, **params: str | int) -> None:
        super().__init__(code.value)
        self.code = code
        self.params: dict[str, str | int] = dict(params)


def _key(username: str, counter_code: str) -> str:
    return f"{counter_code}\x00{username}"


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


def _parse_time(text: object) -> dt.datetime:
    if not isinstance(text, str):
        raise ValueError("not a time")
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("naive time")
    return moment.astimezone(dt.UTC)


class VerifierStore:
    """The cached verifiers of one counter's users, and their offline lockouts (thread-safe)."""

    def __init__(
        self, path: Path, *, secret: Callable[[], bytes], now: Callable[[], dt.datetime],
        valid_for: dt.timedelta = DEFAULT_VALID_FOR, lockout_threshold: int = DEFAULT_LOCKOUT_THRESHOLD,
        lockout: dt.timedelta = DEFAULT_LOCKOUT, hasher: PasswordHasher | None = None,
    ) -> None:
        self.path = path
        self._secret = secret
        self._now = now
        self.valid_for = valid_for
        self._threshold = max(1, lockout_threshold)
        self._lockout = lockout
        self._hasher = hasher or PasswordHasher()  # argon2id, RFC 9106 low-memory defaults, like the server
        self._lock = threading.Lock()

    # -- the API -------------------------------------------------------------------------------------------

    def remember(
        self, *, username: str, password: str, counter_code: str, display_name: str, roles: Sequence[str],
        permissions: Iterable[Perm], user: UserInfo | None = None, counter: CounterInfo | None = None,
    ) -> None:
        """Cache a fresh verifier of ``password`` (after an online sign-in or co-sign the server accepted)."""
        digest = self._hasher.hash(password)  # before the lock: the slow part
        entry: dict[str, Any] = {
            "username": username, "counter_code": counter_code, "display_name": display_name,
            "roles": list(roles), "permissions": sorted(p.value for p in permissions), "verifier": digest,
            "verified_at": _iso(self._utcnow()),
            "user": user.model_dump(mode="json") if user is not None else None,
            "counter": counter.model_dump(mode="json") if counter is not None else None,
        }
        with self._lock:
            data = self._load()
            data["entries"][_key(username, counter_code)] = entry
            data["lockouts"].pop(_key(username, counter_code), None)  # the server just accepted the password
            self._save(data)
        log.info("offline verifier of %s at counter %s renewed", username, counter_code)

    def verify(self, *, username: str, password: str, counter_code: str) -> OfflineIdentity:
        """The identity of ``username`` at ``counter_code`` if ``password`` matches; else OfflineAuthError."""
        key = _key(username, counter_code)
        now = self._utcnow()
        with self._lock:
            data = self._load()
            locked_until = self._locked_until(data, key, now)
            if locked_until is not None:
                raise self._locked_error(locked_until, now)
            entry = data["entries"].get(key)
            if entry is None:
                raise OfflineAuthError(ErrorCode.OFFLINE_SIGN_IN_UNKNOWN, username=username, counter=counter_code)
            try:
                identity = _identity(entry)
            except (KeyError, TypeError, ValueError, ValidationError):
                log.error("offline verifier of %s at %s unreadable: removed", username, counter_code)
                del data["entries"][key]
                self._save(data)
                raise OfflineAuthError(ErrorCode.OFFLINE_SIGN_IN_UNKNOWN, username=username,
                                       counter=counter_code) from None
            if not identity.verified_at - CLOCK_SKEW <= now < identity.verified_at + self.valid_for:
                raise OfflineAuthError(ErrorCode.OFFLINE_SIGN_IN_EXPIRED, username=username,
                                       hours=int(self.valid_for.total_seconds() // 3600))
            # The hash check holds the lock: two wrong tries at once must both count.
            if self._matches(str(entry["verifier"]), password):
                if data["lockouts"].pop(key, None) is not None:
                    self._save(data)
                return identity
            until = self._count_failure(data, key, now)
            self._save(data)
        if until is not None:
            raise self._locked_error(until, now)
        raise OfflineAuthError(ErrorCode.INVALID_CREDENTIALS)

    def matches(self, *, username: str, password: str, counter_code: str) -> bool:
        """True when ``password`` is the one cached for ``username`` here (expiry and lockout aside).

        The server refusing a password that this says is right means the password was changed
        elsewhere: the caller then forgets the verifier. Counts no failure.
        """
        with self._lock:
            entry = self._load()["entries"].get(_key(username, counter_code))
        return entry is not None and self._matches(str(entry.get("verifier", "")), password)

    def forget(self, username: str) -> None:
        """Remove every verifier of ``username`` (disabled, locked or password changed on the server)."""
        with self._lock:
            data = self._load()
            gone = [k for k, e in data["entries"].items() if isinstance(e, dict) and e.get("username") == username]
            if not gone:
                return
            for k in gone:
                del data["entries"][k]
            self._save(data)
        log.info("offline verifier of %s forgotten", username)

    def knows(self, *, username: str, counter_code: str) -> bool:
        """True when a verifier of ``username`` at ``counter_code`` is cached (valid or not)."""
        with self._lock:
            return _key(username, counter_code) in self._load()["entries"]

    # -- lockout -------------------------------------------------------------------------------------------

    def _locked_until(self, data: dict[str, Any], key: str, now: dt.datetime) -> dt.datetime | None:
        record = data["lockouts"].get(key)
        if not isinstance(record, dict) or record.get("locked_until") is None:
            return None
        try:
            until = _parse_time(record["locked_until"])
        except ValueError:
            return now + self._lockout  # a damaged lockout record errs on the locked side
        if until > now:
            return until
        data["lockouts"].pop(key, None)  # served: counting starts again
        return None

    def _count_failure(self, data: dict[str, Any], key: str, now: dt.datetime) -> dt.datetime | None:
        record = data["lockouts"].get(key)
        previous = record.get("failures") if isinstance(record, dict) else 0
        failures = (previous if isinstance(previous, int) else 0) + 1
        if failures >= self._threshold:
            until = now + self._lockout
            data["lockouts"][key] = {"failures": 0, "locked_until": _iso(until)}
            log.warning("offline sign-in locked for %s after %d wrong passwords",
                        key.rsplit("\x00", maxsplit=1)[-1], failures)
            return until
        data["lockouts"][key] = {"failures": failures, "locked_until": None}
        return None

    def _locked_error(self, until: dt.datetime, now: dt.datetime) -> OfflineAuthError:
        minutes = max(1, -int(-(until - now).total_seconds() // 60))
        return OfflineAuthError(ErrorCode.OFFLINE_SIGN_IN_LOCKED, minutes=minutes, until=until.isoformat())

    # -- the file ------------------------------------------------------------------------------------------

    def _utcnow(self) -> dt.datetime:
        moment = self._now()
        if moment.tzinfo is None:
            raise ValueError("the clock must give aware times")
        return moment.astimezone(dt.UTC)

    def _matches(self, verifier: str, password: str) -> bool:
        try:
            return self._hasher.verify(verifier, password)
        except VerifyMismatchError:
            return False
        except (VerificationError, InvalidHashError):
            log.error("an offline verifier is not an argon2 hash")
            return False

    def _aead(self) -> AESGCM:
        secret = self._secret()
        if len(secret) != SECRET_BYTES:
            raise ValueError("the offline verifier secret must be 32 bytes")
        return AESGCM(secret)

    def _load(self) -> dict[str, Any]:
        """The file's content; empty when there is none, and set aside when it cannot be read."""
        try:
            blob = self.path.read_bytes()
        except FileNotFoundError:
            return {"entries": {}, "lockouts": {}}
        aead = self._aead()  # a keyring failure propagates: it is no reason to set the file aside
        try:
            if len(blob) > _MAX_FILE_BYTES or not blob.startswith(_MAGIC):
                raise ValueError("not a verifier file")
            nonce, sealed = blob[len(_MAGIC):len(_MAGIC) + _NONCE_BYTES], blob[len(_MAGIC) + _NONCE_BYTES:]
            if len(nonce) != _NONCE_BYTES:
                raise ValueError("truncated")
            plain = aead.decrypt(nonce, sealed, _MAGIC)  # the header is authenticated too
            data = json.loads(plain)
            if not (isinstance(data, dict) and isinstance(data.get("entries"), dict)
                    and isinstance(data.get("lockouts"), dict)):
                raise ValueError("unexpected content")
        except (ValueError, InvalidTag, UnicodeDecodeError) as exc:
            self._set_aside(reason=type(exc).__name__)
            return {"entries": {}, "lockouts": {}}
        return data

    def _set_aside(self, *, reason: str) -> None:
        stamp = self._utcnow().strftime("%Y%m%dT%H%M%SZ")
        target = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        try:
            os.replace(self.path, target)
        except OSError:
            log.exception("cannot set the unreadable verifier file %s aside", self.path)
            return
        log.error("offline verifier file %s unreadable (%s): set aside as %s; offline sign-in needs an online "
                  "sign-in first", self.path, reason, target.name)

    def _save(self, data: dict[str, Any]) -> None:
        """Encrypt and replace the file atomically (write a temporary file, fsync, rename, fsync the folder)."""
        now = self._utcnow()
        data["entries"] = {k: e for k, e in data["entries"].items() if not self._expired(e, now)}
        plain = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
        nonce = os.urandom(_NONCE_BYTES)
        blob = _MAGIC + nonce + self._aead().encrypt(nonce, plain, _MAGIC)
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        replace_file(self.path, blob, mode=0o600)

    def _expired(self, entry: object, now: dt.datetime) -> bool:
        """A verifier past its validity is dropped on the next write: no stale hash stays on disk."""
        if not isinstance(entry, dict):
            return True
        try:
            return now >= _parse_time(entry.get("verified_at")) + self.valid_for
        except ValueError:
            return True


def _identity(entry: dict[str, Any]) -> OfflineIdentity:
    user = entry.get("user")
    counter = entry.get("counter")
    return OfflineIdentity(
        username=str(entry["username"]), display_name=str(entry["display_name"]),
        roles=tuple(str(r) for r in entry["roles"]), permissions=frozenset(Perm(p) for p in entry["permissions"]),
        counter_code=str(entry["counter_code"]), verified_at=_parse_time(entry["verified_at"]),
        # JSON mode: the strict models take enum values as the wire carries them
        user=UserInfo.model_validate_json(json.dumps(user)) if user is not None else None,
        counter=CounterInfo.model_validate_json(json.dumps(counter)) if counter is not None else None,
    )


def new_secret() -> bytes:
    """A fresh random secret for :class:`VerifierStore` (kept in the keyring, base64)."""
    return os.urandom(SECRET_BYTES)


def encode_secret(secret: bytes) -> str:
    """The keyring form of a secret."""
    return base64.b64encode(secret).decode("ascii")


def decode_secret(text: str) -> bytes:
    """A secret from its keyring form; ValueError when it is not one."""
    try:
        secret = base64.b64decode(text.strip(), validate=True)
    except binascii.Error as exc:
        raise ValueError("not an offline verifier secret") from exc
    if len(secret) != SECRET_BYTES:
        raise ValueError("not an offline verifier secret")
    return secret
