"""Prepaid card sales (issue 14, DOMAIN §7.4): cards, their retirements, card writes and outcomes, return files.

All append-only (migration 0018): a card is retired by a ``card_retirements`` row, a write is confirmed, superseded
or reversed by its one ``card_write_outcomes`` row, a return file read from a card is one ``card_returns`` row.

**Exactly one pending write per customer**, held by the database: a write names the write it follows
(``follows_write_id``), which must have an outcome (a foreign key to ``card_write_outcomes``), and a unique index on
``(customer_id, COALESCE(follows_write_id, 0))`` lets only one write follow each (and only one be the first). So the
customer's writes form a chain in which only the newest can lack an outcome, so the pending write is the one of
``(customer, purchase count)``. A purchase reversed before it reached the meter gives its count back to the next
sale, so counts repeat across reversed writes and carry no unique key.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    SmallInteger,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base
from server.db.types import BigPk, FenCol, Str200, UtcTime, enum_col


class IssuedKind(StrEnum):
    """How a card came to the customer."""

    OPENING = "opening"
    REPLACEMENT = "replacement"


class WriteOutcome(StrEnum):
    """How a card write ended."""

    WRITTEN = "written"  # confirmed on the card
    SUPERSEDED = "superseded"  # replaced by the pending write of a replacement card (the purchase rides on it)
    REVERSED = "reversed"  # the money reversed before the write reached the card


class Card(Base):
    """A card registered to a customer: its serial and key version, how and when it was issued."""

    __tablename__ = "cards"

    id: Mapped[BigPk]
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    serial: Mapped[bytes] = mapped_column(LargeBinary, unique=True)
    key_version: Mapped[int] = mapped_column(SmallInteger)
    kind: Mapped[IssuedKind] = enum_col(IssuedKind, length=16)
    issued_at: Mapped[UtcTime]
    issued_by: Mapped[int] = mapped_column(ForeignKey("users.id"))


class CardRetirement(Base):
    """A card no longer the customer's (replaced): one row at most per card."""

    __tablename__ = "card_retirements"

    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"), primary_key=True, autoincrement=False)
    retired_at: Mapped[UtcTime]
    retired_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[Str200]
    replaced_by: Mapped[int | None] = mapped_column(ForeignKey("cards.id"))


class CardWrite(Base):
    """One write prepared for a card: the purchase (count, amount), its money and the sealed wallet to be written.

    ``paid_fen`` is what the payment took, ``deducted_fen`` what of it went to arrears or the replacement fee,
    ``card_fen`` what of it went onto the card (购电: the write amount of an opening or sale, 0 otherwise),
    ``fee_fen`` the replacement fee (业务费)."""

    __tablename__ = "card_writes"
    __table_args__ = (
        CheckConstraint("paid_fen >= 0 AND deducted_fen >= 0 AND write_amount_fen >= 0 AND card_fen >= 0 "
                        "AND fee_fen >= 0", name="amounts_not_negative"),
        CheckConstraint("purchase_count BETWEEN 0 AND 4294967295", name="count_range"),
        Index("uq_card_writes_one_pending", "customer_id", text("COALESCE(follows_write_id, 0)"), unique=True),
    )

    id: Mapped[BigPk]
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"), index=True)
    purchase_count: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), index=True)
    paid_fen: Mapped[FenCol]
    deducted_fen: Mapped[FenCol]
    write_amount_fen: Mapped[FenCol]
    card_fen: Mapped[FenCol]
    fee_fen: Mapped[FenCol]
    wallet: Mapped[bytes] = mapped_column(LargeBinary)
    parameters: Mapped[bytes | None] = mapped_column(LargeBinary)
    meter_no: Mapped[str] = mapped_column(String(12))
    prepared_at: Mapped[UtcTime]
    prepared_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"))
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shifts.id"))
    #: The customer's previous write; it has an outcome (only the newest write of a customer may be pending).
    follows_write_id: Mapped[int | None] = mapped_column(
        ForeignKey("card_write_outcomes.write_id", use_alter=True, name="fk_card_writes_follows_write_id"))
    #: A replacement's carried purchase, or a cancel's reversed purchase: the write it stands for.
    carries_write_id: Mapped[int | None] = mapped_column(ForeignKey("card_writes.id"))


class CardWriteOutcome(Base):
    """How a write ended: one row per write."""

    __tablename__ = "card_write_outcomes"

    write_id: Mapped[int] = mapped_column(ForeignKey("card_writes.id"), primary_key=True, autoincrement=False)
    outcome: Mapped[WriteOutcome] = enum_col(WriteOutcome, length=16)
    at: Mapped[UtcTime]
    by_user: Mapped[int] = mapped_column(ForeignKey("users.id"))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    #: Confirmed by a 补写卡 (a later attempt than the first).
    rewrite: Mapped[bool] = mapped_column(default=False)
    #: The wallet file as read back from the card (written), or as the card held it (reversed, superseded).
    card_wallet: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: The reversal's void of the payment, when the outcome is ``reversed``.
    reason: Mapped[str | None] = mapped_column(String(200))


class CardReturn(Base):
    """A return file 返写文件 seen on a customer's card: what the meter last reported (deduplicated)."""

    __tablename__ = "card_returns"
    __table_args__ = (UniqueConstraint("card_id", "written_at", "purchase_count"),)

    id: Mapped[BigPk]
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"))
    meter_no: Mapped[str] = mapped_column(String(12))
    remaining_fen: Mapped[FenCol]
    purchase_count: Mapped[int] = mapped_column(BigInteger)
    overdraft_fen: Mapped[FenCol]
    illegal_inserts: Mapped[int]
    written_at: Mapped[UtcTime]
    seen_at: Mapped[UtcTime]
    seen_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
