"""Power-factor adjustment (力调电费, DOMAIN §3.3): the three tables of 《功率因数调整电费办法》 as a data file, and
the adjustment line on its configured base (the month's cosφ is ``shared_models.rules.power_factor``).

``resources/tariffs/power_factor.csv`` has 71 rows (cosφ 1.00 down to 0.30) and one column per standard
(0.90 / 0.85 / 0.80) holding the adjustment in hundredths of a percent (negative = reduction); it is read
once and checked on reading.
"""

from __future__ import annotations

import csv
import functools
from decimal import Decimal
from pathlib import Path

from server.pricing.lines import DraftLine, line_amount
from server.pricing.segments import Segment
from shared_models.pricing import LineKind
from shared_models.tariffs import PowerFactorSpec, PowerFactorStandard

#: The data file (in the source tree next to the translations).
TABLE_FILE = Path(__file__).resolve().parents[2] / "resources" / "tariffs" / "power_factor.csv"
_HEADER = ["cos_phi", *(f"standard_{s.value}" for s in PowerFactorStandard)]
_ROWS = 71


class PowerFactorTableError(RuntimeError):
    """The power-factor data file is missing a row, has a foreign one, or a cell that is not an integer."""


@functools.cache
def adjustment_table() -> dict[PowerFactorStandard, dict[int, int]]:
    """standard → {cosφ in hundredths (30..100) → adjustment in hundredths of a percent}, read once."""
    return load_table(TABLE_FILE)


def load_table(path: Path) -> dict[PowerFactorStandard, dict[int, int]]:
    """Read and check a power-factor table file (``adjustment_table`` reads the shipped one once)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows or rows[0] != _HEADER:
        raise PowerFactorTableError(f"{path}: the header must be {','.join(_HEADER)}")
    table: dict[PowerFactorStandard, dict[int, int]] = {s: {} for s in PowerFactorStandard}
    expected = list(range(100, 100 - _ROWS, -1))
    if len(rows) - 1 != _ROWS:
        raise PowerFactorTableError(f"{path}: {_ROWS} rows (1.00 .. 0.30) expected, found {len(rows) - 1}")
    for want, row in zip(expected, rows[1:], strict=True):
        try:
            cos = int(Decimal(row[0]) * 100)
            cells = [int(cell) for cell in row[1:]]
        except (ArithmeticError, ValueError, IndexError) as exc:
            raise PowerFactorTableError(f"{path}: a bad row {row}") from exc
        if cos != want or len(cells) != len(PowerFactorStandard):
            raise PowerFactorTableError(f"{path}: row {row} where cosφ {want / 100:.2f} was expected")
        for standard, cell in zip(PowerFactorStandard, cells, strict=True):
            table[standard][cos] = cell
    return table


def adjustment_percent(standard: PowerFactorStandard, cos_phi: Decimal) -> Decimal:
    """The adjustment in percent (negative = reduction) for a cosφ with two places; below 0.30 the table's
    last step continues."""
    column = adjustment_table()[standard]
    hundredths = int(cos_phi * 100)
    if hundredths < min(column):
        low = min(column)
        step = column[low] - column[low + 1]
        value = column[low] + (low - hundredths) * step
    else:
        value = column[hundredths]
    return Decimal(value) / 100


def power_factor_line(seg: Segment, spec: PowerFactorSpec, cos_phi: Decimal, *, basic: list[DraftLine],
                      energy: list[DraftLine], included_funds_fen: int, added_funds: list[DraftLine]) -> DraftLine:
    """The segment's 力调电费 line: the base (per ``spec``) in yuan × the table's percent.

    The base takes the basic charge and the energy charges; without ``include_funds`` it leaves out the
    government funds, those inside the energy price too (DOMAIN §3.3 [D]); with it, the added fund lines
    count as well.
    """
    base_fen = 0
    if spec.include_basic:
        base_fen += sum(line.amount_fen for line in basic)
    if spec.include_energy:
        base_fen += sum(line.amount_fen for line in energy)
        if not spec.include_funds:
            base_fen -= included_funds_fen
    if spec.include_funds:
        base_fen += sum(line.amount_fen for line in added_funds)
    base = Decimal(max(0, base_fen)).scaleb(-2)
    percent = adjustment_percent(spec.standard, cos_phi)
    return DraftLine(kind=LineKind.POWER_FACTOR, version_from=seg.version.effective_from, days_from=seg.days_from,
                     days_to=seg.days_to, quantity=base, unit_price=percent,
                     amount_fen=line_amount(base, percent / 100))
