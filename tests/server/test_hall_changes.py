"""customer.get_hall_changes: the counter's cache feed — paging, the cursor after payments, voids and
edits, changes still in flight, the hall boundary, a new day that sends nothing again, restarts,
permissions and bad input."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from server.clock import FixedClock
from server.models.customers import Customer, CustomerCategory, CustomerStatus, Meter, PaymentMode
from server.security import PiiCipher, mask_id_number
from shared_models.methods.cache import CachedBill
from tests.factories import CLOSED, CUSTOMERS, LI_XIUYING, WANG_FANG, ZHANG_WEI, World, add_bill, password_for
from tests.rpc_helpers import Answer, Caller
from tests.server.payment_helpers import cash, pay, start

HALL_T01 = {no for no, *_ in CUSTOMERS}
OTHER_HALL_CUSTOMER = "3302000001"


def _changes(caller: Caller, **params: Any) -> dict[str, Any]:
    answer = caller.call("customer.get_hall_changes", params)
    assert answer.status == 200, answer.body
    return answer.body


def _after(page: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The request for the page after ``page``."""
    return {"after_cursor": page["next_cursor"], "after_customer_id": page["next_customer_id"], **extra}


def _numbers(page: dict[str, Any]) -> list[str]:
    return [c["profile"]["customer_no"] for c in page["customers"]]


def _full_pass(caller: Caller, limit: int = 1000) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every customer from the beginning, page by page; (customers, last page)."""
    page = _changes(caller, limit=limit)
    found = list(page["customers"])
    while not page["complete"]:
        page = _changes(caller, **_after(page, limit=limit))
        found += page["customers"]
    return found, page


def _overview(caller: Caller, customer_no: str) -> dict[str, Any]:
    answer = caller.call("customer.get_overview", {"customer_no": customer_no})
    assert answer.status == 200, answer.body
    return answer.body


def _views(cached: dict[str, Any], day: dt.date) -> list[dict[str, Any]]:
    """The cached bills as the counter shows them on ``day`` (late fee by the shared rule)."""
    return [CachedBill.model_validate_json(json.dumps(b)).view_on(day).model_dump(mode="json")
            for b in cached["open_bills"]]


def _due(cached: dict[str, Any], day: dt.date) -> int:
    """What the cached customer owes on ``day``: principal plus late fees computed on the counter."""
    return int(cached["arrears_fen"]) + sum(int(b["late_fee_fen"]) for b in _views(cached, day))


def _same_as_overview(cached: dict[str, Any], overview: dict[str, Any]) -> None:
    """The cached figures, late fees computed for the overview's day, are exactly the 360 view's."""
    day = dt.date.fromisoformat(overview["as_of"])
    assert cached["profile"] == overview["profile"]
    assert _views(cached, day) == overview["open_bills"]
    assert _due(cached, day) == overview["due_fen"]
    for name in ("arrears_fen", "prepayment_fen"):
        assert cached[name] == overview[name], name


@pytest.fixture
def other_hall(db: Session, world: World, pii: PiiCipher) -> str:
    """A customer of hall T02 with an open bill (the seeded world has all its customers in T01)."""
    id_number = "330106198001019999"
    customer = Customer(
        customer_no=OTHER_HALL_CUSTOMER, name="张伟", address="浙江省杭州市上城区解放路8号", phone="13800009999",
        id_number_enc=pii.encrypt(id_number), id_number_masked=mask_id_number(id_number),
        category=CustomerCategory.RESIDENTIAL, status=CustomerStatus.ACTIVE, payment_mode=PaymentMode.POSTPAID,
        tariff_id=world.tariffs["RES-FLAT"].tariff_id, hall_id=world.org["T02"], book_code="T02-B001", book_seq=1,
    )
    db.add(customer)
    db.flush()
    db.add(Meter(asset_no="9" * 22, customer_id=customer.id, multiplier=1, digits=6, installed_on=dt.date(2020, 1, 1)))
    local = World(customers={OTHER_HALL_CUSTOMER: customer.id})
    add_bill(db, local, customer_no=OTHER_HALL_CUSTOMER, tariff=world.tariffs["RES-FLAT"], period=202610,
             kwh="88.00", issued_on=dt.date(2026, 11, 5), due_on=dt.date(2026, 11, 20))
    db.commit()
    return OTHER_HALL_CUSTOMER


class TestFullPass:
    def test_every_customer_of_the_hall_with_the_overview_figures(self, caller: Caller) -> None:
        """From (0, 0): the hall's five customers, each exactly as the 360 view shows it, in one complete page."""
        start(caller)
        page = _changes(caller)
        assert page["complete"] is True
        assert page["restarted"] is False
        assert page["hall_code"] == "T01"
        assert page["business_date"] == "2026-11-23"
        assert set(_numbers(page)) == HALL_T01
        for cached in page["customers"]:
            _same_as_overview(cached, _overview(caller, cached["profile"]["customer_no"]))
        zhang = next(c for c in page["customers"] if c["profile"]["customer_no"] == ZHANG_WEI)
        assert [b["period"] for b in zhang["open_bills"]] == [202609, 202610]
        assert _due(zhang, dt.date(2026, 11, 23)) > zhang["arrears_fen"]  # a late fee is due today
        assert zhang["profile"]["meters"][0]["asset_no"] == "0" * 22

    def test_pages_follow_the_cursor_without_gaps_or_repeats(self, caller: Caller) -> None:
        """Two at a time: pages of 2, 2 and 1, the same customers in the same order as one big page."""
        start(caller)
        whole = _numbers(_changes(caller))
        first = _changes(caller, limit=2)
        second = _changes(caller, **_after(first, limit=2))
        third = _changes(caller, **_after(second, limit=2))
        assert [len(p["customers"]) for p in (first, second, third)] == [2, 2, 1]
        assert [p["complete"] for p in (first, second, third)] == [False, False, True]
        assert _numbers(first) + _numbers(second) + _numbers(third) == whole

    def test_nothing_after_the_last_cursor(self, caller: Caller) -> None:
        """Asking again after a complete pass returns no customer and the same cursor."""
        start(caller)
        _, last = _full_pass(caller)
        again = _changes(caller, **_after(last))
        assert again["customers"] == []
        assert again["complete"] is True
        assert (again["next_cursor"], again["next_customer_id"]) == (last["next_cursor"], last["next_customer_id"])


class TestCursorMoves:
    def test_after_a_payment_only_that_customer_with_its_new_figures(self, caller: Caller) -> None:
        """A payment for 张伟 brings 张伟 (and nobody else) past the cursor, with the due reduced."""
        start(caller)
        _, last = _full_pass(caller)
        before = _overview(caller, ZHANG_WEI)["due_fen"]
        assert pay(caller, ZHANG_WEI, [cash(5000)], seq=1).status == 200
        page = _changes(caller, **_after(last))
        assert _numbers(page) == [ZHANG_WEI]
        assert _due(page["customers"][0], dt.date(2026, 11, 23)) == before - 5000
        _same_as_overview(page["customers"][0], _overview(caller, ZHANG_WEI))
        assert _changes(caller, **_after(page))["customers"] == []

    def test_after_a_void_the_customer_comes_back_with_the_due_restored(self, caller: Caller) -> None:
        """Voiding the payment moves the customer past the cursor again, due as before the payment."""
        start(caller)
        due = _overview(caller, ZHANG_WEI)["due_fen"]
        assert pay(caller, ZHANG_WEI, [cash(5000)], seq=1).status == 200
        _, last = _full_pass(caller)
        voided = caller.call("payment.void_payment", {"receipt_no": "T0101-20261123-00001", "reason": "收错户号"},
                             cosign=("super1", password_for("super1")))
        assert voided.status == 200, voided.body
        page = _changes(caller, **_after(last))
        assert _numbers(page) == [ZHANG_WEI]
        assert _due(page["customers"][0], dt.date(2026, 11, 23)) == due

    def test_after_a_contact_edit(self, caller: Caller) -> None:
        """A new phone number (a customer row update) moves the customer past the cursor."""
        start(caller)
        _, last = _full_pass(caller)
        edited = caller.call("customer.update_contact", {"customer_no": WANG_FANG, "phone": "13955556666"})
        assert edited.status == 200, edited.body
        page = _changes(caller, **_after(last))
        assert _numbers(page) == [WANG_FANG]
        assert page["customers"][0]["profile"]["phone"] == "13955556666"

    def test_a_change_still_in_flight_is_not_skipped(self, caller: Caller, engine: Engine, world: World) -> None:
        """A transaction that began writing before a payment but commits after it: the page waits for it,
        so the cursor handed out never passes its change."""
        start(caller)
        _, last = _full_pass(caller)
        with engine.connect() as slow:
            slow.execute(text(
                "INSERT INTO ledger_entries (customer_id, kind, amount_fen, posted_at, reference)"
                " VALUES (:c, 'adjustment', -700, now(), 'ADJ-TEST')"), {"c": world.customers[LI_XIUYING]})
            assert pay(caller, ZHANG_WEI, [cash(5000)], seq=1).status == 200
            held = _changes(caller, **_after(last))
            assert held["customers"] == []  # 张伟's change is newer than the open one: not yet
            assert (held["next_cursor"], held["next_customer_id"]) == (last["next_cursor"], last["next_customer_id"])
            slow.commit()
        page = _changes(caller, **_after(last))
        assert _numbers(page) == [LI_XIUYING, ZHANG_WEI]
        assert page["customers"][0]["prepayment_fen"] == 5000 - 700


class TestHallBoundary:
    def test_another_halls_customer_is_never_returned(self, caller: Caller, dispatcher: Any, other_hall: str) -> None:
        """T01's counter never sees T02's customer, nor after it changed; T02's counter sees only it."""
        start(caller)
        found, last = _full_pass(caller, limit=2)
        assert {c["profile"]["customer_no"] for c in found} == HALL_T01
        colleague = Caller(dispatcher, counter="T0201")
        start(colleague, "cashier3")
        theirs = _changes(colleague)
        assert _numbers(theirs) == [other_hall]
        assert theirs["hall_code"] == "T02"
        assert pay(colleague, other_hall, [cash(1000)], seq=1).status == 200
        assert _changes(caller, **_after(last))["customers"] == []
        assert _numbers(_changes(colleague, **_after(theirs))) == [other_hall]


class TestDepartures:
    def test_a_customer_moved_to_another_hall(self, caller: Caller, dispatcher: Any, db: Session,
                                              world: World) -> None:
        """Moved from T01 to T02: T01's counter gets its number as departed (not as a customer), T02's
        gets the customer; moved back, T01 gets the customer again and T02 the departure."""
        start(caller)
        _, last = _full_pass(caller)
        colleague = Caller(dispatcher, counter="T0201")
        start(colleague, "cashier3")
        _, theirs = _full_pass(colleague)
        move = text("UPDATE customers SET hall_id = :h WHERE customer_no = :no")
        db.execute(move, {"h": world.org["T02"], "no": WANG_FANG})
        db.commit()
        ours = _changes(caller, **_after(last))
        assert (ours["customers"], ours["departed"]) == ([], [WANG_FANG])
        arrived = _changes(colleague, **_after(theirs))
        assert (_numbers(arrived), arrived["departed"]) == ([WANG_FANG], [])
        assert _changes(caller, **_after(ours))["departed"] == []  # announced once
        db.execute(move, {"h": world.org["T01"], "no": WANG_FANG})
        db.commit()
        back = _changes(caller, **_after(ours))
        assert (_numbers(back), back["departed"]) == ([WANG_FANG], [])
        left = _changes(colleague, **_after(arrived))
        assert (left["customers"], left["departed"]) == ([], [WANG_FANG])

    def test_departures_count_toward_the_page(self, caller: Caller, db: Session, world: World) -> None:
        """Two customers leave: with pages of one, each page carries one of them, in cursor order."""
        start(caller)
        _, last = _full_pass(caller)
        for no in (WANG_FANG, LI_XIUYING):
            db.execute(text("UPDATE customers SET hall_id = :h WHERE customer_no = :no"),
                       {"h": world.org["T02"], "no": no})
            db.commit()
        first = _changes(caller, **_after(last, limit=1))
        second = _changes(caller, **_after(first, limit=1))
        assert (first["departed"], first["complete"]) == ([WANG_FANG], False)
        assert (second["departed"], second["complete"]) == ([LI_XIUYING], True)


class TestNewDay:
    def test_a_new_business_day_sends_nobody_again(self, caller: Caller, clock: FixedClock) -> None:
        """The day after a full pass nothing is sent again, and yesterday's inputs give today's 360 view
        (张伟's late fee one day larger) to the fen."""
        start(caller)
        found, last = _full_pass(caller)
        yesterday = _overview(caller, ZHANG_WEI)
        clock.advance(dt.timedelta(days=1))
        assert caller.login("cashier1").status == 200  # the old session timed out overnight
        page = _changes(caller, **_after(last))
        assert (page["customers"], page["restarted"], page["business_date"]) == ([], False, "2026-11-24")
        for cached in found:
            _same_as_overview(cached, _overview(caller, cached["profile"]["customer_no"]))
        zhang = next(c for c in found if c["profile"]["customer_no"] == ZHANG_WEI)
        assert _due(zhang, dt.date(2026, 11, 24)) > yesterday["due_fen"]

    def test_partly_paid_bill_across_days(self, caller: Caller, clock: FixedClock) -> None:
        """A partial payment lowers the fee base from its day on: the inputs sent that day give the
        server's late fee three days later."""
        start(caller)
        _, last = _full_pass(caller)
        assert pay(caller, ZHANG_WEI, [cash(5000)], seq=1).status == 200
        page = _changes(caller, **_after(last))
        zhang = page["customers"][0]
        assert [s["on"] for s in zhang["open_bills"][0]["steps"]] == ["2026-10-24", "2026-11-23"]
        clock.advance(dt.timedelta(days=3))
        assert caller.login("cashier1").status == 200
        assert _changes(caller, **_after(page))["customers"] == []
        _same_as_overview(zhang, _overview(caller, ZHANG_WEI))


class TestRestart:
    def test_a_cursor_never_handed_out_starts_over(self, caller: Caller) -> None:
        """A cursor beyond every transaction of this database (another server's) restarts the pass."""
        start(caller)
        page = _changes(caller, after_cursor=2**62, after_customer_id=5)
        assert page["restarted"] is True
        assert set(_numbers(page)) == HALL_T01


class TestRefusals:
    @pytest.mark.parametrize("username", ["reader1", "billing1", "admin1"])
    def test_roles_without_collect(self, caller: Caller, username: str) -> None:
        """Only roles that take money may download the hall's customers."""
        assert caller.login(username).status == 200
        answer = caller.call("customer.get_hall_changes", {})
        assert (answer.status, answer.code) == (403, "PERMISSION_DENIED")

    def test_without_a_session(self, caller: Caller) -> None:
        """No token, no customers."""
        answer = caller.call("customer.get_hall_changes", {})
        assert (answer.status, answer.code) == (401, "NOT_AUTHENTICATED")

    @pytest.mark.parametrize("params", [
        {"limit": 0}, {"limit": 2001}, {"limit": 10.0}, {"after_cursor": -1}, {"after_customer_id": -5},
        {"after_cursor": 2**63}, {"after_cursor": "12"}, {"business_date": "2026-11-23"}, {"cursor": 1},
    ])
    def test_bad_input_is_refused(self, caller: Caller, params: dict[str, Any]) -> None:
        """Out-of-range, mistyped and unknown fields: INVALID_REQUEST."""
        start(caller)
        answer: Answer = caller.call("customer.get_hall_changes", params)
        assert (answer.status, answer.code) == (422, "INVALID_REQUEST"), answer.body

    def test_a_closed_customer_is_still_cached(self, caller: Caller) -> None:
        """Closed customers stay in the cache (the desk shows why it cannot take money)."""
        start(caller)
        page = _changes(caller)
        closed = next(c for c in page["customers"] if c["profile"]["customer_no"] == CLOSED)
        assert closed["profile"]["status"] == "closed"
