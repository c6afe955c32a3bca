"""The billing clerk's Reading books screen (Perm.BILLING): the hall's books, their readers and state, Assign….

It lists ``books.list_books`` for the period picked (reader, reading day, window, customers, this period's
hand-over state) off the GUI thread; **Assign…** opens :class:`BookAssignDialog` for the selected book with the
hall's active meter readers, and the list is fetched again once the server stored the assignment.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from client.ui.book_words import reader_text, state_name
from client.ui.context import UiContext
from client.ui.ops import Op
from client.ui.screens.book_assign_dialog import BookAssignDialog
from client.ui.widgets.date_edits import period_edit, period_of
from shared_models.methods.reading_books import LIST_READING_BOOKS, ListReadingBooksRequest, ReadingBookPage
from shared_models.rules.hall_time import hall_now


class ReadingBooksScreen(QWidget):
    """The hall's reading books for the billing clerk, each assignable to a meter reader."""

    #: A page of books arrived and is shown.
    books_loaded = Signal()

    def __init__(self, *, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readingBooksScreen")
        self._ctx = ctx
        self.page: ReadingBookPage | None = None
        today = hall_now().date()
        self.period_edit = period_edit("booksPeriodEdit", today.year * 100 + today.month)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("booksRefreshButton")
        self.assign_button = QPushButton(self.tr("Assign…"))
        self.assign_button.setObjectName("booksAssignButton")
        self.assign_button.setEnabled(False)
        headers = [self.tr("Book"), self.tr("Name"), self.tr("Reader"), self.tr("Reading day"), self.tr("Window"),
                   self.tr("Customers"), self.tr("State")]
        self.table = QTableWidget(0, len(headers))
        self.table.setObjectName("booksTable")
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Period")))
        bar.addWidget(self.period_edit)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        bar.addWidget(self.assign_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.refresh_button.clicked.connect(self.refresh)
        self.assign_button.clicked.connect(self.open_assign)
        self.table.itemSelectionChanged.connect(self._render_buttons)
        self.table.doubleClicked.connect(lambda _index: self.open_assign())

    def activate(self) -> None:
        """The screen became visible: load the books."""
        self.refresh()

    def refresh(self) -> None:
        """Fetch the hall's books for the period picked."""
        rpc, req = self._ctx.rpc, ListReadingBooksRequest(period=period_of(self.period_edit))
        Op(parent=self, run=lambda: rpc.call(LIST_READING_BOOKS, req), busy=[self.refresh_button], key="list") \
            .on_success(self._show).on_failure(lambda exc: self._ctx.report_error(self, exc)).start()

    def _show(self, page: ReadingBookPage) -> None:
        chosen = self.selected_code()
        self.page = page
        self.table.setRowCount(len(page.books))
        for row, book in enumerate(page.books):
            cells: list[object] = [book.book_code, book.name, reader_text(book.reader, book.reader_name),
                                   book.reading_day, self.tr("± {days} days").format(days=book.window_days),
                                   book.customers, state_name(book.state)]
            for column, value in enumerate(cells):
                item = QTableWidgetItem(str(value))
                if isinstance(value, int):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
            if book.book_code == chosen:
                self.table.selectRow(row)
        self._render_buttons()
        self.books_loaded.emit()

    def selected_code(self) -> str | None:
        """The book code of the selected row, or None."""
        rows = self.table.selectionModel().selectedRows()
        if not rows or self.page is None or rows[0].row() >= len(self.page.books):
            return None
        return self.page.books[rows[0].row()].book_code

    def _render_buttons(self) -> None:
        self.assign_button.setEnabled(self.selected_code() is not None)

    def open_assign(self) -> BookAssignDialog | None:
        """Open the assignment dialog of the selected book (None without one)."""
        code = self.selected_code()
        if code is None or self.page is None:
            return None
        book = next(b for b in self.page.books if b.book_code == code)
        dialog = BookAssignDialog(ctx=self._ctx, book=book, readers=self.page.readers, parent=self)
        dialog.book_assigned.connect(lambda _row: self.refresh())
        dialog.open()
        return dialog
