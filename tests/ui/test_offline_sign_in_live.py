# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""Offline sign-in through the real client (SPEC §5): a cashier who signed in online at counter H0101 signs in
at the login window while the link-cutting proxy holds the link down, works offline-verified, and is signed
in online by the client itself when the link heals — against the live server on PostgreSQL. A user the
server disabled meanwhile is refused when the link returns, and their cached verifier is gone."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from client.core.config import ClientPaths
from client.ui.app import ClientApp
from client.ui.ops import is_running, running_ops
from server.demo_data import DEMO_PASSWORD
from tests.chaos.proxy import ChaosProxy
from tests.ui.desk_helpers import (  # noqa: F401 - fixtures by name
    TIMEOUT_MS,
    DeskServer,
    counter_apps,
    desk_server,
    link,
    sql,
)

pytestmark = pytest.mark.timeout(300)
COUNTER = "H0101"
#: The client tries the online sign-in this often while offline-verified (15 s in the field).
RECONNECT_MS = 300
CASHIER_SCREENS = ["account", "shift", "desk", "cardsale", "settlement", "outbox", "tariffs", "calculator"]

AppFactory = Callable[[], ClientApp]


@pytest.fixture
def make_client(  # noqa: PLR0917 - pytest hands fixtures in
    qapp: QApplication, qtbot: QtBot, client_paths: ClientPaths, qm_dir: Path, desk_server: DeskServer,  # noqa: F811
    link: ChaosProxy,  # noqa: F811
) -> Iterator[AppFactory]:
    """Counter H0101 set up by its operator (CA pinned, device key), talking to the server through ``link``."""
    yield from counter_apps(qapp, qtbot, client_paths, qm_dir, desk_server, link, counter=COUNTER,
                            reconnect_interval_ms=RECONNECT_MS)


def type_sign_in(qtbot: QtBot, app: ClientApp, username: str) -> bool:
    """Type ``username`` and the demo password at the login window and press Sign in; True when signed in."""
    window = app.login_window
    window.username_edit.setText(username)
    window.password_edit.setText(DEMO_PASSWORD)
    signed: list[object] = []
    window.signed_in.connect(signed.append)
    window.login_button.click()
    qtbot.waitUntil(lambda: not is_running(window, "login"), timeout=TIMEOUT_MS)
    window.signed_in.disconnect(signed.append)
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)
    return bool(signed)


def sign_out(qtbot: QtBot, app: ClientApp) -> None:
    """Press Sign out in the status bar and wait until the server was told."""
    window = app.main_window
    assert window is not None
    with qtbot.waitSignal(app.signed_out, timeout=TIMEOUT_MS):
        window.sign_out_button.click()
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)


def server_sessions(server: DeskServer, username: str) -> int:
    """How many sessions the server ever opened for ``username``."""
    [(count,)] = sql(server, "SELECT count(*) FROM user_sessions s JOIN users u ON u.id = s.user_id"
                             " WHERE u.username = :u", u=username)
    return int(str(count))


def test_offline_sign_in_then_online_when_the_link_heals(
    qtbot: QtBot, make_client: AppFactory, link: ChaosProxy, desk_server: DeskServer,  # noqa: F811
) -> None:
    """Signed in online once, signed out, link cut: the cashier signs in offline at the login window, the status
    bar says offline-verified; the link heals and the client opens a server session by itself."""
    app = make_client()
    assert type_sign_in(qtbot, app, "cashier0101")
    assert not app.session.offline_verified
    sign_out(qtbot, app)
    sessions = server_sessions(desk_server, "cashier0101")

    link.cut()
    assert type_sign_in(qtbot, app, "cashier0101")
    window = app.main_window
    assert window is not None
    assert app.session.offline_verified
    assert window.screen_names() == CASHIER_SCREENS
    assert window.session_label.text() == "离线验证登录：网络恢复后将自动联网登录"
    assert window.link_label.text() == "● 离线"
    assert app.login_window.link_label.text() == "无法连接服务器：已离线登录（由本柜台验证）"
    assert app.rpc.session_token is None
    assert server_sessions(desk_server, "cashier0101") == sessions

    link.heal()
    qtbot.waitUntil(lambda: not app.session.offline_verified, timeout=60_000)
    assert app.main_window is window
    assert window.session_label.isHidden()
    assert app.rpc.session_token is not None
    assert server_sessions(desk_server, "cashier0101") == sessions + 1
    qtbot.waitUntil(lambda: window.link_label.text() == "● 在线", timeout=TIMEOUT_MS)


def test_user_disabled_meanwhile_is_refused_and_wiped(
    qtbot: QtBot, make_client: AppFactory, link: ChaosProxy, desk_server: DeskServer,  # noqa: F811
) -> None:
    """The server disables a cashier who then signs in offline: when the link returns the online sign-in is
    refused, the session ends with the reason, and the next offline sign-in is refused (verifier wiped)."""
    app = make_client()
    assert type_sign_in(qtbot, app, "cashier0102")
    sign_out(qtbot, app)
    sql(desk_server, "UPDATE users SET active = false WHERE username = 'cashier0102' RETURNING id")
    try:
        link.cut()
        assert type_sign_in(qtbot, app, "cashier0102")  # the counter cannot know yet
        assert app.session.offline_verified
        link.heal()
        qtbot.waitUntil(lambda: app.main_window is None, timeout=60_000)
        assert app.login_window.isVisible()
        assert app.login_window.error_label.text() == "账号 cashier0102 已停用，请联系管理员。"
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)
        assert app.verifiers is not None
        assert not app.verifiers(COUNTER).knows(username="cashier0102", counter_code=COUNTER)

        link.cut()
        assert not type_sign_in(qtbot, app, "cashier0102")
        assert app.login_window.error_label.text() == (
            "无法连接服务器，cashier0102 也不能在 H0101 号柜台离线登录：离线登录前须先在本柜台联网登录过一次。")
        link.heal()
    finally:
        sql(desk_server, "UPDATE users SET active = true WHERE username = 'cashier0102' RETURNING id")
