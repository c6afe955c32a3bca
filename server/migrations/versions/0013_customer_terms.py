"""Customer terms, dated and append-only; an index for the bill run's reading query.

``customer_terms`` holds what pricing is told besides usage (two-part basis and figures, tier cycle start,
household adjustment), one row per customer and date from which it holds; a change is a new row (append-only
trigger). ``ix_readings_meter_period`` serves the bill run's read of the current readings of a chunk of meters
(``meter_id = ANY(...)`` ordered by meter and period; the partial unique index covers originals only).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 18:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customer_terms",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("demand_basis", sa.Enum("capacity", "demand", "contract_demand", name="demandbasis",
                                          native_enum=False, create_constraint=True, length=16), nullable=True),
        sa.Column("capacity_kva", sa.Numeric(16, 2), nullable=True),
        sa.Column("contract_demand_kw", sa.Numeric(16, 2), nullable=True),
        sa.Column("tier_cycle_start", sa.Date(), nullable=True),
        sa.Column("household", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_customer_terms_customer_id_customers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_terms")),
        sa.UniqueConstraint("customer_id", "effective_from", name=op.f("uq_customer_terms_customer_id")),
    )
    op.create_index("ix_customer_terms_customer_from", "customer_terms", ["customer_id", "effective_from"])
    op.execute("CREATE TRIGGER customer_terms_append_only BEFORE UPDATE OR DELETE ON customer_terms"
               " FOR EACH ROW EXECUTE FUNCTION gc_refuse_change()")
    op.execute("CREATE TRIGGER customer_terms_no_truncate BEFORE TRUNCATE ON customer_terms"
               " FOR EACH STATEMENT EXECUTE FUNCTION gc_refuse_change()")
    op.create_index("ix_readings_meter_period", "readings", ["meter_id", "period"])


def downgrade() -> None:
    op.drop_index("ix_readings_meter_period", table_name="readings")
    op.drop_table("customer_terms")
