"""Test helpers that speak the wire protocol to the dispatcher, as the client's stub does."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from typing import Any

from server.rpc.dispatch import Dispatcher
from shared_models.rpc import CONTRACT_VERSION, REGISTRY, load_all
from tests.factories import DEVICE_KEYS, password_for


@dataclass
class Answer:
    """Status and decoded body of one call."""

    status: int
    body: dict[str, Any]

    @property
    def code(self) -> str | None:
        """The error code, or None on success."""
        err = self.body.get("error")
        return err["code"] if isinstance(err, dict) else None

    @property
    def params(self) -> dict[str, Any]:
        """The error parameters."""
        return dict(self.body["error"]["params"])


class Caller:
    """Builds headers like the client: contract version, token, counter, idempotency key, co-sign."""

    def __init__(self, dispatcher: Dispatcher, counter: str = "T0101") -> None:
        load_all()
        self.dispatcher = dispatcher
        self.counter = counter
        self.token: str | None = None

    def raw(self, method: str, body: bytes, headers: dict[str, str]) -> Answer:
        """Send bytes with exactly these headers (lower-cased, as ASGI delivers them)."""
        reply = self.dispatcher.handle(method, {k.lower(): v for k, v in headers.items()}, body)
        return Answer(reply.status, json.loads(reply.body))

    def call(
        self, method: str, params: dict[str, Any] | None = None, *, key: str | None = None,
        cosign: tuple[str, str] | None = None, token: str | None = None, counter: str | None = None,
    ) -> Answer:
        """Call ``method`` as the signed-in user; mutating calls get a fresh key unless given one."""
        headers = {"X-GridCounter-Contract": CONTRACT_VERSION}
        tok = token if token is not None else self.token
        if tok:
            headers["Authorization"] = f"Bearer {tok}"
        headers["X-GridCounter-Counter"] = counter or self.counter
        rpc = REGISTRY[method]
        if rpc.mutating:
            headers["Idempotency-Key"] = key or str(uuid.uuid4())
        if cosign is not None:
            blob = json.dumps({"username": cosign[0], "password": cosign[1]}).encode()
            headers["X-GridCounter-Cosign"] = base64.b64encode(blob).decode()
        return self.raw(method, json.dumps(params or {}).encode(), headers)

    def login(self, username: str, password: str | None = None, *, counter: str | None = None) -> Answer:
        """Sign in at this caller's counter with its device key; keeps the token on success."""
        counter = counter or self.counter
        answer = self.call("auth.login", {
            "username": username, "password": password if password is not None else password_for(username),
            "counter_code": counter, "device_key": DEVICE_KEYS.get(counter),
        }, counter=counter)
        if answer.status == 200:
            self.token = answer.body["token"]
        return answer
