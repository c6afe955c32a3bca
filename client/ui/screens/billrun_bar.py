"""The top bar of the Bill runs screen: which book (抄表段) and period, **Open**, and **Calculate** with its progress.

**Calculate** prices the book's customers chunk by chunk, one ``billrun.calculate_run`` call per chunk, each in
its own ``Op`` (the GUI thread never waits); the bar follows the server's count of customers priced. The bar
says what happened by signals (each chunk's ``RunSummary``, the last one, a failure); the screen shows the run
and loads its drafts. One ``ActionSlot`` holds the calculation's key, so a retry after a lost answer is the
same action.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from client.core.actions import ActionSlot
from client.core.rpc_client import make_request
from client.ui.context import UiContext
from client.ui.ops import Op
from shared_models.methods.billruns import (
    CALCULATE_RUN,
    LIST_RUNS,
    CalculateRunRequest,
    ListRunsRequest,
    RunList,
    RunState,
    RunSummary,
)
from shared_models.rules.hall_time import hall_now

#: Customers priced per ``billrun.calculate_run`` call: small enough for the bar to move on a small book.
CHUNK_SIZE = 200


class RunBar(QWidget):
    """Book, period, Open, Calculate and the progress of the calculation."""

    #: A chunk was priced (its ``RunSummary``; the run may still be calculating).
    progressed = Signal(object)
    #: The calculation finished (the run's ``RunSummary``).
    calculated = Signal(object)
    #: Listing the books or a chunk failed (the exception).
    failed = Signal(object)

    def __init__(self, *, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("billRunBar")
        self._ctx = ctx
        self.chunk_size = CHUNK_SIZE
        self.slot = ActionSlot()
        self.book_combo = QComboBox()
        self.book_combo.setObjectName("bookCombo")
        self.book_combo.setEditable(True)
        self.book_combo.setMinimumContentsLength(10)
        self.period_edit = QDateEdit()
        self.period_edit.setObjectName("periodEdit")
        self.period_edit.setDisplayFormat("yyyy-MM")
        previous = hall_now().date().replace(day=1) - dt.timedelta(days=1)  # runs bill the month just read
        self.period_edit.setDate(QDate(previous.year, previous.month, 1))
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.setObjectName("openRunButton")
        self.calculate_button = QPushButton(self.tr("Calculate"))
        self.calculate_button.setObjectName("calculateButton")
        self.progress = QProgressBar()
        self.progress.setObjectName("calculateProgress")
        self.progress.setFormat(self.tr("%v of %m customers"))
        self.progress.setValue(0)
        bar = QHBoxLayout(self)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(QLabel(self.tr("Book")))
        bar.addWidget(self.book_combo, 1)
        bar.addWidget(QLabel(self.tr("Period")))
        bar.addWidget(self.period_edit)
        bar.addWidget(self.open_button)
        bar.addWidget(self.calculate_button)
        bar.addWidget(self.progress, 1)

    def activate(self) -> None:
        """Offer the books that have runs."""
        rpc = self._ctx.rpc
        Op(parent=self, run=lambda: rpc.call(LIST_RUNS, ListRunsRequest()), key="books") \
            .on_success(self._on_runs_listed).on_failure(self.failed.emit).start()

    def _on_runs_listed(self, runs: RunList) -> None:
        typed = self.book_combo.currentText()
        books = sorted({r.book_code for r in runs.runs})
        self.book_combo.clear()
        self.book_combo.addItems(books)
        self.book_combo.setEditText(typed or (books[0] if books else ""))

    def set_run(self, book_code: str, period: int) -> None:
        """Choose the book and period (nothing is fetched)."""
        self.book_combo.setEditText(book_code)
        self.period_edit.setDate(QDate(period // 100, period % 100, 1))

    def book_code(self) -> str:
        """The book typed or picked."""
        return self.book_combo.currentText().strip()

    def period(self) -> int:
        """The period chosen, ``YYYYMM``."""
        chosen = self.period_edit.date()
        return chosen.year() * 100 + chosen.month()

    def show_progress(self, run: RunSummary) -> None:
        """The bar at the run's count of customers priced."""
        self.progress.setMaximum(max(run.customers_total, 1))
        self.progress.setValue(run.customers_done)

    def calculate(self) -> None:
        """Price the chosen run chunk by chunk (the screen checked that a book is chosen)."""
        self.calculate_button.setEnabled(False)
        self._step()

    def _step(self) -> None:
        rpc, slot = self._ctx.rpc, self.slot
        book, period, chunk = self.book_code(), self.period(), self.chunk_size
        action = slot.confirm((book, period))

        def work() -> RunSummary:
            req = make_request(CalculateRunRequest, book_code=book, period=period, chunk_size=chunk)
            return slot.attempt(action, lambda: rpc.send(CALCULATE_RUN, req, action=action))

        Op(parent=self, run=work, key="calculate").on_success(self._on_chunk).on_failure(self._on_failed).start()

    def _on_chunk(self, run: RunSummary) -> None:
        self.show_progress(run)
        self.progressed.emit(run)
        if run.state is RunState.CALCULATING:
            QTimer.singleShot(0, self, self._step)  # the next chunk, after the bar has been painted
            return
        self.calculate_button.setEnabled(True)
        self.calculated.emit(run)

    def _on_failed(self, exc: BaseException) -> None:
        self.calculate_button.setEnabled(True)
        self.failed.emit(exc)
