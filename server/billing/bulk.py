"""The bill run's bulk path: a chunk of customers gathered, priced and written in a handful of statements.

``calculate_run`` (``server.services.billruns``) calls these instead of working one customer
at a time. The results are the one-by-one path's, row for row (``tests/billruns/test_bulk.py`` compares them):

* :func:`gather_chunk` reads, for all customers of a chunk at once, what ``sources.gather`` reads for one: the
  bills of the period released outside a run, the meters and current readings (with their source, which the
  checks need), the stored customer terms (``server.billing.terms``), the kWh billed earlier in the tier cycle,
  the category thresholds and the book's window; the
  tariff versions are read once per tariff and usage dates (``server.services.tariffs.version_ids_for``, cached
  for the chunk). Readings are read from ``HISTORY_MONTHS`` before the period on, a customer's whole history only
  when that window might change the outcome (:func:`needs_full_history`). Consumption and anomalies come from
  the pure rules ``shared_models.rules.reading_*``; pricing is ``server.pricing.price`` through ``sources.price``.
* :func:`write_drafts` COPYs the new drafts (ids drawn from the sequence first) and their lines, rewrites only
  drafts whose inputs changed (the fingerprint of ``server.billing.inputs``), and leaves released drafts alone.
  Equal inputs of a chunk are the same objects (``_Shared``), so each distinct input is priced once
  (``_Prices``) and its JSON and COPY text made once.

The release is ``server.billing.release``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Final, cast

from sqlalchemy import BigInteger, any_, bindparam, delete, func, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from server.billing import run_totals, sources, terms
from server.billing.inputs import DraftInputs, VersionRef
from server.billing.lines import line_columns
from server.errors import AppError
from server.models.billing import Bill
from server.models.billruns import BillDraft, BillDraftLine
from server.models.customers import Customer
from server.models.readings import AnomalyThreshold, Reading, ReadingBook
from server.pricing import PricingError
from server.services import readings, tariffs
from shared_models.errors import ErrorCode
from shared_models.methods.billruns import DraftAnomaly
from shared_models.methods.customers import CustomerCategory
from shared_models.methods.readings import ReadingStatus
from shared_models.pricing import CustomerTerms, PricedBill, PricedLine, Usage
from shared_models.rules.reading_anomalies import (
    DEFAULT_THRESHOLDS,
    BookWindow,
    Thresholds,
    period_anomalies,
    previous_period,
)
from shared_models.rules.reading_consumption import Consumption, ConsumptionError, Consumptions, MeterSpec, ReadingPoint


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


class _Shared:
    """One object for equal values across a chunk: the customers' terms (those without stored terms) and usages.
    Equal inputs are then the same objects, so their JSON (``_Fingerprints``) and their bill (``_Prices``) are
    made once; a usage is built only once per distinct consumption."""

    def __init__(self) -> None:
        self._terms: dict[str, CustomerTerms] = {}
        self._usages: dict[tuple[Any, ...], Usage] = {}

    def terms(self, before: Decimal, stored: terms.StoredTerms | None) -> CustomerTerms:
        if stored is not None:
            return terms.with_stored(CustomerTerms(cycle_kwh_before=before), stored)
        key = str(before)  # 0 and 0.00 are equal but not the same JSON
        found = self._terms.get(key)
        if found is None:
            found = self._terms[key] = CustomerTerms(cycle_kwh_before=before)
        return found

    def usage(self, consumption: Consumption) -> Usage:
        key = (consumption.period_from, consumption.period_to,
               tuple((r, str(v)) for r, v in consumption.kwh.items()))
        found = self._usages.get(key)
        if found is None:
            found = self._usages[key] = consumption.usage()
        return found


#: How many months before the period a chunk's readings are read from: the period's previous reading and the
#: same month last year with its previous reading (the checks) are inside.
HISTORY_MONTHS: Final = 13


def needs_full_history(meters: Sequence[MeterSpec], points: Sequence[ReadingPoint], *, period: int,
                       cut: Collection[int], consumptions: Consumptions) -> bool:
    """Whether the readings from ``HISTORY_MONTHS`` before ``period`` on (``points``) may give another outcome
    than the whole history; ``cut`` are the meters with older readings left out. They give the same outcome when
    no meter was cut, or when every reading has values (no estimate reaches back), none is a meter change, every
    cut meter was read in the window's first month (so each later reading finds its previous one), and the same
    month last year did not consume zero (a zero streak could run past the window)."""
    if not any(m.meter_id in cut for m in meters):
        return False
    first = previous_period(period, HISTORY_MONTHS)
    read_first = {p.meter_id for p in points if p.period == first}
    if any(m.meter_id in cut and m.meter_id not in read_first for m in meters):
        return True
    if any(not p.values or p.status is ReadingStatus.METER_CHANGED for p in points):
        return True
    try:
        return consumptions(previous_period(period, 12)).total_kwh == 0
    except ConsumptionError:
        return False


def _histories(session: Session, ids: Sequence[int], period: int
               ) -> dict[int, tuple[list[MeterSpec], list[ReadingPoint]]]:
    """The meters and readings the chunk's customers are priced and checked with: those of the last
    ``HISTORY_MONTHS`` months, or the whole history of a customer for whom they might not do
    (:func:`needs_full_history`)."""
    since = previous_period(period, HISTORY_MONTHS)
    found = readings.customer_histories(session, ids, since_period=since)
    meter_ids = [m.meter_id for meters, _ in found.values() for m in meters]
    cut = set(session.execute(
        select(Reading.meter_id).distinct()
        .where(Reading.meter_id == any_(bindparam("meters", meter_ids, type_=ARRAY(BigInteger))),
               Reading.period < since)).scalars())
    if not cut:
        return found
    full = [customer for customer, (meters, points) in found.items() if needs_full_history(
        meters, points, period=period, cut=cut, consumptions=Consumptions(meters, points))]
    if full:
        found.update(readings.customer_histories(session, full))
    return found


def gather_chunk(session: Session, *, book_code: str, period: int, chunk: Sequence[ChunkCustomer]
                 ) -> dict[int, DraftInputs]:
    """Every customer's ``DraftInputs`` of ``period``, equal to ``billruns._gather``'s for each one."""
    ids = [c.customer_id for c in chunk]
    id_array = bindparam("ids", ids, type_=ARRAY(BigInteger))
    categories = dict(session.execute(select(Customer.id, Customer.category).where(Customer.id == any_(id_array))
                                      ).all())
    billed = dict(session.execute(
        select(Bill.customer_id, Bill.bill_no).where(Bill.customer_id == any_(id_array), Bill.period == period,
                                                     Bill.corrects_bill_id.is_(None), Bill.bill_run_id.is_(None))
    ).all())
    stored = terms.stored_terms(session, ids, period=period)
    before = terms.cycle_kwh_before(session, ids, period=period, stored=stored)
    histories = _histories(session, ids, period)
    limits = _thresholds(session)
    book_row = session.get(ReadingBook, book_code)
    book = None if book_row is None else BookWindow(reading_day=book_row.reading_day,
                                                   window_days=book_row.window_days)
    versions = _Versions(session)
    shared = _Shared()
    out: dict[int, DraftInputs] = {}
    for c in chunk:
        customer_terms = shared.terms(Decimal(before.get(c.customer_id) or 0), stored.get(c.customer_id))
        if c.customer_id in billed:
            out[c.customer_id] = DraftInputs(usage=None, terms=customer_terms, versions=(), anomalies=(
                DraftAnomaly(code="already_billed", params={"bill_no": billed[c.customer_id]}),))
            continue
        meters, points = histories.get(c.customer_id, ([], []))
        consumptions = Consumptions(meters, points)
        try:
            found: Consumption | ConsumptionError = consumptions(period)
        except ConsumptionError as exc:
            found = exc
        refs: list[VersionRef] = []
        missing: DraftAnomaly | None = None
        usage: Usage | None = None
        if isinstance(found, Consumption):
            usage = shared.usage(found)
            got = versions(c.tariff_id, usage.period_from, usage.period_to)
            if isinstance(got, AppError):
                missing = DraftAnomaly(code="no_tariff_version", params=dict(got.params))
            else:
                refs = got
        checks = terms.checks_of(customer_terms, refs)
        anomalies = [DraftAnomaly(code=a.code.value, params=dict(a.figures)) for a in period_anomalies(
            meters=meters, readings=points, period=period, book=book, limits=limits(categories[c.customer_id]),
            contract_demand_kw=checks.contract_demand_kw, power_factor_standard=checks.power_factor_standard,
            consumptions=consumptions)]
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


class _Prices:
    """``price_inputs`` with each distinct input priced once: the pricing function is pure, and equal inputs of
    a chunk are the same objects (``_Shared``), so (version ids, usage, terms) is the key."""

    def __init__(self) -> None:
        self._found: dict[tuple[Any, ...], tuple[Usage, CustomerTerms, PricedBill | PricingError]] = {}

    def __call__(self, inputs: DraftInputs) -> tuple[PricedBill | None, DraftInputs]:
        if not inputs.priceable or inputs.usage is None:
            return None, inputs
        key = (tuple(v.version_id for v in inputs.versions), id(inputs.usage), id(inputs.terms))
        found = self._found.get(key)
        if found is None:  # the key's objects are kept with the result, so their ids stay theirs
            try:
                result: PricedBill | PricingError = sources.price([v.doc for v in inputs.versions], inputs.usage,
                                                                  inputs.terms)
            except PricingError as exc:
                result = exc
            found = self._found[key] = (inputs.usage, inputs.terms, result)
        result = found[2]
        if isinstance(result, PricingError):
            refusal = DraftAnomaly(code="pricing_refused", params={"refusal": result.refusal.value, **result.params})
            return None, replace(inputs, anomalies=(*inputs.anomalies, refusal))
        return result, inputs


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


def copy_text(session: Session, table: str, columns: Sequence[str], rows: Sequence[str]) -> None:
    """COPY rows already in COPY's text format (each ending in a newline) into ``table``, as :func:`copy_rows`."""
    if not rows:
        return
    session.flush()
    raw = cast(Any, session.connection().connection.dbapi_connection)
    with raw.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", io.StringIO("".join(rows)))


def new_ids(session: Session, table: str, count: int) -> list[int]:
    """``count`` ids from the table's id sequence, ascending (the ids an INSERT in that order would give)."""
    if not count:
        return []
    return list(session.execute(text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
                                {"t": table, "n": count}).scalars())


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class _Fingerprints:
    """``server.billing.inputs.inputs_hash`` with the JSON of each tariff version, usage and terms object made once
    (the same text: JSON with sorted keys is the concatenation of its parts' JSON)."""

    def __init__(self) -> None:
        self._docs: dict[int, str] = {}
        self._made: dict[int, tuple[object, str]] = {}  # by id(object): (the object, kept so its id stays, JSON)

    def json_of(self, model: Usage | CustomerTerms | None) -> str:
        """The object's JSON (``null`` for None), made once per object."""
        if model is None:
            return "null"
        made = self._made.get(id(model))
        if made is None:
            made = self._made[id(model)] = (model, _json(model.model_dump(mode="json")))
        return made[1]

    def __call__(self, inputs: DraftInputs) -> str:
        versions = []
        for v in inputs.versions:
            doc = self._docs.get(v.version_id)
            if doc is None:
                doc = self._docs[v.version_id] = _json(v.doc.model_dump(mode="json"))
            versions.append(f"[{_json(v.version_id)},{doc}]")
        blob = (f'{{"anomalies":{_anomalies_json(inputs.anomalies)},"terms":{self.json_of(inputs.terms)},'
                f'"usage":{self.json_of(inputs.usage)},"versions":[{",".join(versions)}]}}')
        return hashlib.sha256(blob.encode()).hexdigest()


def _anomalies_json(anomalies: Sequence[DraftAnomaly]) -> str:
    return _json([a.model_dump(mode="json") for a in anomalies]) if anomalies else "[]"


_DRAFT_COLUMNS = ("id", "run_id", "customer_id", "held", "tariff_version_id", "period_from", "period_to", "total_kwh",
                  "total_fen", "usage", "anomalies", "versions", "inputs_hash", "priced", "calculated_at")
_LINE_COLUMNS = ("line_no", "kind", "version_from", "days_from", "days_to", "tier", "tou_period", "fund_code",
                 "quantity", "unit_price", "days_charged", "days_basis", "amount_fen")


class _DraftTexts:
    """The COPY text of new drafts and their lines, the same cells ``copy_rows`` makes of ``draft_values`` and
    ``line_columns``, with what drafts share (a usage's JSON, a priced bill's lines) made once."""

    def __init__(self, fingerprints: _Fingerprints, *, run_id: int, now: dt.datetime) -> None:
        self._json_of = fingerprints.json_of
        self._run = _cell(run_id)
        self._now = _cell(now)
        self._bills: dict[int, tuple[PricedBill, str, list[str]]] = {}  # by id(priced): versions cell, line cells

    def _bill(self, priced: PricedBill) -> tuple[str, list[str]]:
        made = self._bills.get(id(priced))
        if made is None:
            lines = ["\t".join(map(_cell, (line.fund_name, *_line_cells(line)))) for line in priced.lines]
            made = self._bills[id(priced)] = (priced, _cell(_json([d.isoformat() for d in priced.versions_from])),
                                              lines)
        return made[1], made[2]

    def draft(self, draft_id: int, customer_id: int, inputs: DraftInputs, priced: PricedBill | None,
              fingerprint: str) -> tuple[str, list[str]]:
        """The draft's row and its lines' rows (each ending in a newline)."""
        usage = inputs.usage
        versions, lines = self._bill(priced) if priced is not None else ("[]", [])
        cells = (
            str(draft_id), self._run, str(customer_id), "f", _cell(inputs.bill_version_id),
            _cell(usage.period_from) if usage else "\\N", _cell(usage.period_to) if usage else "\\N",
            str(usage.total_kwh) if usage else "0", str(priced.total_fen) if priced else "0",
            _cell(self._json_of(usage)) if usage else "\\N", _cell(_anomalies_json(inputs.anomalies)), versions,
            fingerprint, "t" if priced is not None else "f", self._now)
        prefix = f"{draft_id}\t"
        return "\t".join(cells) + "\n", [f"{prefix}{line}\n" for line in lines]


def write_drafts(session: Session, *, run_id: int, chunk: Sequence[ChunkCustomer], inputs: dict[int, DraftInputs],
                 now: dt.datetime, force: bool = False) -> int:
    """Write the chunk's drafts from their inputs; the number written (a released draft, or one whose inputs
    did not change, is left as it is unless ``force``). New drafts and every line go in by COPY."""
    existing = {row.customer_id: row for row in session.execute(
        select(BillDraft.id, BillDraft.customer_id, BillDraft.bill_id, BillDraft.inputs_hash, BillDraft.held,
               func.jsonb_array_length(BillDraft.anomalies).label("anomalies"), BillDraft.total_kwh,
               BillDraft.total_fen)
        .where(BillDraft.run_id == run_id,
               BillDraft.customer_id == any_(bindparam("ids", [c.customer_id for c in chunk],
                                                       type_=ARRAY(BigInteger)))))}
    fingerprint_of = _Fingerprints()
    price = _Prices()
    new_rows: list[tuple[int, DraftInputs, PricedBill | None, str]] = []  # (customer id, inputs, bill, fingerprint)
    changed: list[dict[str, Any]] = []
    lines: dict[int, Sequence[PricedLine]] = {}  # of changed drafts, by customer id
    totals = run_totals.NONE  # what the written drafts change of the run's kept totals
    for c in chunk:
        old = existing.get(c.customer_id)
        if old is not None and old.bill_id is not None:
            continue
        fingerprint = fingerprint_of(inputs[c.customer_id])
        if old is not None and old.inputs_hash == fingerprint and not force:
            continue
        priced, final = price(inputs[c.customer_id])
        kwh, fen = (final.usage.total_kwh if final.usage else Decimal(0)), (priced.total_fen if priced else 0)
        if old is None:
            new_rows.append((c.customer_id, final, priced, fingerprint))
            totals += run_totals.one(held=False, anomalies=len(final.anomalies), kwh=kwh, fen=fen)
            continue
        changed.append({"id": old.id, **draft_values(final, priced, fingerprint, now)})
        totals += (run_totals.one(held=old.held, anomalies=len(final.anomalies), kwh=kwh, fen=fen)
                   - run_totals.one(held=old.held, anomalies=old.anomalies, kwh=old.total_kwh, fen=old.total_fen))
        if priced is not None and priced.lines:
            lines[c.customer_id] = priced.lines
    draft_ids: dict[int, int] = {}
    if changed:
        ids = [row["id"] for row in changed]
        session.execute(delete(BillDraftLine).where(BillDraftLine.draft_id.in_(ids)))
        session.execute(update(BillDraft), changed)
        by_id = {old.id: customer for customer, old in existing.items()}
        draft_ids.update({by_id[i]: i for i in ids})
    line_text: list[str] = []
    if new_rows:
        fresh = new_ids(session, "bill_drafts", len(new_rows))
        texts = _DraftTexts(fingerprint_of, run_id=run_id, now=now)
        draft_text: list[str] = []
        for (customer, final, priced, fingerprint), draft_id in zip(new_rows, fresh, strict=True):
            row, row_lines = texts.draft(draft_id, customer, final, priced, fingerprint)
            draft_text.append(row)
            line_text += row_lines
        copy_text(session, "bill_drafts", _DRAFT_COLUMNS, draft_text)
    line_text += [f"{draft_ids[customer]}\t" + "\t".join(map(_cell, (line.fund_name, *_line_cells(line)))) + "\n"
                  for customer, priced_lines in lines.items() for line in priced_lines]
    copy_text(session, "bill_draft_lines", ("draft_id", "fund_name", *_LINE_COLUMNS), line_text)
    run_totals.add(session, run_id, totals)
    return len(new_rows) + len(changed)


def _line_cells(line: PricedLine) -> tuple[Any, ...]:
    columns = line_columns(line)
    return tuple(columns[c] for c in _LINE_COLUMNS)
