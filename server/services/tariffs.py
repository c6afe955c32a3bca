"""Tariffs as dated data: the tariff codes, their versions' documents, adding a version, and the 测算电费 quote.

A version's ``doc`` (``TariffVersionDoc`` as JSON) is the source of truth; the row's ``effective_from`` and
``effective_to`` index it, and its flat price and late-fee columns copy the document's energy price and
``late_fee`` for the SQL that reads a bill's late-fee rule (the counter's open-bills statement).

Adding a version (decided here, issue 12 item 1):

* the new version is the tariff's newest: it starts after every existing version's start; one starting on
  or before the newest version's start would rewrite history and is refused as an overlap;
* the version open until then (``effective_to`` None) is closed the day before the new one starts, in the
  same transaction, with the audit record naming both; a tariff whose newest version was given an end must
  be continued from the day after that end (a later start is a gap, an earlier one an overlap);
* it must start after the last day a released bill of the tariff has priced (``billed_to``): released bills
  are never repriced, and a version cannot change days already billed;
* the resulting set must pass ``check_version_dates`` (no overlap, no gap, only the newest open).

The version rows are master data, not a book: closing the open version sets its ``effective_to`` (and the
document's) in place, as a customer's phone changes, with the audit record holding before and after.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from server.context import CallContext
from server.errors import AppError
from server.models.billing import Bill
from server.models.customers import Tariff, TariffKind, TariffVersion
from server.pricing import PricingError, price
from shared_models.errors import ErrorCode
from shared_models.methods.tariffs import (
    AddVersionRequest,
    GetTariffRequest,
    ListTariffsRequest,
    QuoteBillRequest,
    TariffDetail,
    TariffList,
    TariffSummary,
)
from shared_models.pricing import PricedBill
from shared_models.tariffs import TariffHeader, TariffVersionDoc, VersionDatesError, check_version_dates

_DAY = dt.timedelta(days=1)


def version_kind(doc: TariffVersionDoc) -> TariffKind:
    """The shape of a version for listings: two-part first, then tiers and TOU."""
    if doc.two_part is not None:
        return TariffKind.TWO_PART
    if doc.tiers is not None:
        return TariffKind.TIERED_TOU if doc.tou is not None else TariffKind.TIERED
    return TariffKind.TOU if doc.tou is not None else TariffKind.FLAT


def _doc_json(doc: TariffVersionDoc) -> dict[str, Any]:
    return doc.model_dump(mode="json")


def stored_doc(row: TariffVersion) -> TariffVersionDoc:
    """The document of a version row (JSON validation: dates and enums as the wire spells them)."""
    return TariffVersionDoc.model_validate_json(json.dumps(row.doc))


def _fill_row(row: TariffVersion, doc: TariffVersionDoc) -> None:
    """Set a row's columns from its document: dates, kind, and the copies of price and late-fee rule."""
    row.effective_from = doc.effective_from
    row.effective_to = doc.effective_to
    row.doc = _doc_json(doc)
    row.kind = version_kind(doc)
    row.price_per_kwh = doc.energy_price
    row.late_fee_daily_permille = doc.late_fee.daily_permille_current
    row.late_fee_cross_year_permille = doc.late_fee.daily_permille_cross_year
    row.late_fee_cross_year_rule = doc.late_fee.cross_year.value
    row.late_fee_minimum_fen = doc.late_fee.minimum_fen


def version_row(*, tariff_id: int, doc: TariffVersionDoc) -> TariffVersion:
    """A new version row holding ``doc``."""
    row = TariffVersion(tariff_id=tariff_id)
    _fill_row(row, doc)
    return row


def create_tariff(
    session: Session, *, header: TariffHeader, versions: list[TariffVersionDoc],
) -> tuple[Tariff, list[TariffVersion]]:
    """Store a tariff code with its versions (demo data and set-up; no RPC): the versions must neither
    overlap nor leave a gap. The caller's transaction and audit record cover it. Returns the rows."""
    check_version_dates([(v.effective_from, v.effective_to) for v in versions])
    tariff = Tariff(code=header.code, name=header.name, category=header.category, voltage=header.voltage,
                    two_part=header.two_part, time_of_use=header.time_of_use)
    session.add(tariff)
    session.flush()
    rows = [version_row(tariff_id=tariff.id, doc=doc) for doc in sorted(versions, key=lambda v: v.effective_from)]
    session.add_all(rows)
    session.flush()
    return tariff, rows


def _header(tariff: Tariff) -> TariffHeader:
    return TariffHeader(code=tariff.code, name=tariff.name, category=tariff.category, voltage=tariff.voltage,
                        two_part=tariff.two_part, time_of_use=tariff.time_of_use)


def _find(session: Session, code: str, *, for_update: bool = False) -> Tariff:
    stmt = select(Tariff).where(Tariff.code == code)
    if for_update:
        stmt = stmt.with_for_update()
    tariff = session.scalar(stmt)
    if tariff is None:
        raise AppError(ErrorCode.TARIFF_NOT_FOUND, code=code)
    return tariff


def _rows(session: Session, tariff_id: int) -> list[TariffVersion]:
    return list(session.scalars(select(TariffVersion).where(TariffVersion.tariff_id == tariff_id)
                                .order_by(TariffVersion.effective_from)))


def billed_period_query(tariff_id: int) -> Select[int | None]:
    """The newest period (``yyyymm``) of the tariff's released bills: per version one probe of
    ``ix_bills_tariff_version_period``, never a scan of the bills."""
    newest = select(func.max(Bill.period)).where(Bill.tariff_version_id == TariffVersion.id).scalar_subquery()
    return select(func.max(newest)).where(TariffVersion.tariff_id == tariff_id)


def billed_to(session: Session, tariff_id: int) -> dt.date | None:
    """The last day a released bill of the tariff has priced, or None.

    A bill names its period (``yyyymm``) and the version that priced it, not its days: the whole month of
    the newest billed period counts as billed (a reading later in the month bills up to its day at most).
    """
    period = session.scalar(billed_period_query(tariff_id))
    if period is None:
        return None
    year, month = divmod(int(period), 100)
    first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - _DAY


def _detail(session: Session, tariff: Tariff) -> TariffDetail:
    return TariffDetail(header=_header(tariff), versions=[stored_doc(r) for r in _rows(session, tariff.id)],
                        billed_to=billed_to(session, tariff.id))


def versions_for(session: Session, tariff_id: int, date_from: dt.date, date_to: dt.date) -> list[TariffVersionDoc]:
    """The versions of a tariff that price the days ``date_from`` .. ``date_to`` (inclusive), oldest first,
    each with its last day; TARIFF_NO_VERSION when a day of the range has none (the bill run's input to
    ``server.pricing.price``)."""
    return [doc for _, doc in _versions(session, tariff_id, date_from, date_to, label=str(tariff_id))]


def version_ids_for(
    session: Session, tariff_id: int, date_from: dt.date, date_to: dt.date,
) -> list[tuple[int, TariffVersionDoc]]:
    """:func:`versions_for` with each version's row id (the id a released bill names), in one statement."""
    return _versions(session, tariff_id, date_from, date_to, label=str(tariff_id))


def _versions(
    session: Session, tariff_id: int, date_from: dt.date, date_to: dt.date, *, label: str,
) -> list[tuple[int, TariffVersionDoc]]:
    rows = session.scalars(
        select(TariffVersion).where(
            TariffVersion.tariff_id == tariff_id, TariffVersion.effective_from <= date_to,
            (TariffVersion.effective_to.is_(None)) | (TariffVersion.effective_to >= date_from))
        .order_by(TariffVersion.effective_from)
    ).all()
    found = [(r.id, stored_doc(r)) for r in rows]
    _check_covered([doc for _, doc in found], date_from, date_to, tariff=label)
    return found


def _check_covered(docs: list[TariffVersionDoc], date_from: dt.date, date_to: dt.date, *, tariff: str) -> None:
    """TARIFF_NO_VERSION unless ``docs`` (oldest first, without gaps) cover every day of the range."""
    covered_to = date_from - _DAY
    for doc in docs:
        if doc.effective_from > covered_to + _DAY:
            break
        covered_to = date_to if doc.effective_to is None else max(covered_to, doc.effective_to)
    if covered_to < date_to:
        raise AppError(ErrorCode.TARIFF_NO_VERSION, code=tariff, date_from=(covered_to + _DAY).isoformat(),
                       date_to=date_to.isoformat())


def list_tariffs(*, ctx: CallContext, req: ListTariffsRequest) -> TariffList:
    """Every tariff code (or those of a category) with its version count and newest version's start."""
    stmt = (
        select(Tariff, func.count(TariffVersion.id), func.max(TariffVersion.effective_from))
        .outerjoin(TariffVersion, TariffVersion.tariff_id == Tariff.id)
        .group_by(Tariff.id).order_by(Tariff.code)
    )
    if req.category is not None:
        stmt = stmt.where(Tariff.category == req.category)
    return TariffList(tariffs=[
        TariffSummary(**_header(t).model_dump(), version_count=int(count), latest_from=latest)
        for t, count, latest in ctx.session.execute(stmt)
    ])


def get_tariff(*, ctx: CallContext, req: GetTariffRequest) -> TariffDetail:
    """A tariff code with its versions' documents and the last billed day."""
    return _detail(ctx.session, _find(ctx.session, req.code))


#: The copies of a document's price and late-fee rates are NUMERIC(14, 6) columns.
_COLUMN_LIMIT = Decimal(10) ** 8
_COLUMN_PLACES = 6


def _check_column_range(doc: TariffVersionDoc) -> None:
    """INVALID_REQUEST (``out_of_range``) for an energy price or late-fee rate the version row cannot hold."""
    figures = {"version.energy_price": doc.energy_price,
               "version.late_fee.daily_permille_current": doc.late_fee.daily_permille_current,
               "version.late_fee.daily_permille_cross_year": doc.late_fee.daily_permille_cross_year}
    for field, value in figures.items():
        if abs(value) >= _COLUMN_LIMIT or value != value.quantize(Decimal(1).scaleb(-_COLUMN_PLACES)):
            raise AppError(ErrorCode.INVALID_REQUEST, field=field, problem="out_of_range")


def add_version(*, ctx: CallContext, req: AddVersionRequest) -> TariffDetail:
    """Add the next version of a tariff (the rules are in this module's docstring); audited."""
    session = ctx.session
    tariff = _find(session, req.code, for_update=True)  # one version change of a tariff at a time
    new = req.version
    _check_column_range(new)
    rows = _rows(session, tariff.id)
    if rows:
        newest = rows[-1]
        if new.effective_from <= newest.effective_from:
            raise AppError(ErrorCode.TARIFF_VERSION_OVERLAP, code=tariff.code,
                           effective_from=new.effective_from.isoformat(),
                           existing_from=newest.effective_from.isoformat())
        if newest.effective_to is not None and new.effective_from <= newest.effective_to:
            raise AppError(ErrorCode.TARIFF_VERSION_OVERLAP, code=tariff.code,
                           effective_from=new.effective_from.isoformat(),
                           existing_from=newest.effective_from.isoformat())
        if newest.effective_to is not None and new.effective_from > newest.effective_to + _DAY:
            raise AppError(ErrorCode.TARIFF_VERSION_GAP, code=tariff.code,
                           gap_from=(newest.effective_to + _DAY).isoformat(),
                           gap_to=(new.effective_from - _DAY).isoformat())
    billed = billed_to(session, tariff.id)
    if billed is not None and new.effective_from <= billed:
        raise AppError(ErrorCode.TARIFF_VERSION_BILLED, code=tariff.code,
                       effective_from=new.effective_from.isoformat(), billed_to=billed.isoformat())
    closed: tuple[TariffVersion, TariffVersionDoc] | None = None
    if rows and rows[-1].effective_to is None:
        old = stored_doc(rows[-1])
        closed = (rows[-1], old.model_copy(update={"effective_to": new.effective_from - _DAY}))
    spans = [(r.effective_from, r.effective_to) for r in rows[:-1]] if rows else []
    if rows:
        last = closed[1] if closed else stored_doc(rows[-1])
        spans.append((last.effective_from, last.effective_to))
    try:
        check_version_dates([*spans, (new.effective_from, new.effective_to)])
    except VersionDatesError:  # the checks above answer every case with its own code; this is the backstop
        raise AppError(ErrorCode.TARIFF_VERSION_OVERLAP, code=tariff.code,
                       effective_from=new.effective_from.isoformat(),
                       existing_from=rows[-1].effective_from.isoformat() if rows else "") from None
    if closed is not None:
        row, doc = closed
        _fill_row(row, doc)
        ctx.record(target=f"tariff:{tariff.code}:{row.effective_from.isoformat()}", before={"effective_to": None},
                   after={"effective_to": (new.effective_from - _DAY).isoformat()})
    session.add(version_row(tariff_id=tariff.id, doc=new))
    session.flush()
    ctx.record(target=f"tariff:{tariff.code}:{new.effective_from.isoformat()}", before=None,
               after={"version": _doc_json(new), "kind": version_kind(new).value})
    return _detail(session, tariff)


def quote_bill(*, ctx: CallContext, req: QuoteBillRequest) -> PricedBill:
    """测算电费: price the usage against the tariff code's versions over the period, or the inline version;
    nothing is written."""
    usage = req.usage
    if req.tariff_code is not None:
        tariff = _find(ctx.session, req.tariff_code)
        found = _versions(ctx.session, tariff.id, usage.period_from, usage.period_to, label=tariff.code)
        versions = [doc for _, doc in found]
    else:
        assert req.version is not None  # the request's validator allows exactly one of the two
        versions = [req.version]
        _check_covered(versions, usage.period_from, usage.period_to, tariff="-")
    try:
        return price(versions, usage, req.terms)
    except (ValidationError, ArithmeticError):  # figures beyond what a bill can hold (FEN_BOUND, Decimal range)
        raise AppError(ErrorCode.PRICING_REFUSED, refusal="out_of_range") from None
    except PricingError as exc:
        error = AppError(ErrorCode.PRICING_REFUSED, refusal=exc.refusal.value)
        error.params.update(exc.params)
        raise error from None
