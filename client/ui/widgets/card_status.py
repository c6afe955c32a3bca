"""The status bar's card indicator: no reader, no card, reading, whose card, blank, or why it cannot be read.

The card reader's watcher (and the read after an insertion) call back on their own threads. Those callbacks never
touch a QObject and never emit: they hand the event to the GUI thread with :func:`~client.ui.gui_thread.call_on_gui`
(the project's one way across threads, see that module for the crash a cross-thread ``emit`` caused), and
:class:`CardReaderSignals` re-emits it there as the Qt signal ``reader_event_received``, which the indicator and the
card screen connect to. The indicator does not call the server: the card screen calls :meth:`CardStatusLabel.set_owner`
once the server has named the card's customer.

The sentences for :class:`~client.devices.card_reader.ReaderFault` codes live here too (:func:`reader_message` for a
dialog, the short reasons for the status bar), next to the only widget that shows them so far.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal
from PySide6.QtWidgets import QLabel, QWidget

from client.devices.card_reader import CardReader, CardReaderError, ReaderEvent, ReaderFault, ReaderState
from client.ui.gui_thread import call_on_gui

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # PySide6's stub says it returns object
        ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

_CONTEXT = "CardReader"

#: What each reader fault means and what to do, for a dialog or a card screen's message line.
READER_MESSAGES: dict[ReaderFault, str] = {
    ReaderFault.NO_READER: QT_TRANSLATE_NOOP(
        "CardReader", "No card reader is connected. Plug in the card reader (or ask the operations engineer to set it "
        "up), then try again."),
    ReaderFault.NO_CARD: QT_TRANSLATE_NOOP(
        "CardReader", "There is no card in the reader. Insert the customer's card, then try again."),
    ReaderFault.CARD_REMOVED: QT_TRANSLATE_NOOP(
        "CardReader", "The card was taken out of the reader before the work on it was finished. Insert it again and "
        "leave it in until the screen says it is done."),
    ReaderFault.CARD_RESET: QT_TRANSLATE_NOOP(
        "CardReader", "The card was reset by the reader or another program while it was being written. Nothing was "
        "lost: start the write again."),
    ReaderFault.UNKNOWN_CARD: QT_TRANSLATE_NOOP(
        "CardReader", "This is not an electricity card of ours (or it does not answer). Check that the customer "
        "gave the right card and that it sits the right way round."),
    ReaderFault.OTHER_CARD: QT_TRANSLATE_NOOP(
        "CardReader", "The card in the reader is not the one this work was started for. Insert the right card."),
    ReaderFault.CARD_MALFORMED: QT_TRANSLATE_NOOP(
        "CardReader", "The card's answer could not be understood (the card may be damaged). Take the card out, insert "
        "it again and retry; if it happens again, the card needs replacing."),
    ReaderFault.CARD_STATUS: QT_TRANSLATE_NOOP(
        "CardReader", "The card refused the command (status {sw}). Take the card out, insert it again and retry; if "
        "it happens again, call the supervisor."),
    ReaderFault.READER_FAULT: QT_TRANSLATE_NOOP(
        "CardReader", "The card reader reported a fault. Take the card out, insert it again and retry; if it happens "
        "again, unplug the reader and plug it back in."),
}

#: The few words after "Card not readable:" in the status bar.
_SHORT_REASONS: dict[ReaderFault, str] = {
    ReaderFault.NO_READER: QT_TRANSLATE_NOOP("CardReader", "the reader went away"),
    ReaderFault.NO_CARD: QT_TRANSLATE_NOOP("CardReader", "the card went away"),
    ReaderFault.CARD_REMOVED: QT_TRANSLATE_NOOP("CardReader", "taken out while reading"),
    ReaderFault.CARD_RESET: QT_TRANSLATE_NOOP("CardReader", "the card was reset"),
    ReaderFault.UNKNOWN_CARD: QT_TRANSLATE_NOOP("CardReader", "not a card of ours"),
    ReaderFault.OTHER_CARD: QT_TRANSLATE_NOOP("CardReader", "another card"),
    ReaderFault.CARD_MALFORMED: QT_TRANSLATE_NOOP("CardReader", "damaged data"),
    ReaderFault.CARD_STATUS: QT_TRANSLATE_NOOP("CardReader", "refused (status {sw})"),
    ReaderFault.READER_FAULT: QT_TRANSLATE_NOOP("CardReader", "reader fault"),
}


def _fill_sw(text: str, error: CardReaderError) -> str:
    return text.replace("{sw}", f"{error.sw:04X}" if error.sw is not None else "?")


def reader_message(error: CardReaderError) -> str:
    """The translated sentence for a card reader fault (what happened, what to do)."""
    return _fill_sw(QCoreApplication.translate(_CONTEXT, READER_MESSAGES[error.code]), error)


def reader_short_reason(error: CardReaderError) -> str:
    """The translated few words naming a fault in the status bar."""
    return _fill_sw(QCoreApplication.translate(_CONTEXT, _SHORT_REASONS[error.code]), error)


class CardReaderSignals(QObject):
    """The reader's events as a Qt signal on the GUI thread (the callbacks come on the reader's threads)."""

    #: A :class:`~client.devices.card_reader.ReaderEvent`, emitted on the GUI thread.
    reader_event_received = Signal(object)

    def __init__(self, reader: CardReader, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe = reader.subscribe(self._from_reader)
        self.destroyed.connect(self._unsubscribe)

    def _from_reader(self, event: ReaderEvent) -> None:
        """On the watcher or the device thread: hand the event over, touching no QObject."""
        call_on_gui(self._deliver, event, owner=self)

    def _deliver(self, event: ReaderEvent) -> None:
        self.reader_event_received.emit(event)

    def shutdown(self) -> None:
        """Hear no more events (before the window goes away)."""
        self._unsubscribe()


class CardStatusLabel(QLabel):
    """One label in the status bar saying what the card reader holds; a view, fed by :class:`CardReaderSignals`."""

    def __init__(self, signals: CardReaderSignals | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardStatusLabel")
        self._event: ReaderEvent | None = None
        self._owner: tuple[str, str] | None = None
        if signals is not None:
            signals.reader_event_received.connect(self.show_event)
        self._render()

    @property
    def last_event(self) -> ReaderEvent | None:
        """The last reader event shown."""
        return self._event

    def show_event(self, event: object) -> None:
        """Show a reader event; a new insertion or a removal forgets the owner set for the card before."""
        if not isinstance(event, ReaderEvent):
            return
        previous = self._event
        if previous is None or event.insertion != previous.insertion or event.state in (
                ReaderState.NO_CARD, ReaderState.NO_READER, ReaderState.CARD_PRESENT):
            self._owner = None
        self._event = event
        self._render()

    def set_owner(self, customer_no: str, name: str) -> None:
        """The server has named the customer of the card now in the reader (ignored once the card is gone)."""
        if self._event is None or self._event.state is not ReaderState.CARD_READ:
            return
        self._owner = (customer_no, name)
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        """Re-render in the new language."""
        if event.type() == QEvent.Type.LanguageChange:
            self._render()
        super().changeEvent(event)

    def _render(self) -> None:
        event = self._event
        state = event.state if event is not None else ReaderState.NO_READER
        style = ""
        if state is ReaderState.NO_READER:
            text = self.tr("No card reader")
        elif state is ReaderState.NO_CARD:
            text = self.tr("No card")
        elif state is ReaderState.CARD_PRESENT:
            text = self.tr("Card inserted — reading…")
        elif state is ReaderState.CARD_UNREADABLE and event is not None and event.error is not None:
            text = self.tr("Card not readable: {reason}").format(reason=reader_short_reason(event.error))
            style = "color: #b00020;"
        elif event is not None and event.read is not None and event.read.blank:
            text = self.tr("Blank card")
        elif self._owner is not None:
            text = self.tr("Card of customer {customer_no} ({name})").format(
                customer_no=self._owner[0], name=self._owner[1])
        elif event is not None and event.read is not None:
            text = self.tr("Card of customer {customer_no}").format(
                customer_no=event.read.image.parameters.customer_no)
        else:  # a read without its result cannot happen; say nothing wrong
            text = self.tr("No card")
        self.setText(text)
        self.setStyleSheet(style)
