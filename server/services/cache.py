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

from sqlalchemy import Row, text

from server.context import CallContext
from server.errors import AppError
from server.services.bills import BillTerms, open_bill_terms
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
_PAGE_SQL: Final = text(
    """
    WITH hz AS MATERIALIZED (
        SELECT x.xmin, h.id AS hall_id, h.code AS page_hall_code, :after_xid >= x.xmax AS beyond
        FROM (SELECT CAST(CAST(pg_snapshot_xmin(pg_current_snapshot()) AS text) AS bigint) AS xmin,
                     CAST(CAST(pg_snapshot_xmax(pg_current_snapshot()) AS text) AS bigint) AS xmax) AS x
        JOIN counters k ON k.id = :counter_id
        JOIN org_units h ON h.id = k.hall_id
    ), page AS MATERIALIZED (
        SELECT s.customer_id, s.xid, s.gone
        FROM hz CROSS JOIN LATERAL (
            (SELECT s.customer_id, s.xid, false AS gone FROM customer_changes s
             WHERE s.hall_id = hz.hall_id AND s.xid < hz.xmin
               AND (s.xid, s.customer_id) > (CASE WHEN hz.beyond THEN 0 ELSE :after_xid END,
                                             CASE WHEN hz.beyond THEN 0 ELSE :after_id END)
             ORDER BY s.xid, s.customer_id
             LIMIT :n)
            UNION ALL
            (SELECT d.customer_id, d.xid, true AS gone FROM customer_departures d
             WHERE d.hall_id = hz.hall_id AND d.xid < hz.xmin
               AND (d.xid, d.customer_id) > (CASE WHEN hz.beyond THEN 0 ELSE :after_xid END,
                                             CASE WHEN hz.beyond THEN 0 ELSE :after_id END)
             ORDER BY d.xid, d.customer_id
             LIMIT :n)
            ORDER BY xid, customer_id
            LIMIT :n
        ) AS s
    ), per_bill AS MATERIALIZED (
        SELECT e.customer_id, e.bill_id, sum(e.amount_fen) AS total
        FROM page p JOIN ledger_entries e ON e.customer_id = p.customer_id
        WHERE NOT p.gone
        GROUP BY e.customer_id, e.bill_id
    ), balances AS MATERIALIZED (
        SELECT pb.customer_id, sum(pb.total) AS balance_fen FROM per_bill pb GROUP BY pb.customer_id
    ), heads AS MATERIALIZED (
        SELECT p.xid, p.customer_id, p.gone, c.customer_no, c.name, c.address, c.phone, c.id_number_masked, c.category,
               c.status, c.payment_mode, h.code AS hall_code, t.name AS tariff_name,
               coalesce(bl.balance_fen, 0) AS balance_fen,
               coalesce((SELECT json_agg(json_build_array(m.asset_no, m.multiplier, m.digits) ORDER BY m.id)
                         FROM meters m WHERE m.customer_id = c.id AND m.removed_on IS NULL), '[]') AS meters
        FROM page p
        JOIN customers c ON c.id = p.customer_id
        JOIN org_units h ON h.id = c.hall_id
        JOIN tariffs t ON t.id = c.tariff_id
        LEFT JOIN balances bl ON bl.customer_id = p.customer_id
    )
    SELECT hz.page_hall_code, hz.beyond, hd.*, o.id, o.bill_no, o.period, o.kwh, o.amount_fen, o.issued_on,
           o.due_on, o.late_fee_daily_permille, o.late_fee_cross_year_permille, o.late_fee_cross_year_rule,
           o.late_fee_minimum_fen, o.kind, o.entry_fen, o.posted_at, o.reversed_kind
    FROM hz
    LEFT JOIN (
        heads hd
        LEFT JOIN LATERAL (
            SELECT b.id, b.bill_no, b.period, b.kwh, b.amount_fen, b.issued_on, b.due_on,
                   tv.late_fee_daily_permille, tv.late_fee_cross_year_permille, tv.late_fee_cross_year_rule,
                   tv.late_fee_minimum_fen, e.id AS entry_id, e.kind, e.amount_fen AS entry_fen, e.posted_at,
                   r.kind AS reversed_kind
            FROM per_bill pb
            JOIN bills b ON b.id = pb.bill_id
            JOIN tariff_versions tv ON tv.id = b.tariff_version_id
            JOIN ledger_entries e ON e.bill_id = b.id
            LEFT JOIN ledger_entries r ON r.id = e.reverses_id
            WHERE pb.customer_id = hd.customer_id AND pb.total < 0
        ) AS o ON true
    ) ON true
    ORDER BY hd.xid, hd.customer_id, o.due_on, o.period, o.id, o.entry_id
    """
)


def get_hall_changes(*, ctx: CallContext, req: HallChangesRequest) -> HallChangesPage:
    """The next page of the caller's hall's customers changed after the cursor (see the module docstring).

    The cursor starts over from the beginning (``restarted``) when it lies beyond any transaction the
    server has seen (a cursor of another database, say after a restore). A new business day does not:
    the page holds no figure that depends on the day.
    """
    actor = ctx.require_actor()
    given = (req.after_cursor, req.after_customer_id)
    rows = ctx.session.execute(_PAGE_SQL, {
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
