# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""The outbox screen, the close with unsent payments and the damaged-outbox acknowledgement, against the live
server: the cashier sees the counter's queue with both clocks, an item refused on replay is reported and a
supervisor acknowledges it; a shift with unsent payments closes only with a supervisor's signature; a damaged
outbox is acknowledged with a co-sign and the counter may take money again."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSpinBox, QTableWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from client.core.attention import AttentionReports, unsent_items
from client.core.outbox.damage import DAMAGE_MARKER, DamageGate, set_aside
from client.core.outbox.items import ItemState, OutboxItem
from client.core.outbox.queue import Outbox
from client.core.sync import Backoff, SyncWorker
from client.ui.context import UiContext
from client.ui.messages import error_message
from client.ui.models.outbox_model import AttentionModel, OutboxModel
from client.ui.ops import running_ops
from client.ui.screens.close_shift_dialog import CloseShiftDialog
from client.ui.screens.outbox_screen import OutboxScreen
from client.ui.screens.shift_screen import ShiftScreen
from shared_models.errors import ErrorCode
from shared_models.methods.payments import PAY, QUOTE, PayRequest, QuoteRequest, Tender, TenderMethod
from shared_models.methods.shifts import GET_CURRENT, OPEN, SUMMARY, OpenShiftRequest, ShiftInfo, ShiftRequest
from shared_models.methods.sync import (
    LIST_ATTENTION,
    AttentionItem,
    AttentionKind,
    AttentionPage,
    ListAttentionRequest,
)
from shared_models.rpc import Empty
from shared_models.rules.hall_time import hall_now
from tests.action_helpers import confirmed
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.factories import CLOSED, WANG_FANG, ZHANG_WEI, password_for
from tests.ui.conftest import ARTIFACTS
from tests.ui.live_helpers import SignIn, sign_in_live, take_payment  # noqa: F401 - sign_in_live: fixture

pytestmark = pytest.mark.timeout(240)
CLICK = Qt.MouseButton.LeftButton
#: The counter's clock runs this far behind the server's (the clock-skew requirement: both are shown).
SKEW = dt.timedelta(minutes=7)


def _shift(ctx: UiContext) -> ShiftInfo:
    """The signed-in cashier's open shift at this counter, opened (float 0) if there is none."""
    current = ctx.rpc.call(GET_CURRENT, Empty())
    if current.shift is not None:
        return current.shift
    return ctx.rpc.send(OPEN, OpenShiftRequest(float_fen=0), action=confirmed())


def _queue(ctx: UiContext, outbox: Outbox, shift: ShiftInfo, customer_no: str, cash_fen: int, *,
           offline: bool = False) -> OutboxItem:
    """Queue a cash payment in the outbox as the desk does, numbered past the server's receipts."""
    next_seq = ctx.rpc.call(GET_CURRENT, Empty()).next_receipt_seq
    due = 0 if customer_no == CLOSED else ctx.rpc.call(QUOTE, QuoteRequest(customer_no=customer_no)).due_fen
    local_time = _counter_clock()

    def build(receipt_no: str | None) -> PayRequest:
        assert receipt_no is not None
        return PayRequest(customer_no=customer_no, receipt_no=receipt_no, quoted_due_fen=due,
                          tenders=[Tender(method=TenderMethod.CASH, amount_fen=cash_fen, cash_handed_fen=cash_fen)],
                          accepted_offline=offline, local_time=local_time)

    state = ctx.session.state
    assert state is not None
    return outbox.submit(method=PAY.name, build=build, counter_code=shift.counter_code, username=state.user.username,
                         shift_no=shift.shift_no, customer_no=customer_no, amount_fen=cash_fen, numbered=True,
                         server_next_seq=next_seq, offline=offline)


def _counter_clock() -> dt.datetime:
    return hall_now() - SKEW


def _outbox(folder: Path) -> Outbox:
    """A counter's outbox whose clock runs :data:`SKEW` behind the server's."""
    folder.mkdir(parents=True, exist_ok=True)
    return Outbox.in_folder(folder, now=_counter_clock).open()


@pytest.fixture
def sync_workers() -> Iterator[Callable[[UiContext, Outbox], SyncWorker]]:
    """``start(ctx, outbox)``: a sync worker sending the signed-in cashier's items; stopped after the test."""
    started: list[SyncWorker] = []

    def start(ctx: UiContext, outbox: Outbox) -> SyncWorker:
        state = ctx.session.state
        assert state is not None
        username = state.user.username
        worker = SyncWorker(outbox=outbox, rpc=ctx.rpc, user=lambda: username, backoff=Backoff(base_s=0.1, cap_s=0.5),
                            idle_s=0.2)
        started.append(worker.start())
        return worker

    yield start
    for worker in started:
        worker.stop()


def _drained(qtbot: QtBot, outbox: Outbox, worker: SyncWorker) -> None:
    """Wait until the worker answered every pending item of the outbox."""
    def empty() -> bool:
        worker.wake()
        return outbox.counts().pending == 0

    qtbot.waitUntil(empty, timeout=30_000)


def _settled(qtbot: QtBot) -> None:
    """Wait for the screens' last background reads (a refresh ends with a reload of the outbox)."""
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=20_000)


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def _texts(model: OutboxModel | AttentionModel, column: int) -> list[str]:
    return [str(model.data(model.index(row, column))) for row in range(model.rowCount())]


def _choose_filter(qtbot: QtBot, screen: OutboxScreen, index: int) -> list[OutboxItem]:
    with qtbot.waitSignal(screen.items_loaded, timeout=10_000) as blocker:
        screen.filter_combo.setCurrentIndex(index)
    items: list[OutboxItem] = blocker.args[0]
    return items


class TestOutboxScreen:
    """The cashier's queue and the hall's attention list through the real widgets."""

    def test_queue_report_and_acknowledge(
        self, qtbot: QtBot, sign_in_live: SignIn, sync_workers: Callable[[UiContext, Outbox], SyncWorker],  # noqa: F811
        use_locale: Callable[[str], None], tmp_path: Path,
    ) -> None:
        """A booked payment shows both clocks; a refused offline one needs attention with its reason, is reported
        on refresh and reaches the supervisor's hall list; the supervisor acknowledges it with a note and the
        cashier's counter shows it acknowledged; a third payment waits, unsent."""
        use_locale("zh_CN")
        signed = sign_in_live("cashier1", "T0101")
        outbox = _outbox(tmp_path / "cashier1")
        ctx = dataclasses.replace(signed, outbox=outbox)
        shift = _shift(ctx)
        done = _queue(ctx, outbox, shift, ZHANG_WEI, 2_000)
        refused = _queue(ctx, outbox, shift, CLOSED, 1_500, offline=True)
        worker = sync_workers(ctx, outbox)
        _drained(qtbot, outbox, worker)
        worker.stop()
        waiting = _queue(ctx, outbox, shift, WANG_FANG, 700)
        assert (outbox.get(refused.id) or refused).state is ItemState.ATTENTION

        screen = OutboxScreen(ctx=ctx)
        qtbot.addWidget(screen)
        screen.resize(1300, 800)
        with qtbot.waitSignal(screen.attention_loaded, timeout=20_000) as listed:
            screen.show()
        assert screen.last_report is not None
        assert screen.last_report.reported == 1
        assert AttentionReports(outbox.path).done() == {refused.id: None}
        page: AttentionPage = listed.args[0]
        assert [i.item_key for i in page.items] == [refused.key]  # the cashier sees this counter's item
        assert not screen.acknowledge_button.isVisible()  # a cashier does not acknowledge

        qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=10_000)  # the filter starts on "pending"
        assert _texts(screen.model, OutboxModel.RECEIPT) == [waiting.receipt_no]
        assert _texts(screen.model, OutboxModel.STATE) == ["未确认"]
        assert "未确认：1 · 待处理：1" in screen.counts_label.text()

        attention = _choose_filter(qtbot, screen, 1)
        assert [i.id for i in attention] == [refused.id]
        assert _texts(screen.model, OutboxModel.LAST_ERROR) == [
            error_message(ErrorCode.CUSTOMER_CLOSED, {"customer_no": CLOSED})]
        assert _texts(screen.model, OutboxModel.STATE) == ["待处理"]

        everything = _choose_filter(qtbot, screen, 2)
        assert [i.id for i in everything] == [waiting.id, refused.id, done.id]
        booked = outbox.get(done.id)
        assert booked is not None
        assert booked.server_time is not None
        taken_at = dt.datetime.fromisoformat(_texts(screen.model, OutboxModel.TAKEN_AT)[2])
        booked_at = dt.datetime.fromisoformat(_texts(screen.model, OutboxModel.BOOKED_AT)[2])
        assert dt.timedelta(minutes=6) < booked_at - taken_at < dt.timedelta(minutes=8)  # both clocks, skew shown
        ARTIFACTS.mkdir(exist_ok=True)
        assert screen.grab().save(str(ARTIFACTS / "outbox-cashier-zh_CN.png"))

        supervisor_ctx = sign_in_live("super1", "T0102")
        hall = OutboxScreen(ctx=supervisor_ctx)
        qtbot.addWidget(hall)
        hall.resize(1300, 800)
        with qtbot.waitSignal(hall.attention_loaded, timeout=20_000):
            hall.show()
        assert hall.no_outbox_label.isVisible()
        assert not hall.table.isVisible()
        assert hall.acknowledge_button.isVisible()
        keys = [i.item_key for i in hall.attention_model.rows()]
        assert refused.key in keys
        row = keys.index(refused.key)
        assert _texts(hall.attention_model, AttentionModel.RECEIPT)[row] == refused.receipt_no
        assert _texts(hall.attention_model, AttentionModel.COUNTER)[row] == "T0101"

        qtbot.mouseClick(hall.acknowledge_button, CLICK)  # nothing chosen yet
        assert hall.attention_label.text() == "请在清单中选择已处理的事项。"
        hall.attention_table.selectRow(row)
        qtbot.keyClicks(hall.note_edit, "x")
        qtbot.mouseClick(hall.acknowledge_button, CLICK)
        assert hall.attention_label.text() == "请填写处理情况（至少两个字）。"
        hall.note_edit.insert("已联系客户办理退款")  # committed by the input method (QTest types Latin-1 only)
        with qtbot.waitSignal(hall.acknowledged, timeout=10_000) as acked:
            qtbot.mouseClick(hall.acknowledge_button, CLICK)
        assert (acked.args[0].item_key, acked.args[0].acknowledged_by) == (refused.key, "super1")
        qtbot.waitUntil(lambda: not hall.attention_model.rows()
                        or hall.attention_model.rows()[0].item_key != refused.key, timeout=10_000)
        page_after = supervisor_ctx.rpc.call(LIST_ATTENTION, ListAttentionRequest())
        (mine,) = [i for i in page_after.items if i.item_key == refused.key]
        assert mine.note == "x已联系客户办理退款"

        with qtbot.waitSignal(screen.attention_loaded, timeout=20_000):
            qtbot.mouseClick(screen.refresh_button, CLICK)
        qtbot.waitUntil(lambda: (outbox.get(refused.id) or refused).acknowledged_by == "super1", timeout=10_000)
        qtbot.waitUntil(lambda: "待处理：0" in screen.counts_label.text(), timeout=10_000)
        assert screen.last_report is not None
        assert screen.last_report.reported == 0
        _settled(qtbot)

    def test_models_obey_the_contract(self, qtmodeltester: ModelTester, tmp_path: Path) -> None:
        """Both table models pass Qt's model tester, empty and with rows."""
        outbox = Outbox.in_folder(tmp_path).open()
        item = outbox.submit(method=PAY.name, build=lambda no: Empty(), counter_code="T0101", username="cashier1",
                             customer_no=ZHANG_WEI, amount_fen=100)
        model = OutboxModel()
        qtmodeltester.check(model)
        model.set_rows([item])
        qtmodeltester.check(model)
        attention = AttentionModel()
        qtmodeltester.check(attention)
        attention.set_rows([AttentionItem(
            kind=AttentionKind.REDIRECTED, item_key=item.key, method=PAY.name, receipt_no="T0101-20261123-00001",
            customer_no=ZHANG_WEI, amount_fen=100, counter_code="T0101", taken_by="cashier1", shift_no=None,
            local_time=None, recorded_at=dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC), error_code=None,
            error_params={}, redirected_to_prepayment_fen=100, acknowledged_by=None, acknowledged_at=None, note=None,
        )])
        qtmodeltester.check(attention)
        assert "¥1.00" in str(attention.data(attention.index(0, AttentionModel.REASON)))

    def test_late_fee_day_item_shows_both_dates(self, use_locale: Callable[[str], None]) -> None:
        """A payment booked with the late fee to the booking day shows, in Chinese, its kind, the counter's day,
        the booking day and the rule the counter's clock broke."""
        use_locale("zh_CN")
        attention = AttentionModel()
        attention.set_rows([AttentionItem(
            kind=AttentionKind.LATE_FEE_DAY, item_key="k" * 36, method=PAY.name, receipt_no="T0101-20261126-00001",
            customer_no=ZHANG_WEI, amount_fen=100, counter_code="T0101", taken_by="cashier1", shift_no=None,
            local_time=dt.datetime(2026, 11, 26, 1, 0, tzinfo=dt.UTC),
            recorded_at=dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), error_code=None, error_params={},
            redirected_to_prepayment_fen=0, acknowledged_by=None, acknowledged_at=None, note=None,
            taken_on=dt.date(2026, 11, 26), late_fee_as_of=dt.date(2026, 11, 23), as_of_rule="in_the_future",
        )])
        assert attention.data(attention.index(0, 0)) == "违约金按入账日计算"
        reason = str(attention.data(attention.index(0, AttentionModel.REASON)))
        assert ("2026-11-26" in reason, "2026-11-23" in reason, "超前于中心时钟" in reason) == (True, True, True)


class TestCloseWithUnsent:
    def test_supervisor_signs_the_pending_list(
        self, qtbot: QtBot, sign_in_live: SignIn, sync_workers: Callable[[UiContext, Outbox], SyncWorker],  # noqa: F811
        use_locale: Callable[[str], None], tmp_path: Path,
    ) -> None:
        """The close dialog lists the shift's unsent payment, counts its cash as expected and needs a supervisor:
        without one it refuses, a cashier co-signer is refused by the server, a supervisor closes it; sent
        after the close, the payment shows on that shift as confirmed later."""
        use_locale("zh_CN")
        signed = sign_in_live("cashier2", "T0102")
        outbox = _outbox(tmp_path / "cashier2")
        ctx = dataclasses.replace(signed, outbox=outbox)
        shift = _shift(ctx)
        take_payment(ctx.rpc, WANG_FANG, cash_fen=10_000)
        unsent = _queue(ctx, outbox, shift, ZHANG_WEI, 5_000, offline=True)
        assert [u.receipt_no for u in unsent_items(outbox, shift.shift_no)] == [unsent.receipt_no]

        screen = ShiftScreen(ctx=ctx)
        qtbot.addWidget(screen)
        screen.resize(1000, 800)
        screen.show()
        qtbot.waitUntil(lambda: screen.summary_view.summary is not None, timeout=10_000)
        qtbot.mouseClick(screen.close_button, CLICK)
        qtbot.waitUntil(lambda: screen.close_dialog is not None and screen.close_dialog.isVisible(), timeout=10_000)
        dialog: CloseShiftDialog = screen.close_dialog  # type: ignore[assignment]
        assert dialog.unsent_box.isVisible()
        assert dialog.unsent_table.rowCount() == 1
        assert _cell(dialog.unsent_table, 0, 0) == unsent.receipt_no
        assert dialog.unsent_box.title() == "中心尚未确认的收费：1 笔"
        assert dialog.expected_label.text() == "150.00"  # the booked 100.00 and the unsent 50.00, float 0
        assert not dialog.cosign.isHidden()  # a supervisor is needed even for an even count
        for fen, pieces in {10000: 1, 5000: 1}.items():
            spin = dialog.findChild(QSpinBox, f"piecesSpin{fen}")
            assert spin is not None
            spin.setValue(pieces)
        assert dialog.difference_label.text() == "0.00"
        qtbot.keyClicks(dialog.deposit_slip_edit, "JK-UNSENT-1")
        qtbot.mouseClick(dialog.ok_button, CLICK)
        assert dialog.error_label.text() == "有 1 笔收费尚未上传到中心：须由班长输入用户名和密码签认清单。"

        qtbot.keyClicks(dialog.cosign.username_edit, "cashier1")
        qtbot.keyClicks(dialog.cosign.password_edit, password_for("cashier1"))
        qtbot.mouseClick(dialog.ok_button, CLICK)
        qtbot.waitUntil(lambda: dialog.error_label.text() == error_message(
            ErrorCode.COSIGN_NOT_AUTHORIZED, {"username": "cashier1"}), timeout=10_000)
        dialog.cosign.username_edit.clear()
        qtbot.keyClicks(dialog.cosign.username_edit, "super1")
        qtbot.keyClicks(dialog.cosign.password_edit, password_for("super1"))
        with qtbot.waitSignal(dialog.shift_closed, timeout=10_000) as closed:
            qtbot.mouseClick(dialog.ok_button, CLICK)
        summary = closed.args[0]
        assert (summary.offline_unconfirmed, summary.closing.difference_fen) == (1, 0)
        qtbot.waitUntil(screen.offline_box.isVisible, timeout=10_000)
        assert screen.offline_table.rowCount() == 1
        assert _cell(screen.offline_table, 0, 5) == "未确认"
        ARTIFACTS.mkdir(exist_ok=True)
        assert screen.grab().save(str(ARTIFACTS / "shift-closed-unsent-zh_CN.png"))

        next_shift = ctx.rpc.send(OPEN, OpenShiftRequest(float_fen=0), action=confirmed())
        worker = sync_workers(ctx, outbox)
        _drained(qtbot, outbox, worker)
        assert (outbox.get(unsent.id) or unsent).state is ItemState.DONE
        later = ctx.rpc.call(SUMMARY, ShiftRequest(shift_no=shift.shift_no))
        (line,) = later.offline_items
        assert (line.status.value, line.booked_shift_no, later.offline_unconfirmed) == (
            "confirmed_later", next_shift.shift_no, 0)
        carried = ctx.rpc.call(SUMMARY, ShiftRequest(shift_no=next_shift.shift_no))
        assert [(i.receipt_no, i.from_shift_no) for i in carried.offline_items] == [
            (unsent.receipt_no, shift.shift_no)]
        assert carried.expected_cash_fen == 0  # its 50.00 was counted in the closed shift's drawer
        _settled(qtbot)


class TestDamagedOutbox:
    def test_supervisor_acknowledges(self, qtbot: QtBot, sign_in_live: SignIn, live_server: LiveServer,  # noqa: F811
                                     use_locale: Callable[[str], None], tmp_path: Path) -> None:
        """The damaged file is shown, set aside untouched; a missing or wrong co-sign is refused; a supervisor's
        is recorded by the server, the numbering jumps and the gate opens."""
        use_locale("zh_CN")
        folder = tmp_path / "damaged"
        folder.mkdir()
        (folder / "counter.sqlite3").write_bytes(b"this is not a database" * 100)
        report = set_aside(folder / "counter.sqlite3", reason="file is not a database")
        signed = sign_in_live("cashier1", "T0101")
        outbox = Outbox.in_folder(folder).open()
        gate = DamageGate(report)
        ctx = dataclasses.replace(signed, outbox=outbox, outbox_damage=gate)
        screen = OutboxScreen(ctx=ctx)
        qtbot.addWidget(screen)
        with qtbot.waitSignal(screen.attention_loaded, timeout=20_000):
            screen.show()
        assert screen.damage_box.isVisible()
        assert "file is not a database" in screen.damage_label.text()
        qtbot.mouseClick(screen.damage_button, CLICK)
        qtbot.waitUntil(lambda: screen.damage_dialog is not None and screen.damage_dialog.isVisible(), timeout=5_000)
        dialog = screen.damage_dialog
        assert dialog is not None
        assert dialog.files_table.rowCount() == 1
        assert _cell(dialog.files_table, 0, 2) == report.files[0]["sha256"]

        qtbot.mouseClick(dialog.ok_button, CLICK)
        assert dialog.error_label.text() == "须由班长输入用户名和密码进行确认。"
        qtbot.keyClicks(dialog.cosign.username_edit, "super1")
        qtbot.keyClicks(dialog.cosign.password_edit, "wrong-password-1")
        qtbot.mouseClick(dialog.ok_button, CLICK)
        qtbot.waitUntil(lambda: dialog.error_label.text() == error_message(ErrorCode.COSIGN_INVALID), timeout=10_000)
        assert gate.closed
        assert (folder / DAMAGE_MARKER).exists()

        qtbot.keyClicks(dialog.cosign.password_edit, password_for("super1"))
        dialog.note_edit.insert("断电后文件损坏")  # committed by the input method (QTest types Latin-1 only)
        with qtbot.waitSignal(screen.damage_acknowledged, timeout=10_000) as acknowledged:
            qtbot.mouseClick(dialog.ok_button, CLICK)
        ack = acknowledged.args[0]
        assert (ack.counter_code, ack.reported_by, ack.cosigned_by) == ("T0101", "cashier1", "super1")
        assert not gate.closed
        assert not (folder / DAMAGE_MARKER).exists()
        assert [f["name"] for f in report.files] == [p.name for p in folder.glob("counter.sqlite3.damaged-*")]
        next_seq = ctx.rpc.call(GET_CURRENT, Empty()).next_receipt_seq
        assert outbox.last_receipt_seq("T0101") >= next_seq - 1 + 1000  # numbers past the damaged file's
        qtbot.waitUntil(lambda: not screen.damage_box.isVisible(), timeout=5_000)
        engine = create_engine(live_server.db_url, poolclass=NullPool)
        try:
            with engine.connect() as conn:
                rows = conn.execute(text("SELECT reason, note, files FROM damaged_outbox_acks")).all()
        finally:
            engine.dispose()
        assert [(r[0], r[1], r[2][0]["sha256"]) for r in rows] == [
            ("file is not a database", "断电后文件损坏", report.files[0]["sha256"])]
        _settled(qtbot)
