"""The totals a bill run keeps on its row (``server.billing.run_totals``) equal a fresh count over its drafts after
every kind of change: a chunk written, a pass that rewrites a draft, hold and lift, a held draft recalculated,
departed customers dropped, the run released and a held draft released after it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.billing import run_totals
from server.billing.run_totals import DraftFigures
from server.models.billruns import BillRun
from server.models.customers import Customer
from tests.billruns.helpers import (
    BOOK,
    PERIOD,
    add_reading,
    add_readings,
    add_version,
    billing,
    calculate,
    calculate_all,
    draft_ref,
    run_ref,
)
from tests.factories import COMMERCIAL, LI_XIUYING, WANG_FANG, ZHANG_WEI, World
from tests.rpc_helpers import Caller


def _run_id(db: Session) -> int:
    return int(db.execute(select(BillRun.id).where(BillRun.book_code == BOOK, BillRun.period == PERIOD)).scalar_one())


def assert_kept(caller: Caller, db: Session) -> DraftFigures:
    """The kept totals equal the fresh count, and the run's summary (get_run and list_runs) reports them."""
    db.rollback()  # a new snapshot: what the calls committed
    run_id = _run_id(db)
    fresh = run_totals.aggregate(db, run_id)
    assert run_totals.kept(db, run_id) == fresh
    summary = caller.call("billrun.get_run", {**run_ref(), "limit": 1}).body["run"]
    listed = caller.call("billrun.list_runs", {"book_code": BOOK}).body["runs"][0]
    for shown in (summary, listed):
        assert (shown["drafts"], shown["held"], shown["with_anomalies"], Decimal(shown["total_kwh"]),
                shown["total_fen"]) == (fresh.drafts, fresh.held, fresh.with_anomalies, fresh.kwh, fresh.fen)
    return fresh


def test_kept_totals_follow_every_change(caller: Caller, db: Session, world: World) -> None:
    add_readings(db, skip=(WANG_FANG,))
    billing(caller)
    first = calculate(caller, chunk_size=2)  # a chunk: new drafts by COPY
    assert (first.body["state"], first.body["drafts"]) == ("calculating", 2)
    assert assert_kept(caller, db).drafts == 2
    calculate_all(caller, chunk_size=2)
    figures = assert_kept(caller, db)
    assert (figures.drafts, figures.held, figures.with_anomalies) == (4, 0, 1)  # 王芳 unread: no_previous

    assert caller.call("billrun.hold_bill", {**draft_ref(ZHANG_WEI), "reason": "用量突增"}).status == 200
    assert assert_kept(caller, db).held == 1

    # 王芳 read: a new pass rewrites her draft (the bulk path's update), the others stay
    add_reading(db, WANG_FANG, period=202610, value="2000.00", read_on=dt.date(2026, 10, 25))
    add_reading(db, WANG_FANG, period=PERIOD, value="2120.50", read_on=dt.date(2026, 11, 22))
    before = assert_kept(caller, db)
    calculate_all(caller, chunk_size=3)
    after = assert_kept(caller, db)
    assert (after.with_anomalies, after.held) == (0, 1)
    assert after.kwh - before.kwh == Decimal("120.50")

    # a price change: the held draft recalculated one by one changes its fen, held stays
    add_version(db, "RES-FLAT", dt.date(2026, 11, 1), "0.6")
    recalculated = caller.call("billrun.recalculate_bill", draft_ref(ZHANG_WEI))
    assert recalculated.status == 200, recalculated.body
    assert assert_kept(caller, db).fen != after.fen

    # a customer moved to another book: the pass's end drops the draft
    db.execute(update(Customer).where(Customer.customer_no == COMMERCIAL).values(book_code="T01-B002"))
    db.commit()
    calculate_all(caller)
    assert assert_kept(caller, db).drafts == 3

    assert caller.call("billrun.release_run", run_ref()).status == 200
    released = assert_kept(caller, db)
    assert (released.drafts, released.held) == (3, 1)  # releasing changes none of the figures
    assert caller.call("billrun.release_bill", draft_ref(ZHANG_WEI)).status == 200  # the lift releases it
    assert assert_kept(caller, db).held == 0


def test_lift_before_release_and_unchanged_pass(caller: Caller, db: Session, world: World) -> None:
    """A hold lifted in a calculated run and a pass over unchanged inputs keep the figures exact."""
    add_readings(db)
    billing(caller)
    calculate_all(caller, chunk_size=1)
    figures = assert_kept(caller, db)
    assert caller.call("billrun.hold_bill", {**draft_ref(LI_XIUYING), "reason": "核实"}).status == 200
    assert caller.call("billrun.release_bill", draft_ref(LI_XIUYING)).status == 200
    calculate_all(caller)
    assert assert_kept(caller, db) == figures


@pytest.mark.parametrize("change", [DraftFigures(1, 1, 1, Decimal("1.50"), 7), DraftFigures(held=-1)])
def test_figures_add_and_subtract(change: DraftFigures) -> None:
    """The arithmetic the writers use: a change and its negation cancel; nothing is empty."""
    assert (change + -change).empty
    assert (change - change) == run_totals.NONE
    assert not change.empty
