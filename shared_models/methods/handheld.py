"""Handheld hand-over RPCs (issue 13, SPEC C6 §6.1): the reader's books, download a package, validate and accept.

``handheld.validate_upload`` reads a returned file (the package JSON or a CSV, base64 so the server sees the bytes
and their encoding) and answers the :class:`~shared_models.handheld.ValidationReport`, writing nothing;
``handheld.accept_upload`` takes the same file with the reader's decisions and writes the accepted readings in one
transaction. Both carry files up to ``MAX_FILE_BYTES``; their request limit (``max_request_bytes``) is raised to
fit one base64-encoded file and nothing more.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Final

from pydantic import Field

from shared_models.handheld import MAX_FILE_BYTES, BookState, Decision, DecisionKind, ValidationReport
from shared_models.methods.readings import PeriodField
from shared_models.roles import Perm
from shared_models.rpc import Model, Mutation, Query, register

#: base64 of the largest file, and room for the rest of the request.
UPLOAD_REQUEST_BYTES: Final = (MAX_FILE_BYTES + 2) // 3 * 4 + 64 * 1024
BookCodeField = Annotated[str, Field(strict=True, min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")]
#: The file's bytes, base64 (the cap is checked on the decoded bytes; the pattern keeps it base64).
FileB64Field = Annotated[str, Field(strict=True, max_length=(MAX_FILE_BYTES + 2) // 3 * 4 + 8,
                                    pattern=r"^[A-Za-z0-9+/\r\n]*={0,2}\s*$")]


class ListBooksRequest(Model):
    """The reader's books for a period (the current month when not given)."""

    period: PeriodField | None = None


class BookView(Model):
    """A book of the reader: its reading day and window, its customers and where it stands."""

    book_code: str
    name: str
    period: int
    reading_day: int
    window_days: int
    customers: int
    state: BookState
    package_id: str | None
    accepted_records: int
    package_records: int


class BookList(Model):
    """The books of the signed-in reader."""

    period: int
    books: list[BookView]


class DownloadBookRequest(Model):
    """A new package of a book for a period."""

    book_code: BookCodeField
    period: PeriodField


class DownloadedBook(Model):
    """The package as the file holds it (UTF-8 JSON text, signed) and its name."""

    package_id: str
    file_name: str
    text: str
    records: int


class ValidateUploadRequest(Model):
    """A returned file: the package JSON or a CSV, as bytes in base64."""

    file_name: Annotated[str, Field(strict=True, max_length=200)] = ""
    content_b64: FileB64Field


class AcceptUploadRequest(Model):
    """A returned file and the reader's decision on each record to accept now (the rest stays open)."""

    file_name: Annotated[str, Field(strict=True, max_length=200)] = ""
    content_b64: FileB64Field
    decisions: Annotated[list[Decision], Field(min_length=1, max_length=100_000)]


class AcceptedRecord(Model):
    """What became of a record: the decision and the reading written (None for a re-read)."""

    seq: int
    decision: DecisionKind
    reading_id: int | None
    accepted_at: dt.datetime
    #: True when the record had been accepted before: this is the first result, nothing new was written.
    repeated: bool


class AcceptResult(Model):
    """The records decided and the book's state after the call."""

    package_id: str
    state: BookState
    records: list[AcceptedRecord]
    open_records: int


LIST_BOOKS = register(
    Query("handheld.list_books", ListBooksRequest, BookList, permission=Perm.READINGS,
          summary="The signed-in reader's reading books of a period with their hand-over state.")
)
DOWNLOAD_BOOK = register(
    Mutation("handheld.download_book", DownloadBookRequest, DownloadedBook, permission=Perm.READINGS,
             summary="A signed gridcounter.book/1 package of a book for its reader (a new package and key).")
)
VALIDATE_UPLOAD = register(
    Query("handheld.validate_upload", ValidateUploadRequest, ValidationReport, permission=Perm.READINGS,
          max_request_bytes=UPLOAD_REQUEST_BYTES,
          summary="The validation report of a returned package (JSON) or CSV; writes nothing.")
)
ACCEPT_UPLOAD = register(
    Mutation("handheld.accept_upload", AcceptUploadRequest, AcceptResult, permission=Perm.READINGS,
             max_request_bytes=UPLOAD_REQUEST_BYTES,
             summary="Accept the decided records of a returned file: their readings in one transaction, once.")
)
