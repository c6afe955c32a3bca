"""The audit log's methods: list the records and verify the chains (the chain itself: ``server.audit_chain``)."""

from __future__ import annotations

from sqlalchemy import select

from server.audit_chain import verify_chains
from server.context import CallContext
from server.models.audit import AuditRecord
from shared_models.errors import ErrorCode, ParamValue
from shared_models.methods.audit import (
    AuditKind,
    AuditPage,
    AuditRow,
    ListAuditRequest,
    VerifyAuditResult,
)
from shared_models.rpc import Empty


def list_records(*, ctx: CallContext, req: ListAuditRequest) -> AuditPage:
    """Newest records first."""
    stmt = select(AuditRecord).order_by(AuditRecord.at.desc(), AuditRecord.id.desc()).limit(req.limit)
    if req.username:
        stmt = stmt.where(AuditRecord.username == req.username)
    if req.kind is AuditKind.REFUSED:
        stmt = stmt.where(AuditRecord.refusal.is_not(None))  # ix_audit_log_refused
    elif req.kind is AuditKind.CHANGES:
        stmt = stmt.where(AuditRecord.refusal.is_(None))
    rows = [
        AuditRow(
            record_id=r.id, chain=r.chain, seq=r.seq, at=r.at, username=r.username, cosigner=r.cosigner,
            counter_code=r.counter_code, method=r.method, target=r.target, refusal=_refusal(r.refusal),
            refusal_params=_refusal_params(r) if r.refusal is not None else {},
        )
        for r in ctx.session.scalars(stmt)
    ]
    return AuditPage(records=rows)


def _refusal(code: str | None) -> ErrorCode | None:
    """The refusal's code; one this server no longer knows is listed as a refusal all the same."""
    if code is None:
        return None
    try:
        return ErrorCode(code)
    except ValueError:
        return ErrorCode.INTERNAL_ERROR


def _refusal_params(record: AuditRecord) -> dict[str, ParamValue]:
    """The refusal's parameters as the attempt record kept them (``after.params``), scalars only."""
    params = (record.after or {}).get("params")
    if not isinstance(params, dict):
        return {}
    return {str(k): v for k, v in params.items() if isinstance(v, str | int) and not isinstance(v, bool)}


def verify_chain(*, ctx: CallContext, req: Empty) -> VerifyAuditResult:
    """Verify every chain (the same check as ``gridcounter-server audit verify``)."""
    report = verify_chains(ctx.session)
    return VerifyAuditResult(
        ok=not report.problems, chains=report.chains, records=report.records, problems=report.problems[:50]
    )
