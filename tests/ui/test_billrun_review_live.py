# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""The bill run review against the live server: what the selection does after a recalculation under the
"anomalies only" filter, and the refusals the clerk sees in the screens (a reading below the previous one, a
register left empty, a run released twice from two screens), each a translated sentence that changes nothing.

Two customers of book T01-B001 (王芳 and the commercial customer) read the same in November as in October after
using power in October: their drafts carry the drop-against-the-previous-period anomaly, so the filter lists two
rows.
"""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from client.ui.context import UiContext
from client.ui.ops import running_ops
from client.ui.screens.billrun_screen import BillRunScreen
from client.ui.screens.reading_dialog import ReadingDialog
from shared_models.methods.billruns import DraftFilter, RunState
from shared_models.methods.readings import LIST_READINGS, ListReadingsRequest, ReadingHistory
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.factories import COMMERCIAL, LI_XIUYING, WANG_FANG, ZHANG_WEI
from tests.ui.billrun_live_helpers import BOOK, PERIOD, SUPERVISOR, TIMEOUT_MS, asset_no, enter_readings
from tests.ui.confirm_helpers import sql
from tests.ui.live_helpers import SignIn, live_client, sign_in_live  # noqa: F401 - the fixture

#: 户号 → readings of 2026-09, -10, -11: 王芳 and the commercial customer used nothing in November.
READINGS = {ZHANG_WEI: ("820.00", "1000.00", "1180.00"), LI_XIUYING: ("400.00", "500.00", "600.00"),
            WANG_FANG: ("1900.00", "2000.00", "2000.00"), COMMERCIAL: ("7500.00", "8000.00", "8000.00")}


@pytest.fixture(scope="module")
def readings(live_server: LiveServer) -> None:  # noqa: F811 - fixture
    """The book's October and November readings, entered by hand."""
    enter_readings(live_server, READINGS)


def _idle(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)


def _screen(qtbot: QtBot, ctx: UiContext) -> BillRunScreen:
    screen = BillRunScreen(ctx=ctx)
    qtbot.addWidget(screen)
    screen.resize(1024, 700)
    screen.show()
    screen.set_run(BOOK, PERIOD)
    return screen


def _calculated(qtbot: QtBot, ctx: UiContext) -> BillRunScreen:
    """The screen on the book's run, calculated (again: a calculated run is priced the same)."""
    screen = _screen(qtbot, ctx)
    with qtbot.waitSignal(screen.run_loaded, timeout=TIMEOUT_MS):
        screen.calculate_button.click()
    _idle(qtbot)
    assert screen.run is not None
    assert screen.run.state is RunState.CALCULATED
    return screen


def _reload(qtbot: QtBot, screen: BillRunScreen, click: object) -> None:
    """Press ``click`` (a button's click) and wait for the table to reload and settle."""
    with qtbot.waitSignal(screen.run_loaded, timeout=TIMEOUT_MS):
        click()  # type: ignore[operator]
    _idle(qtbot)


def _hold(qtbot: QtBot, screen: BillRunScreen, customer_no: str) -> None:
    assert screen.select_customer(customer_no)
    dialog = screen.open_hold()
    assert dialog is not None
    dialog.reason_combo.setEditText("示数待现场核实")
    _reload(qtbot, screen, dialog.ok_button.click)


def _selected(screen: BillRunScreen) -> str | None:
    draft = screen.selected_draft()
    return draft.customer_no if draft is not None else None


def _open_reading(qtbot: QtBot, screen: BillRunScreen, customer_no: str) -> ReadingDialog:
    assert screen.select_customer(customer_no)
    dialog = screen.open_reading()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.history is not None, timeout=TIMEOUT_MS)
    return dialog


def _close(qtbot: QtBot, dialog: ReadingDialog) -> None:
    """Close the dialog and let it be deleted before the screen under it is torn down."""
    dialog.close()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog), timeout=TIMEOUT_MS)


def _history(live: LiveServer, customer_no: str) -> ReadingHistory:
    """The customer's readings as the server holds them (a client of its own: the screen's is busy)."""
    rpc, _ = live_client(live, "billing1", "T0101")
    try:
        return rpc.call(LIST_READINGS, ListReadingsRequest(customer_no=customer_no))
    finally:
        rpc.close()


def test_a_mutation_keeps_a_sensible_selection(
        qapp: QApplication, qtbot: QtBot, readings: None, sign_in_live: SignIn) -> None:  # noqa: F811
    """Recalculated under "anomalies only" and still an anomaly: the same customer stays selected. A draft the
    filter no longer lists after the mutation (its hold lifted under "held"): the row that took its place is
    selected and its lines shown; none left: nothing selected and the lines panel says so."""
    screen = _calculated(qtbot, sign_in_live("billing1", "T0101"))
    _reload(qtbot, screen, lambda: screen.set_filter(DraftFilter.ANOMALIES))
    assert [d.customer_no for d in screen.model.rows()] == [WANG_FANG, COMMERCIAL]

    # Held and recalculated: still nothing used, still listed, still selected (not the first row).
    _hold(qtbot, screen, COMMERCIAL)
    assert _selected(screen) == COMMERCIAL
    _reload(qtbot, screen, screen.recalculate_button.click)
    assert [d.customer_no for d in screen.model.rows()] == [WANG_FANG, COMMERCIAL]
    assert _selected(screen) == COMMERCIAL
    _hold(qtbot, screen, WANG_FANG)
    assert _selected(screen) == WANG_FANG

    # Under "held", 王芳's hold lifted: she leaves the list, the commercial customer takes her row and is selected.
    _reload(qtbot, screen, lambda: screen.set_filter(DraftFilter.HELD))
    assert [d.customer_no for d in screen.model.rows()] == [WANG_FANG, COMMERCIAL]
    assert _selected(screen) == WANG_FANG  # a plain reload keeps the customer
    with qtbot.waitSignal(screen.lines_shown, timeout=TIMEOUT_MS):
        _reload(qtbot, screen, screen.unhold_button.click)
    assert [d.customer_no for d in screen.model.rows()] == [COMMERCIAL]
    assert _selected(screen) == COMMERCIAL
    assert screen.table.selectionModel().isRowSelected(0)
    assert screen.lines.title_label.text().startswith(f"Draft of {COMMERCIAL}")
    assert screen.unhold_button.isEnabled()  # the held commercial draft: its actions are offered

    # The last one lifted: nothing left to select, the lines panel asks for a selection, no action is offered.
    _reload(qtbot, screen, screen.unhold_button.click)
    assert screen.model.rows() == []
    assert _selected(screen) is None
    assert screen.lines.title_label.text() == "Select a bill to see its lines."
    assert not screen.unhold_button.isEnabled()


def test_a_reading_below_the_previous_is_refused_in_the_dialog(
        qapp: QApplication, qtbot: QtBot, live_server: LiveServer,  # noqa: F811
        readings: None, sign_in_live: SignIn) -> None:  # noqa: F811
    """张伟's November corrected to 900 (October read 1000) without the rollover confirmed: the dialog says so,
    the reading stays as it was."""
    ctx = sign_in_live("billing1", "T0101")
    screen = _calculated(qtbot, ctx)
    before = _history(live_server, ZHANG_WEI)
    dialog = _open_reading(qtbot, screen, ZHANG_WEI)
    assert dialog.current_reading() is not None
    dialog.set_value("total", "900.00")
    dialog.note_edit.setText("抄表员看错一位")
    dialog.cosign.username_edit.setText(SUPERVISOR.username)
    dialog.cosign.password_edit.setText(SUPERVISOR.password)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.error_label.text() != "", timeout=TIMEOUT_MS)
    _idle(qtbot)
    assert dialog.error_label.text() == (
        f"The total register of meter {asset_no(ZHANG_WEI)} reads 900.00, below the previous reading 1000.00. "
        "Check the value, or confirm that the register passed its highest value.")
    assert dialog.saved is None
    assert dialog.save_button.isVisible()
    assert _history(live_server, ZHANG_WEI) == before
    _close(qtbot, dialog)


def test_a_register_left_empty_is_refused_in_the_dialog(
        qapp: QApplication, qtbot: QtBot, live_server: LiveServer,  # noqa: F811
        readings: None, sign_in_live: SignIn) -> None:  # noqa: F811
    """李秀英's November corrected with the total register left empty: the dialog asks for every register, the
    reading stays as it was."""
    ctx = sign_in_live("billing1", "T0101")
    screen = _calculated(qtbot, ctx)
    before = _history(live_server, LI_XIUYING)
    dialog = _open_reading(qtbot, screen, LI_XIUYING)
    dialog.set_value("total", "")
    dialog.note_edit.setText("重新抄表")
    dialog.cosign.username_edit.setText(SUPERVISOR.username)
    dialog.cosign.password_edit.setText(SUPERVISOR.password)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.error_label.text() != "", timeout=TIMEOUT_MS)
    _idle(qtbot)
    assert dialog.error_label.text() == (
        f"The total register of meter {asset_no(LI_XIUYING)} has no value. Enter every register of the meter.")
    assert dialog.saved is None
    assert _history(live_server, LI_XIUYING) == before
    _close(qtbot, dialog)


def test_a_run_released_twice_from_two_screens(
        qapp: QApplication, qtbot: QtBot, live_server: LiveServer,  # noqa: F811
        readings: None, sign_in_live: SignIn) -> None:  # noqa: F811
    """Two screens (two PCs) on the same calculated run; the first releases it, the second's release is refused
    with who released it and when, and no bill is released twice."""
    first = _calculated(qtbot, sign_in_live("billing1", "T0101"))
    second = _screen(qtbot, sign_in_live("billing1", "T0101"))
    _reload(qtbot, second, second.open_button.click)
    assert second.run is not None
    assert second.run.state is RunState.CALCULATED

    release = first.open_release()
    assert release is not None
    with qtbot.waitSignal(first.released, timeout=TIMEOUT_MS):
        release.ok_button.click()
    _idle(qtbot)
    [(bills,)] = sql(live_server, "SELECT count(*) FROM bills WHERE period = :p", p=PERIOD)
    assert first.run is not None
    assert bills == first.run.bills_released > 0

    late = second.open_release()
    assert late is not None
    assert second.release_button.isEnabled()  # the second screen does not know yet
    late.ok_button.click()
    qtbot.waitUntil(lambda: "already released" in second.message_label.text(), timeout=TIMEOUT_MS)
    _idle(qtbot)
    run = first.run
    assert run is not None
    assert run.released_at is not None
    assert second.message_label.text() == (
        f"The bill run of book {BOOK}, period {PERIOD} was already released by {run.released_by} at "
        f"{run.released_at.isoformat()}. Nothing was released twice.")
    [(after,)] = sql(live_server, "SELECT count(*) FROM bills WHERE period = :p", p=PERIOD)
    assert after == bills
