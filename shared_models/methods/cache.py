"""The counter's cache of its hall's customers (SPEC §5 "serving offline", issue #5).

``customer.get_hall_changes`` pages through the customers of the caller's hall (the hall of the
session's counter) whose cached figures changed after a cursor, oldest change first. A counter keeps
the last cursor and asks again while online; offline it serves search, the 360 view and quotes from
what it has (``client/core/customer_cache.py``).

The cursor is the pair (``cursor``, ``customer_id``): ``cursor`` is the PostgreSQL transaction id of
the last change to a customer's figures (a payment, a void, a released bill, an edit of the
customer or a meter), ``customer_id`` orders the customers one transaction changed. A page only ever
holds changes of transactions that had ended when it was read, so a change that commits later always
lands after the cursor already handed out: nothing is skipped. ``docs/offline-cache.md`` has the
details.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Final

from pydantic import Field

from shared_models.methods.customers import CustomerProfile, OpenBillView
from shared_models.money import FenField
from shared_models.roles import Perm
from shared_models.rpc import Model, Query, register

#: The largest cursor part (PostgreSQL ``bigint``).
MAX_CURSOR: Final = 2**63 - 1
#: Customers per page: the default, and the most a page may ask for.
DEFAULT_PAGE: Final = 1000
MAX_PAGE: Final = 2000

CursorField = Annotated[int, Field(strict=True, ge=0, le=MAX_CURSOR)]


class HallChangesRequest(Model):
    """The next page after (``after_cursor``, ``after_customer_id``); (0, 0) asks for every customer.

    ``business_date`` is the business day the counter's cache holds figures of: late fees grow every
    day, so when it is not today's the server starts over from the beginning (``restarted``).
    """

    after_cursor: CursorField = 0
    after_customer_id: CursorField = 0
    business_date: dt.date | None = None
    limit: Annotated[int, Field(strict=True, ge=1, le=MAX_PAGE)] = DEFAULT_PAGE


class HallCustomer(Model):
    """What the desk needs about one customer offline: the profile (phone, meters, category, status …),
    the open bills with their late fee as of the page's business date, due and prepayment."""

    profile: CustomerProfile
    open_bills: list[OpenBillView]
    arrears_fen: FenField
    late_fee_fen: FenField
    due_fen: FenField
    prepayment_fen: FenField


class HallChangesPage(Model):
    """Customers changed after the cursor, in cursor order, and the cursor to ask after next.

    ``complete``: nothing else had changed when the page was read (ask again later for newer changes).
    ``restarted``: the server ignored the cursor given and started from the beginning (another business
    date, or a cursor it never handed out); the counter then begins a full pass.
    """

    hall_code: str
    customers: list[HallCustomer]
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
