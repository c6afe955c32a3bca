"""readings per register: meters' registers, every register on a reading, corrections, reading books, thresholds

* ``meters.registers``: which registers a meter has (default ``{total}``, always with the total).
* ``readings``: ``value`` becomes ``total`` (NULL for a reading without values: 门闭, 表坏) beside a column per
  register; ``status`` takes the statuses of DOMAIN §9 (实抄 ``actual``, 估抄, 门闭, 表坏, 换表) with its
  source, who entered and co-signed it, the confirmed rollover, the reading it corrects (``supersedes_id``,
  one correction per row) and, for a new meter's start reading, the old meter's final one. The unique
  (meter, period) becomes ``uq_readings_current``: one original per meter, period and kind (a 换表 reading
  beside the regular one); corrections are new rows, so the table stays append-only.
* ``reading_books`` (抄表段): code, hall, reader, reading day (例日) and window; customers keep ``book_code``.
* ``anomaly_thresholds``: per tariff category, the ±% and the zero streak (defaults when a category is missing).

The readings stored before carry ``status = 'normal'``: renamed ``actual`` here, with the append-only trigger
held off for that one statement (a code's spelling, not a correction: no figure of the books changes).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

REGISTERS = ("total", "sharp", "peak", "flat", "valley", "deep_valley", "reactive", "demand", "reverse_active")
STATUSES = ("actual", "estimated", "no_access", "meter_fault", "meter_changed")
SOURCES = ("handheld", "manual", "import")
CATEGORIES = ("residential", "agricultural", "commercial")


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def upgrade() -> None:
    op.add_column("meters", sa.Column("registers", sa.ARRAY(sa.Text()), server_default=sa.text("'{total}'"),
                                      nullable=False))
    op.create_check_constraint(op.f("ck_meters_registers_have_total"), "meters", "'total' = ANY (registers)")
    op.create_check_constraint(op.f("ck_meters_registers_known"), "meters",
                               f"registers <@ ARRAY[{_quoted(REGISTERS)}]::text[]")

    op.alter_column("readings", "value", new_column_name="total", nullable=True)
    for register in REGISTERS[1:]:
        op.add_column("readings", sa.Column(register, sa.Numeric(16, 2), nullable=True))
    op.execute("ALTER TABLE readings DISABLE TRIGGER readings_append_only")
    op.execute("UPDATE readings SET status = 'actual' WHERE status = 'normal'")
    op.execute("ALTER TABLE readings ENABLE TRIGGER readings_append_only")
    op.create_check_constraint(op.f("ck_readings_readingstatus"), "readings", f"status IN ({_quoted(STATUSES)})")
    op.add_column("readings", sa.Column("source", sa.String(16), server_default="import", nullable=False))
    op.create_check_constraint(op.f("ck_readings_readingsource"), "readings", f"source IN ({_quoted(SOURCES)})")
    op.add_column("readings", sa.Column("rollover_confirmed", sa.Boolean(), server_default=sa.text("false"),
                                        nullable=False))
    op.add_column("readings", sa.Column("supersedes_id", sa.BigInteger(), nullable=True))
    op.add_column("readings", sa.Column("old_final_id", sa.BigInteger(), nullable=True))
    op.add_column("readings", sa.Column("entered_by", sa.BigInteger(), nullable=True))
    op.add_column("readings", sa.Column("cosigned_by", sa.BigInteger(), nullable=True))
    op.add_column("readings", sa.Column("reason", sa.String(200), nullable=True))
    for column in ("supersedes_id", "old_final_id"):
        op.create_foreign_key(op.f(f"fk_readings_{column}_readings"), "readings", "readings", [column], ["id"])
    op.create_foreign_key(op.f("fk_readings_entered_by_users"), "readings", "users", ["entered_by"], ["id"])
    op.create_foreign_key(op.f("fk_readings_cosigned_by_users"), "readings", "users", ["cosigned_by"], ["id"])
    op.create_unique_constraint(op.f("uq_readings_supersedes_id"), "readings", ["supersedes_id"])
    op.create_check_constraint(op.f("ck_readings_correction_has_reason"), "readings",
                               "supersedes_id IS NULL OR reason IS NOT NULL")
    op.create_check_constraint(op.f("ck_readings_old_final_on_change"), "readings",
                               "old_final_id IS NULL OR status = 'meter_changed'")
    op.drop_constraint(op.f("uq_readings_meter_id"), "readings", type_="unique")
    op.execute("CREATE UNIQUE INDEX uq_readings_current ON readings (meter_id, period, (status = 'meter_changed'))"
               " WHERE supersedes_id IS NULL")

    op.create_table(
        "reading_books",
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("hall_id", sa.BigInteger(), nullable=False),
        sa.Column("reader_id", sa.BigInteger(), nullable=True),
        sa.Column("reading_day", sa.SmallInteger(), nullable=False),
        sa.Column("window_days", sa.SmallInteger(), server_default=sa.text("3"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("reading_day BETWEEN 1 AND 31", name=op.f("ck_reading_books_reading_day_range")),
        sa.CheckConstraint("window_days BETWEEN 0 AND 15", name=op.f("ck_reading_books_window_days_range")),
        sa.ForeignKeyConstraint(["hall_id"], ["org_units.id"], name=op.f("fk_reading_books_hall_id_org_units")),
        sa.ForeignKeyConstraint(["reader_id"], ["users.id"], name=op.f("fk_reading_books_reader_id_users")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_reading_books")),
    )
    op.create_index(op.f("ix_reading_books_hall_id"), "reading_books", ["hall_id"])
    op.create_table(
        "anomaly_thresholds",
        sa.Column("category", sa.String(24), nullable=False),
        sa.Column("rise_share", sa.Numeric(6, 4), nullable=False),
        sa.Column("drop_share", sa.Numeric(6, 4), nullable=False),
        sa.Column("zero_streak", sa.SmallInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(f"category IN ({_quoted(CATEGORIES)})", name=op.f("ck_anomaly_thresholds_customercategory")),
        sa.CheckConstraint("rise_share > 0 AND drop_share > 0 AND drop_share <= 1",
                           name=op.f("ck_anomaly_thresholds_shares_range")),
        sa.CheckConstraint("zero_streak >= 1", name=op.f("ck_anomaly_thresholds_zero_streak_positive")),
        sa.PrimaryKeyConstraint("category", name=op.f("pk_anomaly_thresholds")),
    )


def downgrade() -> None:
    op.drop_table("anomaly_thresholds")
    op.drop_index(op.f("ix_reading_books_hall_id"), table_name="reading_books")
    op.drop_table("reading_books")
    # Corrections and 换表 pairs cannot be folded back into one row per meter and period: the downgrade needs
    # a table without them (it refuses otherwise, on the unique constraint).
    op.execute("DROP INDEX uq_readings_current")
    op.create_unique_constraint(op.f("uq_readings_meter_id"), "readings", ["meter_id", "period"])
    for name in ("old_final_on_change", "correction_has_reason", "readingsource", "readingstatus"):
        op.drop_constraint(op.f(f"ck_readings_{name}"), "readings", type_="check")
    op.drop_constraint(op.f("uq_readings_supersedes_id"), "readings", type_="unique")
    for name in ("fk_readings_cosigned_by_users", "fk_readings_entered_by_users", "fk_readings_old_final_id_readings",
                 "fk_readings_supersedes_id_readings"):
        op.drop_constraint(op.f(name), "readings", type_="foreignkey")
    for column in ("reason", "cosigned_by", "entered_by", "old_final_id", "supersedes_id", "rollover_confirmed",
                   "source", *REGISTERS[1:]):
        op.drop_column("readings", column)
    op.execute("ALTER TABLE readings DISABLE TRIGGER readings_append_only")
    op.execute("UPDATE readings SET status = 'normal' WHERE status = 'actual'")
    op.execute("ALTER TABLE readings ENABLE TRIGGER readings_append_only")
    op.alter_column("readings", "total", new_column_name="value", nullable=False)
    op.drop_constraint(op.f("ck_meters_registers_known"), "meters", type_="check")
    op.drop_constraint(op.f("ck_meters_registers_have_total"), "meters", type_="check")
    op.drop_column("meters", "registers")
