"""The dispatcher's bad-input handling and idempotency, on the real database."""

from __future__ import annotations

import json
import threading
import uuid

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.models.audit import AuditRecord, IdempotencyRecord
from server.models.customers import Customer
from server.rpc.dispatch import _validation_error
from shared_models.money import FenField
from shared_models.rpc import CONTRACT_VERSION, MAX_REQUEST_BYTES, Model
from tests.rpc_helpers import Caller
from tests.server.attempt_helpers import refusals


def _audit_count(db: Session) -> int:
    return int(db.scalar(select(func.count()).select_from(AuditRecord)) or 0)


def _phone(db: Session, customer_no: str) -> str:
    db.expire_all()
    return db.scalars(select(Customer.phone).where(Customer.customer_no == customer_no)).one()


_MAJOR, _MINOR = (int(part) for part in CONTRACT_VERSION.split("."))
#: Versions this server does not serve: a newer major, a newer minor, an older major.
_NEXT_MAJOR, _NEXT_MINOR, _PREVIOUS_MAJOR = f"{_MAJOR + 1}.0", f"{_MAJOR}.{_MINOR + 1}", f"{_MAJOR - 1}.0"


class TestBadInput:
    def test_malformed_json(self, caller: Caller) -> None:
        """A body that is not JSON is MALFORMED_REQUEST."""
        answer = caller.raw("system.handshake", b"{not json", {"X-GridCounter-Contract": CONTRACT_VERSION})
        assert (answer.status, answer.code) == (400, "MALFORMED_REQUEST")

    def test_missing_field(self, caller: Caller) -> None:
        """A missing field is INVALID_REQUEST naming the field."""
        caller.login("cashier1")
        answer = caller.call("customer.get_customer", {})
        assert (answer.status, answer.code) == (422, "INVALID_REQUEST")
        assert answer.params == {"field": "customer_no", "problem": "missing"}

    def test_unknown_field(self, caller: Caller) -> None:
        """An extra field is refused, not ignored."""
        caller.login("cashier1")
        answer = caller.call("customer.get_customer", {"customer_no": "3301000001", "sneaky": 1})
        assert answer.code == "INVALID_REQUEST"
        assert answer.params["problem"] == "extra_forbidden"

    def test_bad_customer_number(self, caller: Caller) -> None:
        """A 户号 of the wrong length is INVALID_REQUEST."""
        caller.login("cashier1")
        assert caller.call("customer.get_customer", {"customer_no": "12345"}).code == "INVALID_REQUEST"

    def test_oversized_request(self, caller: Caller) -> None:
        """A body above the limit is REQUEST_TOO_LARGE with the limit."""
        body = json.dumps({"contract_version": "1.0", "client_version": "x" * MAX_REQUEST_BYTES}).encode()
        answer = caller.raw("system.handshake", body, {"X-GridCounter-Contract": CONTRACT_VERSION})
        assert (answer.status, answer.code) == (413, "REQUEST_TOO_LARGE")
        assert answer.params == {"limit": MAX_REQUEST_BYTES}

    def test_unknown_method(self, caller: Caller) -> None:
        """A method not in the contract is UNKNOWN_METHOD."""
        answer = caller.raw("payment.steal_money", b"{}", {"X-GridCounter-Contract": CONTRACT_VERSION})
        assert (answer.status, answer.code) == (404, "UNKNOWN_METHOD")

    @pytest.mark.parametrize("version", ["", _NEXT_MAJOR, _NEXT_MINOR, _PREVIOUS_MAJOR, "banana", "\u0662.\u0660"])
    def test_wrong_contract_version_header(self, caller: Caller, version: str) -> None:
        """Every call carries the contract version; a missing one, or one the server does not serve (other
        scripts' digits included), is a documented 400 whose code says "update the client"."""
        answer = caller.raw("auth.whoami", b"{}", {"X-GridCounter-Contract": version})
        assert (answer.status, answer.code) == (400, "CONTRACT_VERSION_UNSUPPORTED")
        assert answer.params["server_version"] == CONTRACT_VERSION

    def test_handshake_refuses_a_newer_client(self, caller: Caller) -> None:
        """The handshake itself names both versions when the client is too new."""
        answer = caller.call("system.handshake", {"contract_version": "1.7", "client_version": "9.9"})
        assert answer.code == "CONTRACT_VERSION_UNSUPPORTED"
        assert answer.params == {"client_version": "1.7", "server_version": CONTRACT_VERSION}

    def test_handshake_accepts_the_current_client(self, caller: Caller) -> None:
        """A client of the current contract gets the server's version and time."""
        answer = caller.call("system.handshake", {"contract_version": CONTRACT_VERSION, "client_version": "0.1.0"})
        assert answer.status == 200
        assert answer.body["contract_version"] == CONTRACT_VERSION

    def test_float_where_fen_belong(self) -> None:
        """A float (even 12.0) or a string in a fen field is FEN_NOT_INTEGER, naming the field."""

        class Pay(Model):
            amount_fen: FenField

        for bad in (b'{"amount_fen": 12.5}', b'{"amount_fen": 12.0}', b'{"amount_fen": "1200"}'):
            with pytest.raises(ValidationError) as info:
                Pay.model_validate_json(bad)
            err = _validation_error(info.value)
            assert (err.code, err.params) == ("FEN_NOT_INTEGER", {"field": "amount_fen"})
        assert Pay.model_validate_json(b'{"amount_fen": 1200}').amount_fen == 1200

    def test_missing_idempotency_key(self, caller: Caller, db: Session) -> None:
        """A mutating call without a UUID key is refused and changes nothing."""
        caller.login("cashier1")
        before = _audit_count(db)
        for key in (None, "not-a-uuid"):
            headers = {
                "X-GridCounter-Contract": CONTRACT_VERSION,
                "Authorization": f"Bearer {caller.token}",
                "X-GridCounter-Counter": "T0101",
            }
            if key:
                headers["Idempotency-Key"] = key
            body = json.dumps({"customer_no": "3301000001", "phone": "13912345678"}).encode()
            answer = caller.raw("customer.update_contact", body, headers)
            assert (answer.status, answer.code) == (400, "IDEMPOTENCY_KEY_REQUIRED")
        assert _phone(db, "3301000001") == "13800000000"
        assert _audit_count(db) == before

    def test_missing_permission_changes_nothing(self, caller: Caller, db: Session) -> None:
        """A meter reader may not edit a customer: PERMISSION_DENIED, no change, and only the record of the
        refused attempt in the audit log."""
        caller.login("reader1")
        before = _audit_count(db)
        answer = caller.call("customer.update_contact", {"customer_no": "3301000001", "phone": "13912345678"})
        assert (answer.status, answer.code) == (403, "PERMISSION_DENIED")
        assert answer.params == {"permission": "edit_customers"}
        assert _phone(db, "3301000001") == "13800000000"
        assert _audit_count(db) == before + 1
        assert refusals(db) == [("reader1", "PERMISSION_DENIED", "customer.update_contact", "customer:3301000001")]

    def test_business_error_rolls_back(self, caller: Caller, db: Session) -> None:
        """A call that fails in its service leaves no audit record and no idempotency record."""
        caller.login("cashier1")
        key = str(uuid.uuid4())
        before = _audit_count(db)
        answer = caller.call("customer.update_contact", {"customer_no": "3301999999", "phone": "13912345678"}, key=key)
        assert (answer.status, answer.code) == (404, "CUSTOMER_NOT_FOUND")
        assert answer.params == {"customer_no": "3301999999"}
        assert _audit_count(db) == before
        assert db.get(IdempotencyRecord, key) is None


class TestIdempotency:
    def test_replay_returns_the_first_result(self, caller: Caller, db: Session) -> None:
        """The same key and request apply once; the replay gets the first answer byte for byte."""
        caller.login("cashier1")
        key = str(uuid.uuid4())
        params = {"customer_no": "3301000001", "phone": "13912345678"}
        first = caller.call("customer.update_contact", params, key=key)
        audits = _audit_count(db)
        # someone else changes the phone meanwhile: a replay must not apply the old request again
        caller.call("customer.update_contact", {"customer_no": "3301000001", "phone": "13700000000"})
        replay = caller.call("customer.update_contact", params, key=key)
        assert first.status == replay.status == 200
        assert replay.body == first.body
        assert _phone(db, "3301000001") == "13700000000"
        assert _audit_count(db) == audits + 1

    def test_replay_after_signing_in_again(self, caller: Caller) -> None:
        """An outbox replay after a new sign-in (new token, same user) still gets the first result."""
        caller.login("cashier1")
        key = str(uuid.uuid4())
        params = {"customer_no": "3301000001", "phone": "13912345678"}
        first = caller.call("customer.update_contact", params, key=key)
        caller.login("cashier1")
        assert caller.call("customer.update_contact", params, key=key).body == first.body

    def test_same_key_different_request(self, caller: Caller, db: Session) -> None:
        """Reusing a key for another request is IDEMPOTENCY_KEY_REUSED and changes nothing."""
        caller.login("cashier1")
        key = str(uuid.uuid4())
        caller.call("customer.update_contact", {"customer_no": "3301000001", "phone": "13912345678"}, key=key)
        answer = caller.call("customer.update_contact", {"customer_no": "3301000001", "phone": "13600000000"}, key=key)
        assert (answer.status, answer.code) == (409, "IDEMPOTENCY_KEY_REUSED")
        assert _phone(db, "3301000001") == "13912345678"

    def test_same_key_other_user(self, caller: Caller, dispatcher: object) -> None:
        """Another user cannot replay (and so read) someone else's result."""
        caller.login("cashier1")
        key = str(uuid.uuid4())
        params = {"customer_no": "3301000001", "phone": "13912345678"}
        caller.call("customer.update_contact", params, key=key)
        other = Caller(caller.dispatcher, counter="T0102")
        other.login("cashier2")
        assert other.call("customer.update_contact", params, key=key).code == "IDEMPOTENCY_KEY_REUSED"

    def test_concurrent_calls_with_one_key_apply_once(self, caller: Caller, db: Session) -> None:
        """Eight threads sending the same key at once: one effect, one audit record, eight equal answers."""
        caller.login("cashier1")
        key = str(uuid.uuid4())
        params = {"customer_no": "3301000001", "phone": "13912345678"}
        before = _audit_count(db)
        barrier = threading.Barrier(8)
        answers: list[object] = []
        lock = threading.Lock()

        def send() -> None:
            barrier.wait()
            answer = caller.call("customer.update_contact", params, key=key)
            with lock:
                answers.append(answer)

        threads = [threading.Thread(target=send) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert len(answers) == 8
        bodies = {json.dumps(a.body, sort_keys=True) for a in answers}  # type: ignore[attr-defined]
        assert len(bodies) == 1
        assert all(a.status == 200 for a in answers)  # type: ignore[attr-defined]
        assert _audit_count(db) == before + 1
