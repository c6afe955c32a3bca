"""The chaos proxy on its own: pass, delay, cut and heal, and the cut after commit (against a small
HTTPS server that counts what it committed)."""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from server.tls import TlsFiles, ensure_tls
from tests.chaos.proxy import ChaosProxy, _RequestFramer

pytestmark = pytest.mark.timeout(60)


@dataclass
class Upstream:
    """What the small server committed, per method; ``slow_s`` holds every answer back."""

    committed: Counter[str] = field(default_factory=Counter)
    slow_s: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _handler(state: Upstream) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            method = self.path.removeprefix("/rpc/")
            if state.slow_s:
                time.sleep(state.slow_s)
            status = 200
            answer: dict[str, object] = {"ok": True}
            if method == "fail.later":
                status, answer = 503, {"error": {"code": "SERVICE_UNAVAILABLE", "params": {}}}
            elif method == "outbox.replay_batch":
                wanted = json.loads(body)["booked"]
                answer = {"outcomes": [{"key": "k", "result": {"n": 1} if wanted else None,
                                        "error": None if wanted else {"code": "SERVICE_UNAVAILABLE"}}]}
            if status == 200:
                with state.lock:
                    state.committed[method] += 1
            raw = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@dataclass
class Link:
    proxy: ChaosProxy
    upstream: Upstream
    tls: TlsFiles

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.proxy.url, verify=ssl.create_default_context(cafile=str(self.tls.ca_cert)),
                            timeout=httpx.Timeout(5.0, connect=2.0), trust_env=False)


@pytest.fixture
def link(tmp_path: Path) -> Iterator[Link]:
    """A TLS server on 127.0.0.1 behind a chaos proxy."""
    tls = ensure_tls(tls_dir=tmp_path / "tls", hostnames=["127.0.0.1"])
    state = Upstream()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(certfile=str(tls.server_cert), keyfile=str(tls.server_key))
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    serving = threading.Thread(target=httpd.serve_forever, daemon=True)
    serving.start()
    proxy = ChaosProxy(upstream_port=httpd.server_address[1], cert_file=tls.server_cert, key_file=tls.server_key,
                       ca_file=tls.ca_cert).start()
    try:
        yield Link(proxy=proxy, upstream=state, tls=tls)
    finally:
        proxy.close()
        httpd.shutdown()
        httpd.server_close()
        serving.join(5)


def _post(client: httpx.Client, method: str, body: object = None) -> httpx.Response:
    return client.post(f"/rpc/{method}", json=body or {})


class TestModes:
    def test_pass(self, link: Link) -> None:
        """In pass mode calls go through on one kept-alive connection."""
        with link.client() as client:
            for _ in range(3):
                assert _post(client, "payment.pay_bills").json() == {"ok": True}
        assert link.upstream.committed["payment.pay_bills"] == 3
        assert link.proxy.stats().connections == 1

    def test_delay(self, link: Link) -> None:
        """A delay holds back every chunk both ways, and nothing once it is lifted (counted, not timed)."""
        with link.client() as client:
            _post(client, "system.handshake")  # the TLS handshake is not part of the measure
            link.proxy.delay(0.05)
            before = link.proxy.stats()
            assert _post(client, "system.handshake").status_code == 200
            during = link.proxy.stats()
            assert during.delayed_to_server > before.delayed_to_server
            assert during.delayed_to_client > before.delayed_to_client
            link.proxy.delay(0)
            assert _post(client, "system.handshake").status_code == 200
            after = link.proxy.stats()
            assert (after.delayed_to_server, after.delayed_to_client) == (
                during.delayed_to_server, during.delayed_to_client)

    def test_cut_refuses_and_resets_then_heals(self, link: Link) -> None:
        """A cut resets the call in flight and refuses new connections until the link is healed."""
        link.upstream.slow_s = 0.5
        failed: list[BaseException] = []

        def in_flight() -> None:
            with link.client() as client:
                try:
                    _post(client, "payment.pay_bills")
                except httpx.HTTPError as exc:
                    failed.append(exc)

        caller = threading.Thread(target=in_flight)
        caller.start()
        deadline = time.monotonic() + 5
        while link.proxy.stats().connections == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        link.proxy.cut()
        caller.join(10)
        assert len(failed) == 1
        assert link.proxy.is_cut
        with socket.socket() as s, pytest.raises(ConnectionRefusedError):
            s.connect(("127.0.0.1", link.proxy.port))
        link.upstream.slow_s = 0
        link.proxy.heal()
        with link.client() as client:
            assert _post(client, "payment.pay_bills").status_code == 200
        stats = link.proxy.stats()
        assert (stats.cuts, stats.resets, stats.after_commit) == (1, 1, 0)


class TestCutAfterCommit:
    def test_answer_dropped_after_commit(self, link: Link) -> None:
        """Armed, the next payment is committed upstream but its answer never reaches the caller; the
        arm fires once and the next call passes."""
        arm = link.proxy.arm_cut_after_commit()
        with link.client() as client:
            _post(client, "payment.get_quote")  # other methods are not aimed at
            with pytest.raises(httpx.RemoteProtocolError):
                _post(client, "payment.pay_bills")
            assert arm.fired.is_set()
            assert arm.method == "payment.pay_bills"
            assert _post(client, "payment.pay_bills").status_code == 200
        assert link.upstream.committed["payment.pay_bills"] == 2  # the dropped one was committed
        stats = link.proxy.stats()
        assert stats.after_commit == 1
        assert stats.after_commit_by_method == {"payment.pay_bills": 1}

    def test_refusals_and_empty_batches_pass(self, link: Link) -> None:
        """A "try later" answer and a batch that booked nothing are not commits: they go through, and
        the arm waits for a batch that booked something."""
        arm = link.proxy.arm_cut_after_commit(frozenset({"fail.later", "outbox.replay_batch"}))
        with link.client() as client:
            assert _post(client, "fail.later").status_code == 503
            assert _post(client, "outbox.replay_batch", {"booked": False}).json()["outcomes"][0]["result"] is None
            assert not arm.fired.is_set()
            with pytest.raises(httpx.RemoteProtocolError):
                _post(client, "outbox.replay_batch", {"booked": True})
        assert arm.passed_non_200 == 2
        assert arm.method == "outbox.replay_batch"

    def test_disarm(self, link: Link) -> None:
        """A withdrawn arm cuts nothing."""
        link.proxy.disarm(link.proxy.arm_cut_after_commit())
        with link.client() as client:
            assert _post(client, "payment.pay_bills").status_code == 200
        assert link.proxy.stats().after_commit == 0


class TestRequestFramer:
    def test_requests_split_anywhere(self) -> None:
        """Request starts are found whatever the chunking, bodies skipped by their length."""
        one = b"POST /rpc/a HTTP/1.1\r\nContent-Length: 5\r\n\r\n\r\n\r\nx"
        two = b"POST /rpc/b HTTP/1.1\r\ncontent-length: 0\r\n\r\n"
        stream = one + two
        for cut in range(1, len(stream)):
            framer = _RequestFramer()
            assert framer.feed(stream[:cut]) + framer.feed(stream[cut:]) == ["/rpc/a", "/rpc/b"]
