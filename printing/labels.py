"""The printed Chinese names of tender methods and business types: one table for the receipt and the 日结单.

The contract names these by code (``TenderMethod``, ``BusinessType``); what a business document prints for
each code lives here only, so the receipt (``printing.receipt``) and the settlement PDF (``printing.pdf``)
can never name the same thing two ways. The screens translate the same codes through Qt (``client/ui``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from shared_models.methods.payments import BusinessType, TenderMethod

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
