"""The counter's cache of its hall's customers: ``customer.get_hall_changes`` (SPEC §5, issue #5).

Which customers changed: ``customer_changes`` (migration 0004) holds per customer the id of the last
transaction that changed its figures, kept by triggers on the books, customers and meters. A page is
the next ``limit`` customers of the caller's hall in ``(xid, customer_id)`` order after the cursor —
keyset paging on ``ix_customer_changes_hall_xid``, no OFFSET — restricted to transactions below the
snapshot's ``xmin``: those have all ended, so every change still to commit has a larger xid and lands
after the cursor handed out. A long write transaction (a bill run) holds the horizon back while it
runs; it never makes a counter miss a change. Customers who left the hall (``customer_departures``,
migration 0009) come in the same order, as customer numbers to drop.

The figures are the server's own: one statement reads the page's customers with their profile
columns, meters, balance and the entries of their open bills (the rows ``bills.customer_bills``
reads for a quote). Late fees are not sent: each open bill carries the inputs of its fee (unpaid
principal by day, fees already charged, the tariff version's terms, ``bills.open_bill_terms``), and the
counter computes the fee of its own day with the same rule, so a new day changes nothing here.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import Any, Final

from sqlalchemy import (
    BigInteger,
    Row,
    Select,
    String,
    Text,
    bindparam,
    case,
    cast,
    false,
    func,
    select,
    true,
    tuple_,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute, aliased
from sqlalchemy.sql.elements import Label

from server.context import CallContext
from server.errors import AppError
from server.models.billing import Bill
from server.models.cache import CustomerChange, CustomerDeparture
from server.models.customers import Customer, Tariff, TariffVersion
from server.models.ledger import LedgerEntry
from server.models.org import Counter, OrgUnit
from server.services.bills import BillTerms, open_bill_terms
from server.services.customers import current_meters
from shared_models.errors import ErrorCode
from shared_models.methods.cache import (
    CachedBill,
    HallChangesPage,
    HallChangesRequest,
    HallCustomer,
    LateFeeTerms,
    PrincipalStep,
)
from shared_models.methods.customers import (
    CustomerCategory,
    CustomerProfile,
    CustomerStatus,
    MeterInfo,
    PaymentMode,
)
from shared_models.rules.hall_time import business_date

# One statement per page. ``hz``: the caller's hall and the horizon (xids below ``xmin`` belong to
# transactions that have ended; a cursor at or past ``xmax`` was never handed out by this database).
# ``page``: one more customer than asked, to tell whether another page follows. Then per customer its
# profile columns (``heads``, computed once) and, as bills.py reads them for one customer, the entries
# of each open bill: the LATERAL join repeats the head per entry (or once with NULLs). ``hz`` is
# joined on the outside so that an empty page still returns one row, with the hall and the horizon.
# Every step is MATERIALIZED: computed once, in this order, whatever the planner would inline.
_SNAPSHOT = func.pg_current_snapshot()
_X = select(
    cast(cast(func.pg_snapshot_xmin(_SNAPSHOT), Text), BigInteger).label("xmin"),
    cast(cast(func.pg_snapshot_xmax(_SNAPSHOT), Text), BigInteger).label("xmax"),
).subquery("x")
_HZ = (
    select(_X.c.xmin, OrgUnit.id.label("hall_id"), OrgUnit.code.label("page_hall_code"),
           (bindparam("after_xid", type_=BigInteger) >= _X.c.xmax).label("beyond"))
    .select_from(_X)
    .join(Counter, Counter.id == bindparam("counter_id"))
    .join(OrgUnit, OrgUnit.id == Counter.hall_id)
    .cte("hz")
    .prefix_with("MATERIALIZED")
)


def _after(table: type[CustomerChange | CustomerDeparture], gone: bool) -> Select[int, int, bool]:
    """The next rows of ``table`` for the hall, below the horizon, after the cursor (from the start when beyond)."""
    cursor = tuple_(case((_HZ.c.beyond, 0), else_=bindparam("after_xid", type_=BigInteger)),
                    case((_HZ.c.beyond, 0), else_=bindparam("after_id", type_=BigInteger)))
    return (
        select(table.customer_id, table.xid, (true() if gone else false()).label("gone"))
        .where(table.hall_id == _HZ.c.hall_id, table.xid < _HZ.c.xmin, tuple_(table.xid, table.customer_id) > cursor)
        .order_by(table.xid, table.customer_id)
        .limit(bindparam("n"))
        .correlate(_HZ)
    )


_NEXT = union_all(_after(CustomerChange, gone=False), _after(CustomerDeparture, gone=True))
_S = _NEXT.order_by(_NEXT.selected_columns.xid, _NEXT.selected_columns.customer_id).limit(bindparam("n")).lateral("s")
_PAGE_ROWS = (
    select(_S.c.customer_id, _S.c.xid, _S.c.gone)
    .select_from(_HZ)
    .join(_S, true())
    .cte("page")
    .prefix_with("MATERIALIZED")
)
_PER_BILL = (
    select(LedgerEntry.customer_id, LedgerEntry.bill_id, func.sum(LedgerEntry.amount_fen).label("total"))
    .select_from(_PAGE_ROWS)
    .join(LedgerEntry, LedgerEntry.customer_id == _PAGE_ROWS.c.customer_id)
    .where(~_PAGE_ROWS.c.gone)
    .group_by(LedgerEntry.customer_id, LedgerEntry.bill_id)
    .cte("per_bill")
    .prefix_with("MATERIALIZED")
)
_BALANCES = (
    select(_PER_BILL.c.customer_id, func.sum(_PER_BILL.c.total).label("balance_fen"))
    .group_by(_PER_BILL.c.customer_id)
    .cte("balances")
    .prefix_with("MATERIALIZED")
)
# The enum columns come back as stored (their values): a page has thousands of rows, and the Enum type's
# per-value lookup is a tenth of reading them; the page's models take the values.
_CUSTOMER_ENUMS = (Customer.category, Customer.status, Customer.payment_mode)


def _as_stored(column: InstrumentedAttribute[Any]) -> Label[str]:
    return type_coerce(column, String).label(column.key)


_HEADS = (
    select(
        _PAGE_ROWS.c.xid, _PAGE_ROWS.c.customer_id, _PAGE_ROWS.c.gone, Customer.customer_no, Customer.name,
        Customer.address, Customer.phone, Customer.id_number_masked, *(_as_stored(c) for c in _CUSTOMER_ENUMS),
        OrgUnit.code.label("hall_code"), Tariff.name.label("tariff_name"),
        func.coalesce(_BALANCES.c.balance_fen, 0).label("balance_fen"),
        current_meters().label("meters"),
    )
    .select_from(_PAGE_ROWS)
    .join(Customer, Customer.id == _PAGE_ROWS.c.customer_id)
    .join(OrgUnit, OrgUnit.id == Customer.hall_id)
    .join(Tariff, Tariff.id == Customer.tariff_id)
    .outerjoin(_BALANCES, _BALANCES.c.customer_id == _PAGE_ROWS.c.customer_id)
    .cte("heads")
    .prefix_with("MATERIALIZED")
)
_REVERSED = aliased(LedgerEntry, name="r")
_OPEN = (
    select(
        Bill.id, Bill.bill_no, Bill.period, Bill.kwh, Bill.amount_fen, Bill.issued_on, Bill.due_on,
        TariffVersion.late_fee_daily_permille, TariffVersion.late_fee_cross_year_permille,
        TariffVersion.late_fee_cross_year_rule, TariffVersion.late_fee_minimum_fen, LedgerEntry.id.label("entry_id"),
        _as_stored(LedgerEntry.kind), LedgerEntry.amount_fen.label("entry_fen"), LedgerEntry.posted_at,
        _as_stored(_REVERSED.kind).label("reversed_kind"),
    )
    .select_from(_PER_BILL)
    .join(Bill, Bill.id == _PER_BILL.c.bill_id)
    .join(TariffVersion, TariffVersion.id == Bill.tariff_version_id)
    .join(LedgerEntry, LedgerEntry.bill_id == Bill.id)
    .outerjoin(_REVERSED, _REVERSED.id == LedgerEntry.reverses_id)
    .where(_PER_BILL.c.customer_id == _HEADS.c.customer_id, _PER_BILL.c.total < 0)
    .correlate(_HEADS)
    .lateral("o")
)
_PAGE: Final[Select[*tuple[Any, ...]]] = (
    select(
        _HZ.c.page_hall_code, _HZ.c.beyond, *_HEADS.c, _OPEN.c.id, _OPEN.c.bill_no, _OPEN.c.period, _OPEN.c.kwh,
        _OPEN.c.amount_fen, _OPEN.c.issued_on, _OPEN.c.due_on, _OPEN.c.late_fee_daily_permille,
        _OPEN.c.late_fee_cross_year_permille, _OPEN.c.late_fee_cross_year_rule, _OPEN.c.late_fee_minimum_fen,
        _OPEN.c.kind, _OPEN.c.entry_fen, _OPEN.c.posted_at, _OPEN.c.reversed_kind,
    )
    .select_from(_HZ.outerjoin(_HEADS.outerjoin(_OPEN, true()), true()))
    .order_by(_HEADS.c.xid, _HEADS.c.customer_id, _OPEN.c.due_on, _OPEN.c.period, _OPEN.c.id, _OPEN.c.entry_id)
)


def get_hall_changes(*, ctx: CallContext, req: HallChangesRequest) -> HallChangesPage:
    """The next page of the caller's hall's customers changed after the cursor (see the module docstring).

    The cursor starts over from the beginning (``restarted``) when it lies beyond any transaction the
    server has seen (a cursor of another database, say after a restore). A new business day does not:
    the page holds no figure that depends on the day.
    """
    actor = ctx.require_actor()
    given = (req.after_cursor, req.after_customer_id)
    # On the session's connection, as Core: no ORM result layer over a page's thousands of rows.
    rows = ctx.session.connection().execute(_PAGE, {
        "counter_id": actor.counter_id, "after_xid": given[0], "after_id": given[1], "n": req.limit + 1,
    }).all()
    if not rows:  # pragma: no cover - dispatch only lets in sessions of existing counters, each in a hall
        raise AppError(ErrorCode.UNKNOWN_COUNTER, counter=actor.counter_code)
    beyond = bool(rows[0].beyond)
    after = (0, 0) if beyond else given  # beyond: the statement read from the beginning
    restarted = given != (0, 0) and beyond
    customers: list[HallCustomer] = []
    departed: list[str] = []
    cursor = after
    complete = True
    for (xid, customer_id), group in groupby((r for r in rows if r.customer_id is not None),
                                             key=lambda r: (int(r.xid), int(r.customer_id))):
        if len(customers) + len(departed) == req.limit:
            complete = False
            break
        found = list(group)
        if found[0].gone:
            departed.append(found[0].customer_no)
        else:
            customers.append(_hall_customer(found))
        cursor = (xid, customer_id)
    return HallChangesPage(
        hall_code=rows[0].page_hall_code, customers=customers, departed=departed, next_cursor=cursor[0],
        next_customer_id=cursor[1], complete=complete, restarted=restarted, as_of=ctx.now,
        business_date=business_date(ctx.now),
    )


def _hall_customer(rows: Sequence[Row[Any]]) -> HallCustomer:
    """One customer of the page from its rows: profile columns on each, entries of its open bills."""
    head = rows[0]
    balance, bills = open_bill_terms(rows)
    profile = CustomerProfile(
        customer_no=head.customer_no, name=head.name, address=head.address, phone=head.phone,
        id_number_masked=head.id_number_masked, category=CustomerCategory(head.category),
        status=CustomerStatus(head.status), payment_mode=PaymentMode(head.payment_mode), hall_code=head.hall_code,
        tariff_name=head.tariff_name,
        meters=[MeterInfo(asset_no=a, multiplier=m, digits=d) for a, m, d in head.meters],
        balance_fen=balance,
    )
    arrears = sum(t.principal_open_fen for _, t in bills)
    return HallCustomer(profile=profile, open_bills=[_cached_bill(bill, t) for bill, t in bills],
                        arrears_fen=arrears, prepayment_fen=balance + arrears)


def _cached_bill(bill: Row[Any], terms: BillTerms) -> CachedBill:
    rule = terms.rule
    return CachedBill(
        bill_no=bill.bill_no, period=int(bill.period), kwh=str(bill.kwh), amount_fen=int(bill.amount_fen),
        principal_open_fen=terms.principal_open_fen, issued_on=bill.issued_on, due_on=bill.due_on,
        steps=[PrincipalStep(on=on, open_fen=fen) for on, fen in terms.principal.balances],
        fee_charged_fen=terms.fee_charged_fen,
        terms=LateFeeTerms(daily_permille_current=format(rule.daily_permille_current, "f"),
                           daily_permille_cross_year=format(rule.daily_permille_cross_year, "f"),
                           cross_year=rule.cross_year, minimum_fen=rule.minimum_fen),
    )
