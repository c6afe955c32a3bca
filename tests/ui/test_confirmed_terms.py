# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""One key per confirmed action (issue 10 §2) for the customer terms dialog (计费参数): the link drops the answer
to ``customer.set_terms`` right after the server committed; the clerk reads the failure, presses **Save change**
again through the real widget, and the first result comes back: one new terms row under the first key (a new key
would be refused, the date already having a row).

The commercial customer of book T01-B001 (billed up to 2026-09) is moved to a two-part tariff on contract demand,
with terms from 2026-10-01: 200 kVA, 100 kW; the clerk raises the contract demand to 150 kW from 2026-11-01.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from client.ui.ops import running_ops
from client.ui.screens.customer_screen import CustomerScreen
from shared_models.methods.customer_terms import CustomerTermsView
from tests.chaos.proxy import ChaosProxy
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.factories import COMMERCIAL
from tests.ui.confirm_helpers import TIMEOUT_MS, LostAnswer, ViaLink, link, sql, via_link  # noqa: F401
from tests.ui.terms_helpers import put_on_two_part

pytestmark = pytest.mark.timeout(300)
CLICK = Qt.MouseButton.LeftButton
ROWS = ("SELECT t.effective_from, t.contract_demand_kw FROM customer_terms t JOIN customers c ON c.id = t.customer_id"
        " WHERE c.customer_no = :c ORDER BY t.effective_from")


@pytest.fixture(scope="module")
def two_part(live_server: LiveServer) -> None:  # noqa: F811 - fixture
    """The commercial customer on a two-part tariff on contract demand, with terms from 2026-10-01."""
    engine = create_engine(live_server.db_url, poolclass=NullPool)
    try:
        with Session(engine) as db:
            put_on_two_part(db)
            db.commit()
    finally:
        engine.dispose()


def test_lost_answer_saved_again_stores_once(qtbot: QtBot, two_part: None, live_server: LiveServer,  # noqa: F811
                                             link: ChaosProxy, via_link: ViaLink) -> None:  # noqa: F811
    """150 kW from 2026-11-01; the first answer is lost, the second press answers the first result: one row."""
    screen = CustomerScreen(ctx=via_link("billing1", "T0101"))
    qtbot.addWidget(screen)
    screen.show()
    qtbot.keyClicks(screen.customer_no_edit, COMMERCIAL)
    qtbot.mouseClick(screen.lookup_button, CLICK)
    qtbot.waitUntil(screen.terms_button.isEnabled, timeout=TIMEOUT_MS)
    qtbot.mouseClick(screen.terms_button, CLICK)
    dialog = screen.terms_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.view is not None and dialog.save_button.isEnabled(), timeout=TIMEOUT_MS)
    assert dialog.history_table.rowCount() == 1
    dialog.from_edit.setDate(QDate(2026, 11, 1))
    dialog.demand_edit.clear()
    qtbot.keyClicks(dialog.demand_edit, "150")
    dialog.reason_edit.setText("增容申请 2026-118")

    lost = LostAnswer.arm_for(live_server, link, "customer.set_terms")
    qtbot.mouseClick(dialog.save_button, CLICK)
    lost.wait_lost(qtbot, dialog.slot)
    assert dialog.error_label.text()  # told that the answer did not come
    assert dialog.result_label.text() == ""
    assert dialog.history_table.rowCount() == 1  # the dialog still shows the terms before the change
    assert sql(live_server, ROWS, c=COMMERCIAL) == [(dt.date(2026, 10, 1), Decimal("100.00")),
                                                    (dt.date(2026, 11, 1), Decimal("150.00"))]

    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=TIMEOUT_MS)
    with qtbot.waitSignal(dialog.terms_saved, timeout=TIMEOUT_MS) as saved:
        qtbot.mouseClick(dialog.save_button, CLICK)
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)
    view = saved.args[0]
    assert isinstance(view, CustomerTermsView)
    stored = lost.check_once(dialog.slot, view)
    assert [(e["effective_from"], e["contract_demand_kw"]) for e in stored["history"]] == [
        ("2026-11-01", "150.00"), ("2026-10-01", "100.00")]
    assert dialog.error_label.text() == ""
    assert "2026-11-01" in dialog.result_label.text()
    assert dialog.history_table.rowCount() == 2
    assert sql(live_server, ROWS, c=COMMERCIAL) == [(dt.date(2026, 10, 1), Decimal("100.00")),
                                                    (dt.date(2026, 11, 1), Decimal("150.00"))]
    dialog.close()
