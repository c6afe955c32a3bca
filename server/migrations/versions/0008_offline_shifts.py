"""offline shifts and co-signs verified at the counter (SPEC §5)

* ``shifts.opened_offline``, ``shifts.local_opened_at`` — a shift opened at the counter with the link down:
  its number was minted by the counter, and the counter's clock when the cashier opened it is kept beside
  the server's booking time (``opened_at``).
* ``shift_closings.closed_offline``, ``shift_closings.local_closed_at`` — the same for the close.
* ``attested_cosigns`` — an action of a counter's outbox co-signed by a supervisor whose cached verifier was
  checked at the counter (never a password on the wire): who acted, who co-signed, the counter's time of the
  co-sign, what it was for; listed on the supervisor's attention list until acknowledged. One row per action
  (its idempotency key). Append-only like the rest of the books; acknowledged like the other items of the
  list (``attention_acknowledgements.kind`` 'attested').

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("shifts", sa.Column("opened_offline", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("shifts", sa.Column("local_opened_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("shift_closings",
                  sa.Column("closed_offline", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("shift_closings", sa.Column("local_closed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "attested_cosigns",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("item_key", sa.String(length=36), nullable=False),
        sa.Column("method", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=80), nullable=False),
        sa.Column("receipt_no", sa.String(length=40), nullable=True),
        sa.Column("shift_no", sa.String(length=32), nullable=True),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("counter_id", sa.BigInteger(), nullable=False),
        sa.Column("hall_id", sa.BigInteger(), nullable=False),
        sa.Column("actor_id", sa.BigInteger(), nullable=False),
        sa.Column("cosigner_id", sa.BigInteger(), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"], name=op.f("fk_attested_cosigns_counter_id_counters")),
        sa.ForeignKeyConstraint(["hall_id"], ["org_units.id"], name=op.f("fk_attested_cosigns_hall_id_org_units")),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_attested_cosigns_actor_id_users")),
        sa.ForeignKeyConstraint(["cosigner_id"], ["users.id"], name=op.f("fk_attested_cosigns_cosigner_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attested_cosigns")),
        sa.UniqueConstraint("item_key", name=op.f("uq_attested_cosigns_item_key")),
    )
    op.create_index("ix_attested_cosigns_hall", "attested_cosigns", ["hall_id", "recorded_at"])
    # an attested co-sign is acknowledged like the other items of the attention list
    op.drop_constraint(op.f("ck_attention_acknowledgements_kind"), "attention_acknowledgements", type_="check")
    op.create_check_constraint(op.f("ck_attention_acknowledgements_kind"), "attention_acknowledgements",
                               "kind IN ('refused', 'redirected', 'late_fee_day', 'attested')")
    op.execute("CREATE TRIGGER attested_cosigns_append_only BEFORE UPDATE OR DELETE ON attested_cosigns"
               " FOR EACH ROW EXECUTE FUNCTION gc_refuse_change()")
    op.execute("CREATE TRIGGER attested_cosigns_no_truncate BEFORE TRUNCATE ON attested_cosigns"
               " FOR EACH STATEMENT EXECUTE FUNCTION gc_refuse_change()")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS attested_cosigns_append_only ON attested_cosigns")
    op.execute("DROP TRIGGER IF EXISTS attested_cosigns_no_truncate ON attested_cosigns")
    op.drop_table("attested_cosigns")
    op.drop_constraint(op.f("ck_attention_acknowledgements_kind"), "attention_acknowledgements", type_="check")
    op.create_check_constraint(op.f("ck_attention_acknowledgements_kind"), "attention_acknowledgements",
                               "kind IN ('refused', 'redirected', 'late_fee_day')")
    op.drop_column("shift_closings", "local_closed_at")
    op.drop_column("shift_closings", "closed_offline")
    op.drop_column("shifts", "local_opened_at")
    op.drop_column("shifts", "opened_offline")
