"""The audit trail: read it and verify its hash chains."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from shared_models.roles import Perm
from shared_models.rpc import Empty, Model, Query, register


class AuditRow(Model):
    """One audit record."""

    record_id: int
    chain: str
    seq: int
    at: datetime
    username: str
    cosigner: str | None
    counter_code: str | None
    method: str
    target: str


class ListAuditRequest(Model):
    """The newest records, optionally of one user."""

    username: str | None = None
    limit: Annotated[int, Field(ge=1, le=500)] = 100


class AuditPage(Model):
    """Newest first."""

    records: list[AuditRow]


class VerifyAuditResult(Model):
    """Whether every chain verifies; the first broken record of each broken chain."""

    ok: bool
    chains: int
    records: int
    problems: list[str]


LIST_AUDIT = register(
    Query("audit.list_records", ListAuditRequest, AuditPage, permission=Perm.VIEW_AUDIT,
          summary="The newest audit records.")
)
VERIFY_AUDIT = register(
    Query("audit.verify_chain", Empty, VerifyAuditResult, permission=Perm.VIEW_AUDIT,
          summary="Verify every audit hash chain.")
)
