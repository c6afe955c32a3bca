"""Anomaly checks on a reading (DOMAIN §9, issue 12 item 3), pure: each finding an ``Anomaly(code, figures)``.

The checks: a zero-consumption streak with its count; a rise or drop beyond the threshold against the previous
period and against the same month last year; a value below the previous one (without a recorded change) or a
confirmed rollover; TOU registers not summing to the total; demand above contract × 1.05; a power factor
below its standard; a reading date outside the book's window around its reading day (例日); estimated and
manually entered readings; an estimate larger than what the next read shows; a meter's first reading.

Thresholds are per tariff category (:class:`Thresholds`, stored in ``anomaly_thresholds``; defaults ±50 %,
a zero streak of 3). Figures are text so decimals stay exact; the client words them
(``client/ui/messages.py``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from shared_models.methods.readings import (
    TOU_REGISTERS,
    Anomaly,
    AnomalyCode,
    ReadingSource,
    ReadingStatus,
    Register,
)
from shared_models.rules.power_factor import power_factor
from shared_models.rules.reading_consumption import (
    Consumption,
    ConsumptionError,
    Consumptions,
    MeterSpec,
    ReadingPoint,
    chain_key,
)

_ZERO: Final = Decimal(0)
_HUNDRED: Final = Decimal(100)
_CENT: Final = Decimal("0.01")
_PCT: Final = Decimal("0.1")


@dataclass(frozen=True)
class Thresholds:
    """When a change of consumption is an anomaly, per tariff category (DOMAIN §9: configurable ±50 %)."""

    #: A rise above the reference by more than this share (0.50 = +50 %).
    rise_share: Decimal = Decimal("0.50")
    #: A drop below the reference by more than this share (0.50 = −50 %).
    drop_share: Decimal = Decimal("0.50")
    #: This many consecutive periods of zero consumption (this one included) are flagged.
    zero_streak: int = 3
    #: TOU registers may differ from the total by this much per TOU register read (0.01 per register value
    #: rounding, × multiplier).
    tou_tolerance_per_register: Decimal = Decimal("0.01")
    #: Demand above the contract demand × this is flagged (the 105 % rule, DOMAIN §3.2).
    demand_share: Decimal = Decimal("1.05")


DEFAULT_THRESHOLDS: Final = Thresholds()


@dataclass(frozen=True)
class BookWindow:
    """A reading book's reading day (例日) and how many days either side a reading may be taken."""

    reading_day: int
    window_days: int

    def window(self, period: int) -> tuple[dt.date, dt.date]:
        """The first and last acceptable reading date of ``period`` (``YYYYMM``): the reading day of the
        period's month (the month's last day when shorter) ± the window."""
        year, month = divmod(period, 100)
        day = min(self.reading_day, calendar.monthrange(year, month)[1])
        planned = dt.date(year, month, day)
        spread = dt.timedelta(days=self.window_days)
        return planned - spread, planned + spread


@dataclass(frozen=True)
class WindowDates:
    """A reading window as a handheld package carries it: its first and last day, whatever the period."""

    first: dt.date
    last: dt.date

    def window(self, period: int) -> tuple[dt.date, dt.date]:
        """The first and last acceptable reading date (the package's, for its one period)."""
        return self.first, self.last


@dataclass(frozen=True)
class CheckInput:
    """What the checks of one reading look at.

    ``consumption`` is this period's (or the error that stopped it); ``history`` the total kWh of the
    customer's earlier periods by ``YYYYMM`` (those that could be computed).
    """

    period: int
    read_on: dt.date
    status: ReadingStatus
    source: ReadingSource
    consumption: Consumption | ConsumptionError
    history: Mapping[int, Decimal]
    multiplier: int = 1
    book: BookWindow | WindowDates | None = None
    contract_demand_kw: Decimal | None = None
    #: The tariff's power-factor standard (0.90, 0.85, 0.80), None when it has no adjustment.
    power_factor_standard: Decimal | None = None


def previous_period(period: int, months: int = 1) -> int:
    """``YYYYMM`` ``months`` before ``period``."""
    index = (period // 100) * 12 + period % 100 - 1 - months
    return (index // 12) * 100 + index % 12 + 1


def _pct(change: Decimal) -> str:
    return str((change * _HUNDRED).quantize(_PCT, rounding=ROUND_HALF_UP))


def _change(code_rise: AnomalyCode, code_drop: AnomalyCode, *, kwh: Decimal, reference: Decimal | None,
            label: str, limits: Thresholds) -> list[Anomaly]:
    if reference is None or reference == 0:
        return []  # nothing to compare with (a zero month is the zero streak's business)
    change = (kwh - reference) / reference
    figures = {"kwh": str(kwh), label: str(reference), "change_pct": _pct(change)}
    if change > limits.rise_share:
        return [Anomaly(code=code_rise, figures=figures | {"limit_pct": _pct(limits.rise_share)})]
    if -change > limits.drop_share:
        return [Anomaly(code=code_drop, figures=figures | {"limit_pct": _pct(limits.drop_share)})]
    return []


def _zero_streak(period: int, history: Mapping[int, Decimal]) -> int:
    """How many periods up to ``period`` (this one zero) in a row had no consumption."""
    count, cursor = 1, previous_period(period)
    while history.get(cursor) == 0:
        count += 1
        cursor = previous_period(cursor)
    return count


def check_reading(data: CheckInput, limits: Thresholds = DEFAULT_THRESHOLDS) -> list[Anomaly]:
    """Every anomaly of one reading, in a fixed order (flags, then arithmetic, then comparisons)."""
    found: list[Anomaly] = []
    if data.status is ReadingStatus.ESTIMATED or (
            isinstance(data.consumption, Consumption) and data.consumption.estimated):
        found.append(Anomaly(code=AnomalyCode.ESTIMATED, figures={"status": data.status.value}))
    if data.source is ReadingSource.MANUAL:
        found.append(Anomaly(code=AnomalyCode.MANUAL_ENTRY, figures={"source": data.source.value}))
    if data.book is not None:
        first, last = data.book.window(data.period)
        if not first <= data.read_on <= last:
            found.append(Anomaly(code=AnomalyCode.OUTSIDE_WINDOW, figures={
                "read_on": data.read_on.isoformat(), "window_from": first.isoformat(),
                "window_to": last.isoformat()}))
    if isinstance(data.consumption, ConsumptionError):
        found.append(Anomaly(code=data.consumption.code, figures=dict(data.consumption.figures)))
        return found
    consumption = data.consumption
    found += _register_checks(consumption, data, limits)
    total = consumption.total_kwh
    if total == 0:
        streak = _zero_streak(data.period, data.history)
        if streak >= limits.zero_streak:
            found.append(Anomaly(code=AnomalyCode.ZERO_STREAK, figures={"count": str(streak)}))
    found += _change(AnomalyCode.RISE_VS_PREVIOUS, AnomalyCode.DROP_VS_PREVIOUS, kwh=total,
                     reference=data.history.get(previous_period(data.period)), label="previous_kwh", limits=limits)
    found += _change(AnomalyCode.RISE_VS_LAST_YEAR, AnomalyCode.DROP_VS_LAST_YEAR, kwh=total,
                     reference=data.history.get(previous_period(data.period, 12)), label="last_year_kwh",
                     limits=limits)
    return found


def _register_checks(consumption: Consumption, data: CheckInput, limits: Thresholds) -> list[Anomaly]:
    """Rollovers, TOU sum, demand against contract, power factor."""
    found = [Anomaly(code=AnomalyCode.ROLLOVER, figures={"register": r.value}) for r in consumption.rollovers]
    kwh = consumption.kwh
    tou = [v for r, v in kwh.items() if r in TOU_REGISTERS]
    total = kwh.get(Register.TOTAL)
    if tou and total is not None:
        tolerance = limits.tou_tolerance_per_register * len(tou) * data.multiplier
        tou_sum = sum(tou, _ZERO)
        if abs(tou_sum - total) > tolerance:
            found.append(Anomaly(code=AnomalyCode.TOU_SUM_MISMATCH,
                                 figures={"total_kwh": str(total), "tou_kwh": str(tou_sum)}))
    demand = kwh.get(Register.DEMAND)
    if demand is not None and data.contract_demand_kw is not None:
        limit = data.contract_demand_kw * limits.demand_share
        if demand > limit:
            found.append(Anomaly(code=AnomalyCode.DEMAND_OVER_CONTRACT, figures={
                "demand_kw": str(demand), "contract_kw": str(data.contract_demand_kw),
                "limit_kw": str(limit.quantize(_CENT, rounding=ROUND_HALF_UP))}))
    reactive = kwh.get(Register.REACTIVE)
    if reactive is not None and data.power_factor_standard is not None:
        active = total if total is not None else sum(tou, _ZERO)
        cos_phi = power_factor(active, reactive)
        if cos_phi is not None and cos_phi < data.power_factor_standard:
            found.append(Anomaly(code=AnomalyCode.LOW_POWER_FACTOR, figures={
                "power_factor": str(cos_phi), "standard": str(data.power_factor_standard)}))
    return found


class _Totals(Mapping[int, Decimal]):
    """Total kWh of a customer's periods, computed only for the periods a check asks for (a period whose
    consumption cannot be computed is missing)."""

    def __init__(self, consumptions: Consumptions, periods: Collection[int]) -> None:
        self._consumptions = consumptions
        self._periods = periods

    def __getitem__(self, period: int) -> Decimal:
        if period not in self._periods:
            raise KeyError(period)
        try:
            return self._consumptions(period).total_kwh
        except ConsumptionError:
            raise KeyError(period) from None

    def __iter__(self) -> Iterator[int]:
        return (p for p in sorted(self._periods) if p in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def period_anomalies(*, meters: Sequence[MeterSpec], readings: Sequence[ReadingPoint], period: int,
                     book: BookWindow | None = None, limits: Thresholds = DEFAULT_THRESHOLDS,
                     contract_demand_kw: Decimal | None = None, power_factor_standard: Decimal | None = None,
                     reading: ReadingPoint | None = None, consumptions: Consumptions | None = None) -> list[Anomaly]:
    """The anomalies of a customer's ``period`` from its meters and current readings (what a bill run's review
    shows): the checks of the period's regular reading (or ``reading``), against the earlier periods' totals.
    A period nobody read gives ``NO_PREVIOUS``. ``consumptions`` (of the same meters and readings) may be given
    when the caller computed the period's consumption already."""
    if reading is None:
        in_period = [r for r in readings if r.period == period]
        if not in_period:
            return [Anomaly(code=AnomalyCode.NO_PREVIOUS, figures={"period": str(period)})]
        regular = [r for r in in_period if r.status is not ReadingStatus.METER_CHANGED] or in_period
        reading = max(regular, key=chain_key)
    if consumptions is None:
        consumptions = Consumptions(meters, readings)
    try:
        found: Consumption | ConsumptionError = consumptions(period)
    except ConsumptionError as exc:
        found = exc
    earlier = {r.period for r in readings if r.period < period}
    multiplier = next((m.multiplier for m in meters if m.meter_id == reading.meter_id), 1)
    return check_reading(CheckInput(
        period=period, read_on=reading.read_on, status=reading.status, source=reading.source, consumption=found,
        history=_Totals(consumptions, earlier), multiplier=multiplier, book=book, contract_demand_kw=contract_demand_kw,
        power_factor_standard=power_factor_standard), limits)
