"""Reading books (抄表段) of a hall: the billing clerk's list and assignment, the supervisor's completion figures.

A book is configuration, not a book of account: ``books.assign_book`` updates its ``reading_books`` row in place
(reader, reading day, window) and writes an audit record with the row before and after in the same transaction,
which is the whole history a book's assignment needs. A package downloaded before a change keeps the reader it
was issued to (``handheld_packages.reader_id``): that reader can still upload and accept it
(``server/services/handheld.py`` checks the package's reader, not the book's).

Completion (``books.get_completion``) counts *records*, one per meter, as the packages hold them, for every book
of the hall in one set-based statement (the packages' records expanded from their JSONB, joined to the
decisions of ``handheld_accepted``), per meter over all the period's packages of the book:

- ``records``: the meters in service of the book's open customers now (what a package would hold);
- ``sent``: meters in at least one package of the period (downloaded to a handheld);
- ``returned``: meters of which a record came back and was decided on (accepted, or a re-read ordered); an
  upload that was only validated writes nothing, so the tables do not know it;
- ``accepted``: meters of which a record was accepted (a reading written: as read, with a note or estimated);
- ``anomalies_open``: meters whose record the reader flagged and ordered re-read (the one decision the reader
  takes on a record with an open warning or error finding without accepting it) that have no reading of the
  period in the books yet (neither from a later package nor entered by hand); the findings themselves are not
  stored (validation writes nothing), so this is what the tables can tell.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Integer, and_, case, exists, func, literal, select, true
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session
from sqlalchemy.sql import column

from server.context import CallContext
from server.errors import AppError
from server.models.customers import Customer, Meter
from server.models.handheld import HandheldAccepted, HandheldBookState, HandheldPackage
from server.models.org import Counter
from server.models.readings import Reading, ReadingBook
from server.models.users import User
from shared_models.errors import ErrorCode
from shared_models.handheld import BookState, DecisionKind
from shared_models.methods.customers import CustomerStatus
from shared_models.methods.reading_books import (
    READING_DAY_MAX,
    READING_DAY_MIN,
    WINDOW_DAYS_MAX,
    WINDOW_DAYS_MIN,
    AssignBookRequest,
    BookCompletion,
    CompletionReport,
    CompletionRequest,
    ListReadingBooksRequest,
    ReaderCompletion,
    ReaderRef,
    ReadingBookPage,
    ReadingBookRow,
)
from shared_models.methods.readings import is_valid_period
from shared_models.roles import Role
from shared_models.rules.hall_time import business_date


def _hall_id(ctx: CallContext) -> int:
    """The hall of the counter the caller sits at: the books it shows and assigns are that hall's."""
    counter_id = ctx.require_actor().counter_id
    return int(ctx.session.execute(select(Counter.hall_id).where(Counter.id == counter_id)).scalar_one())


def _this_period(now: dt.datetime) -> int:
    today = business_date(now)
    return today.year * 100 + today.month


def _book_figures() -> Any:
    """Per book: its open customers and their meters in service (a subquery)."""
    return (select(Customer.book_code.label("book_code"),
                   func.count(func.distinct(Customer.id)).label("customers"),
                   func.count(Meter.id).label("records"))
            .select_from(Customer)
            .outerjoin(Meter, and_(Meter.customer_id == Customer.id, Meter.removed_on.is_(None)))
            .where(Customer.status != CustomerStatus.CLOSED)
            .group_by(Customer.book_code).subquery("figures"))


def _latest_states(period: int) -> Any:
    """Per book: the newest state row of ``period`` (a subquery)."""
    newest = func.row_number().over(partition_by=HandheldBookState.book_code,
                                    order_by=HandheldBookState.id.desc()).label("newest")
    ranked = (select(HandheldBookState.book_code, HandheldBookState.state, HandheldBookState.package_id, newest)
              .where(HandheldBookState.period == period).subquery("ranked"))
    return (select(ranked.c.book_code, ranked.c.state, ranked.c.package_id).where(ranked.c.newest == 1)
            .subquery("states"))


def _rows(session: Session, *, hall_id: int, period: int, book_code: str | None = None) -> list[ReadingBookRow]:
    """The hall's books (or one of them) with reader, figures and state, in one statement."""
    figures, states = _book_figures(), _latest_states(period)
    query = (select(ReadingBook.code, ReadingBook.name, User.username, User.display_name, ReadingBook.reading_day,
                    ReadingBook.window_days, func.coalesce(figures.c.customers, 0), states.c.state,
                    states.c.package_id)
             .outerjoin(User, User.id == ReadingBook.reader_id)
             .outerjoin(figures, figures.c.book_code == ReadingBook.code)
             .outerjoin(states, states.c.book_code == ReadingBook.code)
             .where(ReadingBook.hall_id == hall_id).order_by(ReadingBook.code))
    if book_code is not None:
        query = query.where(ReadingBook.code == book_code)
    return [ReadingBookRow(book_code=code, name=name, reader=reader, reader_name=reader_name, reading_day=day,
                           window_days=window, customers=customers,
                           state=BookState.NOT_SENT if state is None else BookState(state),
                           package_id=None if package_id is None else str(package_id))
            for code, name, reader, reader_name, day, window, customers, state, package_id in session.execute(query)]


def _readers(session: Session, hall_id: int) -> list[ReaderRef]:
    return [ReaderRef(username=username, display_name=name) for username, name in session.execute(
        select(User.username, User.display_name).where(User.role == Role.METER_READER, User.active.is_(True),
                                                       User.org_unit_id == hall_id).order_by(User.username))]


def list_books(*, ctx: CallContext, req: ListReadingBooksRequest) -> ReadingBookPage:
    """Every book of the caller's hall with its state in the period (this month when not given), and the hall's
    active meter readers."""
    period = req.period or _this_period(ctx.now)
    hall_id = _hall_id(ctx)
    return ReadingBookPage(period=period, books=_rows(ctx.session, hall_id=hall_id, period=period),
                           readers=_readers(ctx.session, hall_id))


def assign_book(*, ctx: CallContext, req: AssignBookRequest) -> ReadingBookRow:
    """Give a book of the hall to an active meter reader of the hall with a reading day and window; the row is
    configuration, updated in place with its before and after in the audit record (see the module's docstring)."""
    hall_id = _hall_id(ctx)
    book = ctx.session.get(ReadingBook, req.book_code, with_for_update=True)
    if book is None or book.hall_id != hall_id:
        raise AppError(ErrorCode.READING_BOOK_NOT_FOUND, book_code=req.book_code)
    if not READING_DAY_MIN <= req.reading_day <= READING_DAY_MAX:
        raise AppError(ErrorCode.READING_BOOK_DAY_OUT_OF_RANGE, reading_day=req.reading_day,
                       low=READING_DAY_MIN, high=READING_DAY_MAX)
    if not WINDOW_DAYS_MIN <= req.window_days <= WINDOW_DAYS_MAX:
        raise AppError(ErrorCode.READING_BOOK_WINDOW_OUT_OF_RANGE, window_days=req.window_days,
                       low=WINDOW_DAYS_MIN, high=WINDOW_DAYS_MAX)
    reader = ctx.session.scalars(select(User).where(User.username == req.reader)).one_or_none()
    if reader is None:
        raise AppError(ErrorCode.READING_BOOK_READER_UNKNOWN, reader=req.reader)
    if reader.role is not Role.METER_READER:
        raise AppError(ErrorCode.READING_BOOK_NOT_METER_READER, reader=reader.username, role=reader.role.value)
    if not reader.active:
        raise AppError(ErrorCode.READING_BOOK_READER_INACTIVE, reader=reader.username)
    if reader.org_unit_id != hall_id:
        raise AppError(ErrorCode.READING_BOOK_READER_OTHER_HALL, reader=reader.username, book_code=book.code)
    previous = None if book.reader_id is None else ctx.session.get_one(User, book.reader_id).username
    before = {"reader": previous, "reading_day": book.reading_day, "window_days": book.window_days}
    book.reader_id, book.reading_day, book.window_days = reader.id, req.reading_day, req.window_days
    ctx.session.flush()
    ctx.record(target=f"reading-book:{book.code}", before=before,
               after={"reader": reader.username, "reading_day": book.reading_day, "window_days": book.window_days})
    return _rows(ctx.session, hall_id=hall_id, period=_this_period(ctx.now), book_code=book.code)[0]


def _completion_query(*, hall_id: int, period: int) -> Any:
    """One statement: every book of the hall with its figures in ``period`` (see the module's docstring)."""
    element = func.jsonb_array_elements(HandheldPackage.payload["records"]).table_valued(
        column("value", JSONB)).alias("record")
    seq = element.c.value["seq"].astext.cast(Integer)
    records = (select(HandheldPackage.book_code.label("book_code"),
                      element.c.value["asset_no"].astext.label("asset_no"),
                      HandheldAccepted.decision.label("decision"))
               .select_from(HandheldPackage)
               .join(ReadingBook, ReadingBook.code == HandheldPackage.book_code)
               .join(element, true())
               .outerjoin(HandheldAccepted, and_(HandheldAccepted.package_id == HandheldPackage.id,
                                                 HandheldAccepted.seq == seq))
               .where(HandheldPackage.period == period, ReadingBook.hall_id == hall_id).cte("package_records"))
    decided = records.c.decision.is_not(None)
    accepted = and_(decided, records.c.decision != DecisionKind.REREAD.value)
    reread = records.c.decision == DecisionKind.REREAD.value
    meters = (select(records.c.book_code, records.c.asset_no,
                     func.bool_or(decided).label("returned"), func.bool_or(accepted).label("accepted"),
                     func.bool_or(reread).label("reread"))
              .group_by(records.c.book_code, records.c.asset_no).cte("record_meters"))
    read_in_period = exists().where(Meter.asset_no == meters.c.asset_no, Reading.meter_id == Meter.id,
                                    Reading.period == period)
    per_book = (select(meters.c.book_code,
                       func.count().label("sent"),
                       func.count().filter(meters.c.returned).label("returned"),
                       func.count().filter(meters.c.accepted).label("accepted"),
                       func.count().filter(and_(meters.c.reread, ~meters.c.accepted, ~read_in_period))
                       .label("anomalies_open"))
                .group_by(meters.c.book_code).subquery("per_book"))
    figures, states = _book_figures(), _latest_states(period)

    def zero(col: Any) -> Any:
        return func.coalesce(col, literal(0))

    return (select(ReadingBook.code, ReadingBook.name, User.username, User.display_name,
                   zero(figures.c.customers), zero(figures.c.records), zero(per_book.c.sent),
                   zero(per_book.c.returned), zero(per_book.c.accepted), zero(per_book.c.anomalies_open),
                   case((states.c.state.is_(None), BookState.NOT_SENT.value), else_=states.c.state))
            .outerjoin(User, User.id == ReadingBook.reader_id)
            .outerjoin(figures, figures.c.book_code == ReadingBook.code)
            .outerjoin(per_book, per_book.c.book_code == ReadingBook.code)
            .outerjoin(states, states.c.book_code == ReadingBook.code)
            .where(ReadingBook.hall_id == hall_id).order_by(ReadingBook.code))


_FIGURES = ("customers", "records", "sent", "returned", "accepted", "anomalies_open")


def get_completion(*, ctx: CallContext, req: CompletionRequest) -> CompletionReport:
    """The hall's books in a period with their completion figures, and the totals per reader (a book counts
    under the reader it is assigned to now)."""
    if not is_valid_period(req.period):
        raise AppError(ErrorCode.READING_PERIOD_INVALID, period=req.period)
    rows = ctx.session.execute(_completion_query(hall_id=_hall_id(ctx), period=req.period)).all()
    books = [BookCompletion(book_code=code, name=name, reader=reader, reader_name=reader_name,
                            state=BookState(state), **dict(zip(_FIGURES, (int(v) for v in figures), strict=True)))
             for code, name, reader, reader_name, *figures, state in rows]
    totals: dict[str | None, dict[str, Any]] = {}
    for book in books:
        total = totals.setdefault(book.reader, {"reader": book.reader, "reader_name": book.reader_name, "books": 0}
                                  | dict.fromkeys(_FIGURES, 0))
        total["books"] += 1
        for name in _FIGURES:
            total[name] += getattr(book, name)
    readers = [ReaderCompletion(**totals[key]) for key in sorted(totals, key=lambda k: (k is None, k or ""))]
    return CompletionReport(period=req.period, books=books, readers=readers)
