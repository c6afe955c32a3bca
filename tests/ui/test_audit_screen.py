"""The supervisor's audit screen against the live server: refused attempts made over the wire are found by
the kind and user filters, and read back from what the table renders."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from client.core.rpc_client import RpcClient, RpcError
from client.ui.models.audit_table_model import REFUSED_COLOR
from client.ui.ops import running_ops
from client.ui.screens.audit_screen import AuditScreen
from shared_models.errors import ErrorCode
from shared_models.methods.audit import LIST_AUDIT, VERIFY_AUDIT, ListAuditRequest
from shared_models.methods.auth import LOGIN, LoginRequest
from shared_models.pinning import ca_fingerprint
from shared_models.rpc import Empty
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.factories import DEVICE_KEYS
from tests.ui.live_helpers import SignIn, live_client, sign_in_live  # noqa: F401 - the fixture

USER, METHOD, TARGET, REFUSED = 1, 4, 5, 7  # columns of the audit table


def _refused(call: Callable[[], object], code: ErrorCode) -> None:
    with pytest.raises(RpcError) as caught:
        call()
    assert caught.value.code is code


def _attempts(live: LiveServer) -> None:
    """Three refused attempts over the wire: two reads the roles lack, one wrong password at sign-in."""
    cashier, _ = live_client(live, "cashier1", "T0101")
    reader, _ = live_client(live, "reader1", "T0102")
    pin = ca_fingerprint(live.ca.read_bytes())
    anonymous = RpcClient(ca_file=live.ca, ca_pin=lambda: pin, client_version="test", server_url=live.url)
    try:
        _refused(lambda: cashier.call(LIST_AUDIT, ListAuditRequest()), ErrorCode.PERMISSION_DENIED)
        _refused(lambda: reader.call(VERIFY_AUDIT, Empty()), ErrorCode.PERMISSION_DENIED)
        _refused(lambda: anonymous.call(LOGIN, LoginRequest(
            username="cashier2", password="not-the-password-1", counter_code="T0101",
            device_key=DEVICE_KEYS["T0101"])), ErrorCode.INVALID_CREDENTIALS)
    finally:
        for rpc in (cashier, reader, anonymous):
            rpc.close()


def _rendered(screen: AuditScreen) -> list[tuple[str, str, str, str]]:
    """(user, action, target, refusal) of each row, as the table shows them."""
    model = screen.table.model()
    return [tuple(str(model.index(row, col).data()) for col in (USER, METHOD, TARGET, REFUSED))  # type: ignore[misc]
            for row in range(model.rowCount())]


def _settled(qtbot: QtBot, screen: AuditScreen, condition: Callable[[], bool]) -> None:
    qtbot.waitUntil(lambda: running_ops() == 0 and condition(), timeout=30_000)


def test_filter_refused_attempts_and_by_user(qtbot: QtBot, sign_in_live: SignIn, live_server: LiveServer,  # noqa: F811
                                             use_locale: Callable[[str], None]) -> None:
    """Refused attempts shows only them, newest first, each with its translated reason in red; a user name
    narrows them to that user; Changes shows none of them."""
    use_locale("zh_CN")
    _attempts(live_server)
    ctx = sign_in_live("super1", "T0101")
    screen = AuditScreen(ctx=ctx)
    qtbot.addWidget(screen)
    screen.show()
    screen.activate()
    _settled(qtbot, screen, lambda: screen.model.rowCount() > 0)
    everything = _rendered(screen)
    assert ("super1", "auth.login", "user:super1", "") in everything

    screen.kind_combo.setCurrentIndex(screen.kind_combo.findText("被拒绝的尝试"))
    _settled(qtbot, screen, lambda: {row[0] for row in _rendered(screen)} == {"cashier1", "reader1", "cashier2"})
    assert _rendered(screen) == [
        ("cashier2", "auth.login", "user:cashier2", "用户名或密码错误。"),
        ("reader1", "audit.verify_chain", "audit.verify_chain", "您没有执行此操作所需的“查看审计日志”权限。"),
        ("cashier1", "audit.list_records", "audit.list_records", "您没有执行此操作所需的“查看审计日志”权限。"),
    ]
    assert screen.table.model().index(0, 0).data(Qt.ItemDataRole.ForegroundRole) == REFUSED_COLOR

    screen.user_edit.setText("reader1")
    QTest.keyClick(screen.user_edit, Qt.Key.Key_Return)
    _settled(qtbot, screen, lambda: len(_rendered(screen)) == 1)
    assert _rendered(screen)[0][:2] == ("reader1", "audit.verify_chain")

    screen.user_edit.setText("super1")
    QTest.keyClick(screen.user_edit, Qt.Key.Key_Return)
    _settled(qtbot, screen, lambda: not _rendered(screen))
    screen.kind_combo.setCurrentIndex(screen.kind_combo.findText("变更"))
    _settled(qtbot, screen, lambda: len(_rendered(screen)) > 0)
    assert {(user, refused) for user, _, _, refused in _rendered(screen)} == {("super1", "")}
