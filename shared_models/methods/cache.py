"""The counter's cache of its hall's customers (SPEC §5 "serving offline", issue #5).

``customer.get_hall_changes`` pages through the customers of the caller's hall (the hall of the
session's counter) whose cached figures changed after a cursor, oldest change first. A counter keeps
the last cursor and asks again while online; offline it serves search, the 360 view and quotes from
what it has (``client/core/customer_cache/``).

The cursor is the pair (``cursor``, ``customer_id``): ``cursor`` is the PostgreSQL transaction id of
the last change to a customer's figures (a payment, a void, a released bill, an edit of the
customer or a meter), ``customer_id`` orders the customers one transaction changed. A page only ever
holds changes of transactions that had ended when it was read, so a change that commits later always
lands after the cursor already handed out: nothing is skipped. ``docs/offline-cache.md`` has the
details.

The cache holds the **inputs** of each open bill's late fee (its unpaid principal day by day, the fees
already charged, the rule version's terms), never fees computed to a day: the counter computes the fee
as of its own business day with the server's rule (``shared_models.rules.late_fees``), so a new day
changes nothing the server must send again (:meth:`CachedBill.view_on`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Final

from pydantic import Field, model_validator

from shared_models.methods.customers import CustomerProfile, OpenBillView
from shared_models.money import FenField, NonNegativeFenField, parse_price
from shared_models.roles import Perm
from shared_models.rpc import Model, Query, register
from shared_models.rules.late_fees import CrossYearRule, LateFeeRule, OpenPrincipal, late_fee_on

#: The largest cursor part (PostgreSQL ``bigint``).
MAX_CURSOR: Final = 2**63 - 1
#: Customers per page: the default, and the most a page may ask for.
DEFAULT_PAGE: Final = 1000
MAX_PAGE: Final = 2000

CursorField = Annotated[int, Field(strict=True, ge=0, le=MAX_CURSOR)]
#: A late-fee rate in per mille per day, as the tariff version stores it (``numeric``), as text.
PermilleField = Annotated[str, Field(pattern=r"^[0-9]{1,6}(\.[0-9]{1,9})?$")]


class HallChangesRequest(Model):
    """The next page after (``after_cursor``, ``after_customer_id``); (0, 0) asks for every customer."""

    after_cursor: CursorField = 0
    after_customer_id: CursorField = 0
    limit: Annotated[int, Field(strict=True, ge=1, le=MAX_PAGE)] = DEFAULT_PAGE


class LateFeeTerms(Model):
    """The late-fee terms of a bill's tariff version (``shared_models.rules.late_fees.LateFeeRule``)."""

    daily_permille_current: PermilleField
    daily_permille_cross_year: PermilleField
    cross_year: CrossYearRule
    minimum_fen: NonNegativeFenField

    def rule(self) -> LateFeeRule:
        """The rule these terms describe."""
        return LateFeeRule(daily_permille_current=parse_price(self.daily_permille_current),
                           daily_permille_cross_year=parse_price(self.daily_permille_cross_year),
                           cross_year=self.cross_year, minimum_fen=self.minimum_fen)


class PrincipalStep(Model):
    """From the end of business day ``on`` on, ``open_fen`` of the bill's principal is unpaid."""

    on: dt.date
    open_fen: NonNegativeFenField


class CachedBill(Model):
    """An open bill with what its late fee on any day depends on, not the fee of one day.

    ``steps`` is the unpaid principal over time (``OpenPrincipal.balances``: the first on the due date,
    then one per later business day with a payment or a void on the bill); ``fee_charged_fen`` the late
    fees already posted on it (net of voids), which the fee of the day pays for first.
    """

    bill_no: str
    period: int
    kwh: str
    amount_fen: FenField
    principal_open_fen: FenField
    issued_on: dt.date
    due_on: dt.date
    steps: Annotated[list[PrincipalStep], Field(min_length=1)]
    fee_charged_fen: NonNegativeFenField
    terms: LateFeeTerms

    @model_validator(mode="after")
    def _inputs_the_rule_takes(self) -> CachedBill:
        """Steps the rule cannot use (out of order, the first after the due date) fail here, when the page
        is read, not later in a quote at the desk."""
        self._principal()
        return self

    def _principal(self) -> OpenPrincipal:
        return OpenPrincipal(due_on=self.due_on, balances=tuple((s.on, s.open_fen) for s in self.steps))

    def view_on(self, day: dt.date) -> OpenBillView:
        """The bill as ``payment.get_quote`` and the 360 view show it on ``day``: late days and the late
        fee still to charge if paid that day, by the server's rule."""
        fee = late_fee_on(principal=self._principal(), rule=self.terms.rule(), already_charged_fen=self.fee_charged_fen,
                          pay_on=day)
        return OpenBillView(bill_no=self.bill_no, period=self.period, kwh=self.kwh, amount_fen=self.amount_fen,
                            principal_open_fen=self.principal_open_fen, issued_on=self.issued_on, due_on=self.due_on,
                            late_days=fee.late_days, late_fee_fen=fee.late_fee_fen)

    def after_payment(self, *, day: dt.date, principal_fen: int, late_fee_fen: int) -> CachedBill:
        """The bill after a payment on business day ``day`` paid ``late_fee_fen`` of fee and
        ``principal_fen`` of principal on it, as the server's books will have it: the fee is charged, and
        the principal is lower from that day on (paid by the due date: lower from the start)."""
        left = self.principal_open_fen - principal_fen
        steps = list(self.steps)
        on = max(day, steps[0].on)
        if steps[-1].on >= on:  # the same day (or a counter clock behind the last step): that day's balance
            steps[-1] = PrincipalStep(on=steps[-1].on, open_fen=max(left, 0))
        else:
            steps.append(PrincipalStep(on=on, open_fen=max(left, 0)))
        return self.model_copy(update={"principal_open_fen": left, "steps": steps,
                                       "fee_charged_fen": self.fee_charged_fen + late_fee_fen})


class HallCustomer(Model):
    """What the desk needs about one customer offline: the profile (phone, meters, category, status …),
    the open bills with their late-fee inputs (oldest due first, as the server allocates), the unpaid
    principal and prepayment. Nothing here depends on the day it is read."""

    profile: CustomerProfile
    open_bills: list[CachedBill]
    arrears_fen: FenField
    prepayment_fen: FenField


class HallChangesPage(Model):
    """Customers changed after the cursor, in cursor order, those who left the hall, and the cursor to ask
    after next (``limit`` counts both).

    ``complete``: nothing else had changed when the page was read (ask again later for newer changes).
    ``restarted``: the server ignored the cursor given and started from the beginning (a cursor it never
    handed out: another database, a restore); the counter then begins a full pass.
    ``business_date`` is the server's business day when the page was read (for display only).
    """

    hall_code: str
    customers: list[HallCustomer]
    #: Customer numbers that left the hall (moved to another) since the cursor: drop them.
    departed: list[str]
    next_cursor: CursorField
    next_customer_id: CursorField
    complete: bool
    restarted: bool
    as_of: dt.datetime
    business_date: dt.date


GET_HALL_CHANGES = register(
    Query("customer.get_hall_changes", HallChangesRequest, HallChangesPage, permission=Perm.COLLECT,
          summary="The customers of the caller's hall changed after a cursor, for the counter's "
                  "offline cache.")
)
