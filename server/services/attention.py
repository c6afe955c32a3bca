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

from sqlalchemy import Row, TextClause, text

from server.errors import AppError
from server.rpc.context import Actor, CallContext
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

_HALL_OF_COUNTER: Final = text("SELECT hall_id FROM counters WHERE id = :counter_id")

_INSERT_REPORT: Final = text(
    """
    INSERT INTO offline_attention (item_key, method, receipt_no, customer_no, amount_fen, error_code, error_params,
                                   taken_by, shift_no, local_time, offline, counter_id, hall_id, reported_by,
                                   reported_at)
    VALUES (:item_key, :method, :receipt_no, :customer_no, :amount_fen, :error_code, CAST(:error_params AS jsonb),
            :taken_by, :shift_no, :local_time, :offline, :counter_id, :hall_id, :reported_by, :now)
    ON CONFLICT (item_key) DO NOTHING
    RETURNING id
    """
)

# Every item of a scope (``{scope}``: a hall or a counter), with its acknowledgement if any. Unacknowledged
# first; ``open_total`` counts the scope's unacknowledged items before the LIMIT.
_ITEMS_SQL: Final = """
    WITH items AS (
        SELECT 'refused' AS kind, a.item_key, a.method, a.receipt_no, a.customer_no, a.amount_fen,
               k.code AS counter_code, a.taken_by, a.shift_no, a.local_time, a.reported_at AS recorded_at,
               a.error_code, a.error_params, CAST(0 AS bigint) AS redirected_fen,
               CAST(NULL AS date) AS late_fee_as_of, CAST(NULL AS varchar) AS as_of_rule,
               CAST(NULL AS varchar) AS cosigned_by
        FROM offline_attention a JOIN counters k ON k.id = a.counter_id
        WHERE {refused_scope}
        UNION ALL
        SELECT CASE WHEN p.late_fee_as_of_rule IS NOT NULL THEN 'late_fee_day' ELSE 'redirected' END,
               p.idempotency_key, :pay_method, p.receipt_no, c.customer_no, p.amount_fen, k.code,
               u.username, s.shift_no, p.local_time, p.paid_at, NULL, NULL, p.redirected_to_prepayment_fen,
               p.late_fee_as_of, p.late_fee_as_of_rule, NULL
        FROM payments p
        JOIN counters k ON k.id = p.counter_id
        JOIN customers c ON c.id = p.customer_id
        JOIN users u ON u.id = p.user_id
        JOIN shifts s ON s.id = p.shift_id
        WHERE (p.redirected_to_prepayment_fen > 0 OR p.late_fee_as_of_rule IS NOT NULL) AND {redirected_scope}
        UNION ALL
        SELECT 'attested', ac.item_key, ac.method, ac.receipt_no, NULL, ac.amount_fen, k.code, au.username,
               ac.shift_no, ac.verified_at, ac.recorded_at, NULL, NULL, 0, NULL, NULL, cu.username
        FROM attested_cosigns ac
        JOIN counters k ON k.id = ac.counter_id
        JOIN users au ON au.id = ac.actor_id
        JOIN users cu ON cu.id = ac.cosigner_id
        WHERE {attested_scope}
    )
    SELECT i.*, ack.id IS NOT NULL AS acknowledged, au.username AS acknowledged_by, ack.acknowledged_at, ack.note,
           count(*) FILTER (WHERE ack.id IS NULL) OVER () AS open_total
    FROM items i
    LEFT JOIN attention_acknowledgements ack ON ack.item_key = i.item_key
    LEFT JOIN users au ON au.id = ack.acknowledged_by
    WHERE (:include_acknowledged OR ack.id IS NULL) AND (CAST(:item_key AS varchar) IS NULL OR i.item_key = :item_key)
    ORDER BY ack.id IS NOT NULL, i.recorded_at DESC, i.item_key
    LIMIT :limit
"""


def _items_sql(*, refused_scope: str, redirected_scope: str, attested_scope: str) -> TextClause:
    return text(_ITEMS_SQL.format(refused_scope=refused_scope, redirected_scope=redirected_scope,
                                  attested_scope=attested_scope))


_ITEMS_OF_HALL: Final = _items_sql(refused_scope="a.hall_id = :scope", redirected_scope="k.hall_id = :scope",
                                   attested_scope="ac.hall_id = :scope")
_ITEMS_OF_COUNTER: Final = _items_sql(refused_scope="a.counter_id = :scope", redirected_scope="p.counter_id = :scope",
                                      attested_scope="ac.counter_id = :scope")

# Where an item lives, whatever the caller's scope: (kind, hall) of a reported item or a redirected payment.
_FIND_ITEM: Final = text(
    """
    SELECT 'refused' AS kind, a.hall_id FROM offline_attention a WHERE a.item_key = :item_key
    UNION ALL
    SELECT CASE WHEN p.late_fee_as_of_rule IS NOT NULL THEN 'late_fee_day' ELSE 'redirected' END, k.hall_id
    FROM payments p JOIN counters k ON k.id = p.counter_id
    WHERE (p.redirected_to_prepayment_fen > 0 OR p.late_fee_as_of_rule IS NOT NULL)
      AND p.idempotency_key = :item_key
    UNION ALL
    SELECT 'attested', ac.hall_id FROM attested_cosigns ac WHERE ac.item_key = :item_key
    LIMIT 1
    """
)

_INSERT_ACK: Final = text(
    """
    INSERT INTO attention_acknowledgements (item_key, kind, hall_id, acknowledged_by, acknowledged_at, note)
    VALUES (:item_key, :kind, :hall_id, :user_id, :now, :note)
    ON CONFLICT (item_key) DO NOTHING
    RETURNING id
    """
)
_ACK_BY: Final = text(
    "SELECT u.username FROM attention_acknowledgements a JOIN users u ON u.id = a.acknowledged_by"
    " WHERE a.item_key = :item_key"
)

_INSERT_DAMAGE_ACK: Final = text(
    """
    INSERT INTO damaged_outbox_acks (counter_id, hall_id, files_digest, reason, found_at, files, reported_by,
                                     cosigned_by, acknowledged_at, note)
    VALUES (:counter_id, :hall_id, :digest, :reason, :found_at, CAST(:files AS jsonb), :reported_by, :cosigned_by,
            :now, :note)
    ON CONFLICT (counter_id, files_digest) DO NOTHING
    RETURNING id
    """
)
_DAMAGE_ACK: Final = text(
    """
    SELECT d.reason, d.found_at, d.files, d.acknowledged_at, d.note, k.code AS counter_code,
           r.username AS reported_by, c.username AS cosigned_by
    FROM damaged_outbox_acks d
    JOIN counters k ON k.id = d.counter_id
    JOIN users r ON r.id = d.reported_by
    JOIN users c ON c.id = d.cosigned_by
    WHERE d.counter_id = :counter_id AND d.files_digest = :digest
    """
)


def _hall_id(ctx: CallContext, actor: Actor) -> int:
    """The hall of the counter the caller sits at."""
    return int(ctx.session.execute(_HALL_OF_COUNTER, {"counter_id": actor.counter_id}).scalar_one())


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
    stmt, scope = (_ITEMS_OF_HALL, scope_hall) if scope_hall is not None else (_ITEMS_OF_COUNTER, scope_counter)
    return list(ctx.session.execute(stmt, {
        "scope": scope, "pay_method": PAY.name, "include_acknowledged": include_acknowledged,
        "item_key": item_key, "limit": limit,
    }))


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
    taker = ctx.session.execute(text("SELECT 1 FROM users WHERE username = :u"), {"u": req.taken_by}).first()
    if taker is None:  # the outbox item's user: one who signed in at a counter, so one the server knows
        raise AppError(ErrorCode.USER_NOT_FOUND, username=req.taken_by)
    if req.receipt_no is not None:
        counter = parse_receipt_no(req.receipt_no)[0]
        same_hall = ctx.session.execute(
            text("SELECT EXISTS (SELECT 1 FROM counters WHERE code = :code AND hall_id = :hall_id)"),
            {"code": counter, "hall_id": hall_id},
        ).scalar_one()
        if not same_hall:
            raise AppError(ErrorCode.RECEIPT_NO_INVALID, receipt_no=req.receipt_no)
    inserted = ctx.session.execute(_INSERT_REPORT, {
        "item_key": item_key, "method": req.method, "receipt_no": req.receipt_no, "customer_no": req.customer_no,
        "amount_fen": req.amount_fen, "error_code": req.error_code.value,
        "error_params": json.dumps(req.error_params, ensure_ascii=False), "taken_by": req.taken_by,
        "shift_no": req.shift_no, "local_time": _aware(req.local_time), "offline": req.offline,
        "counter_id": actor.counter_id, "hall_id": hall_id, "reported_by": actor.user_id, "now": ctx.now,
    }).scalar_one_or_none()
    if inserted is None:  # reported before (a retry, or another PC replaying the same outbox file)
        first_hall = ctx.session.execute(
            text("SELECT hall_id FROM offline_attention WHERE item_key = :item_key"), {"item_key": item_key},
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
    found = ctx.session.execute(_FIND_ITEM, {"item_key": item_key}).one_or_none()
    if found is None:
        raise AppError(ErrorCode.ATTENTION_NOT_FOUND, item_key=item_key)
    if found.hall_id != hall_id:
        raise AppError(ErrorCode.ATTENTION_OTHER_HALL, item_key=item_key)
    note = req.note.strip()
    if len(note) < 2:  # the contract's minimum, after trimming
        raise AppError(ErrorCode.INVALID_REQUEST, field="note", problem="string_too_short")
    inserted = ctx.session.execute(_INSERT_ACK, {
        "item_key": item_key, "kind": found.kind, "hall_id": hall_id, "user_id": actor.user_id, "now": ctx.now,
        "note": note,
    }).scalar_one_or_none()
    if inserted is None:
        by = ctx.session.execute(_ACK_BY, {"item_key": item_key}).scalar_one()
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
    inserted = ctx.session.execute(_INSERT_DAMAGE_ACK, {
        "counter_id": actor.counter_id, "hall_id": hall_id, "digest": digest, "reason": req.reason,
        "found_at": as_hall_time(req.found_at), "files": json.dumps(files, ensure_ascii=False),
        "reported_by": actor.user_id, "cosigned_by": cosigner.user_id, "now": ctx.now, "note": req.note.strip(),
    }).scalar_one_or_none()
    if inserted is not None:
        ctx.record(target=f"outbox:{actor.counter_code}", before={"damaged": True}, after={
            "acknowledged": True, "reason": req.reason, "files": files, "cosigned_by": cosigner.username,
        })
    row = ctx.session.execute(_DAMAGE_ACK, {"counter_id": actor.counter_id, "digest": digest}).one()
    return DamagedOutboxAck(
        counter_code=row.counter_code, reason=row.reason, found_at=row.found_at,
        files=[DamagedFile.model_validate(f) for f in row.files], acknowledged_at=row.acknowledged_at,
        reported_by=row.reported_by, cosigned_by=row.cosigned_by, note=row.note,
    )
