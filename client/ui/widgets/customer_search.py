"""One search box for every kind of customer key, with its ranked results (``customer.search_customers``).

The box says what it recognises as the cashier types (户号, bill barcode, phone, meter number, name or
address: ``shared_models.search_keys``, the same rules the server applies). Keyboard first:

=================  ===========================================================================
Enter              in the box: search; in the results: open the customer
Esc                clear the box and the results (when both are empty, Esc goes on to the screen)
Down / Up          from the box into the results, and from the first row back to the box
F3                 more results (the next page)
F4                 search as another kind (auto, 户号, barcode, phone, meter, name, address)
=================  ===========================================================================

A scanner that types like a keyboard needs nothing special: the barcode's digits and its Enter are a
search, and a single exact hit (户号, barcode, meter number) opens the customer at once.
Searches run in an ``Op``; a result that arrives after a newer search started is dropped.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from client.core.rpc_client import SESSION_LOST_CODES, RpcError, make_request
from client.core.sync import LinkState, online_or_cached
from client.ui.context import UiContext
from client.ui.errors import error_text
from client.ui.messages import error_message
from client.ui.models.search_table_model import SearchTableModel
from client.ui.ops import Op
from shared_models.errors import ErrorCode
from shared_models.methods.customers import SEARCH, SearchKind, SearchRequest, SearchResult
from shared_models.search_keys import MAX_QUERY_LENGTH, parse

#: Kinds whose single hit is the customer the cashier means: opened without another key press.
EXACT_KINDS = frozenset({SearchKind.CUSTOMER_NO, SearchKind.BARCODE, SearchKind.METER})
#: Rows per page.
PAGE = 50
_CHOICES: tuple[SearchKind | None, ...] = (None, *SearchKind)
_RETURN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class CustomerSearchWidget(QWidget):
    """Search box, recognised kind, results table and "more"; emits the 户号 the cashier chose."""

    customerChosen = Signal(str)  # the 户号; named as the cashier desk connects to it
    results_shown = Signal(int)  # rows in the table after a search or a "more"

    def __init__(self, *, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerSearch")
        self._ctx = ctx
        self._generation = 0
        self._last: SearchResult | None = None
        self._request: SearchRequest | None = None
        self._build()
        self.search_box.textChanged.connect(self._show_kind)
        self.search_box.returnPressed.connect(self.search)
        self.kind_choice.currentIndexChanged.connect(self._show_kind)
        self.results_view.doubleClicked.connect(lambda index: self._choose(index.row()))
        self.more_button.clicked.connect(self.more)
        self.search_box.installEventFilter(self)
        self.results_view.installEventFilter(self)
        scope = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence(Qt.Key.Key_F3), self, self.more, context=scope)
        QShortcut(QKeySequence(Qt.Key.Key_F4), self, self.next_kind, context=scope)
        self._show_kind()

    def _build(self) -> None:
        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setMaxLength(MAX_QUERY_LENGTH)
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setPlaceholderText(
            self.tr("Account no., bill barcode, phone, meter no., name or address — Enter searches"))
        self.kind_label = QLabel()
        self.kind_label.setObjectName("searchKindLabel")
        self.kind_label.setMinimumWidth(90)
        self.kind_choice = QComboBox()
        self.kind_choice.setObjectName("searchKindChoice")
        self.kind_choice.setToolTip(self.tr("Search as (F4)"))
        for kind in _CHOICES:
            self.kind_choice.addItem(self.kind_name(kind))
        self.message_label = QLabel()
        self.message_label.setObjectName("searchMessage")
        self.message_label.setWordWrap(True)

        self.model = SearchTableModel(self)
        self.results_view = QTableView()
        self.results_view.setObjectName("searchResults")
        self.results_view.setModel(self.model)
        self.results_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results_view.setTabKeyNavigation(False)
        header = self.results_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SearchTableModel.ADDRESS, QHeaderView.ResizeMode.Stretch)
        self.more_button = QPushButton(self.tr("More results (F3)"))
        self.more_button.setObjectName("moreResults")
        self.more_button.setEnabled(False)

        top = QHBoxLayout()
        top.addWidget(self.search_box, 1)
        top.addWidget(self.kind_label)
        top.addWidget(self.kind_choice)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message_label, 1)
        bottom.addWidget(self.more_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.results_view, 1)
        layout.addLayout(bottom)
        self.setFocusProxy(self.search_box)

    # --- what the cashier typed ------------------------------------------------------------------------

    def kind_name(self, kind: SearchKind | None) -> str:
        """The translated name of a kind of key (None: recognised automatically)."""
        names = {
            None: self.tr("Auto"), SearchKind.CUSTOMER_NO: self.tr("Account no."),
            SearchKind.BARCODE: self.tr("Bill barcode"), SearchKind.PHONE: self.tr("Phone"),
            SearchKind.METER: self.tr("Meter no."), SearchKind.NAME: self.tr("Name"),
            SearchKind.ADDRESS: self.tr("Address"),
        }
        return names[kind]

    @property
    def forced_kind(self) -> SearchKind | None:
        """The kind chosen with F4 or the list, or None to recognise it."""
        return _CHOICES[max(self.kind_choice.currentIndex(), 0)]

    def next_kind(self) -> None:
        """F4: search as the next kind (Auto → 户号 → … → address → Auto)."""
        self.kind_choice.setCurrentIndex((self.kind_choice.currentIndex() + 1) % len(_CHOICES))

    def _show_kind(self) -> None:
        text = self.search_box.text()
        key = parse(text, self.forced_kind) if text.strip() else None
        if key is not None:
            self.kind_label.setText(self.kind_name(key.kind))
        else:
            self.kind_label.setText(self.tr("Not a key yet") if text.strip() else "—")

    # --- searching -----------------------------------------------------------------------------------

    def search(self) -> None:
        """Search for what is in the box (Enter); a text that is no key is explained, not sent."""
        text = self.search_box.text()
        kind = self.forced_kind
        if parse(text, kind) is None:
            self._generation += 1  # a search still running must not fill the table now
            self._show(None)
            self._say(error_message(ErrorCode.SEARCH_QUERY_INVALID))
            return
        self._say(self.tr("Searching…"))
        self._request = None
        self._run(text=text, kind=kind, offset=0)

    def more(self) -> None:
        """F3: fetch the next page of the last search and add it to the table."""
        last, request = self._last, self._request
        if last is None or request is None or not last.has_more:
            return
        self._run(text=request.query, kind=request.kind, offset=self.model.rowCount())

    def _run(self, *, text: str, kind: SearchKind | None, offset: int) -> None:
        self._generation += 1
        generation = self._generation
        rpc, cache, sync = self._ctx.rpc, self._ctx.cache, self._ctx.sync
        link = sync.link if sync is not None else LinkState.UNKNOWN

        def work() -> tuple[SearchRequest, SearchResult]:
            req = make_request(SearchRequest, query=text, kind=kind, offset=offset, limit=PAGE)

            def cached() -> SearchResult:  # the link is down: the hall's cached customers, one page
                if offset:
                    return SearchResult(kind=req.kind or SearchKind.NAME, query=text, items=[], offset=offset,
                                        has_more=False)
                assert cache is not None
                return cache.search(text, limit=PAGE)

            found, _ = online_or_cached(lambda: rpc.call(SEARCH, req), cached if cache is not None else None,
                                        link=link)
            return req, found

        busy = [self.more_button] if offset else []
        Op(parent=self, run=work, busy=busy, key=f"search-{generation}") \
            .on_success(lambda answer: self._on_result(generation, *answer)) \
            .on_failure(lambda exc: self._on_failed(generation, exc)) \
            .start()

    def _on_result(self, generation: int, request: SearchRequest, result: SearchResult) -> None:
        if generation != self._generation:
            return  # a newer search (or a clear) came after this one
        self._request, self._last = request, result
        if result.offset == 0:
            self.model.set_hits(result.items)
        else:
            self.model.append_hits(result.items)
        self.more_button.setEnabled(result.has_more)
        rows = self.model.rowCount()
        if rows == 0:
            self._say(self.tr("No customer found."))
        elif result.has_more:
            self._say(self.tr("{count} customers shown; F3 shows more.").format(count=rows))
        else:
            self._say(self.tr("{count} customers found.").format(count=rows))
        if result.offset == 0 and rows:
            self.results_view.selectRow(0)
        self.results_shown.emit(rows)
        if result.offset == 0 and rows == 1 and not result.has_more and result.kind in EXACT_KINDS:
            self._choose(0)

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if isinstance(exc, RpcError) and exc.code in SESSION_LOST_CODES:
            self._ctx.report_error(self, exc)
            return
        if generation == self._generation:
            self._say(error_text(exc))

    def _show(self, result: SearchResult | None) -> None:
        self._last = result
        self.model.set_hits(result.items if result else [])
        self.more_button.setEnabled(False)

    def _say(self, text: str) -> None:
        self.message_label.setText(text)

    def _choose(self, row: int) -> None:
        hit = self.model.hit_at(row)
        if hit is not None:
            self.customerChosen.emit(hit.customer_no)

    def clear(self) -> None:
        """Esc: empty box, no results, automatic kind; the cursor back in the box."""
        self._generation += 1
        self._request = None
        self.search_box.clear()
        self.kind_choice.setCurrentIndex(0)
        self._show(None)
        self._say("")
        self.search_box.setFocus(Qt.FocusReason.OtherFocusReason)

    def activate(self) -> None:
        """Put the cursor in the box with its text selected, ready for a new key or a scan."""
        self.search_box.setFocus(Qt.FocusReason.OtherFocusReason)
        self.search_box.selectAll()

    # --- keys ------------------------------------------------------------------------------------------

    def _has_content(self) -> bool:
        return bool(self.search_box.text()) or self.model.rowCount() > 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Esc, Down/Up and Enter between the box and the results (see the module docstring)."""
        if not isinstance(event, QKeyEvent):
            return False
        escape = event.key() == Qt.Key.Key_Escape and self._has_content()
        if event.type() == QEvent.Type.ShortcutOverride:
            # Claim Esc from the screen's own Esc shortcut while there is something to clear.
            if escape:
                event.accept()
            return escape
        if event.type() != QEvent.Type.KeyPress:
            return False
        if escape:
            self.clear()
            return True
        if watched is self.search_box:
            return self._box_key(event)
        return watched is self.results_view and self._table_key(event)

    def _box_key(self, event: QKeyEvent) -> bool:
        if event.key() == Qt.Key.Key_Down and self.model.rowCount():
            self.results_view.setFocus(Qt.FocusReason.OtherFocusReason)
            if not self.results_view.currentIndex().isValid():
                self.results_view.selectRow(0)
            return True
        return False

    def _table_key(self, event: QKeyEvent) -> bool:
        current = self.results_view.currentIndex()
        if event.key() in _RETURN_KEYS and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if current.isValid():
                self._choose(current.row())
            return True
        if event.key() == Qt.Key.Key_Up and current.row() <= 0:
            self.search_box.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        return False
