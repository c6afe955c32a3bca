"""The validation report of a returned file: the table, its filters, and the reader's decision on each record.

The panel shows what the server (or, offline, the counter) found: one row per record, coloured by severity,
filterable by severity, finding, status and free text, sorted by sequence. The reader selects rows and marks
them: accept, accept with note, estimate (估抄 by the previous consumption), re-read ordered; a decision the
record does not allow is greyed out (the server refuses it too). Sending the decisions is the screen's.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from client.ui.models.handheld_models import ReportModel, ReportProxy, ReportRow, allowed_decisions, rows_of
from client.ui.reading_words import status_name
from client.ui.screens.handheld_words import finding_name, severity_name
from client.ui.widgets.labels import wrapped_label
from client.ui.widgets.table_fit import RowDetails, TableFit
from shared_models.handheld import Decision, DecisionKind, FindingCode, Severity, ValidationReport
from shared_models.methods.readings import ReadingStatus

#: The longest note the server keeps with a decision.
NOTE_MAX = 200


class ReportPanel(QWidget):
    """The report table with its filters and decision buttons; ``decisions_changed`` after each mark."""

    decisions_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handheldReportPanel")
        self.report: ValidationReport | None = None
        self.summary_label = wrapped_label("handheldReportSummary")
        self.severity_combo = QComboBox()
        self.severity_combo.setObjectName("handheldSeverityFilter")
        self.code_combo = QComboBox()
        self.code_combo.setObjectName("handheldCodeFilter")
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("handheldStatusFilter")
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("handheldSearchEdit")
        self.search_edit.setPlaceholderText(self.tr("Search account, name, finding…"))
        self.search_edit.setClearButtonEnabled(True)
        self._fill_filters()

        self.model = ReportModel(self)
        self.proxy = ReportProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("handheldReportTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(ReportModel.SEQ, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Column widths from 60 rows (those in view first), not from every row of a 5 000-record book: measuring
        # a cell asks the model for a dozen roles, and the table is laid out on the GUI thread.
        self.table.horizontalHeader().setResizeContentsPrecision(60)
        self._build_table()
        self._build_marks()
        self._lay_out()
        for combo in (self.severity_combo, self.code_combo, self.status_combo):
            combo.currentIndexChanged.connect(self._apply_filter)
        self.search_edit.textChanged.connect(self._apply_filter)
        selection = self.table.selectionModel()
        selection.selectionChanged.connect(self._render_buttons)
        self.decisions_changed.connect(self._render_buttons)
        self._render_buttons()

    def _build_table(self) -> None:
        self.fit = TableFit(self.table, key=[ReportModel.SEQ, 1, ReportModel.SEVERITY, ReportModel.DECISION],
                            secondary=[ReportModel.FINDING, 3, 4, 2, 6], min_rows=6,
                            order=[0, 1, 2, 3, 4, 5, 6, 7, 8], fill=ReportModel.FINDING)
        self.details = RowDetails(self.fit, name="handheldReportDetails")

    def _build_marks(self) -> None:

        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("handheldNoteEdit")
        self.note_edit.setMaxLength(NOTE_MAX)
        self.note_edit.setPlaceholderText(self.tr("Note for “accept with note”"))
        self.decision_buttons: dict[DecisionKind, QPushButton] = {}
        for kind, text, name in (
                (DecisionKind.ACCEPT, self.tr("Accept"), "handheldAcceptRowButton"),
                (DecisionKind.ACCEPT_WITH_NOTE, self.tr("Accept with note"), "handheldNoteRowButton"),
                (DecisionKind.ESTIMATE, self.tr("Estimate"), "handheldEstimateRowButton"),
                (DecisionKind.REREAD, self.tr("Re-read"), "handheldRereadRowButton")):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(lambda _=False, k=kind: self.mark_selected(k))
            self.decision_buttons[kind] = button
        self.clear_button = QPushButton(self.tr("Undo mark"))
        self.clear_button.setObjectName("handheldClearRowButton")
        self.clear_button.clicked.connect(lambda: self.mark_selected(None))
        self.clean_button = QPushButton(self.tr("Accept all clean"))
        self.clean_button.setObjectName("handheldAcceptCleanButton")
        self.clean_button.setToolTip(self.tr("Mark every record without an error or warning as accepted."))
        self.clean_button.clicked.connect(self.accept_clean)
        self.hint_label = wrapped_label("handheldDecisionHint")

    def _lay_out(self) -> None:
        filters = QHBoxLayout()
        for widget in (self.severity_combo, self.code_combo, self.status_combo):
            filters.addWidget(widget)
        filters.addWidget(self.search_edit, 1)
        marks = QHBoxLayout()
        marks.addWidget(self.note_edit, 1)
        for button in (*self.decision_buttons.values(), self.clear_button, self.clean_button):
            marks.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary_label)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addLayout(marks)
        layout.addWidget(self.hint_label)

    def _fill_filters(self) -> None:
        self.severity_combo.addItem(self.tr("All severities"), None)
        for severity in Severity:
            self.severity_combo.addItem(severity_name(severity), severity.value)
        self.code_combo.addItem(self.tr("All findings"), None)
        for code in FindingCode:
            self.code_combo.addItem(finding_name(code), code.value)
        self.status_combo.addItem(self.tr("All statuses"), None)
        for status in ReadingStatus:
            self.status_combo.addItem(status_name(status), status.value)
        self.status_combo.addItem(self.tr("no reading"), ReportProxy.NO_READING)

    # --- showing a report ----------------------------------------------------------------------------

    def show_report(self, report: ValidationReport, *, summary: str) -> None:
        """Show ``report`` (its rows undecided) under ``summary``."""
        self.report = report
        self.summary_label.setText(summary)
        self.model.set_rows(rows_of(report))
        header = self.table.horizontalHeader()
        by_seq = (ReportModel.SEQ, Qt.SortOrder.AscendingOrder)
        if (header.sortIndicatorSection(), header.sortIndicatorOrder()) != by_seq:  # else the reset re-sorted
            self.table.sortByColumn(*by_seq)
        self.decisions_changed.emit()

    def clear(self) -> None:
        """No report shown."""
        self.report = None
        self.summary_label.clear()
        self.model.set_rows([])
        self.decisions_changed.emit()

    def set_filter(self, *, severity: Severity | None = None, code: FindingCode | None = None,
                   status: str | None = None, text: str = "") -> None:
        """Set the filters as the reader would (tests use it too)."""
        for combo, value in ((self.severity_combo, severity), (self.code_combo, code),
                             (self.status_combo, status)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(None if value is None else str(value))))
            combo.blockSignals(False)
        self.search_edit.blockSignals(True)
        self.search_edit.setText(text)
        self.search_edit.blockSignals(False)
        self._apply_filter()

    def _apply_filter(self) -> None:
        severity, code = self.severity_combo.currentData(), self.code_combo.currentData()
        self.proxy.set_filter(severity=None if severity is None else Severity(severity),
                              code=None if code is None else FindingCode(code),
                              status=self.status_combo.currentData(), text=self.search_edit.text())

    def shown_rows(self) -> list[ReportRow]:
        """The rows the filters let through, in the order shown."""
        out = []
        for row in range(self.proxy.rowCount()):
            found = self.model.row_at(self.proxy.mapToSource(self.proxy.index(row, 0)).row())
            if found is not None:
                out.append(found)
        return out

    # --- marking -------------------------------------------------------------------------------------

    def selected_rows(self) -> list[ReportRow]:
        """The rows selected, in the order shown."""
        selection = self.table.selectionModel()
        rows = sorted({self.proxy.mapToSource(i).row() for i in selection.selectedRows()})
        return [r for r in (self.model.row_at(i) for i in rows) if r is not None]

    def select_seqs(self, seqs: set[int]) -> None:
        """Select the rows of these record numbers (tests and the reader's "find")."""
        self.table.clearSelection()
        selection = self.table.selectionModel()
        chosen = QItemSelection()
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            found = self.model.row_at(self.proxy.mapToSource(index).row())
            if found is not None and found.seq in seqs and not found.stray:
                chosen.select(index, index)
        selection.select(chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect
                         | QItemSelectionModel.SelectionFlag.Rows)

    def mark_selected(self, kind: DecisionKind | None) -> None:
        """Mark the selected rows (an ``accept with note`` takes the note typed); None takes the mark off."""
        rows = self.selected_rows()
        note = self.note_edit.text().strip()
        if kind is DecisionKind.ACCEPT_WITH_NOTE and not note:
            self.hint_label.setText(self.tr("Type the note first, then press “Accept with note”."))
            return
        for row in rows:
            if row.decided is not None or row.stray:
                continue
            if kind is not None and kind not in allowed_decisions(row):
                continue
            row.decision = kind
            row.note = note if kind is DecisionKind.ACCEPT_WITH_NOTE else ""
        self.model.changed()
        self.hint_label.clear()
        self.decisions_changed.emit()

    def accept_clean(self) -> None:
        """Mark every open record with no error or warning as accepted."""
        for row in self.model.rows():
            if (row.decision is None and row.decided is None and row.severity in (None, Severity.INFO)
                    and DecisionKind.ACCEPT in allowed_decisions(row)):
                row.decision = DecisionKind.ACCEPT
        self.model.changed()
        self.decisions_changed.emit()

    def decisions(self) -> list[Decision]:
        """The decisions marked and not yet sent, by record number."""
        return [Decision(seq=r.seq, decision=r.decision, note=r.note or None)
                for r in sorted(self.model.rows(), key=lambda r: r.seq or 0)
                if r.decision is not None and r.decided is None and r.seq is not None]

    def open_flagged(self) -> int:
        """Records with a finding and no decision yet."""
        return sum(1 for r in self.model.rows()
                   if not r.stray and r.decided is None and r.decision is None and r.severity is not None)

    def _render_buttons(self) -> None:
        rows = [r for r in self.selected_rows() if r.decided is None and not r.stray]
        for kind, button in self.decision_buttons.items():
            button.setEnabled(bool(rows) and all(kind in allowed_decisions(r) for r in rows))
        self.clear_button.setEnabled(any(r.decision is not None for r in rows))
        self.clean_button.setEnabled(self.model.rowCount() > 0)

    def record_results(self, results: dict[int, DecisionKind]) -> None:
        """The accept's answer (or the queued acceptance): each record's decision, nothing more to mark."""
        for row in self.model.rows():
            if row.seq in results and not row.stray:
                row.decided = results[row.seq]
                row.decision = None
        self.model.changed()
        self.decisions_changed.emit()
