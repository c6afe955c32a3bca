"""Customers, their meters, and tariffs with dated versions."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base
from server.db.types import BigPk, PriceCol, Str32, Str64, Str200, UtcNow, enum_col
from shared_models.methods.customers import CustomerCategory, CustomerStatus, PaymentMode
from shared_models.methods.readings import Register
from shared_models.tariffs import VoltageLevel

__all__ = ["Customer", "CustomerCategory", "CustomerStatus", "Meter", "PaymentMode", "Tariff", "TariffVersion"]


class TariffKind(StrEnum):
    """Shape of a tariff version, derived from its document (for listings; the document prices)."""

    FLAT = "flat"
    TIERED = "tiered"
    TOU = "tou"
    TIERED_TOU = "tiered_tou"
    TWO_PART = "two_part"


class Tariff(Base):
    """A tariff (电价) such as 居民生活用电 不满1千伏."""

    __tablename__ = "tariffs"

    id: Mapped[BigPk]
    code: Mapped[Str32] = mapped_column(unique=True)
    name: Mapped[Str64]
    category: Mapped[CustomerCategory] = enum_col(CustomerCategory)
    voltage: Mapped[VoltageLevel] = enum_col(VoltageLevel)
    two_part: Mapped[bool]
    time_of_use: Mapped[bool]


class TariffVersion(Base):
    """The prices of a tariff from ``effective_from`` to ``effective_to`` (None: the open, current version).

    ``doc`` is the version's ``TariffVersionDoc`` as JSON and the source of truth for pricing; the flat
    price and late-fee columns are copies of its energy price and ``late_fee`` for the statements that read
    a bill's late-fee rule in SQL (``server.services.tariffs`` keeps them in step).
    """

    __tablename__ = "tariff_versions"
    __table_args__ = (
        UniqueConstraint("tariff_id", "effective_from"),
        CheckConstraint("price_per_kwh >= 0", name="price_not_negative"),
        CheckConstraint("effective_to IS NULL OR effective_to >= effective_from", name="ends_after_start"),
    )

    id: Mapped[BigPk]
    tariff_id: Mapped[int] = mapped_column(ForeignKey("tariffs.id"))
    effective_from: Mapped[dt.date]
    effective_to: Mapped[dt.date | None]
    doc: Mapped[dict[str, Any]] = mapped_column(JSONB)
    kind: Mapped[TariffKind] = enum_col(TariffKind)
    price_per_kwh: Mapped[PriceCol]
    late_fee_daily_permille: Mapped[PriceCol]
    #: DOMAIN §5: the rate for arrears carried across a year end, how it applies, and the
    #: "below 1 yuan collected as 1 yuan" minimum (0 disables it, as the 2024 rules may have).
    late_fee_cross_year_permille: Mapped[PriceCol]
    late_fee_cross_year_rule: Mapped[str] = mapped_column(String(16), default="split_by_day",
                                                          server_default="split_by_day")
    late_fee_minimum_fen: Mapped[int] = mapped_column(BigInteger, default=100, server_default="100")
    created_at: Mapped[UtcNow]


class Customer(Base):
    """A customer (用户). The ID number is stored encrypted; its mask is stored for display."""

    __tablename__ = "customers"
    __table_args__ = (CheckConstraint("customer_no ~ '^([0-9]{10}|[0-9]{13})$'", name="customer_no_digits"),
                      Index("ix_customers_book_order", "book_code", "book_seq", "id"))  # bill run chunks (0014)

    id: Mapped[BigPk]
    customer_no: Mapped[str] = mapped_column(String(13), unique=True)
    name: Mapped[Str64]
    address: Mapped[Str200]
    phone: Mapped[str] = mapped_column(String(20), index=True)
    id_number_enc: Mapped[bytes] = mapped_column(LargeBinary)
    id_number_masked: Mapped[str] = mapped_column(String(20))
    category: Mapped[CustomerCategory] = enum_col(CustomerCategory)
    status: Mapped[CustomerStatus] = enum_col(CustomerStatus)
    payment_mode: Mapped[PaymentMode] = enum_col(PaymentMode)
    tariff_id: Mapped[int] = mapped_column(ForeignKey("tariffs.id"))
    hall_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    book_code: Mapped[Str32]
    book_seq: Mapped[int]
    created_at: Mapped[UtcNow]


class Meter(Base):
    """An electricity meter; kWh = register difference × multiplier (CT × PT)."""

    __tablename__ = "meters"
    __table_args__ = (
        CheckConstraint("multiplier >= 1", name="multiplier_positive"),
        CheckConstraint("digits between 4 and 10", name="digits_range"),
        CheckConstraint("'total' = ANY (registers)", name="registers_have_total"),
        CheckConstraint(f"registers <@ ARRAY[{', '.join(repr(r.value) for r in Register)}]::text[]",
                        name="registers_known"),
    )

    id: Mapped[BigPk]
    asset_no: Mapped[str] = mapped_column(String(24), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    multiplier: Mapped[int]
    digits: Mapped[int]
    installed_on: Mapped[dt.date]
    removed_on: Mapped[dt.date | None]
    #: The registers it has (``shared_models.methods.readings.Register`` values; DOMAIN §9), always the total.
    registers: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{total}'"))
