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
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models.customers import Customer, Meter
from server.models.handheld import HandheldAccepted, HandheldPackage
from server.models.readings import ReadingBook
from server.services.readings import customer_histories, thresholds_for
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


@dataclass
class Checked:
    """A package record after validation: what the books would get, and what it needs."""

    seq: int
    customer: Customer
    meter: Meter
    meters: list[MeterSpec]
    points: list[ReadingPoint]
    status: ReadingStatus | None = None
    read_on: dt.date | None = None
    values: dict[Register, Decimal] = field(default_factory=dict)
    rollover_confirmed: bool = False
    note: str = ""
    has_reading: bool = False
    findings: list[Finding] = field(default_factory=list)
    decided: HandheldAccepted | None = None

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

    def thresholds(self, category: CustomerCategory) -> Thresholds:
        if category not in self.limits:
            self.limits[category] = thresholds_for(self.session, category)
        return self.limits[category]


def _records_of(session: Session, package: HandheldPackage) -> dict[int, Checked]:
    """The package's records with their customer, meter and history as the books hold them now."""
    payload: list[dict[str, Any]] = package.payload["records"]
    numbers = {r["customer_no"] for r in payload}
    assets = {r["asset_no"] for r in payload}
    customers = {c.customer_no: c for c in session.scalars(select(Customer).where(Customer.customer_no.in_(numbers)))}
    meters = {m.asset_no: m for m in session.scalars(select(Meter).where(Meter.asset_no.in_(assets)))}
    histories = customer_histories(session, sorted(c.id for c in customers.values()),
                                   since_period=previous_period(package.period, 14))
    decided = {a.seq: a for a in session.scalars(select(HandheldAccepted).where(
        HandheldAccepted.package_id == package.id))}
    out: dict[int, Checked] = {}
    for record in payload:
        customer, meter = customers[record["customer_no"]], meters[record["asset_no"]]
        specs, points = histories.get(customer.id, ([], []))
        out[record["seq"]] = Checked(seq=record["seq"], customer=customer, meter=meter, meters=specs, points=points,
                                     decided=decided.get(record["seq"]))
    return out


def validate(session: Session, *, upload: Upload, package: HandheldPackage, today: dt.date
             ) -> tuple[ValidationReport, dict[int, Checked]]:
    """The report of an upload against its package (whose signature and owner the caller checked), and the
    checked records by sequence."""
    context = _Context(session, package, today)
    records = _records_of(session, package)
    payload = {r["seq"]: r for r in package.payload["records"]}
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
    reports = []
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
        record = payload[seq]
        reports.append(RecordReport(
            seq=seq, book_seq=record["book_seq"], customer_no=record["customer_no"], name=record["name"],
            asset_no=record["asset_no"], status=checked.status, read_on=checked.read_on,
            values={r: str(v) for r, v in checked.values.items()}, note=checked.note[:MAX_NOTE],
            severity=worst_severity(checked.findings), findings=checked.findings,
            decided=None if checked.decided is None else checked.decided.decision))
    everything = [f for r in reports for f in r.findings] + [f for f in strays if f.code is not FindingCode.DUPLICATE]
    report = ValidationReport(
        package_id=str(package.id), book_code=package.book_code, period=package.period,
        reader=package.payload["reader"], file_format=upload.format, encoding=upload.encoding, records=reports,
        strays=strays, errors=sum(f.severity is Severity.ERROR for f in everything),
        warnings=sum(f.severity is Severity.WARNING for f in everything))
    return report, records


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
        find(Severity.ERROR, FindingCode.NOT_IN_BOOK, "customer_no", book=customer.book_code)
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
    found = checks.period_anomalies(
        meters=checked.meters, readings=readings, period=context.package.period, book=context.window,
        limits=context.thresholds(checked.customer.category), reading=point,
        consumptions=Consumptions(checked.meters, readings))
    report_anomalies(found, find)


def estimate(checked: Checked, period: int) -> dict[Register, Decimal] | None:
    """估抄 by the previous consumption (DOMAIN §9): the last values read plus the previous period's advance per
    register (÷ multiplier; the demand register keeps its last value), wrapped at 10^digits. None when there is
    nothing to estimate by (no values read before, no previous consumption, or several meters to share it)."""
    own = [p for p in checked.points if p.meter_id == checked.meter.id and p.values and p.period < period]
    if not own or len(checked.meters) != 1:
        return None
    last = max(own, key=lambda p: (p.period, p.read_on, p.reading_id))
    try:
        previous = Consumptions(checked.meters, checked.points)(previous_period(period))
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
    """The finding that forbids ``decision`` on the record, None when it is allowed."""
    if decision is DecisionKind.REREAD:
        return None
    blocked = checked.blocked
    if blocked is not None:
        return blocked
    if decision is not DecisionKind.ESTIMATE and not checked.has_reading:
        return next(f for f in checked.findings if f.code is FindingCode.MISSING)
    if decision is not DecisionKind.ESTIMATE and checked.status is None:  # pragma: no cover - blocked above
        return None
    return None
