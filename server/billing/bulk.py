"""The bill run's bulk path: a chunk of customers gathered, priced and written in a handful of statements.

``calculate_run`` and ``release_run`` (``server.services.billruns``) call these instead of working one customer
at a time. The results are the one-by-one path's, row for row (``tests/billruns/test_bulk.py`` compares them):

* :func:`gather_chunk` reads, for all customers of a chunk at once, what ``sources.gather`` reads for one: the
  bills of the period released outside a run, the meters and current readings (with their source, which the
  checks need), the kWh billed earlier in the calendar year, the category thresholds and the book's window; the
  tariff versions are read once per tariff and usage dates (``server.services.tariffs.version_ids_for``, cached
  for the chunk). Consumption and anomalies come from the pure functions of ``server.readings``; pricing is
  ``server.pricing.price`` through ``sources.price``.
* :func:`write_drafts` inserts the new drafts and their lines in multi-row INSERTs, rewrites only drafts whose
  inputs changed (the fingerprint of ``server.billing.inputs``), and leaves released drafts alone.
* :func:`release_drafts` books the released bills, their lines, the ledger CHARGE entries and the prepayment
  (预收) offsets in set-based statements; the prepayment of every customer is read in one statement before the
  charges (the same figure as ``server.services.bills.load_bills(...).prepayment_fen``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.orm import Session, aliased

from server.billing import periods, sources
from server.billing.inputs import DraftInputs, VersionRef, inputs_hash
from server.billing.lines import describe, line_columns, priced_line
from server.errors import AppError
from server.models.billing import Bill, BillLine
from server.models.billruns import BillDraft, BillDraftLine
from server.models.customers import Customer, Meter
from server.models.ledger import EntryKind, LedgerEntry
from server.models.readings import AnomalyThreshold, Reading, ReadingBook
from server.pricing import PricingError
from server.readings.anomalies import DEFAULT_THRESHOLDS, BookWindow, CheckInput, Thresholds, check_reading
from server.readings.consumption import Consumption, ConsumptionError, MeterSpec, ReadingPoint, consumption_for
from server.services import tariffs
from shared_models.errors import ErrorCode
from shared_models.methods.billruns import DraftAnomaly
from shared_models.methods.customers import CustomerCategory
from shared_models.methods.readings import Anomaly, AnomalyCode, ReadingSource, ReadingStatus, Register
from shared_models.pricing import CustomerTerms, PricedBill, PricedLine


@dataclass(frozen=True)
class ChunkCustomer:
    """A customer of the chunk as the run lists it."""

    customer_id: int
    customer_no: str
    tariff_id: int


@dataclass
class _History:
    """One customer's meters and current readings (the readings' source by reading id)."""

    meters: list[MeterSpec]
    readings: list[ReadingPoint]
    sources: dict[int, ReadingSource]


def _histories(session: Session, customer_ids: Sequence[int]) -> dict[int, _History]:
    """The meters and current readings of the customers, in two statements (as
    ``server.services.readings.customer_histories``, with each reading's source)."""
    out: dict[int, _History] = {}
    owner: dict[int, int] = {}
    for meter_id, customer_id, multiplier, digits, registers in session.execute(
            select(Meter.id, Meter.customer_id, Meter.multiplier, Meter.digits, Meter.registers)
            .where(Meter.customer_id.in_(list(customer_ids))).order_by(Meter.customer_id, Meter.id)):
        out.setdefault(customer_id, _History([], [], {})).meters.append(MeterSpec(
            meter_id=meter_id, multiplier=multiplier, digits=digits,
            registers=frozenset(Register(r) for r in registers)))
        owner[meter_id] = customer_id
    if not owner:
        return out
    later = aliased(Reading)
    columns = [getattr(Reading, r.value) for r in Register]
    stmt = (select(Reading.id, Reading.meter_id, Reading.period, Reading.read_on, Reading.status, Reading.source,
                   Reading.rollover_confirmed, Reading.old_final_id, *columns)
            .where(Reading.meter_id.in_(list(owner)),
                   ~select(later.id).where(later.supersedes_id == Reading.id).exists())
            .order_by(Reading.meter_id, Reading.period, Reading.id))
    for row in session.execute(stmt):
        values = {r: v for r, v in zip(Register, row[8:], strict=True) if v is not None}
        history = out[owner[row.meter_id]]
        history.readings.append(ReadingPoint(
            reading_id=row.id, meter_id=row.meter_id, period=row.period, read_on=row.read_on, status=row.status,
            values=values, rollover_confirmed=row.rollover_confirmed, old_final_id=row.old_final_id))
        history.sources[row.id] = row.source
    return out


class _Checks:
    """``server.services.readings.period_anomalies`` and ``usage_of_customer`` on a loaded history, each period's
    consumption computed once."""

    def __init__(self, history: _History, limits: Thresholds, book: BookWindow | None) -> None:
        self.h = history
        self.limits = limits
        self.book = book
        self.multipliers = {m.meter_id: m.multiplier for m in history.meters}
        self._done: dict[int, Consumption | ConsumptionError] = {}

    def consumption(self, period: int) -> Consumption | ConsumptionError:
        found = self._done.get(period)
        if found is None:
            try:
                found = consumption_for(meters=self.h.meters, readings=self.h.readings, period=period)
            except ConsumptionError as exc:
                found = exc
            self._done[period] = found
        return found

    def history(self, before: int) -> dict[int, Decimal]:
        out: dict[int, Decimal] = {}
        for period in sorted({r.period for r in self.h.readings if r.period < before}):
            found = self.consumption(period)
            if isinstance(found, Consumption):
                out[period] = found.usage().total_kwh
        return out

    def anomalies(self, period: int) -> list[Anomaly]:
        rows = [r for r in self.h.readings if r.period == period]
        if not rows:
            return [Anomaly(code=AnomalyCode.NO_PREVIOUS, figures={"period": str(period)})]
        regular = [r for r in rows if r.status is not ReadingStatus.METER_CHANGED] or rows
        row = regular[-1]
        return check_reading(CheckInput(
            period=row.period, read_on=row.read_on, status=row.status, source=self.h.sources[row.reading_id],
            consumption=self.consumption(row.period), history=self.history(row.period),
            multiplier=self.multipliers[row.meter_id], book=self.book, contract_demand_kw=None,
            power_factor_standard=None), self.limits)


def _thresholds(session: Session) -> Callable[[CustomerCategory], Thresholds]:
    rows = {r.category: Thresholds(rise_share=r.rise_share, drop_share=r.drop_share, zero_streak=r.zero_streak)
            for r in session.scalars(select(AnomalyThreshold))}
    return lambda category: rows.get(category, DEFAULT_THRESHOLDS)


def gather_chunk(session: Session, *, book_code: str, period: int, chunk: Sequence[ChunkCustomer]
                 ) -> dict[int, DraftInputs]:
    """Every customer's ``DraftInputs`` of ``period``, equal to ``billruns._gather``'s for each one."""
    ids = [c.customer_id for c in chunk]
    categories = dict(session.execute(select(Customer.id, Customer.category).where(Customer.id.in_(ids))).all())
    billed = dict(session.execute(
        select(Bill.customer_id, Bill.bill_no).where(Bill.customer_id.in_(ids), Bill.period == period,
                                                     Bill.corrects_bill_id.is_(None), Bill.bill_run_id.is_(None))
    ).all())
    replaced = aliased(Bill)
    before = dict(session.execute(
        select(Bill.customer_id, func.sum(Bill.kwh))
        .where(Bill.customer_id.in_(ids), Bill.period >= (period // 100) * 100 + 1, Bill.period < period,
               ~select(replaced.id).where(replaced.corrects_bill_id == Bill.id).exists())
        .group_by(Bill.customer_id)).all())
    histories = _histories(session, ids)
    limits = _thresholds(session)
    book_row = session.get(ReadingBook, book_code)
    book = None if book_row is None else BookWindow(reading_day=book_row.reading_day,
                                                   window_days=book_row.window_days)
    versions: dict[tuple[int, dt.date, dt.date], list[VersionRef] | AppError] = {}
    out: dict[int, DraftInputs] = {}
    for c in chunk:
        terms = CustomerTerms(cycle_kwh_before=Decimal(before.get(c.customer_id) or 0))
        if c.customer_id in billed:
            out[c.customer_id] = DraftInputs(usage=None, terms=terms, versions=(), anomalies=(
                DraftAnomaly(code="already_billed", params={"bill_no": billed[c.customer_id]}),))
            continue
        checks = _Checks(histories.get(c.customer_id) or _History([], [], {}), limits(categories[c.customer_id]),
                         book)
        anomalies = [DraftAnomaly(code=a.code.value, params=dict(a.figures)) for a in checks.anomalies(period)]
        found = checks.consumption(period)
        if isinstance(found, ConsumptionError):
            if not any(a.code == found.code.value for a in anomalies):
                anomalies.append(DraftAnomaly(code=found.code.value, params=dict(found.figures)))
            out[c.customer_id] = DraftInputs(usage=None, terms=terms, versions=(), anomalies=tuple(anomalies))
            continue
        usage = found.usage()
        key = (c.tariff_id, usage.period_from, usage.period_to)
        if key not in versions:
            try:
                versions[key] = [VersionRef(version_id=i, doc=d)
                                 for i, d in tariffs.version_ids_for(session, *key)]
            except AppError as exc:
                if exc.code is not ErrorCode.TARIFF_NO_VERSION:
                    raise
                versions[key] = exc
        refs = versions[key]
        if isinstance(refs, AppError):
            anomalies.append(DraftAnomaly(code="no_tariff_version", params=dict(refs.params)))
            refs = []
        out[c.customer_id] = DraftInputs(usage=usage, terms=terms, versions=tuple(refs), anomalies=tuple(anomalies))
    return out


def price_inputs(inputs: DraftInputs) -> tuple[PricedBill | None, DraftInputs]:
    """The priced bill, or None with the pricing function's refusal added to the anomalies (as
    ``billruns._price``)."""
    if not inputs.priceable or inputs.usage is None:
        return None, inputs
    try:
        return sources.price([v.doc for v in inputs.versions], inputs.usage, inputs.terms), inputs
    except PricingError as exc:
        refusal = DraftAnomaly(code="pricing_refused", params={"refusal": exc.refusal.value, **exc.params})
        return None, replace(inputs, anomalies=(*inputs.anomalies, refusal))


def _draft_values(inputs: DraftInputs, priced: PricedBill | None, fingerprint: str, now: dt.datetime
                  ) -> dict[str, Any]:
    return {
        "tariff_version_id": inputs.bill_version_id,
        "period_from": inputs.usage.period_from if inputs.usage else None,
        "period_to": inputs.usage.period_to if inputs.usage else None,
        "total_kwh": inputs.usage.total_kwh if inputs.usage else Decimal(0),
        "total_fen": priced.total_fen if priced else 0,
        "usage": inputs.usage.model_dump(mode="json") if inputs.usage else None,
        "anomalies": [a.model_dump(mode="json") for a in inputs.anomalies],
        "versions": [d.isoformat() for d in priced.versions_from] if priced else [],
        "inputs_hash": fingerprint, "priced": priced is not None, "calculated_at": now,
    }


def write_drafts(session: Session, *, run_id: int, chunk: Sequence[ChunkCustomer], inputs: dict[int, DraftInputs],
                 now: dt.datetime, force: bool = False) -> int:
    """Write the chunk's drafts from their inputs; the number written (a released draft, or one whose inputs
    did not change, is left as it is unless ``force``)."""
    existing = {row.customer_id: row for row in session.execute(
        select(BillDraft.id, BillDraft.customer_id, BillDraft.bill_id, BillDraft.inputs_hash)
        .where(BillDraft.run_id == run_id, BillDraft.customer_id.in_([c.customer_id for c in chunk])))}
    new_rows: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    lines: dict[int, list[PricedLine]] = {}  # by customer id
    for c in chunk:
        old = existing.get(c.customer_id)
        if old is not None and old.bill_id is not None:
            continue
        fingerprint = inputs_hash(inputs[c.customer_id])
        if old is not None and old.inputs_hash == fingerprint and not force:
            continue
        priced, final = price_inputs(inputs[c.customer_id])
        values = _draft_values(final, priced, fingerprint, now)
        if priced is not None and priced.lines:
            lines[c.customer_id] = list(priced.lines)
        if old is None:
            new_rows.append({"run_id": run_id, "customer_id": c.customer_id, "held": False, **values})
        else:
            changed.append({"id": old.id, **values})
    draft_ids: dict[int, int] = {}
    if changed:
        ids = [row["id"] for row in changed]
        session.execute(delete(BillDraftLine).where(BillDraftLine.draft_id.in_(ids)))
        session.execute(update(BillDraft), changed)
        by_id = {old.id: customer for customer, old in existing.items()}
        draft_ids.update({by_id[i]: i for i in ids})
    if new_rows:
        returned = session.execute(
            insert(BillDraft).returning(BillDraft.id, BillDraft.customer_id, sort_by_parameter_order=True), new_rows)
        draft_ids.update({customer: draft_id for draft_id, customer in returned})
    line_rows = [{"draft_id": draft_ids[customer], "fund_name": line.fund_name, **line_columns(line)}
                 for customer, priced_lines in lines.items() for line in priced_lines]
    if line_rows:
        session.execute(insert(BillDraftLine), line_rows)
    return len(new_rows) + len(changed)


def prepayments(session: Session, customer_ids: Sequence[int]) -> dict[int, int]:
    """预收 of each customer now: the balance plus the unpaid principal of its open bills, i.e. the sum of its
    ledger entries leaving out those of bills still owing (``prepared.OPEN_BILLS``'s figure), in one statement."""
    rows = session.execute(text(
        """
        SELECT customer_id,
               sum(CASE WHEN bill_id IS NULL OR total >= 0 THEN total ELSE 0 END) AS prepayment
        FROM (SELECT customer_id, bill_id, sum(amount_fen) AS total FROM ledger_entries
              WHERE customer_id = ANY(:ids) GROUP BY customer_id, bill_id) AS per_bill
        GROUP BY customer_id
        """), {"ids": list(customer_ids)}).all()
    return {int(c): int(p) for c, p in rows}


@dataclass(frozen=True)
class Released:
    """What a bulk release booked: bill number → amount, and the prepayment applied in all."""

    bills: dict[str, int]
    applied_fen: int


def release_drafts(session: Session, *, run_id: int, period: int, drafts: Sequence[BillDraft],
                   customer_nos: dict[int, str], issued: dt.date, now: dt.datetime, user_id: int) -> Released:
    """Book the drafts (their customers locked by the caller) as bills: the bills, their lines, the ledger
    CHARGE and the prepayment transfers, and the drafts' bill ids, each in one set-based statement."""
    if not drafts:
        return Released(bills={}, applied_fen=0)
    held_back = [d for d in drafts if d.tariff_version_id is None]
    if held_back:  # pragma: no cover - a priced draft always names its version
        raise RuntimeError(f"draft {held_back[0].id} is priced without a tariff version")
    prepaid = prepayments(session, [d.customer_id for d in drafts])
    due = periods.due_on(issued)
    bill_rows = [{"bill_no": periods.bill_no(period=period, customer_no=customer_nos[d.customer_id]),
                  "customer_id": d.customer_id, "period": period, "kwh": Decimal(d.total_kwh),
                  "amount_fen": d.total_fen, "issued_on": issued, "due_on": due,
                  "tariff_version_id": d.tariff_version_id, "bill_run_id": run_id} for d in drafts]
    returned = session.execute(insert(Bill).returning(Bill.id, sort_by_parameter_order=True), bill_rows).scalars()
    bill_ids = list(returned)
    by_draft = {d.id: bill_id for d, bill_id in zip(drafts, bill_ids, strict=True)}
    line_rows: list[dict[str, Any]] = []
    for row in session.execute(select(BillDraftLine).where(BillDraftLine.draft_id.in_(list(by_draft)))
                               .order_by(BillDraftLine.draft_id, BillDraftLine.line_no)).scalars():
        line = priced_line(row, fund_name=row.fund_name, version_from=row.version_from, days_from=row.days_from,
                           days_to=row.days_to)
        line_rows.append({"bill_id": by_draft[row.draft_id], "description": describe(line), **line_columns(line)})
    if line_rows:
        session.execute(insert(BillLine), line_rows)
    entries: list[dict[str, Any]] = []
    released: dict[str, int] = {}
    applied_total = 0
    for draft, bill_id, bill in zip(drafts, bill_ids, bill_rows, strict=True):
        bill_no = str(bill["bill_no"])
        amount = draft.total_fen
        applied = max(0, min(prepaid.get(draft.customer_id, 0), amount))
        common = {"customer_id": draft.customer_id, "posted_at": now, "posted_by": user_id,
                  "reference": bill_no}
        if amount:
            entries.append({**common, "kind": EntryKind.CHARGE, "amount_fen": -amount, "bill_id": bill_id})
        if applied:
            entries += [{**common, "kind": EntryKind.PREPAYMENT_TRANSFER, "amount_fen": -applied, "bill_id": None},
                        {**common, "kind": EntryKind.PREPAYMENT_TRANSFER, "amount_fen": applied, "bill_id": bill_id}]
        released[bill_no] = amount
        applied_total += applied
    if entries:
        session.execute(insert(LedgerEntry), entries)
    session.execute(text("UPDATE bill_drafts AS d SET bill_id = v.bill_id "
                         "FROM unnest(CAST(:ids AS bigint[]), CAST(:bills AS bigint[])) AS v(id, bill_id) "
                         "WHERE d.id = v.id"),
                    {"ids": list(by_draft), "bills": list(by_draft.values())})
    session.expire_all()
    return Released(bills=released, applied_fen=applied_total)

