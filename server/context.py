"""What a service gets for one call: the database session, who acts, the clock, and the audit sink.

It sits below both ``server.services`` and ``server.rpc`` (it imports neither): the rules receive an
acting context without knowing the wire it came from (the dispatcher, the CLI, the demo data).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from server.clock import Clock
from server.security import PiiCipher
from server.settings import Settings
from shared_models.roles import Role

JsonDict = dict[str, Any]


@dataclass(frozen=True)
class Actor:
    """The signed-in user making the call, at their counter."""

    user_id: int
    username: str
    role: Role
    counter_id: int
    counter_code: str
    session_id: int


@dataclass(frozen=True)
class Cosigner:
    """The second person who co-signed the call."""

    user_id: int
    username: str
    role: Role
    #: Set when the co-sign was verified at the counter (the counter's clock then), not by the server.
    attested_at: dt.datetime | None = None


@dataclass(frozen=True)
class AuditEntry:
    """One audit record as a service describes it; dispatch adds who, where, when and the chain."""

    target: str
    before: JsonDict | None = None
    after: JsonDict | None = None
    #: Who acted when there is no session yet (a sign-in attempt).
    user_id: int | None = None
    username: str | None = None
    #: A refused attempt: the co-signer it named (there is no verified ``CallContext.cosigner``) and
    #: the refusal's error code.
    cosigner_id: int | None = None
    cosigner: str | None = None
    refusal: str | None = None


@dataclass
class CallContext:
    """Per-call state handed to services. ``actor`` is None only for public methods."""

    session: Session
    clock: Clock
    settings: Settings
    pii: PiiCipher
    now: dt.datetime
    method: str
    actor: Actor | None = None
    cosigner: Cosigner | None = None
    counter_code: str | None = None
    #: The idempotency key of a mutating call (dispatch has claimed it in this transaction).
    idempotency_key: str | None = None
    #: True for a call replayed from a counter's outbox (``outbox.replay_batch``): only then is a co-sign
    #: verified at the counter (``attested_cosign``) accepted.
    replayed: bool = False
    audit: list[AuditEntry] = field(default_factory=list)
    #: Effects that must survive the rollback of a failed call (a failed sign-in counts toward the
    #: lockout); each runs after the rollback in a transaction of its own, with its own audit records.
    failure_effects: list[Callable[[CallContext], None]] = field(default_factory=list)
    #: Who a refusal of a call without an actor is recorded for (a sign-in, once its counter has
    #: proved itself): (user id if the name exists, the name tried).
    attempted_by: tuple[int | None, str] | None = None
    #: The co-signer a call named: (user id if the name exists, the name), before the password check.
    cosign_named: tuple[int | None, str] | None = None
    #: After a refusal, in the failure effects' transaction: the record of the refused attempt, which
    #: an effect may add details to (``after``) instead of writing a second record.
    attempt: AuditEntry | None = None

    def record(self, *, target: str, before: JsonDict | None = None, after: JsonDict | None = None) -> None:
        """Describe one change for the audit log (written by dispatch in the same transaction)."""
        self.audit.append(AuditEntry(target=target, before=before, after=after))

    def require_actor(self) -> Actor:
        """The signed-in actor; methods with a permission always have one."""
        if self.actor is None:  # pragma: no cover - dispatch guarantees it
            raise RuntimeError(f"{self.method} needs a signed-in actor")
        return self.actor
