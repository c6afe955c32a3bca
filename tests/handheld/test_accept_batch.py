"""A book larger than one audit statement's row list: accept writes every reading, decision and audit record in
set-based statements, the chain verifies, a repeat answers the first results."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.audit_chain import verify_chains
from server.db.prepared import AUDIT_ROWS_AS_VALUES
from server.models.audit import AuditRecord
from server.models.customers import Customer, Meter
from server.models.handheld import HandheldAccepted
from server.models.readings import Reading
from shared_models.methods.customers import CustomerStatus
from tests.factories import World
from tests.handheld.conftest import BOOK, PERIOD, b64, download, fill, ok
from tests.rpc_helpers import Caller

EXTRA = AUDIT_ROWS_AS_VALUES + 16


@pytest.fixture
def many(db: Session, world: World) -> int:
    """``EXTRA`` more customers in the book (cloned from the first), each with a meter; the book fixture reads
    them all in 2026-09 and 2026-10."""
    first = db.scalars(select(Customer).where(Customer.book_code == BOOK).order_by(Customer.book_seq)).first()
    assert first is not None
    for i in range(EXTRA):
        customer = Customer(
            customer_no=f"77{i:08d}", name=f"批量{i}", address=f"文三路{500 + i}号", phone=first.phone,
            id_number_enc=first.id_number_enc, id_number_masked=first.id_number_masked, category=first.category,
            status=CustomerStatus.ACTIVE, payment_mode=first.payment_mode, tariff_id=first.tariff_id,
            hall_id=first.hall_id, book_code=BOOK, book_seq=100 + i)
        db.add(customer)
        db.flush()
        db.add(Meter(asset_no=f"77{i:020d}", customer_id=customer.id, multiplier=1, digits=6,
                     installed_on=dt.date(2020, 1, 1)))
    db.commit()
    return EXTRA


def test_a_large_book_is_accepted_in_set_based_writes(many: int, reader: Caller, db: Session) -> None:
    document = fill(download(reader))
    records = len(document["records"])
    assert records > AUDIT_ROWS_AS_VALUES
    decisions = [{"seq": r["seq"], "decision": "accept"} for r in document["records"]]
    decisions[1] = {"seq": 2, "decision": "reread"}
    decisions[2] = {"seq": 3, "decision": "accept_with_note", "note": "表箱锈蚀"}
    done = ok(reader.call("handheld.accept_upload", {"content_b64": b64(document), "decisions": decisions}))
    assert done["open_records"] == 1
    written = {r["seq"]: r["reading_id"] for r in done["records"]}
    assert written[2] is None
    rows = {row.id: row for row in db.scalars(select(Reading).where(Reading.period == PERIOD))}
    assert set(rows) == {i for i in written.values() if i is not None}
    by_asset = {r["asset_no"]: written[r["seq"]] for r in document["records"]}
    meters = {m.id: m.asset_no for m in db.scalars(select(Meter))}
    assert all(by_asset[meters[row.meter_id]] == row.id for row in rows.values())
    assert {row.total for row in rows.values()} == {Decimal("1200.00")}
    accepted = {a.seq: a for a in db.scalars(select(HandheldAccepted))}
    assert len(accepted) == records
    assert accepted[3].note == "表箱锈蚀"
    assert accepted[2].reading_id is None
    assert accepted[1].accepted_at.tzinfo is not None
    audited = db.scalar(select(func.count()).select_from(AuditRecord).where(
        AuditRecord.target.like(f"handheld:{done['package_id']}:%")))
    assert audited == records
    report = verify_chains(db)
    assert report.problems == []
    again = ok(reader.call("handheld.accept_upload", {"content_b64": b64(document), "decisions": decisions}))
    assert {r["seq"]: r["reading_id"] for r in again["records"]} == written
    assert all(r["repeated"] for r in again["records"])
