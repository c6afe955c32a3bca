"""Shifts opened and closed at the counter with the link down, and supervisor co-signs verified at the counter
(SPEC §5): counter-minted shift numbers within the shared rules, the whole offline day replayed from the outbox
in order and exactly once, the attested co-sign accepted only in a replay and only for a supervisor the
counter could have verified, recorded so in the audit trail and listed for the supervisor."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from server.audit_chain import ATTESTED_KEY
from server.clock import FixedClock
from tests.factories import WANG_FANG, ZHANG_WEI
from tests.rpc_helpers import Answer, Caller
from tests.server.attempt_helpers import refusals
from tests.server.payment_helpers import cash, counts, receipt
from tests.server.shift_helpers import yuan_notes

LOCAL = "2026-11-23T16:40:00+08:00"  # the counter's clock during the offline day (the server's is 17:00 CST)
DAY = "20261123"


def shift_no(seq: int, *, counter: str = "T0101", day: str = DAY) -> str:
    """A shift number as a counter mints it."""
    return f"{counter}-{day}-{seq:02d}"


def item(method: str, body: dict[str, Any], key: str | None = None) -> dict[str, Any]:
    """One queued call as the outbox holds it."""
    return {"key": key or str(uuid.uuid4()), "method": method, "body": body}


def open_item(number: str, float_fen: int = 10000) -> dict[str, Any]:
    """An offline shift open."""
    return item("shift.open_shift", {"float_fen": float_fen, "shift_no": number, "opened_offline": True,
                                     "local_time": LOCAL})


def pay_item(seq: int, customer_no: str, amount_fen: int) -> dict[str, Any]:
    """A payment accepted offline, all cash."""
    return item("payment.pay_bills", {"customer_no": customer_no, "receipt_no": receipt(seq),
                                      "tenders": [cash(amount_fen)], "quoted_due_fen": 0, "accepted_offline": True,
                                      "local_time": LOCAL})


def attestation(username: str = "super1", at: str = LOCAL) -> dict[str, str]:
    """A co-sign verified at the counter."""
    return {"username": username, "verified_at": at}


def void_item(seq: int, *, cosigner: str = "super1", at: str = LOCAL) -> dict[str, Any]:
    """A void confirmed offline, co-signed at the counter."""
    return item("payment.void_attested", {"receipt_no": receipt(seq), "reason": "收错户号",
                                          "attested_cosign": attestation(cosigner, at), "local_time": LOCAL})


def close_item(number: str, counted_fen: int, unsent: list[dict[str, Any]], *, cosigner: str | None = "super1"
               ) -> dict[str, Any]:
    """An offline close with its count, unsent list and co-sign verified at the counter."""
    body: dict[str, Any] = {"shift_no": number, "cash_counts": yuan_notes(counted_fen), "deposit_slip_no": "JK-OFF-1",
                            "note": "断网日结", "unsent": unsent, "closed_offline": True, "local_time": LOCAL}
    if cosigner is not None:
        body["attested_cosign"] = attestation(cosigner)
    return item("shift.close_shift", body)


def unsent_of(pay: dict[str, Any]) -> dict[str, Any]:
    """The unsent-list line of a queued payment."""
    body = pay["body"]
    amount = body["tenders"][0]["amount_fen"]
    return {"idempotency_key": pay["key"], "method": pay["method"], "receipt_no": body["receipt_no"],
            "customer_no": body["customer_no"], "amount_fen": amount, "cash_fen": amount, "local_time": LOCAL}


def replay(caller: Caller, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Replay ``items`` in one batch; the outcomes."""
    answer = caller.call("outbox.replay_batch", {"items": items})
    assert answer.status == 200, answer.body
    return list(answer.body["outcomes"])


@pytest.fixture
def cashier(caller: Caller, dispatcher: Any) -> Caller:
    """cashier1 at T0101 at 17:00 in the hall, after super1 signed in there once (so the counter may hold
    super1's verifier)."""
    supervisor = Caller(dispatcher)
    assert supervisor.login("super1").status == 200
    assert supervisor.call("auth.logout").status == 200
    assert caller.login("cashier1").status == 200
    return caller


def _books(db: Session) -> dict[str, int]:
    db.expire_all()
    shifts = int(db.scalar(text("SELECT count(*) FROM shifts")) or 0)
    closings = int(db.scalar(text("SELECT count(*) FROM shift_closings")) or 0)
    attested = int(db.scalar(text("SELECT count(*) FROM attested_cosigns")) or 0)
    return {**counts(db), "shifts": shifts, "closings": closings, "attested": attested}


class TestCounterMintedShiftNumbers:
    def test_a_counter_minted_number_is_kept_with_the_counters_clock(self, cashier: Caller) -> None:
        """An open carrying the counter's number is booked under it, marked offline with the counter's clock;
        the next sequence the server reports is past it."""
        opened = cashier.call("shift.open_shift", {"float_fen": 5000, "shift_no": shift_no(1), "opened_offline": True,
                                                   "local_time": LOCAL})
        assert opened.status == 200, opened.body
        assert opened.body["shift_no"] == shift_no(1)
        assert opened.body["opened_offline"] is True
        assert dt.datetime.fromisoformat(opened.body["local_opened_at"]) == dt.datetime.fromisoformat(LOCAL)
        current = cashier.call("shift.get_current").body
        assert current["shift"]["shift_no"] == shift_no(1)
        assert current["next_shift_seq"] == 2

    def test_a_small_gap_is_accepted_and_the_server_numbers_past_it(self, cashier: Caller, caller: Caller) -> None:
        """A sequence within the window past the highest booked one opens; a later server-numbered shift of
        the counter takes the next number after the highest (not the count)."""
        assert cashier.call("shift.open_shift", {"float_fen": 0, "shift_no": shift_no(3)}).status == 200
        number = cashier.call("shift.get_current").body["shift"]["shift_no"]
        assert cashier.call("shift.close_shift", {"shift_no": number, "cash_counts": [],
                                                  "deposit_slip_no": "JK-1"}).status == 200
        assert cashier.call("shift.open_shift", {"float_fen": 0}).body["shift_no"] == shift_no(4)

    @pytest.mark.parametrize(("number", "problem"), [
        (shift_no(1, counter="T0102"), "other_counter"),
        (shift_no(1, day="20261124"), "future_day"),
        (shift_no(1, day="20261119"), "too_old"),
        (shift_no(7), "jump"),
        ("T0101-2026-1", "malformed"),
    ])
    def test_numbers_the_counter_could_not_have_minted_are_refused(
        self, cashier: Caller, db: Session, number: str, problem: str,
    ) -> None:
        """Another counter's number, a future or too old day, a jump past the window and a malformed number
        are each refused with SHIFT_NO_INVALID and its problem; nothing is booked."""
        before = _books(db)
        answer = cashier.call("shift.open_shift", {"float_fen": 0, "shift_no": number})
        assert (answer.code, answer.params.get("problem")) == ("SHIFT_NO_INVALID", problem)
        assert _books(db) == before

    def test_a_number_is_never_booked_twice(self, cashier: Caller, caller: Caller, dispatcher: Any,
                                           db: Session) -> None:
        """A second shift under a number already booked (another cashier at the same counter) is refused as
        reused; nothing is booked."""
        assert cashier.call("shift.open_shift", {"float_fen": 0, "shift_no": shift_no(1)}).status == 200
        other = Caller(dispatcher)
        assert other.login("cashier2").status == 200
        before = _books(db)
        answer = other.call("shift.open_shift", {"float_fen": 0, "shift_no": shift_no(1)})
        assert (answer.code, answer.params.get("problem")) == ("SHIFT_NO_INVALID", "reused")
        assert _books(db) == before


class TestOfflineDayReplayed:
    def test_the_whole_offline_day_is_applied_once_in_order(self, cashier: Caller, db: Session) -> None:
        """Open, two payments, a void and a close co-signed at the counter, replayed when the link returns:
        each applied once in order, the close's figures as the counter counted them, the co-signs recorded
        as verified at the counter and listed for the supervisor; the same batch again changes nothing."""
        number = shift_no(1)
        pays = [pay_item(1, WANG_FANG, 3000), pay_item(2, ZHANG_WEI, 2000)]
        # the drawer: float 100.00 + 30.00 kept (20.00 voided and handed back); counted 129.00: 1.00 short
        items = [open_item(number), *pays, void_item(2),
                 close_item(number, 12900, [unsent_of(p) for p in pays])]
        outcomes = replay(cashier, items)
        assert [o["error"] for o in outcomes] == [None] * 5, outcomes
        summary = outcomes[-1]["result"]
        assert summary["shift"]["shift_no"] == number
        assert summary["shift"]["opened_offline"] is True
        assert summary["payments_count"] == 1
        assert summary["collected_fen"] == 3000
        assert summary["expected_cash_fen"] == 13000
        closing = summary["closing"]
        assert (closing["difference_fen"], closing["approved_by"]) == (-100, "班长甲")
        assert closing["closed_offline"] is True
        assert closing["cosign_at_counter"] is True
        assert [(v["receipt_no"], v["cosign_at_counter"]) for v in summary["voids"]] == [(receipt(2), True)]
        assert outcomes[3]["result"]["cosign_at_counter"] is True

        marks = db.execute(text("SELECT method, cosigner, after FROM audit_log WHERE cosigner IS NOT NULL"
                                " ORDER BY seq")).all()
        assert [(m.method, m.cosigner) for m in marks] == [("payment.void_attested", "super1"),
                                                            ("shift.close_shift", "super1")]
        assert all(m.after[ATTESTED_KEY]["verified_at_counter"] is True for m in marks)
        assert "password" not in str([m.after for m in marks])

        books = _books(db)
        assert replay(cashier, items) == outcomes
        assert _books(db) == books
        assert books["shifts"] == 1
        assert books["closings"] == 1
        assert books["attested"] == 2

    def test_the_supervisor_sees_and_acknowledges_the_co_signs_made_at_the_counter(
        self, cashier: Caller, dispatcher: Any,
    ) -> None:
        """After the replay, the hall's attention list carries the void and the close co-signed at the counter,
        with who co-signed; the supervisor acknowledges them like any other item."""
        number = shift_no(1)
        pays = [pay_item(1, WANG_FANG, 3000)]
        void = void_item(1)
        close = close_item(number, 10000, [unsent_of(p) for p in pays])
        assert all(o["error"] is None for o in replay(cashier, [open_item(number), *pays, void, close]))
        supervisor = Caller(dispatcher)
        assert supervisor.login("super2").status == 200
        page = supervisor.call("sync.list_attention", {}).body
        attested = {i["item_key"]: i for i in page["items"] if i["kind"] == "attested"}
        assert set(attested) == {void["key"], close["key"]}
        assert attested[void["key"]]["receipt_no"] == receipt(1)
        assert attested[void["key"]]["cosigned_by"] == "super1"
        assert attested[void["key"]]["taken_by"] == "cashier1"
        assert attested[close["key"]]["shift_no"] == number
        ack = supervisor.call("sync.acknowledge_attention", {"item_key": void["key"], "note": "已核对冲正"})
        assert ack.status == 200, ack.body
        assert ack.body["acknowledged_by"] == "super2"

    def test_a_void_replayed_after_midnight_is_same_day_by_the_counters_clocks(
        self, cashier: Caller, clock: FixedClock,
    ) -> None:
        """The payment and its void were confirmed the same evening at the counter; the link returns after
        midnight: the void is still accepted (same day by the counter's clocks)."""
        assert cashier.call("shift.open_shift", {"float_fen": 0}).status == 200
        clock.advance(dt.timedelta(hours=8, minutes=30))  # 01:30 on the 24th in the hall
        assert cashier.login("cashier1").status == 200  # the session of the evening has timed out
        outcomes = replay(cashier, [pay_item(1, WANG_FANG, 3000), void_item(1)])
        assert [o["error"] for o in outcomes] == [None, None], outcomes


def _assert_refused_once(db: Session, before: dict[str, int], attempts: list[tuple[str, str | None, str, str]],
                         code: str | None) -> None:
    """The books are as they were; a co-sign refusal left exactly one audit record of the attempt (issue 10
    §3), a refusal of the request's shape none."""
    recorded = [(u, c, m) for u, c, m, _ in refusals(db)[len(attempts):]]
    if code is None:
        assert (_books(db), recorded) == (before, [])
        return
    assert _books(db) == {**before, "audit_log": before["audit_log"] + 1}
    assert recorded == [("cashier1", code, "payment.void_attested")]


class TestAttestedCosignRefused:
    def test_an_attested_co_sign_on_a_direct_call_is_refused(self, cashier: Caller, db: Session) -> None:
        """A void or a close carrying a co-sign verified at the counter, sent directly instead of replayed
        from the outbox, is refused with COSIGN_ATTESTED_NOT_REPLAYED; nothing changes."""
        number = cashier.call("shift.open_shift", {"float_fen": 0}).body["shift_no"]
        assert replay(cashier, [pay_item(1, WANG_FANG, 3000)])[0]["error"] is None
        before = _books(db)
        void = void_item(1)
        assert cashier.call(void["method"], void["body"]).code == "COSIGN_ATTESTED_NOT_REPLAYED"
        close = close_item(number, 3000, [])
        assert cashier.call(close["method"], close["body"]).code == "COSIGN_ATTESTED_NOT_REPLAYED"
        assert _books(db) == before

    @pytest.mark.parametrize(("cosigner", "at", "code"), [
        ("cashier1", LOCAL, "COSIGN_SAME_USER"),
        ("cashier2", LOCAL, "COSIGN_NOT_AUTHORIZED"),
        ("nobody", LOCAL, "COSIGN_NOT_AUTHORIZED"),
        ("super2", LOCAL, "COSIGN_NOT_AUTHORIZED"),  # never signed in nor co-signed at T0101
        ("super1", "2026-11-23T18:00:00+08:00", "INVALID_REQUEST"),  # an hour in the server's future
        ("super1", "2026-11-18T09:00:00+08:00", "INVALID_REQUEST"),  # older than a verifier lives
    ])
    def test_co_signers_the_counter_could_not_have_verified_are_refused(
        self, cashier: Caller, db: Session, cosigner: str, at: str, code: str,
    ) -> None:
        """The actor, a cashier, an unknown user, a supervisor never seen at this counter, and a co-sign time
        in the future or too old: each replayed void is refused with its code and the books stay as they were."""
        assert cashier.call("shift.open_shift", {"float_fen": 0}).status == 200
        assert replay(cashier, [pay_item(1, WANG_FANG, 3000)])[0]["error"] is None
        before, attempts = _books(db), refusals(db)
        [outcome] = replay(cashier, [void_item(1, cosigner=cosigner, at=at)])
        assert outcome["error"]["code"] == code
        _assert_refused_once(db, before, attempts, code if code.startswith("COSIGN_") else None)

    def test_a_disabled_supervisor_cannot_co_sign_at_the_counter(self, cashier: Caller, db: Session) -> None:
        """A supervisor disabled since the counter verified them: the replayed void is refused."""
        assert cashier.call("shift.open_shift", {"float_fen": 0}).status == 200
        assert replay(cashier, [pay_item(1, WANG_FANG, 3000)])[0]["error"] is None
        db.execute(text("UPDATE users SET active = false WHERE username = 'super1'"))
        db.commit()
        before, attempts = _books(db), refusals(db)
        [outcome] = replay(cashier, [void_item(1)])
        assert outcome["error"]["code"] == "COSIGN_NOT_AUTHORIZED"
        _assert_refused_once(db, before, attempts, "COSIGN_NOT_AUTHORIZED")

    def test_an_offline_close_with_unsent_items_needs_the_co_sign(self, cashier: Caller, db: Session) -> None:
        """An offline close whose unsent list carries no co-sign is refused UNSENT_NEEDS_SUPERVISOR; the shift
        stays open."""
        number = shift_no(1)
        pays = [pay_item(1, WANG_FANG, 3000)]
        outcomes = replay(cashier, [open_item(number), *pays,
                                    close_item(number, 13000, [unsent_of(p) for p in pays], cosigner=None)])
        assert outcomes[-1]["error"]["code"] == "UNSENT_NEEDS_SUPERVISOR"
        assert _books(db)["closings"] == 0
        assert cashier.call("shift.get_current").body["shift"]["shift_no"] == number


def test_a_call_without_a_number_is_numbered_by_the_server(cashier: Caller) -> None:
    """A direct call without any shift number still opens a server-numbered shift (older counters)."""
    answer: Answer = cashier.call("shift.open_shift", {"float_fen": 0})
    assert answer.body["shift_no"] == shift_no(1)
    assert answer.body["opened_offline"] is False
