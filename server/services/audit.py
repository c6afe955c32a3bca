"""The audit trail: hash-chained records, one chain per counter, and their verification."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from server.models.audit import AuditChainHead, AuditRecord
from server.rpc.context import AuditEntry, CallContext
from shared_models.methods.audit import (
    AuditPage,
    AuditRow,
    ListAuditRequest,
    VerifyAuditResult,
)
from shared_models.rpc import Empty

GENESIS = bytes(32)
SERVER_CHAIN = "server"


def record_hash(prev_hash: bytes, fields: dict[str, Any]) -> bytes:
    """SHA-256 over the previous hash and the record's canonical JSON."""
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(prev_hash + canonical.encode()).digest()


def _fields(
    *, chain: str, seq: int, at: dt.datetime, user_id: int | None, username: str, cosigner_id: int | None,
    cosigner: str | None, counter_code: str | None, method: str, target: str,
    before: dict[str, Any] | None, after: dict[str, Any] | None, idempotency_key: str | None,
) -> dict[str, Any]:
    return {
        "chain": chain, "seq": seq, "at": at.astimezone(dt.UTC).isoformat(), "user_id": user_id,
        "username": username, "cosigner_id": cosigner_id, "cosigner": cosigner, "counter_code": counter_code,
        "method": method, "target": target, "before": before, "after": after, "idempotency_key": idempotency_key,
    }


def _advance_head(session: Session, chain: str) -> tuple[int, bytes]:
    """Lock the chain's head row and return (next seq, previous hash)."""
    row = session.execute(
        text("UPDATE audit_chain_heads SET seq = seq + 1 WHERE chain = :c RETURNING seq, hash"), {"c": chain}
    ).one_or_none()
    if row is None:
        session.execute(
            text("INSERT INTO audit_chain_heads (chain, seq, hash) VALUES (:c, 0, :h) ON CONFLICT DO NOTHING"),
            {"c": chain, "h": GENESIS},
        )
        row = session.execute(
            text("UPDATE audit_chain_heads SET seq = seq + 1 WHERE chain = :c RETURNING seq, hash"), {"c": chain}
        ).one()
    return int(row[0]), bytes(row[1])


def write_records(ctx: CallContext, entries: Iterable[AuditEntry], *, idempotency_key: str | None) -> None:
    """Append ``entries`` to the chain of the call's counter, in the call's transaction."""
    actor, cosigner = ctx.actor, ctx.cosigner
    counter_code = actor.counter_code if actor else ctx.counter_code
    chain = counter_code or SERVER_CHAIN
    for entry in entries:
        seq, prev = _advance_head(ctx.session, chain)
        fields = _fields(
            chain=chain, seq=seq, at=ctx.now,
            user_id=entry.user_id if entry.user_id is not None else (actor.user_id if actor else None),
            username=entry.username or (actor.username if actor else "-"),
            cosigner_id=cosigner.user_id if cosigner else None,
            cosigner=cosigner.username if cosigner else None,
            counter_code=counter_code, method=ctx.method, target=entry.target,
            before=entry.before, after=entry.after, idempotency_key=idempotency_key,
        )
        digest = record_hash(prev, fields)
        ctx.session.execute(
            insert(AuditRecord).values(
                chain=chain, seq=seq, at=ctx.now, user_id=fields["user_id"], username=fields["username"],
                cosigner_id=fields["cosigner_id"], cosigner=fields["cosigner"], counter_code=counter_code,
                method=ctx.method, target=entry.target, before=entry.before, after=entry.after,
                idempotency_key=idempotency_key, prev_hash=prev, hash=digest,
            )
        )
        ctx.session.execute(
            text("UPDATE audit_chain_heads SET hash = :h WHERE chain = :c"), {"h": digest, "c": chain}
        )


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
                idempotency_key=rec.idempotency_key,
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


def list_records(*, ctx: CallContext, req: ListAuditRequest) -> AuditPage:
    """Newest records first."""
    stmt = select(AuditRecord).order_by(AuditRecord.at.desc(), AuditRecord.id.desc()).limit(req.limit)
    if req.username:
        stmt = stmt.where(AuditRecord.username == req.username)
    rows = [
        AuditRow(
            record_id=r.id, chain=r.chain, seq=r.seq, at=r.at, username=r.username, cosigner=r.cosigner,
            counter_code=r.counter_code, method=r.method, target=r.target,
        )
        for r in ctx.session.scalars(stmt)
    ]
    return AuditPage(records=rows)


def verify_chain(*, ctx: CallContext, req: Empty) -> VerifyAuditResult:
    """Verify every chain (the same check as ``gridcounter-server audit verify``)."""
    report = verify_chains(ctx.session)
    return VerifyAuditResult(
        ok=not report.problems, chains=report.chains, records=report.records, problems=report.problems[:50]
    )
