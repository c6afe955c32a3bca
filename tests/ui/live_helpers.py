"""Screens against the live server: a signed-in ``UiContext`` per counter, and payments taken over the wire.

The screen under test gets the same context the main window hands it, with a real ``RpcClient`` signed in
to the real server; payments that only set the stage are taken with the same client, as the desk sends them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QApplication

from client.core.rpc_client import Cosign, RpcClient
from client.core.session import Session
from client.ui.context import UiContext
from client.ui.errors import ErrorHandler
from shared_models.methods.auth import LOGIN, LoginRequest, LoginResult
from shared_models.methods.payments import (
    PAY,
    QUOTE,
    VOID,
    PaymentReceipt,
    PayRequest,
    QuoteRequest,
    Tender,
    TenderMethod,
    VoidRequest,
)
from shared_models.methods.shifts import GET_CURRENT
from shared_models.pinning import ca_fingerprint
from shared_models.rpc import Empty
from shared_models.rules.receipt_numbers import make_receipt_no
from tests.action_helpers import confirmed
from tests.e2e.conftest import LiveServer
from tests.factories import DEVICE_KEYS, password_for

SignIn = Callable[[str, str], UiContext]


def live_client(live: LiveServer, username: str, counter: str) -> tuple[RpcClient, LoginResult]:
    """An RPC client signed in to ``live`` as ``username`` at ``counter`` (the caller closes it)."""
    pin = ca_fingerprint(live.ca.read_bytes())
    rpc = RpcClient(ca_file=live.ca, ca_pin=lambda: pin, client_version="test", server_url=live.url)
    result = rpc.call(LOGIN, LoginRequest(username=username, password=password_for(username), counter_code=counter,
                                          device_key=DEVICE_KEYS[counter]))
    rpc.set_session(token=result.token, counter_code=counter)
    return rpc, result


@pytest.fixture
def sign_in_live(qapp: QApplication, live_server: LiveServer) -> Iterator[SignIn]:
    """``sign_in_live(username, counter)``: a context signed in to the live server at that counter."""
    clients: list[RpcClient] = []

    def sign_in(username: str, counter: str) -> UiContext:
        rpc, result = live_client(live_server, username, counter)
        clients.append(rpc)
        session = Session()
        session.start(result)
        lost: list[BaseException] = []
        return UiContext(rpc=rpc, session=session, report_error=ErrorHandler(on_session_lost=lost.append))

    yield sign_in
    for rpc in clients:
        rpc.close()


def take_payment(rpc: RpcClient, customer_no: str, *, cash_fen: int = 0, card_fen: int = 0) -> PaymentReceipt:
    """Pay ``cash_fen`` in cash (handed over exactly) and ``card_fen`` by bank card for ``customer_no``."""
    current = rpc.call(GET_CURRENT, Empty())
    assert current.shift is not None, "a payment needs an open shift"
    receipt_no = make_receipt_no(current.shift.counter_code, current.shift.business_date, current.next_receipt_seq)
    quote = rpc.call(QUOTE, QuoteRequest(customer_no=customer_no, amount_fen=cash_fen + card_fen))
    tenders = []
    if cash_fen:
        tenders.append(Tender(method=TenderMethod.CASH, amount_fen=cash_fen, cash_handed_fen=cash_fen))
    if card_fen:
        tenders.append(Tender(method=TenderMethod.BANK_CARD, amount_fen=card_fen, reference="POS-000123"))
    return rpc.send(PAY, PayRequest(customer_no=customer_no, receipt_no=receipt_no, tenders=tenders,
                                    quoted_due_fen=quote.due_fen), action=confirmed())


def void_payment(rpc: RpcClient, receipt_no: str, *, supervisor: str) -> None:
    """Void ``receipt_no`` (冲正) with ``supervisor``'s co-sign."""
    rpc.send(VOID, VoidRequest(receipt_no=receipt_no, reason="户号输错"), action=confirmed(),
             cosign=Cosign(username=supervisor, password=password_for(supervisor)))
