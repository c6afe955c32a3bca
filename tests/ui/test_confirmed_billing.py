# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""One key per confirmed action (issue 10 §2), in billing: the bill run's calculation, hold, lift of a hold,
recalculation, release and a released bill's 退补 on the Bill runs screen, and a tariff's new version on the
Tariffs screen; the link
drops the answer right after the server committed, the clerk presses again through the real widget, and the
first result comes back, applied once (one key in the audit log, the effect once in the books).

The tests run in order on one live server and book ``T01-B001``'s 2026-11: calculated, drafts held, lifted and
recalculated, then released, and one bill corrected; the tariff's version starts after anything billed.
"""

from __future__ import annotations

import json

import pytest
import shiboken6
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from client.ui.context import UiContext
from client.ui.ops import running_ops
from client.ui.screens.billrun_screen import BillRunScreen
from client.ui.screens.correct_bill_dialog import CorrectBillDialog
from client.ui.screens.tariff_screen import AddVersionDialog, TariffScreen
from shared_models.methods.billruns import HOLD_BILL, CorrectBillResult, HoldBillRequest, RunState
from shared_models.methods.readings import (
    ENTER_READING,
    LIST_READINGS,
    EnterReadingRequest,
    ListReadingsRequest,
    ReadingCorrection,
    ReadingSource,
    ReadingStatus,
    Register,
)
from tests.action_helpers import confirmed
from tests.chaos.proxy import ChaosProxy
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.factories import COMMERCIAL, LI_XIUYING, WANG_FANG, ZHANG_WEI
from tests.ui.billrun_live_helpers import BOOK, PERIOD, READ_ON, SUPERVISOR, asset_no, enter_readings
from tests.ui.confirm_helpers import TIMEOUT_MS, LostAnswer, ViaLink, link, sql, via_link  # noqa: F401

pytestmark = pytest.mark.timeout(300)
CLICK = Qt.MouseButton.LeftButton

#: 户号 → readings of 2026-09, -10, -11.
READINGS = {ZHANG_WEI: ("820.00", "1000.00", "1180.00"), LI_XIUYING: ("400.00", "500.00", "600.00"),
            WANG_FANG: ("1900.00", "2000.00", "2120.50"), COMMERCIAL: ("7500.00", "8000.00", "8500.00")}


@pytest.fixture(scope="module")
def readings(live_server: LiveServer) -> None:  # noqa: F811 - fixture
    """The book's readings, entered from the handheld."""
    enter_readings(live_server, READINGS)


def _settled(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)


def _screen(qtbot: QtBot, ctx: UiContext, *, load: bool = True) -> BillRunScreen:
    """The Bill runs screen on the book's 2026-11, loaded (unless not yet calculated)."""
    screen = BillRunScreen(ctx=ctx)
    qtbot.addWidget(screen)
    screen.resize(1024, 700)
    screen.show()
    screen.set_run(BOOK, PERIOD)
    if not load:
        return screen
    with qtbot.waitSignal(screen.run_loaded, timeout=TIMEOUT_MS):
        screen.open_button.click()
    _settled(qtbot)
    return screen


def _draft(live: LiveServer, customer_no: str) -> tuple[int, bool, str | None]:
    """(how many drafts, held, hold reason) of ``customer_no`` in the book's run."""
    [(count, held, reason)] = sql(live, "SELECT count(*), bool_or(d.held), max(d.hold_reason) FROM bill_drafts d"
                                        " JOIN bill_runs r ON r.id = d.run_id JOIN customers c ON c.id = d.customer_id"
                                        " WHERE r.book_code = :b AND r.period = :p AND c.customer_no = :c",
                                  b=BOOK, p=PERIOD, c=customer_no)
    return int(count), bool(held), reason


def _press_again(qtbot: QtBot, screen: BillRunScreen, press: object) -> None:
    """The clerk sees the failure and presses again; the screen reloads after the answer."""
    assert screen.message_label.text()  # told that the answer did not come
    with qtbot.waitSignal(screen.run_loaded, timeout=TIMEOUT_MS):
        press()  # type: ignore[operator]
    _settled(qtbot)


class TestBillRun:
    def test_calculate(self, qtbot: QtBot, readings: None, live_server: LiveServer,  # noqa: F811
                       link: ChaosProxy, via_link: ViaLink) -> None:  # noqa: F811
        """A calculation whose answer is lost, pressed again: the first result (the run calculated) comes back,
        one calculation is recorded and each customer has one draft."""
        screen = _screen(qtbot, via_link("billing1", "T0101"), load=False)
        slot = screen.slots["calculate"]
        lost = LostAnswer.arm_for(live_server, link, "billrun.calculate_run")
        qtbot.mouseClick(screen.calculate_button, CLICK)
        lost.wait_lost(qtbot, slot)
        qtbot.waitUntil(screen.calculate_button.isEnabled, timeout=TIMEOUT_MS)
        with qtbot.waitSignal(screen.calculated, timeout=TIMEOUT_MS) as calculated:
            _press_again(qtbot, screen, lambda: qtbot.mouseClick(screen.calculate_button, CLICK))
        stored = lost.check_once(slot, calculated.args[0])
        assert stored["state"] == RunState.CALCULATED.value
        assert stored["drafts"] == 4
        assert [_draft(live_server, c)[0] for c in READINGS] == [1, 1, 1, 1]
        assert screen.run is not None
        assert screen.run.state is RunState.CALCULATED
        _settled(qtbot)

    def test_hold(self, qtbot: QtBot, readings: None, live_server: LiveServer,  # noqa: F811
                  link: ChaosProxy, via_link: ViaLink) -> None:  # noqa: F811
        """A hold whose answer is lost, confirmed again from the Hold… dialog: held once, with the first reason."""
        screen = _screen(qtbot, via_link("billing1", "T0101"))
        slot = screen.slots["hold"]
        assert screen.select_customer(WANG_FANG)

        def hold() -> None:
            dialog = screen.open_hold()
            assert dialog is not None
            dialog.reason_combo.setEditText("示数待现场核实")
            qtbot.mouseClick(dialog.ok_button, CLICK)

        lost = LostAnswer.arm_for(live_server, link, "billrun.hold_bill")
        hold()
        lost.wait_lost(qtbot, slot)
        assert screen.hold_button.isEnabled()  # the draft still shows as not held
        _press_again(qtbot, screen, hold)
        stored = lost.check_once(slot)
        assert (stored["customer_no"], stored["held"], stored["hold_reason"]) == (WANG_FANG, True, "示数待现场核实")
        assert _draft(live_server, WANG_FANG) == (1, True, "示数待现场核实")
        draft = screen.selected_draft()
        assert draft is not None
        assert (draft.customer_no, draft.held) == (WANG_FANG, True)

    def test_recalculate(self, qtbot: QtBot, readings: None, live_server: LiveServer,  # noqa: F811
                         link: ChaosProxy, via_link: ViaLink) -> None:  # noqa: F811
        """A recalculation of a held draft whose answer is lost, pressed again: priced once, still held."""
        ctx = via_link("billing1", "T0101")
        ctx.rpc.send(HOLD_BILL, HoldBillRequest(book_code=BOOK, period=PERIOD, customer_no=COMMERCIAL,
                                                reason="核对倍率"), action=confirmed())
        screen = _screen(qtbot, ctx)
        slot = screen.slots["recalculate"]
        assert screen.select_customer(COMMERCIAL)
        lost = LostAnswer.arm_for(live_server, link, "billrun.recalculate_bill")
        qtbot.mouseClick(screen.recalculate_button, CLICK)
        lost.wait_lost(qtbot, slot)
        qtbot.waitUntil(screen.recalculate_button.isEnabled, timeout=TIMEOUT_MS)
        _press_again(qtbot, screen, lambda: qtbot.mouseClick(screen.recalculate_button, CLICK))
        stored = lost.check_once(slot)
        assert (stored["draft"]["customer_no"], stored["draft"]["held"]) == (COMMERCIAL, True)
        assert _draft(live_server, COMMERCIAL) == (1, True, "核对倍率")
        assert "recalculated" in screen.message_label.text()

    def test_lift_hold(self, qtbot: QtBot, readings: None, live_server: LiveServer,  # noqa: F811
                       link: ChaosProxy, via_link: ViaLink) -> None:  # noqa: F811
        """Lift hold whose answer is lost, pressed again: lifted once."""
        screen = _screen(qtbot, via_link("billing1", "T0101"))
        slot = screen.slots["unhold"]
        assert screen.select_customer(COMMERCIAL)
        lost = LostAnswer.arm_for(live_server, link, "billrun.release_bill")
        qtbot.mouseClick(screen.unhold_button, CLICK)
        lost.wait_lost(qtbot, slot)
        qtbot.waitUntil(screen.unhold_button.isEnabled, timeout=TIMEOUT_MS)
        _press_again(qtbot, screen, lambda: qtbot.mouseClick(screen.unhold_button, CLICK))
        stored = lost.check_once(slot)
        assert (stored["customer_no"], stored["held"]) == (COMMERCIAL, False)
        assert _draft(live_server, COMMERCIAL)[:2] == (1, False)
        draft = screen.selected_draft()
        assert draft is not None
        assert (draft.customer_no, draft.held) == (COMMERCIAL, False)

    def test_release_run(self, qtbot: QtBot, readings: None, live_server: LiveServer,  # noqa: F811
                         link: ChaosProxy, via_link: ViaLink) -> None:  # noqa: F811
        """A release whose answer is lost, confirmed again: released once, one bill per customer not held (王芳's
        draft is held), the first result's totals shown."""
        screen = _screen(qtbot, via_link("billing1", "T0101"))
        slot = screen.slots["release"]

        def release() -> None:
            dialog = screen.open_release()
            assert dialog is not None
            qtbot.mouseClick(dialog.ok_button, CLICK)

        lost = LostAnswer.arm_for(live_server, link, "billrun.release_run")
        release()
        lost.wait_lost(qtbot, slot)
        qtbot.waitUntil(screen.release_button.isEnabled, timeout=TIMEOUT_MS)
        with qtbot.waitSignal(screen.released, timeout=TIMEOUT_MS) as released:
            _press_again(qtbot, screen, release)
        stored = lost.check_once(slot, released.args[0])
        assert stored["bills_released"] == 3
        bills = sql(live_server, "SELECT c.customer_no, count(*) FROM bills b JOIN customers c ON c.id = b.customer_id"
                                 " WHERE b.period = :p AND c.book_code = :b GROUP BY c.customer_no",
                    p=PERIOD, b=BOOK)
        assert sorted(bills) == sorted((c, 1) for c in (ZHANG_WEI, LI_XIUYING, COMMERCIAL))
        assert screen.run is not None
        assert screen.run.state is RunState.RELEASED

    def test_correct_bill(self, qtbot: QtBot, readings: None, live_server: LiveServer,  # noqa: F811
                          link: ChaosProxy, via_link: ViaLink) -> None:  # noqa: F811
        """A 退补 whose answer is lost, confirmed again from a reopened dialog (the supervisor types the password
        again): corrected once, under the first key, and the first result is the one shown."""
        ctx = via_link("billing1", "T0101")
        _correct_reading(ctx, ZHANG_WEI, "1200.00")  # read 1180, was 1200: the bill is corrected after
        screen = _screen(qtbot, ctx)
        slot = screen.slots["correct"]
        with qtbot.waitSignal(screen.lines_shown, timeout=TIMEOUT_MS):
            assert screen.select_customer(ZHANG_WEI)
        _settled(qtbot)

        def correct() -> CorrectBillDialog:
            dialog = screen.open_correct()
            assert dialog is not None
            dialog.reason_combo.setEditText("抄表员看错一位")
            dialog.cosign.username_edit.setText(SUPERVISOR.username)
            dialog.cosign.password_edit.setText(SUPERVISOR.password)
            qtbot.mouseClick(dialog.ok_button, CLICK)
            return dialog

        lost = LostAnswer.arm_for(live_server, link, "billrun.correct_bill")
        first = correct()
        lost.wait_lost(qtbot, slot)
        assert first.error_label.text()  # told that the answer did not come
        first.close()
        qtbot.waitUntil(lambda: not shiboken6.isValid(first), timeout=TIMEOUT_MS)
        with qtbot.waitSignal(screen.run_loaded, timeout=TIMEOUT_MS):
            second = correct()
        _settled(qtbot)
        answer = second.answer
        assert isinstance(answer, CorrectBillResult)
        stored = lost.check_once(slot, answer)
        assert (stored["reversed_bill_no"], stored["new_bill"]["bill_no"]) == (
            f"{PERIOD}-{ZHANG_WEI}", f"{PERIOD}-{ZHANG_WEI}-C1")
        bills = sql(live_server, "SELECT b.bill_no FROM bills b JOIN customers c ON c.id = b.customer_id"
                                 " WHERE b.period = :p AND c.customer_no = :c ORDER BY b.id", p=PERIOD, c=ZHANG_WEI)
        assert [b for (b,) in bills] == [f"{PERIOD}-{ZHANG_WEI}", f"{PERIOD}-{ZHANG_WEI}-C1"]
        second.close()
        qtbot.waitUntil(lambda: not shiboken6.isValid(second), timeout=TIMEOUT_MS)


def _correct_reading(ctx: UiContext, customer_no: str, value: str) -> None:
    """Correct the customer's reading of the period to ``value`` (co-signed, as the reading dialog does)."""
    history = ctx.rpc.call(LIST_READINGS, ListReadingsRequest(customer_no=customer_no))
    current = next(r for r in history.readings if r.period == PERIOD and not r.superseded)
    ctx.rpc.send(ENTER_READING, EnterReadingRequest(
        asset_no=asset_no(customer_no), period=PERIOD, read_on=READ_ON[PERIOD], status=ReadingStatus.ACTUAL,
        source=ReadingSource.MANUAL, values={Register.TOTAL: value},
        correction=ReadingCorrection(reading_id=current.reading_id, reason="抄表员看错一位")),
        action=confirmed(), cosign=SUPERVISOR)


def test_add_tariff_version(qtbot: QtBot, live_server: LiveServer, link: ChaosProxy,  # noqa: F811
                            via_link: ViaLink) -> None:  # noqa: F811
    """A new tariff version whose answer is lost, added again from the same dialog: one version, the first
    result shown."""
    screen = TariffScreen(ctx=via_link("billing1", "T0101"))
    qtbot.addWidget(screen)
    screen.show()
    with qtbot.waitSignal(screen.tariff_shown, timeout=TIMEOUT_MS):
        screen.refresh()
    _settled(qtbot)
    with qtbot.waitSignal(screen.tariff_shown, timeout=TIMEOUT_MS):
        assert screen.select_code("RES-FLAT")
    _settled(qtbot)
    [(before,)] = sql(live_server, "SELECT count(*) FROM tariff_versions v JOIN tariffs t ON t.id = v.tariff_id"
                                   " WHERE t.code = 'RES-FLAT'")
    dialog = screen.open_add_dialog()
    assert isinstance(dialog, AddVersionDialog)
    doc = json.loads(dialog.doc_edit.toPlainText().replace("YYYY-MM-DD", "2031-01-01"))
    doc["energy_price"] = "0.548"
    dialog.doc_edit.setPlainText(json.dumps(doc))

    lost = LostAnswer.arm_for(live_server, link, "tariff.add_version")
    qtbot.mouseClick(dialog.ok_button, CLICK)
    lost.wait_lost(qtbot, screen.add_slot)
    assert dialog.isVisible()
    assert dialog.error_label.text()
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=TIMEOUT_MS)
    with qtbot.waitSignal(dialog.version_added, timeout=TIMEOUT_MS) as added:
        qtbot.mouseClick(dialog.ok_button, CLICK)
    lost.check_once(screen.add_slot, added.args[0])
    [(after,)] = sql(live_server, "SELECT count(*) FROM tariff_versions v JOIN tariffs t ON t.id = v.tariff_id"
                                  " WHERE t.code = 'RES-FLAT'")
    assert after == before + 1
    _settled(qtbot)
