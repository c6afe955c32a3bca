"""Shared parts of the benchmarks: start the server, a lean HTTPS client, CPU accounting, quantiles.

The load generators share the two cores with the server and PostgreSQL, so they use ``RawHttps``: one
kept-alive HTTP/1.1 connection over TLS per simulated counter, a few dozen lines of asyncio, a tenth
of httpx's CPU per call.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import ssl
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from shared_models.rpc import (  # noqa: E402 - after the path set-up above
    CONTRACT_VERSION,
    HEADER_AUTHORIZATION,
    HEADER_CONTRACT,
    HEADER_COUNTER,
    HEADER_IDEMPOTENCY_KEY,
)

_CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A running ``gridcounter-server serve``."""

    proc: subprocess.Popen[str]
    base_host: str
    port: int
    ca: Path

    def worker_pids(self) -> list[int]:
        """The uvicorn worker processes (children of the supervisor)."""
        return children(self.proc.pid)

    def stop(self) -> None:
        """Terminate and wait."""
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def start_server(*, url: str, data_dir: Path, pii_key: str, workers: int, env: Mapping[str, str] | None = None,
                 ) -> Server:
    """Start ``gridcounter-server serve`` on ``url`` and wait for its READY line."""
    port = free_port()
    full_env = {**os.environ, "GRIDCOUNTER_DATABASE_URL": url, "GRIDCOUNTER_PII_KEY": pii_key, **(env or {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "server", "--data-dir", str(data_dir), "serve", "--port", str(port),
         "--workers", str(workers)],
        env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("GRIDCOUNTER READY"):
            break
        sys.stderr.write(f"[server] {line}")
    else:
        raise SystemExit("the server did not start")
    # Keep draining the server's output so a chatty worker never blocks on a full pipe.
    import threading

    def drain() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            sys.stderr.write(f"[server] {line}")

    threading.Thread(target=drain, daemon=True).start()
    return Server(proc=proc, base_host="127.0.0.1", port=port, ca=data_dir / "tls" / "ca.pem")


# ---------------------------------------------------------------------------------------------- the client


class RpcCallError(RuntimeError):
    """A call answered with an error envelope."""

    def __init__(self, method: str, status: int, body: bytes) -> None:
        super().__init__(f"{method}: HTTP {status} {body[:300]!r}")
        self.status = status
        self.body = body

    @property
    def code(self) -> str:
        """The error code of the envelope, or '?'."""
        try:
            return str(json.loads(self.body)["error"]["code"])
        except (ValueError, KeyError, TypeError):
            return "?"


#: As the counter client's httpx pool: a connection idle this long is closed and a new one opened.
KEEPALIVE_EXPIRY_S = 5.0


class RawHttps:
    """One kept-alive HTTPS connection speaking just enough HTTP/1.1 for ``POST /rpc/<method>``; like the
    real client (httpx), it opens a new connection after ``KEEPALIVE_EXPIRY_S`` idle."""

    def __init__(self, host: str, port: int, ssl_ctx: ssl.SSLContext, *, counter: str, token: str = "") -> None:
        self._host, self._port, self._ssl = host, port, ssl_ctx
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._last_used = 0.0
        self.counter = counter
        self.token = token
        self.connections = 0

    async def connect(self) -> None:
        """Open the TLS connection (the handshake happens here, not in the first call)."""
        self._reader, self._writer = await asyncio.open_connection(self._host, self._port, ssl=self._ssl)
        self.connections += 1
        self._last_used = time.monotonic()
        sock = self._writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    async def close(self) -> None:
        """Close the connection."""
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(ConnectionError, ssl.SSLError):
                await self._writer.wait_closed()
            self._writer = self._reader = None

    async def post(self, method: str, payload: Mapping[str, Any], *, mutating: bool = False) -> tuple[int, bytes]:
        """Status and body of one call (reconnects once if the server closed the kept-alive connection)."""
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        head = [f"POST /rpc/{method} HTTP/1.1", f"Host: {self._host}:{self._port}",
                "Content-Type: application/json", f"Content-Length: {len(body)}",
                f"{HEADER_CONTRACT}: {CONTRACT_VERSION}", f"{HEADER_COUNTER}: {self.counter}"]
        if self.token:
            head.append(f"{HEADER_AUTHORIZATION}: Bearer {self.token}")
        if mutating:
            head.append(f"{HEADER_IDEMPOTENCY_KEY}: {uuid.uuid4()}")
        request = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        if self._writer is not None and time.monotonic() - self._last_used > KEEPALIVE_EXPIRY_S:
            await self.close()
        if self._writer is None:
            await self.connect()
        try:
            return await self._exchange(request)
        except (ConnectionError, asyncio.IncompleteReadError):
            # Only when nothing came back; a mutating call carries its idempotency key, so a
            # retry with the same bytes can never apply twice.
            await self.close()
            await self.connect()
            return await self._exchange(request)

    async def _exchange(self, request: bytes) -> tuple[int, bytes]:
        assert self._reader is not None
        assert self._writer is not None
        self._writer.write(request)
        head = await self._reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length = 0
        close = False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            lname = name.strip().lower()
            if lname == "content-length":
                length = int(value)
            elif lname == "connection" and value.strip().lower() == "close":
                close = True
        data = await self._reader.readexactly(length) if length else b""
        self._last_used = time.monotonic()
        if close:
            await self.close()
        return status, data

    async def call(self, method: str, payload: Mapping[str, Any], *, mutating: bool = False) -> Any:
        """The decoded result of one call; RpcCallError on an error envelope."""
        status, data = await self.post(method, payload, mutating=mutating)
        if status != 200:
            raise RpcCallError(method, status, data)
        return json.loads(data)


def client_ssl(ca: Path) -> ssl.SSLContext:
    """A context trusting the server's private CA."""
    return ssl.create_default_context(cafile=str(ca))


def event_loop_runner() -> asyncio.Runner:
    """An asyncio runner on uvloop (the server's loop too): less load-generator CPU per call."""
    import uvloop

    return asyncio.Runner(loop_factory=uvloop.new_event_loop)


# ---------------------------------------------------------------------------------------------- CPU accounting


def children(pid: int) -> list[int]:
    """All descendants of ``pid``."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(raw[raw.rindex(")") + 2:].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    out: list[int] = []
    todo = [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def postgres_pids(pgdata: Path) -> list[int]:
    """Live postgres processes of the cluster in ``pgdata`` (their working directory is PGDATA)."""
    target = os.path.realpath(pgdata)
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() != "postgres" or os.readlink(entry / "cwd") != target:
                continue
        except OSError:
            continue
        found.append(int(entry.name))
    return found


def process_cpu_s(pid: int) -> tuple[float, float]:
    """(user, system) CPU seconds used so far by ``pid`` ((0, 0) when it is gone)."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0, 0.0
    fields = raw[raw.rindex(")") + 2:].split()
    return int(fields[11]) / _CLK_TCK, int(fields[12]) / _CLK_TCK


def machine_cpu_s() -> float:
    """Busy CPU seconds of the whole machine since boot, over all cores."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / _CLK_TCK


@dataclass
class CpuMeter:
    """Cores used by named groups of processes between ``start()`` and ``stop()``; a group is a
    function listing its processes, asked again at the end (connections come and go)."""

    groups: dict[str, Callable[[], list[int]]]
    _start: dict[int, tuple[float, float]] = field(default_factory=dict)
    _machine: float = 0.0
    _t0: float = 0.0
    #: Of each group's CPU, the share spent in the kernel (system time): networking, switches.
    kernel_share: dict[str, float] = field(default_factory=dict)

    def start(self) -> None:
        """Take the first sample."""
        self._start = {pid: process_cpu_s(pid) for pids in self.groups.values() for pid in pids()}
        self._machine = machine_cpu_s()
        self._t0 = time.monotonic()

    def stop(self) -> dict[str, float]:
        """Cores used per group (1.0 = one core busy), plus ``machine`` (everything) and ``other``
        (processes outside the groups: other people's work on a shared machine)."""
        wall = max(time.monotonic() - self._t0, 1e-6)
        result = {}
        for name, pids in self.groups.items():
            user = system = 0.0
            for pid in pids():
                u0, s0 = self._start.get(pid, (0.0, 0.0))
                u1, s1 = process_cpu_s(pid)
                user, system = user + u1 - u0, system + s1 - s0
            result[name] = (user + system) / wall
            self.kernel_share[name] = system / (user + system) if user + system else 0.0
        result["machine"] = (machine_cpu_s() - self._machine) / wall
        result["other"] = max(0.0, result["machine"] - sum(v for k, v in result.items() if k != "machine"))
        return result


def quantile_ms(latencies_s: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) in milliseconds; NaN without data."""
    if len(latencies_s) < 2:
        return latencies_s[0] * 1000 if latencies_s else float("nan")
    cuts = statistics.quantiles(latencies_s, n=1000, method="inclusive")
    return cuts[min(len(cuts) - 1, max(0, round(q * 1000) - 1))] * 1000
