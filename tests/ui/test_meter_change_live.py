# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""A meter change (换表) through the real dialogs against the live server, as a billing clerk enters it after the
work order: 张伟's meter is changed on 2026-11-10, mid-period, from the reading dialog; the new meter is read on
2026-11-22 in the same dialog; the bill run of book T01-B001 for 2026-11 then bills the old meter's last part
plus the new meter's first part (its multiplier CT × PT). A refused change shows its translated sentence and
changes nothing; the dialog reads in Chinese and fits the counter's 1024×768 screen in both languages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
import shiboken6
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from client.ui.context import UiContext
from client.ui.ops import running_ops
from client.ui.screens.billrun_screen import BillRunScreen
from client.ui.screens.meter_change_dialog import MeterChangeDialog
from client.ui.screens.reading_dialog import ReadingDialog
from shared_models.methods.billruns import GET_DRAFT, DraftRef, RunState
from shared_models.methods.readings import (
    ENTER_READING,
    LIST_READINGS,
    EnterReadingRequest,
    ListReadingsRequest,
    ReadingHistory,
    ReadingSource,
    ReadingStatus,
    Register,
)
from shared_models.pricing import LineKind
from tests.action_helpers import confirmed
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.factories import WANG_FANG, ZHANG_WEI, password_for
from tests.ui.billrun_live_helpers import BOOK, PERIOD, SUPERVISOR, TIMEOUT_MS, asset_no
from tests.ui.conftest import ARTIFACTS
from tests.ui.live_helpers import SignIn, live_client, sign_in_live  # noqa: F401 - the fixture

NEW_METER = "ZJ-2026-0001"
#: 张伟's meter as the handheld read it in September and October (on the 25th).
READINGS = {202609: (dt.date(2026, 9, 25), "820.00"), 202610: (dt.date(2026, 10, 25), "1000.00")}


@pytest.fixture(scope="module")
def read(live_server: LiveServer) -> None:  # noqa: F811 - fixture
    """张伟's September and October readings, from the handheld."""
    rpc, _ = live_client(live_server, "reader1", "T0101")
    try:
        for period, (day, value) in READINGS.items():
            rpc.send(ENTER_READING, EnterReadingRequest(
                asset_no=asset_no(ZHANG_WEI), period=period, read_on=day, status=ReadingStatus.ACTUAL,
                source=ReadingSource.HANDHELD, values={Register.TOTAL: value}), action=confirmed(),
                cosign=SUPERVISOR)
    finally:
        rpc.close()


def _idle(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)


def _history(live: LiveServer, customer_no: str) -> ReadingHistory:
    """The customer's meters and readings as the server holds them (a client of its own)."""
    rpc, _ = live_client(live, "billing1", "T0101")
    try:
        return rpc.call(LIST_READINGS, ListReadingsRequest(customer_no=customer_no))
    finally:
        rpc.close()


def _reading_dialog(qtbot: QtBot, ctx: UiContext, customer_no: str) -> ReadingDialog:
    dialog = ReadingDialog(ctx=ctx, customer_no=customer_no, period=PERIOD)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.history is not None, timeout=TIMEOUT_MS)
    return dialog


def _change_dialog(qtbot: QtBot, reading: ReadingDialog) -> MeterChangeDialog:
    """Press **Meter change…** in the reading dialog and wait for the meters."""
    assert reading.meter_change_button.isEnabled()
    reading.meter_change_button.click()
    dialog = reading.meter_change_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.history is not None, timeout=TIMEOUT_MS)
    return dialog


def _fill(dialog: MeterChangeDialog, *, final: str, new_asset: str, start: str) -> None:
    """The work order: changed 2026-11-10 in period 2026-11, CT 2 × PT 1, 6 digits, total only, co-signed."""
    dialog.changed_on_edit.setDate(QDate(2026, 11, 10))
    dialog.period_edit.setDate(QDate(2026, 11, 1))
    dialog.set_final("total", final)
    dialog.asset_edit.setText(new_asset)
    dialog.digits_spin.setValue(6)
    dialog.ct_spin.setValue(2)
    dialog.pt_spin.setValue(1)
    dialog.set_start("total", start)
    dialog.cosign.username_edit.setText("super1")
    dialog.cosign.password_edit.setText(password_for("super1"))


def _close(qtbot: QtBot, dialog: QDialog) -> None:
    dialog.close()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog), timeout=TIMEOUT_MS)


def test_refused_change_shows_why_and_changes_nothing(
        qapp: QApplication, qtbot: QtBot, read: None, live_server: LiveServer,  # noqa: F811
        sign_in_live: SignIn) -> None:  # noqa: F811
    """The new meter's asset number is 王芳's meter: the server's refusal is shown in words, the old meter stays
    in service and no meter is added."""
    reading = _reading_dialog(qtbot, sign_in_live("billing1", "T0101"), ZHANG_WEI)
    dialog = _change_dialog(qtbot, reading)
    assert dialog.meter_combo.currentData() == asset_no(ZHANG_WEI)
    assert dialog.previous_label.text() == "Last reading: 202610, 2026-10-25: total 1000.00"
    assert [r for r, check in dialog.register_checks.items() if check.isChecked()] == [Register.TOTAL]
    _fill(dialog, final="1080.00", new_asset=asset_no(WANG_FANG), start="0.00")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.error_label.text() != "", timeout=TIMEOUT_MS)
    _idle(qtbot)
    assert dialog.error_label.text() == (f"The asset number {asset_no(WANG_FANG)} already belongs to a meter. Check "
                                         "the number on the new meter.")
    assert dialog.saved is None
    assert dialog.cosign.password_edit.text() == ""  # typed again for the next try
    history = _history(live_server, ZHANG_WEI)
    assert [(m.asset_no, m.removed_on) for m in history.meters] == [(asset_no(ZHANG_WEI), None)]
    _close(qtbot, dialog)
    _close(qtbot, reading)


def test_mid_period_change_is_billed_old_plus_new(
        qapp: QApplication, qtbot: QtBot, read: None, live_server: LiveServer,  # noqa: F811
        sign_in_live: SignIn) -> None:  # noqa: F811
    """The change entered from the reading dialog with the keyboard (Enter saves), the new meter read in the same
    dialog, then the run: the draft bills (1080 − 1000) × 1 + (50 − 0) × 2 = 180 kWh from 2026-10-26 to
    2026-11-22."""
    ctx = sign_in_live("billing1", "T0101")
    reading = _reading_dialog(qtbot, ctx, ZHANG_WEI)
    dialog = _change_dialog(qtbot, reading)
    _fill(dialog, final="1080.00", new_asset=NEW_METER, start="0.00")
    with qtbot.waitSignal(dialog.change_saved, timeout=TIMEOUT_MS) as saved, \
            qtbot.waitSignal(reading.history_loaded, timeout=TIMEOUT_MS):
        qtbot.keyClick(dialog.cosign.password_edit, Qt.Key.Key_Return)  # the default button: save
    change = saved.args[0]
    assert (change.old_meter.removed_on, change.new_meter.multiplier) == (dt.date(2026, 11, 10), 2)
    assert change.final_reading.kwh == {Register.TOTAL: Decimal("80.00")}
    assert change.start_reading.old_final_reading_id == change.final_reading.reading_id
    assert dialog.result_label.text().startswith(f"Meter {asset_no(ZHANG_WEI)} was removed on 2026-11-10 and meter "
                                                 f"{NEW_METER} (multiplier 2) installed")
    assert "80.00 kWh" in dialog.result_label.text()
    _close(qtbot, dialog)

    # The reading dialog fetched the meters again: only the new one is in service, and it is read for November.
    assert [reading.meter_combo.itemData(i) for i in range(reading.meter_combo.count())] == [NEW_METER]
    reading.read_on_edit.setDate(QDate(2026, 11, 22))
    reading.set_value("total", "50.00")
    reading.cosign.username_edit.setText("super1")
    reading.cosign.password_edit.setText(password_for("super1"))
    with qtbot.waitSignal(reading.reading_saved, timeout=TIMEOUT_MS) as stored:
        reading.save_button.click()
    assert stored.args[0].kwh == {Register.TOTAL: Decimal("180.00")}
    _idle(qtbot)
    _close(qtbot, reading)

    # The billing clerk calculates the book's November run on the bill run screen.
    screen = BillRunScreen(ctx=ctx)
    qtbot.addWidget(screen)
    screen.resize(1024, 700)
    screen.show()
    screen.set_run(BOOK, PERIOD)
    with qtbot.waitSignal(screen.run_loaded, timeout=TIMEOUT_MS):
        screen.calculate_button.click()
    _idle(qtbot)
    assert screen.run is not None
    assert screen.run.state is RunState.CALCULATED
    row = next(d for d in screen.model.rows() if d.customer_no == ZHANG_WEI)
    assert (row.total_kwh, row.period_from, row.period_to, row.priced) == (
        Decimal("180.00"), dt.date(2026, 10, 26), dt.date(2026, 11, 22), True)
    detail = ctx.rpc.call(GET_DRAFT, DraftRef(book_code=BOOK, period=PERIOD, customer_no=ZHANG_WEI))
    energy = [line.quantity for line in detail.lines if line.kind is LineKind.ENERGY]
    assert sum(energy, Decimal(0)) == Decimal("180.00")
    assert sum(line.amount_fen for line in detail.lines) == detail.draft.total_fen > 0
    history = _history(live_server, ZHANG_WEI)
    assert [(m.asset_no, m.removed_on) for m in history.meters] == [
        (asset_no(ZHANG_WEI), dt.date(2026, 11, 10)), (NEW_METER, None)]


def test_dialog_in_chinese(qapp: QApplication, qtbot: QtBot, read: None, use_locale: Callable[[str], None],
                           sign_in_live: SignIn) -> None:  # noqa: F811
    """The 换表 dialog reads in Chinese: title, the two meters' boxes, the register names and the save button."""
    use_locale("zh_CN")
    dialog = MeterChangeDialog(ctx=sign_in_live("billing1", "T0101"), customer_no=WANG_FANG, period=PERIOD)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.history is not None, timeout=TIMEOUT_MS)
    assert dialog.windowTitle() == "换表"
    assert dialog.save_button.text() == "保存换表"
    assert dialog.register_checks[Register.PEAK].text() == "峰"
    assert dialog.previous_label.text() == "旧表尚无抄表示数。"
    _close(qtbot, dialog)



@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_dialog_fits_the_screen(qapp: QApplication, qtbot: QtBot, read: None, locale: str,  # noqa: PLR0917
                                use_locale: Callable[[str], None], sign_in_live: SignIn) -> None:  # noqa: F811
    """At 1024×768, a TOU-sized old meter's fields, the new meter's nine registers and the co-sign are inside the
    screen and nothing is squeezed below what the layout asks for."""
    use_locale(locale)
    dialog = MeterChangeDialog(ctx=sign_in_live("billing1", "T0101"), customer_no=ZHANG_WEI, period=PERIOD)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.history is not None, timeout=TIMEOUT_MS)
    _idle(qtbot)
    for _ in range(3):
        QApplication.processEvents()
    layout = dialog.layout()
    assert layout is not None
    wanted = layout.totalHeightForWidth(dialog.width()) if layout.hasHeightForWidth() else dialog.sizeHint().height()
    assert dialog.width() <= 1024, dialog.width()
    assert wanted <= dialog.height() <= 768, (wanted, dialog.height())
    for edit in (dialog.cosign.password_edit, dialog.start_edits[Register.REVERSE_ACTIVE],
                 dialog.final_edits[Register.TOTAL], dialog.asset_edit):
        assert edit.isVisible(), edit.objectName()
    for whole in (dialog.save_button, dialog.rollover_check, dialog.register_checks[Register.REVERSE_ACTIVE]):
        assert whole.width() >= whole.sizeHint().width(), whole.objectName()  # its text not cut
    screens = ARTIFACTS / "screens"
    screens.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(screens / f"meter-change-{locale}-1024x768.png"))  # for a person to look at
    _close(qtbot, dialog)


def test_tab_goes_through_both_meters_in_order(qapp: QApplication, qtbot: QtBot, read: None,
                                               sign_in_live: SignIn) -> None:  # noqa: F811
    """From the old meter's combo, Tab visits the old meter's fields (its register fields, made after the meters
    arrived, included) and then the new meter's, in that order."""
    dialog = MeterChangeDialog(ctx=sign_in_live("billing1", "T0101"), customer_no=WANG_FANG, period=PERIOD)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.history is not None, timeout=TIMEOUT_MS)
    qtbot.waitExposed(dialog)
    # a field added to a shown dialog's layout is shown by a queued call: Tab skips it until then
    qtbot.waitUntil(lambda: bool(dialog.final_edits) and all(e.isVisible() for e in dialog.final_edits.values()),
                    timeout=TIMEOUT_MS)
    dialog.activateWindow()
    dialog.meter_combo.setFocus()
    qtbot.waitUntil(dialog.meter_combo.hasFocus, timeout=TIMEOUT_MS)
    visited: list[str] = []
    for _ in range(20):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        assert focused is not None
        # a date or spin box hands the focus to its line edit: name the box
        owner = focused if focused.objectName() else focused.parentWidget()
        assert owner is not None
        if not visited or visited[-1] != owner.objectName():  # Tab walks a date's year, month and day first
            visited.append(owner.objectName())
    visited = visited[:12]
    assert visited == ["changedOnEdit", "changePeriodEdit", "final_total", "changeRolloverCheck", "newAssetEdit",
                       "newDigitsSpin", "newCtSpin", "newPtSpin", "newRegister_total", "start_total",
                       "newRegister_sharp", "newRegister_peak"]  # an unticked register's field is skipped
    _close(qtbot, dialog)
