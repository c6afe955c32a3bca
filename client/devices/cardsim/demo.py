"""The demo's emulator cards and meters: customers' cards as the demo books know them, blank cards, their meters.

TEST keys only (``client/devices/cardsim/keys.py``). A demo customer's card has the serial the server's demo data
registers for it, ``sha256("demo card " + customer_no)[:8]`` (:func:`demo_serial`, the customer number as the books
hold it; the card holds it left-padded with zeros to 12 digits), holds its last purchase
(count N, the amount given) and has been inserted into its meter once since (the return file written, the meter at
count N): a sale onto it is allowed at once. A blank card (for 开户 or 补卡) has the serial
``sha256("demo blank card " + customer_no)[:8]`` and its customer's meter is created unopened.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from client.devices.cardsim.card import CardState, VirtualCard
from client.devices.cardsim.issuer import Issuer
from client.devices.cardsim.keys import Esam, default_test_version
from client.devices.cardsim.meter import MeterSimulator, MeterState, Outcome
from shared_models.cards.crypto import KeyVersion
from shared_models.cards.files import CardInfo, CardType, ParameterFile


def demo_serial(customer_no: str) -> bytes:
    """The serial of a demo customer's card, as the server's demo data registers it."""
    return hashlib.sha256(f"demo card {customer_no}".encode()).digest()[:8]


def blank_serial(customer_no: str) -> bytes:
    """The serial of the demo's blank card put aside for ``customer_no``."""
    return hashlib.sha256(f"demo blank card {customer_no}".encode()).digest()[:8]


def _digits(text: str, what: str, *, sizes: tuple[int, ...] = (12,)) -> str:
    if len(text) not in sizes or not text.isascii() or not text.isdigit():
        raise ValueError(f"{what} {text!r} is not {' or '.join(map(str, sizes))} digits")
    return text


def _customer(text: str) -> str:
    """A customer number as the books hold it (10 or 12 digits; the card holds it left-padded to 12)."""
    return _digits(text, "customer number", sizes=(10, 12))


@dataclasses.dataclass(frozen=True, slots=True)
class IssuedSpec:
    """A demo customer with a card: ``CUSTOMER_NO:METER_NO:COUNT:AMOUNT_FEN``."""

    customer_no: str
    meter_no: str
    purchase_count: int
    amount_fen: int

    @classmethod
    def parse(cls, text: str) -> IssuedSpec:
        """``"330100000001:000000123456:3:10000"``; ValueError naming what is wrong."""
        parts = text.split(":")
        if len(parts) != 4:
            raise ValueError(f"{text!r}: expected CUSTOMER_NO:METER_NO:COUNT:AMOUNT_FEN")
        count, amount = int(parts[2]), int(parts[3])
        if count < 1 or amount < 0:
            raise ValueError(f"{text!r}: the count must be at least 1 and the amount not negative")
        return cls(_customer(parts[0]), _digits(parts[1], "meter number"), count, amount)


@dataclasses.dataclass(frozen=True, slots=True)
class BlankSpec:
    """A customer without a card yet (or one to be replaced): ``CUSTOMER_NO:METER_NO``."""

    customer_no: str
    meter_no: str

    @classmethod
    def parse(cls, text: str) -> BlankSpec:
        """``"330100000009:000000123999"``; ValueError naming what is wrong."""
        parts = text.split(":")
        if len(parts) != 2:
            raise ValueError(f"{text!r}: expected CUSTOMER_NO:METER_NO")
        return cls(_customer(parts[0]), _digits(parts[1], "meter number"))


def issue_card(path: Path, *, serial: bytes, version: KeyVersion | None = None, card_type: CardType,
               customer_no: str, meter_no: str, purchase_count: int, amount_fen: int) -> CardInfo:
    """Write ``path``'s card (a new blank one of ``serial`` when the file is missing) as a ``card_type`` card of
    the customer holding purchase ``purchase_count`` of ``amount_fen``; its return file is cleared."""
    if card_type not in (CardType.OPENING, CardType.PURCHASE, CardType.REPLACEMENT):
        raise ValueError(f"a card is issued as opening, purchase or replacement, not {card_type.name}")
    esam = Esam.test()
    if not path.exists():
        CardState.blank(serial=serial, version=version or default_test_version(), esam=esam).save(path)
    card = VirtualCard.load(path)
    card.reset()
    parameters = ParameterFile(card_type=card_type, meter_no=meter_no, customer_no=customer_no, ct_ratio=1,
                               pt_ratio=1, alarm1_fen=2_000, alarm2_fen=1_000)
    return Issuer(esam).write(card, parameters=parameters, amount_fen=amount_fen, purchase_count=purchase_count)


def write_demo_cards(folder: Path, *, issued: list[IssuedSpec], blank: list[BlankSpec],
                     now: dt.datetime) -> dict[str, Any]:
    """Write the demo's cards and meters into ``folder`` (``card-<customer>.json``, ``blank-<customer>.json``,
    ``meter-<meter>.json``), replacing earlier ones; what was written, as a JSON-able document."""
    folder.mkdir(parents=True, exist_ok=True)
    esam = Esam.test()
    written: dict[str, Any] = {"folder": str(folder), "cards": [], "blank_cards": [], "meters": []}
    for spec in issued:
        card_path = folder / f"card-{spec.customer_no}.json"
        meter_path = folder / f"meter-{spec.meter_no}.json"
        card_path.unlink(missing_ok=True)
        serial = demo_serial(spec.customer_no)
        issue_card(card_path, serial=serial, card_type=CardType.OPENING if spec.purchase_count == 1 else
                   CardType.PURCHASE, customer_no=spec.customer_no.rjust(12, "0"), meter_no=spec.meter_no,
                   purchase_count=spec.purchase_count, amount_fen=spec.amount_fen)
        # the meter as it stood before this last purchase: opened for this card, one count behind
        state = MeterState(meter_no=spec.meter_no)
        if spec.purchase_count > 1:
            state.customer_no, state.serial = spec.customer_no.rjust(12, "0"), serial
            state.purchase_count = spec.purchase_count - 1
        meter = MeterSimulator(state, esam)
        result = meter.insert(VirtualCard.load(card_path), now=now)
        if result.outcome is not Outcome.CREDITED:
            raise ValueError(f"the meter of {spec.customer_no} did not credit its demo card: {result.outcome.value}")
        meter.state.save(meter_path)
        written["cards"].append({"card": str(card_path), "customer_no": spec.customer_no, "serial": serial.hex(),
                                 "purchase_count": spec.purchase_count})
        written["meters"].append({"meter": str(meter_path), "meter_no": spec.meter_no,
                                  "remaining_fen": meter.state.remaining_fen})
    for blank_spec in blank:
        card_path = folder / f"blank-{blank_spec.customer_no}.json"
        meter_path = folder / f"meter-{blank_spec.meter_no}.json"
        serial = blank_serial(blank_spec.customer_no)
        CardState.blank(serial=serial, version=default_test_version(), esam=esam).save(card_path)
        if not meter_path.exists():
            MeterState(meter_no=blank_spec.meter_no).save(meter_path)
        written["blank_cards"].append({"card": str(card_path), "for_customer_no": blank_spec.customer_no,
                                       "serial": serial.hex()})
        written["meters"].append({"meter": str(meter_path), "meter_no": blank_spec.meter_no, "remaining_fen": 0})
    return written
