"""What the counters' offline caches are fed from: per customer the transaction that last changed what a
counter shows, and the halls a customer left (migrations 0004 and 0009).

Kept by statement-level triggers, so every writer is covered without knowing about them; not books (rows
change in place and can be rebuilt from ``customers``). Read by ``customer.get_hall_changes``.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base


class CustomerChange(Base):
    """A customer's hall and the id (``pg_current_xact_id()``) of the last transaction that changed it."""

    __tablename__ = "customer_changes"
    __table_args__ = (Index("ix_customer_changes_hall_xid", "hall_id", "xid", "customer_id"),)

    customer_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("customers.id"), primary_key=True)
    hall_id: Mapped[int] = mapped_column(BigInteger)
    xid: Mapped[int] = mapped_column(BigInteger)


class CustomerDeparture(Base):
    """A customer who left a hall, and the transaction that moved them (for that hall's caches)."""

    __tablename__ = "customer_departures"
    __table_args__ = (Index("ix_customer_departures_hall_xid", "hall_id", "xid", "customer_id"),)

    customer_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("customers.id"), primary_key=True)
    hall_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    xid: Mapped[int] = mapped_column(BigInteger)
