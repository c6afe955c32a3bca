"""Confirmed actions: the one source of the idempotency key a mutating call carries (Qt-free).

A mutating call is sent only with a :class:`ConfirmedAction` (``RpcClient.send``), and an action comes
from one of two places:

- :meth:`ActionSlot.confirm`, when the user confirms something on a screen (a void, a reprint, a shift
  open): the slot keeps the action, and so its key, until the server gives a definite answer; pressing
  again for the same request while the first press is unanswered (a timeout, a cut link, a 5xx) reuses
  the key, so the server replays the first result instead of doing the thing twice;
- :meth:`ConfirmedAction.from_outbox`, for a key the outbox stored when the cashier confirmed a payment
  (or derived from one, an attention report): the sync worker resends it, it never mints.

The constructor refuses anything else, so a fresh key per send cannot creep back in.
"""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final, TypeVar

from shared_models.errors import ErrorCode
from shared_models.ids import IdempotencyKey, new_idempotency_key

#: Failures after which the server may have applied the call: the answer did not arrive, or the server
#: rolled back for a reason of its own. The action keeps its key, so the next press replays, never repeats.
OUTCOME_UNKNOWN: Final[frozenset[ErrorCode]] = frozenset({
    ErrorCode.NETWORK_UNREACHABLE, ErrorCode.NETWORK_TIMEOUT, ErrorCode.TLS_UNTRUSTED, ErrorCode.BAD_RESPONSE,
    ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.INTERNAL_ERROR,
})

T = TypeVar("T")

_MINT: Final = object()  # held only by this module: the two sanctioned ways to make an action


@dataclass(frozen=True)
class ConfirmedAction:
    """One confirmed action and its idempotency key; build it with :meth:`ActionSlot.confirm` or
    :meth:`from_outbox`, never directly."""

    key: IdempotencyKey
    #: "confirmed" (minted when the user confirmed) or "outbox" (a stored key resent).
    origin: str
    _mint: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._mint is not _MINT:
            raise TypeError("a ConfirmedAction comes from ActionSlot.confirm or ConfirmedAction.from_outbox")

    @classmethod
    def from_outbox(cls, key: str) -> ConfirmedAction:
        """The action of a key the outbox stored at confirmation (ValueError unless it is a UUID)."""
        return cls(key=IdempotencyKey(str(uuid.UUID(key))), origin="outbox", _mint=_MINT)

    @classmethod
    def _confirmed(cls) -> ConfirmedAction:
        return cls(key=new_idempotency_key(), origin="confirmed", _mint=_MINT)


def fingerprint(secret: str) -> str:
    """A digest of a password typed into a confirmed request, so a slot can tell a changed request
    without keeping the password itself."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def outcome_unknown(failure: BaseException) -> bool:
    """True when ``failure`` leaves open whether the server applied the call (keep the key)."""
    code = getattr(failure, "code", None)
    # Anything that is not a coded answer (an OSError writing the result down, a bug) is unknown too.
    return not isinstance(code, ErrorCode) or code in OUTCOME_UNKNOWN


class ActionSlot:
    """The pending action of one button (or dialog): the request the user confirmed and its action.

    ``confirm(request)`` returns the pending action while the same request is unanswered, a new one when
    the request differs (the user changed what they asked for: a new action). ``settle`` (or
    ``answered``) forgets it once the server has answered definitely. Safe from several threads.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: tuple[object, ConfirmedAction] | None = None

    def confirm(self, request: object) -> ConfirmedAction:
        """The action for ``request``: the unanswered one if it is the same request, else a new one.

        ``request`` is anything comparable that says *what* is asked (the fields the user typed, the
        co-signer's name), never a password.
        """
        with self._lock:
            if self._pending is None or self._pending[0] != request:
                self._pending = (request, ConfirmedAction._confirmed())
            return self._pending[1]

    @property
    def pending(self) -> ConfirmedAction | None:
        """The action still waiting for an answer, or None."""
        with self._lock:
            return self._pending[1] if self._pending is not None else None

    def answered(self, action: ConfirmedAction | None = None) -> None:
        """A definite answer (success or a refusal) came: forget the action (only ``action``, if given)."""
        with self._lock:
            if self._pending is not None and (action is None or self._pending[1] is action):
                self._pending = None

    def settle(self, action: ConfirmedAction, failure: BaseException | None = None) -> None:
        """Forget ``action`` after a success or a definite refusal; keep it when the outcome is unknown."""
        if failure is None or not outcome_unknown(failure):
            self.answered(action)

    def attempt(self, action: ConfirmedAction, send: Callable[[], T]) -> T:
        """Run ``send`` (the call, and what is done with its answer, carrying ``action``) and settle the
        action by how it ended; from a worker thread, inside an ``Op``."""
        try:
            result = send()
        except BaseException as exc:
            self.settle(action, exc)
            raise
        self.settle(action)
        return result
