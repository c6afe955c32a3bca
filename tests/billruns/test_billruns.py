"""Bill runs through the dispatcher on the real PostgreSQL: calculate in chunks, review, release, 退补."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.billing import release
from server.models.audit import AuditRecord
from server.models.billing import Bill, BillLine
from server.models.billruns import BillDraft
from server.models.ledger import EntryKind, LedgerEntry
from server.services.bills import load_bills
from tests.billruns.helpers import (
    BOOK,
    PERIOD,
    add_reading,
    add_readings,
    balance,
    billing,
    calculate,
    calculate_all,
    counts,
    draft_ref,
    drafts_snapshot,
    run_ref,
)
from tests.factories import CLOSED, COMMERCIAL, LI_XIUYING, WANG_FANG, ZHANG_WEI, World
from tests.rpc_helpers import Caller

TOTALS = {ZHANG_WEI: 9684, LI_XIUYING: 5380, WANG_FANG: 6483, COMMERCIAL: 40000}


def _drafts(caller: Caller, **params: object) -> dict[str, dict[str, object]]:
    answer = caller.call("billrun.get_run", {**run_ref(), **params})
    assert answer.status == 200, answer.body
    return {d["customer_no"]: d for d in answer.body["drafts"]}


class TestCalculate:
    def test_chunks_report_progress_until_calculated(self, caller: Caller, db: Session, world: World) -> None:
        """Each call prices one chunk and answers the progress; the last chunk leaves the run calculated."""
        add_readings(db)
        billing(caller)
        first = calculate(caller, chunk_size=3)
        assert (first.body["state"], first.body["customers_done"], first.body["customers_total"]) == (
            "calculating", 3, 4)
        second = calculate(caller, chunk_size=3)
        assert (second.body["state"], second.body["customers_done"], second.body["drafts"]) == ("calculated", 4, 4)
        assert second.body["total_fen"] == sum(TOTALS.values())
        assert second.body["total_kwh"] == "900.50"
        assert second.body["calculated_by"] == "billing1"

    def test_drafts_carry_usage_versions_and_lines(self, caller: Caller, db: Session, world: World) -> None:
        """A draft holds the period's kWh, its total, the version used and lines that say what priced them."""
        add_readings(db)
        billing(caller)
        calculate_all(caller)
        drafts = _drafts(caller)
        assert CLOSED not in drafts
        assert {no: d["total_fen"] for no, d in drafts.items()} == TOTALS
        wang = drafts[WANG_FANG]
        assert (wang["total_kwh"], wang["period_from"], wang["period_to"]) == ("120.50", "2026-10-26", "2026-11-22")
        assert wang["versions_from"] == ["2025-01-01"]
        detail = caller.call("billrun.get_draft", draft_ref(WANG_FANG)).body
        assert [(x["kind"], x["quantity"], x["unit_price"], x["amount_fen"], x["version_from"], x["days_from"],
                 x["days_to"]) for x in detail["lines"]] == [
            ("energy", "120.50", "0.538000", 6483, "2025-01-01", "2026-10-26", "2026-11-22")]

    def test_recalculating_unchanged_inputs_changes_no_row(self, caller: Caller, db: Session, world: World) -> None:
        """A second pass over the same inputs leaves every draft and line exactly as it was (ids, times)."""
        add_readings(db)
        billing(caller)
        calculate_all(caller)
        before = drafts_snapshot(db)
        again = calculate_all(caller, chunk_size=1)
        assert again["passes"] == 2
        assert drafts_snapshot(db) == before

    def test_a_changed_input_rewrites_only_that_draft(self, caller: Caller, db: Session, world: World) -> None:
        """A customer without a reading gets an unpriced draft with the readings' anomaly (no_previous); once
        read, a recalculation prices that draft and leaves the others' rows untouched."""
        add_readings(db, skip=(WANG_FANG,))
        billing(caller)
        calculate_all(caller)
        wang = _drafts(caller)[WANG_FANG]
        assert (wang["priced"], wang["total_fen"], wang["anomalies"]) == (
            False, 0, [{"code": "no_previous", "params": {"period": str(PERIOD)}}])
        others = drafts_snapshot(db, except_customer=world.customers[WANG_FANG])
        assert len(others) == 6  # three drafts, a line each
        add_reading(db, WANG_FANG, period=202610, value="2000.00", read_on=dt.date(2026, 10, 25))
        add_reading(db, WANG_FANG, period=PERIOD, value="2120.50", read_on=dt.date(2026, 11, 22))
        calculate_all(caller)
        assert _drafts(caller)[WANG_FANG]["total_fen"] == TOTALS[WANG_FANG]
        assert drafts_snapshot(db, except_customer=world.customers[WANG_FANG]) == others

    def test_filters_list_held_anomalies_and_pending(self, caller: Caller, db: Session, world: World) -> None:
        """get_run filters the review table; list_runs shows the run with its totals."""
        add_readings(db, skip=(WANG_FANG,))
        billing(caller)
        calculate_all(caller)
        assert caller.call("billrun.hold_bill", {**draft_ref(ZHANG_WEI), "reason": "用量突增，待核实"}).status == 200
        assert set(_drafts(caller, filter="held")) == {ZHANG_WEI}
        assert set(_drafts(caller, filter="anomalies")) == {WANG_FANG}
        assert set(_drafts(caller, filter="pending")) == {LI_XIUYING, WANG_FANG, COMMERCIAL}
        page = caller.call("billrun.get_run", {**run_ref(), "limit": 2}).body
        assert (len(page["drafts"]), page["has_more"], page["run"]["held"], page["run"]["with_anomalies"]) == (
            2, True, 1, 1)
        runs = caller.call("billrun.list_runs", {"book_code": BOOK}).body["runs"]
        assert [(r["book_code"], r["period"], r["state"]) for r in runs] == [(BOOK, PERIOD, "calculated")]


class TestRelease:
    def test_release_books_bills_lines_charges_and_prepayment(self, caller: Caller, db: Session, world: World) -> None:
        """Every draft not held becomes a bill with its lines and a charge; 李秀英's 50.00 prepayment pays her
        new bill at once as a prepayment_transfer pair; a held draft stays a draft."""
        add_readings(db)
        billing(caller)
        calculate_all(caller)
        caller.call("billrun.hold_bill", {**draft_ref(COMMERCIAL), "reason": "待核实"})
        li_before = balance(db, world, LI_XIUYING)
        answer = caller.call("billrun.release_run", run_ref())
        assert answer.status == 200, answer.body
        assert (answer.body["bills_released"], answer.body["released_fen"], answer.body["prepayment_applied_fen"]) == (
            3, 9684 + 5380 + 6483, 5000)
        assert answer.body["run"]["state"] == "released"
        bills = {b.bill_no: b for b in db.scalars(select(Bill).where(Bill.period == PERIOD))}
        assert set(bills) == {f"{PERIOD}-{no}" for no in (ZHANG_WEI, LI_XIUYING, WANG_FANG)}
        li = bills[f"{PERIOD}-{LI_XIUYING}"]
        assert (li.amount_fen, li.issued_on, li.due_on) == (5380, dt.date(2026, 11, 23), dt.date(2026, 12, 13))
        line = db.scalars(select(BillLine).where(BillLine.bill_id == li.id)).one()
        assert (line.description, line.version_from, line.days_from, line.days_to) == (
            "电度电费", dt.date(2025, 1, 1), dt.date(2026, 10, 26), dt.date(2026, 11, 22))
        entries = sorted((e.kind, e.amount_fen, e.bill_id) for e in db.scalars(
            select(LedgerEntry).where(LedgerEntry.reference == li.bill_no)))
        assert entries == sorted([(EntryKind.CHARGE, -5380, li.id), (EntryKind.PREPAYMENT_TRANSFER, -5000, None),
                                  (EntryKind.PREPAYMENT_TRANSFER, 5000, li.id)])
        assert balance(db, world, LI_XIUYING) == li_before - 5380
        books = load_bills(db, customer_id=world.customers[LI_XIUYING], on=dt.date(2026, 11, 23))
        assert (books.prepayment_fen, books.arrears_fen) == (0, 380)
        held = db.scalars(select(BillDraft).where(BillDraft.customer_id == world.customers[COMMERCIAL])).one()
        assert (held.held, held.bill_id) == (True, None)

    def test_release_writes_one_audit_record_naming_the_bills(self, caller: Caller, db: Session, world: World) -> None:
        """The release's audit record lists each bill released with its amount."""
        add_readings(db)
        billing(caller)
        calculate_all(caller)
        caller.call("billrun.release_run", run_ref())
        record = db.scalars(select(AuditRecord).where(AuditRecord.method == "billrun.release_run")).one()
        assert record.target == f"billrun:{BOOK}:{PERIOD}"
        assert record.after is not None
        assert release.read_audit_bills(record.after["bills"]) == {f"{PERIOD}-{no}": fen for no, fen in TOTALS.items()}

    def test_released_bill_shows_its_lines_to_the_cashier(self, caller: Caller, db: Session, world: World) -> None:
        """bill.get_lines (VIEW_CUSTOMERS) answers the released bill with the lines that priced it."""
        add_readings(db)
        billing(caller)
        calculate_all(caller)
        caller.call("billrun.release_run", run_ref())
        cashier = Caller(caller.dispatcher)
        assert cashier.login("cashier1").status == 200
        body = cashier.call("bill.get_lines", {"bill_no": f"{PERIOD}-{LI_XIUYING}"}).body
        assert (body["amount_fen"], body["prepayment_applied_fen"], body["principal_open_fen"]) == (5380, 5000, 380)
        assert (body["period_from"], body["period_to"], body["tariff_code"]) == ("2026-10-26", "2026-11-22", "RES-FLAT")
        assert [x["amount_fen"] for x in body["lines"]] == [5380]

    def test_bill_written_before_bill_runs_has_lines_too(self, caller: Caller, world: World) -> None:
        """A factory bill's line, without pricing attributes, is answered with its version and month."""
        billing(caller)
        body = caller.call("bill.get_lines", {"bill_no": f"202609-{ZHANG_WEI}"}).body
        assert [(x["kind"], x["version_from"], x["days_from"], x["days_to"]) for x in body["lines"]] == [
            ("energy", "2025-01-01", "2026-09-01", "2026-09-30")]

    def test_unhold_in_released_run_releases_the_bill(self, caller: Caller, db: Session, world: World) -> None:
        """A draft held through the release is released on its own when its hold is lifted."""
        add_readings(db)
        billing(caller)
        calculate_all(caller)
        caller.call("billrun.hold_bill", {**draft_ref(COMMERCIAL), "reason": "待核实"})
        caller.call("billrun.release_run", run_ref())
        answer = caller.call("billrun.release_bill", draft_ref(COMMERCIAL))
        assert (answer.body["held"], answer.body["bill_no"]) == (False, f"{PERIOD}-{COMMERCIAL}")
        run = caller.call("billrun.get_run", run_ref()).body["run"]
        assert (run["bills_released"], run["released_fen"]) == (4, sum(TOTALS.values()))

    def test_unhold_in_calculated_run_keeps_a_draft(self, caller: Caller, db: Session, world: World) -> None:
        """Before release, lifting a hold only makes the draft part of the run's release again."""
        add_readings(db)
        billing(caller)
        calculate_all(caller)
        caller.call("billrun.hold_bill", {**draft_ref(COMMERCIAL), "reason": "待核实"})
        before = counts(db)
        answer = caller.call("billrun.release_bill", draft_ref(COMMERCIAL))
        assert (answer.body["held"], answer.body["hold_reason"], answer.body["bill_no"]) == (False, None, None)
        after = counts(db)
        assert after.pop("audit_log") == before.pop("audit_log") + 1
        assert after == before


class TestHeldRecalculation:
    def test_held_draft_recalculated_after_its_reading_then_released(
        self, caller: Caller, db: Session, world: World,
    ) -> None:
        """A held draft without a reading is priced by recalculate_bill once read, stays held, and is
        released on its own after the run."""
        add_readings(db, skip=(WANG_FANG,))
        billing(caller)
        calculate_all(caller)
        caller.call("billrun.hold_bill", {**draft_ref(WANG_FANG), "reason": "门闭，待补抄"})
        caller.call("billrun.release_run", run_ref())
        add_reading(db, WANG_FANG, period=202610, value="2000.00", read_on=dt.date(2026, 10, 25))
        add_reading(db, WANG_FANG, period=PERIOD, value="2120.50", read_on=dt.date(2026, 11, 22))
        detail = caller.call("billrun.recalculate_bill", draft_ref(WANG_FANG)).body
        assert (detail["draft"]["held"], detail["draft"]["total_fen"], detail["draft"]["anomalies"]) == (
            True, TOTALS[WANG_FANG], [])
        assert [x["amount_fen"] for x in detail["lines"]] == [TOTALS[WANG_FANG]]
        released = caller.call("billrun.release_bill", draft_ref(WANG_FANG)).body
        assert released["bill_no"] == f"{PERIOD}-{WANG_FANG}"
