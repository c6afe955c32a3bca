"""A real TCP receipt printer for tests: it keeps what it is sent and answers the paper status query.

Each connection is one job: every byte until the client closes its side, except real-time status
queries (``DLE EOT n``), which a printer answers at once and does not print. A connection that carried
only queries is not a job. The endpoint can be told that the paper ran out, told to stay silent (a hung
printer), told to stall (it answers status queries but never reads a job: a jammed mechanism with a
full buffer), and switched off (the listener closes, connections are refused) and on again on the same port.

Use it as a context manager, or wrap it in a fixture::

    @pytest.fixture
    def endpoint() -> Iterator[PrinterEndpoint]:
        with PrinterEndpoint() as ep:
            yield ep

    def test_prints(endpoint: PrinterEndpoint) -> None:
        NetworkPrinter("127.0.0.1", endpoint.port).send(b"...")
        [job] = endpoint.wait_for_jobs(1, timeout=5)
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
from types import TracebackType
from typing import Final, Self

STATUS_PAPER_OK: Final = 0x12  # DLE EOT 4 answer: fixed bits 1 and 4 set, no sensor bit
STATUS_PAPER_OUT: Final = 0x72  # bits 5 and 6: roll paper end
_DLE_EOT: Final = b"\x10\x04"


class PrinterEndpoint:
    """A threaded ESC/POS printer on 127.0.0.1 and an ephemeral port."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._jobs: list[bytes] = []
        self._status_byte = STATUS_PAPER_OK
        self._silent = False
        self._stalled = False
        self._switching_off = False
        #: Connections that carried job data while stalled (the data was never read).
        self.stalled_jobs = 0
        self.status_queries = 0
        self.connections = 0
        self.port = 0
        self._listener: socket.socket | None = None
        self._wake_r, self._wake_w = socket.socketpair()
        self._accept_thread: threading.Thread | None = None
        self._handlers: set[threading.Thread] = set()
        self._open: set[socket.socket] = set()

    # --- lifecycle ------------------------------------------------------------------------------------

    def start(self) -> Self:
        """Listen (on a fresh ephemeral port the first time, on the same port after :meth:`switch_off`)."""
        if self._listener is not None:
            raise RuntimeError("the endpoint is already on")
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._accept_thread = threading.Thread(target=self._accept_loop, args=(listener,), name="printer-endpoint")
        self._accept_thread.start()
        return self

    def switch_off(self) -> None:
        """Power off: close the listener (connections are refused) and every open connection."""
        if self._listener is None:
            return
        self._wake_w.send(b"x")
        assert self._accept_thread is not None
        self._accept_thread.join()
        self._wake_r.recv(16)
        self._listener.close()
        self._listener = None
        with self._cond:
            self._switching_off = True
            self._cond.notify_all()
            for conn in self._open:
                _shutdown(conn)
            handlers = list(self._handlers)
        for handler in handlers:
            handler.join()
        with self._cond:
            self._switching_off = False

    def switch_on(self) -> None:
        """Power on again, on the same port."""
        self.start()

    def stop(self) -> None:
        """Switch off for good and release every socket."""
        self.switch_off()
        self._wake_r.close()
        self._wake_w.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # --- what the test controls and sees --------------------------------------------------------------

    def set_paper_out(self, paper_out: bool) -> None:
        """Answer the paper status query with paper end (True) or paper present (False)."""
        self._status_byte = STATUS_PAPER_OUT if paper_out else STATUS_PAPER_OK
        self._silent = False

    def set_silent(self, silent: bool) -> None:
        """Accept connections but never answer a status query (a hung printer)."""
        self._silent = silent

    def set_stalled(self, stalled: bool) -> None:
        """Answer status queries but never read a job's data: the connection stays open, unread."""
        with self._cond:
            self._stalled = stalled
            self._cond.notify_all()

    @property
    def jobs(self) -> list[bytes]:
        """The jobs received so far (bytes of each finished connection, status queries removed)."""
        with self._cond:
            return list(self._jobs)

    def wait_for_jobs(self, n: int, timeout: float) -> list[bytes]:
        """Wait until at least ``n`` jobs arrived and return them all; AssertionError after ``timeout`` s."""
        with self._cond:
            if not self._cond.wait_for(lambda: len(self._jobs) >= n, timeout=timeout):
                raise AssertionError(f"expected {n} printer job(s) within {timeout} s, got {len(self._jobs)}")
            return list(self._jobs)

    def wait_for_stalled_jobs(self, n: int, timeout: float) -> None:
        """Wait until ``n`` connections carried job data that a stalled endpoint left unread."""
        with self._cond:
            if not self._cond.wait_for(lambda: self.stalled_jobs >= n, timeout=timeout):
                raise AssertionError(f"expected {n} stalled job(s) within {timeout} s, got {self.stalled_jobs}")

    def wait_for_connections(self, n: int, timeout: float) -> None:
        """Wait until ``n`` connections have ended (jobs or status queries alike)."""
        with self._cond:
            if not self._cond.wait_for(lambda: self.connections >= n, timeout=timeout):
                raise AssertionError(f"expected {n} finished connection(s) within {timeout} s, got {self.connections}")

    # --- threads --------------------------------------------------------------------------------------

    def _accept_loop(self, listener: socket.socket) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(listener, selectors.EVENT_READ)
            selector.register(self._wake_r, selectors.EVENT_READ)
            while True:
                ready = {key.fileobj for key, _ in selector.select()}
                if self._wake_r in ready:
                    return
                try:
                    conn, _ = listener.accept()
                except OSError:  # the client gave up between connect and accept
                    continue
                handler = threading.Thread(target=self._serve, args=(conn,), name="printer-endpoint-conn")
                with self._cond:
                    self._open.add(conn)
                    self._handlers.add(handler)
                handler.start()

    def _serve(self, conn: socket.socket) -> None:
        if self._stalled:
            self._serve_stalled(conn)
            return
        kept = bytearray()
        pending = bytearray()
        with conn:
            while True:
                try:
                    chunk = conn.recv(65536)
                except OSError:
                    break
                if not chunk:
                    break
                pending += chunk
                kept += self._answer_queries(conn, pending)
            _shutdown(conn)
        kept += pending
        with self._cond:
            self._open.discard(conn)
            self._handlers.discard(threading.current_thread())
            if kept:
                self._jobs.append(bytes(kept))
            self.connections += 1
            self._cond.notify_all()

    def _serve_stalled(self, conn: socket.socket) -> None:
        """Read three bytes at a time while they are status queries; at the first job byte, stop reading.

        The unread job stays in the socket buffers until the client gives up or the endpoint is switched
        off: nothing of it is ever a job.
        """
        with conn:
            while True:
                try:
                    head = conn.recv(3, socket.MSG_WAITALL)
                except OSError:
                    break
                if len(head) == 3 and head[:2] == _DLE_EOT and 1 <= head[2] <= 4:
                    with self._cond:
                        self.status_queries += 1
                    _send_quietly(conn, bytes((self._status_byte if head[2] == 4 else STATUS_PAPER_OK,)))
                    continue
                if head:
                    with self._cond:
                        self.stalled_jobs += 1
                        self._cond.notify_all()
                        # Hold the connection, unread, until the endpoint is unstalled or switched off.
                        self._cond.wait_for(lambda: not self._stalled or self._switching_off)
                break
            _shutdown(conn)
        with self._cond:
            self._open.discard(conn)
            self._handlers.discard(threading.current_thread())
            self.connections += 1
            self._cond.notify_all()

    def _answer_queries(self, conn: socket.socket, pending: bytearray) -> bytes:
        """Answer and remove every complete ``DLE EOT n`` in ``pending``; return the bytes before the rest."""
        out = bytearray()
        while True:
            at = pending.find(_DLE_EOT)
            if at == -1:
                # a trailing DLE may begin a query split over two reads: keep it pending
                cut = len(pending) - 1 if pending.endswith(b"\x10") else len(pending)
                out += pending[:cut]
                del pending[:cut]
                return bytes(out)
            if at + 2 >= len(pending):
                out += pending[:at]
                del pending[:at]
                return bytes(out)
            n = pending[at + 2]
            out += pending[:at]
            if 1 <= n <= 4:
                del pending[: at + 3]
                with self._cond:
                    self.status_queries += 1
                if not self._silent:
                    _send_quietly(conn, bytes((self._status_byte if n == 4 else STATUS_PAPER_OK,)))
            else:  # DLE EOT with another parameter is data, not a query
                del pending[: at + 2]
                out += _DLE_EOT


def _send_quietly(conn: socket.socket, data: bytes) -> None:
    with contextlib.suppress(OSError):  # the client left without waiting for the answer
        conn.sendall(data)


def _shutdown(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by the peer
        conn.shutdown(socket.SHUT_RDWR)
