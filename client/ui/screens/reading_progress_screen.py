"""The supervisor's reading completion screen (Perm.APPROVE): a period's books and readers, and a chart of them.

It fetches ``books.get_completion`` off the GUI thread for the period picked and shows one table per book
(reader, customers, records, sent, returned, accepted, anomalies open, state), one per reader (their totals) and
a stacked bar per reader: accepted, returned but not accepted, still on the handheld, not sent. The figures are
the server's; the screen only splits each bar (``bar_parts``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from client.ui.book_words import reader_text, state_name
from client.ui.context import UiContext
from client.ui.ops import Op
from client.ui.widgets.date_edits import period_edit, period_of
from client.ui.widgets.stacked_bars import Bar, Segment, StackedBars
from shared_models.methods.reading_books import GET_COMPLETION, CompletionReport, CompletionRequest
from shared_models.rules.hall_time import hall_now

#: The chart's colours: accepted, returned (not accepted), on the handheld, not sent.
COLORS = (QColor("#2e7d32"), QColor("#f9a825"), QColor("#1565c0"), QColor("#bdbdbd"))


def bar_parts(*, records: int, sent: int, returned: int, accepted: int) -> tuple[int, int, int, int]:
    """A bar's parts: accepted, returned but not accepted, sent but not returned, not sent (never negative)."""
    return (accepted, max(returned - accepted, 0), max(sent - returned, 0), max(records - sent, 0))


class ReadingProgressScreen(QWidget):
    """Reading completion of the hall's books in a period, per book and per reader, with a chart."""

    #: A report arrived and is shown.
    completion_loaded = Signal()

    def __init__(self, *, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readingProgressScreen")
        self._ctx = ctx
        self.report: CompletionReport | None = None
        today = hall_now().date()
        self.period_edit = period_edit("progressPeriodEdit", today.year * 100 + today.month)
        self.refresh_button = QPushButton(self.tr("Show"))
        self.refresh_button.setObjectName("progressRefreshButton")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("progressSummaryLabel")
        self.summary_label.setWordWrap(True)
        self.book_table = self._table("progressBookTable", [
            self.tr("Book"), self.tr("Name"), self.tr("Reader"), self.tr("Customers"), self.tr("Records"),
            self.tr("Sent"), self.tr("Returned"), self.tr("Accepted"), self.tr("Anomalies open"), self.tr("State")])
        self.reader_table = self._table("progressReaderTable", [
            self.tr("Reader"), self.tr("Books"), self.tr("Records"), self.tr("Sent"), self.tr("Returned"),
            self.tr("Accepted"), self.tr("Anomalies open")])
        self.chart = StackedBars()
        self.chart.setObjectName("progressChart")
        self.segments = [Segment(name, color) for name, color in zip(
            (self.tr("Accepted"), self.tr("Returned, not accepted"), self.tr("On handheld, not returned"),
             self.tr("Not sent")), COLORS,
            strict=True)]

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Period")))
        bar.addWidget(self.period_edit)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        lower = QWidget()
        lower_layout = QHBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.reader_table)
        lower_layout.addWidget(self.chart, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.book_table)
        splitter.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary_label)
        layout.addWidget(splitter, 1)
        self.refresh_button.clicked.connect(self.refresh)

    def _table(self, name: str, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setObjectName(name)
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def activate(self) -> None:
        """The screen became visible: load the period's figures."""
        self.refresh()

    def refresh(self) -> None:
        """Fetch the completion of the period picked."""
        rpc, req = self._ctx.rpc, CompletionRequest(period=period_of(self.period_edit))
        Op(parent=self, run=lambda: rpc.call(GET_COMPLETION, req), busy=[self.refresh_button], key="completion") \
            .on_success(self._show).on_failure(lambda exc: self._ctx.report_error(self, exc)).start()

    def _show(self, report: CompletionReport) -> None:
        self.report = report
        self._fill(self.book_table, [
            [b.book_code, b.name, reader_text(b.reader, b.reader_name), b.customers, b.records, b.sent,
             b.returned, b.accepted, b.anomalies_open, state_name(b.state)] for b in report.books])
        self._fill(self.reader_table, [
            [reader_text(r.reader, r.reader_name), r.books, r.records, r.sent, r.returned, r.accepted,
             r.anomalies_open] for r in report.readers])
        self._fit_width(self.reader_table)
        self.chart.set_data(self.segments, [
            Bar(reader_text(r.reader, r.reader_name),
                bar_parts(records=r.records, sent=r.sent, returned=r.returned, accepted=r.accepted))
            for r in report.readers])
        records = sum(r.records for r in report.readers)
        accepted = sum(r.accepted for r in report.readers)
        anomalies = sum(r.anomalies_open for r in report.readers)
        self.summary_label.setText(self.tr(
            "{period}: {books} books, {accepted} of {records} records accepted, anomalies open: {anomalies}.").format(
            period=f"{report.period // 100}-{report.period % 100:02d}", books=len(report.books), accepted=accepted,
            records=records, anomalies=anomalies))
        self.completion_loaded.emit()

    @staticmethod
    def _fit_width(table: QTableWidget) -> None:
        """The reader table as wide as its columns (no sideways scroll bar); the chart takes what is left."""
        header = table.horizontalHeader()
        header.setStretchLastSection(False)  # a stretched section would measure the table, not its columns
        table.resizeColumnsToContents()
        width = header.length() + 2 * table.frameWidth() + table.verticalScrollBar().sizeHint().width()
        table.setMinimumWidth(width)
        table.setMaximumWidth(width)

    @staticmethod
    def _fill(table: QTableWidget, rows: list[list[object]]) -> None:
        table.setRowCount(len(rows))
        for row, cells in enumerate(rows):
            for column, value in enumerate(cells):
                item = QTableWidgetItem(str(value))
                if isinstance(value, int):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(row, column, item)
