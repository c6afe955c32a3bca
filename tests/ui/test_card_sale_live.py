# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""Issue 14 "Done when", through the real client, a real pcscd with the emulated card and the live server: a demo
cashier opens a prepaid customer's card (开户) and sells onto it (购电) in mixed tender from the 360 view, the
receipts print with the card part (purchase count, amount written, meter number; the ESC/POS bytes captured over
the TCP printer endpoint and decoded); the meter simulator credits each purchase; a sale is refused while a
purchase sits uncredited on the card; a write interrupted by pulling the card is finished by 补写卡 without new
money (one payment in the books); a lost card is replaced (补卡) and the old one refused by the meter simulator;
the card history and the supervisor's pending list show what happened. Every step is driven by key presses on
the real widgets and checked against the server's books."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from client.core.card_flow import Done, NotWritten, Read, Refused
from client.devices.cardsim.meter import MeterSimulator, Outcome
from client.ui.screens.card_dialogs import CardHistoryDialog
from client.ui.screens.card_pending_screen import CardPendingScreen
from client.ui.screens.card_sale_form import SaleMode
from client.ui.screens.card_sale_screen import CardSaleScreen
from printing.escpos import DRAWER_KICK, decode_text
from shared_models.cards.apdu import CommandApdu, Ins
from shared_models.cards.files import EF_WALLET
from shared_models.errors import ErrorCode
from shared_models.methods.cards import CardStanding, PurchaseState
from shared_models.money import format_fen
from tests.cards.conftest import pcscd  # noqa: F401 - the fixture
from tests.ui.card_live_helpers import (
    METER_NOW,
    Counter,
    blank_card,
    card_payments,
    card_screen,
    card_server,  # noqa: F401 - the fixture
    counter,  # noqa: F401 - the fixture
    idle,
    meter_insert,
    new_meter,
    prepaid_customer,
    run_flow,
)
from tests.ui.conftest import ARTIFACTS
from tests.ui.desk_helpers import (
    TIMEOUT_MS,
    Desk,
    DeskFactory,
    DeskServer,
    ensure_shift,
    open_desk,  # noqa: F401 - the fixture
    printer,  # noqa: F401 - the fixture
)

pytestmark = pytest.mark.timeout(300)
JOB_TIMEOUT_S = 20.0
#: The serials of the story's cards: the first card, and the one that replaces it.
FIRST, SECOND = "5A00000000000001", "5A00000000000002"


@pytest.fixture(scope="module")
def desk_server(card_server: DeskServer) -> DeskServer:  # noqa: F811 - the desk fixtures' server is the card one
    """The desk fixtures run against the card server."""
    return card_server


def _type(qtbot: QtBot, screen: CardSaleScreen, *, amount: str, bank_card: str = "", qr: str = "",
          cash_handed: str = "") -> None:
    """Type the amount and the tender lines as a cashier does (Esc first: a clean entry)."""
    tenders = screen.tenders
    qtbot.keyClick(screen, Qt.Key.Key_Escape)
    qtbot.keyClicks(tenders.amount_edit, amount)
    if bank_card:
        qtbot.keyClicks(tenders.bank_card_edit, bank_card)
        qtbot.keyClicks(tenders.bank_card_ref_edit, "T654321")
    if qr:
        qtbot.keyClicks(tenders.qr_edit, qr)
        qtbot.keyClicks(tenders.qr_ref_edit, "WX20261123")
    if cash_handed:
        qtbot.keyClicks(tenders.cash_handed_edit, cash_handed)
    assert tenders.entry_problem() is None, tenders.entry_problem()


def _receipt_text(desk: Desk, n: int) -> str:
    """The ``n``-th receipt printed (1-based), decoded from its ESC/POS bytes."""
    job = desk.printer.wait_for_jobs(n, timeout=JOB_TIMEOUT_S)[n - 1]
    return decode_text(job.removeprefix(DRAWER_KICK))


def _card_part(text: str, *, count: int, written_fen: int, meter_no: str) -> None:
    assert re.search(rf"购电次数\s+{count}\b", text), text
    assert re.search(rf"写卡金额\s+￥{re.escape(format_fen(written_fen))}", text), text
    assert re.search(rf"表号\s+{meter_no}", text), text


def _is_wallet_update(command: CommandApdu) -> bool:
    return command.ins == Ins.UPDATE_BINARY and command.p1 == 0x80 | EF_WALLET.sfi


def _desk(qtbot: QtBot, open_desk: DeskFactory, locale: str = "zh_CN",  # noqa: F811
          username: str = "cashier0101") -> Desk:
    desk = open_desk(locale, username=username)
    ensure_shift(desk.app.rpc)
    desk.screen.refresh_shift()
    idle(qtbot)
    return desk


class TestCardSaleStory:
    """The Done-when story of one prepaid customer, at one counter, in order."""

    def test_open_sell_refuse_rewrite_replace(
            self, qtbot: QtBot, tmp_path: Path, open_desk: DeskFactory, card_server: DeskServer,  # noqa: F811
            counter: Counter) -> None:  # noqa: F811
        """开户 and 购电 in mixed tender with receipts, credited by the meter; the refusal while a purchase is
        uncredited; 补写卡 after a pulled card without new money; 补卡 and the old card refused by the meter."""
        customer_no = prepaid_customer(card_server)
        desk = _desk(qtbot, open_desk)
        first = blank_card(tmp_path, FIRST)
        link = counter.insert(first)

        # the 360 view offers the card sale; F10 opens the card-sale screen, which reads the card at once
        with qtbot.waitSignal(desk.screen.overview_shown, timeout=TIMEOUT_MS):
            desk.screen.open_customer(customer_no)
        assert desk.screen.overview.card_sale_button.isVisibleTo(desk.screen.overview)
        screen = card_screen(qtbot, desk, counter)
        outcome = run_flow(qtbot, screen, lambda: qtbot.keyClick(desk.screen, Qt.Key.Key_F10))
        assert desk.window.stack.currentWidget() is screen
        assert isinstance(outcome, Read)
        assert outcome.view.standing is CardStanding.BLANK
        assert screen.form.mode() is SaleMode.OPENING
        assert screen.customer_edit.text() == customer_no

        # 开户 with the first purchase: ¥100 = ¥30 bank card + ¥70 cash, ¥100 handed over
        _type(qtbot, screen, amount="100", bank_card="30", cash_handed="100")
        assert screen.tenders.change_label.text() == "找零 ￥30.00"
        done = run_flow(qtbot, screen, lambda: qtbot.keyClick(screen, Qt.Key.Key_F9))
        assert isinstance(done, Done), done
        assert done.receipt is not None
        assert done.receipt.card is not None
        meter_no = done.receipt.card.meter_no
        assert done.purchase.purchase_count == 1
        assert card_payments(card_server, customer_no) == [(done.receipt.receipt_no, 10_000)]
        _card_part(_receipt_text(desk, 1), count=1, written_fen=done.purchase.write_amount_fen, meter_no=meter_no)
        qtbot.waitUntil(lambda: screen.printing.label.text() == f"凭证 {done.receipt.receipt_no} 已打印。"
                        if done.receipt else False, timeout=TIMEOUT_MS)

        # a sale now is refused: the opening purchase is on the card, the meter has not credited it
        outcome = run_flow(qtbot, screen, lambda: qtbot.keyClick(screen, Qt.Key.Key_F3))
        assert isinstance(outcome, Read)
        assert outcome.view.refusal is not None
        assert outcome.view.refusal.code is ErrorCode.CARD_PURCHASE_NOT_INSERTED
        refusal = screen.view_panel.refusal_label.text()
        assert "电能表" in refusal or "电表" in refusal, refusal
        assert not screen.sell_button.isEnabled()
        assert screen.money_problem() == refusal

        # the customer inserts the card into the meter: opened and credited
        meter: MeterSimulator = new_meter(meter_no)
        result = meter_insert(meter, counter, link, first)
        assert result.outcome is Outcome.CREDITED, result
        link = counter.insert(first)

        # 购电 ¥50 = ¥20 QR + ¥30 cash exact
        outcome = run_flow(qtbot, screen, lambda: qtbot.keyClick(screen, Qt.Key.Key_F3))
        assert isinstance(outcome, Read), outcome
        assert outcome.view.sale is not None, outcome.view.refusal
        assert outcome.view.sale.next_purchase_count == 2
        assert screen.view_panel.text_of("cardCountValue") == "卡 1 / 系统 1"
        _type(qtbot, screen, amount="50", qr="20")
        sale = run_flow(qtbot, screen, lambda: qtbot.keyClick(screen, Qt.Key.Key_F9))
        assert isinstance(sale, Done), sale
        assert sale.receipt is not None
        assert sale.purchase.purchase_count == 2
        assert screen.message_label.text().startswith("已售电 ￥50.00")
        _card_part(_receipt_text(desk, 2), count=2, written_fen=sale.purchase.write_amount_fen, meter_no=meter_no)
        result = meter_insert(meter, counter, link, first)
        assert result.outcome is Outcome.CREDITED, result
        link = counter.insert(first)

        # 购电 ¥20 with the card pulled during the wallet write: money taken once, 补写卡 finishes it
        run_flow(qtbot, screen, lambda: qtbot.keyClick(screen, Qt.Key.Key_F3))
        _type(qtbot, screen, amount="20")
        pulled = link.pull_on(_is_wallet_update, after=False)
        torn = run_flow(qtbot, screen, lambda: qtbot.keyClick(screen, Qt.Key.Key_F9))
        assert pulled.is_set()
        assert isinstance(torn, NotWritten), torn
        assert torn.receipt is not None
        assert "F6" in screen.message_label.text()
        assert "补写卡" in screen.message_label.text()
        assert screen.rewrite_button.isEnabled()
        payments = card_payments(card_server, customer_no)
        assert payments[-1] == (torn.receipt.receipt_no, 2_000)
        counter.links.remove(link)  # the emulator's pull left pcscd without the card
        link = counter.insert(first)
        rewritten = run_flow(qtbot, screen, lambda: qtbot.keyClick(screen, Qt.Key.Key_F6))
        assert isinstance(rewritten, Done), rewritten
        assert rewritten.purchase.rewritten
        assert rewritten.purchase.purchase_count == 3
        assert card_payments(card_server, customer_no) == payments  # no new money
        assert len(desk.printer.jobs) == 3  # the rewrite prints no second receipt

        # the history shows the card and the three purchases, the rewritten one marked
        dialog = screen.open_history()
        assert isinstance(dialog, CardHistoryDialog)
        qtbot.waitUntil(lambda: dialog.history is not None, timeout=TIMEOUT_MS)
        history = dialog.history
        assert history is not None
        assert [c.serial.upper() for c in history.cards] == [FIRST]
        assert [(p.purchase_count, p.state) for p in history.purchases] == [
            (3, PurchaseState.WRITTEN), (2, PurchaseState.WRITTEN), (1, PurchaseState.WRITTEN)]
        model = dialog.panel.purchases_model
        assert model.data(model.index(0, 2)) == "已写卡（补写）"
        dialog.close()
        desk.window.activateWindow()  # the offscreen platform does not hand activation back to the window
        qtbot.waitUntil(desk.window.isActiveWindow, timeout=TIMEOUT_MS)
        result = meter_insert(meter, counter, link, first)
        assert result.outcome is Outcome.CREDITED, result

        # 补卡: the card is lost; a blank card replaces it (reason, fee), the old card is refused by the meter
        second = blank_card(tmp_path, SECOND)
        link = counter.insert(second)
        screen.customer_edit.setText(customer_no)
        outcome = run_flow(qtbot, screen, lambda: qtbot.keyClick(screen, Qt.Key.Key_F3))
        assert isinstance(outcome, Read)
        assert outcome.view.standing is CardStanding.BLANK
        screen.form.set_mode(SaleMode.REPLACEMENT)
        before = card_payments(card_server, customer_no)
        _type(qtbot, screen, amount="10")  # less than the replacement fee: refused in words, nothing taken
        screen.form.reason_edit.setText("卡丢失")  # typed through an input method: QTest sends no CJK keys
        assert screen.money_problem() is None, screen.money_problem()
        refused = run_flow(qtbot, screen, lambda: qtbot.keyClick(screen, Qt.Key.Key_F9))
        assert isinstance(refused, Refused), refused
        assert refused.error.code is ErrorCode.CARD_AMOUNT_BELOW_MIN
        assert screen.message_label.text().endswith("未收款。")
        assert card_payments(card_server, customer_no) == before
        fee = int(refused.error.params["min_fen"])
        _type(qtbot, screen, amount=format_fen(fee))
        screen.form.reason_edit.setText("卡丢失")
        replaced = run_flow(qtbot, screen, lambda: qtbot.keyClick(screen, Qt.Key.Key_F9))
        assert isinstance(replaced, Done), replaced
        assert replaced.purchase.serial.upper() == SECOND
        result = meter_insert(meter, counter, link, second)
        assert result.outcome is not Outcome.SERIAL_MISMATCH, result
        assert meter.insert(first, now=METER_NOW).outcome is Outcome.SERIAL_MISMATCH

        ARTIFACTS.mkdir(exist_ok=True)
        assert desk.window.grab().save(str(ARTIFACTS / "card-sale-story-zh_CN.png"))


class TestPendingList:
    """The supervisor sees a purchase whose write was interrupted, oldest first, with cashier, counter, receipt."""

    def test_pulled_card_is_listed_until_rewritten(
            self, qtbot: QtBot, tmp_path: Path, open_desk: DeskFactory, card_server: DeskServer,  # noqa: F811
            counter: Counter) -> None:  # noqa: F811
        """An opening whose card is pulled mid-write stays pending: the supervisor's Card writes screen lists
        it with the receipt and the counter; after 补写卡 it is gone. (The supervisor sells too: one window.)"""
        customer_no = prepaid_customer(card_server)
        desk = _desk(qtbot, open_desk, username="supervisor01")
        card = blank_card(tmp_path, "5A00000000000011")
        link = counter.insert(card)
        screen = card_screen(qtbot, desk, counter)
        assert desk.window.show_screen("cardsale")
        screen.customer_edit.setText(customer_no)
        run_flow(qtbot, screen, lambda: qtbot.keyClick(screen, Qt.Key.Key_F3))
        _type(qtbot, screen, amount="30")
        link.pull_on(_is_wallet_update, after=False)
        torn = run_flow(qtbot, screen, lambda: qtbot.keyClick(screen, Qt.Key.Key_F9))
        assert isinstance(torn, NotWritten), torn
        assert torn.receipt is not None
        counter.links.remove(link)

        pending = desk.window.screen_widget("cardpending")
        assert isinstance(pending, CardPendingScreen)
        with qtbot.waitSignal(pending.model.modelReset, timeout=TIMEOUT_MS):
            assert desk.window.show_screen("cardpending")
        idle(qtbot)
        rows = [(p.customer_no, p.receipt_no, p.counter_code) for p in pending.model.rows()]
        assert (customer_no, torn.receipt.receipt_no, "H0101") in rows
        assert pending.model.headerData(0, Qt.Orientation.Horizontal) == "办理时间"

        counter.insert(card)
        assert desk.window.show_screen("cardsale")
        done = run_flow(qtbot, screen, lambda: qtbot.keyClick(screen, Qt.Key.Key_F6))
        assert isinstance(done, Done), done
        pending.refresh()
        idle(qtbot)
        assert customer_no not in [p.customer_no for p in pending.model.rows()]
