"""A bill run's release in set-based statements: bills, bill lines, ledger CHARGE, 预收 offsets, drafts' bill ids.

``server.services.billruns.release_run`` reads the run's releasable drafts (:func:`releasable`), locks their
customers and calls :func:`release_drafts`, which books them in a fixed number of statements whatever the number
of drafts (tests/billruns/test_release.py counts them):

* the drafts with their new bill ids and numbers go into a temporary table (``release_bills``): the numbers are
  made by ``periods.bill_no`` in Python and passed as one array, the ids drawn from the bills' sequence in book
  order by the same statement;
* ``bills``, ``bill_lines`` and the ledger CHARGE entries are each one ``INSERT … SELECT`` from it; a bill line's
  description comes from a small table of the distinct (kind, tier, TOU period, fund) of the run's lines, each
  described once by ``server.billing.lines.describe`` (the one home of the words);
* the prepayment (预收) of the run's customers is read in one statement before the charges, and only the customers
  that have one get the ``prepayment_transfer`` pair (:func:`applied_fen` is the rule);
* the drafts get their bill ids by one ``UPDATE … FROM``.

What bounds it is PostgreSQL's row-level work on the books: the foreign-key checks and index entries of every new
row and the ledger's cache trigger, not Python (docs/bill-runs.md, "How release scales").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple, cast

from sqlalchemy import text
from sqlalchemy.orm import Session

from server.billing import periods
from server.billing.lines import LINE_COLUMNS, describe, priced_line
from server.models.ledger import EntryKind

_BILL_COLUMNS = ("id", "bill_no", "customer_id", "period", "kwh", "amount_fen", "issued_on", "due_on",
                 "tariff_version_id", "bill_run_id")
_LEDGER_COLUMNS = ("kind", "amount_fen", "bill_id", "customer_id", "posted_at", "posted_by", "reference")
#: A line's (kind, tier, TOU period, fund name), the key of its description, with NULLs made comparable (no
#: tier is −1, no TOU period or fund name is empty).
_NAME_KEY = "l.kind, coalesce(l.tier, -1), coalesce(l.tou_period, ''), coalesce(l.fund_name, '')"


class DraftRow(NamedTuple):
    """A draft the release books: its id, customer, 户号 (for the bill number), kWh, amount and tariff version."""

    id: int
    customer_id: int
    customer_no: str
    total_kwh: Decimal
    total_fen: int
    tariff_version_id: int | None


@dataclass(frozen=True)
class Released:
    """What a release booked: bill number → amount in fen (book order), and the prepayment applied in all."""

    bills: dict[str, int]
    applied_fen: int


def applied_fen(prepayment_fen: int, amount_fen: int) -> int:
    """The part of a customer's prepayment (预收) a new bill of ``amount_fen`` takes: all of it up to the bill."""
    return max(0, min(prepayment_fen, amount_fen))


def audit_bills(bills: dict[str, int]) -> str:
    """The bills of a release as its audit record lists them: ``<bill no>=<fen>`` joined by commas, in book
    order. One JSON string instead of an object of a million keys: cheap to hash, store and read back."""
    return ",".join(f"{bill_no}={fen}" for bill_no, fen in bills.items())


def read_audit_bills(listed: str) -> dict[str, int]:
    """The bills of a release's audit record (:func:`audit_bills`) as bill number → fen."""
    if not listed:
        return {}
    return {bill_no: int(fen) for bill_no, _, fen in (item.rpartition("=") for item in listed.split(","))}


def int_array(values: Iterable[int]) -> str:
    """``values`` as one PostgreSQL array literal (``{1,2,3}``), to be bound as text and cast to ``bigint[]``: a
    single string parameter, however many values (a Python list would be sent as one SQL literal per value)."""
    return "{" + ",".join(map(str, values)) + "}"


def text_array(values: Iterable[str]) -> str:
    """``values`` as one PostgreSQL ``text[]`` literal, every element quoted (``"`` and ``\\`` escaped)."""
    items = list(values)
    if not items:
        return "{}"
    joined = '","'.join(items)
    if '"' in joined or "\\" in joined:
        joined = '","'.join(v.replace("\\", "\\\\").replace('"', '\\"') for v in items)
    return '{"' + joined + '"}'


def releasable(session: Session, run_id: int) -> list[DraftRow]:
    """The run's drafts a release books, in book order: priced, not held, not yet a bill."""
    rows = session.execute(text(
        "SELECT d.id, d.customer_id, c.customer_no, d.total_kwh, d.total_fen, d.tariff_version_id "
        "FROM bill_drafts AS d JOIN customers AS c ON c.id = d.customer_id "
        "WHERE d.run_id = :run AND d.priced AND NOT d.held AND d.bill_id IS NULL "
        "ORDER BY c.book_seq, c.id"), {"run": run_id}).all()
    return list(map(DraftRow._make, rows))


def _prepaid(session: Session) -> dict[int, int]:
    """预收 now of each customer being released that has one: the balance plus the unpaid principal of its open
    bills, i.e. the sum of its ledger entries leaving out those of bills still owing (``prepared.OPEN_BILLS``'s
    figure, ``load_bills(...).prepayment_fen``), in one statement; customers with none (zero or owing) left out."""
    rows = session.execute(text(
        """
        SELECT customer_id, sum(CASE WHEN bill_id IS NULL OR total >= 0 THEN total ELSE 0 END) AS prepayment
        FROM (SELECT customer_id, bill_id, sum(amount_fen) AS total FROM ledger_entries
              WHERE customer_id IN (SELECT customer_id FROM release_bills) GROUP BY customer_id, bill_id) AS per_bill
        GROUP BY customer_id
        HAVING sum(CASE WHEN bill_id IS NULL OR total >= 0 THEN total ELSE 0 END) > 0
        """))
    return {int(c): int(p) for c, p in rows}


def _stage(session: Session, drafts: Sequence[DraftRow], bill_nos: Sequence[str]) -> None:
    """The temporary table ``release_bills`` (dropped at the end of the transaction): each draft with its new
    bill id and bill number, straight from arrays of what ``releasable`` read (no second pass over the drafts);
    ``unnest`` yields them in book order, so the ids drawn from the sequence ascend in book order, and the table
    is stored in that order."""
    session.execute(text("DROP TABLE IF EXISTS pg_temp.release_bills"))
    session.execute(text(
        "CREATE TEMPORARY TABLE release_bills ON COMMIT DROP AS "
        "SELECT nextval(pg_get_serial_sequence('bills', 'id')) AS bill_id, x.* "
        "FROM unnest(CAST(:ids AS bigint[]), CAST(:customers AS bigint[]), CAST(:kwh AS numeric[]), "
        "            CAST(:fen AS bigint[]), CAST(:versions AS bigint[]), CAST(:nos AS text[])) "
        "AS x(draft_id, customer_id, total_kwh, total_fen, tariff_version_id, bill_no)"),
        {"ids": int_array(d.id for d in drafts), "customers": int_array(d.customer_id for d in drafts),
         "kwh": "{" + ",".join(str(d.total_kwh) for d in drafts) + "}",
         "fen": int_array(d.total_fen for d in drafts),
         "versions": int_array(cast(int, d.tariff_version_id) for d in drafts), "nos": text_array(bill_nos)})
    session.execute(text("ANALYZE release_bills"))


def _describe_lines(session: Session) -> None:
    """The temporary table ``release_names``: the description of every (kind, tier, TOU period, fund) among the
    lines being released, each made once by ``describe`` from one line that has it."""
    rows = session.execute(text(
        f"SELECT DISTINCT ON ({_NAME_KEY}) l.fund_name, {', '.join('l.' + c for c in LINE_COLUMNS)} "  # noqa: S608
        f"FROM bill_draft_lines AS l JOIN release_bills AS r ON r.draft_id = l.draft_id ORDER BY {_NAME_KEY}")).all()
    names = [(row.kind, -1 if row.tier is None else row.tier, row.tou_period or "", row.fund_name or "",
              describe(priced_line(row, fund_name=row.fund_name, version_from=row.version_from,
                                   days_from=row.days_from, days_to=row.days_to))) for row in rows]
    session.execute(text("DROP TABLE IF EXISTS pg_temp.release_names"))
    session.execute(text(
        "CREATE TEMPORARY TABLE release_names ON COMMIT DROP AS "
        "SELECT * FROM unnest(CAST(:kinds AS text[]), CAST(:tiers AS integer[]), CAST(:tous AS text[]), "
        "                     CAST(:funds AS text[]), CAST(:words AS text[])) "
        "AS n(kind, tier, tou_period, fund_name, description)"),
        {"kinds": text_array(n[0] for n in names), "tiers": int_array(n[1] for n in names),
         "tous": text_array(n[2] for n in names), "funds": text_array(n[3] for n in names),
         "words": text_array(n[4] for n in names)})


def release_drafts(session: Session, *, run_id: int, period: int, drafts: Sequence[DraftRow], issued: dt.date,
                   now: dt.datetime, user_id: int) -> Released:
    """Book the drafts (their customers locked by the caller) as bills: the bills, their lines, the ledger CHARGE
    and the prepayment transfers, and the drafts' bill ids, each in one set-based statement."""
    if not drafts:
        return Released(bills={}, applied_fen=0)
    held_back = [d for d in drafts if d.tariff_version_id is None]
    if held_back:  # pragma: no cover - a priced draft always names its version
        raise RuntimeError(f"draft {held_back[0].id} is priced without a tariff version")
    session.flush()
    session.execute(text("SET LOCAL work_mem = '64MB'"))  # the million-row hash joins stay in memory
    bill_nos = [periods.bill_no(period=period, customer_no=d.customer_no) for d in drafts]
    _stage(session, drafts, bill_nos)
    prepaid = _prepaid(session)  # before the charges
    session.execute(text(
        f"INSERT INTO bills ({', '.join(_BILL_COLUMNS)}) "  # noqa: S608 - names are constants
        "SELECT bill_id, bill_no, customer_id, :period, total_kwh, total_fen, :issued, :due, tariff_version_id, :run "
        "FROM release_bills"),
        {"period": period, "issued": issued, "due": periods.due_on(issued), "run": run_id})
    _describe_lines(session)
    session.execute(text(
        f"INSERT INTO bill_lines (bill_id, description, {', '.join(LINE_COLUMNS)}) "  # noqa: S608 - constants
        f"SELECT r.bill_id, n.description, {', '.join('l.' + c for c in LINE_COLUMNS)} "
        "FROM release_bills AS r JOIN bill_draft_lines AS l ON l.draft_id = r.draft_id "
        f"JOIN release_names AS n ON (n.kind, n.tier, n.tou_period, n.fund_name) = ({_NAME_KEY})"))
    session.execute(text(
        f"INSERT INTO ledger_entries ({', '.join(_LEDGER_COLUMNS)}) "  # noqa: S608 - names are constants
        "SELECT :charge, -total_fen, bill_id, customer_id, :now, :user, bill_no FROM release_bills "
        "WHERE total_fen <> 0"),
        {"charge": EntryKind.CHARGE.value, "now": now, "user": user_id})
    applied_total = _offset_prepayments(session, prepaid, now=now, user_id=user_id)
    session.execute(text("UPDATE bill_drafts AS d SET bill_id = r.bill_id FROM release_bills AS r "
                         "WHERE d.id = r.draft_id"))
    session.expire_all()
    return Released(bills={no: d.total_fen for no, d in zip(bill_nos, drafts, strict=True)},
                    applied_fen=applied_total)


def _offset_prepayments(session: Session, prepaid: dict[int, int], *, now: dt.datetime, user_id: int) -> int:
    """The ``prepayment_transfer`` pairs (−x on no bill, +x on the new bill) of the customers that have a
    prepayment, read before the charges; the prepayment applied in all."""
    if not prepaid:
        return 0
    bills = session.execute(text(
        "SELECT customer_id, bill_id, bill_no, total_fen FROM release_bills "
        "WHERE customer_id = ANY(CAST(:ids AS bigint[])) ORDER BY bill_id"), {"ids": int_array(prepaid)}).all()
    entries: list[dict[str, Any]] = []
    total = 0
    for bill in bills:
        applied = applied_fen(prepaid[bill.customer_id], bill.total_fen)
        if not applied:
            continue
        common = {"kind": EntryKind.PREPAYMENT_TRANSFER.value, "customer_id": bill.customer_id, "posted_at": now,
                  "posted_by": user_id, "reference": bill.bill_no}
        entries += [{**common, "amount_fen": -applied, "bill_id": None},
                    {**common, "amount_fen": applied, "bill_id": bill.bill_id}]
        total += applied
    if entries:
        session.execute(text(
            f"INSERT INTO ledger_entries ({', '.join(_LEDGER_COLUMNS)}) "  # noqa: S608 - names are constants
            f"VALUES ({', '.join(':' + c for c in _LEDGER_COLUMNS)})"), entries)
    return total
