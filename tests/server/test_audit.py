"""The audit trail: who, where, when, before and after; hash chains that expose tampering."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from server.audit_chain import verify_chains, write_records
from server.clock import SystemClock
from server.context import AuditEntry, CallContext
from server.models.audit import AuditRecord
from server.security import PiiCipher
from server.settings import Settings
from tests.factories import password_for
from tests.rpc_helpers import Caller


def _some_history(caller: Caller) -> None:
    caller.login("cashier1")
    for phone in ("13900000001", "13900000002", "13900000003", "13900000004"):
        assert caller.call("customer.update_contact", {"customer_no": "3301000001", "phone": phone}).status == 200


def _tamper(engine: Engine, sql: str) -> None:
    """Change the log as a superuser would, bypassing the append-only triggers."""
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(sql))


class TestAuditRecords:
    def test_mutation_records_before_and_after(self, caller: Caller, db: Session) -> None:
        """A contact change records user, counter, method, the key and before/after values."""
        caller.login("cashier1")
        caller.call(
            "customer.update_contact",
            {"customer_no": "3301000001", "phone": "13912345678"},
            key="6f1c8a1e-9f5e-4f51-8c3c-0a5f7f1d2b3c",
        )
        rec = db.scalars(select(AuditRecord).where(AuditRecord.method == "customer.update_contact")).one()
        assert rec.username == "cashier1"
        assert rec.counter_code == "T0101"
        assert rec.target == "customer:3301000001"
        assert rec.before == {"phone": "13800000000"}
        assert rec.after == {"phone": "13912345678"}
        assert rec.idempotency_key == "6f1c8a1e-9f5e-4f51-8c3c-0a5f7f1d2b3c"

    def test_cosign_names_both_people(self, caller: Caller, db: Session) -> None:
        """A co-signed call's record carries the actor and the co-signer."""
        caller.login("admin1")
        answer = caller.call(
            "admin.reset_password",
            {"username": "cashier2", "new_password": "Temp-pass-77"},
            cosign=("super1", password_for("super1")),
        )
        assert answer.status == 200
        rec = db.scalars(select(AuditRecord).where(AuditRecord.method == "admin.reset_password")).one()
        assert (rec.username, rec.cosigner) == ("admin1", "super1")

    def test_secrets_never_reach_the_log(self, caller: Caller, db: Session) -> None:
        """Passwords appear nowhere in the audit log."""
        caller.login("admin1")
        caller.call(
            "admin.create_user",
            {
                "username": "newbie",
                "display_name": "新人",
                "role": "cashier",
                "org_unit_code": "T01",
                "initial_password": "Initial-pass-1",
            },
        )
        caller.call("auth.change_password", {"old_password": password_for("admin1"), "new_password": "Other-pass-99"})
        dump = " ".join(str((r.before, r.after, r.target)) for r in db.scalars(select(AuditRecord)))
        assert "Initial-pass-1" not in dump
        assert "Other-pass-99" not in dump
        assert password_for("admin1") not in dump

    def test_the_log_is_append_only(self, caller: Caller, engine: Engine) -> None:
        """The database itself refuses to update or delete an audit record."""
        _some_history(caller)
        for sql in ("UPDATE audit_log SET username = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"):
            with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
                conn.execute(text(sql))


class TestChainVerification:
    def test_untouched_chains_verify(self, caller: Caller, db: Session) -> None:
        """Records from two counters form two chains that both verify."""
        _some_history(caller)
        other = Caller(caller.dispatcher, counter="T0102")
        other.login("cashier2")
        report = verify_chains(db)
        assert report.problems == []
        assert report.chains == 2
        assert report.records == 6

    def test_edited_record_is_named(self, caller: Caller, engine: Engine, db: Session) -> None:
        """Changing an old record's content breaks its hash, and the report names it."""
        _some_history(caller)
        _tamper(engine, "UPDATE audit_log SET after = '{\"phone\": \"13000000000\"}' WHERE chain = 'T0101' AND seq = 3")
        problems = verify_chains(db).problems
        assert len(problems) == 1
        assert "chain T0101 seq 3" in problems[0]
        assert "edited" in problems[0]

    def test_deleted_record_is_named(self, caller: Caller, engine: Engine, db: Session) -> None:
        """Removing a record from the middle leaves a gap that is named."""
        _some_history(caller)
        _tamper(engine, "DELETE FROM audit_log WHERE chain = 'T0101' AND seq = 2")
        problems = verify_chains(db).problems
        assert len(problems) == 1
        assert "expected seq 2" in problems[0]

    def test_reordered_records_are_named(self, caller: Caller, engine: Engine, db: Session) -> None:
        """Swapping the order of two records breaks the links."""
        _some_history(caller)
        _tamper(engine, "UPDATE audit_log SET seq = -seq WHERE chain = 'T0101' AND seq IN (2, 3)")
        _tamper(
            engine,
            "UPDATE audit_log SET seq = CASE seq WHEN -2 THEN 3 ELSE 2 END WHERE chain = 'T0101' AND seq IN (-2, -3)",
        )
        problems = verify_chains(db).problems
        assert len(problems) == 1
        assert "chain T0101 seq 2" in problems[0]

    def test_removed_tail_is_detected(self, caller: Caller, engine: Engine, db: Session) -> None:
        """Deleting the newest record is caught by the chain head."""
        _some_history(caller)
        _tamper(engine, "DELETE FROM audit_log WHERE chain = 'T0101' AND seq = 5")
        problems = verify_chains(db).problems
        assert problems == ["chain T0101: ends at seq 4 but its head says 5: newest records were removed"]

    def test_cli_verify_exit_codes(self, caller: Caller, engine: Engine, db_url: str) -> None:
        """``gridcounter-server audit verify`` exits 0 on a clean log and 1 naming a tampered record."""
        _some_history(caller)
        env = {**os.environ, "GRIDCOUNTER_DATABASE_URL": db_url}
        cmd = [sys.executable, "-m", "server", "audit", "verify"]
        clean = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60, check=False)
        assert clean.returncode == 0, clean.stderr
        assert "5 records in 1 chains: OK" in clean.stdout
        _tamper(engine, "UPDATE audit_log SET username = 'mallory' WHERE chain = 'T0101' AND seq = 4")
        broken = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60, check=False)
        assert broken.returncode == 1
        assert "BROKEN chain T0101 seq 4" in broken.stdout

    def test_verify_over_rpc(self, caller: Caller) -> None:
        """A supervisor can run the same verification from the client."""
        _some_history(caller)
        sup = Caller(caller.dispatcher, counter="T0102")
        sup.login("super1")
        answer = sup.call("audit.verify_chain")
        assert answer.status == 200
        assert answer.body["ok"] is True
        listing = sup.call("audit.list_records", {"limit": 3})
        assert [r["method"] for r in listing.body["records"]] == [
            "auth.login",
            "customer.update_contact",
            "customer.update_contact",
        ]


class TestChainWrites:
    def _head(self, db: Session, chain: str) -> int:
        db.rollback()  # a fresh snapshot: the calls committed on their own connections
        return int(db.execute(text("SELECT seq FROM audit_chain_heads WHERE chain = :c"), {"c": chain}).scalar_one())

    def test_replay_writes_no_record(self, caller: Caller, db: Session) -> None:
        """A replayed key answers from the stored result and moves the chain on by nothing."""
        _some_history(caller)
        body = {"customer_no": "3301000001", "phone": "13911112222"}
        key = "0b3f4d1e-2c5a-4e6f-8a7b-9c0d1e2f3a4b"
        assert caller.call("customer.update_contact", body, key=key).status == 200
        head = self._head(db, "T0101")
        assert caller.call("customer.update_contact", body, key=key).status == 200
        assert self._head(db, "T0101") == head
        assert verify_chains(db).problems == []

    def test_refused_call_leaves_no_gap(self, caller: Caller, db: Session) -> None:
        """A mutating call refused after its key was claimed rolls the chain head back with it."""
        _some_history(caller)
        head = self._head(db, "T0101")
        refused = caller.call("customer.update_contact", {"customer_no": "3309999999", "phone": "13900000009"})
        assert refused.code == "CUSTOMER_NOT_FOUND"
        assert self._head(db, "T0101") == head
        accepted = caller.call("customer.update_contact", {"customer_no": "3301000001", "phone": "13900000010"})
        assert accepted.status == 200
        assert self._head(db, "T0101") == head + 1
        assert verify_chains(db).problems == []

    def test_several_records_in_one_statement(self, db: Session) -> None:
        """Records written together, on a new chain and then after a head moved on by the caller, chain."""
        clock = SystemClock()
        ctx = CallContext(session=db, clock=clock, settings=Settings(database_url="x"), pii=PiiCipher(bytes(32)),
                          now=clock.now(), method="test.write", counter_code="X01")
        write_records(ctx, [AuditEntry(target=f"t:{i}", after={"i": i, "名": "张"}, username="t") for i in range(3)],
                      idempotency_key=None)
        seq, prev = db.execute(text(
            "UPDATE audit_chain_heads SET seq = seq + 1 WHERE chain = 'X01' RETURNING seq, hash")).one()
        write_records(ctx, [AuditEntry(target="t:3", before={"a": None}, username="t"),
                            AuditEntry(target="t:4", username="t")], idempotency_key=None, first=(seq, bytes(prev)))
        db.commit()
        rows = db.execute(text("SELECT seq, before FROM audit_log WHERE chain = 'X01' ORDER BY seq")).all()
        assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
        assert rows[3].before == {"a": None}
        assert self._head(db, "X01") == 5
        assert verify_chains(db).problems == []
