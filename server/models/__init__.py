"""All tables; importing this package registers every model on ``Base.metadata``."""

from server.cards import models as cards  # the card key tables live beside the key service (server/cards)
from server.models import (
    audit,
    billing,
    billruns,
    cache,
    card_sales,
    customers,
    handheld,
    ledger,
    offline,
    org,
    payments,
    readings,
    terms,
    users,
)

__all__ = ["audit", "billing", "billruns", "cache", "card_sales", "cards", "customers", "handheld", "ledger",
           "offline", "org", "payments", "readings", "terms", "users"]
