"""An outside fuzzer against the live server, from its own ``/openapi.json`` (issue 10 §7).

schemathesis draws schema-valid requests for every operation and sends each one signed in as a cashier (with
an open shift), as an administrator and without credentials, with a fresh idempotency key every time. Half of
the payment calls are chained to the real world: a seeded customer, the counter's next receipt number of
today and the due a live quote just gave, or a receipt booked earlier in the run. It fails on any 5xx, any
answer that breaks its documented schema (status, content type, body), and any schema-valid request the
server refuses for a reason the schema could have said (a validation-type code). Bounded and reproducible:
``derandomize`` and a fixed number of examples per operation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import ssl
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from shared_models.methods.payments import PAY
from shared_models.rpc import CONTRACT_VERSION, REGISTRY, load_all
from shared_models.rules.hall_time import HALL_TZ
from shared_models.rules.receipt_numbers import make_receipt_no
from tests.e2e.conftest import LiveServer
from tests.factories import COMMERCIAL, DEVICE_KEYS, LI_XIUYING, WANG_FANG, ZHANG_WEI, password_for

pytestmark = pytest.mark.slow

#: Examples per operation and identity: 39 operations x 3 identities x this, a few minutes on two busy cores.
MAX_EXAMPLES: Final = 12
#: Codes that say the request broke the contract: a schema-valid request must never get one.
VALIDATION_CODES: Final = frozenset({"MALFORMED_REQUEST", "INVALID_REQUEST", "FEN_NOT_INTEGER"})
#: Cross-field rules JSON Schema cannot state (``problem`` of their INVALID_REQUEST), in the schema's text. Rules
#: a model checks across its fields answer their own codes instead (``shared_models.cross_field``).
CROSS_FIELD_PROBLEMS: Final = frozenset({"greater_than_amount", "duplicate"})
#: Customers of the seeded world the chained payments pay for.
CUSTOMERS: Final = (ZHANG_WEI, WANG_FANG, LI_XIUYING, COMMERCIAL)
#: Calls that would end the fuzzer's own sessions or lock its users out: sent, but not as the signed-in
#: identities (they run without credentials, where they are refused before doing anything).
SESSION_ENDING: Final = frozenset({"auth.logout", "auth.change_password", "admin.set_user_active",
                                   "admin.reset_password"})
COUNTER: Final = "T0101"


@dataclass
class Identity:
    """Who sends: a session token and its counter, or nobody."""

    name: str
    token: str | None = None
    counter: str = COUNTER


@dataclass
class World:
    """The live server, its identities, and the receipt numbers this run booked."""

    server: LiveServer
    http: httpx.Client
    identities: list[Identity]
    next_seq: int = 1
    booked: list[str] = field(default_factory=list)

    def rpc(self, method: str, body: dict[str, Any], who: Identity) -> httpx.Response:
        """One call as our own client makes it."""
        headers = {"X-GridCounter-Contract": CONTRACT_VERSION, "X-GridCounter-Counter": who.counter,
                   "Idempotency-Key": str(uuid.uuid4())}
        if who.token:
            headers["Authorization"] = f"Bearer {who.token}"
        return self.http.post(f"/rpc/{method}", json=body, headers=headers)


def _sign_in(http: httpx.Client, username: str) -> Identity:
    answer = http.post("/rpc/auth.login", headers={"X-GridCounter-Contract": CONTRACT_VERSION}, json={
        "username": username, "password": password_for(username), "counter_code": COUNTER,
        "device_key": DEVICE_KEYS[COUNTER]})
    assert answer.status_code == 200, answer.text
    return Identity(username, token=answer.json()["token"])


@pytest.fixture(scope="module")
def world(live_server: LiveServer) -> Iterator[World]:
    """A cashier with an open shift at T0101, an administrator, and no credentials."""
    trust = ssl.create_default_context(cafile=str(live_server.ca))
    with httpx.Client(base_url=live_server.url, verify=trust, timeout=60) as http:
        cashier, admin = _sign_in(http, "cashier1"), _sign_in(http, "admin1")
        found = World(server=live_server, http=http, identities=[cashier, admin, Identity("anonymous")])
        opened = found.rpc("shift.open_shift", {"float_fen": 10_000}, cashier)
        assert opened.status_code == 200, opened.text
        yield found


def _digest(value: Any) -> bytes:
    """A hash of a generated value: the choices made from it keep the run reproducible."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).digest()


def _pick(value: Any, options: tuple[str, ...]) -> str:
    """A deterministic choice among ``options`` by the generated value."""
    return options[_digest(value)[0] % len(options)]


def _chain(world: World, method: str, body: Any) -> Any:
    """Half of the payment calls get real customers and receipt numbers (the other half stay as drawn)."""
    if not isinstance(body, dict) or _digest(body)[1] % 2:
        return body
    body = dict(body)
    cashier = world.identities[0]
    if "customer_no" in body:
        body["customer_no"] = _pick(body, CUSTOMERS)
    if method == "payment.pay_bills":
        quote = world.rpc("payment.get_quote", {"customer_no": body["customer_no"]}, cashier)
        if quote.status_code == 200:
            body["quoted_due_fen"] = quote.json()["due_fen"]
        today = dt.datetime.now(HALL_TZ).date()
        body["receipt_no"] = make_receipt_no(COUNTER, today, world.next_seq)
        body["local_time"] = dt.datetime.now(HALL_TZ).isoformat()
        body["accepted_offline"] = False
        amount = 1 + int.from_bytes(_digest(body.get("tenders"))[:4], "big") % 50_000
        body["tenders"] = [{"method": "cash", "amount_fen": amount, "cash_handed_fen": amount + amount % 7}]
        world.next_seq += 1
    elif "receipt_no" in body and world.booked:
        body["receipt_no"] = _pick(body, tuple(world.booked))
    return body


def _has_float(body: bytes | None) -> bool:
    """True when the JSON body holds a number written with a fraction or exponent (``409.0``)."""
    floats: list[str] = []
    if body:
        json.loads(body, parse_float=floats.append)
    return bool(floats)


def _check_refusal(response: Any) -> None:
    """A schema-valid request is never refused with a validation-type code; every error is an envelope.

    Two refusals are the schema's limits, not the server's looseness: JSON Schema counts ``409.0`` as an
    integer (the contract refuses every float, documented in the OpenAPI description), and it cannot
    compare two fields or find duplicates by key in a list (``CROSS_FIELD_PROBLEMS``).
    """
    if response.status_code == 200:
        return
    error = response.json()["error"]
    code, problem = error["code"], error["params"].get("problem")
    if code not in VALIDATION_CODES or problem in CROSS_FIELD_PROBLEMS:
        return
    # a float refused where an integer (or a union holding one) belongs: JSON Schema's 409.0 "integer"
    if (code == "FEN_NOT_INTEGER" or str(problem).endswith("_type")) and _has_float(response.request.body):
        return
    raise AssertionError(f"a schema-valid request refused: {response.request.url} {response.request.body!r} "
                         f"-> {response.text}")


CHECKS: Final = [not_a_server_error, status_code_conformance, content_type_conformance,
                 response_schema_conformance]


@pytest.fixture(scope="module")
def live_schema(world: World) -> schemathesis.BaseSchema:
    """The schema as the live server serves it, pointed at that server."""
    schema = schemathesis.openapi.from_dict(world.http.get("/openapi.json").json())
    schema.config.update(base_url=world.server.url)
    return schema


def _fuzz(world: World, operation: schemathesis.APIOperation[Any, Any, Any, Any], method: str,
          mutating: bool) -> None:
    """Run the operation's positive cases, each once per identity."""

    @settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(GenerationMode.POSITIVE))
    def run(case: schemathesis.Case[Any]) -> None:
        case.body = _chain(world, method, case.body)
        for who in world.identities:
            if who.token is not None and method in SESSION_ENDING:
                continue
            headers = {"X-GridCounter-Contract": CONTRACT_VERSION, "X-GridCounter-Counter": who.counter}
            if mutating:
                headers["Idempotency-Key"] = str(uuid.uuid4())
            if who.token is not None:
                headers["Authorization"] = f"Bearer {who.token}"
            response = case.call(headers=headers, verify=str(world.server.ca), timeout=60)
            case.validate_response(response, checks=CHECKS, headers=headers)
            _check_refusal(response)
            if method == "payment.pay_bills" and response.status_code == 200:
                world.booked.append(response.json()["receipt_no"])

    run()


@pytest.mark.parametrize("method", sorted(load_all(), key=lambda name: (name != PAY.name, name)))  # payments first
def test_fuzz_the_live_server(world: World, live_schema: schemathesis.BaseSchema, method: str) -> None:
    """Positive data for the operation, as a cashier, an administrator and nobody: no 5xx, no answer off its
    schema, and no validation-type refusal of a schema-valid request."""
    operations = [result.ok() for result in live_schema.get_all_operations()]  # type: ignore[union-attr]
    found = [op for op in operations if op.definition.raw["operationId"] == method]
    assert len(found) == 1
    _fuzz(world, found[0], method, REGISTRY[method].mutating)


def test_chained_payments_were_booked(world: World) -> None:
    """The chained payments of the run above booked real receipts, which the receipt calls then used."""
    assert world.booked, "no chained payment was booked"
