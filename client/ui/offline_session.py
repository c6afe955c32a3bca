"""While a session is offline-verified, sign the same user in online as soon as the center answers.

The password typed at the offline sign-in is held here, in memory only, and dropped as soon as the
online sign-in happened or the session ended. A refusal (password changed, account disabled or locked,
…) ends the session with its reason; the offline verifier was already wiped by
:func:`client.core.session.sign_in_online` when the refusal says it is stale.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QWidget

from client.core.actions import ActionSlot
from client.core.config import ClientPaths
from client.core.offline_auth import DEFAULT_VALID_FOR, VerifierStore, verifier_file
from client.core.rpc_client import RpcClient, RpcError
from client.core.secrets import SecretStore
from client.core.session import UNREACHABLE_CODES, OfflineSignIn, sign_in_online, sign_out
from client.ui.ops import Op
from shared_models.errors import ErrorCode
from shared_models.methods.auth import LoginResult

log = logging.getLogger(__name__)

#: Hours an offline sign-in stays possible after the last online sign-in at this counter (SPEC §5).
KEY_OFFLINE_VALID_HOURS = "offline/valid_hours"

#: The offline verifier store of a counter, by counter code.
Verifiers = Callable[[str], VerifierStore]

#: How often an offline-verified counter tries to sign in online (a failed try costs one refused
#: connection, or a connect timeout while packets are dropped).
RECONNECT_INTERVAL_MS = 15_000
#: Answers after which the counter stays offline-verified and tries again later (no answer from the
#: center, or one this counter cannot trust or read: nothing says the user is refused).
_RETRY_CODES = UNREACHABLE_CODES | {ErrorCode.TLS_UNTRUSTED, ErrorCode.BAD_RESPONSE, ErrorCode.INTERNAL_ERROR}


class OnlineReconnector(QObject):
    """Tries the online sign-in of an offline-verified session every ``interval_ms`` until it is answered."""

    #: The online sign-in succeeded: the ``LoginResult`` (the token is already set on the RPC client).
    went_online = Signal(object)
    #: The server refused the user: the ``RpcError`` (the session must end).
    refused = Signal(object)

    def __init__(
        self, *, owner: QWidget, rpc: RpcClient, secrets: SecretStore,
        verifiers: Callable[[str], VerifierStore] | None, interval_ms: int = RECONNECT_INTERVAL_MS,
    ) -> None:
        super().__init__(owner)
        self._owner = owner
        self._rpc = rpc
        self._secrets = secrets
        self._verifiers = verifiers
        self._pending: OfflineSignIn | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.try_now)

    @property
    def active(self) -> bool:
        """True while an offline-verified session waits for its online sign-in."""
        return self._pending is not None

    def begin(self, pending: OfflineSignIn) -> None:
        """Keep ``pending`` (with its password) and start trying."""
        self._pending = pending
        self.timer.start()

    def stop(self) -> None:
        """The session ended or went online: drop the password, stop trying."""
        self._pending = None
        self.timer.stop()

    def try_now(self) -> None:
        """One online sign-in attempt in the background (ignored while one runs)."""
        pending = self._pending
        if pending is None:
            return
        identity = pending.identity
        rpc, secrets = self._rpc, self._secrets
        verifiers = self._verifiers(identity.counter_code) if self._verifiers is not None else None

        def work() -> LoginResult:
            return sign_in_online(rpc=rpc, secrets=secrets, verifiers=verifiers, server_url=pending.server_url,
                                  counter_code=identity.counter_code, username=identity.username,
                                  password=pending.password)

        Op(parent=self._owner, run=work, key="reconnect") \
            .on_success(lambda result: self._on_signed_in(pending, result)) \
            .on_failure(lambda exc: self._on_failed(pending, exc)) \
            .start()

    def _on_signed_in(self, pending: OfflineSignIn, result: LoginResult) -> None:
        if self._pending is not pending:  # signed out while the attempt ran: end the new server session
            self._discard(result)
            return
        self.stop()
        log.info("offline-verified session of %s signed in online", result.user.username)
        self.went_online.emit(result)

    def _on_failed(self, pending: OfflineSignIn, exc: BaseException) -> None:
        if self._pending is not pending:
            return
        if isinstance(exc, RpcError) and exc.code in _RETRY_CODES:
            log.info("online sign-in of %s not possible yet: %s", pending.identity.username, exc.code.value)
            return
        if not isinstance(exc, RpcError):  # a bug or a broken keyring: keep working offline, try again
            log.error("online sign-in of %s failed unexpectedly", pending.identity.username, exc_info=exc)
            return
        log.warning("online sign-in of %s refused: %s", pending.identity.username, exc.code.value)
        self.stop()
        self.refused.emit(exc)

    def _discard(self, result: LoginResult) -> None:
        rpc = self._rpc
        action = ActionSlot().confirm(result.token)  # one sign-out of that session, never retried

        def end() -> None:
            if rpc.session_token == result.token:
                sign_out(rpc=rpc, action=action)

        Op(parent=self._owner, run=end, key="reconnect_discard") \
            .on_failure(lambda exc: log.warning("stale online session not ended: %r", exc)) \
            .start()


def offline_valid_for(settings: QSettings) -> dt.timedelta:
    """How long after the last online sign-in an offline sign-in is allowed (``offline/valid_hours``)."""
    text = str(settings.value(KEY_OFFLINE_VALID_HOURS, "") or "")
    if not text:
        return DEFAULT_VALID_FOR
    if not text.isdigit() or not 0 <= int(text) <= 24 * 30:
        log.error("setting %s=%r is not a number of hours up to 720: the default applies", KEY_OFFLINE_VALID_HOURS,
                  text)
        return DEFAULT_VALID_FOR
    return dt.timedelta(hours=int(text))  # 0 turns offline sign-in off


def verifier_stores(paths: ClientPaths, secrets: SecretStore, *, valid_for: dt.timedelta) -> Verifiers:
    """The offline verifier store of each counter, one per counter for the client's lifetime (its lock
    orders the reads and writes of that counter's file)."""

    @functools.cache
    def store(counter_code: str) -> VerifierStore:
        return VerifierStore(verifier_file(paths.data_dir, counter_code), valid_for=valid_for,
                             secret=lambda: secrets.offline_verifier_secret(counter_code),
                             now=lambda: dt.datetime.now(dt.UTC))

    return store
