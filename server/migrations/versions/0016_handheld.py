"""Handheld packages: the packages sent out per book and period, the book's state history, the accepted records.

``handheld_packages.key_enc`` is the package's HMAC key encrypted with the PII cipher (never in the file);
``handheld_accepted`` is keyed by (package, record sequence) so that a retried upload never writes a reading
twice. The three tables are append-only (``gc_refuse_change`` of migration 0001).

Revision ID: 0016
Revises: 0014 (the integrator re-chains it after 0015)
Create Date: 2026-12-06 21:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_TABLES = ("handheld_packages", "handheld_book_states", "handheld_accepted")


def upgrade() -> None:
    op.create_table(
        "handheld_packages",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("book_code", sa.String(32), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("reader_id", sa.BigInteger(), nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("key_enc", sa.LargeBinary(), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["book_code"], ["reading_books.code"],
                                name=op.f("fk_handheld_packages_book_code_reading_books")),
        sa.ForeignKeyConstraint(["reader_id"], ["users.id"], name=op.f("fk_handheld_packages_reader_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handheld_packages")),
        sa.UniqueConstraint("key_id", name=op.f("uq_handheld_packages_key_id")),
    )
    op.create_index("ix_handheld_packages_book_period", "handheld_packages", ["book_code", "period"])
    op.create_table(
        "handheld_book_states",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("book_code", sa.String(32), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("state", sa.Enum("not_sent", "on_handheld", "returned", "partly_accepted", "accepted",
                                   name="bookstate", native_enum=False, length=24, create_constraint=True),
                  nullable=False),
        sa.Column("package_id", sa.Uuid(), nullable=True),
        sa.Column("changed_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["book_code"], ["reading_books.code"],
                                name=op.f("fk_handheld_book_states_book_code_reading_books")),
        sa.ForeignKeyConstraint(["package_id"], ["handheld_packages.id"],
                                name=op.f("fk_handheld_book_states_package_id_handheld_packages")),
        sa.ForeignKeyConstraint(["changed_by"], ["users.id"], name=op.f("fk_handheld_book_states_changed_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handheld_book_states")),
    )
    op.create_index("ix_handheld_book_states_book_period", "handheld_book_states", ["book_code", "period", "id"])
    op.create_table(
        "handheld_accepted",
        sa.Column("package_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("decision", sa.Enum("accept", "accept_with_note", "estimate", "reread", name="decisionkind",
                                      native_enum=False, length=24, create_constraint=True), nullable=False),
        sa.Column("reading_id", sa.BigInteger(), nullable=True),
        sa.Column("note", sa.String(200), nullable=True),
        sa.Column("accepted_by", sa.BigInteger(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["package_id"], ["handheld_packages.id"],
                                name=op.f("fk_handheld_accepted_package_id_handheld_packages")),
        sa.ForeignKeyConstraint(["reading_id"], ["readings.id"], name=op.f("fk_handheld_accepted_reading_id_readings")),
        sa.ForeignKeyConstraint(["accepted_by"], ["users.id"], name=op.f("fk_handheld_accepted_accepted_by_users")),
        sa.PrimaryKeyConstraint("package_id", "seq", name=op.f("pk_handheld_accepted")),
        sa.UniqueConstraint("reading_id", name=op.f("uq_handheld_accepted_reading_id")),
    )
    for table in _TABLES:
        op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}"
                   " FOR EACH ROW EXECUTE FUNCTION gc_refuse_change()")
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}"
                   " FOR EACH STATEMENT EXECUTE FUNCTION gc_refuse_change()")


def downgrade() -> None:
    op.drop_table("handheld_accepted")
    op.drop_index("ix_handheld_book_states_book_period", table_name="handheld_book_states")
    op.drop_table("handheld_book_states")
    op.drop_index("ix_handheld_packages_book_period", table_name="handheld_packages")
    op.drop_table("handheld_packages")
