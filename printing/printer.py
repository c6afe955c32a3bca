"""Send ESC/POS bytes to a network receipt printer (raw TCP, usually port 9100) and ask it for paper.

Everything here blocks: connects, sends and waits for the printer's answer. The client calls it on the
receipt printer's own device thread (STYLE rule 7, ``client/devices``), never on the GUI thread. No Qt.

Failures raise :class:`PrinterError` with a code (never prose): the client turns the code into the
sentence the cashier reads (docs/receipts.md says what the cashier does about each).
"""

from __future__ import annotations

import contextlib
import logging
import socket
from enum import StrEnum
from typing import Final, Protocol

from printing.escpos import Paper, drawer_kick, render
from printing.receipt import ReceiptDocument

log = logging.getLogger(__name__)

#: DLE EOT 4: transmit the roll paper sensor status (one byte).
PAPER_STATUS_QUERY: Final = b"\x10\x04\x04"
_PAPER_END_BITS: Final = 0x60  # bits 5 and 6: roll paper end detected
_PAPER_NEAR_END_BITS: Final = 0x0C  # bits 2 and 3: roll paper near end


class PrinterErrorCode(StrEnum):
    """Why a receipt did not print."""

    PRINTER_OFFLINE = "PRINTER_OFFLINE"
    PRINTER_PAPER_OUT = "PRINTER_PAPER_OUT"
    PRINTER_TIMEOUT = "PRINTER_TIMEOUT"


class PrinterStatus(StrEnum):
    """What the printer says about itself."""

    OK = "ok"
    PAPER_OUT = "paper_out"
    OFFLINE = "offline"


class PrinterError(Exception):
    """A receipt that did not (or not surely) print.

    ``partial`` is True when some bytes may have reached the printer before the failure: part of a
    receipt may have come out, and the supervisor's reprint (marked 补打) is the remedy.
    """

    def __init__(self, code: PrinterErrorCode, /, *, partial: bool = False) -> None:
        super().__init__(code.value)
        self.code = code
        self.partial = partial


class ReceiptPrinter(Protocol):
    """What :func:`print_receipt` needs of a printer (the network printer; a USB one later)."""

    def status(self) -> PrinterStatus: ...

    def send(self, data: bytes) -> None: ...


class NetworkPrinter:
    """An ESC/POS printer on a raw TCP port; one connection per status query and per job."""

    def __init__(self, host: str, port: int = 9100, timeout: float = 5.0, *, close_wait: float = 1.0) -> None:
        """``timeout`` bounds each connect, send and answer; ``close_wait`` how long a finished job waits
        for the printer to close its side (printers that keep the connection open are not an error)."""
        if not 0 < port < 65536:
            raise ValueError(f"not a TCP port: {port!r}")
        if timeout <= 0 or close_wait < 0:
            raise ValueError("timeout must be positive and close_wait not negative")
        self.host = host
        self.port = port
        self.timeout = timeout
        self.close_wait = close_wait

    def __repr__(self) -> str:
        return f"NetworkPrinter({self.host!r}, {self.port})"

    def status(self) -> PrinterStatus:
        """Ask the paper sensor (``DLE EOT 4``): OK, PAPER_OUT, or OFFLINE when the printer cannot be reached.

        Raises ``PrinterError(PRINTER_TIMEOUT)`` when the printer accepts the connection but does not answer.
        """
        try:
            sock = self._connect()
        except PrinterError:
            return PrinterStatus.OFFLINE
        with sock:
            try:
                sock.sendall(PAPER_STATUS_QUERY)
                answer = sock.recv(1)
            except TimeoutError as exc:
                log.warning("printer %s: no answer to the status query", self)
                raise PrinterError(PrinterErrorCode.PRINTER_TIMEOUT) from exc
            except OSError:
                log.warning("printer %s: connection lost during the status query", self, exc_info=True)
                return PrinterStatus.OFFLINE
            _close_quietly(sock)
        if not answer:
            log.warning("printer %s closed the connection without answering the status query", self)
            return PrinterStatus.OFFLINE
        if answer[0] & _PAPER_END_BITS:
            return PrinterStatus.PAPER_OUT
        if answer[0] & _PAPER_NEAR_END_BITS:
            log.info("printer %s: paper roll near its end", self)
        return PrinterStatus.OK

    def send(self, data: bytes) -> None:
        """Send one job and make sure the printer read it: connect, send every byte, then a status query.

        The printer handles ``DLE EOT`` as it reads its input, in order: its answer to the query sent
        after the job proves it has taken in every byte before it. A printer that answers status queries
        but never reads the job (a jammed mechanism, a full buffer) gives ``PRINTER_TIMEOUT`` with
        ``partial`` set, instead of a receipt wrongly reported as printed.
        """
        sock = self._connect()
        with sock:
            try:
                sock.sendall(data)
                sock.sendall(PAPER_STATUS_QUERY)
            except TimeoutError as exc:
                log.warning("printer %s stopped taking data", self)
                raise PrinterError(PrinterErrorCode.PRINTER_TIMEOUT, partial=True) from exc
            except OSError as exc:
                log.warning("printer %s: connection lost while sending", self, exc_info=True)
                raise PrinterError(PrinterErrorCode.PRINTER_OFFLINE, partial=True) from exc
            try:
                answer = sock.recv(1)
            except TimeoutError as exc:
                log.warning("printer %s took the connection but did not read the job", self)
                raise PrinterError(PrinterErrorCode.PRINTER_TIMEOUT, partial=True) from exc
            except OSError as exc:
                log.warning("printer %s: connection lost after sending", self, exc_info=True)
                raise PrinterError(PrinterErrorCode.PRINTER_OFFLINE, partial=True) from exc
            if not answer:
                log.warning("printer %s closed the connection before reading the whole job", self)
                raise PrinterError(PrinterErrorCode.PRINTER_OFFLINE, partial=True)
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_WR)
            # Reading to the printer's end of file (instead of closing at once) means every byte was read
            # there, and closing with nothing unread sends no RST that could drop the job's tail.
            sock.settimeout(self.close_wait)
            _drain(sock)

    def _connect(self) -> socket.socket:
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:  # refused, unreachable, or no answer within the timeout: off or unplugged
            log.warning("printer %s unreachable: %s", self, exc)
            raise PrinterError(PrinterErrorCode.PRINTER_OFFLINE) from exc
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock


def print_receipt(printer: ReceiptPrinter, doc: ReceiptDocument, *, paper: Paper, open_drawer: bool) -> None:
    """Print ``doc`` (and open the cash drawer first when ``open_drawer``). Blocking: device thread only.

    Order: validate and render (ReceiptError: nothing sent), ask the paper sensor (PRINTER_PAPER_OUT or
    PRINTER_OFFLINE: nothing sent), then send the drawer kick and the receipt as one job.
    """
    data = render(doc, paper=paper)  # validates: a receipt that does not add up never prints
    state = printer.status()
    if state is PrinterStatus.PAPER_OUT:
        raise PrinterError(PrinterErrorCode.PRINTER_PAPER_OUT)
    if state is PrinterStatus.OFFLINE:
        raise PrinterError(PrinterErrorCode.PRINTER_OFFLINE)
    printer.send(drawer_kick() + data if open_drawer else data)


def _drain(sock: socket.socket) -> None:
    # a printer that keeps the connection open (timeout) or resets it is no error: the job was sent
    with contextlib.suppress(OSError):
        while sock.recv(4096):
            pass


def _close_quietly(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # the printer may have closed first
        sock.shutdown(socket.SHUT_RDWR)
