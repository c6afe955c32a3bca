# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""The status bar's card indicator following a real pcscd and the emulated card in vpcd's second slot, in Chinese
and English: no reader, no card, blank card, a customer's card (and its owner's name once the server named it), an
unreadable card; and the main window showing it (or not, when the reader is switched off)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Final

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from client.core.config import KEY_CARD_READER_ENABLED, KEY_CARD_READER_NAME, CardReaderConfig, ClientPaths
from client.devices.card_reader import CardReader, CardReaderError, ReaderEvent, ReaderFault, ReaderState
from client.devices.cardsim.card import CardState, VirtualCard
from client.devices.cardsim.keys import Esam, default_test_version
from client.devices.cardsim.vpcd import VpcdLink
from client.ui import gui_thread
from client.ui.app import open_settings
from client.ui.widgets.card_status import CardReaderSignals, CardStatusLabel, reader_message
from shared_models.cards.apdu import CommandApdu, Ins, Sw
from shared_models.cards.files import CardType
from tests.cards.conftest import pcscd  # noqa: F401 - the fixture
from tests.cards.helpers import CUSTOMER, issued_card
from tests.cards.pcsc import wait_for_card
from tests.e2e.conftest import live_server  # noqa: F401 - the fixture
from tests.ui.live_client import LiveAppFactory, live_store, make_live_app, sign_in_live  # noqa: F401 - fixtures

SLOT: Final = "Virtual PCD 00 01"
SLOT_PORT: Final = 35964
TIMEOUT_MS: Final = 10_000
SERIAL: Final = bytes.fromhex("0102030405060708")

TEXTS: Final = {
    "zh_CN": {"no_reader": "未连接读卡器", "no_card": "无卡", "reading": "已插卡，正在读卡…", "blank": "空白卡",
              "customer": f"客户 {CUSTOMER} 的卡", "owner": f"客户 {CUSTOMER}（张三）的卡",
              "unknown": "无法读卡：非本单位的卡"},
    "en": {"no_reader": "No card reader", "no_card": "No card", "reading": "Card inserted — reading…",
           "blank": "Blank card", "customer": f"Card of customer {CUSTOMER}",
           "owner": f"Card of customer {CUSTOMER} (张三)", "unknown": "Card not readable: not a card of ours"},
}


@pytest.fixture
def slot(pcscd: str) -> str:  # noqa: F811 - the fixture
    """The second vpcd reader (pcscd running)."""
    return SLOT


@pytest.fixture
def plug(slot: str) -> Iterator[Callable[[VirtualCard], VpcdLink]]:
    """Insert a card into the second slot; every card is pulled at teardown."""
    links: list[VpcdLink] = []

    def insert(card: VirtualCard) -> VpcdLink:
        link = VpcdLink(card, port=SLOT_PORT)
        link.insert()
        links.append(link)
        return link

    yield insert
    for link in links:
        link.remove()
    wait_for_card(slot, present=False)


@pytest.fixture
def indicator(qapp: QApplication, slot: str) -> Iterator[tuple[CardReader, CardStatusLabel]]:
    """A reader on the second slot, its signals and the indicator, as the main window wires them."""
    gui_thread.install()
    reader = CardReader(CardReaderConfig(name=slot))
    signals = CardReaderSignals(reader)
    label = CardStatusLabel(signals)
    reader.start()
    yield reader, label
    signals.shutdown()
    assert reader.close(timeout=TIMEOUT_MS / 1000)
    gui_thread.drain()
    label.deleteLater()
    signals.deleteLater()


def blank_card() -> VirtualCard:
    """A card never opened."""
    return VirtualCard(CardState.blank(serial=SERIAL, version=default_test_version(), esam=Esam.test()))


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
class TestIndicator:
    """The indicator's texts follow real insertions and removals."""

    def test_follows_the_card(self, qtbot: QtBot, use_locale: Callable[[str], None], locale: str,
                              indicator: tuple[CardReader, CardStatusLabel],
                              plug: Callable[[VirtualCard], VpcdLink]) -> None:
        """No card, a blank card, out again, a customer's card, its owner named, out again."""
        use_locale(locale)
        texts = TEXTS[locale]
        _, label = indicator
        qtbot.waitUntil(lambda: label.text() == texts["no_card"], timeout=TIMEOUT_MS)
        link = plug(blank_card())
        qtbot.waitUntil(lambda: label.text() == texts["blank"], timeout=TIMEOUT_MS)
        link.remove()
        qtbot.waitUntil(lambda: label.text() == texts["no_card"], timeout=TIMEOUT_MS)
        link = plug(issued_card(Esam.test(), card_type=CardType.PURCHASE, count=2))
        qtbot.waitUntil(lambda: label.text() == texts["customer"], timeout=TIMEOUT_MS)
        label.set_owner(CUSTOMER, "张三")
        assert label.text() == texts["owner"]
        link.remove()
        qtbot.waitUntil(lambda: label.text() == texts["no_card"], timeout=TIMEOUT_MS)
        label.set_owner(CUSTOMER, "张三")  # too late: the card is gone
        assert label.text() == texts["no_card"]

    def test_unreadable_card(self, qtbot: QtBot, use_locale: Callable[[str], None], locale: str,
                             indicator: tuple[CardReader, CardStatusLabel],
                             plug: Callable[[VirtualCard], VpcdLink]) -> None:
        """A card without our application says why it cannot be read."""
        use_locale(locale)
        _, label = indicator

        class Foreign(VirtualCard):
            def transmit(self, raw: bytes) -> bytes:
                if CommandApdu.decode(raw).ins == Ins.SELECT:
                    return Sw.FILE_NOT_FOUND.to_bytes(2, "big")
                return super().transmit(raw)

        plug(Foreign(blank_card().state))
        qtbot.waitUntil(lambda: label.text() == TEXTS[locale]["unknown"], timeout=TIMEOUT_MS)

    def test_no_reader(self, qtbot: QtBot, use_locale: Callable[[str], None], locale: str, qapp: QApplication,
                       slot: str) -> None:
        """A configured reader name pcscd does not list: "No card reader", calmly."""
        use_locale(locale)
        gui_thread.install()
        reader = CardReader(CardReaderConfig(name="No Such Reader 42"))
        signals = CardReaderSignals(reader)
        label = CardStatusLabel(signals)
        assert label.text() == TEXTS[locale]["no_reader"]  # before the watcher's first look too
        with qtbot.waitSignal(signals.reader_event_received, timeout=TIMEOUT_MS):
            reader.start()
        assert label.text() == TEXTS[locale]["no_reader"]
        signals.shutdown()
        assert reader.close(timeout=TIMEOUT_MS / 1000)

    def test_reading_and_messages(self, use_locale: Callable[[str], None], locale: str, qapp: QApplication) -> None:
        """The short-lived "reading" state, and every fault code has its sentence in this language."""
        use_locale(locale)
        label = CardStatusLabel()
        label.show_event(ReaderEvent(state=ReaderState.CARD_PRESENT, reader=SLOT, insertion=1))
        assert label.text() == TEXTS[locale]["reading"]
        for code in ReaderFault:
            sentence = reader_message(CardReaderError(code, sw=0x6581))
            assert sentence
            assert "{" not in sentence
        status = reader_message(CardReaderError(ReaderFault.CARD_STATUS, sw=0x6581))
        assert "6581" in status
        if locale == "zh_CN":
            assert "状态字" in status
        label.deleteLater()


class TestMainWindow:
    """The main window shows the indicator for the configured reader, and none when it is switched off."""

    def test_status_bar_follows_the_card(self, qtbot: QtBot, make_live_app: LiveAppFactory,  # noqa: F811
                                         client_paths: ClientPaths, plug: Callable[[VirtualCard], VpcdLink]) -> None:
        """A cashier's status bar shows the reader's state and the card inserted."""
        settings = open_settings(client_paths)
        settings.setValue(KEY_CARD_READER_ENABLED, "true")  # tests/ui/conftest.py switches it off for the others
        settings.setValue(KEY_CARD_READER_NAME, "pcd 00 01")  # a part of the name, in another case
        settings.sync()
        window = sign_in_live(qtbot, make_live_app(locale="en"), "cashier1")
        label = window.card_status
        assert label is not None
        assert label.parent() is not None
        qtbot.waitUntil(lambda: label.text() == "No card", timeout=TIMEOUT_MS)
        plug(issued_card(Esam.test(), card_type=CardType.PURCHASE, count=2))
        qtbot.waitUntil(lambda: label.text() == f"Card of customer {CUSTOMER}", timeout=TIMEOUT_MS)

    def test_switched_off(self, qtbot: QtBot, make_live_app: LiveAppFactory,  # noqa: F811
                          client_paths: ClientPaths) -> None:
        """``card_reader/enabled = false``: no reader, no indicator."""
        settings = open_settings(client_paths)
        settings.setValue(KEY_CARD_READER_ENABLED, "false")
        settings.sync()
        app = make_live_app(locale="en")
        assert app.card_reader is None
        window = sign_in_live(qtbot, app, "cashier1")
        assert window.card_status is None
