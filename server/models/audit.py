"""Audit records, hash-chained per counter; and idempotency records."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base
from server.db.types import BigPk, Str64, UtcTime


class AuditRecord(Base):
    """Who did what, where and when, before and after.

    Records form one hash chain per counter (``chain`` = counter code, or ``server`` for calls
    without a counter) so counters never wait on each other; ``seq`` numbers a chain without gaps.
    """

    __tablename__ = "audit_log"
    __table_args__ = (UniqueConstraint("chain", "seq"),)

    id: Mapped[BigPk]
    chain: Mapped[Str64]
    seq: Mapped[int]
    at: Mapped[UtcTime]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[Str64]
    cosigner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cosigner: Mapped[str | None] = mapped_column(String(64))
    counter_code: Mapped[str | None] = mapped_column(String(32))
    method: Mapped[Str64]
    target: Mapped[str] = mapped_column(String(128))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    idempotency_key: Mapped[str | None] = mapped_column(String(36))
    #: The error code of a refused attempt (``server/services/attempts.py``); None for a change. The
    #: refused ones have a partial index of their own, ``ix_audit_log_refused`` (migration 0006).
    refusal: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class AuditChainHead(Base):
    """The last record of each chain: its row lock serializes writers of one chain, and it
    anchors the tail so that deleting the newest records is detected too."""

    __tablename__ = "audit_chain_heads"

    chain: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int]
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class IdempotencyRecord(Base):
    """A mutating call's key, request hash and first result, stored with its effect."""

    __tablename__ = "idempotency_records"

    key: Mapped[str] = mapped_column(UUID(as_uuid=False), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    method: Mapped[Str64]
    request_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    response: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    created_at: Mapped[UtcTime]
