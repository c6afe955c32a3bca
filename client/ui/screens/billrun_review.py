"""The two halves of the Bill runs screen's review: the drafts table, and the selected draft's (or bill's) lines.

:class:`DraftFilterCombo` chooses which drafts the server lists and :func:`fetch_run` fetches them, every page.
:class:`DraftsTable` is the review table (``DraftsModel`` behind a sorting ``DraftsProxy``) with the selection
helpers the screen and its tests use: which draft is selected, the row of a customer. :class:`RunLinesPanel`
fetches and shows the lines of one draft (``billrun.get_draft``) or, once released, of its bill
(``bill.get_lines``) with the 电费通知单; a bill replaced by a 退补 is followed to the bill that replaced it, whose
title names the bill it corrects and why. Both only show what the server sent; nothing is priced here.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QTableView, QVBoxLayout, QWidget

from client.core.rpc_client import SESSION_LOST_CODES, RpcClient, RpcError, make_request
from client.ui.context import UiContext
from client.ui.errors import error_text
from client.ui.models.billrun_models import DraftsModel, DraftsProxy
from client.ui.ops import Op
from client.ui.widgets.bill_lines import BillLinesWidget
from client.ui.widgets.bill_notice_bar import BillNoticeBar
from shared_models.methods.billruns import (
    GET_DRAFT,
    GET_LINES,
    GET_RUN,
    BillLines,
    BillRequest,
    DraftDetail,
    DraftFilter,
    DraftRef,
    DraftRow,
    GetRunRequest,
    RunPage,
)

#: Drafts fetched per ``billrun.get_run`` page.
PAGE_SIZE = 500
#: How many 退补 of one bill are followed (a chain is one or two long; the bound only stops a loop).
MAX_CORRECTIONS = 20


class DraftFilterCombo(QComboBox):
    """Which drafts the review lists (the server filters)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftFilterCombo")
        for text, value in ((self.tr("All drafts"), DraftFilter.ALL),
                            (self.tr("Anomalies only"), DraftFilter.ANOMALIES), (self.tr("Held"), DraftFilter.HELD),
                            (self.tr("To release"), DraftFilter.PENDING), (self.tr("Released"), DraftFilter.RELEASED)):
            self.addItem(text, value.value)

    def which(self) -> DraftFilter:
        """The filter chosen."""
        return DraftFilter(self.currentData())

    def choose(self, which: DraftFilter) -> None:
        """Choose ``which`` (the screen reloads on the change)."""
        self.setCurrentIndex(self.findData(which.value))


def fetch_run(rpc: RpcClient, book_code: str, period: int, which: DraftFilter) -> RunPage:
    """The run of ``book_code`` and ``period`` with every draft ``which`` selects, page by page; from a worker."""
    page = rpc.call(GET_RUN, make_request(GetRunRequest, book_code=book_code, period=period, filter=which,
                                          limit=PAGE_SIZE))
    drafts = list(page.drafts)
    while page.has_more:
        page = rpc.call(GET_RUN, make_request(GetRunRequest, book_code=book_code, period=period, filter=which,
                                              offset=page.offset + PAGE_SIZE, limit=PAGE_SIZE))
        drafts.extend(page.drafts)
    return page.model_copy(update={"drafts": drafts, "offset": 0, "has_more": False})


class DraftsTable(QTableView):
    """The review table: one row per draft, sortable, one row selected at a time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftsTable")
        self.drafts = DraftsModel(self)
        self.sorted = DraftsProxy(self)
        self.sorted.setSourceModel(self.drafts)
        self.setModel(self.sorted)
        self.setSortingEnabled(True)
        self.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setStretchLastSection(True)

    def selected_draft(self) -> DraftRow | None:
        """The draft of the selected row."""
        index = self.currentIndex()
        if not index.isValid():
            return None
        return self.drafts.row_at(self.sorted.mapToSource(index).row())

    def row_of(self, customer_no: str) -> int:
        """The table row (as sorted) of ``customer_no``; -1 when it is not listed."""
        for row in range(self.sorted.rowCount()):
            draft = self.drafts.row_at(self.sorted.mapToSource(self.sorted.index(row, 0)).row())
            if draft is not None and draft.customer_no == customer_no:
                return row
        return -1

    def select_customer(self, customer_no: str) -> bool:
        """Select the row of ``customer_no``; False when it is not listed."""
        row = self.row_of(customer_no)
        if row < 0:
            return False
        self.setCurrentIndex(self.sorted.index(row, 0))
        return True

    def select_row(self, row: int) -> None:
        """Select ``row`` (as sorted); a row outside the table selects nothing."""
        if 0 <= row < self.sorted.rowCount():
            self.setCurrentIndex(self.sorted.index(row, 0))
        else:
            self.clearSelection()
            self.setCurrentIndex(self.sorted.index(-1, -1))


class RunLinesPanel(QWidget):
    """The lines of the selected draft or of its released bill, and the bill's 电费通知单."""

    #: The lines of a draft or a bill are shown.
    lines_shown = Signal()

    def __init__(self, *, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runLinesPanel")
        self._ctx = ctx
        #: The released bill shown (the last of its 退补 chain), None for a draft or nothing.
        self.bill: BillLines | None = None
        self.lines = BillLinesWidget()
        state = ctx.session.state
        self.notice = BillNoticeBar(hall_name=state.counter.hall_name if state is not None else "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.lines, 1)
        layout.addWidget(self.notice)

    def clear(self) -> None:
        """Nothing selected."""
        self.bill = None
        self.lines.clear()
        self.notice.set_bill(None)

    def show_draft(self, *, book_code: str, period: int, draft: DraftRow) -> None:
        """Fetch and show the lines of ``draft`` (of its bill once released)."""
        rpc = self._ctx.rpc
        self.bill = None
        self.lines.show_message(self.tr("Loading the lines of {customer_no}…").format(customer_no=draft.customer_no))
        bill_no = draft.bill_no
        if bill_no is not None:
            Op(parent=self, run=lambda: latest_bill(rpc, bill_no), key="lines") \
                .on_success(self._on_bill_lines).on_failure(self._on_failed).start()
            return
        ref = DraftRef(book_code=book_code, period=period, customer_no=draft.customer_no)
        Op(parent=self, run=lambda: rpc.call(GET_DRAFT, ref), key="lines") \
            .on_success(self._on_draft_lines).on_failure(self._on_failed).start()

    def _on_draft_lines(self, detail: DraftDetail) -> None:
        d = detail.draft
        if not detail.lines:
            self.lines.show_message(self.tr("The draft of {customer_no} could not be priced: see its anomalies.")
                                    .format(customer_no=d.customer_no), alert=True)
        else:
            self.lines.show_lines(title=self.tr("Draft of {customer_no} {name}, {start} to {end}, {kwh} kWh").format(
                customer_no=d.customer_no, name=d.customer_name, start=_day(d.period_from), end=_day(d.period_to),
                kwh=d.total_kwh), lines=detail.lines, total_fen=d.total_fen)
        self.notice.set_bill(None)
        self.lines_shown.emit()

    def _on_bill_lines(self, bill: BillLines) -> None:
        self.bill = bill
        title = self.tr("Bill {bill_no} of {customer_no} {name}, {start} to {end}, {kwh} kWh").format(
            bill_no=bill.bill_no, customer_no=bill.customer_no, name=bill.customer_name, start=_day(bill.period_from),
            end=_day(bill.period_to), kwh=bill.kwh)
        if bill.corrects_bill_no is not None:
            title += "\n" + self.tr("Refund/back-charge (退补): replaces bill {old}, which is reversed. Reason: "
                                    "{reason}").format(old=bill.corrects_bill_no, reason=bill.correction_reason or "")
        self.lines.show_lines(title=title, lines=bill.lines, total_fen=bill.amount_fen)
        self.notice.set_bill(bill)
        self.lines_shown.emit()

    def _on_failed(self, exc: BaseException) -> None:
        self.bill = None
        self.lines.show_message(error_text(exc), alert=True)
        self.notice.set_bill(None)
        if isinstance(exc, RpcError) and exc.code in SESSION_LOST_CODES:
            self._ctx.report_error(self, exc)


def latest_bill(rpc: RpcClient, bill_no: str) -> BillLines:
    """Bill ``bill_no``'s lines, or those of the bill that replaced it by 退补 (the last of the chain); from a
    worker."""
    bill = rpc.call(GET_LINES, BillRequest(bill_no=bill_no))
    for _ in range(MAX_CORRECTIONS):
        if bill.corrected_by_bill_no is None:
            break
        bill = rpc.call(GET_LINES, BillRequest(bill_no=bill.corrected_by_bill_no))
    return bill


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else ""
