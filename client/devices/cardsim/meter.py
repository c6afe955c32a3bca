"""The meter simulator: a local-prepayment meter with its ESAM, crediting cards by DOMAIN §7.3 (pure, no I/O).

On insertion it authenticates the card both ways, reads the parameter, wallet and return files, runs the checks
of §7.3 in order (meter number, card type, customer number, registered serial, unopened meter, opening count), then
the wallet MAC (6989) and the purchase-count rule against its own count:

====================  ==============================================================  ===========
card count            what the meter does                                             return file
====================  ==============================================================  ===========
< meter               no credit (an opening/replacement card registers its serial)   written
= meter               no credit (parameters only)                                     written
= meter + 1           credit, only when the return file is empty (else 返写不为空),    written
                      and remaining + amount within the hoarding limit (else 超囤积)   (not on 超囤积)
>= meter + 2          购电次数错, no credit                                            written
====================  ==============================================================  ===========

Choices where DOMAIN is silent (docs/card-format.md): the check "purchase card has the registered serial" applies
on an opened meter (an unopened one answers "not opened", check 5); a card whose serial a replacement superseded is
refused whatever its type ("only the most recently issued card"); 超囤积 leaves the return file alone, or the card
would read 返写不为空 on every later insertion; a failed check writes nothing and counts an illegal insertion.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import secrets
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from client.devices.cardsim.keys import Esam
from shared_models.cards import apdu
from shared_models.cards.apdu import Sw
from shared_models.cards.crypto import KeyId, auth_cryptogram, mac_update, same, wallet_intact
from shared_models.cards.errors import CardFormatError, CardStatusError
from shared_models.cards.files import (
    EF_PARAMETERS,
    EF_RETURN,
    EF_WALLET,
    MAX_AMOUNT_FEN,
    CardInfo,
    CardType,
    ParameterFile,
    ReturnFile,
    WalletFile,
)
from shared_models.cards.image import exchange, select_application
from shared_models.money import round_half_up_to_fen


class Outcome(StrEnum):
    """What an insertion did; the first three are normal, the rest are logged as abnormal."""

    CREDITED = "credited"  # count = meter + 1, return file empty, within the hoarding limit
    NOT_NEWER = "not_newer"  # count < meter
    SAME_COUNT = "same_count"  # count = meter
    RETURN_NOT_EMPTY = "return_not_empty"  # 返写不为空
    HOARDING = "hoarding"  # 超囤积
    COUNT_ERROR = "count_error"  # 购电次数错: count >= meter + 2
    METER_MISMATCH = "meter_mismatch"  # check 1: 表号
    CARD_TYPE = "card_type"  # check 2
    CUSTOMER_MISMATCH = "customer_mismatch"  # check 3: 客户编号
    SERIAL_MISMATCH = "serial_mismatch"  # check 4, and any card a replacement superseded
    NOT_OPENED = "not_opened"  # check 5
    OPENING_COUNT = "opening_count"  # check 6: opening card count not 0 or 1
    WALLET_MAC = "wallet_mac"  # the wallet record's MAC: SW 6989
    AUTH_FAILED = "auth_failed"  # the card failed internal authentication, or its key version is unknown
    CARD_ERROR = "card_error"  # a status word other than 9000, or a file that does not decode


NORMAL = frozenset({Outcome.CREDITED, Outcome.NOT_NEWER, Outcome.SAME_COUNT})


class CardInMeter(Protocol):
    """A card in the meter's slot: powered up, then spoken to."""

    def reset(self) -> bytes:
        """Power the card up; its ATR."""
        ...

    def transmit(self, raw: bytes) -> bytes:
        """One C-APDU."""
        ...


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class InsertResult:
    """The outcome of one insertion, what it credited, whether the return file was written, and the SW if any."""

    outcome: Outcome
    credited_fen: int = 0
    return_written: bool = False
    sw: int | None = None


@dataclasses.dataclass(kw_only=True)
class MeterState:
    """The meter's memory (its ESAM count, registered serial, money), saved as JSON between demo steps."""

    meter_no: str
    hoarding_limit_fen: int = MAX_AMOUNT_FEN
    ct_ratio: int = 1
    pt_ratio: int = 1
    customer_no: str | None = None  # None: not opened
    serial: bytes | None = None
    retired_serials: list[bytes] = dataclasses.field(default_factory=list)
    purchase_count: int = 0
    remaining_fen: int = 0
    overdraft_fen: int = 0
    illegal_inserts: int = 0
    events: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """A JSON document of the state."""
        doc = dataclasses.asdict(self)
        doc["serial"] = self.serial.hex() if self.serial else None
        doc["retired_serials"] = [s.hex() for s in self.retired_serials]
        return doc

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> MeterState:
        """The state saved by :meth:`to_json`."""
        fields = dict(doc)
        fields["serial"] = bytes.fromhex(doc["serial"]) if doc.get("serial") else None
        fields["retired_serials"] = [bytes.fromhex(s) for s in doc.get("retired_serials", [])]
        return cls(**fields)

    def save(self, path: Path) -> None:
        """Write the state to ``path`` (replacing it whole)."""
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(json.dumps(self.to_json(), indent=1), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> MeterState:
        """Read a state saved by :meth:`save`."""
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))


class _Refused(Exception):  # noqa: N818 (a control-flow signal carrying the outcome, not an error)
    def __init__(self, outcome: Outcome, sw: int | None = None) -> None:
        super().__init__(outcome.value)
        self.outcome = outcome
        self.sw = sw


class MeterSimulator:
    """A meter with its state and ESAM; :meth:`insert` a card, :meth:`consume` energy."""

    def __init__(self, state: MeterState, esam: Esam) -> None:
        self.state = state
        self.esam = esam

    def insert(self, card: CardInMeter, *, now: dt.datetime) -> InsertResult:
        """Insert ``card`` at ``now``: authenticate, read, check, apply the count rule, write the return file."""
        card.reset()
        serial: bytes | None = None
        try:
            info, parameters, wallet, returned = self._read(card)
            serial = info.serial
            self._check(info, parameters, wallet)
            return self._apply(card, info, parameters, wallet, returned, now=now)
        except _Refused as refused:
            return self._abnormal(refused.outcome, serial=serial, sw=refused.sw)
        except CardStatusError as exc:
            return self._abnormal(Outcome.CARD_ERROR, serial=serial, sw=exc.sw)
        except CardFormatError:
            return self._abnormal(Outcome.CARD_ERROR, serial=serial, sw=None)

    def consume(self, kwh: Decimal, price_yuan: Decimal) -> int:
        """Use ``kwh`` at ``price_yuan``/kWh: the cost in fen comes off the remaining amount, then overdraft."""
        if kwh < 0:
            raise ValueError("energy used cannot be negative")
        cost = round_half_up_to_fen(kwh * price_yuan)
        paid = min(cost, self.state.remaining_fen)
        self.state.remaining_fen -= paid
        self.state.overdraft_fen += cost - paid
        return cost

    def _read(self, card: CardInMeter) -> tuple[CardInfo, ParameterFile, WalletFile, ReturnFile | None]:
        info = select_application(card)
        version = info.key_version
        if not self.esam.knows(version):
            raise _Refused(Outcome.AUTH_FAILED)
        encrypt = self.esam.encrypt(version)
        random8 = secrets.token_bytes(8)
        answer = exchange(card, apdu.internal_authenticate(KeyId.INTERNAL, random8), "internal authenticate",
                          length=16)
        expected = auth_cryptogram(encrypt, key=self.esam.card_key(version, KeyId.INTERNAL, info.serial),
                                   random8=random8)
        if not same(answer, expected):
            raise _Refused(Outcome.AUTH_FAILED)
        challenge = exchange(card, apdu.get_challenge(), "get challenge", length=8)
        cryptogram = auth_cryptogram(encrypt, key=self.esam.card_key(version, KeyId.EXTERNAL, info.serial),
                                     random8=challenge)
        exchange(card, apdu.external_authenticate(KeyId.EXTERNAL, cryptogram), "external authenticate")
        files = {ef: exchange(card, apdu.read_binary(ef.sfi, ef.size), f"read {ef.name}", length=ef.size)
                 for ef in (EF_PARAMETERS, EF_WALLET, EF_RETURN)}
        return (info, ParameterFile.decode(files[EF_PARAMETERS]), WalletFile.decode(files[EF_WALLET]),
                ReturnFile.decode(files[EF_RETURN]))

    def _check(self, info: CardInfo, parameters: ParameterFile, wallet: WalletFile) -> None:
        state = self.state
        opened = state.customer_no is not None
        if parameters.meter_no != state.meter_no:
            raise _Refused(Outcome.METER_MISMATCH)
        if parameters.card_type not in (CardType.OPENING, CardType.PURCHASE, CardType.REPLACEMENT):
            raise _Refused(Outcome.CARD_TYPE)
        if opened and parameters.customer_no != state.customer_no:
            raise _Refused(Outcome.CUSTOMER_MISMATCH)
        if info.serial in state.retired_serials or (
                opened and parameters.card_type is CardType.PURCHASE and info.serial != state.serial):
            raise _Refused(Outcome.SERIAL_MISMATCH)
        if not opened and parameters.card_type in (CardType.PURCHASE, CardType.REPLACEMENT):
            raise _Refused(Outcome.NOT_OPENED)
        if parameters.card_type is CardType.OPENING and wallet.purchase_count not in (0, 1):
            raise _Refused(Outcome.OPENING_COUNT)
        wallet_key = self.esam.card_key(info.key_version, KeyId.WALLET, info.serial)
        if not wallet_intact(self.esam.encrypt(info.key_version), wallet_key=wallet_key, serial=info.serial,
                             wallet=wallet):
            raise _Refused(Outcome.WALLET_MAC, sw=Sw.WALLET_MAC_WRONG)

    def _apply(self, card: CardInMeter, info: CardInfo, parameters: ParameterFile, wallet: WalletFile,
               returned: ReturnFile | None, *, now: dt.datetime) -> InsertResult:
        state = self.state
        if parameters.card_type is not CardType.PURCHASE:  # opening or replacement: this card is the one now
            if state.customer_no is None:
                state.customer_no = parameters.customer_no
                state.ct_ratio, state.pt_ratio = parameters.ct_ratio, parameters.pt_ratio
            if state.serial is not None and state.serial != info.serial:
                state.retired_serials.append(state.serial)
            state.serial = info.serial
        count, meter = wallet.purchase_count, state.purchase_count
        credited = 0
        if count < meter:
            outcome = Outcome.NOT_NEWER
        elif count == meter:
            outcome = Outcome.SAME_COUNT
        elif count == meter + 1 and returned is not None:
            outcome = Outcome.RETURN_NOT_EMPTY
        elif count == meter + 1:
            balance = state.remaining_fen - state.overdraft_fen + wallet.amount_fen
            if balance > min(state.hoarding_limit_fen, MAX_AMOUNT_FEN):
                return self._abnormal(Outcome.HOARDING, serial=info.serial, sw=None)
            state.remaining_fen, state.overdraft_fen = max(balance, 0), max(-balance, 0)
            state.purchase_count = count
            credited = wallet.amount_fen
            outcome = Outcome.CREDITED
        else:
            outcome = Outcome.COUNT_ERROR
        if outcome not in NORMAL:
            self._log(outcome, serial=info.serial, sw=None)
        written = self._return_write(card, info, now=now)
        return InsertResult(outcome=outcome, credited_fen=credited, return_written=written)

    def _return_write(self, card: CardInMeter, info: CardInfo, *, now: dt.datetime) -> bool:
        state = self.state
        assert state.customer_no is not None  # the checks refuse every card on an unopened meter but an opening one
        record = ReturnFile(ct_ratio=state.ct_ratio, pt_ratio=state.pt_ratio, meter_no=state.meter_no,
                            customer_no=state.customer_no, remaining_fen=state.remaining_fen,
                            purchase_count=state.purchase_count, overdraft_fen=state.overdraft_fen,
                            illegal_inserts=min(state.illegal_inserts, 0xFFFF), written_at=now)
        version = info.key_version
        try:
            challenge = exchange(card, apdu.get_challenge(), "get challenge", length=8)
            command = mac_update(self.esam.encrypt(version),
                                 update_key=self.esam.card_key(version, KeyId.UPDATE, info.serial),
                                 challenge=challenge, sequence=0, ef=EF_RETURN, data=record.encode())
            exchange(card, command, "update return")
        except (CardStatusError, CardFormatError):
            return False
        return True

    def _abnormal(self, outcome: Outcome, *, serial: bytes | None, sw: int | None) -> InsertResult:
        self._log(outcome, serial=serial, sw=sw)
        return InsertResult(outcome=outcome, sw=sw)

    def _log(self, outcome: Outcome, *, serial: bytes | None, sw: int | None) -> None:
        self.state.illegal_inserts += 1
        self.state.events.append({"outcome": outcome.value, "serial": serial.hex() if serial else None,
                                  "sw": f"{sw:04X}" if sw is not None else None})
