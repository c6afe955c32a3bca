"""The customer ledger: append-only, signed from the customer's side (a charge is negative)."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base
from server.db.types import BigPk, FenCol, UtcTime, enum_col


class EntryKind(StrEnum):
    """What moved the customer's balance."""

    CHARGE = "charge"
    LATE_FEE = "late_fee"
    PAYMENT = "payment"
    REVERSAL = "reversal"
    ADJUSTMENT = "adjustment"
    #: Money moved between the prepayment (预收, on no bill) and a bill, as a pair summing to zero: 预收转实收
    #: when a released bill takes the prepayment (−x on no bill, +x on the bill), and back to 预收 when a 退补
    #: reverses a bill that was paid (−x on the bill, +x on no bill).
    PREPAYMENT_TRANSFER = "prepayment_transfer"


class LedgerEntry(Base):
    """One movement of a customer's balance. Balance = sum of amounts: < 0 arrears, > 0 prepayment."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        CheckConstraint("amount_fen <> 0", name="amount_not_zero"),
        CheckConstraint("(kind = 'reversal') = (reverses_id IS NOT NULL)", name="reversal_references_original"),
        Index("ix_ledger_entries_customer_posted", "customer_id", "posted_at"),
        Index("ix_ledger_entries_bill", "bill_id"),
        Index("ix_ledger_entries_payment", "payment_id"),
    )

    id: Mapped[BigPk]
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    kind: Mapped[EntryKind] = enum_col(EntryKind)
    amount_fen: Mapped[FenCol]
    bill_id: Mapped[int | None] = mapped_column(ForeignKey("bills.id"))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"), unique=True)
    posted_at: Mapped[UtcTime]
    posted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reference: Mapped[str] = mapped_column(String(64), default="")
    #: The counter payment that made this entry (its reversals carry it too).
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
