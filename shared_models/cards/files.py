"""The card's files (DOMAIN §7.2, SPEC §6.2): their ids, layouts and strict encode/decode.

Every decoder takes the exact bytes the card returned and either gives a frozen record or raises
:class:`~shared_models.cards.errors.CardFormatError` (wrong length, a bad BCD nibble, an unknown card
type, a broken return-file frame or checksum, a value out of range); never an IndexError or struct.error.
Multi-byte integers are big-endian; money is integer fen. Layouts are in docs/card-format.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import struct
from enum import IntEnum
from typing import Final

from shared_models.cards.errors import CardFault, CardFormatError

#: The meter refuses remaining + purchase above 999 999.99 yuan (DOMAIN §7.2), so no card amount exceeds it.
MAX_AMOUNT_FEN: Final = 99_999_999
MAX_COUNT: Final = 0xFFFF_FFFF
MAX_RATIO: Final = 9_999
#: Meters keep Beijing time; the return file's YYMMDDhhmm is read in it.
BEIJING: Final = dt.timezone(dt.timedelta(hours=8), "CST")

MF: Final = 0x3F00
DF01: Final = 0xDF01


@dataclasses.dataclass(frozen=True, slots=True)
class EfId:
    """An elementary file of DF01: its file id (SELECT), short file id (READ/UPDATE BINARY) and exact size."""

    name: str
    fid: int
    sfi: int
    size: int


_PARAMETER_LAYOUT: Final = ">BBIIHH6s6s"
_WALLET_LAYOUT: Final = ">II4s"
_RETURN_BODY_LAYOUT: Final = ">BHH6s6sIIIH5s"

EF_PARAMETERS: Final = EfId("parameters", 0x0001, 0x01, 26)
EF_WALLET: Final = EfId("wallet", 0x0002, 0x02, 12)
EF_RETURN: Final = EfId("return", 0x0005, 0x05, 38)
EF_INFO: Final = EfId("info", 0x0015, 0x15, 9)
ALL_EFS: Final = (EF_PARAMETERS, EF_WALLET, EF_RETURN, EF_INFO)


class CardType(IntEnum):
    """The card type byte of the parameter file; BLANK is a card never opened (every byte zero)."""

    BLANK = 0x00
    OPENING = 0x01  # 开户卡
    PURCHASE = 0x02  # 购电卡
    REPLACEMENT = 0x03  # 补卡
    PRESET = 0x04  # 预置卡: factory/test, accepted only by a meter on test keys (this project's meters refuse it)


def _check_length(data: bytes, size: int, what: str) -> None:
    if not isinstance(data, bytes | bytearray):
        raise CardFormatError(CardFault.LENGTH, what, "not bytes")
    if len(data) != size:
        raise CardFormatError(CardFault.LENGTH, what, f"{len(data)} bytes, expected {size}")


def _check_range(value: int, low: int, high: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise CardFormatError(CardFault.RANGE, what, f"{value!r} not in {low}..{high}")


def encode_bcd(digits: str, size: int, what: str) -> bytes:
    """``digits`` (exactly ``2 * size`` ASCII digits) packed two to a byte, the first digit in the high nibble."""
    if len(digits) != 2 * size or not digits.isascii() or not digits.isdigit():
        raise CardFormatError(CardFault.BCD, what, f"{len(digits)} characters, expected {2 * size} digits")
    return bytes.fromhex(digits)


def decode_bcd(data: bytes, what: str) -> str:
    """The digits of packed BCD; a nibble above 9 is a :class:`CardFormatError`."""
    text = bytes(data).hex()
    if not text.isdigit():
        raise CardFormatError(CardFault.BCD, what, text)
    return text


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class CardInfo:
    """EF 0015, written at personalisation and never again: the card serial (8 bytes) and its key version."""

    serial: bytes
    key_version: int

    def __post_init__(self) -> None:
        _check_length(self.serial, 8, "info.serial")
        _check_range(self.key_version, 1, 255, "info.key_version")

    def encode(self) -> bytes:
        """The file's 9 bytes."""
        return bytes(self.serial) + bytes([self.key_version])

    @classmethod
    def decode(cls, data: bytes) -> CardInfo:
        """Read EF 0015."""
        _check_length(data, EF_INFO.size, "info")
        return cls(serial=bytes(data[:8]), key_version=data[8])


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class ParameterFile:
    """EF 0001: card type, update flags, alarm amounts 1/2, CT and PT ratio, meter number and customer number."""

    card_type: CardType
    meter_no: str  # 12 digits (6 bytes BCD)
    customer_no: str  # 12 digits (6 bytes BCD)
    ct_ratio: int = 1
    pt_ratio: int = 1
    alarm1_fen: int = 0
    alarm2_fen: int = 0
    update_flags: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.card_type, CardType):
            raise CardFormatError(CardFault.CARD_TYPE, "parameters.card_type", repr(self.card_type))
        encode_bcd(self.meter_no, 6, "parameters.meter_no")
        encode_bcd(self.customer_no, 6, "parameters.customer_no")
        _check_range(self.update_flags, 0, 0xFF, "parameters.update_flags")
        _check_range(self.alarm1_fen, 0, MAX_AMOUNT_FEN, "parameters.alarm1_fen")
        _check_range(self.alarm2_fen, 0, MAX_AMOUNT_FEN, "parameters.alarm2_fen")
        if self.card_type is CardType.BLANK:
            rest = (self.meter_no, self.customer_no, self.ct_ratio, self.pt_ratio, self.alarm1_fen,
                    self.alarm2_fen, self.update_flags)
            if rest != ("0" * 12, "0" * 12, 0, 0, 0, 0, 0):
                raise CardFormatError(CardFault.RANGE, "parameters", "a blank card holds nothing but zeros")
            return
        _check_range(self.ct_ratio, 1, MAX_RATIO, "parameters.ct_ratio")
        _check_range(self.pt_ratio, 1, MAX_RATIO, "parameters.pt_ratio")

    def encode(self) -> bytes:
        """The file's 26 bytes."""
        return struct.pack(
            _PARAMETER_LAYOUT, self.card_type, self.update_flags, self.alarm1_fen, self.alarm2_fen,
            self.ct_ratio, self.pt_ratio, encode_bcd(self.meter_no, 6, "parameters.meter_no"),
            encode_bcd(self.customer_no, 6, "parameters.customer_no"))

    @classmethod
    def decode(cls, data: bytes) -> ParameterFile:
        """Read EF 0001."""
        _check_length(data, EF_PARAMETERS.size, "parameters")
        card_type, flags, alarm1, alarm2, ct, pt, meter, customer = struct.unpack(_PARAMETER_LAYOUT, data)
        try:
            kind = CardType(card_type)
        except ValueError:
            raise CardFormatError(CardFault.CARD_TYPE, "parameters.card_type", f"0x{card_type:02X}") from None
        return cls(card_type=kind, update_flags=flags, alarm1_fen=alarm1, alarm2_fen=alarm2, ct_ratio=ct,
                   pt_ratio=pt, meter_no=decode_bcd(meter, "parameters.meter_no"),
                   customer_no=decode_bcd(customer, "parameters.customer_no"))

    @classmethod
    def blank(cls) -> ParameterFile:
        """The parameter file of a card never opened: every byte zero."""
        return cls(card_type=CardType.BLANK, meter_no="0" * 12, customer_no="0" * 12, ct_ratio=0, pt_ratio=0)


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class WalletFile:
    """EF 0002: the purchase amount in fen, the purchase count 购电次数, and the 4-byte MAC over both."""

    amount_fen: int
    purchase_count: int
    mac: bytes = bytes(4)

    def __post_init__(self) -> None:
        _check_range(self.amount_fen, 0, MAX_AMOUNT_FEN, "wallet.amount_fen")
        _check_range(self.purchase_count, 0, MAX_COUNT, "wallet.purchase_count")
        _check_length(self.mac, 4, "wallet.mac")

    def body(self) -> bytes:
        """The 8 bytes the MAC covers: amount then count."""
        return struct.pack(">II", self.amount_fen, self.purchase_count)

    def encode(self) -> bytes:
        """The file's 12 bytes."""
        return struct.pack(_WALLET_LAYOUT, self.amount_fen, self.purchase_count, bytes(self.mac))

    @classmethod
    def decode(cls, data: bytes) -> WalletFile:
        """Read EF 0002 (the MAC is checked by whoever holds the key, not here)."""
        _check_length(data, EF_WALLET.size, "wallet")
        amount, count, mac = struct.unpack(_WALLET_LAYOUT, data)
        return cls(amount_fen=amount, purchase_count=count, mac=mac)


def _encode_time(moment: dt.datetime) -> bytes:
    if moment.tzinfo is None:
        raise CardFormatError(CardFault.RANGE, "return.written_at", "a naive time")
    local = moment.astimezone(BEIJING)
    if not 2000 <= local.year <= 2099:
        raise CardFormatError(CardFault.RANGE, "return.written_at", str(local.year))
    return encode_bcd(local.strftime("%y%m%d%H%M"), 5, "return.written_at")


def _decode_time(data: bytes) -> dt.datetime:
    digits = decode_bcd(data, "return.written_at")
    try:
        return dt.datetime.strptime(digits, "%y%m%d%H%M").replace(tzinfo=BEIJING, year=2000 + int(digits[:2]))
    except ValueError:
        raise CardFormatError(CardFault.RANGE, "return.written_at", digits) from None


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class ReturnFile:
    """EF 0005, the 返写文件 the meter writes when the card is inserted; all zeros (``None``) when empty.

    Framed like a DL/T 645 frame: 0x68, the body, a checksum (sum of every byte from the 0x68 on, mod 256), 0x16.
    """

    ct_ratio: int
    pt_ratio: int
    meter_no: str
    customer_no: str
    remaining_fen: int
    purchase_count: int
    overdraft_fen: int
    illegal_inserts: int
    written_at: dt.datetime

    def __post_init__(self) -> None:
        _check_range(self.ct_ratio, 0, MAX_RATIO, "return.ct_ratio")
        _check_range(self.pt_ratio, 0, MAX_RATIO, "return.pt_ratio")
        encode_bcd(self.meter_no, 6, "return.meter_no")
        encode_bcd(self.customer_no, 6, "return.customer_no")
        _check_range(self.remaining_fen, 0, MAX_AMOUNT_FEN, "return.remaining_fen")
        _check_range(self.purchase_count, 0, MAX_COUNT, "return.purchase_count")
        _check_range(self.overdraft_fen, 0, MAX_AMOUNT_FEN, "return.overdraft_fen")
        _check_range(self.illegal_inserts, 0, 0xFFFF, "return.illegal_inserts")
        _encode_time(self.written_at)

    def encode(self) -> bytes:
        """The file's 38 bytes."""
        frame = struct.pack(
            _RETURN_BODY_LAYOUT, 0x68, self.ct_ratio, self.pt_ratio, encode_bcd(self.meter_no, 6, "return.meter_no"),
            encode_bcd(self.customer_no, 6, "return.customer_no"), self.remaining_fen, self.purchase_count,
            self.overdraft_fen, self.illegal_inserts, _encode_time(self.written_at))
        return frame + bytes([sum(frame) & 0xFF, 0x16])

    @staticmethod
    def empty() -> bytes:
        """The bytes of an empty return file (the counter writes them with each sale)."""
        return bytes(EF_RETURN.size)

    @classmethod
    def decode(cls, data: bytes) -> ReturnFile | None:
        """Read EF 0005: ``None`` when empty (all zeros), else the framed record, checked."""
        _check_length(data, EF_RETURN.size, "return")
        if not any(data):
            return None
        if data[0] != 0x68 or data[-1] != 0x16:
            raise CardFormatError(CardFault.FRAME, "return", f"{data[0]:02X}..{data[-1]:02X}")
        if sum(data[:-2]) & 0xFF != data[-2]:
            raise CardFormatError(CardFault.CHECKSUM, "return")
        _, ct, pt, meter, customer, remaining, count, overdraft, illegal, moment = struct.unpack(
            _RETURN_BODY_LAYOUT, data[:-2])
        return cls(ct_ratio=ct, pt_ratio=pt, meter_no=decode_bcd(meter, "return.meter_no"),
                   customer_no=decode_bcd(customer, "return.customer_no"), remaining_fen=remaining,
                   purchase_count=count, overdraft_fen=overdraft, illegal_inserts=illegal,
                   written_at=_decode_time(moment))
