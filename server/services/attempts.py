"""Refused attempts at sensitive actions: which refusals the audit log records, and how.

A refused call changes nothing: its transaction is rolled back whole. What must survive — its failure
effects (a wrong password counts toward the lockout) and the record of the attempt — is written after
the rollback in a transaction of its own, in the same hash chain as the changes of the counter.

The rule (docs/architecture.md, "Refused attempts"): a refusal is recorded when someone can be named —
the signed-in actor, or for a sign-in the user name tried at a counter that has proved itself with its
device key — and

* it says *who may not* do something (``AUTHORITY_REFUSALS``), whatever the method, reads included:
  the client never offers a method the role lacks, so each such call is a probe or a fault; or
* the call is co-signed and named a co-signer (a void, a password reset, an approved cash difference, an
  acknowledged offline item): any refusal of such an action is kept, whatever its reason.

Refusals before anyone is named (request shape, a missing token or co-sign header, an ended, idle or
foreign session, an unknown counter or a wrong device key) are not recorded: else anyone could fill the
log without a credential.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from typing import Any, Final

from pydantic import BaseModel
from sqlalchemy.orm import Session

from server.audit_chain import redact, write_records
from server.context import AuditEntry, CallContext
from server.errors import AppError
from shared_models.errors import ErrorCode
from shared_models.rpc import Model, Rpc

log = logging.getLogger(__name__)

#: Refusals that say who may not do what: recorded for every method.
AUTHORITY_REFUSALS: Final = frozenset({
    ErrorCode.PERMISSION_DENIED,
    ErrorCode.INVALID_CREDENTIALS, ErrorCode.ACCOUNT_LOCKED, ErrorCode.ACCOUNT_DISABLED,
    ErrorCode.COUNTER_NOT_IN_SCOPE,
    ErrorCode.COSIGN_INVALID, ErrorCode.COSIGN_NOT_AUTHORIZED, ErrorCode.COSIGN_SAME_USER,
    ErrorCode.VOID_NOT_SAME_CASHIER, ErrorCode.SHIFT_NOT_OWN, ErrorCode.ATTENTION_OTHER_HALL,
})

#: Request fields that name what was tried, in order of preference, and the target's kind.
_TARGET_FIELDS: Final = (("item_key", "attention"), ("receipt_no", "receipt"), ("shift_no", "shift"),
                         ("username", "user"), ("customer_no", "customer"))
#: A request longer than this (as JSON) is recorded by its field names only: the failure path stays cheap.
MAX_REQUEST_CHARS: Final = 2000
_NAME_CHARS: Final = 64  # audit_log.username and .cosigner
_TARGET_CHARS: Final = 128  # audit_log.target


def is_recorded(rpc: Rpc[Model, Model], code: ErrorCode, *, cosign_named: bool) -> bool:
    """Whether a refusal with ``code`` of a call to ``rpc`` is a sensitive attempt (see the module)."""
    return code in AUTHORITY_REFUSALS or (cosign_named and rpc.cosign is not None)


def target_of(rpc: Rpc[Model, Model], req: BaseModel) -> str:
    """What the call tried to act on, as the change records name it (``receipt:…``); else the method."""
    for field, kind in _TARGET_FIELDS:
        value = getattr(req, field, None)
        if isinstance(value, str) and value:
            return f"{kind}:{value}"[:_TARGET_CHARS]
    return rpc.name


def _request(req: BaseModel) -> dict[str, Any]:
    data: dict[str, Any] = redact(req.model_dump(mode="json"))
    if len(json.dumps(data, ensure_ascii=False)) > MAX_REQUEST_CHARS:
        return {"fields": sorted(data)}
    return data


def describe(failed: CallContext, rpc: Rpc[Model, Model], req: BaseModel, error: AppError) -> AuditEntry | None:
    """The audit record of a refused call, or None when the rule does not record it."""
    if not is_recorded(rpc, error.code, cosign_named=failed.cosign_named is not None):
        return None
    user_id: int | None
    if failed.actor is not None:
        user_id, username = failed.actor.user_id, failed.actor.username
    elif failed.attempted_by is not None:
        user_id, username = failed.attempted_by
    else:
        return None
    cosigner_id, cosigner = failed.cosign_named or (None, None)
    return AuditEntry(
        target=target_of(rpc, req), after={"request": _request(req), "params": dict(error.params)},
        user_id=user_id, username=username[:_NAME_CHARS], cosigner_id=cosigner_id,
        cosigner=cosigner[:_NAME_CHARS] if cosigner is not None else None, refusal=error.code.value,
    )


def _write(failed: CallContext, attempt: AuditEntry | None, error: AppError, session: Session) -> None:
    ctx = CallContext(session=session, clock=failed.clock, settings=failed.settings, pii=failed.pii,
                      now=failed.now, method=failed.method, actor=failed.actor, counter_code=failed.counter_code,
                      attempt=attempt)
    for effect in failed.failure_effects:
        effect(ctx)
    # an effect's own records (when no attempt record took its details) are about the refusal too
    entries = [attempt] if attempt is not None else []
    entries += [dataclasses.replace(e, refusal=error.code.value) for e in ctx.audit]
    write_records(ctx, entries, idempotency_key=failed.idempotency_key)


def record_refusal(
    failed: CallContext, rpc: Rpc[Model, Model], req: BaseModel, error: AppError, *, in_batch: bool = False,
) -> None:
    """Run the failure effects of a refused call and record the attempt, after its rollback; never raises.

    On the refused call's own session, whose transaction was rolled back: in a new transaction of its own
    (on the same connection, so the failure path never waits for a second one from the pool). In a replay
    batch (``in_batch``), in a savepoint of the batch's transaction instead: that transaction may hold the
    counter's chain head, which a second transaction would wait on for ever. A failure to record is
    logged, and the caller still answers with the refusal (never a 500 instead).
    """
    session = failed.session
    try:
        attempt = describe(failed, rpc, req, error)
        if attempt is None and not failed.failure_effects:
            return
        if in_batch:
            with session.begin_nested():
                _write(failed, attempt, error, session)
            return
        try:
            _write(failed, attempt, error, session)
            session.commit()
        except BaseException:
            session.rollback()
            raise
    except Exception:
        log.exception("could not record the refused %s (%s)", failed.method, error.code.value)
