"""退补: a released bill is reversed and billed again, with a reason and a supervisor's co-sign."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.models.audit import AuditRecord
from server.models.billing import Bill
from server.models.ledger import EntryKind, LedgerEntry
from server.services.bills import load_bills
from tests.billruns.helpers import (
    PERIOD,
    SUPER,
    add_readings,
    add_version,
    balance,
    billing,
    calculate_all,
    refused,
    run_ref,
)
from tests.factories import LI_XIUYING, ZHANG_WEI, World
from tests.rpc_helpers import Caller

LI_BILL = f"{PERIOD}-{LI_XIUYING}"


@pytest.fixture
def released(caller: Caller, db: Session, world: World) -> Caller:
    """The run released: 李秀英's bill of 53.80 yuan, 50.00 of it paid by her prepayment."""
    add_readings(db)
    billing(caller)
    calculate_all(caller)
    assert caller.call("billrun.release_run", run_ref()).status == 200
    return caller


def _correct(caller: Caller, bill_no: str = LI_BILL) -> dict[str, object]:
    answer = caller.call("billrun.correct_bill", {"bill_no": bill_no, "reason": "电价调整追溯"}, cosign=SUPER)
    assert answer.status == 200, answer.body
    return answer.body


class TestCorrectBill:
    def test_reverses_and_bills_again_at_the_new_price(self, released: Caller, db: Session, world: World) -> None:
        """A retroactive price from 2026-11-01 splits the period by days (6 + 22, largest remainder to the
        0.01 kWh): the old charge is reversed, what prepayment paid of it returns to 预收 and pays the new bill."""
        add_version(db, "RES-FLAT", dt.date(2026, 11, 1), "0.6")
        before = balance(db, world, LI_XIUYING)
        body = _correct(released)
        assert (body["reversed_bill_no"], body["reversed_fen"]) == (LI_BILL, 5380)
        new = body["new_bill"]
        assert isinstance(new, dict)
        assert (new["bill_no"], new["corrects_bill_no"], new["correction_reason"]) == (
            f"{LI_BILL}-C1", LI_BILL, "电价调整追溯")
        assert [(x["quantity"], x["unit_price"], x["amount_fen"], x["days_from"], x["days_to"]) for x in new["lines"]] \
            == [("21.43", "0.538000", 1153, "2026-10-26", "2026-10-31"),
                ("78.57", "0.600000", 4714, "2026-11-01", "2026-11-22")]
        assert (new["amount_fen"], new["prepayment_applied_fen"], new["principal_open_fen"]) == (5867, 5000, 867)
        assert balance(db, world, LI_XIUYING) == before + 5380 - 5867
        old = db.scalars(select(Bill).where(Bill.bill_no == LI_BILL)).one()
        old_entries = sorted((e.kind, e.amount_fen) for e in db.scalars(
            select(LedgerEntry).where(LedgerEntry.bill_id == old.id)))
        assert old_entries == sorted([(EntryKind.CHARGE, -5380), (EntryKind.PREPAYMENT_TRANSFER, 5000),
                                      (EntryKind.REVERSAL, 5380), (EntryKind.PREPAYMENT_TRANSFER, -5000)])
        books = load_bills(db, customer_id=world.customers[LI_XIUYING], on=dt.date(2026, 11, 23))
        assert [(b.bill_no, b.principal_open_fen) for b in books.bills] == [(f"{LI_BILL}-C1", 867)]
        assert books.prepayment_fen == 0
        assert released.call("bill.get_lines", {"bill_no": LI_BILL}).body["corrected_by_bill_no"] == f"{LI_BILL}-C1"

    def test_lost_answer_resent_with_the_same_key(self, released: Caller, db: Session) -> None:
        """A correction whose answer was lost is sent again with the same key (the client has no button for it
        yet: this is its lost-answer test): the first answer, one correction bill, one audit record; the key
        with another reason is refused."""
        add_version(db, "RES-FLAT", dt.date(2026, 11, 1), "0.6")
        key = "6f1c2a3e-95d4-4b8e-8d7f-2b9e0c1d4a57"
        params = {"bill_no": LI_BILL, "reason": "电价调整追溯"}
        first = released.call("billrun.correct_bill", params, key=key, cosign=SUPER)
        assert first.status == 200, first.body
        again = released.call("billrun.correct_bill", params, key=key, cosign=SUPER)
        assert (again.status, again.body) == (200, first.body)
        db.expire_all()
        assert db.scalar(select(func.count()).select_from(Bill).where(Bill.corrects_bill_id.is_not(None))) == 1
        assert db.scalar(select(func.count(func.distinct(AuditRecord.idempotency_key)))
                         .where(AuditRecord.method == "billrun.correct_bill")) == 1
        other = released.call("billrun.correct_bill", {**params, "reason": "另一原因"}, key=key, cosign=SUPER)
        assert other.code == "IDEMPOTENCY_KEY_REUSED"
        db.expire_all()
        assert db.scalar(select(func.count()).select_from(Bill).where(Bill.corrects_bill_id.is_not(None))) == 1

    def test_needs_a_cosign(self, released: Caller, db: Session, world: World) -> None:
        """Without a supervisor's co-sign nothing is reversed."""
        add_version(db, "RES-FLAT", dt.date(2026, 11, 1), "0.6")
        refused(released, db, "billrun.correct_bill", {"bill_no": LI_BILL, "reason": "x"}, "COSIGN_REQUIRED")

    def test_unknown_bill(self, released: Caller, db: Session) -> None:
        """A bill number nobody issued."""
        refused(released, db, "billrun.correct_bill", {"bill_no": "209912-3301000001", "reason": "x"},
                "BILL_NOT_FOUND", cosign=SUPER)

    def test_bill_corrected_once(self, released: Caller, db: Session, world: World) -> None:
        """The original of a corrected bill is not corrected again: its correction is."""
        add_version(db, "RES-FLAT", dt.date(2026, 11, 1), "0.6")
        _correct(released)
        answer = refused(released, db, "billrun.correct_bill", {"bill_no": LI_BILL, "reason": "x"},
                         "BILL_ALREADY_CORRECTED", cosign=SUPER)
        assert answer.params["corrected_by"] == f"{LI_BILL}-C1"

    def test_nothing_to_correct(self, released: Caller, db: Session) -> None:
        """Priced again from unchanged inputs, the bill is the same: refused."""
        refused(released, db, "billrun.correct_bill", {"bill_no": LI_BILL, "reason": "x"},
                "CORRECTION_CHANGES_NOTHING", cosign=SUPER)

    def test_not_priceable(self, released: Caller, db: Session) -> None:
        """A bill whose period has no readings (a factory bill) cannot be priced again."""
        answer = refused(released, db, "billrun.correct_bill", {"bill_no": f"202609-{ZHANG_WEI}", "reason": "x"},
                         "BILL_NOT_PRICEABLE", cosign=SUPER)
        assert answer.params["anomalies"] == "no_previous"
