"""Counter enrollment: a device key proves that a client is the counter it claims to be."""

from __future__ import annotations

from sqlalchemy import select

from server.context import CallContext
from server.errors import AppError
from server.models.org import Counter
from server.security import new_token, token_hash
from shared_models.errors import ErrorCode


def enroll_counter(*, ctx: CallContext, counter_code: str) -> str:
    """Issue a new device key for a counter (replacing any earlier one) and return it once."""
    counter = ctx.session.scalar(select(Counter).where(Counter.code == counter_code).with_for_update())
    if counter is None:
        raise AppError(ErrorCode.UNKNOWN_COUNTER, counter=counter_code)
    key = new_token()
    before = {"enrolled_at": counter.enrolled_at.isoformat() if counter.enrolled_at else None}
    counter.device_key_hash = token_hash(key)
    counter.enrolled_at = ctx.now
    ctx.record(target=f"counter:{counter.code}", before=before, after={"enrolled_at": ctx.now.isoformat()})
    return key
