"""The kWh already billed in the annual tier cycle (``cycle_kwh_before``) is counted from the customer's tier cycle
start (``customer_terms.tier_cycle_start``, DOMAIN §1.3), not from January: the cycle's first period, and the sum
both bill-run paths (one by one in ``server.billing.sources``, in bulk in ``server.billing.bulk``) price with."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.billing import bulk, sources, terms
from server.models.billing import Bill
from server.models.customers import Customer
from server.models.terms import CustomerTermsRow
from tests.billruns.helpers import BOOK
from tests.factories import ZHANG_WEI, World, add_bill


@pytest.mark.parametrize(("period", "start", "first"), [
    (202611, None, 202601),  # no cycle start: the calendar year
    (202601, None, 202601),
    (202701, dt.date(2025, 7, 1), 202607),  # a July cycle priced in January: from the July before
    (202607, dt.date(2025, 7, 1), 202607),  # July opens a new cycle
    (202606, dt.date(2025, 7, 1), 202507),  # June closes the one that began the July before
    (202612, dt.date(2025, 7, 1), 202607),
    (202608, dt.date(2026, 7, 15), 202608),  # starting on the 15th: July's period belongs to the cycle before
    (202607, dt.date(2026, 7, 15), 202508),
    (202701, dt.date(2020, 12, 15), 202701),  # December 15th: the cycle's first period is the next January
    (202612, dt.date(2020, 12, 15), 202601),
])
def test_cycle_first_period(period: int, start: dt.date | None, first: int) -> None:
    """The first period of the cycle a period belongs to, for cycles on the 1st and in mid-month."""
    assert terms.cycle_first_period(period, start) == first


def _zhang(db: Session) -> tuple[int, int]:
    cid, tariff_id = db.execute(select(Customer.id, Customer.tariff_id)
                                .where(Customer.customer_no == ZHANG_WEI)).one()
    return cid, tariff_id


def _bills(db: Session, world: World, kwh_by_period: dict[int, str]) -> None:
    """Released bills of 张伟 (the factories already hold 2026-08 to 2026-10: 150, 230 and 180 kWh)."""
    for period, kwh in kwh_by_period.items():
        issued = dt.date(period // 100, period % 100, 28)
        add_bill(db, world, customer_no=ZHANG_WEI, tariff=world.tariffs["RES-FLAT"], period=period, kwh=kwh,
                 issued_on=issued, due_on=issued + dt.timedelta(days=20))
    db.commit()


def _before(db: Session, period: int) -> tuple[Decimal, Decimal]:
    """张伟's ``cycle_kwh_before`` of ``period`` by the one-by-one path and by the bulk path."""
    cid, tariff_id = _zhang(db)
    one = sources.terms_for(db, customer_id=cid, period=period).cycle_kwh_before
    chunk = [bulk.ChunkCustomer(customer_id=cid, customer_no=ZHANG_WEI, tariff_id=tariff_id)]
    many = bulk.gather_chunk(db, book_code=BOOK, period=period, chunk=chunk)[cid].terms.cycle_kwh_before
    return one, many


def _cycle_from(db: Session, start: dt.date) -> None:
    db.add(CustomerTermsRow(customer_id=_zhang(db)[0], effective_from=dt.date(2025, 1, 1), tier_cycle_start=start))
    db.commit()


def test_july_cycle_priced_in_january(db: Session, world: World) -> None:
    """Cycle start July, bills January to December: priced in January of the next year, only July to December
    count (150 + 230 + 180 of the factories, 11 + 12 + 7), none of January to June; both paths alike."""
    _bills(db, world, {202601: "1", 202602: "2", 202603: "3", 202604: "4", 202605: "5", 202606: "6",
                       202607: "7", 202611: "11", 202612: "12"})
    assert _before(db, 202701) == (Decimal("0"), Decimal("0"))  # without a cycle start: the new calendar year
    _cycle_from(db, dt.date(2025, 7, 1))
    assert _before(db, 202701) == (Decimal("590.00"), Decimal("590.00"))


def test_across_the_cycle_boundary(db: Session, world: World) -> None:
    """With a July cycle the June period counts July of the year before to May, the July period opens a new
    cycle with nothing before it, and August counts July only."""
    _bills(db, world, {202507: "100", 202512: "20", 202601: "1", 202605: "5", 202606: "6", 202607: "7"})
    _cycle_from(db, dt.date(2025, 7, 1))
    assert _before(db, 202606) == (Decimal("126.00"), Decimal("126.00"))
    assert _before(db, 202607) == (Decimal("0"), Decimal("0"))
    assert _before(db, 202608) == (Decimal("7.00"), Decimal("7.00"))


def test_the_stored_row_of_the_period_gives_the_start(db: Session, world: World) -> None:
    """A cycle start stored from 2026-11 on applies to 2026-11 and later only: October still counts from
    January (the factories' 150 + 230 for 2026-08 and -09), November from September (230 + 180)."""
    cid = _zhang(db)[0]
    db.add(CustomerTermsRow(customer_id=cid, effective_from=dt.date(2026, 11, 1), tier_cycle_start=dt.date(2026, 9, 1)))
    db.commit()
    assert _before(db, 202610) == (Decimal("380.00"), Decimal("380.00"))
    assert _before(db, 202611) == (Decimal("410.00"), Decimal("410.00"))


def test_a_replaced_bill_counts_through_its_correction(db: Session, world: World) -> None:
    """A bill replaced by a 退补 is left out and its correction counted in its place, inside the cycle only."""
    _cycle_from(db, dt.date(2025, 9, 1))
    original = db.execute(select(Bill).where(Bill.bill_no == f"202609-{ZHANG_WEI}")).scalar_one()
    db.add(Bill(bill_no=f"202609-{ZHANG_WEI}-C1", customer_id=original.customer_id, period=202609,
                kwh=Decimal("200.00"), amount_fen=10760, issued_on=dt.date(2026, 10, 20),
                due_on=dt.date(2026, 11, 9), tariff_version_id=original.tariff_version_id,
                corrects_bill_id=original.id, correction_reason="表计倍率更正"))
    db.commit()
    assert _before(db, 202611) == (Decimal("380.00"), Decimal("380.00"))  # 200 (not 230) + 180; August is out
