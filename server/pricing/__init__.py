"""Pricing (DOMAIN §1–§4): ``price(versions, usage, terms) -> PricedBill``, the one function that prices a bill.

Pure (an import-linter contract keeps database, services, RPC and Qt out): the bill run, the 测算电费
calculator and the prepaid estimate all call it.
"""

from __future__ import annotations

from server.pricing.engine import price
from server.pricing.errors import PricingError, PricingRefusal
from server.pricing.power_factor import adjustment_percent

__all__ = ["PricingError", "PricingRefusal", "adjustment_percent", "price"]
