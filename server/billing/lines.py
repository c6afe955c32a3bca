"""Priced lines ↔ stored rows: draft lines and bill lines from ``PricedLine`` and back, with the description a
stored bill line carries (the Chinese name the 电费通知单 and the ledger screens show)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from printing.labels import line_label
from shared_models.pricing import LineKind, PricedLine
from shared_models.tariffs import TouPeriod


def describe(line: PricedLine) -> str:
    """A bill line's stored description, as the documents print it (``printing.labels.line_label``)."""
    return line_label(line)[:64]


#: The columns of a draft line or a bill line that :func:`line_columns` fills, in the order COPY and the release's
#: INSERT … SELECT name them (bulk.py and release.py both take them from here).
LINE_COLUMNS = ("line_no", "kind", "version_from", "days_from", "days_to", "tier", "tou_period", "fund_code",
                "quantity", "unit_price", "days_charged", "days_basis", "amount_fen")


def line_columns(line: PricedLine) -> dict[str, Any]:
    """The columns a draft line or a bill line shares with ``PricedLine`` (no ``fund_name``: bill lines keep it
    in their description)."""
    return {
        "line_no": line.line_no, "kind": line.kind.value, "version_from": line.version_from,
        "days_from": line.days_from, "days_to": line.days_to, "tier": line.tier,
        "tou_period": line.tou_period.value if line.tou_period else None, "fund_code": line.fund_code,
        "quantity": line.quantity, "unit_price": line.unit_price, "days_charged": line.days_charged,
        "days_basis": line.days_basis, "amount_fen": line.amount_fen,
    }


def priced_line(row: Any, *, fund_name: str | None, version_from: dt.date, days_from: dt.date,
                days_to: dt.date) -> PricedLine:
    """A stored line (draft or bill) as a ``PricedLine``; the keyword values stand in for NULL columns (lines
    of bills written before bill runs know neither their version nor their days)."""
    kind = LineKind(row.kind) if row.kind in LineKind.__members__.values() else LineKind.ENERGY
    return PricedLine(
        line_no=row.line_no, kind=kind, version_from=row.version_from or version_from,
        days_from=row.days_from or days_from, days_to=row.days_to or days_to, tier=row.tier,
        tou_period=TouPeriod(row.tou_period) if row.tou_period else None, fund_code=row.fund_code,
        fund_name=fund_name, quantity=_exact(Decimal(row.quantity)), unit_price=Decimal(row.unit_price),
        days_charged=row.days_charged, days_basis=row.days_basis, amount_fen=int(row.amount_fen),
    )


def _exact(stored: Decimal) -> Decimal:
    """A stored quantity (six places in the column) with its trailing zeros dropped, but at least two places
    (kWh are read to 0.01): ``120.500000`` → ``120.50``, ``105.262500`` → ``105.2625``."""
    value = stored.normalize()
    return value.quantize(Decimal("0.01")) if value.as_tuple().exponent > -2 else value  # type: ignore[operator]
