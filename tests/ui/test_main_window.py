# pytest-qt's QtBot and ModelTester are untyped:
# mypy: disable-error-code="no-untyped-call"
"""The shell after sign-in, against the live server: screens per role, status bar and link, password gate,
session loss and sign-out. The link is cut with a real proxy in front of the server; an idle or ended
session is the server's own verdict on the session row it keeps."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from client.ui.main_window import MainWindow
from client.ui.ops import is_running, running_ops
from client.ui.screens.account_screen import AccountScreen
from server.settings import Settings
from shared_models.errors import ErrorCode
from shared_models.methods.admin import SET_USER_ACTIVE, SetUserActiveRequest
from shared_models.methods.auth import MIN_PASSWORD_LENGTH
from shared_models.roles import Role
from tests.action_helpers import confirmed
from tests.chaos.proxy import ChaosProxy
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.factories import World, password_for
from tests.ui.live_client import (
    LIVE_COUNTER,
    TIMEOUT_MS,
    LiveAppFactory,
    live_sql,
    live_store,  # noqa: F401 - the fixture
    make_live_app,  # noqa: F401 - the fixture
    sign_in_live,
)
from tests.ui.live_helpers import live_client

SCREENS = {
    Role.CASHIER: ["account", "shift", "desk", "cardsale", "settlement", "outbox", "tariffs", "calculator"],
    Role.METER_READER: ["account", "outbox", "customer", "handheld", "tariffs", "calculator"],
    Role.SUPERVISOR: ["account", "shift", "desk", "cardsale", "settlement", "outbox", "progress", "cardpending",
                      "tariffs", "calculator", "audit"],
    Role.BILLING_CLERK: ["account", "outbox", "customer", "billrun", "books", "handheld", "tariffs", "calculator"],
    Role.BUSINESS_CLERK: ["account", "customer", "tariffs", "calculator"],
    Role.ADMIN: ["account", "customer", "progress", "cardpending", "tariffs", "calculator", "users", "audit"],
}


@pytest.fixture
def link(live_server: LiveServer) -> Iterator[ChaosProxy]:  # noqa: F811 - fixture
    """The counter's link to the server: a proxy in front of it that the test cuts and heals."""
    tls = live_server.ca.parent
    port = int(live_server.url.rsplit(":", 1)[1])
    with ChaosProxy(upstream_port=port, cert_file=tls / "server.pem", key_file=tls / "server.key",
                    ca_file=live_server.ca) as proxy:
        yield proxy


def _last_session(live: LiveServer, username: str) -> int:
    """The id of ``username``'s newest session."""
    [(session_id,)] = live_sql(live, "SELECT max(s.id) FROM user_sessions s JOIN users u ON u.id = s.user_id"
                                     " WHERE u.username = :u", u=username)
    return int(str(session_id))


def _whoami_running(window: MainWindow) -> bool:
    return is_running(window, "whoami")


class TestScreensPerRole:
    @pytest.mark.parametrize("role", list(Role))
    def test_only_permitted_screens(self, qtbot: QtBot, make_live_app: LiveAppFactory, role: Role) -> None:  # noqa: F811
        """Each role sees exactly the screens its permissions allow, the account screen first."""
        window = sign_in_live(qtbot, make_live_app(locale="en"), World.ROLE_USERS[role])
        assert window.screen_names() == SCREENS[role]
        assert window.nav_list.count() == len(SCREENS[role])
        assert window.stack.count() == len(SCREENS[role])

    def test_navigation_labels_in_chinese(self, qtbot: QtBot, make_live_app: LiveAppFactory) -> None:  # noqa: F811
        """An administrator's navigation reads in Chinese, and the first working screen opens."""
        window = sign_in_live(qtbot, make_live_app(locale="zh_CN"), "admin1")
        titles = [window.nav_list.item(row).text() for row in range(window.nav_list.count())]
        assert titles == ["我的账号", "客户查询", "抄表进度", "待写卡", "电价", "测算电费", "用户管理", "审计日志"]
        assert window.stack.currentWidget() is window.screen_widget("customer")
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)


class TestStatusBar:
    def test_user_role_counter_and_link(self, qtbot: QtBot, make_live_app: LiveAppFactory) -> None:  # noqa: F811
        """The status bar names user, role and counter, and shows the link online."""
        window = sign_in_live(qtbot, make_live_app(locale="zh_CN"), "cashier1")
        assert window.user_label.text() == f"收费员甲（收费员）@ {LIVE_COUNTER}"
        assert window.link_label.text() == "● 在线"
        assert window.sign_out_button.objectName() == "signOutButton"
        assert window.sign_out_button.text() == "退出登录"

    def test_whoami_marks_offline_then_online(self, qtbot: QtBot, make_live_app: LiveAppFactory,  # noqa: F811
                                              link: ChaosProxy) -> None:
        """A whoami the cut link loses turns the link offline; the next one after the link heals turns it
        online again."""
        window = sign_in_live(qtbot, make_live_app(locale="zh_CN", server_url=link.url), "cashier1")
        link.cut()
        qtbot.waitUntil(lambda: not _whoami_running(window), timeout=TIMEOUT_MS)
        with qtbot.waitSignal(window.link_state_changed, timeout=TIMEOUT_MS) as changed:
            window.check_link()
        assert changed.args == [False]
        assert window.link_label.text() == "● 离线"
        qtbot.waitUntil(lambda: not _whoami_running(window), timeout=TIMEOUT_MS)
        link.heal()
        with qtbot.waitSignal(window.link_state_changed, timeout=TIMEOUT_MS) as changed:
            window.check_link()
        assert changed.args == [True]
        assert window.link_label.text() == "● 在线"
        # the sync worker hears the same call (and its own heartbeat): the whoami's Op still lands
        qtbot.waitUntil(lambda: not _whoami_running(window), timeout=TIMEOUT_MS)

    def test_periodic_whoami_checks_the_session(self, qtbot: QtBot, make_live_app: LiveAppFactory,  # noqa: F811
                                                live_server: LiveServer) -> None:  # noqa: F811
        """The whoami timer calls the server on its own, with the session: once the server has let the session
        idle out, the next tick brings back the login window with the reason, without anyone clicking."""
        app = make_live_app(locale="en", whoami_interval_ms=60_000)
        window = sign_in_live(qtbot, app, "cashier1")
        idle = Settings().idle_timeout_s
        live_sql(live_server, "UPDATE user_sessions SET last_seen_at = now() - :idle * interval '1 second'"
                              " - interval '1 minute' WHERE id = :id", idle=idle, id=_last_session(live_server,
                                                                                                   "cashier1"))
        window.whoami_timer.setInterval(50)
        qtbot.waitUntil(app.login_window.isVisible, timeout=TIMEOUT_MS)
        assert app.main_window is None
        assert app.session.ended_reason is ErrorCode.SESSION_EXPIRED
        assert app.login_window.error_label.text() == (
            f"You were signed out after {idle // 60} minutes without activity. Please sign in again.")
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)


class TestSessionEnd:
    @pytest.mark.parametrize(("code", "zh"), [
        (ErrorCode.SESSION_EXPIRED, "您已超过 {minutes} 分钟未操作，系统已自动退出登录，请重新登录。"),
        (ErrorCode.SESSION_INVALID, "您的登录已失效，请重新登录。"),
    ])
    def test_lost_session_returns_to_login(
        self, qtbot: QtBot, make_live_app: LiveAppFactory, live_server: LiveServer,  # noqa: F811
        code: ErrorCode, zh: str,
    ) -> None:
        """A call answered with an expired or ended session brings back the login window with the reason; a
        session the server ended (the user disabled) also wipes the offline verifier, an idle one not."""
        username = "cashier2"
        app = make_live_app(locale="zh_CN")
        window = sign_in_live(qtbot, app, username)
        assert app.verifiers is not None
        verifiers = app.verifiers(LIVE_COUNTER)
        assert verifiers.knows(username=username, counter_code=LIVE_COUNTER)  # cached by the online sign-in
        admin = None
        if code is ErrorCode.SESSION_EXPIRED:  # idle past the server's timeout
            live_sql(live_server, "UPDATE user_sessions SET last_seen_at = now() - :idle * interval '1 second'"
                                  " - interval '1 minute' WHERE id = :id",
                     idle=Settings().idle_timeout_s, id=_last_session(live_server, username))
        else:  # an administrator disables the user: the server ends the session
            admin, _ = live_client(live_server, "admin1", LIVE_COUNTER)
            admin.send(SET_USER_ACTIVE, SetUserActiveRequest(username=username, active=False), action=confirmed())
        try:
            window.check_link()
            qtbot.waitUntil(app.login_window.isVisible, timeout=TIMEOUT_MS)
            assert app.main_window is None
            qtbot.waitUntil(lambda: not shiboken6.isValid(window), timeout=5_000)  # deleted, not just hidden
            assert app.login_window.error_label.text() == zh.format(minutes=Settings().idle_timeout_s // 60)
            assert app.session.ended_reason is code
            assert app.rpc.session_token is None
            qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)
            assert verifiers.knows(username=username, counter_code=LIVE_COUNTER) is (
                code is ErrorCode.SESSION_EXPIRED)
        finally:
            if admin is not None:
                admin.send(SET_USER_ACTIVE, SetUserActiveRequest(username=username, active=True),
                           action=confirmed())
                admin.close()

    def test_sign_out(self, qtbot: QtBot, make_live_app: LiveAppFactory,  # noqa: F811
                      live_server: LiveServer) -> None:  # noqa: F811
        """Sign out ends the session on the server and shows the login window, password cleared."""
        app = make_live_app(locale="en")
        window = sign_in_live(qtbot, app, "cashier1")
        session_id = _last_session(live_server, "cashier1")
        with qtbot.waitSignal(app.signed_out, timeout=TIMEOUT_MS):
            qtbot.mouseClick(window.sign_out_button, Qt.MouseButton.LeftButton)
        assert live_sql(live_server, "SELECT end_reason FROM user_sessions WHERE id = :id", id=session_id) == [
            ("logout",)]
        assert app.rpc.session_token is None
        assert app.login_window.isVisible()
        assert app.main_window is None
        assert app.login_window.password_edit.text() == ""
        assert not app.session.signed_in


class TestPasswordGate:
    def test_change_required_locks_other_screens(self, qtbot: QtBot, make_live_app: LiveAppFactory,  # noqa: F811
                                                 live_server: LiveServer) -> None:  # noqa: F811
        """A user who must change their password sees only the account screen until they have; the server
        takes the new password and lifts the requirement."""
        live_sql(live_server, "UPDATE users SET must_change_password = true WHERE username = 'super2'")
        window = sign_in_live(qtbot, make_live_app(locale="zh_CN"), "super2")
        account = window.screen_widget("account")
        assert isinstance(account, AccountScreen)
        assert window.stack.currentWidget() is account
        assert account.banner_label.isVisibleTo(window)
        assert not window.show_screen("desk")
        assert not (window.nav_list.item(1).flags() & Qt.ItemFlag.ItemIsEnabled)

        account.old_password_edit.setText(password_for("super2"))
        account.new_password_edit.setText("my-own-pass-1")
        account.repeat_password_edit.setText("my-own-pass-2")
        account.change_button.click()
        assert account.message_label.text() == "两次输入的新密码不一致。"
        assert running_ops() == 0  # nothing sent

        account.repeat_password_edit.setText("my-own-pass-1")
        with qtbot.waitSignal(account.password_changed, timeout=TIMEOUT_MS):
            account.change_button.click()
        assert account.message_label.text() == "密码已修改。"
        assert not account.banner_label.isVisibleTo(window)
        assert window.show_screen("desk")
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)  # the desk asks for the shift as it opens
        assert live_sql(live_server, "SELECT must_change_password FROM users WHERE username = 'super2'") == [
            (False,)]

    def test_weak_password_sentence(self, qtbot: QtBot, make_live_app: LiveAppFactory) -> None:  # noqa: F811
        """The server's PASSWORD_TOO_WEAK (digits only) is shown with the minimum length."""
        window = sign_in_live(qtbot, make_live_app(locale="zh_CN"), "cashier1")
        account = window.screen_widget("account")
        assert isinstance(account, AccountScreen)
        window.show_screen("account")
        weak = "1" * MIN_PASSWORD_LENGTH
        account.old_password_edit.setText(password_for("cashier1"))
        account.new_password_edit.setText(weak)
        account.repeat_password_edit.setText(weak)
        account.change_button.click()
        qtbot.waitUntil(lambda: _error_box_text(account) is not None, timeout=TIMEOUT_MS)
        assert _error_box_text(account) == f"新密码强度不足：至少需要 {MIN_PASSWORD_LENGTH} 个字符。"


def _error_box_text(widget: QWidget) -> str | None:
    box = widget.findChild(QMessageBox, "errorBox")
    return box.text() if box is not None else None
