"""The emulated card in a real reader: a TCP client of pcscd's vsmartcard ``vpcd`` driver (COMPONENTS.md).

Connecting is inserting the card, closing is removing it. Every message either way is a 2-byte big-endian length
and a payload; a 1-byte payload from vpcd is a control code (0 power off, 1 power on, 2 reset, 4 get ATR, answered
with the ATR), anything longer is a C-APDU answered with the R-APDU. vpcd sends the length and the payload in two
writes, so without TCP_NODELAY and a TCP_QUICKACK before every ``recv`` each APDU waits ~45 ms for a delayed ACK.

:meth:`VpcdLink.pull_on` arms a one-shot hook for tests: the card is pulled out of the reader when a matching
C-APDU arrives, either before the card acts on it (nothing written) or after (written, but the terminal never
sees the answer): the two ways a real card pulled mid-write can end.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Callable
from typing import Final

from client.devices.cardsim.card import ATR, VirtualCard
from shared_models.cards.apdu import CommandApdu
from shared_models.cards.errors import CardFormatError

log = logging.getLogger(__name__)

DEFAULT_HOST: Final = "127.0.0.1"
DEFAULT_PORT: Final = 35963  # "Virtual PCD 00 00"; 35964 is "Virtual PCD 00 01"
_POWER_OFF, _POWER_ON, _RESET, _GET_ATR = 0, 1, 2, 4


class VpcdLink:
    """One emulated card plugged into one vpcd reader slot, served by a thread of its own while inserted."""

    def __init__(self, card: VirtualCard, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
        self.card = card
        self.host = host
        self.port = port
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._hook: tuple[Callable[[CommandApdu], bool], bool, threading.Event] | None = None
        self._lock = threading.Lock()
        self.apdus = 0  # C-APDUs answered since insertion (for tests and the CLI)

    @property
    def inserted(self) -> bool:
        """Whether the card sits in the reader (its connection to vpcd is open)."""
        thread = self._thread
        return thread is not None and thread.is_alive()

    def insert(self, *, timeout: float = 5.0) -> None:
        """Connect to vpcd (retrying while pcscd is still starting, up to ``timeout`` seconds)."""
        if self.inserted:
            raise RuntimeError("the card is already inserted")
        deadline = time.monotonic() + timeout
        while True:
            try:
                sock = socket.create_connection((self.host, self.port), timeout=1.0)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.05)
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock = sock
        self.apdus = 0
        self._thread = threading.Thread(target=self._serve, args=(sock,), name=f"cardsim-vpcd-{self.port}",
                                        daemon=True)
        self._thread.start()

    def remove(self) -> None:
        """Pull the card out: close the connection and wait for the serving thread to end."""
        self._close()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5.0)

    def pull_on(self, matches: Callable[[CommandApdu], bool], *, after: bool) -> threading.Event:
        """Pull the card when a C-APDU ``matches``: before acting on it, or ``after`` (acted, answer lost).

        Returns an Event set once the card was pulled.
        """
        pulled = threading.Event()
        with self._lock:
            self._hook = (matches, after, pulled)
        return pulled

    def _close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _recv_exactly(self, sock: socket.socket, size: int) -> bytes | None:
        data = b""
        while len(data) < size:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)  # reset by the kernel: set before each recv
            try:
                chunk = sock.recv(size - len(data))
            except OSError:
                return None
            if not chunk:
                return None
            data += chunk
        return data

    def _serve(self, sock: socket.socket) -> None:
        try:
            while (header := self._recv_exactly(sock, 2)) is not None:
                payload = self._recv_exactly(sock, int.from_bytes(header, "big"))
                if payload is None:
                    break
                if len(payload) == 1:
                    answer = self._control(payload[0])
                elif (hook := self._take_hook(payload)) is not None:
                    after, pulled = hook
                    if after:
                        self.card.transmit(payload)
                    self._close()
                    pulled.set()
                    break
                else:
                    self.apdus += 1
                    answer = self.card.transmit(payload)
                if answer is not None:
                    sock.sendall(len(answer).to_bytes(2, "big") + answer)
        except OSError as exc:
            log.debug("vpcd link on port %d closed: %s", self.port, exc)
        finally:
            if self._sock is sock:
                self._close()

    def _control(self, code: int) -> bytes | None:
        """Power on and reset reset the card; get-ATR is answered; power off and unknown codes need no answer."""
        if code in (_POWER_ON, _RESET):
            self.card.reset()
        elif code == _GET_ATR:
            return ATR
        return None

    def _take_hook(self, payload: bytes) -> tuple[bool, threading.Event] | None:
        with self._lock:
            if self._hook is None:
                return None
            matches, after, pulled = self._hook
            try:
                hit = matches(CommandApdu.decode(payload))
            except CardFormatError:
                hit = False
            if not hit:
                return None
            self._hook = None
            return after, pulled

