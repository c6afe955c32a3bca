"""The offline validator of a returned handheld file, against the package the counter saved at download, pure.

A reader whose link is down (issue 13 §5) still gets the validation report: :func:`validate_offline` reads the
returned file (JSON or CSV, :func:`shared_models.handheld.read_upload`) and checks it against the saved package
text alone, with the checks and finding codes of the server's validator (``server.handheld.validate``), which
takes the shared ones from here: the status word, the reading time, the register values, the customer and meter
of the record, the note, and the anomaly checks of :mod:`shared_models.rules.reading_anomalies` on the figures the
package carries (previous register values and date, previous and same-month-last-year kWh, thresholds, window).

What the package alone cannot judge stays the server's, when the queued acceptance is replayed:

* the HMAC — the counter has no key; the returned JSON's signed part is compared with the saved copy's canonical
  JSON instead (a changed byte is refused the same), and the report says so in an info notice
  (``FindingCode.SIGNATURE_UNCHECKED``);
* the books as they are now: a customer moved to another book or closed, a removed meter, the meter's installation
  date, a reading of the period already entered, records accepted before (from another counter);
* history beyond the package: a zero streak longer than the previous period, a 门闭 reading in between (the
  package's previous values are the last ones *read*), several meters of a customer read in the same period.

A file that cannot be used as a whole raises :class:`OfflineRefusal` with the ``ErrorCode`` the server answers
for it, so the counter shows the same sentence.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, Final, Protocol

from pydantic import ValidationError

from shared_models.errors import ErrorCode
from shared_models.handheld import (
    STATUS_WORDS,
    DecisionKind,
    FileProblem,
    Finding,
    FindingCode,
    Package,
    PackageRecord,
    RecordReport,
    Severity,
    UploadRecord,
    ValidationReport,
    canonical_json,
    read_upload,
    signed_part,
)
from shared_models.methods.readings import (
    WITHOUT_VALUES,
    Anomaly,
    AnomalyCode,
    ReadingSource,
    ReadingStatus,
    Register,
)
from shared_models.rules.reading_anomalies import (
    CheckInput,
    Thresholds,
    WindowDates,
    check_reading,
    previous_period,
)
from shared_models.rules.reading_consumption import (
    Consumption,
    ConsumptionError,
    Consumptions,
    MeterSpec,
    ReadingPoint,
)

#: A register value as a handheld writes it: up to 12 digits, up to 2 decimals.
VALUE_PATTERN: Final = re.compile(r"^[0-9]{1,12}(\.[0-9]{1,2})?$")
#: The longest note a reading keeps.
MAX_NOTE: Final = 200
#: Severities from the worst.
SEVERITY_RANK: Final = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
#: Anomalies that stop an acceptance (a value below the previous one needs the reader's rollover confirmation).
BLOCKING_ANOMALIES: Final = frozenset({AnomalyCode.BELOW_PREVIOUS})
#: Anomalies the status finding says already, or that do not apply to a handheld reading.
SKIPPED_ANOMALIES: Final = frozenset({AnomalyCode.ESTIMATED, AnomalyCode.MANUAL_ENTRY})
#: Finding codes only the server gives: they need the books as they are now, not the package.
SERVER_ONLY_CODES: Final = frozenset({FindingCode.NOT_IN_BOOK, FindingCode.CUSTOMER_CLOSED, FindingCode.METER_CLOSED,
                                     FindingCode.READING_EXISTS, FindingCode.ALREADY_ACCEPTED})
_HUNDRED: Final = Decimal(100)
_ORDER: Final = {r: i for i, r in enumerate(Register)}


class Find(Protocol):
    """Adds a finding to the record being checked (the caller knows its sequence, line, customer and meter)."""

    def __call__(self, severity: Severity, code: FindingCode, field_name: str | None = None,
                 anomaly: AnomalyCode | None = None, **figures: str) -> None: ...


class OfflineRefusal(Exception):  # noqa: N818 - a refusal of the file, raised and caught as one
    """The file cannot be validated at all: ``code`` is the server's ``ErrorCode`` for the same file, ``params``
    its figures (the client words it with the server's sentence)."""

    def __init__(self, code: ErrorCode, **params: str | int) -> None:
        super().__init__(code.value, params)
        self.code = code
        self.params = params


# --- the checks the server's validator shares -----------------------------------------------------------------

def parse_status(text: str) -> ReadingStatus | None:
    """The status of a reading from the Chinese word or the English code, None when it is neither."""
    word = text.strip()
    if word in STATUS_WORDS:
        return STATUS_WORDS[word]
    try:
        return ReadingStatus(word.lower())
    except ValueError:
        return None


def parse_read_on(text: str) -> dt.date | None:
    """The date of a reading time: ``2026-11-05``, ``2026-11-05T10:12[:00]`` or with a space."""
    value = text.strip()
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value)
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        return None


def worst_severity(findings: Iterable[Finding]) -> Severity | None:
    """The worst severity of a record's findings, None when it has none."""
    return min((f.severity for f in findings), key=SEVERITY_RANK.__getitem__, default=None)


def allowed_decisions(findings: Iterable[Finding], *, has_reading: bool) -> frozenset[DecisionKind]:
    """The decisions a record open for a decision allows (the server refuses the others; the screen greys them):
    a re-read always; only a re-read with an error finding; a record that came back without a reading can be
    estimated (by the previous consumption, DOMAIN §9) or re-read; any other record takes any decision."""
    if any(f.severity is Severity.ERROR for f in findings):
        return frozenset({DecisionKind.REREAD})
    if not has_reading:
        return frozenset({DecisionKind.ESTIMATE, DecisionKind.REREAD})
    return frozenset(DecisionKind)


def check_identity(item: UploadRecord, *, customer_no: str, asset_no: str, find: Find) -> None:
    """The reading names the package record's customer and meter (a swapped record is found here)."""
    if item.customer_no != customer_no:
        find(Severity.ERROR, FindingCode.CUSTOMER_MISMATCH, "customer_no", expected=customer_no,
             found=item.customer_no[:20])
    if item.asset_no != asset_no:
        find(Severity.ERROR, FindingCode.CUSTOMER_MISMATCH, "asset_no", expected=asset_no, found=item.asset_no[:24])


def check_note(item: UploadRecord, find: Find) -> None:
    """A note the books can keep."""
    if len(item.note) > MAX_NOTE:
        find(Severity.ERROR, FindingCode.NOTE_TOO_LONG, "note", length=str(len(item.note)), limit=str(MAX_NOTE))


def check_status(item: UploadRecord, find: Find) -> ReadingStatus | None:
    """The reading's status: an unknown word is an error, 换表 belongs to the meter-change form, 估抄 / 门闭 /
    表坏 are flagged."""
    status = parse_status(item.status)
    if status is None:
        find(Severity.ERROR, FindingCode.STATUS_INVALID, "status", found=item.status[:20])
    elif status is ReadingStatus.METER_CHANGED:
        find(Severity.ERROR, FindingCode.METER_CHANGE_AT_DESK, "status", status=status.value)
    elif status is not ReadingStatus.ACTUAL:
        find(Severity.WARNING, FindingCode.STATUS_FLAG, "status", status=status.value)
    return status


def check_read_at(item: UploadRecord, *, today: dt.date, installed_on: dt.date | None, previous: dt.date | None,
                  find: Find) -> dt.date | None:
    """The reading date: readable, not in the future, not before the meter's installation (when known), after
    the meter's previous reading (when there is one)."""
    read_on = parse_read_on(item.read_at)
    if read_on is None:
        find(Severity.ERROR, FindingCode.READ_AT_INVALID, "read_at", problem="unreadable", found=item.read_at[:32])
    elif read_on > today:
        find(Severity.ERROR, FindingCode.READ_AT_INVALID, "read_at", problem="future", read_on=read_on.isoformat())
    elif installed_on is not None and read_on < installed_on:
        find(Severity.ERROR, FindingCode.READ_AT_INVALID, "read_at", problem="before_installation",
             read_on=read_on.isoformat())
    elif previous is not None and previous >= read_on:
        find(Severity.ERROR, FindingCode.READ_AT_INVALID, "read_at", problem="not_after_previous",
             read_on=read_on.isoformat(), previous=previous.isoformat())
    return read_on


def check_values(item: UploadRecord, *, registers: Iterable[Register], status: ReadingStatus | None,
                 find: Find) -> dict[Register, Decimal]:
    """The register values read (each register of the meter, none unknown, each a value), none with 门闭 /
    表坏; the values that are well formed."""
    ordered = sorted(set(registers), key=_ORDER.__getitem__)
    values: dict[Register, Decimal] = {}
    if status in WITHOUT_VALUES:
        if item.values:
            find(Severity.ERROR, FindingCode.VALUES_NOT_EXPECTED, next(iter(item.values))[:20],
                 status=status.value if status else "")
        return values
    names = {r.value for r in ordered}
    for name in item.values:
        if name not in names:
            find(Severity.ERROR, FindingCode.REGISTER_UNKNOWN, name[:20])
    for register in ordered:
        text = item.values.get(register.value)
        if text is None or text == "":
            find(Severity.ERROR, FindingCode.REGISTER_MISSING, register.value)
        elif not VALUE_PATTERN.match(text):
            find(Severity.ERROR, FindingCode.VALUE_INVALID, register.value, found=text[:20])
        else:
            values[register] = Decimal(text)
    return values


def report_anomalies(found: Iterable[Anomaly], find: Find) -> None:
    """The anomalies of a reading as findings: below previous is an error, a first reading an info, the rest
    warnings (the estimated / manual flags are the status finding's)."""
    for anomaly in found:
        if anomaly.code in SKIPPED_ANOMALIES:
            continue
        severity = (Severity.ERROR if anomaly.code in BLOCKING_ANOMALIES else
                    Severity.INFO if anomaly.code is AnomalyCode.NO_PREVIOUS else Severity.WARNING)
        find(severity, FindingCode.ANOMALY, anomaly.figures.get("register"), anomaly.code, **anomaly.figures)


# --- the offline validator ----------------------------------------------------------------------------------

def _saved_package(package_text: str) -> tuple[dict[str, Any], Package]:
    """The saved package document and its signed part, typed; a damaged copy is refused."""
    try:
        document = json.loads(package_text)
        if not isinstance(document, dict):
            raise TypeError("not an object")
        package = Package.model_validate_json(canonical_json(signed_part(document)))
    except (ValueError, TypeError, RecursionError, ValidationError):
        raise OfflineRefusal(ErrorCode.HANDHELD_FILE_DAMAGED, line=0, field="package") from None
    return document, package


def _thresholds(record: PackageRecord) -> Thresholds:
    """The category's thresholds the package carries (``rise_pct`` "50" is a share of 0.50)."""
    rise, drop = _figure(record.thresholds.rise_pct), _figure(record.thresholds.drop_pct)
    if rise is None or drop is None:
        return Thresholds()
    return Thresholds(rise_share=rise / _HUNDRED, drop_share=drop / _HUNDRED, zero_streak=record.thresholds.zero_streak)


def _figure(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


class _Offline:
    """The checks of one upload against the saved package."""

    def __init__(self, package: Package, today: dt.date) -> None:
        self.package = package
        self.today = today
        self.window = (WindowDates(first=package.window_from, last=package.window_to)
                       if package.window_from is not None and package.window_to is not None else None)

    def check(self, record: PackageRecord, item: UploadRecord, findings: list[Finding]) -> tuple[
            ReadingStatus | None, dt.date | None, dict[Register, Decimal]]:
        """Every check the package can make of one reading (findings appended), and what was read."""

        def find(severity: Severity, code: FindingCode, field_name: str | None = None,
                 anomaly: AnomalyCode | None = None, **figures: str) -> None:
            findings.append(Finding(seq=record.seq, line=item.line, customer_no=record.customer_no,
                                    asset_no=record.asset_no, severity=severity, code=code, field=field_name,
                                    anomaly=anomaly, figures=figures))

        check_identity(item, customer_no=record.customer_no, asset_no=record.asset_no, find=find)
        check_note(item, find)
        status = check_status(item, find)
        read_on = check_read_at(item, today=self.today, installed_on=None, previous=record.previous_read_on,
                                find=find)
        values = check_values(item, registers=self._registers(record), status=status, find=find)
        if status is not None and read_on is not None and not any(f.severity is Severity.ERROR for f in findings):
            report_anomalies(self._anomalies(record, status, read_on, values, item.rollover_confirmed), find)
        return status, read_on, values

    @staticmethod
    def _registers(record: PackageRecord) -> list[Register]:
        return [r.register_ for r in record.registers]

    def _anomalies(self, record: PackageRecord, status: ReadingStatus, read_on: dt.date,
                   values: dict[Register, Decimal], rollover_confirmed: bool) -> list[Anomaly]:
        """The reading checks on the package's figures: this meter's previous values as the reading before,
        the previous and last year's kWh as the history."""
        period = self.package.period
        meter = MeterSpec(meter_id=1, multiplier=record.multiplier, digits=record.digits,
                          registers=frozenset(self._registers(record)))
        previous_values = {r.register_: v for r in record.registers if (v := _figure(r.previous)) is not None}
        earlier: list[ReadingPoint] = []
        if previous_values and record.previous_read_on is not None:
            earlier.append(ReadingPoint(reading_id=1, meter_id=1, period=previous_period(period),
                                        read_on=record.previous_read_on, status=ReadingStatus.ACTUAL,
                                        values=previous_values))
        history: dict[int, Decimal] = {}
        previous_kwh, last_year_kwh = _figure(record.previous_kwh), _figure(record.last_year_kwh)
        if previous_kwh is not None:
            history[previous_period(period)] = previous_kwh
        if last_year_kwh is not None:
            history[previous_period(period, 12)] = last_year_kwh
        point = ReadingPoint(reading_id=0, meter_id=1, period=period, read_on=read_on, status=status,
                             values=dict(values), rollover_confirmed=rollover_confirmed,
                             source=ReadingSource.HANDHELD)
        consumption: Consumption | ConsumptionError
        if status in WITHOUT_VALUES:
            # 门闭 / 表坏: billed as the previous period's consumption, which the package carries as a total
            if not earlier:
                consumption = ConsumptionError(AnomalyCode.NO_PREVIOUS, period=str(period))
            elif previous_kwh is None:
                consumption = ConsumptionError(AnomalyCode.NO_PREVIOUS, period=str(previous_period(period)))
            else:
                consumption = Consumption(period=period, period_from=earlier[0].read_on + dt.timedelta(days=1),
                                          period_to=read_on, kwh={Register.TOTAL: previous_kwh}, estimated=True)
        else:
            try:
                consumption = Consumptions([meter], [*earlier, point])(period)
            except ConsumptionError as exc:
                consumption = exc
        return check_reading(CheckInput(
            period=period, read_on=read_on, status=status, source=ReadingSource.HANDHELD, consumption=consumption,
            history=history, multiplier=record.multiplier, book=self.window), _thresholds(record))


def _check_same_package(document: dict[str, Any], package: Package, upload_document: dict[str, Any] | None,
                        upload_package_id: str) -> None:
    """The file is the saved package's: its id, and for the JSON its key id, signed part and HMAC unchanged
    (what the server's HMAC check finds, found by comparison with the saved copy)."""
    if upload_package_id != package.package_id:
        raise OfflineRefusal(ErrorCode.HANDHELD_PACKAGE_UNKNOWN, package_id=upload_package_id[:40])
    if upload_document is None:
        return
    try:
        same = (upload_document.get("key_id") == package.key_id
                and upload_document.get("hmac") == document.get("hmac")
                and canonical_json(signed_part(upload_document)) == canonical_json(signed_part(document)))
    except (TypeError, ValueError, RecursionError):  # a value canonical JSON cannot write
        same = False
    if not same:
        raise OfflineRefusal(ErrorCode.HANDHELD_SIGNATURE_INVALID, package_id=package.package_id)


def validate_offline(package_text: str, data: bytes, *, today: dt.date, reader: str | None = None
                     ) -> ValidationReport:
    """The validation report of a returned file (``data``: JSON or CSV) against the package text the counter
    saved at download, without the server; ``reader`` (the signed-in username), when given, must be the
    package's. Raises :class:`OfflineRefusal` (the server's code and figures) when the file cannot be used at
    all: unreadable, another package, a changed signed part, a foreign reader, a damaged saved copy."""
    document, package = _saved_package(package_text)
    try:
        upload = read_upload(data)
    except FileProblem as problem:
        raise OfflineRefusal(ErrorCode(f"HANDHELD_{problem.code.value}"), **problem.params) from None
    _check_same_package(document, package, upload.document, upload.package_id)
    if reader is not None and reader != package.reader:
        raise OfflineRefusal(ErrorCode.HANDHELD_FOREIGN_READER, package_id=package.package_id, reader=package.reader)
    offline = _Offline(package, today)
    by_seq = {r.seq: r for r in package.records}
    findings: dict[int, list[Finding]] = {seq: [] for seq in by_seq}
    read: dict[int, tuple[ReadingStatus | None, dt.date | None, dict[Register, Decimal], str]] = {}
    strays: list[Finding] = []
    seen: dict[int, UploadRecord] = {}
    for item in upload.records:
        record = by_seq.get(item.seq) if item.seq is not None else None
        if record is None:
            strays.append(Finding(seq=item.seq, line=item.line, customer_no=item.customer_no[:20],
                                  asset_no=item.asset_no[:24], severity=Severity.ERROR,
                                  code=FindingCode.NOT_IN_PACKAGE, field="seq"))
            continue
        if record.seq in seen:
            finding = Finding(seq=record.seq, line=item.line, customer_no=record.customer_no,
                              asset_no=record.asset_no, severity=Severity.ERROR, code=FindingCode.DUPLICATE,
                              field="seq", figures={"first_line": str(seen[record.seq].line)})
            strays.append(finding)
            if not any(f.code is FindingCode.DUPLICATE for f in findings[record.seq]):
                findings[record.seq].append(finding)
            continue
        seen[record.seq] = item
        status, read_on, values = offline.check(record, item, findings[record.seq])
        read[record.seq] = (status, read_on, values, item.note)
    reports = []
    for record in sorted(package.records, key=lambda r: r.seq):
        own = findings[record.seq]
        if record.seq not in seen:
            own.append(Finding(seq=record.seq, customer_no=record.customer_no, asset_no=record.asset_no,
                               severity=Severity.WARNING, code=FindingCode.MISSING))
        status, read_on, values, note = read.get(record.seq, (None, None, {}, ""))
        reports.append(RecordReport(
            seq=record.seq, book_seq=record.book_seq, customer_no=record.customer_no, name=record.name,
            asset_no=record.asset_no, status=status, read_on=read_on, values={r: str(v) for r, v in values.items()},
            note=note[:MAX_NOTE], severity=worst_severity(own), findings=own))
    everything = [f for r in reports for f in r.findings] + [f for f in strays if f.code is not FindingCode.DUPLICATE]
    notices = [] if upload.document is None else [Finding(
        seq=None, severity=Severity.INFO, code=FindingCode.SIGNATURE_UNCHECKED,
        figures={"package_id": package.package_id, "key_id": package.key_id})]
    return ValidationReport(
        package_id=package.package_id, book_code=package.book, period=package.period, reader=package.reader,
        file_format=upload.format, encoding=upload.encoding, records=reports, strays=strays,
        errors=sum(f.severity is Severity.ERROR for f in everything),
        warnings=sum(f.severity is Severity.WARNING for f in everything), notices=notices)
