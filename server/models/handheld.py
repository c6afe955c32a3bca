"""Handheld packages (抄表机下装包): what was sent out for a book and period, the book's state, the accepted records.

``handheld_packages`` holds one row per download: the book and period, the reader, the signed package part of the
file (``payload``, what the upload is checked against) and its HMAC key, encrypted at rest with the server's
PII cipher (``PiiCipher``, AES-256-GCM) and never written into the file (the file names the key by ``key_id``).
``handheld_book_states`` is the history of a book's state per period (a new row per change, the newest counts).
``handheld_accepted`` keys an accepted record by (package, record sequence): a retried upload finds it there and
never writes the reading twice. All three are append-only (the trigger of migration 0001).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base
from server.db.types import BigPk, Str32, UtcNow, UtcTime, enum_col
from shared_models.handheld import BookState, DecisionKind


class HandheldPackage(Base):
    """One package downloaded for a book and period by its reader."""

    __tablename__ = "handheld_packages"
    __table_args__ = (Index("ix_handheld_packages_book_period", "book_code", "period"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    book_code: Mapped[Str32] = mapped_column(ForeignKey("reading_books.code"))
    period: Mapped[int]
    reader_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: The key's name in the file (``key_id``); the key itself only in ``key_enc``.
    key_id: Mapped[Str32] = mapped_column(unique=True)
    key_enc: Mapped[bytes] = mapped_column(LargeBinary)
    #: The signed part of the package (the file without readings and ``hmac``), as generated.
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    records: Mapped[int]
    generated_at: Mapped[UtcTime]


class HandheldBookState(Base):
    """A change of a book's state for a period (the newest row is the state)."""

    __tablename__ = "handheld_book_states"
    __table_args__ = (Index("ix_handheld_book_states_book_period", "book_code", "period", "id"),)

    id: Mapped[BigPk]
    book_code: Mapped[Str32] = mapped_column(ForeignKey("reading_books.code"))
    period: Mapped[int]
    state: Mapped[BookState] = enum_col(BookState, length=24)
    package_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("handheld_packages.id"))
    changed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[UtcNow]


class HandheldAccepted(Base):
    """A record of a package decided for good: the reading it wrote (none for nothing written)."""

    __tablename__ = "handheld_accepted"

    package_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("handheld_packages.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)
    decision: Mapped[DecisionKind] = enum_col(DecisionKind, length=24)
    reading_id: Mapped[int | None] = mapped_column(ForeignKey("readings.id"), unique=True)
    note: Mapped[str | None] = mapped_column(String(200))
    accepted_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    accepted_at: Mapped[UtcTime]
