"""My account: who is signed in where, password change, sign-out. Every role sees it."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.core.actions import ActionSlot, fingerprint
from client.core.rpc_client import make_request
from client.core.session import SessionEvent, remember_password
from client.ui.context import UiContext
from client.ui.messages import role_name
from client.ui.ops import Op
from shared_models.methods.auth import CHANGE_PASSWORD, ChangePasswordRequest

log = logging.getLogger(__name__)


class AccountScreen(QWidget):
    """Shows the session and changes the signed-in user's password."""

    password_changed = Signal()
    sign_out_requested = Signal()

    def __init__(self, *, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountScreen")
        self._ctx = ctx
        self._message: Callable[[], str] | None = None
        self.change_action = ActionSlot()  # the password change waiting for an answer

        self._build()
        self.change_button.clicked.connect(self._on_change_clicked)
        self.repeat_password_edit.returnPressed.connect(self._on_change_clicked)
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        self._unsubscribe = ctx.session.subscribe(self._on_session_event)
        self.destroyed.connect(self._unsubscribe)
        self._retranslate()

    def _build(self) -> None:
        self.banner_label = QLabel()
        self.banner_label.setObjectName("passwordChangeBanner")
        self.banner_label.setWordWrap(True)
        self.banner_label.setStyleSheet("background: #fff3cd; padding: 8px;")
        self.user_value = self._value("userValue")
        self.role_value = self._value("roleValue")
        self.counter_value = self._value("counterValue")
        self.hall_value = self._value("hallValue")
        self.unit_value = self._value("unitValue")
        self.info_box = QGroupBox()
        info = QFormLayout(self.info_box)
        self.user_caption, self.role_caption = QLabel(), QLabel()
        self.counter_caption, self.hall_caption, self.unit_caption = QLabel(), QLabel(), QLabel()
        info.addRow(self.user_caption, self.user_value)
        info.addRow(self.role_caption, self.role_value)
        info.addRow(self.counter_caption, self.counter_value)
        info.addRow(self.hall_caption, self.hall_value)
        info.addRow(self.unit_caption, self.unit_value)

        self.old_password_edit = self._password("oldPasswordEdit")
        self.new_password_edit = self._password("newPasswordEdit")
        self.repeat_password_edit = self._password("repeatPasswordEdit")
        self.change_button = QPushButton()
        self.change_button.setObjectName("changePasswordButton")
        self.message_label = QLabel()
        self.message_label.setObjectName("accountMessageLabel")
        self.message_label.setWordWrap(True)
        self.password_box = QGroupBox()
        pw = QFormLayout(self.password_box)
        self.old_caption, self.new_caption, self.repeat_caption = QLabel(), QLabel(), QLabel()
        pw.addRow(self.old_caption, self.old_password_edit)
        pw.addRow(self.new_caption, self.new_password_edit)
        pw.addRow(self.repeat_caption, self.repeat_password_edit)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.change_button)
        pw.addRow(row)
        pw.addRow(self.message_label)

        self.sign_out_button = QPushButton()
        self.sign_out_button.setObjectName("accountSignOutButton")
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.sign_out_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner_label)
        layout.addWidget(self.info_box)
        layout.addWidget(self.password_box)
        layout.addStretch(1)
        layout.addLayout(bottom)

    @staticmethod
    def _value(name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        return label

    @staticmethod
    def _password(name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def _retranslate(self) -> None:
        self.banner_label.setText(self.tr("Your password was set by an administrator. Please choose your own "
                                          "password before you continue."))
        self.info_box.setTitle(self.tr("Signed in"))
        self.user_caption.setText(self.tr("User"))
        self.role_caption.setText(self.tr("Role"))
        self.counter_caption.setText(self.tr("Counter"))
        self.hall_caption.setText(self.tr("Business hall"))
        self.unit_caption.setText(self.tr("Unit"))
        self.password_box.setTitle(self.tr("Change password"))
        self.old_caption.setText(self.tr("Current password"))
        self.new_caption.setText(self.tr("New password"))
        self.repeat_caption.setText(self.tr("New password again"))
        self.change_button.setText(self.tr("Change password"))
        self.sign_out_button.setText(self.tr("Sign out"))
        self._render()

    def _render(self) -> None:
        state = self._ctx.session.state
        self.banner_label.setVisible(self._ctx.session.password_change_required)
        self.message_label.setText(self._message() if self._message else "")
        if state is None:
            return
        self.user_value.setText(f"{state.user.display_name} ({state.user.username})")
        self.role_value.setText(role_name(state.user.role))
        self.counter_value.setText(f"{state.counter.name} ({state.counter.code})")
        self.hall_value.setText(f"{state.counter.hall_name} ({state.counter.hall_code})")
        self.unit_value.setText(state.user.org_unit_name)

    def _on_session_event(self, event: SessionEvent) -> None:
        if event is not SessionEvent.ENDED:
            self._render()

    def _say(self, message: Callable[[], str]) -> None:
        self._message = message
        self.message_label.setText(message())

    def _on_change_clicked(self) -> None:
        old = self.old_password_edit.text()
        new = self.new_password_edit.text()
        if not old or not new:
            self._say(lambda: self.tr("Please enter your current and your new password."))
            return
        if new != self.repeat_password_edit.text():
            self._say(lambda: self.tr("The two new passwords do not match."))
            return
        self._message = None
        self.message_label.clear()
        rpc, slot = self._ctx.rpc, self.change_action
        busy = [self.change_button, self.old_password_edit, self.new_password_edit, self.repeat_password_edit]
        # A retry after a lost answer replays the change (the old password is no longer right by then).
        action = slot.confirm((fingerprint(old), fingerprint(new)))

        def work() -> object:
            req = make_request(ChangePasswordRequest, old_password=old, new_password=new)
            return slot.attempt(action, lambda: rpc.send(CHANGE_PASSWORD, req, action=action))

        Op(parent=self, run=work, busy=busy, key="change_password") \
            .on_success(lambda _: self._on_changed()) \
            .on_failure(lambda exc: self._ctx.report_error(self, exc)) \
            .start()

    def _on_changed(self) -> None:
        # The fields were disabled while the change ran: they still hold the password the server took.
        self._remember_offline(self.new_password_edit.text())
        for edit in (self.old_password_edit, self.new_password_edit, self.repeat_password_edit):
            edit.clear()
        self._say(lambda: self.tr("Your password has been changed."))
        self._ctx.session.mark_password_changed()
        self.password_changed.emit()

    def _remember_offline(self, password: str) -> None:
        """The offline verifier follows the new password (SPEC §5): the old one opens nothing any more."""
        state, verifiers = self._ctx.session.state, self._ctx.verifiers
        if state is None or verifiers is None or not password:
            return
        Op(parent=self, run=lambda: remember_password(verifiers, state, password=password), key="remember_offline") \
            .on_failure(lambda exc: log.error("offline verifier not renewed: %r", exc)) \
            .start()
