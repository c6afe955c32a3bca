"""Demo readings per register: a year of seasonal consumption per meter, with some anomalies of each kind.

Registers follow the tariff (``meter_registers``): 峰/谷 for the residential TOU tariff, 尖/峰/平/谷 for the
C&I TOU tariffs, reactive and demand for the two-part ones; the total register alone otherwise. The TOU
registers sum to the total (the last one takes the remainder), 尖 only in the months the tariff has 尖 hours.

A few customers, chosen by id so every load has them, carry one anomaly each (DOMAIN §9): a zero-consumption
streak, a jump of +120 % in one month (against the previous month and the same month last year), a register
rollover (confirmed by the reader), a meter change (换表), TOU registers that do not sum to the total, a low
power factor, a reading outside the book's window, an estimated (估抄) and a no-access (门闭) reading.

Bills are not written here: the bill runs price these readings (``load.py``).
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from server.billing.periods import due_on
from server.demo_data.tariffs import DemoTariff, TariffRef
from server.models.customers import CustomerCategory
from shared_models.methods.readings import ReadingStatus, Register

_KWH = Decimal("0.01")
_HUNDRED = Decimal(100)
_ZERO = Decimal(0)

# Monthly consumption factors by calendar month (Jan..Dec): air conditioning in Jul/Aug, heating
# in Jan/Feb for homes; summer cooling for shops; irrigation from June to September on farms.
_SEASON = {
    category: tuple(Decimal(factor) for factor in factors.split())
    for category, factors in {
        CustomerCategory.RESIDENTIAL: "1.35 1.30 1.00 0.85 0.85 1.00 1.45 1.55 1.10 0.85 0.90 1.15",
        CustomerCategory.COMMERCIAL: "1.10 0.85 1.00 0.95 1.00 1.10 1.30 1.35 1.10 1.00 0.95 1.05",
        CustomerCategory.AGRICULTURAL: "0.50 0.50 0.70 0.90 1.10 1.50 1.80 1.80 1.40 0.90 0.60 0.50",
    }.items()
}

#: The register columns a demo reading fills, in COPY order.
REGISTERS = (Register.TOTAL, Register.SHARP, Register.PEAK, Register.FLAT, Register.VALLEY, Register.REACTIVE,
             Register.DEMAND)
READING_COLUMNS = ("id", "meter_id", "period", "read_on", "status", "source", *(r.value for r in REGISTERS),
                   "rollover_confirmed", "old_final_id")

_RES_TOU = (Register.TOTAL, Register.PEAK, Register.VALLEY)
_CI_TOU = (Register.TOTAL, Register.SHARP, Register.PEAK, Register.FLAT, Register.VALLEY)
_TWO_PART = (*_CI_TOU, Register.REACTIVE, Register.DEMAND)
#: Share of the month's kWh per TOU register (the last register of a tariff takes the remainder).
_RES_SHARES = {Register.PEAK: Decimal("0.62")}
_CI_SHARES = {Register.SHARP: Decimal("0.08"), Register.PEAK: Decimal("0.45"), Register.FLAT: Decimal("0.30")}
#: The months whose whole reading period lies in the 尖 season (July–August, December–January) of the C&I TOU.
_SHARP_MONTHS = frozenset({1, 8})


class Anomaly:
    """Which customers carry which deliberate anomaly: ``customer_id % modulus == remainder``."""

    ZERO_STREAK = (97, 5)
    JUMP = (89, 3)
    ROLLOVER = (211, 11)
    METER_CHANGE = (331, 17)
    TOU_MISMATCH = (293, 19)
    LOW_POWER_FACTOR = (3, 1)  # among the two-part customers only
    OUTSIDE_WINDOW = (103, 7)
    ESTIMATED = (107, 9)
    NO_ACCESS = (109, 13)

    @staticmethod
    def has(kind: tuple[int, int], customer_id: int) -> bool:
        """True when the customer carries this anomaly."""
        return customer_id % kind[0] == kind[1]


#: The month (k) of the year each deliberate anomaly shows in.
ANOMALY_MONTH = {"zero_from": 3, "zero_to": 6, "jump": 9, "change": 6, "tou": 5, "window": 12, "estimated": 12,
                 "no_access": 10}


def meter_registers(tariff: TariffRef) -> tuple[Register, ...]:
    """The registers of a demo meter on this tariff."""
    code = DemoTariff(tariff.code) if tariff.code else None
    if code is DemoTariff.RESIDENTIAL_TOU:
        return _RES_TOU
    if code is DemoTariff.COMMERCIAL_TOU:
        return _CI_TOU
    if code in {DemoTariff.INDUSTRY_CAPACITY, DemoTariff.INDUSTRY_DEMAND}:
        return _TWO_PART
    return (Register.TOTAL,)


@dataclass(frozen=True)
class Period:
    """One month of the demo: ``k`` = 0 is the baseline reading, 1 .. months are billed."""

    k: int
    month: int
    #: ``yyyymm``
    period: int
    #: ``yyyy-mm-``: the reading day follows
    read_month: str
    #: The day the period's bill run is released (the bill's issue date) and its due date.
    issued_on: dt.date
    due_on: dt.date
    #: Days from issue to the last day a payment can have been made (the due date, or yesterday).
    pay_window: int


def periods(today: dt.date, months: int) -> list[Period]:
    """The baseline month and the ``months`` full months before ``today``'s, oldest first."""
    first = today.replace(day=1)
    out = []
    for k in range(months + 1):
        index = first.year * 12 + first.month - 1 - (months - k + 1)
        start = dt.date(index // 12, index % 12 + 1, 1)
        issued = (start + dt.timedelta(days=32)).replace(day=1)
        due = due_on(issued)
        last_pay_day = min(due, today - dt.timedelta(days=1))
        out.append(Period(k=k, month=start.month, period=start.year * 100 + start.month,
                          read_month=f"{start:%Y-%m-}", issued_on=issued, due_on=due,
                          pay_window=max((last_pay_day - issued).days, 0)))
    return out


@dataclass(frozen=True)
class Usage:
    """What a customer's readings are made of: the meter, its consumption and the tariff."""

    customer_id: int
    category: CustomerCategory
    multiplier: int
    digits: int
    base_kwh: Decimal  # median monthly consumption (kWh) before the seasonal factor
    start_value: int  # the total register at the baseline reading
    tariff: TariffRef
    active_months: int  # months with consumption (fewer once suspended or closed)
    read_day: int


@dataclass
class _Meter:
    """A meter's register values as read (not multiplied), and its id."""

    meter_id: int
    values: dict[Register, Decimal]


def _split(kwh: Decimal, registers: tuple[Register, ...], month: int) -> dict[Register, Decimal]:
    """The month's register advances (0.01): the TOU registers sum to the total exactly."""
    tou = [r for r in registers if r in {Register.SHARP, Register.PEAK, Register.FLAT, Register.VALLEY}]
    out = {Register.TOTAL: kwh}
    if not tou:
        return out
    shares = _RES_SHARES if Register.SHARP not in registers else _CI_SHARES
    rest = kwh
    for register in tou[:-1]:
        share = shares.get(register, _ZERO)
        if register is Register.SHARP and month not in _SHARP_MONTHS:
            share = _ZERO
        part = (kwh * share).quantize(_KWH, rounding=ROUND_HALF_UP)
        out[register] = part
        rest -= part
    out[tou[-1]] = rest
    return out


class ReadingWriter:
    """COPY lines of the demo readings; ids of extra rows (meter changes) and extra meters counted from a base."""

    def __init__(self, *, months: list[Period], first_extra_reading: int, first_extra_meter: int) -> None:
        self._months = months
        self._next_reading = first_extra_reading
        self._next_meter = first_extra_meter
        #: (old meter id, new meter id, customer id, change period) of each meter change written.
        self.changes: list[tuple[int, int, int, dt.date]] = []

    def _extra_reading(self) -> int:
        self._next_reading += 1
        return self._next_reading - 1

    def write(self, usage: Usage, rng: random.Random, *, out: io.StringIO) -> int:  # noqa: PLR0912, PLR0915
        """The customer's readings (one per month and meter, baseline first); returns how many rows."""
        cid = usage.customer_id
        billed = len(self._months) - 1
        season = _SEASON[usage.category]
        scale = usage.base_kwh / usage.multiplier / _HUNDRED
        registers = meter_registers(usage.tariff)
        wrap = Decimal(10) ** usage.digits
        start = Decimal(usage.start_value)
        if Anomaly.has(Anomaly.ROLLOVER, cid):
            start = wrap - (scale * 100 * 3).quantize(_KWH)  # passes 10^digits in the third month or so
        meter = _Meter(cid, {r: _ZERO for r in registers if r is not Register.DEMAND})
        meter.values.update(_split(start, registers, 6) if Register.PEAK in registers else {Register.TOTAL: start})
        for r in registers:
            if r is Register.REACTIVE:
                meter.values[r] = (start / 3).quantize(_KWH)
        draw = rng.getrandbits
        first_reading = (cid - 1) * (billed + 1) + 1
        low_pf = Register.REACTIVE in registers and Anomaly.has(Anomaly.LOW_POWER_FACTOR, cid)
        rows = 0
        for period in self._months:
            k = period.k
            empty = draw(10) < 12
            noise = draw(5)
            if k == 0 or k > usage.active_months or empty or (
                    Anomaly.has(Anomaly.ZERO_STREAK, cid) and ANOMALY_MONTH["zero_from"] <= k
                    <= ANOMALY_MONTH["zero_to"]):
                advance = _ZERO
            else:
                advance = (scale * season[period.month - 1] * (85 + noise)).quantize(_KWH, rounding=ROUND_HALF_UP)
                if Anomaly.has(Anomaly.JUMP, cid) and k == ANOMALY_MONTH["jump"]:
                    advance = (advance * Decimal("2.2")).quantize(_KWH)
            read_day = usage.read_day
            if Anomaly.has(Anomaly.OUTSIDE_WINDOW, cid) and k == ANOMALY_MONTH["window"]:
                read_day = min(read_day + 8, 28) if read_day < 20 else read_day - 9
            read_on = f"{period.read_month}{read_day:02d}"
            status = ReadingStatus.ACTUAL
            if Anomaly.has(Anomaly.ESTIMATED, cid) and k == ANOMALY_MONTH["estimated"]:
                status = ReadingStatus.ESTIMATED
            steps = _split(advance, registers, period.month)
            if Anomaly.has(Anomaly.TOU_MISMATCH, cid) and k == ANOMALY_MONTH["tou"] and Register.PEAK in steps:
                steps[Register.PEAK] += Decimal(30)
            if Register.REACTIVE in registers:
                ratio = Decimal("0.75") if low_pf and k >= 2 else Decimal("0.33")  # tanφ: cosφ 0.80 or 0.95
                steps[Register.REACTIVE] = (advance * ratio).quantize(_KWH)
            for register, step in steps.items():
                meter.values[register] = meter.values.get(register, _ZERO) + step
            demand = None
            if Register.DEMAND in registers:
                demand = (advance / 400).quantize(_KWH) if advance else _ZERO  # kW of ~400 full-load hours
            if Anomaly.has(Anomaly.METER_CHANGE, cid) and k == ANOMALY_MONTH["change"]:
                rows += self._meter_change(usage, meter, period, read_on, registers, demand, out=out)
                continue
            reading_id = first_reading + k
            if Anomaly.has(Anomaly.NO_ACCESS, cid) and k == ANOMALY_MONTH["no_access"]:
                out.write(self._row(reading_id, meter.meter_id, period.period, read_on, ReadingStatus.NO_ACCESS,
                                    None, registers, None, rollover=False))
                rows += 1
                continue
            shown = {r: v % wrap for r, v in meter.values.items()}
            rolled = any(v >= wrap and v - steps.get(r, _ZERO) < wrap for r, v in meter.values.items())
            if meter.meter_id != cid:  # readings of the new meter after a change
                reading_id = self._extra_reading()
            out.write(self._row(reading_id, meter.meter_id, period.period, read_on, status, shown, registers, demand,
                                rollover=rolled))
            rows += 1
        return rows

    def _meter_change(self, usage: Usage, meter: _Meter, period: Period, read_on: str,  # noqa: PLR0917
                      registers: tuple[Register, ...], demand: Decimal | None, *, out: io.StringIO) -> int:
        """换表: the old meter's final reading (with this month's consumption) and the new meter's start reading at
        zero; the new meter is read from next month on."""
        wrap = Decimal(10) ** usage.digits
        final_id = (usage.customer_id - 1) * len(self._months) + 1 + period.k
        shown = {r: v % wrap for r, v in meter.values.items()}
        out.write(self._row(final_id, meter.meter_id, period.period, read_on, ReadingStatus.METER_CHANGED, shown,
                            registers, demand, rollover=False))
        new_meter = self._next_meter
        self._next_meter += 1
        self.changes.append((meter.meter_id, new_meter, usage.customer_id, dt.date.fromisoformat(read_on)))
        meter.meter_id = new_meter
        meter.values = {r: _ZERO for r in meter.values}
        out.write(self._row(self._extra_reading(), new_meter, period.period, read_on, ReadingStatus.METER_CHANGED,
                            dict(meter.values), registers, demand and _ZERO, rollover=False, old_final=final_id))
        return 2

    @staticmethod
    def _row(reading_id: int, meter_id: int, period: int, read_on: str, status: ReadingStatus,  # noqa: PLR0917
             values: dict[Register, Decimal] | None, registers: tuple[Register, ...], demand: Decimal | None, *,
             rollover: bool, old_final: int | None = None) -> str:
        cells = []
        for register in REGISTERS:
            if values is None or register not in registers:
                cells.append("\\N")
            elif register is Register.DEMAND:
                cells.append(str(demand if demand is not None else _ZERO))
            else:
                cells.append(str(values[register]))
        return (f"{reading_id}\t{meter_id}\t{period}\t{read_on}\t{status.value}\timport\t" + "\t".join(cells)
                + f"\t{'t' if rollover else 'f'}\t{old_final if old_final is not None else chr(92) + 'N'}\n")
