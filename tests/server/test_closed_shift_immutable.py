"""A closed shift never changes (SPEC C4): every mutating RPC is tried against it, and the database
itself refuses UPDATE, DELETE and TRUNCATE of shifts and closings."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from server.rpc.dispatch import Dispatcher
from shared_models.rpc import CONTRACT_VERSION, REGISTRY, load_all
from tests.factories import WANG_FANG, ZHANG_WEI, password_for
from tests.rpc_helpers import Answer, Caller
from tests.server.shift_helpers import SUPER, cash, close, open_shift, pay, signed_in, void, yuan_notes

load_all()

FIRST, SECOND, VOIDED = "T0101-20261123-00001", "T0101-20261123-00002", "T0101-20261123-00003"

#: The rows that make up the shift's figures, all of which must stay exactly as they were.
_ROWS_SQL = {
    "shifts": "SELECT s.* FROM shifts s WHERE s.shift_no = :no",
    "shift_closings": "SELECT c.* FROM shift_closings c JOIN shifts s ON s.id = c.shift_id WHERE s.shift_no = :no",
    "payments": "SELECT p.* FROM payments p JOIN shifts s ON s.id = p.shift_id WHERE s.shift_no = :no ORDER BY p.id",
    "payment_tenders": "SELECT t.* FROM payment_tenders t JOIN payments p ON p.id = t.payment_id"
                       " JOIN shifts s ON s.id = p.shift_id WHERE s.shift_no = :no ORDER BY t.id",
    "payment_allocations": "SELECT a.* FROM payment_allocations a JOIN payments p ON p.id = a.payment_id"
                           " JOIN shifts s ON s.id = p.shift_id WHERE s.shift_no = :no ORDER BY a.id",
    "payment_voids": "SELECT v.* FROM payment_voids v JOIN payments p ON p.id = v.payment_id"
                     " JOIN shifts s ON s.id = p.shift_id WHERE s.shift_no = :no ORDER BY v.id",
    "ledger_entries": "SELECT e.* FROM ledger_entries e JOIN payments p ON p.id = e.payment_id"
                      " JOIN shifts s ON s.id = p.shift_id WHERE s.shift_no = :no ORDER BY e.id",
}


@dataclass
class Closed:
    """A closed shift of cashier1 with two payments and a void, and the callers to attack it with."""

    shift_no: str
    cashier: Caller
    supervisor: Caller
    admin: Caller
    dispatcher: Dispatcher


@pytest.fixture
def closed(caller: Caller, dispatcher: Dispatcher) -> Closed:
    """Open, pay twice, void a third payment, close with the exact cash."""
    caller.login("cashier1")
    shift_no = open_shift(caller, 10_000)
    pay(caller, FIRST, ZHANG_WEI, cash(3_000, 5_000))
    pay(caller, SECOND, WANG_FANG, cash(2_000))
    pay(caller, VOIDED, WANG_FANG, cash(1_000))
    void(caller, VOIDED)
    assert close(caller, shift_no, yuan_notes(10_000 + 3_000 + 2_000)).status == 200
    return Closed(shift_no, caller, signed_in(dispatcher, "super1", "T0102"), signed_in(dispatcher, "admin1"),
                  dispatcher)


def _summary_bytes(c: Closed) -> bytes:
    """The summary exactly as the server sends it."""
    reply = c.dispatcher.handle("shift.get_summary", {
        "x-gridcounter-contract": CONTRACT_VERSION, "authorization": f"Bearer {c.supervisor.token}",
        "x-gridcounter-counter": c.supervisor.counter,
    }, json.dumps({"shift_no": c.shift_no}).encode())
    assert reply.status == 200, reply.body
    return reply.body


def _rows(db: Session, shift_no: str) -> dict[str, list[tuple[Any, ...]]]:
    rows = {table: [tuple(r) for r in db.execute(text(sql), {"no": shift_no})] for table, sql in _ROWS_SQL.items()}
    db.rollback()  # end the read: its locks would hold up a TRUNCATE (which must reach the trigger)
    return rows


def _quote_due(c: Caller, customer_no: str) -> int:
    return int(c.call("payment.get_quote", {"customer_no": customer_no}).body["due_fen"])


#: A void of the closed shift's first receipt, co-signed at the counter with the link down.
ATTESTED_VOID: dict[str, Any] = {
    "receipt_no": FIRST, "reason": "关班后离线冲正",
    "attested_cosign": {"username": "super1", "verified_at": "2026-11-23T16:40:00+08:00"},
    "local_time": "2026-11-23T16:40:00+08:00",
}


def _replayed(c: Caller, method: str, body: dict[str, Any]) -> Answer:
    """``method`` replayed from the outbox (the only way an attested co-sign is taken), as a plain answer."""
    batch = c.call("outbox.replay_batch", {"items": [{"key": str(uuid.uuid4()), "method": method, "body": body}]})
    if batch.status != 200:
        return batch
    outcome = batch.body["outcomes"][0]
    if outcome["error"] is None:
        return Answer(status=200, body=outcome["result"])
    return Answer(status=400, body={"error": outcome["error"]})


def _pay_body(c: Caller, receipt_no: str, *, offline: bool = False) -> dict[str, Any]:
    return {"customer_no": ZHANG_WEI, "receipt_no": receipt_no, "tenders": [cash(1_000)],
            "quoted_due_fen": _quote_due(c, ZHANG_WEI), "accepted_offline": offline}


#: One attempt: (description, call, expected error code or None for success).
Attempt = tuple[str, Callable[[Closed], Any], str | None]

def _signed_in_as(closed: Closed, username: str) -> Caller:
    """Another user signed in at the shift's counter."""
    caller = Caller(closed.dispatcher)
    assert caller.login(username).status == 200
    return caller


_RUN = {"book_code": "T01-B001", "period": 202611}
#: A blank card's files as read (serial A1..A8, key version 1).
_BLANK_CARD = {"info": "a1a2a3a4a5a6a7a801", "parameters": "00" * 26, "wallet": "00" * 12, "returned": "00" * 38}

ATTEMPTS: dict[str, list[Attempt]] = {
    "payment.pay_bills": [
        ("pay with the next number", lambda c: c.cashier.call(
            "payment.pay_bills", _pay_body(c.cashier, "T0101-20261123-00004")), "NO_OPEN_SHIFT"),
        ("pay accepted offline", lambda c: c.cashier.call(
            "payment.pay_bills", _pay_body(c.cashier, "T0101-20261123-00005", offline=True)), "NO_OPEN_SHIFT"),
        ("pay under a receipt number of the shift", lambda c: c.cashier.call(
            "payment.pay_bills", _pay_body(c.cashier, FIRST)), "RECEIPT_NO_TAKEN"),
    ],
    "payment.void_payment": [
        ("void its receipt", lambda c: c.cashier.call(
            "payment.void_payment", {"receipt_no": FIRST, "reason": "关班后冲正"}, cosign=SUPER), "VOID_SHIFT_CLOSED"),
        ("void its voided receipt again", lambda c: c.cashier.call(
            "payment.void_payment", {"receipt_no": VOIDED, "reason": "再次冲正"}, cosign=SUPER), "ALREADY_VOIDED"),
        ("a supervisor voids its receipt", lambda c: c.supervisor.call(
            "payment.void_payment", {"receipt_no": SECOND, "reason": "班长冲正"},
            cosign=("super2", password_for("super2"))), "VOID_NOT_SAME_CASHIER"),
    ],
    # Allowed: a reprint is one more receipt_prints row; the shift's figures do not change.
    "payment.reprint_receipt": [
        ("reprint its receipt", lambda c: c.cashier.call("payment.reprint_receipt", {"receipt_no": FIRST}), None),
        ("reprint its voided receipt", lambda c: c.supervisor.call(
            "payment.reprint_receipt", {"receipt_no": VOIDED}), None),
    ],
    "shift.close_shift": [
        ("close it again", lambda c: close(c.cashier, c.shift_no, yuan_notes(15_000)), "SHIFT_CLOSED"),
        ("close it again with another count, co-signed", lambda c: close(
            c.cashier, c.shift_no, yuan_notes(100), cosign=SUPER, slip="JK-OTHER"), "SHIFT_CLOSED"),
        ("a supervisor closes it again", lambda c: close(
            c.supervisor, c.shift_no, [], cosign=("super2", password_for("super2"))), "SHIFT_CLOSED"),
    ],
    "customer.update_contact": [
        ("change a payer's phone", lambda c: c.cashier.call(
            "customer.update_contact", {"customer_no": ZHANG_WEI, "phone": "13911112222"}), None),
    ],
    "admin.create_user": [
        ("create a cashier", lambda c: c.admin.call("admin.create_user", {
            "username": "newcashier", "display_name": "新收费员", "role": "cashier", "org_unit_code": "T01",
            "initial_password": "Initial-pass-1"}), None),
    ],
    "payment.void_attested": [
        ("void its receipt at the counter, sent directly", lambda c: c.cashier.call(
            "payment.void_attested", ATTESTED_VOID), "COSIGN_ATTESTED_NOT_REPLAYED"),
        ("void its receipt at the counter, replayed", lambda c: _replayed(
            c.cashier, "payment.void_attested", ATTESTED_VOID), "VOID_SHIFT_CLOSED"),
    ],
    "admin.set_user_active": [
        ("disable the shift's cashier", lambda c: c.admin.call(
            "admin.set_user_active", {"username": "cashier2", "active": False}), None),
    ],
    "admin.unlock_user": [
        ("unlock the shift's cashier", lambda c: c.admin.call("admin.unlock_user", {"username": "cashier1"}), None),
    ],
    "admin.reset_password": [
        ("reset a cashier's password", lambda c: c.admin.call(
            "admin.reset_password", {"username": "cashier2", "new_password": "Temp-pass-77"}, cosign=SUPER), None),
    ],
    "auth.change_password": [
        ("the cashier changes their password", lambda c: c.supervisor.call("auth.change_password", {
            "old_password": password_for("super1"), "new_password": "Another-pass-1"}), None),
    ],
    # Allowed: reports, acknowledgements and a damaged-outbox record are rows of their own, not the shift's.
    "sync.report_attention": [
        ("report a receipt of the shift as refused", lambda c: c.cashier.call("sync.report_attention", {
            "item_key": "5d0c2c4e-3333-4000-8000-000000000003", "method": "payment.pay_bills", "receipt_no": FIRST,
            "customer_no": ZHANG_WEI, "amount_fen": 3_000, "error_code": "CUSTOMER_CLOSED", "taken_by": "cashier1",
            "shift_no": c.shift_no}), None),
    ],
    "sync.acknowledge_attention": [
        ("acknowledge it", lambda c: c.supervisor.call("sync.acknowledge_attention", {
            "item_key": "5d0c2c4e-3333-4000-8000-000000000003", "note": "关班后确认"}), None),
    ],
    "sync.acknowledge_damaged_outbox": [
        ("acknowledge a damaged outbox", lambda c: c.cashier.call("sync.acknowledge_damaged_outbox", {
            "reason": "file is not a database", "found_at": "2026-11-23T18:00:00+08:00", "files": []},
            cosign=("super2", password_for("super2"))), None),
    ],
    # Allowed: a tariff version is master data of its own, not the shift's.
    "tariff.add_version": [
        ("a billing clerk adds a tariff version", lambda c: signed_in(c.dispatcher, "billing1").call(
            "tariff.add_version", {"code": "RES-FLAT", "version": {
                "effective_from": "2027-01-01", "energy_price": "0.55",
                "late_fee": {"daily_permille_current": "1", "daily_permille_cross_year": "1"}}}), None),
    ],
    # Allowed: a meter reading is a row of its own, not the shift's.
    "reading.enter_reading": [
        ("a reader enters a reading of a payer's meter", lambda c: _signed_in_as(c, "reader1").call(
            "reading.enter_reading", {"asset_no": "0" * 22, "period": 202611, "read_on": "2026-11-20",
                                      "status": "actual", "values": {"total": "1234.50"}},
            cosign=("super2", password_for("super2"))), None),
    ],
    # Allowed: a meter change is equipment and readings of their own, not the shift's.
    "reading.change_meter": [
        ("a reader changes a payer's meter", lambda c: _signed_in_as(c, "reader1").call(
            "reading.change_meter", {"asset_no": "0" * 22, "period": 202611, "changed_on": "2026-11-21",
                                     "final_values": {"total": "1234.50"}, "start_values": {"total": "0.00"},
                                     "new_meter": {"asset_no": "NEW-0001", "digits": 6, "registers": ["total"]}},
            cosign=("super2", password_for("super2"))), None),
    ],
    # Allowed: a bill run is the billing clerk's, not the shift's (its charges carry no payment of the shift).
    "billrun.calculate_run": [
        ("a billing clerk calculates the payers' book", lambda c: _signed_in_as(c, "billing1").call(
            "billrun.calculate_run", _RUN), None),
    ],
    "billrun.hold_bill": [
        ("a billing clerk holds a payer's draft", lambda c: _signed_in_as(c, "billing1").call(
            "billrun.hold_bill", {**_RUN, "customer_no": ZHANG_WEI, "reason": "待核实"}), None),
    ],
    "billrun.recalculate_bill": [
        ("a billing clerk recalculates it", lambda c: _signed_in_as(c, "billing1").call(
            "billrun.recalculate_bill", {**_RUN, "customer_no": ZHANG_WEI}), None),
    ],
    "billrun.release_bill": [
        ("a billing clerk lifts the hold", lambda c: _signed_in_as(c, "billing1").call(
            "billrun.release_bill", {**_RUN, "customer_no": ZHANG_WEI}), None),
    ],
    "billrun.release_run": [
        ("a billing clerk releases the run", lambda c: _signed_in_as(c, "billing1").call(
            "billrun.release_run", _RUN), None),
    ],
    "billrun.correct_bill": [
        ("a billing clerk corrects a payer's bill", lambda c: _signed_in_as(c, "billing1").call(
            "billrun.correct_bill", {"bill_no": f"202609-{ZHANG_WEI}", "reason": "退补"},
            cosign=("super2", password_for("super2"))), "BILL_NOT_PRICEABLE"),
    ],
    # Allowed: a customer's terms (计费参数) are master data of their own, not the shift's.
    "customer.set_terms": [
        ("a billing clerk records a payer's terms", lambda c: _signed_in_as(c, "billing1").call(
            "customer.set_terms", {"customer_no": ZHANG_WEI, "effective_from": "2027-01-01",
                                   "reason": "计费参数"}), None),
    ],
    # Allowed: the meter reader's hand-over is the book's, not the shift's.
    "handheld.download_book": [
        ("a reader asks for a book (this data set has no reading books: refused for that, not for the shift)",
         lambda c: _signed_in_as(c, "reader1").call(
             "handheld.download_book", {"book_code": "T01-B001", "period": 202611}), "HANDHELD_BOOK_NOT_FOUND"),
    ],
    "handheld.accept_upload": [
        ("a reader accepts an upload (an empty file: refused for what it is, not for the shift)",
         lambda c: _signed_in_as(c, "reader1").call(
             "handheld.accept_upload", {"content_b64": "e30=", "decisions": [{"seq": 1, "decision": "accept"}]}),
         "HANDHELD_FORMAT_UNSUPPORTED"),
    ],
    # Allowed: a reading book's reader is configuration of the hall, not the shift's.
    "books.assign_book": [
        ("a billing clerk assigns a book (this data set has no reading books: refused for that, not for the shift)",
         lambda c: _signed_in_as(c, "billing1").call(
             "books.assign_book", {"book_code": "T01-B001", "reader": "reader1", "reading_day": 20,
                                   "window_days": 5}), "READING_BOOK_NOT_FOUND"),
    ],
    # Card sales (issue 14) take money in the cashier's open shift: none now; a write or reversal of another
    # shift's purchase is refused for the card's sake (this data set has no card purchases).
    "card.prepare_sale": [
        ("sell onto a card", lambda c: c.cashier.call("card.prepare_sale", {
            "customer_no": ZHANG_WEI, "files": _BLANK_CARD, "purchase_count": 1, "receipt_no": "T0101-20261123-00007",
            "tenders": [cash(5_000)], "quoted_arrears_fen": 0}), "NO_OPEN_SHIFT"),
    ],
    "card.open_card": [
        ("open a card", lambda c: c.cashier.call("card.open_card", {
            "customer_no": ZHANG_WEI, "files": _BLANK_CARD, "receipt_no": "T0101-20261123-00007",
            "tenders": [cash(5_000)], "quoted_arrears_fen": 0}), "NO_OPEN_SHIFT"),
    ],
    "card.replace_card": [
        ("replace a card", lambda c: c.cashier.call("card.replace_card", {
            "customer_no": ZHANG_WEI, "files": _BLANK_CARD, "receipt_no": "T0101-20261123-00007",
            "tenders": [cash(2_000)], "reason": "卡丢失"}), "NO_OPEN_SHIFT"),
    ],
    "card.confirm_write": [
        ("confirm a card write", lambda c: c.cashier.call("card.confirm_write", {
            "customer_no": ZHANG_WEI, "purchase_count": 1, "files": _BLANK_CARD}), "CARD_NO_PENDING_WRITE"),
    ],
    "card.reverse_sale": [
        ("reverse a card sale", lambda c: c.cashier.call("card.reverse_sale", {
            "customer_no": ZHANG_WEI, "purchase_count": 1, "files": _BLANK_CARD, "reason": "关班后冲正"},
            cosign=("super2", password_for("super2"))), "CARD_REVERSAL_REFUSED"),
    ],
    # Opens a NEW shift; so it runs after every attempt that needs the cashier without an open shift.
    "shift.open_shift": [
        ("open again", lambda c: c.cashier.call("shift.open_shift", {"float_fen": 20_000}), None),
        ("pay into the new shift", lambda c: c.cashier.call(
            "payment.pay_bills", _pay_body(c.cashier, "T0101-20261123-00006")), None),
    ],
    "auth.logout": [
        ("the cashier signs out", lambda c: c.cashier.call("auth.logout"), None),
    ],
}


def test_every_mutating_method_is_attempted() -> None:
    """The attempts cover every mutating RPC of the registry (a new one fails here until it is added)."""
    assert set(ATTEMPTS) == {name for name, rpc in REGISTRY.items() if rpc.mutating}


def test_no_rpc_changes_a_closed_shift(closed: Closed, db: Session) -> None:
    """Each mutating RPC aimed at the closed shift is refused or leaves its summary bytes and rows as they were."""
    summary, rows = _summary_bytes(closed), _rows(db, closed.shift_no)
    for method, attempts in ATTEMPTS.items():
        for what, attempt, expected in attempts:
            answer = attempt(closed)
            assert answer.code == expected, (method, what, answer.body)
            assert _summary_bytes(closed) == summary, (method, what)
            assert _rows(db, closed.shift_no) == rows, (method, what)
    reopened = closed.supervisor.call("settlement.get_daily", {"business_date": "2026-11-23", "whole_hall": True})
    assert [s["shift_no"] for s in reopened.body["report"]["cashiers"]] == [closed.shift_no]
    assert len(reopened.body["open_shifts"]) == 1


@pytest.mark.parametrize("sql", [
    "UPDATE shifts SET float_fen = float_fen + 100",
    "UPDATE shift_closings SET counted_cash_fen = expected_cash_fen",
    "UPDATE shift_closings SET approved_by = NULL",
    "DELETE FROM shift_closings",
    "DELETE FROM shifts",
    "TRUNCATE shift_closings",
    "UPDATE payments SET amount_fen = amount_fen + 1",
    "DELETE FROM payment_voids",
    "UPDATE payment_tenders SET amount_fen = amount_fen + 1",
])
def test_database_refuses_changes(sql: str, closed: Closed, engine: Engine, db: Session) -> None:
    """Even with SQL the books refuse it: the append-only triggers stop UPDATE, DELETE and TRUNCATE."""
    rows = _rows(db, closed.shift_no)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(sql))
    assert _rows(db, closed.shift_no) == rows


def test_second_closing_row_refused(closed: Closed, engine: Engine) -> None:
    """A second closing row for the shift violates the one-closing-per-shift key."""
    with pytest.raises(IntegrityError, match="uq_shift_closings_shift_id"), engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO shift_closings (shift_id, closed_at, expected_cash_fen, counted_cash_fen, cash_counts,"
            " deposit_slip_no, note) SELECT id, now(), 0, 0, '{}', 'X', '' FROM shifts WHERE shift_no = :no"
        ), {"no": closed.shift_no})
