"""Card sales end to end against real PostgreSQL and the emulated card and meter: open, sell, write, confirm, the
meter crediting each purchase exactly once; refusals while a purchase sits uncredited; receipts and history."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.models.card_sales import CardWrite, CardWriteOutcome
from server.models.ledger import LedgerEntry
from server.models.payments import Payment
from shared_models.cards.files import CardType
from tests.rpc_helpers import Caller
from tests.server.card_helpers import (
    METER_A,
    PREPAID_A,
    SERIAL_A,
    blank,
    card_dispatcher,
    card_world,
    cc,
    confirm,
    insert,
    meter,
    open_card,
    opened,
    read,
    sale,
    write,
)
from tests.server.payment_helpers import receipt

__all__ = ["card_dispatcher", "card_world", "cc"]  # fixtures


class TestOpenSellCredit:
    def test_blank_card_read(self, cc: Caller) -> None:
        card = blank()
        view = read(cc, card, PREPAID_A)
        assert view.status == 200, view.body
        assert view.body["standing"] == "blank"
        assert view.body["kind"] == "blank"
        assert view.body["serial"] == SERIAL_A.hex().upper()
        assert view.body["sale"] is None

    def test_open_write_confirm_and_meter_credits_once(self, cc: Caller, db: Session) -> None:
        card, m = blank(), meter()
        answer = open_card(cc, card, PREPAID_A, 10_000, seq=1)
        assert answer.status == 200, answer.body
        body = answer.body
        assert (body["purchase_count"], body["kind"], body["write_amount_fen"]) == (1, "opening", 10_000)
        assert body["needs_authentication"] is True
        assert body["receipt"]["card"] == {"kind": "opening", "purchase_count": 1, "write_amount_fen": 10_000,
                                           "meter_no": METER_A, "serial": SERIAL_A.hex().upper()}
        # pending: no sale on the card now
        view = read(cc, card, PREPAID_A).body
        assert view["pending"]["purchase_count"] == 1
        assert view["refusal"]["code"] == "CARD_PENDING_WRITE"
        write(cc, card, PREPAID_A, 1, auth=True)
        view = read(cc, card, PREPAID_A).body
        assert view["pending"]["on_card"] is True
        done = confirm(cc, card, PREPAID_A, 1)
        assert done.status == 200, done.body
        assert done.body["state"] == "written"
        # the card now holds an uncredited purchase: refused until inserted
        view = read(cc, card, PREPAID_A).body
        assert view["standing"] == "current"
        assert view["refusal"]["code"] == "CARD_PURCHASE_NOT_INSERTED"
        first = insert(m, card)
        assert first.credited_fen == 10_000
        assert insert(m, card).credited_fen == 0  # never twice
        view = read(cc, card, PREPAID_A).body
        assert view["refusal"] is None
        assert view["sale"]["next_purchase_count"] == 2
        assert view["sale"]["remaining_fen"] == 10_000
        # no prepayment in the ledger: the card part is not 预收
        assert db.scalar(select(func.count()).select_from(LedgerEntry)
                         .where(LedgerEntry.reference == receipt(1))) == 0

    def test_sale_after_opening(self, cc: Caller, db: Session) -> None:
        card, m = blank(), meter()
        opened(cc, card, m)
        answer = sale(cc, card, PREPAID_A, 5_000, seq=2, count=2)
        assert answer.status == 200, answer.body
        assert answer.body["needs_authentication"] is True  # the opening card becomes a purchase card
        assert answer.body["receipt"]["card"]["purchase_count"] == 2
        write(cc, card, PREPAID_A, 2, auth=True)
        assert confirm(cc, card, PREPAID_A, 2).status == 200
        assert insert(m, card).credited_fen == 5_000
        assert m.state.remaining_fen == 15_000
        assert m.state.purchase_count == 2
        assert card.parameters().card_type is CardType.PURCHASE
        # the next sale needs no parameter file
        third = sale(cc, card, PREPAID_A, 1_000, seq=3, count=3)
        assert third.body["needs_authentication"] is False
        write(cc, card, PREPAID_A, 3, auth=False)
        assert confirm(cc, card, PREPAID_A, 3).status == 200
        assert insert(m, card).credited_fen == 1_000
        assert db.scalar(select(func.count()).select_from(CardWriteOutcome)) == 3
        assert db.scalar(select(func.sum(Payment.amount_fen))) == 16_000

    def test_rewrite_after_interrupted_write_no_new_money(self, cc: Caller, db: Session) -> None:
        card, m = blank(), meter()
        opened(cc, card, m)
        assert sale(cc, card, PREPAID_A, 5_000, seq=2, count=2).status == 200
        # the card was pulled before the write: confirm refuses, a rewrite finishes it
        refused = confirm(cc, card, PREPAID_A, 2)
        assert refused.code == "CARD_WRITE_NOT_ON_CARD"
        write(cc, card, PREPAID_A, 2, auth=True)
        done = confirm(cc, card, PREPAID_A, 2, rewrite=True)
        assert done.status == 200, done.body
        assert done.body["rewritten"] is True
        assert insert(m, card).credited_fen == 5_000
        assert db.scalar(select(func.count()).select_from(Payment)) == 2

    def test_confirm_replayed_with_a_new_key_answers_the_same(self, cc: Caller) -> None:
        card, m = blank(), meter()
        opened(cc, card, m)
        again = confirm(cc, card, PREPAID_A, 1)
        assert again.status == 200, again.body
        assert again.body["state"] == "written"

    def test_lost_answer_replay_same_key(self, cc: Caller, db: Session) -> None:
        card, m = blank(), meter()
        opened(cc, card, m)
        key = "6f1e7a7e-6e55-4b53-9d0b-3d6f0e3c9a11"
        first = sale(cc, card, PREPAID_A, 5_000, seq=2, count=2, key=key)
        second = sale(cc, card, PREPAID_A, 5_000, seq=2, count=2, key=key)
        assert first.status == second.status == 200
        assert first.body == second.body
        assert db.scalar(select(func.count()).select_from(CardWrite)) == 2
        assert db.scalar(select(func.count()).select_from(Payment)) == 2

    def test_history_and_pending_list(self, cc: Caller) -> None:
        card, m = blank(), meter()
        opened(cc, card, m)
        assert sale(cc, card, PREPAID_A, 5_000, seq=2, count=2).status == 200
        history = cc.call("card.get_history", {"customer_no": PREPAID_A})
        assert history.status == 200, history.body
        assert [p["purchase_count"] for p in history.body["purchases"]] == [2, 1]
        assert [p["state"] for p in history.body["purchases"]] == ["pending", "written"]
        assert history.body["pending"]["purchase_count"] == 2
        assert history.body["last_return"]["purchase_count"] == 1
        assert history.body["cards"][0]["serial"] == SERIAL_A.hex().upper()
        overview = cc.call("customer.get_overview", {"customer_no": PREPAID_A})
        assert overview.body["card_status"] == "pending:2"
        assert cc.call("card.list_pending", {}).code == "PERMISSION_DENIED"
        sup = Caller(cc.dispatcher, counter="T0102")
        assert sup.login("super1").status == 200
        pending = sup.call("card.list_pending", {})
        assert pending.status == 200, pending.body
        assert [(p["customer_no"], p["purchase_count"]) for p in pending.body["items"]] == [(PREPAID_A, 2)]

    def test_receipt_shows_the_card_part(self, cc: Caller) -> None:
        card, m = blank(), meter()
        opened(cc, card, m)
        got = cc.call("payment.get_receipt", {"receipt_no": receipt(1)})
        assert got.status == 200
        assert got.body["card"]["purchase_count"] == 1
        again = cc.call("payment.reprint_receipt", {"receipt_no": receipt(1)})
        assert again.body["card"]["meter_no"] == METER_A
        assert again.body["reprint_count"] == 1
