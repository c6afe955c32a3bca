"""The meter reader's queued acceptance against the live server (HTTPS, PostgreSQL): validated offline against
the saved package and queued with the link down, replayed once when it is back (a resend answers the first
result, nothing written twice), sent alone and never in a batch, the largest file kept in its outbox row, and
each refusal on replay (a changed file, records accepted by another acceptance meanwhile) left for attention
with its code and figures."""

from __future__ import annotations

import base64
import datetime as dt
import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from client.core.actions import ConfirmedAction
from client.core.handheld_queue import accept_summary, queue_accept, refusal_in_result
from client.core.outbox.items import ItemState, OutboxItem
from client.core.outbox.queue import Outbox
from client.core.rpc_client import RpcClient
from client.core.sync import Backoff, SyncWorker
from server.handheld.simulator import fill_document
from server.models.customers import Meter
from server.models.handheld import HandheldAccepted
from server.models.org import OrgUnit
from server.models.readings import Reading, ReadingBook
from server.models.users import User
from shared_models.errors import ErrorCode
from shared_models.handheld import CSV_COLUMNS, MAX_FILE_BYTES, BookState, Decision, DecisionKind
from shared_models.methods.auth import LOGIN, LoginRequest
from shared_models.methods.handheld import (
    ACCEPT_UPLOAD,
    DOWNLOAD_BOOK,
    AcceptedRecord,
    AcceptResult,
    AcceptUploadRequest,
    DownloadBookRequest,
)
from shared_models.methods.readings import ReadingSource, ReadingStatus
from shared_models.pinning import ca_fingerprint
from shared_models.rules.handheld_offline import OfflineRefusal, validate_offline
from tests.action_helpers import confirmed
from tests.e2e.conftest import LiveServer, live_server
from tests.factories import DEVICE_KEYS, password_for

__all__ = ["live_server"]

pytestmark = pytest.mark.timeout(240)

BOOK = "T01-B001"


def _dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"https://127.0.0.1:{port}"  # nothing listens: connections are refused, as with a cut link


def _today() -> dt.date:
    return dt.datetime.now(tz=dt.UTC).date()


@dataclass
class Reader:
    """reader1 at counter T0101: the client stub, the outbox, a sync worker (started by the test), the books."""

    live: LiveServer
    rpc: RpcClient
    outbox: Outbox
    engine: Engine
    workers: list[SyncWorker] = field(default_factory=list)

    def link(self, *, up: bool) -> None:
        self.rpc.set_server(self.live.url if up else _dead_url())
        for worker in self.workers:
            worker.wake()

    def start_sync(self) -> SyncWorker:
        worker = SyncWorker(outbox=self.outbox, rpc=self.rpc, user=lambda: "reader1",
                            backoff=Backoff(base_s=0.05, cap_s=0.3), idle_s=0.2)
        self.rpc.link_listener = worker.note_link
        worker.start()
        self.workers.append(worker)
        return worker

    def download(self) -> str:
        """A new package of the book for this month, as the counter saves it."""
        today = _today()
        return self.rpc.send(DOWNLOAD_BOOK, DownloadBookRequest(book_code=BOOK, period=today.year * 100 + today.month),
                             action=confirmed()).text

    def accepted(self, package_id: str) -> list[tuple[int, str, int | None]]:
        """The server's decided records of a package: (seq, decision, reading id)."""
        with Session(self.engine) as db:
            return [(a.seq, a.decision.value, a.reading_id) for a in db.scalars(
                select(HandheldAccepted).where(HandheldAccepted.package_id == package_id)
                .order_by(HandheldAccepted.seq))]

    def readings(self) -> int:
        with Session(self.engine) as db:
            return int(db.scalar(select(func.count()).select_from(Reading)) or 0)


@pytest.fixture
def reader(live_server: LiveServer, tmp_path: Path) -> Iterator[Reader]:
    """reader1 signed in at T0101 over HTTPS with a fresh outbox; book T01-B001 is his, read in 2026-10."""
    engine = create_engine(live_server.db_url)
    with Session(engine) as db:
        if db.get(ReadingBook, BOOK) is None:
            hall = db.scalar(select(OrgUnit.id).where(OrgUnit.code == "T01"))
            user = db.scalar(select(User.id).where(User.username == "reader1"))
            assert hall is not None
            db.add(ReadingBook(code=BOOK, name="文三路一段", hall_id=hall, reader_id=user, reading_day=20,
                               window_days=5))
            for meter in db.scalars(select(Meter)).all():
                db.add(Reading(meter_id=meter.id, period=202610, read_on=dt.date(2026, 10, 20),
                               status=ReadingStatus.ACTUAL, source=ReadingSource.IMPORT, total=Decimal(1000)))
            db.commit()
    pin = ca_fingerprint(live_server.ca.read_bytes())
    rpc = RpcClient(ca_file=live_server.ca, ca_pin=lambda: pin, client_version="test", server_url=live_server.url,
                    connect_timeout_s=2.0, read_timeout_s=60.0)
    result = rpc.call(LOGIN, LoginRequest(username="reader1", password=password_for("reader1"), counter_code="T0101",
                                          device_key=DEVICE_KEYS["T0101"]))
    rpc.set_session(token=result.token, counter_code="T0101")
    reader = Reader(live=live_server, rpc=rpc, outbox=Outbox(tmp_path / "counter.sqlite3").open(), engine=engine)
    try:
        yield reader
    finally:
        for worker in reader.workers:
            worker.stop()
        rpc.close()
        engine.dispose()


def _filled(package_text: str, *, pad_to: int | None = None) -> bytes:
    """The package read on site (every record read normally, today), padded with spaces to ``pad_to`` bytes
    (whitespace is outside the signed canonical JSON: the same package)."""
    data = json.dumps(fill_document(json.loads(package_text), mix="normal", read_on=_today()),
                      ensure_ascii=False).encode()
    return data if pad_to is None else data + b" " * (pad_to - len(data))


def _request(data: bytes, *decisions: tuple[int, DecisionKind]) -> AcceptUploadRequest:
    return AcceptUploadRequest(file_name="T01-B001.json", content_b64=base64.b64encode(data).decode(),
                               decisions=[Decision(seq=seq, decision=kind) for seq, kind in decisions])


def _queued_offline(reader: Reader, package_text: str, data: bytes, *decisions: tuple[int, DecisionKind]
                    ) -> OutboxItem:
    """With the link down: the offline report (nothing in error on the decided records) and the queued item."""
    reader.link(up=False)
    report = validate_offline(package_text, data, today=_today(), reader="reader1")
    for seq, _ in decisions:
        record = next(r for r in report.records if r.seq == seq)
        assert all(f.severity.value != "error" for f in record.findings), record.findings
    return queue_accept(reader.outbox, request=_request(data, *decisions), counter_code="T0101", username="reader1",
                        report=report)


def _settled(worker: SyncWorker, item: OutboxItem, timeout_s: float = 60.0) -> OutboxItem:
    answered = worker.wait_for(item.id, timeout_s)
    assert answered.state is not ItemState.PENDING, (answered.last_error, answered.last_error_params)
    return answered


class TestQueueAccept:
    """Queued with the link down, replayed once when it is back."""

    def test_replayed_once_when_the_link_is_back(self, reader: Reader) -> None:
        """Pending while the link is down, done when it is back; a resend with the item's key answers the first
        result and writes nothing."""
        text = reader.download()
        package_id = json.loads(text)["package_id"]
        item = _queued_offline(reader, text, _filled(text), (1, DecisionKind.ACCEPT))
        assert (item.state, item.offline, item.method) == (ItemState.PENDING, True, "handheld.accept_upload")
        assert item.summary == {"package_id": package_id, "book_code": BOOK, "period": json.loads(text)["period"],
                                "file_name": "T01-B001.json", "file_format": "json", "records": 1, "accepted": 1,
                                "rereads": 0}
        worker = reader.start_sync()
        tried = worker.wait_for(item.id, 1.0)
        assert tried.state is ItemState.PENDING
        assert reader.accepted(package_id) == []
        readings = reader.readings()
        reader.link(up=True)
        done = _settled(worker, item)
        assert done.state is ItemState.DONE
        result = AcceptResult.model_validate_json(done.result_json)
        [record] = result.records
        assert (record.seq, record.decision, record.repeated) == (1, DecisionKind.ACCEPT, False)
        assert reader.accepted(package_id) == [(1, "accept", record.reading_id)]
        assert reader.readings() == readings + 1
        again = reader.rpc.send(ACCEPT_UPLOAD, AcceptUploadRequest.model_validate_json(json.dumps(done.body)),
                                action=ConfirmedAction.from_outbox(done.key))
        assert again.model_dump(mode="json") == done.result
        assert reader.accepted(package_id) == [(1, "accept", record.reading_id)]
        assert reader.readings() == readings + 1

    def test_the_largest_file_stays_in_its_row_and_each_acceptance_goes_alone(self, reader: Reader) -> None:
        """A 16 MiB file queued in the outbox row (22.4 MB of base64) and a second acceptance behind it: both
        replayed, each on its own (a batch would be refused: the call is not replayed in batches)."""
        text = reader.download()
        package_id = json.loads(text)["package_id"]
        data = _filled(text, pad_to=MAX_FILE_BYTES)
        assert len(data) == MAX_FILE_BYTES
        big = _queued_offline(reader, text, data, (3, DecisionKind.ACCEPT))
        assert len(big.body["content_b64"]) == (MAX_FILE_BYTES + 2) // 3 * 4
        assert base64.b64decode(reader.outbox.get(big.id).body["content_b64"]) == data  # type: ignore[union-attr]
        small = _queued_offline(reader, text, _filled(text), (4, DecisionKind.REREAD))
        assert [i.id for i in reader.outbox.pending("reader1", limit=50)] == [big.id, small.id]
        reader.link(up=True)
        worker = reader.start_sync()
        assert _settled(worker, big, 120.0).state is ItemState.DONE
        assert _settled(worker, small).state is ItemState.DONE
        assert [(seq, decision) for seq, decision, _ in reader.accepted(package_id)] == [(3, "accept"), (4, "reread")]

    def test_an_unreadable_file_is_not_queued(self, reader: Reader) -> None:
        """The offline validator refuses a cut file; queueing one is refused too, and nothing is queued."""
        text = reader.download()
        cut = _filled(text)[:500]
        with pytest.raises(OfflineRefusal) as refused:
            validate_offline(text, cut, today=_today())
        assert refused.value.code is ErrorCode.HANDHELD_FILE_DAMAGED
        with pytest.raises(ValueError, match="cannot be read"):
            queue_accept(reader.outbox, request=_request(cut, (1, DecisionKind.ACCEPT)), counter_code="T0101",
                         username="reader1")
        assert reader.outbox.items() == []


class TestRefusedOnReplay:
    """A replay the server refuses ends ``attention`` with the code and figures the outbox words."""

    def test_a_changed_file_is_refused_and_nothing_written(self, reader: Reader) -> None:
        """A file whose signed part changed after download (the counter's copy changed with it, so the offline
        check passed): the server's HMAC refuses it on replay."""
        text = reader.download()
        document = json.loads(text)
        document["records"][0]["name"] = "改过的名字"
        changed = json.dumps(document, ensure_ascii=False)
        item = _queued_offline(reader, changed, _filled(changed), (1, DecisionKind.ACCEPT))
        reader.link(up=True)
        refused = _settled(reader.start_sync(), item)
        assert refused.state is ItemState.ATTENTION
        assert (refused.last_error, refused.last_error_params) == (
            ErrorCode.HANDHELD_SIGNATURE_INVALID.value, {"package_id": document["package_id"]})
        assert reader.accepted(document["package_id"]) == []

    def test_records_accepted_by_another_acceptance_meanwhile(self, reader: Reader) -> None:
        """Record 2 queued here and accepted meanwhile from another counter: the replay writes nothing new and
        ends in attention, naming the record; the first acceptance stands."""
        text = reader.download()
        package_id = json.loads(text)["package_id"]
        data = _filled(text)
        item = _queued_offline(reader, text, data, (2, DecisionKind.ACCEPT))
        reader.link(up=True)
        first = reader.rpc.send(ACCEPT_UPLOAD, _request(data, (2, DecisionKind.ACCEPT)), action=confirmed())
        assert [r.repeated for r in first.records] == [False]
        readings = reader.readings()
        refused = _settled(reader.start_sync(), item)
        assert refused.state is ItemState.ATTENTION
        assert (refused.last_error, refused.last_error_params) == (
            ErrorCode.HANDHELD_ACCEPTED_ELSEWHERE.value,
            {"package_id": package_id, "seqs": "2", "repeated": 1, "written": 0})
        assert reader.accepted(package_id) == [(2, "accept", first.records[0].reading_id)]
        assert reader.readings() == readings


class TestResultRefusal:
    """Which answers are refusals, without the server."""

    @staticmethod
    def _result(*repeated: bool) -> AcceptResult:
        at = dt.datetime(2026, 12, 6, 8, tzinfo=dt.UTC)
        return AcceptResult(package_id="p1", state=BookState.PARTLY_ACCEPTED, open_records=1, records=[
            AcceptedRecord(seq=seq, decision=DecisionKind.ACCEPT, reading_id=seq, accepted_at=at, repeated=flag)
            for seq, flag in enumerate(repeated, start=1)])

    def test_repeated_records_are_named(self) -> None:
        """All written: no refusal; some repeated: named and counted; many: the first twenty named."""
        assert refusal_in_result(self._result(False, False)) is None
        partly = refusal_in_result(self._result(False, True, True))
        assert partly is not None
        assert (partly.code, partly.params) == (ErrorCode.HANDHELD_ACCEPTED_ELSEWHERE,
                                                {"package_id": "p1", "seqs": "2, 3", "repeated": 2, "written": 1})
        many = refusal_in_result(self._result(*[True] * 25))
        assert many is not None
        assert str(many.params["seqs"]).endswith("20 …")
        assert many.params["repeated"] == 25

    def test_a_csv_summary_names_its_package_only(self) -> None:
        """A CSV carries no book: the summary names the package, the book and period stay empty."""
        row = {"package_id": "p9", "seq": "1", "customer_no": "C1", "asset_no": "M1", "read_at": "2026-11-20",
               "status": "实抄", "total": "1200.00", "rollover_confirmed": "0"}
        data = (",".join(CSV_COLUMNS) + "\n" + ",".join(row.get(c, "") for c in CSV_COLUMNS) + "\n").encode()
        summary: dict[str, Any] = accept_summary(_request(data, (1, DecisionKind.ACCEPT), (2, DecisionKind.REREAD)))
        assert summary == {"package_id": "p9", "book_code": None, "period": None, "file_name": "T01-B001.json",
                           "file_format": "csv", "records": 2, "accepted": 1, "rereads": 1}
