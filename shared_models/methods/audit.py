"""The audit trail: read it and verify its hash chains."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from shared_models.ids import UsernameField
from shared_models.roles import Perm
from shared_models.rpc import Empty, Model, Rpc, register


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

    username: UsernameField | None = None
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
    Rpc("audit.list_records", ListAuditRequest, AuditPage, permission=Perm.VIEW_AUDIT, mutating=False,
        summary="The newest audit records.")
)
VERIFY_AUDIT = register(
    Rpc("audit.verify_chain", Empty, VerifyAuditResult, permission=Perm.VIEW_AUDIT, mutating=False,
        summary="Verify every audit hash chain.")
)
