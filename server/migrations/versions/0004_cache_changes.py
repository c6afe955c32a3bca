"""cache changes: per customer, the transaction that last changed its cached figures

``customer_changes`` has one row per customer: its hall and ``xid``, the id (``pg_current_xact_id()``,
64-bit, never wraps) of the last transaction that changed anything a counter's offline cache shows
about it. Statement-level triggers keep it, so every writer is covered without knowing about it
(payments, voids, bill runs, corrections, customer and meter edits, bulk loads with COPY):

* ``ledger_entries`` INSERT: payments, reversals, released bills (their CHARGE), late fees, adjustments;
* ``customers`` INSERT and UPDATE: a new customer, name/address/phone/status/category/hall edits;
* ``meters`` INSERT and UPDATE: a meter installed, removed or renumbered.

``customer.get_hall_changes`` reads it by ``(hall_id, xid, customer_id)`` (keyset paging), only below
the oldest transaction still running, so a change that commits later can never fall behind a cursor
already handed out (docs/offline-cache.md).

The row is created with the customer and only updated afterwards (the triggers on the books do not
look customers up: a bulk load drops the customers' keys while it runs). Not a book: rows change in
place, and nothing is lost if it is rebuilt from ``customers``.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 08:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_XID = "CAST(CAST(pg_current_xact_id() AS text) AS bigint)"

#: (trigger, table, event, function)
TRIGGERS = (
    ("customers_cache_insert", "customers", "INSERT", "gc_cache_customers_changed"),
    ("customers_cache_update", "customers", "UPDATE", "gc_cache_customers_changed"),
    ("ledger_entries_cache_insert", "ledger_entries", "INSERT", "gc_cache_customer_ids_changed"),
    ("meters_cache_insert", "meters", "INSERT", "gc_cache_customer_ids_changed"),
    ("meters_cache_update", "meters", "UPDATE", "gc_cache_customer_ids_changed"),
)


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE customer_changes (
            customer_id bigint NOT NULL,
            hall_id bigint NOT NULL,
            xid bigint NOT NULL,
            CONSTRAINT pk_customer_changes PRIMARY KEY (customer_id),
            CONSTRAINT fk_customer_changes_customer_id_customers FOREIGN KEY (customer_id) REFERENCES customers (id)
        )
        """
    )
    op.execute("CREATE INDEX ix_customer_changes_hall_xid ON customer_changes (hall_id, xid, customer_id)")
    op.execute("COMMENT ON TABLE customer_changes IS "
               "'Per customer, the transaction that last changed what a counter caches: customer.get_hall_changes.'")
    # New rows carry their hall; an edit may move a customer to another hall. The WHERE keeps a
    # statement that touches a customer twice in one transaction from rewriting its row again.
    op.execute(
        f"""
        CREATE FUNCTION gc_cache_customers_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO customer_changes AS cc (customer_id, hall_id, xid)
            SELECT n.id, n.hall_id, {_XID} FROM new_rows n
            ON CONFLICT (customer_id) DO UPDATE SET hall_id = excluded.hall_id, xid = excluded.xid
            WHERE (cc.hall_id, cc.xid) IS DISTINCT FROM (excluded.hall_id, excluded.xid);
            RETURN NULL;
        END $$
        """
    )
    # Rows of other tables name the customer: move its stamp (its row exists since the customer does).
    op.execute(
        f"""
        CREATE FUNCTION gc_cache_customer_ids_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE customer_changes cc SET xid = {_XID}
            WHERE cc.customer_id IN (SELECT n.customer_id FROM new_rows n) AND cc.xid <> {_XID};
            RETURN NULL;
        END $$
        """
    )
    for name, table, event, function in TRIGGERS:
        op.execute(f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING NEW TABLE AS new_rows"
                   f" FOR EACH STATEMENT EXECUTE FUNCTION {function}()")
    op.execute(f"INSERT INTO customer_changes (customer_id, hall_id, xid) SELECT id, hall_id, {_XID} FROM customers")
    op.execute("ANALYZE customer_changes")


def downgrade() -> None:
    for name, table, _, _ in reversed(TRIGGERS):
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    op.execute("DROP FUNCTION IF EXISTS gc_cache_customer_ids_changed()")
    op.execute("DROP FUNCTION IF EXISTS gc_cache_customers_changed()")
    op.execute("DROP TABLE IF EXISTS customer_changes")
