"""The link between the simulated counters and the server, under the test's control (issue #5, item 6).

Modes:

``pass``     bytes go through as they come.
``delay``    every chunk waits ``delay_s`` before it is forwarded, both ways (a slow WAN).
``cut``      the listening socket is closed (new connections are refused) and every open connection is
             reset, until :meth:`ChaosProxy.heal`.
cut after commit
             armed for the next call of some RPC methods (:meth:`ChaosProxy.arm_cut_after_commit`; by
             default a payment or a replayed batch of them): the request goes through; the moment the
             server's ``200`` answer starts coming back both connections are reset and not one byte of
             it reaches the counter. The server committed (it answers only after the commit), the
             counter never hears of it.

To see where an answer starts, the proxy terminates TLS with the server's own certificate and key
and opens its own TLS connection to the server (on the TCP level the server's TLS 1.3 session tickets
and its answer are records of the same kind). The counters keep trusting the same CA: to them the
proxy is the server. HTTP/1.1 without pipelining: the first bytes from the server after a request
are that request's answer.

The proxy runs an asyncio loop on a thread of its own; every public method is thread-safe and
blocking. Loopback only.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import socket
import ssl
import threading
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, TypeVar

log = logging.getLogger(__name__)

HOST: Final = "127.0.0.1"
_CHUNK: Final = 65536
_MAX_HEADER: Final = 64 * 1024
#: Ports below Linux's ephemeral range (32768-60999): no outgoing connection takes one while the
#: proxy or the server is down, so each can listen again on the same port.
_PORT_RANGE: Final = (20000, 32000)

T = TypeVar("T")


def free_low_port() -> int:
    """A free TCP port on 127.0.0.1 below the ephemeral range (kept across restarts of a listener)."""
    low, high = _PORT_RANGE
    for _ in range(200):
        port = low + secrets.randbelow(high - low)
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((HOST, port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below the ephemeral range")


#: What a cut after commit aims at by default: the calls that book payments.
COMMITTING_METHODS: Final = frozenset({"payment.pay_bills", "outbox.replay_batch"})


@dataclass
class Arm:
    """One armed cut-after-commit: fires once, on the first ``200`` answer to one of ``methods``."""

    methods: frozenset[str]
    fired: threading.Event = field(default_factory=threading.Event)
    #: The method whose answer was dropped, once fired.
    method: str | None = None
    #: Answers that went through while armed because they were not 200 (nothing committed).
    passed_non_200: int = 0


@dataclass
class ProxyStats:
    """What the proxy did (read with :meth:`ChaosProxy.stats`)."""

    connections: int = 0
    #: Connections reset by a cut (plain cuts, not after-commit ones).
    resets: int = 0
    #: Answers dropped after the server committed (fired arms), and by method.
    after_commit: int = 0
    after_commit_by_method: dict[str, int] = field(default_factory=dict)
    #: Client connections closed because the server could not be reached.
    upstream_down: int = 0
    cuts: int = 0
    #: Chunks held back by a delay, towards the server and towards the client.
    delayed_to_server: int = 0
    delayed_to_client: int = 0


class _RequestFramer:
    """Finds where HTTP/1.1 requests start in the client's byte stream (headers + Content-Length)."""

    def __init__(self) -> None:
        self._buf = b""
        self._body_left = 0

    def feed(self, data: bytes) -> list[str]:
        """The request targets (``/rpc/<method>``) whose header ended in ``data``."""
        targets: list[str] = []
        while data:
            if self._body_left:
                n = min(len(data), self._body_left)
                self._body_left -= n
                data = data[n:]
                continue
            self._buf += data
            data = b""
            end = self._buf.find(b"\r\n\r\n")
            if end < 0:
                if len(self._buf) > _MAX_HEADER:  # not HTTP we understand: stop looking
                    self._buf = b""
                break
            head, rest = self._buf[:end].decode("latin-1"), self._buf[end + 4:]
            self._buf = b""
            request_line, *headers = head.split("\r\n")
            parts = request_line.split(" ")
            targets.append(parts[1] if len(parts) > 1 else "")
            for line in headers:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length" and value.strip().isdigit():
                    self._body_left = int(value.strip())
            data = rest
        return targets


class _Conn:
    """One counter connection and its connection to the server."""

    def __init__(self, client: asyncio.StreamWriter) -> None:
        self.client = client
        self.upstream: asyncio.StreamWriter | None = None
        #: The target of the request whose answer has not started yet.
        self.awaiting: str | None = None

    def abort(self) -> None:
        for writer in (self.client, self.upstream):
            if writer is not None:
                writer.transport.abort()
                writer.close()


class ChaosProxy:
    """A TLS-terminating TCP proxy on 127.0.0.1 that the test can slow down and cut (module docstring)."""

    def __init__(self, *, upstream_port: int, cert_file: Path, key_file: Path, ca_file: Path,
                 listen_port: int | None = None) -> None:
        self.upstream_port = upstream_port
        self.port = listen_port or free_low_port()
        self._server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._server_ctx.load_cert_chain(certfile=str(cert_file), keyfile=str(key_file))
        self._client_ctx = ssl.create_default_context(cafile=str(ca_file))
        self._lock = threading.Lock()
        self._delay_s = 0.0
        self._arms: list[Arm] = []
        self._stats = ProxyStats()
        self._conns: set[_Conn] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._listener: asyncio.Server | None = None
        self._loop = asyncio.new_event_loop()
        self._loop.set_exception_handler(self._on_loop_error)
        self._thread = threading.Thread(target=self._loop.run_forever, name="chaos-proxy", daemon=True)

    # --- life ---------------------------------------------------------------------------------------

    def start(self) -> ChaosProxy:
        """Start the loop thread and listen."""
        self._thread.start()
        self._run(self._listen())
        return self

    def close(self) -> None:
        """Stop listening, reset every connection and stop the loop thread."""
        if not self._thread.is_alive():
            return
        self._run(self._shut(count=False, final=True))
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    def __enter__(self) -> ChaosProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def url(self) -> str:
        """Where the counters connect."""
        return f"https://{HOST}:{self.port}"

    # --- control ------------------------------------------------------------------------------------

    def heal(self) -> None:
        """Back to ``pass``: no delay, listening again after a cut."""
        with self._lock:
            self._delay_s = 0.0
        self._run(self._listen())

    def delay(self, seconds: float) -> None:
        """Add ``seconds`` of latency to every chunk, both ways (0: none)."""
        with self._lock:
            self._delay_s = max(0.0, seconds)

    def cut(self) -> None:
        """Refuse new connections and reset the open ones, until :meth:`heal`."""
        self._run(self._shut(count=True))

    @property
    def is_cut(self) -> bool:
        """True between :meth:`cut` and :meth:`heal`."""
        return self._listener is None

    def arm_cut_after_commit(self, methods: frozenset[str] = COMMITTING_METHODS) -> Arm:
        """Drop the next ``200`` answer to one of ``methods`` as it starts coming back (module docstring)."""
        arm = Arm(methods=frozenset(methods))
        with self._lock:
            self._arms.append(arm)
        return arm

    def disarm(self, arm: Arm) -> None:
        """Withdraw an arm that has not fired."""
        with self._lock, contextlib.suppress(ValueError):
            self._arms.remove(arm)

    def stats(self) -> ProxyStats:
        """A copy of the counters."""
        with self._lock:
            return ProxyStats(**{**vars(self._stats),
                                 "after_commit_by_method": dict(self._stats.after_commit_by_method)})

    # --- the loop side --------------------------------------------------------------------------------

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(30)

    def _on_loop_error(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        # Resets are what this proxy is for: the transports' complaints about them are expected.
        log.debug("proxy loop: %s", context.get("message"), exc_info=context.get("exception"))

    async def _listen(self) -> None:
        if self._listener is None:
            self._listener = await asyncio.start_server(self._serve, HOST, self.port, ssl=self._server_ctx,
                                                        reuse_address=True, ssl_handshake_timeout=10)

    async def _shut(self, *, count: bool, final: bool = False) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        conns = list(self._conns)
        self._conns.clear()
        for conn in conns:
            conn.abort()
        if final:  # let every connection's task see its reset and end, so nothing is left half-closed
            if listener is not None:
                await listener.wait_closed()
            if self._tasks:
                await asyncio.wait(list(self._tasks), timeout=10)
        if count:
            with self._lock:
                self._stats.cuts += 1
                self._stats.resets += len(conns)

    def _match_arm(self, target: str) -> Arm | None:
        with self._lock:
            method = target.removeprefix("/rpc/")
            for arm in self._arms:
                if method in arm.methods:
                    return arm
        return None

    @staticmethod
    async def _read_answer(reader: asyncio.StreamReader, data: bytes) -> tuple[bytes, bool]:
        """Read the whole answer that ``data`` starts (the counter sees none of it until it is forwarded)
        and tell whether the server committed something: a ``200`` to a payment, or a batch with at
        least one booked result."""
        while b"\r\n\r\n" not in data and len(data) < _MAX_HEADER:
            more = await reader.read(_CHUNK)
            if not more:
                return data, False
            data += more
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = lines[0].split(" ")
        if len(status) < 2 or status[1] != "200":
            return data, False
        length = next((int(v.strip()) for k, _, v in (line.partition(":") for line in lines[1:])
                       if k.strip().lower() == "content-length" and v.strip().isdigit()), None)
        while length is not None and len(body) < length:
            more = await reader.read(_CHUNK)
            if not more:
                break
            data += more
            body += more
        with contextlib.suppress(ValueError, AttributeError, TypeError):
            outcomes = json.loads(body).get("outcomes")
            if isinstance(outcomes, list):  # a replayed batch: committed if one call in it was booked
                return data, any(isinstance(o, dict) and o.get("result") is not None for o in outcomes)
        return data, True

    def _fire(self, arm: Arm, target: str) -> bool:
        """Take ``arm`` (False if it fired or was withdrawn meanwhile) and count the cut."""
        method = target.removeprefix("/rpc/")
        with self._lock:
            if arm not in self._arms:
                return False
            self._arms.remove(arm)
            self._stats.after_commit += 1
            by_method = self._stats.after_commit_by_method
            by_method[method] = by_method.get(method, 0) + 1
        arm.method = method
        arm.fired.set()
        return True

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        conn = _Conn(writer)
        if self._listener is None:  # accepted just before a cut
            conn.abort()
            return
        self._conns.add(conn)
        with self._lock:
            self._stats.connections += 1
        try:
            try:
                up_reader, up_writer = await asyncio.open_connection(
                    HOST, self.upstream_port, ssl=self._client_ctx, server_hostname=HOST, ssl_handshake_timeout=10)
            except (OSError, ssl.SSLError, TimeoutError):
                with self._lock:
                    self._stats.upstream_down += 1
                return
            conn.upstream = up_writer
            if conn not in self._conns:  # cut while connecting
                return
            await asyncio.gather(self._to_server(conn, reader, up_writer), self._to_client(conn, up_reader, writer))
        except (OSError, ssl.SSLError, asyncio.IncompleteReadError, TimeoutError):
            pass
        finally:
            self._conns.discard(conn)
            conn.abort()

    async def _pause(self, *, to_server: bool) -> None:
        with self._lock:
            delay = self._delay_s
            if delay:
                if to_server:
                    self._stats.delayed_to_server += 1
                else:
                    self._stats.delayed_to_client += 1
        if delay:
            await asyncio.sleep(delay)

    async def _to_server(self, conn: _Conn, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        framer = _RequestFramer()
        try:
            while data := await reader.read(_CHUNK):
                targets = framer.feed(data)
                if targets:
                    conn.awaiting = targets[-1]
                await self._pause(to_server=True)
                writer.write(data)
                await writer.drain()
        finally:
            conn.abort()  # the counter closed or reset: so does the server side

    async def _to_client(self, conn: _Conn, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(_CHUNK):
                target, conn.awaiting = conn.awaiting or "", None
                arm = self._match_arm(target) if target else None
                if arm is not None:
                    data, committed = await self._read_answer(reader, data)
                    if committed and self._fire(arm, target):
                        log.info("cut after commit: dropped the answer to %s", target)
                        return  # finally: both connections reset, not one byte forwarded
                    if not committed:
                        arm.passed_non_200 += 1
                await self._pause(to_server=False)
                writer.write(data)
                await writer.drain()
        finally:
            conn.abort()
