# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""One key per confirmed action (issue 10 §2), at the cashier's desk: for the void, the reprint, the shift open
and close (with its approved cash difference), the attention report, the damaged-outbox and the attention
acknowledgements, the link drops the answer right after the server committed, the user presses again through
the real widget, and the first result comes back, applied once (the server's audit log holds one key for it,
its stored result is what the screen shows)."""

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
from client.core.outbox.damage import DamageGate, set_aside
from client.core.outbox.items import ItemState, OutboxItem
from client.core.outbox.queue import Outbox
from client.core.sync import Backoff, SyncWorker
from client.ui.context import UiContext
from client.ui.ops import running_ops
from client.ui.screens.cashier_dialogs import ReprintDialog, VoidDialog
from client.ui.screens.outbox_screen import OutboxScreen
from client.ui.screens.shift_screen import ShiftScreen
from shared_models.errors import ErrorCode
from shared_models.methods.payments import PAY, PayRequest, Tender, TenderMethod
from shared_models.methods.shifts import GET_CURRENT, OPEN, OpenShiftRequest, ShiftSummary
from shared_models.methods.sync import (
    LIST_ATTENTION,
    REPORT_ATTENTION,
    AttentionItem,
    ListAttentionRequest,
    ReportAttentionRequest,
)
from shared_models.rpc import Empty
from tests.action_helpers import confirmed
from tests.chaos.proxy import ChaosProxy
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.factories import CLOSED, WANG_FANG, ZHANG_WEI, password_for
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
        report = set_aside(folder / "counter.sqlite3", reason="file is not a database")
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
