"""A tariff version as data (DOMAIN §1–§5): the document the server stores, the calculator takes inline and
the billing clerk's screens show. Never code: every price, threshold, period and rate is a field here.

Prices travel as decimal strings (``"0.538"``) and are ``Decimal`` in Python; a float is refused. kWh are
decimals with at most two places (registers are read to 0.01). The validators refuse what DOMAIN and the
issue call bad input (tier thresholds that do not increase, a TOU day that does not cover 24 h, negative
prices); the version *set* of a tariff (no overlap, no gap) is checked by :func:`check_version_dates`.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Final

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, model_validator

from shared_models.methods.customers import CustomerCategory
from shared_models.money import MoneyFormatError, NonNegativeFenField, parse_price
from shared_models.rpc import Model
from shared_models.rules.late_fees import CrossYearRule, LateFeeRule

MINUTES_PER_DAY: Final = 24 * 60


def _decimal_from_text(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if not isinstance(value, str):  # a float would carry binary noise into the books; an int is ambiguous
        raise ValueError(f"give a price or rate as a decimal string such as \"0.538\", not {type(value).__name__}")
    try:
        return parse_price(value)
    except MoneyFormatError as exc:
        raise ValueError(str(exc)) from exc


def _non_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError(f"must not be negative: {value}")
    return value


def _kwh_places(value: Decimal) -> Decimal:
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(f"kWh are read to 0.01: {value}")
    return value


_AsText = PlainSerializer(lambda d: format(d, "f"), return_type=str)

#: A price (yuan per kWh, kW or kVA) or a rate: a decimal string, never negative, exact.
Price = Annotated[Decimal, BeforeValidator(_decimal_from_text), _AsText]
#: A factor such as a TOU ratio (1.6) or the 105 % rule (1.05): a decimal string.
Ratio = Annotated[Decimal, BeforeValidator(_decimal_from_text), _AsText]
#: kWh (or kW, kVA, kvarh) as a decimal string with at most two places, never negative.
Kwh = Annotated[Decimal, BeforeValidator(_decimal_from_text), AfterValidator(_non_negative),
                AfterValidator(_kwh_places), _AsText]
#: An exact quantity on a priced line (kWh, kW, kVA, or yuan for a power-factor base): a decimal string,
#: never negative, any number of places.
Quantity = Annotated[Decimal, BeforeValidator(_decimal_from_text), AfterValidator(_non_negative), _AsText]


class TouPeriod(StrEnum):
    """A time-of-use period (DOMAIN §2): 尖, 峰, 平, 谷, 深谷."""

    SHARP = "sharp"
    PEAK = "peak"
    FLAT = "flat"
    VALLEY = "valley"
    DEEP_VALLEY = "deep_valley"


class TierCycle(StrEnum):
    """The tier cycle (DOMAIN §1.2): thresholds per month or per year."""

    MONTH = "month"
    YEAR = "year"


class TierProration(StrEnum):
    """How a customer who opens or closes inside a cycle has the thresholds cut (DOMAIN §1.3)."""

    MONTHS = "months"
    DAYS = "days"
    NONE = "none"


class TierSpec(Model):
    """Inclining block tiers (阶梯): ``thresholds_kwh`` end tiers 1..n-1, the last tier is open.

    ``increments`` are additive yuan per kWh over the base energy price (DOMAIN §1.1), one per tier, the
    first "0". ``period_increments`` gives different increments per TOU period (Shanghai: peak +0.06,
    valley +0.03 in tier 2); a period not listed uses ``increments``.
    """

    cycle: TierCycle
    thresholds_kwh: list[int] = Field(min_length=1)
    increments: list[Price]
    period_increments: dict[TouPeriod, list[Price]] = Field(default_factory=dict)
    proration: TierProration = TierProration.MONTHS
    reset_on_transfer: bool = False

    @model_validator(mode="after")
    def _check(self) -> TierSpec:
        if any(t <= 0 for t in self.thresholds_kwh):
            raise ValueError("tier thresholds must be positive kWh")
        if any(b <= a for a, b in zip(self.thresholds_kwh, self.thresholds_kwh[1:], strict=False)):
            raise ValueError("tier thresholds must increase")
        tiers = len(self.thresholds_kwh) + 1
        for name, values in (("increments", self.increments), *self.period_increments.items()):
            if len(values) != tiers:
                raise ValueError(f"{name}: one increment per tier ({tiers}), got {len(values)}")
            if any(v < 0 for v in values):
                raise ValueError(f"{name}: a tier increment must not be negative")
        return self


def _minutes(text: str) -> int:
    hours, sep, minutes = text.partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(f"a time of day is HH:MM: {text!r}")
    value = int(hours) * 60 + int(minutes)
    if int(minutes) >= 60 or value > MINUTES_PER_DAY:
        raise ValueError(f"not a time of day: {text!r}")
    return value


class TouSpan(Model):
    """One stretch of the day in a period, ``start`` to ``end`` as HH:MM (``end`` may be "24:00"; a span
    whose end is not after its start wraps midnight, "22:00"–"06:00")."""

    start: str
    end: str
    period: TouPeriod

    def minutes(self) -> list[tuple[int, int]]:
        """The span as half-open minute ranges of one day (two when it wraps midnight)."""
        start, end = _minutes(self.start), _minutes(self.end)
        if start == MINUTES_PER_DAY:
            start = 0
        if end > start:
            return [(start, end)]
        return [(start, MINUTES_PER_DAY), (0, end)] if end else [(start, MINUTES_PER_DAY)]

    @model_validator(mode="after")
    def _check(self) -> TouSpan:
        if _minutes(self.start) == _minutes(self.end):
            raise ValueError(f"an empty time span: {self.start}–{self.end}")
        return self


class TouSeason(Model):
    """The daily period table of a set of months (DOMAIN §2): must cover 24 h, without overlap."""

    name: str
    months: list[int] = Field(min_length=1)
    #: This season's period prices where they differ from the spec's (Shanghai: summer and winter peak
    #: +80 %, other months +60 %); a period not listed takes the spec's price.
    prices: dict[TouPeriod, Price] = Field(default_factory=dict)
    spans: list[TouSpan] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> TouSeason:
        if any(not 1 <= m <= 12 for m in self.months):
            raise ValueError(f"season {self.name}: months are 1..12")
        covered = [0] * MINUTES_PER_DAY
        for span in self.spans:
            for start, end in span.minutes():
                for minute in range(start, end):
                    covered[minute] += 1
        if any(c > 1 for c in covered):
            raise ValueError(f"season {self.name}: time spans overlap")
        if not all(covered):
            first = covered.index(0)
            raise ValueError(f"season {self.name}: the periods do not cover 24 h (from {first // 60:02d}:"
                             f"{first % 60:02d} nothing is set)")
        return self


class TouPricing(StrEnum):
    """TOU prices given as absolute yuan/kWh, or as ratios to the flat (平) energy price."""

    ABSOLUTE = "absolute"
    RATIO = "ratio"


class TouSpec(Model):
    """Time of use (DOMAIN §2): seasons partitioning the year, and the price of each period.

    With ``RATIO`` pricing ``prices`` are factors on the energy price less the government funds included in
    it (those are added back unchanged; added funds and the basic charge never float); with ``ABSOLUTE`` they
    are yuan/kWh. A season may override the prices of some periods (``TouSeason.prices``).
    """

    seasons: list[TouSeason] = Field(min_length=1)
    pricing: TouPricing
    prices: dict[TouPeriod, Price]

    @model_validator(mode="after")
    def _check(self) -> TouSpec:
        months = sorted(m for s in self.seasons for m in s.months)
        if months != list(range(1, 13)):
            raise ValueError("the TOU seasons must cover each month of the year exactly once")
        for season in self.seasons:
            used = {span.period for span in season.spans}
            missing = used - set(self.prices) - set(season.prices)
            if missing:
                raise ValueError(f"season {season.name}: no price for TOU period(s): {', '.join(sorted(missing))}")
        if any(p < 0 for p in [*self.prices.values(), *(p for s in self.seasons for p in s.prices.values())]):
            raise ValueError("a TOU price must not be negative")
        return self

    def season_of(self, month: int) -> TouSeason:
        """The season holding a month (1..12)."""
        return next(s for s in self.seasons if month in s.months)

    def prices_in(self, month: int) -> dict[TouPeriod, Decimal]:
        """The period prices in force in a month: the spec's, overridden by the month's season."""
        return {**self.prices, **self.season_of(month).prices}

    def seasonal(self) -> bool:
        """Whether some season prices a period differently (a period crossing seasons must then be split)."""
        return any(s.prices for s in self.seasons)


class DemandBasis(StrEnum):
    """What the basic charge of a two-part tariff is charged on (DOMAIN §3.2)."""

    CAPACITY = "capacity"  # transformer kVA
    DEMAND = "demand"  # the month's maximum demand kW
    CONTRACT_DEMAND = "contract_demand"  # contract maximum demand kW, 105 % rule


class TwoPartSpec(Model):
    """The basic charge (基本电费) of a two-part tariff (DOMAIN §3.1–§3.2); the customer's basis, capacity and
    contract demand are customer terms (``CustomerTerms``)."""

    capacity_price_per_kva: Price
    demand_price_per_kw: Price
    over_contract_share: Ratio = Decimal("1.05")
    over_contract_factor: Ratio = Decimal(2)
    contract_floor_share: Ratio = Decimal("0.40")
    #: In a month with kWh per kVA of capacity at least this, the demand price is ``high_use_factor`` of it.
    high_use_kwh_per_kva: int = 260
    high_use_factor: Ratio = Decimal("0.90")
    #: A month of opening, change or closure: each day used is 1/``days_per_month`` of the monthly charge.
    days_per_month: int = 30

    @model_validator(mode="after")
    def _check(self) -> TwoPartSpec:
        if self.capacity_price_per_kva < 0 or self.demand_price_per_kw < 0:
            raise ValueError("a basic-charge price must not be negative")
        return self


class PowerFactorStandard(StrEnum):
    """The three standards of 《功率因数调整电费办法》 (DOMAIN §3.3)."""

    PF_090 = "0.90"
    PF_085 = "0.85"
    PF_080 = "0.80"


class PowerFactorSpec(Model):
    """Power-factor adjustment: the standard, and what the adjustment percentage applies to (default basic
    charge + energy charges, without government funds)."""

    standard: PowerFactorStandard
    include_basic: bool = True
    include_energy: bool = True
    include_funds: bool = False


class Fund(Model):
    """One government fund or surcharge (DOMAIN §4), per kWh; ``included`` ones are inside the energy price
    (shown as a breakdown), the others are added."""

    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=64)
    rate_per_kwh: Price
    included: bool

    @model_validator(mode="after")
    def _check(self) -> Fund:
        if self.rate_per_kwh < 0:
            raise ValueError(f"fund {self.code}: the rate must not be negative")
        return self


class CrossYear(StrEnum):
    """How arrears carried across a year end accrue (DOMAIN §5.3)."""

    SPLIT_BY_DAY = "split_by_day"
    WHOLE_BILL = "whole_bill"


class LateFeeSpec(Model):
    """The late-fee rule of the tariff's category (DOMAIN §5): per-mille a day, across a year end, minimum."""

    daily_permille_current: Price
    daily_permille_cross_year: Price
    cross_year: CrossYear = CrossYear.SPLIT_BY_DAY
    #: "a total below 1 yuan is collected as 1 yuan" (0 = no minimum, as the 2024 rules may have it).
    minimum_fen: NonNegativeFenField = 100

    @model_validator(mode="after")
    def _check(self) -> LateFeeSpec:
        if self.daily_permille_current < 0 or self.daily_permille_cross_year < 0:
            raise ValueError("a late-fee rate must not be negative")
        return self

    def rule(self) -> LateFeeRule:
        """The counter's late-fee rule (``shared_models.rules.late_fees``) with these terms."""
        return LateFeeRule(daily_permille_current=self.daily_permille_current,
                           daily_permille_cross_year=self.daily_permille_cross_year,
                           cross_year=CrossYearRule(self.cross_year.value), minimum_fen=self.minimum_fen)


class TariffVersionDoc(Model):
    """The prices of a tariff from ``effective_from`` on (the next version's date ends it)."""

    effective_from: dt.date
    #: The last day priced by this version; None while it is the current one (open-ended).
    effective_to: dt.date | None = None
    #: The flat energy price, tier 1's price in a tiered tariff, the 平 price TOU ratios apply to
    #: (yuan/kWh, government funds included when they are ``included``).
    energy_price: Price
    tiers: TierSpec | None = None
    tou: TouSpec | None = None
    two_part: TwoPartSpec | None = None
    power_factor: PowerFactorSpec | None = None
    funds: list[Fund] = Field(default_factory=list)
    late_fee: LateFeeSpec
    #: The 合表 price a household with that adjustment pays instead of the tiers (DOMAIN §1.4).
    shared_meter_price: Price | None = None
    note: str = Field(default="", max_length=200)

    @model_validator(mode="after")
    def _check(self) -> TariffVersionDoc:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("a version cannot end before it starts")
        if self.energy_price < 0 or (self.shared_meter_price is not None and self.shared_meter_price < 0):
            raise ValueError("an energy price must not be negative")
        codes = [f.code for f in self.funds]
        if len(codes) != len(set(codes)):
            raise ValueError("a fund is listed twice")
        return self


class VoltageLevel(StrEnum):
    """Supply voltage of a tariff code (DOMAIN §10)."""

    BELOW_1KV = "lt1kv"
    KV_1_10 = "1_10kv"
    KV_35 = "35kv"
    KV_110 = "110kv"
    KV_220 = "220kv"


class TariffHeader(Model):
    """A tariff code (电价码): what it is for; its prices are in its versions."""

    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=64)
    category: CustomerCategory
    voltage: VoltageLevel
    two_part: bool
    time_of_use: bool


class VersionDatesError(ValueError):
    """A tariff's versions overlap or leave a gap."""


def check_version_dates(spans: Sequence[tuple[dt.date, dt.date | None]]) -> None:
    """Refuse a set of versions (effective from, to inclusive or None = open) that overlap or leave a gap:
    sorted by start, each must end the day before the next starts, and only the last may be open."""
    ordered = sorted(spans)
    for (start, end), (next_start, _next_end) in itertools.pairwise(ordered):
        if end is None or end >= next_start:
            raise VersionDatesError(f"the version from {start} overlaps the one from {next_start}")
        if end + dt.timedelta(days=1) != next_start:
            raise VersionDatesError(f"no version prices the days from {end + dt.timedelta(days=1)} to "
                                    f"{next_start - dt.timedelta(days=1)}")



def version_spans(versions: Sequence[TariffVersionDoc]) -> list[tuple[dt.date, dt.date | None]]:
    """The days each version prices, sorted by start, checked by :func:`check_version_dates`.

    A version without ``effective_to`` that is followed by a later one ends the day before that one starts
    ("the next version's date ends it"), so adding a version never needs its predecessor edited; an
    ``effective_to`` that is given must meet the next start exactly. Raises :class:`VersionDatesError`.
    """
    ordered = sorted(versions, key=lambda v: v.effective_from)
    spans: list[tuple[dt.date, dt.date | None]] = []
    for index, version in enumerate(ordered):
        end = version.effective_to
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        if end is None and following is not None and following.effective_from > version.effective_from:
            end = following.effective_from - dt.timedelta(days=1)
        spans.append((version.effective_from, end))
    check_version_dates(spans)
    return spans
