"""Bill run keyset cursor: where a calculation pass stands in the book, and the index that reads the next chunk.

``bill_runs.cursor_seq`` / ``cursor_customer_id`` name the last customer (book order ``book_seq, id``) the current
pass has priced (NULL at the start of a pass); ``calculate_run`` reads the next chunk after it
(``(book_seq, id) > (cursor)``) instead of skipping ``customers_done`` rows with OFFSET, which over a book of a
million customers read the book again for every chunk. ``ix_customers_book_order`` serves that read, and the
count of a book's customers.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("bill_runs", sa.Column("cursor_seq", sa.Integer(), nullable=True))
    op.add_column("bill_runs", sa.Column("cursor_customer_id", sa.BigInteger(), nullable=True))
    op.create_index("ix_customers_book_order", "customers", ["book_code", "book_seq", "id"])


def downgrade() -> None:
    op.drop_index("ix_customers_book_order", table_name="customers")
    op.drop_column("bill_runs", "cursor_customer_id")
    op.drop_column("bill_runs", "cursor_seq")
