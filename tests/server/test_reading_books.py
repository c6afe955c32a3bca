"""books.* through the dispatcher on a real PostgreSQL: the hall's books, an assignment and each refusal, the
completion figures after a download and a partial accept, and one statement for 50 books."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from server.models.audit import AuditRecord
from server.models.readings import ReadingBook
from tests.factories import World
from tests.handheld.conftest import BOOK, PERIOD, b64, book, download, error_code, fill, ok, reader
from tests.reading_books_helpers import add_reader
from tests.rpc_helpers import Caller

__all__ = ["book", "reader"]


@pytest.fixture
def clerk(dispatcher: Any, book: str) -> Caller:
    """The billing clerk signed in at T0101 (hall T01), with book T01-B001 of reader1."""
    caller = Caller(dispatcher)
    assert caller.login("billing1").status == 200
    return caller


@pytest.fixture
def supervisor(dispatcher: Any, book: str) -> Caller:
    """Supervisor super1 signed in at T0101."""
    caller = Caller(dispatcher)
    assert caller.login("super1").status == 200
    return caller


def assign(clerk: Caller, **changes: Any) -> Any:
    """books.assign_book of T01-B001 to reader1, day 20, window 5, with ``changes``."""
    return clerk.call("books.assign_book", {"book_code": BOOK, "reader": "reader1", "reading_day": 20,
                                            "window_days": 5} | changes)


class TestListBooks:
    def test_lists_the_hall_books_with_state_and_readers(self, clerk: Caller, db: Session, world: World) -> None:
        """The clerk sees every book of the hall (not another hall's) with its reader and state, and the readers."""
        db.add(ReadingBook(code="T02-B001", name="二厅一段", hall_id=world.org["T02"], reader_id=None,
                           reading_day=10, window_days=3))
        db.add(ReadingBook(code="T01-B002", name="文三路二段", hall_id=world.org["T01"], reader_id=None,
                           reading_day=12, window_days=2))
        db.commit()
        add_reader(db, world, "reader2")
        page = ok(clerk.call("books.list_books", {"period": PERIOD}))
        assert [(b["book_code"], b["reader"], b["reading_day"], b["window_days"], b["customers"], b["state"])
                for b in page["books"]] == [("T01-B001", "reader1", 20, 5, 4, "not_sent"),
                                            ("T01-B002", None, 12, 2, 0, "not_sent")]
        assert [r["username"] for r in page["readers"]] == ["reader1", "reader2"]

    def test_shows_the_hand_over_state(self, clerk: Caller, reader: Caller) -> None:
        """After the reader's download the book is on the handheld with its package."""
        package_id = ok(reader.call("handheld.download_book", {"book_code": BOOK, "period": PERIOD}))["package_id"]
        row = ok(clerk.call("books.list_books", {"period": PERIOD}))["books"][0]
        assert (row["state"], row["package_id"]) == ("on_handheld", package_id)
        other = ok(clerk.call("books.list_books", {"period": PERIOD + 1}))["books"][0]
        assert (other["state"], other["package_id"]) == ("not_sent", None)


class TestAssignBook:
    def test_assigns_with_an_audit_record(self, clerk: Caller, db: Session, world: World) -> None:
        """The book gets the new reader, day and window; the audit record holds before and after."""
        add_reader(db, world, "reader2")
        row = ok(assign(clerk, reader="reader2", reading_day=25, window_days=0))
        assert (row["reader"], row["reading_day"], row["window_days"]) == ("reader2", 25, 0)
        db.expire_all()
        stored = db.get_one(ReadingBook, BOOK)
        assert (stored.reader_id, stored.reading_day, stored.window_days) == (world.users["reader2"], 25, 0)
        record = db.scalars(select(AuditRecord).where(AuditRecord.method == "books.assign_book")).one()
        assert record.target == f"reading-book:{BOOK}"
        assert record.before == {"reader": "reader1", "reading_day": 20, "window_days": 5}
        assert record.after == {"reader": "reader2", "reading_day": 25, "window_days": 0}

    def test_a_resend_with_the_same_key_answers_once(self, clerk: Caller, db: Session, world: World) -> None:
        """The same idempotency key answers the first result and writes one audit record."""
        add_reader(db, world, "reader2")
        body = {"book_code": BOOK, "reader": "reader2", "reading_day": 21, "window_days": 4}
        first = ok(clerk.call("books.assign_book", body, key="5f0c6a40-4a51-4d7e-9f0e-6f3c1c3b2a01"))
        again = ok(clerk.call("books.assign_book", body, key="5f0c6a40-4a51-4d7e-9f0e-6f3c1c3b2a01"))
        assert again == first
        db.expire_all()
        assert len(db.scalars(select(AuditRecord).where(AuditRecord.method == "books.assign_book")).all()) == 1

    @pytest.mark.parametrize(("changes", "code"), [
        ({"book_code": "T01-B999"}, "READING_BOOK_NOT_FOUND"),
        ({"book_code": "T02-B001"}, "READING_BOOK_NOT_FOUND"),
        ({"reader": "nobody"}, "READING_BOOK_READER_UNKNOWN"),
        ({"reader": "cashier1"}, "READING_BOOK_NOT_METER_READER"),
        ({"reader": "reader3"}, "READING_BOOK_READER_INACTIVE"),
        ({"reader": "reader9"}, "READING_BOOK_READER_OTHER_HALL"),
        ({"reading_day": 0}, "READING_BOOK_DAY_OUT_OF_RANGE"),
        ({"reading_day": 32}, "READING_BOOK_DAY_OUT_OF_RANGE"),
        ({"window_days": -1}, "READING_BOOK_WINDOW_OUT_OF_RANGE"),
        ({"window_days": 16}, "READING_BOOK_WINDOW_OUT_OF_RANGE"),
    ])
    def test_refusals_change_nothing(self, clerk: Caller, db: Session, world: World, changes: dict[str, Any],
                                     code: str) -> None:
        """Each bad assignment is refused with its code and leaves the book and the audit changes as they were."""
        db.add(ReadingBook(code="T02-B001", name="二厅一段", hall_id=world.org["T02"], reader_id=None,
                           reading_day=10, window_days=3))
        db.commit()
        add_reader(db, world, "reader3", active=False)
        add_reader(db, world, "reader9", hall="T02")
        answer = assign(clerk, **changes)
        assert error_code(answer) == code
        db.expire_all()
        stored = db.get_one(ReadingBook, BOOK)
        assert (stored.reader_id, stored.reading_day, stored.window_days) == (world.users["reader1"], 20, 5)
        assert db.scalars(select(AuditRecord).where(AuditRecord.method == "books.assign_book",
                                                 AuditRecord.refusal.is_(None))).all() == []

    def test_a_package_downloaded_before_a_change_stays_the_old_readers(
            self, clerk: Caller, reader: Caller, dispatcher: Any, db: Session, world: World) -> None:
        """After the book moves to reader2, reader1's package still validates and accepts for reader1 only; the
        book is reader2's to download."""
        document = fill(download(reader))
        add_reader(db, world, "reader2")
        ok(assign(clerk, reader="reader2"))
        report = ok(reader.call("handheld.validate_upload", {"content_b64": b64(document)}))
        assert report["errors"] == 0
        second = Caller(dispatcher)
        assert second.login("reader2").status == 200
        assert error_code(second.call("handheld.validate_upload", {"content_b64": b64(document)})) == \
            "HANDHELD_FOREIGN_READER"
        assert error_code(reader.call("handheld.download_book", {"book_code": BOOK, "period": PERIOD})) == \
            "HANDHELD_FOREIGN_BOOK"
        accepted = ok(reader.call("handheld.accept_upload", {"content_b64": b64(document),
                                                             "decisions": [{"seq": 1, "decision": "accept"}]}))
        assert accepted["state"] == "partly_accepted"
        assert [b["book_code"] for b in ok(second.call("handheld.list_books", {"period": PERIOD}))["books"]] == [BOOK]


class TestCompletion:
    def test_figures_after_a_download_and_a_partial_accept(self, supervisor: Caller, reader: Caller,
                                                           db: Session, world: World) -> None:
        """Four records sent; one accepted, one re-read ordered (an open anomaly), two not yet returned."""
        db.add(ReadingBook(code="T01-B002", name="文三路二段", hall_id=world.org["T01"], reader_id=None,
                           reading_day=12, window_days=2))
        db.commit()
        before = ok(supervisor.call("books.get_completion", {"period": PERIOD}))
        assert [(b["book_code"], b["records"], b["sent"], b["state"]) for b in before["books"]] == [
            ("T01-B001", 4, 0, "not_sent"), ("T01-B002", 0, 0, "not_sent")]
        document = fill(download(reader))
        document["records"][1]["reading"]["values"] = {"total": "1000.00"}  # below the previous reading
        decisions = [{"seq": 1, "decision": "accept"}, {"seq": 2, "decision": "reread"}]
        ok(reader.call("handheld.accept_upload", {"content_b64": b64(document), "decisions": decisions}))
        report = ok(supervisor.call("books.get_completion", {"period": PERIOD}))
        first = report["books"][0]
        assert {k: first[k] for k in ("customers", "records", "sent", "returned", "accepted", "anomalies_open",
                                      "state", "reader")} == {
            "customers": 4, "records": 4, "sent": 4, "returned": 2, "accepted": 1, "anomalies_open": 1,
            "state": "partly_accepted", "reader": "reader1"}
        assert [(r["reader"], r["books"], r["sent"], r["returned"], r["accepted"], r["anomalies_open"])
                for r in report["readers"]] == [("reader1", 1, 4, 2, 1, 1), (None, 1, 0, 0, 0, 0)]
        later = ok(supervisor.call("books.get_completion", {"period": PERIOD + 1}))["books"][0]
        assert (later["sent"], later["state"]) == (0, "not_sent")

    def test_a_reread_read_again_is_no_longer_open(self, supervisor: Caller, reader: Caller) -> None:
        """The re-read record of a second package, accepted, closes the anomaly; both packages count once."""
        document = fill(download(reader))
        ok(reader.call("handheld.accept_upload", {"content_b64": b64(document),
                                                  "decisions": [{"seq": 2, "decision": "reread"}]}))
        again = fill(download(reader))
        ok(reader.call("handheld.accept_upload", {"content_b64": b64(again),
                                                  "decisions": [{"seq": 2, "decision": "accept"}]}))
        row = ok(supervisor.call("books.get_completion", {"period": PERIOD}))["books"][0]
        assert (row["sent"], row["returned"], row["accepted"], row["anomalies_open"]) == (4, 1, 1, 0)

    def test_refuses_a_bad_period(self, supervisor: Caller) -> None:
        """A month 13 is refused with its code."""
        assert error_code(supervisor.call("books.get_completion", {"period": 202613})) == "READING_PERIOD_INVALID"

    def test_fifty_books_in_one_statement(self, supervisor: Caller, reader: Caller, db: Session, world: World,
                                          engine: Engine) -> None:
        """50 books: every book in the answer, read by one SELECT whatever the number of books."""
        for i in range(2, 51):
            db.add(ReadingBook(code=f"T01-B{i:03d}", name=f"段{i}", hall_id=world.org["T01"],
                               reader_id=world.users["reader1"], reading_day=1 + i % 28, window_days=i % 16))
        db.commit()
        download(reader)
        statements: list[str] = []

        def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
            if "reading_books" in statement:
                statements.append(statement)

        event.listen(engine, "before_cursor_execute", seen)
        try:
            report = ok(supervisor.call("books.get_completion", {"period": PERIOD}))
        finally:
            event.remove(engine, "before_cursor_execute", seen)
        assert len(report["books"]) == 50
        assert report["books"][0]["sent"] == 4
        assert sum(b["sent"] for b in report["books"]) == 4
        assert report["readers"] == [{"reader": "reader1", "reader_name": "抄表员甲", "books": 50, "customers": 4,
                                      "records": 4, "sent": 4, "returned": 0, "accepted": 0, "anomalies_open": 0}]
        assert len(statements) == 1
