"""The set-based release (``server.billing.release``) on the real PostgreSQL: what it books row for row, the
prepayment offsets, the descriptions of every kind of line, the statements it takes, the customers' locks and
its array and audit formats."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, event, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from server.billing import periods, release
from server.billing.lines import describe, priced_line
from server.models.audit import AuditRecord
from server.models.billing import Bill, BillLine
from server.models.billruns import BillDraft, BillDraftLine
from server.models.customers import Customer
from server.models.ledger import EntryKind, LedgerEntry
from server.services.billruns import _lock_customers
from server.services.bills import load_bills
from tests.billruns.helpers import (
    BOOK,
    PERIOD,
    add_readings,
    billing,
    calculate_all,
    draft_ref,
    run_ref,
)
from tests.factories import COMMERCIAL, LI_XIUYING, WANG_FANG, ZHANG_WEI, World
from tests.rpc_helpers import Caller

ISSUED = dt.date(2026, 11, 23)


def _prepay(db: Session, world: World, customer_no: str, amount_fen: int) -> None:
    """A payment on no bill: prepayment (预收) of the customer."""
    db.add(LedgerEntry(customer_id=world.customers[customer_no], kind=EntryKind.PAYMENT, amount_fen=amount_fen,
                       posted_at=dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC), posted_by=world.users["cashier1"],
                       reference="TEST-PREPAY"))
    db.commit()


@contextmanager
def _statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL the engine runs inside the block, one entry per execute (an executemany counts once)."""
    seen: list[str] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


class TestBooked:
    def test_each_draft_becomes_its_bill_lines_charge_and_bill_id(self, caller: Caller, db: Session,
                                                                   world: World) -> None:
        """Every released draft's bill carries the draft's figures, its lines are the draft's lines with their
        description, its charge is the amount, and the draft names it; bill ids ascend in book order."""
        add_readings(db)
        billing(caller)
        calculate_all(caller)
        assert caller.call("billrun.release_run", run_ref()).status == 200
        db.expire_all()
        drafts = db.execute(select(BillDraft, Customer.customer_no).join(Customer, Customer.id == BillDraft.customer_id)
                            .order_by(Customer.book_seq, Customer.id)).all()
        assert len(drafts) == 4
        bill_ids = []
        for draft, customer_no in drafts:
            bill = db.get(Bill, draft.bill_id)
            assert bill is not None
            bill_ids.append(bill.id)
            assert (bill.bill_no, bill.customer_id, bill.period, bill.kwh, bill.amount_fen, bill.issued_on,
                    bill.due_on, bill.tariff_version_id, bill.bill_run_id, bill.corrects_bill_id) == (
                periods.bill_no(period=PERIOD, customer_no=customer_no), draft.customer_id, PERIOD,
                draft.total_kwh, draft.total_fen, ISSUED, periods.due_on(ISSUED), draft.tariff_version_id,
                draft.run_id, None)
            wanted = [(x.line_no, x.kind, x.version_from, x.days_from, x.days_to, x.tier, x.tou_period, x.fund_code,
                       x.quantity, x.unit_price, x.days_charged, x.days_basis, x.amount_fen,
                       describe(priced_line(x, fund_name=x.fund_name, version_from=x.version_from,
                                            days_from=x.days_from, days_to=x.days_to)))
                      for x in db.scalars(select(BillDraftLine).where(BillDraftLine.draft_id == draft.id)
                                          .order_by(BillDraftLine.line_no))]
            got = [(x.line_no, x.kind, x.version_from, x.days_from, x.days_to, x.tier, x.tou_period, x.fund_code,
                    x.quantity, x.unit_price, x.days_charged, x.days_basis, x.amount_fen, x.description)
                   for x in db.scalars(select(BillLine).where(BillLine.bill_id == bill.id).order_by(BillLine.line_no))]
            assert got
            assert got == wanted
            charges = db.execute(select(LedgerEntry.amount_fen, LedgerEntry.customer_id, LedgerEntry.reference)
                                 .where(LedgerEntry.bill_id == bill.id, LedgerEntry.kind == EntryKind.CHARGE)).all()
            assert [tuple(c) for c in charges] == [(-draft.total_fen, draft.customer_id, bill.bill_no)]
        assert bill_ids == sorted(bill_ids)

    def test_every_kind_of_line_gets_its_own_description(self, caller: Caller, db: Session, world: World) -> None:
        """Lines with and without tier, TOU period and fund, in one release: each bill line's description is
        ``describe`` of its own draft line (the table of descriptions keys NULLs apart from values)."""
        add_readings(db)
        billing(caller)
        calculate_all(caller)
        draft_id = db.execute(select(BillDraft.id).where(
            BillDraft.customer_id == world.customers[ZHANG_WEI])).scalar_one()
        first = db.scalars(select(BillDraftLine).where(BillDraftLine.draft_id == draft_id)).one()
        extra = [("energy", 2, "peak", None, None), ("energy", 2, None, None, None),
                 ("energy", None, "valley", None, None), ("energy", 3, "peak", None, None),
                 ("fund", None, None, "RENEW", "可再生能源电价附加"), ("fund", None, None, "WATER", "水库移民后期扶持")]
        for n, (kind, tier, tou, code, name) in enumerate(extra, start=2):
            db.add(BillDraftLine(draft_id=draft_id, line_no=n, kind=kind, tier=tier, tou_period=tou, fund_code=code,
                                 fund_name=name, version_from=first.version_from, days_from=first.days_from,
                                 days_to=first.days_to, quantity=Decimal("1"), unit_price=Decimal("0.1"),
                                 amount_fen=10))
        db.commit()
        assert caller.call("billrun.release_run", run_ref()).status == 200
        db.expire_all()
        bill_id = db.execute(select(BillDraft.bill_id).where(BillDraft.id == draft_id)).scalar_one()
        described = {x.line_no: describe(priced_line(x, fund_name=x.fund_name, version_from=x.version_from,
                                                     days_from=x.days_from, days_to=x.days_to))
                     for x in db.scalars(select(BillDraftLine).where(BillDraftLine.draft_id == draft_id))}
        got = {x.line_no: x.description for x in db.scalars(select(BillLine).where(BillLine.bill_id == bill_id))}
        assert got == described
        assert len(set(got.values())) == len(got) == 1 + len(extra)

    def test_nothing_releasable_books_nothing(self, caller: Caller, db: Session, world: World) -> None:
        """Every draft held: the run is released with no bill, no line, no ledger entry."""
        add_readings(db)
        billing(caller)
        calculate_all(caller)
        for no in (ZHANG_WEI, LI_XIUYING, WANG_FANG, COMMERCIAL):
            assert caller.call("billrun.hold_bill", {**draft_ref(no), "reason": "待核实"}).status == 200
        answer = caller.call("billrun.release_run", run_ref())
        assert answer.status == 200, answer.body
        assert (answer.body["bills_released"], answer.body["released_fen"], answer.body["prepayment_applied_fen"]) == (
            0, 0, 0)
        db.expire_all()
        assert db.scalars(select(Bill).where(Bill.period == PERIOD)).all() == []


class TestPrepayment:
    def test_offsets_only_customers_with_a_prepayment(self, caller: Caller, db: Session, world: World) -> None:
        """张伟's prepayment is larger than his bill (the bill is paid, the rest stays 预收), 李秀英's smaller (all of
        it goes), 王芳 and the company owe (no transfer): one pair per customer with a prepayment, each the
        figure ``load_bills`` gives before the release."""
        add_readings(db)
        _prepay(db, world, ZHANG_WEI, 200000)
        billing(caller)
        calculate_all(caller)
        before = {no: load_bills(db, customer_id=world.customers[no], on=ISSUED).prepayment_fen
                  for no in (ZHANG_WEI, LI_XIUYING, WANG_FANG, COMMERCIAL)}
        assert before == {ZHANG_WEI: 200000, LI_XIUYING: 5000, WANG_FANG: 0, COMMERCIAL: 0}
        answer = caller.call("billrun.release_run", run_ref())
        assert answer.status == 200, answer.body
        db.expire_all()
        amounts = {no: db.execute(select(Bill.amount_fen).where(Bill.bill_no == f"{PERIOD}-{no}")).scalar_one()
                   for no in before}
        applied = {no: release.applied_fen(before[no], amounts[no]) for no in before}
        assert applied == {ZHANG_WEI: amounts[ZHANG_WEI], LI_XIUYING: 5000, WANG_FANG: 0, COMMERCIAL: 0}
        assert answer.body["prepayment_applied_fen"] == sum(applied.values())
        transfers = db.execute(select(LedgerEntry.reference, LedgerEntry.amount_fen, LedgerEntry.bill_id)
                               .where(LedgerEntry.kind == EntryKind.PREPAYMENT_TRANSFER)
                               .order_by(LedgerEntry.id)).all()
        bill_ids = {no: db.execute(select(Bill.id).where(Bill.bill_no == f"{PERIOD}-{no}")).scalar_one()
                    for no in before}
        assert sorted(tuple(t) for t in transfers) == sorted([
            (f"{PERIOD}-{ZHANG_WEI}", -amounts[ZHANG_WEI], None), (f"{PERIOD}-{ZHANG_WEI}", amounts[ZHANG_WEI],
                                                                   bill_ids[ZHANG_WEI]),
            (f"{PERIOD}-{LI_XIUYING}", -5000, None), (f"{PERIOD}-{LI_XIUYING}", 5000, bill_ids[LI_XIUYING])])
        after = load_bills(db, customer_id=world.customers[ZHANG_WEI], on=ISSUED)
        assert after.prepayment_fen == 200000 - amounts[ZHANG_WEI]

    @pytest.mark.parametrize(("prepayment", "amount", "applied"), [
        (0, 5380, 0), (-100, 5380, 0), (5000, 5380, 5000), (5380, 5380, 5380), (9000, 5380, 5380), (9000, 0, 0)])
    def test_applied_is_the_prepayment_up_to_the_bill(self, prepayment: int, amount: int, applied: int) -> None:
        assert release.applied_fen(prepayment, amount) == applied


class TestScale:
    def test_statements_do_not_grow_with_the_drafts(self, caller: Caller, db: Session, engine: Engine,
                                                    world: World) -> None:
        """Four drafts (two with a prepayment) are booked by one statement per table: the release's SQL does
        not repeat per draft."""
        add_readings(db)
        _prepay(db, world, ZHANG_WEI, 200000)
        billing(caller)
        calculate_all(caller)
        with _statements(engine) as seen:
            assert caller.call("billrun.release_run", run_ref()).status == 200
        writes = [s.split(" (")[0].split(" SET ")[0] for s in seen
                  if s.startswith(("INSERT INTO bills", "INSERT INTO bill_lines", "INSERT INTO ledger_entries",
                                   "UPDATE bill_drafts"))]
        assert sorted(writes) == ["INSERT INTO bill_lines", "INSERT INTO bills", "INSERT INTO ledger_entries",
                                  "INSERT INTO ledger_entries", "UPDATE bill_drafts AS d"]
        assert not any(s.startswith("SELECT") and "FROM bill_draft_lines" in s and "WHERE bill_draft_lines.draft_id ="
                       in s for s in seen)


class TestLocks:
    def test_release_locks_its_customers_like_a_payment(self, engine: Engine, db: Session, world: World) -> None:
        """``_lock_customers`` takes the payment's lock on exactly the customers named: another transaction can
        still reference them (a foreign key's KEY SHARE) but cannot take the lock; the others are free."""
        locked = [world.customers[LI_XIUYING], world.customers[ZHANG_WEI]]
        free = world.customers[WANG_FANG]
        with Session(engine) as holder, holder.begin():
            _lock_customers(holder, sorted(locked))
            with engine.connect() as other:
                other.execute(text("SET lock_timeout = '2s'"))  # a KEY SHARE that blocked would fail, not hang
                other.commit()
                for customer in locked:
                    with other.begin():
                        other.execute(text("SELECT id FROM customers WHERE id = :c FOR KEY SHARE"), {"c": customer})
                    with pytest.raises(OperationalError, match="lock"), other.begin():
                        other.execute(text("SELECT id FROM customers WHERE id = :c FOR NO KEY UPDATE NOWAIT"),
                                      {"c": customer})
                with other.begin():
                    assert other.execute(text("SELECT id FROM customers WHERE id = :c FOR NO KEY UPDATE NOWAIT"),
                                         {"c": free}).scalar_one() == free

    def test_no_customer_no_lock_statement(self, engine: Engine) -> None:
        with Session(engine) as session, _statements(engine) as seen:
            _lock_customers(session, [])
        assert seen == []


class TestFormats:
    @pytest.mark.parametrize("values", [[], ["a"], ['q"uote', "back\\slash", "com,ma", "{brace}", "sp ace", "NULL",
                                                    "", "电度电费 第2档 峰"]])
    def test_text_array_round_trips(self, db: Session, values: list[str]) -> None:
        got = db.execute(text("SELECT CAST(:v AS text[])"), {"v": release.text_array(values)}).scalar_one()
        assert got == values

    @pytest.mark.parametrize("values", [[], [1], [-1, 0, 2**62]])
    def test_int_array_round_trips(self, db: Session, values: list[int]) -> None:
        got = db.execute(text("SELECT CAST(:v AS bigint[])"), {"v": release.int_array(values)}).scalar_one()
        assert got == values

    @pytest.mark.parametrize("bills", [{}, {"202611-3301000001": 9684},
                                       {"202611-3301000001": 9684, "202611-3300000000002": 0, "202611-3301000004": 1}])
    def test_audit_bills_round_trip(self, bills: dict[str, int]) -> None:
        listed = release.audit_bills(bills)
        assert release.read_audit_bills(listed) == bills
        assert list(release.read_audit_bills(listed)) == list(bills)

    def test_audit_record_lists_bills_in_book_order(self, caller: Caller, db: Session, world: World) -> None:
        """The release's one audit record: the bills as ``<bill no>=<fen>`` in book order, one string."""
        add_readings(db)
        billing(caller)
        calculate_all(caller)
        assert caller.call("billrun.release_run", run_ref()).status == 200
        record = db.scalars(select(AuditRecord).where(AuditRecord.method == "billrun.release_run")).one()
        assert record.after is not None
        assert record.target == f"billrun:{BOOK}:{PERIOD}"
        in_order = db.execute(select(Bill.bill_no, Bill.amount_fen).join(Customer, Customer.id == Bill.customer_id)
                              .where(Bill.period == PERIOD).order_by(Customer.book_seq, Customer.id)).all()
        assert record.after["bills"] == ",".join(f"{no}={fen}" for no, fen in in_order)
