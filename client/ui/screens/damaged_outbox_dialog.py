"""The damaged outbox (issue #5, "Bad input and faults"): what was found, and the supervisor's acknowledgement.

At start-up a corrupted or truncated outbox file is set aside untouched (``outbox.damage.set_aside``) and the
counter takes no money (``UiContext.outbox_damage``). This dialog shows the report — the reason, when it was
found, each set-aside file with its size and SHA-256 — and takes a supervisor's user name and password on
the same screen. The server records the acknowledgement with both names (``sync.acknowledge_damaged_outbox``);
only then does the outbox move its receipt numbering past any number the damaged file may hold
(``Outbox.acknowledge_damage``) and the gate open. Queued money is never deleted: the files stay on disk for
the engineers. Opened with ``open()`` and answered by signals.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from client.core.actions import ActionSlot
from client.core.outbox.damage import DamageReport
from client.core.rpc_client import RpcError
from client.ui.context import UiContext
from client.ui.errors import error_text, show_in_dialog
from client.ui.models.outbox_model import clock_text
from client.ui.ops import Op
from client.ui.widgets.cosign_fields import CosignFields
from client.ui.widgets.labels import error_label
from shared_models.errors import ErrorCode
from shared_models.methods.shifts import GET_CURRENT
from shared_models.methods.sync import (
    ACKNOWLEDGE_DAMAGED_OUTBOX,
    AcknowledgeDamagedOutboxRequest,
    DamagedFile,
    DamagedOutboxAck,
)
from shared_models.rpc import Empty

_COSIGN_REFUSED = frozenset({
    ErrorCode.COSIGN_REQUIRED, ErrorCode.COSIGN_INVALID, ErrorCode.COSIGN_NOT_AUTHORIZED, ErrorCode.COSIGN_SAME_USER,
})
#: The contract's limit on the reason; longer SQLite messages are cut (the marker file keeps the whole text).
_REASON_MAX = 500


def damage_request(report: DamageReport, note: str) -> AcknowledgeDamagedOutboxRequest:
    """The acknowledgement request of ``report`` (ValidationError when the marker holds nonsense)."""
    files = [DamagedFile(name=str(f.get("name", "")), size_bytes=int(f.get("bytes", 0)),
                         sha256=str(f.get("sha256", ""))) for f in report.files]
    return AcknowledgeDamagedOutboxRequest(reason=(report.reason or "?")[:_REASON_MAX], found_at=report.found_at,
                                           files=files, note=note)


class DamagedOutboxDialog(QDialog):
    """Show ``report`` and take the supervisor's co-signed acknowledgement."""

    #: The server and the outbox recorded the acknowledgement (``DamagedOutboxAck``); the gate is open.
    damage_acknowledged = Signal(object)

    def __init__(self, *, ctx: UiContext, report: DamageReport, parent: QWidget | None = None,
                 slot: ActionSlot | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("damagedOutboxDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Damaged outbox"))
        self._ctx = ctx
        self._report = report
        self.slot = slot if slot is not None else ActionSlot()

        explanation = QLabel(self.tr(
            "The outbox file of this counter could not be read when the program started. It was set aside "
            "untouched, so nothing in it is lost; the engineers can recover its payments. Until a supervisor "
            "acknowledges this, no money is taken at this counter."))
        explanation.setWordWrap(True)
        self.reason_label = QLabel(report.reason)
        self.reason_label.setObjectName("damageReasonValue")
        self.reason_label.setWordWrap(True)
        self.found_label = QLabel(clock_text(report.found_at))
        self.found_label.setObjectName("damageFoundValue")
        form = QFormLayout()
        form.addRow(self.tr("Found at"), self.found_label)
        form.addRow(self.tr("Reason"), self.reason_label)

        self.files_table = self._build_files_table(report)

        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("damageNoteEdit")
        self.note_edit.setMaxLength(200)
        note_form = QFormLayout()
        note_form.addRow(self.tr("Note"), self.note_edit)
        self.cosign = CosignFields(hint=self.tr(
            "A supervisor acknowledges the damaged outbox with their own user name and password; both names go "
            "into the audit trail."))
        buttons = self._build_buttons()

        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.files_table)
        layout.addLayout(note_form)
        layout.addWidget(self.cosign)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.ok_button.clicked.connect(self.confirm)
        self.cancel_button.clicked.connect(self.reject)

    def _build_files_table(self, report: DamageReport) -> QTableWidget:
        table = QTableWidget(len(report.files), 3)
        table.setObjectName("damagedFilesTable")
        table.setHorizontalHeaderLabels([self.tr("File (set aside)"), self.tr("Bytes"), self.tr("SHA-256")])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        for row, f in enumerate(report.files):
            for column, value in enumerate((str(f.get("name", "")), str(f.get("bytes", "")), str(f.get("sha256", "")))):
                table.setItem(row, column, QTableWidgetItem(value))
        return table

    def _build_buttons(self) -> QDialogButtonBox:
        self.error_label = error_label()
        self.ok_button = QPushButton(self.tr("Acknowledge"))
        self.ok_button.setObjectName("damageConfirmButton")
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("dialogCancelButton")
        buttons = QDialogButtonBox()
        buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        return buttons

    def confirm(self) -> None:
        """Record the acknowledgement on the server, then in the outbox; the gate opens on success."""
        cosign = self.cosign.cosign()
        if cosign is None:
            self.error_label.setText(self.tr("A supervisor enters their user name and password to acknowledge."))
            return
        outbox, state = self._ctx.outbox, self._ctx.session.state
        if outbox is None or state is None:
            self.error_label.setText(self.tr("Sign in at this counter first."))
            return
        note = self.note_edit.text().strip()
        try:
            req = damage_request(self._report, note)
        except ValueError as exc:  # a marker file that is not what set_aside writes; the log has it
            self.error_label.setText(error_text(exc))
            return
        self.error_label.clear()
        # Confirmed here; a retry after a lost answer reuses the key, so the server records one acknowledgement.
        rpc, counter_code, slot = self._ctx.rpc, state.counter.code, self.slot
        action = slot.confirm((cosign.username, note))

        def work() -> DamagedOutboxAck:
            next_seq = rpc.call(GET_CURRENT, Empty()).next_receipt_seq

            def send() -> DamagedOutboxAck:  # the outbox's record too: a retry replays until both are done
                ack = rpc.send(ACKNOWLEDGE_DAMAGED_OUTBOX, req, action=action, cosign=cosign)
                outbox.acknowledge_damage(by=ack.cosigned_by, server_next_seq=next_seq, counter_code=counter_code)
                return ack

            return slot.attempt(action, send)

        Op(parent=self, run=work, busy=[self.ok_button], key="acknowledge_damage") \
            .on_success(self._done).on_failure(self._failed).start()

    def _done(self, ack: DamagedOutboxAck) -> None:
        self._ctx.outbox_damage.open_gate()
        self.damage_acknowledged.emit(ack)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if not show_in_dialog(self, self.error_label, exc, self._ctx.report_error):
            return
        if isinstance(exc, RpcError) and exc.code in _COSIGN_REFUSED:
            self.cosign.clear()
            self.cosign.password_edit.setFocus()
