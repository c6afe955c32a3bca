"""A PC/SC terminal for the card tests (pyscard): wait for the card, connect, and retry once on "Card was reset".

Right after an insertion, or after another handle reset the card, the next transmit fails with
SCARD_W_RESET_CARD (0x80100068) on real readers and on vpcd alike (COMPONENTS.md): reconnect once, leaving the
card as it is, and send again. The card has lost its selection and challenge by then, so only a command that
stands alone is safe to repeat; a MAC'd write must start over from its GET CHALLENGE.
"""

from __future__ import annotations

import contextlib
from typing import Any, Final

from smartcard.CardRequest import CardRequest
from smartcard.Exceptions import CardConnectionException
from smartcard.scard import (
    SCARD_LEAVE_CARD,
    SCARD_RESET_CARD,
    SCARD_S_SUCCESS,
    SCARD_SCOPE_USER,
    SCARD_STATE_PRESENT,
    SCARD_STATE_UNAWARE,
    SCardEstablishContext,
    SCardGetStatusChange,
    SCardReleaseContext,
)
from smartcard.System import readers

SCARD_W_RESET_CARD: Final = 0x80100068


def find_reader(name: str) -> Any:
    """The pyscard reader called ``name`` (an AssertionError when pcscd does not list it)."""
    for reader in readers():
        if str(reader) == name:
            return reader
    raise AssertionError(f"reader {name!r} not listed by pcscd")


def wait_for_card(reader_name: str, *, present: bool, timeout_ms: int = 5_000) -> None:
    """Block until pcscd reports the reader with (or without) a card: it polls vpcd, so a removal or insertion
    shows only some hundred milliseconds later, and a test must not talk to the card it remembers meanwhile."""
    hresult, context = SCardEstablishContext(SCARD_SCOPE_USER)
    assert hresult == SCARD_S_SUCCESS, hresult
    try:
        known = SCARD_STATE_UNAWARE
        while True:
            hresult, states = SCardGetStatusChange(context, timeout_ms, [(reader_name, known)])
            assert hresult == SCARD_S_SUCCESS, f"pcscd did not report the card {'in' if present else 'out'}"
            _, event_state, _ = states[0]
            if bool(event_state & SCARD_STATE_PRESENT) is present:
                return
            known = event_state
    finally:
        SCardReleaseContext(context)


class PcscTerminal:
    """One connection to the card in ``reader_name``; :meth:`transmit` matches the CardPort protocol."""

    def __init__(self, reader_name: str) -> None:
        self.reader_name = reader_name
        self.resets = 0
        self._connection: Any = None

    def connect(self, *, timeout: float = 5.0) -> None:
        """Wait for a card in the reader and connect to it."""
        CardRequest(timeout=timeout, readers=[self.reader_name]).waitforcard()
        self._connection = find_reader(self.reader_name).createConnection()
        self._connection.connect(disposition=SCARD_LEAVE_CARD)

    def transmit(self, raw: bytes) -> bytes:
        """Send one C-APDU, reconnecting once if the card was reset since the last one."""
        try:
            data, sw1, sw2 = self._connection.transmit(list(raw))
        except CardConnectionException as exc:
            if exc.hresult & 0xFFFF_FFFF != SCARD_W_RESET_CARD:
                raise
            self.resets += 1
            self._connection.reconnect(disposition=SCARD_LEAVE_CARD)
            data, sw1, sw2 = self._connection.transmit(list(raw))
        return bytes(data) + bytes([sw1, sw2])

    def reset_from_elsewhere(self) -> None:
        """Reset the card through a second handle, as another application (or an insertion) would."""
        other = find_reader(self.reader_name).createConnection()
        other.connect(disposition=SCARD_RESET_CARD)
        other.disconnect()

    def close(self) -> None:
        """Disconnect, leaving the card powered."""
        if self._connection is not None:
            with contextlib.suppress(CardConnectionException):  # the card went away first
                self._connection.disconnect()
            self._connection = None
