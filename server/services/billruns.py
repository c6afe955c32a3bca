"""Bill runs (SPEC C5, issue 12 item 4): calculate → review (hold, recalculate) → release, and 退补 corrections.

Concurrency: every call that changes a run first locks its ``bill_runs`` row (``FOR UPDATE``) and then checks the
run's state, so calls on one run take turns: two clerks releasing at once release it once (the second finds it
released), a release waits for a calculation chunk in flight and then finds the run still ``calculating``, and a
recalculation of a released run is refused. Release also locks the customers it bills (``FOR NO KEY UPDATE``, the
lock a counter payment takes), so a payment and the prepayment offset of a release never read the same
prepayment twice.

Progress: ``calculate_run`` prices one chunk of the book's customers per call, in book order, and commits it with
the run's ``customers_done``; the client calls again while the run is ``calculating`` (see
``shared_models.methods.billruns``).

Inputs come through ``server.billing.sources`` (usage, tariff versions, terms, the pricing function), the
fingerprint of them through ``server.billing.inputs``: a draft whose inputs did not change is left untouched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Select,
    Text,
    and_,
    any_,
    bindparam,
    case,
    cast,
    delete,
    func,
    insert,
    select,
    true,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session, aliased

from server.billing import bulk, periods, release, run_totals, sources
from server.billing.inputs import DraftInputs, inputs_hash
from server.billing.lines import describe, line_columns, priced_line
from server.context import CallContext
from server.errors import AppError
from server.models.billing import Bill, BillLine
from server.models.billruns import BillDraft, BillDraftLine, BillRun
from server.models.customers import Customer, Tariff, TariffVersion
from server.models.ledger import EntryKind, LedgerEntry
from server.models.users import User
from server.pricing import PricingError
from server.services.bills import load_bills
from shared_models.errors import ErrorCode
from shared_models.methods.billruns import (
    BillLines,
    BillRequest,
    CalculateRunRequest,
    CorrectBillRequest,
    CorrectBillResult,
    DraftAnomaly,
    DraftDetail,
    DraftFilter,
    DraftRef,
    DraftRow,
    GetRunRequest,
    HoldBillRequest,
    ListRunsRequest,
    ReleaseRunResult,
    RunList,
    RunPage,
    RunRef,
    RunState,
    RunSummary,
)
from shared_models.methods.customers import CustomerStatus
from shared_models.pricing import PricedBill, PricedLine
from shared_models.rules.hall_time import business_date

# --- runs ------------------------------------------------------------------------------------------------


def _book_customers(book_code: str) -> Select[int, str, int, int]:
    """The customers a run of the book bills, in book order: every customer of the book not closed
    (``ix_customers_book_order`` reads them in that order)."""
    return (select(Customer.id, Customer.customer_no, Customer.tariff_id, Customer.book_seq)
            .where(Customer.book_code == book_code, Customer.status != CustomerStatus.CLOSED)
            .order_by(Customer.book_seq, Customer.id))


def _count_book(session: Session, book_code: str) -> int:
    return int(session.execute(select(func.count()).select_from(_book_customers(book_code).subquery())).scalar_one())


def _check_period(period: int) -> None:
    """A period's month is 01..12 (the contract bounds the year; the same refusal as a reading's period)."""
    if not 1 <= period % 100 <= 12:
        raise AppError(ErrorCode.READING_PERIOD_INVALID, period=period)


def _lock_run(session: Session, book_code: str, period: int) -> BillRun | None:
    _check_period(period)
    return session.execute(
        select(BillRun).where(BillRun.book_code == book_code, BillRun.period == period).with_for_update()
    ).scalar_one_or_none()


def _require_run(session: Session, book_code: str, period: int) -> BillRun:
    run = _lock_run(session, book_code, period)
    if run is None:
        raise AppError(ErrorCode.BILL_RUN_NOT_FOUND, book_code=book_code, period=period)
    return run


def calculate_run(*, ctx: CallContext, req: CalculateRunRequest) -> RunSummary:
    """Price the next chunk of the run's customers into drafts; create the run, or start a new pass over a
    calculated one. Refused on a released run (BILL_RUN_RELEASED) and for a book without customers."""
    actor = ctx.require_actor()
    session = ctx.session
    run = _lock_run(session, req.book_code, req.period)
    if run is None:
        total = _count_book(session, req.book_code)
        if not total:
            raise AppError(ErrorCode.BOOK_NOT_FOUND, book_code=req.book_code)
        session.execute(pg_insert(BillRun).values(
            book_code=req.book_code, period=req.period, state=RunState.CALCULATING, customers_total=total,
            customers_done=0, passes=1, created_by=actor.user_id,
        ).on_conflict_do_nothing())  # a clerk creating the same run meanwhile: take turns on the row below
        run = _require_run(session, req.book_code, req.period)
    before = {"state": run.state.value, "customers_done": run.customers_done, "passes": run.passes}
    if run.state is RunState.RELEASED:
        raise AppError(ErrorCode.BILL_RUN_RELEASED, book_code=run.book_code, period=run.period)
    if run.state is RunState.CALCULATED:  # a recalculation: a new pass over the book as it is now
        run.customers_total = _count_book(session, run.book_code)
        run.customers_done = 0
        run.cursor_seq = run.cursor_customer_id = None
        run.passes += 1
        run.state = RunState.CALCULATING
    after = _book_customers(run.book_code)
    if run.cursor_seq is not None and run.cursor_customer_id is not None:  # keyset: the customers after the last
        after = after.where(tuple_(Customer.book_seq, Customer.id) > tuple_(run.cursor_seq, run.cursor_customer_id))
    chunk = session.execute(after.limit(req.chunk_size)).all()
    customers = [bulk.ChunkCustomer(customer_id=c.id, customer_no=c.customer_no, tariff_id=c.tariff_id)
                 for c in chunk]
    inputs = bulk.gather_chunk(session, book_code=run.book_code, period=run.period, chunk=customers)
    written = bulk.write_drafts(session, run_id=run.id, chunk=customers, inputs=inputs, now=ctx.now)
    run.customers_done = min(run.customers_done + len(chunk), run.customers_total)
    if chunk:
        run.cursor_seq, run.cursor_customer_id = chunk[-1].book_seq, chunk[-1].id
    if len(chunk) < req.chunk_size or run.customers_done >= run.customers_total:
        _drop_departed(session, run)
        run.customers_done = run.customers_total
        run.state = RunState.CALCULATED
        run.calculated_by = actor.user_id
        run.calculated_at = ctx.now
    session.flush()
    ctx.record(target=_run_target(run), before=before, after={
        "state": run.state.value, "customers_done": run.customers_done, "passes": run.passes,
        "chunk": len(chunk), "drafts_written": written, "drafts_unchanged": len(chunk) - written,
    })
    return _summary(session, run)


def _drop_departed(session: Session, run: BillRun) -> None:
    """At the end of a pass: the unreleased drafts of customers no longer billed by the book go (drafts are a
    working area; a customer moved to another book is billed there)."""
    billed = select(Customer.id).where(Customer.id == BillDraft.customer_id, Customer.book_code == run.book_code,
                                       Customer.status != CustomerStatus.CLOSED)
    # NOT EXISTS (an anti-join), not NOT IN: over a large book the NOT IN list would not fit in memory as a hash
    run_totals.delete_counted(session, run.id, delete(BillDraft).where(
        BillDraft.run_id == run.id, BillDraft.bill_id.is_(None), ~billed.exists()))


def _gather(session: Session, *, customer_id: int, tariff_id: int, period: int) -> DraftInputs:
    """The draft's inputs; a customer whose period was already billed (outside this run) is not priced again."""
    billed = session.execute(
        select(Bill.bill_no).where(Bill.customer_id == customer_id, Bill.period == period,
                                   Bill.corrects_bill_id.is_(None), Bill.bill_run_id.is_(None))
    ).scalar_one_or_none()
    if billed is not None:
        terms = sources.terms_for(session, customer_id=customer_id, period=period)
        return DraftInputs(usage=None, terms=terms, versions=(),
                           anomalies=(DraftAnomaly(code="already_billed", params={"bill_no": billed}),))
    return sources.gather(session, customer_id=customer_id, tariff_id=tariff_id, period=period)


def _price(inputs: DraftInputs) -> tuple[PricedBill | None, DraftInputs]:
    """The priced bill, or None with the inputs' anomalies extended by the pricing function's refusal."""
    if not inputs.priceable or inputs.usage is None:
        return None, inputs
    try:
        return sources.price([v.doc for v in inputs.versions], inputs.usage, inputs.terms), inputs
    except PricingError as exc:
        refusal = DraftAnomaly(code="pricing_refused", params={"refusal": exc.refusal.value, **exc.params})
        return None, replace(inputs, anomalies=(*inputs.anomalies, refusal))


def _calculate_draft(ctx: CallContext, run: BillRun, *, customer_id: int, tariff_id: int, force: bool = False) -> bool:
    """Write the customer's draft from its inputs now; False when it was left as it was (same inputs, or
    already released). ``force`` rewrites even over the same inputs (never needed for correctness)."""
    session = ctx.session
    draft = session.execute(
        select(BillDraft).where(BillDraft.run_id == run.id, BillDraft.customer_id == customer_id)
    ).scalar_one_or_none()
    if draft is not None and draft.bill_id is not None:
        return False
    inputs = _gather(session, customer_id=customer_id, tariff_id=tariff_id, period=run.period)
    fingerprint = inputs_hash(inputs)
    if draft is not None and draft.inputs_hash == fingerprint and not force:
        return False
    priced, inputs = _price(inputs)
    values = bulk.draft_values(inputs, priced, fingerprint, ctx.now)
    before = run_totals.of_draft(draft)
    if draft is None:
        draft = BillDraft(run_id=run.id, customer_id=customer_id, held=False, **values)
        session.add(draft)
        session.flush()
    else:
        for name, value in values.items():
            setattr(draft, name, value)
        session.execute(delete(BillDraftLine).where(BillDraftLine.draft_id == draft.id))
    run_totals.add(session, run.id, run_totals.of_draft(draft) - before)
    if priced is not None and priced.lines:
        session.execute(insert(BillDraftLine), [
            {"draft_id": draft.id, "fund_name": line.fund_name, **line_columns(line)} for line in priced.lines
        ])
    return True


def _run_target(run: BillRun) -> str:
    return f"billrun:{run.book_code}:{run.period}"


_CREATED, _CALCULATED, _RELEASED = aliased(User), aliased(User), aliased(User)


def _summaries(session: Session, where: Any, *, limit: int) -> list[RunSummary]:
    """The runs' summaries; the draft figures are the totals the run's row keeps (``server.billing.run_totals``),
    read as columns (fresh from the row, whatever the session holds of it)."""
    r = BillRun
    rows = session.execute(
        select(BillRun, r.drafts_count, r.drafts_held, r.drafts_with_anomalies, r.drafts_kwh, r.drafts_fen,
               _CREATED.username, _CALCULATED.username, _RELEASED.username)
        .select_from(BillRun)
        .join(_CREATED, _CREATED.id == BillRun.created_by)
        .outerjoin(_CALCULATED, _CALCULATED.id == BillRun.calculated_by)
        .outerjoin(_RELEASED, _RELEASED.id == BillRun.released_by)
        .where(where).order_by(BillRun.period.desc(), BillRun.book_code).limit(limit)
    ).all()
    return [
        RunSummary(
            book_code=run.book_code, period=run.period, state=run.state, customers_total=run.customers_total,
            customers_done=run.customers_done, passes=run.passes, drafts=drafts, held=held,
            with_anomalies=anomalies, total_kwh=Decimal(kwh), total_fen=int(fen), bills_released=run.bills_released,
            released_fen=run.released_fen, created_by=created, calculated_by=calculated,
            calculated_at=run.calculated_at, released_by=released, released_at=run.released_at,
        )
        for run, drafts, held, anomalies, kwh, fen, created, calculated, released in rows
    ]


def _summary(session: Session, run: BillRun) -> RunSummary:
    session.flush()
    return _summaries(session, BillRun.id == run.id, limit=1)[0]


def list_runs(*, ctx: CallContext, req: ListRunsRequest) -> RunList:
    """The runs of a book (or all), newest period first."""
    where = BillRun.book_code == req.book_code if req.book_code else true()
    return RunList(runs=_summaries(ctx.session, where, limit=req.limit))


# --- review ------------------------------------------------------------------------------------------------

_DRAFT_COLUMNS = (BillDraft, Customer.customer_no, Customer.name, Customer.book_seq, Bill.bill_no)


def _draft_row(draft: BillDraft, customer_no: str, name: str, book_seq: int, bill_no: str | None) -> DraftRow:
    return DraftRow(
        customer_no=customer_no, customer_name=name, book_seq=book_seq, period_from=draft.period_from,
        period_to=draft.period_to, total_kwh=Decimal(draft.total_kwh), total_fen=draft.total_fen, priced=draft.priced,
        held=draft.held, hold_reason=draft.hold_reason,
        anomalies=[DraftAnomaly.model_validate(a) for a in draft.anomalies],
        versions_from=[dt.date.fromisoformat(v) for v in draft.versions], bill_no=bill_no,
    )


def _drafts_query() -> Select[BillDraft, str, str, int, str]:
    return (select(*_DRAFT_COLUMNS).join(Customer, Customer.id == BillDraft.customer_id)
            .outerjoin(Bill, Bill.id == BillDraft.bill_id))


def get_run(*, ctx: CallContext, req: GetRunRequest) -> RunPage:
    """The run's summary and one page of its drafts, filtered, in book order."""
    _check_period(req.period)
    session = ctx.session
    run = session.execute(
        select(BillRun).where(BillRun.book_code == req.book_code, BillRun.period == req.period)
    ).scalar_one_or_none()
    if run is None:
        raise AppError(ErrorCode.BILL_RUN_NOT_FOUND, book_code=req.book_code, period=req.period)
    d = BillDraft
    condition = {
        DraftFilter.ALL: true(),
        DraftFilter.HELD: d.held,
        DraftFilter.ANOMALIES: func.jsonb_array_length(d.anomalies) > 0,
        DraftFilter.PENDING: and_(~d.held, d.bill_id.is_(None)),
        DraftFilter.RELEASED: d.bill_id.is_not(None),
    }[req.filter]
    rows = session.execute(
        _drafts_query().where(d.run_id == run.id, condition).order_by(Customer.book_seq, Customer.id)
        .offset(req.offset).limit(req.limit + 1)
    ).all()
    return RunPage(run=_summary(session, run), drafts=[_draft_row(*r) for r in rows[:req.limit]], offset=req.offset,
                   has_more=len(rows) > req.limit)


def _find_draft(session: Session, run: BillRun, customer_no: str) -> tuple[BillDraft, DraftRow]:
    row = session.execute(
        _drafts_query().where(BillDraft.run_id == run.id, Customer.customer_no == customer_no)
    ).one_or_none()
    if row is None:
        raise AppError(ErrorCode.BILL_DRAFT_NOT_FOUND, book_code=run.book_code, period=run.period,
                       customer_no=customer_no)
    return row[0], _draft_row(*row)


def _draft_lines(session: Session, draft: BillDraft) -> list[PricedLine]:
    rows = session.execute(
        select(BillDraftLine).where(BillDraftLine.draft_id == draft.id).order_by(BillDraftLine.line_no)
    ).scalars().all()
    return [priced_line(r, fund_name=r.fund_name, version_from=r.version_from, days_from=r.days_from,
                        days_to=r.days_to) for r in rows]


def get_draft(*, ctx: CallContext, req: DraftRef) -> DraftDetail:
    """One draft with its lines."""
    _check_period(req.period)
    run = ctx.session.execute(
        select(BillRun).where(BillRun.book_code == req.book_code, BillRun.period == req.period)
    ).scalar_one_or_none()
    if run is None:
        raise AppError(ErrorCode.BILL_RUN_NOT_FOUND, book_code=req.book_code, period=req.period)
    draft, row = _find_draft(ctx.session, run, req.customer_no)
    return DraftDetail(draft=row, lines=_draft_lines(ctx.session, draft))


def hold_bill(*, ctx: CallContext, req: HoldBillRequest) -> DraftRow:
    """Hold a draft: the run's release leaves it out until the hold is lifted."""
    actor = ctx.require_actor()
    run = _require_run(ctx.session, req.book_code, req.period)
    draft, row = _find_draft(ctx.session, run, req.customer_no)
    if row.bill_no is not None:
        raise AppError(ErrorCode.BILL_DRAFT_RELEASED, customer_no=req.customer_no, bill_no=row.bill_no)
    if draft.held:
        raise AppError(ErrorCode.BILL_DRAFT_HELD, customer_no=req.customer_no, reason=draft.hold_reason or "")
    draft.held, draft.hold_reason, draft.held_by = True, req.reason, actor.user_id
    run_totals.add(ctx.session, run.id, run_totals.DraftFigures(held=1))
    ctx.session.flush()
    ctx.record(target=f"{_run_target(run)}:{req.customer_no}", before={"held": False},
               after={"held": True, "reason": req.reason})
    return _find_draft(ctx.session, run, req.customer_no)[1]


def release_bill(*, ctx: CallContext, req: DraftRef) -> DraftRow:
    """Lift a draft's hold; in a run already released the draft becomes a bill now."""
    run = _require_run(ctx.session, req.book_code, req.period)
    draft, _row = _find_draft(ctx.session, run, req.customer_no)
    if not draft.held:
        raise AppError(ErrorCode.BILL_DRAFT_NOT_HELD, customer_no=req.customer_no)
    released: dict[str, Any] = {}
    if run.state is RunState.RELEASED:
        if not draft.priced:
            raise AppError(ErrorCode.BILL_DRAFT_NOT_PRICED, customer_no=req.customer_no)
        _lock_customers(ctx.session, [draft.customer_id])
        bill_no, applied = _release_draft(ctx, run, draft)
        run.bills_released += 1
        run.released_fen += draft.total_fen
        released = {"bill_no": bill_no, "amount_fen": draft.total_fen, "prepayment_applied_fen": applied}
    before_reason = draft.hold_reason
    draft.held, draft.hold_reason, draft.held_by = False, None, None
    run_totals.add(ctx.session, run.id, run_totals.DraftFigures(held=-1))
    ctx.session.flush()
    ctx.record(target=f"{_run_target(run)}:{req.customer_no}", before={"held": True, "reason": before_reason},
               after={"held": False, **released})
    return _find_draft(ctx.session, run, req.customer_no)[1]


def recalculate_bill(*, ctx: CallContext, req: DraftRef) -> DraftDetail:
    """Price a held draft again from the inputs as they are now (a corrected reading); it stays held."""
    run = _require_run(ctx.session, req.book_code, req.period)
    draft, row = _find_draft(ctx.session, run, req.customer_no)
    if row.bill_no is not None:
        raise AppError(ErrorCode.BILL_DRAFT_RELEASED, customer_no=req.customer_no, bill_no=row.bill_no)
    if not draft.held:
        raise AppError(ErrorCode.BILL_DRAFT_NOT_HELD, customer_no=req.customer_no)
    tariff_id = ctx.session.execute(select(Customer.tariff_id).where(Customer.id == draft.customer_id)).scalar_one()
    before = {"total_fen": draft.total_fen, "total_kwh": str(draft.total_kwh), "inputs_hash": draft.inputs_hash}
    changed = _calculate_draft(ctx, run, customer_id=draft.customer_id, tariff_id=tariff_id)
    ctx.session.flush()
    ctx.record(target=f"{_run_target(run)}:{req.customer_no}", before=before, after={
        "total_fen": draft.total_fen, "total_kwh": str(draft.total_kwh), "inputs_hash": draft.inputs_hash,
        "changed": changed,
    })
    draft, row = _find_draft(ctx.session, run, req.customer_no)
    return DraftDetail(draft=row, lines=_draft_lines(ctx.session, draft))


# --- release -----------------------------------------------------------------------------------------------


def _lock_customers(session: Session, customer_ids: Sequence[int]) -> None:
    """The lock a counter payment takes on its customer, in id order (no deadlock between two releases); the ids
    go as one array parameter, so a run of a million customers is one short statement."""
    if customer_ids:
        ids = cast(bindparam("customer_ids", release.int_array(customer_ids), type_=Text), ARRAY(BigInteger))
        session.execute(select(Customer.id).where(Customer.id == any_(ids)).order_by(Customer.id)
                        .with_for_update(key_share=True, of=Customer.__table__))


def release_run(*, ctx: CallContext, req: RunRef) -> ReleaseRunResult:
    """Release every priced draft that is not held: a bill with its lines, its ledger charge and the
    prepayment offset, all in this call's transaction; held and unpriced drafts stay drafts."""
    run = _require_run(ctx.session, req.book_code, req.period)
    if run.state is RunState.RELEASED:
        who = ctx.session.get(User, run.released_by) if run.released_by else None
        raise AppError(ErrorCode.BILL_RUN_ALREADY_RELEASED, book_code=run.book_code, period=run.period,
                       released_by=who.username if who else "",
                       released_at=run.released_at.isoformat() if run.released_at else "")
    if run.state is RunState.CALCULATING:
        raise AppError(ErrorCode.BILL_RUN_CALCULATING, book_code=run.book_code, period=run.period,
                       done=run.customers_done, total=run.customers_total)
    drafts = release.releasable(ctx.session, run.id)
    _lock_customers(ctx.session, sorted(d.customer_id for d in drafts))
    booked = release.release_drafts(ctx.session, run_id=run.id, period=run.period, drafts=drafts,
                                    issued=business_date(ctx.now), now=ctx.now, user_id=ctx.require_actor().user_id)
    released, applied_total = booked.bills, booked.applied_fen
    amount = sum(released.values())
    run.state = RunState.RELEASED
    run.released_by = ctx.require_actor().user_id
    run.released_at = ctx.now
    run.bills_released += len(released)
    run.released_fen += amount
    ctx.session.flush()
    ctx.record(target=_run_target(run), before={"state": RunState.CALCULATED.value}, after={
        "state": RunState.RELEASED.value, "bills_released": len(released), "released_fen": amount,
        "prepayment_applied_fen": applied_total, "bills": release.audit_bills(released),
    })
    return ReleaseRunResult(run=_summary(ctx.session, run), bills_released=len(released), released_fen=amount,
                            prepayment_applied_fen=applied_total)


def _release_draft(ctx: CallContext, run: BillRun, draft: BillDraft) -> tuple[str, int]:
    """Turn one draft into a bill (its customer locked by the caller): (bill number, prepayment applied)."""
    customer_no = ctx.session.execute(select(Customer.customer_no).where(Customer.id == draft.customer_id)).scalar_one()
    if draft.tariff_version_id is None:  # pragma: no cover - a priced draft always names its version
        raise RuntimeError(f"draft {draft.id} is priced without a tariff version")
    lines = _draft_lines(ctx.session, draft)
    bill, applied = _write_bill(
        ctx, customer_id=draft.customer_id, bill_no=periods.bill_no(period=run.period, customer_no=customer_no),
        period=run.period, kwh=Decimal(draft.total_kwh), amount_fen=draft.total_fen,
        tariff_version_id=draft.tariff_version_id, lines=lines, bill_run_id=run.id,
    )
    draft.bill_id = bill.id
    return bill.bill_no, applied


def _write_bill(
    ctx: CallContext, *, customer_id: int, bill_no: str, period: int, kwh: Decimal, amount_fen: int,
    tariff_version_id: int, lines: list[PricedLine], bill_run_id: int | None = None,
    corrects: Bill | None = None, reason: str | None = None,
) -> tuple[Bill, int]:
    """Book a released bill: the bill, its lines, the ledger charge, and the customer's prepayment (预收 = balance
    + arrears, read before the charge) applied to it as a ``prepayment_transfer`` pair. (bill, applied)."""
    session = ctx.session
    actor = ctx.require_actor()
    issued = business_date(ctx.now)
    prepayment = load_bills(session, customer_id=customer_id, on=issued).prepayment_fen
    bill = Bill(bill_no=bill_no, customer_id=customer_id, period=period, kwh=kwh, amount_fen=amount_fen,
                issued_on=issued, due_on=periods.due_on(issued), tariff_version_id=tariff_version_id,
                bill_run_id=bill_run_id, corrects_bill_id=corrects.id if corrects else None, correction_reason=reason)
    session.add(bill)
    session.flush()
    if lines:
        session.execute(insert(BillLine), [
            {"bill_id": bill.id, "description": describe(line),
             **line_columns(line)} for line in lines
        ])
    applied = release.applied_fen(prepayment, amount_fen)
    entries = []
    if amount_fen:
        entries.append({"kind": EntryKind.CHARGE, "amount_fen": -amount_fen, "bill_id": bill.id})
    if applied:
        entries += [{"kind": EntryKind.PREPAYMENT_TRANSFER, "amount_fen": -applied, "bill_id": None},
                    {"kind": EntryKind.PREPAYMENT_TRANSFER, "amount_fen": applied, "bill_id": bill.id}]
    if entries:
        session.execute(insert(LedgerEntry), [
            {"customer_id": customer_id, "posted_at": ctx.now, "posted_by": actor.user_id, "reference": bill_no, **e}
            for e in entries
        ])
    return bill, applied


# --- 退补 and bill lines -------------------------------------------------------------------------------------


def correct_bill(*, ctx: CallContext, req: CorrectBillRequest) -> CorrectBillResult:
    """退补: reverse the bill's charge (what was paid on it goes back to 预收) and release a new bill of the same
    period priced from the inputs as they are now, naming the bill it replaces and the reason."""
    session = ctx.session
    old = session.execute(select(Bill).where(Bill.bill_no == req.bill_no).with_for_update()).scalar_one_or_none()
    if old is None:
        raise AppError(ErrorCode.BILL_NOT_FOUND, bill_no=req.bill_no)
    _lock_customers(session, [old.customer_id])
    replaced_by = session.execute(select(Bill.bill_no).where(Bill.corrects_bill_id == old.id)).scalar_one_or_none()
    if replaced_by is not None:
        raise AppError(ErrorCode.BILL_ALREADY_CORRECTED, bill_no=old.bill_no, corrected_by=replaced_by)
    customer = session.get_one(Customer, old.customer_id)
    inputs = _gather_for_correction(session, customer, old.period)
    priced, inputs = _price(inputs)
    if priced is None or inputs.bill_version_id is None:
        codes = ", ".join(a.code for a in inputs.anomalies)
        raise AppError(ErrorCode.BILL_NOT_PRICEABLE, bill_no=old.bill_no, anomalies=codes)
    old_lines = _bill_lines(session, old)
    same_lines = [_comparable(x) for x in priced.lines] == [_comparable(x) for x in old_lines]
    if priced.total_fen == old.amount_fen and same_lines:
        raise AppError(ErrorCode.CORRECTION_CHANGES_NOTHING, bill_no=old.bill_no)
    _reverse_bill(ctx, old)
    count = session.execute(
        select(func.count()).select_from(Bill).where(Bill.customer_id == old.customer_id, Bill.period == old.period)
    ).scalar_one()
    new, applied = _write_bill(
        ctx, customer_id=old.customer_id, bill_no=periods.bill_no(period=old.period, customer_no=customer.customer_no,
                                                                   correction=count),
        period=old.period, kwh=priced.total_kwh, amount_fen=priced.total_fen,
        tariff_version_id=inputs.bill_version_id, lines=priced.lines, corrects=old, reason=req.reason,
    )
    session.flush()
    ctx.record(target=f"bill:{old.bill_no}", before={"amount_fen": old.amount_fen}, after={
        "reversed": old.bill_no, "new_bill_no": new.bill_no, "amount_fen": new.amount_fen, "reason": req.reason,
        "prepayment_applied_fen": applied,
    })
    return CorrectBillResult(reversed_bill_no=old.bill_no, reversed_fen=old.amount_fen,
                             new_bill=_bill_lines_view(session, new))


def _gather_for_correction(session: Session, customer: Customer, period: int) -> DraftInputs:
    return sources.gather(session, customer_id=customer.id, tariff_id=customer.tariff_id, period=period)


def _comparable(line: PricedLine) -> tuple[Any, ...]:
    return (line.kind, line.tier, line.tou_period, line.fund_code, line.quantity, line.unit_price, line.amount_fen)


def _reverse_bill(ctx: CallContext, old: Bill) -> None:
    """A REVERSAL of the bill's charge; what the bill was paid (its entries' sum after that) back to 预收."""
    session = ctx.session
    actor = ctx.require_actor()
    charge = session.execute(
        select(LedgerEntry.id, LedgerEntry.amount_fen)
        .where(LedgerEntry.bill_id == old.id, LedgerEntry.kind == EntryKind.CHARGE)
    ).one_or_none()
    entries: list[dict[str, Any]] = []
    if charge is not None:
        entries.append({"kind": EntryKind.REVERSAL, "amount_fen": -charge.amount_fen, "bill_id": old.id,
                        "reverses_id": charge.id})
    paid = session.execute(
        select(func.coalesce(func.sum(LedgerEntry.amount_fen), 0)).where(LedgerEntry.bill_id == old.id)
    ).scalar_one() - (charge.amount_fen if charge is not None else 0)
    if paid > 0:
        entries += [{"kind": EntryKind.PREPAYMENT_TRANSFER, "amount_fen": -paid, "bill_id": old.id},
                    {"kind": EntryKind.PREPAYMENT_TRANSFER, "amount_fen": paid, "bill_id": None}]
    if entries:
        session.execute(insert(LedgerEntry), [
            {"customer_id": old.customer_id, "posted_at": ctx.now, "posted_by": actor.user_id,
             "reference": f"退补 {old.bill_no}", **e} for e in entries
        ])


def _bill_lines(session: Session, bill: Bill) -> list[PricedLine]:
    version_from = session.execute(
        select(TariffVersion.effective_from).where(TariffVersion.id == bill.tariff_version_id)).scalar_one()
    rows = session.execute(select(BillLine).where(BillLine.bill_id == bill.id).order_by(BillLine.line_no)).scalars()
    first, last = periods.first_day(bill.period), periods.last_day(bill.period)
    return [priced_line(r, fund_name=None, version_from=version_from, days_from=first, days_to=last) for r in rows]


def get_lines(*, ctx: CallContext, req: BillRequest) -> BillLines:
    """A released bill with the lines that priced it, what prepayment paid of it, and what is still open."""
    bill = ctx.session.execute(select(Bill).where(Bill.bill_no == req.bill_no)).scalar_one_or_none()
    if bill is None:
        raise AppError(ErrorCode.BILL_NOT_FOUND, bill_no=req.bill_no)
    return _bill_lines_view(ctx.session, bill)


def _bill_lines_view(session: Session, bill: Bill) -> BillLines:
    customer = session.get_one(Customer, bill.customer_id)
    tariff = session.execute(
        select(Tariff.code, Tariff.name).join(TariffVersion, TariffVersion.tariff_id == Tariff.id)
        .where(TariffVersion.id == bill.tariff_version_id)
    ).one()
    e = LedgerEntry
    sums = session.execute(
        select(func.coalesce(func.sum(e.amount_fen), 0),
               func.coalesce(func.sum(case((and_(e.kind == EntryKind.PREPAYMENT_TRANSFER, e.amount_fen > 0),
                                            e.amount_fen), else_=0)), 0))
        .where(e.bill_id == bill.id)
    ).one()
    span = session.execute(select(BillDraft.period_from, BillDraft.period_to).where(BillDraft.bill_id == bill.id)
                           ).one_or_none()
    corrects = (session.execute(select(Bill.bill_no).where(Bill.id == bill.corrects_bill_id)).scalar_one()
                if bill.corrects_bill_id else None)
    corrected_by = session.execute(select(Bill.bill_no).where(Bill.corrects_bill_id == bill.id)).scalar_one_or_none()
    return BillLines(
        bill_no=bill.bill_no, customer_no=customer.customer_no, customer_name=customer.name, address=customer.address,
        book_code=customer.book_code, period=bill.period,
        period_from=span.period_from if span else None, period_to=span.period_to if span else None,
        kwh=Decimal(bill.kwh), amount_fen=bill.amount_fen, issued_on=bill.issued_on, due_on=bill.due_on,
        tariff_code=tariff.code, tariff_name=tariff.name, lines=_bill_lines(session, bill),
        prepayment_applied_fen=int(sums[1]), principal_open_fen=max(0, -int(sums[0])),
        corrects_bill_no=corrects, correction_reason=bill.correction_reason, corrected_by_bill_no=corrected_by,
    )


__all__ = [
    "calculate_run", "correct_bill", "get_draft", "get_lines", "get_run", "hold_bill", "list_runs", "recalculate_bill",
    "release_bill", "release_run",
]
