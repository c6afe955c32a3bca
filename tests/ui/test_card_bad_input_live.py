# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""Bad card inputs that reach the card-sale screen, each shown in its sentence with nothing taken (issue 14 "Bad
input"): another customer's card, a blank card offered for a sale, the link down (the screen says so in one
sentence and offers nothing that takes money, issue 14 point 8); and the screen read in English and Chinese at the
counter's 1024×768 — through the real client, pcscd with the emulated card and the live server."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from client.core.card_flow import Done, Read, Refused
from client.devices.cardsim.card import VirtualCard
from client.ui.screens.card_sale_form import SaleMode
from client.ui.screens.card_sale_screen import CardSaleScreen
from client.ui.screens.card_sale_words import offline_text
from shared_models.errors import ErrorCode
from shared_models.methods.cards import CardStanding
from tests.cards.conftest import pcscd  # noqa: F401 - the fixture
from tests.chaos.proxy import ChaosProxy
from tests.ui.card_live_helpers import (
    Counter,
    blank_card,
    card_payments,
    card_screen,
    card_server,  # noqa: F401 - the fixture
    counter,  # noqa: F401 - the fixture
    idle,
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
    link,  # noqa: F401 - the fixture
    open_desk,  # noqa: F401 - the fixture
    printer,  # noqa: F401 - the fixture
    sql,
)

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def desk_server(card_server: DeskServer) -> DeskServer:  # noqa: F811 - the desk fixtures' server is the card one
    """The desk fixtures run against the card server."""
    return card_server


def _screen(qtbot: QtBot, desk: Desk, counter: Counter) -> CardSaleScreen:  # noqa: F811
    ensure_shift(desk.app.rpc)
    desk.screen.refresh_shift()
    idle(qtbot)
    screen = card_screen(qtbot, desk, counter)
    assert desk.window.show_screen("cardsale")
    return screen


def _opened(qtbot: QtBot, screen: CardSaleScreen, counter: Counter, card: VirtualCard,  # noqa: F811
            customer_no: str) -> None:
    """开户 of ``card`` for ``customer_no`` with ¥10 cash through the screen; the card left out of the reader."""
    slot = counter.insert(card)
    screen.customer_edit.setText(customer_no)
    run_flow(qtbot, screen, lambda: qtbot.keyClick(screen, Qt.Key.Key_F3))
    assert screen.form.mode() is SaleMode.OPENING
    qtbot.keyClick(screen, Qt.Key.Key_Escape)
    qtbot.keyClicks(screen.tenders.amount_edit, "10")
    done = run_flow(qtbot, screen, lambda: qtbot.keyClick(screen, Qt.Key.Key_F9))
    assert isinstance(done, Done), done
    counter.pull(slot)


class TestRefusedCards:
    """What the center refuses about a card is said in the code's sentence; the sell key takes nothing."""

    def test_another_customers_card(self, qtbot: QtBot, tmp_path: Path, open_desk: DeskFactory,  # noqa: F811
                                    card_server: DeskServer, counter: Counter) -> None:  # noqa: F811
        """A's card read while B is being served: CARD_OTHER_CUSTOMER in words, no sale offered, no payment."""
        owner = prepaid_customer(card_server)
        other = prepaid_customer(card_server)
        screen = _screen(qtbot, open_desk("zh_CN"), counter)
        card = blank_card(tmp_path, "5A00000000000021")
        _opened(qtbot, screen, counter, card, owner)
        before = card_payments(card_server, other)

        counter.insert(card)
        screen.customer_edit.setText(other)
        outcome = run_flow(qtbot, screen, lambda: qtbot.keyClick(screen, Qt.Key.Key_F3))
        refused = outcome.view.refusal if isinstance(outcome, Read) else (
            outcome.error if isinstance(outcome, Refused) else None)
        assert refused is not None, outcome
        assert refused.code is ErrorCode.CARD_OTHER_CUSTOMER
        shown = screen.view_panel.refusal_label.text() + screen.message_label.text()
        assert "其他" in shown or "不是" in shown or owner in shown or other in shown, shown
        assert not screen.sell_button.isEnabled()
        qtbot.keyClick(screen, Qt.Key.Key_F9)  # the key does nothing either
        idle(qtbot)
        assert card_payments(card_server, other) == before

    def test_blank_card_for_a_sale(self, qtbot: QtBot, tmp_path: Path, open_desk: DeskFactory,  # noqa: F811
                                   card_server: DeskServer, counter: Counter) -> None:  # noqa: F811
        """A blank card offered for a 购电 of a customer who has a card: the sentence, nothing taken."""
        customer_no = prepaid_customer(card_server)
        screen = _screen(qtbot, open_desk("zh_CN"), counter)
        screen.customer_edit.setText("12345")  # not a 户号: said at once, the card is not even read
        with qtbot.assertNotEmitted(screen.outcome_shown):
            qtbot.keyClick(screen, Qt.Key.Key_F3)
        assert screen.message_label.text() == "“12345”不是户号（应为 10 位或 13 位数字）。"
        assert screen.read is None
        _opened(qtbot, screen, counter, blank_card(tmp_path, "5A00000000000031"), customer_no)
        before = card_payments(card_server, customer_no)

        counter.insert(blank_card(tmp_path, "5A00000000000032"))
        screen.customer_edit.setText(customer_no)
        outcome = run_flow(qtbot, screen, lambda: qtbot.keyClick(screen, Qt.Key.Key_F3))
        assert isinstance(outcome, Read), outcome
        assert outcome.view.standing is CardStanding.BLANK
        screen.form.set_mode(SaleMode.SALE)
        qtbot.keyClicks(screen.tenders.amount_edit, "50")
        problem = screen.money_problem()
        assert problem, "a sale onto a blank card must be refused"
        assert not screen.sell_button.isEnabled()
        assert screen.sell_button.toolTip() == problem
        qtbot.keyClick(screen, Qt.Key.Key_F9)
        idle(qtbot)
        assert card_payments(card_server, customer_no) == before


class TestOffline:
    """With the link down the screen says so in one sentence and offers nothing that takes money."""

    def test_link_down_offers_nothing(  # noqa: PLR0917 - pytest hands fixtures in
            self, qtbot: QtBot, tmp_path: Path, open_desk: DeskFactory, card_server: DeskServer,  # noqa: F811
            counter: Counter, link: ChaosProxy) -> None:  # noqa: F811
        """Read online, then the link is cut: the next read says the one sentence, the entry and every money
        key are off, F9 books nothing; the link healed, a read offers the sale again."""
        customer_no = prepaid_customer(card_server)
        desk = open_desk("zh_CN", server_url=link.url)
        screen = _screen(qtbot, desk, counter)
        counter.insert(blank_card(tmp_path, "5A00000000000041"))
        screen.customer_edit.setText(customer_no)
        outcome = run_flow(qtbot, screen, lambda: qtbot.keyClick(screen, Qt.Key.Key_F3))
        assert isinstance(outcome, Read), outcome
        qtbot.keyClicks(screen.tenders.amount_edit, "10")
        assert screen.sell_button.isEnabled()

        link.cut()
        outcome = run_flow(qtbot, screen, lambda: qtbot.keyClick(screen, Qt.Key.Key_F3))
        assert isinstance(outcome, Refused), outcome
        assert outcome.offline
        assert screen.offline_label.isVisibleTo(screen)
        assert screen.offline_label.text() == offline_text()
        assert "中心" in offline_text()
        for widget in (screen.sell_button, screen.rewrite_button, screen.reverse_button, screen.tenders.amount_edit,
                       screen.tenders.bank_card_edit, screen.tenders.qr_edit, screen.tenders.cheque_edit):
            assert not widget.isEnabled(), widget.objectName()
        assert screen.money_problem() == offline_text()
        qtbot.keyClick(screen, Qt.Key.Key_F9)
        idle(qtbot)
        assert card_payments(card_server, customer_no) == []

        link.heal()
        outcome = run_flow(qtbot, screen, lambda: qtbot.keyClick(screen, Qt.Key.Key_F3))
        assert isinstance(outcome, Read), outcome
        assert not screen.offline_label.isVisibleTo(screen)
        assert screen.tenders.amount_edit.isEnabled()


class TestLanguages:
    """The screen reads in both languages and fits the counter's 1024×768."""

    @pytest.mark.parametrize("locale", ["zh_CN", "en"])
    def test_screen_words_and_fit(  # noqa: PLR0917 - pytest hands fixtures in
            self, qtbot: QtBot, tmp_path: Path, open_desk: DeskFactory, card_server: DeskServer,  # noqa: F811
            counter: Counter, locale: str) -> None:  # noqa: F811
        """A blank card read for a customer: the keys' captions, the card's type and the opening mode in the
        locale's words; the window at 1024×768 shows the whole screen; a grab goes to artifacts/."""
        customer_no = prepaid_customer(card_server)
        desk = open_desk(locale)
        screen = _screen(qtbot, desk, counter)
        counter.insert(blank_card(tmp_path, "5A0000000000005" + ("1" if locale == "en" else "2")))
        screen.customer_edit.setText(customer_no)
        outcome = run_flow(qtbot, screen, lambda: qtbot.keyClick(screen, Qt.Key.Key_F3))
        assert isinstance(outcome, Read), outcome
        assert outcome.view.standing is CardStanding.BLANK, outcome.view
        assert screen.form.mode() is SaleMode.OPENING, (screen.form.mode(), screen.form.mode_combo.currentText())
        words = {
            "zh_CN": ("读卡 (F3)", "开户 (F9)", "补写卡 (F6)", "冲正 (F8)", "空白卡", "读卡器中的卡"),
            "en": ("Read card 读卡 (F3)", "Open card 开户 (F9)", "Rewrite 补写卡 (F6)", "Reverse 冲正 (F8)",
                   "blank card", "Card in the reader"),
        }[locale]
        shown = (screen.read_button.text(), screen.sell_button.text(), screen.rewrite_button.text(),
                 screen.reverse_button.text(), screen.view_panel.text_of("cardKindValue"),
                 screen.view_panel.card_box.title())
        assert shown == words
        desk.window.resize(1024, 768)
        idle(qtbot)
        hint = desk.window.minimumSizeHint()
        assert hint.width() <= 1024, hint
        assert hint.height() <= 768, hint
        for button in (screen.read_button, screen.sell_button, screen.rewrite_button, screen.reverse_button):
            assert button.width() >= button.sizeHint().width(), button.text()  # the caption whole
        for name, label in screen.view_panel.values.items():  # every value whole, wrapped rather than cut
            assert label.height() >= label.heightForWidth(label.width()), (name, label.text())
        ARTIFACTS.mkdir(exist_ok=True)
        assert desk.window.grab().save(str(ARTIFACTS / f"card-sale-{locale}.png"))


class TestDeskButtons:
    """The 360 view offers the card buttons to prepaid-card customers only."""

    def test_postpaid_customer_has_none(self, qtbot: QtBot, open_desk: DeskFactory,  # noqa: F811
                                        card_server: DeskServer) -> None:  # noqa: F811
        """A postpaid customer's 360 view shows neither Card sale nor Card history, and F10 stays on the desk;
        a prepaid-card customer's shows both."""
        [(postpaid,)] = sql(card_server, "SELECT customer_no FROM customers WHERE payment_mode = 'postpaid' "
                                         "AND status = 'active' ORDER BY customer_no DESC LIMIT 1")
        prepaid = prepaid_customer(card_server)
        desk = open_desk("zh_CN")
        overview = desk.screen.overview
        with qtbot.waitSignal(desk.screen.overview_shown, timeout=TIMEOUT_MS):
            desk.screen.open_customer(str(postpaid))
        assert not overview.card_sale_button.isVisibleTo(overview)
        assert not overview.card_history_button.isVisibleTo(overview)
        qtbot.keyClick(desk.screen, Qt.Key.Key_F10)
        assert desk.window.stack.currentWidget() is desk.screen
        with qtbot.waitSignal(desk.screen.overview_shown, timeout=TIMEOUT_MS):
            desk.screen.open_customer(prepaid)
        assert overview.card_sale_button.isVisibleTo(overview)
        assert overview.card_history_button.isVisibleTo(overview)
        assert overview.card_sale_button.text() == "购电 (F10)"
        idle(qtbot)
