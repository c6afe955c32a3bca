"""The quote, one rule for the server and the offline counter: what a customer's open bills owe on a day and
how a payment of some amount would be allocated over them (``payment.get_quote``, SPEC C3).

The server quotes from its books (``server/services/payments.py``), the counter from its customer cache
(``client/core/customer_cache``): both hand this module the open bills as of the payment's day (oldest due
first, each with its late days and the late fee still to charge that day) and the prepayment, and get the
same :class:`~shared_models.methods.payments.Quote`. The server books a payment by the lines of this quote.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from shared_models.methods.payments import AllocationLine, Quote
from shared_models.money import FEN_BOUND, Fen
from shared_models.rules.allocation import Allocation, AllocationError, AllocationErrorCode, OpenBill, allocate


class BillOnDay(Protocol):
    """One open bill as of the payment's day (the server's ``BillDue``, the contract's ``OpenBillView``)."""

    @property
    def bill_no(self) -> str: ...
    @property
    def period(self) -> int: ...
    @property
    def kwh(self) -> Decimal | str: ...
    @property
    def due_on(self) -> dt.date: ...
    @property
    def principal_open_fen(self) -> int: ...
    @property
    def late_days(self) -> int: ...
    @property
    def late_fee_fen(self) -> int: ...


def due_of(bills: Sequence[BillOnDay]) -> Fen:
    """What the open bills owe on the day: principal plus late fee (SPEC C3)."""
    return Fen(sum(b.principal_open_fen + b.late_fee_fen for b in bills))


def allocate_bills(bills: Sequence[BillOnDay], amount_fen: Fen) -> Allocation:
    """The allocation rule over bills given in the server's order; a bill's place in that order stands in
    for its id (``Allocation.lines[i].bill_id`` indexes ``bills``)."""
    return allocate(bills=[OpenBill(bill_id=i, due_on=b.due_on, period=b.period,
                                    principal_fen=Fen(b.principal_open_fen), late_fee_fen=Fen(b.late_fee_fen))
                           for i, b in enumerate(bills)], amount_fen=amount_fen)


def quote_payment(*, customer_no: str, customer_name: str, bills: Sequence[BillOnDay], prepayment_fen: Fen,
                  amount_fen: Fen | None) -> Quote:
    """The quote of paying ``amount_fen`` (None: everything due) on the bills: one line per open bill with
    the late fee and principal the payment takes from it, the rest to prepayment (预收).

    ``AllocationError``: AMOUNT_NOT_POSITIVE for an amount below 1 fen; AMOUNT_TOO_LARGE when the
    prepayment after the payment would leave the contract's Fen bound.
    """
    due = due_of(bills)
    amount = due if amount_fen is None else amount_fen
    allocation = allocate_bills(bills, amount) if amount_fen is not None or due > 0 else None
    to_prepayment = allocation.prepayment_fen if allocation else Fen(0)
    if abs(prepayment_fen + to_prepayment) > FEN_BOUND:  # an answer that cannot be built is refused first
        raise AllocationError(AllocationErrorCode.AMOUNT_TOO_LARGE, amount_fen=to_prepayment,
                              limit_fen=max(FEN_BOUND - prepayment_fen, 0))
    paid = {line.bill_id: line for line in allocation.lines} if allocation else {}
    lines = []
    for i, bill in enumerate(bills):
        part = paid.get(i)
        lines.append(AllocationLine(
            bill_no=bill.bill_no, period=bill.period, kwh=str(bill.kwh), due_on=bill.due_on,
            principal_open_fen=bill.principal_open_fen, late_days=bill.late_days, late_fee_fen=bill.late_fee_fen,
            pay_late_fee_fen=part.late_fee_fen if part else 0, pay_principal_fen=part.principal_fen if part else 0,
            settles_bill=part.settles_bill if part else False,
        ))
    return Quote(
        customer_no=customer_no, customer_name=customer_name, due_fen=due, amount_fen=amount, lines=lines,
        to_prepayment_fen=to_prepayment, prepayment_before_fen=prepayment_fen,
        prepayment_after_fen=prepayment_fen + to_prepayment,
        remaining_due_fen=allocation.remaining_due_fen if allocation else due,
    )
