"""Exactly once: the idempotency key's claim, the request hash, the stored result and the replay answer.

A mutating call carries a key minted at the counter. Its first statement claims the key
(``claim``, one round trip that also reads the session and moves the audit chain head on, see
``server.db.prepared.AUTHENTICATE_AND_CLAIM``); the call's response is stored with the key in its last
statement (``audit_chain.write_records``), in the same transaction as its effect. A call whose key was
claimed before is answered with the stored result (``replay_answer``), if it is the same request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db.prepared import AUTHENTICATE_AND_CLAIM, fetch
from server.errors import AppError
from server.models.audit import IdempotencyRecord
from shared_models.errors import ErrorCode


def request_hash(method: str, req: BaseModel, *, neutral: frozenset[str] = frozenset()) -> bytes:
    """Hash of the method and the validated request in canonical JSON, without its ``neutral`` fields."""
    data = req.model_dump(mode="json", exclude=set(neutral) or None)
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{method}\n{canonical}".encode()).digest()


@dataclass(frozen=True)
class Claim:
    """What the claiming statement found: the caller's session, and whether the key was claimed here."""

    #: The session row (``prepared.SESSION_SQL``) behind the token, None when there is none.
    session_row: Any | None
    #: True when this call claimed the key; False when a call with the same key came first.
    claimed: bool
    #: (seq, previous hash) of the call's first audit record, when the counter's chain head was moved on for it.
    first_record: tuple[int, bytes] | None


def claim(
    session: Session, *, key: str, method: str, req_hash: bytes, now: dt.datetime, session_params: dict[str, Any],
    touch: bool, touch_before: dt.datetime,
) -> Claim:
    """Read the session and, when it is valid at the counter, touch it, claim ``key`` and move the counter's
    audit chain head on by one: one round trip.

    A concurrent call with the same key waits on the unique index until the first one commits, then finds
    the key taken (so it never applies twice). Whatever the caller refuses after the statement (the
    session, the permission) rolls its writes back with the call.
    """
    params = dict(session_params, key=key, method=method, request_hash=req_hash, now=now, touch=touch,
                  touch_before=touch_before)
    rows = fetch(session, AUTHENTICATE_AND_CLAIM, params)
    row = rows[0] if rows else None
    if row is None:
        return Claim(session_row=None, claimed=False, first_record=None)
    first = (int(row.head_seq), bytes(row.head_hash)) if row.head_seq is not None else None
    return Claim(session_row=row, claimed=bool(row.claimed), first_record=first)


def replay_answer(session: Session, *, key: str, user_id: int, method: str, req_hash: bytes) -> bytes:
    """The stored result (JSON) of a key claimed before, if it was claimed for this very request by this
    user; IDEMPOTENCY_KEY_REUSED otherwise."""
    row = session.execute(
        select(IdempotencyRecord.user_id, IdempotencyRecord.method, IdempotencyRecord.request_hash,
               IdempotencyRecord.response)
        .where(IdempotencyRecord.key == key)
    ).one()
    if row.user_id != user_id or row.method != method or bytes(row.request_hash) != req_hash:
        raise AppError(ErrorCode.IDEMPOTENCY_KEY_REUSED, key=key)
    return json.dumps(row.response, ensure_ascii=False, separators=(",", ":")).encode()
