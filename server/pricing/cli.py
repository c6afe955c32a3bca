"""The ``price`` command of ``gridcounter-server``: a tariff version file, a usage file and terms in, the bill's
lines out as a table and as JSON (the 测算电费 calculator without a database)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from server.pricing.engine import price
from server.pricing.errors import PricingError
from shared_models.money import format_fen
from shared_models.pricing import CustomerTerms, PricedBill, Usage
from shared_models.tariffs import TariffVersionDoc

_VERSIONS = TypeAdapter(list[TariffVersionDoc])


class PriceInputError(ValueError):
    """A file of the ``price`` command cannot be read or does not validate."""


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PriceInputError(f"{path}: {exc.strerror}") from exc


def price_files(*, tariff_file: Path, usage_file: Path, terms_file: Path | None) -> PricedBill:
    """Price the usage of ``usage_file`` against the version (an object) or versions (a list) of
    ``tariff_file``, with the terms of ``terms_file`` (none: default terms)."""
    try:
        text = _read(tariff_file)
        versions = (_VERSIONS.validate_json(text) if text.lstrip().startswith("[")
                    else [TariffVersionDoc.model_validate_json(text)])
        usage = Usage.model_validate_json(_read(usage_file))
        terms = CustomerTerms.model_validate_json(_read(terms_file)) if terms_file else CustomerTerms()
    except ValidationError as exc:
        raise PriceInputError(str(exc)) from exc
    try:
        return price(versions, usage, terms)
    except PricingError as exc:
        raise PriceInputError(f"cannot price: {exc}") from exc


def render(bill: PricedBill) -> str:
    """The lines as a fixed-width table, the total, then the bill as JSON."""
    header = ("no", "kind", "days", "version", "tier", "period", "fund", "quantity", "price", "share", "amount")
    rows = [header]
    for line in bill.lines:
        share = f"{line.days_charged}/{line.days_basis}" if line.days_basis else ""
        rows.append((str(line.line_no), line.kind.value, f"{line.days_from}..{line.days_to}",
                     str(line.version_from), str(line.tier or ""), line.tou_period.value if line.tou_period else "",
                     line.fund_code or "", format(line.quantity, "f"), format(line.unit_price, "f"), share,
                     format_fen(line.amount_fen)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    table = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    table.append(f"total {format_fen(bill.total_fen)} yuan for {bill.total_kwh} kWh"
                 + (f", power factor {bill.power_factor}" if bill.power_factor is not None else ""))
    return "\n".join(table) + "\n" + json.dumps(bill.model_dump(mode="json"), ensure_ascii=False, indent=2)
