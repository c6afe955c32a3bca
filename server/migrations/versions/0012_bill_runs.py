"""bill runs: runs per reading book and period, draft bills with lines, pricing attributes on bill lines

``bill_runs`` (one per book and period, with progress and totals), ``bill_drafts`` and ``bill_draft_lines``
(the working area a run writes and the clerk reviews; replaced on recalculation, so not append-only). The
released books gain what priced them: ``bills.bill_run_id``, a 退补 correction's ``corrects_bill_id`` and
reason (one bill per customer and period now holds for original bills only), and on ``bill_lines`` the
version, day split, tier, TOU period, fund and part of a monthly charge of each line (and an exact
quantity), all nullable so the rows written before stay
valid. The ledger gets the ``prepayment_transfer`` kind (预收转实收 and back).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012"
down_revision = "0011"  # chained after the merged wt-tariffs (the integrator orders 0010 → 0011 → 0012)
branch_labels = None
depends_on = None

_LINE_COLUMNS = (("version_from", sa.Date()), ("days_from", sa.Date()), ("days_to", sa.Date()),
                 ("tier", sa.Integer()), ("tou_period", sa.String(length=16)), ("fund_code", sa.String(length=32)),
                 ("days_charged", sa.Integer()), ("days_basis", sa.Integer()))
_KINDS_BEFORE = ("charge", "late_fee", "payment", "reversal", "adjustment")
_KINDS_AFTER = (*_KINDS_BEFORE, "prepayment_transfer")


def _kind_check(kinds: tuple[str, ...]) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def upgrade() -> None:
    op.create_table(
        "bill_runs",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("book_code", sa.String(length=32), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("state", sa.Enum("calculating", "calculated", "released", name="runstate", native_enum=False,
                                   create_constraint=True, length=16), nullable=False),
        sa.Column("customers_total", sa.Integer(), nullable=False),
        sa.Column("customers_done", sa.Integer(), nullable=False),
        sa.Column("passes", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("calculated_by", sa.BigInteger(), nullable=True),
        sa.Column("calculated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_by", sa.BigInteger(), nullable=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("bills_released", sa.Integer(), server_default="0", nullable=False),
        sa.Column("released_fen", sa.BigInteger(), server_default="0", nullable=False),
        sa.CheckConstraint("customers_done between 0 and customers_total", name=op.f("ck_bill_runs_progress_in_range")),
        sa.CheckConstraint("period % 100 between 1 and 12", name=op.f("ck_bill_runs_period_month")),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_bill_runs_created_by_users")),
        sa.ForeignKeyConstraint(["calculated_by"], ["users.id"], name=op.f("fk_bill_runs_calculated_by_users")),
        sa.ForeignKeyConstraint(["released_by"], ["users.id"], name=op.f("fk_bill_runs_released_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bill_runs")),
        sa.UniqueConstraint("book_code", "period", name=op.f("uq_bill_runs_book_code")),
    )
    op.add_column("bills", sa.Column("bill_run_id", sa.BigInteger(), nullable=True))
    op.add_column("bills", sa.Column("corrects_bill_id", sa.BigInteger(), nullable=True))
    op.add_column("bills", sa.Column("correction_reason", sa.String(length=200), nullable=True))
    op.create_foreign_key(op.f("fk_bills_bill_run_id_bill_runs"), "bills", "bill_runs", ["bill_run_id"], ["id"])
    op.create_foreign_key(op.f("fk_bills_corrects_bill_id_bills"), "bills", "bills", ["corrects_bill_id"], ["id"])
    op.create_unique_constraint(op.f("uq_bills_corrects_bill_id"), "bills", ["corrects_bill_id"])
    op.create_check_constraint(op.f("ck_bills_correction_has_reason"), "bills",
                               "(corrects_bill_id IS NULL) = (correction_reason IS NULL)")
    op.drop_constraint(op.f("uq_bills_customer_id"), "bills", type_="unique")
    op.create_index("uq_bills_customer_period_original", "bills", ["customer_id", "period"], unique=True,
                    postgresql_where=sa.text("corrects_bill_id IS NULL"))
    for name, type_ in _LINE_COLUMNS:
        op.add_column("bill_lines", sa.Column(name, type_, nullable=True))
    # A priced line's quantity is exact (105 % of a contract demand carries four places): widen it.
    op.alter_column("bill_lines", "quantity", type_=sa.Numeric(18, 6), existing_type=sa.Numeric(16, 2),
                    existing_nullable=False)
    op.create_table(
        "bill_drafts",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("tariff_version_id", sa.BigInteger(), nullable=True),
        sa.Column("period_from", sa.Date(), nullable=True),
        sa.Column("period_to", sa.Date(), nullable=True),
        sa.Column("total_kwh", sa.Numeric(16, 2), nullable=False),
        sa.Column("total_fen", sa.BigInteger(), nullable=False),
        sa.Column("usage", postgresql.JSONB(), nullable=True),
        sa.Column("anomalies", postgresql.JSONB(), nullable=False),
        sa.Column("versions", postgresql.JSONB(), nullable=False),
        sa.Column("inputs_hash", sa.String(length=64), nullable=False),
        sa.Column("priced", sa.Boolean(), nullable=False),
        sa.Column("held", sa.Boolean(), nullable=False),
        sa.Column("hold_reason", sa.String(length=200), nullable=True),
        sa.Column("held_by", sa.BigInteger(), nullable=True),
        sa.Column("calculated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("bill_id", sa.BigInteger(), nullable=True),
        sa.CheckConstraint("held = (hold_reason IS NOT NULL)", name=op.f("ck_bill_drafts_held_has_reason")),
        sa.CheckConstraint("total_fen >= 0", name=op.f("ck_bill_drafts_total_not_negative")),
        sa.ForeignKeyConstraint(["run_id"], ["bill_runs.id"], name=op.f("fk_bill_drafts_run_id_bill_runs")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f("fk_bill_drafts_customer_id_customers")),
        sa.ForeignKeyConstraint(["tariff_version_id"], ["tariff_versions.id"],
                                name=op.f("fk_bill_drafts_tariff_version_id_tariff_versions")),
        sa.ForeignKeyConstraint(["held_by"], ["users.id"], name=op.f("fk_bill_drafts_held_by_users")),
        sa.ForeignKeyConstraint(["bill_id"], ["bills.id"], name=op.f("fk_bill_drafts_bill_id_bills")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bill_drafts")),
        sa.UniqueConstraint("run_id", "customer_id", name=op.f("uq_bill_drafts_run_id")),
        sa.UniqueConstraint("bill_id", name=op.f("uq_bill_drafts_bill_id")),
    )
    op.create_index("ix_bill_drafts_run_held", "bill_drafts", ["run_id", "held"])
    op.create_table(
        "bill_draft_lines",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("draft_id", sa.BigInteger(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("version_from", sa.Date(), nullable=False),
        sa.Column("days_from", sa.Date(), nullable=False),
        sa.Column("days_to", sa.Date(), nullable=False),
        sa.Column("tier", sa.Integer(), nullable=True),
        sa.Column("tou_period", sa.String(length=16), nullable=True),
        sa.Column("fund_code", sa.String(length=32), nullable=True),
        sa.Column("fund_name", sa.String(length=64), nullable=True),
        sa.Column("quantity", sa.Numeric(18, 6), nullable=False),
        sa.Column("unit_price", sa.Numeric(14, 6), nullable=False),
        sa.Column("days_charged", sa.Integer(), nullable=True),
        sa.Column("days_basis", sa.Integer(), nullable=True),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["draft_id"], ["bill_drafts.id"], name=op.f("fk_bill_draft_lines_draft_id_bill_drafts"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bill_draft_lines")),
        sa.UniqueConstraint("draft_id", "line_no", name=op.f("uq_bill_draft_lines_draft_id")),
    )
    op.drop_constraint(op.f("ck_ledger_entries_entrykind"), "ledger_entries", type_="check")
    op.create_check_constraint(op.f("ck_ledger_entries_entrykind"), "ledger_entries", _kind_check(_KINDS_AFTER))


def downgrade() -> None:
    op.drop_constraint(op.f("ck_ledger_entries_entrykind"), "ledger_entries", type_="check")
    op.create_check_constraint(op.f("ck_ledger_entries_entrykind"), "ledger_entries", _kind_check(_KINDS_BEFORE))
    op.drop_table("bill_draft_lines")
    op.drop_index("ix_bill_drafts_run_held", table_name="bill_drafts")
    op.drop_table("bill_drafts")
    op.alter_column("bill_lines", "quantity", type_=sa.Numeric(16, 2), existing_type=sa.Numeric(18, 6),
                    existing_nullable=False)
    for name, _type in reversed(_LINE_COLUMNS):
        op.drop_column("bill_lines", name)
    op.drop_index("uq_bills_customer_period_original", table_name="bills")
    op.create_unique_constraint(op.f("uq_bills_customer_id"), "bills", ["customer_id", "period"])
    op.drop_constraint(op.f("ck_bills_correction_has_reason"), "bills", type_="check")
    op.drop_constraint(op.f("uq_bills_corrects_bill_id"), "bills", type_="unique")
    op.drop_constraint(op.f("fk_bills_corrects_bill_id_bills"), "bills", type_="foreignkey")
    op.drop_constraint(op.f("fk_bills_bill_run_id_bill_runs"), "bills", type_="foreignkey")
    for name in ("correction_reason", "corrects_bill_id", "bill_run_id"):
        op.drop_column("bills", name)
    op.drop_table("bill_runs")
