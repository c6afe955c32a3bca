"""The audit trail (Perm.VIEW_AUDIT): newest records, filtered by kind and user, and a check of the hash
chains."""

from __future__ import annotations

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

from client.ui.context import UiContext
from client.ui.models.audit_table_model import AuditTableModel
from client.ui.ops import Op
from shared_models.methods.audit import (
    LIST_AUDIT,
    VERIFY_AUDIT,
    AuditKind,
    AuditPage,
    ListAuditRequest,
    VerifyAuditResult,
)
from shared_models.rpc import Empty

PAGE_SIZE = 200
# The kind filter's entries, in the combo box's order.
KINDS = (AuditKind.ALL, AuditKind.CHANGES, AuditKind.REFUSED)


class AuditScreen(QWidget):
    """Newest audit records — all, the changes, or the refused attempts, of everyone or one user; Verify
    checks every chain on the server."""

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
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("auditKindCombo")
        for caption in (self.tr("All records"), self.tr("Changes"), self.tr("Refused attempts")):
            self.kind_combo.addItem(caption)
        self.user_edit = QLineEdit()
        self.user_edit.setObjectName("auditUserEdit")
        self.user_edit.setMaxLength(64)
        self.user_edit.setPlaceholderText(self.tr("Everyone"))
        self.user_edit.setClearButtonEnabled(True)
        actions = QHBoxLayout()
        actions.addWidget(QLabel(self.tr("Show")))
        actions.addWidget(self.kind_combo)
        actions.addWidget(QLabel(self.tr("User")))
        actions.addWidget(self.user_edit)
        actions.addWidget(self.refresh_button)
        actions.addWidget(self.verify_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.result_label)
        self.refresh_button.clicked.connect(self.refresh)
        self.verify_button.clicked.connect(self.verify)
        self.kind_combo.currentIndexChanged.connect(self.refresh)
        self.user_edit.returnPressed.connect(self.refresh)

    def activate(self) -> None:
        """The screen became visible: load the newest records."""
        self.refresh()

    def request(self) -> ListAuditRequest:
        """The listing the filters ask for: the kind chosen, and the user name typed (everyone when empty)."""
        username = self.user_edit.text().strip() or None
        return ListAuditRequest(username=username, kind=KINDS[max(0, self.kind_combo.currentIndex())],
                                limit=PAGE_SIZE)

    def refresh(self) -> None:
        """Reload the newest records the filters select."""
        rpc, req = self._ctx.rpc, self.request()
        Op(parent=self, run=lambda: rpc.call(LIST_AUDIT, req),
           busy=[self.refresh_button], key="list") \
            .on_success(lambda page: self._on_loaded(req, page)) \
            .on_failure(lambda exc: self._ctx.report_error(self, exc)) \
            .start()

    def _on_loaded(self, req: ListAuditRequest, page: AuditPage) -> None:
        self.model.set_rows(page.records)
        if req != self.request():  # the filters changed while this page was on its way (that start was ignored)
            self.refresh()

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
