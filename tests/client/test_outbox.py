"""The counter's outbox (SPEC §5): one durable local transaction per confirmed call with its key and
receipt number; states; a damaged or full file; receipt numbering per counter and hall-local day."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from client.core.outbox.damage import DAMAGE_MARKER, damage_report, set_aside
from client.core.outbox.items import ItemState
from client.core.outbox.queue import Outbox
from client.core.outbox.store import OutboxDamagedError, OutboxFullError
from shared_models.methods.payments import PAY, PayRequest, Tender, TenderMethod
from shared_models.rules.hall_time import HALL_TZ
from shared_models.rules.receipt_numbers import RECEIPT_GAP_AFTER_DAMAGE, parse_receipt_no


class _Clock:
    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at


@pytest.fixture
def clock() -> _Clock:
    """2026-11-23 10:00 in the hall."""
    return _Clock(dt.datetime(2026, 11, 23, 10, 0, tzinfo=HALL_TZ))


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """Where the outbox is kept."""
    return tmp_path / "counter.sqlite3"


def pay(outbox: Outbox, counter: str = "H0101", *, floor: int = 1, amount: int = 5000,
        offline: bool = False) -> str:
    """Queue one cash payment; its receipt number."""
    def build(receipt_no: str | None) -> PayRequest:
        assert receipt_no is not None
        return PayRequest(customer_no="3301000001", receipt_no=receipt_no, quoted_due_fen=amount,
                          tenders=[Tender(method=TenderMethod.CASH, amount_fen=amount, cash_handed_fen=amount)],
                          accepted_offline=offline)

    item = outbox.submit(method=PAY.name, build=build, counter_code=counter, username="cashier0101",
                         shift_no=f"{counter}-20261123-01", customer_no="3301000001", amount_fen=amount,
                         numbered=True, server_next_seq=floor, offline=offline)
    assert item.receipt_no is not None
    return item.receipt_no


class TestQueue:
    def test_submit_stores_request_key_and_number_together(self, path: Path, clock: _Clock) -> None:
        """The stored body carries the receipt number the same transaction took; the key is a UUID."""
        outbox = Outbox(path, now=clock).open()
        receipt_no = pay(outbox)
        [item] = outbox.items()
        assert item.state is ItemState.PENDING
        assert item.body["receipt_no"] == receipt_no == item.receipt_no == "H0101-20261123-00001"
        assert len(item.key) == 36
        assert item.created_at == clock.at
        assert outbox.pending("cashier0101", limit=5) == [item]
        assert outbox.pending("someone.else", limit=5) == []
        counts = outbox.counts()
        assert (counts.pending, counts.attention, counts.oldest_pending_at) == (1, 0, clock.at)

    def test_pending_in_order_and_done(self, path: Path, clock: _Clock) -> None:
        """Items go out oldest first; a recorded answer makes the item done, once."""
        outbox = Outbox(path, now=clock).open()
        first, second = pay(outbox), pay(outbox)
        [head, _] = outbox.pending("cashier0101", limit=5)
        assert head.receipt_no == first
        assert outbox.record_done(head.id, result={"receipt_no": first}, server_time=clock.at)
        assert not outbox.record_done(head.id, result={"receipt_no": "other"}, server_time=clock.at)
        done = outbox.get(head.id)
        assert done is not None
        assert done.state is ItemState.DONE
        assert done.result == {"receipt_no": first}
        [nxt] = outbox.pending("cashier0101", limit=5)
        assert nxt.receipt_no == second

    def test_accept_offline_bumps_the_version(self, path: Path, clock: _Clock) -> None:
        """Accepting offline patches the body and bumps the version: a refusal of the older version is
        not recorded (the worker sends the item again as it is now)."""
        outbox = Outbox(path, now=clock).open()
        pay(outbox)
        [item] = outbox.items()
        offline = outbox.accept_offline(item.id, patch={"accepted_offline": True})
        assert offline.offline
        assert offline.body["accepted_offline"] is True
        assert offline.version == item.version + 1
        assert not outbox.record_refusal(item.id, version=item.version, state=ItemState.REJECTED,
                                         code="DUE_CHANGED")
        assert outbox.record_refusal(item.id, version=offline.version, state=ItemState.ATTENTION,
                                     code="CUSTOMER_CLOSED", params={"customer_no": "3301000001"})
        refused = outbox.get(item.id)
        assert refused is not None
        assert refused.state is ItemState.ATTENTION
        assert refused.last_error_params == {"customer_no": "3301000001"}
        assert outbox.counts().attention == 1
        assert outbox.acknowledge(item.id, by="supervisor01")
        assert outbox.counts().attention == 0

    def test_answered_item_is_not_taken_offline(self, path: Path, clock: _Clock) -> None:
        """An item answered before the desk gave up waiting stays as answered."""
        outbox = Outbox(path, now=clock).open()
        pay(outbox)
        [item] = outbox.items()
        outbox.record_done(item.id, result={"ok": True}, server_time=None)
        after = outbox.accept_offline(item.id, patch={"accepted_offline": True})
        assert after.state is ItemState.DONE
        assert not after.offline

    def test_a_failed_build_queues_nothing(self, path: Path, clock: _Clock) -> None:
        """A request the contract refuses is not queued and spends no number."""
        outbox = Outbox(path, now=clock).open()

        def bad(_receipt_no: str | None) -> PayRequest:
            raise ValueError("refused by the contract")

        with pytest.raises(ValueError, match="contract"):
            outbox.submit(method=PAY.name, build=bad, counter_code="H0101", username="u", numbered=True)
        assert outbox.items() == []
        assert outbox.last_receipt_seq("H0101") == 0


class TestDurability:
    def test_survives_sigkill_right_after_submit(self, path: Path) -> None:
        """A process killed with SIGKILL right after submit returned loses nothing it queued."""
        code = (
            "import os, signal, sys\n"
            "from pathlib import Path\n"
            "from client.core.outbox.queue import Outbox\n"
            "from tests.client.test_outbox import pay\n"
            "outbox = Outbox(Path(sys.argv[1])).open()\n"
            "numbers = [pay(outbox) for _ in range(20)]\n"
            "print(numbers[-1], flush=True)\n"
            "os.kill(os.getpid(), signal.SIGKILL)\n"
        )
        proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60,
                              check=False, cwd=Path(__file__).resolve().parents[2])
        assert proc.returncode == -signal.SIGKILL, proc.stderr
        last = proc.stdout.strip()
        outbox = Outbox(path).open()
        items = outbox.items()
        assert len(items) == 20
        assert items[0].receipt_no == last
        assert {i.state for i in items} == {ItemState.PENDING}


class TestBadFiles:
    @pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
    def test_damaged_file_is_refused_and_set_aside_untouched(self, path: Path, clock: _Clock, damage: str) -> None:
        """A corrupted, truncated or empty file is refused; set aside it keeps every byte, and a marker
        describes it until a supervisor acknowledges it."""
        outbox = Outbox(path, now=clock).open()
        for _ in range(30):
            pay(outbox)
        sqlite3.connect(path).execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        data = path.read_bytes()
        if damage == "garbage":
            broken = data[:100] + os.urandom(4096) + data[4196:]
        elif damage == "truncated":
            broken = data[: len(data) // 3 + 7]
        else:
            broken = b""
        path.write_bytes(broken)
        with pytest.raises(OutboxDamagedError):
            Outbox(path, now=clock).open()
        report = set_aside(path, reason="test", now=clock.at)
        assert not path.exists()
        [kept] = [f for f in report.files if not f["name"].endswith(("-wal", "-shm"))]
        assert (path.parent / kept["name"]).read_bytes() == broken
        assert kept["bytes"] == len(broken)
        assert damage_report(path.parent) == report
        fresh = Outbox(path, now=clock).open()
        fresh.acknowledge_damage(by="supervisor01", server_next_seq=31, counter_code="H0101")
        assert damage_report(path.parent) is None
        assert not (path.parent / DAMAGE_MARKER).exists()
        # the numbers the damaged file may hold are never handed out again
        assert pay(fresh).endswith(f"-{31 + RECEIPT_GAP_AFTER_DAMAGE:05d}")

    def test_full_disk_refuses_before_anything_is_queued(self, path: Path, clock: _Clock) -> None:
        """When SQLite reports the disk full, submit raises OutboxFullError and neither the request nor its
        number is stored."""
        Outbox(path, now=clock).open()
        pages = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]
        outbox = Outbox(path, now=clock, max_pages=int(pages) + 1)
        taken: list[str] = []

        def fill() -> None:
            for _ in range(500):
                taken.append(pay(outbox, amount=5000))

        with pytest.raises(OutboxFullError):
            fill()
        before = Outbox(path, now=clock)
        assert len(before.items(limit=1000)) == len(taken)
        assert before.last_receipt_seq("H0101") == len(taken)


class TestNumbers:
    """Receipt numbers: per counter and hall-local day, never handed out twice."""

    def test_counts_up_per_counter_and_day(self, path: Path, clock: _Clock) -> None:
        """Numbers run 1, 2, … per counter; another counter has its own run; a new day starts at 1 again."""
        outbox = Outbox(path, now=clock).open()
        assert pay(outbox, "H0101") == "H0101-20261123-00001"
        assert pay(outbox, "H0101") == "H0101-20261123-00002"
        assert pay(outbox, "H0102") == "H0102-20261123-00001"
        clock.at += dt.timedelta(days=1)
        assert pay(outbox, "H0101") == "H0101-20261124-00001"
        assert outbox.last_receipt_seq("H0101", dt.date(2026, 11, 23)) == 2

    def test_server_floor_and_local_sequence(self, path: Path, clock: _Clock) -> None:
        """The larger of the server's next sequence and the local one wins, either way round."""
        outbox = Outbox(path, now=clock).open()
        assert pay(outbox, floor=42) == "H0101-20261123-00042"
        assert pay(outbox, floor=42) == "H0101-20261123-00043"
        assert pay(outbox, floor=5) == "H0101-20261123-00044"

    def test_survives_a_restart(self, path: Path, clock: _Clock) -> None:
        """A new outbox on the same file (the client restarted) continues the day's sequence."""
        pay(Outbox(path, now=clock).open())
        assert pay(Outbox(path, now=clock).open()) == "H0101-20261123-00002"

    def test_day_is_the_halls(self, path: Path) -> None:
        """At 16:30 UTC it is already the next day in the hall, and the number says so."""
        outbox = Outbox(path, now=lambda: dt.datetime(2026, 11, 22, 16, 30, tzinfo=dt.UTC)).open()
        assert parse_receipt_no(pay(outbox)) == ("H0101", dt.date(2026, 11, 23), 1)

    def test_old_receipt_book_is_carried_over(self, path: Path, clock: _Clock) -> None:
        """Numbers spent in a receipts.sqlite3 from before the outbox are not handed out again."""
        legacy = sqlite3.connect(path.parent / "receipts.sqlite3")
        legacy.execute("CREATE TABLE receipt_seq (counter_code TEXT, day TEXT, last_seq INTEGER,"
                       " PRIMARY KEY (counter_code, day))")
        legacy.execute("CREATE TABLE receipts_taken (receipt_no TEXT PRIMARY KEY, taken_at TEXT)")
        legacy.execute("INSERT INTO receipt_seq VALUES ('H0101', '2026-11-23', 17)")
        legacy.commit()
        legacy.close()
        assert pay(Outbox(path, now=clock).open()) == "H0101-20261123-00018"

    def test_threads_and_processes_never_share_a_number(self, path: Path, clock: _Clock) -> None:
        """Eight threads on two outbox objects (one file) taking 10 numbers each: 80 different, gapless numbers."""
        Outbox(path, now=clock).open()
        boxes = [Outbox(path, now=clock), Outbox(path, now=clock)]
        taken: list[str] = []
        lock = threading.Lock()

        def take(box: Outbox) -> None:
            for _ in range(10):
                number = pay(box)
                with lock:
                    taken.append(number)

        threads = [threading.Thread(target=take, args=(boxes[i % 2],)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(parse_receipt_no(n)[2] for n in taken) == list(range(1, 81))
        keys = [i.key for i in boxes[0].items(limit=100)]
        assert len(set(keys)) == 80

    def test_day_runs_out_at_99999(self, path: Path, clock: _Clock) -> None:
        """After 99,999 numbers in a day the outbox refuses rather than wrap around, and queues nothing."""
        outbox = Outbox(path, now=clock).open()
        assert pay(outbox, floor=99999) == "H0101-20261123-99999"
        with pytest.raises(ValueError, match="99999"):
            pay(outbox)
        assert outbox.last_receipt_seq("H0101") == 99999
        assert len(outbox.items()) == 1
        assert json.loads(json.dumps(outbox.items()[0].body))["receipt_no"].endswith("99999")


class TestAdoption:
    def test_unwatched_online_items_are_accepted_offline(self, path: Path, clock: _Clock) -> None:
        """What a stopped client left pending as sent online becomes accepted offline (the cashier
        confirmed it; nobody waits for its answer any more); answered and offline items stay as they are."""
        outbox = Outbox(path, now=clock).open()
        online, answered = pay(outbox), pay(outbox)
        offline = pay(outbox, offline=True)
        [done] = [i for i in outbox.items() if i.receipt_no == answered]
        outbox.record_done(done.id, result={"ok": True}, server_time=None)
        assert outbox.adopt_unwatched() == 1
        by_no = {i.receipt_no: i for i in outbox.items()}
        assert by_no[online].offline
        assert by_no[online].body["accepted_offline"] is True
        assert by_no[online].version == 2
        assert not by_no[answered].offline
        assert by_no[offline].version == 1
        assert outbox.adopt_unwatched() == 0
