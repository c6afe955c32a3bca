"""The signed-in state of the counter (who, where, what they may do) and the sign-in/out steps.

``Session`` is plain Python with listeners: the UI subscribes and re-renders. It is changed on the
GUI thread only (from ``Op`` callbacks); :func:`sign_in`, :func:`sign_in_online`,
:func:`sign_in_or_offline` and :func:`sign_out` are the blocking steps that run in the worker.

A session is either online (the server issued a token) or *offline-verified* (SPEC §5: the center could
not be reached and the password matched the verifier cached at this counter, see
``client.core.offline_auth``). An offline-verified session has no token: nothing is sent under it; the
client signs in online by itself when the link returns (:meth:`Session.go_online`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from pydantic import ValidationError

from client.core.actions import ConfirmedAction
from client.core.offline_auth import OfflineAuthError, OfflineIdentity, VerifierStore
from client.core.rpc_client import RpcClient, RpcError, invalid_request
from client.core.secrets import SecretStore
from shared_models.errors import ErrorCode
from shared_models.methods.auth import LOGIN, LOGOUT, CounterInfo, LoginRequest, LoginResult, UserInfo, WhoamiResult
from shared_models.roles import Perm, Role
from shared_models.rpc import Empty

log = logging.getLogger(__name__)


class SessionEvent(StrEnum):
    """What changed in the session."""

    STARTED = "started"
    UPDATED = "updated"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 - an event name, not a password
    #: An offline-verified session became an online one (the client signed in by itself).
    WENT_ONLINE = "went_online"
    ENDED = "ended"


#: The center cannot answer a sign-in: the verifier cached at this counter is tried instead.
UNREACHABLE_CODES = frozenset({ErrorCode.NETWORK_UNREACHABLE, ErrorCode.NETWORK_TIMEOUT,
                               ErrorCode.SERVICE_UNAVAILABLE})
#: Online sign-in refusals after which the cached verifier must not open the counter any more.
WIPE_CODES = frozenset({ErrorCode.ACCOUNT_DISABLED, ErrorCode.ACCOUNT_LOCKED})
#: The idle timeout an offline-verified session shows until the server's own is known (its default).
OFFLINE_IDLE_TIMEOUT_S = 1800


@dataclass(frozen=True)
class SignedIn:
    """One signed-in user at one counter."""

    user: UserInfo
    counter: CounterInfo
    idle_timeout_s: int
    password_change_required: bool
    #: Signed in against the verifier cached at this counter while the center was out of reach.
    offline_verified: bool = False


@dataclass(frozen=True)
class OfflineSignIn:
    """An offline sign-in, with what the client needs to sign the same user in online later.

    The password stays in this process's memory only (never on disk, never in a log) and is dropped
    once the online sign-in happened or the session ended.
    """

    identity: OfflineIdentity
    server_url: str
    password: str = field(repr=False)


Listener = Callable[[SessionEvent], None]


class Session:
    """Who is signed in; listeners hear every change."""

    def __init__(self) -> None:
        self._state: SignedIn | None = None
        self._ended_reason: ErrorCode | None = None
        self._listeners: list[Listener] = []

    @property
    def state(self) -> SignedIn | None:
        """The signed-in state, or None."""
        return self._state

    @property
    def signed_in(self) -> bool:
        """True while someone is signed in."""
        return self._state is not None

    @property
    def offline_verified(self) -> bool:
        """True while the session is offline-verified (no token: nothing is sent under it)."""
        return self._state is not None and self._state.offline_verified

    @property
    def username(self) -> str | None:
        """Who is signed in, or None."""
        return self._state.user.username if self._state is not None else None

    @property
    def ended_reason(self) -> ErrorCode | None:
        """Why the last session ended, when the server ended it (expired, invalid)."""
        return self._ended_reason

    @property
    def permissions(self) -> frozenset[Perm]:
        """What the signed-in user may do, as the server said; empty when signed out."""
        return frozenset(self._state.user.permissions) if self._state else frozenset()

    def can(self, perm: Perm) -> bool:
        """True when the signed-in user holds ``perm``."""
        return perm in self.permissions

    @property
    def password_change_required(self) -> bool:
        """True until a user whose password was set by someone else has changed it."""
        return self._state is not None and self._state.password_change_required

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` on every change; returns the function that unsubscribes it."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def start(self, result: LoginResult) -> None:
        """A sign-in succeeded."""
        self._state = SignedIn(
            user=result.user, counter=result.counter, idle_timeout_s=result.idle_timeout_s,
            password_change_required=result.password_change_required,
        )
        self._ended_reason = None
        self._emit(SessionEvent.STARTED)

    def start_offline(self, identity: OfflineIdentity) -> None:
        """An offline sign-in succeeded: the role's screens, without a token, until :meth:`go_online`."""
        user = identity.user or UserInfo(
            user_id=0, username=identity.username, display_name=identity.display_name,
            role=Role(identity.roles[0]), permissions=sorted(identity.permissions), org_unit_name="",
        )
        # The permissions as cached for this verifier (they may be newer than the profile's).
        user = user.model_copy(update={"permissions": sorted(identity.permissions)})
        counter = identity.counter or CounterInfo(code=identity.counter_code, name=identity.counter_code,
                                                  hall_code="", hall_name="")
        self._state = SignedIn(user=user, counter=counter, idle_timeout_s=OFFLINE_IDLE_TIMEOUT_S,
                               password_change_required=False, offline_verified=True)
        self._ended_reason = None
        self._emit(SessionEvent.STARTED)

    def go_online(self, result: LoginResult) -> None:
        """The client signed the offline-verified user in online: the same session, now with a token."""
        if self._state is None:
            return
        self._state = SignedIn(
            user=result.user, counter=result.counter, idle_timeout_s=result.idle_timeout_s,
            password_change_required=result.password_change_required,
        )
        self._emit(SessionEvent.WENT_ONLINE)

    def update(self, whoami: WhoamiResult) -> None:
        """The server's current view of the session (from the periodic ``auth.whoami``)."""
        if self._state is None:
            return
        self._state = replace(self._state, user=whoami.user, counter=whoami.counter,
                              idle_timeout_s=whoami.idle_timeout_s)
        self._emit(SessionEvent.UPDATED)

    def mark_password_changed(self) -> None:
        """The user changed their password: the other screens open up."""
        if self._state is None:
            return
        self._state = replace(self._state, password_change_required=False)
        self._emit(SessionEvent.PASSWORD_CHANGED)

    def end(self, reason: ErrorCode | None = None) -> None:
        """Sign-out, or the server ended the session (``reason``)."""
        if self._state is None:
            return
        self._state = None
        self._ended_reason = reason
        self._emit(SessionEvent.ENDED)

    def _emit(self, event: SessionEvent) -> None:
        for listener in list(self._listeners):
            listener(event)


def sign_in(
    *, rpc: RpcClient, secrets: SecretStore, server_url: str, counter_code: str, username: str, password: str
) -> LoginResult:
    """Handshake, then ``auth.login`` with this counter's device key; blocking (run it in an Op)."""
    try:
        rpc.set_server(server_url)
    except ValueError:
        raise RpcError(ErrorCode.INVALID_REQUEST, {"field": "server", "problem": "url"}) from None
    rpc.clear_session()
    rpc.handshake()
    try:
        req = LoginRequest(
            username=username, password=password, counter_code=counter_code,
            device_key=secrets.device_key(counter_code),
        )
    except ValidationError as exc:
        raise invalid_request(exc) from None
    result = rpc.call(LOGIN, req)
    rpc.set_session(token=result.token, counter_code=counter_code)
    log.info("signed in as %s at counter %s", result.user.username, counter_code)
    return result


def forget_if_stale(verifiers: VerifierStore, exc: RpcError, *, username: str, password: str,
                    counter_code: str) -> bool:
    """(worker) Wipe ``username``'s verifier when the server's refusal says it is stale; True if wiped.

    Disabled or locked: wiped. A wrong password that the cached verifier accepts: the password was
    changed elsewhere (or reset by an administrator), wiped. A wrong password the verifier refuses too
    is only a typo: kept.
    """
    stale = exc.code in WIPE_CODES or (
        exc.code is ErrorCode.INVALID_CREDENTIALS
        and verifiers.matches(username=username, password=password, counter_code=counter_code)
    )
    if stale:
        verifiers.forget(username)
        log.info("offline verifier of %s wiped: the server answered %s", username, exc.code.value)
    return stale


def remember_sign_in(verifiers: VerifierStore, result: LoginResult, *, password: str, counter_code: str) -> None:
    """(worker) Cache the verifier of an online sign-in; a failure is logged, never fails the sign-in.

    A password set by an administrator (to be changed now) is not cached: the next verifier is the
    user's own password, cached when they change it.
    """
    try:
        if result.password_change_required:
            verifiers.forget(result.user.username)
            return
        verifiers.remember(
            username=result.user.username, password=password, counter_code=counter_code,
            display_name=result.user.display_name, roles=[result.user.role.value],
            permissions=result.user.permissions, user=result.user, counter=result.counter,
        )
    except Exception:  # the disk or keyring failing must not keep anyone from working online
        log.exception("could not cache the offline verifier of %s", result.user.username)


def remember_password(verifiers: VerifierStore, state: SignedIn, *, password: str) -> None:
    """(worker) The signed-in user changed their password: cache the new one in place of the old."""
    user = state.user
    try:
        verifiers.remember(
            username=user.username, password=password, counter_code=state.counter.code,
            display_name=user.display_name, roles=[user.role.value], permissions=user.permissions, user=user,
            counter=state.counter,
        )
    except Exception:
        log.exception("could not cache the new offline verifier of %s", user.username)
        verifiers.forget(user.username)  # never leave the old password able to open the counter


def sign_in_online(
    *, rpc: RpcClient, secrets: SecretStore, verifiers: VerifierStore | None, server_url: str, counter_code: str,
    username: str, password: str,
) -> LoginResult:
    """(worker) :func:`sign_in`, keeping the offline verifier current: renewed on success, wiped when the
    refusal says it is stale."""
    try:
        result = sign_in(rpc=rpc, secrets=secrets, server_url=server_url, counter_code=counter_code,
                         username=username, password=password)
    except RpcError as exc:
        if verifiers is not None and exc.code not in UNREACHABLE_CODES:
            forget_if_stale(verifiers, exc, username=username, password=password, counter_code=counter_code)
        raise
    if verifiers is not None:
        remember_sign_in(verifiers, result, password=password, counter_code=counter_code)
    return result


def sign_in_or_offline(
    *, rpc: RpcClient, secrets: SecretStore, verifiers: VerifierStore | None, server_url: str, counter_code: str,
    username: str, password: str,
) -> LoginResult | OfflineSignIn:
    """(worker) Sign in online; when the center cannot be reached, against the verifier cached here.

    An offline refusal is raised as the RpcError of its code (the login window shows it like any other).
    """
    try:
        return sign_in_online(rpc=rpc, secrets=secrets, verifiers=verifiers, server_url=server_url,
                              counter_code=counter_code, username=username, password=password)
    except RpcError as exc:
        if verifiers is None or exc.code not in UNREACHABLE_CODES:
            raise
        log.info("server unreachable (%s): trying the offline sign-in of %s", exc.code.value, username)
        try:
            identity = verifiers.verify(username=username, password=password, counter_code=counter_code)
        except OfflineAuthError as refused:
            raise RpcError(refused.code, refused.params) from exc
    log.info("signed in offline as %s at counter %s", identity.username, counter_code)
    return OfflineSignIn(identity=identity, server_url=server_url, password=password)


def sign_out(*, rpc: RpcClient, action: ConfirmedAction) -> None:
    """End the session on the server (best effort, as the ``action`` the user confirmed) and forget the token."""
    token = rpc.session_token
    try:
        if token is not None:
            rpc.send(LOGOUT, Empty(), action=action)
    except RpcError as exc:  # the session ends here either way; the server's idle timeout does the rest
        log.info("sign-out: server answered %s", exc.code.value)
    finally:
        rpc.clear_session(token=token)  # not a newer session signed in meanwhile
