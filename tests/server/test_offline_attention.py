"""Items needing attention (SPEC §5): the counter reports outbox items refused on replay, the supervisor lists
them with the offline payments whose money went to prepayment and acknowledges each once; a damaged outbox
is acknowledged with a supervisor's co-sign. Bad input is refused with its code and changes nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from server.clock import FixedClock
from server.models.audit import AuditRecord
from server.rpc.dispatch import Dispatcher
from tests.factories import CLOSED, ZHANG_WEI, World, password_for
from tests.rpc_helpers import Answer, Caller
from tests.server.attempt_helpers import refusals, refused_records
from tests.server.payment_helpers import cash, pay, quote, start
from tests.server.shift_helpers import SUPER, signed_in

RECEIPT = "T0101-20261123-00012"
SHA = "ab" * 32


def report_body(item_key: str, *, receipt_no: str | None = RECEIPT, amount_fen: int = 3_000,
                **changes: Any) -> dict[str, Any]:
    """An item refused on replay (the customer was closed meanwhile), as the counter reports it."""
    body: dict[str, Any] = {
        "item_key": item_key, "method": "payment.pay_bills", "receipt_no": receipt_no, "customer_no": CLOSED,
        "amount_fen": amount_fen, "error_code": "CUSTOMER_CLOSED", "error_params": {"customer_no": CLOSED},
        "taken_by": "cashier1", "shift_no": "T0101-20261123-01", "local_time": "2026-11-23T10:15:00+08:00",
        "offline": True,
    }
    body.update(changes)
    return body


def damage_body(**changes: Any) -> dict[str, Any]:
    """The damage report of a truncated outbox, as the counter's marker file describes it."""
    body: dict[str, Any] = {
        "reason": "database disk image is malformed", "found_at": "2026-11-23T08:55:00+08:00",
        "files": [{"name": "counter.sqlite3.damaged-20261123-085500", "size_bytes": 8192, "sha256": SHA},
                  {"name": "counter.sqlite3.damaged-20261123-085500-wal", "size_bytes": 0, "sha256": "cd" * 32}],
        "note": "硬盘故障后重启",
    }
    body.update(changes)
    return body


def _tables(db: Session) -> dict[str, int]:
    """Rows of the attention tables and the audit log: what a refused call must leave as it was."""
    db.expire_all()
    found = {t: int(db.scalar(text(f"SELECT count(*) FROM {t}")) or 0)  # noqa: S608 - fixed table names
             for t in ("offline_attention", "attention_acknowledgements", "damaged_outbox_acks")}
    found["audit_log"] = int(db.scalar(select(func.count()).select_from(AuditRecord)) or 0)
    return found


def _listed(caller: Caller, **params: Any) -> dict[str, Any]:
    answer = caller.call("sync.list_attention", params)
    assert answer.status == 200, answer.body
    return answer.body


def _keys(page: dict[str, Any]) -> list[tuple[str, str]]:
    return [(i["kind"], i["item_key"]) for i in page["items"]]


@pytest.fixture
def cashier(dispatcher: Dispatcher) -> Caller:
    """cashier1 at T0101 (hall T01)."""
    return signed_in(dispatcher, "cashier1", "T0101")


@pytest.fixture
def supervisor(dispatcher: Dispatcher) -> Caller:
    """super1 at T0102 (hall T01)."""
    return signed_in(dispatcher, "super1", "T0102")


class TestReport:
    def test_stored_audited_and_listed(self, cashier: Caller, supervisor: Caller, db: Session,
                                       world: World) -> None:
        """A report is stored with the counter, the hall and the reporter, audited, and returned as listed."""
        key = str(uuid.uuid4())
        answer = cashier.call("sync.report_attention", report_body(key))
        assert answer.status == 200, answer.body
        item = answer.body
        assert (item["kind"], item["item_key"], item["counter_code"], item["taken_by"]) == (
            "refused", key, "T0101", "cashier1")
        assert (item["error_code"], item["error_params"], item["amount_fen"]) == (
            "CUSTOMER_CLOSED", {"customer_no": CLOSED}, 3_000)
        assert (item["local_time"], item["recorded_at"]) == ("2026-11-23T02:15:00Z", "2026-11-23T09:00:00Z")
        assert (item["acknowledged_by"], item["acknowledged_at"], item["note"]) == (None, None, None)
        row = db.execute(text("SELECT counter_id, hall_id, reported_by, offline FROM offline_attention")).one()
        assert tuple(row) == (world.counters["T0101"], world.org["T01"], world.users["cashier1"], True)
        record = db.scalars(select(AuditRecord).where(AuditRecord.method == "sync.report_attention")).one()
        assert (record.target, record.username) == (f"attention:{key}", "cashier1")
        assert _listed(supervisor)["items"] == [item]

    def test_second_report_returns_the_first(self, cashier: Caller, dispatcher: Dispatcher, db: Session) -> None:
        """The same item reported again (a retry, another PC of the hall replaying the same outbox) returns the
        first report and stores nothing more."""
        key = str(uuid.uuid4())
        first = cashier.call("sync.report_attention", report_body(key)).body
        other_pc = signed_in(dispatcher, "cashier2", "T0102")
        again = other_pc.call("sync.report_attention", report_body(key, amount_fen=1, error_code="NO_OPEN_SHIFT"))
        assert (again.status, again.body) == (200, first)
        assert _tables(db)["offline_attention"] == 1

    def test_receipt_of_another_hall_refused(self, cashier: Caller, db: Session) -> None:
        """A receipt number of a counter outside the caller's hall is RECEIPT_NO_INVALID; nothing is stored."""
        before = _tables(db)
        body = report_body(str(uuid.uuid4()), receipt_no="T0201-20261123-00001")
        answer = cashier.call("sync.report_attention", body)
        assert (answer.code, answer.params) == ("RECEIPT_NO_INVALID", {"receipt_no": "T0201-20261123-00001"})
        assert _tables(db) == before

    def test_item_of_another_hall_refused(self, cashier: Caller, dispatcher: Dispatcher, db: Session) -> None:
        """An item key a counter of another hall reported first is ATTENTION_OTHER_HALL, not its data."""
        key = str(uuid.uuid4())
        assert cashier.call("sync.report_attention", report_body(key)).status == 200
        far = signed_in(dispatcher, "cashier3", "T0201")
        before = _tables(db)
        answer = far.call("sync.report_attention", report_body(key, receipt_no=None))
        assert (answer.code, answer.params) == ("ATTENTION_OTHER_HALL", {"item_key": key})
        assert _tables(db) == before | {"audit_log": before["audit_log"] + 1}  # the attempt's record, only
        assert refusals(db) == [("cashier3", "ATTENTION_OTHER_HALL", "sync.report_attention", f"attention:{key}")]

    @pytest.mark.parametrize(("change", "code", "params"), [
        ({"item_key": "not-a-key"}, "INVALID_REQUEST", {"field": "item_key", "problem": "string_pattern_mismatch"}),
        ({"error_code": "NOT_A_CODE"}, "INVALID_REQUEST", {"field": "error_code", "problem": "enum"}),
        ({"amount_fen": -1}, "INVALID_REQUEST", {"field": "amount_fen", "problem": "greater_than_equal"}),
        ({"amount_fen": 12.5}, "FEN_NOT_INTEGER", {"field": "amount_fen"}),
        ({"error_params": {f"p{i}": i for i in range(17)}}, "INVALID_REQUEST",
         {"field": "error_params", "problem": "too_long"}),
        ({"method": "DROP TABLE"}, "INVALID_REQUEST", {"field": "method", "problem": "value_error"}),
    ], ids=["key", "code", "negative", "float", "params", "method"])
    def test_bad_reports_refused(self, cashier: Caller, db: Session, change: dict[str, Any], code: str,
                                 params: dict[str, Any]) -> None:
        """Malformed reports are refused with the field named; nothing is stored."""
        before = _tables(db)
        answer = cashier.call("sync.report_attention", {**report_body(str(uuid.uuid4())), **change})
        assert (answer.code, answer.params) == (code, params)
        assert _tables(db) == before


class TestList:
    def _redirected(self, cashier: Caller, dispatcher: Dispatcher) -> tuple[str, int]:
        """An offline payment of 张伟 at T0101 replayed after the bills were paid at T0102: (key, redirected)."""
        shift_caller = Caller(dispatcher, counter="T0101")
        start(shift_caller, "cashier1")
        stale = int(quote(shift_caller, ZHANG_WEI)["due_fen"])
        other_counter = Caller(dispatcher, counter="T0102")
        start(other_counter, "cashier2")
        assert pay(other_counter, ZHANG_WEI, [cash(stale)], seq=1).status == 200
        key = str(uuid.uuid4())
        paid = pay(shift_caller, ZHANG_WEI, [cash(stale)], seq=12, quoted=stale, offline=True, key=key,
                   local_time="2026-11-23T17:00:30+08:00")  # after the shift opened (17:00)
        assert paid.status == 200, paid.body
        return key, int(paid.body["redirected_to_prepayment_fen"])

    def test_supervisor_sees_hall_cashier_sees_counter(self, cashier: Caller, supervisor: Caller,
                                                       dispatcher: Dispatcher, clock: FixedClock) -> None:
        """The supervisor lists the hall's reported and redirected items, newest first; a cashier only their
        counter's; a counter of another hall sees none of them."""
        redirected_key, redirected = self._redirected(cashier, dispatcher)
        assert redirected > 0
        clock.advance(dt.timedelta(minutes=5))
        at_t0101 = str(uuid.uuid4())
        assert cashier.call("sync.report_attention", report_body(at_t0101)).status == 200
        clock.advance(dt.timedelta(minutes=5))
        at_t0102 = str(uuid.uuid4())
        second = signed_in(dispatcher, "cashier2", "T0102")
        assert second.call("sync.report_attention", report_body(
            at_t0102, receipt_no="T0102-20261123-00002", taken_by="cashier2")).status == 200

        hall = _listed(supervisor)
        assert _keys(hall) == [("refused", at_t0102), ("refused", at_t0101), ("redirected", redirected_key)]
        assert hall["unacknowledged"] == 3
        (item,) = [i for i in hall["items"] if i["kind"] == "redirected"]
        assert (item["receipt_no"], item["customer_no"], item["counter_code"], item["taken_by"]) == (
            "T0101-20261123-00012", ZHANG_WEI, "T0101", "cashier1")
        assert (item["redirected_to_prepayment_fen"], item["error_code"], item["method"]) == (
            redirected, None, "payment.pay_bills")
        assert item["local_time"] == "2026-11-23T09:00:30Z"
        assert _keys(_listed(cashier)) == [("refused", at_t0101), ("redirected", redirected_key)]
        assert _keys(_listed(second)) == [("refused", at_t0102)]
        far = signed_in(dispatcher, "cashier3", "T0201")
        assert _listed(far) == {"items": [], "unacknowledged": 0}
        assert _keys(_listed(supervisor, limit=1)) == [("refused", at_t0102)]

    def test_other_roles_cannot_list(self, dispatcher: Dispatcher) -> None:
        """Listing needs the collect permission (the permission matrix covers every role)."""
        reader = signed_in(dispatcher, "reader1", "T0101")
        assert reader.call("sync.list_attention", {}).code == "PERMISSION_DENIED"


class TestAcknowledge:
    def test_once_with_a_note(self, cashier: Caller, supervisor: Caller, db: Session, world: World) -> None:
        """A supervisor acknowledges with a note: one row, audited; the list shows who and when, acknowledged
        items last, and can leave them out; a second acknowledgement is ALREADY_ACKNOWLEDGED."""
        first, second = str(uuid.uuid4()), str(uuid.uuid4())
        assert cashier.call("sync.report_attention", report_body(first)).status == 200
        assert cashier.call("sync.report_attention", report_body(second, receipt_no=None)).status == 200
        answer = supervisor.call("sync.acknowledge_attention", {"item_key": first, "note": "  已电话通知客户退款  "})
        assert answer.status == 200, answer.body
        assert (answer.body["acknowledged_by"], answer.body["note"], answer.body["acknowledged_at"]) == (
            "super1", "已电话通知客户退款", "2026-11-23T09:00:00Z")
        row = db.execute(text("SELECT kind, hall_id, acknowledged_by FROM attention_acknowledgements")).one()
        assert tuple(row) == ("refused", world.org["T01"], world.users["super1"])
        record = db.scalars(select(AuditRecord).where(AuditRecord.method == "sync.acknowledge_attention")).one()
        assert (record.target, record.before, record.after) == (
            f"attention:{first}", {"acknowledged": False},
            {"acknowledged": True, "kind": "refused", "note": "已电话通知客户退款"})
        page = _listed(supervisor)
        assert (_keys(page), page["unacknowledged"]) == ([("refused", second), ("refused", first)], 1)
        assert _keys(_listed(supervisor, include_acknowledged=False)) == [("refused", second)]

        other_supervisor = signed_in(supervisor.dispatcher, "super2", "T0101")
        before = _tables(db)
        again = other_supervisor.call("sync.acknowledge_attention", {"item_key": first, "note": "再次确认"})
        assert (again.status, again.code, again.params) == (
            409, "ALREADY_ACKNOWLEDGED", {"item_key": first, "acknowledged_by": "super1"})
        assert _tables(db) == before

    def test_redirected_payment(self, cashier: Caller, supervisor: Caller, dispatcher: Dispatcher) -> None:
        """An offline payment redirected to prepayment is acknowledged by its idempotency key."""
        key, _ = TestList()._redirected(cashier, dispatcher)
        answer = supervisor.call("sync.acknowledge_attention", {"item_key": key, "note": "已告知客户转预收"})
        assert answer.status == 200, answer.body
        assert (answer.body["kind"], answer.body["acknowledged_by"]) == ("redirected", "super1")

    def test_refusals(self, cashier: Caller, supervisor: Caller, dispatcher: Dispatcher, db: Session) -> None:
        """Unknown key, another hall's item, a cashier, a blank note: each refused with its code, nothing written."""
        ours = str(uuid.uuid4())
        assert cashier.call("sync.report_attention", report_body(ours)).status == 200
        theirs = str(uuid.uuid4())
        far = signed_in(dispatcher, "cashier3", "T0201")
        assert far.call("sync.report_attention", report_body(theirs, receipt_no=None)).status == 200
        admin_far = signed_in(dispatcher, "admin1", "T0201")
        before = _tables(db)
        unknown = str(uuid.uuid4())
        attempts = [
            (supervisor, {"item_key": unknown, "note": "无此项"}, ("ATTENTION_NOT_FOUND", {"item_key": unknown})),
            (supervisor, {"item_key": theirs, "note": "别的营业厅"}, ("ATTENTION_OTHER_HALL", {"item_key": theirs})),
            (admin_far, {"item_key": ours, "note": "别的营业厅"}, ("ATTENTION_OTHER_HALL", {"item_key": ours})),
            (cashier, {"item_key": ours, "note": "收费员自己确认"}, ("PERMISSION_DENIED", {"permission": "approve"})),
            (supervisor, {"item_key": ours, "note": " x "}, ("INVALID_REQUEST",  # two non-space characters
                                                              {"field": "note", "problem": "string_pattern_mismatch"})),
            (supervisor, {"item_key": ours, "note": "x"}, ("INVALID_REQUEST",
                                                           {"field": "note", "problem": "string_too_short"})),
        ]
        for who, params, expected in attempts:
            answer = who.call("sync.acknowledge_attention", params)
            assert (answer.code, answer.params) == expected, params
        # the refusals of who may act (another hall, a cashier) are recorded as attempts; nothing else changes
        assert _tables(db) == before | {"audit_log": before["audit_log"] + 3}
        assert [(user, code) for user, code, _, _ in refusals(db)] == [
            ("super1", "ATTENTION_OTHER_HALL"), ("admin1", "ATTENTION_OTHER_HALL"), ("cashier1", "PERMISSION_DENIED")]

    def test_books_are_append_only(self, cashier: Caller, supervisor: Caller, engine: Engine) -> None:
        """Reports and acknowledgements cannot be changed or removed, even with SQL."""
        key = str(uuid.uuid4())
        assert cashier.call("sync.report_attention", report_body(key)).status == 200
        assert supervisor.call("sync.acknowledge_attention", {"item_key": key, "note": "已处理"}).status == 200
        for sql in ("UPDATE offline_attention SET amount_fen = 0", "DELETE FROM attention_acknowledgements",
                    "UPDATE attention_acknowledgements SET note = 'x'"):
            with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
                conn.execute(text(sql))


class TestDamagedOutbox:
    def test_cosigned_acknowledgement_is_recorded(self, cashier: Caller, db: Session, world: World) -> None:
        """The files, the reason, the counter and both people are on the books and in the audit; the same
        files acknowledged again (the answer was lost) return the first record."""
        answer = cashier.call("sync.acknowledge_damaged_outbox", damage_body(), cosign=SUPER)
        assert answer.status == 200, answer.body
        ack = answer.body
        assert (ack["counter_code"], ack["reported_by"], ack["cosigned_by"], ack["note"]) == (
            "T0101", "cashier1", "super1", "硬盘故障后重启")
        assert [f["name"] for f in ack["files"]] == ["counter.sqlite3.damaged-20261123-085500",
                                                     "counter.sqlite3.damaged-20261123-085500-wal"]
        assert (ack["found_at"], ack["acknowledged_at"]) == ("2026-11-23T00:55:00Z", "2026-11-23T09:00:00Z")
        row = db.execute(text("SELECT counter_id, reported_by, cosigned_by, files FROM damaged_outbox_acks")).one()
        assert (row[0], row[1], row[2]) == (world.counters["T0101"], world.users["cashier1"], world.users["super1"])
        assert row[3][0] == {"name": "counter.sqlite3.damaged-20261123-085500", "size_bytes": 8192, "sha256": SHA}
        record = db.scalars(select(AuditRecord).where(AuditRecord.method == "sync.acknowledge_damaged_outbox")).one()
        assert (record.target, record.cosigner, record.after is not None) == ("outbox:T0101", "super1", True)

        reordered = damage_body(files=list(reversed(damage_body()["files"])), note="")
        again = cashier.call("sync.acknowledge_damaged_outbox", reordered,
                             cosign=("super2", password_for("super2")))
        assert (again.status, again.body) == (200, ack)
        assert _tables(db)["damaged_outbox_acks"] == 1

    def test_supervisor_of_another_hall_cannot_cosign(self, cashier: Caller, dispatcher: Dispatcher,
                                                      db: Session) -> None:
        """A supervisor of another hall is COSIGN_NOT_AUTHORIZED for this counter's damaged outbox."""
        admin = signed_in(dispatcher, "admin1", "T0101")
        other_hall = {"username": "super9", "display_name": "二厅班长", "role": "supervisor", "org_unit_code": "T02",
                      "initial_password": "Initial-pass-9"}
        created = admin.call("admin.create_user", other_hall)
        assert created.status == 200, created.body
        before = _tables(db)
        answer = cashier.call("sync.acknowledge_damaged_outbox", damage_body(), cosign=("super9", "Initial-pass-9"))
        assert (answer.code, answer.params) == ("COSIGN_NOT_AUTHORIZED", {"username": "super9"})
        assert _tables(db) == before | {"audit_log": before["audit_log"] + 1}  # the attempt's record
        assert [(r.username, r.cosigner, r.refusal) for r in refused_records(db)] == [
            ("cashier1", "super9", "COSIGN_NOT_AUTHORIZED")]

    # recorded: the refusal came after the co-signer was named (a co-signed action's refusals are attempts);
    # a missing co-sign or a body the contract refuses is answered before anyone is named
    @pytest.mark.parametrize(("body", "cosign", "code", "params", "recorded"), [
        (damage_body(), None, "COSIGN_REQUIRED", {}, False),
        (damage_body(), ("cashier2", password_for("cashier2")), "COSIGN_NOT_AUTHORIZED", {"username": "cashier2"},
         True),
        (damage_body(), ("cashier1", password_for("cashier1")), "COSIGN_SAME_USER", {}, True),
        (damage_body(), ("super1", "wrong-password-1"), "COSIGN_INVALID", {}, True),
        (damage_body(files=[damage_body()["files"][0]] * 2), SUPER, "INVALID_REQUEST",
         {"field": "files", "problem": "duplicate"}, True),
        (damage_body(files=[{"name": "../../etc/passwd", "size_bytes": 1, "sha256": SHA}]), SUPER, "INVALID_REQUEST",
         {"field": "files.0.name", "problem": "string_pattern_mismatch"}, False),
        (damage_body(files=[{"name": "a", "size_bytes": 1, "sha256": "XYZ"}]), SUPER, "INVALID_REQUEST",
         {"field": "files.0.sha256", "problem": "string_pattern_mismatch"}, False),
        (damage_body(reason=""), SUPER, "INVALID_REQUEST", {"field": "reason", "problem": "string_too_short"}, False),
    ], ids=["no-cosign", "cashier-cosign", "self-cosign", "wrong-password", "duplicate-file", "path-name", "bad-sha",
            "no-reason"])
    def test_refused_and_nothing_changes(  # noqa: PLR0917 - pytest hands the parameters in
        self, cashier: Caller, db: Session, body: dict[str, Any], cosign: tuple[str, str] | None, code: str,
        params: dict[str, Any], recorded: bool,
    ) -> None:
        """Without a valid supervisor's co-sign, or with a malformed report, nothing is recorded but, once a
        co-signer was named, the one audit record of the attempt (a wrong password's count included)."""
        before = _tables(db)
        answer: Answer = cashier.call("sync.acknowledge_damaged_outbox", body, cosign=cosign)
        assert (answer.code, answer.params) == (code, params)
        after = _tables(db)
        assert after == before | {"audit_log": before["audit_log"] + recorded}
        assert [r.refusal for r in refused_records(db)] == ([code] if recorded else [])
