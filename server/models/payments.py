"""Shifts, payments with their tenders and allocations, voids and receipt prints (SPEC C3/C4).

All append-only (a trigger refuses UPDATE and DELETE): a shift is closed by adding its ``shift_closings``
row, a payment is voided by adding its ``payment_voids`` row plus reversal ledger entries, and a reprint
is one more ``receipt_prints`` row. So a closed shift cannot change, and nothing is ever rewritten.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base
from server.db.types import BigPk, FenCol, Str32, Str64, UtcTime, enum_col
from shared_models.methods.payments import TenderMethod


class Shift(Base):
    """A cashier's shift on a counter, opened with a float (备用金)."""

    __tablename__ = "shifts"
    __table_args__ = (
        CheckConstraint("float_fen >= 0", name="float_not_negative"),
        Index("ix_shifts_user_counter", "user_id", "counter_id"),
        Index("ix_shifts_hall_date", "hall_id", "business_date"),
    )

    id: Mapped[BigPk]
    shift_no: Mapped[Str32] = mapped_column(unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"))
    hall_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    business_date: Mapped[dt.date]
    opened_at: Mapped[UtcTime]
    float_fen: Mapped[FenCol]
    #: Opened at the counter with the link down (its number minted by the counter), and the counter's clock then.
    opened_offline: Mapped[bool] = mapped_column(default=False, server_default="false")
    local_opened_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ShiftClosing(Base):
    """The close of a shift: one row per shift, so a shift closes once and then never changes."""

    __tablename__ = "shift_closings"
    __table_args__ = (CheckConstraint("counted_cash_fen >= 0", name="counted_not_negative"),)

    id: Mapped[BigPk]
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"), unique=True)
    closed_at: Mapped[UtcTime]
    expected_cash_fen: Mapped[FenCol]
    counted_cash_fen: Mapped[FenCol]
    #: ``{"10000": 3, "50": 2}``: pieces by denomination in fen.
    cash_counts: Mapped[dict[str, int]] = mapped_column(JSONB)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deposit_slip_no: Mapped[Str64]
    note: Mapped[str] = mapped_column(String(200), default="")
    #: Closed at the counter with the link down (replayed from its outbox), and the counter's clock then.
    closed_offline: Mapped[bool] = mapped_column(default=False, server_default="false")
    local_closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Payment(Base):
    """One counter payment (a receipt). ``amount_fen`` is what the customer paid over all tenders."""

    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("change_fen >= 0 AND tendered_fen >= 0", name="cash_not_negative"),
        Index("ix_payments_customer_paid", "customer_id", "paid_at"),
    )

    id: Mapped[BigPk]
    receipt_no: Mapped[str] = mapped_column(String(40), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"))
    paid_at: Mapped[UtcTime]
    local_time: Mapped[dt.datetime | None] = mapped_column()
    amount_fen: Mapped[FenCol]
    due_fen: Mapped[FenCol]
    tendered_fen: Mapped[FenCol]
    change_fen: Mapped[FenCol]
    prepayment_before_fen: Mapped[FenCol]
    prepayment_after_fen: Mapped[FenCol]
    to_prepayment_fen: Mapped[FenCol]
    redirected_to_prepayment_fen: Mapped[FenCol] = mapped_column(default=0)
    accepted_offline: Mapped[bool] = mapped_column(default=False)
    idempotency_key: Mapped[str] = mapped_column(String(36))
    #: The day the late fee was computed to: the counter's day for a payment accepted offline within the
    #: rules of ``shared_models.rules.as_of``, else the booking day (None on rows booked before 0007).
    late_fee_as_of: Mapped[dt.date | None] = mapped_column()
    #: The as-of rule the counter's taken-at time broke (``AsOfRule``), so the booking day was used.
    late_fee_as_of_rule: Mapped[str | None] = mapped_column(String(32))


class PaymentTender(Base):
    """One method's part of a payment."""

    __tablename__ = "payment_tenders"
    __table_args__ = (
        UniqueConstraint("payment_id", "method"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
    )

    id: Mapped[BigPk]
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"))
    method: Mapped[TenderMethod] = enum_col(TenderMethod)
    amount_fen: Mapped[FenCol]
    cash_handed_fen: Mapped[FenCol] = mapped_column(default=0)
    reference: Mapped[str] = mapped_column(String(40), default="")


class PaymentAllocation(Base):
    """The part of a payment that went to one bill: late fee first, then principal."""

    __tablename__ = "payment_allocations"
    __table_args__ = (
        UniqueConstraint("payment_id", "bill_id"),
        CheckConstraint("late_fee_fen >= 0 AND principal_fen >= 0", name="parts_not_negative"),
    )

    id: Mapped[BigPk]
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"))
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id"), index=True)
    late_fee_fen: Mapped[FenCol]
    late_days: Mapped[int]
    principal_fen: Mapped[FenCol]


class PaymentVoid(Base):
    """The void (冲正) of a payment: one per payment, co-signed; its ledger reversals reference it."""

    __tablename__ = "payment_voids"

    id: Mapped[BigPk]
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), unique=True)
    voided_at: Mapped[UtcTime]
    voided_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    cosigned_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(200))


class ReceiptPrint(Base):
    """A reprint (补打) of a receipt: the N-th row of a receipt is 补打 N."""

    __tablename__ = "receipt_prints"
    __table_args__ = (UniqueConstraint("payment_id", "print_no"),)

    id: Mapped[BigPk]
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"))
    print_no: Mapped[int]
    printed_at: Mapped[UtcTime]
    printed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    counter_code: Mapped[Str32]
