"""Card sales: cards, their retirements, card writes with their outcomes, and the return files seen.

Every table is append-only (the trigger of migration 0001). Exactly one pending write per customer is a database
constraint: ``card_writes.follows_write_id`` references ``card_write_outcomes(write_id)`` (a write may only follow a
write that has an outcome) and the unique index ``uq_card_writes_one_pending`` on ``(customer_id,
COALESCE(follows_write_id, 0))`` lets only one write follow each, and only one be the first; so only the newest
write of a customer can lack an outcome; the pending write is the one of ``(customer, purchase count)``. A purchase
reversed before it reached the meter gives its count back (the next sale carries it again), so counts repeat
across reversed writes and no unique key is put on them. See docs/card-sales-server.md.

Revision ID: 0018
Revises: 0017 (the integrator re-chains it)
Create Date: 2026-12-07 02:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_TABLES = ("cards", "card_retirements", "card_writes", "card_write_outcomes", "card_returns")


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=16, create_constraint=True)


def upgrade() -> None:
    op.create_table(
        "cards",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("serial", sa.LargeBinary(), nullable=False),
        sa.Column("key_version", sa.SmallInteger(), nullable=False),
        sa.Column("kind", _enum("issuedkind", "opening", "replacement"), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f("fk_cards_customer_id_customers")),
        sa.ForeignKeyConstraint(["issued_by"], ["users.id"], name=op.f("fk_cards_issued_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cards")),
        sa.UniqueConstraint("serial", name=op.f("uq_cards_serial")),
    )
    op.create_index(op.f("ix_cards_customer_id"), "cards", ["customer_id"])
    op.create_table(
        "card_retirements",
        sa.Column("card_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_by", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("replaced_by", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["card_id"], ["cards.id"], name=op.f("fk_card_retirements_card_id_cards")),
        sa.ForeignKeyConstraint(["retired_by"], ["users.id"], name=op.f("fk_card_retirements_retired_by_users")),
        sa.ForeignKeyConstraint(["replaced_by"], ["cards.id"], name=op.f("fk_card_retirements_replaced_by_cards")),
        sa.PrimaryKeyConstraint("card_id", name=op.f("pk_card_retirements")),
    )
    op.create_table(
        "card_writes",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("card_id", sa.BigInteger(), nullable=False),
        sa.Column("purchase_count", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("payment_id", sa.BigInteger(), nullable=True),
        sa.Column("paid_fen", sa.BigInteger(), nullable=False),
        sa.Column("deducted_fen", sa.BigInteger(), nullable=False),
        sa.Column("write_amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("card_fen", sa.BigInteger(), nullable=False),
        sa.Column("fee_fen", sa.BigInteger(), nullable=False),
        sa.Column("wallet", sa.LargeBinary(), nullable=False),
        sa.Column("parameters", sa.LargeBinary(), nullable=True),
        sa.Column("meter_no", sa.String(12), nullable=False),
        sa.Column("prepared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("prepared_by", sa.BigInteger(), nullable=False),
        sa.Column("counter_id", sa.BigInteger(), nullable=False),
        sa.Column("shift_id", sa.BigInteger(), nullable=True),
        sa.Column("follows_write_id", sa.BigInteger(), nullable=True),
        sa.Column("carries_write_id", sa.BigInteger(), nullable=True),
        sa.CheckConstraint("paid_fen >= 0 AND deducted_fen >= 0 AND write_amount_fen >= 0 AND card_fen >= 0 "
                           "AND fee_fen >= 0", name=op.f("ck_card_writes_amounts_not_negative")),
        sa.CheckConstraint("purchase_count BETWEEN 0 AND 4294967295", name=op.f("ck_card_writes_count_range")),
        sa.CheckConstraint("kind IN ('opening', 'sale', 'replacement', 'cancel')", name=op.f("ck_card_writes_kind")),
        sa.CheckConstraint("length(wallet) = 12", name=op.f("ck_card_writes_wallet_size")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f("fk_card_writes_customer_id_customers")),
        sa.ForeignKeyConstraint(["card_id"], ["cards.id"], name=op.f("fk_card_writes_card_id_cards")),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"], name=op.f("fk_card_writes_payment_id_payments")),
        sa.ForeignKeyConstraint(["prepared_by"], ["users.id"], name=op.f("fk_card_writes_prepared_by_users")),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"], name=op.f("fk_card_writes_counter_id_counters")),
        sa.ForeignKeyConstraint(["shift_id"], ["shifts.id"], name=op.f("fk_card_writes_shift_id_shifts")),
        sa.ForeignKeyConstraint(["carries_write_id"], ["card_writes.id"],
                                name=op.f("fk_card_writes_carries_write_id_card_writes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_writes")),
    )
    op.create_index(op.f("ix_card_writes_card_id"), "card_writes", ["card_id"])
    op.create_index(op.f("ix_card_writes_payment_id"), "card_writes", ["payment_id"])
    op.execute("CREATE UNIQUE INDEX uq_card_writes_one_pending ON card_writes "
               "(customer_id, COALESCE(follows_write_id, 0))")
    op.create_table(
        "card_write_outcomes",
        sa.Column("write_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("outcome", _enum("writeoutcome", "written", "superseded", "reversed"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_user", sa.BigInteger(), nullable=False),
        sa.Column("counter_id", sa.BigInteger(), nullable=True),
        sa.Column("rewrite", sa.Boolean(), nullable=False),
        sa.Column("card_wallet", sa.LargeBinary(), nullable=True),
        sa.Column("reason", sa.String(200), nullable=True),
        sa.ForeignKeyConstraint(["write_id"], ["card_writes.id"], name=op.f("fk_card_write_outcomes_write_id_card_writes")),
        sa.ForeignKeyConstraint(["by_user"], ["users.id"], name=op.f("fk_card_write_outcomes_by_user_users")),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"],
                                name=op.f("fk_card_write_outcomes_counter_id_counters")),
        sa.PrimaryKeyConstraint("write_id", name=op.f("pk_card_write_outcomes")),
    )
    op.create_foreign_key("fk_card_writes_follows_write_id", "card_writes", "card_write_outcomes",
                          ["follows_write_id"], ["write_id"])
    op.create_table(
        "card_returns",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("card_id", sa.BigInteger(), nullable=False),
        sa.Column("meter_no", sa.String(12), nullable=False),
        sa.Column("remaining_fen", sa.BigInteger(), nullable=False),
        sa.Column("purchase_count", sa.BigInteger(), nullable=False),
        sa.Column("overdraft_fen", sa.BigInteger(), nullable=False),
        sa.Column("illegal_inserts", sa.Integer(), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_by", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f("fk_card_returns_customer_id_customers")),
        sa.ForeignKeyConstraint(["card_id"], ["cards.id"], name=op.f("fk_card_returns_card_id_cards")),
        sa.ForeignKeyConstraint(["seen_by"], ["users.id"], name=op.f("fk_card_returns_seen_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_returns")),
        sa.UniqueConstraint("card_id", "written_at", "purchase_count", name=op.f("uq_card_returns_card_id")),
    )
    op.create_index(op.f("ix_card_returns_customer_id"), "card_returns", ["customer_id"])
    for table in _TABLES:
        op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}"
                   " FOR EACH ROW EXECUTE FUNCTION gc_refuse_change()")
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}"
                   " FOR EACH STATEMENT EXECUTE FUNCTION gc_refuse_change()")


def downgrade() -> None:
    op.drop_table("card_returns")
    op.drop_constraint("fk_card_writes_follows_write_id", "card_writes", type_="foreignkey")
    op.drop_table("card_write_outcomes")
    op.drop_table("card_writes")
    op.drop_table("card_retirements")
    op.drop_table("cards")
