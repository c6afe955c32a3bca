"""Users and their sessions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base
from server.db.types import BigPk, Str64, UtcNow, enum_col
from shared_models.roles import Role


class User(Base):
    """A person who signs in."""

    __tablename__ = "users"

    id: Mapped[BigPk]
    username: Mapped[Str64] = mapped_column(unique=True)
    display_name: Mapped[Str64]
    role: Mapped[Role] = enum_col(Role)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    failed_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[UtcNow]


class UserSession(Base):
    """A sign-in at one counter. Only the token's SHA-256 is stored."""

    __tablename__ = "user_sessions"

    id: Mapped[BigPk]
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"))
    created_at: Mapped[UtcNow]
    last_seen_at: Mapped[dt.datetime]
    ended_at: Mapped[dt.datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(32))
