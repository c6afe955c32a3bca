"""Consumption from readings (DOMAIN §9): register differences × multiplier, rollover, meter change, estimates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared_models.methods.readings import AnomalyCode, ReadingStatus, Register
from shared_models.rules.reading_consumption import (
    ConsumptionError,
    ConsumptionHistory,
    MeterSpec,
    ReadingPoint,
    consumption_for,
    register_advance,
    usage_for,
)
from shared_models.tariffs import TouPeriod

D = Decimal
TOU = frozenset({Register.TOTAL, Register.PEAK, Register.FLAT, Register.VALLEY})
ALL = frozenset({Register.TOTAL, Register.SHARP, Register.PEAK, Register.FLAT, Register.VALLEY, Register.REACTIVE,
                 Register.DEMAND})


def meter(meter_id: int = 1, *, multiplier: int = 1, digits: int = 6,
          registers: frozenset[Register] = frozenset({Register.TOTAL})) -> MeterSpec:
    """A meter spec."""
    return MeterSpec(meter_id=meter_id, multiplier=multiplier, digits=digits, registers=registers)


def point(reading_id: int, period: int, values: dict[Register, str] | None, *, meter_id: int = 1,
          status: ReadingStatus = ReadingStatus.ACTUAL, day: int = 15, rollover: bool = False,
          old_final_id: int | None = None) -> ReadingPoint:
    """A reading of ``period`` read on the ``day`` of its month."""
    return ReadingPoint(reading_id=reading_id, meter_id=meter_id, period=period,
                        read_on=dt.date(period // 100, period % 100, day), status=status,
                        values={r: D(v) for r, v in (values or {}).items()}, rollover_confirmed=rollover,
                        old_final_id=old_final_id)


class TestRegisterAdvance:
    def test_plain_difference(self) -> None:
        """A register that moved up gives the difference."""
        assert register_advance(register=Register.TOTAL, previous=D("100.50"), current=D("130.25"), digits=6,
                                rollover_confirmed=False) == (D("29.75"), False)

    def test_below_previous_without_confirmation_is_an_error(self) -> None:
        """A value below the previous one is not silently wrapped."""
        with pytest.raises(ConsumptionError) as caught:
            register_advance(register=Register.PEAK, previous=D("999990"), current=D("5"), digits=6,
                             rollover_confirmed=False)
        assert caught.value.code is AnomalyCode.BELOW_PREVIOUS
        assert caught.value.figures == {"register": "peak", "previous": "999990", "current": "5"}

    def test_confirmed_rollover_wraps_at_ten_to_the_digits(self) -> None:
        """A confirmed rollover is 10^digits − previous + current."""
        assert register_advance(register=Register.TOTAL, previous=D("999990.00"), current=D("5.00"), digits=6,
                                rollover_confirmed=True) == (D("15.00"), True)
        assert register_advance(register=Register.TOTAL, previous=D("9998"), current=D("3"), digits=4,
                                rollover_confirmed=True) == (D("5"), True)


class TestUsage:
    def test_multiplier_and_tou_registers(self) -> None:
        """kWh per register = difference × multiplier; TOU registers become the usage's periods."""
        m = meter(multiplier=30, registers=TOU)
        readings = [
            point(1, 202609, {Register.TOTAL: "100.00", Register.PEAK: "40.00", Register.FLAT: "30.00",
                              Register.VALLEY: "30.00"}),
            point(2, 202610, {Register.TOTAL: "110.50", Register.PEAK: "44.00", Register.FLAT: "33.50",
                              Register.VALLEY: "33.00"}),
        ]
        usage = usage_for(meters=[m], readings=readings, period=202610)
        assert usage.total_kwh == D("315.00")
        assert usage.tou_kwh == {TouPeriod.PEAK: D("120.00"), TouPeriod.FLAT: D("105.00"),
                                 TouPeriod.VALLEY: D("90.00")}
        assert (usage.period_from, usage.period_to) == (dt.date(2026, 9, 16), dt.date(2026, 10, 15))
        assert usage.reactive_kvarh is None
        assert usage.max_demand_kw is None

    def test_reactive_and_demand(self) -> None:
        """Reactive is a difference; demand is read as it is (× multiplier)."""
        m = meter(multiplier=100, registers=ALL)
        base = {Register.TOTAL: "10", Register.SHARP: "1", Register.PEAK: "3", Register.FLAT: "3",
                Register.VALLEY: "3", Register.REACTIVE: "4", Register.DEMAND: "2.10"}
        now = {Register.TOTAL: "20", Register.SHARP: "2", Register.PEAK: "6", Register.FLAT: "6",
               Register.VALLEY: "6", Register.REACTIVE: "8", Register.DEMAND: "3.25"}
        usage = usage_for(meters=[m], readings=[point(1, 202609, base), point(2, 202610, now)], period=202610)
        assert usage.total_kwh == D("1000.00")
        assert usage.reactive_kvarh == D("400.00")
        assert usage.max_demand_kw == D("325.00")
        assert usage.tou_kwh[TouPeriod.SHARP] == D("100.00")

    def test_only_current_order_matters_not_the_input_order(self) -> None:
        """Readings may come in any order."""
        readings = [point(3, 202611, {Register.TOTAL: "130"}), point(1, 202609, {Register.TOTAL: "100"}),
                    point(2, 202610, {Register.TOTAL: "110"})]
        assert usage_for(meters=[meter()], readings=readings, period=202611).total_kwh == D("20.00")

    def test_first_reading_has_no_consumption(self) -> None:
        """A meter's first reading is a baseline: NO_PREVIOUS."""
        with pytest.raises(ConsumptionError) as caught:
            usage_for(meters=[meter()], readings=[point(1, 202609, {Register.TOTAL: "100"})], period=202609)
        assert caught.value.code is AnomalyCode.NO_PREVIOUS

    def test_period_without_reading(self) -> None:
        """A period nobody read gives NO_PREVIOUS too (nothing to bill from)."""
        with pytest.raises(ConsumptionError):
            usage_for(meters=[meter()], readings=[point(1, 202609, {Register.TOTAL: "100"})], period=202610)

    def test_rollover_only_when_confirmed(self) -> None:
        """A wrapped total is billed when the reader confirmed it, refused otherwise."""
        base = point(1, 202609, {Register.TOTAL: "999950.00"})
        unconfirmed = point(2, 202610, {Register.TOTAL: "30.00"})
        with pytest.raises(ConsumptionError) as caught:
            usage_for(meters=[meter(multiplier=2)], readings=[base, unconfirmed], period=202610)
        assert caught.value.code is AnomalyCode.BELOW_PREVIOUS
        confirmed = point(2, 202610, {Register.TOTAL: "30.00"}, rollover=True)
        found = consumption_for(meters=[meter(multiplier=2)], readings=[base, confirmed], period=202610)
        assert found.kwh[Register.TOTAL] == D("160.00")
        assert found.rollovers == (Register.TOTAL,)

    def test_meter_change_bills_both_parts(self) -> None:
        """换表: (old final − old previous) × old multiplier + (new current − new start) × new multiplier."""
        old, new = meter(1, multiplier=20), meter(2, multiplier=50)
        readings = [
            point(1, 202609, {Register.TOTAL: "1000.00"}, meter_id=1),
            point(2, 202610, {Register.TOTAL: "1012.50"}, meter_id=1, status=ReadingStatus.METER_CHANGED, day=8),
            point(3, 202610, {Register.TOTAL: "0.00"}, meter_id=2, status=ReadingStatus.METER_CHANGED, day=8,
                  old_final_id=2),
            point(4, 202610, {Register.TOTAL: "3.20"}, meter_id=2),
            point(5, 202611, {Register.TOTAL: "10.20"}, meter_id=2),
        ]
        found = consumption_for(meters=[old, new], readings=readings, period=202610)
        assert found.kwh[Register.TOTAL] == D("250.00") + D("160.00")
        assert (found.period_from, found.period_to) == (dt.date(2026, 9, 16), dt.date(2026, 10, 15))
        # the next period is the new meter alone, from its reading of the change month
        assert usage_for(meters=[old, new], readings=readings, period=202611).total_kwh == D("350.00")

    def test_meter_change_on_the_reading_day(self) -> None:
        """A change with no regular reading of the new meter that period bills the old meter's part only."""
        readings = [
            point(1, 202609, {Register.TOTAL: "1000.00"}, meter_id=1),
            point(2, 202610, {Register.TOTAL: "1010.00"}, meter_id=1, status=ReadingStatus.METER_CHANGED),
            point(3, 202610, {Register.TOTAL: "5.00"}, meter_id=2, status=ReadingStatus.METER_CHANGED,
                  old_final_id=2),
            point(4, 202611, {Register.TOTAL: "25.00"}, meter_id=2),
        ]
        meters = [meter(1), meter(2)]
        assert usage_for(meters=meters, readings=readings, period=202610).total_kwh == D("10.00")
        assert usage_for(meters=meters, readings=readings, period=202611).total_kwh == D("20.00")

    def test_final_reading_alone(self) -> None:
        """An old meter's final reading before the new meter's start is entered bills the old meter's part."""
        readings = [
            point(1, 202609, {Register.TOTAL: "1000.00"}),
            point(2, 202610, {Register.TOTAL: "1004.00"}, status=ReadingStatus.METER_CHANGED, day=3),
        ]
        found = consumption_for(meters=[meter(multiplier=10)], readings=readings, period=202610)
        assert found.kwh == {Register.TOTAL: D("40.00")}
        assert found.period_to == dt.date(2026, 10, 3)

    def test_no_access_bills_the_previous_period_and_the_next_read_settles(self) -> None:
        """门闭: the previous period's consumption; the next read bills the advance less the estimate."""
        readings = [
            point(1, 202608, {Register.TOTAL: "100"}),
            point(2, 202609, {Register.TOTAL: "180"}),
            point(3, 202610, None, status=ReadingStatus.NO_ACCESS),
            point(4, 202611, {Register.TOTAL: "300"}),
        ]
        estimate = consumption_for(meters=[meter()], readings=readings, period=202610)
        assert estimate.estimated
        assert estimate.kwh[Register.TOTAL] == D("80.00")
        settled = consumption_for(meters=[meter()], readings=readings, period=202611)
        assert settled.kwh[Register.TOTAL] == D("40.00")
        assert not settled.estimated
        assert settled.period_from == dt.date(2026, 10, 16)

    def test_two_estimates_in_a_row(self) -> None:
        """Two closed doors: each bills the one before; the read settles both."""
        readings = [
            point(1, 202607, {Register.TOTAL: "0"}),
            point(2, 202608, {Register.TOTAL: "50"}),
            point(3, 202609, None, status=ReadingStatus.METER_FAULT),
            point(4, 202610, None, status=ReadingStatus.NO_ACCESS),
            point(5, 202611, {Register.TOTAL: "175"}),
        ]
        meters = [meter()]
        assert usage_for(meters=meters, readings=readings, period=202610).total_kwh == D("50.00")
        assert usage_for(meters=meters, readings=readings, period=202611).total_kwh == D("25.00")

    def test_estimate_larger_than_the_read(self) -> None:
        """An estimate above what the next read shows is an error (a refund for the clerk), not a negative bill."""
        readings = [
            point(1, 202608, {Register.TOTAL: "100"}),
            point(2, 202609, {Register.TOTAL: "200"}),
            point(3, 202610, None, status=ReadingStatus.NO_ACCESS),
            point(4, 202611, {Register.TOTAL: "260"}),
        ]
        with pytest.raises(ConsumptionError) as caught:
            usage_for(meters=[meter()], readings=readings, period=202611)
        assert caught.value.code is AnomalyCode.ESTIMATE_EXCEEDED
        assert caught.value.figures == {"register": "total", "estimated_kwh": "100.00", "read_kwh": "60.00"}

    def test_two_meters_add_up(self) -> None:
        """Two meters of a customer read in the same period add up."""
        readings = [point(1, 202609, {Register.TOTAL: "10"}, meter_id=1),
                    point(2, 202610, {Register.TOTAL: "20"}, meter_id=1),
                    point(3, 202609, {Register.TOTAL: "100"}, meter_id=2),
                    point(4, 202610, {Register.TOTAL: "105"}, meter_id=2)]
        assert usage_for(meters=[meter(1), meter(2, multiplier=3)], readings=readings,
                         period=202610).total_kwh == D("25.00")

    def test_reading_of_an_unknown_meter(self) -> None:
        """A reading of a meter not given is a programming error."""
        with pytest.raises(ValueError, match="not among the meters"):
            usage_for(meters=[meter(1)], readings=[point(1, 202609, {Register.TOTAL: "1"}, meter_id=9),
                                                   point(2, 202610, {Register.TOTAL: "2"}, meter_id=9)],
                      period=202610)

    @given(start=st.integers(0, 99_999_999), steps=st.lists(st.integers(0, 5_000_000), min_size=1, max_size=6),
           multiplier=st.sampled_from([1, 30, 80, 200]))
    def test_consumptions_add_up_to_the_register_advance(self, start: int, steps: list[int], multiplier: int) -> None:
        """The periods' kWh sum to the register's whole advance × multiplier, rollovers included (8 digits)."""
        wrap = 10**8
        periods = [202601 + k for k in range(len(steps) + 1)]
        value, total = start, 0
        readings = [point(1, periods[0], {Register.TOTAL: f"{D(start) / 100:.2f}"})]
        for k, step in enumerate(steps, start=1):
            total += step
            new = (value + step) % wrap
            readings.append(point(k + 1, periods[k], {Register.TOTAL: f"{D(new) / 100:.2f}"},
                                  rollover=new < value))
            value = new
        m = meter(multiplier=multiplier, digits=6)
        kwh = sum((usage_for(meters=[m], readings=readings, period=p).total_kwh for p in periods[1:]), D(0))
        assert kwh == D(total) / 100 * multiplier
        # the one-pass path of the common case gives what the full history gives
        for p in periods[1:]:
            full = ConsumptionHistory([m], readings).consumption(p)
            assert consumption_for(meters=[m], readings=readings, period=p) == full
