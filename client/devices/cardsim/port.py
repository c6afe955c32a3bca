"""A conversation with a card through any transport: the in-process :class:`VirtualCard` or a PC/SC connection."""

from __future__ import annotations

from typing import Protocol

from shared_models.cards.apdu import CommandApdu, ResponseApdu


class CardPort(Protocol):
    """Anything that answers a C-APDU's bytes with an R-APDU's bytes."""

    def transmit(self, raw: bytes) -> bytes:
        """Send one C-APDU, return the R-APDU (data + SW1 SW2)."""
        ...


def exchange(port: CardPort, command: CommandApdu, name: str, *, length: int | None = None) -> bytes:
    """Send ``command`` and return the data of its 9000 answer (typed errors otherwise; see ResponseApdu.expect)."""
    return ResponseApdu.decode(port.transmit(command.encode())).expect(name, length=length)
