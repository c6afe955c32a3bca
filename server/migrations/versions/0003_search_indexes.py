"""customer search indexes: trigrams, bigrams, prefixes, phone tails

Why each index exists (docs/search.md has the whole story):

* ``ix_customers_{name,address}_trgm`` — pg_trgm GIN for fragments of three characters and more
  (``name LIKE '%张三丰%'``). Needs a UTF-8 ctype: under C, ``show_trgm('张三丰')`` is empty.
* ``gc_bigrams(text)`` and ``ix_customers_{name,address}_bigrams`` — a trigram index cannot serve a
  two-character fragment such as 张伟 (the commonest name search): it has no trigram to look up and
  scans the whole index. A GIN index on the array of the text's two-character substrings, queried
  with ``gc_bigrams(x) @> '{张伟}'``, answers it exactly; ANALYZE keeps per-bigram frequencies of the
  index expression, so the planner knows 江省 is in every address and 灯塔 in few.
* ``ix_customers_{name,address}_prefix`` — ``x COLLATE "C", customer_no``: exact and prefix
  matches come first in the ranking and are read in rank order straight from this index.
* ``gc_phone_key(text)`` and ``ix_customers_phone_key`` — the phone's digits reversed, so that a
  phone's trailing digits (``…86666``) are a prefix range of the index.
* Meter numbers (``meters.asset_no``) and bill barcodes (``bills.bill_no``) have unique indexes already.

GIN indexes are built with ``fastupdate = off``: customers are added a few at a time, and a pending
list would make every search scan it. Names and addresses get a statistics target of 1000, so that
the planner's estimate of how many rows hold a longer fragment is good to a thousandth.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 09:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

#: (index, table, definition) created by this revision.
INDEXES = (
    ("ix_customers_name_trgm", "customers", "USING gin (name gin_trgm_ops) WITH (fastupdate = off)"),
    ("ix_customers_address_trgm", "customers", "USING gin (address gin_trgm_ops) WITH (fastupdate = off)"),
    ("ix_customers_name_bigrams", "customers", "USING gin (gc_bigrams(name)) WITH (fastupdate = off)"),
    ("ix_customers_address_bigrams", "customers", "USING gin (gc_bigrams(address)) WITH (fastupdate = off)"),
    ("ix_customers_name_prefix", "customers", '(name COLLATE "C", customer_no)'),
    ("ix_customers_address_prefix", "customers", '(address COLLATE "C", customer_no)'),
    ("ix_customers_phone_key", "customers", '(gc_phone_key(phone) COLLATE "C", customer_no)'),
)
#: Columns whose statistics the search plans depend on.
STATISTICS = ("name", "address")


def upgrade() -> None:
    # SQL-standard bodies (RETURN …) are parsed once, at creation: no search_path surprises when an
    # index is rebuilt, and the planner can inline them.
    # The pairs at odd positions, then at even positions, each followed by U+0001 (a lone last
    # character leaves an empty piece, removed); one expression of C-coded builtins, so PostgreSQL
    # inlines it: ~10 µs a row, a third of ARRAY(SELECT substr(…) FROM generate_series(…)). U+0001
    # never occurs in a search key (search_keys.normalize drops control characters), so a text that
    # holds one cannot lose a pair anybody could look for. Repeats stay: GIN and ANALYZE ignore them.
    op.execute(
        r"""
        CREATE FUNCTION gc_bigrams(t text) RETURNS text[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        RETURN array_remove(string_to_array(regexp_replace(t, '(..)|.', E'\\1\x01', 'g')
                                            || regexp_replace(substr(t, 2), '(..)|.', E'\\1\x01', 'g'),
                                            E'\x01'), '')
        """
    )
    op.execute("COMMENT ON FUNCTION gc_bigrams(text) IS "
               "'The two-character substrings: a GIN index on them serves two-character fragments.'")
    op.execute(
        """
        CREATE FUNCTION gc_phone_key(phone text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        RETURN reverse(regexp_replace(phone, '[^0-9]', '', 'g'))
        """
    )
    op.execute("COMMENT ON FUNCTION gc_phone_key(text) IS "
               "'The digits of a phone, reversed: trailing digits become an index prefix.'")
    for column in STATISTICS:
        op.execute(f"ALTER TABLE customers ALTER COLUMN {column} SET STATISTICS 1000")
    for name, table, definition in INDEXES:
        op.execute(f"CREATE INDEX {name} ON {table} {definition}")
    op.execute("ANALYZE customers")


def downgrade() -> None:
    for name, _, _ in reversed(INDEXES):
        op.execute(f"DROP INDEX IF EXISTS {name}")
    for column in STATISTICS:
        op.execute(f"ALTER TABLE customers ALTER COLUMN {column} SET STATISTICS -1")
    op.execute("DROP FUNCTION IF EXISTS gc_phone_key(text)")
    op.execute("DROP FUNCTION IF EXISTS gc_bigrams(text)")
