"""Customer terms (供电合同条款) per customer, dated and append-only: what the pricing function is told besides usage.

A row holds the terms in force from ``effective_from`` (the basis and figures of a two-part basic charge, the
first day of the tier cycle, the household adjustment 一户多人口/低保); a change of contract is a new row with a
later date, never an update (the table has the append-only trigger). The bill run reads the row in force on the
period's last day (``server.billing.terms``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, Numeric, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base
from server.db.types import BigPk, UtcNow, enum_col
from shared_models.tariffs import DemandBasis

__all__ = ["CustomerTermsRow"]


class CustomerTermsRow(Base):
    """The terms of a customer from ``effective_from`` on (until a later row of the same customer)."""

    __tablename__ = "customer_terms"
    __table_args__ = (
        UniqueConstraint("customer_id", "effective_from"),
        Index("ix_customer_terms_customer_from", "customer_id", "effective_from"),
    )

    id: Mapped[BigPk]
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    effective_from: Mapped[dt.date]
    #: Two-part: what the basic charge is charged on, and its figures (None for a single-part customer).
    demand_basis: Mapped[DemandBasis | None] = enum_col(DemandBasis, length=16, nullable=True)
    capacity_kva: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    contract_demand_kw: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    #: The first day of the customer's tier cycle (None = the calendar year / month).
    tier_cycle_start: Mapped[dt.date | None]
    #: ``shared_models.pricing.HouseholdAdjustment`` as JSON, None without one.
    household: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    recorded_at: Mapped[UtcNow]
