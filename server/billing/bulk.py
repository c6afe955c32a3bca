"""The bill run's bulk path: a chunk of customers gathered, priced and written in a handful of statements.

``calculate_run`` (``server.services.billruns``) calls these instead of working one customer
at a time. The results are the one-by-one path's, row for row (``tests/billruns/test_bulk.py`` compares them):

* :func:`gather_chunk` reads, for all customers of a chunk at once, what ``sources.gather`` reads for one: the
  bills of the period released outside a run, the meters and current readings (with their source, which the
  checks need), the stored customer terms (``server.billing.terms``), the kWh billed earlier in the calendar year,
  the category thresholds and the book's window; the
  tariff versions are read once per tariff and usage dates (``server.services.tariffs.version_ids_for``, cached
  for the chunk). Consumption and anomalies come from the pure functions of ``server.readings``; pricing is
  ``server.pricing.price`` through ``sources.price``.
* :func:`write_drafts` COPYs the new drafts (ids drawn from the sequence first) and their lines, rewrites only
  drafts whose inputs changed (the fingerprint of ``server.billing.inputs``), and leaves released drafts alone.

The release is ``server.billing.release``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session, aliased

from server.billing import sources, terms
from server.billing.inputs import DraftInputs, VersionRef
from server.billing.lines import line_columns
from server.errors import AppError
from server.models.billing import Bill
from server.models.billruns import BillDraft, BillDraftLine
from server.models.customers import Customer
from server.models.readings import AnomalyThreshold, ReadingBook
from server.pricing import PricingError
from server.readings.anomalies import DEFAULT_THRESHOLDS, BookWindow, Thresholds, period_anomalies
from server.readings.consumption import Consumption, ConsumptionError, consumption_for
from server.services import readings, tariffs
from shared_models.errors import ErrorCode
from shared_models.methods.billruns import DraftAnomaly
from shared_models.methods.customers import CustomerCategory
from shared_models.pricing import CustomerTerms, PricedBill, PricedLine, Usage


@dataclass(frozen=True)
class ChunkCustomer:
    """A customer of the chunk as the run lists it."""

    customer_id: int
    customer_no: str
    tariff_id: int


def _thresholds(session: Session) -> Callable[[CustomerCategory], Thresholds]:
    rows = {r.category: Thresholds(rise_share=r.rise_share, drop_share=r.drop_share, zero_streak=r.zero_streak)
            for r in session.scalars(select(AnomalyThreshold))}
    return lambda category: rows.get(category, DEFAULT_THRESHOLDS)


class _Versions:
    """The versions of a tariff for a span of days (``tariffs.version_ids_for``), each span read once; the
    refusal (TARIFF_NO_VERSION) when a day has none."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._found: dict[tuple[int, dt.date, dt.date], list[VersionRef] | AppError] = {}

    def __call__(self, tariff_id: int, first: dt.date, last: dt.date) -> list[VersionRef] | AppError:
        key = (tariff_id, first, last)
        if key not in self._found:
            try:
                self._found[key] = [VersionRef(version_id=i, doc=d)
                                    for i, d in tariffs.version_ids_for(self._session, *key)]
            except AppError as exc:
                if exc.code is not ErrorCode.TARIFF_NO_VERSION:
                    raise
                self._found[key] = exc
        return self._found[key]


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
    stored = terms.stored_terms(session, ids, period=period)
    histories = readings.customer_histories(session, ids)
    limits = _thresholds(session)
    book_row = session.get(ReadingBook, book_code)
    book = None if book_row is None else BookWindow(reading_day=book_row.reading_day,
                                                   window_days=book_row.window_days)
    versions = _Versions(session)
    out: dict[int, DraftInputs] = {}
    for c in chunk:
        customer_terms = terms.with_stored(CustomerTerms(cycle_kwh_before=Decimal(before.get(c.customer_id) or 0)),
                                           stored.get(c.customer_id))
        if c.customer_id in billed:
            out[c.customer_id] = DraftInputs(usage=None, terms=customer_terms, versions=(), anomalies=(
                DraftAnomaly(code="already_billed", params={"bill_no": billed[c.customer_id]}),))
            continue
        meters, points = histories.get(c.customer_id, ([], []))
        try:
            found: Consumption | ConsumptionError = consumption_for(meters=meters, readings=points, period=period)
        except ConsumptionError as exc:
            found = exc
        refs: list[VersionRef] = []
        missing: DraftAnomaly | None = None
        usage: Usage | None = None
        if isinstance(found, Consumption):
            usage = found.usage()
            got = versions(c.tariff_id, usage.period_from, usage.period_to)
            if isinstance(got, AppError):
                missing = DraftAnomaly(code="no_tariff_version", params=dict(got.params))
            else:
                refs = got
        checks = terms.checks_of(customer_terms, refs)
        anomalies = [DraftAnomaly(code=a.code.value, params=dict(a.figures)) for a in period_anomalies(
            meters=meters, readings=points, period=period, book=book, limits=limits(categories[c.customer_id]),
            contract_demand_kw=checks.contract_demand_kw, power_factor_standard=checks.power_factor_standard)]
        if isinstance(found, ConsumptionError):
            stop = DraftAnomaly(code=found.code.value, params=dict(found.figures))
            if stop not in anomalies:
                anomalies.append(stop)
            out[c.customer_id] = DraftInputs(usage=None, terms=customer_terms, versions=(),
                                             anomalies=tuple(anomalies))
            continue
        if missing is not None:
            anomalies.append(missing)
        out[c.customer_id] = DraftInputs(usage=usage, terms=customer_terms, versions=tuple(refs),
                                         anomalies=tuple(anomalies))
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


def draft_values(inputs: DraftInputs, priced: PricedBill | None, fingerprint: str, now: dt.datetime
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


def _cell(value: Any) -> str:
    """A value as a cell of COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (dict, list)):
        value = _json(value)
    elif isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text_ = str(value)
    if "\\" in text_ or "\t" in text_ or "\n" in text_ or "\r" in text_:
        text_ = text_.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text_


def copy_rows(session: Session, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """COPY ``rows`` into ``table`` in the session's transaction (pending ORM changes flushed first)."""
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(map(_cell, row)))
        buffer.write("\n")
    if not buffer.tell():
        return
    session.flush()
    buffer.seek(0)
    raw = cast(Any, session.connection().connection.dbapi_connection)
    with raw.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def new_ids(session: Session, table: str, count: int) -> list[int]:
    """``count`` ids from the table's id sequence, ascending (the ids an INSERT in that order would give)."""
    if not count:
        return []
    return list(session.execute(text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
                                {"t": table, "n": count}).scalars())


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class _Fingerprints:
    """``server.billing.inputs.inputs_hash`` with each tariff version's JSON made once (the same text: JSON with
    sorted keys is the concatenation of its parts' JSON)."""

    def __init__(self) -> None:
        self._docs: dict[int, str] = {}

    def __call__(self, inputs: DraftInputs) -> str:
        versions = []
        for v in inputs.versions:
            doc = self._docs.get(v.version_id)
            if doc is None:
                doc = self._docs[v.version_id] = _json(v.doc.model_dump(mode="json"))
            versions.append(f"[{_json(v.version_id)},{doc}]")
        blob = (f'{{"anomalies":{_json([a.model_dump(mode="json") for a in inputs.anomalies])},'
                f'"terms":{_json(inputs.terms.model_dump(mode="json"))},'
                f'"usage":{_json(inputs.usage.model_dump(mode="json") if inputs.usage else None)},'
                f'"versions":[{",".join(versions)}]}}')
        return hashlib.sha256(blob.encode()).hexdigest()


_DRAFT_COLUMNS = ("id", "run_id", "customer_id", "held", "tariff_version_id", "period_from", "period_to", "total_kwh",
                  "total_fen", "usage", "anomalies", "versions", "inputs_hash", "priced", "calculated_at")
_LINE_COLUMNS = ("line_no", "kind", "version_from", "days_from", "days_to", "tier", "tou_period", "fund_code",
                 "quantity", "unit_price", "days_charged", "days_basis", "amount_fen")


def write_drafts(session: Session, *, run_id: int, chunk: Sequence[ChunkCustomer], inputs: dict[int, DraftInputs],
                 now: dt.datetime, force: bool = False) -> int:
    """Write the chunk's drafts from their inputs; the number written (a released draft, or one whose inputs
    did not change, is left as it is unless ``force``). New drafts and every line go in by COPY."""
    existing = {row.customer_id: row for row in session.execute(
        select(BillDraft.id, BillDraft.customer_id, BillDraft.bill_id, BillDraft.inputs_hash)
        .where(BillDraft.run_id == run_id, BillDraft.customer_id.in_([c.customer_id for c in chunk])))}
    fingerprint_of = _Fingerprints()
    new_rows: list[tuple[int, dict[str, Any]]] = []  # (customer id, values)
    changed: list[dict[str, Any]] = []
    lines: dict[int, list[PricedLine]] = {}  # by customer id
    for c in chunk:
        old = existing.get(c.customer_id)
        if old is not None and old.bill_id is not None:
            continue
        fingerprint = fingerprint_of(inputs[c.customer_id])
        if old is not None and old.inputs_hash == fingerprint and not force:
            continue
        priced, final = price_inputs(inputs[c.customer_id])
        values = draft_values(final, priced, fingerprint, now)
        if priced is not None and priced.lines:
            lines[c.customer_id] = list(priced.lines)
        if old is None:
            new_rows.append((c.customer_id, values))
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
        fresh = new_ids(session, "bill_drafts", len(new_rows))
        draft_ids.update({customer: draft_id for (customer, _), draft_id in zip(new_rows, fresh, strict=True)})
        copy_rows(session, "bill_drafts", _DRAFT_COLUMNS, (
            (draft_id, run_id, customer, False, *(values[c] for c in _DRAFT_COLUMNS[4:]))
            for (customer, values), draft_id in zip(new_rows, fresh, strict=True)))
    copy_rows(session, "bill_draft_lines", ("draft_id", "fund_name", *_LINE_COLUMNS), (
        (draft_ids[customer], line.fund_name, *_line_cells(line))
        for customer, priced_lines in lines.items() for line in priced_lines))
    return len(new_rows) + len(changed)


def _line_cells(line: PricedLine) -> tuple[Any, ...]:
    columns = line_columns(line)
    return tuple(columns[c] for c in _LINE_COLUMNS)
