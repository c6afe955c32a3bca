"""Why ``price`` refuses a tariff, a period or a customer's terms: a code and its figures, never prose."""

from __future__ import annotations

from enum import StrEnum


class PricingRefusal(StrEnum):
    """What made a period unpriceable (the caller maps it to its ErrorCode and translated sentence)."""

    #: The versions overlap or leave a gap (``check_version_dates``).
    VERSION_DATES = "version_dates"
    #: Some day of the period is priced by no version (before the first one, after a closed last one).
    NO_VERSION = "no_version"
    #: A 合表 household on a version without ``shared_meter_price``.
    NO_SHARED_METER_PRICE = "no_shared_meter_price"
    #: An extra-kWh household adjustment whose list does not have one figure per tier threshold.
    HOUSEHOLD_TIERS = "household_tiers"
    #: A TOU register with kWh for a period the version gives no price for.
    TOU_PERIOD_NOT_PRICED = "tou_period_not_priced"
    #: A two-part tariff, but the customer's terms name no demand basis.
    NO_DEMAND_BASIS = "no_demand_basis"
    #: A basic charge on capacity (or the 40 % floor of contract demand) without the customer's kVA.
    NO_CAPACITY = "no_capacity"
    #: A basic charge on contract demand without the customer's contract demand.
    NO_CONTRACT_DEMAND = "no_contract_demand"
    #: A basic charge on demand without the month's maximum demand reading.
    NO_MAX_DEMAND = "no_max_demand"
    #: A power-factor adjustment without the month's reactive kvarh.
    NO_REACTIVE = "no_reactive"


class PricingError(ValueError):
    """``price`` cannot price this period: ``refusal`` says why, ``params`` give the figures."""

    def __init__(self, refusal: PricingRefusal, **params: str) -> None:
        self.refusal = refusal
        self.params = params
        detail = ", ".join(f"{key}={value}" for key, value in sorted(params.items()))
        super().__init__(f"{refusal.value}: {detail}" if detail else refusal.value)
