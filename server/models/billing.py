"""Bills with lines. Append-only: a correction is a new row (a trigger refuses UPDATE/DELETE)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base
from server.db.types import BigPk, FenCol, KwhCol, PriceCol, Str32, Str64, UtcNow


class Bill(Base):
    """A released bill of one period; its lines add up to ``amount_fen``.

    One bill per customer and period, except corrections (退补): a correction is a new bill of the same period
    that names the bill it replaces (``corrects_bill_id``, at most one correction per bill), whose charge was
    reversed in the ledger.
    """

    __tablename__ = "bills"
    __table_args__ = (
        Index("uq_bills_customer_period_original", "customer_id", "period", unique=True,
              postgresql_where=text("corrects_bill_id IS NULL")),
        CheckConstraint("amount_fen >= 0", name="amount_not_negative"),
        CheckConstraint("(corrects_bill_id IS NULL) = (correction_reason IS NULL)", name="correction_has_reason"),
        # the newest billed period of a tariff version (server.services.tariffs.billed_to), migration 0011
        Index("ix_bills_tariff_version_period", "tariff_version_id", "period"),
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
    #: The bill run that released it (None: written before bill runs, or a correction).
    bill_run_id: Mapped[int | None] = mapped_column(ForeignKey("bill_runs.id"))
    #: A 退补 correction: the bill it replaces, and why.
    corrects_bill_id: Mapped[int | None] = mapped_column(ForeignKey("bills.id"), unique=True)
    correction_reason: Mapped[str | None] = mapped_column(String(200))


class BillLine(Base):
    """One priced line of a bill, rounded on its own (ROUND_HALF_UP to the fen)."""

    __tablename__ = "bill_lines"
    __table_args__ = (UniqueConstraint("bill_id", "line_no"),)

    id: Mapped[BigPk]
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id"))
    line_no: Mapped[int]
    kind: Mapped[Str32]
    description: Mapped[Str64]
    #: Exact: 105 % of a contract demand carries four places (``shared_models.tariffs.Quantity``).
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 6))
    unit_price: Mapped[PriceCol]
    amount_fen: Mapped[FenCol]
    # What priced the line (``shared_models.pricing.PricedLine``); None on lines written before bill runs.
    version_from: Mapped[dt.date | None]
    days_from: Mapped[dt.date | None]
    days_to: Mapped[dt.date | None]
    tier: Mapped[int | None]
    tou_period: Mapped[str | None] = mapped_column(String(16))
    fund_code: Mapped[str | None] = mapped_column(String(32))
    days_charged: Mapped[int | None]
    days_basis: Mapped[int | None]
