"""Allocation of one counter payment over a customer's open bills, and change (DOMAIN.md §6.2–6.3).

Oldest bill first (by due date; ties by period, then bill id), within a bill the late fee before the
principal (民法典 Art. 561: interest before principal), and whatever is left becomes prepayment
(预收). Bills partly paid stay open. Every amount is integer fen (:data:`~shared_models.money.Fen`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from shared_models.money import Fen


class AllocationErrorCode(StrEnum):
    """Why a payment cannot be allocated or taken; values match the wire error codes (``ErrorCode``) the
    server answers and the counter shows."""

    AMOUNT_NOT_POSITIVE = "AMOUNT_NOT_POSITIVE"
    AMOUNT_TOO_LARGE = "AMOUNT_TOO_LARGE"
    CASH_TENDERED_TOO_LOW = "CASH_TENDERED_TOO_LOW"
    TENDER_INVALID = "TENDER_INVALID"
    TENDER_REFERENCE_REQUIRED = "TENDER_REFERENCE_REQUIRED"


class AllocationError(Exception):
    """A payment that the rules refuse; carries a code and integer params, never prose."""

    def __init__(self, code: AllocationErrorCode, /, **params: int | str) -> None:
        super().__init__(code.value)
        self.code = code
        self.params: dict[str, int | str] = params


@dataclass(frozen=True)
class OpenBill:
    """What is still outstanding on one released bill."""

    bill_id: int
    due_on: dt.date
    period: int
    principal_fen: Fen
    late_fee_fen: Fen

    def __post_init__(self) -> None:
        _check_int("bill_id", self.bill_id)
        _check_int("period", self.period)
        if not isinstance(self.due_on, dt.date) or isinstance(self.due_on, dt.datetime):
            raise TypeError("due_on must be a datetime.date")
        for name in ("principal_fen", "late_fee_fen"):
            _check_int(name, getattr(self, name))
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")

    @property
    def outstanding_fen(self) -> Fen:
        """Late fee plus principal still owed."""
        return Fen(self.late_fee_fen + self.principal_fen)


@dataclass(frozen=True)
class BillAllocation:
    """The part of a payment that goes to one bill."""

    bill_id: int
    late_fee_fen: Fen
    principal_fen: Fen
    settles_bill: bool

    @property
    def total_fen(self) -> Fen:
        """Late fee plus principal paid on this bill."""
        return Fen(self.late_fee_fen + self.principal_fen)


@dataclass(frozen=True)
class Allocation:
    """A payment split over bills (oldest first) plus the prepayment (预收) remainder.

    ``due_fen`` is what the given bills owed before the payment, ``remaining_due_fen`` after it.
    """

    lines: tuple[BillAllocation, ...]
    prepayment_fen: Fen
    paid_fen: Fen
    due_fen: Fen
    remaining_due_fen: Fen


def allocate(*, bills: Sequence[OpenBill], amount_fen: Fen) -> Allocation:
    """Split ``amount_fen`` over ``bills``: oldest due first, late fee before principal, rest to 预收.

    Only the bills given are paid (never a bill not yet released); bills with nothing outstanding get
    no line. Raises ``AllocationError(AMOUNT_NOT_POSITIVE)`` for an amount below 1 fen.
    """
    _check_int("amount_fen", amount_fen)
    if amount_fen < 1:
        raise AllocationError(AllocationErrorCode.AMOUNT_NOT_POSITIVE, amount_fen=amount_fen)
    if isinstance(bills, str | bytes) or not isinstance(bills, Sequence):
        raise TypeError("bills must be a sequence of OpenBill")
    seen: set[int] = set()
    for bill in bills:
        if not isinstance(bill, OpenBill):
            raise TypeError("bills must be a sequence of OpenBill")
        if bill.bill_id in seen:
            raise ValueError(f"bill {bill.bill_id} given twice")
        seen.add(bill.bill_id)

    left: int = amount_fen
    lines: list[BillAllocation] = []
    for bill in sorted(bills, key=lambda b: (b.due_on, b.period, b.bill_id)):
        if left == 0:
            break
        if bill.outstanding_fen == 0:
            continue
        fee = Fen(min(left, bill.late_fee_fen))
        principal = Fen(min(left - fee, bill.principal_fen))
        left -= fee + principal
        lines.append(
            BillAllocation(
                bill_id=bill.bill_id,
                late_fee_fen=fee,
                principal_fen=principal,
                settles_bill=fee + principal == bill.outstanding_fen,
            )
        )
    due = sum(b.outstanding_fen for b in bills)
    allocated = amount_fen - left
    return Allocation(
        lines=tuple(lines),
        prepayment_fen=Fen(left),
        paid_fen=amount_fen,
        due_fen=Fen(due),
        remaining_due_fen=Fen(due - allocated),
    )


def change_due(*, cash_tendered_fen: Fen, cash_part_fen: Fen) -> Fen:
    """Change to hand back: cash tendered minus the part of the payment made in cash (§6.3).

    Raises ``AllocationError(CASH_TENDERED_TOO_LOW)`` when less cash was tendered than that part.
    Leaving the change as 预收 is the caller's choice: it then pays the tendered amount instead.
    """
    _check_int("cash_tendered_fen", cash_tendered_fen)
    _check_int("cash_part_fen", cash_part_fen)
    if cash_tendered_fen < 0 or cash_part_fen < 0:
        raise ValueError("cash amounts must not be negative")
    if cash_tendered_fen < cash_part_fen:
        raise AllocationError(
            AllocationErrorCode.CASH_TENDERED_TOO_LOW,
            cash_tendered_fen=cash_tendered_fen,
            cash_part_fen=cash_part_fen,
        )
    return Fen(cash_tendered_fen - cash_part_fen)


def _check_int(name: str, value: object) -> None:
    # bool is an int subclass and a float may carry binary noise: neither is an amount of fen
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int")
