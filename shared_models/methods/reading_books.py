"""Reading books RPCs (issue 13 items 1 and 7): the billing clerk's list and assignment, the supervisor's completion.

``books.list`` shows every reading book (抄表段) of the caller's hall with its reader, reading day (例日), window,
customers and this period's hand-over state, and the hall's meter readers a book can be given to;
``books.assign`` sets a book's reader, reading day and window; ``books.completion`` counts, per book and per
reader, the records sent out on handhelds, returned, accepted and with an anomaly still open (the definitions
are in ``server/services/reading_books.py`` and docs/reading-books.md).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from shared_models.handheld import BookState
from shared_models.methods.handheld import BookCodeField
from shared_models.methods.readings import PeriodField
from shared_models.roles import Perm
from shared_models.rpc import Model, Mutation, Query, register

#: The range of a reading day (例日) and of its window in days, as the table's checks hold them.
READING_DAY_MIN, READING_DAY_MAX = 1, 31
WINDOW_DAYS_MIN, WINDOW_DAYS_MAX = 0, 15
UsernameField = Annotated[str, Field(strict=True, min_length=1, max_length=64)]


class ListReadingBooksRequest(Model):
    """The hall's books with their state in ``period`` (the current month when not given)."""

    period: PeriodField | None = None


class ReaderRef(Model):
    """A meter reader of the hall a book can be assigned to."""

    username: str
    display_name: str


class ReadingBookRow(Model):
    """A book of the hall: its reader (None: nobody yet), reading day, window, customers and state."""

    book_code: str
    name: str
    reader: str | None
    reader_name: str | None
    reading_day: int
    window_days: int
    customers: int
    state: BookState
    package_id: str | None


class ReadingBookPage(Model):
    """The books of the caller's hall and the hall's active meter readers."""

    period: int
    books: list[ReadingBookRow]
    readers: list[ReaderRef]


class AssignBookRequest(Model):
    """A book's reader, reading day and window from now on (ranges checked by the service, with their codes)."""

    book_code: BookCodeField
    reader: UsernameField
    reading_day: Annotated[int, Field(strict=True)]
    window_days: Annotated[int, Field(strict=True)]


class CompletionRequest(Model):
    """The completion of the hall's books in ``period``."""

    period: PeriodField


class BookCompletion(Model):
    """One book in a period: records (meters in service now), how many were sent, returned, accepted, and
    how many anomalies are open."""

    book_code: str
    name: str
    reader: str | None
    reader_name: str | None
    customers: int
    records: int
    sent: int
    returned: int
    accepted: int
    anomalies_open: int
    state: BookState


class ReaderCompletion(Model):
    """The totals of one reader's books (``reader`` None: the books nobody is assigned)."""

    reader: str | None
    reader_name: str | None
    books: int
    customers: int
    records: int
    sent: int
    returned: int
    accepted: int
    anomalies_open: int


class CompletionReport(Model):
    """The hall's reading completion in a period, per book and per reader."""

    period: int
    books: list[BookCompletion]
    readers: list[ReaderCompletion]


LIST_READING_BOOKS = register(
    Query("books.list_books", ListReadingBooksRequest, ReadingBookPage, permission=Perm.BILLING,
          summary="Every reading book of the hall with its reader, reading day, window and this period's state.")
)
ASSIGN_BOOK = register(
    Mutation("books.assign_book", AssignBookRequest, ReadingBookRow, permission=Perm.BILLING,
             summary="Set a reading book's meter reader, reading day (例日) and window; audited.")
)
# Perm.APPROVE: the supervisor (班长) who answers for the day's readings, and the admin; a billing clerk sees each
# book's state in books.list_books, a meter reader only their own books (handheld.list_books).
GET_COMPLETION = register(
    Query("books.get_completion", CompletionRequest, CompletionReport, permission=Perm.APPROVE,
          summary="Reading completion per book and per reader in a period: sent, returned, accepted, anomalies.")
)
