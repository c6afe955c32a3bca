"""Priced lines ↔ stored rows: draft lines and bill lines from ``PricedLine`` and back, with the description a
stored bill line carries (the Chinese name the 电费通知单 and the ledger screens show)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Final

from shared_models.pricing import LineKind, PricedLine
from shared_models.tariffs import TouPeriod

_KIND_NAMES: Final = {
    LineKind.ENERGY: "电度电费",
    LineKind.FREE_KWH: "免费电量",
    LineKind.BASIC_CAPACITY: "基本电费(容量)",
    LineKind.BASIC_DEMAND: "基本电费(需量)",
    LineKind.BASIC_DEMAND_OVER: "基本电费(超需量)",
    LineKind.POWER_FACTOR: "力调电费",
    LineKind.FUND: "政府性基金及附加",
}
_PERIOD_NAMES: Final = {TouPeriod.SHARP: "尖", TouPeriod.PEAK: "峰", TouPeriod.FLAT: "平", TouPeriod.VALLEY: "谷",
                        TouPeriod.DEEP_VALLEY: "深谷"}


def describe(line: PricedLine) -> str:
    """A bill line's stored description: ``电度电费 第2档 峰``, ``政府性基金及附加 可再生能源电价附加`` …"""
    parts = [_KIND_NAMES[line.kind]]
    if line.tier is not None:
        parts.append(f"第{line.tier}档")
    if line.tou_period is not None:
        parts.append(_PERIOD_NAMES[line.tou_period])
    if line.fund_name:
        parts.append(line.fund_name)
    return " ".join(parts)[:64]


def line_columns(line: PricedLine) -> dict[str, Any]:
    """The columns a draft line or a bill line shares with ``PricedLine`` (no ``fund_name``: bill lines keep it
    in their description)."""
    return {
        "line_no": line.line_no, "kind": line.kind.value, "version_from": line.version_from,
        "days_from": line.days_from, "days_to": line.days_to, "tier": line.tier,
        "tou_period": line.tou_period.value if line.tou_period else None, "fund_code": line.fund_code,
        "quantity": line.quantity, "unit_price": line.unit_price, "amount_fen": line.amount_fen,
    }


def priced_line(row: Any, *, fund_name: str | None, version_from: dt.date, days_from: dt.date,
                days_to: dt.date) -> PricedLine:
    """A stored line (draft or bill) as a ``PricedLine``; the keyword values stand in for NULL columns (lines
    of bills written before bill runs know neither their version nor their days)."""
    kind = LineKind(row.kind) if row.kind in LineKind.__members__.values() else LineKind.ENERGY
    return PricedLine(
        line_no=row.line_no, kind=kind, version_from=row.version_from or version_from,
        days_from=row.days_from or days_from, days_to=row.days_to or days_to, tier=row.tier,
        tou_period=TouPeriod(row.tou_period) if row.tou_period else None, fund_code=row.fund_code,
        fund_name=fund_name, quantity=Decimal(row.quantity), unit_price=Decimal(row.unit_price),
        amount_fen=int(row.amount_fen),
    )
