"""The contract refuses what the payment service refuses: every money amount of the payment methods (a
tender's part and cash handed over, the quoted due, a quote's amount) sent out of bounds over HTTPS to the
live server gets the contract's code, and nothing is written."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from client.core.rpc_client import RpcClient, RpcError
from shared_models.ids import new_idempotency_key
from shared_models.methods.auth import LOGIN, LoginRequest
from shared_models.methods.shifts import GET_CURRENT, OPEN, OpenShiftRequest
from shared_models.money import MAX_PAYMENT_FEN
from shared_models.pinning import ca_fingerprint
from shared_models.rpc import (
    CONTRACT_VERSION,
    HEADER_AUTHORIZATION,
    HEADER_CONTRACT,
    HEADER_COUNTER,
    HEADER_IDEMPOTENCY_KEY,
    Empty,
)
from shared_models.rules.hall_time import hall_now
from shared_models.rules.receipt_numbers import make_receipt_no
from tests.action_helpers import confirmed
from tests.e2e.conftest import LiveServer
from tests.factories import DEVICE_KEYS, ZHANG_WEI, password_for
from tests.server.payment_helpers import cash, counts, other

TOO_LARGE = MAX_PAYMENT_FEN + 1


class Wire:
    """Raw JSON to the live server as cashier1 at T0101, signed in with a shift open (no client-side checks)."""

    def __init__(self, live: LiveServer) -> None:
        pin = ca_fingerprint(live.ca.read_bytes())
        self.rpc = RpcClient(ca_file=live.ca, ca_pin=lambda: pin, client_version="test", server_url=live.url)
        result = self.rpc.call(LOGIN, LoginRequest(username="cashier1", password=password_for("cashier1"),
                                                   counter_code="T0101", device_key=DEVICE_KEYS["T0101"]))
        self.rpc.set_session(token=result.token, counter_code="T0101")
        try:
            self.rpc.send(OPEN, OpenShiftRequest(float_fen=0), action=confirmed())
        except RpcError:  # an earlier test of the module left the shift open
            assert self.rpc.call(GET_CURRENT, Empty()).shift is not None
        self.next_seq = self.rpc.call(GET_CURRENT, Empty()).next_receipt_seq
        self.http = httpx.Client(base_url=live.url, verify=ssl.create_default_context(cafile=live.ca))
        self.headers = {HEADER_CONTRACT: CONTRACT_VERSION, HEADER_AUTHORIZATION: f"Bearer {result.token}",
                        HEADER_COUNTER: "T0101"}

    def post(self, method: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """One call; a mutation gets a fresh idempotency key. The status and the error payload (or the body)."""
        headers = {**self.headers, HEADER_IDEMPOTENCY_KEY: new_idempotency_key()}
        response = self.http.post(f"/rpc/{method}", json=body, headers=headers)
        data = response.json()
        return response.status_code, data.get("error", data)

    def pay_body(self, tenders: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
        """A payment to 张伟 with the next receipt number, as the desk would send it."""
        return {"customer_no": ZHANG_WEI, "receipt_no": make_receipt_no("T0101", hall_now().date(), self.next_seq),
                "tenders": tenders, "quoted_due_fen": 0, "accepted_offline": True, **fields}

    def close(self) -> None:
        """Close both connections."""
        self.http.close()
        self.rpc.close()


@pytest.fixture
def wire(live_server: LiveServer) -> Iterator[Wire]:
    """The raw wire to the live server."""
    peer = Wire(live_server)
    yield peer
    peer.close()


@pytest.fixture
def books(live_server: LiveServer) -> Iterator[Session]:
    """A session on the live server's database, to see that nothing was written."""
    engine = create_engine(live_server.db_url)
    with Session(engine) as session:
        yield session
    engine.dispose()


_TOO_LARGE_PARAMS = {"amount_fen": TOO_LARGE, "limit_fen": MAX_PAYMENT_FEN}


class TestPaymentAmounts:
    @pytest.mark.parametrize(("tenders", "fields", "expected"), [
        ([cash(0, 0)], {}, ("AMOUNT_NOT_POSITIVE", {})),
        ([cash(-100, 0)], {}, ("AMOUNT_NOT_POSITIVE", {})),
        ([cash(500), other("qr", -1)], {}, ("AMOUNT_NOT_POSITIVE", {})),
        ([cash(TOO_LARGE)], {}, ("AMOUNT_TOO_LARGE", _TOO_LARGE_PARAMS)),
        ([cash(100), other("bank_card", TOO_LARGE, "POS-1")], {}, ("AMOUNT_TOO_LARGE", _TOO_LARGE_PARAMS)),
        ([cash(100, -1)], {}, ("INVALID_REQUEST", {"field": "tenders.0.cash_handed_fen",
                                                   "problem": "greater_than_equal"})),
        ([cash(100)], {"quoted_due_fen": -1}, ("INVALID_REQUEST", {"field": "quoted_due_fen",
                                                                   "problem": "greater_than_equal"})),
        ([{"method": "cash", "amount_fen": 100.0, "cash_handed_fen": 100}], {},
         ("FEN_NOT_INTEGER", {"field": "tenders.0.amount_fen"})),
        ([{"method": "cash", "amount_fen": True, "cash_handed_fen": 1}], {},
         ("FEN_NOT_INTEGER", {"field": "tenders.0.amount_fen"})),
        ([{"method": "cash", "amount_fen": "100", "cash_handed_fen": 100}], {},
         ("FEN_NOT_INTEGER", {"field": "tenders.0.amount_fen"})),
        ([cash(100)], {"quoted_due_fen": 1.5}, ("FEN_NOT_INTEGER", {"field": "quoted_due_fen"})),
    ], ids=["zero", "negative", "negative-part", "above-any-limit", "part-above-any-limit", "cash-handed-negative",
            "quoted-due-negative", "float", "bool", "string", "quoted-due-float"])
    def test_pay_refused_at_the_contract(self, wire: Wire, books: Session, tenders: list[dict[str, Any]],
                                         fields: dict[str, Any], expected: tuple[str, dict[str, Any]]) -> None:
        """Each bad amount of ``payment.pay_bills`` gets the contract's code and leaves every table as it was."""
        before = counts(books)
        status, error = wire.post("payment.pay_bills", wire.pay_body(tenders, **fields))
        assert status >= 400
        assert (error["code"], error["params"]) == expected
        books.rollback()  # a new snapshot
        assert counts(books) == before

    @pytest.mark.parametrize(("amount", "code", "params"), [
        (0, "AMOUNT_NOT_POSITIVE", {}),
        (-1, "AMOUNT_NOT_POSITIVE", {}),
        (TOO_LARGE, "AMOUNT_TOO_LARGE", _TOO_LARGE_PARAMS),
        (1.5, "FEN_NOT_INTEGER", {"field": "amount_fen"}),
        (True, "FEN_NOT_INTEGER", {"field": "amount_fen"}),
    ], ids=["zero", "negative", "above-any-limit", "float", "bool"])
    def test_quote_refused_at_the_contract(self, wire: Wire, books: Session, amount: object, code: str,
                                           params: dict[str, Any]) -> None:
        """Each bad amount of ``payment.get_quote`` gets the contract's code (a query: nothing written either)."""
        before = counts(books)
        status, error = wire.post("payment.get_quote", {"customer_no": ZHANG_WEI, "amount_fen": amount})
        assert status >= 400
        assert (error["code"], error["params"]) == (code, params)
        books.rollback()
        assert counts(books) == before

    def test_the_servers_own_limit_lies_inside_the_contracts(self, wire: Wire, books: Session) -> None:
        """Between the setting (10^9 fen by default) and the contract's bound the service refuses, with its
        limit: the contract never lets through what no server setting could accept."""
        before = counts(books)
        status, error = wire.post("payment.pay_bills", wire.pay_body([cash(MAX_PAYMENT_FEN)]))
        assert (status, error["code"], error["params"]) == (422, "AMOUNT_TOO_LARGE",
                                                           {"amount_fen": MAX_PAYMENT_FEN, "limit_fen": 10**9})
        books.rollback()
        assert counts(books) == before
