"""A tiny HTTPS endpoint on 127.0.0.1 speaking the RPC wire protocol, for client and UI tests.

It is a test double of the network peer, not of the server's logic: each test says what a method
answers (:class:`Reply`) and reads back what the client sent (:class:`Call`). It is for what the real
server cannot be made to do or show: a fault or an answer it never gives (another contract version, a
permission refused to a role that has it, a slow or broken reply), and the exact bytes and headers a
transport test reads back. Screens and flows the live server can answer run against it instead
(``tests/ui/live_client.py``, ``tests/ui/live_helpers.py``, ``tests/ui/desk_helpers.py``, ``tests/e2e``);
in the login, shell and working-screen tests (``tests/ui/test_login_window.py``, ``test_main_window.py``,
``test_screens.py``) the few tests still on this peer say in their docstrings why the stand-in is the point.
"""

from __future__ import annotations

import contextlib
import json
import socket
import ssl
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from client.core.rpc_client import RpcClient
from server.tls import TlsFiles, ensure_tls
from shared_models.errors import HTTP_STATUS, ErrorCode, ErrorEnvelope, ErrorPayload, ParamValue
from shared_models.methods.system import HandshakeResult
from shared_models.pinning import ca_fingerprint
from shared_models.rpc import CONTRACT_VERSION


@dataclass(frozen=True)
class Call:
    """One request as the peer received it; header names are lower case."""

    method: str
    headers: dict[str, str]
    body: bytes
    client_port: int

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


@dataclass(frozen=True)
class Reply:
    """What the peer answers."""

    status: int = 200
    body: bytes = b"{}"

    @classmethod
    def ok(cls, model: BaseModel) -> Reply:
        """HTTP 200 with ``model`` as JSON."""
        return cls(200, model.model_dump_json().encode())

    @classmethod
    def error(cls, code: ErrorCode, params: Mapping[str, ParamValue] | None = None, ref: str | None = None) -> Reply:
        """The error envelope of ``code`` with its HTTP status."""
        envelope = ErrorEnvelope(error=ErrorPayload(code=code, params=dict(params or {}), ref=ref))
        return cls(HTTP_STATUS.get(code, 400), envelope.model_dump_json().encode())


Handler = Callable[[Call], Reply]


def handshake_reply(_: Call) -> Reply:
    """A server of this contract version."""
    return Reply.ok(HandshakeResult(contract_version=CONTRACT_VERSION, server_version="test-peer",
                                    server_time=datetime.now(UTC)))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = True  # server_close joins the handler threads

    def __init__(self, peer: WirePeer) -> None:
        self.peer = peer
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _RequestHandler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that rejects our certificate aborts the handshake: expected in TLS tests, not noise.
        self.peer.connection_errors += 1


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_POST(self) -> None:
        peer = self.server.peer
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        method = self.path.removeprefix("/rpc/")
        call = Call(method=method, headers={k.lower(): v for k, v in self.headers.items()}, body=body,
                    client_port=self.client_address[1])
        with peer.lock:
            peer.calls.append(call)
            handler = peer.handlers.get(method)
        reply = handler(call) if handler else Reply.error(ErrorCode.UNKNOWN_METHOD, {"method": method})
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reads ``peer.calls`` instead."""


@dataclass
class WirePeer:
    """An HTTPS server on 127.0.0.1 with per-method canned answers."""

    tls: TlsFiles
    handlers: dict[str, Handler] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    connection_errors: int = 0

    def __post_init__(self) -> None:
        self.handlers.setdefault("system.handshake", handshake_reply)
        self._server = _Server(self)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(self.tls.server_cert), str(self.tls.server_key))
        # Handshake in the handler thread, so a client refusing the certificate never stalls accept().
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True,
                                                  do_handshake_on_connect=False)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="wire-peer", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """``https://127.0.0.1:<port>`` (the certificate names 127.0.0.1)."""
        return f"https://127.0.0.1:{self._server.server_address[1]}"

    def on(self, method: str, answer: Handler | Reply) -> None:
        """Answer ``method`` with ``answer`` (a fixed reply or a function of the call)."""
        with self.lock:
            if isinstance(answer, Reply):
                fixed = answer

                def answer(_: Call) -> Reply:
                    return fixed

            self.handlers[method] = answer

    def calls_to(self, method: str) -> list[Call]:
        """The calls of ``method`` so far."""
        with self.lock:
            return [c for c in self.calls if c.method == method]

    def close(self) -> None:
        """Stop serving, cut open connections and join every thread."""
        self._server.shutdown()
        with self._server.connections_lock:
            open_connections = list(self._server.connections)
        for conn in open_connections:
            with contextlib.suppress(OSError):  # already closed by the client
                conn.shutdown(socket.SHUT_RDWR)
        self._server.server_close()
        self._thread.join(timeout=10)


def make_tls(folder: Path) -> TlsFiles:
    """A private CA and a server certificate for localhost/127.0.0.1 (the server's own ``ensure_tls``)."""
    return ensure_tls(tls_dir=folder, hostnames=[])


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    """The CA and server certificate the tests trust."""
    return make_tls(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="session")
def foreign_tls(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    """A second, unrelated CA: a server presenting its certificate must not be trusted."""
    return make_tls(tmp_path_factory.mktemp("tls-foreign"))


RpcFactory = Callable[..., RpcClient]


@pytest.fixture
def make_rpc(tls_files: TlsFiles) -> Iterator[RpcFactory]:
    """Build RpcClients that trust the test CA; all are closed after the test."""
    made: list[RpcClient] = []
    pin = ca_fingerprint(tls_files.ca_cert.read_bytes())

    def build(server_url: str | None = None, **kwargs: Any) -> RpcClient:
        options: dict[str, Any] = {"ca_file": tls_files.ca_cert, "ca_pin": lambda: pin, "client_version": "test"}
        options.update(kwargs)
        client = RpcClient(server_url=server_url, **options)
        made.append(client)
        return client

    yield build
    for client in made:
        client.close()


@pytest.fixture
def peer(tls_files: TlsFiles) -> Iterator[WirePeer]:
    """A running wire peer, closed after the test."""
    wire = WirePeer(tls=tls_files)
    yield wire
    wire.close()
