# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""One key per confirmed action (issue 10 §2): for each mutating action of the client, the link drops the
answer right after the server committed, the user presses again through the real widget, and the first
result comes back, applied once (the server's audit log holds one key for it, its stored result is what the
screen shows)."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QSpinBox, QWidget
from pytestqt.qtbot import QtBot

from client.core.actions import ActionSlot
from client.core.attention import report_key, report_new_attention
from client.core.outbox import DamageGate, ItemState, Outbox, OutboxItem
from client.core.rpc_client import RpcError
from client.core.session import sign_out
from client.core.sync import Backoff, SyncWorker
from client.ui.context import UiContext
from client.ui.ops import running_ops
from client.ui.screens.account_screen import AccountScreen
from client.ui.screens.cashier_dialogs import ReprintDialog, VoidDialog
from client.ui.screens.customer_screen import CustomerScreen
from client.ui.screens.outbox_screen import OutboxScreen
from client.ui.screens.shift_screen import ShiftScreen
from client.ui.screens.user_dialogs import CreateUserDialog, ResetPasswordDialog
from client.ui.screens.users_screen import UsersScreen
from shared_models.errors import ErrorCode
from shared_models.methods.admin import CREATE_USER, CreateUserRequest
from shared_models.methods.auth import WHOAMI
from shared_models.methods.payments import PAY, PayRequest, Tender, TenderMethod
from shared_models.methods.shifts import GET_CURRENT, OPEN, OpenShiftRequest, ShiftSummary
from shared_models.methods.sync import (
    LIST_ATTENTION,
    REPORT_ATTENTION,
    AttentionItem,
    ListAttentionRequest,
    ReportAttentionRequest,
)
from shared_models.roles import Role
from shared_models.rpc import Empty
from tests.action_helpers import confirmed
from tests.chaos.proxy import ChaosProxy
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.factories import CLOSED, LI_XIUYING, WANG_FANG, ZHANG_WEI, password_for
from tests.ui.confirm_helpers import TIMEOUT_MS, LostAnswer, ViaLink, dismiss_errors, link, sql, via_link  # noqa: F401
from tests.ui.live_helpers import take_payment

pytestmark = pytest.mark.timeout(300)
CLICK = Qt.MouseButton.LeftButton


def _shift(ctx: UiContext) -> None:
    """The signed-in cashier's shift at this counter, opened if there is none (set-up, not under test)."""
    if ctx.rpc.call(GET_CURRENT, Empty()).shift is None:
        ctx.rpc.send(OPEN, OpenShiftRequest(float_fen=0), action=confirmed())


def _host(qtbot: QtBot) -> QWidget:
    """The window a desk dialog opens over (the dialogs delete themselves when closed)."""
    host = QWidget()
    qtbot.addWidget(host)
    host.show()
    return host


def _settled(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)


class TestCashierDesk:
    def test_void(self, qtbot: QtBot, live_server: LiveServer, link: ChaosProxy,  # noqa: F811
                  via_link: ViaLink) -> None:  # noqa: F811
        """A void whose answer is lost: the cashier closes the dialog, opens it again and confirms again; the
        first void's result comes back (not ALREADY_VOIDED) and the payment is reversed once."""
        ctx = via_link("cashier1", "T0101")
        _shift(ctx)
        receipt = take_payment(ctx.rpc, ZHANG_WEI, cash_fen=1_000)
        slot = ActionSlot()  # the desk's void slot (CashierScreen.void_action): it outlives the dialogs
        host = _host(qtbot)

        def confirm_void() -> VoidDialog:
            dialog = VoidDialog(ctx=ctx, receipt_no=receipt.receipt_no, slot=slot, parent=host)
            dialog.show()
            dialog.reason_combo.setEditText("金额输错")
            dialog.cosign.username_edit.setText("super1")
            dialog.cosign.password_edit.setText(password_for("super1"))
            qtbot.mouseClick(dialog.ok_button, CLICK)
            return dialog

        lost = LostAnswer.arm_for(live_server, link, "payment.void_payment")
        first = confirm_void()
        lost.wait_lost(qtbot, slot)
        assert first.error_label.text()  # the cashier is told the answer did not come
        first.reject()

        second = VoidDialog(ctx=ctx, receipt_no=receipt.receipt_no, slot=slot, parent=host)
        second.show()
        second.reason_combo.setEditText("金额输错")
        second.cosign.username_edit.setText("super1")
        second.cosign.password_edit.setText(password_for("super1"))
        with qtbot.waitSignal(second.payment_voided, timeout=TIMEOUT_MS) as voided:
            qtbot.mouseClick(second.ok_button, CLICK)
        lost.check_once(slot, voided.args[0])
        [(voids,)] = sql(live_server, "SELECT count(*) FROM payment_voids v JOIN payments p ON p.id = v.payment_id"
                                      " WHERE p.receipt_no = :r", r=receipt.receipt_no)
        assert voids == 1
        _settled(qtbot)

    def test_reprint(self, qtbot: QtBot, live_server: LiveServer, link: ChaosProxy,  # noqa: F811
                     via_link: ViaLink) -> None:  # noqa: F811
        """A reprint whose answer is lost and is pressed again is counted once: 补打 1, not 补打 2."""
        ctx = via_link("cashier1", "T0101")
        _shift(ctx)
        receipt = take_payment(ctx.rpc, WANG_FANG, cash_fen=800)
        host = _host(qtbot)
        dialog = ReprintDialog(ctx=ctx, receipt_no=receipt.receipt_no, parent=host)
        dialog.show()

        lost = LostAnswer.arm_for(live_server, link, "payment.reprint_receipt")
        qtbot.mouseClick(dialog.ok_button, CLICK)
        lost.wait_lost(qtbot, dialog.slot)
        assert dialog.isVisible()
        with qtbot.waitSignal(dialog.reprint_ready, timeout=TIMEOUT_MS) as ready:
            qtbot.mouseClick(dialog.ok_button, CLICK)
        lost.check_once(dialog.slot, ready.args[0])
        assert ready.args[0].reprint_count == 1
        [(prints,)] = sql(live_server, "SELECT count(*) FROM receipt_prints r JOIN payments p ON p.id = r.payment_id"
                                       " WHERE p.receipt_no = :r", r=receipt.receipt_no)
        assert prints == 1
        _settled(qtbot)


class TestShift:
    def test_open(self, qtbot: QtBot, live_server: LiveServer, link: ChaosProxy,  # noqa: F811
                  via_link: ViaLink, use_locale: Callable[[str], None]) -> None:  # noqa: F811
        """Open with a float whose answer is lost, then open again: the second press is answered with the
        first shift (opened, not SHIFT_ALREADY_OPEN), one shift on the server."""
        use_locale("en")
        ctx = via_link("cashier3", "T0201")
        screen = ShiftScreen(ctx=ctx)
        qtbot.addWidget(screen)
        screen.show()
        qtbot.waitUntil(lambda: ctx.shift.known, timeout=TIMEOUT_MS)
        assert not ctx.shift.is_open
        qtbot.keyClicks(screen.float_edit, "300")

        lost = LostAnswer.arm_for(live_server, link, "shift.open_shift")
        qtbot.mouseClick(screen.open_button, CLICK)
        lost.wait_lost(qtbot, screen.open_action)
        assert not ctx.shift.is_open
        dismiss_errors(screen)
        qtbot.mouseClick(screen.open_button, CLICK)
        qtbot.waitUntil(lambda: ctx.shift.is_open and running_ops() == 0, timeout=TIMEOUT_MS)
        stored = lost.check_once(screen.open_action)
        assert ctx.shift.shift is not None
        assert ctx.shift.shift.model_dump(mode="json") == stored
        assert screen.message_label.text() == f"Shift {stored['shift_no']} is open."
        assert not any(box.isVisible() for box in screen.findChildren(QMessageBox))
        [(shifts,)] = sql(live_server, "SELECT count(*) FROM shifts s JOIN users u ON u.id = s.user_id"
                                       " WHERE u.username = 'cashier3'")
        assert shifts == 1
        _settled(qtbot)

    def test_close_with_an_approved_difference(self, qtbot: QtBot, live_server: LiveServer,  # noqa: F811
                                               link: ChaosProxy, via_link: ViaLink) -> None:  # noqa: F811
        """A close with a cash difference approved by a supervisor, answer lost, OK pressed again: the shift is
        closed once with the first summary, the difference approved once."""
        ctx = via_link("cashier2", "T0102")
        _shift(ctx)
        screen = ShiftScreen(ctx=ctx)
        qtbot.addWidget(screen)
        screen.show()
        qtbot.waitUntil(lambda: ctx.shift.is_open, timeout=TIMEOUT_MS)
        qtbot.mouseClick(screen.close_button, CLICK)
        qtbot.waitUntil(lambda: screen.close_dialog is not None and screen.close_dialog.isVisible(),
                        timeout=TIMEOUT_MS)
        dialog = screen.close_dialog
        assert dialog is not None
        spin = dialog.findChild(QSpinBox, "piecesSpin50")
        assert spin is not None
        spin.setValue(1)  # 0.50 over: a difference a supervisor approves
        qtbot.keyClicks(dialog.deposit_slip_edit, "JK-RETRY-1")
        qtbot.waitUntil(lambda: not dialog.cosign.isHidden(), timeout=TIMEOUT_MS)
        dialog.cosign.username_edit.setText("super2")
        dialog.cosign.password_edit.setText(password_for("super2"))

        lost = LostAnswer.arm_for(live_server, link, "shift.close_shift")
        qtbot.mouseClick(dialog.ok_button, CLICK)
        lost.wait_lost(qtbot, screen.close_action)
        assert dialog.isVisible()
        with qtbot.waitSignal(dialog.shift_closed, timeout=TIMEOUT_MS) as closed:
            qtbot.mouseClick(dialog.ok_button, CLICK)
        summary: ShiftSummary = closed.args[0]
        lost.check_once(screen.close_action, summary)
        assert summary.closing is not None
        assert (summary.closing.difference_fen, summary.closing.approved_by) == (50, "班长乙")  # super2's name
        [(closings,)] = sql(live_server, "SELECT count(*) FROM shift_closings c JOIN shifts s ON s.id = c.shift_id"
                                         " WHERE s.shift_no = :n", n=summary.shift.shift_no)
        assert closings == 1
        _settled(qtbot)


def _new_user(admin: UiContext, username: str, role: Role = Role.CASHIER) -> None:
    """Create ``username`` at hall T01 with its factory password (set-up, not under test)."""
    admin.rpc.send(CREATE_USER, CreateUserRequest(username=username, display_name=username, role=role,
                                                  org_unit_code="T01", initial_password=password_for(username)),
                   action=confirmed())


def _users_screen(qtbot: QtBot, ctx: UiContext) -> UsersScreen:
    screen = UsersScreen(ctx=ctx)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    qtbot.waitUntil(lambda: screen.model.rowCount() > 0 and screen.refresh_button.isEnabled(), timeout=TIMEOUT_MS)
    return screen


def _lock(live: LiveServer, username: str) -> None:
    sql(live, "UPDATE users SET failed_attempts = 5, locked_until = now() + interval '1 hour' WHERE username = :u",
        u=username)


def _user_state(live: LiveServer, username: str) -> tuple[bool, int, bool]:
    [(active, failed, locked)] = sql(live, "SELECT active, failed_attempts, locked_until IS NOT NULL FROM users"
                                           " WHERE username = :u", u=username)
    return bool(active), int(failed), bool(locked)


class TestUserAdministration:
    def test_create(self, qtbot: QtBot, live_server: LiveServer, link: ChaosProxy,  # noqa: F811
                    via_link: ViaLink) -> None:  # noqa: F811
        """A new user whose answer is lost, created again from the same dialog: one user, the first result."""
        ctx = via_link("admin1", "T0101")
        screen = _users_screen(qtbot, ctx)
        qtbot.mouseClick(screen.create_button, CLICK)
        dialog = screen.findChild(CreateUserDialog)
        assert dialog is not None
        dialog.username_edit.setText("retry.clerk")
        dialog.display_name_edit.setText("重试员")
        dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(Role.CASHIER.value))
        dialog.org_unit_edit.setText("T01")
        dialog.password_edit.setText("first-pass-1")
        dialog.repeat_edit.setText("first-pass-1")

        lost = LostAnswer.arm_for(live_server, link, "admin.create_user")
        qtbot.mouseClick(dialog.ok_button, CLICK)
        lost.wait_lost(qtbot, screen.create_action)
        assert dialog.isVisible()
        with qtbot.waitSignal(dialog.user_created, timeout=TIMEOUT_MS):
            qtbot.mouseClick(dialog.ok_button, CLICK)
        stored = lost.check_once(screen.create_action)
        [(count, user_id)] = sql(live_server, "SELECT count(*), max(id) FROM users WHERE username = 'retry.clerk'")
        assert count == 1
        assert stored == {"user_id": user_id}
        _settled(qtbot)

    @pytest.mark.parametrize("case", [
        ("admin.unlock_user", "unlock_button", "retry.locked"),
        ("admin.set_user_active", "toggle_button", "retry.leaver"),
    ], ids=["unlock", "disable"])
    def test_unlock_and_disable(self, qtbot: QtBot, live_server: LiveServer, link: ChaosProxy,  # noqa: F811
                                via_link: ViaLink, case: tuple[str, str, str]) -> None:  # noqa: F811
        """Unlock (a locked user) or Disable (an active one), answer lost, pressed again: applied once."""
        method, button, username = case
        ctx = via_link("admin1", "T0101")
        _new_user(ctx, username)
        if method == "admin.unlock_user":
            _lock(live_server, username)
        screen = _users_screen(qtbot, ctx)
        screen.select_username(username)
        slot = screen.unlock_action if method == "admin.unlock_user" else screen.toggle_action

        lost = LostAnswer.arm_for(live_server, link, method)
        qtbot.mouseClick(getattr(screen, button), CLICK)
        lost.wait_lost(qtbot, slot)
        dismiss_errors(screen)
        qtbot.waitUntil(lambda: getattr(screen, button).isEnabled(), timeout=TIMEOUT_MS)
        qtbot.mouseClick(getattr(screen, button), CLICK)
        qtbot.waitUntil(lambda: username in screen.status_label.text(), timeout=TIMEOUT_MS)
        assert lost.check_once(slot) == {}
        expected = (True, 0, False) if method == "admin.unlock_user" else (False, 0, False)
        assert _user_state(live_server, username) == expected
        _settled(qtbot)

    def test_co_signed_password_reset(self, qtbot: QtBot, live_server: LiveServer, link: ChaosProxy,  # noqa: F811
                                      via_link: ViaLink) -> None:  # noqa: F811
        """A reset co-signed by a supervisor, answer lost, confirmed again: one reset, one audit record."""
        ctx = via_link("admin1", "T0101")
        _new_user(ctx, "retry.forgot")
        screen = _users_screen(qtbot, ctx)
        screen.select_username("retry.forgot")
        qtbot.mouseClick(screen.reset_button, CLICK)
        dialog = screen.findChild(ResetPasswordDialog)
        assert dialog is not None
        dialog.password_edit.setText("reset-pass-1")
        dialog.repeat_edit.setText("reset-pass-1")
        dialog.cosign_user_edit.setText("super1")
        dialog.cosign_password_edit.setText(password_for("super1"))

        lost = LostAnswer.arm_for(live_server, link, "admin.reset_password")
        qtbot.mouseClick(dialog.ok_button, CLICK)
        lost.wait_lost(qtbot, screen.reset_action)
        assert dialog.isVisible()
        with qtbot.waitSignal(dialog.password_reset, timeout=TIMEOUT_MS):
            qtbot.mouseClick(dialog.ok_button, CLICK)
        assert lost.check_once(screen.reset_action) == {}
        [(records,)] = sql(live_server, "SELECT count(*) FROM audit_log WHERE method = 'admin.reset_password'"
                                        " AND id > :s AND cosigner = 'super1'", s=lost.since)
        assert records == 1
        _settled(qtbot)


class TestOwnAccountAndCustomers:
    def test_customer_phone(self, qtbot: QtBot, live_server: LiveServer, link: ChaosProxy,  # noqa: F811
                            via_link: ViaLink) -> None:  # noqa: F811
        """A phone change whose answer is lost and is saved again: one change, the first profile shown."""
        ctx = via_link("business1", "T0101")
        screen = CustomerScreen(ctx=ctx)
        qtbot.addWidget(screen)
        screen.show()
        qtbot.keyClicks(screen.customer_no_edit, LI_XIUYING)
        screen.look_up()
        qtbot.waitUntil(lambda: screen.save_phone_button.isEnabled() and bool(screen.phone_edit.text()),
                        timeout=TIMEOUT_MS)
        screen.phone_edit.setText("13912345678")

        lost = LostAnswer.arm_for(live_server, link, "customer.update_contact")
        qtbot.mouseClick(screen.save_phone_button, CLICK)
        lost.wait_lost(qtbot, screen.phone_action)
        dismiss_errors(screen)
        qtbot.waitUntil(screen.save_phone_button.isEnabled, timeout=TIMEOUT_MS)
        qtbot.mouseClick(screen.save_phone_button, CLICK)
        qtbot.waitUntil(lambda: screen.phone_action.pending is None and running_ops() == 0, timeout=TIMEOUT_MS)
        stored = lost.check_once(screen.phone_action)
        assert stored["phone"] == "13912345678"
        assert screen.values["phoneValue"].text() == stored["phone"]
        _settled(qtbot)

    def test_own_password(self, qtbot: QtBot, live_server: LiveServer, link: ChaosProxy,  # noqa: F811
                          via_link: ViaLink) -> None:  # noqa: F811
        """A password change whose answer is lost, pressed again: the change is replayed (not refused because
        the old password is no longer right), and the new password signs in."""
        admin = via_link("admin1", "T0101")
        _new_user(admin, "retry.newbie")
        ctx = via_link("retry.newbie", "T0102")
        screen = AccountScreen(ctx=ctx)
        qtbot.addWidget(screen)
        screen.show()
        screen.old_password_edit.setText(password_for("retry.newbie"))
        screen.new_password_edit.setText("changed-pass-2")
        screen.repeat_password_edit.setText("changed-pass-2")

        lost = LostAnswer.arm_for(live_server, link, "auth.change_password")
        qtbot.mouseClick(screen.change_button, CLICK)
        lost.wait_lost(qtbot, screen.change_action)
        dismiss_errors(screen)
        qtbot.waitUntil(screen.change_button.isEnabled, timeout=TIMEOUT_MS)
        with qtbot.waitSignal(screen.password_changed, timeout=TIMEOUT_MS):
            qtbot.mouseClick(screen.change_button, CLICK)
        assert lost.check_once(screen.change_action) == {}
        again = via_link("retry.newbie", "T0102", "changed-pass-2")
        assert again.rpc.call(WHOAMI, Empty()).user.username == "retry.newbie"
        _settled(qtbot)

    def test_sign_out(self, live_server: LiveServer, link: ChaosProxy, via_link: ViaLink) -> None:  # noqa: F811
        """A sign-out whose answer is lost ends the session once on the server and forgets the token here;
        the session cannot be used any more."""
        ctx = via_link("super2", "T0102")
        token = ctx.rpc.session_token
        slot = ActionSlot()  # the application's sign-out slot
        lost = LostAnswer.arm_for(live_server, link, "auth.logout")
        sign_out(rpc=ctx.rpc, action=slot.confirm(token))
        assert lost.arm.fired.is_set()
        assert ctx.rpc.session_token is None
        action = slot.pending
        assert action is not None
        assert lost.applied() == [action.key]
        assert token is not None
        ctx.rpc.set_session(token=token, counter_code="T0102")
        with pytest.raises(RpcError) as refused:
            ctx.rpc.call(WHOAMI, Empty())
        assert refused.value.code in {ErrorCode.SESSION_INVALID, ErrorCode.SESSION_EXPIRED}


class TestAttention:
    def test_supervisor_acknowledgement(self, qtbot: QtBot, live_server: LiveServer,  # noqa: F811
                                        link: ChaosProxy, via_link: ViaLink) -> None:  # noqa: F811
        """An acknowledgement whose answer is lost, pressed again: the item is acknowledged once, with the note
        of the first press, and the screen gets the first result."""
        cashier = via_link("cashier2", "T0102")
        item_key = str(uuid.uuid4())
        cashier.rpc.send(REPORT_ATTENTION, ReportAttentionRequest(
            item_key=item_key, method="payment.pay_bills", customer_no=CLOSED, amount_fen=1_500,
            error_code=ErrorCode.CUSTOMER_CLOSED, error_params={"customer_no": CLOSED}, taken_by="cashier2"),
            action=confirmed())
        ctx = via_link("super1", "T0101")
        screen = OutboxScreen(ctx=ctx)
        qtbot.addWidget(screen)
        with qtbot.waitSignal(screen.attention_loaded, timeout=TIMEOUT_MS):
            screen.show()
        keys = [i.item_key for i in screen.attention_model.rows()]
        screen.attention_table.selectRow(keys.index(item_key))
        screen.note_edit.setText("已联系客户")

        lost = LostAnswer.arm_for(live_server, link, "sync.acknowledge_attention")
        qtbot.mouseClick(screen.acknowledge_button, CLICK)
        lost.wait_lost(qtbot, screen.ack_action)
        qtbot.waitUntil(screen.acknowledge_button.isEnabled, timeout=TIMEOUT_MS)
        with qtbot.waitSignal(screen.acknowledged, timeout=TIMEOUT_MS) as acked:
            qtbot.mouseClick(screen.acknowledge_button, CLICK)
        item: AttentionItem = acked.args[0]
        lost.check_once(screen.ack_action, item)
        assert (item.item_key, item.acknowledged_by, item.note) == (item_key, "super1", "已联系客户")
        _settled(qtbot)


def _refused_offline(qtbot: QtBot, ctx: UiContext, outbox: Outbox) -> OutboxItem:
    """A payment for a closed account queued offline and refused on replay: an attention item (set-up)."""
    current = ctx.rpc.call(GET_CURRENT, Empty())
    assert current.shift is not None
    state = ctx.session.state
    assert state is not None

    def build(receipt_no: str | None) -> PayRequest:
        assert receipt_no is not None
        return PayRequest(customer_no=CLOSED, receipt_no=receipt_no, quoted_due_fen=0, accepted_offline=True,
                          tenders=[Tender(method=TenderMethod.CASH, amount_fen=1_200, cash_handed_fen=1_200)])

    item = outbox.submit(method=PAY.name, build=build, counter_code=current.shift.counter_code,
                         username=state.user.username, shift_no=current.shift.shift_no, customer_no=CLOSED,
                         amount_fen=1_200, numbered=True, server_next_seq=current.next_receipt_seq, offline=True)
    worker = SyncWorker(outbox=outbox, rpc=ctx.rpc, user=lambda: state.user.username,
                        backoff=Backoff(base_s=0.1, cap_s=0.5), idle_s=0.2).start()
    def answered() -> bool:
        worker.wake()
        return (outbox.get(item.id) or item).state is not ItemState.PENDING

    try:
        qtbot.waitUntil(answered, timeout=TIMEOUT_MS)
    finally:
        worker.stop()
    done = outbox.get(item.id)
    assert done is not None
    assert done.state is ItemState.ATTENTION
    return done


class TestOutboxActions:
    def test_attention_report(self, qtbot: QtBot, live_server: LiveServer, link: ChaosProxy,  # noqa: F811
                              via_link: ViaLink, tmp_path: Path) -> None:  # noqa: F811
        """The report of a refused offline payment whose answer is lost is sent again with the key derived from
        the item: the server lists the item once, the counter marks it reported."""
        ctx = via_link("cashier1", "T0101")
        _shift(ctx)
        outbox = Outbox.in_folder(tmp_path).open()
        item = _refused_offline(qtbot, ctx, outbox)

        lost = LostAnswer.arm_for(live_server, link, "sync.report_attention")
        first = report_new_attention(outbox, ctx.rpc)
        assert lost.arm.fired.is_set()
        assert (first.reported, first.stopped_by) == (0, ErrorCode.BAD_RESPONSE)
        assert lost.applied() == [report_key(item.key)]
        again = report_new_attention(outbox, ctx.rpc)
        assert (again.reported, again.refused, again.stopped_by) == (1, 0, None)
        assert lost.applied() == [report_key(item.key)]
        page = ctx.rpc.call(LIST_ATTENTION, ListAttentionRequest())
        assert [i.item_key for i in page.items].count(item.key) == 1

    def test_damaged_outbox_acknowledgement(self, qtbot: QtBot, live_server: LiveServer,  # noqa: F811
                                            link: ChaosProxy, via_link: ViaLink, tmp_path: Path) -> None:  # noqa: F811
        """A supervisor's acknowledgement of a damaged outbox whose answer is lost, confirmed again: recorded
        once on the server, the gate opens with the first result."""
        folder = tmp_path / "damaged"
        folder.mkdir()
        (folder / "counter.sqlite3").write_bytes(b"this is not a database" * 100)
        report = Outbox.set_aside(folder / "counter.sqlite3", reason="file is not a database")
        gate = DamageGate(report)
        ctx = dataclasses.replace(via_link("cashier2", "T0102"), outbox=Outbox.in_folder(folder).open(),
                                  outbox_damage=gate)
        screen = OutboxScreen(ctx=ctx)
        qtbot.addWidget(screen)
        with qtbot.waitSignal(screen.attention_loaded, timeout=TIMEOUT_MS):
            screen.show()
        qtbot.mouseClick(screen.damage_button, CLICK)
        qtbot.waitUntil(lambda: screen.damage_dialog is not None and screen.damage_dialog.isVisible(),
                        timeout=TIMEOUT_MS)
        dialog = screen.damage_dialog
        assert dialog is not None
        dialog.cosign.username_edit.setText("super1")
        dialog.cosign.password_edit.setText(password_for("super1"))
        dialog.note_edit.setText("断电后文件损坏")

        lost = LostAnswer.arm_for(live_server, link, "sync.acknowledge_damaged_outbox")
        qtbot.mouseClick(dialog.ok_button, CLICK)
        lost.wait_lost(qtbot, screen.damage_action)
        assert gate.closed
        assert dialog.isVisible()
        with qtbot.waitSignal(screen.damage_acknowledged, timeout=TIMEOUT_MS) as acknowledged:
            qtbot.mouseClick(dialog.ok_button, CLICK)
        lost.check_once(screen.damage_action, acknowledged.args[0])
        assert not gate.closed
        [(acks,)] = sql(live_server, "SELECT count(*) FROM damaged_outbox_acks WHERE note = '断电后文件损坏'")
        assert acks == 1
        _settled(qtbot)


def test_every_mutation_of_the_client_is_covered() -> None:
    """The tests above, with the outbox's payments (tests/e2e/test_outbox_live.py, tests/ui/test_offline_desk.py),
    cover every mutating method of the contract."""
    from shared_models.rpc import REGISTRY, load_all

    load_all()
    covered = {"payment.void_payment", "payment.reprint_receipt", "shift.open_shift", "shift.close_shift",
               "admin.create_user", "admin.unlock_user", "admin.set_user_active", "admin.reset_password",
               "customer.update_contact", "auth.change_password", "auth.logout", "sync.acknowledge_attention",
               "sync.report_attention", "sync.acknowledge_damaged_outbox", "payment.pay_bills",
               # queued in the outbox and replayed (tests/server/test_offline_shifts.py, tests/ui/test_offline_day.py)
               "payment.void_attested"}
    assert covered == {name for name, rpc in REGISTRY.items() if rpc.mutating}


