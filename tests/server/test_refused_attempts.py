"""Refused attempts at sensitive actions leave one audit record each, in their counter's chain, while the
refused action changes nothing; the failure path stays safe under concurrency and when it cannot write."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import uuid
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from server.audit_chain import verify_chains
from server.clock import FixedClock
from server.context import Actor, CallContext
from server.errors import AppError
from server.models.audit import AuditRecord
from server.rpc.dispatch import Dispatcher
from server.security import PiiCipher
from server.services.attempts import record_refusal
from server.settings import Settings
from shared_models.errors import ErrorCode
from shared_models.methods.shifts import OPEN, OpenShiftRequest
from shared_models.roles import Role
from shared_models.rpc import REGISTRY
from tests.factories import ZHANG_WEI, World, password_for
from tests.rpc_helpers import Answer, Caller
from tests.server.attempt_helpers import refused_records
from tests.server.shift_helpers import cash, open_shift, pay, signed_in

RECEIPT = "T0101-20261123-00001"

#: Every table of the books and of the counter's day: a refused attempt leaves each row as it was.
BOOKS = ("payments", "payment_tenders", "payment_allocations", "payment_voids", "receipt_prints", "ledger_entries",
         "shifts", "shift_closings", "user_sessions", "idempotency_records")


def _books(db: Session) -> dict[str, list[Any]]:
    """Every row of the books, in id (or key) order."""
    db.rollback()  # a fresh snapshot: the calls committed on their own connections
    order = {"idempotency_records": "key"}
    return {t: [tuple(r) for r in db.execute(text(f"SELECT * FROM {t} ORDER BY {order.get(t, 'id')}"))]  # noqa: S608
            for t in BOOKS}


def _users(db: Session) -> list[Any]:
    db.rollback()
    return [tuple(r) for r in db.execute(text("SELECT id, failed_attempts, locked_until FROM users ORDER BY id"))]


@pytest.fixture
def paid(caller: Caller) -> Caller:
    """cashier1 at T0101 with an open shift and one cash payment (receipt 1)."""
    assert caller.login("cashier1").status == 200
    open_shift(caller)
    pay(caller, RECEIPT, ZHANG_WEI, cash(1_000))
    return caller


def _attempt(db: Session, call: Any) -> tuple[Answer, AuditRecord]:
    """Make ``call``; it must be refused with the books unchanged and exactly one new record, of the attempt."""
    books, records = _books(db), len(refused_records(db))
    head = db.execute(text("SELECT coalesce(sum(seq), 0) FROM audit_chain_heads")).scalar_one()
    answer: Answer = call()
    assert answer.status >= 400, answer.body
    assert _books(db) == books
    new = refused_records(db)[records:]
    assert len(new) == 1
    assert db.execute(text("SELECT coalesce(sum(seq), 0) FROM audit_chain_heads")).scalar_one() == head + 1
    assert new[0].refusal == answer.code
    return answer, new[0]


def _void(caller: Caller, cosign: tuple[str, str]) -> Answer:
    return caller.call("payment.void_payment", {"receipt_no": RECEIPT, "reason": "收错户号"}, cosign=cosign)


class TestEachRefusalKind:
    def test_void_cosigned_by_a_cashier(self, paid: Caller, db: Session, world: World, clock: FixedClock) -> None:
        """A cashier's co-sign: COSIGN_NOT_AUTHORIZED; the record names who, where, what, the co-signer, when."""
        answer, rec = _attempt(db, lambda: _void(paid, ("cashier2", password_for("cashier2"))))
        assert answer.code == "COSIGN_NOT_AUTHORIZED"
        assert (rec.user_id, rec.username, rec.counter_code, rec.chain) == (
            world.users["cashier1"], "cashier1", "T0101", "T0101")
        assert (rec.method, rec.target, rec.cosigner_id, rec.cosigner) == (
            "payment.void_payment", f"receipt:{RECEIPT}", world.users["cashier2"], "cashier2")
        assert rec.at == clock.now()
        assert rec.after == {"request": {"receipt_no": RECEIPT, "reason": "收错户号"},
                             "params": {"username": "cashier2"}}

    def test_void_cosigned_by_the_payment_taker(self, paid: Caller, db: Session) -> None:
        """The cashier who took the payment co-signing their own void: COSIGN_SAME_USER, recorded."""
        answer, rec = _attempt(db, lambda: _void(paid, ("cashier1", password_for("cashier1"))))
        assert answer.code == "COSIGN_SAME_USER"
        assert (rec.username, rec.cosigner, rec.target) == ("cashier1", "cashier1", f"receipt:{RECEIPT}")

    def test_cosign_with_a_wrong_password(self, paid: Caller, db: Session) -> None:
        """A wrong co-sign password: COSIGN_INVALID; one record, which carries the co-signer's failure count."""
        answer, rec = _attempt(db, lambda: _void(paid, ("super1", "wrong-password-1")))
        assert answer.code == "COSIGN_INVALID"
        assert (rec.username, rec.cosigner) == ("cashier1", "super1")
        assert rec.after is not None
        assert rec.after["counted"] == {"user": "super1", "failed_attempts": 1, "reason": "cosign"}
        assert "wrong-password-1" not in str(rec.after)

    def test_permission_refusal_of_a_mutating_call(self, dispatcher: Dispatcher, db: Session) -> None:
        """A meter reader opening a shift: PERMISSION_DENIED, recorded with the permission it lacked."""
        reader = signed_in(dispatcher, "reader1")
        answer, rec = _attempt(db, lambda: reader.call("shift.open_shift", {"float_fen": 10_000}))
        assert (answer.code, rec.username, rec.method, rec.target) == (
            "PERMISSION_DENIED", "reader1", "shift.open_shift", "shift.open_shift")
        assert rec.after == {
            "request": {"float_fen": 10_000, "shift_no": None, "local_time": None, "opened_offline": False},
            "params": {"permission": "collect"},
        }
        assert rec.idempotency_key is not None

    def test_permission_refusal_of_a_read(self, dispatcher: Dispatcher, db: Session) -> None:
        """A cashier reading the audit trail: PERMISSION_DENIED is recorded for reads too."""
        cashier = signed_in(dispatcher, "cashier2", "T0102")
        answer, rec = _attempt(db, lambda: cashier.call("audit.list_records", {"limit": 5}))
        assert (answer.code, rec.chain, rec.method, rec.idempotency_key) == (
            "PERMISSION_DENIED", "T0102", "audit.list_records", None)

    def test_sign_in_refused_for_lockout(self, caller: Caller, db: Session, clock: FixedClock) -> None:
        """Five wrong passwords leave five records (each counted once), the fifth locking; the right password
        while locked is refused, recorded, and opens no session."""
        for _ in range(5):
            caller.login("cashier1", "wrong-password")
        records = refused_records(db)
        assert [r.refusal for r in records] == ["INVALID_CREDENTIALS"] * 4 + ["ACCOUNT_LOCKED"]
        assert [r.after["counted"]["failed_attempts"] for r in records if r.after] == [1, 2, 3, 4, 5]
        assert records[-1].after is not None
        assert "locked_until" in records[-1].after["counted"]
        users = _users(db)
        answer, rec = _attempt(db, lambda: caller.login("cashier1"))
        assert (answer.code, rec.username, rec.chain, rec.target) == (
            "ACCOUNT_LOCKED", "cashier1", "T0101", "user:cashier1")
        assert rec.after is not None
        assert rec.after["request"]["password"] == "***"
        assert rec.after["request"]["device_key"] == "***"
        assert rec.after["params"] == answer.params
        assert _users(db) == users  # the refusal of a locked account counts nothing more

    def test_sign_in_of_an_unknown_name(self, caller: Caller, db: Session) -> None:
        """A name that does not exist, tried at an enrolled counter, is recorded under that name."""
        answer, rec = _attempt(db, lambda: caller.login("nobody", "whatever-1"))
        assert (answer.code, rec.user_id, rec.username, rec.target) == (
            "INVALID_CREDENTIALS", None, "nobody", "user:nobody")

    def test_the_batch_of_a_role_without_collect(self, dispatcher: Dispatcher, db: Session) -> None:
        """A replay batch from a meter reader is refused as a whole and recorded once."""
        reader = signed_in(dispatcher, "reader1")
        item = {"key": str(uuid.uuid4()), "method": "payment.pay_bills", "body": {}}
        answer, rec = _attempt(db, lambda: reader.call("outbox.replay_batch", {"items": [item]}))
        assert (answer.code, rec.method) == ("PERMISSION_DENIED", "outbox.replay_batch")


class TestNotRecorded:
    def test_refusals_that_name_nobody(self, caller: Caller, db: Session, clock: FixedClock) -> None:
        """No token, a wrong device key, an idle session, or an input mistake: refused, and no record."""
        assert caller.call("customer.update_contact", {"customer_no": ZHANG_WEI, "phone": "13900000001"}).code == (
            "NOT_AUTHENTICATED")
        wrong_device = caller.call("auth.login", {"username": "cashier1", "password": password_for("cashier1"),
                                                  "counter_code": "T0101", "device_key": "not-the-key"})
        assert wrong_device.code == "DEVICE_KEY_INVALID"
        assert caller.login("cashier1").status == 200
        missing = caller.call("customer.update_contact", {"customer_no": "3309999999", "phone": "13900000001"})
        assert missing.code == "CUSTOMER_NOT_FOUND"
        clock.advance(dt.timedelta(hours=1))
        assert caller.call("shift.open_shift", {"float_fen": 0}).code == "SESSION_EXPIRED"
        assert refused_records(db) == []


class TestFailurePath:
    def test_a_failed_record_is_still_the_refusal(self, dispatcher: Dispatcher, db: Session, engine: Engine) -> None:
        """When the attempt cannot be written (the database refuses the insert), the caller still gets the
        refusal, never a 500, the books are unchanged and the chain still verifies."""
        reader = signed_in(dispatcher, "reader1")
        with engine.begin() as conn:
            conn.execute(text(
                "CREATE FUNCTION test_refuse_attempts() RETURNS trigger LANGUAGE plpgsql AS $$"
                " BEGIN RAISE EXCEPTION 'disk full (test)'; END $$"))
            conn.execute(text("CREATE TRIGGER test_refuse_attempts BEFORE INSERT ON audit_log FOR EACH ROW"
                              " WHEN (NEW.refusal IS NOT NULL) EXECUTE FUNCTION test_refuse_attempts()"))
        books = _books(db)
        answer = reader.call("shift.open_shift", {"float_fen": 0})
        assert (answer.status, answer.code) == (403, "PERMISSION_DENIED")
        assert _books(db) == books
        assert refused_records(db) == []
        assert verify_chains(db).problems == []

    def test_concurrent_attempts_keep_the_chain(self, dispatcher: Dispatcher, db: Session) -> None:
        """Refused attempts and accepted changes of one counter, from four threads at once, form one
        unbroken chain holding every one of them."""
        cashier, reader = signed_in(dispatcher, "cashier1"), signed_in(dispatcher, "reader1")
        rounds, threads = 6, 4
        answers: list[int] = []
        lock = threading.Lock()

        def work(n: int) -> None:
            for i in range(rounds):
                phone = f"139{n:04d}{i:04d}"
                accepted = cashier.call("customer.update_contact", {"customer_no": ZHANG_WEI, "phone": phone})
                refused = reader.call("customer.update_contact", {"customer_no": ZHANG_WEI, "phone": phone})
                with lock:
                    answers.extend((accepted.status, refused.status))

        workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        assert sorted(answers) == [200] * rounds * threads + [403] * rounds * threads
        report = verify_chains(db)
        assert report.problems == []
        assert len(refused_records(db)) == rounds * threads
        changes = db.execute(text("SELECT count(*) FROM audit_log WHERE chain = 'T0101' AND refusal IS NULL"))
        assert changes.scalar_one() == 2 + rounds * threads  # the two sign-ins and each accepted change

    def test_in_a_replay_batch_the_record_joins_its_transaction(  # noqa: PLR0917 - pytest fixtures
            self, dispatcher: Dispatcher, db: Session, world: World, clock: FixedClock, settings: Settings,
            pii: PiiCipher) -> None:
        """A refusal inside a replay batch, whose transaction holds the counter's chain head, is recorded in
        that transaction (a second one would wait on it for ever) and commits with the batch."""
        cashier = signed_in(dispatcher, "cashier1")
        head = db.execute(text("SELECT seq FROM audit_chain_heads WHERE chain = 'T0101'")).scalar_one()
        db.rollback()
        batch = Session(db.get_bind())
        batch.execute(text("UPDATE audit_chain_heads SET seq = seq WHERE chain = 'T0101'"))  # the batch's lock
        actor = Actor(user_id=world.users["cashier1"], username="cashier1", role=Role.CASHIER,
                      counter_id=world.counters["T0101"], counter_code="T0101", session_id=0)
        failed = CallContext(session=batch, clock=clock, settings=settings, pii=pii, now=clock.now(),
                             method=OPEN.name, actor=actor, counter_code="T0101")
        record_refusal(failed, REGISTRY[OPEN.name], OpenShiftRequest(float_fen=0), AppError(ErrorCode.SHIFT_NOT_OWN),
                       in_batch=True)
        batch.commit()
        batch.close()
        assert [(r.seq, r.refusal, r.username) for r in refused_records(db)] == [
            (head + 1, "SHIFT_NOT_OWN", "cashier1")]
        assert verify_chains(db).problems == []
        assert cashier.call("shift.open_shift", {"float_fen": 0}).status == 200


def _tamper(engine: Engine, sql: str) -> None:
    """Change the log as a superuser would, bypassing the append-only triggers."""
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(sql))


@pytest.fixture
def attempt_in_chain(paid: Caller, db: Session) -> AuditRecord:
    """A refused void between changes of counter T0101: sign-in, shift, payment, attempt, contact change."""
    assert _void(paid, ("cashier2", password_for("cashier2"))).code == "COSIGN_NOT_AUTHORIZED"
    assert paid.call("customer.update_contact", {"customer_no": ZHANG_WEI, "phone": "13900000077"}).status == 200
    [rec] = refused_records(db)
    assert verify_chains(db).problems == []
    return rec


class TestVerification:
    @pytest.mark.parametrize(("sql", "expected"), [
        ("UPDATE audit_log SET refusal = NULL WHERE refusal IS NOT NULL", "edited"),
        ("UPDATE audit_log SET cosigner = 'super1' WHERE refusal IS NOT NULL", "edited"),
        ("DELETE FROM audit_log WHERE refusal IS NOT NULL", "a record is missing"),
    ], ids=["refusal-erased", "cosigner-changed", "deleted"])
    def test_tampered_attempt_is_named(self, attempt_in_chain: AuditRecord, engine: Engine, db: Session,
                                       sql: str, expected: str) -> None:
        """Erasing an attempt's refusal, changing who co-signed it, or deleting it breaks its chain there."""
        seq = attempt_in_chain.seq
        _tamper(engine, sql)
        db.rollback()  # a fresh snapshot, and the records loaded before forgotten
        problems = verify_chains(db).problems
        assert len(problems) == 1
        assert problems[0].startswith("chain T0101 seq ")
        assert f"seq {seq}" in problems[0]  # the attempt itself, or (deleted) the gap where it was
        assert expected in problems[0]

    def test_cli_and_screen_verification_cover_attempts(self, attempt_in_chain: AuditRecord, engine: Engine,
                                                        db_url: str, dispatcher: Dispatcher) -> None:
        """``gridcounter-server audit verify`` and the supervisor's verification both report the edit."""
        _tamper(engine, "UPDATE audit_log SET refusal = 'PERMISSION_DENIED' WHERE refusal IS NOT NULL")
        env = {**os.environ, "GRIDCOUNTER_DATABASE_URL": db_url}
        run = subprocess.run([sys.executable, "-m", "server", "audit", "verify"], env=env, capture_output=True,
                             text=True, timeout=120, check=False)
        assert run.returncode == 1, run.stdout + run.stderr
        assert f"BROKEN chain T0101 seq {attempt_in_chain.seq}" in run.stdout
        supervisor = signed_in(dispatcher, "super1", "T0102")
        verified = supervisor.call("audit.verify_chain")
        assert verified.body["ok"] is False
        assert f"chain T0101 seq {attempt_in_chain.seq}" in verified.body["problems"][0]
