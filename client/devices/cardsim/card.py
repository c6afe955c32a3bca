"""The emulated CPU card: its persistent state (serial, key version, diversified keys, file contents) and its
APDU machine (SELECT, READ BINARY, GET CHALLENGE, INTERNAL/EXTERNAL AUTHENTICATE, MAC'd UPDATE BINARY).

Access rules (docs/card-format.md): every EF reads freely; EF 0015 (serial, key version) is never written after
personalisation; every UPDATE BINARY needs CLA 04 and a line MAC under the card's update key chained from a fresh
challenge (6982 without, 6984 without a challenge, 6988 when wrong: nothing written); the parameter file also
needs an EXTERNAL AUTHENTICATE earlier in the same session. The state is saved to its JSON file (atomically)
after every accepted write, so the demo, the vpcd link and the meter simulator can hand one card around.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import operator
import os
import secrets
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from client.devices.cardsim.keys import Esam, encryptor
from shared_models.cards.apdu import CLA_MAC, CLA_PLAIN, CommandApdu, Ins, Sw
from shared_models.cards.crypto import CARD_KEYS, KeyId, KeyVersion, Suite, auth_cryptogram, line_mac, same
from shared_models.cards.errors import CardFormatError
from shared_models.cards.files import ALL_EFS, DF01, EF_INFO, EF_PARAMETERS, MF, CardInfo, EfId, ParameterFile

log = logging.getLogger(__name__)

#: T=1 card, 8 historical bytes "GCCARD01", TCK last (ISO 7816-3).
_ATR_BODY: Final = bytes([0x3B, 0x88, 0x80, 0x01]) + b"GCCARD01"
ATR: Final = _ATR_BODY + bytes([functools.reduce(operator.xor, _ATR_BODY[1:], 0)])
MAX_AUTH_FAILURES: Final = 5


@dataclasses.dataclass(kw_only=True)
class CardState:
    """What the card remembers across power cycles: personalisation, keys, files and failed-auth counter."""

    serial: bytes
    version: KeyVersion
    keys: dict[KeyId, bytes]
    files: dict[int, bytes]  # fid -> content
    auth_failures: int = 0

    @classmethod
    def blank(cls, *, serial: bytes, version: KeyVersion, esam: Esam) -> CardState:
        """A personalised, never opened card: serial and keys set, every other file zeros."""
        files = {ef.fid: bytes(ef.size) for ef in ALL_EFS}
        files[EF_INFO.fid] = CardInfo(serial=serial, key_version=version.number).encode()
        return cls(serial=serial, version=version, keys=esam.card_keys(version.number, serial), files=files)

    def to_json(self) -> dict[str, Any]:
        """A JSON document of the state (keys in hex: this is a test card)."""
        return {"serial": self.serial.hex(), "key_version": self.version.number, "suite": self.version.suite.value,
                "keys": {str(int(k)): v.hex() for k, v in self.keys.items()},
                "files": {f"{fid:04X}": data.hex() for fid, data in self.files.items()},
                "auth_failures": self.auth_failures}

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> CardState:
        """The state saved by :meth:`to_json`; a document that does not fit is a ValueError."""
        try:
            state = cls(serial=bytes.fromhex(doc["serial"]),
                        version=KeyVersion(int(doc["key_version"]), Suite(doc["suite"])),
                        keys={KeyId(int(k)): bytes.fromhex(v) for k, v in doc["keys"].items()},
                        files={int(fid, 16): bytes.fromhex(data) for fid, data in doc["files"].items()},
                        auth_failures=int(doc.get("auth_failures", 0)))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"not a card state: {exc}") from exc
        if set(state.keys) != set(CARD_KEYS) or {ef.fid: ef.size for ef in ALL_EFS} != {
                fid: len(data) for fid, data in state.files.items()}:
            raise ValueError("not a card state: keys or files missing or of the wrong size")
        return state

    def save(self, path: Path) -> None:
        """Write the state to ``path`` atomically (a crash leaves the old file or the new one, never half)."""
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(self.to_json(), out, indent=1)
                out.flush()
                os.fsync(out.fileno())
            Path(tmp).replace(path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> CardState:
        """Read a state saved by :meth:`save`."""
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))


class _Refusal(Exception):  # noqa: N818 (a control-flow signal carrying the status word, not an error)
    """Ends a command with status word ``sw`` (no data)."""

    def __init__(self, sw: int) -> None:
        super().__init__(f"{sw:04X}")
        self.sw = sw


class VirtualCard:
    """A card in a reader (or a meter): answers C-APDUs with R-APDUs; thread-safe, one command at a time."""

    def __init__(self, state: CardState, *, path: Path | None = None) -> None:
        self.state = state
        self.path = path
        self._lock = threading.Lock()
        self._encrypt = encryptor(state.version.suite)
        self._df: int | None = None
        self._ef: EfId | None = None
        self._challenge: bytes | None = None
        self._sequence = 0
        self._external_ok = False
        self._handlers: dict[int, Callable[[CommandApdu, bytes | None], bytes]] = {
            Ins.SELECT: self._select, Ins.READ_BINARY: self._read, Ins.GET_CHALLENGE: self._get_challenge,
            Ins.INTERNAL_AUTHENTICATE: self._internal, Ins.EXTERNAL_AUTHENTICATE: self._external,
            Ins.UPDATE_BINARY: self._update}

    @classmethod
    def load(cls, path: Path) -> VirtualCard:
        """The card saved at ``path``; it saves itself back there after each write."""
        return cls(CardState.load(path), path=path)

    def reset(self) -> bytes:
        """Power on or reset: forget the selection, the challenge and the authentication; answer the ATR."""
        with self._lock:
            self._df = None
            self._ef = None
            self._challenge = None
            self._sequence = 0
            self._external_ok = False
        return ATR

    def file(self, ef: EfId) -> bytes:
        """The current content of ``ef`` (for tests and the ``show`` command)."""
        with self._lock:
            return self.state.files[ef.fid]

    def parameters(self) -> ParameterFile:
        """The decoded parameter file."""
        return ParameterFile.decode(self.file(EF_PARAMETERS))

    def transmit(self, raw: bytes) -> bytes:
        """Answer one C-APDU."""
        with self._lock:
            challenge, self._challenge = self._challenge, None  # a challenge serves the very next command only
            try:
                command = CommandApdu.decode(raw)
                if command.cla not in (CLA_PLAIN, CLA_MAC):
                    raise _Refusal(Sw.CLA_NOT_SUPPORTED)
                handler = self._handlers.get(command.ins)
                if handler is None:
                    raise _Refusal(Sw.INS_NOT_SUPPORTED)
                return handler(command, challenge) + Sw.OK.to_bytes(2, "big")
            except CardFormatError:
                return Sw.WRONG_LENGTH.to_bytes(2, "big")
            except _Refusal as refusal:
                return refusal.sw.to_bytes(2, "big")

    def _ef_by_sfi(self, sfi: int) -> EfId:
        ef = next((ef for ef in ALL_EFS if ef.sfi == sfi), None) if self._df == DF01 else None
        if ef is None:
            raise _Refusal(Sw.FILE_NOT_FOUND)
        return ef

    def _select(self, command: CommandApdu, _challenge: bytes | None) -> bytes:
        if command.p1 != 0 or command.p2 != 0:
            raise _Refusal(Sw.WRONG_P1P2)
        if len(command.data) != 2:
            raise _Refusal(Sw.WRONG_LENGTH)
        fid = int.from_bytes(command.data, "big")
        if fid in (MF, DF01):
            self._df, self._ef = fid, None
        elif self._df == DF01 and (ef := next((e for e in ALL_EFS if e.fid == fid), None)) is not None:
            self._ef = ef
        else:
            raise _Refusal(Sw.FILE_NOT_FOUND)
        return b""

    def _target(self, command: CommandApdu) -> tuple[EfId, int]:
        """The EF and offset a READ/UPDATE BINARY addresses (P1 bit 8: by SFI, P2 the offset; else the current EF)."""
        if command.p1 & 0x80:
            if command.p1 & 0x60:
                raise _Refusal(Sw.WRONG_P1P2)
            return self._ef_by_sfi(command.p1 & 0x1F), command.p2
        if self._ef is None:
            raise _Refusal(Sw.NO_CURRENT_EF)
        return self._ef, (command.p1 << 8) | command.p2

    def _read(self, command: CommandApdu, _challenge: bytes | None) -> bytes:
        if command.cla != CLA_PLAIN:
            raise _Refusal(Sw.CLA_NOT_SUPPORTED)
        if command.data:
            raise _Refusal(Sw.WRONG_LENGTH)
        ef, offset = self._target(command)
        self._ef = ef
        content = self.state.files[ef.fid]
        if offset >= len(content):
            raise _Refusal(Sw.OFFSET_OUT_OF_RANGE)
        rest = content[offset:]
        if command.le is None or command.le > len(rest):
            raise _Refusal(Sw.WRONG_LENGTH)
        return rest[:command.le or 256]

    def _get_challenge(self, command: CommandApdu, _challenge: bytes | None) -> bytes:
        if command.cla != CLA_PLAIN or command.p1 or command.p2:
            raise _Refusal(Sw.WRONG_P1P2)
        if command.data or command.le != 8:
            raise _Refusal(Sw.WRONG_LENGTH)
        self._challenge = secrets.token_bytes(8)
        self._sequence = 0
        return self._challenge

    def _internal(self, command: CommandApdu, _challenge: bytes | None) -> bytes:
        if command.p1 != 0 or command.p2 != KeyId.INTERNAL:
            raise _Refusal(Sw.WRONG_P1P2)
        if len(command.data) != 8:
            raise _Refusal(Sw.WRONG_LENGTH)
        return auth_cryptogram(self._encrypt, key=self.state.keys[KeyId.INTERNAL], random8=command.data)

    def _external(self, command: CommandApdu, challenge: bytes | None) -> bytes:
        if command.p1 != 0 or command.p2 != KeyId.EXTERNAL:
            raise _Refusal(Sw.WRONG_P1P2)
        if len(command.data) != 16 or command.le is not None:
            raise _Refusal(Sw.WRONG_LENGTH)
        if self.state.auth_failures >= MAX_AUTH_FAILURES:
            raise _Refusal(Sw.AUTH_BLOCKED)
        if challenge is None:
            raise _Refusal(Sw.NO_CHALLENGE)
        expected = auth_cryptogram(self._encrypt, key=self.state.keys[KeyId.EXTERNAL], random8=challenge)
        if not same(expected, command.data):
            self.state.auth_failures += 1
            self._persist()
            raise _Refusal(0x63C0 | (MAX_AUTH_FAILURES - self.state.auth_failures))
        if self.state.auth_failures:
            self.state.auth_failures = 0
            self._persist()
        self._external_ok = True
        return b""

    def _update(self, command: CommandApdu, challenge: bytes | None) -> bytes:
        if command.cla != CLA_MAC:
            raise _Refusal(Sw.SECURITY_NOT_SATISFIED)
        ef, offset = self._target(command)
        if ef == EF_INFO or (ef == EF_PARAMETERS and not self._external_ok):
            raise _Refusal(Sw.SECURITY_NOT_SATISFIED)
        if challenge is None:
            raise _Refusal(Sw.NO_CHALLENGE)
        if len(command.data) < 5 or command.le is not None:
            raise _Refusal(Sw.WRONG_LENGTH)
        data, mac = command.data[:-4], command.data[-4:]
        expected = line_mac(self._encrypt, key=self.state.keys[KeyId.UPDATE], challenge=challenge,
                            sequence=self._sequence, header=command.header() + bytes([len(command.data)]), data=data)
        if not same(expected, mac):
            log.info("card %s: wrong line MAC on update of %s, nothing written", self.state.serial.hex(), ef.name)
            raise _Refusal(Sw.MAC_WRONG)
        content = self.state.files[ef.fid]
        if offset + len(data) > len(content):
            raise _Refusal(Sw.WRONG_LENGTH)
        self.state.files[ef.fid] = content[:offset] + data + content[offset + len(data):]
        self._persist()
        # The challenge stays valid for the next MAC'd update, one step further along its sequence.
        self._challenge = challenge
        self._sequence += 1
        return b""

    def _persist(self) -> None:
        if self.path is not None:
            self.state.save(self.path)

