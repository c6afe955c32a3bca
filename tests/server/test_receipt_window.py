"""The server accepts only receipt sequences the counter could have minted: none reused, none further than
the window past the highest booked for the counter and day (wider by the jump after each damaged outbox
acknowledged that day). Each bad sequence is refused with its code and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from shared_models.rules.receipt_numbers import RECEIPT_GAP_AFTER_DAMAGE, RECEIPT_SEQ_WINDOW
from tests.factories import WANG_FANG, ZHANG_WEI
from tests.rpc_helpers import Caller
from tests.server.payment_helpers import TODAY, cash, counts, pay, receipt, start
from tests.server.shift_helpers import SUPER
from tests.server.test_offline_attention import damage_body


def _booked(caller: Caller, seq: int, *, day: dt.date = TODAY, offline: bool = False) -> None:
    answer = pay(caller, WANG_FANG, [cash(100)], seq=seq, receipt_no=receipt(seq, day=day), offline=offline)
    assert answer.status == 200, answer.body


def _refused(caller: Caller, db: Session, seq: int, *, highest: int, allowed: int, offline: bool = False,
             day: dt.date = TODAY) -> None:
    before = counts(db)
    answer = pay(caller, ZHANG_WEI, [cash(100)], seq=seq, receipt_no=receipt(seq, day=day), offline=offline)
    assert (answer.code, answer.params) == ("RECEIPT_SEQ_OUT_OF_WINDOW", {
        "receipt_no": receipt(seq, day=day), "highest_seq": highest, "allowed_seq": allowed})
    assert counts(db) == before


class TestWindow:
    def test_jump_right_after_the_second(self, caller: Caller, db: Session) -> None:
        """…-00115 right after …-00002 is refused; …-00102, the edge of the window, is booked."""
        start(caller)
        _booked(caller, 1)
        _booked(caller, 2)
        _refused(caller, db, 115, highest=2, allowed=2 + RECEIPT_SEQ_WINDOW)
        _booked(caller, 2 + RECEIPT_SEQ_WINDOW)

    def test_first_of_the_day(self, caller: Caller, db: Session) -> None:
        """With nothing booked that day the window starts at 0: 101 is refused."""
        start(caller)
        _refused(caller, db, RECEIPT_SEQ_WINDOW + 1, highest=0, allowed=RECEIPT_SEQ_WINDOW)

    @pytest.mark.parametrize("offline", [False, True], ids=["online", "offline-replay"])
    def test_sequence_zero(self, caller: Caller, db: Session, offline: bool) -> None:
        """A counter numbers from 1: …-00000 is RECEIPT_NO_INVALID and changes nothing."""
        start(caller)
        zero = receipt(1)[:-5] + "00000"
        before = counts(db)
        answer = pay(caller, ZHANG_WEI, [cash(100)], seq=0, receipt_no=zero, offline=offline)
        assert (answer.code, answer.params) == ("RECEIPT_NO_INVALID", {"receipt_no": zero})
        assert counts(db) == before

    @pytest.mark.parametrize("offline", [False, True], ids=["online", "offline-replay"])
    def test_reuse_is_refused(self, caller: Caller, db: Session, offline: bool) -> None:
        """A number already booked is RECEIPT_NO_TAKEN, online or replayed from the outbox."""
        start(caller)
        _booked(caller, 1)
        before = counts(db)
        answer = pay(caller, ZHANG_WEI, [cash(100)], seq=1, offline=offline)
        assert (answer.code, answer.params) == ("RECEIPT_NO_TAKEN", {"receipt_no": receipt(1)})
        assert counts(db) == before

    def test_offline_replay_out_of_window(self, caller: Caller, db: Session) -> None:
        """An offline replay keeps to the window of its own day too (yesterday's highest, here none)."""
        start(caller)
        _booked(caller, 1)
        yesterday = TODAY - dt.timedelta(days=1)
        _refused(caller, db, RECEIPT_SEQ_WINDOW + 1, highest=0, allowed=RECEIPT_SEQ_WINDOW, offline=True,
                 day=yesterday)
        _booked(caller, RECEIPT_SEQ_WINDOW, day=yesterday, offline=True)

    def test_gaps_below_the_highest_are_filled(self, caller: Caller) -> None:
        """A number below the highest, never booked (an item replayed late), is accepted."""
        start(caller)
        _booked(caller, 5)
        _booked(caller, 3)


class TestAfterDamagedOutbox:
    def test_acknowledged_damage_widens_the_window(self, caller: Caller, db: Session) -> None:
        """After a damaged outbox was acknowledged the counter numbers from the server's next + the gap: that
        number is booked; one past the widened window is still refused."""
        start(caller)
        _booked(caller, 1)
        _refused(caller, db, 1 + RECEIPT_GAP_AFTER_DAMAGE, highest=1, allowed=1 + RECEIPT_SEQ_WINDOW)
        ack = caller.call("sync.acknowledge_damaged_outbox", damage_body(), cosign=SUPER)
        assert ack.status == 200, ack.body
        # the counter's jump (seq_floor_after_damage): server's next (2) - 1 + the gap, and the next one after it
        _booked(caller, 1 + RECEIPT_GAP_AFTER_DAMAGE + 1)
        highest = 2 + RECEIPT_GAP_AFTER_DAMAGE
        _refused(caller, db, highest + RECEIPT_SEQ_WINDOW + RECEIPT_GAP_AFTER_DAMAGE + 1, highest=highest,
                 allowed=highest + RECEIPT_SEQ_WINDOW + RECEIPT_GAP_AFTER_DAMAGE)

    def test_damage_of_another_day_does_not_count(self, caller: Caller, db: Session) -> None:
        """An acknowledgement of today widens today's window only, not yesterday's."""
        start(caller)
        assert caller.call("sync.acknowledge_damaged_outbox", damage_body(), cosign=SUPER).status == 200
        yesterday = TODAY - dt.timedelta(days=1)
        _refused(caller, db, RECEIPT_GAP_AFTER_DAMAGE + 1, highest=0, allowed=RECEIPT_SEQ_WINDOW, offline=True,
                 day=yesterday)
