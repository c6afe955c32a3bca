"""What the counters' outboxes report and what the supervisor does about it (SPEC §5).

Items needing attention come from two places:

* ``offline_attention``: outbox items the server refused on replay after the money was taken (the customer
  was closed meanwhile, …), reported by the counter with ``sync.report_attention``. One row per original
  item, keyed by the item's own idempotency key: a second report (a retry, or a second PC replaying the
  same outbox file) returns the first.
* payments accepted offline whose bills were paid elsewhere meanwhile: booked, with the money going to
  prepayment (``payments.redirected_to_prepayment_fen > 0``). Never refused, but the supervisor must know.
* payments accepted offline whose taken-at time broke the as-of rules (``payments.late_fee_as_of_rule``):
  booked with the late fee to the booking day, not the counter's; listed with both dates (``late_fee_day``,
  which wins over ``redirected`` when both apply: one item per payment).
* actions replayed from a counter's outbox whose supervisor co-sign was verified at the counter
  (``attested_cosigns``, written by ``attested.record_attested``): booked, listed for review.

Both are named by the original idempotency key. A supervisor acknowledges an item with a note: one
``attention_acknowledgements`` row, never updated, so a second acknowledgement is refused. Scope: the hall
of the counter the caller sits at; a cashier (no APPROVE) sees only their counter's items.

A damaged outbox file set aside at a counter (``client.core.outbox.DamageReport``) is acknowledged with a
supervisor's co-sign (``sync.acknowledge_damaged_outbox``): one ``damaged_outbox_acks`` row per counter and
set of files, so a retry after a lost answer returns the first acknowledgement.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any, Final

from sqlalchemy import (
    CTE,
    BigInteger,
    ColumnElement,
    CompoundSelect,
    Date,
    Row,
    Select,
    String,
    case,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import aliased

from server.context import Actor, CallContext
from server.errors import AppError
from server.models.customers import Customer
from server.models.offline import AttentionAcknowledgement, AttestedCosign, DamagedOutboxRecord, OfflineAttention
from server.models.org import Counter
from server.models.payments import Payment, Shift
from server.models.users import User
from server.services.shifts import check_cosigner_in_scope
from shared_models.errors import ErrorCode
from shared_models.methods.payments import PAY
from shared_models.methods.sync import (
    AcknowledgeAttentionRequest,
    AcknowledgeDamagedOutboxRequest,
    AttentionItem,
    AttentionKind,
    AttentionPage,
    DamagedFile,
    DamagedOutboxAck,
    ListAttentionRequest,
    ReportAttentionRequest,
)
from shared_models.roles import ROLE_PERMISSIONS, Perm
from shared_models.rules.hall_time import as_hall_time, business_date
from shared_models.rules.receipt_numbers import parse_receipt_no

_REFUSED: Final = "refused"
_ATTESTED: Final = "attested"


def _payment_kind() -> ColumnElement[str]:
    """An offline payment's item kind: the late-fee day wins over the money redirected to prepayment."""
    return case((Payment.late_fee_as_of_rule.is_not(None), literal("late_fee_day")), else_=literal("redirected"))


#: Offline payments that are items: their money went to prepayment, or their late fee to the booking day.
_PAYMENT_IS_ITEM: Final = or_(Payment.redirected_to_prepayment_fen > 0, Payment.late_fee_as_of_rule.is_not(None))


def _items(*, hall_id: int | None, counter_id: int | None) -> CTE:
    """Every item of a scope (a hall, or else a counter), as one row shape: reported refusals, offline
    payments (``_PAYMENT_IS_ITEM``) and co-signs verified at the counter."""
    taker, cosigner = aliased(User, name="au"), aliased(User, name="cu")
    refused = (
        select(
            literal(_REFUSED, String).label("kind"), OfflineAttention.item_key, OfflineAttention.method,
            OfflineAttention.receipt_no, OfflineAttention.customer_no, OfflineAttention.amount_fen,
            Counter.code.label("counter_code"), OfflineAttention.taken_by, OfflineAttention.shift_no,
            OfflineAttention.local_time, OfflineAttention.reported_at.label("recorded_at"), OfflineAttention.error_code,
            OfflineAttention.error_params, cast(literal(0), BigInteger).label("redirected_fen"),
            cast(null(), Date).label("late_fee_as_of"), cast(null(), String).label("as_of_rule"),
            cast(null(), String).label("cosigned_by"),
        )
        .join(Counter, Counter.id == OfflineAttention.counter_id)
        .where(OfflineAttention.hall_id == hall_id if hall_id is not None
               else OfflineAttention.counter_id == counter_id)
    )
    payments = (
        select(
            _payment_kind(), Payment.idempotency_key, literal(PAY.name, String), Payment.receipt_no,
            Customer.customer_no, Payment.amount_fen, Counter.code, User.username, Shift.shift_no, Payment.local_time,
            Payment.paid_at, null(), null(), Payment.redirected_to_prepayment_fen, Payment.late_fee_as_of,
            Payment.late_fee_as_of_rule, null(),
        )
        .join(Counter, Counter.id == Payment.counter_id)
        .join(Customer, Customer.id == Payment.customer_id)
        .join(User, User.id == Payment.user_id)
        .join(Shift, Shift.id == Payment.shift_id)
        .where(_PAYMENT_IS_ITEM,
               Counter.hall_id == hall_id if hall_id is not None else Payment.counter_id == counter_id)
    )
    attested = (
        select(
            literal(_ATTESTED, String), AttestedCosign.item_key, AttestedCosign.method, AttestedCosign.receipt_no,
            null(), AttestedCosign.amount_fen, Counter.code, taker.username, AttestedCosign.shift_no,
            AttestedCosign.verified_at, AttestedCosign.recorded_at, null(), null(), literal(0), null(), null(),
            cosigner.username,
        )
        .join(Counter, Counter.id == AttestedCosign.counter_id)
        .join(taker, taker.id == AttestedCosign.actor_id)
        .join(cosigner, cosigner.id == AttestedCosign.cosigner_id)
        .where(AttestedCosign.hall_id == hall_id if hall_id is not None else AttestedCosign.counter_id == counter_id)
    )
    return union_all(refused, payments, attested).cte("items")


def _items_page(*, hall_id: int | None, counter_id: int | None, include_acknowledged: bool, limit: int,
                item_key: str | None) -> Select[Any]:
    """A scope's items with their acknowledgement, unacknowledged first; ``open_total`` counts the scope's
    unacknowledged items before the limit."""
    items = _items(hall_id=hall_id, counter_id=counter_id)
    ack, by = aliased(AttentionAcknowledgement, name="ack"), aliased(User, name="by")
    stmt = (
        select(
            items, ack.id.is_not(None).label("acknowledged"), by.username.label("acknowledged_by"),
            ack.acknowledged_at, ack.note, func.count().filter(ack.id.is_(None)).over().label("open_total"),
        )
        .outerjoin(ack, ack.item_key == items.c.item_key)
        .outerjoin(by, by.id == ack.acknowledged_by)
        .order_by(ack.id.is_not(None), items.c.recorded_at.desc(), items.c.item_key)
        .limit(limit)
    )
    if not include_acknowledged:
        stmt = stmt.where(ack.id.is_(None))
    if item_key is not None:
        stmt = stmt.where(items.c.item_key == item_key)
    return stmt


def _find_item(item_key: str) -> CompoundSelect[str, int]:
    """Where an item lives, whatever the caller's scope: (kind, hall)."""
    return union_all(
        select(literal(_REFUSED, String).label("kind"), OfflineAttention.hall_id)
        .where(OfflineAttention.item_key == item_key),
        select(_payment_kind(), Counter.hall_id).join(Counter, Counter.id == Payment.counter_id)
        .where(_PAYMENT_IS_ITEM, Payment.idempotency_key == item_key),
        select(literal(_ATTESTED, String), AttestedCosign.hall_id).where(AttestedCosign.item_key == item_key),
    ).limit(1)


def _hall_id(ctx: CallContext, actor: Actor) -> int:
    """The hall of the counter the caller sits at."""
    return int(ctx.session.execute(select(Counter.hall_id).where(Counter.id == actor.counter_id)).scalar_one())


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    return None if moment is None else as_hall_time(moment)


def _item(row: Row[Any]) -> AttentionItem:
    kind = AttentionKind(row.kind)
    return AttentionItem(
        kind=kind, item_key=row.item_key, method=row.method, receipt_no=row.receipt_no, customer_no=row.customer_no,
        amount_fen=int(row.amount_fen), counter_code=row.counter_code, taken_by=row.taken_by, shift_no=row.shift_no,
        local_time=row.local_time, recorded_at=row.recorded_at,
        error_code=ErrorCode(row.error_code) if row.error_code is not None else None,
        error_params=dict(row.error_params or {}), redirected_to_prepayment_fen=int(row.redirected_fen),
        acknowledged_by=row.acknowledged_by, acknowledged_at=row.acknowledged_at, note=row.note,
        taken_on=business_date(row.local_time) if row.local_time is not None else None,
        late_fee_as_of=row.late_fee_as_of, as_of_rule=row.as_of_rule,
        cosigned_by=row.cosigned_by,
    )


def _query(ctx: CallContext, *, scope_hall: int | None, scope_counter: int | None, include_acknowledged: bool,
           limit: int, item_key: str | None = None) -> list[Row[Any]]:
    return list(ctx.session.execute(_items_page(hall_id=scope_hall, counter_id=scope_counter,
                                                include_acknowledged=include_acknowledged, limit=limit,
                                                item_key=item_key)))


def _one(ctx: CallContext, *, hall_id: int, item_key: str) -> AttentionItem:
    rows = _query(ctx, scope_hall=hall_id, scope_counter=None, include_acknowledged=True, limit=1, item_key=item_key)
    if not rows:  # pragma: no cover - callers found the item in this hall first
        raise AppError(ErrorCode.ATTENTION_NOT_FOUND, item_key=item_key)
    return _item(rows[0])


def report_attention(*, ctx: CallContext, req: ReportAttentionRequest) -> AttentionItem:
    """Store an item refused on replay (once per item); a second report returns the first."""
    actor = ctx.require_actor()
    hall_id = _hall_id(ctx, actor)
    item_key = req.item_key.lower()
    taker = ctx.session.scalar(select(exists().where(User.username == req.taken_by)))
    if not taker:  # the outbox item's user: one who signed in at a counter, so one the server knows
        raise AppError(ErrorCode.USER_NOT_FOUND, username=req.taken_by)
    if req.receipt_no is not None:
        counter = parse_receipt_no(req.receipt_no)[0]
        same_hall = ctx.session.scalar(select(exists().where(Counter.code == counter, Counter.hall_id == hall_id)))
        if not same_hall:
            raise AppError(ErrorCode.RECEIPT_NO_INVALID, receipt_no=req.receipt_no)
    inserted = ctx.session.execute(
        insert(OfflineAttention).values(
            item_key=item_key, method=req.method, receipt_no=req.receipt_no, customer_no=req.customer_no,
            amount_fen=req.amount_fen, error_code=req.error_code.value, error_params=req.error_params,
            taken_by=req.taken_by, shift_no=req.shift_no, local_time=_aware(req.local_time), offline=req.offline,
            counter_id=actor.counter_id, hall_id=hall_id, reported_by=actor.user_id, reported_at=ctx.now,
        ).on_conflict_do_nothing(index_elements=["item_key"]).returning(OfflineAttention.id)
    ).scalar_one_or_none()
    if inserted is None:  # reported before (a retry, or another PC replaying the same outbox file)
        first_hall = ctx.session.execute(
            select(OfflineAttention.hall_id).where(OfflineAttention.item_key == item_key)
        ).scalar_one()
        if first_hall != hall_id:
            raise AppError(ErrorCode.ATTENTION_OTHER_HALL, item_key=item_key)
        return _one(ctx, hall_id=hall_id, item_key=item_key)
    ctx.record(target=f"attention:{item_key}", after={
        "method": req.method, "receipt_no": req.receipt_no, "customer_no": req.customer_no,
        "amount_fen": req.amount_fen, "error_code": req.error_code.value, "taken_by": req.taken_by,
        "offline": req.offline,
    })
    return _one(ctx, hall_id=hall_id, item_key=item_key)


def list_attention(*, ctx: CallContext, req: ListAttentionRequest) -> AttentionPage:
    """The caller's hall's items (a supervisor) or counter's (a cashier), unacknowledged first."""
    actor = ctx.require_actor()
    if Perm.APPROVE in ROLE_PERMISSIONS[actor.role]:
        rows = _query(ctx, scope_hall=_hall_id(ctx, actor), scope_counter=None,
                      include_acknowledged=req.include_acknowledged, limit=req.limit)
    else:
        rows = _query(ctx, scope_hall=None, scope_counter=actor.counter_id,
                      include_acknowledged=req.include_acknowledged, limit=req.limit)
    return AttentionPage(items=[_item(r) for r in rows], unacknowledged=int(rows[0].open_total) if rows else 0)


def acknowledge_attention(*, ctx: CallContext, req: AcknowledgeAttentionRequest) -> AttentionItem:
    """A supervisor of the item's hall acknowledges it, once, with a note."""
    actor = ctx.require_actor()
    hall_id = _hall_id(ctx, actor)
    item_key = req.item_key.lower()
    found = ctx.session.execute(_find_item(item_key)).one_or_none()
    if found is None:
        raise AppError(ErrorCode.ATTENTION_NOT_FOUND, item_key=item_key)
    if found.hall_id != hall_id:
        raise AppError(ErrorCode.ATTENTION_OTHER_HALL, item_key=item_key)
    note = req.note.strip()
    if len(note) < 2:  # the contract's minimum, after trimming
        raise AppError(ErrorCode.INVALID_REQUEST, field="note", problem="string_too_short")
    inserted = ctx.session.execute(
        insert(AttentionAcknowledgement).values(
            item_key=item_key, kind=found.kind, hall_id=hall_id, acknowledged_by=actor.user_id,
            acknowledged_at=ctx.now, note=note,
        ).on_conflict_do_nothing(index_elements=["item_key"]).returning(AttentionAcknowledgement.id)
    ).scalar_one_or_none()
    if inserted is None:
        by = ctx.session.execute(
            select(User.username).join(AttentionAcknowledgement, AttentionAcknowledgement.acknowledged_by == User.id)
            .where(AttentionAcknowledgement.item_key == item_key)
        ).scalar_one()
        raise AppError(ErrorCode.ALREADY_ACKNOWLEDGED, item_key=item_key, acknowledged_by=by)
    ctx.record(target=f"attention:{item_key}", before={"acknowledged": False},
               after={"acknowledged": True, "kind": found.kind, "note": note})
    return _one(ctx, hall_id=hall_id, item_key=item_key)


def _files_digest(req: AcknowledgeDamagedOutboxRequest) -> str:
    """What identifies one damaged outbox: when it was found and its files (any order)."""
    files = sorted((f.name, f.size_bytes, f.sha256) for f in req.files)
    canonical = json.dumps([as_hall_time(req.found_at).isoformat(), files], separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def acknowledge_damaged_outbox(*, ctx: CallContext, req: AcknowledgeDamagedOutboxRequest) -> DamagedOutboxAck:
    """Record the damaged outbox of the caller's counter, co-signed by a supervisor (the first record of the
    same files is returned when they were acknowledged before)."""
    actor = ctx.require_actor()
    cosigner = ctx.cosigner
    if cosigner is None:  # pragma: no cover - dispatch requires the co-sign of this method
        raise AppError(ErrorCode.COSIGN_REQUIRED)
    hall_id = _hall_id(ctx, actor)
    check_cosigner_in_scope(ctx, hall_id=hall_id)
    names = [f.name for f in req.files]
    if len(set(names)) != len(names):
        raise AppError(ErrorCode.INVALID_REQUEST, field="files", problem="duplicate")
    digest = _files_digest(req)
    files = [f.model_dump(mode="json") for f in req.files]
    inserted = ctx.session.execute(
        insert(DamagedOutboxRecord).values(
            counter_id=actor.counter_id, hall_id=hall_id, files_digest=digest, reason=req.reason,
            found_at=as_hall_time(req.found_at), files=files, reported_by=actor.user_id, cosigned_by=cosigner.user_id,
            acknowledged_at=ctx.now, note=req.note.strip(),
        ).on_conflict_do_nothing(index_elements=["counter_id", "files_digest"]).returning(DamagedOutboxRecord.id)
    ).scalar_one_or_none()
    if inserted is not None:
        ctx.record(target=f"outbox:{actor.counter_code}", before={"damaged": True}, after={
            "acknowledged": True, "reason": req.reason, "files": files, "cosigned_by": cosigner.username,
        })
    reporter, signer = aliased(User), aliased(User)
    row = ctx.session.execute(
        select(DamagedOutboxRecord.reason, DamagedOutboxRecord.found_at, DamagedOutboxRecord.files,
               DamagedOutboxRecord.acknowledged_at, DamagedOutboxRecord.note, Counter.code.label("counter_code"),
               reporter.username.label("reported_by"), signer.username.label("cosigned_by"))
        .join(Counter, Counter.id == DamagedOutboxRecord.counter_id)
        .join(reporter, reporter.id == DamagedOutboxRecord.reported_by)
        .join(signer, signer.id == DamagedOutboxRecord.cosigned_by)
        .where(DamagedOutboxRecord.counter_id == actor.counter_id, DamagedOutboxRecord.files_digest == digest)
    ).one()
    return DamagedOutboxAck(
        counter_code=row.counter_code, reason=row.reason, found_at=row.found_at,
        files=[DamagedFile.model_validate(f) for f in row.files], acknowledged_at=row.acknowledged_at,
        reported_by=row.reported_by, cosigned_by=row.cosigned_by, note=row.note,
    )
