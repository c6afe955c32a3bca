# pytest-qt's QtBot and ModelTester are untyped:
# mypy: disable-error-code="no-untyped-call"
"""The shell after sign-in: screens per role, status bar, password gate, session loss and sign-out."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from client.ui.ops import running_ops
from client.ui.screens.account_screen import AccountScreen
from shared_models.errors import ErrorCode
from shared_models.roles import Role
from shared_models.rpc import Empty
from tests.client.wire_peer import Reply, WirePeer
from tests.ui.conftest import AppFactory
from tests.ui.ui_helpers import COUNTER, sign_in

SCREENS = {
    Role.CASHIER: ["account", "shift", "desk", "settlement", "outbox"],
    Role.METER_READER: ["account", "customer"],
    Role.SUPERVISOR: ["account", "shift", "desk", "settlement", "outbox", "audit"],
    Role.BILLING_CLERK: ["account", "customer"],
    Role.BUSINESS_CLERK: ["account", "customer"],
    Role.ADMIN: ["account", "customer", "users", "audit"],
}


class TestScreensPerRole:
    @pytest.mark.parametrize("role", list(Role))
    def test_only_permitted_screens(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer, role: Role) -> None:
        """Each role sees exactly the screens its permissions allow, the account screen first."""
        window = sign_in(qtbot, make_app(locale="en"), peer, role)
        assert window.screen_names() == SCREENS[role]
        assert window.nav_list.count() == len(SCREENS[role])
        assert window.stack.count() == len(SCREENS[role])

    def test_navigation_labels_in_chinese(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer) -> None:
        """An administrator's navigation reads in Chinese, and the first working screen opens."""
        window = sign_in(qtbot, make_app(locale="zh_CN"), peer, Role.ADMIN)
        titles = [window.nav_list.item(row).text() for row in range(window.nav_list.count())]
        assert titles == ["我的账号", "客户查询", "用户管理", "审计日志"]
        assert window.stack.currentWidget() is window.screen_widget("customer")


class TestStatusBar:
    def test_user_role_counter_and_link(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer) -> None:
        """The status bar names user, role and counter, and shows the link online."""
        window = sign_in(qtbot, make_app(locale="zh_CN"), peer, Role.CASHIER)
        assert window.user_label.text() == f"张三（收费员）@ {COUNTER}"
        assert window.link_label.text() == "● 在线"
        assert window.sign_out_button.objectName() == "signOutButton"
        assert window.sign_out_button.text() == "退出登录"

    def test_whoami_marks_offline_then_online(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer) -> None:
        """A whoami the network loses turns the link offline; the next good one turns it online again."""
        window = sign_in(qtbot, make_app(locale="zh_CN"), peer, Role.CASHIER)
        answer = peer.handlers["auth.whoami"]
        peer.on("auth.whoami", Reply.error(ErrorCode.SERVICE_UNAVAILABLE, {"ref": "db-1"}))
        with qtbot.waitSignal(window.link_state_changed, timeout=10_000) as changed:
            window.check_link()
        assert changed.args == [False]
        assert window.link_label.text() == "● 离线"
        qtbot.waitUntil(lambda: not _whoami_running(window), timeout=10_000)
        peer.on("auth.whoami", answer)
        with qtbot.waitSignal(window.link_state_changed, timeout=10_000) as changed:
            window.check_link()
        assert changed.args == [True]
        assert window.link_label.text() == "● 在线"
        # the sync worker hears the same call (and its own heartbeat): the whoami's Op still lands
        qtbot.waitUntil(lambda: not _whoami_running(window), timeout=10_000)

    def test_periodic_whoami_keeps_session_alive(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer) -> None:
        """The whoami timer calls the server on its own, with the session token."""
        window = sign_in(qtbot, make_app(locale="en", whoami_interval_ms=50), peer, Role.CASHIER)
        qtbot.waitUntil(lambda: len(peer.calls_to("auth.whoami")) >= 2, timeout=10_000)
        window.whoami_timer.stop()
        qtbot.waitUntil(lambda: window.whoami_timer.isActive() is False, timeout=1_000)
        assert peer.calls_to("auth.whoami")[0].headers["authorization"] == "Bearer tok-1"
        assert peer.calls_to("auth.whoami")[0].headers["x-gridcounter-counter"] == COUNTER
        qtbot.waitUntil(lambda: not _whoami_running(window), timeout=10_000)


def _whoami_running(window: object) -> bool:
    from client.ui.ops import is_running

    return is_running(window, "whoami")  # type: ignore[arg-type]


class TestSessionEnd:
    @pytest.mark.parametrize(("code", "params", "zh"), [
        (ErrorCode.SESSION_EXPIRED, {"minutes": 30}, "您已超过 30 分钟未操作，系统已自动退出登录，请重新登录。"),
        (ErrorCode.SESSION_INVALID, {}, "您的登录已失效，请重新登录。"),
    ])
    def test_lost_session_returns_to_login(  # noqa: PLR0917 - pytest hands fixtures and parameters in
        self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer, code: ErrorCode, params: dict[str, int], zh: str
    ) -> None:
        """A call answered with an expired or foreign session brings back the login window with the reason;
        a session the server ended (disabled, password reset) also wipes the offline verifier, an idle one not."""
        app = make_app(locale="zh_CN")
        window = sign_in(qtbot, app, peer, Role.CASHIER)
        assert app.verifiers is not None
        verifiers = app.verifiers(COUNTER)
        username = app.session.username
        assert username is not None
        assert verifiers.knows(username=username, counter_code=COUNTER)  # cached by the online sign-in
        peer.on("auth.whoami", Reply.error(code, params))
        window.check_link()
        qtbot.waitUntil(app.login_window.isVisible, timeout=10_000)
        assert app.main_window is None
        qtbot.waitUntil(lambda: not shiboken6.isValid(window), timeout=5_000)  # deleted, not just hidden
        assert app.login_window.error_label.text() == zh
        assert app.session.ended_reason is code
        assert app.rpc.session_token is None
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=10_000)
        assert verifiers.knows(username=username, counter_code=COUNTER) is (code is ErrorCode.SESSION_EXPIRED)

    def test_sign_out(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer) -> None:
        """Sign out ends the session on the server and shows the login window, password cleared."""
        app = make_app(locale="en")
        peer.on("auth.logout", Reply.ok(Empty()))
        window = sign_in(qtbot, app, peer, Role.CASHIER)
        with qtbot.waitSignal(app.signed_out, timeout=10_000):
            qtbot.mouseClick(window.sign_out_button, Qt.MouseButton.LeftButton)
        assert len(peer.calls_to("auth.logout")) == 1
        assert app.rpc.session_token is None
        assert app.login_window.isVisible()
        assert app.main_window is None
        assert app.login_window.password_edit.text() == ""
        assert peer.calls_to("auth.logout")[0].headers["authorization"] == "Bearer tok-1"
        assert not app.session.signed_in


class TestPasswordGate:
    def test_change_required_locks_other_screens(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer) -> None:
        """A user who must change their password sees only the account screen until they have."""
        peer.on("auth.change_password", Reply.ok(Empty()))
        window = sign_in(qtbot, make_app(locale="zh_CN"), peer, Role.SUPERVISOR, change_required=True)
        account = window.screen_widget("account")
        assert isinstance(account, AccountScreen)
        assert window.stack.currentWidget() is account
        assert account.banner_label.isVisibleTo(window)
        assert not window.show_screen("desk")
        assert not (window.nav_list.item(1).flags() & Qt.ItemFlag.ItemIsEnabled)

        account.old_password_edit.setText("init-pass-1")
        account.new_password_edit.setText("my-own-pass-1")
        account.repeat_password_edit.setText("my-own-pass-2")
        account.change_button.click()
        assert account.message_label.text() == "两次输入的新密码不一致。"
        assert peer.calls_to("auth.change_password") == []

        account.repeat_password_edit.setText("my-own-pass-1")
        with qtbot.waitSignal(account.password_changed, timeout=10_000):
            account.change_button.click()
        assert peer.calls_to("auth.change_password")[0].json() == {
            "old_password": "init-pass-1", "new_password": "my-own-pass-1"}
        assert account.message_label.text() == "密码已修改。"
        assert not account.banner_label.isVisibleTo(window)
        assert window.show_screen("desk")
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=10_000)  # the desk asks for the shift as it opens

    def test_weak_password_sentence(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer) -> None:
        """The server's PASSWORD_TOO_WEAK is shown with the minimum length."""
        peer.on("auth.change_password", Reply.error(ErrorCode.PASSWORD_TOO_WEAK, {"min_length": 8}))
        window = sign_in(qtbot, make_app(locale="zh_CN"), peer, Role.CASHIER)
        account = window.screen_widget("account")
        assert isinstance(account, AccountScreen)
        window.show_screen("account")
        account.old_password_edit.setText("old-pass-1")
        account.new_password_edit.setText("short")
        account.repeat_password_edit.setText("short")
        account.change_button.click()
        qtbot.waitUntil(lambda: _error_box_text(account) is not None, timeout=10_000)
        assert _error_box_text(account) == "新密码强度不足：至少需要 8 个字符。"


def _error_box_text(widget: object) -> str | None:
    from PySide6.QtWidgets import QMessageBox, QWidget

    assert isinstance(widget, QWidget)
    box = widget.findChild(QMessageBox, "errorBox")
    return box.text() if box is not None else None
