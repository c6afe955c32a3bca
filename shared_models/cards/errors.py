"""The typed errors a card answer can raise: a malformed file or APDU, or a status word other than 9000."""

from __future__ import annotations

from enum import StrEnum


class CardFault(StrEnum):
    """Why card data was refused; stable values that later map to error codes and translated sentences."""

    LENGTH = "length"  # a file or answer of the wrong size (truncated or over-long)
    BCD = "bcd"  # a nibble above 9 in a BCD field, or a number of the wrong digit count
    CARD_TYPE = "card_type"  # a card type byte that is none of the known ones
    FRAME = "frame"  # a return file without its 0x68 ... 0x16 frame
    CHECKSUM = "checksum"  # a return file whose checksum does not add up
    RANGE = "range"  # a value outside its field's range (an amount above 999 999.99 yuan, a ratio of 0)
    APDU = "apdu"  # a command or response APDU that cannot be parsed


class CardFormatError(ValueError):
    """Bytes from (or for) a card that do not fit the format: never an IndexError or a struct.error."""

    def __init__(self, fault: CardFault, what: str, detail: str = "") -> None:
        self.fault = fault
        self.what = what
        self.detail = detail
        super().__init__(f"{what}: {fault.value}" + (f" ({detail})" if detail else ""))


class CardStatusError(Exception):
    """The card answered with a status word other than 9000 (``sw`` as an int, e.g. 0x6988)."""

    def __init__(self, sw: int, command: str) -> None:
        self.sw = sw
        self.command = command
        super().__init__(f"{command}: SW {sw:04X}")
