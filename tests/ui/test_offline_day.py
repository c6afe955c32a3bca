# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""A whole counter day with the link down (SPEC §5), through the real widgets against the live server, the link
cut by the chaos proxy before the day's first sign-in: the cashier signs in offline, opens a shift, takes
payments, voids one with a supervisor's co-sign verified at the counter, counts the cash and closes the shift,
and prints the provisional 日结单. The link returns: everything is applied once and in order, the co-signs are
recorded as verified at the counter and listed for the supervisor, and the hall's books and the final 日结单
agree with what the cashier saw."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from client.core.config import ClientPaths
from client.core.outbox.items import ItemState
from client.ui.app import ClientApp
from client.ui.ops import running_ops
from client.ui.screens.cashier_screen import CashierScreen
from client.ui.screens.close_shift_dialog import CloseShiftDialog
from client.ui.screens.settlement_screen import LoadedSettlement, SettlementScreen
from client.ui.screens.shift_screen import ShiftScreen
from server.demo_data import DEMO_PASSWORD
from shared_models.methods.payments import VoidResult
from shared_models.methods.shifts import DENOMINATIONS_FEN, ShiftSummary
from shared_models.rules.hall_time import hall_now
from tests.chaos.proxy import ChaosProxy
from tests.printing.printer_endpoint import PrinterEndpoint
from tests.ui.desk_helpers import (  # noqa: F401 - fixtures by name
    TIMEOUT_MS,
    DeskServer,
    counter_apps,
    customers_in_arrears,
    desk_server,
    link,
    printer,
    sql,
)

pytestmark = pytest.mark.timeout(600)
COUNTER = "H0101"
CASHIER, SUPERVISOR = "cashier0101", "supervisor01"
#: The sync worker backs off up to 30 s between tries while the link is down; the heal is seen by the next try.
REPLAY_TIMEOUT_MS = 120_000

AppFactory = Callable[[], ClientApp]


@pytest.fixture
def make_client(  # noqa: PLR0917 - pytest hands fixtures in
    qapp: QApplication, qtbot: QtBot, client_paths: ClientPaths, qm_dir: Path, desk_server: DeskServer,  # noqa: F811
    link: ChaosProxy, printer: PrinterEndpoint,  # noqa: F811
) -> Iterator[AppFactory]:
    """Counter H0101 set up by its operator (CA pinned, device key, printer), talking through ``link``."""
    yield from counter_apps(qapp, qtbot, client_paths, qm_dir, desk_server, link, counter=COUNTER,
                            printer_port=printer.port, payment_wait_s=2.0, reconnect_interval_ms=300)


def sign_in(qtbot: QtBot, app: ClientApp, username: str) -> None:
    """Type the user name and password at the login window and press Sign in."""
    window = app.login_window
    window.username_edit.setText(username)
    window.password_edit.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(window.signed_in, timeout=TIMEOUT_MS):
        window.login_button.click()
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)


def sign_out(qtbot: QtBot, app: ClientApp) -> None:
    """Press Sign out in the status bar."""
    window = app.main_window
    assert window is not None
    with qtbot.waitSignal(app.signed_out, timeout=TIMEOUT_MS):
        window.sign_out_button.click()
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)


def screen(app: ClientApp, name: str) -> object:
    """Show the main window's screen ``name`` and return it."""
    window = app.main_window
    assert window is not None
    assert window.show_screen(name)
    return window.screen_widget(name)


def take_payment(qtbot: QtBot, desk: CashierScreen, customer_no: str, *, offline: bool = True,
                 amount_fen: int | None = None) -> tuple[str, int]:
    """Look the customer up (from the cache when offline) and take what is due (or ``amount_fen``) in cash
    (F9); receipt and amount."""
    desk.search.search_box.setText(customer_no)
    with qtbot.waitSignal(desk.overview_shown, timeout=TIMEOUT_MS):
        qtbot.keyClick(desk.search.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(desk.payment.quote_is_current, timeout=TIMEOUT_MS)
    if amount_fen is not None:
        desk.payment.amount_edit.set_fen(amount_fen)
        qtbot.waitUntil(lambda: desk.payment.quote_is_current() and desk.payment.quote is not None
                        and desk.payment.quote.amount_fen == amount_fen, timeout=TIMEOUT_MS)
    quote = desk.payment.quote
    assert quote is not None
    desk.window().activateWindow()  # a dialog closed before (a void) may have taken the window's shortcuts along
    qtbot.waitUntil(desk.window().isActiveWindow, timeout=TIMEOUT_MS)
    with qtbot.waitSignal(desk.payment_done, timeout=TIMEOUT_MS) as done:
        qtbot.keyClick(desk, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)
    assert ("离线受理" in desk.message_label.text()) is offline
    return str(done.args[0]), quote.amount_fen


def void(qtbot: QtBot, desk: CashierScreen, receipt_no: str) -> VoidResult:
    """Void ``receipt_no`` on the void dialog, co-signed by the supervisor."""
    dialog = desk.open_void()
    dialog.receipt_edit.setText(receipt_no)
    dialog.reason_combo.setEditText("收错户号")
    dialog.cosign.username_edit.setText(SUPERVISOR)
    dialog.cosign.password_edit.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(dialog.payment_voided, timeout=TIMEOUT_MS) as voided:
        dialog.ok_button.click()
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)
    result = voided.args[0]
    assert isinstance(result, VoidResult)
    return result


def count_drawer(dialog: CloseShiftDialog, fen: int) -> None:
    """Count ``fen`` into the dialog's denominations, fewest pieces first."""
    rest = fen
    for denomination in DENOMINATIONS_FEN:
        pieces, rest = divmod(rest, denomination)
        dialog.pieces[denomination].setValue(pieces)


def show_settlement(qtbot: QtBot, app: ClientApp) -> LoadedSettlement:
    """Show today's 日结单 on the settlement screen."""
    settlement = screen(app, "settlement")
    assert isinstance(settlement, SettlementScreen)
    with qtbot.waitSignal(settlement.settlement_shown, timeout=TIMEOUT_MS) as shown:
        settlement.show_day(hall_now().date())
    loaded = shown.args[0]
    assert isinstance(loaded, LoadedSettlement)
    return loaded


def test_a_whole_counter_day_with_the_link_down(
    qtbot: QtBot, make_client: AppFactory, link: ChaosProxy, desk_server: DeskServer,  # noqa: F811
) -> None:
    """Signed in online here before (the supervisor too), the link cut before the day's first sign-in: the whole
    day works at the counter and, once the link returns, is booked once and in order, matching what the cashier
    saw and printed."""
    app = make_client()
    sign_in(qtbot, app, SUPERVISOR)  # an earlier day: the supervisor's verifier is cached here
    sign_out(qtbot, app)
    sign_in(qtbot, app, CASHIER)
    refresher, cache = app.refresher, app.cache
    assert refresher is not None
    assert cache is not None
    qtbot.waitUntil(lambda: refresher.last is not None and refresher.last.count > 0, timeout=TIMEOUT_MS)
    customers = [c for c in customers_in_arrears(desk_server) if cache.search(c).items][:2]
    assert len(customers) == 2  # two customers of this hall with bills due
    sign_out(qtbot, app)

    link.cut()  # overnight: the day starts with the link down
    sign_in(qtbot, app, CASHIER)
    assert app.session.offline_verified
    assert app.rpc.session_token is None

    shift_screen = screen(app, "shift")
    assert isinstance(shift_screen, ShiftScreen)
    qtbot.waitUntil(lambda: shift_screen.shift.known and running_ops() == 0, timeout=TIMEOUT_MS)
    assert not shift_screen.shift.is_open
    shift_screen.float_edit.setText("500.00")
    shift_screen.open_button.click()
    qtbot.waitUntil(lambda: shift_screen.shift.is_open and running_ops() == 0, timeout=TIMEOUT_MS)
    opened = shift_screen.shift.shift
    assert opened is not None
    assert shift_screen.shift.offline
    assert opened.shift_no == f"{COUNTER}-{hall_now():%Y%m%d}-01"
    assert "offline" in shift_screen.status_label.text() or "离线" in shift_screen.status_label.text()

    desk = screen(app, "desk")
    assert isinstance(desk, CashierScreen)
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)
    taken = [take_payment(qtbot, desk, c) for c in customers]
    receipts = [r for r, _ in taken]

    voided, voided_fen = taken[1]
    assert void(qtbot, desk, voided).cosign_at_counter

    screen(app, "shift")
    shift_screen.start_close()
    qtbot.waitUntil(lambda: shift_screen.close_dialog is not None, timeout=TIMEOUT_MS)
    close = shift_screen.close_dialog
    assert close is not None
    assert close.offline
    kept_fen = sum(fen for r, fen in taken if r != voided)
    assert close.expected_fen == 50_000 + kept_fen  # float and the cash kept; the voided payment handed back
    assert sorted(u.receipt_no for u in close.unsent) == sorted(receipts)
    count_drawer(close, close.expected_fen - 100)  # one yuan short: the supervisor approves the difference too
    close.deposit_slip_edit.setText("JK-OFFLINE-1")
    close.cosign.username_edit.setText(SUPERVISOR)
    close.cosign.password_edit.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(close.shift_closed, timeout=TIMEOUT_MS) as closed:
        close.ok_button.click()
    seen: ShiftSummary = closed.args[0]
    assert closed.args[1] is True
    assert seen.closing is not None
    assert (seen.closing.difference_fen, seen.closing.approved_by) == (-100, "张海波")
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)

    provisional = show_settlement(qtbot, app)
    assert provisional.report is not None
    assert provisional.report.provisional
    assert provisional.pdf is not None
    assert sql(desk_server, "SELECT count(*) FROM shifts") == [(0,)]  # nothing reached the center yet

    link.heal()  # the link returns: the client signs in online by itself and replays the day
    qtbot.waitUntil(lambda: not app.session.offline_verified, timeout=REPLAY_TIMEOUT_MS)
    outbox = app.outbox
    assert outbox is not None
    qtbot.waitUntil(lambda: outbox.counts().pending == 0, timeout=REPLAY_TIMEOUT_MS)
    assert [i.state for i in outbox.items() if i.state is not ItemState.DONE] == []

    shift_no = opened.shift_no
    [(shift_id, closed_offline, counted, approved)] = sql(desk_server, (
        "SELECT s.id, c.closed_offline, c.counted_cash_fen, a.username FROM shifts s"
        " JOIN shift_closings c ON c.shift_id = s.id LEFT JOIN users a ON a.id = c.approved_by"
        " WHERE s.shift_no = :n AND s.opened_offline"), n=shift_no)
    assert (closed_offline, counted, approved) == (True, seen.closing.counted_cash_fen, SUPERVISOR)
    booked = sql(desk_server, "SELECT receipt_no, amount_fen FROM payments WHERE shift_id = :s ORDER BY id", s=shift_id)
    assert booked == [(r, fen) for r, fen in taken]  # each once, in the order taken
    assert sql(desk_server, "SELECT p.receipt_no FROM payment_voids v JOIN payments p ON p.id = v.payment_id") == [
        (voided,)]
    # in order: the open, the payments, the void, the close (one audit chain per counter)
    methods = [m for (m,) in sql(desk_server, "SELECT method FROM audit_log WHERE chain = :c AND method IN"
                                              " ('shift.open_shift', 'payment.pay_bills', 'payment.void_attested',"
                                              " 'shift.close_shift') ORDER BY seq", c=COUNTER)]
    assert methods == ["shift.open_shift", *["payment.pay_bills"] * 2, "payment.void_attested", "shift.close_shift"]
    attested = sql(desk_server, "SELECT ac.method, u.username FROM attested_cosigns ac JOIN users u"
                                " ON u.id = ac.cosigner_id ORDER BY ac.id")
    assert attested == [("payment.void_attested", SUPERVISOR), ("shift.close_shift", SUPERVISOR)]

    final = show_settlement(qtbot, app)
    assert final.report is not None
    assert not final.report.provisional
    [server_shift] = final.report.cashiers
    [own_shift] = provisional.report.cashiers
    assert server_shift.shift_no == own_shift.shift_no == shift_no
    for figure in ("receipts_used_count", "collected_fen", "expected_cash_fen", "counted_cash_fen", "difference_fen",
                   "methods", "businesses"):
        assert getattr(server_shift, figure) == getattr(own_shift, figure), figure
    assert [v.receipt_no for v in server_shift.voids] == [v.receipt_no for v in own_shift.voids] == [voided]
    assert final.report.hall.collected_fen == provisional.report.hall.collected_fen == kept_fen
    assert voided_fen > 0


def test_a_supervisor_who_co_signed_online_here_co_signs_offline_too(
    qtbot: QtBot, make_client: AppFactory, link: ChaosProxy, desk_server: DeskServer,  # noqa: F811
) -> None:
    """A supervisor who never signed in on this PC co-signs a void online: their verifier is cached then, so when
    the link drops they co-sign the next void at the counter; it is booked as co-signed at the counter."""
    app = make_client()
    sign_in(qtbot, app, "cashier0102")
    verifiers = app.verifiers
    assert verifiers is not None
    assert not verifiers(COUNTER).knows(username=SUPERVISOR, counter_code=COUNTER)
    shift_screen = screen(app, "shift")
    assert isinstance(shift_screen, ShiftScreen)
    qtbot.waitUntil(lambda: shift_screen.shift.known and running_ops() == 0, timeout=TIMEOUT_MS)
    shift_screen.float_edit.setText("100.00")
    shift_screen.open_button.click()
    qtbot.waitUntil(lambda: shift_screen.shift.is_open and running_ops() == 0, timeout=TIMEOUT_MS)
    assert not shift_screen.shift.offline  # opened online, under the number the counter gave it
    refresher, cache = app.refresher, app.cache
    assert refresher is not None
    assert cache is not None
    qtbot.waitUntil(lambda: refresher.last is not None and refresher.last.count > 0, timeout=TIMEOUT_MS)
    customer_no = next(c for c in customers_in_arrears(desk_server)[::-1] if cache.search(c).items)
    desk = screen(app, "desk")
    assert isinstance(desk, CashierScreen)
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)
    online_receipt, _ = take_payment(qtbot, desk, customer_no, offline=False, amount_fen=2000)
    assert not void(qtbot, desk, online_receipt).cosign_at_counter
    assert verifiers(COUNTER).knows(username=SUPERVISOR, counter_code=COUNTER)

    link.cut()
    offline_receipt, _ = take_payment(qtbot, desk, customer_no, amount_fen=3000)
    assert void(qtbot, desk, offline_receipt).cosign_at_counter
    link.heal()
    outbox = app.outbox
    assert outbox is not None
    qtbot.waitUntil(lambda: outbox.counts().pending == 0, timeout=REPLAY_TIMEOUT_MS)
    booked = sql(desk_server, "SELECT p.receipt_no, v.id IS NOT NULL, ac.id IS NOT NULL FROM payments p"
                              " LEFT JOIN payment_voids v ON v.payment_id = p.id"
                              " LEFT JOIN attested_cosigns ac ON ac.receipt_no = p.receipt_no"
                              " WHERE p.receipt_no IN (:a, :b) ORDER BY p.id", a=online_receipt, b=offline_receipt)
    assert booked == [(online_receipt, True, False), (offline_receipt, True, True)]
