"""Handheld hand-over RPCs (issue 13): the reader's books, download a signed package, validate and accept uploads.

A download stores the package (its signed part and its HMAC key, encrypted with the PII cipher) and moves the
book to "on handheld". A returned file (JSON or CSV, bytes in base64) is read by
:func:`shared_models.handheld.read_upload`, its package found, the signature (JSON) and owner checked, and the
one validator (``server.handheld.validate``) gives the report; ``validate_upload`` writes nothing.
``accept_upload`` runs the same and then writes the decided records' readings with their audit records in the
call's transaction, each (package, sequence) once: a record decided before answers its first result.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Integer,
    Numeric,
    String,
    Uuid,
    bindparam,
    cast,
    column,
    func,
    insert,
    literal,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer

from server.context import CallContext
from server.errors import AppError
from server.handheld import signing
from server.handheld.package import book_meters, build_document
from server.handheld.validate import Checked, Decided, check_records, decision_allowed, estimate, validate
from server.models.handheld import HandheldAccepted, HandheldBookState, HandheldPackage
from server.models.readings import REGISTER_COLUMNS, Reading, ReadingBook
from server.models.users import User
from shared_models.errors import ErrorCode
from shared_models.handheld import (
    MAX_FILE_BYTES,
    BookState,
    DecisionKind,
    FileProblem,
    Upload,
    ValidationReport,
    read_upload,
)
from shared_models.methods.handheld import (
    AcceptedRecord,
    AcceptResult,
    AcceptUploadRequest,
    BookList,
    BookView,
    DownloadBookRequest,
    DownloadedBook,
    ListBooksRequest,
    ValidateUploadRequest,
)
from shared_models.methods.readings import ReadingSource, ReadingStatus, Register, is_valid_period
from shared_models.rules.hall_time import business_date


def _state(session: Session, book_code: str, period: int) -> HandheldBookState | None:
    return session.scalars(select(HandheldBookState).where(
        HandheldBookState.book_code == book_code, HandheldBookState.period == period)
        .order_by(HandheldBookState.id.desc()).limit(1)).first()


def list_books(*, ctx: CallContext, req: ListBooksRequest) -> BookList:
    """The signed-in reader's books with their state for the period (this month when not given)."""
    actor = ctx.require_actor()
    today = business_date(ctx.now)
    period = req.period or today.year * 100 + today.month
    books = ctx.session.scalars(select(ReadingBook).where(ReadingBook.reader_id == actor.user_id)
                                .order_by(ReadingBook.code))
    out = []
    for book in books:
        state = _state(ctx.session, book.code, period)
        package = None if state is None or state.package_id is None else ctx.session.get(
            HandheldPackage, state.package_id)
        accepted = 0 if package is None else ctx.session.scalar(select(func.count()).select_from(
            HandheldAccepted).where(HandheldAccepted.package_id == package.id,
                                    HandheldAccepted.decision != DecisionKind.REREAD)) or 0
        out.append(BookView(
            book_code=book.code, name=book.name, period=period, reading_day=book.reading_day,
            window_days=book.window_days, customers=book_meters(ctx.session, book.code),
            state=BookState.NOT_SENT if state is None else state.state,
            package_id=None if package is None else str(package.id), accepted_records=accepted,
            package_records=0 if package is None else package.records))
    return BookList(period=period, books=out)


def _own_book(ctx: CallContext, book_code: str) -> ReadingBook:
    book = ctx.session.get(ReadingBook, book_code, with_for_update={"key_share": True})
    if book is None:
        raise AppError(ErrorCode.HANDHELD_BOOK_NOT_FOUND, book_code=book_code)
    if book.reader_id != ctx.require_actor().user_id:
        raise AppError(ErrorCode.HANDHELD_FOREIGN_BOOK, book_code=book_code)
    return book


def download_book(*, ctx: CallContext, req: DownloadBookRequest) -> DownloadedBook:
    """A new signed package of the reader's book; the book moves to "on handheld" (a retry with the same
    idempotency key answers the same package)."""
    actor = ctx.require_actor()
    if not is_valid_period(req.period):
        raise AppError(ErrorCode.READING_PERIOD_INVALID, period=req.period)
    book = _own_book(ctx, req.book_code)
    state = _state(ctx.session, book.code, req.period)
    if state is not None and state.state is BookState.ACCEPTED:
        raise AppError(ErrorCode.HANDHELD_BOOK_ACCEPTED, book_code=book.code, period=req.period)
    package_id = uuid.uuid4()
    key_id, key = signing.new_key()
    document = build_document(ctx.session, book=book, period=req.period, reader=actor.username,
                              package_id=str(package_id), key_id=key_id, generated_at=ctx.now)
    ctx.session.add(HandheldPackage(
        id=package_id, book_code=book.code, period=req.period, reader_id=actor.user_id, key_id=key_id,
        key_enc=ctx.pii.encrypt(base64.b64encode(key).decode()), payload=document,
        records=len(document["records"]), generated_at=ctx.now))
    ctx.session.flush()
    ctx.session.add(HandheldBookState(book_code=book.code, period=req.period, state=BookState.ON_HANDHELD,
                                      package_id=package_id, changed_by=actor.user_id))
    ctx.record(target=f"handheld:{package_id}", before=None,
               after={"book": book.code, "period": req.period, "reader": actor.username, "key_id": key_id,
                      "records": len(document["records"]), "state": BookState.ON_HANDHELD.value})
    signed = document | {"hmac": signing.sign(document, key)}
    import json  # only here: the file text, readable (indented, Chinese as is)
    text = json.dumps(signed, ensure_ascii=False, indent=1)
    return DownloadedBook(package_id=str(package_id), file_name=f"{book.code}-{req.period}-{key_id}.json",
                          text=text, records=len(document["records"]))


def _upload(ctx: CallContext, content_b64: str, *, lock: bool) -> tuple[Upload, HandheldPackage]:
    """Read the file and find its package; every refusal of the file as a whole."""
    if len(content_b64) > (MAX_FILE_BYTES + 2) // 3 * 4 + 8:  # the schema's cap, again before decoding
        raise AppError(ErrorCode.HANDHELD_FILE_TOO_LARGE, size=len(content_b64) // 4 * 3, limit=MAX_FILE_BYTES)
    try:
        data = base64.b64decode(content_b64, validate=False)
    except (binascii.Error, ValueError):
        raise AppError(ErrorCode.HANDHELD_FILE_DAMAGED, line=0, field="content_b64") from None
    try:
        upload = read_upload(data)
    except FileProblem as problem:
        error = AppError(ErrorCode(f"HANDHELD_{problem.code.value}"))
        error.params.update(problem.params)
        raise error from None
    try:
        package_id = uuid.UUID(upload.package_id)
    except ValueError:
        raise AppError(ErrorCode.HANDHELD_PACKAGE_UNKNOWN, package_id=upload.package_id[:40]) from None
    # The stored document stays in PostgreSQL: the validator reads the keys it needs of each record there.
    package = ctx.session.get(HandheldPackage, package_id, with_for_update=lock or None,
                              options=[defer(HandheldPackage.payload)])
    if package is None:
        raise AppError(ErrorCode.HANDHELD_PACKAGE_UNKNOWN, package_id=str(package_id))
    if upload.document is not None:
        key = base64.b64decode(ctx.pii.decrypt(package.key_enc))
        if (upload.document.get("key_id") != package.key_id or not signing.verify(upload.document, key)):
            raise AppError(ErrorCode.HANDHELD_SIGNATURE_INVALID, package_id=str(package_id))
    if package.reader_id != ctx.require_actor().user_id:
        reader = ctx.session.get_one(User, package.reader_id)
        raise AppError(ErrorCode.HANDHELD_FOREIGN_READER, package_id=str(package_id), reader=reader.username)
    return upload, package


def _refuse_accepted_book(ctx: CallContext, package: HandheldPackage) -> None:
    """A package of a book whose period another package completed is refused as a whole (its readings are
    in the books already)."""
    state = _state(ctx.session, package.book_code, package.period)
    if state is not None and state.state is BookState.ACCEPTED and state.package_id != package.id:
        raise AppError(ErrorCode.HANDHELD_BOOK_ACCEPTED, book_code=package.book_code, period=package.period)


def validate_upload(*, ctx: CallContext, req: ValidateUploadRequest) -> ValidationReport:
    """The validation report of a returned file; writes nothing. A package whose every record was decided
    is refused (a second upload), so is a package of a book another package completed."""
    upload, package = _upload(ctx, req.content_b64, lock=False)
    _refuse_accepted_book(ctx, package)
    report, records = validate(ctx.session, upload=upload, package=package, today=business_date(ctx.now))
    if records and all(r.decided is not None for r in records.values()):
        raise AppError(ErrorCode.HANDHELD_PACKAGE_ACCEPTED, package_id=str(package.id))
    return report


def accept_upload(*, ctx: CallContext, req: AcceptUploadRequest) -> AcceptResult:
    """Write the decided records of a returned file in this transaction: each reading with its audit record,
    the decision keyed by (package, sequence), the book's new state. Decisions are all checked first; a refusal
    writes nothing. A record decided before answers its first result (``repeated``)."""
    actor = ctx.require_actor()
    upload, package = _upload(ctx, req.content_b64, lock=True)
    _refuse_accepted_book(ctx, package)
    records = check_records(ctx.session, upload=upload, package=package, today=business_date(ctx.now))
    _check_decisions(req, records)
    writes: list[tuple[Any, Checked, dict[str, Any] | None, str | None]] = []
    today = business_date(ctx.now)
    for decision in req.decisions:
        checked = records[decision.seq]
        if checked.decided is not None:
            continue
        note = (decision.note or "").strip() or (checked.note.strip() or None)
        row = None if decision.decision is DecisionKind.REREAD else _reading(
            checked, decision.decision, period=package.period, today=today, user_id=actor.user_id)
        writes.append((decision, checked, row, note[:200] if note else None))
    rows = [row for _, _, row, _ in writes if row is not None]
    try:  # one statement for the book's readings (arrays unnested), the ids back by meter
        ids = _insert_readings(ctx.session, rows)
    except IntegrityError:  # a reading of the period entered meanwhile (the checks saw none): nothing written
        raise AppError(ErrorCode.READING_EXISTS, asset_no="", period=package.period, reading_id=0) from None
    decided_rows: list[tuple[int, DecisionKind, int | None, str | None]] = []
    for decision, checked, row, note in writes:
        reading_id = None if row is None else ids[checked.meter.id]
        decided_rows.append((checked.seq, decision.decision, reading_id, note))
        checked.decided = Decided(decision=decision.decision, reading_id=reading_id, accepted_at=ctx.now)
        ctx.record(target=f"handheld:{package.id}:{checked.seq}", before=None, after={
            "decision": decision.decision.value, "note": note, "customer_no": checked.customer.customer_no,
            "asset_no": checked.meter.asset_no, "reading_id": reading_id, "period": package.period,
            "reader": actor.username,
            **({} if row is None else {"status": row["status"].value, "read_on": row["read_on"].isoformat(),
                                       "values": {k: str(row[k]) for k in REGISTER_COLUMNS if row[k] is not None}})})
    if decided_rows:
        _insert_decided(ctx.session, package.id, decided_rows, accepted_by=actor.user_id, accepted_at=ctx.now)
    results: list[AcceptedRecord] = []
    written = {checked.seq for _, checked, _, _ in writes}
    for decision in req.decisions:
        first = records[decision.seq].decided
        assert first is not None
        results.append(AcceptedRecord(seq=decision.seq, decision=first.decision, reading_id=first.reading_id,
                                      accepted_at=first.accepted_at, repeated=decision.seq not in written))
    state = _new_state(ctx, package, records, wrote=bool(writes))
    open_records = sum(1 for c in records.values() if c.decided is None or c.decided.decision is DecisionKind.REREAD)
    return AcceptResult(package_id=str(package.id), state=state, records=results, open_records=open_records)


_READING_TYPES: dict[str, Any] = {"meter_id": BigInteger, "period": Integer, "read_on": Date, "status": String,
                                  "rollover_confirmed": Boolean, **dict.fromkeys(REGISTER_COLUMNS, Numeric)}


def _unnested(columns: dict[str, tuple[list[Any], Any]]) -> Any:
    """``unnest(CAST(:a AS t[]), …) AS u(a, …)``: rows given as one array parameter per column."""
    return func.unnest(*(cast(bindparam(name, values), ARRAY(type_)) for name, (values, type_) in columns.items())
                       ).table_valued(*(column(name, type_) for name, (_, type_) in columns.items())
                                      ).render_derived(name="u")


def _insert_readings(session: Session, rows: list[dict[str, Any]]) -> dict[int, int]:
    """Insert the readings in one statement (the same source and reader for all); their ids by meter (a package
    has one record per meter)."""
    if not rows:
        return {}
    source = _unnested({name: ([r[name].value if name == "status" else r[name] for r in rows], type_)
                        for name, type_ in _READING_TYPES.items()})
    names = list(_READING_TYPES)
    stmt = insert(Reading).from_select(
        [*names, "source", "entered_by"],
        select(*(source.c[name] for name in names), literal(rows[0]["source"].value, String),
               literal(rows[0]["entered_by"], BigInteger))).returning(Reading.meter_id, Reading.id)
    return {meter_id: reading_id for meter_id, reading_id in session.execute(stmt)}


def _insert_decided(session: Session, package_id: uuid.UUID, rows: list[tuple[int, DecisionKind, int | None,
                                                                              str | None]],
                    *, accepted_by: int, accepted_at: dt.datetime) -> None:
    """The ``handheld_accepted`` rows of the decided records, in one statement."""
    source = _unnested({"seq": ([r[0] for r in rows], Integer), "decision": ([r[1].value for r in rows], String),
                        "reading_id": ([r[2] for r in rows], BigInteger), "note": ([r[3] for r in rows], String)})
    session.execute(insert(HandheldAccepted).from_select(
        ["package_id", "seq", "decision", "reading_id", "note", "accepted_by", "accepted_at"],
        select(literal(package_id, Uuid), source.c.seq, source.c.decision, source.c.reading_id, source.c.note,
               literal(accepted_by, BigInteger), literal(accepted_at, DateTime(timezone=True)))))


def _check_decisions(req: AcceptUploadRequest, records: dict[int, Checked]) -> None:
    """Every decision names a record once, has its note, and is allowed by the record's findings."""
    seen: set[int] = set()
    for decision in req.decisions:
        if decision.seq in seen:
            raise AppError(ErrorCode.HANDHELD_DECISION_DUPLICATE, seq=decision.seq)
        seen.add(decision.seq)
        checked = records.get(decision.seq)
        if checked is None:
            raise AppError(ErrorCode.HANDHELD_DECISION_UNKNOWN_RECORD, seq=decision.seq)
        if checked.decided is not None:
            continue
        if decision.decision is DecisionKind.ACCEPT_WITH_NOTE and not (decision.note or "").strip():
            raise AppError(ErrorCode.HANDHELD_DECISION_NOTE_MISSING, seq=decision.seq)
        refusal = decision_allowed(checked, decision.decision)
        if refusal is not None:
            raise AppError(ErrorCode.HANDHELD_DECISION_REFUSED, seq=decision.seq,
                           customer_no=checked.customer.customer_no, finding=refusal.code.value,
                           field=refusal.field or (refusal.anomaly.value if refusal.anomaly else ""))


def _reading(checked: Checked, decision: DecisionKind, *, period: int, today: Any, user_id: int) -> dict[str, Any]:
    """The row of the reading a decision writes: as read, or 估抄 by the previous consumption."""
    values, status, rollover = checked.values, checked.status, checked.rollover_confirmed
    if decision is DecisionKind.ESTIMATE:
        found = estimate(checked, period)
        if found is None:
            raise AppError(ErrorCode.HANDHELD_ESTIMATE_UNAVAILABLE, seq=checked.seq,
                           customer_no=checked.customer.customer_no)
        values, status, rollover = found, ReadingStatus.ESTIMATED, False
    assert status is not None  # decision_allowed refused a record without a status
    return {"meter_id": checked.meter.id, "period": period, "read_on": checked.read_on or today, "status": status,
            "source": ReadingSource.HANDHELD, "rollover_confirmed": rollover, "entered_by": user_id,
            **{column: values.get(Register(column)) for column in REGISTER_COLUMNS}}


def _new_state(ctx: CallContext, package: HandheldPackage, records: dict[int, Checked], *, wrote: bool) -> BookState:
    """The book's state after the decisions (a new state row when it changed)."""
    decided = [c.decided for c in records.values() if c.decided is not None]
    accepted = [d for d in decided if d.decision is not DecisionKind.REREAD]
    if len(accepted) == len(records):
        state = BookState.ACCEPTED
    elif accepted:
        state = BookState.PARTLY_ACCEPTED
    else:
        state = BookState.RETURNED
    current = _state(ctx.session, package.book_code, package.period)
    if wrote and (current is None or current.state is not state or current.package_id != package.id):
        ctx.session.add(HandheldBookState(book_code=package.book_code, period=package.period, state=state,
                                          package_id=package.id, changed_by=ctx.require_actor().user_id))
        ctx.record(target=f"handheld-book:{package.book_code}:{package.period}",
                   before=None if current is None else {"state": current.state.value},
                   after={"state": state.value, "package_id": str(package.id)})
    return state
