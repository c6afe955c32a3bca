"""The anomaly checks of a reading (DOMAIN §9): each code with the figures behind it, and its thresholds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from shared_models.methods.readings import Anomaly, AnomalyCode, ReadingSource, ReadingStatus, Register
from shared_models.rules.power_factor import power_factor
from shared_models.rules.reading_anomalies import (
    BookWindow,
    CheckInput,
    Thresholds,
    check_reading,
    period_anomalies,
    previous_period,
)
from shared_models.rules.reading_consumption import Consumption, ConsumptionError, MeterSpec, ReadingPoint

D = Decimal


def consumption(kwh: dict[Register, str] | str, *, estimated: bool = False,
                rollovers: tuple[Register, ...] = ()) -> Consumption:
    """A period's consumption (a string: the total only)."""
    values = {Register.TOTAL: kwh} if isinstance(kwh, str) else kwh
    return Consumption(period=202610, period_from=dt.date(2026, 9, 16), period_to=dt.date(2026, 10, 15),
                       kwh={r: D(v) for r, v in values.items()}, estimated=estimated, rollovers=rollovers)


def check(found: Consumption | ConsumptionError, *, history: dict[int, str] | None = None,
          status: ReadingStatus = ReadingStatus.ACTUAL, source: ReadingSource = ReadingSource.HANDHELD,
          read_on: dt.date = dt.date(2026, 10, 15), limits: Thresholds | None = None, **kw: object) -> list[Anomaly]:
    """The anomalies of a reading of 2026-10."""
    data = CheckInput(period=202610, read_on=read_on, status=status, source=source, consumption=found,
                      history={p: D(v) for p, v in (history or {}).items()}, **kw)  # type: ignore[arg-type]
    return check_reading(data, limits) if limits else check_reading(data)


def codes(anomalies: list[Anomaly]) -> list[AnomalyCode]:
    """Just the codes."""
    return [a.code for a in anomalies]


class TestPeriods:
    def test_previous_period(self) -> None:
        """Month arithmetic over a year end."""
        assert previous_period(202601) == 202512
        assert previous_period(202610, 12) == 202510
        assert previous_period(202603, 3) == 202512


class TestChecks:
    def test_an_ordinary_reading_has_none(self) -> None:
        """A steady consumption read on the day gives no anomaly."""
        assert check(consumption("100"), history={202609: "110", 202510: "95"}) == []

    def test_zero_streak_counts_the_periods(self) -> None:
        """Three zero periods in a row (this one included) are flagged with the count; two are not."""
        assert codes(check(consumption("0"), history={202609: "0", 202608: "12"})) == []
        found = check(consumption("0"), history={202609: "0", 202608: "0", 202607: "0", 202606: "5"})
        assert found == [Anomaly(code=AnomalyCode.ZERO_STREAK, figures={"count": "4"})]

    def test_zero_streak_threshold_is_configurable(self) -> None:
        """A category may flag from two zero periods on."""
        found = check(consumption("0"), history={202609: "0"}, limits=Thresholds(zero_streak=2))
        assert found == [Anomaly(code=AnomalyCode.ZERO_STREAK, figures={"count": "2"})]

    def test_rise_against_the_previous_period(self) -> None:
        """+60 % against the previous period is beyond +50 %."""
        found = check(consumption("160"), history={202609: "100"})
        assert found == [Anomaly(code=AnomalyCode.RISE_VS_PREVIOUS, figures={
            "kwh": "160", "previous_kwh": "100", "change_pct": "60.0", "limit_pct": "50.0"})]

    def test_exactly_the_threshold_is_not_an_anomaly(self) -> None:
        """+50 % and −50 % are still within the limits."""
        assert check(consumption("150"), history={202609: "100"}) == []
        assert check(consumption("50"), history={202609: "100"}) == []

    def test_drop_against_the_previous_period(self) -> None:
        """−60 % against the previous period is beyond −50 %."""
        assert codes(check(consumption("40"), history={202609: "100"})) == [AnomalyCode.DROP_VS_PREVIOUS]

    def test_against_the_same_month_last_year(self) -> None:
        """The same month a year before is the second reference."""
        found = check(consumption("300"), history={202609: "250", 202510: "120"})
        assert found == [Anomaly(code=AnomalyCode.RISE_VS_LAST_YEAR, figures={
            "kwh": "300", "last_year_kwh": "120", "change_pct": "150.0", "limit_pct": "50.0"})]
        assert codes(check(consumption("50"), history={202609: "60", 202510: "120"})) == [
            AnomalyCode.DROP_VS_LAST_YEAR]

    def test_thresholds_per_category(self) -> None:
        """A category with ±30 % flags +40 %."""
        limits = Thresholds(rise_share=D("0.30"), drop_share=D("0.30"))
        assert codes(check(consumption("140"), history={202609: "100"}, limits=limits)) == [
            AnomalyCode.RISE_VS_PREVIOUS]

    def test_below_previous_is_reported_from_the_arithmetic(self) -> None:
        """A value below the previous one without a change gives BELOW_PREVIOUS with the figures."""
        error = ConsumptionError(AnomalyCode.BELOW_PREVIOUS, register="total", previous="500.00", current="20.00")
        assert check(error) == [Anomaly(code=AnomalyCode.BELOW_PREVIOUS, figures={
            "register": "total", "previous": "500.00", "current": "20.00"})]

    def test_confirmed_rollover_is_shown(self) -> None:
        """A confirmed rollover is listed so the clerk sees it."""
        found = check(consumption("20", rollovers=(Register.TOTAL,)), history={202609: "20"})
        assert found == [Anomaly(code=AnomalyCode.ROLLOVER, figures={"register": "total"})]

    def test_tou_registers_not_summing_to_the_total(self) -> None:
        """TOU registers 95 against a total of 100 (× 1) are beyond rounding."""
        kwh = {Register.TOTAL: "100.00", Register.PEAK: "50.00", Register.VALLEY: "45.00"}
        found = check(consumption(kwh), history={202609: "100"})
        assert found == [Anomaly(code=AnomalyCode.TOU_SUM_MISMATCH, figures={
            "total_kwh": "100.00", "tou_kwh": "95.00"})]

    def test_tou_rounding_is_tolerated(self) -> None:
        """Each register value is rounded to 0.01: 0.02 off with two TOU registers (× 1) is not flagged, and
        with a multiplier of 30 the tolerance scales."""
        kwh = {Register.TOTAL: "100.00", Register.PEAK: "50.01", Register.VALLEY: "50.01"}
        assert check(consumption(kwh), history={202609: "100"}) == []
        kwh = {Register.TOTAL: "3000.00", Register.PEAK: "1500.30", Register.VALLEY: "1500.30"}
        assert check(consumption(kwh), history={202609: "3000"}, multiplier=30) == []

    def test_demand_above_contract(self) -> None:
        """Demand above contract × 1.05 is flagged; at 105 % it is not."""
        kwh = {Register.TOTAL: "1000", Register.DEMAND: "106"}
        found = check(consumption(kwh), history={202609: "1000"}, contract_demand_kw=D("100"))
        assert found == [Anomaly(code=AnomalyCode.DEMAND_OVER_CONTRACT, figures={
            "demand_kw": "106", "contract_kw": "100", "limit_kw": "105.00"})]
        kwh = {Register.TOTAL: "1000", Register.DEMAND: "105"}
        assert check(consumption(kwh), history={202609: "1000"}, contract_demand_kw=D("100")) == []

    def test_power_factor_below_standard(self) -> None:
        """cosφ 0.89 (P 1000, Q 512) is below 0.90 and not below 0.85."""
        kwh = {Register.TOTAL: "1000", Register.REACTIVE: "512"}
        found = check(consumption(kwh), history={202609: "1000"}, power_factor_standard=D("0.90"))
        assert found == [Anomaly(code=AnomalyCode.LOW_POWER_FACTOR, figures={
            "power_factor": "0.89", "standard": "0.90"})]
        assert check(consumption(kwh), history={202609: "1000"}, power_factor_standard=D("0.85")) == []

    @pytest.mark.parametrize(("active", "reactive", "expected"), [
        ("1000", "0", "1.00"), ("855", "511.4", "0.86"), ("3", "4", "0.60"), ("0", "10", "0.00")])
    def test_power_factor_rounds_half_up(self, active: str, reactive: str, expected: str) -> None:
        """cosφ = P / √(P² + Q²), rounded half up to two decimals."""
        assert power_factor(D(active), D(reactive)) == D(expected)

    def test_power_factor_without_consumption(self) -> None:
        """No active and no reactive energy: no power factor to judge."""
        assert power_factor(D(0), D(0)) is None

    def test_reading_outside_the_book_window(self) -> None:
        """Reading day 15 ± 3: the 19th is outside, the 18th inside."""
        book = BookWindow(reading_day=15, window_days=3)
        found = check(consumption("100"), history={202609: "100"}, book=book, read_on=dt.date(2026, 10, 19))
        assert found == [Anomaly(code=AnomalyCode.OUTSIDE_WINDOW, figures={
            "read_on": "2026-10-19", "window_from": "2026-10-12", "window_to": "2026-10-18"})]
        assert check(consumption("100"), history={202609: "100"}, book=book, read_on=dt.date(2026, 10, 18)) == []

    def test_reading_day_past_the_month_end(self) -> None:
        """A reading day 31 in a 30-day month is the month's last day."""
        assert BookWindow(reading_day=31, window_days=0).window(202611) == (dt.date(2026, 11, 30),
                                                                           dt.date(2026, 11, 30))

    def test_estimated_and_manual_flags(self) -> None:
        """估抄 and a hand-typed reading are flagged; so is an estimated consumption (门闭)."""
        found = check(consumption("100"), history={202609: "100"}, status=ReadingStatus.ESTIMATED,
                      source=ReadingSource.MANUAL)
        assert codes(found) == [AnomalyCode.ESTIMATED, AnomalyCode.MANUAL_ENTRY]
        found = check(consumption("100", estimated=True), history={202609: "100"}, status=ReadingStatus.NO_ACCESS)
        assert found == [Anomaly(code=AnomalyCode.ESTIMATED, figures={"status": "no_access"})]

    def test_first_reading(self) -> None:
        """A meter's first reading says there is nothing to compare with."""
        assert codes(check(ConsumptionError(AnomalyCode.NO_PREVIOUS, period="202610"))) == [AnomalyCode.NO_PREVIOUS]


class TestPeriodAnomalies:
    """The checks of a customer's period straight from its meters and current readings (a bill run in bulk)."""

    @staticmethod
    def point(reading_id: int, period: int, total: str | None, *, source: ReadingSource = ReadingSource.HANDHELD,
              status: ReadingStatus = ReadingStatus.ACTUAL) -> ReadingPoint:
        return ReadingPoint(reading_id=reading_id, meter_id=1, period=period,
                            read_on=dt.date(period // 100, period % 100, 15), status=status,
                            values={} if total is None else {Register.TOTAL: D(total)}, source=source)

    def test_rise_against_last_year_and_manual(self) -> None:
        """The earlier periods' totals come from the same readings; the reading's source is flagged."""
        p = self.point
        readings = [p(1, 202509, "0"), p(2, 202510, "100"), p(3, 202608, "700"), p(4, 202609, "950"),
                    p(5, 202610, "1250", source=ReadingSource.MANUAL)]
        meters = [MeterSpec(meter_id=1, multiplier=1, digits=6, registers=frozenset({Register.TOTAL}))]
        found = period_anomalies(meters=meters, readings=readings, period=202610)
        assert found == [Anomaly(code=AnomalyCode.MANUAL_ENTRY, figures={"source": "manual"}),
                         Anomaly(code=AnomalyCode.RISE_VS_LAST_YEAR, figures={
                             "kwh": "300.00", "last_year_kwh": "100.00", "change_pct": "200.0", "limit_pct": "50.0"})]

    def test_zero_streak_over_an_estimate(self) -> None:
        """Zero periods in a row, one of them a closed door billed as the zero before it."""
        p = self.point
        readings = [p(1, 202607, "50"), p(2, 202608, "50"), p(3, 202609, None, status=ReadingStatus.NO_ACCESS),
                    p(4, 202610, "50")]
        meters = [MeterSpec(meter_id=1, multiplier=1, digits=6, registers=frozenset({Register.TOTAL}))]
        assert period_anomalies(meters=meters, readings=readings, period=202610) == [
            Anomaly(code=AnomalyCode.ZERO_STREAK, figures={"count": "3"})]

    def test_unread_period(self) -> None:
        """A period nobody read."""
        meters = [MeterSpec(meter_id=1, multiplier=1, digits=6, registers=frozenset({Register.TOTAL}))]
        assert period_anomalies(meters=meters, readings=[self.point(1, 202609, "5")], period=202610) == [
            Anomaly(code=AnomalyCode.NO_PREVIOUS, figures={"period": "202610"})]
