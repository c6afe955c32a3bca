# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""A hold's idempotency key belongs to the hold the clerk confirmed, reason included: after a hold whose answer
was lost, confirming the hold again with another reason is a new action (a new key, so the server answers that
the draft is already held with the first reason), never a reused key; confirming it with the same reason is a
retry (the same key, the first result replayed)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from client.core.actions import ConfirmedAction
from client.ui.context import UiContext
from client.ui.ops import running_ops
from client.ui.screens.billrun_screen import BillRunScreen
from shared_models.methods.billruns import CALCULATE_RUN, CalculateRunRequest, RunState
from tests.action_helpers import confirmed
from tests.chaos.proxy import ChaosProxy
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.factories import COMMERCIAL, LI_XIUYING, WANG_FANG, ZHANG_WEI
from tests.ui.billrun_live_helpers import BOOK, PERIOD, enter_readings
from tests.ui.confirm_helpers import TIMEOUT_MS, LostAnswer, ViaLink, link, sql, via_link  # noqa: F401
from tests.ui.live_helpers import live_client

pytestmark = pytest.mark.timeout(300)
CLICK = Qt.MouseButton.LeftButton
READINGS = {ZHANG_WEI: ("820.00", "1000.00", "1180.00"), LI_XIUYING: ("400.00", "500.00", "600.00"),
            WANG_FANG: ("1900.00", "2000.00", "2120.50"), COMMERCIAL: ("7500.00", "8000.00", "8500.00")}


@pytest.fixture(scope="module")
def calculated(live_server: LiveServer) -> None:  # noqa: F811 - fixture
    """The book's readings entered from the handheld and its 2026-11 run calculated."""
    enter_readings(live_server, READINGS)
    rpc, _ = live_client(live_server, "billing1", "T0101")
    try:
        state = RunState.CALCULATING
        while state is RunState.CALCULATING:
            state = rpc.send(CALCULATE_RUN, CalculateRunRequest(book_code=BOOK, period=PERIOD),
                             action=confirmed()).state
    finally:
        rpc.close()


def _screen(qtbot: QtBot, ctx: UiContext) -> tuple[BillRunScreen, list[str]]:
    """The run loaded on the Bill runs screen, and the keys its mutations are sent with (in order)."""
    keys: list[str] = []
    send = ctx.rpc.send

    def recording(*args: Any, action: ConfirmedAction, **kwargs: Any) -> Any:
        keys.append(action.key)
        return send(*args, action=action, **kwargs)

    ctx.rpc.send = recording  # type: ignore[method-assign]  # records the keys, sends as it was
    screen = BillRunScreen(ctx=ctx)
    qtbot.addWidget(screen)
    screen.show()
    screen.set_run(BOOK, PERIOD)
    with qtbot.waitSignal(screen.run_loaded, timeout=TIMEOUT_MS):
        screen.open_button.click()
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)
    return screen, keys


def _hold(qtbot: QtBot, screen: BillRunScreen, reason: str) -> None:
    dialog = screen.open_hold()
    assert dialog is not None
    dialog.reason_combo.setEditText(reason)
    qtbot.mouseClick(dialog.ok_button, CLICK)


def test_changed_reason_is_a_new_hold(qtbot: QtBot, calculated: None, live_server: LiveServer,  # noqa: F811
                                      link: ChaosProxy, via_link: ViaLink) -> None:  # noqa: F811
    """The first hold's answer is lost; the clerk holds again with another reason: a new key, and the answer is
    that the draft is already held with the first reason (not a reused key); held once, with the first reason."""
    screen, keys = _screen(qtbot, via_link("billing1", "T0101"))
    slot = screen.slots["hold"]
    assert screen.select_customer(WANG_FANG)
    lost = LostAnswer.arm_for(live_server, link, "billrun.hold_bill")
    _hold(qtbot, screen, "示数待现场核实")
    first = lost.wait_lost(qtbot, slot)
    assert keys == [first.key]
    _hold(qtbot, screen, "倍率待核对")
    qtbot.waitUntil(lambda: len(keys) == 2 and running_ops() == 0, timeout=TIMEOUT_MS)
    assert keys[1] != first.key
    assert slot.pending is None  # a definite answer
    assert "already held (示数待现场核实)" in screen.message_label.text()
    assert "different operation" not in screen.message_label.text()
    assert lost.applied() == [first.key]
    assert sql(live_server, "SELECT d.held, d.hold_reason FROM bill_drafts d JOIN customers c"
                            " ON c.id = d.customer_id WHERE c.customer_no = :c", c=WANG_FANG) == [
        (True, "示数待现场核实")]


def test_same_reason_is_a_retry(qtbot: QtBot, calculated: None, live_server: LiveServer,  # noqa: F811
                                link: ChaosProxy, via_link: ViaLink) -> None:  # noqa: F811
    """The hold's answer is lost; the clerk confirms the same hold again: the same key, the first result."""
    screen, keys = _screen(qtbot, via_link("billing1", "T0101"))
    slot = screen.slots["hold"]
    assert screen.select_customer(COMMERCIAL)
    lost = LostAnswer.arm_for(live_server, link, "billrun.hold_bill")
    _hold(qtbot, screen, "核对倍率")
    first = lost.wait_lost(qtbot, slot)
    with qtbot.waitSignal(screen.run_loaded, timeout=TIMEOUT_MS):
        _hold(qtbot, screen, "核对倍率")
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)
    assert keys == [first.key, first.key]
    stored = lost.check_once(slot)
    assert (stored["customer_no"], stored["held"], stored["hold_reason"]) == (COMMERCIAL, True, "核对倍率")
