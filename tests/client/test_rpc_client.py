"""The client stub against a real HTTPS endpoint on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import socket
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from client.core.actions import ActionSlot, ConfirmedAction
from client.core.rpc_client import Cosign, RpcError, invalid_request, make_request, normalize_server_url
from server.tls import TlsFiles
from shared_models.errors import ErrorCode
from shared_models.methods.admin import RESET_PASSWORD, ResetPasswordRequest
from shared_models.methods.audit import LIST_AUDIT, AuditPage, ListAuditRequest
from shared_models.methods.auth import LOGOUT, WHOAMI, CounterInfo, UserInfo, WhoamiResult
from shared_models.methods.customers import UPDATE_CONTACT, UpdateContactRequest
from shared_models.money import FenField
from shared_models.roles import Perm, Role
from shared_models.rpc import CONTRACT_VERSION, MAX_REQUEST_BYTES, Empty, Model
from tests.client.wire_peer import Call, Reply, RpcFactory, WirePeer


def _whoami() -> WhoamiResult:
    return WhoamiResult(
        user=UserInfo(user_id=1, username="zhang", display_name="张三", role=Role.CASHIER,
                      permissions=[Perm.SESSION], org_unit_name="城东营业厅"),
        counter=CounterInfo(code="H0101-01", name="1号柜台", hall_code="H0101", hall_name="城东营业厅"),
        server_time=datetime.now(UTC), idle_timeout_s=1800,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class TestHeaders:
    def test_contract_header_on_every_call(self, peer: WirePeer, make_rpc: RpcFactory) -> None:
        """Every call names the contract version and sends JSON, without session headers before sign-in."""
        rpc = make_rpc(peer.url)
        result = rpc.handshake()
        (call,) = peer.calls_to("system.handshake")
        assert result.server_version == "test-peer"
        assert call.headers["x-gridcounter-contract"] == CONTRACT_VERSION
        assert call.headers["content-type"] == "application/json"
        assert "authorization" not in call.headers
        assert "x-gridcounter-counter" not in call.headers
        assert call.json() == {"contract_version": CONTRACT_VERSION, "client_version": "test"}

    def test_session_headers_once_signed_in(self, peer: WirePeer, make_rpc: RpcFactory) -> None:
        """After sign-in the bearer token and the counter code travel with each call."""
        peer.on("auth.whoami", Reply.ok(_whoami()))
        rpc = make_rpc(peer.url)
        rpc.set_session(token="tok-123", counter_code="H0101-01")
        assert rpc.call(WHOAMI, Empty()).user.display_name == "张三"
        (call,) = peer.calls_to("auth.whoami")
        assert call.headers["authorization"] == "Bearer tok-123"
        assert call.headers["x-gridcounter-counter"] == "H0101-01"

    def test_one_connection_is_kept_alive(self, peer: WirePeer, make_rpc: RpcFactory) -> None:
        """Consecutive calls reuse one HTTP/1.1 connection."""
        rpc = make_rpc(peer.url)
        for _ in range(3):
            rpc.handshake()
        assert len({c.client_port for c in peer.calls}) == 1

    def test_calls_from_many_threads(self, peer: WirePeer, make_rpc: RpcFactory) -> None:
        """One client serves concurrent calls from worker threads."""
        rpc = make_rpc(peer.url)
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(lambda _: rpc.handshake().contract_version, range(16)))
        assert results == [CONTRACT_VERSION] * 16


class TestIdempotency:
    def test_one_action_one_key(self, peer: WirePeer, make_rpc: RpcFactory) -> None:
        """Every send of one confirmed action carries its key; another action carries another key."""
        peer.on("auth.logout", Reply.ok(Empty()))
        rpc = make_rpc(peer.url)
        first, second = ActionSlot().confirm("press"), ActionSlot().confirm("press")
        for action in (first, first, second):
            rpc.send(LOGOUT, Empty(), action=action)
        keys = [c.headers["idempotency-key"] for c in peer.calls_to("auth.logout")]
        assert keys == [first.key, first.key, second.key]
        assert first.key != second.key
        assert all(str(uuid.UUID(k)) == k for k in keys)

    def test_outbox_key_is_sent_unchanged(self, peer: WirePeer, make_rpc: RpcFactory) -> None:
        """The outbox's own key reaches the server as given, so a replay is recognised."""
        peer.on("customer.update_contact", Reply.error(ErrorCode.CUSTOMER_NOT_FOUND, {"customer_no": "3100000001"}))
        rpc = make_rpc(peer.url)
        key = str(uuid.uuid4())
        with pytest.raises(RpcError):
            rpc.send(UPDATE_CONTACT, UpdateContactRequest(customer_no="3100000001", phone="13800000000"),
                     action=ConfirmedAction.from_outbox(key))
        (call,) = peer.calls_to("customer.update_contact")
        assert call.headers["idempotency-key"] == key

    def test_call_refuses_a_mutation_before_sending(self, peer: WirePeer, make_rpc: RpcFactory) -> None:
        """``call`` with a mutating method raises TypeError and nothing reaches the server."""
        peer.on("auth.logout", Reply.ok(Empty()))
        rpc = make_rpc(peer.url)
        with pytest.raises(TypeError, match=r"RpcClient\.send"):
            rpc.call(LOGOUT, Empty())  # type: ignore[arg-type]
        assert peer.calls_to("auth.logout") == []

    def test_send_refuses_a_query_and_a_missing_action(self, peer: WirePeer, make_rpc: RpcFactory) -> None:
        """``send`` takes only a mutation and only with a confirmed action; nothing is sent otherwise."""
        peer.on("auth.logout", Reply.ok(Empty()))
        rpc = make_rpc(peer.url)
        with pytest.raises(TypeError, match=r"RpcClient\.call"):
            rpc.send(WHOAMI, Empty(), action=ActionSlot().confirm("x"))  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="ConfirmedAction"):
            rpc.send(LOGOUT, Empty(), action=str(uuid.uuid4()))  # type: ignore[arg-type]
        assert peer.calls_to("auth.logout") == []
        assert peer.calls_to("auth.whoami") == []

    def test_reading_call_has_no_key(self, peer: WirePeer, make_rpc: RpcFactory) -> None:
        """A call that changes nothing carries no idempotency key."""
        make_rpc(peer.url).handshake()
        assert "idempotency-key" not in peer.calls_to("system.handshake")[0].headers


class TestCosign:
    def test_cosign_header_is_base64_json(self, peer: WirePeer, make_rpc: RpcFactory) -> None:
        """The co-signer's credential travels as base64 of a JSON object, Unicode intact."""
        peer.on("admin.reset_password", Reply.ok(Empty()))
        rpc = make_rpc(peer.url)
        rpc.send(RESET_PASSWORD, ResetPasswordRequest(username="li", new_password="new-pass-1"),
                 action=ActionSlot().confirm("reset"),
                 cosign=Cosign(username="wang.sup", password="班长密码 \"quoted\""))
        (call,) = peer.calls_to("admin.reset_password")
        decoded = json.loads(base64.b64decode(call.headers["x-gridcounter-cosign"], validate=True))
        assert decoded == {"username": "wang.sup", "password": "班长密码 \"quoted\""}

    def test_cosign_password_not_in_repr(self) -> None:
        """A co-sign credential never shows its password in logs or tracebacks."""
        assert "secret" not in repr(Cosign(username="wang", password="secret"))


class TestServerErrors:
    def test_error_envelope_becomes_rpc_error(self, peer: WirePeer, make_rpc: RpcFactory) -> None:
        """The envelope's code, params and ref arrive unchanged."""
        until = "2026-11-23T10:15:00+00:00"
        peer.on("auth.whoami", Reply.error(ErrorCode.ACCOUNT_LOCKED, {"minutes": 15, "until": until}, ref="r-1"))
        rpc = make_rpc(peer.url)
        with pytest.raises(RpcError) as caught:
            rpc.call(WHOAMI, Empty())
        assert caught.value.code is ErrorCode.ACCOUNT_LOCKED
        assert caught.value.params == {"minutes": 15, "until": until}
        assert caught.value.ref == "r-1"

    def test_lost_session_forgets_the_token(self, peer: WirePeer, make_rpc: RpcFactory) -> None:
        """SESSION_EXPIRED drops the token so no later call reuses it."""
        peer.on("auth.whoami", Reply.error(ErrorCode.SESSION_EXPIRED, {"minutes": 30}))
        rpc = make_rpc(peer.url)
        rpc.set_session(token="old", counter_code="H0101-01")
        with pytest.raises(RpcError):
            rpc.call(WHOAMI, Empty())
        assert rpc.session_token is None

    def test_contract_version_refused(self, peer: WirePeer, make_rpc: RpcFactory) -> None:
        """A server refusing our contract version yields CONTRACT_VERSION_UNSUPPORTED with both versions."""
        params = {"client_version": CONTRACT_VERSION, "server_version": "2.0"}
        peer.on("system.handshake", Reply.error(ErrorCode.CONTRACT_VERSION_UNSUPPORTED, params))
        with pytest.raises(RpcError) as caught:
            make_rpc(peer.url).handshake()
        assert caught.value.code is ErrorCode.CONTRACT_VERSION_UNSUPPORTED
        assert caught.value.params == params

    def test_newer_server_major_refused_by_client(self, peer: WirePeer, make_rpc: RpcFactory) -> None:
        """A handshake answer of another major version is refused by the client itself."""
        peer.on("system.handshake", lambda _: Reply(200, json.dumps(
            {"contract_version": "9.0", "server_version": "x", "server_time": "2026-11-23T10:00:00Z"}).encode()))
        with pytest.raises(RpcError) as caught:
            make_rpc(peer.url).handshake()
        assert caught.value.code is ErrorCode.CONTRACT_VERSION_UNSUPPORTED
        assert caught.value.params["server_version"] == "9.0"


class TestBadResponses:
    @pytest.mark.parametrize(("status", "body"), [
        (200, b"<html>proxy error</html>"),
        (502, b"Bad Gateway"),
        (200, b'{"contract_version": 1}'),
        (400, b'{"error": {"code": "NO_SUCH_CODE"}}'),
    ])
    def test_unreadable_answer_is_bad_response(
        self, peer: WirePeer, make_rpc: RpcFactory, status: int, body: bytes
    ) -> None:
        """A body that is not the contract's response or error envelope yields BAD_RESPONSE."""
        peer.on("system.handshake", Reply(status, body))
        with pytest.raises(RpcError) as caught:
            make_rpc(peer.url).handshake()
        assert caught.value.code is ErrorCode.BAD_RESPONSE


class TestTransport:
    def test_connection_refused_is_unreachable(self, make_rpc: RpcFactory) -> None:
        """Nobody listening yields NETWORK_UNREACHABLE."""
        with pytest.raises(RpcError) as caught:
            make_rpc(f"https://127.0.0.1:{_free_port()}").handshake()
        assert caught.value.code is ErrorCode.NETWORK_UNREACHABLE

    def test_slow_answer_is_timeout(self, peer: WirePeer, make_rpc: RpcFactory) -> None:
        """An answer slower than the read timeout yields NETWORK_TIMEOUT."""
        release = threading.Event()

        def stall(_: Call) -> Reply:
            release.wait(5)
            return Reply.ok(Empty())

        peer.on("auth.whoami", stall)
        rpc = make_rpc(peer.url, read_timeout_s=0.2)
        try:
            with pytest.raises(RpcError) as caught:
                rpc.call(WHOAMI, Empty())
        finally:
            release.set()
        assert caught.value.code is ErrorCode.NETWORK_TIMEOUT

    def test_foreign_certificate_is_untrusted(self, foreign_tls: TlsFiles, make_rpc: RpcFactory) -> None:
        """A server whose certificate another CA signed yields TLS_UNTRUSTED."""
        stranger = WirePeer(tls=foreign_tls)
        try:
            with pytest.raises(RpcError) as caught:
                make_rpc(stranger.url).handshake()
        finally:
            stranger.close()
        assert caught.value.code is ErrorCode.TLS_UNTRUSTED
        assert stranger.calls == []

    def test_ca_file_not_matching_pin_is_untrusted(self, peer: WirePeer, make_rpc: RpcFactory) -> None:
        """A CA file whose fingerprint differs from the pin yields TLS_UNTRUSTED before any request."""
        with pytest.raises(RpcError) as caught:
            make_rpc(peer.url, ca_pin=lambda: "00" * 32).handshake()
        assert caught.value.code is ErrorCode.TLS_UNTRUSTED
        assert peer.calls == []

    def test_missing_pin_is_untrusted(self, peer: WirePeer, make_rpc: RpcFactory) -> None:
        """Without a pinned fingerprint nothing is trusted."""
        with pytest.raises(RpcError) as caught:
            make_rpc(peer.url, ca_pin=lambda: None).handshake()
        assert caught.value.code is ErrorCode.TLS_UNTRUSTED

    def test_no_server_configured(self, make_rpc: RpcFactory) -> None:
        """A call before any server is set fails as unreachable, not with a crash."""
        with pytest.raises(RpcError) as caught:
            make_rpc(None).handshake()
        assert caught.value.code is ErrorCode.NETWORK_UNREACHABLE


class TestRequestChecks:
    def test_oversized_request_never_sent(self, peer: WirePeer, make_rpc: RpcFactory) -> None:
        """A body above the server's limit yields REQUEST_TOO_LARGE without a request."""
        rpc = make_rpc(peer.url)
        with pytest.raises(RpcError) as caught:
            rpc.call(LIST_AUDIT, ListAuditRequest(username="x" * (MAX_REQUEST_BYTES + 1)))
        assert caught.value.code is ErrorCode.REQUEST_TOO_LARGE
        assert caught.value.params == {"limit": MAX_REQUEST_BYTES}
        assert peer.calls_to("audit.list_records") == []

    def test_float_fen_is_its_own_code(self) -> None:
        """A float where fen belong yields FEN_NOT_INTEGER naming the field."""

        class Pay(Model):
            amount_fen: FenField

        with pytest.raises(ValidationError) as caught:
            Pay(amount_fen=12.5)  # type: ignore[arg-type]
        error = invalid_request(caught.value)
        assert (error.code, error.params) == (ErrorCode.FEN_NOT_INTEGER, {"field": "amount_fen"})

    def test_invalid_field_names_field_and_problem(self) -> None:
        """A value the contract refuses yields INVALID_REQUEST with the field and the problem kind."""
        with pytest.raises(RpcError) as caught:
            make_request(UpdateContactRequest, customer_no="3100000001", phone="call me")
        assert caught.value.code is ErrorCode.INVALID_REQUEST
        assert caught.value.params == {"field": "phone", "problem": "string_pattern_mismatch"}

    def test_response_parses_to_the_contract_model(self, peer: WirePeer, make_rpc: RpcFactory) -> None:
        """A success body is parsed into the method's response model."""
        peer.on("audit.list_records", Reply.ok(AuditPage(records=[])))
        assert make_rpc(peer.url).call(LIST_AUDIT, ListAuditRequest()) == AuditPage(records=[])


class TestServerUrl:
    @pytest.mark.parametrize(("text", "expected"), [
        ("https://hall.example:8443/", "https://hall.example:8443"),
        ("  https://10.1.2.3:8443 ", "https://10.1.2.3:8443"),
    ])
    def test_accepted(self, text: str, expected: str) -> None:
        """An https URL is trimmed of spaces and a trailing slash."""
        assert normalize_server_url(text) == expected

    @pytest.mark.parametrize("text", ["http://hall.example:8443", "hall.example:8443", "https://", "https://h:x",
                                      "https://h:8443/?q=1"])
    def test_refused(self, text: str) -> None:
        """Anything but an https URL with a host is refused: the pinned CA is the only trust."""
        with pytest.raises(ValueError, match=r"."):
            normalize_server_url(text)
