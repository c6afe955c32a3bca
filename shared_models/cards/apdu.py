"""ISO 7816-4 short APDUs for the card: command builders, a strict command parser (for the emulator), the
response parser and the status words used (DOMAIN §7.3; PBOC conventions where DOMAIN is silent).

Secure messaging is PBOC-style MAC-only line protection: CLA 0x04, the data field carries the plain data
followed by a 4-byte MAC over ``CLA INS P1 P2 Lc data`` (Lc counting the MAC) chained from the card's last
challenge (see :mod:`shared_models.cards.crypto`).
"""

from __future__ import annotations

import dataclasses
from enum import IntEnum
from typing import Final

from shared_models.cards.errors import CardFault, CardFormatError, CardStatusError

CLA_PLAIN: Final = 0x00
CLA_MAC: Final = 0x04


class Ins(IntEnum):
    """The instructions the card understands."""

    SELECT = 0xA4
    READ_BINARY = 0xB0
    UPDATE_BINARY = 0xD6
    GET_CHALLENGE = 0x84
    INTERNAL_AUTHENTICATE = 0x88
    EXTERNAL_AUTHENTICATE = 0x82


class Sw(IntEnum):
    """Status words the card (and the meter's ESAM) answer with."""

    OK = 0x9000
    AUTH_FAILED = 0x6300  # external authentication: wrong cryptogram
    WRONG_LENGTH = 0x6700
    SECURITY_NOT_SATISFIED = 0x6982  # an update without MAC, or without external authentication
    AUTH_BLOCKED = 0x6983  # too many failed external authentications
    NO_CHALLENGE = 0x6984  # a MAC'd update or external authentication without a fresh GET CHALLENGE
    CONDITIONS_NOT_SATISFIED = 0x6985
    NO_CURRENT_EF = 0x6986
    MAC_WRONG = 0x6988  # the line MAC of an UPDATE BINARY does not verify: nothing written
    WALLET_MAC_WRONG = 0x6989  # the meter's ESAM: the wallet record's MAC does not verify (DOMAIN §7.3)
    WRONG_DATA = 0x6A80
    FILE_NOT_FOUND = 0x6A82
    WRONG_P1P2 = 0x6A86
    OFFSET_OUT_OF_RANGE = 0x6B00
    INS_NOT_SUPPORTED = 0x6D00
    CLA_NOT_SUPPORTED = 0x6E00


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class CommandApdu:
    """A short command APDU (cases 1-4): header, optional data (1..255 bytes), optional Le (0 means 256)."""

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None

    def __post_init__(self) -> None:
        for name in ("cla", "ins", "p1", "p2"):
            value = getattr(self, name)
            if not 0 <= value <= 0xFF:
                raise CardFormatError(CardFault.APDU, f"command.{name}", str(value))
        if len(self.data) > 255:
            raise CardFormatError(CardFault.APDU, "command.data", f"{len(self.data)} bytes")
        if self.le is not None and not 0 <= self.le <= 0xFF:
            raise CardFormatError(CardFault.APDU, "command.le", str(self.le))

    def header(self) -> bytes:
        """CLA INS P1 P2."""
        return bytes([self.cla, self.ins, self.p1, self.p2])

    def encode(self) -> bytes:
        """The APDU's bytes."""
        out = self.header()
        if self.data:
            out += bytes([len(self.data)]) + self.data
        if self.le is not None:
            out += bytes([self.le])
        return out

    @classmethod
    def decode(cls, raw: bytes) -> CommandApdu:
        """Parse a short APDU; anything else (extended length, a wrong Lc) is a :class:`CardFormatError`."""
        if len(raw) < 4:
            raise CardFormatError(CardFault.APDU, "command", f"{len(raw)} bytes")
        cla, ins, p1, p2 = raw[:4]
        body = raw[4:]
        if not body:
            return cls(cla=cla, ins=ins, p1=p1, p2=p2)
        if len(body) == 1:
            return cls(cla=cla, ins=ins, p1=p1, p2=p2, le=body[0])
        lc = body[0]
        if lc == 0:
            raise CardFormatError(CardFault.APDU, "command.lc", "extended length")
        if len(body) == 1 + lc:
            return cls(cla=cla, ins=ins, p1=p1, p2=p2, data=bytes(body[1:]))
        if len(body) == 2 + lc:
            return cls(cla=cla, ins=ins, p1=p1, p2=p2, data=bytes(body[1:-1]), le=body[-1])
        raise CardFormatError(CardFault.APDU, "command.lc", f"Lc {lc} with {len(body) - 1} bytes after it")


@dataclasses.dataclass(frozen=True, slots=True)
class ResponseApdu:
    """A response APDU: data and the status word."""

    data: bytes
    sw: int

    @classmethod
    def decode(cls, raw: bytes | list[int]) -> ResponseApdu:
        """Parse a card's answer (bytes, or pyscard's list of ints); fewer than 2 bytes is a CardFormatError."""
        data = bytes(raw)
        if len(data) < 2:
            raise CardFormatError(CardFault.APDU, "response", f"{len(data)} bytes")
        return cls(data[:-2], int.from_bytes(data[-2:], "big"))

    def encode(self) -> bytes:
        """Data then SW1 SW2."""
        return self.data + self.sw.to_bytes(2, "big")

    def expect(self, command: str, *, length: int | None = None) -> bytes:
        """The data of a 9000 answer (of exactly ``length`` bytes when given); otherwise a typed error."""
        if self.sw != Sw.OK:
            raise CardStatusError(self.sw, command)
        if length is not None and len(self.data) != length:
            raise CardFormatError(CardFault.LENGTH, command, f"{len(self.data)} bytes, expected {length}")
        return self.data


def select(fid: int) -> CommandApdu:
    """SELECT by file id (P1 00): 3F00 for the MF, DF01, or an EF of the current DF."""
    return CommandApdu(cla=CLA_PLAIN, ins=Ins.SELECT, p1=0x00, p2=0x00, data=fid.to_bytes(2, "big"))


def read_binary(sfi: int, length: int, offset: int = 0) -> CommandApdu:
    """READ BINARY of ``length`` bytes of the EF with short file id ``sfi`` (P1 = 0x80 | sfi, P2 = offset)."""
    _check_sfi(sfi, offset)
    if not 1 <= length <= 256:
        raise CardFormatError(CardFault.APDU, "read_binary.length", str(length))
    return CommandApdu(cla=CLA_PLAIN, ins=Ins.READ_BINARY, p1=0x80 | sfi, p2=offset, le=length & 0xFF)


def update_binary_header(sfi: int, data_length: int, offset: int = 0) -> bytes:
    """The 5 bytes ``CLA INS P1 P2 Lc`` a MAC'd UPDATE BINARY of ``data_length`` plain bytes starts with."""
    _check_sfi(sfi, offset)
    if not 1 <= data_length <= 251:
        raise CardFormatError(CardFault.APDU, "update_binary.length", str(data_length))
    return bytes([CLA_MAC, Ins.UPDATE_BINARY, 0x80 | sfi, offset, data_length + 4])


def update_binary(sfi: int, data: bytes, mac: bytes, offset: int = 0) -> CommandApdu:
    """A MAC'd UPDATE BINARY (CLA 04) of ``data`` into the EF ``sfi``; ``mac`` from the key service."""
    header = update_binary_header(sfi, len(data), offset)
    if len(mac) != 4:
        raise CardFormatError(CardFault.LENGTH, "update_binary.mac", f"{len(mac)} bytes")
    return CommandApdu(cla=header[0], ins=header[1], p1=header[2], p2=header[3], data=bytes(data) + bytes(mac))


def get_challenge() -> CommandApdu:
    """GET CHALLENGE for 8 random bytes."""
    return CommandApdu(cla=CLA_PLAIN, ins=Ins.GET_CHALLENGE, p1=0, p2=0, le=8)


def internal_authenticate(key_id: int, random8: bytes) -> CommandApdu:
    """INTERNAL AUTHENTICATE: the card encrypts the terminal's 8 random bytes under its key ``key_id``."""
    if len(random8) != 8:
        raise CardFormatError(CardFault.LENGTH, "internal_authenticate.random", f"{len(random8)} bytes")
    return CommandApdu(cla=CLA_PLAIN, ins=Ins.INTERNAL_AUTHENTICATE, p1=0, p2=key_id, data=bytes(random8), le=16)


def external_authenticate(key_id: int, cryptogram: bytes) -> CommandApdu:
    """EXTERNAL AUTHENTICATE: the terminal proves its key ``key_id`` over the card's last challenge."""
    if len(cryptogram) != 16:
        raise CardFormatError(CardFault.LENGTH, "external_authenticate.cryptogram", f"{len(cryptogram)} bytes")
    return CommandApdu(cla=CLA_PLAIN, ins=Ins.EXTERNAL_AUTHENTICATE, p1=0, p2=key_id, data=bytes(cryptogram))


def _check_sfi(sfi: int, offset: int) -> None:
    if not 1 <= sfi <= 30:
        raise CardFormatError(CardFault.APDU, "sfi", str(sfi))
    if not 0 <= offset <= 0xFF:
        raise CardFormatError(CardFault.APDU, "offset", str(offset))
