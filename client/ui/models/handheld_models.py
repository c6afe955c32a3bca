"""The tables of the hand-over screen: the reader's books, and the validation report with the reader's decisions.

:class:`ReportModel` holds one :class:`ReportRow` per record of the package (and one per stray line of the file:
a record not in the package, a duplicate), coloured by severity; :class:`ReportProxy` filters it by severity,
finding code, reading status and free text and sorts it (by sequence unless told otherwise). Which decisions a
row may take is :func:`allowed_decisions`, the rule the server's ``decision_allowed`` applies
(``shared_models.rules.handheld_offline.allowed_decisions``); the server stays the judge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Final

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from client.ui.models.rows_model import Column, Index, RowsModel
from client.ui.reading_words import register_name, status_name
from client.ui.screens.handheld_words import (
    book_state_name,
    decision_name,
    finding_field,
    finding_name,
    finding_text,
    severity_name,
)
from shared_models.handheld import DecisionKind, Finding, FindingCode, RecordReport, Severity, ValidationReport
from shared_models.methods.handheld import BookView
from shared_models.methods.readings import ReadingStatus
from shared_models.rules.handheld_offline import allowed_decisions as rule_allowed_decisions

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # PySide6's stub says it returns object
        ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

#: Row backgrounds by severity (light, so the text stays readable).
SEVERITY_COLOURS: Final = {Severity.ERROR: "#f8d7da", Severity.WARNING: "#fff3cd", Severity.INFO: "#dbeafe"}
#: The background of a row the reader has decided.
DECIDED_COLOUR: Final = "#d4edda"
#: Sort key of the severities (errors first).
_RANK: Final = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2, None: 3}
#: The data role the proxy sorts by (a number where the column is one).
SORT_ROLE: Final = Qt.ItemDataRole.UserRole + 1
_ROLES: Final = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ToolTipRole,
                           Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole, SORT_ROLE})


def _accepted_text(book: BookView) -> str:
    return f"{book.accepted_records} / {book.package_records}" if book.package_records else ""


class BooksModel(RowsModel[BookView]):
    """The reader's books of the period with their hand-over state."""

    CONTEXT = "BooksModel"
    COLUMNS: ClassVar[tuple[Column[Any], ...]] = (
        Column(QT_TRANSLATE_NOOP("BooksModel", "Book"), lambda b: b.book_code),
        Column(QT_TRANSLATE_NOOP("BooksModel", "Name"), lambda b: b.name),
        Column(QT_TRANSLATE_NOOP("BooksModel", "Reading day"), lambda b: b.reading_day, numeric=True),
        Column(QT_TRANSLATE_NOOP("BooksModel", "Customers"), lambda b: b.customers, numeric=True),
        Column(QT_TRANSLATE_NOOP("BooksModel", "State"), lambda b: book_state_name(b.state)),
        Column(QT_TRANSLATE_NOOP("BooksModel", "Accepted"), _accepted_text, numeric=True),
    )


@dataclass
class ReportRow:
    """A record of the report (or a stray line of the file) and the reader's decision on it."""

    seq: int | None
    customer_no: str
    name: str
    status: ReadingStatus | None
    values: str
    severity: Severity | None
    findings: list[Finding]
    #: The decision taken on an earlier upload (nothing more can be decided).
    decided: DecisionKind | None = None
    #: A line of the file that matches no record (a duplicate, a record not in the package).
    stray: bool = False
    decision: DecisionKind | None = None
    note: str = ""
    codes: set[FindingCode] = field(default_factory=set)

    @cached_property
    def sentences(self) -> list[str]:
        """Each finding in words (worded once: a 5 000-record report is painted, sorted and filtered often)."""
        return [finding_text(f) for f in self.findings]

    def text(self) -> str:
        """Every sentence of the row, for the tooltip and the free-text filter."""
        return "\n".join(self.sentences)

    @cached_property
    def haystack(self) -> str:
        """What the free-text filter searches, but the decision (it changes)."""
        return " ".join((str(self.seq or ""), self.customer_no, self.name, self.values, self.text(),
                         *(finding_name(c) for c in self.codes))).casefold()


def rows_of(report: ValidationReport) -> list[ReportRow]:
    """The report's records in sequence order, then its stray lines (duplicates, records not in the package)."""
    rows = [_record_row(r) for r in sorted(report.records, key=lambda r: r.seq)]
    for finding in report.strays:
        if finding.code is FindingCode.DUPLICATE:
            continue  # its record carries the finding too
        rows.append(ReportRow(seq=finding.seq, customer_no=finding.customer_no or "", name="", status=None,
                              values="", severity=finding.severity, findings=[finding], stray=True,
                              codes={finding.code}))
    return rows


def _record_row(record: RecordReport) -> ReportRow:
    values = "  ".join(f"{register_name(r)} {v}" for r, v in record.values.items())
    return ReportRow(seq=record.seq, customer_no=record.customer_no, name=record.name, status=record.status,
                     values=values, severity=record.severity, findings=list(record.findings),
                     decided=record.decided, codes={f.code for f in record.findings})


def allowed_decisions(row: ReportRow) -> frozenset[DecisionKind]:
    """The decisions the server allows on ``row`` (none for a stray line or a record decided before)."""
    if row.stray or row.decided is not None or row.seq is None:
        return frozenset()
    # without an error finding, a record without a status is one that came back without a reading
    return rule_allowed_decisions(row.findings, has_reading=row.status is not None)


def _decision_text(row: ReportRow) -> str:
    if row.decided is not None:
        return decision_name(row.decided)
    if row.decision is None:
        return ""
    text = decision_name(row.decision)
    return f"{text}: {row.note}" if row.note else text


def _fields_text(row: ReportRow) -> str:
    return ", ".join(dict.fromkeys(finding_field(f.field) for f in row.findings if f.field))


def _first_finding(row: ReportRow) -> str:
    if not row.sentences:
        return ""
    text = row.sentences[0]
    return text if len(row.sentences) == 1 else f"{text} (+{len(row.sentences) - 1})"


class ReportModel(RowsModel[ReportRow]):
    """The validation report: a row per record, coloured by severity, with the reader's decision."""

    CONTEXT = "ReportModel"
    COLUMNS: ClassVar[tuple[Column[Any], ...]] = (
        Column(QT_TRANSLATE_NOOP("ReportModel", "No."), lambda r: "" if r.seq is None else r.seq, numeric=True),
        Column(QT_TRANSLATE_NOOP("ReportModel", "Account"), lambda r: r.customer_no),
        Column(QT_TRANSLATE_NOOP("ReportModel", "Name"), lambda r: r.name),
        Column(QT_TRANSLATE_NOOP("ReportModel", "Status"), lambda r: "" if r.status is None else status_name(r.status)),
        Column(QT_TRANSLATE_NOOP("ReportModel", "Reading"), lambda r: r.values),
        Column(QT_TRANSLATE_NOOP("ReportModel", "Severity"), lambda r: severity_name(r.severity)),
        Column(QT_TRANSLATE_NOOP("ReportModel", "Field"), _fields_text),
        Column(QT_TRANSLATE_NOOP("ReportModel", "Finding"), _first_finding),
        Column(QT_TRANSLATE_NOOP("ReportModel", "Decision"), _decision_text),
    )
    SEQ, SEVERITY, FINDING, DECISION = 0, 5, 7, 8

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Cells, and a background by severity (decided rows green); the sort key under :data:`SORT_ROLE`."""
        if role not in _ROLES:  # the view asks a dozen roles per cell: answer the others at once
            return None
        row = self.row_at(index.row()) if index.isValid() else None
        if row is not None and role == Qt.ItemDataRole.BackgroundRole:
            return self._background(row)
        if row is not None and role == SORT_ROLE:  # numbers where the column is one: compared natively
            return self._sort_key(row, index)
        return super().data(index, role)

    @staticmethod
    def _background(row: ReportRow) -> QBrush | None:
        if row.decision is not None or row.decided is not None:
            return QBrush(QColor(DECIDED_COLOUR))
        colour = SEVERITY_COLOURS.get(row.severity) if row.severity is not None else None
        return QBrush(QColor(colour)) if colour else None

    def _sort_key(self, row: ReportRow, index: Index) -> object:
        if index.column() == self.SEQ:
            return row.seq if row.seq is not None else 1_000_000_000
        if index.column() == self.SEVERITY:
            return _RANK[row.severity]
        return super().data(index, Qt.ItemDataRole.DisplayRole)

    def tooltip(self, row: ReportRow, column: int) -> str | None:
        """Every finding of the row in words."""
        return row.text() or None

    def background(self, row: int) -> str | None:
        """The colour a row is painted in (tests read it)."""
        brush = self.data(self.index(row, 0), Qt.ItemDataRole.BackgroundRole)
        return brush.color().name() if isinstance(brush, QBrush) else None

    def changed(self) -> None:
        """Decisions changed: every row's colour and its decision cell (two signals, however many rows were
        marked; a fitted table measures the decision column again, nothing else)."""
        if self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(self.index(0, 0), self.index(last, len(self.COLUMNS) - 1),
                                  [Qt.ItemDataRole.BackgroundRole])
            self.dataChanged.emit(self.index(0, self.DECISION), self.index(last, self.DECISION),
                                  [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole])


class ReportProxy(QSortFilterProxyModel):
    """The report filtered by severity, finding code, reading status and free text; sorted by sequence."""

    #: The status filter's value for "no reading came back".
    NO_READING: Final = "none"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.severity: Severity | None = None
        self.code: FindingCode | None = None
        self.status: str | None = None
        self.text = ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column``; by sequence ascending the report's own order (records by sequence, then the stray
        lines) is kept without comparing: a sort of 5 000 rows asks the model for ~70 000 keys."""
        if column == ReportModel.SEQ and order == Qt.SortOrder.AscendingOrder:
            super().sort(-1)
            return
        super().sort(column, order)

    def set_filter(self, *, severity: Severity | None, code: FindingCode | None, status: str | None,
                   text: str) -> None:
        """Show only the rows matching every filter given (None / empty: any)."""
        # One reset, not a signal per range of rows that comes or goes: a view fitting its columns on each
        # signal (TableFit) would otherwise measure a 5 000-row report hundreds of times.
        self.beginResetModel()
        self.severity, self.code, self.status, self.text = severity, code, status, text.strip().casefold()
        self.endResetModel()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        """Does the row match the filters?"""
        model = self.sourceModel()
        if not isinstance(model, ReportModel):
            return True
        row = model.row_at(source_row)
        return row is not None and self._matches(row)

    def _matches(self, row: ReportRow) -> bool:
        if self.severity is not None and not any(f.severity is self.severity for f in row.findings):
            return False
        if self.code is not None and self.code not in row.codes:
            return False
        if self.status is not None and (row.status.value if row.status else self.NO_READING) != self.status:
            return False
        return not self.text or self.text in row.haystack or self.text in _decision_text(row).casefold()
