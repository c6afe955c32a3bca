"""tariff documents: a tariff version holds its prices as data (issue 12 item 1)

* ``tariffs.voltage``, ``tariffs.two_part``, ``tariffs.time_of_use`` — the header of a tariff code
  (``shared_models.tariffs.TariffHeader``); the existing flat tariffs are below 1 kV, single-part, not TOU.
* ``tariff_versions.doc`` — the version's ``TariffVersionDoc`` as JSON, the source of truth for pricing;
  existing rows get a flat document from their price and late-fee columns.
* ``tariff_versions.effective_to`` — the version's last day (NULL while it is the open, current one); filled
  for existing rows as the day before the tariff's next version.
* ``tariff_versions.kind`` takes the shapes of a document (tiered, tou, tiered_tou, two_part).
* ``ix_bills_tariff_version_period`` — the newest billed period of each version in one index probe: a new
  version must start after the last day a released bill of its tariff priced (``tariff.add_version``,
  ``tariff.get_tariff``), which would otherwise read every bill.

``price_per_kwh`` and the late-fee columns stay, filled from the document (energy price and ``late_fee``):
the counter's open-bills statement reads the late-fee rule of a bill's version through them.

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-06 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_KINDS = "'flat', 'tiered', 'tou', 'tiered_tou', 'two_part'"


def upgrade() -> None:
    op.add_column("tariffs", sa.Column("voltage", sa.String(length=24), nullable=False, server_default="lt1kv"))
    op.add_column("tariffs", sa.Column("two_part", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("tariffs", sa.Column("time_of_use", sa.Boolean(), nullable=False, server_default=sa.false()))
    for column in ("voltage", "two_part", "time_of_use"):
        op.alter_column("tariffs", column, server_default=None)
    op.create_check_constraint(op.f("ck_tariffs_voltagelevel"), "tariffs",
                               "voltage IN ('lt1kv', '1_10kv', '35kv', '110kv', '220kv')")

    op.add_column("tariff_versions", sa.Column("effective_to", sa.Date(), nullable=True))
    op.add_column("tariff_versions", sa.Column("doc", postgresql.JSONB(), nullable=True))
    op.execute(
        """
        UPDATE tariff_versions tv SET effective_to = n.next_from - 1
        FROM (SELECT id, lead(effective_from) OVER (PARTITION BY tariff_id ORDER BY effective_from) AS next_from
              FROM tariff_versions) n
        WHERE n.id = tv.id AND n.next_from IS NOT NULL
        """
    )
    op.execute(
        """
        UPDATE tariff_versions SET doc = jsonb_build_object(
            'effective_from', to_char(effective_from, 'YYYY-MM-DD'),
            'effective_to', to_char(effective_to, 'YYYY-MM-DD'),
            'energy_price', trim_scale(price_per_kwh)::text,
            'funds', '[]'::jsonb,
            'late_fee', jsonb_build_object(
                'daily_permille_current', trim_scale(late_fee_daily_permille)::text,
                'daily_permille_cross_year', trim_scale(late_fee_cross_year_permille)::text,
                'cross_year', late_fee_cross_year_rule,
                'minimum_fen', late_fee_minimum_fen),
            'note', '')
        """
    )
    op.alter_column("tariff_versions", "doc", nullable=False)
    op.create_check_constraint(op.f("ck_tariff_versions_ends_after_start"), "tariff_versions",
                               "effective_to IS NULL OR effective_to >= effective_from")
    op.drop_constraint(op.f("ck_tariff_versions_tariffkind"), "tariff_versions", type_="check")
    op.create_check_constraint(op.f("ck_tariff_versions_tariffkind"), "tariff_versions", f"kind IN ({_KINDS})")
    op.create_index("ix_bills_tariff_version_period", "bills", ["tariff_version_id", "period"])
    op.execute("COMMENT ON COLUMN tariff_versions.doc IS "
               "'The version''s TariffVersionDoc (shared_models.tariffs): the source of truth for pricing.'")


def downgrade() -> None:
    op.drop_index("ix_bills_tariff_version_period", table_name="bills")
    op.drop_constraint(op.f("ck_tariff_versions_tariffkind"), "tariff_versions", type_="check")
    op.execute("UPDATE tariff_versions SET kind = 'flat'")
    op.create_check_constraint(op.f("ck_tariff_versions_tariffkind"), "tariff_versions", "kind IN ('flat')")
    op.drop_constraint(op.f("ck_tariff_versions_ends_after_start"), "tariff_versions", type_="check")
    op.drop_column("tariff_versions", "doc")
    op.drop_column("tariff_versions", "effective_to")
    op.drop_constraint(op.f("ck_tariffs_voltagelevel"), "tariffs", type_="check")
    op.drop_column("tariffs", "time_of_use")
    op.drop_column("tariffs", "two_part")
    op.drop_column("tariffs", "voltage")
