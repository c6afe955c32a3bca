# pytest-qt's QtBot and ModelTester are untyped:
# mypy: disable-error-code="no-untyped-call"
"""The working screens against the live server: users (with co-signed reset), customer by 户号, audit trail.

Every answer is the real server's (tests/ui/live_client.py); a test sets its stage in the live server's
database (a locked or disabled user, a tampered audit record) as the factories do. One test keeps the
scripted wire peer (tests/client/wire_peer.py), because the stand-in is its point: an administrator
refused a permission the real server grants every administrator."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from client.core.rpc_client import RpcClient, RpcError
from client.ui.app import ClientApp
from client.ui.main_window import MainWindow
from client.ui.ops import running_ops
from client.ui.screens.audit_screen import AuditScreen
from client.ui.screens.customer_screen import CustomerScreen
from client.ui.screens.user_dialogs import CreateUserDialog, ResetPasswordDialog
from client.ui.screens.users_screen import UsersScreen
from shared_models.errors import ErrorCode
from shared_models.methods.audit import LIST_AUDIT, VERIFY_AUDIT, ListAuditRequest
from shared_models.methods.auth import LOGIN, LoginRequest
from shared_models.methods.customers import GET_CUSTOMER, CustomerProfile, GetCustomerRequest
from shared_models.money import format_fen
from shared_models.pinning import ca_fingerprint
from shared_models.roles import Role
from shared_models.rpc import Empty
from tests.client.wire_peer import Reply, WirePeer
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.factories import DEVICE_KEYS, ZHANG_WEI, password_for
from tests.ui.conftest import AppFactory
from tests.ui.live_client import (
    LIVE_COUNTER,
    TIMEOUT_MS,
    LiveAppFactory,
    live_sql,
    live_store,  # noqa: F401 - the fixture
    make_live_app,  # noqa: F401 - the fixture
    sign_in_live,
)
from tests.ui.ui_helpers import sign_in


def _error_box(widget: QWidget) -> QMessageBox | None:
    return widget.findChild(QMessageBox, "errorBox")


def _open(window: MainWindow, name: str) -> QWidget:
    assert window.show_screen(name)
    screen = window.screen_widget(name)
    assert screen is not None
    return screen


def _can_sign_in(live: LiveServer, username: str, password: str) -> bool:
    """Whether the server accepts ``password`` for ``username`` at the counter (a session it then ends)."""
    pin = ca_fingerprint(live.ca.read_bytes())
    rpc = RpcClient(ca_file=live.ca, ca_pin=lambda: pin, client_version="test", server_url=live.url)
    try:
        rpc.call(LOGIN, LoginRequest(username=username, password=password, counter_code=LIVE_COUNTER,
                                     device_key=DEVICE_KEYS[LIVE_COUNTER]))
    except RpcError:  # refused: wrong password, disabled, locked
        return False
    finally:
        rpc.close()
    return True


class TestUsersScreen:
    def _screen(self, qtbot: QtBot, build: LiveAppFactory, live: LiveServer) -> UsersScreen:
        window = sign_in_live(qtbot, build(locale="en"), "admin1")
        screen = _open(window, "users")
        assert isinstance(screen, UsersScreen)
        [(count,)] = live_sql(live, "SELECT count(*) FROM users")
        qtbot.waitUntil(lambda: screen.model.rowCount() == count, timeout=TIMEOUT_MS)
        qtbot.waitUntil(screen.refresh_button.isEnabled, timeout=TIMEOUT_MS)
        return screen

    @staticmethod
    def _state(screen: UsersScreen, username: str) -> str:
        """The state column of ``username``'s row."""
        for row in range(screen.model.rowCount()):
            if screen.model.index(row, 0).data() == username:
                return str(screen.model.index(row, 4).data())
        raise AssertionError(username)

    def test_list_and_unlock(self, qtbot: QtBot, make_live_app: LiveAppFactory,  # noqa: F811
                             live_server: LiveServer) -> None:  # noqa: F811
        """The table lists the server's users; Unlock on a locked user lifts the lock on the server and reloads."""
        live_sql(live_server, "UPDATE users SET locked_until = now() + interval '10 minutes', failed_attempts = 5"
                              " WHERE username = 'super2'")
        screen = self._screen(qtbot, make_live_app, live_server)
        assert self._state(screen, "super2") == "Locked"
        screen.select_username("cashier1")
        assert not screen.unlock_button.isEnabled()
        screen.select_username("super2")
        assert screen.unlock_button.isEnabled()
        screen.unlock_button.click()
        qtbot.waitUntil(lambda: screen.status_label.text() == "super2 is unlocked.", timeout=TIMEOUT_MS)
        qtbot.waitUntil(lambda: self._state(screen, "super2") != "Locked", timeout=TIMEOUT_MS)
        qtbot.waitUntil(screen.refresh_button.isEnabled, timeout=TIMEOUT_MS)
        assert live_sql(live_server, "SELECT locked_until FROM users WHERE username = 'super2'") == [(None,)]

    def test_disable_and_enable(self, qtbot: QtBot, make_live_app: LiveAppFactory,  # noqa: F811
                                live_server: LiveServer) -> None:  # noqa: F811
        """The toggle reads Disable or Enable after the selected user's state and the server does that."""
        live_sql(live_server, "UPDATE users SET active = false WHERE username = 'billing1'")
        screen = self._screen(qtbot, make_live_app, live_server)
        screen.select_username("billing1")
        assert screen.toggle_button.text() == "Enable"
        screen.select_username("cashier3")
        assert screen.toggle_button.text() == "Disable"
        screen.toggle_button.click()
        qtbot.waitUntil(lambda: screen.status_label.text() == "cashier3 is disabled.", timeout=TIMEOUT_MS)
        qtbot.waitUntil(screen.refresh_button.isEnabled, timeout=TIMEOUT_MS)
        assert live_sql(live_server, "SELECT active FROM users WHERE username = 'cashier3'") == [(False,)]
        assert not _can_sign_in(live_server, "cashier3", password_for("cashier3"))

    def test_reset_password_with_cosign(self, qtbot: QtBot, make_live_app: LiveAppFactory,  # noqa: F811
                                        live_server: LiveServer) -> None:  # noqa: F811
        """Reset sends the new password with the co-signer's credential; a bad co-sign keeps the dialog open,
        a good one makes the new password the one the server accepts."""
        screen = self._screen(qtbot, make_live_app, live_server)
        screen.select_username("cashier2")
        screen.reset_button.click()
        dialog = screen.findChild(ResetPasswordDialog)
        assert dialog is not None
        assert dialog.isVisible()
        dialog.password_edit.setText("new-pass-123")
        dialog.repeat_edit.setText("new-pass-123")
        dialog.cosign_user_edit.setText("super1")
        dialog.cosign_password_edit.setText("not-the-password-1")
        dialog.ok_button.click()
        qtbot.waitUntil(
            lambda: dialog.error_label.text() == "The co-signer's user name or password is wrong.", timeout=TIMEOUT_MS)
        qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=TIMEOUT_MS)
        assert dialog.isVisible()
        assert _can_sign_in(live_server, "cashier2", password_for("cashier2"))  # nothing changed

        dialog.cosign_password_edit.setText(password_for("super1"))
        with qtbot.waitSignal(dialog.password_reset, timeout=TIMEOUT_MS):
            dialog.ok_button.click()
        qtbot.waitUntil(lambda: "cashier2 is reset" in screen.status_label.text(), timeout=TIMEOUT_MS)
        qtbot.waitUntil(screen.refresh_button.isEnabled, timeout=TIMEOUT_MS)
        assert _can_sign_in(live_server, "cashier2", "new-pass-123")
        assert not _can_sign_in(live_server, "cashier2", password_for("cashier2"))

    def test_create_user(self, qtbot: QtBot, make_live_app: LiveAppFactory,  # noqa: F811
                         live_server: LiveServer) -> None:  # noqa: F811
        """The new-user dialog checks the repeated password locally, then the server creates the user."""
        screen = self._screen(qtbot, make_live_app, live_server)
        screen.create_button.click()
        dialog = screen.findChild(CreateUserDialog)
        assert dialog is not None
        qtbot.keyClicks(dialog.username_edit, "qian.ba")
        dialog.display_name_edit.setText("钱八")
        dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(Role.SUPERVISOR.value))
        dialog.org_unit_edit.setText("T01")
        dialog.password_edit.setText("first-pass-1")
        dialog.repeat_edit.setText("first-pass-2")
        dialog.ok_button.click()
        assert dialog.error_label.text() == "The two passwords do not match."
        assert running_ops() == 0  # nothing sent
        dialog.repeat_edit.setText("first-pass-1")
        with qtbot.waitSignal(dialog.user_created, timeout=TIMEOUT_MS):
            dialog.ok_button.click()
        qtbot.waitUntil(lambda: screen.status_label.text() == "qian.ba is created.", timeout=TIMEOUT_MS)
        qtbot.waitUntil(screen.refresh_button.isEnabled, timeout=TIMEOUT_MS)
        assert live_sql(live_server, "SELECT u.display_name, u.role, o.code FROM users u"
                                     " JOIN org_units o ON o.id = u.org_unit_id WHERE u.username = 'qian.ba'") == [
            ("钱八", "supervisor", "T01")]
        assert self._state(screen, "qian.ba") != ""

    def test_permission_denied_sentence(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer) -> None:
        """A missing permission reported by the server is shown as its own sentence, in Chinese.

        Scripted (wire peer): the real server grants every administrator the permission to manage users,
        so only a stand-in can refuse it to one."""
        peer.on("admin.list_users", Reply.error(ErrorCode.PERMISSION_DENIED, {"permission": "manage_users"}))
        window = sign_in(qtbot, make_app(locale="zh_CN"), peer, Role.ADMIN)
        screen = _open(window, "users")
        qtbot.waitUntil(lambda: _error_box(screen) is not None, timeout=10_000)
        box = _error_box(screen)
        assert box is not None
        assert box.text() == "您没有执行此操作所需的“用户管理”权限。"
        box.close()


def _profile(app: ClientApp, customer_no: str) -> CustomerProfile:
    """The customer as the server has it now, asked with the application's own signed-in client."""
    return app.rpc.call(GET_CUSTOMER, GetCustomerRequest(customer_no=customer_no))


def _tamper(live: LiveServer, sql: str) -> None:
    """Change the append-only books behind the server's back, as an intruder with database access would."""
    engine = create_engine(live.db_url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))  # past the append-only triggers
            conn.execute(text(sql))
    finally:
        engine.dispose()


class TestCustomerScreen:
    def _screen(self, qtbot: QtBot, build: LiveAppFactory,
                username: str = "business1") -> tuple[CustomerScreen, ClientApp]:  # cashiers have the desk
        app = build(locale="zh_CN")
        screen = _open(sign_in_live(qtbot, app, username), "customer")
        assert isinstance(screen, CustomerScreen)
        return screen, app

    def test_malformed_number_checked_locally(self, qtbot: QtBot, make_live_app: LiveAppFactory) -> None:  # noqa: F811
        """A 户号 that is not 10 or 13 digits is refused before any call."""
        screen, _ = self._screen(qtbot, make_live_app)
        qtbot.keyClicks(screen.customer_no_edit, "12345")
        screen.customer_no_edit.returnPressed.emit()
        assert screen.message_label.text() == "户号应为 10 位或 13 位数字。"
        assert running_ops() == 0  # nothing asked
        assert screen.values["nameValue"].text() == ""

    def test_lookup_shows_profile(self, qtbot: QtBot, make_live_app: LiveAppFactory) -> None:  # noqa: F811
        """Enter on a 户号 shows the server's profile: the masked ID number, the meters, the balance in yuan."""
        screen, app = self._screen(qtbot, make_live_app)
        expected = _profile(app, ZHANG_WEI)
        qtbot.keyClicks(screen.customer_no_edit, ZHANG_WEI)
        screen.customer_no_edit.returnPressed.emit()
        qtbot.waitUntil(lambda: screen.values["nameValue"].text() == "张伟", timeout=TIMEOUT_MS)
        qtbot.waitUntil(screen.lookup_button.isEnabled, timeout=TIMEOUT_MS)
        assert screen.values["idNumberValue"].text() == expected.id_number_masked
        assert "*" in expected.id_number_masked
        assert screen.values["balanceValue"].text() == format_fen(expected.balance_fen)
        shown = [screen.values[name].text() for name in ("categoryValue", "statusValue", "paymentModeValue")]
        assert shown == ["居民生活", "正常供电", "后付费"]
        assert screen.meters_table.rowCount() == len(expected.meters) >= 1
        asset = screen.meters_table.item(0, 0)
        assert asset is not None
        assert asset.text() == expected.meters[0].asset_no
        assert screen.contact_box.isVisibleTo(screen)

    def test_unknown_customer(self, qtbot: QtBot, make_live_app: LiveAppFactory) -> None:  # noqa: F811
        """An unknown 户号 is named in the server's sentence."""
        screen, _ = self._screen(qtbot, make_live_app)
        qtbot.keyClicks(screen.customer_no_edit, "3309999999")
        screen.lookup_button.click()
        qtbot.waitUntil(lambda: _error_box(screen) is not None, timeout=TIMEOUT_MS)
        box = _error_box(screen)
        assert box is not None
        assert box.text() == "未找到户号为 3309999999 的客户。"
        box.close()

    def test_update_phone(self, qtbot: QtBot, make_live_app: LiveAppFactory) -> None:  # noqa: F811
        """A phone that is not one is refused before any call; saving a good one stores it on the server
        (a key on the call, an audit record) and shows the new profile."""
        screen, app = self._screen(qtbot, make_live_app)
        before = _profile(app, ZHANG_WEI)
        qtbot.keyClicks(screen.customer_no_edit, ZHANG_WEI)
        screen.look_up()
        qtbot.waitUntil(lambda: screen.phone_edit.text() == before.phone, timeout=TIMEOUT_MS)
        qtbot.waitUntil(screen.save_phone_button.isEnabled, timeout=TIMEOUT_MS)
        screen.phone_edit.setText("abc")
        screen.save_phone_button.click()
        qtbot.waitUntil(lambda: _error_box(screen) is not None, timeout=TIMEOUT_MS)
        box = _error_box(screen)
        assert box is not None
        assert box.text().startswith("“联系电话”的输入未被接受")
        box.close()
        assert _profile(app, ZHANG_WEI).phone == before.phone
        qtbot.waitUntil(lambda: _error_box(screen) is None, timeout=5_000)

        screen.phone_edit.setText("13900001111")
        screen.save_phone_button.click()
        qtbot.waitUntil(lambda: screen.message_label.text() == "联系电话已保存。", timeout=TIMEOUT_MS)
        assert screen.values["phoneValue"].text() == "13900001111"
        assert _profile(app, ZHANG_WEI).phone == "13900001111"

    def test_reader_cannot_edit(self, qtbot: QtBot, make_live_app: LiveAppFactory) -> None:  # noqa: F811
        """Without EDIT_CUSTOMERS the contact editor is not offered."""
        screen, _ = self._screen(qtbot, make_live_app, username="reader1")
        assert not screen.contact_box.isVisibleTo(screen)


class TestAuditScreen:
    def test_list_and_verify(self, qtbot: QtBot, make_live_app: LiveAppFactory,  # noqa: F811
                             live_server: LiveServer) -> None:  # noqa: F811
        """The newest records are listed as the server has them; Verify shows success, then, once a record
        has been tampered with in the database, the broken chain's problems."""
        app = make_live_app(locale="zh_CN")
        window = sign_in_live(qtbot, app, "super1")
        screen = _open(window, "audit")
        assert isinstance(screen, AuditScreen)
        page = app.rpc.call(LIST_AUDIT, ListAuditRequest(username=None, limit=200))
        assert page.records  # the sign-ins at least
        qtbot.waitUntil(lambda: screen.model.rowCount() >= len(page.records), timeout=TIMEOUT_MS)
        qtbot.waitUntil(screen.refresh_button.isEnabled, timeout=TIMEOUT_MS)
        shown = {str(screen.model.index(row, 5).data()) for row in range(screen.model.rowCount())}
        assert {r.target for r in page.records if r.target} <= shown

        verified = app.rpc.call(VERIFY_AUDIT, Empty())
        assert verified.ok
        screen.verify_button.click()
        qtbot.waitUntil(lambda: screen.result_label.text() != "", timeout=TIMEOUT_MS)
        qtbot.waitUntil(screen.verify_button.isEnabled, timeout=TIMEOUT_MS)
        assert screen.result_label.text() == \
            f"全部 {verified.chains} 条审计链（共 {verified.records} 条记录）校验通过。"

        _tamper(live_server, "UPDATE audit_log SET after = '{\"phone\": \"13000000000\"}' WHERE id = "
                             "(SELECT min(id) FROM audit_log)")
        broken = app.rpc.call(VERIFY_AUDIT, Empty())
        assert not broken.ok
        screen.verify_button.click()
        qtbot.waitUntil(lambda: screen.result_label.text().startswith("审计记录校验未通过："), timeout=TIMEOUT_MS)
        qtbot.waitUntil(screen.verify_button.isEnabled, timeout=TIMEOUT_MS)
        assert screen.result_label.text() == "审计记录校验未通过：" + "; ".join(broken.problems)
