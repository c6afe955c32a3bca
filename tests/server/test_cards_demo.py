"""Demo prepaid cards (``server.demo_data.cards``): registered under the serial rule, and an emulator card made by the
same rule is the customer's current card, ready for a sale the meter simulator credits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from client.devices.cardsim.issuer import Issuer
from client.devices.cardsim.keys import Esam
from client.devices.cardsim.meter import MeterSimulator, MeterState
from server.demo_data.cards import demo_history, demo_key_version, demo_return, demo_serial, load_demo_cards
from server.models.card_sales import Card, CardWrite
from shared_models.cards.files import EF_RETURN, CardType, ParameterFile
from tests.cards.helpers import raw_write
from tests.factories import World
from tests.rpc_helpers import Caller
from tests.server.card_helpers import (
    METER_A,
    PREPAID_A,
    blank,
    card_dispatcher,
    card_world,
    cc,
    confirm,
    insert,
    read,
    sale,
    write,
)

__all__ = ["card_dispatcher", "card_world", "cc"]  # fixtures

TODAY = dt.date(2026, 11, 23)


def test_serial_rule_is_stable() -> None:
    assert demo_serial("3301000101").hex() == "23c50a88f1f0f0e8"  # pinned: the client's demo CLI relies on it
    history = demo_history("3301000101")
    assert 2 <= history.purchases <= 6
    assert all(5_000 <= a <= 14_000 for a in history.amounts_fen)


def test_demo_card_is_current_and_sells(cc: Caller, db: Session, world: World) -> None:
    made = load_demo_cards(db, halls=[world.org["T01"]], user_id=world.users["cashier1"], today=TODAY)
    db.commit()
    assert made == 2  # the active 10-digit prepaid customers of T01 (the 13-digit and the closed one get none)
    assert db.scalar(select(func.count()).select_from(Card)) == 2
    history = demo_history(PREPAID_A)
    assert (db.scalar(select(func.count()).select_from(CardWrite)) or 0) >= history.purchases
    # the emulator card by the same rule
    card = blank(history.serial)
    assert card.state.version == demo_key_version()
    card.reset()
    Issuer(Esam.test()).write(card, parameters=ParameterFile(
        card_type=CardType.PURCHASE, meter_no=METER_A, customer_no=PREPAID_A.rjust(12, "0"), ct_ratio=1, pt_ratio=1,
        alarm1_fen=2_000, alarm2_fen=1_000), amount_fen=history.amounts_fen[-1], purchase_count=history.purchases)
    returned = demo_return(PREPAID_A, meter_no=METER_A, multiplier=1, today=TODAY)
    assert raw_write(card, Esam.test(), EF_RETURN, returned.encode()) == 0x9000
    view = read(cc, card, PREPAID_A).body
    assert view["standing"] == "current", view
    assert view["refusal"] is None, view
    assert view["sale"]["next_purchase_count"] == history.purchases + 1
    assert view["sale"]["remaining_fen"] == history.remaining_fen
    # the meter as the demo's: opened for the card, the last count credited
    state = MeterState(meter_no=METER_A, hoarding_limit_fen=1_000_000, customer_no=PREPAID_A.rjust(12, "0"),
                       serial=history.serial, purchase_count=history.purchases, remaining_fen=history.remaining_fen)
    m = MeterSimulator(state, Esam.test())
    count = history.purchases + 1
    assert sale(cc, card, PREPAID_A, 5_000, seq=1, count=count).status == 200
    write(cc, card, PREPAID_A, count, auth=False)
    assert confirm(cc, card, PREPAID_A, count).status == 200
    assert insert(m, card).credited_fen == 5_000
