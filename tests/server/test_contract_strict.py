"""What the outside fuzzer found (issue 10 §7): each bad input is refused with its code and changes nothing,
and the OpenAPI document states the rules the server applies."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from server.models.audit import AuditRecord
from server.models.ledger import EntryKind, LedgerEntry
from server.models.users import User
from server.rpc.openapi import build_openapi
from server.settings import Settings
from shared_models.methods.outbox import replayable_methods
from shared_models.money import FEN_BOUND, MAX_PAYMENT_FEN
from shared_models.rpc import CONTRACT_VERSION, load_all
from shared_models.rules.receipt_numbers import is_receipt_no
from tests.factories import ZHANG_WEI
from tests.rpc_helpers import Answer, Caller
from tests.server.payment_helpers import cash, counts, pay, quote, start

NOT_A_DAY = "T0101-00000000-00001"


def _audit(db: Session) -> int:
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(AuditRecord)) or 0)


def _attention_rows(db: Session) -> int:
    db.expire_all()
    return int(db.scalar(text("SELECT count(*) FROM offline_attention")) or 0)


def _report(item_key: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"item_key": item_key, "method": "payment.pay_bills", "receipt_no": None,
                            "customer_no": ZHANG_WEI, "amount_fen": 100, "error_code": "CUSTOMER_CLOSED",
                            "error_params": {}, "taken_by": "cashier1", "offline": True}
    body.update(changes)
    return body


class TestAmountLimit:
    def test_quote_over_the_limit(self, caller: Caller, settings: Settings) -> None:
        """A quote above ``max_payment_fen`` is AMOUNT_TOO_LARGE with the amount and the limit."""
        start(caller)
        limit = settings.max_payment_fen
        answer = caller.call("payment.get_quote", {"customer_no": ZHANG_WEI, "amount_fen": limit + 1})
        assert (answer.status, answer.code, answer.params) == (
            422, "AMOUNT_TOO_LARGE", {"amount_fen": limit + 1, "limit_fen": limit})

    def test_payment_over_the_limit_changes_nothing(self, caller: Caller, db: Session) -> None:
        """Tenders adding up past the limit (each one within the contract's bound) are refused before any booking."""
        start(caller)
        due = quote(caller, ZHANG_WEI)["due_fen"]
        before = counts(db)
        big = MAX_PAYMENT_FEN
        answer = pay(caller, ZHANG_WEI, [cash(big), {"method": "qr", "amount_fen": big, "reference": "WX-1"}],
                     seq=1, quoted=due)
        assert (answer.code, answer.params["limit_fen"]) == ("AMOUNT_TOO_LARGE", 10**9)
        assert counts(db) == before

    def test_prepayment_near_the_bound_is_refused_not_a_500(self, caller: Caller, db: Session) -> None:
        """A customer whose prepayment plus the amount would pass the Fen bound gets AMOUNT_TOO_LARGE from the
        quote and the payment (it was a 500: the answer could not be built), and nothing is booked."""
        start(caller)
        customer_id = db.scalar(text("SELECT id FROM customers WHERE customer_no = :n"), {"n": ZHANG_WEI})
        due = quote(caller, ZHANG_WEI)["due_fen"]
        db.add(LedgerEntry(customer_id=customer_id, kind=EntryKind.ADJUSTMENT, amount_fen=FEN_BOUND - 10,
                           posted_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC), reference="test"))
        db.commit()
        amount = due + 1_000
        answer = caller.call("payment.get_quote", {"customer_no": ZHANG_WEI, "amount_fen": amount})
        assert (answer.status, answer.code) == (422, "AMOUNT_TOO_LARGE")
        before = counts(db)
        assert pay(caller, ZHANG_WEI, [cash(amount)], seq=1, quoted=due).code == "AMOUNT_TOO_LARGE"
        assert counts(db) == before


class TestReceiptNumbers:
    @pytest.mark.parametrize(("text_", "ok"), [
        ("T0101-20261123-00001", True), ("T0101-20280229-00001", True), ("T0101-20270229-00001", False),
        (NOT_A_DAY, False), ("T0101-20261131-00001", False), ("T0101-20261123-00001\n", False),
        ("T0101-２０２６１１２３-00001", False),
    ])
    def test_one_shape_rule(self, text_: str, ok: bool) -> None:
        """The one rule: the shape and a real day (leap days included), ASCII digits, nothing after it."""
        assert is_receipt_no(text_) is ok

    def test_report_with_a_non_day_is_refused_cleanly(self, caller: Caller, db: Session) -> None:
        """``sync.report_attention`` with a receipt number whose date is no day is INVALID_REQUEST (it was a
        500), as are the receipt calls for the same number; nothing is stored."""
        assert caller.login("cashier1").status == 200
        before = (_attention_rows(db), _audit(db))
        answer = caller.call("sync.report_attention", _report(str(uuid.uuid4()), receipt_no=NOT_A_DAY))
        assert (answer.status, answer.code, answer.params["field"]) == (422, "INVALID_REQUEST", "receipt_no")
        for method in ("payment.get_receipt", "payment.reprint_receipt"):
            again = caller.call(method, {"receipt_no": NOT_A_DAY})
            assert (again.code, again.params["field"]) == ("INVALID_REQUEST", "receipt_no")
        assert (_attention_rows(db), _audit(db)) == before


class TestReportAttention:
    @pytest.mark.parametrize(("change", "code", "field"), [
        ({"method": "admin.create_user"}, "INVALID_REQUEST", "method"),
        ({"method": "payment.void_payment"}, "INVALID_REQUEST", "method"),
        ({"taken_by": "no_such_user"}, "USER_NOT_FOUND", None),
        ({"taken_by": "cashier 1"}, "INVALID_REQUEST", "taken_by"),
        ({"error_params": {"note": "a\x00b"}}, "INVALID_REQUEST", "error_params.note.constrained-str"),
    ], ids=["not-replayable", "co-signed", "unknown-taker", "taker-shape", "nul"])
    def test_bad_report(self, caller: Caller, db: Session, change: dict[str, Any], code: str,
                        field: str | None) -> None:
        """A method the outbox never replays, a taker who is no user (or no user name), a NUL in a parameter:
        refused with the code, nothing stored."""
        assert caller.login("cashier1").status == 200
        before = (_attention_rows(db), _audit(db))
        answer = caller.call("sync.report_attention", _report(str(uuid.uuid4()), **change))
        assert answer.code == code
        if field is not None:
            assert answer.params["field"] == field
        assert (_attention_rows(db), _audit(db)) == before


class TestLocalTime:
    @pytest.mark.parametrize("local_time", ["2000-01-01T10:00:00+08:00", "2026-11-23T16:30:00+08:00",
                                            "2026-11-23T09:20:00Z"])
    def test_online_clock_off_by_more_than_the_skew(self, caller: Caller, db: Session, local_time: str) -> None:
        """An online payment whose counter clock is more than ``clock_skew_s`` off the server's (09:00 UTC)
        is LOCAL_TIME_IMPLAUSIBLE and books nothing."""
        start(caller)
        before = counts(db)
        answer = pay(caller, ZHANG_WEI, [cash(1_000)], seq=1, local_time=local_time)
        assert (answer.code, answer.params) == ("LOCAL_TIME_IMPLAUSIBLE", {"skew_s": 600})
        assert counts(db) == before

    @pytest.mark.parametrize("local_time", ["1999-12-31T23:59:59+08:00", "0001-01-01T00:00:00+05:00",
                                            "9999-12-31T23:59:59-08:00"])
    def test_times_outside_the_contract(self, caller: Caller, db: Session, local_time: str) -> None:
        """A counter time outside 2000-2099 breaks the contract (its pattern says so), offline too: refused
        before anything (a year-1 time with an offset would not even fit PostgreSQL's range once in UTC)."""
        start(caller)
        before = counts(db)
        answer = pay(caller, ZHANG_WEI, [cash(1_000)], seq=1, local_time=local_time, offline=True)
        assert (answer.code, answer.params["field"]) == ("INVALID_REQUEST", "local_time")
        assert counts(db) == before

    def test_online_clock_within_the_skew(self, caller: Caller) -> None:
        """Ten minutes off (within the 15-minute allowance) is booked, with the counter's time kept."""
        start(caller)
        answer = pay(caller, ZHANG_WEI, [cash(1_000)], seq=1, local_time="2026-11-23T17:10:00+08:00")
        assert (answer.status, answer.body["local_time"]) == (200, "2026-11-23T09:10:00Z")


class TestAccountsAndBodies:
    def test_administrator_cannot_unlock_themselves(self, caller: Caller, db: Session) -> None:
        """UNLOCK_SELF: the failure count and lock an attacker caused stay; another administrator may lift it."""
        assert caller.login("admin1").status == 200
        db.execute(text("UPDATE users SET failed_attempts = 3 WHERE username = 'admin1'"))
        db.commit()
        before = _audit(db)
        answer = caller.call("admin.unlock_user", {"username": "admin1"})
        assert (answer.status, answer.code) == (403, "UNLOCK_SELF")
        db.expire_all()
        assert db.scalar(select(User.failed_attempts).where(User.username == "admin1")) == 3
        assert _audit(db) == before

    def test_short_initial_password(self, caller: Caller, db: Session) -> None:
        """A new user's password shorter than the contract's minimum is PASSWORD_TOO_WEAK; no user is made."""
        assert caller.login("admin1").status == 200
        before = int(db.scalar(select(func.count()).select_from(User)) or 0)
        answer = caller.call("admin.create_user", {"username": "newbie", "display_name": "新人", "role": "cashier",
                                                   "org_unit_code": "T01", "initial_password": "ab1"})
        assert (answer.code, answer.params) == ("PASSWORD_TOO_WEAK", {"min_length": 8})
        db.expire_all()
        assert int(db.scalar(select(func.count()).select_from(User)) or 0) == before

    @pytest.mark.parametrize(("method", "body", "field"), [
        ("payment.get_quote", {"customer_no": "٣٣٠١٠٠٠٠٠١"}, "customer_no"),
        ("payment.get_quote", {"customer_no": "3301000001\n"}, "customer_no"),
        ("audit.list_records", {"username": "a\x00b"}, "username"),
        ("admin.create_user", {"username": "nul", "display_name": "a\x00b", "role": "cashier",
                               "org_unit_code": "T01", "initial_password": "abc12345"}, "display_name"),
        ("customer.search_customers", {"query": "   "}, "query"),
        ("shift.open_shift", {"float_fen": -1}, "float_fen"),
    ], ids=["arabic-digits", "newline", "nul-username", "nul-name", "blank-query", "negative-float"])
    def test_the_contract_refuses(self, caller: Caller, db: Session, method: str, body: dict[str, Any],
                                  field: str) -> None:
        """What the schema now states (ASCII digits, no NUL, a query with a character, no negative float) the
        server refuses as INVALID_REQUEST of that field, before it touches anything."""
        assert caller.login("admin1" if method.startswith(("admin", "audit")) else "cashier1").status == 200
        before = _audit(db)
        answer = caller.call(method, body)
        assert (answer.code, answer.params["field"]) == ("INVALID_REQUEST", field)
        assert _audit(db) == before

    def test_empty_body(self, caller: Caller) -> None:
        """The contract marks every body required: an empty one is MALFORMED_REQUEST, even for an empty model."""
        assert caller.login("cashier1").status == 200
        headers = {"X-GridCounter-Contract": CONTRACT_VERSION, "Authorization": f"Bearer {caller.token}",
                   "X-GridCounter-Counter": caller.counter}
        for body in (b"", b"  "):
            answer: Answer = caller.raw("auth.whoami", body, headers)
            assert (answer.status, answer.code) == (400, "MALFORMED_REQUEST")


class TestOpenApi:
    def test_the_document_states_the_rules(self) -> None:
        """Patterns for 户号 and receipt numbers, the replayable methods, the counter-time years, the served
        contract versions and a documented 400 that names CONTRACT_VERSION_UNSUPPORTED."""
        doc = build_openapi(server_version="test")
        schemas = doc["components"]["schemas"]
        assert schemas["QuoteRequest"]["properties"]["customer_no"]["pattern"] == "^(?:[0-9]{10}|[0-9]{13})$"
        assert "0229" in schemas["ReceiptRequest"]["properties"]["receipt_no"]["pattern"]
        assert schemas["ReportAttentionRequest"]["properties"]["method"]["enum"] == replayable_methods()
        assert schemas["Tender"]["properties"]["amount_fen"]["minimum"] == 1
        local = schemas["PayRequest"]["properties"]["local_time"]["anyOf"][0]
        assert (local["format"], local["pattern"]) == ("date-time", "^20[0-9]{2}-")
        assert schemas["ChangePasswordRequest"]["properties"]["new_password"]["minLength"] == 8
        for name in load_all():
            op = doc["paths"][f"/rpc/{name}"]["post"]
            contract = next(p for p in op["parameters"] if p["name"] == "X-GridCounter-Contract")
            major, minor = CONTRACT_VERSION.split(".")  # every minor of this major up to this one is served
            assert contract["schema"]["enum"] == [f"{major}.{m}" for m in range(int(minor) + 1)]
            assert "CONTRACT_VERSION_UNSUPPORTED" in op["responses"]["400"]["description"]
            assert op["requestBody"]["required"] is True
