"""Helpers for the tests of refused attempts: the audit records of refusals, newest last."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models.audit import AuditRecord


def refused_records(db: Session) -> list[AuditRecord]:
    """Every audit record of a refused attempt, oldest first (read afresh: calls commit elsewhere)."""
    db.expire_all()
    db.rollback()
    return list(db.scalars(select(AuditRecord).where(AuditRecord.refusal.is_not(None)).order_by(AuditRecord.id)))


def refusals(db: Session) -> list[tuple[str, str | None, str, str]]:
    """(user, refusal code, method, target) of each refused attempt, oldest first."""
    return [(r.username, r.refusal, r.method, r.target) for r in refused_records(db)]
