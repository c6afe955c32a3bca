"""How a test sends a mutation: with an action confirmed the way a screen confirms one."""

from __future__ import annotations

from client.core.actions import ActionSlot, ConfirmedAction


def confirmed() -> ConfirmedAction:
    """A newly confirmed action (the first press of a button): a fresh idempotency key."""
    return ActionSlot().confirm(object())
