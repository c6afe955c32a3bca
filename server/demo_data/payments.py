"""The demo's payment history as ledger entries: payments at the counters and prepayment surpluses.

The bills and their charges come from the bill runs' release; each bill is then paid at a counter in hall
hours between issue and due date (the last ``unpaid`` bills left open); a prepayment customer's last
payment leaves a surplus on no bill.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass

from server.models.ledger import EntryKind
from shared_models.rules.hall_time import HALL_TZ

LEDGER_COLUMNS = ("customer_id", "kind", "amount_fen", "bill_id", "posted_at", "posted_by", "reference")
_OPENS = dt.time(8, 30)  # the counters open at 08:30 hall time …
_OPEN_MINUTES = 510  # … and close 8½ hours later
_PAYMENT = EntryKind.PAYMENT.value


@dataclass(frozen=True)
class Bill:
    """A released bill as the payment history needs it."""

    bill_id: int
    bill_no: str
    issued_on: dt.date
    pay_window: int
    amount_fen: int


@dataclass(frozen=True)
class Account:
    """How a customer pays: who takes the payments, how many of the latest bills are still open, and the
    prepayment (预收) left over from the last payment."""

    customer_id: int
    cashier_id: int
    unpaid: int
    prepay_fen: int


def write_ledger(account: Account, bills: list[Bill], rng: random.Random, *, out: io.StringIO) -> int:
    """COPY lines of the customer's payments of its released ``bills`` (oldest first); returns how many."""
    cid = account.customer_id
    written = 0
    last = len(bills)
    for number, bill in enumerate(bills, start=1):
        paid = number <= last - account.unpaid
        # The day and minute of the payment are drawn for every bill, so a customer's draws do not
        # depend on how many bills are open.
        day = rng.randrange(bill.pay_window + 1)
        minute = rng.randrange(_OPEN_MINUTES)
        paid_at = (dt.datetime.combine(bill.issued_on + dt.timedelta(days=day), _OPENS, HALL_TZ)
                   + dt.timedelta(minutes=minute)).isoformat()
        if paid and bill.amount_fen:  # nothing consumed: nothing charged, nothing to pay
            out.write(f"{cid}\t{_PAYMENT}\t{bill.amount_fen}\t{bill.bill_id}\t{paid_at}\t"
                      f"{account.cashier_id}\tDEMO-{bill.bill_no}\n")
            written += 1
        if paid and number == last and account.prepay_fen:
            # the surplus of a prepayment customer's last payment is prepayment (预收): on no bill
            out.write(f"{cid}\t{_PAYMENT}\t{account.prepay_fen}\t\\N\t{paid_at}\t"
                      f"{account.cashier_id}\tDEMO-{bill.bill_no}\n")
            written += 1
    return written
