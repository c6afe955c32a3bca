"""Method name → service function. The contract test checks every registry entry has one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from server.services import admin, audit, auth, customers
from shared_models.rpc import REGISTRY, load_all

Handler = Callable[..., Any]

HANDLERS: dict[str, Handler] = {
    "system.handshake": auth.handshake,
    "auth.login": auth.login,
    "auth.logout": auth.logout,
    "auth.whoami": auth.whoami,
    "auth.change_password": auth.change_password,
    "admin.list_users": admin.list_users,
    "admin.create_user": admin.create_user,
    "admin.unlock_user": admin.unlock_user,
    "admin.reset_password": admin.reset_password,
    "admin.set_user_active": admin.set_user_active,
    "audit.list_records": audit.list_records,
    "audit.verify_chain": audit.verify_chain,
    "customer.get_customer": customers.get_customer,
    "customer.update_contact": customers.update_contact,
}


def check_complete() -> None:
    """Fail fast at start-up when a declared method has no handler or a handler no declaration."""
    load_all()
    missing = sorted(set(REGISTRY) - set(HANDLERS))
    extra = sorted(set(HANDLERS) - set(REGISTRY))
    if missing or extra:
        raise RuntimeError(f"RPC handlers out of step with the contract: missing {missing}, undeclared {extra}")
