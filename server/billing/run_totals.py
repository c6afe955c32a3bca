"""The totals a bill run keeps of its drafts (count, held, with anomalies, kWh, fen), so its summary reads one row.

``RunSummary`` reports, at every call, the count and sums over every draft of the run; aggregating them per call
grew with the run (163 ms at 430 000 drafts). ``bill_runs`` keeps them instead (``drafts_count``, ``drafts_held``,
``drafts_with_anomalies``, ``drafts_kwh``, ``drafts_fen``, migration 0015), and every writer of drafts adds the
change it makes in the same transaction, under the run's row lock (``server.services.billruns`` takes it first):
the bulk write of a chunk (``server.billing.bulk.write_drafts``), a single draft's recalculation, hold and lift,
and the drop of departed customers. Releasing a draft (``bill_id``) changes none of the kept figures.
:func:`aggregate` is the fresh count the kept figures must equal (the tests check it after every kind of change).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Delete, func, select, update
from sqlalchemy.orm import Session

from server.models.billruns import BillDraft, BillRun


@dataclass(frozen=True)
class DraftFigures:
    """What one draft (or a set of them) adds to the kept totals."""

    drafts: int = 0
    held: int = 0
    with_anomalies: int = 0
    kwh: Decimal = Decimal(0)
    fen: int = 0

    def __add__(self, other: DraftFigures) -> DraftFigures:
        return DraftFigures(self.drafts + other.drafts, self.held + other.held,
                            self.with_anomalies + other.with_anomalies, self.kwh + other.kwh, self.fen + other.fen)

    def __neg__(self) -> DraftFigures:
        return DraftFigures(-self.drafts, -self.held, -self.with_anomalies, -self.kwh, -self.fen)

    def __sub__(self, other: DraftFigures) -> DraftFigures:
        return self + -other

    @property
    def empty(self) -> bool:
        """Nothing to add."""
        return self == DraftFigures()


NONE = DraftFigures()


def one(*, held: bool, anomalies: int, kwh: Decimal, fen: int) -> DraftFigures:
    """The figures of one draft: held or not, how many anomalies, its kWh and fen."""
    return DraftFigures(1, int(held), int(anomalies > 0), kwh, fen)


def of_draft(draft: BillDraft | None) -> DraftFigures:
    """The figures of a draft row (nothing for no draft)."""
    if draft is None:
        return NONE
    return one(held=draft.held, anomalies=len(draft.anomalies), kwh=Decimal(draft.total_kwh), fen=draft.total_fen)


def add(session: Session, run_id: int, change: DraftFigures) -> None:
    """Add ``change`` to the run's kept totals (in the caller's transaction; the run's row is locked by it)."""
    if change.empty:
        return
    r = BillRun
    session.execute(update(BillRun).where(r.id == run_id).values(
        drafts_count=r.drafts_count + change.drafts, drafts_held=r.drafts_held + change.held,
        drafts_with_anomalies=r.drafts_with_anomalies + change.with_anomalies,
        drafts_kwh=r.drafts_kwh + change.kwh, drafts_fen=r.drafts_fen + change.fen,
    ).execution_options(synchronize_session=False))  # the summary reads these as columns, never the ORM object


def _figures_columns() -> tuple[ColumnElement[Any], ...]:
    d = BillDraft
    return (func.count(d.id), func.count(d.id).filter(d.held),
            func.count(d.id).filter(func.jsonb_array_length(d.anomalies) > 0),
            func.coalesce(func.sum(d.total_kwh), 0), func.coalesce(func.sum(d.total_fen), 0))


def delete_counted(session: Session, run_id: int, statement: Delete) -> None:
    """Run a DELETE of the run's drafts and take what it deleted off the kept totals (one statement:
    the deleted rows' figures come back through RETURNING into an aggregate)."""
    d = BillDraft
    gone = statement.returning(d.id, d.held, d.anomalies, d.total_kwh, d.total_fen).cte("gone")
    row = session.execute(select(
        func.count(gone.c.id), func.count(gone.c.id).filter(gone.c.held),
        func.count(gone.c.id).filter(func.jsonb_array_length(gone.c.anomalies) > 0),
        func.coalesce(func.sum(gone.c.total_kwh), 0), func.coalesce(func.sum(gone.c.total_fen), 0))).one()
    add(session, run_id, -DraftFigures(int(row[0]), int(row[1]), int(row[2]), Decimal(row[3]), int(row[4])))


def aggregate(session: Session, run_id: int) -> DraftFigures:
    """The run's figures counted afresh over its drafts (what the kept totals must equal)."""
    row = session.execute(select(*_figures_columns()).where(BillDraft.run_id == run_id)).one()
    return DraftFigures(int(row[0]), int(row[1]), int(row[2]), Decimal(row[3]), int(row[4]))


def kept(session: Session, run_id: int) -> DraftFigures:
    """The run's kept totals as the row holds them now."""
    r = BillRun
    row = session.execute(select(r.drafts_count, r.drafts_held, r.drafts_with_anomalies, r.drafts_kwh, r.drafts_fen)
                          .where(r.id == run_id)).one()
    return DraftFigures(int(row[0]), int(row[1]), int(row[2]), Decimal(row[3]), int(row[4]))
