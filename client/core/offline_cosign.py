"""A supervisor's co-sign checked at the counter while the link is down (SPEC §5, ``shared_models.cosign``).

The supervisor types their user name and password on the same dialog as online; the counter checks them
against the supervisor's cached verifier at this counter (``client/core/offline_auth.py``: argon2id, kept
after each online sign-in or co-sign here, wiped when the server says the user changed) and, when they
match and the supervisor holds the co-sign permission and is not the cashier, the queued action carries an
:class:`AttestedCosign` — the user name and the counter's time, never the password. The server takes it only
when the action is replayed from this counter's outbox, and lists it for the supervisor.

Qt-free and blocking (argon2id is slow on purpose): run it in an ``Op``.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from client.core.offline_auth import OfflineAuthError, VerifierStore
from client.core.rpc_client import Cosign, RpcError
from shared_models.cosign import AttestedCosign
from shared_models.errors import ErrorCode
from shared_models.roles import Perm

log = logging.getLogger(__name__)


class OfflineCosignError(Exception):
    """The co-sign cannot be verified at the counter; ``code`` says why (a wire error code, translated the same)."""

    def __init__(self, code: ErrorCode, **params: str) -> None:
        super().__init__(code.value)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class CounterCosign:
    """A co-sign verified at the counter: what the queued action carries, and the name to show."""

    attestation: AttestedCosign
    display_name: str


def attest(verifiers: VerifierStore, *, username: str, password: str, counter_code: str, actor: str, permission: Perm,
           now: dt.datetime) -> CounterCosign:
    """Check a co-sign against the cached verifier: :class:`OfflineCosignError` with ``COSIGN_SAME_USER``,
    ``COSIGN_INVALID`` (no verifier here, or the password does not match — the verifier store counts it toward
    the lockout) or ``COSIGN_NOT_AUTHORIZED`` (no co-sign permission)."""
    if username.strip().lower() == actor.lower():
        raise OfflineCosignError(ErrorCode.COSIGN_SAME_USER)
    try:
        identity = verifiers.verify(username=username.strip(), password=password, counter_code=counter_code)
    except OfflineAuthError as exc:  # wrong password (counted toward the lockout), none cached here, expired
        if exc.code is ErrorCode.ACCOUNT_LOCKED:
            raise OfflineCosignError(ErrorCode.ACCOUNT_LOCKED, **{k: str(v) for k, v in exc.params.items()}) from exc
        raise OfflineCosignError(ErrorCode.COSIGN_INVALID) from exc
    if identity.username.lower() == actor.lower():
        raise OfflineCosignError(ErrorCode.COSIGN_SAME_USER)
    if permission not in identity.permissions:
        raise OfflineCosignError(ErrorCode.COSIGN_NOT_AUTHORIZED, username=identity.username)
    return CounterCosign(attestation=AttestedCosign(username=identity.username, verified_at=now),
                         display_name=identity.display_name)


def remember_online_cosign(verifiers: VerifierStore, *, username: str, password: str, counter_code: str,
                           display_name: str, permissions: frozenset[Perm]) -> None:
    """(worker) After an online co-sign the server accepted at this counter: cache the co-signer's verifier,
    so they can co-sign here with the link down too. A failure is logged, never fails the co-signed action."""
    try:
        verifiers.remember(username=username, password=password, counter_code=counter_code,
                           display_name=display_name, roles=[], permissions=permissions)
    except Exception:  # the disk or keyring failing must not undo what the server booked
        log.exception("could not cache the offline verifier of co-signer %s", username)


def verify_at_counter(verifiers: VerifierStore | None, cosign: Cosign, *, counter_code: str, actor: str,
                      permission: Perm, now: dt.datetime) -> CounterCosign:
    """(worker) :func:`attest` for a co-sign typed on a dialog; its refusal as the RpcError the dialog shows."""
    if verifiers is None:  # this client keeps no verifiers: nobody can co-sign offline here
        raise RpcError(ErrorCode.COSIGN_INVALID)
    try:
        return attest(verifiers, username=cosign.username, password=cosign.password, counter_code=counter_code,
                      actor=actor, permission=permission, now=now)
    except OfflineCosignError as exc:
        raise RpcError(exc.code, dict(exc.params)) from exc
