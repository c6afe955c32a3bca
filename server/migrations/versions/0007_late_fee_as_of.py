"""late fee as of the day the customer paid (至交纳日止, issue 10 §4)

* ``payments.late_fee_as_of`` — the day the late fee was computed to: the counter's day for a payment
  accepted offline within the rules of ``shared_models.rules.as_of``, else the booking day. Rows booked
  before this revision keep NULL: their day is the booking day (``paid_at``).
* ``payments.late_fee_as_of_rule`` — the rule the counter's taken-at time broke (the booking day was
  used); such payments are on the supervisor's attention list with both dates
  (``ix_payments_as_of_rule``), and ``attention_acknowledgements.kind`` takes ``late_fee_day``.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("payments", sa.Column("late_fee_as_of", sa.Date(), nullable=True))
    op.add_column("payments", sa.Column("late_fee_as_of_rule", sa.String(length=32), nullable=True))
    op.create_index("ix_payments_as_of_rule", "payments", ["idempotency_key"],
                    postgresql_where=sa.text("late_fee_as_of_rule IS NOT NULL"))
    op.drop_constraint(op.f("ck_attention_acknowledgements_kind"), "attention_acknowledgements", type_="check")
    op.create_check_constraint(op.f("ck_attention_acknowledgements_kind"), "attention_acknowledgements",
                               "kind IN ('refused', 'redirected', 'late_fee_day')")


def downgrade() -> None:
    op.drop_constraint(op.f("ck_attention_acknowledgements_kind"), "attention_acknowledgements", type_="check")
    op.create_check_constraint(op.f("ck_attention_acknowledgements_kind"), "attention_acknowledgements",
                               "kind IN ('refused', 'redirected')")
    op.drop_index("ix_payments_as_of_rule", table_name="payments")
    op.drop_column("payments", "late_fee_as_of_rule")
    op.drop_column("payments", "late_fee_as_of")
