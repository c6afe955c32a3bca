# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""One key per confirmed action (issue 10 §2) for the 换表 dialog: the link drops the answer to
``reading.change_meter`` right after the server committed; the clerk reads the failure, the supervisor types the
password again, the clerk presses **Save meter change** again, and the first result comes back: one meter change
in the books under the first key (one new meter, the old one removed once).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from client.ui.ops import running_ops
from client.ui.screens.meter_change_dialog import MeterChangeDialog
from tests.chaos.proxy import ChaosProxy
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.factories import LI_XIUYING, password_for
from tests.ui.billrun_live_helpers import PERIOD, asset_no
from tests.ui.confirm_helpers import TIMEOUT_MS, LostAnswer, ViaLink, link, sql, via_link  # noqa: F401

pytestmark = pytest.mark.timeout(300)
CLICK = Qt.MouseButton.LeftButton
NEW_METER = "ZJ-2026-0099"


def test_lost_answer_pressed_again_changes_once(qtbot: QtBot, live_server: LiveServer,  # noqa: F811
                                                link: ChaosProxy, via_link: ViaLink) -> None:  # noqa: F811
    """李秀英's meter changed on 2026-11-12; the first answer is lost, the second press answers the first result."""
    dialog = MeterChangeDialog(ctx=via_link("billing1", "T0101"), customer_no=LI_XIUYING, period=PERIOD)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.history is not None, timeout=TIMEOUT_MS)
    dialog.changed_on_edit.setDate(QDate(2026, 11, 12))
    dialog.set_final("total", "612.40")
    dialog.asset_edit.setText(NEW_METER)
    dialog.set_start("total", "0.00")
    dialog.cosign.username_edit.setText("super1")
    dialog.cosign.password_edit.setText(password_for("super1"))

    lost = LostAnswer.arm_for(live_server, link, "reading.change_meter")
    qtbot.mouseClick(dialog.save_button, CLICK)
    lost.wait_lost(qtbot, dialog.slot)
    assert dialog.error_label.text()  # told that the answer did not come
    assert dialog.saved is None
    assert dialog.cosign.password_edit.text() == ""  # the supervisor types it again

    dialog.cosign.password_edit.setText(password_for("super1"))
    with qtbot.waitSignal(dialog.change_saved, timeout=TIMEOUT_MS) as saved:
        qtbot.mouseClick(dialog.save_button, CLICK)
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)
    stored = lost.check_once(dialog.slot, saved.args[0])
    assert (stored["old_meter"]["asset_no"], stored["new_meter"]["asset_no"]) == (asset_no(LI_XIUYING), NEW_METER)
    assert sql(live_server, "SELECT count(*) FROM meters WHERE asset_no = :a", a=NEW_METER) == [(1,)]
    assert sql(live_server, "SELECT removed_on::text FROM meters WHERE asset_no = :a",
               a=asset_no(LI_XIUYING)) == [("2026-11-12",)]
    dialog.close()
