"""The PC/SC card reader as a device: every pyscard call on its own ``card_reader`` thread, events from a watcher.

Two threads, two jobs (docs/card-reader.md):

* the **device thread** (:class:`~client.devices.device_thread.DeviceThread` ``card_reader``) runs every call that
  talks to the card: :meth:`CardReader.read_image`, :meth:`CardReader.get_challenge`, :meth:`CardReader.transmit_all`.
  Each returns a Future at once; the UI wraps it in its Op runner, like the receipt printer's.
* the **watcher thread** only *observes*: ``SCardGetStatusChange`` with a short timeout on a PC/SC context of its
  own, and reports reader present/absent and card inserted/removed to the listeners (:meth:`CardReader.subscribe`).
  It never sends an APDU, so it can never come between a GET CHALLENGE and the MAC'd writes that use it.

After each insertion the device thread reads the card once and publishes the result (:attr:`ReaderState.CARD_READ`
or :attr:`ReaderState.CARD_UNREADABLE`), so the status bar and the card screen share one read.

**One connection per inserted card**, cached on the device thread and dropped when the card goes. A connection per
job would be simpler, but a MAC'd write spans two jobs (GET CHALLENGE, then the server's commands) and the card keeps
its challenge and its DF01 selection only within one power session: with no handle open, pcscd may power the card
down between the jobs, and a new handle could land on a card swapped in meanwhile. With the handle kept, a removed or
reset card shows on that handle (SCARD_W_REMOVED_CARD / SCARD_W_RESET_CARD), and the write fails cleanly instead.

Faults are :class:`CardReaderError` with a :class:`ReaderFault` code (the UI maps it to a sentence); no pyscard
exception or hresult leaves this module. No Qt here.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from enum import StrEnum
from types import TracebackType
from typing import Any, Final, Self, TypeVar

from smartcard import scard

from client.core.config import CardReaderConfig
from client.devices.device_thread import DeviceThread, on_device_thread
from shared_models.cards import apdu
from shared_models.cards.apdu import CommandApdu, Ins, ResponseApdu, Sw
from shared_models.cards.errors import CardFormatError, CardStatusError
from shared_models.cards.files import ALL_EFS, CardType
from shared_models.cards.image import CardImage, exchange, read_card, select_application

log = logging.getLogger(__name__)

DEVICE: Final = "card_reader"
T = TypeVar("T")


def _code(name: str) -> int:
    return int(getattr(scard, name)) & 0xFFFF_FFFF


# PC/SC results, unsigned (pyscard hands some back as negative ints).
_OK: Final = 0
_E_CANCELLED: Final = _code("SCARD_E_CANCELLED")
_E_TIMEOUT: Final = _code("SCARD_E_TIMEOUT")
_E_NOT_TRANSACTED: Final = _code("SCARD_E_NOT_TRANSACTED")  # pcscd has not polled the reader since a swap
_E_NO_SMARTCARD: Final = _code("SCARD_E_NO_SMARTCARD")
_W_REMOVED_CARD: Final = _code("SCARD_W_REMOVED_CARD")
_W_RESET_CARD: Final = _code("SCARD_W_RESET_CARD")
_W_UNRESPONSIVE_CARD: Final = _code("SCARD_W_UNRESPONSIVE_CARD")
_W_UNPOWERED_CARD: Final = _code("SCARD_W_UNPOWERED_CARD")
_E_PROTO_MISMATCH: Final = _code("SCARD_E_PROTO_MISMATCH")
_READER_GONE: Final = frozenset(_code(n) for n in (
    "SCARD_E_UNKNOWN_READER", "SCARD_E_READER_UNAVAILABLE", "SCARD_E_NO_READERS_AVAILABLE"))
_SERVICE_GONE: Final = frozenset(_code(n) for n in (
    "SCARD_E_NO_SERVICE", "SCARD_E_SERVICE_STOPPED", "SCARD_E_INVALID_HANDLE", "SCARD_F_COMM_ERROR"))
_CARD_GONE: Final = frozenset({_W_REMOVED_CARD, _E_NO_SMARTCARD})
_MUTE_CARD: Final = frozenset({_W_UNRESPONSIVE_CARD, _W_UNPOWERED_CARD, _E_PROTO_MISMATCH})

_PROTOCOLS: Final = int(scard.SCARD_PROTOCOL_T0) | int(scard.SCARD_PROTOCOL_T1)
#: How long the watcher blocks in one SCardGetStatusChange: bounds how late it notices a stop or a new reader.
WATCH_TIMEOUT_MS: Final = 500
#: How long a job waits for pcscd to notice a swapped card after "Transaction failed" (it polls the reader).
SETTLE_TIMEOUT_MS: Final = 1_500


class ReaderFault(StrEnum):
    """Why a card job failed; stable values the UI maps to a translated sentence."""

    NO_READER = "no_reader"  # pcscd not running, or no reader whose name matches the configuration
    NO_CARD = "no_card"  # the reader is empty
    CARD_REMOVED = "card_removed"  # the card went out during the job (or since the challenge was read)
    CARD_RESET = "card_reset"  # reset twice in a row, or reset between the challenge and the writes
    UNKNOWN_CARD = "unknown_card"  # mute, or SELECT of 3F00/DF01 refused: not a card of ours
    OTHER_CARD = "other_card"  # not the card (serial) the job was meant for
    CARD_MALFORMED = "card_malformed"  # an answer or file that does not fit the format (CardFormatError)
    CARD_STATUS = "card_status"  # a status word other than 9000 (CardStatusError)
    READER_FAULT = "reader_fault"  # any other PC/SC failure (logged with its code)


class CardReaderError(Exception):
    """A card job that failed: ``code`` for the UI, ``index`` of the command in :meth:`CardReader.transmit_all`,
    ``sw`` for a status word; the card error of shared_models (if any) is the ``__cause__``."""

    def __init__(self, code: ReaderFault, *, index: int | None = None, sw: int | None = None,
                 detail: str = "") -> None:
        self.code = code
        self.index = index
        self.sw = sw
        self.detail = detail
        parts = [code.value]
        if index is not None:
            parts.append(f"command {index}")
        if sw is not None:
            parts.append(f"SW {sw:04X}")
        if detail:
            parts.append(detail)
        super().__init__(": ".join(parts))


class ReaderState(StrEnum):
    """What the watcher (and the read after an insertion) reports."""

    NO_READER = "no_reader"
    NO_CARD = "no_card"
    CARD_PRESENT = "card_present"  # inserted; being read
    CARD_READ = "card_read"  # read: ``ReaderEvent.read``
    CARD_UNREADABLE = "card_unreadable"  # the read failed: ``ReaderEvent.error``


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class CardRead:
    """One read of a card: the decoded image and the four files' bytes exactly as read (the server decodes them)."""

    image: CardImage
    raw: Mapping[str, bytes]  # "info", "parameters", "wallet", "return"

    @property
    def blank(self) -> bool:
        """A card never opened (its parameter file all zeros)."""
        return self.image.parameters.card_type is CardType.BLANK

    @property
    def files_hex(self) -> dict[str, str]:
        """The raw files in hex under the field names of the RPC contract's ``CardFiles`` (the return file is
        ``returned`` there), as they go to the server: ``CardFiles(**read.files_hex)``."""
        return {"info": self.raw["info"].hex(), "parameters": self.raw["parameters"].hex(),
                "wallet": self.raw["wallet"].hex(), "returned": self.raw["return"].hex()}


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class ReaderEvent:
    """A change seen by the watcher, or the result of the read that follows an insertion."""

    state: ReaderState
    reader: str | None = None
    atr: bytes | None = None
    read: CardRead | None = None
    error: CardReaderError | None = None
    insertion: int = 0  # counts insertions since the watcher started: a read belongs to one insertion


Listener = Callable[[ReaderEvent], None]


class _PcscError(Exception):
    """A PC/SC call that did not return SCARD_S_SUCCESS (internal: never leaves this module)."""

    def __init__(self, call: str, hresult: int) -> None:
        self.call = call
        self.hresult = hresult & 0xFFFF_FFFF
        super().__init__(f"{call}: 0x{self.hresult:08X}")


def _check(call: str, hresult: int) -> None:
    if hresult & 0xFFFF_FFFF != _OK:
        raise _PcscError(call, hresult)


@dataclasses.dataclass(slots=True)
class _Connection:
    handle: Any
    protocol: int
    reader: str


class _Port:
    """A CardPort over one connection; keeps the data of every READ BINARY by short file id.

    An answer shorter than a status word is how some drivers (vpcd among them) report a card pulled during the
    command: ``card_gone`` then tells whether the card is still there, and a gone card is SCARD_W_REMOVED_CARD.
    """

    def __init__(self, connection: _Connection, card_gone: Callable[[_Connection], bool]) -> None:
        self.connection = connection
        self.reads: dict[int, bytes] = {}
        self._card_gone = card_gone

    def transmit(self, raw: bytes) -> bytes:
        hresult, response = scard.SCardTransmit(self.connection.handle, self.connection.protocol, list(raw))
        _check("SCardTransmit", hresult)
        answer = bytes(response)
        if len(answer) < 2 and self._card_gone(self.connection):
            raise _PcscError("SCardTransmit", _W_REMOVED_CARD)
        if len(raw) >= 4 and raw[1] == Ins.READ_BINARY and raw[2] & 0x80 and answer[-2:] == b"\x90\x00":
            self.reads[raw[2] & 0x1F] = answer[:-2]
        return answer


def _error_of(exc: _PcscError) -> CardReaderError:
    """The typed error of a PC/SC failure met during a job."""
    if exc.hresult in _CARD_GONE:
        return CardReaderError(ReaderFault.CARD_REMOVED)
    if exc.hresult == _W_RESET_CARD:
        return CardReaderError(ReaderFault.CARD_RESET)
    if exc.hresult in _MUTE_CARD:
        return CardReaderError(ReaderFault.UNKNOWN_CARD, detail=str(exc))
    if exc.hresult in _READER_GONE or exc.hresult in _SERVICE_GONE:
        return CardReaderError(ReaderFault.NO_READER, detail=str(exc))
    return CardReaderError(ReaderFault.READER_FAULT, detail=str(exc))


def _card_error(exc: CardFormatError | CardStatusError, *, index: int | None = None) -> CardReaderError:
    """The typed error of a card answer that did not fit (malformed, a status word, or not our application)."""
    if isinstance(exc, CardFormatError):
        return CardReaderError(ReaderFault.CARD_MALFORMED, index=index, detail=str(exc))
    if exc.command.startswith("select"):
        return CardReaderError(ReaderFault.UNKNOWN_CARD, sw=exc.sw, detail=exc.command)
    return CardReaderError(ReaderFault.CARD_STATUS, index=index, sw=exc.sw, detail=exc.command)


class CardReader:
    """A PC/SC reader owning its device thread and a watcher thread; jobs return Futures and never block."""

    def __init__(self, config: CardReaderConfig | None = None) -> None:
        """Nothing starts yet: the watcher with :meth:`start`, the device thread with the first job."""
        self.config = config or CardReaderConfig()
        self._thread = DeviceThread(DEVICE)
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []
        self._delivering = threading.RLock()  # one event at a time reaches the listeners, in order
        self._last: ReaderEvent | None = None
        self._watcher: _Watcher | None = None
        self._closed = False
        self.resets = 0  # "card was reset" recoveries (for tests and the log)
        # The device thread's own PC/SC state.
        self._context: Any = None
        self._connection: _Connection | None = None
        # A write's challenge is out (its MAC'd commands follow once the server answered): the card forgets it on
        # any other command, so the read that follows an insertion waits (``_deferred_read``) until the write's
        # commands went, or the next job starts.
        self._challenge_open = False
        self._deferred_read: ReaderEvent | None = None

    def __repr__(self) -> str:
        return f"CardReader({self.config.name or '<first reader>'!r})"

    # --- called from any thread: return at once --------------------------------------------------------------

    def start(self) -> None:
        """Start the watcher (once): listeners hear the reader's state now and every change after."""
        with self._lock:
            if self._watcher is not None or self._closed:
                return
            self._watcher = _Watcher(self)
        self._watcher.start()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` (on the watcher or the device thread) with every event; it gets the last one at once.

        Returns the function that unsubscribes it.
        """
        with self._delivering:  # the current event first, then every later one, in order
            with self._lock:
                self._listeners.append(listener)
                last = self._last
            if last is not None:
                self._deliver(listener, last)

        def unsubscribe() -> None:
            with self._lock, contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    @property
    def last_event(self) -> ReaderEvent | None:
        """The last event published (None before the watcher's first look)."""
        with self._lock:
            return self._last

    def read_image(self) -> Future[CardRead]:
        """Read the card: info, parameters, wallet, return file, decoded and raw."""
        return self._thread.submit(self._read_job)

    def get_challenge(self, *, serial: bytes | None = None) -> Future[bytes]:
        """Select the application and ask the card for 8 random bytes, the start of a MAC'd write.

        With ``serial``, a card of another serial is refused (OTHER_CARD). Nothing may talk to the card between this
        and the :meth:`transmit_all` of the MAC'd commands: the card forgets the challenge on any other command.
        """
        return self._thread.submit(self._challenge_now, serial)

    def transmit_all(self, commands: Sequence[bytes]) -> Future[list[bytes]]:
        """Send ``commands`` in order on the card the last challenge came from; the data of each 9000 answer.

        Stops at the first failure: CARD_STATUS (with ``sw``), CARD_MALFORMED, CARD_REMOVED or CARD_RESET, each with
        the ``index`` of the command that failed; the commands after it were not sent. Never retried: a MAC'd command
        is bound to its challenge. A command that is not an APDU is a ValueError at once, before anything is sent.
        """
        checked = [bytes(raw) for raw in commands]
        for index, raw in enumerate(checked):
            try:
                CommandApdu.decode(raw)
            except CardFormatError as exc:
                raise ValueError(f"command {index} is not an APDU: {exc}") from exc
        return self._thread.submit(self._transmit_now, checked)

    def close(self, timeout: float | None = 5.0) -> bool:
        """Stop the watcher, let queued jobs finish, disconnect; False if a job was still busy after ``timeout``."""
        with self._lock:
            self._closed = True
            watcher, self._watcher = self._watcher, None
            self._listeners.clear()
        if watcher is not None:
            watcher.stop(timeout)
        with contextlib.suppress(RuntimeError):  # shut down already
            self._thread.submit(self._release_now)
        return self._thread.shutdown(wait=True, timeout=timeout)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- events -------------------------------------------------------------------------------------------------

    def _publish(self, event: ReaderEvent, *, unless: Callable[[ReaderEvent | None], bool] | None = None) -> None:
        """Make ``event`` the last one and tell every listener, in order; not when ``unless(last event)`` holds
        (checked in the same step, so the watcher and the device thread cannot overtake each other)."""
        with self._delivering:
            with self._lock:
                if self._closed or (unless is not None and unless(self._last)):
                    return
                self._last = event
                listeners = list(self._listeners)
            for listener in listeners:
                self._deliver(listener, event)

    @staticmethod
    def _deliver(listener: Listener, event: ReaderEvent) -> None:
        try:
            listener(event)
        except Exception:  # a listener's bug must not stop the watcher
            log.exception("card reader listener failed on %s", event.state)

    def _card_inserted(self, event: ReaderEvent) -> None:
        """On the watcher thread: publish the insertion and queue the read that follows it."""
        self._publish(event)
        with contextlib.suppress(RuntimeError):  # closing
            self._thread.submit(self._read_after_insertion, event)

    @on_device_thread(DEVICE)
    def _read_after_insertion(self, inserted: ReaderEvent) -> None:
        if self._challenge_open:  # pcscd reported the insertion after a write had already taken a challenge
            self._deferred_read = inserted
            return
        try:
            read = self._read_now()
        except CardReaderError as exc:
            log.info("card read after insertion failed: %s", exc)
            result = dataclasses.replace(inserted, state=ReaderState.CARD_UNREADABLE, error=exc)
        else:
            result = dataclasses.replace(inserted, state=ReaderState.CARD_READ, read=read)
        # Not after the card went out again (or another came in): that event stays the last word.
        self._publish(result, unless=lambda last: last is None or last.insertion != inserted.insertion
                      or last.state is not ReaderState.CARD_PRESENT)

    # --- the device thread --------------------------------------------------------------------------------------

    @on_device_thread(DEVICE)
    def _flush_deferred_read(self) -> None:
        """A new job or the end of a write: the challenge is over, the deferred insertion read may run."""
        self._challenge_open = False
        inserted, self._deferred_read = self._deferred_read, None
        if inserted is not None:
            self._read_after_insertion(inserted)

    @on_device_thread(DEVICE)
    def _read_job(self) -> CardRead:
        self._flush_deferred_read()
        return self._read_now()

    @on_device_thread(DEVICE)
    def _read_now(self) -> CardRead:
        def body(port: _Port) -> CardRead:
            image = read_card(port)
            return CardRead(image=image, raw={ef.name: port.reads[ef.sfi] for ef in ALL_EFS})

        read = self._job(body)
        log.info("card %s read (count %d)", read.image.info.serial.hex(), read.image.wallet.purchase_count)
        return read

    @on_device_thread(DEVICE)
    def _challenge_now(self, serial: bytes | None) -> bytes:
        def body(port: _Port) -> bytes:
            info = select_application(port)
            if serial is not None and info.serial != serial:
                raise CardReaderError(ReaderFault.OTHER_CARD, detail=f"serial {info.serial.hex()}")
            return exchange(port, apdu.get_challenge(), "get challenge", length=8)

        self._flush_deferred_read()
        challenge = self._job(body)
        self._challenge_open = True
        return challenge

    @on_device_thread(DEVICE)
    def _transmit_now(self, commands: list[bytes]) -> list[bytes]:
        try:
            return self._transmit_commands(commands)
        finally:
            self._flush_deferred_read()

    @on_device_thread(DEVICE)
    def _transmit_commands(self, commands: list[bytes]) -> list[bytes]:
        connection = self._connection
        if connection is None:
            raise CardReaderError(ReaderFault.CARD_REMOVED, index=0, detail="no card session (no challenge read)")
        port = _Port(connection, self._card_gone)
        answers: list[bytes] = []
        for index, raw in enumerate(commands):
            try:
                response = ResponseApdu.decode(port.transmit(raw))
            except _PcscError as exc:
                error = _error_of(exc)
                if error.code is ReaderFault.CARD_RESET:
                    self._reconnect()  # usable for the next job; this write starts over from its challenge
                elif exc.hresult == _E_NOT_TRANSACTED or error.code is ReaderFault.CARD_REMOVED:
                    self._drop()
                    error = CardReaderError(ReaderFault.CARD_REMOVED, detail=str(exc))
                error.index = index
                log.warning("card write stopped at command %d of %d: %s", index, len(commands), exc)
                raise error from None
            except CardFormatError as exc:
                raise _card_error(exc, index=index) from exc
            if response.sw != Sw.OK:
                cause = CardStatusError(response.sw, f"command {index}")
                log.warning("card refused command %d of %d: SW %04X", index, len(commands), response.sw)
                raise CardReaderError(ReaderFault.CARD_STATUS, index=index, sw=response.sw) from cause
            answers.append(response.data)
        return answers

    def _job(self, body: Callable[[_Port], T]) -> T:
        """Run a job that stands alone (it selects what it needs) on the card, retrying once after a reset or a
        swap pcscd had not noticed yet; card answers that do not fit become typed errors."""
        for attempt in (1, 2):
            connection = self._connect()
            try:
                return body(_Port(connection, self._card_gone))
            except _PcscError as exc:
                if attempt == 2:
                    raise _error_of(exc) from None
                if exc.hresult == _W_RESET_CARD:
                    self.resets += 1
                    log.info("card was reset: reconnecting and selecting again")
                    self._reconnect()
                elif exc.hresult == _E_NOT_TRANSACTED:
                    log.info("transaction failed (a swap pcscd has not polled yet): waiting for the reader")
                    self._wait_for_change(connection.reader)
                    self._drop()
                else:
                    if exc.hresult in _CARD_GONE or exc.hresult in _SERVICE_GONE:
                        self._drop()
                    raise _error_of(exc) from None
            except (CardFormatError, CardStatusError) as exc:
                raise _card_error(exc) from exc
        raise AssertionError("unreachable")  # pragma: no cover (the loop returns or raises)

    def _connect(self) -> _Connection:
        """The cached connection if the card behind it is still the same, else a new one (NO_READER, NO_CARD)."""
        connection = self._connection
        if connection is not None:
            hresult, *_ = scard.SCardStatus(connection.handle)
            hresult &= 0xFFFF_FFFF
            if hresult == _OK:
                return connection
            if hresult == _W_RESET_CARD:
                self.resets += 1
                self._reconnect()
                assert self._connection is not None
                return self._connection
            self._drop()
        context = self._ensure_context()
        reader = self._find_reader(context)
        hresult, handle, protocol = scard.SCardConnect(context, reader, scard.SCARD_SHARE_SHARED, _PROTOCOLS)
        hresult &= 0xFFFF_FFFF
        if hresult in _SERVICE_GONE:
            self._release_context()
        if hresult != _OK:
            error = _error_of(_PcscError("SCardConnect", hresult))
            if error.code is ReaderFault.CARD_REMOVED:
                error = CardReaderError(ReaderFault.NO_CARD)
            raise error
        self._connection = _Connection(handle=handle, protocol=int(protocol), reader=reader)
        return self._connection

    def _reconnect(self) -> None:
        connection = self._connection
        if connection is None:
            return
        hresult, protocol = scard.SCardReconnect(connection.handle, scard.SCARD_SHARE_SHARED, _PROTOCOLS,
                                                 scard.SCARD_LEAVE_CARD)
        if hresult & 0xFFFF_FFFF != _OK:
            self._drop()
            raise _error_of(_PcscError("SCardReconnect", hresult))
        connection.protocol = int(protocol)

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            scard.SCardDisconnect(connection.handle, scard.SCARD_LEAVE_CARD)  # a gone card answers an error: fine

    def _card_gone(self, connection: _Connection) -> bool:
        """After an answer that cannot be one: wait for pcscd's next look at the reader, then ask the handle."""
        self._wait_for_change(connection.reader)
        hresult, *_ = scard.SCardStatus(connection.handle)
        return hresult & 0xFFFF_FFFF in _CARD_GONE

    def _wait_for_change(self, reader: str) -> None:
        """Block until pcscd reports a change on ``reader`` (its next poll), at most SETTLE_TIMEOUT_MS."""
        context = self._ensure_context()
        hresult, states = scard.SCardGetStatusChange(context, 0, [(reader, scard.SCARD_STATE_UNAWARE)])
        if hresult & 0xFFFF_FFFF != _OK or not states:
            return
        known = states[0][1] & ~int(scard.SCARD_STATE_CHANGED)
        scard.SCardGetStatusChange(context, SETTLE_TIMEOUT_MS, [(reader, known)])  # a timeout is fine too

    def _ensure_context(self) -> Any:
        if self._context is None:
            hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
            if hresult & 0xFFFF_FFFF != _OK:
                raise CardReaderError(ReaderFault.NO_READER, detail=f"pcscd: 0x{hresult & 0xFFFF_FFFF:08X}")
            self._context = context
        return self._context

    def _find_reader(self, context: Any) -> str:
        hresult, names = scard.SCardListReaders(context, [])
        hresult &= 0xFFFF_FFFF
        if hresult in _SERVICE_GONE:
            self._release_context()
        if hresult != _OK:
            raise CardReaderError(ReaderFault.NO_READER, detail=f"list readers: 0x{hresult:08X}")
        name = pick_reader(names, self.config)
        if name is None:
            raise CardReaderError(ReaderFault.NO_READER, detail=f"no reader matches {self.config.name!r}")
        return name

    def _release_context(self) -> None:
        context, self._context = self._context, None
        if context is not None:
            scard.SCardReleaseContext(context)

    @on_device_thread(DEVICE)
    def _release_now(self) -> None:
        self._drop()
        self._release_context()


def pick_reader(names: Sequence[str], config: CardReaderConfig) -> str | None:
    """The first reader of ``names`` the configuration accepts (pcscd's own order), or None."""
    return next((name for name in names if config.matches(name)), None)


class _Watcher(threading.Thread):
    """Observes the configured reader through SCardGetStatusChange on a context of its own; never sends an APDU."""

    def __init__(self, reader: CardReader) -> None:
        super().__init__(name="card-reader-watcher", daemon=True)
        self._reader = reader
        self._stopping = threading.Event()
        self._context_lock = threading.Lock()
        self._context: Any = None
        self._insertions = 0

    def stop(self, timeout: float | None) -> None:
        self._stopping.set()
        with self._context_lock:
            if self._context is not None:
                scard.SCardCancel(self._context)  # wakes a blocked SCardGetStatusChange at once
        self.join(timeout)

    def run(self) -> None:
        try:
            while not self._stopping.is_set():
                if not self._establish():
                    self._report(ReaderState.NO_READER)
                    self._stopping.wait(WATCH_TIMEOUT_MS / 1000)
                    continue
                self._watch()
        except Exception:  # never a traceback on screen: the log has it, the state says no reader
            log.exception("card reader watcher failed")
            self._report(ReaderState.NO_READER)
        finally:
            with self._context_lock:
                context, self._context = self._context, None
            if context is not None:
                scard.SCardReleaseContext(context)

    def _establish(self) -> bool:
        with self._context_lock:
            if self._context is not None:
                return True
            if self._stopping.is_set():
                return False
            hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
            if hresult & 0xFFFF_FFFF != _OK:
                return False
            self._context = context
            return True

    def _drop_context(self) -> None:
        with self._context_lock:
            context, self._context = self._context, None
        if context is not None:
            scard.SCardReleaseContext(context)

    def _watch(self) -> None:
        """Find the reader, then follow its state until it goes away, the service stops or the watcher stops."""
        context = self._context
        hresult, names = scard.SCardListReaders(context, [])
        hresult &= 0xFFFF_FFFF
        name = pick_reader(names, self._reader.config) if hresult == _OK else None
        if name is None:
            self._report(ReaderState.NO_READER)
            if hresult in _SERVICE_GONE:
                self._drop_context()
            self._stopping.wait(WATCH_TIMEOUT_MS / 1000)
            return
        known = int(scard.SCARD_STATE_UNAWARE)
        while not self._stopping.is_set():
            hresult, states = scard.SCardGetStatusChange(context, WATCH_TIMEOUT_MS, [(name, known)])
            hresult &= 0xFFFF_FFFF
            if hresult in (_E_TIMEOUT, _E_CANCELLED):
                continue
            if hresult != _OK:
                self._report(ReaderState.NO_READER)
                if hresult not in _READER_GONE:
                    self._drop_context()
                return
            _, event_state, atr = states[0]
            if event_state & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_UNAVAILABLE):
                self._report(ReaderState.NO_READER)
                return
            changed_bits = int(scard.SCARD_STATE_CHANGED)
            if (event_state & ~changed_bits) == (known & ~changed_bits):
                continue
            swapped = (event_state >> 16) != (known >> 16) and known != scard.SCARD_STATE_UNAWARE
            present = bool(event_state & scard.SCARD_STATE_PRESENT)
            was_present = bool(known & scard.SCARD_STATE_PRESENT)
            known = event_state & ~int(scard.SCARD_STATE_CHANGED)
            if present and (not was_present or swapped):
                self._insertions += 1
                self._reader._card_inserted(ReaderEvent(  # the watcher is part of the reader
                    state=ReaderState.CARD_PRESENT, reader=name, atr=bytes(atr), insertion=self._insertions))
            elif not present:
                self._report(ReaderState.NO_CARD, reader=name)

    def _report(self, state: ReaderState, *, reader: str | None = None) -> None:
        event = ReaderEvent(state=state, reader=reader, insertion=self._insertions)
        self._reader._publish(event, unless=lambda last: last is not None and last.state is state  # the reader's part
                              and last.reader == reader)
