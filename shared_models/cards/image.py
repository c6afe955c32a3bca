"""Reading and writing a card over any transport: what a read returns, and the order a write goes in.

The transport is injected (:class:`CardPort`: C-APDU bytes in, R-APDU bytes out), so the same code serves the
counter's PC/SC reader, the meter simulator and the tests; nothing here does I/O of its own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Protocol

from shared_models.cards import apdu
from shared_models.cards.apdu import CommandApdu, ResponseApdu
from shared_models.cards.crypto import EncryptBlock, mac_update
from shared_models.cards.files import (
    DF01,
    EF_INFO,
    EF_PARAMETERS,
    EF_RETURN,
    EF_WALLET,
    MF,
    CardInfo,
    EfId,
    ParameterFile,
    ReturnFile,
    WalletFile,
)


class CardPort(Protocol):
    """Anything that answers a C-APDU's bytes with an R-APDU's bytes."""

    def transmit(self, raw: bytes) -> bytes:
        """Send one C-APDU, return the R-APDU (data + SW1 SW2)."""
        ...


def exchange(port: CardPort, command: CommandApdu, name: str, *, length: int | None = None) -> bytes:
    """Send ``command``; the data of its 9000 answer (CardStatusError / CardFormatError otherwise)."""
    return ResponseApdu.decode(port.transmit(command.encode())).expect(name, length=length)


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class CardImage:
    """Everything the counter reads from a card: info, parameters, wallet and return file (None when empty)."""

    info: CardInfo
    parameters: ParameterFile
    wallet: WalletFile
    returned: ReturnFile | None


def select_application(port: CardPort) -> CardInfo:
    """SELECT 3F00 and DF01, then read the info file (serial, key version)."""
    exchange(port, apdu.select(MF), "select MF")
    exchange(port, apdu.select(DF01), "select DF01")
    return CardInfo.decode(exchange(port, apdu.read_binary(EF_INFO.sfi, EF_INFO.size), "read info",
                                    length=EF_INFO.size))


def read_card(port: CardPort) -> CardImage:
    """Select the application and read its four files (no key needed)."""
    info = select_application(port)
    files = {ef: exchange(port, apdu.read_binary(ef.sfi, ef.size), f"read {ef.name}", length=ef.size)
             for ef in (EF_PARAMETERS, EF_WALLET, EF_RETURN)}
    return CardImage(info=info, parameters=ParameterFile.decode(files[EF_PARAMETERS]),
                     wallet=WalletFile.decode(files[EF_WALLET]), returned=ReturnFile.decode(files[EF_RETURN]))


def write_plan(*, parameters: ParameterFile | None, wallet: WalletFile | None,
               clear_return: bool = True) -> list[tuple[EfId, bytes]]:
    """The whole-file writes of one card write, in the order that keeps a torn write safe (docs/card-format.md
    §5): the return file cleared, then the parameters, then the wallet."""
    plan: list[tuple[EfId, bytes]] = []
    if clear_return:
        plan.append((EF_RETURN, ReturnFile.empty()))
    if parameters is not None:
        plan.append((EF_PARAMETERS, parameters.encode()))
    if wallet is not None:
        plan.append((EF_WALLET, wallet.encode()))
    return plan


def mac_plan(encrypt: EncryptBlock, *, update_key: bytes, challenge: bytes,
             plan: Sequence[tuple[EfId, bytes]]) -> list[CommandApdu]:
    """The MAC'd UPDATE BINARY commands of ``plan``, numbered 0, 1, ... after ``challenge``."""
    return [mac_update(encrypt, update_key=update_key, challenge=challenge, sequence=sequence, ef=ef, data=data)
            for sequence, (ef, data) in enumerate(plan)]
