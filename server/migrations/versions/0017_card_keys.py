"""Card keys: the key service's master-key versions (encrypted at rest) and their retirements.

``card_key_versions`` holds one row per key version: its algorithm (``sm4`` or ``aes128``, chosen when the version
is made and never changed) and its four master keys encrypted under the card key-encryption key
(``server.cards.keys``: AES-256-GCM bound to the version and algorithm); never a key in clear.
``card_key_retirements`` dates the retirement of a version, one row at most per version (its primary key): a
rotation adds the new version and a retirement row for the old one. Both tables are append-only (the trigger of
migration 0001): a retirement is a dated row and not a ``retired_at`` column set later, so that no row of the key
store is ever updated and the one append-only trigger guards it, with no column-wise exception to maintain.

Revision ID: 0017
Revises: 0016 (the integrator re-chains it)
Create Date: 2026-12-07 00:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_TABLES = ("card_key_versions", "card_key_retirements")


def upgrade() -> None:
    op.create_table(
        "card_key_versions",
        sa.Column("version", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("algorithm", sa.Enum("sm4", "aes128", name="cardkeyalgorithm", native_enum=False, length=8,
                                       create_constraint=True), nullable=False),
        sa.Column("masters_enc", sa.LargeBinary(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("version BETWEEN 1 AND 255", name=op.f("ck_card_key_versions_version_range")),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_card_key_versions")),
    )
    op.create_table(
        "card_key_retirements",
        sa.Column("version", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("superseded_by", sa.SmallInteger(), nullable=False),
        sa.Column("retired_by", sa.String(64), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("superseded_by > version", name=op.f("ck_card_key_retirements_newer")),
        sa.ForeignKeyConstraint(["version"], ["card_key_versions.version"],
                                name=op.f("fk_card_key_retirements_version_card_key_versions")),
        sa.ForeignKeyConstraint(["superseded_by"], ["card_key_versions.version"],
                                name=op.f("fk_card_key_retirements_superseded_by_card_key_versions")),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_card_key_retirements")),
    )
    for table in _TABLES:
        op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}"
                   " FOR EACH ROW EXECUTE FUNCTION gc_refuse_change()")
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}"
                   " FOR EACH STATEMENT EXECUTE FUNCTION gc_refuse_change()")


def downgrade() -> None:
    op.drop_table("card_key_retirements")
    op.drop_table("card_key_versions")
