"""The audit chain: hash-chained records, one chain per counter — the head, the append and the hash, and
the walk that verifies them.

Every mutation and every recorded refusal is appended here in the call's transaction: the dispatcher
after each call, ``services.attempts`` after a refusal, the CLI and the demo data. The hot path's two
statements (moving the head on, writing the records) are in ``server.db.prepared``; the first record's
head move of a mutating call rides on the idempotency claim (``server.idempotency``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from server.context import AuditEntry, CallContext
from server.db.prepared import AUDIT_COLUMNS, AUDIT_ROWS_AS_VALUES, CHAIN_ADVANCE, audit_write, fetch
from server.models.audit import AuditChainHead, AuditRecord

GENESIS = bytes(32)
#: The key an audit record's ``after`` carries when the call's co-sign was verified at the counter.
ATTESTED_KEY: Final = "cosign_at_counter"
SERVER_CHAIN = "server"

#: Request fields never copied into the audit log.
SECRET_FIELDS: Final = frozenset({"password", "old_password", "new_password", "initial_password", "device_key"})


def redact(data: Any) -> Any:
    """``data`` (a request as JSON) with every secret field's value replaced by ``***``."""
    if isinstance(data, dict):
        return {k: ("***" if k in SECRET_FIELDS else redact(v)) for k, v in data.items()}
    if isinstance(data, list):
        return [redact(v) for v in data]
    return data


def record_hash(prev_hash: bytes, fields: dict[str, Any]) -> bytes:
    """SHA-256 over the previous hash and the record's canonical JSON."""
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(prev_hash + canonical.encode()).digest()


def _fields(
    *, chain: str, seq: int, at: dt.datetime, user_id: int | None, username: str, cosigner_id: int | None,
    cosigner: str | None, counter_code: str | None, method: str, target: str,
    before: dict[str, Any] | None, after: dict[str, Any] | None, idempotency_key: str | None,
    refusal: str | None,
) -> dict[str, Any]:
    fields = {
        "chain": chain, "seq": seq, "at": at.astimezone(dt.UTC).isoformat(), "user_id": user_id,
        "username": username, "cosigner_id": cosigner_id, "cosigner": cosigner, "counter_code": counter_code,
        "method": method, "target": target, "before": before, "after": after, "idempotency_key": idempotency_key,
    }
    # hashed only when set: a change's canonical form is the one it had before refusals were recorded
    if refusal is not None:
        fields["refusal"] = refusal
    return fields


def _advance_head(session: Session, chain: str, n: int = 1) -> tuple[int, bytes]:
    """Lock the chain's head row, move it ``n`` records on and return (first new seq, previous hash)."""
    rows = fetch(session, CHAIN_ADVANCE, {"c": chain, "n": n})
    if not rows:  # the chain's first record: its head starts at the genesis hash
        session.execute(insert(AuditChainHead).values(chain=chain, seq=0, hash=GENESIS).on_conflict_do_nothing())
        rows = fetch(session, CHAIN_ADVANCE, {"c": chain, "n": n})
    return int(rows[0][0]), bytes(rows[0][1])


def write_records(
    ctx: CallContext, entries: Iterable[AuditEntry], *, idempotency_key: str | None,
    first: tuple[int, bytes] | None = None, response: bytes | None = None,
) -> None:
    """Append ``entries`` to the chain of the call's counter, in the call's transaction.

    ``first`` is (seq, previous hash) when the caller has already moved the head on by one for the
    first entry (the idempotency claim does, so the head row is locked from there on). ``response`` is
    stored on the call's idempotency record. The records, the head and the response then go in one
    statement: one round trip for the whole audit of a call.
    """
    entries = list(entries)
    if first is not None and not entries:  # pragma: no cover - a programming error: a gap in the chain
        raise RuntimeError("the audit chain head was moved on for a record that was never written")
    if not entries and response is None:
        return
    actor, cosigner = ctx.actor, ctx.cosigner
    counter_code = actor.counter_code if actor else ctx.counter_code
    chain = counter_code or SERVER_CHAIN
    params: dict[str, Any] = {"chain": chain, "key": idempotency_key,
                              "response": response.decode() if response is not None else None}
    if entries:
        if first is None:
            seq, prev = _advance_head(ctx.session, chain, len(entries))
        else:
            seq, prev = first
        if cosigner is not None and cosigner.attested_at is not None:
            # The co-sign was verified at the counter, not here: every record of the call says so.
            mark = {"cosigner": cosigner.username, "verified_at_counter": True,
                    "verified_at": cosigner.attested_at.isoformat()}
            entries = [AuditEntry(target=e.target, before=e.before, user_id=e.user_id, username=e.username,
                                  after={**(e.after or {}), ATTESTED_KEY: mark}) for e in entries]
        rows: list[dict[str, Any]] = []
        for i, entry in enumerate(entries):
            fields = _fields(
                chain=chain, seq=seq + i, at=ctx.now,
                user_id=entry.user_id if entry.user_id is not None else (actor.user_id if actor else None),
                username=entry.username or (actor.username if actor else "-"),
                cosigner_id=cosigner.user_id if cosigner else entry.cosigner_id,
                cosigner=cosigner.username if cosigner else entry.cosigner,
                counter_code=counter_code, method=ctx.method, target=entry.target,
                before=entry.before, after=entry.after, idempotency_key=idempotency_key, refusal=entry.refusal,
            )
            digest = record_hash(prev, fields)
            row = {"refusal": None, **fields, "at": ctx.now, "before": json.dumps(entry.before),
                   "after": json.dumps(entry.after), "prev_hash": prev, "hash": digest}
            rows.append(row)
            prev = digest
        if len(rows) > AUDIT_ROWS_AS_VALUES:  # one list per column
            params.update({f"{c}_all": [row[c] for row in rows] for c in AUDIT_COLUMNS})
        else:
            params.update({f"{c}{i}": row[c] for i, row in enumerate(rows) for c in AUDIT_COLUMNS})
        params["head_seq"], params["head_hash"] = seq + len(entries) - 1, prev
    fetch(ctx.session, audit_write(len(entries), response=response is not None), params)


@dataclass(frozen=True)
class ChainReport:
    """The outcome of verifying all chains."""

    chains: int
    records: int
    problems: list[str]


def verify_chains(session: Session) -> ChainReport:
    """Walk every chain in ``seq`` order: recompute each hash, check links, gaps and the head.

    A record that was edited, deleted or moved is named by chain, sequence and id.
    """
    problems: list[str] = []
    heads = {h.chain: h for h in session.scalars(select(AuditChainHead))}
    chains = set(heads) | set(session.scalars(select(AuditRecord.chain).distinct()))
    total = 0
    for chain in sorted(chains):
        prev = GENESIS
        expected_seq = 1
        broken = False
        rows = session.execute(
            select(AuditRecord).where(AuditRecord.chain == chain).order_by(AuditRecord.seq, AuditRecord.id)
            .execution_options(yield_per=2000)
        ).scalars()
        for rec in rows:
            total += 1
            if broken:
                continue
            where = f"chain {chain} seq {rec.seq} (record {rec.id})"
            if rec.seq != expected_seq:
                problems.append(f"{where}: expected seq {expected_seq}: a record is missing or out of order")
                broken = True
                continue
            if bytes(rec.prev_hash) != prev:
                problems.append(f"{where}: does not link to the previous record (reordered or removed)")
                broken = True
                continue
            fields = _fields(
                chain=rec.chain, seq=rec.seq, at=rec.at, user_id=rec.user_id, username=rec.username,
                cosigner_id=rec.cosigner_id, cosigner=rec.cosigner, counter_code=rec.counter_code,
                method=rec.method, target=rec.target, before=rec.before, after=rec.after,
                idempotency_key=rec.idempotency_key, refusal=rec.refusal,
            )
            if record_hash(prev, fields) != bytes(rec.hash):
                problems.append(f"{where}: content does not match its hash (edited)")
                broken = True
                continue
            prev = bytes(rec.hash)
            expected_seq += 1
        head = heads.get(chain)
        if not broken and head is not None and (head.seq != expected_seq - 1 or bytes(head.hash) != prev):
            problems.append(f"chain {chain}: ends at seq {expected_seq - 1} but its head says {head.seq}: "
                            "newest records were removed")
    return ChainReport(chains=len(chains), records=total, problems=problems)
