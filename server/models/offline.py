"""The counters' offline work as the server keeps it: unsent items signed at a close, refused replays,
their acknowledgements, damaged outboxes and co-signs verified at the counter (SPEC §5).

Tables of migrations 0005 and 0008; all append-only like the rest of the books (a trigger refuses
UPDATE, DELETE and TRUNCATE).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base
from server.db.types import BigPk, FenCol, Str64, UtcTime

_KEY = 36  # an idempotency key as text
_RECEIPT_NO = 40
_CUSTOMER_NO = 13


class ShiftClosingUnsent(Base):
    """A payment the counter had not sent yet when its shift closed, signed by a supervisor."""

    __tablename__ = "shift_closing_unsent"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("cash_fen >= 0 AND cash_fen <= amount_fen", name="cash_part"),
        UniqueConstraint("shift_id", "receipt_no"),
        Index("ix_shift_closing_unsent_receipt_no", "receipt_no"),
    )

    id: Mapped[BigPk]
    shift_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("shifts.id"))
    idempotency_key: Mapped[str] = mapped_column(String(_KEY))
    method: Mapped[Str64]
    receipt_no: Mapped[str] = mapped_column(String(_RECEIPT_NO))
    customer_no: Mapped[str] = mapped_column(String(_CUSTOMER_NO))
    amount_fen: Mapped[FenCol]
    cash_fen: Mapped[FenCol]
    local_time: Mapped[UtcTime]
    signed_by: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"))


class OfflineAttention(Base):
    """An outbox item the server refused on replay after the money was taken, as the counter reported it."""

    __tablename__ = "offline_attention"
    __table_args__ = (
        CheckConstraint("amount_fen >= 0", name="amount_not_negative"),
        Index("ix_offline_attention_hall", "hall_id", "reported_at"),
    )

    id: Mapped[BigPk]
    item_key: Mapped[str] = mapped_column(String(_KEY), unique=True)
    method: Mapped[Str64]
    receipt_no: Mapped[str | None] = mapped_column(String(_RECEIPT_NO))
    customer_no: Mapped[str | None] = mapped_column(String(_CUSTOMER_NO))
    amount_fen: Mapped[FenCol]
    error_code: Mapped[Str64]
    error_params: Mapped[dict[str, Any]] = mapped_column(JSONB)
    taken_by: Mapped[Str64]
    shift_no: Mapped[str | None] = mapped_column(String(40))
    local_time: Mapped[dt.datetime | None]
    offline: Mapped[bool]
    counter_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("counters.id"))
    hall_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("org_units.id"))
    reported_by: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"))
    reported_at: Mapped[UtcTime]


class AttentionAcknowledgement(Base):
    """A supervisor has dealt with an item of the attention list: one row per item, never updated."""

    __tablename__ = "attention_acknowledgements"
    __table_args__ = (
        CheckConstraint("kind IN ('refused', 'redirected', 'late_fee_day', 'attested')", name="kind"),
    )

    id: Mapped[BigPk]
    item_key: Mapped[str] = mapped_column(String(_KEY), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    hall_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("org_units.id"))
    acknowledged_by: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"))
    acknowledged_at: Mapped[UtcTime]
    note: Mapped[str] = mapped_column(String(200))


class DamagedOutboxRecord(Base):
    """A damaged outbox file set aside at a counter, acknowledged with a supervisor's co-sign."""

    __tablename__ = "damaged_outbox_acks"
    __table_args__ = (UniqueConstraint("counter_id", "files_digest"),)

    id: Mapped[BigPk]
    counter_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("counters.id"))
    hall_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("org_units.id"))
    files_digest: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(500))
    found_at: Mapped[UtcTime]
    files: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    reported_by: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"))
    cosigned_by: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"))
    acknowledged_at: Mapped[UtcTime]
    note: Mapped[str] = mapped_column(String(200))


class AttestedCosign(Base):
    """An action replayed from a counter's outbox whose co-sign was verified at the counter, for review."""

    __tablename__ = "attested_cosigns"
    __table_args__ = (Index("ix_attested_cosigns_hall", "hall_id", "recorded_at"),)

    id: Mapped[BigPk]
    item_key: Mapped[str] = mapped_column(String(_KEY), unique=True)
    method: Mapped[Str64]
    target: Mapped[str] = mapped_column(String(80))
    receipt_no: Mapped[str | None] = mapped_column(String(_RECEIPT_NO))
    shift_no: Mapped[str | None] = mapped_column(String(32))
    amount_fen: Mapped[FenCol]
    counter_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("counters.id"))
    hall_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("org_units.id"))
    actor_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"))
    cosigner_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"))
    verified_at: Mapped[UtcTime]
    recorded_at: Mapped[UtcTime]
