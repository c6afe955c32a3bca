"""Two clerks on one run at the same moment: the run's row lock makes them take turns, the state check does
the rest (released once; a release waiting behind a calculation chunk finds the run still calculating)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from server.models.billing import Bill
from server.models.ledger import EntryKind, LedgerEntry
from tests.billruns.helpers import BOOK, PERIOD, add_readings, billing, calculate, calculate_all, run_ref
from tests.factories import World
from tests.rpc_helpers import Answer, Caller


def _waiting_on_locks(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )).scalar_one())


def _race(engine: Engine, calls: list[Callable[[], Answer]]) -> list[Answer]:
    """Run ``calls`` in threads while a transaction holds the run's row; let go once all of them wait on it."""
    answers: list[Answer | None] = [None] * len(calls)

    def run(i: int) -> None:
        answers[i] = calls[i]()

    with engine.connect() as blocker:
        blocker.execute(text("SELECT id FROM bill_runs WHERE book_code = :b AND period = :p FOR UPDATE"),
                        {"b": BOOK, "p": PERIOD})
        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
        for t in threads:
            t.start()
        for _ in range(2000):  # until every call waits on the lock (a poll, not a timed assertion)
            if _waiting_on_locks(engine) >= len(calls):
                break
            time.sleep(0.005)
        else:
            raise AssertionError("the calls never waited on the run's lock")
        blocker.rollback()
    for t in threads:
        t.join()
    assert all(a is not None for a in answers)
    return [a for a in answers if a is not None]


class TestTwoClerks:
    def test_release_at_once_releases_once(self, caller: Caller, engine: Engine, db: Session, world: World) -> None:
        """Both releases wait for the run; the first releases it, the second is refused; one charge per bill."""
        add_readings(db)
        billing(caller)
        calculate_all(caller)
        other = Caller(caller.dispatcher, counter="T0102")
        assert other.login("billing1", counter="T0102").status == 200
        answers = _race(engine, [lambda: caller.call("billrun.release_run", run_ref()),
                                 lambda: other.call("billrun.release_run", run_ref())])
        assert sorted(str(a.code) for a in answers) == ["BILL_RUN_ALREADY_RELEASED", "None"]
        db.expire_all()
        assert db.scalar(select(func.count()).select_from(Bill).where(Bill.period == PERIOD)) == 4
        charges = db.scalar(select(func.count()).select_from(LedgerEntry).join(Bill, Bill.id == LedgerEntry.bill_id)
                            .where(Bill.period == PERIOD, LedgerEntry.kind == EntryKind.CHARGE))
        assert charges == 4

    def test_release_behind_a_calculation_chunk(self, caller: Caller, engine: Engine, db: Session,
                                                world: World) -> None:
        """A release and a calculation chunk at once: in either order the release finds the run calculating
        and is refused; the chunk's work stands."""
        add_readings(db)
        billing(caller)
        assert calculate(caller, chunk_size=1).status == 200
        other = Caller(caller.dispatcher, counter="T0102")
        assert other.login("billing1", counter="T0102").status == 200
        chunk, release = _race(engine, [lambda: calculate(caller, chunk_size=1),
                                        lambda: other.call("billrun.release_run", run_ref())])
        assert (chunk.body["state"], chunk.body["customers_done"]) == ("calculating", 2)
        assert release.code == "BILL_RUN_CALCULATING"
        assert db.scalar(select(func.count()).select_from(Bill).where(Bill.period == PERIOD)) == 0
