"""Dialogs of the users screen. Opened with ``open()`` and answered by signals: no nested ``exec()``."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.core.actions import ActionSlot, fingerprint
from client.core.rpc_client import Cosign, make_request
from client.ui.context import UiContext
from client.ui.errors import show_in_dialog
from client.ui.messages import role_name
from client.ui.ops import Op
from client.ui.widgets.labels import error_label
from shared_models.methods.admin import (
    CREATE_USER,
    RESET_PASSWORD,
    CreateUserRequest,
    CreateUserResult,
    ResetPasswordRequest,
)
from shared_models.roles import Role


def _edit(name: str, *, password: bool = False) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    if password:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class _FormDialog(QDialog):
    """Shared layout: a form, an error line, OK and Cancel. Texts are set by the subclasses."""

    def __init__(self, *, ctx: UiContext, ok_name: str, parent: QWidget | None, slot: ActionSlot | None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._ctx = ctx
        # The screen's pending action of this kind: reopening the dialog after a lost answer keeps its key.
        self.slot = slot if slot is not None else ActionSlot()
        self.form = QFormLayout()
        self.error_label = error_label()
        self.buttons = QDialogButtonBox()
        self.ok_button = QPushButton()
        self.ok_button.setObjectName(ok_name)
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("dialogCancelButton")
        self.buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.ok_button.clicked.connect(self._on_ok)
        self.cancel_button.clicked.connect(self.reject)

    def _on_ok(self) -> None:
        raise NotImplementedError

    def _failed(self, exc: BaseException) -> None:
        show_in_dialog(self, self.error_label, exc, self._ctx.report_error)


class CreateUserDialog(_FormDialog):
    """A new user with an initial password they must change at first sign-in."""

    user_created = Signal(str)

    def __init__(self, *, ctx: UiContext, parent: QWidget | None = None,
                 slot: ActionSlot | None = None) -> None:
        super().__init__(ctx=ctx, ok_name="createUserConfirmButton", parent=parent, slot=slot)
        self.setObjectName("createUserDialog")
        self.username_edit = _edit("newUsernameEdit")
        self.display_name_edit = _edit("displayNameEdit")
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("roleCombo")
        for role in Role:
            self.role_combo.addItem(role_name(role), role.value)
        self.org_unit_edit = _edit("orgUnitEdit")
        self.password_edit = _edit("initialPasswordEdit", password=True)
        self.repeat_edit = _edit("initialPasswordRepeatEdit", password=True)
        self.form.addRow(self.tr("User name"), self.username_edit)
        self.form.addRow(self.tr("Full name"), self.display_name_edit)
        self.form.addRow(self.tr("Role"), self.role_combo)
        self.form.addRow(self.tr("Unit code"), self.org_unit_edit)
        self.form.addRow(self.tr("Initial password"), self.password_edit)
        self.form.addRow(self.tr("Initial password again"), self.repeat_edit)
        self.setWindowTitle(self.tr("New user"))
        self.ok_button.setText(self.tr("Create user"))
        self.cancel_button.setText(self.tr("Cancel"))

    def _on_ok(self) -> None:
        username = self.username_edit.text().strip()
        fields = {
            "username": username,
            "display_name": self.display_name_edit.text().strip(),
            "role": Role(self.role_combo.currentData()),
            "org_unit_code": self.org_unit_edit.text().strip(),
            "initial_password": self.password_edit.text(),
        }
        if not all(fields.values()):
            self.error_label.setText(self.tr("Please fill in every field."))
            return
        if self.password_edit.text() != self.repeat_edit.text():
            self.error_label.setText(self.tr("The two passwords do not match."))
            return
        self.error_label.clear()
        rpc, slot = self._ctx.rpc, self.slot
        action = slot.confirm(tuple(v if k != "initial_password" else fingerprint(str(v)) for k, v in fields.items()))

        def work() -> CreateUserResult:
            req = make_request(CreateUserRequest, **fields)
            return slot.attempt(action, lambda: rpc.send(CREATE_USER, req, action=action))

        Op(parent=self, run=work, busy=[self.ok_button], key="create_user") \
            .on_success(lambda _: self._done(username)) \
            .on_failure(self._failed) \
            .start()

    def _done(self, username: str) -> None:
        self.user_created.emit(username)
        self.accept()


class ResetPasswordDialog(_FormDialog):
    """A new password for a user who forgot theirs, co-signed by a supervisor on the same dialog."""

    password_reset = Signal(str)

    def __init__(self, *, ctx: UiContext, username: str, parent: QWidget | None = None,
                 slot: ActionSlot | None = None) -> None:
        super().__init__(ctx=ctx, ok_name="resetPasswordConfirmButton", parent=parent, slot=slot)
        self.setObjectName("resetPasswordDialog")
        self._username = username
        self.target_label = QLabel(username)
        self.target_label.setObjectName("resetTargetLabel")
        self.password_edit = _edit("resetNewPasswordEdit", password=True)
        self.repeat_edit = _edit("resetRepeatPasswordEdit", password=True)
        self.cosign_user_edit = _edit("cosignUsernameEdit")
        self.cosign_password_edit = _edit("cosignPasswordEdit", password=True)
        self.cosign_hint = QLabel()
        self.cosign_hint.setWordWrap(True)
        self.form.addRow(self.tr("User"), self.target_label)
        self.form.addRow(self.tr("New password"), self.password_edit)
        self.form.addRow(self.tr("New password again"), self.repeat_edit)
        self.form.addRow(self.cosign_hint)
        self.form.addRow(self.tr("Co-signer user name"), self.cosign_user_edit)
        self.form.addRow(self.tr("Co-signer password"), self.cosign_password_edit)
        self.cosign_hint.setText(self.tr("A supervisor co-signs this reset with their own user name and "
                                         "password; both names go into the audit trail."))
        self.setWindowTitle(self.tr("Reset password"))
        self.ok_button.setText(self.tr("Reset password"))
        self.cancel_button.setText(self.tr("Cancel"))

    def _on_ok(self) -> None:
        password = self.password_edit.text()
        cosigner = self.cosign_user_edit.text().strip()
        cosign_password = self.cosign_password_edit.text()
        if not (password and cosigner and cosign_password):
            self.error_label.setText(self.tr("Please fill in every field."))
            return
        if password != self.repeat_edit.text():
            self.error_label.setText(self.tr("The two passwords do not match."))
            return
        self.error_label.clear()
        rpc, slot = self._ctx.rpc, self.slot
        username = self._username
        action = slot.confirm((username, fingerprint(password), cosigner))

        def work() -> object:
            req = make_request(ResetPasswordRequest, username=username, new_password=password)
            cosign = Cosign(username=cosigner, password=cosign_password)
            return slot.attempt(action, lambda: rpc.send(RESET_PASSWORD, req, action=action, cosign=cosign))

        Op(parent=self, run=work, busy=[self.ok_button], key="reset_password") \
            .on_success(lambda _: self._done()) \
            .on_failure(self._failed) \
            .start()

    def _done(self) -> None:
        self.password_reset.emit(self._username)
        self.accept()
