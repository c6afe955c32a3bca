"""offline attention: unsent items signed at shift close, items needing attention, acknowledgements,
damaged-outbox acknowledgements (SPEC §5)

* ``shift_closing_unsent`` — the counter's payments not yet confirmed when a shift closed, signed by a
  supervisor: listed on the settlement as unconfirmed until a payment with the receipt number is booked.
  It names the shift (which has one closing), not the closing row: a foreign key to ``shift_closings``
  would make PostgreSQL refuse a TRUNCATE of the closings for the key instead of the append-only trigger.
* ``offline_attention`` — outbox items the server refused on replay after the money was taken, as the
  counter reported them; one row per original item (its idempotency key).
* ``attention_acknowledgements`` — a supervisor has dealt with an item (reported, or an offline payment
  whose money went to prepayment): one row per item, never updated.
* ``damaged_outbox_acks`` — a damaged outbox file set aside at a counter, acknowledged with a supervisor's
  co-sign; one row per counter and set of files.
* ``ix_payments_redirected`` — the few payments whose money was redirected to prepayment, for the list.

All four tables are append-only like the rest of the books.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

APPEND_ONLY = ("shift_closing_unsent", "offline_attention", "attention_acknowledgements", "damaged_outbox_acks")


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False)


def upgrade() -> None:
    op.create_table(
        "shift_closing_unsent",
        _id(),
        sa.Column("shift_id", sa.BigInteger(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=36), nullable=False),
        sa.Column("method", sa.String(length=64), nullable=False),
        sa.Column("receipt_no", sa.String(length=40), nullable=False),
        sa.Column("customer_no", sa.String(length=13), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("cash_fen", sa.BigInteger(), nullable=False),
        sa.Column("local_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signed_by", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("amount_fen > 0", name=op.f("ck_shift_closing_unsent_amount_positive")),
        sa.CheckConstraint("cash_fen >= 0 AND cash_fen <= amount_fen", name=op.f("ck_shift_closing_unsent_cash_part")),
        sa.ForeignKeyConstraint(["shift_id"], ["shifts.id"], name=op.f("fk_shift_closing_unsent_shift_id_shifts")),
        sa.ForeignKeyConstraint(["signed_by"], ["users.id"], name=op.f("fk_shift_closing_unsent_signed_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift_closing_unsent")),
        sa.UniqueConstraint("shift_id", "receipt_no", name=op.f("uq_shift_closing_unsent_shift_id")),
    )
    op.create_index("ix_shift_closing_unsent_receipt_no", "shift_closing_unsent", ["receipt_no"])

    op.create_table(
        "offline_attention",
        _id(),
        sa.Column("item_key", sa.String(length=36), nullable=False),
        sa.Column("method", sa.String(length=64), nullable=False),
        sa.Column("receipt_no", sa.String(length=40), nullable=True),
        sa.Column("customer_no", sa.String(length=13), nullable=True),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("error_code", sa.String(length=64), nullable=False),
        sa.Column("error_params", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("taken_by", sa.String(length=64), nullable=False),
        sa.Column("shift_no", sa.String(length=40), nullable=True),
        sa.Column("local_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("offline", sa.Boolean(), nullable=False),
        sa.Column("counter_id", sa.BigInteger(), nullable=False),
        sa.Column("hall_id", sa.BigInteger(), nullable=False),
        sa.Column("reported_by", sa.BigInteger(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_fen >= 0", name=op.f("ck_offline_attention_amount_not_negative")),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"], name=op.f("fk_offline_attention_counter_id_counters")),
        sa.ForeignKeyConstraint(["hall_id"], ["org_units.id"], name=op.f("fk_offline_attention_hall_id_org_units")),
        sa.ForeignKeyConstraint(["reported_by"], ["users.id"], name=op.f("fk_offline_attention_reported_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offline_attention")),
        sa.UniqueConstraint("item_key", name=op.f("uq_offline_attention_item_key")),
    )
    op.create_index("ix_offline_attention_hall", "offline_attention", ["hall_id", "reported_at"])

    op.create_table(
        "attention_acknowledgements",
        _id(),
        sa.Column("item_key", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("hall_id", sa.BigInteger(), nullable=False),
        sa.Column("acknowledged_by", sa.BigInteger(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.CheckConstraint("kind IN ('refused', 'redirected')", name=op.f("ck_attention_acknowledgements_kind")),
        sa.ForeignKeyConstraint(["hall_id"], ["org_units.id"],
                                name=op.f("fk_attention_acknowledgements_hall_id_org_units")),
        sa.ForeignKeyConstraint(["acknowledged_by"], ["users.id"],
                                name=op.f("fk_attention_acknowledgements_acknowledged_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attention_acknowledgements")),
        sa.UniqueConstraint("item_key", name=op.f("uq_attention_acknowledgements_item_key")),
    )

    op.create_table(
        "damaged_outbox_acks",
        _id(),
        sa.Column("counter_id", sa.BigInteger(), nullable=False),
        sa.Column("hall_id", sa.BigInteger(), nullable=False),
        sa.Column("files_digest", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("files", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("reported_by", sa.BigInteger(), nullable=False),
        sa.Column("cosigned_by", sa.BigInteger(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"],
                                name=op.f("fk_damaged_outbox_acks_counter_id_counters")),
        sa.ForeignKeyConstraint(["hall_id"], ["org_units.id"], name=op.f("fk_damaged_outbox_acks_hall_id_org_units")),
        sa.ForeignKeyConstraint(["reported_by"], ["users.id"], name=op.f("fk_damaged_outbox_acks_reported_by_users")),
        sa.ForeignKeyConstraint(["cosigned_by"], ["users.id"], name=op.f("fk_damaged_outbox_acks_cosigned_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_damaged_outbox_acks")),
        sa.UniqueConstraint("counter_id", "files_digest", name=op.f("uq_damaged_outbox_acks_counter_id")),
    )

    op.create_index("ix_payments_redirected", "payments", ["idempotency_key"],
                    postgresql_where=sa.text("redirected_to_prepayment_fen > 0"))

    for table in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}"
            " FOR EACH ROW EXECUTE FUNCTION gc_refuse_change()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION gc_refuse_change()"
        )


def downgrade() -> None:
    for table in APPEND_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    op.drop_index("ix_payments_redirected", table_name="payments")
    op.drop_table("damaged_outbox_acks")
    op.drop_table("attention_acknowledgements")
    op.drop_index("ix_offline_attention_hall", table_name="offline_attention")
    op.drop_table("offline_attention")
    op.drop_index("ix_shift_closing_unsent_receipt_no", table_name="shift_closing_unsent")
    op.drop_table("shift_closing_unsent")
