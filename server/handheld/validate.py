"""The one validator of returned handheld files (JSON package or CSV): the report before anything is written.

:func:`validate` matches each reading of an :class:`~shared_models.handheld.Upload` to its package record by
sequence and checks it against the package and the books as they are now: duplicates, records the package lacks,
a swapped customer or meter, a customer moved out of the book or closed, a removed meter, the status, the reading
time, the register values, a reading of the period already there, and the anomaly checks of
``shared_models.rules.reading_anomalies`` with their figures. It reads and never writes; :class:`Checked` keeps what
``accept`` writes for each record.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Integer, String, any_, bindparam, column, func, select, true, type_coerce
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from server.billing import periods
from server.billing.terms import stored_terms
from server.errors import AppError
from server.models.customers import Customer, Meter
from server.models.handheld import HandheldAccepted, HandheldPackage
from server.models.readings import ReadingBook
from server.services import tariffs
from server.services.readings import CustomerTermsForChecks, customer_histories, thresholds_for
from shared_models.handheld import (
    DecisionKind,
    Finding,
    FindingCode,
    RecordReport,
    Severity,
    Upload,
    UploadRecord,
    ValidationReport,
)
from shared_models.methods.customers import CustomerCategory, CustomerStatus
from shared_models.methods.readings import AnomalyCode, ReadingSource, ReadingStatus, Register
from shared_models.rules import reading_anomalies as checks
from shared_models.rules.handheld_offline import (
    MAX_NOTE,
    Find,
    allowed_decisions,
    check_identity,
    check_note,
    check_read_at,
    check_status,
    check_values,
    report_anomalies,
    worst_severity,
)
from shared_models.rules.reading_anomalies import BookWindow, Thresholds, previous_period
from shared_models.rules.reading_consumption import ConsumptionError, Consumptions, MeterSpec, ReadingPoint

_TEXT_ARRAY = ARRAY(String)


@dataclass(frozen=True)
class RecordCustomer:
    """What the checks read of a record's customer as the books hold it now (a plain row: a book is thousands)."""

    id: int
    customer_no: str
    book_code: str | None
    status: CustomerStatus
    category: CustomerCategory
    tariff_id: int


@dataclass(frozen=True)
class RecordMeter:
    """What the checks read of a record's meter as the books hold it now."""

    id: int
    asset_no: str
    multiplier: int
    digits: int
    installed_on: dt.date
    removed_on: dt.date | None
    registers: list[str]


@dataclass(frozen=True)
class Decided:
    """A record decided for good (a ``handheld_accepted`` row): its first result."""

    decision: DecisionKind
    reading_id: int | None
    accepted_at: dt.datetime


@dataclass
class Checked:
    """A package record after validation: what the books would get, and what it needs."""

    seq: int
    customer: RecordCustomer
    meter: RecordMeter
    meters: list[MeterSpec]
    points: list[ReadingPoint]
    status: ReadingStatus | None = None
    read_on: dt.date | None = None
    values: dict[Register, Decimal] = field(default_factory=dict)
    rollover_confirmed: bool = False
    note: str = ""
    has_reading: bool = False
    findings: list[Finding] = field(default_factory=list)
    decided: Decided | None = None

    @property
    def blocked(self) -> Finding | None:
        """The first error finding (the record can only be re-read), None when it has none."""
        return next((f for f in self.findings if f.severity is Severity.ERROR), None)


class _Context:
    """What the checks of one upload share: the package, the book, histories, thresholds."""

    def __init__(self, session: Session, package: HandheldPackage, today: dt.date) -> None:
        self.session = session
        self.package = package
        self.today = today
        self.book = session.get_one(ReadingBook, package.book_code)
        self.window = BookWindow(reading_day=self.book.reading_day, window_days=self.book.window_days)
        self.limits: dict[CustomerCategory, Thresholds] = {}
        self.terms: dict[int, CustomerTermsForChecks] = {}

    def thresholds(self, category: CustomerCategory) -> Thresholds:
        if category not in self.limits:
            self.limits[category] = thresholds_for(self.session, category)
        return self.limits[category]

    def read_terms(self, customers: list[RecordCustomer]) -> None:
        """What the demand and power-factor checks compare with, for the whole book: each customer's contract
        demand in force at the period's end (one statement) and its tariff's power-factor standard then (one
        read per tariff)."""
        period = self.package.period
        stored = stored_terms(self.session, sorted({c.id for c in customers}), period=period)
        last_day = periods.last_day(period)
        standards: dict[int, Decimal | None] = {}
        for customer in customers:
            if customer.tariff_id not in standards:
                try:
                    versions = tariffs.version_ids_for(self.session, customer.tariff_id, last_day, last_day)
                except AppError:  # no version in force: the check is not made
                    versions = []
                spec = versions[-1][1].power_factor if versions else None
                standards[customer.tariff_id] = None if spec is None else Decimal(spec.standard.value)
            terms = stored.get(customer.id)
            self.terms[customer.id] = CustomerTermsForChecks(
                contract_demand_kw=None if terms is None else terms.contract_demand_kw,
                power_factor_standard=standards[customer.tariff_id])


_RECORD_KEYS: dict[str, Any] = {"seq": Integer, "book_seq": Integer, "customer_no": String, "name": String,
                                "asset_no": String}


def package_records(session: Session, package_id: uuid.UUID) -> tuple[list[dict[str, Any]], str]:
    """The package's records (the keys the checks read: sequence, book sequence, 户号, name, asset number) and
    its reader, read out of the stored document by PostgreSQL (a book's document is megabytes of JSON)."""
    records = func.jsonb_to_recordset(HandheldPackage.payload.op("->")("records")).table_valued(
        *(column(name, type_) for name, type_ in _RECORD_KEYS.items())).render_derived(name="r", with_types=True)
    rows = session.execute(select(*(records.c[name] for name in _RECORD_KEYS)).select_from(HandheldPackage)
                           .join(records, true()).where(HandheldPackage.id == package_id))
    reader = session.scalar(select(HandheldPackage.payload.op("->>")("reader")).where(
        HandheldPackage.id == package_id))
    return [dict(zip(_RECORD_KEYS, row, strict=True)) for row in rows], str(reader)


def _records_of(session: Session, package: HandheldPackage, payload: list[dict[str, Any]]) -> dict[int, Checked]:
    """The package's records with their customer, meter and history as the books hold them now (a few
    statements for the whole book, plain rows)."""
    numbers = sorted({r["customer_no"] for r in payload})
    assets = sorted({r["asset_no"] for r in payload})
    customers = {row[1]: RecordCustomer(*row) for row in session.execute(
        select(Customer.id, Customer.customer_no, Customer.book_code, Customer.status, Customer.category,
               Customer.tariff_id)
        .where(Customer.customer_no == any_(bindparam("numbers", numbers, type_=_TEXT_ARRAY))))}
    meters = {row[1]: RecordMeter(*row[:-1], registers=cast(list[str], row[-1])) for row in session.execute(
        select(Meter.id, Meter.asset_no, Meter.multiplier, Meter.digits, Meter.installed_on, Meter.removed_on,
               type_coerce(Meter.registers, NullType()))  # text[] as psycopg2 reads it (a list)
        .where(Meter.asset_no == any_(bindparam("assets", assets, type_=_TEXT_ARRAY))))}
    histories = customer_histories(session, sorted(c.id for c in customers.values()),
                                   since_period=previous_period(package.period, 14))
    decided = {seq: Decided(decision=decision, reading_id=reading_id, accepted_at=accepted_at)
               for seq, decision, reading_id, accepted_at in session.execute(
                   select(HandheldAccepted.seq, HandheldAccepted.decision, HandheldAccepted.reading_id,
                          HandheldAccepted.accepted_at).where(HandheldAccepted.package_id == package.id))}
    out: dict[int, Checked] = {}
    for record in payload:
        customer, meter = customers[record["customer_no"]], meters[record["asset_no"]]
        specs, points = histories.get(customer.id, ([], []))
        out[record["seq"]] = Checked(seq=record["seq"], customer=customer, meter=meter, meters=specs, points=points,
                                     decided=decided.get(record["seq"]))
    return out


@dataclass
class _Run:
    """The checks of one upload: the checked records, the findings outside them, the package's record keys."""

    records: dict[int, Checked]
    strays: list[Finding]
    payload: dict[int, dict[str, Any]]
    reader: str


def check_records(session: Session, *, upload: Upload, package: HandheldPackage, today: dt.date
                  ) -> dict[int, Checked]:
    """The checked records of an upload by sequence, without the report (what ``accept`` needs)."""
    return _check(session, upload=upload, package=package, today=today).records


def validate(session: Session, *, upload: Upload, package: HandheldPackage, today: dt.date
             ) -> tuple[ValidationReport, dict[int, Checked]]:
    """The report of an upload against its package (whose signature and owner the caller checked), and the
    checked records by sequence."""
    run = _check(session, upload=upload, package=package, today=today)
    reports = []
    for seq, checked in sorted(run.records.items()):
        record = run.payload[seq]
        reports.append(RecordReport(
            seq=seq, book_seq=record["book_seq"], customer_no=record["customer_no"], name=record["name"],
            asset_no=record["asset_no"], status=checked.status, read_on=checked.read_on,
            values={r: str(v) for r, v in checked.values.items()}, note=checked.note[:MAX_NOTE],
            severity=worst_severity(checked.findings), findings=checked.findings,
            decided=None if checked.decided is None else checked.decided.decision))
    everything = ([f for r in reports for f in r.findings]
                  + [f for f in run.strays if f.code is not FindingCode.DUPLICATE])
    report = ValidationReport(
        package_id=str(package.id), book_code=package.book_code, period=package.period,
        reader=run.reader, file_format=upload.format, encoding=upload.encoding, records=reports,
        strays=run.strays, errors=sum(f.severity is Severity.ERROR for f in everything),
        warnings=sum(f.severity is Severity.WARNING for f in everything))
    return report, run.records


def _check(session: Session, *, upload: Upload, package: HandheldPackage, today: dt.date) -> _Run:
    """Every check of every record of the upload; the findings on the checked records."""
    context = _Context(session, package, today)
    package_rows, reader = package_records(session, package.id)
    records = _records_of(session, package, package_rows)
    context.read_terms(list({c.customer.id: c.customer for c in records.values()}.values()))
    payload = {r["seq"]: r for r in package_rows}
    strays: list[Finding] = []
    seen: dict[int, UploadRecord] = {}
    for item in upload.records:
        if item.seq is None or item.seq not in records:
            strays.append(Finding(seq=item.seq, line=item.line, customer_no=item.customer_no[:20],
                                  asset_no=item.asset_no[:24], severity=Severity.ERROR,
                                  code=FindingCode.NOT_IN_PACKAGE, field="seq"))
            continue
        checked = records[item.seq]
        if item.seq in seen:
            finding = Finding(seq=item.seq, line=item.line, customer_no=checked.customer.customer_no,
                              asset_no=checked.meter.asset_no, severity=Severity.ERROR, code=FindingCode.DUPLICATE,
                              field="seq", figures={"first_line": str(seen[item.seq].line)})
            strays.append(finding)
            if not any(f.code is FindingCode.DUPLICATE for f in checked.findings):
                checked.findings.append(finding)
            continue
        seen[item.seq] = item
        _check_record(context, checked, item, payload[item.seq])
    for seq, checked in sorted(records.items()):
        if checked.decided is not None:
            decided = checked.decided
            checked.findings = [Finding(
                seq=seq, customer_no=checked.customer.customer_no, asset_no=checked.meter.asset_no,
                severity=Severity.INFO, code=FindingCode.ALREADY_ACCEPTED,
                figures={"decision": decided.decision.value, "reading_id": str(decided.reading_id or "")})]
        elif seq not in seen:
            checked.findings.append(Finding(seq=seq, customer_no=checked.customer.customer_no,
                                            asset_no=checked.meter.asset_no, severity=Severity.WARNING,
                                            code=FindingCode.MISSING))
            _check_existing(checked, package.period, None)
    return _Run(records=records, strays=strays, payload=payload, reader=reader)


def _check_record(context: _Context, checked: Checked, item: UploadRecord, record: dict[str, Any]) -> None:
    """Every check of one reading against its package record and the books (findings on ``checked``)."""
    customer, meter = checked.customer, checked.meter

    def find(severity: Severity, code: FindingCode, field_name: str | None = None, anomaly: AnomalyCode | None = None,
             **figures: str) -> None:
        checked.findings.append(Finding(seq=checked.seq, line=item.line, customer_no=customer.customer_no,
                                        asset_no=meter.asset_no, severity=severity, code=code, field=field_name,
                                        anomaly=anomaly, figures=figures))

    checked.has_reading = True
    checked.note = item.note
    checked.rollover_confirmed = item.rollover_confirmed
    _check_identity(context, checked, item, record, find)
    status = checked.status = check_status(item, find)
    _check_read_at(context, checked, item, find)
    checked.values = check_values(item, registers=[r for r in Register if r.value in checked.meter.registers],
                                  status=status, find=find)
    _check_existing(checked, context.package.period, item.line)
    if checked.blocked is None and status is not None and checked.read_on is not None:
        _anomalies(context, checked, find)


def _check_identity(context: _Context, checked: Checked, item: UploadRecord, record: dict[str, Any],
                    find: Find) -> None:
    """The record names the package's customer and meter, and both are still in the book and in service."""
    customer, meter = checked.customer, checked.meter
    check_identity(item, customer_no=record["customer_no"], asset_no=record["asset_no"], find=find)
    if customer.book_code != context.package.book_code:
        find(Severity.ERROR, FindingCode.NOT_IN_BOOK, "customer_no", book=customer.book_code or "")
    if customer.status is CustomerStatus.CLOSED:
        find(Severity.ERROR, FindingCode.CUSTOMER_CLOSED, "customer_no")
    if meter.removed_on is not None:
        find(Severity.ERROR, FindingCode.METER_CLOSED, "asset_no", removed_on=meter.removed_on.isoformat())
    check_note(item, find)


def _check_read_at(context: _Context, checked: Checked, item: UploadRecord, find: Find) -> None:
    """A readable date, not in the future, not before the meter's installation, after its previous reading."""
    meter = checked.meter
    earlier = [p.read_on for p in checked.points if p.meter_id == meter.id and p.period < context.package.period]
    checked.read_on = check_read_at(item, today=context.today, installed_on=meter.installed_on,
                                    previous=max(earlier, default=None), find=find)


def _check_existing(checked: Checked, period: int, line: int | None) -> None:
    """A regular reading of the meter for the period already in the books (another package, or by hand)."""
    existing = [p for p in checked.points if p.meter_id == checked.meter.id and p.period == period
                and p.status is not ReadingStatus.METER_CHANGED]
    if existing:
        checked.findings.append(Finding(
            seq=checked.seq, line=line, customer_no=checked.customer.customer_no, asset_no=checked.meter.asset_no,
            severity=Severity.ERROR, code=FindingCode.READING_EXISTS, field="asset_no",
            figures={"reading_id": str(existing[0].reading_id)}))


def _anomalies(context: _Context, checked: Checked, find: Find) -> None:
    """The anomaly checks of ``shared_models.rules.reading_anomalies`` on the reading as it would enter the books."""
    assert checked.status is not None
    assert checked.read_on is not None
    point = ReadingPoint(reading_id=0, meter_id=checked.meter.id, period=context.package.period,
                         read_on=checked.read_on, status=checked.status, values=dict(checked.values),
                         rollover_confirmed=checked.rollover_confirmed, source=ReadingSource.HANDHELD)
    readings = [*checked.points, point]
    terms = context.terms.get(checked.customer.id, CustomerTermsForChecks())
    found = checks.period_anomalies(
        meters=checked.meters, readings=readings, period=context.package.period, book=context.window,
        limits=context.thresholds(checked.customer.category), reading=point,
        contract_demand_kw=terms.contract_demand_kw, power_factor_standard=terms.power_factor_standard,
        consumptions=Consumptions(checked.meters, readings))
    report_anomalies(found, find)


def estimate(checked: Checked, period: int) -> dict[Register, Decimal] | None:
    """估抄 by the previous consumption (DOMAIN §9): the last values read plus the previous period's advance per
    register (÷ multiplier; the demand register keeps its last value), wrapped at 10^digits. None when there is
    nothing to estimate by (no values read before, no previous consumption). A customer with several meters has
    each estimated by its own previous consumption."""
    meters = [m for m in checked.meters if m.meter_id == checked.meter.id]
    points = [p for p in checked.points if p.meter_id == checked.meter.id]
    own = [p for p in points if p.values and p.period < period]
    if not own or not meters:
        return None
    last = max(own, key=lambda p: (p.period, p.read_on, p.reading_id))
    try:
        previous = Consumptions(meters, points)(previous_period(period))
    except ConsumptionError:
        return None
    wrap = Decimal(10) ** checked.meter.digits
    out: dict[Register, Decimal] = {}
    for register, value in last.values.items():
        if register is Register.DEMAND:
            out[register] = value
            continue
        advance = previous.kwh.get(register)
        if advance is None:
            return None
        out[register] = ((value + advance / checked.meter.multiplier) % wrap).quantize(Decimal("0.01"))
    return out


def decision_allowed(checked: Checked, decision: DecisionKind) -> Finding | None:
    """The finding that forbids ``decision`` on the record (the rule: ``handheld_offline.allowed_decisions``),
    None when it is allowed."""
    if decision in allowed_decisions(checked.findings, has_reading=checked.has_reading):
        return None
    blocked = checked.blocked
    if blocked is not None:
        return blocked
    return next(f for f in checked.findings if f.code is FindingCode.MISSING)
