"""Actions whose supervisor co-sign was verified at the counter (SPEC §5, ``shared_models.cosign``).

A service that booked such an action calls :func:`record_attested`: one ``attested_cosigns`` row per action
(its idempotency key), which puts it on the supervisor's attention list (``attention.py``) and marks the
void or the close "co-signed at the counter" in the shift summary. The audit records of the call say so
too (``audit_chain.ATTESTED_KEY``).
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert

from server.context import CallContext
from server.models.offline import AttestedCosign
from server.models.org import Counter

# The counter's hall comes from its row; a second record of the same action (its key) is ignored.
_INSERT: Final = (
    insert(AttestedCosign)
    .from_select(
        [AttestedCosign.item_key, AttestedCosign.method, AttestedCosign.target, AttestedCosign.receipt_no,
         AttestedCosign.shift_no, AttestedCosign.amount_fen, AttestedCosign.counter_id, AttestedCosign.hall_id,
         AttestedCosign.actor_id, AttestedCosign.cosigner_id, AttestedCosign.verified_at, AttestedCosign.recorded_at],
        select(bindparam("item_key"), bindparam("method"), bindparam("target"), bindparam("receipt_no"),
               bindparam("shift_no"), bindparam("amount_fen"), Counter.id, Counter.hall_id, bindparam("actor_id"),
               bindparam("cosigner_id"), bindparam("verified_at"), bindparam("now"))
        .where(Counter.id == bindparam("counter_id")),
    )
    .on_conflict_do_nothing(index_elements=["item_key"])
)


def record_attested(ctx: CallContext, *, target: str, amount_fen: int, receipt_no: str | None = None,
                    shift_no: str | None = None) -> None:
    """Put the call on the attention list when its co-sign was verified at the counter (else nothing)."""
    cosigner, actor = ctx.cosigner, ctx.require_actor()
    if cosigner is None or cosigner.attested_at is None or ctx.idempotency_key is None:
        return
    # on the connection: an ORM session would take the parameters for the rows of a bulk insert
    ctx.session.connection().execute(_INSERT, {
        "item_key": ctx.idempotency_key.lower(), "method": ctx.method, "target": target, "receipt_no": receipt_no,
        "shift_no": shift_no, "amount_fen": amount_fen, "actor_id": actor.user_id, "cosigner_id": cosigner.user_id,
        "verified_at": cosigner.attested_at, "now": ctx.now, "counter_id": actor.counter_id,
    })
