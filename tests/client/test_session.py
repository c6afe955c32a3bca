"""The signed-in state and the sign-in/sign-out steps, against the wire peer."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from keyrings.alt.file import PlaintextKeyring

from client.core.actions import ActionSlot
from client.core.rpc_client import RpcError
from client.core.secrets import SecretStore
from client.core.session import Session, SessionEvent, sign_in, sign_out
from shared_models.errors import ErrorCode
from shared_models.methods.auth import CounterInfo, LoginResult, UserInfo
from shared_models.roles import Perm, Role
from shared_models.rpc import Empty
from tests.client.wire_peer import Reply, RpcFactory, WirePeer


def login_result(*, change_required: bool = False) -> LoginResult:
    """A cashier signed in at counter H0101-01."""
    return LoginResult(
        token="tok-1",
        user=UserInfo(user_id=7, username="zhang", display_name="张三", role=Role.CASHIER,
                      permissions=[Perm.SESSION, Perm.VIEW_CUSTOMERS], org_unit_name="城东营业厅"),
        counter=CounterInfo(code="H0101-01", name="1号柜台", hall_code="H0101", hall_name="城东营业厅"),
        idle_timeout_s=1800, server_time=datetime.now(UTC), password_change_required=change_required,
    )


@pytest.fixture
def store(tmp_path: Path) -> SecretStore:
    """Secrets in a plain file keyring, with a device key for H0101-01."""
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring.cfg")
    secrets = SecretStore(backend)
    secrets.store_device_key(counter_code="H0101-01", key="device-key-1")
    return secrets


class TestSession:
    def test_listeners_hear_each_change(self) -> None:
        """Start, password change and end reach every listener; unsubscribing stops them."""
        session = Session()
        heard: list[SessionEvent] = []
        unsubscribe = session.subscribe(heard.append)
        session.start(login_result(change_required=True))
        assert session.password_change_required
        assert session.can(Perm.VIEW_CUSTOMERS)
        assert not session.can(Perm.MANAGE_USERS)
        session.mark_password_changed()
        session.end(ErrorCode.SESSION_EXPIRED)
        unsubscribe()
        session.start(login_result())
        assert heard == [SessionEvent.STARTED, SessionEvent.PASSWORD_CHANGED, SessionEvent.ENDED]
        assert session.permissions == frozenset({Perm.SESSION, Perm.VIEW_CUSTOMERS})

    def test_end_remembers_reason(self) -> None:
        """A session the server ended keeps the reason for the login window."""
        session = Session()
        session.start(login_result())
        session.end(ErrorCode.SESSION_INVALID)
        assert not session.signed_in
        assert session.ended_reason is ErrorCode.SESSION_INVALID
        assert session.permissions == frozenset()


class TestSignIn:
    def test_handshake_then_login_with_device_key(
        self, peer: WirePeer, make_rpc: RpcFactory, store: SecretStore
    ) -> None:
        """Sign-in shakes hands first, then logs in with this counter's device key and keeps the token."""
        peer.on("auth.login", Reply.ok(login_result()))
        rpc = make_rpc()
        result = sign_in(rpc=rpc, secrets=store, server_url=peer.url, counter_code="H0101-01",
                         username="zhang", password="pw-123456")
        assert [c.method for c in peer.calls] == ["system.handshake", "auth.login"]
        assert peer.calls_to("auth.login")[0].json() == {
            "username": "zhang", "password": "pw-123456", "counter_code": "H0101-01", "device_key": "device-key-1"}
        assert result.user.display_name == "张三"
        assert rpc.session_token == "tok-1"

    def test_impossible_user_name_refused_locally(
        self, peer: WirePeer, make_rpc: RpcFactory, store: SecretStore
    ) -> None:
        """A user name the contract forbids yields INVALID_REQUEST without a login request."""
        with pytest.raises(RpcError) as caught:
            sign_in(rpc=make_rpc(), secrets=store, server_url=peer.url, counter_code="H0101-01",
                    username="张三", password="pw")
        assert caught.value.code is ErrorCode.INVALID_REQUEST
        assert caught.value.params["field"] == "username"
        assert peer.calls_to("auth.login") == []

    def test_sign_out_keeps_a_newer_session(self, peer: WirePeer, make_rpc: RpcFactory) -> None:
        """A slow sign-out never clears the token of a session that signed in after it began."""
        rpc = make_rpc(peer.url)
        rpc.set_session(token="old", counter_code="H0101-01")

        def logout_while_new_user_signs_in(_: object) -> Reply:
            rpc.set_session(token="new", counter_code="H0101-01")
            return Reply.ok(Empty())

        peer.on("auth.logout", logout_while_new_user_signs_in)
        sign_out(rpc=rpc, action=ActionSlot().confirm("old"))
        assert peer.calls_to("auth.logout")[0].headers["authorization"] == "Bearer old"
        assert rpc.session_token == "new"

    def test_sign_out_offline_still_forgets(self, make_rpc: RpcFactory) -> None:
        """Sign-out without a server still drops the token locally."""
        rpc = make_rpc("https://127.0.0.1:9")
        rpc.set_session(token="tok", counter_code="H0101-01")
        sign_out(rpc=rpc, action=ActionSlot().confirm("tok"))
        assert rpc.session_token is None
