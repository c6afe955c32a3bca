"""The signed-in state of the counter (who, where, what they may do) and the sign-in/out steps.

``Session`` is plain Python with listeners: the UI subscribes and re-renders. It is changed on the
GUI thread only (from ``Op`` callbacks); :func:`sign_in` and :func:`sign_out` are the blocking steps
that run in the worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from pydantic import ValidationError

from client.core.actions import ConfirmedAction
from client.core.rpc_client import RpcClient, RpcError, invalid_request
from client.core.secrets import SecretStore
from shared_models.errors import ErrorCode
from shared_models.methods.auth import LOGIN, LOGOUT, CounterInfo, LoginRequest, LoginResult, UserInfo, WhoamiResult
from shared_models.roles import Perm
from shared_models.rpc import Empty

log = logging.getLogger(__name__)


class SessionEvent(StrEnum):
    """What changed in the session."""

    STARTED = "started"
    UPDATED = "updated"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 - an event name, not a password
    ENDED = "ended"


@dataclass(frozen=True)
class SignedIn:
    """One signed-in user at one counter."""

    user: UserInfo
    counter: CounterInfo
    idle_timeout_s: int
    password_change_required: bool


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
