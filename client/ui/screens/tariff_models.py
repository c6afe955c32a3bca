"""The tables of the tariff and bill-calculator screens: tariff codes, versions, a version's document as
readable rows (prices, tiers, TOU periods, funds) and priced bill lines; value codes as translated words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar, Final

from PySide6.QtCore import QCoreApplication

from client.ui.messages import customer_value
from client.ui.models.rows_model import Column, RowsModel
from shared_models.methods.tariffs import TariffSummary
from shared_models.money import format_fen
from shared_models.pricing import LineKind, PricedLine
from shared_models.tariffs import TariffVersionDoc

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # PySide6's stub says it returns object
        ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

# The translation context of the value words below.
VALUES: Final = "TariffValues"

_WORDS: Final[dict[str, str]] = {
    # voltage levels
    "lt1kv": QT_TRANSLATE_NOOP("TariffValues", "below 1 kV"),
    "1_10kv": QT_TRANSLATE_NOOP("TariffValues", "1–10 kV"),
    "35kv": QT_TRANSLATE_NOOP("TariffValues", "35 kV"),
    "110kv": QT_TRANSLATE_NOOP("TariffValues", "110 kV"),
    "220kv": QT_TRANSLATE_NOOP("TariffValues", "220 kV"),
    # TOU periods
    "sharp": QT_TRANSLATE_NOOP("TariffValues", "critical peak"),
    "peak": QT_TRANSLATE_NOOP("TariffValues", "peak"),
    "flat": QT_TRANSLATE_NOOP("TariffValues", "flat"),
    "valley": QT_TRANSLATE_NOOP("TariffValues", "valley"),
    "deep_valley": QT_TRANSLATE_NOOP("TariffValues", "deep valley"),
    # bill line kinds
    "energy": QT_TRANSLATE_NOOP("TariffValues", "Energy charge"),
    "free_kwh": QT_TRANSLATE_NOOP("TariffValues", "Free kWh"),
    "basic_capacity": QT_TRANSLATE_NOOP("TariffValues", "Basic charge (capacity)"),
    "basic_demand": QT_TRANSLATE_NOOP("TariffValues", "Basic charge (demand)"),
    "basic_demand_over": QT_TRANSLATE_NOOP("TariffValues", "Basic charge above 105 %"),
    "power_factor": QT_TRANSLATE_NOOP("TariffValues", "Power-factor adjustment"),
    "fund": QT_TRANSLATE_NOOP("TariffValues", "Government fund"),
    # demand bases
    "capacity": QT_TRANSLATE_NOOP("TariffValues", "transformer capacity (kVA)"),
    "demand": QT_TRANSLATE_NOOP("TariffValues", "maximum demand (kW)"),
    "contract_demand": QT_TRANSLATE_NOOP("TariffValues", "contract demand (kW)"),
    # tier cycles and proration
    "month": QT_TRANSLATE_NOOP("TariffValues", "monthly"),
    "year": QT_TRANSLATE_NOOP("TariffValues", "yearly"),
    "months": QT_TRANSLATE_NOOP("TariffValues", "by months"),
    "days": QT_TRANSLATE_NOOP("TariffValues", "by days"),
    "none": QT_TRANSLATE_NOOP("TariffValues", "none"),
    # TOU pricing, cross-year late fees
    "absolute": QT_TRANSLATE_NOOP("TariffValues", "prices in yuan/kWh"),
    "ratio": QT_TRANSLATE_NOOP("TariffValues", "ratios to the flat price"),
    "split_by_day": QT_TRANSLATE_NOOP("TariffValues", "by day from 1 January"),
    "whole_bill": QT_TRANSLATE_NOOP("TariffValues", "the whole bill"),
    # version shapes
    "shape_flat": QT_TRANSLATE_NOOP("TariffValues", "flat rate"),
    "shape_tiered": QT_TRANSLATE_NOOP("TariffValues", "tiered"),
    "shape_tou": QT_TRANSLATE_NOOP("TariffValues", "time of use"),
    "shape_tiered_tou": QT_TRANSLATE_NOOP("TariffValues", "tiered, time of use"),
    "shape_two_part": QT_TRANSLATE_NOOP("TariffValues", "two-part"),
    "yes": QT_TRANSLATE_NOOP("TariffValues", "yes"),
    "no": QT_TRANSLATE_NOOP("TariffValues", "no"),
    "open": QT_TRANSLATE_NOOP("TariffValues", "(current)"),
    "included": QT_TRANSLATE_NOOP("TariffValues", "included in the price"),
    "added": QT_TRANSLATE_NOOP("TariffValues", "added"),
}


def word(code: str) -> str:
    """The translated word for a value code (voltage, TOU period, line kind …); unknown codes as sent."""
    source = _WORDS.get(code)
    return QCoreApplication.translate(VALUES, source) if source else code


def yes_no(flag: bool) -> str:
    """Translated yes or no."""
    return word("yes" if flag else "no")


def shape(doc: TariffVersionDoc) -> str:
    """A version's shape in words (two-part, tiered, time of use, flat)."""
    if doc.two_part is not None:
        return word("shape_two_part")
    if doc.tiers is not None:
        return word("shape_tiered_tou" if doc.tou is not None else "shape_tiered")
    return word("shape_tou" if doc.tou is not None else "shape_flat")


def number(value: Decimal) -> str:
    """A decimal as written in the document (never through a float)."""
    return format(value, "f")


def kwh_text(value: Decimal) -> str:
    """kWh to the 0.01 the registers are read to (exact for a Decimal)."""
    return format(value, ".2f")


def day_text(day: dt.date | None) -> str:
    """A date as YYYY-MM-DD, or the "current" word for an open end."""
    return day.isoformat() if day is not None else word("open")


class TariffListModel(RowsModel[TariffSummary]):
    """The tariff codes."""

    CONTEXT = "TariffListModel"
    COLUMNS: ClassVar = (
        Column(QT_TRANSLATE_NOOP("TariffListModel", "Code"), lambda t: t.code),
        Column(QT_TRANSLATE_NOOP("TariffListModel", "Name"), lambda t: t.name),
        Column(QT_TRANSLATE_NOOP("TariffListModel", "Category"), lambda t: customer_value(t.category.value)),
        Column(QT_TRANSLATE_NOOP("TariffListModel", "Voltage"), lambda t: word(t.voltage.value)),
        Column(QT_TRANSLATE_NOOP("TariffListModel", "Two-part"), lambda t: yes_no(t.two_part)),
        Column(QT_TRANSLATE_NOOP("TariffListModel", "TOU"), lambda t: yes_no(t.time_of_use)),
        Column(QT_TRANSLATE_NOOP("TariffListModel", "Versions"), lambda t: t.version_count, numeric=True),
    )


class VersionListModel(RowsModel[TariffVersionDoc]):
    """A tariff's versions, oldest first."""

    CONTEXT = "VersionListModel"
    COLUMNS: ClassVar = (
        Column(QT_TRANSLATE_NOOP("VersionListModel", "From"), lambda v: v.effective_from.isoformat()),
        Column(QT_TRANSLATE_NOOP("VersionListModel", "To"), lambda v: day_text(v.effective_to)),
        Column(QT_TRANSLATE_NOOP("VersionListModel", "Shape"), shape),
        Column(QT_TRANSLATE_NOOP("VersionListModel", "Energy price"), lambda v: number(v.energy_price),
               numeric=True),
        Column(QT_TRANSLATE_NOOP("VersionListModel", "Note"), lambda v: v.note),
    )


@dataclass(frozen=True)
class Fact:
    """One line of a version's prices: what it is (already translated) and its value."""

    item: str
    value: str


class FactModel(RowsModel[Fact]):
    """A version's single figures: prices, the two-part rules, the power-factor standard, the late fee."""

    CONTEXT = "FactModel"
    COLUMNS: ClassVar = (
        Column(QT_TRANSLATE_NOOP("FactModel", "Item"), lambda f: f.item),
        Column(QT_TRANSLATE_NOOP("FactModel", "Value"), lambda f: f.value),
    )


@dataclass(frozen=True)
class TierRow:
    """One tier: its number, its kWh band in the cycle, its increment (and per-period increments)."""

    tier: int
    from_kwh: int
    to_kwh: int | None
    increment: Decimal
    price: Decimal
    periods: str


class TierModel(RowsModel[TierRow]):
    """The tiers of a version."""

    CONTEXT = "TierModel"
    COLUMNS: ClassVar = (
        Column(QT_TRANSLATE_NOOP("TierModel", "Tier"), lambda t: t.tier, numeric=True),
        Column(QT_TRANSLATE_NOOP("TierModel", "From kWh"), lambda t: t.from_kwh, numeric=True),
        Column(QT_TRANSLATE_NOOP("TierModel", "To kWh"), lambda t: "" if t.to_kwh is None else t.to_kwh,
               numeric=True),
        Column(QT_TRANSLATE_NOOP("TierModel", "Increment"), lambda t: number(t.increment), numeric=True),
        Column(QT_TRANSLATE_NOOP("TierModel", "Price"), lambda t: number(t.price), numeric=True),
        Column(QT_TRANSLATE_NOOP("TierModel", "Increments by period"), lambda t: t.periods),
    )


def tier_rows(doc: TariffVersionDoc) -> list[TierRow]:
    """The tiers of ``doc`` as rows (none without tiers): band, increment and the flat price with it."""
    spec = doc.tiers
    if spec is None:
        return []
    bounds = [0, *spec.thresholds_kwh]
    rows = []
    for index, increment in enumerate(spec.increments):
        periods = ", ".join(f"{word(p.value)} +{number(values[index])}" for p, values in spec.period_increments.items())
        rows.append(TierRow(tier=index + 1, from_kwh=bounds[index] + (1 if index else 0),
                            to_kwh=spec.thresholds_kwh[index] if index < len(spec.thresholds_kwh) else None,
                            increment=increment, price=doc.energy_price + increment, periods=periods))
    return rows


@dataclass(frozen=True)
class TouRow:
    """One stretch of a season's day and its period's price (or ratio)."""

    season: str
    months: str
    start: str
    end: str
    period: str
    price: str


class TouModel(RowsModel[TouRow]):
    """The TOU seasons and their daily periods."""

    CONTEXT = "TouModel"
    COLUMNS: ClassVar = (
        Column(QT_TRANSLATE_NOOP("TouModel", "Season"), lambda r: r.season),
        Column(QT_TRANSLATE_NOOP("TouModel", "Months"), lambda r: r.months),
        Column(QT_TRANSLATE_NOOP("TouModel", "From"), lambda r: r.start),
        Column(QT_TRANSLATE_NOOP("TouModel", "To"), lambda r: r.end),
        Column(QT_TRANSLATE_NOOP("TouModel", "Period"), lambda r: r.period),
        Column(QT_TRANSLATE_NOOP("TouModel", "Price or ratio"), lambda r: r.price, numeric=True),
    )


def tou_rows(doc: TariffVersionDoc) -> list[TouRow]:
    """Every season's spans in the order of the day (from 00:00), with the period's price or ratio."""
    spec = doc.tou
    if spec is None:
        return []
    rows = []
    for season in spec.seasons:
        months = ", ".join(str(m) for m in sorted(season.months))
        for span in sorted(season.spans, key=lambda s: s.minutes()[0][0]):
            rows.append(TouRow(season=season.name, months=months, start=span.start, end=span.end,
                               period=word(span.period.value), price=number(spec.prices[span.period])))
    return rows


class FundModel(RowsModel[tuple[str, str, Decimal, bool]]):
    """The government funds (政府性基金及附加) of a version."""

    CONTEXT = "FundModel"
    COLUMNS: ClassVar = (
        Column(QT_TRANSLATE_NOOP("FundModel", "Fund"), lambda f: f[1]),
        Column(QT_TRANSLATE_NOOP("FundModel", "Code"), lambda f: f[0]),
        Column(QT_TRANSLATE_NOOP("FundModel", "Yuan per kWh"), lambda f: number(f[2]), numeric=True),
        Column(QT_TRANSLATE_NOOP("FundModel", "How"), lambda f: word("included" if f[3] else "added")),
    )


def _line_item(line: PricedLine) -> str:
    if line.kind is LineKind.FUND and line.fund_name:
        return line.fund_name
    return word(line.kind.value)


class LineModel(RowsModel[PricedLine]):
    """The priced lines of a quote: what each charges, for which days, version, tier and period."""

    CONTEXT = "LineModel"
    COLUMNS: ClassVar = (
        Column(QT_TRANSLATE_NOOP("LineModel", "Item"), _line_item),
        Column(QT_TRANSLATE_NOOP("LineModel", "Days"),
               lambda ln: f"{ln.days_from:%m-%d}–{ln.days_to:%m-%d}"),
        Column(QT_TRANSLATE_NOOP("LineModel", "Version"), lambda ln: ln.version_from.isoformat()),
        Column(QT_TRANSLATE_NOOP("LineModel", "Tier"), lambda ln: "" if ln.tier is None else ln.tier, numeric=True),
        Column(QT_TRANSLATE_NOOP("LineModel", "Period"),
               lambda ln: "" if ln.tou_period is None else word(ln.tou_period.value)),
        Column(QT_TRANSLATE_NOOP("LineModel", "Quantity"), lambda ln: number(ln.quantity), numeric=True),
        Column(QT_TRANSLATE_NOOP("LineModel", "Unit price"), lambda ln: number(ln.unit_price), numeric=True),
        Column(QT_TRANSLATE_NOOP("LineModel", "Amount"), lambda ln: format_fen(ln.amount_fen), numeric=True),
    )
