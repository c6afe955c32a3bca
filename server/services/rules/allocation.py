"""The allocation rule lives in :mod:`shared_models.rules.allocation`, so the counter can preview an
allocation offline with the very rule the server books by. Kept here so ``server.services.rules``
still names every rule the services apply."""

from __future__ import annotations

from shared_models.rules.allocation import (
    Allocation,
    AllocationError,
    AllocationErrorCode,
    BillAllocation,
    OpenBill,
    allocate,
    change_due,
)

__all__ = ["Allocation", "AllocationError", "AllocationErrorCode", "BillAllocation", "OpenBill", "allocate",
           "change_due"]
