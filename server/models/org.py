"""Organization tree (center → city → county → hall) and the counters of each hall."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import ForeignKey, LargeBinary
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base
from server.db.types import BigPk, Str32, Str64, UtcNow, enum_col


class OrgKind(StrEnum):
    """Level of an organization unit."""

    CENTER = "center"
    CITY = "city"
    COUNTY = "county"
    HALL = "hall"


class OrgUnit(Base):
    """A node of the organization tree."""

    __tablename__ = "org_units"

    id: Mapped[BigPk]
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    kind: Mapped[OrgKind] = enum_col(OrgKind)
    code: Mapped[Str32] = mapped_column(unique=True)
    name: Mapped[Str64]


class Counter(Base):
    """A counter (柜台) of a hall; a device key, once enrolled, proves a client is that counter."""

    __tablename__ = "counters"

    id: Mapped[BigPk]
    hall_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    code: Mapped[Str32] = mapped_column(unique=True)
    name: Mapped[Str64]
    device_key_hash: Mapped[bytes | None] = mapped_column(LargeBinary)
    enrolled_at: Mapped[dt.datetime | None]
    created_at: Mapped[UtcNow]
