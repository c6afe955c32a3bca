"""Bill runs (抄表段 × period) and their draft bills: the billing clerk's working area before release.

Drafts are not books: a recalculation may replace a draft (and its lines) while the run is unreleased, and a
held draft may be recalculated after a corrected reading. A draft's ``inputs_hash`` fingerprints what priced it
(usage, terms, tariff versions), so a recalculation over unchanged inputs leaves the row as it is. Release turns
drafts into ``bills``/``bill_lines`` and ledger entries, which are append-only; ``bill_id`` then marks the draft.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base
from server.db.types import BigPk, FenCol, KwhCol, PriceCol, Str32, UtcNow, UtcTime, enum_col
from shared_models.methods.billruns import RunState

__all__ = ["BillDraft", "BillDraftLine", "BillRun", "RunState"]


class BillRun(Base):
    """One bill run of a reading book and a period (yyyymm); progress and totals for the clerk's screen."""

    __tablename__ = "bill_runs"
    __table_args__ = (
        UniqueConstraint("book_code", "period"),
        CheckConstraint("customers_done between 0 and customers_total", name="progress_in_range"),
        CheckConstraint("period % 100 between 1 and 12", name="period_month"),
    )

    id: Mapped[BigPk]
    book_code: Mapped[Str32]
    period: Mapped[int]
    state: Mapped[RunState] = enum_col(RunState, length=16)
    #: Customers of the book when the current pass started, and how many of them the pass has priced.
    customers_total: Mapped[int]
    customers_done: Mapped[int]
    #: How many passes were started (1 = first calculation; each recalculation of the run adds one).
    passes: Mapped[int]
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[UtcNow]
    calculated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    calculated_at: Mapped[dt.datetime | None]
    released_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    released_at: Mapped[dt.datetime | None]
    bills_released: Mapped[int] = mapped_column(default=0, server_default="0")
    released_fen: Mapped[FenCol] = mapped_column(default=0, server_default="0")
    #: The last customer (book order: ``book_seq``, id) the current pass has priced; None at a pass's start.
    cursor_seq: Mapped[int | None]
    cursor_customer_id: Mapped[int | None] = mapped_column(BigInteger)
    #: Totals of the run's drafts kept by their writers (``server.billing.run_totals``): how many, held, with
    #: anomalies, their kWh and fen — what a fresh count over ``bill_drafts`` gives, read from this row.
    drafts_count: Mapped[int] = mapped_column(default=0, server_default="0")
    drafts_held: Mapped[int] = mapped_column(default=0, server_default="0")
    drafts_with_anomalies: Mapped[int] = mapped_column(default=0, server_default="0")
    drafts_kwh: Mapped[KwhCol] = mapped_column(default=Decimal(0), server_default="0")
    drafts_fen: Mapped[FenCol] = mapped_column(default=0, server_default="0")


class BillDraft(Base):
    """One customer's draft bill in a run: usage, total, hold flag, anomalies, versions, inputs hash."""

    __tablename__ = "bill_drafts"
    __table_args__ = (
        UniqueConstraint("run_id", "customer_id"),
        CheckConstraint("held = (hold_reason IS NOT NULL)", name="held_has_reason"),
        CheckConstraint("total_fen >= 0", name="total_not_negative"),
        Index("ix_bill_drafts_run_held", "run_id", "held"),
    )

    id: Mapped[BigPk]
    run_id: Mapped[int] = mapped_column(ForeignKey("bill_runs.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    #: The version the released bill names (its late-fee rule): the one in force on the period's last day.
    tariff_version_id: Mapped[int | None] = mapped_column(ForeignKey("tariff_versions.id"))
    period_from: Mapped[dt.date | None]
    period_to: Mapped[dt.date | None]
    total_kwh: Mapped[KwhCol]
    total_fen: Mapped[FenCol]
    #: ``shared_models.pricing.Usage`` as JSON (None: no usable reading).
    usage: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    #: ``[{"code": ..., "params": {...}}]``, see ``shared_models.methods.billruns.DraftAnomaly``.
    anomalies: Mapped[list[Any]] = mapped_column(JSONB)
    #: The effective dates of the versions that priced the draft.
    versions: Mapped[list[Any]] = mapped_column(JSONB)
    inputs_hash: Mapped[str] = mapped_column(String(64))
    priced: Mapped[bool] = mapped_column(Boolean)
    held: Mapped[bool] = mapped_column(Boolean)
    hold_reason: Mapped[str | None] = mapped_column(String(200))
    held_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    calculated_at: Mapped[UtcTime]
    #: The bill this draft became at release (None while a draft).
    bill_id: Mapped[int | None] = mapped_column(ForeignKey("bills.id"), unique=True)


class BillDraftLine(Base):
    """One priced line of a draft, as ``shared_models.pricing.PricedLine``."""

    __tablename__ = "bill_draft_lines"
    __table_args__ = (UniqueConstraint("draft_id", "line_no"),)

    id: Mapped[BigPk]
    draft_id: Mapped[int] = mapped_column(ForeignKey("bill_drafts.id", ondelete="CASCADE"))
    line_no: Mapped[int]
    kind: Mapped[Str32]
    version_from: Mapped[dt.date]
    days_from: Mapped[dt.date]
    days_to: Mapped[dt.date]
    tier: Mapped[int | None]
    tou_period: Mapped[str | None] = mapped_column(String(16))
    fund_code: Mapped[str | None] = mapped_column(String(32))
    fund_name: Mapped[str | None] = mapped_column(String(64))
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 6))
    unit_price: Mapped[PriceCol]
    days_charged: Mapped[int | None]
    days_basis: Mapped[int | None]
    amount_fen: Mapped[int] = mapped_column(BigInteger)
