"""离线队列 / Outbox (SPEC §5): what this counter took that the server has not confirmed, and what needs
attention.

The table lists this PC's outbox items (pending, needing attention, or all): receipt, account, amount, the
counter's clock when the cashier confirmed, the state, attempts, the server's last answer as a sentence,
and the server's clock when it booked the item — both clocks, so a counter whose clock is wrong shows it.

Below, the attention list from the server (``sync.list_attention``): for a supervisor the whole hall's
items refused on replay and offline payments whose money went to prepayment, for a cashier this counter's;
a supervisor acknowledges an item with a note. Every refresh first reports this counter's new attention
items to the server (``client.core.attention``), so they reach the supervisor's list. A damaged outbox set
aside at start-up is shown at the top with the way to the supervisor's acknowledgement.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from client.core.actions import ActionSlot
from client.core.attention import ReportRun, apply_acknowledgements, report_new_attention
from client.core.outbox.items import ItemState, OutboxCounts, OutboxItem
from client.core.rpc_client import SESSION_LOST_CODES, RpcError
from client.core.sync import LINK_CODES, SyncStatus
from client.ui.context import UiContext
from client.ui.errors import error_text
from client.ui.gui_thread import call_on_gui
from client.ui.models.outbox_model import AttentionModel, OutboxModel, clock_text
from client.ui.ops import Op, is_running
from client.ui.screens.damaged_outbox_dialog import DamagedOutboxDialog
from shared_models.errors import ErrorCode
from shared_models.methods.sync import (
    ACKNOWLEDGE_ATTENTION,
    LIST_ATTENTION,
    AcknowledgeAttentionRequest,
    AttentionItem,
    AttentionPage,
    DamagedOutboxAck,
    ListAttentionRequest,
)
from shared_models.roles import Perm

#: The filter choices: (object name suffix, states shown; None = all).
FILTERS: Final[tuple[tuple[str, tuple[ItemState, ...] | None], ...]] = (
    ("pending", (ItemState.PENDING,)),
    ("attention", (ItemState.ATTENTION,)),
    ("all", None),
)
#: Most local items shown at once (newest first).
MAX_SHOWN: Final = 500


def _table(name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class OutboxScreen(QWidget):
    """This counter's outbox and the attention list (see the module docstring)."""

    #: The local items were (re)loaded (``list[OutboxItem]``).
    items_loaded = Signal(object)
    #: The server's attention list arrived (``AttentionPage``).
    attention_loaded = Signal(object)
    #: A supervisor acknowledged an item (``AttentionItem``).
    acknowledged = Signal(object)
    #: The damaged outbox was acknowledged (``DamagedOutboxAck``): money may be taken again.
    damage_acknowledged = Signal(object)

    def __init__(self, *, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outboxScreen")
        self._ctx = ctx
        self.ack_action = ActionSlot()  # the acknowledgement waiting for an answer
        # The damaged-outbox acknowledgement waiting for an answer: it outlives the dialog.
        self.damage_action = ActionSlot()
        self._items_wanted = 0
        self.last_report: ReportRun | None = None
        #: The server's last attention list (acknowledged items included).
        self.attention_page: AttentionPage | None = None
        self.damage_dialog: DamagedOutboxDialog | None = None

        self.title_label = QLabel(self.tr("Outbox: payments taken at this counter"))
        self.title_label.setStyleSheet("font-weight: bold;")
        self.counts_label = QLabel()
        self.counts_label.setObjectName("outboxCountsLabel")
        self.damage_box = self._build_damage_box()

        bar = self._build_bar()
        self.model = OutboxModel(self)
        self.table = _table("outboxTable")
        self.table.setModel(self.model)
        self.no_outbox_label = QLabel(self.tr("This PC has no outbox: it takes no payments."))
        self.no_outbox_label.setObjectName("noOutboxLabel")

        self.hall_box = self._build_hall_box()

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.damage_box)
        layout.addWidget(self.counts_label)
        layout.addLayout(bar)
        layout.addWidget(self.no_outbox_label)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.hall_box, 1)

        self._apply_permissions()

        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.refresh, context=Qt.ShortcutContext.WindowShortcut)
        self.refresh_button.clicked.connect(self.refresh)
        self.filter_combo.currentIndexChanged.connect(self.load_items)
        self.show_acknowledged.toggled.connect(self._show_attention)
        self.acknowledge_button.clicked.connect(self.acknowledge_selected)
        self.damage_button.clicked.connect(self.open_damage_dialog)

        self._unsubscribe: Callable[[], None] = lambda: None
        if ctx.sync is not None:
            self._unsubscribe = ctx.sync.subscribe(self._status_from_sync)
        self.destroyed.connect(lambda *_: self._unsubscribe())
        self._render_damage()

    def _build_bar(self) -> QHBoxLayout:
        self.filter_combo = QComboBox()
        self.filter_combo.setObjectName("outboxFilterCombo")
        for caption in (self.tr("Not yet confirmed"), self.tr("Needs attention"), self.tr("All")):
            self.filter_combo.addItem(caption)
        self.refresh_button = QPushButton(self.tr("Refresh (F5)"))
        self.refresh_button.setObjectName("outboxRefreshButton")
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Show")))
        bar.addWidget(self.filter_combo)
        bar.addStretch(1)
        bar.addWidget(self.refresh_button)
        return bar

    def _apply_permissions(self) -> None:
        """The local table where there is an outbox; the attention list for collectors; acknowledging for
        supervisors."""
        has_outbox = self._ctx.outbox is not None
        self.no_outbox_label.setVisible(not has_outbox)
        local: tuple[QWidget, ...] = (self.table, self.filter_combo, self.counts_label)
        for widget in local:
            widget.setVisible(has_outbox)
        self.hall_box.setVisible(self._ctx.session.can(Perm.COLLECT))
        can_approve = self._ctx.session.can(Perm.APPROVE)
        self.hall_box.setTitle(self.tr("Needs attention: the whole hall") if can_approve
                               else self.tr("Needs attention: this counter"))
        approving: tuple[QWidget, ...] = (self.note_edit, self.acknowledge_button, self.note_label)
        for widget in approving:
            widget.setVisible(can_approve)

    def _build_damage_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Damaged outbox"))
        box.setObjectName("damageBox")
        box.setStyleSheet("QGroupBox { color: #b00020; font-weight: bold; }")
        self.damage_label = QLabel()
        self.damage_label.setObjectName("damageLabel")
        self.damage_label.setWordWrap(True)
        self.damage_button = QPushButton(self.tr("Supervisor acknowledgement…"))
        self.damage_button.setObjectName("damageAcknowledgeButton")
        row = QHBoxLayout(box)
        row.addWidget(self.damage_label, 1)
        row.addWidget(self.damage_button)
        return box

    def _build_hall_box(self) -> QGroupBox:
        box = QGroupBox()
        box.setObjectName("hallAttentionBox")
        self.show_acknowledged = QCheckBox(self.tr("Show acknowledged items"))
        self.show_acknowledged.setObjectName("showAcknowledgedCheck")
        self.attention_label = QLabel()
        self.attention_label.setObjectName("attentionStatusLabel")
        self.attention_label.setWordWrap(True)
        self.attention_model = AttentionModel(self)
        self.attention_table = _table("attentionTable")
        self.attention_table.setModel(self.attention_model)
        self.note_label = QLabel(self.tr("What was done (note)"))
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("acknowledgeNoteEdit")
        self.note_edit.setMaxLength(200)
        self.acknowledge_button = QPushButton(self.tr("Acknowledge"))
        self.acknowledge_button.setObjectName("acknowledgeButton")
        top = QHBoxLayout()
        top.addWidget(self.attention_label, 1)
        top.addWidget(self.show_acknowledged)
        ack = QHBoxLayout()
        ack.addWidget(self.note_label)
        ack.addWidget(self.note_edit, 1)
        ack.addWidget(self.acknowledge_button)
        layout = QVBoxLayout(box)
        layout.addLayout(top)
        layout.addWidget(self.attention_table, 1)
        layout.addLayout(ack)
        return box

    # --- loading ------------------------------------------------------------------------------------

    def activate(self) -> None:
        """The screen became visible: read the outbox and ask the server for the attention list."""
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        """Shown on its own (tests) or inside the main window: make sure something is on screen."""
        super().showEvent(event)
        if not self.model.rows() and not self.attention_model.rows():
            self.refresh()

    def refresh(self) -> None:
        """Reload the local items, report new attention items and reload the attention list."""
        self._render_damage()
        self.load_items()
        self.load_attention()

    def states(self) -> tuple[ItemState, ...] | None:
        """The states the filter shows (None: all)."""
        return FILTERS[max(0, self.filter_combo.currentIndex())][1]

    def load_items(self) -> None:
        """Read this counter's outbox (in the background); a read asked for while one runs follows it."""
        if self._ctx.outbox is None:
            return
        self._items_wanted += 1
        if not is_running(self, "items"):
            self._start_items_read()

    def _start_items_read(self) -> None:
        outbox, states, wanted = self._ctx.outbox, self.states(), self._items_wanted
        assert outbox is not None

        def work() -> tuple[list[OutboxItem], OutboxCounts]:
            return outbox.items(states=states, limit=MAX_SHOWN), outbox.counts()

        Op(parent=self, run=work, key="items") \
            .on_success(lambda loaded: self._on_items(loaded, wanted)) \
            .on_failure(self._report).start()

    def _on_items(self, loaded: tuple[list[OutboxItem], OutboxCounts], wanted: int) -> None:
        if wanted != self._items_wanted:  # the filter or the queue changed while reading: read again
            self._start_items_read()
            return
        items, counts = loaded
        self.model.set_rows(items)
        oldest = clock_text(counts.oldest_pending_at) or "—"
        self.counts_label.setText(self.tr("Not yet confirmed: {pending} · needs attention: {attention} · oldest "
                                          "waiting since: {oldest}").format(
            pending=counts.pending, attention=counts.attention, oldest=oldest))
        self.items_loaded.emit(items)

    def load_attention(self) -> None:
        """Report this counter's new attention items, then fetch the attention list (in the background)."""
        if not self._ctx.session.can(Perm.COLLECT):
            return
        rpc, outbox = self._ctx.rpc, self._ctx.outbox

        def work() -> tuple[ReportRun | None, AttentionPage]:
            run = report_new_attention(outbox, rpc) if outbox is not None else None
            # Acknowledged items too, whatever is shown: their acknowledgement is carried to the local outbox.
            page = rpc.call(LIST_ATTENTION, ListAttentionRequest(include_acknowledged=True))
            if outbox is not None:
                apply_acknowledgements(outbox, page.items)
            return run, page

        Op(parent=self, run=work, key="attention").on_success(self._on_attention) \
            .on_failure(self._on_attention_failed).start()

    def _on_attention(self, loaded: tuple[ReportRun | None, AttentionPage]) -> None:
        run, page = loaded
        self.last_report = run
        self.attention_page = page
        self._show_attention()
        self.attention_label.setText(self.tr("{count} items not yet acknowledged.").format(count=page.unacknowledged)
                                     if page.unacknowledged else self.tr("Nothing needs attention."))
        self.attention_loaded.emit(page)
        self.load_items()  # acknowledgements from the server may have changed local items

    def _show_attention(self) -> None:
        page = self.attention_page
        if page is None:
            return
        shown = page.items if self.show_acknowledged.isChecked() else [
            i for i in page.items if i.acknowledged_by is None]
        self.attention_model.set_rows(shown)

    def _on_attention_failed(self, exc: BaseException) -> None:
        if isinstance(exc, RpcError) and exc.code in SESSION_LOST_CODES:
            self._ctx.report_error(self, exc)
            return
        if isinstance(exc, RpcError) and exc.code in LINK_CODES:
            self.attention_label.setText(self.tr(
                "The server cannot be reached: the attention list shows again when the link is back. Items needing "
                "attention are reported then."))
            return
        self.attention_label.setText(error_text(exc))

    def _status_from_sync(self, status: SyncStatus) -> None:
        """Called on the sync worker's thread: hand the status to the GUI thread, touching nothing here."""
        call_on_gui(self._on_sync_status, status, owner=self)

    def _on_sync_status(self, _status: SyncStatus) -> None:
        if self.isVisible():
            self.load_items()

    # --- acknowledging ------------------------------------------------------------------------------

    def selected_attention(self) -> AttentionItem | None:
        """The attention item selected in the list, or None."""
        rows = self.attention_table.selectionModel().selectedRows()
        return self.attention_model.row_at(rows[0].row()) if rows else None

    def acknowledge_selected(self) -> None:
        """Acknowledge the selected item with the note typed in."""
        item = self.selected_attention()
        note = self.note_edit.text().strip()
        if item is None:
            self.attention_label.setText(self.tr("Choose the item you have dealt with in the list."))
            return
        if item.acknowledged_by is not None:
            self.attention_label.setText(self.tr("This item is already acknowledged."))
            return
        if len(note) < 2:  # the contract's minimum
            self.attention_label.setText(self.tr("Write down what was done (at least two characters)."))
            return
        # Confirmed here; a retry after a lost answer reuses the key, so the acknowledgement is booked once.
        rpc, outbox, slot = self._ctx.rpc, self._ctx.outbox, self.ack_action
        action = slot.confirm((item.item_key, note))

        def send() -> AttentionItem:
            done = rpc.send(ACKNOWLEDGE_ATTENTION, AcknowledgeAttentionRequest(item_key=item.item_key, note=note),
                            action=action)
            if outbox is not None:
                apply_acknowledgements(outbox, [done])
            return done

        def work() -> AttentionItem:
            return slot.attempt(action, send)

        Op(parent=self, run=work, busy=[self.acknowledge_button], key="acknowledge") \
            .on_success(self._on_acknowledged).on_failure(self._on_acknowledge_failed).start()

    def _on_acknowledged(self, item: AttentionItem) -> None:
        self.note_edit.clear()
        shown = item.receipt_no or item.item_key
        self.attention_label.setText(self.tr("Acknowledged: {receipt}.").format(receipt=shown))
        self.acknowledged.emit(item)
        self.load_attention()

    def _on_acknowledge_failed(self, exc: BaseException) -> None:
        if isinstance(exc, RpcError) and exc.code in SESSION_LOST_CODES:
            self._ctx.report_error(self, exc)
            return
        self.attention_label.setText(error_text(exc))
        if isinstance(exc, RpcError) and exc.code in {ErrorCode.ALREADY_ACKNOWLEDGED, ErrorCode.ATTENTION_NOT_FOUND}:
            self.load_attention()

    # --- the damaged outbox -------------------------------------------------------------------------

    def _render_damage(self) -> None:
        report = self._ctx.outbox_damage.report
        self.damage_box.setVisible(report is not None)
        if report is None:
            return
        self.damage_label.setText(self.tr(
            "The outbox file was found damaged at {found} ({reason}) and was set aside untouched ({count} files). "
            "No money can be taken at this counter until a supervisor acknowledges it.").format(
            found=clock_text(report.found_at), reason=report.reason, count=len(report.files)))

    def open_damage_dialog(self) -> None:
        """Open the supervisor's acknowledgement of the damaged outbox."""
        report = self._ctx.outbox_damage.report
        if report is None or self.damage_dialog is not None:
            return
        dialog = DamagedOutboxDialog(ctx=self._ctx, report=report, parent=self, slot=self.damage_action)
        dialog.damage_acknowledged.connect(self._on_damage_acknowledged)
        dialog.finished.connect(self._on_damage_dialog_finished)
        self.damage_dialog = dialog
        dialog.open()

    def _on_damage_dialog_finished(self) -> None:
        self.damage_dialog = None

    def _on_damage_acknowledged(self, ack: DamagedOutboxAck) -> None:
        self._render_damage()
        self.damage_acknowledged.emit(ack)
        self.load_items()

    def _report(self, exc: BaseException) -> None:
        self._ctx.report_error(self, exc)
