"""The calculate path's short cuts give what the plain path gives: drafts COPYed as text equal drafts written
from ``draft_values``, a shared input is priced once with the same bill, keyset chunks bill every customer of the
book once even when the book changes during a pass."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.billing import bulk
from server.models.billruns import BillDraft, BillDraftLine, BillRun
from server.models.customers import Customer
from shared_models.methods.customers import CustomerStatus
from shared_models.methods.readings import Register
from shared_models.rules.reading_consumption import Consumption
from tests.billruns.helpers import BOOK, PERIOD, add_readings, add_version, billing, calculate, calculate_all
from tests.factories import WANG_FANG, ZHANG_WEI
from tests.rpc_helpers import Caller


def _chunk(db: Session) -> list[bulk.ChunkCustomer]:
    rows = db.execute(select(Customer.id, Customer.customer_no, Customer.tariff_id)
                      .where(Customer.book_code == BOOK, Customer.status != CustomerStatus.CLOSED)
                      .order_by(Customer.book_seq, Customer.id)).all()
    return [bulk.ChunkCustomer(customer_id=r.id, customer_no=r.customer_no, tariff_id=r.tariff_id) for r in rows]


def _rows(db: Session) -> list[tuple[object, ...]]:
    """Every draft column and every draft line column but the line's own id, in draft and line order."""
    db.expire_all()
    drafts = list(db.scalars(select(BillDraft).order_by(BillDraft.id)))
    out = [tuple(getattr(d, c.key) for c in BillDraft.__table__.columns) for d in drafts]
    lines = db.scalars(select(BillDraftLine).where(BillDraftLine.draft_id.in_([d.id for d in drafts]))
                       .order_by(BillDraftLine.draft_id, BillDraftLine.line_no))
    out += [tuple(getattr(x, c.key) for c in BillDraftLine.__table__.columns if c.key != "id") for x in lines]
    return out


def test_copied_drafts_equal_drafts_written_from_their_values(caller: Caller, db: Session) -> None:
    """Drafts and lines COPYed as text (new drafts) are, column for column, what the update path writes from
    ``draft_values`` (the one-by-one recalculation's values), over priced drafts with two versions and an
    unpriced one."""
    add_readings(db, skip=(WANG_FANG,))
    add_version(db, "RES-FLAT", dt.date(2026, 11, 10), "0.6")
    billing(caller)
    calculate_all(caller)
    copied = _rows(db)
    assert {True, False} == set(db.scalars(select(BillDraft.priced)))
    run = db.execute(select(BillRun).where(BillRun.book_code == BOOK, BillRun.period == PERIOD)).scalar_one()
    now = db.execute(select(BillDraft.calculated_at).where(BillDraft.run_id == run.id).limit(1)).scalar_one()
    chunk = _chunk(db)
    inputs = bulk.gather_chunk(db, book_code=BOOK, period=PERIOD, chunk=chunk)
    assert bulk.write_drafts(db, run_id=run.id, chunk=chunk, inputs=inputs, now=now, force=True) == len(chunk)
    db.commit()
    assert _rows(db) == copied


def test_a_shared_input_is_priced_once_with_the_plain_bill(db: Session) -> None:
    """Two drafts with the same usage and terms objects get the same bill object, equal to ``price_inputs``'s;
    a refusal is the same anomaly either way."""
    add_readings(db, skip=(WANG_FANG,))
    add_version(db, "RES-FLAT", dt.date(2026, 11, 10), "0.6")
    chunk = _chunk(db)
    gathered = bulk.gather_chunk(db, book_code=BOOK, period=PERIOD, chunk=chunk)
    prices = bulk._Prices()
    for inputs in gathered.values():
        assert prices(inputs) == bulk.price_inputs(inputs)
    zhang = gathered[next(c.customer_id for c in chunk if c.customer_no == ZHANG_WEI)]
    twin = replace(zhang, anomalies=())
    first, again = prices(zhang)[0], prices(twin)[0]
    assert first is not None
    assert first is again
    assert len(zhang.versions) == 2
    uncovered = replace(zhang, versions=zhang.versions[1:])  # the period's first days have no version
    refused = prices(uncovered)
    assert refused == bulk.price_inputs(uncovered)
    assert prices(replace(uncovered, anomalies=()))[1].anomalies == refused[1].anomalies[-1:]  # priced once
    assert refused[0] is None
    assert refused[1].anomalies[-1].code == "pricing_refused"


def test_equal_consumptions_share_one_usage_and_equal_terms_one_object() -> None:
    """The chunk's usages are shared by equal consumption (the same figures written the same way), terms without
    a stored row by the kWh before, written the same way."""
    def consumption(kwh: str) -> Consumption:
        return Consumption(period=PERIOD, period_from=dt.date(2026, 10, 26), period_to=dt.date(2026, 11, 22),
                           kwh={Register.TOTAL: Decimal(kwh)})

    shared = bulk._Shared()
    usage = shared.usage(consumption("180.00"))
    assert shared.usage(consumption("180.00")) is usage
    assert usage == consumption("180.00").usage()
    assert shared.usage(consumption("180.0")) is not usage  # equal numbers, other JSON: not merged
    assert shared.usage(consumption("180.01")) is not usage
    terms = shared.terms(Decimal(0), None)
    assert shared.terms(Decimal(0), None) is terms
    assert shared.terms(Decimal("0.00"), None) is not terms
    assert shared.terms(Decimal(0), None).cycle_kwh_before == 0


def test_chunks_follow_the_book_when_a_billed_customer_closes_mid_pass(caller: Caller, db: Session) -> None:
    """Chunks of one; after two, the first customer closes: the pass still prices every other customer once
    (skipping ``customers_done`` rows would now skip one) and the progress ends at the total."""
    add_readings(db)
    billing(caller)
    chunk = _chunk(db)
    done = [calculate(caller, chunk_size=1).body["customers_done"] for _ in range(2)]
    assert done == [1, 2]
    db.execute(update(Customer).where(Customer.id == chunk[0].customer_id).values(status=CustomerStatus.CLOSED))
    db.commit()
    final = calculate_all(caller, chunk_size=1)
    assert final["customers_done"] == final["customers_total"] == len(chunk)
    run = db.execute(select(BillRun).where(BillRun.book_code == BOOK, BillRun.period == PERIOD)).scalar_one()
    billed = list(db.scalars(select(BillDraft.customer_id).where(BillDraft.run_id == run.id)))
    assert sorted(billed) == sorted(c.customer_id for c in chunk[1:])


def test_a_new_pass_starts_at_the_book_start(caller: Caller, db: Session) -> None:
    """A recalculation of a calculated run starts over (the cursor cleared), in chunks, and ends with every
    draft unchanged."""
    add_readings(db)
    billing(caller)
    calculate_all(caller, chunk_size=2)
    first = calculate(caller, chunk_size=2).body
    assert (first["passes"], first["customers_done"], first["state"]) == (2, 2, "calculating")
    run = db.execute(select(BillRun).where(BillRun.book_code == BOOK, BillRun.period == PERIOD)).scalar_one()
    chunk = _chunk(db)
    assert (run.cursor_seq, run.cursor_customer_id) == (2, chunk[1].customer_id)
    final = calculate_all(caller, chunk_size=2)
    assert final["customers_done"] == len(chunk)
    assert final["passes"] == 2
