"""All tables; importing this package registers every model on ``Base.metadata``."""

from server.models import audit, billing, cache, customers, ledger, offline, org, payments, readings, users

__all__ = ["audit", "billing", "cache", "customers", "ledger", "offline", "org", "payments", "readings", "users"]
