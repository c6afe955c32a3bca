"""Actions whose supervisor co-sign was verified at the counter (SPEC §5, ``shared_models.cosign``).

A service that booked such an action calls :func:`record_attested`: one ``attested_cosigns`` row per action
(its idempotency key), which puts it on the supervisor's attention list (``attention.py``) and marks the
void or the close "co-signed at the counter" in the shift summary. The audit records of the call say so
too (``audit.ATTESTED_KEY``).
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import text

from server.context import CallContext

_INSERT: Final = text(
    """
    INSERT INTO attested_cosigns (item_key, method, target, receipt_no, shift_no, amount_fen, counter_id, hall_id,
                                  actor_id, cosigner_id, verified_at, recorded_at)
    SELECT :item_key, :method, :target, :receipt_no, :shift_no, :amount_fen, k.id, k.hall_id, :actor_id,
           :cosigner_id, :verified_at, :now
    FROM counters k WHERE k.id = :counter_id
    ON CONFLICT (item_key) DO NOTHING
    """
)


def record_attested(ctx: CallContext, *, target: str, amount_fen: int, receipt_no: str | None = None,
                    shift_no: str | None = None) -> None:
    """Put the call on the attention list when its co-sign was verified at the counter (else nothing)."""
    cosigner, actor = ctx.cosigner, ctx.require_actor()
    if cosigner is None or cosigner.attested_at is None or ctx.idempotency_key is None:
        return
    ctx.session.execute(_INSERT, {
        "item_key": ctx.idempotency_key.lower(), "method": ctx.method, "target": target, "receipt_no": receipt_no,
        "shift_no": shift_no, "amount_fen": amount_fen, "actor_id": actor.user_id, "cosigner_id": cosigner.user_id,
        "verified_at": cosigner.attested_at, "now": ctx.now, "counter_id": actor.counter_id,
    })
