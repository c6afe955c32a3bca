"""Writes cards as the counter and the key service together will (issue 14 part 2), with the TEST keys.

For tests, the demo and developers only: it holds an :class:`~client.devices.cardsim.keys.Esam` with master keys,
which a counter never does. The writes follow docs/card-format.md: one challenge for the whole write, the return
file cleared first, then the parameter file (opening, replacement: after an EXTERNAL AUTHENTICATE), then the
wallet, so a write torn anywhere never leaves a new purchase beside an uncleared return file.
"""

from __future__ import annotations

import dataclasses

from client.devices.cardsim.keys import Esam
from client.devices.cardsim.port import CardPort, exchange
from shared_models.cards import apdu
from shared_models.cards.crypto import KeyId, auth_cryptogram, mac_update, seal_wallet
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


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class CardImage:
    """Everything a card holds that the counter reads: info, parameters, wallet and return file."""

    info: CardInfo
    parameters: ParameterFile
    wallet: WalletFile
    returned: ReturnFile | None


def read_card(port: CardPort) -> CardImage:
    """SELECT the application and read its four files (no key needed)."""
    exchange(port, apdu.select(MF), "select MF")
    exchange(port, apdu.select(DF01), "select DF01")
    files = {ef: exchange(port, apdu.read_binary(ef.sfi, ef.size), f"read {ef.name}", length=ef.size)
             for ef in (EF_INFO, EF_PARAMETERS, EF_WALLET, EF_RETURN)}
    return CardImage(info=CardInfo.decode(files[EF_INFO]), parameters=ParameterFile.decode(files[EF_PARAMETERS]),
                     wallet=WalletFile.decode(files[EF_WALLET]), returned=ReturnFile.decode(files[EF_RETURN]))


class Issuer:
    """Builds and sends the MAC'd writes of an opening, a sale or a replacement, keys from its ESAM."""

    def __init__(self, esam: Esam) -> None:
        self.esam = esam

    def sealed_wallet(self, info: CardInfo, *, amount_fen: int, purchase_count: int) -> WalletFile:
        """The wallet record of a purchase on the card ``info``, MAC'd under its wallet key."""
        return seal_wallet(self.esam.encrypt(info.key_version),
                           wallet_key=self.esam.card_key(info.key_version, KeyId.WALLET, info.serial),
                           serial=info.serial,
                           amount_fen=amount_fen, purchase_count=purchase_count)

    def write(self, port: CardPort, *, parameters: ParameterFile | None = None, amount_fen: int | None = None,
              purchase_count: int | None = None, clear_return: bool = True) -> CardInfo:
        """Write the card: clear its return file, then the parameters (when given), then the wallet (when given)."""
        exchange(port, apdu.select(MF), "select MF")
        exchange(port, apdu.select(DF01), "select DF01")
        info = CardInfo.decode(exchange(port, apdu.read_binary(EF_INFO.sfi, EF_INFO.size), "read info",
                                        length=EF_INFO.size))
        version, serial = info.key_version, info.serial
        encrypt = self.esam.encrypt(version)
        if parameters is not None:
            challenge = exchange(port, apdu.get_challenge(), "get challenge", length=8)
            cryptogram = auth_cryptogram(encrypt, key=self.esam.card_key(version, KeyId.EXTERNAL, serial),
                                         random8=challenge)
            exchange(port, apdu.external_authenticate(KeyId.EXTERNAL, cryptogram), "external authenticate")
        writes: list[tuple[EfId, bytes]] = []
        if clear_return:
            writes.append((EF_RETURN, ReturnFile.empty()))
        if parameters is not None:
            writes.append((EF_PARAMETERS, parameters.encode()))
        if amount_fen is not None or purchase_count is not None:
            if amount_fen is None or purchase_count is None:
                raise ValueError("a wallet write needs both the amount and the purchase count")
            writes.append((EF_WALLET, self.sealed_wallet(info, amount_fen=amount_fen,
                                                         purchase_count=purchase_count).encode()))
        if not writes:
            return info
        update_key = self.esam.card_key(version, KeyId.UPDATE, serial)
        challenge = exchange(port, apdu.get_challenge(), "get challenge", length=8)
        for sequence, (ef, data) in enumerate(writes):
            command = mac_update(encrypt, update_key=update_key, challenge=challenge, sequence=sequence,
                                 ef=ef, data=data)
            exchange(port, command, f"update {ef.name}")
        return info
