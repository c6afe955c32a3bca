"""Builders for the pricing tests: tariff versions, usages and terms from JSON, validated as on the wire."""

from __future__ import annotations

import json
from typing import Any

from shared_models.pricing import CustomerTerms, Usage
from shared_models.tariffs import TariffVersionDoc

LATE_FEE = {"daily_permille_current": "1", "daily_permille_cross_year": "1"}


def version(**fields: Any) -> TariffVersionDoc:
    """A version document from JSON-able fields (late fee and start date defaulted)."""
    doc: dict[str, Any] = {"effective_from": "2025-01-01", "late_fee": LATE_FEE, **fields}
    return TariffVersionDoc.model_validate_json(json.dumps(doc))


def usage(**fields: Any) -> Usage:
    """A usage from JSON-able fields (March 2025 by default)."""
    doc: dict[str, Any] = {"period_from": "2025-03-01", "period_to": "2025-03-31", **fields}
    return Usage.model_validate_json(json.dumps(doc))


def terms(**fields: Any) -> CustomerTerms:
    """Customer terms from JSON-able fields."""
    return CustomerTerms.model_validate_json(json.dumps(fields))
