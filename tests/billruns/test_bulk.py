"""The bulk path of the bill run (``server.billing.bulk``) gives what the one-by-one path gives: the same inputs,
anomalies, version and priced bill for every customer, and a recalculation over it leaves the drafts as they are."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.billing import bulk
from server.billing.inputs import inputs_hash
from server.models.customers import Customer
from tests.billruns.bulk_compare import anomaly_codes, differences
from tests.billruns.helpers import (
    BOOK,
    PERIOD,
    add_reading,
    add_readings,
    add_version,
    billing,
    calculate_all,
    drafts_snapshot,
)
from tests.factories import WANG_FANG, ZHANG_WEI
from tests.rpc_helpers import Caller


def test_bulk_equals_one_by_one_over_the_book(db: Session) -> None:
    """Read customers, one without readings, a retroactive price notice inside the period (two versions): the
    bulk outcome of every customer is the one-by-one outcome."""
    add_readings(db, skip=(WANG_FANG,))
    add_version(db, "RES-FLAT", dt.date(2026, 11, 10), "0.6")
    compared, diffs = differences(db, book_code=BOOK, period=PERIOD)
    assert compared >= 4
    assert diffs == []
    assert "no_previous" in anomaly_codes(db, book_code=BOOK, period=PERIOD)


def test_bulk_equals_one_by_one_for_a_period_billed_outside_runs(db: Session) -> None:
    """The factories' bills of 2026-09 were released outside a run: both paths say ``already_billed``."""
    compared, diffs = differences(db, book_code=BOOK, period=202609)
    assert compared >= 4
    assert diffs == []
    assert "already_billed" in anomaly_codes(db, book_code=BOOK, period=202609)


def test_bulk_fingerprint_is_the_inputs_hash(db: Session) -> None:
    """The bulk path's fingerprint (each version's JSON made once) is ``inputs_hash`` to the character, for
    priced inputs with two versions and for inputs without usage."""
    add_readings(db, skip=(WANG_FANG,))
    add_version(db, "RES-FLAT", dt.date(2026, 11, 10), "0.6")
    rows = db.execute(select(Customer.id, Customer.customer_no, Customer.tariff_id)
                      .where(Customer.book_code == BOOK)).all()
    chunk = [bulk.ChunkCustomer(customer_id=r.id, customer_no=r.customer_no, tariff_id=r.tariff_id) for r in rows]
    gathered = bulk.gather_chunk(db, book_code=BOOK, period=PERIOD, chunk=chunk)
    fingerprint = bulk._Fingerprints()
    assert any(len(i.versions) == 2 for i in gathered.values())
    assert any(i.usage is None for i in gathered.values())
    for inputs in gathered.values():
        assert fingerprint(inputs) == inputs_hash(inputs)


def test_bulk_equals_one_by_one_with_a_reading_going_backwards(db: Session) -> None:
    """A register below its previous value (no confirmed rollover) is refused by the arithmetic the same way."""
    add_readings(db, skip=(ZHANG_WEI,))
    add_reading(db, ZHANG_WEI, period=202610, value="1000.00", read_on=dt.date(2026, 10, 25))
    add_reading(db, ZHANG_WEI, period=PERIOD, value="900.00", read_on=dt.date(2026, 11, 22))
    compared, diffs = differences(db, book_code=BOOK, period=PERIOD)
    assert compared >= 4
    assert diffs == []


def test_recalculation_in_chunks_of_one_is_idempotent(caller: Caller, db: Session) -> None:
    """A pass in chunks of one, then a second pass in one chunk over the same inputs: no draft row changes."""
    add_readings(db, skip=(WANG_FANG,))
    billing(caller)
    calculate_all(caller, chunk_size=1)
    before = drafts_snapshot(db)
    again = calculate_all(caller, chunk_size=500)
    assert again["passes"] == 2
    assert drafts_snapshot(db) == before
