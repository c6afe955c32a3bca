"""The handheld package ``gridcounter.book/1`` (SPEC §6.1), its upload records, the validation report, decisions.

A package is UTF-8 JSON: the book, its reader and period, and one record per meter of the book's customers in
book order (``seq`` 1..n) with what the reader needs on site (previous values and digits per register, previous
and same-month-last-year kWh, the thresholds). The handheld fills each record's ``reading``; ``hmac`` signs the
rest (:func:`signed_part`, :func:`canonical_json`), so a changed customer, figure or a cut file is found. A CSV
(docs/handheld-formats.md) carries the readings of third-party handhelds, matched to the package by its id.

Parsing here is pure and lenient on purpose: :func:`read_upload` turns bytes into an :class:`Upload` (raw text
per field) or raises :class:`FileProblem` for what makes the whole file unreadable; the per-record checks are the
server's validator's (``server.handheld.validate``), which gives the :class:`ValidationReport`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any, Final

from pydantic import Field

from shared_models.methods.readings import AnomalyCode, ReadingStatus, Register
from shared_models.rpc import Model

FORMAT: Final = "gridcounter.book/1"
#: The largest file the server reads (bytes, before decoding). A 20 000-record book with names, addresses and
#: every register is about 12 MB of JSON; 16 MiB leaves room and keeps a 200 MB file from ever being parsed.
MAX_FILE_BYTES: Final = 16 * 1024 * 1024
#: The status codes of a handheld, in the file as the Chinese word or the English code.
STATUS_WORDS: Final = {"实抄": ReadingStatus.ACTUAL, "估抄": ReadingStatus.ESTIMATED, "门闭": ReadingStatus.NO_ACCESS,
                       "表坏": ReadingStatus.METER_FAULT, "换表": ReadingStatus.METER_CHANGED}
#: The CSV columns, in the documented order (a file must have exactly these, in any order).
CSV_COLUMNS: Final = ("package_id", "seq", "customer_no", "asset_no", "read_at", "status",
                      *(r.value for r in Register), "rollover_confirmed", "note")


class BookState(StrEnum):
    """Where a book stands for a period."""

    NOT_SENT = "not_sent"
    ON_HANDHELD = "on_handheld"
    RETURNED = "returned"  # an upload was decided on, nothing accepted yet (only re-reads ordered)
    PARTLY_ACCEPTED = "partly_accepted"
    ACCEPTED = "accepted"


class Severity(StrEnum):
    """How a finding weighs: an error cannot be accepted (only a re-read ordered), a warning needs the reader's
    confirmation or mark, an info needs nothing."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class FindingCode(StrEnum):
    """What the validator found on a record (``field`` and ``figures`` say where and how much)."""

    MISSING = "missing"  # a record of the package without a reading
    DUPLICATE = "duplicate"  # a second reading for the same record (figures: first_line)
    NOT_IN_PACKAGE = "not_in_package"  # a record sequence the package lacks
    CUSTOMER_MISMATCH = "customer_mismatch"  # customer or meter of the record differ from the package's
    NOT_IN_BOOK = "not_in_book"  # the customer moved to another book since the download
    CUSTOMER_CLOSED = "customer_closed"
    METER_CLOSED = "meter_closed"  # removed_on
    STATUS_INVALID = "status_invalid"
    STATUS_FLAG = "status_flag"  # 估抄, 门闭, 表坏: a warning with the status
    METER_CHANGE_AT_DESK = "meter_change_at_desk"  # 换表 goes through reading.change_meter
    VALUE_INVALID = "value_invalid"  # field: the register
    REGISTER_MISSING = "register_missing"
    REGISTER_UNKNOWN = "register_unknown"
    VALUES_NOT_EXPECTED = "values_not_expected"  # values with 门闭 / 表坏
    READ_AT_INVALID = "read_at_invalid"  # problem: unreadable, future, before_previous, before_installation
    NOTE_TOO_LONG = "note_too_long"
    READING_EXISTS = "reading_exists"  # the meter has a reading of the period already (reading_id)
    ANOMALY = "anomaly"  # ``anomaly`` names the check of shared_models.rules.reading_anomalies
    ALREADY_ACCEPTED = "already_accepted"  # decision, reading_id (the first result)
    #: The offline counter compared the file with its saved package; the server checks the HMAC on replay
    #: (package_id, key_id). A notice of the offline report, never on a record.
    SIGNATURE_UNCHECKED = "signature_unchecked"


class DecisionKind(StrEnum):
    """What the reader decided about a record."""

    ACCEPT = "accept"  # as read (a flagged record confirmed)
    ACCEPT_WITH_NOTE = "accept_with_note"  # as read, with the reader's note
    ESTIMATE = "estimate"  # 估抄 by the previous consumption (DOMAIN §9) instead of the values read
    REREAD = "reread"  # re-read ordered: nothing written, the record stays open


#: A value as the file carries it: text, never a float ("12345.67").
FigureText = Annotated[str, Field(strict=True, max_length=32)]


class RegisterPrevious(Model):
    """A register of the meter: the previous value read (None before the meter's first reading)."""

    register_: Register = Field(alias="register")
    previous: FigureText | None


class PackageThresholds(Model):
    """The anomaly thresholds of the customer's category, so the handheld can warn on site."""

    rise_pct: FigureText
    drop_pct: FigureText
    zero_streak: int


class PackageRecord(Model):
    """One meter of a customer in book order (the signed part of a record)."""

    seq: int
    book_seq: int
    customer_no: str
    name: str
    address: str
    asset_no: str
    multiplier: int
    digits: int
    registers: list[RegisterPrevious]
    previous_read_on: dt.date | None
    previous_kwh: FigureText | None
    last_year_kwh: FigureText | None
    thresholds: PackageThresholds


class Package(Model):
    """The signed part of a package: everything but the readings and the ``hmac``."""

    format: str
    package_id: str
    key_id: str
    book: str
    book_name: str
    reader: str
    period: int
    generated_at: str
    window_from: dt.date | None
    window_to: dt.date | None
    records: list[PackageRecord]


def canonical_json(value: Any) -> bytes:
    """The bytes the HMAC covers: keys sorted, no spaces, UTF-8 as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def signed_part(document: dict[str, Any]) -> dict[str, Any]:
    """A package document without its ``hmac`` and without each record's ``reading`` (filled in on site)."""
    out = {k: v for k, v in document.items() if k != "hmac"}
    records = out.get("records")
    if isinstance(records, list):
        out["records"] = [{k: v for k, v in r.items() if k != "reading"} if isinstance(r, dict) else r
                          for r in records]
    return out


class FileProblemCode(StrEnum):
    """Why a whole file cannot be read (each an ``ErrorCode`` of the same name with ``HANDHELD_`` before it)."""

    EMPTY = "FILE_EMPTY"
    TOO_LARGE = "FILE_TOO_LARGE"
    ENCODING = "FILE_ENCODING"
    DAMAGED = "FILE_DAMAGED"  # not JSON / cut short / not a package (line, field)
    FORMAT_UNSUPPORTED = "FORMAT_UNSUPPORTED"
    CSV_COLUMNS = "CSV_COLUMNS"  # column, problem: missing / extra / duplicate


class FileProblem(Exception):  # noqa: N818 - a problem of the file, raised and caught as one
    """The file as a whole cannot be read; ``params`` name the line and field where there is one."""

    def __init__(self, code: FileProblemCode, **params: str | int) -> None:
        super().__init__(code.value, params)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class UploadRecord:
    """One reading as the file carries it, every field raw text (the validator checks each)."""

    line: int  # CSV line, or the record's position in the JSON (1-based)
    seq: int | None
    customer_no: str
    asset_no: str
    read_at: str
    status: str
    values: dict[str, str] = field(default_factory=dict)
    rollover_confirmed: bool = False
    note: str = ""


@dataclass(frozen=True)
class Upload:
    """A file read: its format, encoding, package id, the signed document (JSON) and the readings."""

    format: str  # "json" or "csv"
    encoding: str
    package_id: str
    records: list[UploadRecord]
    #: The JSON document (its signed part is checked against the package's HMAC); None for a CSV.
    document: dict[str, Any] | None = None


def _decode(data: bytes, *, json_only: bool) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if json_only:
            raise FileProblem(FileProblemCode.ENCODING, encoding="UTF-8", line=data.count(b"\n", 0, exc.start) + 1
                              ) from None
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise FileProblem(FileProblemCode.ENCODING, encoding="UTF-8 / GB18030",
                          line=data.count(b"\n", 0, exc.start) + 1) from None


def _check_text(text: str) -> None:
    """No control characters but tab and line ends (a UTF-16 file decodes to NULs; so does a binary one)."""
    for index, char in enumerate(text):
        if char < " " and char not in "\t\r\n":
            line = text.count("\n", 0, index) + 1
            raise FileProblem(FileProblemCode.ENCODING, encoding="UTF-8 / GB18030", line=line)


def read_upload(data: bytes) -> Upload:
    """Read an upload (JSON package or CSV) from its bytes; :class:`FileProblem` when the file as a whole is
    unusable (empty, too large, wrong encoding, damaged, another format, wrong CSV columns)."""
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem(FileProblemCode.TOO_LARGE, size=len(data), limit=MAX_FILE_BYTES)
    if not data.strip():
        raise FileProblem(FileProblemCode.EMPTY)
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    is_json = head in (b"{", b"[")
    text, encoding = _decode(data, json_only=is_json)
    _check_text(text)
    if is_json:
        return _read_json(text, encoding)
    return _read_csv(text, encoding)


def _damaged(**params: str | int) -> FileProblem:
    return FileProblem(FileProblemCode.DAMAGED, **params)


def _read_json(text: str, encoding: str) -> Upload:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _damaged(line=exc.lineno, field="document") from None
    except RecursionError:
        raise _damaged(line=0, field="document") from None
    if not isinstance(document, dict):
        raise _damaged(line=1, field="document")
    if document.get("format") != FORMAT:
        found = document.get("format")
        raise FileProblem(FileProblemCode.FORMAT_UNSUPPORTED, found=str(found)[:40] if found is not None else "")
    package_id = document.get("package_id")
    records = document.get("records")
    if not isinstance(package_id, str) or not isinstance(records, list):
        raise _damaged(line=0, field="package_id" if not isinstance(package_id, str) else "records")
    out: list[UploadRecord] = []
    for position, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise _damaged(line=position, field="records")
        reading = record.get("reading")
        if reading is None:
            continue
        if not isinstance(reading, dict):
            raise _damaged(line=position, field="reading")
        seq = record.get("seq")
        values = reading.get("values") or {}
        out.append(UploadRecord(
            line=position, seq=seq if isinstance(seq, int) and not isinstance(seq, bool) else None,
            customer_no=_text(record.get("customer_no")), asset_no=_text(record.get("asset_no")),
            read_at=_text(reading.get("read_at")), status=_text(reading.get("status")),
            values={str(k): _text(v) for k, v in values.items()} if isinstance(values, dict) else {"?": "?"},
            rollover_confirmed=reading.get("rollover_confirmed") is True, note=_text(reading.get("note"))))
    return Upload(format="json", encoding=encoding, package_id=package_id, records=out, document=document)


def _text(value: object) -> str:
    """A field as text (a number written without quotes too; anything else as its JSON)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)[:40]


def _read_csv(text: str, encoding: str) -> Upload:
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(rows)]
    except (StopIteration, csv.Error):
        raise _damaged(line=1, field="document") from None
    for column in header:
        if column not in CSV_COLUMNS:
            raise FileProblem(FileProblemCode.CSV_COLUMNS, column=column[:40], problem="extra", line=1)
        if header.count(column) > 1:
            raise FileProblem(FileProblemCode.CSV_COLUMNS, column=column, problem="duplicate", line=1)
    for column in CSV_COLUMNS:
        if column not in header:
            raise FileProblem(FileProblemCode.CSV_COLUMNS, column=column, problem="missing", line=1)
    out: list[UploadRecord] = []
    package_ids: set[str] = set()
    try:
        for row in rows:
            line = rows.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise FileProblem(FileProblemCode.CSV_COLUMNS, column=str(len(row)), problem="row_width", line=line)
            cells = dict(zip(header, (c.strip() for c in row), strict=True))
            package_ids.add(cells["package_id"])
            seq_text = cells["seq"]
            out.append(UploadRecord(
                line=line, seq=int(seq_text) if seq_text.isdigit() and len(seq_text) < 10 else None,
                customer_no=cells["customer_no"], asset_no=cells["asset_no"], read_at=cells["read_at"],
                status=cells["status"], values={r.value: cells[r.value] for r in Register if cells[r.value]},
                rollover_confirmed=cells["rollover_confirmed"].lower() in {"1", "true", "yes", "是"},
                note=cells["note"]))
    except csv.Error:
        raise _damaged(line=rows.line_num, field="document") from None
    if len(package_ids) != 1:
        raise _damaged(line=2 if not out else out[0].line, field="package_id")
    return Upload(format="csv", encoding=encoding, package_id=package_ids.pop(), records=out)


# --- the report and the decisions (what the RPCs carry) --------------------------------------------------------

class Finding(Model):
    """One thing the validator found: on a record (``seq``) or on the file (``seq`` None)."""

    seq: int | None
    line: int | None = None
    customer_no: str | None = None
    asset_no: str | None = None
    severity: Severity
    code: FindingCode
    field: str | None = None
    anomaly: AnomalyCode | None = None
    figures: dict[str, str] = Field(default_factory=dict)


class RecordReport(Model):
    """A record of the package with what came back for it and what was found."""

    seq: int
    book_seq: int
    customer_no: str
    name: str
    asset_no: str
    status: ReadingStatus | None
    read_on: dt.date | None
    values: dict[Register, str]
    note: str
    severity: Severity | None
    findings: list[Finding]
    #: Set when the record was decided before (a second upload): the first decision.
    decided: DecisionKind | None = None


class ValidationReport(Model):
    """What an upload holds and what is wrong with it, before anything is written."""

    package_id: str
    book_code: str
    period: int
    reader: str
    file_format: str
    encoding: str
    records: list[RecordReport]
    #: Readings of the file that match no record of the package (not in the package, duplicates).
    strays: list[Finding]
    errors: int
    warnings: int
    #: Findings on the file as a whole that weigh nothing (the offline report's signature notice).
    notices: list[Finding] = Field(default_factory=list)


class Decision(Model):
    """The reader's decision on one record (a note is required with ``accept_with_note``)."""

    seq: Annotated[int, Field(strict=True, ge=1, le=1_000_000)]
    decision: DecisionKind
    note: Annotated[str, Field(strict=True, max_length=200)] | None = None
