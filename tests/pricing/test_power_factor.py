"""Power-factor adjustment (DOMAIN §3.3): the data file row by row against the step rules, cosφ, the adjustment line."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from server.pricing import PricingError, PricingRefusal, adjustment_percent, price
from server.pricing.power_factor import TABLE_FILE, PowerFactorTableError, adjustment_table, load_table
from shared_models.pricing import LineKind
from shared_models.rules.power_factor import power_factor
from shared_models.tariffs import PowerFactorStandard
from tests.pricing.builders import terms, usage, version

S90, S85, S80 = PowerFactorStandard.PF_090, PowerFactorStandard.PF_085, PowerFactorStandard.PF_080


def step_rule(standard: PowerFactorStandard, cos: int) -> int:
    """DOMAIN §3.3's step table, written out independently of the data file (hundredths of a percent)."""
    std = {S90: 90, S85: 85, S80: 80}[standard]
    reductions = {  # cosφ above the standard → reduction; the cap applies from the given cosφ up
        90: ({91: 15, 92: 30, 93: 45, 94: 60}, 95, 75),
        85: ({86: 10, 87: 20, 88: 30, 89: 40, 90: 50, 91: 65, 92: 80, 93: 95}, 94, 110),
        80: ({81: 10, 82: 20, 83: 30, 84: 40, 85: 50, 86: 60, 87: 70, 88: 80, 89: 90, 90: 100, 91: 115}, 92, 130),
    }[std]
    if cos > std:
        table, cap_from, cap = reductions
        return -(cap if cos >= cap_from else table[cos])
    # below the standard: +0.5 % per 0.01 for 20 steps (to +10 %), +1 % for 5 more (to +15 %), then +2 %
    steps = std - cos
    if steps <= 20:
        return steps * 50
    if steps <= 25:
        return 1000 + (steps - 20) * 100
    return 1500 + (steps - 25) * 200


class TestTable:
    def test_seventy_one_rows_each(self) -> None:
        """Each standard has a row for every cosφ from 1.00 to 0.30."""
        table = adjustment_table()
        assert {s: sorted(column) for s, column in table.items()} == {s: list(range(30, 101)) for s in table}

    @pytest.mark.parametrize("standard", list(PowerFactorStandard))
    def test_every_row_follows_the_step_rules(self, standard: PowerFactorStandard) -> None:
        """All 71 rows of the standard's column equal the step rules of DOMAIN §3.3."""
        column = adjustment_table()[standard]
        assert {cos: column[cos] for cos in range(30, 101)} == {cos: step_rule(standard, cos) for cos in range(30, 101)}

    @pytest.mark.parametrize(("cos", "expected"), [
        ("1.00", ("-0.75", "-1.1", "-1.3")), ("0.95", ("-0.75", "-1.1", "-1.3")), ("0.94", ("-0.6", "-1.1", "-1.3")),
        ("0.93", ("-0.45", "-0.95", "-1.3")), ("0.66", ("14", "9.5", "7")), ("0.65", ("15", "10", "7.5")),
        ("0.64", ("17", "11", "8")), ("0.60", ("25", "15", "10")), ("0.59", ("27", "17", "11")),
        ("0.30", ("85", "75", "65")),
    ])
    def test_quoted_end_points(self, cos: str, expected: tuple[str, str, str]) -> None:
        """The end points DOMAIN quotes from wgbc.cn, for the three standards."""
        got = tuple(adjustment_percent(s, Decimal(cos)) for s in (S90, S85, S80))
        assert got == tuple(Decimal(e) for e in expected)

    def test_below_the_table_the_last_step_continues(self) -> None:
        """0.28 on the 0.90 standard: 85 % + 2 × 2 % = 89 %."""
        assert adjustment_percent(S90, Decimal("0.28")) == Decimal(89)


class TestTableFile:
    def test_missing_row_refused(self, tmp_path: Path) -> None:
        """A table without the 0.47 row is refused on reading."""
        path = tmp_path / "pf.csv"
        path.write_text("".join(line for line in TABLE_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
                                if not line.startswith("0.47,")), encoding="utf-8")
        with pytest.raises(PowerFactorTableError, match="71 rows"):
            load_table(path)

    def test_fractional_cell_refused(self, tmp_path: Path) -> None:
        """A cell that is not integer hundredths of a percent is refused."""
        path = tmp_path / "pf.csv"
        path.write_text(TABLE_FILE.read_text(encoding="utf-8").replace("0.66,1400,", "0.66,14.0,"), encoding="utf-8")
        with pytest.raises(PowerFactorTableError, match="a bad row"):
            load_table(path)

    def test_rows_out_of_order_refused(self, tmp_path: Path) -> None:
        """Rows must run from 1.00 down to 0.30 in steps of 0.01."""
        lines = TABLE_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
        lines[1], lines[2] = lines[2], lines[1]
        path = tmp_path / "pf.csv"
        path.write_text("".join(lines), encoding="utf-8")
        with pytest.raises(PowerFactorTableError, match="was expected"):
            load_table(path)


class TestCosPhi:
    def test_rounds_half_up_to_two_places(self) -> None:
        """P 1000, Q 605 gives 0.85561… → 0.86; Q 872 gives 0.75371… → 0.75."""
        assert power_factor(Decimal(1000), Decimal(605)) == Decimal("0.86")
        assert power_factor(Decimal(1000), Decimal(872)) == Decimal("0.75")

    def test_no_reactive_is_one(self) -> None:
        """Without reactive energy cosφ is 1.00."""
        assert power_factor(Decimal(1000), Decimal(0)) == Decimal("1.00")

    def test_nothing_metered_has_no_power_factor(self) -> None:
        """Neither active nor reactive energy: no power factor; reactive energy alone is cosφ 0.00 (the reading
        checks flag it, the 力调 line charges it)."""
        assert power_factor(Decimal(0), Decimal(0)) is None
        assert power_factor(Decimal(0), Decimal(10)) == Decimal("0.00")


class TestAdjustmentLine:
    def test_increase_on_basic_plus_energy_without_funds(self) -> None:
        """cosφ 0.80 on the 0.90 standard: +5 % of (basic 7119.00 + energy 6000.00), funds (added) outside."""
        v = version(energy_price="0.6", two_part={"capacity_price_per_kva": "22.6", "demand_price_per_kw": "36.1"},
                    power_factor={"standard": "0.90"},
                    funds=[{"code": "RE", "name": "可再生能源电价附加", "rate_per_kwh": "0.019", "included": False}])
        bill = price([v], usage(total_kwh="10000", reactive_kvarh="7500"),
                     terms(demand_basis="capacity", capacity_kva="315"))
        assert bill.power_factor == Decimal("0.80")
        pf = next(line for line in bill.lines if line.kind is LineKind.POWER_FACTOR)
        assert (str(pf.quantity), str(pf.unit_price), pf.amount_fen) == ("13119.00", "5", 65595)
        assert [line.kind for line in bill.lines] == [LineKind.ENERGY, LineKind.BASIC_CAPACITY,
                                                      LineKind.POWER_FACTOR, LineKind.FUND]

    def test_included_funds_leave_the_base(self) -> None:
        """Funds inside the energy price are taken out of the base: (6000.00 − 190.00) × −0.75 %."""
        v = version(energy_price="0.6", power_factor={"standard": "0.90"},
                    funds=[{"code": "RE", "name": "可再生能源电价附加", "rate_per_kwh": "0.019", "included": True}])
        bill = price([v], usage(total_kwh="10000", reactive_kvarh="0"), terms())
        pf = bill.lines[-1]
        assert (str(pf.quantity), str(pf.unit_price), pf.amount_fen) == ("5810.00", "-0.75", -4358)

    def test_base_without_basic_when_configured(self) -> None:
        """include_basic false: only the energy charge is adjusted."""
        v = version(energy_price="0.6", two_part={"capacity_price_per_kva": "22.6", "demand_price_per_kw": "36.1"},
                    power_factor={"standard": "0.85", "include_basic": False})
        bill = price([v], usage(total_kwh="10000", reactive_kvarh="0"), terms(demand_basis="capacity",
                                                                              capacity_kva="315"))
        pf = bill.lines[-1]
        assert (str(pf.quantity), pf.amount_fen) == ("6000.00", -6600)

    def test_missing_reactive_refused(self) -> None:
        """A tariff with power-factor adjustment needs the month's reactive kvarh."""
        with pytest.raises(PricingError) as err:
            price([version(energy_price="0.6", power_factor={"standard": "0.90"})], usage(total_kwh="1"), terms())
        assert err.value.refusal is PricingRefusal.NO_REACTIVE
