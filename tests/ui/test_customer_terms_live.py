# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""The customer terms dialog (计费参数) against the live server, driven through the real widgets: the billing
clerk opens it from the customer screen, raises a two-part customer's contract demand from a date inside the run's
period, recalculates the bill run, and the draft's basic charge follows the new contract; a change dated inside a
billed period is refused with a translated sentence and stores nothing; a cashier has no way to the dialog.

The commercial customer of book T01-B001 (billed up to 2026-09) is moved to a two-part tariff on contract demand
with total and demand registers, read in October and November, with terms from 2026-10-01: 200 kVA, 100 kW.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, select, update
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from client.ui.context import UiContext
from client.ui.ops import running_ops
from client.ui.screens.billrun_screen import BillRunScreen
from client.ui.screens.customer_screen import CustomerScreen
from client.ui.screens.customer_terms_dialog import CustomerTermsDialog
from server.models.customers import Meter
from server.models.readings import Reading
from shared_models.methods.billruns import GET_DRAFT, DraftRef, RunState
from shared_models.methods.readings import ReadingStatus
from shared_models.pricing import LineKind
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.factories import COMMERCIAL
from tests.ui.billrun_live_helpers import BOOK, PERIOD, TIMEOUT_MS
from tests.ui.confirm_helpers import sql
from tests.ui.live_helpers import SignIn, sign_in_live  # noqa: F401 - the fixture
from tests.ui.terms_helpers import put_on_two_part

pytestmark = pytest.mark.timeout(300)
CLICK = Qt.MouseButton.LeftButton


@pytest.fixture(scope="module")
def two_part(live_server: LiveServer) -> None:  # noqa: F811 - fixture
    """The commercial customer on a two-part tariff, read in October and November, with terms from October."""
    engine = create_engine(live_server.db_url, poolclass=NullPool)
    try:
        with Session(engine) as db:
            customer_id = put_on_two_part(db)
            meter_id = db.execute(select(Meter.id).where(Meter.customer_id == customer_id)).scalar_one()
            db.execute(update(Meter).where(Meter.id == meter_id).values(registers=["total", "demand"]))
            for period, day, total, demand in ((202610, dt.date(2026, 10, 25), "8000.00", "80.00"),
                                               (PERIOD, dt.date(2026, 11, 22), "8500.00", "90.00")):
                db.add(Reading(meter_id=meter_id, period=period, read_on=day, status=ReadingStatus.ACTUAL,
                               total=Decimal(total), demand=Decimal(demand)))
            db.commit()
    finally:
        engine.dispose()


def _idle(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)


def _contract_kw(qtbot: QtBot, ctx: UiContext) -> Decimal:
    """Calculate the book's run from the Bill runs screen; the kW the commercial customer's draft charges."""
    screen = BillRunScreen(ctx=ctx)
    qtbot.addWidget(screen)
    screen.show()
    screen.set_run(BOOK, PERIOD)
    with qtbot.waitSignal(screen.run_loaded, timeout=TIMEOUT_MS):
        screen.calculate_button.click()
    _idle(qtbot)
    assert screen.run is not None
    assert screen.run.state is RunState.CALCULATED
    detail = ctx.rpc.call(GET_DRAFT, DraftRef(book_code=BOOK, period=PERIOD, customer_no=COMMERCIAL))
    [basic] = [line for line in detail.lines if line.kind is LineKind.BASIC_DEMAND]
    return basic.quantity


def _dialog(qtbot: QtBot, ctx: UiContext) -> tuple[CustomerScreen, CustomerTermsDialog]:
    """The customer screen on the commercial customer and its terms dialog, opened and loaded (the caller keeps
    the screen: qtbot holds it weakly, and the dialog is its child)."""
    screen = CustomerScreen(ctx=ctx)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.keyClicks(screen.customer_no_edit, COMMERCIAL)
    qtbot.mouseClick(screen.lookup_button, CLICK)
    qtbot.waitUntil(screen.terms_button.isEnabled, timeout=TIMEOUT_MS)
    assert screen.terms_button.isVisible()
    qtbot.mouseClick(screen.terms_button, CLICK)
    dialog = screen.terms_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.view is not None and dialog.save_button.isEnabled(), timeout=TIMEOUT_MS)
    return screen, dialog


def _rows() -> str:
    return "SELECT effective_from, contract_demand_kw FROM customer_terms ORDER BY effective_from"


def test_contract_demand_change_reaches_the_draft(qtbot: QtBot, two_part: None, live_server: LiveServer,  # noqa: F811
                                                  sign_in_live: SignIn) -> None:  # noqa: F811
    """The clerk raises the contract demand from 100 to 150 kW from 2026-11-01 in the dialog: a second row with
    its reason in the history, and the recalculated draft charges the basic charge on 150 kW instead of 100."""
    ctx = sign_in_live("billing1", "T0101")
    assert _contract_kw(qtbot, ctx) == Decimal("100")
    _screen, dialog = _dialog(qtbot, ctx)
    assert dialog.history_table.rowCount() == 1
    assert "100.00" in dialog.current_label.text()
    assert dialog.demand_edit.text() == "100.00"  # the form starts from the terms in force
    assert dialog.basis_combo.isEnabled()
    assert not dialog.cycle_check.isEnabled()  # no annual tiers on this tariff
    assert not dialog.household_combo.isEnabled()  # not residential
    dialog.from_edit.setDate(QDate(2026, 11, 1))
    dialog.demand_edit.clear()
    qtbot.keyClicks(dialog.demand_edit, "150")
    dialog.reason_edit.setText("增容申请 2026-118")  # QTest types ASCII only
    with qtbot.waitSignal(dialog.terms_saved, timeout=TIMEOUT_MS):
        qtbot.mouseClick(dialog.save_button, CLICK)
    _idle(qtbot)
    assert dialog.error_label.text() == ""
    assert dialog.history_table.rowCount() == 2
    cells = [dialog.history_table.item(0, column).text() for column in (0, 3, 6, 7)]  # type: ignore[union-attr]
    assert cells == ["2026-11-01", "150.00", "billing1", "增容申请 2026-118"]
    assert "2026-11-01" in dialog.result_label.text()
    assert sql(live_server, _rows()) == [(dt.date(2026, 10, 1), Decimal("100.00")),
                                         (dt.date(2026, 11, 1), Decimal("150.00"))]
    dialog.close()
    assert _contract_kw(qtbot, ctx) == Decimal("150")


def test_a_change_inside_a_billed_period_is_refused(qtbot: QtBot, two_part: None,
                                                    live_server: LiveServer,  # noqa: F811
                                                    sign_in_live: SignIn) -> None:  # noqa: F811
    """From 2026-09-15, inside the billed September: the translated refusal names the billed day; no row."""
    before = sql(live_server, _rows())
    _screen, dialog = _dialog(qtbot, sign_in_live("billing1", "T0101"))
    dialog.from_edit.setDate(QDate(2026, 9, 15))
    dialog.reason_edit.setText("补签合同")
    qtbot.mouseClick(dialog.save_button, CLICK)
    qtbot.waitUntil(lambda: dialog.error_label.text() != "", timeout=TIMEOUT_MS)
    _idle(qtbot)
    assert "2026-09-30" in dialog.error_label.text()
    assert f"202609-{COMMERCIAL}" in dialog.error_label.text()
    assert sql(live_server, _rows()) == before
    dialog.close()


def test_a_cashier_has_no_way_to_the_terms(qtbot: QtBot, live_server: LiveServer,  # noqa: F811
                                           sign_in_live: SignIn) -> None:  # noqa: F811
    """The terms button is the billing clerk's: a cashier's customer screen does not show it."""
    screen = CustomerScreen(ctx=sign_in_live("cashier1", "T0101"))
    qtbot.addWidget(screen)
    screen.show()
    assert not screen.terms_button.isVisible()
