"""A bill line while the bill is being priced: what priced it, its quantity and price, rounded on its own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from shared_models.money import round_half_up_to_fen
from shared_models.pricing import LineKind, PricedLine
from shared_models.tariffs import TouPeriod


@dataclass(frozen=True)
class DraftLine:
    """One line before numbering; ``amount_fen`` is quantity × unit price (× days share), ROUND_HALF_UP."""

    kind: LineKind
    version_from: dt.date
    days_from: dt.date
    days_to: dt.date
    quantity: Decimal
    unit_price: Decimal
    amount_fen: int
    tier: int | None = None
    tou_period: TouPeriod | None = None
    fund_code: str | None = None
    fund_name: str | None = None
    days_charged: int | None = None
    days_basis: int | None = None

    def numbered(self, line_no: int) -> PricedLine:
        """The contract's line."""
        return PricedLine(line_no=line_no, kind=self.kind, version_from=self.version_from,
                          days_from=self.days_from, days_to=self.days_to, tier=self.tier,
                          tou_period=self.tou_period, fund_code=self.fund_code, fund_name=self.fund_name,
                          quantity=self.quantity, unit_price=self.unit_price, days_charged=self.days_charged,
                          days_basis=self.days_basis, amount_fen=self.amount_fen)


def line_amount(quantity: Decimal, unit_price: Decimal, share: tuple[int, int] | None = None) -> int:
    """quantity × unit price (× days charged / days basis) in fen, rounded half up on its own."""
    yuan = quantity * unit_price
    if share is not None:
        yuan = yuan * share[0] / share[1]
    return round_half_up_to_fen(yuan)
