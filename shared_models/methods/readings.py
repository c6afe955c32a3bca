"""Meter readings per register (SPEC C5, DOMAIN §9): entry and correction with a supervisor's co-sign, history.

A meter has registers (:class:`Register`); a reading stores the value of each, its date, its status (实抄, 估抄,
门闭, 表坏, 换表) and its source. Readings are a book: a correction is a new reading that supersedes the current
one of the same meter and period. Every reading comes back with the consumption it gives per register and
the anomalies found on it (:class:`Anomaly`: a code and the figures behind it; the client words it).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Final

from pydantic import Field

from shared_models.ids import NO_NUL_PATTERN, CustomerNoField
from shared_models.roles import Perm
from shared_models.rpc import Model, Mutation, Query, register
from shared_models.tariffs import Kwh, TouPeriod


class Register(StrEnum):
    """A register of a meter (DOMAIN §2, §9): total active, the TOU registers, reactive, maximum demand, and
    reverse active (feed-in of a customer with own generation)."""

    TOTAL = "total"
    SHARP = "sharp"  # 尖
    PEAK = "peak"  # 峰
    FLAT = "flat"  # 平
    VALLEY = "valley"  # 谷
    DEEP_VALLEY = "deep_valley"  # 深谷
    REACTIVE = "reactive"  # 无功 (kvarh)
    DEMAND = "demand"  # 最大需量 (kW, reset each period: not a difference)
    REVERSE_ACTIVE = "reverse_active"  # 反向有功


#: The TOU registers, each billed at its period's price.
TOU_REGISTERS: Final = {Register.SHARP: TouPeriod.SHARP, Register.PEAK: TouPeriod.PEAK, Register.FLAT: TouPeriod.FLAT,
                        Register.VALLEY: TouPeriod.VALLEY, Register.DEEP_VALLEY: TouPeriod.DEEP_VALLEY}


class ReadingStatus(StrEnum):
    """The result of a read (DOMAIN §9, the handheld's result codes)."""

    ACTUAL = "actual"  # 实抄
    ESTIMATED = "estimated"  # 估抄: values given by the reader's estimate
    NO_ACCESS = "no_access"  # 门闭: no values; the previous period's consumption is billed, settled next read
    METER_FAULT = "meter_fault"  # 表坏: no values, as NO_ACCESS
    METER_CHANGED = "meter_changed"  # 换表: the old meter's final or the new meter's start reading


#: Statuses that carry no register values (consumption is estimated from the previous period).
WITHOUT_VALUES: Final = frozenset({ReadingStatus.NO_ACCESS, ReadingStatus.METER_FAULT})


class ReadingSource(StrEnum):
    """Where a reading came from."""

    HANDHELD = "handheld"  # 抄表器
    MANUAL = "manual"  # typed in by a reader or billing clerk
    IMPORT = "import"  # a file or a remote (AMI) import


class AnomalyCode(StrEnum):
    """What the checks of DOMAIN §9 found on a reading; the figures are in ``Anomaly.figures``."""

    ZERO_STREAK = "zero_streak"  # count
    RISE_VS_PREVIOUS = "rise_vs_previous"  # kwh, previous_kwh, change_pct, limit_pct
    DROP_VS_PREVIOUS = "drop_vs_previous"  # kwh, previous_kwh, change_pct, limit_pct
    RISE_VS_LAST_YEAR = "rise_vs_last_year"  # kwh, last_year_kwh, change_pct, limit_pct
    DROP_VS_LAST_YEAR = "drop_vs_last_year"  # kwh, last_year_kwh, change_pct, limit_pct
    BELOW_PREVIOUS = "below_previous"  # register, previous, current
    ROLLOVER = "rollover"  # register, previous, current (confirmed by the reader)
    TOU_SUM_MISMATCH = "tou_sum_mismatch"  # total_kwh, tou_kwh
    DEMAND_OVER_CONTRACT = "demand_over_contract"  # demand_kw, contract_kw, limit_kw
    LOW_POWER_FACTOR = "low_power_factor"  # power_factor, standard
    OUTSIDE_WINDOW = "outside_window"  # read_on, window_from, window_to
    ESTIMATED = "estimated"  # status
    MANUAL_ENTRY = "manual_entry"  # source
    ESTIMATE_EXCEEDED = "estimate_exceeded"  # register, estimated_kwh, read_kwh
    NO_PREVIOUS = "no_previous"  # the first reading of a meter: nothing to compare with


#: A figure behind an anomaly, as text ("12.50", "3", "2026-11-05") so decimals stay exact.
Figures = dict[str, str]


class Anomaly(Model):
    """One finding on a reading: its code and the figures the sentence shows."""

    code: AnomalyCode
    figures: Figures = Field(default_factory=dict)


#: A billing period ``YYYYMM`` (a month 13 or 00 is READING_PERIOD_INVALID, from the service).
PeriodField = Annotated[int, Field(strict=True, ge=200001, le=209912)]
#: A meter asset number (电能表资产号).
AssetNoField = Annotated[str, Field(strict=True, min_length=1, max_length=24, pattern=r"^[A-Za-z0-9-]+$")]
ReasonField = Annotated[str, Field(strict=True, min_length=2, max_length=200, pattern=NO_NUL_PATTERN)]
ReadingIdField = Annotated[int, Field(strict=True, ge=1, le=2**63 - 1)]
#: A register value as the meter shows it: a decimal string with at most two places ("12345.67"), never a float.
RegisterValueField = Annotated[str, Field(strict=True, max_length=16, pattern=r"^[0-9]{1,12}(\.[0-9]{1,2})?$")]


def is_valid_period(period: int) -> bool:
    """True when ``period`` is a ``YYYYMM`` of the years 2000–2099."""
    year, month = divmod(period, 100)
    return 2000 <= year <= 2099 and 1 <= month <= 12


class ReadingCorrection(Model):
    """What a correction replaces: the current reading of the same meter, period and kind, and why."""

    reading_id: ReadingIdField
    reason: ReasonField


class EnterReadingRequest(Model):
    """A reading typed in by hand (or a correction of one), co-signed by a supervisor.

    ``values`` holds every register of the meter (none for 门闭 and 表坏). ``rollover_confirmed`` says the reader
    saw a register pass 10^digits (a value below the previous one is refused without it). A correction names the
    reading it replaces and why (``correction``). A new meter's start reading (status 换表) names the old meter's
    final reading (``old_final_reading_id``).
    """

    asset_no: AssetNoField
    period: PeriodField
    read_on: dt.date
    status: ReadingStatus
    source: ReadingSource = ReadingSource.MANUAL
    values: dict[Register, RegisterValueField] = Field(default_factory=dict)
    rollover_confirmed: bool = False
    correction: ReadingCorrection | None = None
    old_final_reading_id: ReadingIdField | None = None

    def register_values(self) -> dict[Register, Decimal]:
        """The values as exact decimals."""
        return {r: Decimal(v) for r, v in self.values.items()}


class ReadingView(Model):
    """A reading as the books hold it, with the consumption it gives and what the checks found.

    ``kwh`` is the consumption of the period per register (× multiplier; demand in kW); empty when it cannot be
    computed (the meter's first reading, or a value below the previous without a confirmed rollover).
    """

    reading_id: int
    asset_no: str
    period: int
    read_on: dt.date
    status: ReadingStatus
    source: ReadingSource
    values: dict[Register, Kwh]
    kwh: dict[Register, Kwh]
    estimated: bool
    rollover_confirmed: bool
    supersedes_id: int | None
    superseded: bool
    old_final_reading_id: int | None
    reason: str | None
    entered_by: str | None
    cosigned_by: str | None
    entered_at: dt.datetime
    anomalies: list[Anomaly]


class ListReadingsRequest(Model):
    """The reading history of a customer (all meters, or only ``asset_no`` of them)."""

    customer_no: CustomerNoField
    asset_no: AssetNoField | None = None
    #: Only the last ``periods`` periods (newest first).
    periods: Annotated[int, Field(strict=True, ge=1, le=120)] = 24


class MeterView(Model):
    """A meter with its registers."""

    asset_no: str
    multiplier: int
    digits: int
    registers: list[Register]
    installed_on: dt.date
    removed_on: dt.date | None


class ReadingHistory(Model):
    """A customer's meters and their readings, newest period first; corrections and what they replaced too."""

    customer_no: str
    customer_name: str
    book_code: str
    meters: list[MeterView]
    readings: list[ReadingView]


ENTER_READING = register(
    Mutation("reading.enter_reading", EnterReadingRequest, ReadingView, permission=Perm.READINGS,
             cosign=Perm.APPROVE,
             summary="Enter or correct a meter reading by hand, co-signed by a supervisor; returns it with its "
                     "consumption and anomalies.")
)
LIST_READINGS = register(
    Query("reading.list_readings", ListReadingsRequest, ReadingHistory, permission=Perm.VIEW_CUSTOMERS,
          summary="The reading history of a customer or a meter, with kWh per register and anomalies.")
)


# --- a meter change (换表) at the desk (helper "meter") ------------------------------------------------------

#: A new meter's figure as typed in; the service checks its range (METER_SPEC_INVALID names the field).
MeterFigureField = Annotated[int, Field(strict=True, ge=0, le=2**31 - 1)]


class NewMeter(Model):
    """The meter installed at a change: asset number, digits (the register passes 10^digits), the current and
    voltage transformer ratios (the multiplier is CT × PT) and its registers (always the total)."""

    asset_no: AssetNoField
    digits: MeterFigureField
    ct_ratio: MeterFigureField = 1
    pt_ratio: MeterFigureField = 1
    registers: list[Register] = Field(min_length=1, max_length=len(Register))


class ChangeMeterRequest(Model):
    """A meter change (换表) after the work order, co-signed by a supervisor: the old meter's final reading
    (``final_values``, every register of the old meter, on ``changed_on`` for ``period``), the new meter
    (``new_meter``) and its start reading (``start_values``, every register of the new meter).

    ``rollover_confirmed`` says a register of the old meter passed 10^digits since its previous reading.
    """

    asset_no: AssetNoField
    period: PeriodField
    changed_on: dt.date
    final_values: dict[Register, RegisterValueField]
    rollover_confirmed: bool = False
    new_meter: NewMeter
    start_values: dict[Register, RegisterValueField]


class MeterChangeView(Model):
    """A meter change as stored: the old meter (removed on the day), the new one, and both readings."""

    old_meter: MeterView
    new_meter: MeterView
    final_reading: ReadingView
    start_reading: ReadingView


CHANGE_METER = register(
    Mutation("reading.change_meter", ChangeMeterRequest, MeterChangeView, permission=Perm.READINGS,
             cosign=Perm.APPROVE,
             summary="Change a customer's meter (换表), co-signed by a supervisor: the old meter's final reading, the "
                     "new meter installed and its start reading, in one transaction.")
)
