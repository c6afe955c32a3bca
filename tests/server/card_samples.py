"""Valid card.* requests for the registries (the permission matrix): the static samples, and the books and card
state each sample needs when the role may call it (a prepaid customer, the TEST keys, a card opened or pending)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Final

import pytest
from sqlalchemy.orm import Session

from client.devices.cardsim.card import VirtualCard
from server import __main__ as server_cli
from server.cards.keys import import_test_keys
from server.models.customers import Customer, CustomerCategory, CustomerStatus, Meter, PaymentMode
from server.security import PiiCipher, mask_id_number
from server.settings import Settings
from tests.factories import World
from tests.rpc_helpers import Caller
from tests.server.card_helpers import (
    METER_A,
    PREPAID_A,
    SERIAL_B,
    blank,
    confirm,
    files,
    insert,
    meter,
    open_card,
    sale,
    tenders,
    write,
)

#: A blank card's files as read (serial A1..A8).
BLANK_FILES: Final = {"info": "a1a2a3a4a5a6a7a802", "parameters": "00" * 26, "wallet": "00" * 12,
                      "returned": "00" * 38}
_RECEIPT: Final = "T0101-20261123-00009"

SAMPLES: Final[dict[str, dict[str, Any]]] = {
    "card.read_card": {"files": BLANK_FILES},
    "card.prepare_sale": {"customer_no": PREPAID_A, "files": BLANK_FILES, "purchase_count": 2,
                          "receipt_no": _RECEIPT, "tenders": tenders(5_000), "quoted_arrears_fen": 0},
    "card.open_card": {"customer_no": PREPAID_A, "files": BLANK_FILES, "receipt_no": _RECEIPT,
                       "tenders": tenders(5_000), "quoted_arrears_fen": 0},
    "card.replace_card": {"customer_no": PREPAID_A, "files": BLANK_FILES, "receipt_no": _RECEIPT,
                          "tenders": tenders(2_000), "reason": "矩阵测试"},
    "card.authenticate_write": {"customer_no": PREPAID_A, "purchase_count": 1, "serial": "A1A2A3A4A5A6A7A8",
                                "challenge": "0011223344556677"},
    "card.get_write_commands": {"customer_no": PREPAID_A, "purchase_count": 1, "serial": "A1A2A3A4A5A6A7A8",
                                "challenge": "0011223344556677"},
    "card.confirm_write": {"customer_no": PREPAID_A, "purchase_count": 1, "files": BLANK_FILES},
    "card.reverse_sale": {"customer_no": PREPAID_A, "purchase_count": 2, "files": BLANK_FILES, "reason": "矩阵测试"},
    "card.get_history": {"customer_no": PREPAID_A},
    "card.list_pending": {},
}

PrepareCard = Callable[[Caller, str, dict[str, Any]], dict[str, Any]]


def _customer(db: Session, pii: PiiCipher, world: World) -> None:
    id_number = "330106199001010001"
    c = Customer(customer_no=PREPAID_A, name="购电户", address="杭州市文一路1号", phone="13900000000",
                 id_number_enc=pii.encrypt(id_number), id_number_masked=mask_id_number(id_number),
                 category=CustomerCategory.RESIDENTIAL, status=CustomerStatus.ACTIVE,
                 payment_mode=PaymentMode.PREPAID_CARD, tariff_id=world.tariffs["RES-FLAT"].tariff_id,
                 hall_id=world.org["T01"], book_code="T01-B002", book_seq=1)
    db.add(c)
    db.flush()
    db.add(Meter(asset_no="3301000000" + METER_A, customer_id=c.id, multiplier=1, digits=6,
                 installed_on=dt.date(2020, 1, 1)))
    db.commit()


def _opened(caller: Caller, *, confirmed: bool, inserted: bool) -> VirtualCard:
    card = blank()
    answer = open_card(caller, card, PREPAID_A, 10_000, seq=1)
    assert answer.status == 200, answer.body
    if confirmed:
        write(caller, card, PREPAID_A, 1, auth=True)
        assert confirm(caller, card, PREPAID_A, 1).status == 200
    if inserted:
        assert insert(meter(), card).credited_fen == 10_000
    return card


@pytest.fixture
def prepare_card(settings: Settings, pii: PiiCipher, world: World, db: Session) -> PrepareCard:
    """Set up what a card.* sample needs for a role allowed to call it; other methods pass through."""

    def prepare(caller: Caller, method: str, params: dict[str, Any]) -> dict[str, Any]:  # noqa: PLR0911
        if not method.startswith("card."):
            return params
        _customer(db, pii, world)
        assert server_cli._run_admin(settings, "card_keys.init", import_test_keys) == 0
        if method in {"card.read_card", "card.get_history", "card.list_pending"}:
            return params
        assert caller.call("shift.open_shift", {"float_fen": 0}).status == 200
        if method == "card.open_card":
            return dict(params, files=files(blank()))
        if method in {"card.authenticate_write", "card.get_write_commands"}:
            _opened(caller, confirmed=False, inserted=False)
            return params
        if method == "card.confirm_write":
            card = _opened(caller, confirmed=False, inserted=False)
            write(caller, card, PREPAID_A, 1, auth=True)
            return dict(params, files=files(card))
        if method == "card.replace_card":
            _opened(caller, confirmed=True, inserted=False)
            return dict(params, files=files(blank(SERIAL_B)))
        card = _opened(caller, confirmed=True, inserted=True)
        if method == "card.prepare_sale":
            return dict(params, files=files(card))
        assert method == "card.reverse_sale", method
        assert sale(caller, card, PREPAID_A, 5_000, seq=2, count=2).status == 200
        return dict(params, files=files(card))

    return prepare

