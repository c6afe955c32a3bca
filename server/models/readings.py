"""Readings per register, reading books (抄表段) and the anomaly thresholds per tariff category (DOMAIN §9).

``readings`` is a book (append-only, a trigger refuses UPDATE and DELETE): a correction is a new row whose
``supersedes_id`` names the row it replaces; the current reading of a meter and period is the one no row
supersedes. ``uq_readings_current`` allows one original reading per meter, period and kind (a 换表 reading —
the old meter's final or the new meter's start — beside the period's regular reading) and
``uq_readings_supersedes_id`` one correction per row, so each period has one current reading of each kind.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, SmallInteger, String, text
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base
from server.db.types import BigPk, Str32, Str64, UtcNow, enum_col
from shared_models.methods.customers import CustomerCategory
from shared_models.methods.readings import ReadingSource, ReadingStatus, Register

#: The register columns of ``readings``, in ``Register`` order (each column is named after its register).
REGISTER_COLUMNS = tuple(r.value for r in Register)


class Reading(Base):
    """A reading of every register of a meter for a period (``YYYYMM``), as read on ``read_on``."""

    __tablename__ = "readings"
    __table_args__ = (
        Index("uq_readings_current", "meter_id", "period", text("(status = 'meter_changed')"), unique=True,
              postgresql_where=text("supersedes_id IS NULL")),
        Index("ix_readings_meter_period", "meter_id", "period"),  # the bill run's read of a chunk (migration 0013)
        CheckConstraint("supersedes_id IS NULL OR reason IS NOT NULL", name="correction_has_reason"),
        CheckConstraint("old_final_id IS NULL OR status = 'meter_changed'", name="old_final_on_change"),
    )

    id: Mapped[BigPk]
    meter_id: Mapped[int] = mapped_column(ForeignKey("meters.id"))
    period: Mapped[int]
    read_on: Mapped[dt.date]
    status: Mapped[ReadingStatus] = enum_col(ReadingStatus, length=16)
    source: Mapped[ReadingSource] = enum_col(ReadingSource, length=16, server_default=ReadingSource.IMPORT.value)
    total: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    sharp: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    peak: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    flat: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    valley: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    deep_valley: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    reactive: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    demand: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    reverse_active: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    # Register values as read (the display, to 0.01): NULL for a register the meter lacks, and for all of them
    # in a reading without values (门闭, 表坏).
    #: The reader saw a register pass 10^digits (a value below the previous one is refused without it).
    rollover_confirmed: Mapped[bool] = mapped_column(server_default=text("false"))
    #: The reading this one corrects (the same meter and period).
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("readings.id"), unique=True)
    #: A new meter's start reading (换表): the old meter's final reading.
    old_final_id: Mapped[int | None] = mapped_column(ForeignKey("readings.id"))
    #: Who typed it in and the supervisor who co-signed (NULL for handheld and file imports).
    entered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cosigned_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Why a correction was made.
    reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[UtcNow]

    def values(self) -> dict[Register, Decimal]:
        """The register values read (those not NULL)."""
        out = {r: getattr(self, r.value) for r in Register}
        return {r: v for r, v in out.items() if v is not None}


class ReadingBook(Base):
    """A reading book (抄表段): a route of customers (``customers.book_code``, ordered by ``book_seq``) read by
    one reader on a fixed reading day (例日), a reading within ``window_days`` of it being on time."""

    __tablename__ = "reading_books"
    __table_args__ = (
        CheckConstraint("reading_day BETWEEN 1 AND 31", name="reading_day_range"),
        CheckConstraint("window_days BETWEEN 0 AND 15", name="window_days_range"),
    )

    code: Mapped[Str32] = mapped_column(primary_key=True)
    name: Mapped[Str64]
    hall_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    reader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reading_day: Mapped[int] = mapped_column(SmallInteger)
    window_days: Mapped[int] = mapped_column(SmallInteger, server_default=text("3"))
    created_at: Mapped[UtcNow]


class AnomalyThreshold(Base):
    """The anomaly thresholds of a tariff category (configuration, not a book; a missing category takes the
    defaults of ``shared_models.rules.reading_anomalies.Thresholds``)."""

    __tablename__ = "anomaly_thresholds"
    __table_args__ = (
        CheckConstraint("rise_share > 0 AND drop_share > 0 AND drop_share <= 1", name="shares_range"),
        CheckConstraint("zero_streak >= 1", name="zero_streak_positive"),
    )

    category: Mapped[CustomerCategory] = enum_col(CustomerCategory, primary_key=True)
    rise_share: Mapped[Decimal] = mapped_column(Numeric(6, 4))
    drop_share: Mapped[Decimal] = mapped_column(Numeric(6, 4))
    zero_streak: Mapped[int] = mapped_column(SmallInteger)
    updated_at: Mapped[UtcNow]
