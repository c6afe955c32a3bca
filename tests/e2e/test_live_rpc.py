"""The real client stub against the real server over HTTPS, on PostgreSQL."""

from __future__ import annotations

import json
import ssl
from pathlib import Path

import httpx
import pytest

from client.core.actions import ConfirmedAction
from client.core.rpc_client import RpcClient, RpcError
from shared_models.errors import ErrorCode
from shared_models.ids import new_idempotency_key
from shared_models.methods.auth import LOGIN, WHOAMI, LoginRequest
from shared_models.methods.customers import GET_CUSTOMER, UPDATE_CONTACT, GetCustomerRequest, UpdateContactRequest
from shared_models.pinning import ca_fingerprint
from shared_models.rpc import CONTRACT_VERSION, MAX_REQUEST_BYTES, REGISTRY, Empty
from tests.e2e.conftest import LiveServer
from tests.factories import DEVICE_KEYS, password_for


def _client(live: LiveServer, ca: Path | None = None) -> RpcClient:
    ca_file = ca or live.ca
    pin = ca_fingerprint(ca_file.read_bytes())
    return RpcClient(ca_file=ca_file, ca_pin=lambda: pin, client_version="test", server_url=live.url)


def _sign_in(client: RpcClient, username: str = "cashier1", counter: str = "T0101") -> None:
    result = client.call(LOGIN, LoginRequest(username=username, password=password_for(username),
                                             counter_code=counter, device_key=DEVICE_KEYS[counter]))
    client.set_session(token=result.token, counter_code=counter)


class TestLiveRpc:
    def test_handshake_sign_in_and_read(self, live_server: LiveServer) -> None:
        """Handshake, sign in, whoami and a customer read across worker processes."""
        client = _client(live_server)
        try:
            assert client.handshake().contract_version == CONTRACT_VERSION
            _sign_in(client)
            for _ in range(6):  # several calls land on both workers: the session lives in PostgreSQL
                assert client.call(WHOAMI, Empty()).user.username == "cashier1"
            profile = client.call(GET_CUSTOMER, GetCustomerRequest(customer_no="3301000001"))
            assert profile.name == "张伟"
        finally:
            client.close()

    def test_replay_over_the_wire(self, live_server: LiveServer) -> None:
        """A mutating call resent with its key returns the first result."""
        client = _client(live_server)
        try:
            _sign_in(client)
            key = new_idempotency_key()
            req = UpdateContactRequest(customer_no="3300000000002", phone="13911112222")
            first = client.send(UPDATE_CONTACT, req, action=ConfirmedAction.from_outbox(key))
            second = client.send(UPDATE_CONTACT, req, action=ConfirmedAction.from_outbox(key))
            assert first == second
        finally:
            client.close()

    def test_wrong_password_is_a_code(self, live_server: LiveServer) -> None:
        """The client gets INVALID_CREDENTIALS, not a traceback or an HTTP error."""
        client = _client(live_server)
        try:
            with pytest.raises(RpcError) as info:
                client.call(LOGIN, LoginRequest(username="cashier2", password="wrong-pass-1",
                                                counter_code="T0101", device_key=DEVICE_KEYS["T0101"]))
            assert info.value.code is ErrorCode.INVALID_CREDENTIALS
        finally:
            client.close()

    def test_untrusted_server_certificate(self, live_server: LiveServer, tmp_path: Path) -> None:
        """A client pinned to another CA refuses to talk: TLS_UNTRUSTED."""
        from server.tls import ensure_tls

        other = ensure_tls(tls_dir=tmp_path / "other", hostnames=[])
        client = _client(live_server, ca=other.ca_cert)
        try:
            with pytest.raises(RpcError) as info:
                client.handshake()
            assert info.value.code is ErrorCode.TLS_UNTRUSTED
        finally:
            client.close()


class TestLiveHttp:
    def test_oversized_body_is_refused_before_reading_it(self, live_server: LiveServer) -> None:
        """A declared body above the limit gets 413 REQUEST_TOO_LARGE."""
        body = b'{"contract_version":"1.0","client_version":"' + b"x" * (MAX_REQUEST_BYTES + 10) + b'"}'
        with httpx.Client(verify=ssl.create_default_context(cafile=live_server.ca)) as http:
            response = http.post(f"{live_server.url}/rpc/system.handshake", content=body,
                                 headers={"X-GridCounter-Contract": CONTRACT_VERSION})
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "REQUEST_TOO_LARGE"

    def test_malformed_body(self, live_server: LiveServer) -> None:
        """Garbage gets MALFORMED_REQUEST, never a traceback."""
        with httpx.Client(verify=ssl.create_default_context(cafile=live_server.ca)) as http:
            response = http.post(f"{live_server.url}/rpc/auth.login", content=b"\x00\xff{",
                                 headers={"X-GridCounter-Contract": CONTRACT_VERSION})
        assert response.status_code == 400
        assert response.json() == {"error": {"code": "MALFORMED_REQUEST", "params": {}, "ref": None}}

    def test_openapi_document(self, live_server: LiveServer) -> None:
        """``/openapi.json`` documents every method of the contract."""
        with httpx.Client(verify=ssl.create_default_context(cafile=live_server.ca)) as http:
            doc = http.get(f"{live_server.url}/openapi.json").json()
        assert {p.removeprefix("/rpc/") for p in doc["paths"]} == set(REGISTRY)
        assert json.dumps(doc)  # serialisable as served

    def test_health(self, live_server: LiveServer) -> None:
        """The health check reports the database reachable."""
        with httpx.Client(verify=ssl.create_default_context(cafile=live_server.ca)) as http:
            assert http.get(f"{live_server.url}/health").json()["status"] == "ok"
