"""Consumption from readings (DOMAIN §9), pure: kWh per register, rollover, meter change, 门闭 estimates.

* kWh = (current − previous) × multiplier (综合倍率, CT × PT), per register; the demand register is read, not
  differenced: the period's maximum demand is its value × multiplier.
* A value below the previous one is a rollover only when the reader confirmed it: (10^digits − previous +
  current) × multiplier. Otherwise it is an error (:class:`ConsumptionError` ``BELOW_PREVIOUS``), never a
  silent wrap.
* A meter change (换表) bills the old meter's last part plus the new meter's first part: (old final − old
  previous) × old multiplier + (new current − new start) × new multiplier. The new meter's start reading is a
  换表 reading that names the old meter's final one.
* 门闭 / 表坏 (no values): the previous period's consumption is billed (暂按前次用电量); the next reading with
  values settles it: its consumption is the register advance since the last values less what was estimated.

:func:`usage_for` gives the period's :class:`shared_models.pricing.Usage`, the input of ``server.pricing.price``.
Only the *current* readings (those no correction superseded) are passed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

from shared_models.methods.readings import TOU_REGISTERS, AnomalyCode, ReadingSource, ReadingStatus, Register
from shared_models.pricing import Usage

_ZERO: Final = Decimal(0)
_CENT: Final = Decimal("0.01")
#: Registers whose consumption is a difference of two readings (demand is read as it is).
ENERGY_REGISTERS: Final = frozenset(set(Register) - {Register.DEMAND})
_ORDER: Final = {r: i for i, r in enumerate(Register)}


@dataclass(frozen=True)
class MeterSpec:
    """What of a meter the arithmetic needs."""

    meter_id: int
    multiplier: int
    digits: int
    registers: frozenset[Register]


@dataclass(frozen=True, eq=False)  # identity: a reading is found in its chain by itself, not by equal fields
class ReadingPoint:
    """One current reading of a meter (register values as read, not multiplied)."""

    reading_id: int
    meter_id: int
    period: int
    read_on: dt.date
    status: ReadingStatus
    values: Mapping[Register, Decimal] = field(default_factory=dict)
    rollover_confirmed: bool = False
    #: A new meter's start reading (status 换表): the old meter's final reading.
    old_final_id: int | None = None
    source: ReadingSource = ReadingSource.HANDHELD

    @property
    def is_start(self) -> bool:
        """A new meter's start reading at a meter change."""
        return self.status is ReadingStatus.METER_CHANGED and self.old_final_id is not None

    @property
    def is_final(self) -> bool:
        """An old meter's final reading at a meter change."""
        return self.status is ReadingStatus.METER_CHANGED and self.old_final_id is None


class ConsumptionError(Exception):
    """The period's consumption cannot be computed; ``code`` and ``figures`` say why (the same words as the
    anomaly of that code)."""

    def __init__(self, code: AnomalyCode, /, **figures: str) -> None:
        super().__init__(f"{code.value}: {figures}")
        self.code = code
        self.figures = figures


@dataclass(frozen=True)
class Consumption:
    """A period's consumption: per register (× multiplier; demand in kW), the days it covers, whether estimated."""

    period: int
    period_from: dt.date
    period_to: dt.date
    kwh: Mapping[Register, Decimal]
    #: Billed as the previous period's consumption (门闭, 表坏), not read.
    estimated: bool = False
    #: Registers that passed 10^digits (confirmed by the reader).
    rollovers: tuple[Register, ...] = ()

    def usage(self) -> Usage:
        """The pricing function's input: total, TOU registers, reactive and maximum demand."""
        tou = {TOU_REGISTERS[r]: v for r, v in self.kwh.items() if r in TOU_REGISTERS}
        return Usage(period_from=self.period_from, period_to=self.period_to, total_kwh=self.total_kwh, tou_kwh=tou,
                     reactive_kvarh=self.kwh.get(Register.REACTIVE), max_demand_kw=self.kwh.get(Register.DEMAND))

    @property
    def total_kwh(self) -> Decimal:
        """``usage().total_kwh`` without building the usage: the total register, else the TOU registers' sum."""
        total = self.kwh.get(Register.TOTAL)
        return total if total is not None else sum((v for r, v in self.kwh.items() if r in TOU_REGISTERS), _ZERO)


def register_advance(*, register: Register, previous: Decimal, current: Decimal, digits: int,
                     rollover_confirmed: bool) -> tuple[Decimal, bool]:
    """How far a register moved (not multiplied) and whether it rolled over; a value below the previous one
    without a confirmed rollover is :class:`ConsumptionError` ``BELOW_PREVIOUS``."""
    if current >= previous:
        return current - previous, False
    if not rollover_confirmed:
        raise ConsumptionError(AnomalyCode.BELOW_PREVIOUS, register=register.value, previous=str(previous),
                               current=str(current))
    return Decimal(10) ** digits - previous + current, True


def _difference(meter: MeterSpec, previous: ReadingPoint, current: ReadingPoint
                ) -> tuple[dict[Register, Decimal], tuple[Register, ...]]:
    """kWh per register between two readings with values (× multiplier), demand as read × multiplier."""
    kwh: dict[Register, Decimal] = {}
    rolled: list[Register] = []
    for register in sorted(meter.registers & current.values.keys(), key=_ORDER.__getitem__):
        value = current.values[register]
        if register is Register.DEMAND:
            kwh[register] = (value * meter.multiplier).quantize(_CENT)
            continue
        before = previous.values.get(register)
        if before is None:
            continue
        advance, rollover = register_advance(register=register, previous=before, current=value,
                                             digits=meter.digits, rollover_confirmed=current.rollover_confirmed)
        kwh[register] = (advance * meter.multiplier).quantize(_CENT)
        if rollover:
            rolled.append(register)
    return kwh, tuple(rolled)


def _add(a: Mapping[Register, Decimal], b: Mapping[Register, Decimal]) -> dict[Register, Decimal]:
    """Two parts of a period: energy registers add up, the demand is the larger."""
    out = dict(a)
    for register, value in b.items():
        if register is Register.DEMAND:
            out[register] = max(out.get(register, _ZERO), value)
        else:
            out[register] = out.get(register, _ZERO) + value
    return out


def chain_key(r: ReadingPoint) -> tuple[int, bool, dt.date, int]:
    """A meter's readings in order: by period, a new meter's start first in its period, then by date and id."""
    return r.period, not r.is_start, r.read_on, r.reading_id


class ConsumptionHistory:
    """The current readings of a customer's meters, and each period's consumption computed once (on demand)."""

    def __init__(self, meters: Sequence[MeterSpec], readings: Sequence[ReadingPoint]) -> None:
        self.meters = {m.meter_id: m for m in meters}
        self.by_id = {r.reading_id: r for r in readings}
        chains: dict[int, list[ReadingPoint]] = {}
        for r in sorted(readings, key=chain_key):
            chains.setdefault(r.meter_id, []).append(r)
        self.chains = chains
        self.done: dict[int, Consumption] = {}

    def meter(self, meter_id: int) -> MeterSpec:
        meter = self.meters.get(meter_id)
        if meter is None:
            raise ValueError(f"a reading of meter {meter_id}, which is not among the meters given")
        return meter

    def before(self, reading: ReadingPoint) -> list[ReadingPoint]:
        """The readings of the same meter before ``reading``, oldest first."""
        chain = self.chains[reading.meter_id]
        return chain[:chain.index(reading)]

    def consumption(self, period: int) -> Consumption:
        """The consumption of ``period`` (see :func:`consumption_for`)."""
        found = self.done.get(period)
        if found is None:
            found = self.done[period] = self._compute(period)
        return found

    def _compute(self, period: int) -> Consumption:
        in_period = [r for chain in self.chains.values() for r in chain if r.period == period]
        starts = [r for r in in_period if r.is_start]
        regular = [r for r in in_period if r.status is not ReadingStatus.METER_CHANGED]
        # a final reading no start names yet (the new meter not read yet, or a meter removed at closure)
        taken = {s.old_final_id for s in starts}
        finals = [r for r in in_period if r.is_final and r.reading_id not in taken]
        if not starts and not regular and not finals:
            raise ConsumptionError(AnomalyCode.NO_PREVIOUS, period=str(period))
        parts: list[Consumption] = []
        for start in starts:
            parts.append(self._meter_change(start, [r for r in regular if r.meter_id == start.meter_id]))
        changed = {s.meter_id for s in starts}
        parts += [self._regular(r) for r in regular if r.meter_id not in changed]
        parts += [self._regular(r) for r in finals]
        kwh: dict[Register, Decimal] = {}
        for part in parts:
            kwh = _add(kwh, part.kwh)
        return Consumption(period=period, period_from=min(p.period_from for p in parts),
                           period_to=max(p.period_to for p in parts), kwh=kwh,
                           estimated=any(p.estimated for p in parts),
                           rollovers=tuple(r for p in parts for r in p.rollovers))

    def _meter_change(self, start: ReadingPoint, regular: list[ReadingPoint]) -> Consumption:
        """Old meter's last part (its final reading since its previous) + new meter's first part."""
        final = self.by_id.get(start.old_final_id or 0)
        if final is None or not final.is_final:
            raise ValueError(f"the start reading {start.reading_id} names no final reading among those given")
        old_part = self._regular(final)
        new_meter = self.meter(start.meter_id)
        kwh = dict(old_part.kwh)
        rollovers = old_part.rollovers
        period_to = old_part.period_to
        if regular and regular[-1].values:
            new_kwh, new_rolled = _difference(new_meter, start, regular[-1])
            kwh = _add(kwh, new_kwh)
            rollovers += new_rolled
            period_to = regular[-1].read_on
        return Consumption(period=start.period, period_from=old_part.period_from, period_to=period_to, kwh=kwh,
                           estimated=old_part.estimated, rollovers=rollovers)

    def _regular(self, reading: ReadingPoint) -> Consumption:
        """A reading of a meter since its previous one (with values: settled against the estimates in between;
        without: the previous period's consumption)."""
        earlier = self.before(reading)
        if not earlier:
            raise ConsumptionError(AnomalyCode.NO_PREVIOUS, period=str(reading.period))
        period_from = earlier[-1].read_on + dt.timedelta(days=1)
        if not reading.values:
            estimate = self.consumption(earlier[-1].period)
            return Consumption(period=reading.period, period_from=period_from, period_to=reading.read_on,
                               kwh=estimate.kwh, estimated=True)
        meter = self.meter(reading.meter_id)
        with_values = [r for r in earlier if r.values]
        if not with_values:
            raise ConsumptionError(AnomalyCode.NO_PREVIOUS, period=str(reading.period))
        last = with_values[-1]
        kwh, rollovers = _difference(meter, last, reading)
        estimated: dict[Register, Decimal] = {}
        for between in earlier[earlier.index(last) + 1:]:
            estimated = _add(estimated, {r: v for r, v in self.consumption(between.period).kwh.items()
                                         if r is not Register.DEMAND})
        for register, value in estimated.items():
            if register in kwh:
                if kwh[register] < value:
                    raise ConsumptionError(AnomalyCode.ESTIMATE_EXCEEDED, register=register.value,
                                           estimated_kwh=str(value), read_kwh=str(kwh[register]))
                kwh[register] -= value
        return Consumption(period=reading.period, period_from=period_from, period_to=reading.read_on, kwh=kwh,
                           rollovers=rollovers)


def _plain(meters: Sequence[MeterSpec], readings: Sequence[ReadingPoint], period: int) -> Consumption | None:
    """The common case in one pass, without building the history: one meter, one regular reading with values in
    the period, and the reading before it with values too. None when the case is any other."""
    if len(meters) != 1:
        return None
    current: ReadingPoint | None = None
    previous: ReadingPoint | None = None
    for r in readings:
        if r.period == period:
            if current is not None or r.status is ReadingStatus.METER_CHANGED:
                return None
            current = r
        elif r.period < period and (previous is None or chain_key(r) > chain_key(previous)):
            previous = r
    if current is None or previous is None or not current.values or not previous.values or previous.is_final:
        return None
    meter = meters[0]
    if current.meter_id != meter.meter_id or previous.meter_id != meter.meter_id:
        return None
    kwh, rollovers = _difference(meter, previous, current)
    return Consumption(period=period, period_from=previous.read_on + dt.timedelta(days=1),
                       period_to=current.read_on, kwh=kwh, rollovers=rollovers)


class Consumptions:
    """The consumption of any period of one customer, as :func:`consumption_for` gives it, each period computed
    once; the :class:`ConsumptionHistory` is built only when a period is not the plain case (the checks ask for
    three or four periods of the same readings)."""

    def __init__(self, meters: Sequence[MeterSpec], readings: Sequence[ReadingPoint]) -> None:
        self._meters = meters
        self._readings = readings
        self._history: ConsumptionHistory | None = None
        self._done: dict[int, Consumption | ConsumptionError] = {}

    def __call__(self, period: int) -> Consumption:
        """The consumption of ``period``; raises :class:`ConsumptionError` (the same each time it is asked)."""
        found = self._done.get(period)
        if found is None:
            try:
                found = _plain(self._meters, self._readings, period)
                if found is None:
                    if self._history is None:
                        self._history = ConsumptionHistory(self._meters, self._readings)
                    found = self._history.consumption(period)
            except ConsumptionError as exc:
                found = exc
            self._done[period] = found
        if isinstance(found, ConsumptionError):
            raise found
        return found


def consumption_for(*, meters: Sequence[MeterSpec], readings: Sequence[ReadingPoint], period: int) -> Consumption:
    """The consumption of ``period`` (``YYYYMM``) of one customer from the current readings of its meters.

    Several meters read in the same period (not linked by a change) add up; their demands give the larger.
    Raises :class:`ConsumptionError` when it cannot be computed (no earlier reading, an unconfirmed value below
    the previous one, an estimate larger than what the next read shows).
    """
    plain = _plain(meters, readings, period)
    return plain if plain is not None else ConsumptionHistory(meters, readings).consumption(period)


def usage_for(*, meters: Sequence[MeterSpec], readings: Sequence[ReadingPoint], period: int) -> Usage:
    """The :class:`~shared_models.pricing.Usage` of ``period`` for ``server.pricing.price`` (see
    :func:`consumption_for`)."""
    return consumption_for(meters=meters, readings=readings, period=period).usage()
