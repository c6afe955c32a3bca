"""The permission matrix, role by role and method by method, and the co-sign primitive."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models.users import User
from shared_models.roles import ROLE_PERMISSIONS, Role
from shared_models.rpc import CONTRACT_VERSION, REGISTRY, load_all
from tests.billruns.helpers import prepare_sample
from tests.factories import World, password_for
from tests.handheld.helpers import prepare_sample as prepare_handheld_sample
from tests.reading_books_helpers import prepare_sample as prepare_books_sample
from tests.rpc_helpers import Answer, Caller
from tests.server.attempt_helpers import refusals
from tests.server.card_samples import SAMPLES as CARD_SAMPLES
from tests.server.card_samples import PrepareCard, prepare_card

load_all()

#: A valid request for every method that needs a session.
SAMPLES: dict[str, dict[str, Any]] = {
    "auth.whoami": {},
    "auth.logout": {},
    "auth.change_password": {"old_password": "placeholder", "new_password": "Another-pass-1"},
    "admin.list_users": {},
    "admin.create_user": {
        "username": "matrixuser",
        "display_name": "矩阵",
        "role": "cashier",
        "org_unit_code": "T01",
        "initial_password": "Initial-pass-1",
    },
    "admin.unlock_user": {"username": "cashier2"},
    "admin.reset_password": {"username": "cashier2", "new_password": "Temp-pass-77"},
    "admin.set_user_active": {"username": "cashier2", "active": True},
    "audit.list_records": {"limit": 5},
    "audit.verify_chain": {},
    "customer.get_customer": {"customer_no": "3301000001"},
    "customer.update_contact": {"customer_no": "3301000001", "phone": "13912345678"},
    "customer.search_customers": {"query": "张伟"},
    "customer.get_overview": {"customer_no": "3301000001"},
    "customer.get_hall_changes": {"limit": 10},
    "payment.get_quote": {"customer_no": "3301000001"},
    "payment.pay_bills": {"customer_no": "3301000001", "receipt_no": "T0101-20261123-00001",
                          "tenders": [{"method": "cash", "amount_fen": 100, "cash_handed_fen": 100}],
                          "quoted_due_fen": 0},
    "payment.get_receipt": {"receipt_no": "T0101-20261123-00001"},
    "payment.reprint_receipt": {"receipt_no": "T0101-20261123-00001"},
    "payment.void_payment": {"receipt_no": "T0101-20261123-00001", "reason": "矩阵测试"},
    "payment.void_attested": {"receipt_no": "T0101-20261123-00001", "reason": "矩阵测试",
                              "local_time": "2026-11-23T16:00:00+08:00",
                              "attested_cosign": {"username": "super2", "verified_at": "2026-11-23T16:00:00+08:00"}},
    "outbox.replay_batch": {"items": [{
        "key": "5d0c2c4e-3333-4000-8000-000000000003", "method": "payment.pay_bills",
        "body": {"customer_no": "3301000001", "receipt_no": "T0101-20261123-00009", "quoted_due_fen": 0,
                 "tenders": [{"method": "cash", "amount_fen": 100, "cash_handed_fen": 100}],
                 "accepted_offline": True}}]},
    "shift.get_current": {},
    "shift.open_shift": {"float_fen": 0},
    "shift.get_summary": {"shift_no": "unknown-shift"},
    "shift.close_shift": {"shift_no": "unknown-shift", "cash_counts": [], "deposit_slip_no": "JK-1"},
    "settlement.get_daily": {"business_date": "2026-11-23"},
    "tariff.list_tariffs": {},
    "tariff.get_tariff": {"code": "RES-FLAT"},
    "tariff.add_version": {"code": "RES-FLAT", "version": {
        "effective_from": "2027-01-01", "energy_price": "0.55",
        "late_fee": {"daily_permille_current": "1", "daily_permille_cross_year": "1"}}},
    "tariff.quote_bill": {"tariff_code": "RES-FLAT", "usage": {"period_from": "2026-10-01", "period_to": "2026-10-31",
                                                              "total_kwh": "100"}},
    "sync.report_attention": {"item_key": "5d0c2c4e-1111-4000-8000-000000000001", "method": "payment.pay_bills",
                              "amount_fen": 100, "error_code": "CUSTOMER_CLOSED", "taken_by": "cashier1"},
    "sync.list_attention": {},
    "sync.acknowledge_attention": {"item_key": "5d0c2c4e-2222-4000-8000-000000000002", "note": "矩阵测试"},
    "sync.acknowledge_damaged_outbox": {"reason": "file is not a database", "found_at": "2026-11-23T08:00:00+08:00",
                                        "files": []},
    "billrun.list_runs": {},
    "billrun.get_run": {"book_code": "T01-B001", "period": 202611},
    "billrun.get_draft": {"book_code": "T01-B001", "period": 202611, "customer_no": "3301000001"},
    "billrun.calculate_run": {"book_code": "T01-B001", "period": 202611},
    "billrun.hold_bill": {"book_code": "T01-B001", "period": 202611, "customer_no": "3301000001", "reason": "矩阵测试"},
    "billrun.release_bill": {"book_code": "T01-B001", "period": 202611, "customer_no": "3301000001"},
    "billrun.recalculate_bill": {"book_code": "T01-B001", "period": 202611, "customer_no": "3301000001"},
    "billrun.release_run": {"book_code": "T01-B001", "period": 202611},
    "billrun.correct_bill": {"bill_no": "202611-3301000001", "reason": "矩阵测试"},
    "bill.get_lines": {"bill_no": "202609-3301000001"},
    "reading.enter_reading": {"asset_no": "0" * 22, "period": 202611, "read_on": "2026-11-20", "status": "actual",
                              "values": {"total": "1234.50"}},
    "reading.list_readings": {"customer_no": "3301000001"},
    "reading.change_meter": {"asset_no": "0" * 22, "period": 202611, "changed_on": "2026-11-20",
                             "final_values": {"total": "1234.50"}, "start_values": {"total": "0.00"},
                             "new_meter": {"asset_no": "NEW-0001", "digits": 6, "registers": ["total"]}},
    "customer.get_terms": {"customer_no": "3301000004"},
    "customer.set_terms": {"customer_no": "3301000004", "effective_from": "2026-12-01", "reason": "矩阵测试"},
    "handheld.list_books": {},
    "handheld.download_book": {"book_code": "T01-B001", "period": 202611},
    "handheld.validate_upload": {"content_b64": "e30="},
    "handheld.accept_upload": {"content_b64": "e30=", "decisions": [{"seq": 1, "decision": "accept"}]},
    "books.list_books": {},
    "books.assign_book": {"book_code": "T01-B001", "reader": "reader1", "reading_day": 20, "window_days": 5},
    "books.get_completion": {"period": 202611},
    **CARD_SAMPLES,
}

#: Methods whose sample needs the caller's own open shift (and, after "pay", a receipt of theirs).
NEEDS_SHIFT = frozenset({"payment.pay_bills", "payment.get_receipt", "payment.reprint_receipt",
                         "payment.void_payment", "payment.void_attested", "shift.get_summary", "shift.close_shift"})
#: Methods the server takes only replayed from a counter's outbox (a co-sign verified at the counter).
REPLAYED_ONLY = frozenset({"payment.void_attested"})


def _prepare(caller: Caller, method: str, params: dict[str, Any]) -> dict[str, Any]:
    """Open the caller's shift and take a payment when the sample needs them (only for allowed roles)."""
    if method == "sync.acknowledge_attention":  # a counter of the hall reports the item first
        reporter = Caller(caller.dispatcher, counter="T0102")
        assert reporter.login("cashier2").status == 200
        report = dict(SAMPLES["sync.report_attention"], item_key=params["item_key"])
        assert reporter.call("sync.report_attention", report).status == 200
    if method in REPLAYED_ONLY:  # the co-signer signed in at this counter before (the counter holds a verifier)
        assert Caller(caller.dispatcher, counter="T0101").login("super2").status == 200
    if method not in NEEDS_SHIFT:
        return params
    opened = caller.call("shift.open_shift", {"float_fen": 0})
    assert opened.status == 200, opened.body
    if "shift_no" in params:
        params["shift_no"] = opened.body["shift_no"]
    quote = caller.call("payment.get_quote", {"customer_no": "3301000001"})
    assert quote.status == 200, quote.body
    pay = dict(SAMPLES["payment.pay_bills"], quoted_due_fen=quote.body["due_fen"])
    if method == "payment.pay_bills":
        return pay
    paid = caller.call("payment.pay_bills", pay)
    assert paid.status == 200, paid.body
    return params

__all__ = ["prepare_card"]  # a fixture

CASES = [(role, name) for role in Role for name, rpc in sorted(REGISTRY.items()) if rpc.permission is not None]


def test_every_session_method_has_a_sample() -> None:
    """The matrix below covers every method that needs a session."""
    assert {n for n, r in REGISTRY.items() if r.permission is not None} == set(SAMPLES)


@pytest.mark.parametrize(("role", "method"), CASES, ids=[f"{r.value}-{m}" for r, m in CASES])
def test_permission_matrix(role: Role, method: str, caller: Caller, db: Session, prepare_card: PrepareCard) -> None:
    """Each role may call exactly the methods its permissions allow; the rest are PERMISSION_DENIED, each
    leaving exactly one audit record of the refused attempt."""
    username = World.ROLE_USERS[role]
    counter = "T0101"
    assert caller.login(username, counter=counter).status == 200
    params = dict(SAMPLES[method])
    if method == "auth.change_password":
        params["old_password"] = password_for(username)
    rpc = REGISTRY[method]
    if rpc.permission in ROLE_PERMISSIONS[role]:
        params = _prepare(caller, method, params)
        params = prepare_sample(caller, db, method, params)
        params = prepare_handheld_sample(caller, db, method, params, username)
        params = prepare_books_sample(db, method, params)
        params = prepare_card(caller, method, params)
    cosign = ("super2", password_for("super2")) if rpc.cosign is not None else None
    attempts = refusals(db)
    if method in REPLAYED_ONLY:
        batch = caller.call("outbox.replay_batch", {"items": [{"key": str(uuid.uuid4()), "method": method,
                                                                "body": params}]})
        error = batch.body["outcomes"][0]["error"] if batch.status == 200 else batch.body["error"]
        answer = Answer(status=200, body=batch.body["outcomes"][0]["result"]) if error is None else Answer(
            status=batch.status if batch.status != 200 else 400, body={"error": error})
    else:
        answer = caller.call(method, params, cosign=cosign)
    allowed = rpc.permission in ROLE_PERMISSIONS[role]
    if allowed:
        assert answer.status == 200, answer.body
        assert refusals(db) == attempts
    else:
        assert (answer.status, answer.code) == (403, "PERMISSION_DENIED")
        # A method taken only in a replay is refused at the batch when the role may not replay at all.
        may_replay = REGISTRY["outbox.replay_batch"].permission in ROLE_PERMISSIONS[role]
        refused_method = "outbox.replay_batch" if method in REPLAYED_ONLY and not may_replay else method
        recorded = [(u, c, m) for u, c, m, _ in refusals(db)[len(attempts):]]
        assert recorded == [(username, "PERMISSION_DENIED", refused_method)]


class TestCosign:
    PARAMS = {"username": "cashier2", "new_password": "Temp-pass-77"}  # noqa: RUF012

    def _admin(self, caller: Caller) -> Caller:
        caller.login("admin1")
        return caller

    def test_required(self, caller: Caller) -> None:
        """Without a co-sign the call is refused."""
        assert self._admin(caller).call("admin.reset_password", self.PARAMS).code == "COSIGN_REQUIRED"

    def test_wrong_password(self, caller: Caller, db: Session) -> None:
        """A wrong co-sign password is refused and counts toward the co-signer's lockout."""
        answer = self._admin(caller).call("admin.reset_password", self.PARAMS, cosign=("super1", "wrong-pass-1"))
        assert (answer.status, answer.code) == (403, "COSIGN_INVALID")
        db.expire_all()
        assert db.scalars(select(User.failed_attempts).where(User.username == "super1")).one() == 1

    def test_cosigner_without_permission(self, caller: Caller) -> None:
        """A cashier cannot co-sign."""
        answer = self._admin(caller).call(
            "admin.reset_password", self.PARAMS, cosign=("cashier1", password_for("cashier1"))
        )
        assert answer.code == "COSIGN_NOT_AUTHORIZED"
        assert answer.params == {"username": "cashier1"}

    def test_self_cosign(self, caller: Caller) -> None:
        """Nobody co-signs their own action."""
        answer = self._admin(caller).call(
            "admin.reset_password", self.PARAMS, cosign=("admin1", password_for("admin1"))
        )
        assert answer.code == "COSIGN_SAME_USER"

    def test_garbled_header(self, caller: Caller) -> None:
        """A co-sign header that is not base64 JSON is COSIGN_INVALID."""
        self._admin(caller)
        answer = caller.raw(
            "admin.reset_password",
            b'{"username": "cashier2", "new_password": "Temp-pass-77"}',
            {
                "X-GridCounter-Contract": CONTRACT_VERSION,
                "Authorization": f"Bearer {caller.token}",
                "X-GridCounter-Counter": "T0101",
                "Idempotency-Key": "0b5e3f3c-7a55-4d8e-9a53-7f1f6d7a0c11",
                "X-GridCounter-Cosign": "%%%",
            },
        )
        assert answer.code == "COSIGN_INVALID"

    def test_valid(self, caller: Caller) -> None:
        """A supervisor's co-sign lets the reset through."""
        answer = self._admin(caller).call(
            "admin.reset_password", self.PARAMS, cosign=("super1", password_for("super1"))
        )
        assert answer.status == 200
