"""The card key service's tables: key versions (masters encrypted at rest) and their dated retirements.

Both are append-only (migration 0017): a rotation adds a version and a retirement row for the old one; nothing is
updated. ``masters_enc`` is the four master keys of the version encrypted under the card key-encryption key
(:mod:`server.cards.keys`), never the keys in clear.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, SmallInteger
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base
from server.db.types import Str64, UtcNow, enum_col
from shared_models.cards.crypto import Suite


class CardKeyAlgorithm(StrEnum):
    """The block cipher of a key version, as stored."""

    SM4 = "sm4"
    AES128 = "aes128"

    @property
    def suite(self) -> Suite:
        """The card scheme's name of this cipher."""
        return Suite.SM4 if self is CardKeyAlgorithm.SM4 else Suite.AES128

    @classmethod
    def of(cls, suite: Suite) -> CardKeyAlgorithm:
        """The stored name of ``suite``."""
        return cls.SM4 if suite is Suite.SM4 else cls.AES128


class CardKeyVersion(Base):
    """One key version: its algorithm and its master keys, encrypted."""

    __tablename__ = "card_key_versions"
    __table_args__ = (CheckConstraint("version BETWEEN 1 AND 255", name="version_range"),)

    version: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    algorithm: Mapped[CardKeyAlgorithm] = enum_col(CardKeyAlgorithm, length=8)
    masters_enc: Mapped[bytes] = mapped_column(LargeBinary)
    created_by: Mapped[Str64]
    created_at: Mapped[UtcNow]


class CardKeyRetirement(Base):
    """The retirement of a key version by a newer one (at most one per version)."""

    __tablename__ = "card_key_retirements"
    __table_args__ = (CheckConstraint("superseded_by > version", name="newer"),)

    version: Mapped[int] = mapped_column(SmallInteger, ForeignKey("card_key_versions.version"), primary_key=True,
                                         autoincrement=False)
    superseded_by: Mapped[int] = mapped_column(SmallInteger, ForeignKey("card_key_versions.version"))
    retired_by: Mapped[Str64]
    retired_at: Mapped[UtcNow]
