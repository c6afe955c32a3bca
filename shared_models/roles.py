"""Roles and permissions: the one permission matrix that server and client both read."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a user is employed as."""

    CASHIER = "cashier"
    METER_READER = "meter_reader"
    SUPERVISOR = "supervisor"
    BILLING_CLERK = "billing_clerk"
    BUSINESS_CLERK = "business_clerk"
    ADMIN = "admin"


class Perm(StrEnum):
    """What a call needs. ``SESSION`` is any signed-in user."""

    SESSION = "session"
    VIEW_CUSTOMERS = "view_customers"
    EDIT_CUSTOMERS = "edit_customers"
    COLLECT = "collect"
    APPROVE = "approve"
    READINGS = "readings"
    BILLING = "billing"
    APPLICATIONS = "applications"
    VIEW_AUDIT = "view_audit"
    MANAGE_USERS = "manage_users"


ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.CASHIER: frozenset({Perm.SESSION, Perm.VIEW_CUSTOMERS, Perm.EDIT_CUSTOMERS, Perm.COLLECT}),
    Role.METER_READER: frozenset({Perm.SESSION, Perm.VIEW_CUSTOMERS, Perm.READINGS}),
    Role.SUPERVISOR: frozenset(
        {Perm.SESSION, Perm.VIEW_CUSTOMERS, Perm.EDIT_CUSTOMERS, Perm.COLLECT, Perm.APPROVE, Perm.VIEW_AUDIT}
    ),
    Role.BILLING_CLERK: frozenset({Perm.SESSION, Perm.VIEW_CUSTOMERS, Perm.BILLING, Perm.READINGS}),
    Role.BUSINESS_CLERK: frozenset({Perm.SESSION, Perm.VIEW_CUSTOMERS, Perm.EDIT_CUSTOMERS, Perm.APPLICATIONS}),
    Role.ADMIN: frozenset({Perm.SESSION, Perm.VIEW_CUSTOMERS, Perm.APPROVE, Perm.VIEW_AUDIT, Perm.MANAGE_USERS}),
}


def has_permission(role: Role, perm: Perm) -> bool:
    """True when ``role`` holds ``perm``."""
    return perm in ROLE_PERMISSIONS[role]
