"""Helpers of the lost-answer tests (issue 10 §2): screens signed in through a link the test cuts right
after the server committed, and the server's audit log read to count how often an action was applied."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from client.core.actions import ActionSlot, ConfirmedAction
from client.core.rpc_client import RpcClient
from client.core.session import Session
from client.ui.context import UiContext
from client.ui.errors import ErrorHandler
from client.ui.ops import running_ops
from shared_models.methods.auth import LOGIN, LoginRequest
from shared_models.pinning import ca_fingerprint
from shared_models.rpc import Model
from tests.chaos.proxy import Arm, ChaosProxy
from tests.e2e.conftest import LiveServer
from tests.factories import DEVICE_KEYS, password_for

TIMEOUT_MS = 20_000

ViaLink = Callable[..., UiContext]


def sql(live: LiveServer, query: str, **params: object) -> list[tuple[Any, ...]]:
    """Rows of ``query`` on the live server's database."""
    engine = create_engine(live.db_url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(query), params)
            return [tuple(r) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()


@pytest.fixture
def link(live_server: LiveServer) -> Iterator[ChaosProxy]:
    """The hall's link to the live server: a proxy the test arms to drop an answer after the commit."""
    tls = live_server.ca.parent
    port = int(live_server.url.rsplit(":", 1)[1])
    with ChaosProxy(upstream_port=port, cert_file=tls / "server.pem", key_file=tls / "server.key",
                    ca_file=live_server.ca) as proxy:
        yield proxy


@pytest.fixture
def via_link(qapp: QApplication, live_server: LiveServer, link: ChaosProxy) -> Iterator[ViaLink]:
    """``via_link(username, counter, password=None)``: a screen context signed in through the link."""
    clients: list[RpcClient] = []

    def sign_in(username: str, counter: str, password: str | None = None) -> UiContext:
        pin = ca_fingerprint(live_server.ca.read_bytes())
        rpc = RpcClient(ca_file=live_server.ca, ca_pin=lambda: pin, client_version="test", server_url=link.url)
        clients.append(rpc)
        result = rpc.call(LOGIN, LoginRequest(username=username, password=password or password_for(username),
                                              counter_code=counter, device_key=DEVICE_KEYS[counter]))
        rpc.set_session(token=result.token, counter_code=counter)
        session = Session()
        session.start(result)
        lost: list[BaseException] = []
        return UiContext(rpc=rpc, session=session, report_error=ErrorHandler(on_session_lost=lost.append))

    yield sign_in
    for rpc in clients:
        rpc.close()


def dismiss_errors(widget: QWidget) -> None:
    """Close the error boxes a failed press opened (the user reads the message and presses again)."""
    for box in widget.findChildren(QMessageBox):
        box.close()


@dataclass
class LostAnswer:
    """One action whose first answer the link drops after the server committed it."""

    live: LiveServer
    method: str
    arm: Arm
    #: The last audit record before the action: what the action wrote comes after it.
    since: int
    first: ConfirmedAction | None = field(default=None)

    @classmethod
    def arm_for(cls, live: LiveServer, link: ChaosProxy, method: str) -> LostAnswer:
        """Arm the link to drop the next successful answer to ``method``."""
        [(since,)] = sql(live, "SELECT coalesce(max(id), 0) FROM audit_log")
        return cls(live=live, method=method, arm=link.arm_cut_after_commit(frozenset({method})), since=int(since))

    def applied(self) -> list[str]:
        """The idempotency keys under which the server applied ``method`` since the arming (one per time)."""
        rows = sql(self.live, "SELECT DISTINCT idempotency_key FROM audit_log WHERE method = :m AND id > :s",
                   m=self.method, s=self.since)
        return sorted(str(r[0]) for r in rows)

    def stored(self, key: str) -> Any:
        """The first result the server stored with the key (what every replay answers)."""
        [(response,)] = sql(self.live, "SELECT response FROM idempotency_records WHERE key = :k", k=key)
        return response

    def wait_lost(self, qtbot: QtBot, slot: ActionSlot) -> ConfirmedAction:
        """Wait until the answer was dropped and the press came back failed; the server committed once and
        the action the screen keeps is the one it committed."""
        qtbot.waitUntil(self.arm.fired.is_set, timeout=TIMEOUT_MS)
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)
        action = slot.pending
        assert action is not None, "the screen forgot the action whose answer was lost"
        assert self.applied() == [action.key]
        self.first = action
        return action

    def check_once(self, slot: ActionSlot, result: Model | None = None) -> Any:
        """After the second press: answered (the slot is free), still applied once under the first key, and
        ``result`` (when the screen hands one out) is the first result; the stored result is returned."""
        assert self.first is not None
        assert slot.pending is None, "the second press got no definite answer"
        assert self.applied() == [self.first.key]
        stored = self.stored(self.first.key)
        if result is not None:
            assert result.model_dump(mode="json") == stored
        return stored
