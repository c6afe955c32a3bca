"""Writes cards as the counter and the key service together will (issue 14 part 2), with the TEST keys.

For tests, the demo and developers only: it holds an :class:`~client.devices.cardsim.keys.Esam` with master keys,
which a counter never does. The writes follow docs/card-format.md §5: one challenge for the whole write, in the
order of :func:`~shared_models.cards.image.write_plan` (parameters after an EXTERNAL AUTHENTICATE).
"""

from __future__ import annotations

from client.devices.cardsim.keys import Esam
from shared_models.cards import apdu
from shared_models.cards.crypto import KeyId, auth_cryptogram, seal_wallet
from shared_models.cards.files import CardInfo, ParameterFile, WalletFile
from shared_models.cards.image import CardPort, exchange, mac_plan, select_application, write_plan


class Issuer:
    """Builds and sends the MAC'd writes of an opening, a sale or a replacement, keys from its ESAM."""

    def __init__(self, esam: Esam) -> None:
        self.esam = esam

    def sealed_wallet(self, info: CardInfo, *, amount_fen: int, purchase_count: int) -> WalletFile:
        """The wallet record of a purchase on the card ``info``, MAC'd under its wallet key."""
        return seal_wallet(self.esam.encrypt(info.key_version),
                           wallet_key=self.esam.card_key(info.key_version, KeyId.WALLET, info.serial),
                           serial=info.serial, amount_fen=amount_fen, purchase_count=purchase_count)

    def write(self, port: CardPort, *, parameters: ParameterFile | None = None, amount_fen: int | None = None,
              purchase_count: int | None = None, clear_return: bool = True) -> CardInfo:
        """Write the card: clear its return file, then the parameters (when given), then the wallet (when given)."""
        if (amount_fen is None) != (purchase_count is None):
            raise ValueError("a wallet write needs both the amount and the purchase count")
        info = select_application(port)
        version, serial = info.key_version, info.serial
        encrypt = self.esam.encrypt(version)
        if parameters is not None:
            challenge = exchange(port, apdu.get_challenge(), "get challenge", length=8)
            cryptogram = auth_cryptogram(encrypt, key=self.esam.card_key(version, KeyId.EXTERNAL, serial),
                                         random8=challenge)
            exchange(port, apdu.external_authenticate(KeyId.EXTERNAL, cryptogram), "external authenticate")
        wallet = None
        if amount_fen is not None and purchase_count is not None:
            wallet = self.sealed_wallet(info, amount_fen=amount_fen, purchase_count=purchase_count)
        plan = write_plan(parameters=parameters, wallet=wallet, clear_return=clear_return)
        if not plan:
            return info
        challenge = exchange(port, apdu.get_challenge(), "get challenge", length=8)
        commands = mac_plan(encrypt, update_key=self.esam.card_key(version, KeyId.UPDATE, serial),
                            challenge=challenge, plan=plan)
        for (ef, _), command in zip(plan, commands, strict=True):
            exchange(port, command, f"update {ef.name}")
        return info
