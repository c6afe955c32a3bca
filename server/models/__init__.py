"""All tables; importing this package registers every model on ``Base.metadata``."""

from server.models import (
    audit,
    billing,
    billruns,
    cache,
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

__all__ = ["audit", "billing", "billruns", "cache", "customers", "handheld", "ledger", "offline", "org", "payments",
           "readings", "terms", "users"]
