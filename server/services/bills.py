"""A customer's open bills with the late fee to a given day, and the prepayment (预收) balance.

The books (signed from the customer's side, a charge is negative) say everything:

* a bill's unpaid principal is ``−(sum of its ledger entries)``: its CHARGE (−amount), and for each
  payment a LATE_FEE (−fee paid) plus a PAYMENT (+fee paid + principal paid) on the bill, so the fee
  nets out; a void adds one REVERSAL (opposite amount, same bill) per entry, so the sum stays right;
* the principal history that the late fee needs (DOMAIN §5.3: partial payments lower the base from
  their date) is the running sum of those entries by China calendar day;
* the late fee already charged on a bill is its LATE_FEE entries net of their reversals;
* the balance is the sum of all entries, and prepayment = balance + unpaid principal of the open bills.

One SQL statement reads it all (this runs on every quote and payment), the rules in
:mod:`shared_models.rules.late_fees` do the arithmetic.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import Row
from sqlalchemy.orm import Session

from server.db.prepared import OPEN_BILLS, fetch
from server.models.ledger import EntryKind
from shared_models.rules.hall_time import business_date
from shared_models.rules.late_fees import CrossYearRule, LateFeeRule, OpenPrincipal, late_fee_on

_FEE: Final = EntryKind.LATE_FEE.value
_CHARGE: Final = EntryKind.CHARGE.value

@dataclass(frozen=True)
class BillDue:
    """One open bill as of a day: its unpaid principal and the late fee still to charge that day."""

    bill_id: int
    bill_no: str
    period: int
    kwh: Decimal
    amount_fen: int
    issued_on: dt.date
    due_on: dt.date
    principal_open_fen: int
    late_days: int
    late_fee_fen: int

    @property
    def outstanding_fen(self) -> int:
        """Late fee plus principal owed on the day."""
        return self.principal_open_fen + self.late_fee_fen


@dataclass(frozen=True)
class CustomerBills:
    """A customer's open bills (oldest due first) and prepayment on day ``as_of``."""

    as_of: dt.date
    bills: tuple[BillDue, ...]
    balance_fen: int

    @property
    def arrears_fen(self) -> int:
        """Unpaid principal of all open bills."""
        return sum(b.principal_open_fen for b in self.bills)

    @property
    def late_fee_fen(self) -> int:
        """Late fees to ``as_of`` not yet charged."""
        return sum(b.late_fee_fen for b in self.bills)

    @property
    def due_fen(self) -> int:
        """What the open bills owe on ``as_of``: principal plus late fee (SPEC C3)."""
        return self.arrears_fen + self.late_fee_fen

    @property
    def prepayment_fen(self) -> int:
        """预收: the balance not explained by open bills (balance = prepayment − arrears)."""
        return self.balance_fen + self.arrears_fen


def load_bills(
    session: Session, *, customer_id: int, on: dt.date, before_entry_id: int | None = None
) -> CustomerBills:
    """The open bills of a customer with their late fee if paid on ``on``, and the balance.

    ``before_entry_id`` reads the books as they were before that entry (to rebuild an old receipt).
    """
    rows = fetch(session, OPEN_BILLS, {"cid": customer_id, "before": before_entry_id})
    return customer_bills(rows, on=on)


def customer_bills(rows: Sequence[Row[Any]], *, on: dt.date) -> CustomerBills:
    """One customer's open bills and balance from rows shaped like ``prepared.OPEN_BILLS``'s: the balance on
    every row, then per entry of an open bill its head, entry and reversed kind (none: one row of NULLs),
    ordered by due date, period, bill and entry."""
    balance, terms = open_bill_terms(rows)
    bills = tuple(_bill_due(head, t, on) for head, t in terms)
    return CustomerBills(as_of=on, bills=bills, balance_fen=balance)


@dataclass(frozen=True)
class BillTerms:
    """What an open bill's late fee on any day depends on (the hall cache sends these to the counter)."""

    principal: OpenPrincipal
    rule: LateFeeRule
    fee_charged_fen: int
    principal_open_fen: int


def open_bill_terms(rows: Sequence[Row[Any]]) -> tuple[int, list[tuple[Row[Any], BillTerms]]]:
    """(balance, per open bill its head row and late-fee terms) from rows shaped like ``prepared.OPEN_BILLS``'s,
    in their order. Also fed by the hall cache's page query (``cache.py``)."""
    balance = int(rows[0].balance_fen)
    entries: dict[int, list[tuple[str, int, dt.datetime, str | None]]] = defaultdict(list)
    heads: dict[int, Row[Any]] = {}
    for row in rows:
        if row.id is None:
            continue
        heads.setdefault(row.id, row)
        entries[row.id].append((row.kind, int(row.entry_fen), row.posted_at, row.reversed_kind))
    return balance, [(head, _bill_terms(head, entries[bill_id])) for bill_id, head in heads.items()]


def _bill_terms(head: Row[Any], entries: list[tuple[str, int, dt.datetime, str | None]]) -> BillTerms:
    due_on: dt.date = head.due_on
    by_day: dict[dt.date, int] = defaultdict(int)
    fee_charged = 0
    for kind, fen, posted_at, reversed_kind in entries:
        day = business_date(posted_at)
        if kind == _CHARGE:
            day = min(day, due_on)  # a bill is owed in full from its due date, whenever it was posted
        by_day[day] += fen
        if _FEE in (kind, reversed_kind):  # a fee posting, or the reversal of one
            fee_charged -= fen
    principal_open = -sum(by_day.values())
    # unpaid principal at the end of the due date, then after each later day with entries
    running = sum(fen for day, fen in by_day.items() if day <= due_on)
    balances = [(due_on, max(-running, 0))]
    for day in sorted(d for d in by_day if d > due_on):
        running += by_day[day]
        balances.append((day, max(-running, 0)))
    rule = LateFeeRule(
        daily_permille_current=Decimal(head.late_fee_daily_permille),
        daily_permille_cross_year=Decimal(head.late_fee_cross_year_permille),
        cross_year=CrossYearRule(head.late_fee_cross_year_rule),
        minimum_fen=int(head.late_fee_minimum_fen),
    )
    return BillTerms(principal=OpenPrincipal(due_on=due_on, balances=tuple(balances)), rule=rule,
                     fee_charged_fen=max(fee_charged, 0), principal_open_fen=principal_open)


def _bill_due(head: Row[Any], terms: BillTerms, on: dt.date) -> BillDue:
    fee = late_fee_on(principal=terms.principal, rule=terms.rule, already_charged_fen=terms.fee_charged_fen, pay_on=on)
    return BillDue(
        bill_id=int(head.id), bill_no=head.bill_no, period=int(head.period),
        kwh=head.kwh, amount_fen=int(head.amount_fen), issued_on=head.issued_on,
        due_on=terms.principal.due_on, principal_open_fen=terms.principal_open_fen, late_days=fee.late_days,
        late_fee_fen=fee.late_fee_fen,
    )
