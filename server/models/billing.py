"""Bills with lines. Append-only: a correction is a new row (a trigger refuses UPDATE/DELETE)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base
from server.db.types import BigPk, FenCol, KwhCol, PriceCol, Str32, Str64, UtcNow


class Bill(Base):
    """A released bill of one period; its lines add up to ``amount_fen``."""

    __tablename__ = "bills"
    __table_args__ = (
        UniqueConstraint("customer_id", "period"),
        CheckConstraint("amount_fen >= 0", name="amount_not_negative"),
    )

    id: Mapped[BigPk]
    bill_no: Mapped[Str32] = mapped_column(unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    period: Mapped[int]
    kwh: Mapped[KwhCol]
    amount_fen: Mapped[FenCol]
    issued_on: Mapped[dt.date]
    due_on: Mapped[dt.date]
    tariff_version_id: Mapped[int] = mapped_column(ForeignKey("tariff_versions.id"))
    created_at: Mapped[UtcNow]


class BillLine(Base):
    """One priced line of a bill, rounded on its own (ROUND_HALF_UP to the fen)."""

    __tablename__ = "bill_lines"
    __table_args__ = (UniqueConstraint("bill_id", "line_no"),)

    id: Mapped[BigPk]
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id"))
    line_no: Mapped[int]
    kind: Mapped[Str32]
    description: Mapped[Str64]
    quantity: Mapped[KwhCol]
    unit_price: Mapped[PriceCol]
    amount_fen: Mapped[FenCol]
