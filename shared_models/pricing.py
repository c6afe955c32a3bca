"""What the pricing function takes and gives (DOMAIN §1–§4): a period's consumption and the customer's terms in,
priced bill lines out. One function prices every bill run, the 测算电费 calculator and the prepaid estimate
(``server.pricing.price``); these models are its inputs and outputs and travel on the wire as they are.

Every line says what priced it (line kind, tariff version, date split, tier, TOU period, fund, kWh, price),
so a cashier can explain a bill line by line. Amounts are integer fen, each line rounded half up on its own;
``total_fen`` is the sum of the lines.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import Field, model_validator

from shared_models.cross_field import cross_field
from shared_models.errors import ErrorCode
from shared_models.money import FenField
from shared_models.rpc import Model
from shared_models.tariffs import DemandBasis, Kwh, Price, Quantity, Ratio, TouPeriod, UnitPrice


class HouseholdKind(StrEnum):
    """A household adjustment (DOMAIN §1.4)."""

    EXTRA_KWH = "extra_kwh"  # 一户多人口: extra kWh per tier per month
    SHARED_METER_PRICE = "shared_meter_price"  # pays the 合表 price instead of the tiers
    FREE_KWH = "free_kwh"  # 低保/五保: free kWh per month


class HouseholdAdjustment(Model):
    """A customer's approved adjustment, valid from/to (inclusive), with its approval document."""

    kind: HouseholdKind
    valid_from: dt.date
    valid_to: dt.date | None = None
    #: EXTRA_KWH: extra kWh per month added to the threshold ending each tier (len = number of thresholds).
    extra_kwh_per_tier: list[Annotated[int, Field(ge=0, le=999_999_999)]] = Field(default_factory=list)
    #: FREE_KWH: kWh per month not charged.
    free_kwh_per_month: int = Field(default=0, ge=0, le=999_999_999)
    document_no: str = Field(default="", max_length=64)

    @model_validator(mode="after")
    def _check(self) -> HouseholdAdjustment:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise cross_field(ErrorCode.PERIOD_ENDS_BEFORE_START, "a household adjustment cannot end before it "
                              "starts ({date_from} to {date_to})", date_from=self.valid_from.isoformat(),
                              date_to=self.valid_to.isoformat())
        return self


class CustomerTerms(Model):
    """What of the customer (not the tariff) the price depends on."""

    #: The first day of the customer's tier cycle (DOMAIN §1.3); None = 1 January / the 1st of the month.
    tier_cycle_start: dt.date | None = None
    #: kWh already billed in the current tier cycle before this period (annual tiers, cumulative model).
    cycle_kwh_before: Kwh = Decimal(0)
    #: Supply began or ended inside the cycle (opening, closure): thresholds and basic charge are prorated.
    supply_from: dt.date | None = None
    supply_to: dt.date | None = None
    household: HouseholdAdjustment | None = None
    #: Two-part: the basis and the figures it is charged on.
    demand_basis: DemandBasis | None = None
    capacity_kva: Kwh | None = None
    contract_demand_kw: Kwh | None = None


class Usage(Model):
    """A billing period's consumption, already multiplied by the meter's multiplier.

    The period runs from ``period_from`` to ``period_to`` inclusive (the days the reading covers). ``tou_kwh``
    holds the TOU registers (empty for a single-register meter); their sum should equal ``total_kwh`` (the
    anomaly check says when it does not). Pricing bills ``total_kwh``: each TOU register at its period, the rest
    at 平 when the registers add up to less, the registers scaled down to the total when they add up to more.
    ``reactive_kvarh`` is needed by a power-factor adjustment, ``max_demand_kw`` by a basic charge on demand.
    """

    period_from: dt.date
    period_to: dt.date
    total_kwh: Kwh
    tou_kwh: dict[TouPeriod, Kwh] = Field(default_factory=dict)
    reactive_kvarh: Kwh | None = None
    max_demand_kw: Kwh | None = None

    @model_validator(mode="after")
    def _check(self) -> Usage:
        if self.period_to < self.period_from:
            raise cross_field(ErrorCode.PERIOD_ENDS_BEFORE_START, "a billing period cannot end before it starts "
                              "({date_from} to {date_to})", date_from=self.period_from.isoformat(),
                              date_to=self.period_to.isoformat())
        return self


class LineKind(StrEnum):
    """What a bill line charges (the screens and the 电费通知单 name them)."""

    ENERGY = "energy"  # 电度电费 (flat, a tier, a TOU period, or a tier × TOU period)
    FREE_KWH = "free_kwh"  # 低保/五保 free kWh (negative)
    BASIC_CAPACITY = "basic_capacity"  # 基本电费 on kVA
    BASIC_DEMAND = "basic_demand"  # 基本电费 on kW (actual or contract)
    BASIC_DEMAND_OVER = "basic_demand_over"  # the part above 105 % of contract demand, at double price
    POWER_FACTOR = "power_factor"  # 力调电费 (+/-)
    FUND = "fund"  # one part of 政府性基金及附加 (added funds only)


class PricedLine(Model):
    """One priced line; ``amount_fen`` = quantity × unit price (× share), rounded half up on its own."""

    line_no: int = Field(ge=1)
    kind: LineKind
    #: The tariff version (its effective date) that priced this line.
    version_from: dt.date
    #: The days of the period this line covers (a period straddling a version change is split).
    days_from: dt.date
    days_to: dt.date
    tier: int | None = None
    tou_period: TouPeriod | None = None
    fund_code: str | None = None
    #: For FUND lines, the fund's name as the tariff lists it.
    fund_name: str | None = None
    #: kWh, kVA, kW or (for POWER_FACTOR) the base amount in yuan; exact (105 % of a contract demand may
    #: carry four places).
    quantity: Quantity
    #: Yuan per unit (negative on a FREE_KWH line), or (POWER_FACTOR) the adjustment in percent
    #: (negative = reduction).
    unit_price: UnitPrice
    #: A monthly charge (the basic charge) carried only in part: ``amount = quantity × unit_price ×
    #: days_charged / days_basis`` (a period split over versions by days; 1/30 a day in a month of opening or
    #: closure). Both None = the whole of it.
    days_charged: int | None = Field(default=None, ge=0)
    days_basis: int | None = Field(default=None, ge=1)
    amount_fen: FenField

    @model_validator(mode="after")
    def _check(self) -> PricedLine:
        if (self.days_charged is None) != (self.days_basis is None):
            raise ValueError("days_charged and days_basis come together")
        if self.days_to < self.days_from:
            raise ValueError("a line's days cannot end before they start")
        return self


class FundPart(Model):
    """One fund inside the 政府性基金及附加 breakdown: the included ones are part of the energy lines."""

    code: str
    name: str
    rate_per_kwh: Price
    kwh: Kwh
    amount_fen: FenField
    included: bool


class PricedBill(Model):
    """The lines of one period's bill, their total, and what the calculator shows besides."""

    lines: list[PricedLine]
    total_fen: FenField
    total_kwh: Kwh
    #: The 政府性基金及附加 breakdown (added funds are lines too; included ones are only shown here).
    funds: list[FundPart] = Field(default_factory=list)
    #: The versions that priced the bill, by effective date.
    versions_from: list[dt.date]
    #: The month's power factor (rounded half up to 0.01) when it was adjusted.
    power_factor: Ratio | None = None

    @model_validator(mode="after")
    def _check(self) -> PricedBill:
        if sum(line.amount_fen for line in self.lines) != self.total_fen:
            raise ValueError("the bill's lines do not add up to its total")
        return self
