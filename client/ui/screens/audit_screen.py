"""The audit trail (Perm.VIEW_AUDIT): newest records and a check of the hash chains."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from client.ui.context import UiContext
from client.ui.models.audit_table_model import AuditTableModel
from client.ui.ops import Op
from shared_models.methods.audit import LIST_AUDIT, VERIFY_AUDIT, AuditPage, ListAuditRequest, VerifyAuditResult
from shared_models.rpc import Empty

PAGE_SIZE = 200


class AuditScreen(QWidget):
    """Newest audit records; Verify checks every chain on the server."""

    def __init__(self, *, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditScreen")
        self._ctx = ctx
        self.model = AuditTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("refreshAuditButton")
        self.verify_button = QPushButton(self.tr("Verify chains"))
        self.verify_button.setObjectName("verifyButton")
        self.result_label = QLabel()
        self.result_label.setObjectName("verifyResultLabel")
        self.result_label.setWordWrap(True)
        actions = QHBoxLayout()
        actions.addWidget(self.refresh_button)
        actions.addWidget(self.verify_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.result_label)
        self.refresh_button.clicked.connect(self.refresh)
        self.verify_button.clicked.connect(self.verify)

    def activate(self) -> None:
        """The screen became visible: load the newest records."""
        self.refresh()

    def refresh(self) -> None:
        """Reload the newest records."""
        rpc = self._ctx.rpc
        Op(parent=self, run=lambda: rpc.call(LIST_AUDIT, ListAuditRequest(limit=PAGE_SIZE)),
           busy=[self.refresh_button], key="list") \
            .on_success(self._on_loaded) \
            .on_failure(lambda exc: self._ctx.report_error(self, exc)) \
            .start()

    def _on_loaded(self, page: AuditPage) -> None:
        self.model.set_rows(page.records)

    def verify(self) -> None:
        """Ask the server to verify every hash chain."""
        rpc = self._ctx.rpc
        Op(parent=self, run=lambda: rpc.call(VERIFY_AUDIT, Empty()), busy=[self.verify_button], key="verify") \
            .on_success(self._on_verified) \
            .on_failure(lambda exc: self._ctx.report_error(self, exc)) \
            .start()

    def _on_verified(self, result: VerifyAuditResult) -> None:
        if result.ok:
            text = self.tr("All {chains} chains with {records} records verify.").format(
                chains=result.chains, records=result.records)
            self.result_label.setStyleSheet("color: #1b5e20;")
        else:
            text = self.tr("The audit trail is broken: {problems}").format(problems="; ".join(result.problems))
            self.result_label.setStyleSheet("color: #b00020;")
        self.result_label.setText(text)
