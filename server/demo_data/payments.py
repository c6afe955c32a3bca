"""The demo's payment history as ledger entries: charges, payments at the counters, prepayment surpluses.

Each bill is charged when issued and paid at a counter in hall hours between issue and due date (the
last ``unpaid`` bills left open); a prepayment customer's last payment leaves a surplus on no bill.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass

from server.demo_data.bills import Bill
from server.models.ledger import EntryKind
from shared_models.rules.hall_time import HALL_TZ

LEDGER_COLUMNS = ("id", "customer_id", "kind", "amount_fen", "bill_id", "posted_at", "posted_by", "reference")
_OPENS = dt.time(8, 30)  # the counters open at 08:30 hall time …
_OPEN_MINUTES = 510  # … and close 8½ hours later
_CHARGE = EntryKind.CHARGE.value
_PAYMENT = EntryKind.PAYMENT.value


@dataclass(frozen=True)
class Account:
    """How a customer pays: who takes the payments, how many of the latest bills are still open, and the
    prepayment (预收) left over from the last payment."""

    customer_id: int
    cashier_id: int
    unpaid: int
    prepay_fen: int


def write_ledger(account: Account, bills: list[Bill], rng: random.Random, *, out: io.StringIO) -> int:
    """COPY lines of the customer's ledger entries; returns how many. Ids ``(bill_id - 1) * 3 + n``: the
    charge (n = 1), the payment (2) and a prepayment surplus (3) of each bill stay together."""
    cid = account.customer_id
    written = 0
    last = len(bills)
    for number, bill in enumerate(bills, start=1):
        base = (bill.bill_id - 1) * 3
        paid = number <= last - account.unpaid
        # The day and minute of the payment are drawn for every bill, so a customer's draws do not
        # depend on how many bills are open.
        day = rng.randrange(bill.period.pay_window + 1)
        minute = rng.randrange(_OPEN_MINUTES)
        issued = bill.period.issued_on
        paid_at = (dt.datetime.combine(issued + dt.timedelta(days=day), _OPENS, HALL_TZ)
                   + dt.timedelta(minutes=minute)).isoformat() if paid else ""
        if bill.amount_fen:  # nothing consumed: nothing charged, nothing to pay
            out.write(f"{base + 1}\t{cid}\t{_CHARGE}\t{-bill.amount_fen}\t{bill.bill_id}\t{issued}T00:00:00+00:00\t"
                      f"\\N\t{bill.bill_no}\n")
            written += 1
            if paid:
                out.write(f"{base + 2}\t{cid}\t{_PAYMENT}\t{bill.amount_fen}\t{bill.bill_id}\t{paid_at}\t"
                          f"{account.cashier_id}\tDEMO-{bill.bill_no}\n")
                written += 1
        if paid and number == last and account.prepay_fen:
            # the surplus of a prepayment customer's last payment is prepayment (预收): on no bill
            out.write(f"{base + 3}\t{cid}\t{_PAYMENT}\t{account.prepay_fen}\t\\N\t{paid_at}\t"
                      f"{account.cashier_id}\tDEMO-{bill.bill_no}\n")
            written += 1
    return written
