"""The printed Chinese names of tender methods, business types and bill lines: one table for every document.

The contract names these by code (``TenderMethod``, ``BusinessType``); what a business document prints for
each code lives here only, so the receipt (``printing.receipt``) and the settlement PDF (``printing.pdf``)
can never name the same thing two ways. The screens translate the same codes through Qt (``client/ui``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from shared_models.methods.payments import BusinessType, TenderMethod
from shared_models.pricing import LineKind, PricedLine
from shared_models.tariffs import TouPeriod

#: How a tender method is printed.
TENDER_LABELS_ZH: Final[Mapping[TenderMethod, str]] = MappingProxyType({
    TenderMethod.CASH: "现金",
    TenderMethod.BANK_CARD: "银行卡",
    TenderMethod.QR: "扫码支付",
    TenderMethod.CHEQUE: "支票",
})

#: How a business type is printed (DOMAIN §8), in the order the 日结单 lists them.
BUSINESS_LABELS_ZH: Final[Mapping[BusinessType, str]] = MappingProxyType({
    BusinessType.ELECTRICITY: "电费",
    BusinessType.LATE_FEE: "违约金",
    BusinessType.PREPAYMENT: "预收",
    BusinessType.CARD_PURCHASE: "购电",
    BusinessType.SERVICE_FEE: "业务费",
})

#: How a bill line's kind is printed (the 电费通知单, and the description a released bill line stores).
LINE_KIND_LABELS_ZH: Final[Mapping[LineKind, str]] = MappingProxyType({
    LineKind.ENERGY: "电度电费",
    LineKind.FREE_KWH: "免费电量",
    LineKind.BASIC_CAPACITY: "基本电费(容量)",
    LineKind.BASIC_DEMAND: "基本电费(需量)",
    LineKind.BASIC_DEMAND_OVER: "基本电费(超需量)",
    LineKind.POWER_FACTOR: "力调电费",
    LineKind.FUND: "政府性基金及附加",
})

#: How a TOU period is printed.
TOU_PERIOD_LABELS_ZH: Final[Mapping[TouPeriod, str]] = MappingProxyType({
    TouPeriod.SHARP: "尖",
    TouPeriod.PEAK: "峰",
    TouPeriod.FLAT: "平",
    TouPeriod.VALLEY: "谷",
    TouPeriod.DEEP_VALLEY: "深谷",
})


def line_label(line: PricedLine) -> str:
    """A bill line as printed: its kind, then tier, TOU period and fund when it has them (``电度电费 第2档 峰``)."""
    parts = [LINE_KIND_LABELS_ZH[line.kind]]
    if line.tier is not None:
        parts.append(f"第{line.tier}档")
    if line.tou_period is not None:
        parts.append(TOU_PERIOD_LABELS_ZH[line.tou_period])
    if line.fund_name:
        parts.append(line.fund_name)
    return " ".join(parts)
