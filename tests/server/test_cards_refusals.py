"""Every refusal a card sale gets from the server, one test each: nothing taken, nothing written the books do not
know; the one-pending-write constraint in SQL; unreadable card files fuzzed (never a 500)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from client.devices.cardsim.issuer import Issuer
from client.devices.cardsim.keys import Esam
from server.models.card_sales import Card, CardReturn, CardWrite
from server.models.payments import Payment
from shared_models.cards.files import EF_RETURN, EF_WALLET, CardType, ParameterFile, ReturnFile, WalletFile
from tests.cards.helpers import raw_write
from tests.factories import ZHANG_WEI, World, add_bill
from tests.rpc_helpers import Caller
from tests.server.card_helpers import (
    METER_A,
    METER_NOW,
    PREPAID_13,
    PREPAID_A,
    PREPAID_B,
    PREPAID_CLOSED,
    SERIAL_B,
    SERIAL_C,
    CardWorld,
    blank,
    card_dispatcher,
    card_world,
    cc,
    files,
    meter,
    open_card,
    opened,
    read,
    sale,
    tenders,
)
from tests.server.payment_helpers import receipt

__all__ = ["card_dispatcher", "card_world", "cc"]  # fixtures


def _books(db: Session) -> tuple[int, int, int]:
    db.expire_all()
    return (db.scalar(select(func.count()).select_from(Payment)) or 0,
            db.scalar(select(func.count()).select_from(CardWrite)) or 0,
            db.scalar(select(func.count()).select_from(Card)) or 0)


@pytest.fixture
def open_bill(ready: Any, world: World, engine: Engine, card_world: CardWorld) -> Any:
    """``ready``, then an open bill of PREPAID_A: 100 kWh at 0.538, due 2026-11-30 (not late on the tests' day)."""
    with Session(engine) as s:
        w = World(customers={PREPAID_A: card_world.customers[PREPAID_A]}, tariffs=world.tariffs)
        add_bill(s, w, customer_no=PREPAID_A, tariff=world.tariffs["RES-FLAT"], period=202610, kwh="100.00",
                 issued_on=dt.date(2026, 11, 5), due_on=dt.date(2026, 11, 30))
        s.commit()
    return ready


@pytest.fixture
def ready(cc: Caller) -> Any:
    """PREPAID_A's card opened, written, confirmed and inserted into its meter (10 000 fen remaining)."""
    card, m = blank(), meter()
    opened(cc, card, m)
    return card, m


class TestSaleRefusals:
    def test_zero_amount(self, cc: Caller, ready: Any) -> None:
        answer = sale(cc, ready[0], PREPAID_A, 0, seq=2, count=2, pay=[{"method": "cash", "amount_fen": 0}])
        assert answer.code == "AMOUNT_NOT_POSITIVE"

    def test_below_minimum(self, cc: Caller, ready: Any, db: Session) -> None:
        before = _books(db)
        answer = sale(cc, ready[0], PREPAID_A, 500, seq=2, count=2)
        assert answer.code == "CARD_AMOUNT_BELOW_MIN"
        assert answer.params == {"amount_fen": 500, "min_fen": 1_000}
        assert _books(db) == before

    def test_above_maximum(self, cc: Caller, ready: Any, db: Session) -> None:
        before = _books(db)
        answer = sale(cc, ready[0], PREPAID_A, 500_001, seq=2, count=2)
        assert answer.code == "CARD_AMOUNT_ABOVE_MAX"
        assert answer.params["max_fen"] == 500_000
        assert _books(db) == before

    def test_hoarding_limit(self, cc: Caller, ready: Any, card_world: CardWorld, db: Session) -> None:
        card_world.settings.card_hoarding_limit_fen = 50_000
        view = read(cc, ready[0], PREPAID_A).body
        assert view["sale"]["max_fen"] == 40_000
        answer = sale(cc, ready[0], PREPAID_A, 45_000, seq=2, count=2)
        assert answer.code == "CARD_HOARDING_LIMIT"
        assert answer.params == {"remaining_fen": 10_000, "amount_fen": 45_000, "limit_fen": 50_000}

    def test_arrears_settled_first_and_nothing_left(self, cc: Caller, open_bill: Any) -> None:
        ready = open_bill
        view = read(cc, ready[0], PREPAID_A).body
        arrears = view["sale"]["arrears_fen"]
        assert arrears == 5_380
        assert sale(cc, ready[0], PREPAID_A, arrears, seq=2, count=2, arrears=arrears).code == "CARD_NOTHING_TO_WRITE"
        assert sale(cc, ready[0], PREPAID_A, 9_000, seq=2, count=2, arrears=0).code == "DUE_CHANGED"
        done = sale(cc, ready[0], PREPAID_A, arrears + 2_000, seq=2, count=2, arrears=arrears)
        assert done.status == 200, done.body
        assert (done.body["deducted_fen"], done.body["write_amount_fen"]) == (arrears, 2_000)
        assert [b["paid_fen"] for b in done.body["receipt"]["bills"]] == [arrears]
        assert done.body["receipt"]["prepayment_after_fen"] == done.body["receipt"]["prepayment_before_fen"]

    def test_closed_customer(self, cc: Caller, db: Session) -> None:
        before = _books(db)
        assert open_card(cc, blank(), PREPAID_CLOSED, 5_000, seq=1).code == "CUSTOMER_CLOSED"
        assert _books(db) == before

    def test_postpaid_customer(self, cc: Caller) -> None:
        assert open_card(cc, blank(), ZHANG_WEI, 5_000, seq=1, arrears=0).code == "CARD_NOT_PREPAID"

    def test_thirteen_digit_customer_does_not_fit(self, cc: Caller) -> None:
        answer = open_card(cc, blank(), PREPAID_13, 5_000, seq=1)
        assert answer.code == "CARD_CUSTOMER_UNFIT"

    def test_second_prepare_while_pending(self, cc: Caller, ready: Any, db: Session) -> None:
        assert sale(cc, ready[0], PREPAID_A, 5_000, seq=2, count=2).status == 200
        before = _books(db)
        second = sale(cc, ready[0], PREPAID_A, 5_000, seq=3, count=2)
        assert second.code == "CARD_PENDING_WRITE"
        assert second.params == {"customer_no": PREPAID_A, "purchase_count": 2}
        assert _books(db) == before

    def test_card_of_another_customer(self, cc: Caller, ready: Any) -> None:
        answer = sale(cc, ready[0], PREPAID_B, 5_000, seq=2, count=1)
        assert answer.code == "CARD_OTHER_CUSTOMER"
        assert answer.params["card_customer_no"] == PREPAID_A
        assert read(cc, ready[0], PREPAID_B).body["refusal"]["code"] == "CARD_OTHER_CUSTOMER"

    def test_blank_card_for_a_sale(self, cc: Caller, ready: Any) -> None:
        assert sale(cc, blank(SERIAL_B), PREPAID_A, 5_000, seq=2, count=2).code == "CARD_BLANK"

    def test_uncredited_purchase_on_the_card(self, cc: Caller) -> None:
        card = blank()
        assert open_card(cc, card, PREPAID_A, 10_000, seq=1).status == 200
        from tests.server.card_helpers import confirm, write

        write(cc, card, PREPAID_A, 1, auth=True)
        assert confirm(cc, card, PREPAID_A, 1).status == 200
        answer = sale(cc, card, PREPAID_A, 5_000, seq=2, count=2)
        assert answer.code == "CARD_PURCHASE_NOT_INSERTED"
        assert answer.params["purchase_count"] == 1

    def test_wrong_count(self, cc: Caller, ready: Any) -> None:
        answer = sale(cc, ready[0], PREPAID_A, 5_000, seq=2, count=5)
        assert answer.code == "CARD_COUNT_MISMATCH"

    def test_opening_card_with_count_above_one_is_not_blank(self, cc: Caller) -> None:
        card = blank(SERIAL_C)
        card.reset()
        Issuer(Esam.test()).write(card, parameters=ParameterFile(
            card_type=CardType.OPENING, meter_no=METER_A, customer_no="003301000101"), amount_fen=1_000,
            purchase_count=3)
        assert read(cc, card, PREPAID_A).body["standing"] == "unknown"
        assert open_card(cc, card, PREPAID_A, 5_000, seq=1).code == "CARD_NOT_BLANK"

    def test_preset_card(self, cc: Caller) -> None:
        card = blank(SERIAL_C)
        card.reset()
        Issuer(Esam.test()).write(card, parameters=ParameterFile(
            card_type=CardType.PRESET, meter_no=METER_A, customer_no="003301000101"))
        assert read(cc, card).body["refusal"]["code"] == "CARD_PRESET"
        assert open_card(cc, card, PREPAID_A, 5_000, seq=1).code == "CARD_PRESET"

    def test_wallet_with_a_wrong_mac(self, cc: Caller, ready: Any) -> None:
        card = ready[0]
        forged = WalletFile(amount_fen=99_000, purchase_count=1, mac=bytes(4)).encode()
        assert raw_write(card, Esam.test(), EF_WALLET, forged) == 0x9000
        view = read(cc, card, PREPAID_A).body
        assert view["refusal"]["code"] == "CARD_WALLET_MAC_BAD"
        assert sale(cc, card, PREPAID_A, 5_000, seq=2, count=2).code == "CARD_WALLET_MAC_BAD"

    def test_return_file_of_another_meter(self, cc: Caller, ready: Any) -> None:
        card = ready[0]
        other = ReturnFile(ct_ratio=1, pt_ratio=1, meter_no="000000999999", customer_no="003301000101",
                           remaining_fen=100, purchase_count=1, overdraft_fen=0, illegal_inserts=0,
                           written_at=METER_NOW)
        assert raw_write(card, Esam.test(), EF_RETURN, other.encode()) == 0x9000
        view = read(cc, card, PREPAID_A).body
        assert view["refusal"]["code"] == "CARD_METER_MISMATCH"
        assert view["refusal"]["params"] == {"card_meter_no": "000000999999", "meter_no": METER_A}

    def test_customer_without_a_meter(self, cc: Caller, card_world: CardWorld, engine: Engine) -> None:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO meters (asset_no, customer_id, multiplier, digits, installed_on, removed_on)"
                              " SELECT 'X', id, 1, 6, '2019-01-01', '2019-12-31' FROM customers WHERE id = :c"),
                         {"c": card_world.customers[PREPAID_B]})
            conn.execute(text("UPDATE meters SET removed_on = '2026-01-01' WHERE customer_id = :c"),
                         {"c": card_world.customers[PREPAID_B]})
        assert open_card(cc, blank(), PREPAID_B, 5_000, seq=1).code == "CARD_NO_METER"

    def test_unreadable_return_file(self, cc: Caller, ready: Any) -> None:
        bad = files(ready[0])
        bad["returned"] = "68" + "00" * 37
        answer = cc.call("card.read_card", {"files": bad})
        assert answer.code == "CARD_UNREADABLE"
        assert answer.params["field"] == "return"

    def test_opening_twice_refused(self, cc: Caller, ready: Any) -> None:
        answer = open_card(cc, blank(SERIAL_B), PREPAID_A, 5_000, seq=2)
        assert answer.code == "CARD_ALREADY_ISSUED"

    def test_write_commands_for_no_pending_write(self, cc: Caller, ready: Any) -> None:
        params = {"customer_no": PREPAID_A, "purchase_count": 2, "serial": "A1A2A3A4A5A6A7A8",
                  "challenge": "0011223344556677"}
        assert cc.call("card.get_write_commands", params).code == "CARD_NO_PENDING_WRITE"
        assert cc.call("card.authenticate_write", params).code == "CARD_NO_PENDING_WRITE"
        params["customer_no"] = PREPAID_B
        params["purchase_count"] = 1
        assert cc.call("card.get_write_commands", params).code == "CARD_OTHER_CUSTOMER"


class TestFuzzedFiles:
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(info=st.binary(min_size=9, max_size=9), parameters=st.binary(min_size=26, max_size=26),
           wallet=st.binary(min_size=12, max_size=12), returned=st.binary(min_size=38, max_size=38))
    def test_never_a_500(self, cc: Caller, info: bytes, parameters: bytes, wallet: bytes, returned: bytes) -> None:
        answer = cc.call("card.read_card", {"files": {"info": info.hex(), "parameters": parameters.hex(),
                                                      "wallet": wallet.hex(), "returned": returned.hex()}})
        assert answer.status < 500, answer.body


class TestFuzzedSale:
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(parameters=st.binary(min_size=26, max_size=26), wallet=st.binary(min_size=12, max_size=12),
           returned=st.binary(min_size=38, max_size=38))
    def test_prepare_never_a_500_and_books_nothing(self, cc: Caller, db: Session, parameters: bytes, wallet: bytes,
                                                   returned: bytes) -> None:
        answer = cc.call("card.prepare_sale", {
            "customer_no": PREPAID_A, "files": {"info": "a1a2a3a4a5a6a7a802", "parameters": parameters.hex(),
                                                "wallet": wallet.hex(), "returned": returned.hex()},
            "purchase_count": 1, "receipt_no": receipt(1), "tenders": tenders(5_000), "quoted_arrears_fen": 0})
        assert 400 <= answer.status < 500, answer.body
        assert _books(db) == (0, 0, 0)


class TestOnePendingWriteConstraint:
    def test_two_pending_inserts_refused_by_the_database(self, cc: Caller, ready: Any, engine: Engine) -> None:
        assert sale(cc, ready[0], PREPAID_A, 5_000, seq=2, count=2).status == 200
        with engine.connect() as conn:
            row = conn.execute(text("SELECT * FROM card_writes ORDER BY id DESC LIMIT 1")).mappings().one()
            values = dict(row)
            values.pop("id")
            values["purchase_count"] = 3
            columns = ", ".join(values)
            params = ", ".join(f":{c}" for c in values)
            with pytest.raises(IntegrityError, match="uq_card_writes_one_pending"):
                conn.execute(text(f"INSERT INTO card_writes ({columns}) VALUES ({params})"), values)  # noqa: S608
            conn.rollback()
            values["follows_write_id"] = row["id"]  # following the pending write: it has no outcome
            with pytest.raises(IntegrityError, match="fk_card_writes_follows_write_id"):
                conn.execute(text(f"INSERT INTO card_writes ({columns}) VALUES ({params})"), values)  # noqa: S608

    def test_tables_append_only(self, cc: Caller, ready: Any, engine: Engine) -> None:
        """No card, write, outcome, retirement or return file is updated or deleted in place."""
        assert sale(cc, ready[0], PREPAID_A, 5_000, seq=2, count=2).status == 200  # a return file recorded
        statements = ["UPDATE cards SET key_version = 9", "DELETE FROM card_writes", "UPDATE card_write_outcomes "
                      "SET rewrite = true", "DELETE FROM card_returns", "TRUNCATE card_retirements CASCADE"]
        for statement in statements:
            with engine.begin() as conn, pytest.raises(DBAPIError):
                conn.execute(text(statement))

    def test_two_counters_prepare_at_once(self, cc: Caller, ready: Any, db: Session) -> None:
        other = Caller(cc.dispatcher, counter="T0102")
        assert other.login("cashier2").status == 200
        assert other.call("shift.open_shift", {"float_fen": 0}).status == 200
        card_files = files(ready[0])
        results: list[Any] = []
        barrier = threading.Barrier(2)

        def go(caller: Caller, seq: int) -> None:
            barrier.wait()
            results.append(caller.call("card.prepare_sale", {
                "customer_no": PREPAID_A, "files": card_files, "purchase_count": 2,
                "receipt_no": receipt(seq, counter=caller.counter), "tenders": tenders(5_000),
                "quoted_arrears_fen": 0}))

        threads = [threading.Thread(target=go, args=(cc, 2)), threading.Thread(target=go, args=(other, 1))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(r.status for r in results) == [200, 409]
        assert next(r for r in results if r.status == 409).code == "CARD_PENDING_WRITE"
        db.expire_all()
        assert db.scalar(select(func.count()).select_from(CardWrite)) == 2
        assert db.scalar(select(func.count()).select_from(CardReturn)) == 1
