"""The hand-over in words: book states, severities, decisions, the validation report's findings and file errors.

The server's report carries codes and figures (``shared_models.handheld``); this is where they become text, as
``client/ui/reading_words.py`` does for readings. Strings are marked with ``QT_TRANSLATE_NOOP`` and translated
when shown; each sentence's ``{placeholders}`` are the finding's figures (register, status and field names
translated first).
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from client.core.handheld_files import FileErrorKind, HandheldFileError
from client.ui.messages import field_name, fill
from client.ui.reading_words import anomaly_message, register_name, status_name
from shared_models.handheld import BookState, DecisionKind, Finding, FindingCode, Severity
from shared_models.methods.readings import Anomaly, Register

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # PySide6's stub says it returns object
        ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)
_CONTEXT = "Handheld"

BOOK_STATES: dict[BookState, str] = {
    BookState.NOT_SENT: QT_TRANSLATE_NOOP("Handheld", "not sent"),
    BookState.ON_HANDHELD: QT_TRANSLATE_NOOP("Handheld", "on the handheld"),
    BookState.RETURNED: QT_TRANSLATE_NOOP("Handheld", "returned"),
    BookState.PARTLY_ACCEPTED: QT_TRANSLATE_NOOP("Handheld", "partly accepted"),
    BookState.ACCEPTED: QT_TRANSLATE_NOOP("Handheld", "accepted"),
}

SEVERITIES: dict[Severity, str] = {
    Severity.ERROR: QT_TRANSLATE_NOOP("Handheld", "error"),
    Severity.WARNING: QT_TRANSLATE_NOOP("Handheld", "warning"),
    Severity.INFO: QT_TRANSLATE_NOOP("Handheld", "note"),
}

DECISIONS: dict[DecisionKind, str] = {
    DecisionKind.ACCEPT: QT_TRANSLATE_NOOP("Handheld", "accept"),
    DecisionKind.ACCEPT_WITH_NOTE: QT_TRANSLATE_NOOP("Handheld", "accept with note"),
    DecisionKind.ESTIMATE: QT_TRANSLATE_NOOP("Handheld", "estimate (估抄)"),
    DecisionKind.REREAD: QT_TRANSLATE_NOOP("Handheld", "re-read ordered"),
}

#: A short name of each finding code (the code filter).
FINDING_NAMES: dict[FindingCode, str] = {
    FindingCode.MISSING: QT_TRANSLATE_NOOP("Handheld", "no reading"),
    FindingCode.DUPLICATE: QT_TRANSLATE_NOOP("Handheld", "read twice"),
    FindingCode.NOT_IN_PACKAGE: QT_TRANSLATE_NOOP("Handheld", "not in the package"),
    FindingCode.CUSTOMER_MISMATCH: QT_TRANSLATE_NOOP("Handheld", "customer or meter differs"),
    FindingCode.NOT_IN_BOOK: QT_TRANSLATE_NOOP("Handheld", "moved to another book"),
    FindingCode.CUSTOMER_CLOSED: QT_TRANSLATE_NOOP("Handheld", "account closed"),
    FindingCode.METER_CLOSED: QT_TRANSLATE_NOOP("Handheld", "meter removed"),
    FindingCode.STATUS_INVALID: QT_TRANSLATE_NOOP("Handheld", "unknown status"),
    FindingCode.STATUS_FLAG: QT_TRANSLATE_NOOP("Handheld", "not read on site"),
    FindingCode.METER_CHANGE_AT_DESK: QT_TRANSLATE_NOOP("Handheld", "meter change"),
    FindingCode.VALUE_INVALID: QT_TRANSLATE_NOOP("Handheld", "value not a number"),
    FindingCode.REGISTER_MISSING: QT_TRANSLATE_NOOP("Handheld", "register missing"),
    FindingCode.REGISTER_UNKNOWN: QT_TRANSLATE_NOOP("Handheld", "register unknown"),
    FindingCode.VALUES_NOT_EXPECTED: QT_TRANSLATE_NOOP("Handheld", "values not expected"),
    FindingCode.READ_AT_INVALID: QT_TRANSLATE_NOOP("Handheld", "reading time"),
    FindingCode.NOTE_TOO_LONG: QT_TRANSLATE_NOOP("Handheld", "note too long"),
    FindingCode.READING_EXISTS: QT_TRANSLATE_NOOP("Handheld", "already read"),
    FindingCode.ANOMALY: QT_TRANSLATE_NOOP("Handheld", "anomaly"),
    FindingCode.ALREADY_ACCEPTED: QT_TRANSLATE_NOOP("Handheld", "decided before"),
    FindingCode.SIGNATURE_UNCHECKED: QT_TRANSLATE_NOOP("Handheld", "checked on this PC"),
}

FINDINGS: dict[FindingCode, str] = {
    FindingCode.MISSING: QT_TRANSLATE_NOOP(
        "Handheld", "No reading came back for this record: estimate it or order a re-read."),
    FindingCode.DUPLICATE: QT_TRANSLATE_NOOP(
        "Handheld", "Record {seq} is in the file twice (line {line}; the first is on line {first_line})."),
    FindingCode.NOT_IN_PACKAGE: QT_TRANSLATE_NOOP(
        "Handheld", "Line {line}: record {seq} (customer {customer_no}) is not in this package."),
    FindingCode.CUSTOMER_MISMATCH: QT_TRANSLATE_NOOP(
        "Handheld", "The {field} is {found} in the file, but {expected} in the package."),
    FindingCode.NOT_IN_BOOK: QT_TRANSLATE_NOOP(
        "Handheld", "The customer moved to book {book} after the download."),
    FindingCode.CUSTOMER_CLOSED: QT_TRANSLATE_NOOP(
        "Handheld", "The customer's account is closed."),
    FindingCode.METER_CLOSED: QT_TRANSLATE_NOOP(
        "Handheld", "The meter was removed on {removed_on}."),
    FindingCode.STATUS_INVALID: QT_TRANSLATE_NOOP(
        "Handheld", "The status “{found}” is not one of 实抄, 估抄, 门闭, 表坏, 换表."),
    FindingCode.STATUS_FLAG: QT_TRANSLATE_NOOP(
        "Handheld", "Marked “{status}” on the handheld: confirm it, or order a re-read."),
    FindingCode.METER_CHANGE_AT_DESK: QT_TRANSLATE_NOOP(
        "Handheld", "A meter change (换表) is entered at the desk with the old and the new meter, not from the "
        "handheld."),
    FindingCode.VALUE_INVALID: QT_TRANSLATE_NOOP(
        "Handheld", "The {register} register shows “{found}”, not a number with up to two decimals."),
    FindingCode.REGISTER_MISSING: QT_TRANSLATE_NOOP(
        "Handheld", "The {register} register has no value."),
    FindingCode.REGISTER_UNKNOWN: QT_TRANSLATE_NOOP(
        "Handheld", "The meter has no register “{register}”."),
    FindingCode.VALUES_NOT_EXPECTED: QT_TRANSLATE_NOOP(
        "Handheld", "A record marked “{status}” carries register values: leave them empty."),
    FindingCode.NOTE_TOO_LONG: QT_TRANSLATE_NOOP(
        "Handheld", "The note has {length} characters; at most {limit} are allowed."),
    FindingCode.READING_EXISTS: QT_TRANSLATE_NOOP(
        "Handheld", "The meter already has a reading for this period (reading {reading_id})."),
    FindingCode.ALREADY_ACCEPTED: QT_TRANSLATE_NOOP(
        "Handheld", "Decided before: {decision}."),
    FindingCode.SIGNATURE_UNCHECKED: QT_TRANSLATE_NOOP(
        "Handheld", "Checked on this PC against the package kept at download, without the server: the server "
        "checks the signature and the books as they are now when the acceptance is sent."),
}

#: READ_AT_INVALID by its ``problem``.
READ_AT_PROBLEMS: dict[str, str] = {
    "unreadable": QT_TRANSLATE_NOOP("Handheld", "The reading time “{found}” is not a date and time."),
    "future": QT_TRANSLATE_NOOP("Handheld", "The reading date {read_on} is in the future."),
    "before_installation": QT_TRANSLATE_NOOP(
        "Handheld", "The reading date {read_on} is before the meter was installed."),
    "not_after_previous": QT_TRANSLATE_NOOP(
        "Handheld", "The reading date {read_on} is not after the previous reading of {previous}."),
}

#: A finding's ``field`` that is not a register.
FIELDS: dict[str, str] = {
    "customer_no": QT_TRANSLATE_NOOP("Handheld", "account number (户号)"),
    "asset_no": QT_TRANSLATE_NOOP("Handheld", "meter asset number"),
    "read_at": QT_TRANSLATE_NOOP("Handheld", "reading time"),
    "status": QT_TRANSLATE_NOOP("Handheld", "status"),
    "note": QT_TRANSLATE_NOOP("Handheld", "note"),
    "seq": QT_TRANSLATE_NOOP("Handheld", "record number"),
}

#: HANDHELD_CSV_COLUMNS's ``problem`` (a row of another width has a sentence of its own: handheld_steps.ROW_WIDTH).
CSV_PROBLEMS: dict[str, str] = {
    "missing": QT_TRANSLATE_NOOP("Handheld", "missing"),
    "extra": QT_TRANSLATE_NOOP("Handheld", "not a column of the layout"),
    "duplicate": QT_TRANSLATE_NOOP("Handheld", "there twice"),
}

FILE_ERRORS: dict[FileErrorKind, str] = {
    FileErrorKind.FOLDER_MISSING: QT_TRANSLATE_NOOP(
        "Handheld", "The folder {path} is not there (was the USB stick pulled?). Plug it in and choose the folder "
        "again."),
    FileErrorKind.NOT_A_FOLDER: QT_TRANSLATE_NOOP("Handheld", "{path} is not a folder. Choose a folder."),
    FileErrorKind.READ_ONLY: QT_TRANSLATE_NOOP(
        "Handheld", "Nothing can be written to {path}: the folder or the stick is read-only. Choose another folder "
        "or unlock the stick."),
    FileErrorKind.FULL: QT_TRANSLATE_NOOP(
        "Handheld", "There is no room left on {path}. Free some space or use another stick; no file was left "
        "behind."),
    FileErrorKind.FILE_MISSING: QT_TRANSLATE_NOOP(
        "Handheld", "The file {path} cannot be opened (it is gone, or it is a folder)."),
    FileErrorKind.TOO_LARGE: QT_TRANSLATE_NOOP(
        "Handheld", "The file {path} has {size} bytes, more than a handheld file may have. It was not read."),
    FileErrorKind.FAILED: QT_TRANSLATE_NOOP("Handheld", "{path} could not be written or read: {detail}."),
}


def _tr(source: str) -> str:
    return QCoreApplication.translate(_CONTEXT, source)


def book_state_name(state: BookState) -> str:
    """The translated name of a book's state."""
    return _tr(BOOK_STATES[state])


def severity_name(severity: Severity | None) -> str:
    """The translated name of a severity (empty for a record with nothing found)."""
    return "" if severity is None else _tr(SEVERITIES[severity])


def decision_name(decision: DecisionKind | None) -> str:
    """The translated name of a decision (empty for none)."""
    return "" if decision is None else _tr(DECISIONS[decision])


def finding_name(code: FindingCode) -> str:
    """The short translated name of a finding code."""
    return _tr(FINDING_NAMES[code])


def finding_field(field: str | None) -> str:
    """The translated name of the field a finding names: a register, a record field, or empty."""
    if not field:
        return ""
    if field in {r.value for r in Register}:
        return register_name(field)
    source = FIELDS.get(field)
    return _tr(source) if source else field_name(field)


def finding_text(finding: Finding) -> str:
    """The translated sentence of a finding, its figures filled in."""
    figures: dict[str, object] = dict(finding.figures)
    if finding.code is FindingCode.ANOMALY and finding.anomaly is not None:
        return anomaly_message(Anomaly(code=finding.anomaly, figures=finding.figures))
    figures.update(seq=finding.seq if finding.seq is not None else "", line=finding.line or "",
                   customer_no=finding.customer_no or "")
    if "status" in figures:
        figures["status"] = status_name(str(figures["status"]))
    if "decision" in figures:
        with contextlib.suppress(ValueError):
            figures["decision"] = decision_name(DecisionKind(str(figures["decision"])))
    figures["field"] = finding_field(finding.field)
    figures["register"] = finding_field(finding.field)
    if finding.code is FindingCode.READ_AT_INVALID:
        source = READ_AT_PROBLEMS.get(str(figures.get("problem")), READ_AT_PROBLEMS["unreadable"])
    else:
        source = FINDINGS.get(finding.code, "")
    if not source:  # only if FindingCode grew without this table; the i18n test catches that
        log.error("no sentence for finding %s", finding.code)
        return finding.code.value
    return fill(_tr(source), figures)


def csv_problem(code: str) -> str:
    """The translated words of a CSV column problem; unknown problems as sent."""
    source = CSV_PROBLEMS.get(code)
    return _tr(source) if source else code


def file_error_text(exc: HandheldFileError) -> str:
    """The translated sentence of a handheld file that could not be written or read."""
    return fill(_tr(FILE_ERRORS[exc.kind]), {"path": str(exc.path), "size": exc.size, "detail": exc.detail})
