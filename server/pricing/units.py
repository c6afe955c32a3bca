"""kWh as integer hundredths (registers are read to 0.01) and the largest-remainder split that keeps sums exact."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

_HUNDRED = Decimal(100)


def to_units(kwh: Decimal) -> int:
    """kWh with at most two places as integer hundredths of a kWh."""
    units = kwh * _HUNDRED
    if units != units.to_integral_value():
        raise ValueError(f"kWh are read to 0.01: {kwh}")
    return int(units)


def from_units(units: int) -> Decimal:
    """Integer hundredths of a kWh as kWh with two places."""
    return Decimal(units).scaleb(-2)


def round_units(kwh: Decimal) -> int:
    """An exact kWh figure (a prorated threshold) rounded half up to integer hundredths."""
    return int((kwh * _HUNDRED).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` units over ``weights`` by the largest-remainder method: the parts sum to ``total``
    exactly, each is the floor of its exact share or one more; equal remainders go to the earlier part.

    All weights zero (nothing to split by) is allowed only for a total of zero.
    """
    if total < 0 or any(w < 0 for w in weights):
        raise ValueError("allocate takes non-negative figures")
    weight_sum = sum(weights)
    if weight_sum == 0:
        if total:
            raise ValueError("nothing to split by")
        return [0] * len(weights)
    parts = [total * w // weight_sum for w in weights]
    remainders = [total * w % weight_sum for w in weights]
    left = total - sum(parts)
    for index in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:left]:
        parts[index] += 1
    return parts


def plain(value: Decimal) -> Decimal:
    """The same figure without the trailing zeros a multiplication leaves (0.6500 → 0.65, 210.00 → 210)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
