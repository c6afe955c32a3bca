"""The audit trail: read it and verify its hash chains."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from shared_models.errors import ErrorCode, ParamValue
from shared_models.ids import UsernameField
from shared_models.roles import Perm
from shared_models.rpc import Empty, Model, Query, register


class AuditKind(StrEnum):
    """Which records a listing shows: all, the changes, or the refused attempts at sensitive actions."""

    ALL = "all"
    CHANGES = "changes"
    REFUSED = "refused"


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
    #: A refused attempt: the error code it was answered with, and that answer's parameters; None for a change.
    refusal: ErrorCode | None = None
    refusal_params: dict[str, ParamValue] = Field(default_factory=dict)


class ListAuditRequest(Model):
    """The newest records, optionally of one user and of one kind."""

    username: UsernameField | None = None
    kind: AuditKind = AuditKind.ALL
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
