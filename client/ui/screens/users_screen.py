"""User administration (Perm.MANAGE_USERS): list, create, unlock, enable/disable, co-signed reset."""

from __future__ import annotations

from collections.abc import Callable

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

from client.core.actions import ActionSlot
from client.ui.context import UiContext
from client.ui.models.user_table_model import UserTableModel
from client.ui.ops import Op
from client.ui.screens.user_dialogs import CreateUserDialog, ResetPasswordDialog
from shared_models.methods.admin import (
    LIST_USERS,
    SET_USER_ACTIVE,
    UNLOCK_USER,
    SetUserActiveRequest,
    UserPage,
    UserRef,
    UserRow,
)
from shared_models.rpc import Empty


class UsersScreen(QWidget):
    """A table of users and the actions on the selected one."""

    def __init__(self, *, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("usersScreen")
        self._ctx = ctx
        self._message: Callable[[], str] | None = None
        # Each kind of user administration waiting for an answer (one key per confirmed action).
        self.create_action, self.unlock_action = ActionSlot(), ActionSlot()
        self.toggle_action, self.reset_action = ActionSlot(), ActionSlot()
        self.model = UserTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("usersTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)

        self.refresh_button = self._button("refreshUsersButton", self.tr("Refresh"))
        self.create_button = self._button("createUserButton", self.tr("New user…"))
        self.unlock_button = self._button("unlockUserButton", self.tr("Unlock"))
        self.toggle_button = self._button("toggleActiveButton", self.tr("Disable"))
        self.reset_button = self._button("resetPasswordButton", self.tr("Reset password…"))
        self.status_label = QLabel()
        self.status_label.setObjectName("usersStatusLabel")
        self.status_label.setWordWrap(True)

        actions = QHBoxLayout()
        for button in (self.refresh_button, self.create_button, self.unlock_button, self.toggle_button,
                       self.reset_button):
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)

        self.refresh_button.clicked.connect(self.refresh)
        self.create_button.clicked.connect(self._on_create_clicked)
        self.unlock_button.clicked.connect(self._on_unlock_clicked)
        self.toggle_button.clicked.connect(self._on_toggle_clicked)
        self.reset_button.clicked.connect(self._on_reset_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.model.modelReset.connect(self._update_actions)
        self._update_actions()

    def _button(self, name: str, text: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        return button

    def activate(self) -> None:
        """The screen became visible: load the users."""
        self.refresh()

    def selected(self) -> UserRow | None:
        """The selected user, or None."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_username(self, username: str) -> None:
        """Select the row of ``username`` (tests and after an action)."""
        for row in range(self.model.rowCount()):
            user = self.model.row_at(row)
            if user is not None and user.username == username:
                self.table.selectRow(row)
                return

    def _update_actions(self) -> None:
        user = self.selected()
        self.unlock_button.setEnabled(user is not None and (user.locked or user.failed_attempts > 0))
        self.toggle_button.setEnabled(user is not None)
        self.reset_button.setEnabled(user is not None)
        self.toggle_button.setText(self.tr("Enable") if user is not None and not user.active else self.tr("Disable"))

    def _say(self, message: Callable[[], str]) -> None:
        self._message = message
        self.status_label.setText(message())

    def _busy(self) -> list[QWidget]:
        return [self.refresh_button, self.create_button, self.unlock_button, self.toggle_button, self.reset_button]

    def refresh(self) -> None:
        """Reload the table."""
        rpc = self._ctx.rpc
        Op(parent=self, run=lambda: rpc.call(LIST_USERS, Empty()), busy=[self.refresh_button], key="list") \
            .on_success(self._on_loaded) \
            .on_failure(lambda exc: self._ctx.report_error(self, exc)) \
            .start()

    def _on_loaded(self, page: UserPage) -> None:
        selected = self.selected()
        self.model.set_rows(page.users)
        if selected is not None:
            self.select_username(selected.username)

    def _after_action(self, message: Callable[[], str]) -> None:
        self._say(message)
        self.refresh()

    def _on_unlock_clicked(self) -> None:
        user = self.selected()
        if user is None:
            return
        rpc, username, slot = self._ctx.rpc, user.username, self.unlock_action
        action = slot.confirm(username)

        def work() -> object:
            return slot.attempt(action, lambda: rpc.send(UNLOCK_USER, UserRef(username=username), action=action))

        Op(parent=self, run=work, busy=self._busy(), key="action") \
            .on_success(lambda _: self._after_action(lambda: self.tr("{username} is unlocked.").format(
                username=username))) \
            .on_failure(lambda exc: self._ctx.report_error(self, exc)) \
            .start()

    def _on_toggle_clicked(self) -> None:
        user = self.selected()
        if user is None:
            return
        rpc, username, active = self._ctx.rpc, user.username, not user.active
        message = (lambda: self.tr("{username} is enabled.").format(username=username)) if active else (
            lambda: self.tr("{username} is disabled.").format(username=username))
        slot = self.toggle_action
        action = slot.confirm((username, active))

        def work() -> object:
            req = SetUserActiveRequest(username=username, active=active)
            return slot.attempt(action, lambda: rpc.send(SET_USER_ACTIVE, req, action=action))

        Op(parent=self, run=work, busy=self._busy(), key="action") \
            .on_success(lambda _: self._after_action(message)) \
            .on_failure(lambda exc: self._ctx.report_error(self, exc)) \
            .start()

    def _on_create_clicked(self) -> None:
        dialog = CreateUserDialog(ctx=self._ctx, parent=self, slot=self.create_action)
        dialog.user_created.connect(
            lambda username: self._after_action(lambda: self.tr("{username} is created.").format(username=username)))
        dialog.open()

    def _on_reset_clicked(self) -> None:
        user = self.selected()
        if user is None:
            return
        dialog = ResetPasswordDialog(ctx=self._ctx, username=user.username, parent=self, slot=self.reset_action)
        dialog.password_reset.connect(
            lambda username: self._after_action(
                lambda: self.tr("The password of {username} is reset; they must change it at sign-in.").format(
                    username=username)))
        dialog.open()
