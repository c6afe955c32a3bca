"""The demo's flat tariffs: catalogue prices as Decimal from strings, late-fee terms from ``LateFeeRule``.

Zhejiang catalogue prices; the late-fee terms of ``shared_models.rules.late_fees``; one version in force
for every demo period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from server.models.customers import CustomerCategory, Tariff, TariffKind, TariffVersion
from shared_models.money import parse_price
from shared_models.rules.late_fees import LateFeeRule

# (code, name, category, price yuan/kWh, late-fee terms): DOMAIN §1.2 prices; §5.1 late fees (residential
# 1 ‰ a day; others 2 ‰, 3 ‰ across a year end, with the 1-yuan minimum).
_TARIFFS = (
    ("ZJ-RES-1KV", "居民生活用电 一户一表 不满1千伏", CustomerCategory.RESIDENTIAL, "0.538", LateFeeRule.residential()),
    ("ZJ-COM-1KV", "一般工商业 不满1千伏", CustomerCategory.COMMERCIAL, "0.6894", LateFeeRule.non_residential()),
    ("ZJ-AGR-1KV", "农业生产用电 不满1千伏", CustomerCategory.AGRICULTURAL, "0.4853", LateFeeRule.non_residential()),
)
_TARIFF_FROM = dt.date(2025, 1, 1)


@dataclass(frozen=True)
class TariffRef:
    """A demo tariff as the bills need it: its ids and its price per kWh."""

    tariff_id: int
    version_id: int
    price: Decimal


def load_tariffs(session: Session, *, first_period_start: dt.date) -> dict[CustomerCategory, TariffRef]:
    """The three flat tariffs, each with one version in force for every demo period."""
    refs: dict[CustomerCategory, TariffRef] = {}
    for code, name, category, price, late_fee in _TARIFFS:
        tariff = Tariff(code=code, name=name, category=category)
        session.add(tariff)
        session.flush()
        version = TariffVersion(tariff_id=tariff.id, effective_from=min(_TARIFF_FROM, first_period_start),
                                kind=TariffKind.FLAT, price_per_kwh=parse_price(price),
                                late_fee_daily_permille=late_fee.daily_permille_current,
                                late_fee_cross_year_permille=late_fee.daily_permille_cross_year,
                                late_fee_cross_year_rule=late_fee.cross_year.value,
                                late_fee_minimum_fen=late_fee.minimum_fen)
        session.add(version)
        session.flush()
        refs[category] = TariffRef(tariff.id, version.id, parse_price(price))
    return refs
