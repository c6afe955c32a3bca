"""audit refusals: a refused attempt at a sensitive action is an audit record too

* ``audit_log.refusal`` — the error code a refused attempt was answered with; NULL for a change. The
  record stays in its counter's hash chain (the code is hashed with the rest when it is set, so the
  records written before this column existed verify as they did).
* ``ix_audit_log_refused`` — the few refused attempts, newest first, for the audit screen's filter.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a nullable column without a default: no table rewrite, and the append-only triggers (UPDATE,
    # DELETE, TRUNCATE) are not involved
    op.add_column("audit_log", sa.Column("refusal", sa.String(length=64), nullable=True))
    op.create_index("ix_audit_log_refused", "audit_log", [sa.text("at DESC"), sa.text("id DESC")],
                    postgresql_where=sa.text("refusal IS NOT NULL"))


def downgrade() -> None:
    op.drop_index("ix_audit_log_refused", table_name="audit_log")
    op.drop_column("audit_log", "refusal")
