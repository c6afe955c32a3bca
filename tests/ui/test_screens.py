# pytest-qt's QtBot and ModelTester are untyped:
# mypy: disable-error-code="no-untyped-call"
"""The working screens: users (with co-signed reset), customer by 户号, audit trail."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from client.ui.main_window import MainWindow
from client.ui.screens.audit_screen import AuditScreen
from client.ui.screens.customer_screen import CustomerScreen
from client.ui.screens.user_dialogs import CreateUserDialog, ResetPasswordDialog
from client.ui.screens.users_screen import UsersScreen
from shared_models.errors import ErrorCode
from shared_models.methods.admin import CreateUserResult, UserPage, UserRow
from shared_models.methods.audit import AuditPage, AuditRow, VerifyAuditResult
from shared_models.methods.customers import (
    CustomerCategory,
    CustomerProfile,
    CustomerStatus,
    MeterInfo,
    PaymentMode,
)
from shared_models.roles import Role
from shared_models.rpc import Empty
from tests.client.wire_peer import Reply, WirePeer
from tests.ui.conftest import AppFactory
from tests.ui.ui_helpers import sign_in

CUSTOMER_NO = "3301000001"


def users() -> UserPage:
    """Three users: one active, one locked, one disabled."""
    later = datetime.now(UTC) + timedelta(minutes=10)

    def row(user_id: int, username: str, *, active: bool = True, locked: bool = False) -> UserRow:
        return UserRow(user_id=user_id, username=username, display_name=f"用户{user_id}", role=Role.CASHIER,
                       org_unit_code="H0101", org_unit_name="城东营业厅", active=active, locked=locked,
                       locked_until=later if locked else None, failed_attempts=5 if locked else 0)

    return UserPage(users=[row(1, "chen.yi"), row(2, "li.er", locked=True), row(3, "zhou.san", active=False)])


def profile(phone: str = "13800000000") -> CustomerProfile:
    """A residential customer with two meters and a prepayment balance."""
    return CustomerProfile(
        customer_no=CUSTOMER_NO, name="王建国", address="杭州市上城区解放路 18 号", phone=phone,
        id_number_masked="3301**********1234", category=CustomerCategory.RESIDENTIAL, status=CustomerStatus.ACTIVE,
        payment_mode=PaymentMode.POSTPAID,
        hall_code="H0101", tariff_name="居民阶梯电价", balance_fen=123456,
        meters=[MeterInfo(asset_no="3330001000000123", multiplier=1, digits=6),
                MeterInfo(asset_no="3330001000000456", multiplier=40, digits=8)],
    )


def _error_box(widget: QWidget) -> QMessageBox | None:
    return widget.findChild(QMessageBox, "errorBox")


def _open(window: MainWindow, name: str) -> QWidget:
    assert window.show_screen(name)
    screen = window.screen_widget(name)
    assert screen is not None
    return screen


class TestUsersScreen:
    def _screen(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer) -> UsersScreen:
        peer.on("admin.list_users", Reply.ok(users()))
        window = sign_in(qtbot, make_app(locale="en"), peer, Role.ADMIN)
        screen = _open(window, "users")
        assert isinstance(screen, UsersScreen)
        qtbot.waitUntil(lambda: screen.model.rowCount() == 3, timeout=10_000)
        qtbot.waitUntil(screen.refresh_button.isEnabled, timeout=10_000)
        return screen

    def test_list_and_unlock(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer) -> None:
        """The table lists users; Unlock on a locked user calls admin.unlock_user and reloads."""
        peer.on("admin.unlock_user", Reply.ok(Empty()))
        screen = self._screen(qtbot, make_app, peer)
        assert screen.model.index(1, 4).data() == "Locked"
        screen.select_username("chen.yi")
        assert not screen.unlock_button.isEnabled()
        screen.select_username("li.er")
        assert screen.unlock_button.isEnabled()
        screen.unlock_button.click()
        qtbot.waitUntil(lambda: screen.status_label.text() == "li.er is unlocked.", timeout=10_000)
        qtbot.waitUntil(lambda: len(peer.calls_to("admin.list_users")) == 2, timeout=10_000)
        qtbot.waitUntil(screen.refresh_button.isEnabled, timeout=10_000)
        call = peer.calls_to("admin.unlock_user")[0]
        assert call.json() == {"username": "li.er"}
        uuid.UUID(call.headers["idempotency-key"])

    def test_disable_and_enable(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer) -> None:
        """The toggle reads Disable or Enable after the selected user's state and sends that."""
        peer.on("admin.set_user_active", Reply.ok(Empty()))
        screen = self._screen(qtbot, make_app, peer)
        screen.select_username("zhou.san")
        assert screen.toggle_button.text() == "Enable"
        screen.select_username("chen.yi")
        assert screen.toggle_button.text() == "Disable"
        screen.toggle_button.click()
        qtbot.waitUntil(lambda: screen.status_label.text() == "chen.yi is disabled.", timeout=10_000)
        qtbot.waitUntil(screen.refresh_button.isEnabled, timeout=10_000)
        assert peer.calls_to("admin.set_user_active")[0].json() == {"username": "chen.yi", "active": False}

    def test_reset_password_with_cosign(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer) -> None:
        """Reset sends the new password with the co-signer's credential; a bad co-sign keeps the dialog open."""
        peer.on("admin.reset_password", Reply.error(ErrorCode.COSIGN_INVALID))
        screen = self._screen(qtbot, make_app, peer)
        screen.select_username("chen.yi")
        screen.reset_button.click()
        dialog = screen.findChild(ResetPasswordDialog)
        assert dialog is not None
        assert dialog.isVisible()
        dialog.password_edit.setText("new-pass-123")
        dialog.repeat_edit.setText("new-pass-123")
        dialog.cosign_user_edit.setText("wang.wu")
        dialog.cosign_password_edit.setText("supervisor-pw")
        dialog.ok_button.click()
        qtbot.waitUntil(
            lambda: dialog.error_label.text() == "The co-signer's user name or password is wrong.", timeout=10_000)
        qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=10_000)
        assert dialog.isVisible()

        peer.on("admin.reset_password", Reply.ok(Empty()))
        with qtbot.waitSignal(dialog.password_reset, timeout=10_000):
            dialog.ok_button.click()
        call = peer.calls_to("admin.reset_password")[-1]
        assert call.json() == {"username": "chen.yi", "new_password": "new-pass-123"}
        cosign = json.loads(base64.b64decode(call.headers["x-gridcounter-cosign"]))
        assert cosign == {"username": "wang.wu", "password": "supervisor-pw"}
        qtbot.waitUntil(lambda: "chen.yi is reset" in screen.status_label.text(), timeout=10_000)
        qtbot.waitUntil(screen.refresh_button.isEnabled, timeout=10_000)

    def test_create_user(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer) -> None:
        """The new-user dialog checks the repeated password locally, then creates the user."""
        peer.on("admin.create_user", Reply.ok(CreateUserResult(user_id=9)))
        screen = self._screen(qtbot, make_app, peer)
        screen.create_button.click()
        dialog = screen.findChild(CreateUserDialog)
        assert dialog is not None
        qtbot.keyClicks(dialog.username_edit, "qian.ba")
        dialog.display_name_edit.setText("钱八")
        dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(Role.SUPERVISOR.value))
        dialog.org_unit_edit.setText("H0101")
        dialog.password_edit.setText("first-pass-1")
        dialog.repeat_edit.setText("first-pass-2")
        dialog.ok_button.click()
        assert dialog.error_label.text() == "The two passwords do not match."
        dialog.repeat_edit.setText("first-pass-1")
        with qtbot.waitSignal(dialog.user_created, timeout=10_000):
            dialog.ok_button.click()
        assert peer.calls_to("admin.create_user")[0].json() == {
            "username": "qian.ba", "display_name": "钱八", "role": "supervisor", "org_unit_code": "H0101",
            "initial_password": "first-pass-1"}
        qtbot.waitUntil(lambda: screen.status_label.text() == "qian.ba is created.", timeout=10_000)
        qtbot.waitUntil(screen.refresh_button.isEnabled, timeout=10_000)

    def test_permission_denied_sentence(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer) -> None:
        """A missing permission reported by the server is shown as its own sentence, in Chinese."""
        peer.on("admin.list_users", Reply.error(ErrorCode.PERMISSION_DENIED, {"permission": "manage_users"}))
        window = sign_in(qtbot, make_app(locale="zh_CN"), peer, Role.ADMIN)
        screen = _open(window, "users")
        qtbot.waitUntil(lambda: _error_box(screen) is not None, timeout=10_000)
        box = _error_box(screen)
        assert box is not None
        assert box.text() == "您没有执行此操作所需的“用户管理”权限。"
        box.close()


class TestCustomerScreen:
    def _screen(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer,
                role: Role = Role.BUSINESS_CLERK) -> CustomerScreen:  # cashiers have the desk instead
        window = sign_in(qtbot, make_app(locale="zh_CN"), peer, role)
        screen = _open(window, "customer")
        assert isinstance(screen, CustomerScreen)
        return screen

    def test_malformed_number_checked_locally(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer) -> None:
        """A 户号 that is not 10 or 13 digits is refused before any call."""
        screen = self._screen(qtbot, make_app, peer)
        qtbot.keyClicks(screen.customer_no_edit, "12345")
        screen.customer_no_edit.returnPressed.emit()
        assert screen.message_label.text() == "户号应为 10 位或 13 位数字。"
        assert peer.calls_to("customer.get_customer") == []

    def test_lookup_shows_profile(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer) -> None:
        """Enter on a 户号 shows the profile, the masked ID number, the meters and the balance in yuan."""
        peer.on("customer.get_customer", Reply.ok(profile()))
        screen = self._screen(qtbot, make_app, peer)
        qtbot.keyClicks(screen.customer_no_edit, CUSTOMER_NO)
        screen.customer_no_edit.returnPressed.emit()
        qtbot.waitUntil(lambda: screen.values["nameValue"].text() == "王建国", timeout=10_000)
        qtbot.waitUntil(screen.lookup_button.isEnabled, timeout=10_000)
        assert peer.calls_to("customer.get_customer")[0].json() == {"customer_no": CUSTOMER_NO}
        assert screen.values["idNumberValue"].text() == "3301**********1234"
        assert screen.values["balanceValue"].text() == "1,234.56"
        shown = [screen.values[name].text() for name in ("categoryValue", "statusValue", "paymentModeValue")]
        assert shown == ["居民生活", "正常供电", "后付费"]
        assert screen.meters_table.rowCount() == 2
        multiplier = screen.meters_table.item(1, 1)
        assert multiplier is not None
        assert multiplier.text() == "40"
        assert screen.contact_box.isVisibleTo(screen)

    def test_unknown_customer(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer) -> None:
        """An unknown 户号 is named in the sentence."""
        peer.on("customer.get_customer", Reply.error(ErrorCode.CUSTOMER_NOT_FOUND, {"customer_no": "3309999999"}))
        screen = self._screen(qtbot, make_app, peer)
        qtbot.keyClicks(screen.customer_no_edit, "3309999999")
        screen.lookup_button.click()
        qtbot.waitUntil(lambda: _error_box(screen) is not None, timeout=10_000)
        box = _error_box(screen)
        assert box is not None
        assert box.text() == "未找到户号为 3309999999 的客户。"
        box.close()

    def test_update_phone(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer) -> None:
        """Saving the phone calls customer.update_contact with a key and shows the new profile."""
        peer.on("customer.get_customer", Reply.ok(profile()))
        peer.on("customer.update_contact", Reply.ok(profile(phone="13900001111")))
        screen = self._screen(qtbot, make_app, peer)
        qtbot.keyClicks(screen.customer_no_edit, CUSTOMER_NO)
        screen.look_up()
        qtbot.waitUntil(lambda: screen.phone_edit.text() == "13800000000", timeout=10_000)
        qtbot.waitUntil(screen.save_phone_button.isEnabled, timeout=10_000)
        screen.phone_edit.setText("abc")
        screen.save_phone_button.click()
        qtbot.waitUntil(lambda: _error_box(screen) is not None, timeout=10_000)
        box = _error_box(screen)
        assert box is not None
        assert box.text().startswith("“联系电话”的输入未被接受")
        box.close()
        assert peer.calls_to("customer.update_contact") == []
        qtbot.waitUntil(lambda: _error_box(screen) is None, timeout=5_000)

        screen.phone_edit.setText("13900001111")
        screen.save_phone_button.click()
        qtbot.waitUntil(lambda: screen.message_label.text() == "联系电话已保存。", timeout=10_000)
        call = peer.calls_to("customer.update_contact")[0]
        assert call.json() == {"customer_no": CUSTOMER_NO, "phone": "13900001111"}
        uuid.UUID(call.headers["idempotency-key"])
        assert screen.values["phoneValue"].text() == "13900001111"

    def test_reader_cannot_edit(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer) -> None:
        """Without EDIT_CUSTOMERS the contact editor is not offered."""
        screen = self._screen(qtbot, make_app, peer, role=Role.METER_READER)
        assert not screen.contact_box.isVisibleTo(screen)


class TestAuditScreen:
    def test_list_and_verify(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer) -> None:
        """The newest records are listed; Verify shows success, then a broken chain's problems."""
        now = datetime.now(UTC)
        records = [AuditRow(record_id=i, chain="H0101", seq=i, at=now, username="zhang.san", cosigner=None,
                            counter_code="H0101-01", method="customer.update_contact", target=f"customer:{i}")
                   for i in range(3, 0, -1)]
        peer.on("audit.list_records", Reply.ok(AuditPage(records=records)))
        peer.on("audit.verify_chain", Reply.ok(VerifyAuditResult(ok=True, chains=3, records=42, problems=[])))
        window = sign_in(qtbot, make_app(locale="zh_CN"), peer, Role.SUPERVISOR)
        screen = _open(window, "audit")
        assert isinstance(screen, AuditScreen)
        qtbot.waitUntil(lambda: screen.model.rowCount() == 3, timeout=10_000)
        qtbot.waitUntil(screen.refresh_button.isEnabled, timeout=10_000)
        assert peer.calls_to("audit.list_records")[0].json() == {"username": None, "kind": "all", "limit": 200}
        assert screen.model.index(0, 5).data() == "customer:3"
        screen.verify_button.click()
        qtbot.waitUntil(lambda: screen.result_label.text() == "全部 3 条审计链（共 42 条记录）校验通过。",
                        timeout=10_000)
        qtbot.waitUntil(screen.verify_button.isEnabled, timeout=10_000)
        peer.on("audit.verify_chain", Reply.ok(VerifyAuditResult(
            ok=False, chains=3, records=42, problems=["H0101 #17: hash mismatch"])))
        screen.verify_button.click()
        qtbot.waitUntil(lambda: screen.result_label.text() == "审计记录校验未通过：H0101 #17: hash mismatch",
                        timeout=10_000)
        qtbot.waitUntil(screen.verify_button.isEnabled, timeout=10_000)
