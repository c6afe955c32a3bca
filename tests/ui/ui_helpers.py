"""Builders for the UI tests: contract answers for each role, and signing in through the login window."""

from __future__ import annotations

from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from client.ui.app import ClientApp
from client.ui.main_window import MainWindow
from client.ui.ops import running_ops
from shared_models.methods.auth import CounterInfo, LoginResult, UserInfo, WhoamiResult
from shared_models.methods.shifts import CurrentShift
from shared_models.roles import ROLE_PERMISSIONS, Role
from tests.client.wire_peer import Reply, WirePeer

COUNTER = "H0101-01"
DEVICE_KEY = "device-key-H0101-01"
NAMES = {
    Role.CASHIER: ("zhang.san", "张三"),
    Role.METER_READER: ("li.si", "李四"),
    Role.SUPERVISOR: ("wang.wu", "王五"),
    Role.BILLING_CLERK: ("zhao.liu", "赵六"),
    Role.BUSINESS_CLERK: ("sun.qi", "孙七"),
    Role.ADMIN: ("admin", "管理员甲"),
}


def user_info(role: Role) -> UserInfo:
    """The signed-in user of ``role`` with the permissions the matrix gives that role."""
    username, display_name = NAMES[role]
    return UserInfo(user_id=list(Role).index(role) + 1, username=username, display_name=display_name, role=role,
                    permissions=sorted(ROLE_PERMISSIONS[role]), org_unit_name="城东营业厅")


def counter_info() -> CounterInfo:
    """Counter 1 of the east hall."""
    return CounterInfo(code=COUNTER, name="1号柜台", hall_code="H0101", hall_name="城东营业厅")


def login_result(
    role: Role, *, change_required: bool = False, token: str = "tok-1",  # noqa: S107 - a fake session token
) -> LoginResult:
    """A successful sign-in of ``role``."""
    return LoginResult(token=token, user=user_info(role), counter=counter_info(), idle_timeout_s=1800,
                       server_time=datetime.now(UTC), password_change_required=change_required)


def whoami_result(role: Role) -> WhoamiResult:
    """The whoami answer for ``role``."""
    return WhoamiResult(user=user_info(role), counter=counter_info(), server_time=datetime.now(UTC),
                        idle_timeout_s=1800)


def sign_in(qtbot: QtBot, app: ClientApp, peer: WirePeer, role: Role, *, change_required: bool = False) -> MainWindow:
    """Sign in as ``role`` by typing into the login window and clicking Sign in; returns the main window."""
    peer.on("auth.login", Reply.ok(login_result(role, change_required=change_required)))
    peer.on("auth.whoami", Reply.ok(whoami_result(role)))
    peer.on("shift.get_current", Reply.ok(CurrentShift(shift=None, next_receipt_seq=1)))
    window = app.login_window
    if not window.isVisible():
        with qtbot.waitSignal(window.connection_checked, timeout=10_000):
            app.start()
    window.username_edit.setText(NAMES[role][0])
    window.password_edit.setText("pass-1234")
    with qtbot.waitSignal(window.signed_in, timeout=10_000):
        window.login_button.click()
    assert app.main_window is not None
    # The first screen may ask the server something as it opens (the shift, for a cashier): let it land.
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=10_000)
    return app.main_window
