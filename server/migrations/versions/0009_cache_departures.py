"""cache departures: customers who left a hall, for the counters of the hall they left

The counters' caches no longer re-read their hall every day (late fees are computed on the counter from
their inputs, issue 10), so a customer moved to another hall must be announced to the hall it left.
``customer_departures`` has one row per (customer, hall it left): the ``xid`` of the transaction that
moved it, in the same order as ``customer_changes``, so ``customer.get_hall_changes`` pages through both
with one keyset. A customer is never listed as departed from the hall it is in: moving back deletes the
row, so each customer appears at most once in a hall's keyset.

Kept by a statement-level trigger on ``customers`` UPDATE with both transition tables (the hall before
and after). Not a book: rows change in place, and nothing is lost if it is emptied (the old hall's
counters then keep the customer until their next full pass, as before).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 12:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_XID = "CAST(CAST(pg_current_xact_id() AS text) AS bigint)"


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE customer_departures (
            customer_id bigint NOT NULL,
            hall_id bigint NOT NULL,
            xid bigint NOT NULL,
            CONSTRAINT pk_customer_departures PRIMARY KEY (customer_id, hall_id),
            CONSTRAINT fk_customer_departures_customer_id_customers FOREIGN KEY (customer_id)
                REFERENCES customers (id)
        )
        """
    )
    op.execute("CREATE INDEX ix_customer_departures_hall_xid ON customer_departures (hall_id, xid, customer_id)")
    op.execute("COMMENT ON TABLE customer_departures IS "
               "'Customers who left a hall, for that hall''s counter caches: customer.get_hall_changes.'")
    op.execute(
        f"""
        CREATE FUNCTION gc_cache_customers_moved() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            -- back in a hall it once left: no longer departed from it
            DELETE FROM customer_departures d USING new_rows n JOIN old_rows o ON o.id = n.id
            WHERE n.hall_id <> o.hall_id AND d.customer_id = n.id AND d.hall_id = n.hall_id;
            INSERT INTO customer_departures AS cd (customer_id, hall_id, xid)
            SELECT o.id, o.hall_id, {_XID} FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE n.hall_id <> o.hall_id
            ON CONFLICT (customer_id, hall_id) DO UPDATE SET xid = excluded.xid;
            RETURN NULL;
        END $$
        """
    )
    op.execute("CREATE TRIGGER customers_cache_moved AFTER UPDATE ON customers"
               " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
               " FOR EACH STATEMENT EXECUTE FUNCTION gc_cache_customers_moved()")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS customers_cache_moved ON customers")
    op.execute("DROP FUNCTION IF EXISTS gc_cache_customers_moved()")
    op.execute("DROP TABLE IF EXISTS customer_departures")
