"""The hand-worked bills of docs/tariffs.md, run through ``price``: every line and the total to the fen."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from server.pricing import price
from shared_models.money import yuan_to_fen
from shared_models.pricing import CustomerTerms, PricedBill, Usage
from shared_models.tariffs import TariffVersionDoc

DOC = Path(__file__).resolve().parents[2] / "docs" / "tariffs.md"
#: One worked bill per tariff kind the issue names.
KINDS = ["flat", "tiers_tou", "shared", "agri", "ci_tou", "capacity", "contract_pf", "straddle"]


def blocks() -> list[dict[str, Any]]:
    """The ```json bill blocks of the document, parsed."""
    text = DOC.read_text(encoding="utf-8")
    return [json.loads(body) for body in re.findall(r"^```json bill\n(.*?)^```$", text, flags=re.DOTALL | re.MULTILINE)]


def priced(block: dict[str, Any]) -> PricedBill:
    """The block's inputs through ``price``, validated as they would come over the wire."""
    versions = [TariffVersionDoc.model_validate_json(json.dumps(v)) for v in block["versions"]]
    usage = Usage.model_validate_json(json.dumps(block["usage"]))
    terms = CustomerTerms.model_validate_json(json.dumps(block["terms"]))
    return price(versions, usage, terms)


def test_one_bill_per_kind() -> None:
    """The document works one bill of each kind, each once."""
    assert [b["example"] for b in blocks()] == KINDS


@pytest.mark.parametrize("block", blocks(), ids=lambda b: b["example"])
def test_bill_matches_to_the_fen(block: dict[str, Any]) -> None:
    """Each line (kind, tier, period or fund, quantity, unit price, amount, days) and the total as worked by hand."""
    bill = priced(block)
    got = []
    for line, want in zip(bill.lines, block["lines"], strict=False):
        what = line.fund_code or (line.tou_period.value if line.tou_period else "")
        row: list[Any] = [line.kind.value, line.tier, what, line.quantity, line.unit_price, line.amount_fen]
        if len(want) == 7:
            row.append(f"{line.days_from}..{line.days_to}")
        got.append(row)
    expected = [[w[0], w[1], w[2], Decimal(w[3]), Decimal(w[4]), yuan_to_fen(w[5]), *w[6:]] for w in block["lines"]]
    assert got == expected
    assert len(bill.lines) == len(block["lines"])
    assert bill.total_fen == yuan_to_fen(block["total"])
