"""The demo's tariffs: one code for each kind of DOMAIN §10, its versions as ``TariffVersionDoc`` data.

Every price is a decimal string from DOMAIN (Zhejiang residential tiers and TOU prices §1.2, the 合表 price,
Sichuan-style TOU periods and ratios §2, two-part prices §3.2, the fund rates of §4, the late-fee rules of §5
from ``shared_models.rules.late_fees``):

* ``ZJ-RES-TOU`` 居民 一户一表 不满1千伏: annual tiers 2760 / 4800 kWh (+0.05 / +0.30), TOU peak 08:00–22:00
  0.568 and valley 22:00–08:00 0.288 (the tier increments apply to both), funds included in the price;
* ``ZJ-RES-SHARED`` 居民 合表 不满1千伏: flat 0.558; ``ZJ-RES-SHARED-10KV`` 居民 合表 1–10 kV: flat 0.538;
* ``ZJ-AGR-1KV`` 农业生产 不满1千伏: flat 0.4853, no funds (agricultural production is exempt);
* ``ZJ-COM-TOU`` 工商业 单一制 不满1千伏 分时: ratios 尖 1.92 / 峰 1.6 / 平 1 / 谷 0.4 on the energy price without
  funds, summer and winter 尖 hours; funds added. Its price changes on the first day of the demo year's
  seventh month (two versions), so a bill run over that day splits the period;
* ``ZJ-LI-CAP-10KV`` 大工业 两部制 1–10 kV 按容量 and ``ZJ-LI-DEM-35KV`` 大工业 两部制 35 kV 按合同最大需量:
  TOU as above, basic charge per kVA and per kW, power-factor standard 0.90, funds added.

Customers get them by category and meter (:meth:`DemoTariffs.for_customer`): a large C&I meter (CT 50 or 80)
is a two-part industrial customer, one home in twenty is on the 合表 price.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from server.models.customers import CustomerCategory
from server.services.tariffs import create_tariff
from shared_models.rules.late_fees import LateFeeRule
from shared_models.tariffs import (
    CrossYear,
    DemandBasis,
    Fund,
    LateFeeSpec,
    PowerFactorSpec,
    PowerFactorStandard,
    TariffHeader,
    TariffVersionDoc,
    TierCycle,
    TierSpec,
    TouPeriod,
    TouPricing,
    TouSeason,
    TouSpan,
    TouSpec,
    TwoPartSpec,
    VoltageLevel,
)

_TARIFF_FROM = dt.date(2025, 1, 1)


class DemoTariff(StrEnum):
    """The demo's tariff codes."""

    RESIDENTIAL_TOU = "ZJ-RES-TOU"
    RESIDENTIAL_SHARED = "ZJ-RES-SHARED"
    RESIDENTIAL_SHARED_10KV = "ZJ-RES-SHARED-10KV"
    AGRICULTURAL = "ZJ-AGR-1KV"
    COMMERCIAL_TOU = "ZJ-COM-TOU"
    INDUSTRY_CAPACITY = "ZJ-LI-CAP-10KV"
    INDUSTRY_DEMAND = "ZJ-LI-DEM-35KV"


#: How the demo's two-part customers are charged the basic charge (their terms; the tariff has both prices).
DEMAND_BASIS = {DemoTariff.INDUSTRY_CAPACITY: DemandBasis.CAPACITY,
                DemoTariff.INDUSTRY_DEMAND: DemandBasis.CONTRACT_DEMAND}


@dataclass(frozen=True)
class TariffRef:
    """A demo tariff as the demo bills need it: its ids and the energy price of its first version."""

    tariff_id: int
    version_id: int
    price: Decimal
    code: str = ""


@dataclass(frozen=True)
class DemoTariffs:
    """The loaded demo tariffs by code."""

    refs: dict[DemoTariff, TariffRef]

    def __getitem__(self, category: CustomerCategory) -> TariffRef:
        """The main tariff of a category (一户一表, agricultural, single-part C&I)."""
        return self.refs[_MAIN[category]]

    def for_customer(self, category: CustomerCategory, *, multiplier: int, index: int) -> TariffRef:
        """The tariff of the ``index``-th demo customer: two-part for a large C&I meter (CT 50: on capacity,
        CT 80: on contract demand), 合表 for one home in twenty, else the category's main tariff."""
        if category is CustomerCategory.COMMERCIAL and multiplier in {50, 80}:
            return self.refs[DemoTariff.INDUSTRY_CAPACITY if multiplier == 50 else DemoTariff.INDUSTRY_DEMAND]
        if category is CustomerCategory.RESIDENTIAL and index % 20 == 7:
            return self.refs[DemoTariff.RESIDENTIAL_SHARED]
        return self[category]


_MAIN = {CustomerCategory.RESIDENTIAL: DemoTariff.RESIDENTIAL_TOU, CustomerCategory.AGRICULTURAL:
         DemoTariff.AGRICULTURAL, CustomerCategory.COMMERCIAL: DemoTariff.COMMERCIAL_TOU}


def _late_fee(rule: LateFeeRule) -> LateFeeSpec:
    return LateFeeSpec(daily_permille_current=rule.daily_permille_current,
                       daily_permille_cross_year=rule.daily_permille_cross_year,
                       cross_year=CrossYear(rule.cross_year.value), minimum_fen=rule.minimum_fen)


def _d(text: str) -> Decimal:
    return Decimal(text)


def _span(start: str, end: str, period: TouPeriod) -> TouSpan:
    return TouSpan(start=start, end=end, period=period)


# DOMAIN §4: residential funds are inside the catalogue price (shown as a breakdown); C&I funds are added.
_RESIDENTIAL_FUNDS = [
    Fund(code="renewable", name="可再生能源电价附加", rate_per_kwh=_d("0.001000"), included=True),
    Fund(code="water", name="国家重大水利工程建设基金", rate_per_kwh=_d("0.007000"), included=True),
    Fund(code="reservoir", name="大中型水库移民后期扶持资金", rate_per_kwh=_d("0.006200"), included=True),
]
_CI_FUNDS = [
    Fund(code="water", name="国家重大水利工程建设基金", rate_per_kwh=_d("0.004200"), included=False),
    Fund(code="reservoir", name="大中型水库移民后期扶持资金", rate_per_kwh=_d("0.006200"), included=False),
    Fund(code="renewable", name="可再生能源电价附加", rate_per_kwh=_d("0.019000"), included=False),
]

# DOMAIN §1.2 / §2: Zhejiang residential TOU, peak 8–22, valley 22–8, all year.
_RESIDENTIAL_TOU = TouSpec(
    seasons=[TouSeason(name="全年", months=list(range(1, 13)), spans=[
        _span("08:00", "22:00", TouPeriod.PEAK), _span("22:00", "08:00", TouPeriod.VALLEY)])],
    pricing=TouPricing.ABSOLUTE, prices={TouPeriod.PEAK: _d("0.568"), TouPeriod.VALLEY: _d("0.288")},
)


def _ci_day(sharp: list[tuple[str, str]]) -> list[TouSpan]:
    """The Sichuan 186号 day (peak 10–12 and 15–21, flat 7–10, 12–15, 21–23, valley 23–7), with the 尖 hours
    of the season cut out of the peak."""
    spans = [_span("23:00", "07:00", TouPeriod.VALLEY), _span("07:00", "10:00", TouPeriod.FLAT),
             _span("10:00", "12:00", TouPeriod.PEAK), _span("12:00", "15:00", TouPeriod.FLAT),
             _span("21:00", "23:00", TouPeriod.FLAT)]
    cursor = "15:00"
    for start, end in sharp:
        if start != cursor:
            spans.append(_span(cursor, start, TouPeriod.PEAK))
        spans.append(_span(start, end, TouPeriod.SHARP))
        cursor = end
    if cursor != "21:00":
        spans.append(_span(cursor, "21:00", TouPeriod.PEAK))
    return spans


# DOMAIN §2: ratios 1.6 : 1 : 0.4, 尖 = peak + 20 % (1.92) in July–August 15–17 and January/December 19–21.
_CI_TOU = TouSpec(
    seasons=[
        TouSeason(name="夏季", months=[7, 8], spans=_ci_day([("15:00", "17:00")])),
        TouSeason(name="冬季", months=[1, 12], spans=_ci_day([("19:00", "21:00")])),
        TouSeason(name="其他月份", months=[2, 3, 4, 5, 6, 9, 10, 11], spans=_ci_day([])),
    ],
    pricing=TouPricing.RATIO,
    prices={TouPeriod.SHARP: _d("1.92"), TouPeriod.PEAK: _d("1.6"), TouPeriod.FLAT: _d("1"),
            TouPeriod.VALLEY: _d("0.4")},
)


def _version(effective_from: dt.date, energy_price: str, rule: LateFeeRule, **more: Any) -> TariffVersionDoc:
    return TariffVersionDoc(effective_from=effective_from, energy_price=_d(energy_price), late_fee=_late_fee(rule),
                            **more)


def _definitions(start: dt.date, change: dt.date) -> list[tuple[TariffHeader, list[TariffVersionDoc]]]:
    residential, other = LateFeeRule.residential(), LateFeeRule.non_residential()
    res, agr, com = CustomerCategory.RESIDENTIAL, CustomerCategory.AGRICULTURAL, CustomerCategory.COMMERCIAL
    lt1, kv10, kv35 = VoltageLevel.BELOW_1KV, VoltageLevel.KV_1_10, VoltageLevel.KV_35
    tiers = TierSpec(cycle=TierCycle.YEAR, thresholds_kwh=[2760, 4800],
                     increments=[_d("0"), _d("0.05"), _d("0.30")])
    return [
        (TariffHeader(code=DemoTariff.RESIDENTIAL_TOU.value, name="居民生活用电 一户一表 不满1千伏 峰谷", category=res,
                      voltage=lt1, two_part=False, time_of_use=True),
         [_version(start, "0.538", residential, tiers=tiers, tou=_RESIDENTIAL_TOU, funds=_RESIDENTIAL_FUNDS,
                   shared_meter_price=_d("0.558"), note="浙江 年阶梯 2760/4800 千瓦时，峰谷")]),
        (TariffHeader(code=DemoTariff.RESIDENTIAL_SHARED.value, name="居民生活用电 合表 不满1千伏", category=res,
                      voltage=lt1, two_part=False, time_of_use=False),
         [_version(start, "0.558", residential, funds=_RESIDENTIAL_FUNDS, note="浙江 合表")]),
        (TariffHeader(code=DemoTariff.RESIDENTIAL_SHARED_10KV.value, name="居民生活用电 合表 1-10千伏", category=res,
                      voltage=kv10, two_part=False, time_of_use=False),
         [_version(start, "0.538", residential, funds=_RESIDENTIAL_FUNDS, note="浙江 合表 1-10千伏")]),
        (TariffHeader(code=DemoTariff.AGRICULTURAL.value, name="农业生产用电 不满1千伏", category=agr, voltage=lt1,
                      two_part=False, time_of_use=False),
         [_version(start, "0.4853", other, note="农业生产用电免征大部分基金")]),
        (TariffHeader(code=DemoTariff.COMMERCIAL_TOU.value, name="工商业及其他用电 单一制 不满1千伏 分时", category=com,
                      voltage=lt1, two_part=False, time_of_use=True),
         [_version(start, "0.6600", other, tou=_CI_TOU, funds=_CI_FUNDS, effective_to=change - dt.timedelta(days=1),
                   note="代理购电 单一制"),
          _version(change, "0.6450", other, tou=_CI_TOU, funds=_CI_FUNDS, note="代理购电价格下调")]),
        (TariffHeader(code=DemoTariff.INDUSTRY_CAPACITY.value, name="大工业用电 两部制 1-10千伏 按容量", category=com,
                      voltage=kv10, two_part=True, time_of_use=True),
         [_version(start, "0.6200", other, tou=_CI_TOU, funds=_CI_FUNDS,
                   two_part=TwoPartSpec(capacity_price_per_kva=_d("22.6"), demand_price_per_kw=_d("36.1")),
                   power_factor=PowerFactorSpec(standard=PowerFactorStandard.PF_090), note="基本电费按变压器容量")]),
        (TariffHeader(code=DemoTariff.INDUSTRY_DEMAND.value, name="大工业用电 两部制 35千伏 按合同最大需量",
                      category=com, voltage=kv35, two_part=True, time_of_use=True),
         [_version(start, "0.6000", other, tou=_CI_TOU, funds=_CI_FUNDS,
                   two_part=TwoPartSpec(capacity_price_per_kva=_d("21.3"), demand_price_per_kw=_d("34.0")),
                   power_factor=PowerFactorSpec(standard=PowerFactorStandard.PF_090),
                   note="基本电费按合同最大需量，超105%部分加倍")]),
    ]


def price_change_day(first_period_start: dt.date) -> dt.date:
    """The day ``ZJ-COM-TOU``'s second version starts: the first day of the demo year's seventh month."""
    index = first_period_start.year * 12 + first_period_start.month - 1 + 6
    return dt.date(index // 12, index % 12 + 1, 1)


def load_tariffs(session: Session, *, first_period_start: dt.date) -> DemoTariffs:
    """Every demo tariff with its versions, the first in force from before the first demo period."""
    start = min(_TARIFF_FROM, first_period_start)
    refs: dict[DemoTariff, TariffRef] = {}
    for header, versions in _definitions(start, price_change_day(first_period_start)):
        tariff, rows = create_tariff(session, header=header, versions=versions)
        refs[DemoTariff(header.code)] = TariffRef(tariff.id, rows[0].id, rows[0].price_per_kwh, header.code)
    return DemoTariffs(refs)
