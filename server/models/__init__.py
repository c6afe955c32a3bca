"""All tables; importing this package registers every model on ``Base.metadata``."""

from server.models import audit, billing, customers, ledger, org, payments, users

__all__ = ["audit", "billing", "customers", "ledger", "org", "payments", "users"]
