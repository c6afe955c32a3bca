"""Each refusal of the bill run methods: a translated error code, and nothing of the books or drafts changed."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.billruns.helpers import (
    BOOK,
    PERIOD,
    add_readings,
    billing,
    calculate,
    calculate_all,
    draft_ref,
    refused,
    run_ref,
)
from tests.factories import CLOSED, COMMERCIAL, WANG_FANG, World
from tests.rpc_helpers import Caller


@pytest.fixture
def calculated(caller: Caller, db: Session, world: World) -> Caller:
    """The run of the book calculated (王芳 without readings), as the billing clerk."""
    add_readings(db, skip=(WANG_FANG,))
    billing(caller)
    calculate_all(caller)
    return caller


@pytest.fixture
def released(calculated: Caller) -> Caller:
    """The run released with 王芳's unpriced draft held."""
    calculated.call("billrun.hold_bill", {**draft_ref(WANG_FANG), "reason": "门闭"})
    assert calculated.call("billrun.release_run", run_ref()).status == 200
    return calculated


class TestRunRefusals:
    def test_book_without_customers(self, caller: Caller, db: Session) -> None:
        """A book nobody is in has no run to calculate."""
        billing(caller)
        answer = refused(caller, db, "billrun.calculate_run", {"book_code": "NO-SUCH", "period": PERIOD},
                         "BOOK_NOT_FOUND")
        assert answer.params == {"book_code": "NO-SUCH"}

    def test_recalculating_a_released_run(self, released: Caller, db: Session) -> None:
        """A released run is never calculated again."""
        refused(released, db, "billrun.calculate_run", run_ref(), "BILL_RUN_RELEASED")

    def test_releasing_twice(self, released: Caller, db: Session) -> None:
        """The second release says who released the run and when, and releases nothing."""
        answer = refused(released, db, "billrun.release_run", run_ref(), "BILL_RUN_ALREADY_RELEASED")
        assert answer.params["released_by"] == "billing1"

    def test_releasing_while_calculating(self, caller: Caller, db: Session, world: World) -> None:
        """A run with chunks still to price cannot be released; the answer says how far it is."""
        add_readings(db)
        billing(caller)
        assert calculate(caller, chunk_size=1).body["state"] == "calculating"
        answer = refused(caller, db, "billrun.release_run", run_ref(), "BILL_RUN_CALCULATING")
        assert (answer.params["done"], answer.params["total"]) == (1, 4)

    def test_unknown_run(self, caller: Caller, db: Session) -> None:
        """Releasing, reading or holding in a run that was never calculated."""
        billing(caller)
        refused(caller, db, "billrun.release_run", run_ref(), "BILL_RUN_NOT_FOUND")
        assert caller.call("billrun.get_run", run_ref()).code == "BILL_RUN_NOT_FOUND"
        assert caller.call("billrun.get_draft", draft_ref(WANG_FANG)).code == "BILL_RUN_NOT_FOUND"
        refused(caller, db, "billrun.hold_bill", {**draft_ref(WANG_FANG), "reason": "x"}, "BILL_RUN_NOT_FOUND")

    @pytest.mark.parametrize(("period", "code"), [
        (202613, "READING_PERIOD_INVALID"), (202600, "READING_PERIOD_INVALID"), (199912, "INVALID_REQUEST"),
        (210001, "INVALID_REQUEST")])
    def test_period_not_a_month(self, caller: Caller, db: Session, period: int, code: str) -> None:
        """A period must be yyyymm of this century (the schema's range), its month 01..12 (the service's check)."""
        billing(caller)
        refused(caller, db, "billrun.calculate_run", {"book_code": BOOK, "period": period}, code)
        assert caller.call("billrun.get_run", {"book_code": BOOK, "period": period}).code == code

    def test_not_a_billing_clerk(self, caller: Caller, db: Session, world: World) -> None:
        """A cashier may read bill lines but not calculate a run."""
        add_readings(db)
        assert caller.login("cashier1").status == 200
        refused(caller, db, "billrun.calculate_run", run_ref(), "PERMISSION_DENIED")


class TestDraftRefusals:
    def test_customer_not_in_run(self, calculated: Caller, db: Session) -> None:
        """A closed customer has no draft in the run."""
        refused(calculated, db, "billrun.hold_bill", {**draft_ref(CLOSED), "reason": "x"}, "BILL_DRAFT_NOT_FOUND")

    def test_holding_twice(self, calculated: Caller, db: Session) -> None:
        """A held draft is not held again (its reason stays the first)."""
        calculated.call("billrun.hold_bill", {**draft_ref(COMMERCIAL), "reason": "first"})
        answer = refused(calculated, db, "billrun.hold_bill", {**draft_ref(COMMERCIAL), "reason": "second"},
                         "BILL_DRAFT_HELD")
        assert answer.params["reason"] == "first"

    def test_hold_needs_a_reason(self, calculated: Caller, db: Session) -> None:
        """An empty reason is refused."""
        refused(calculated, db, "billrun.hold_bill", {**draft_ref(COMMERCIAL), "reason": ""}, "INVALID_REQUEST")

    def test_unholding_a_draft_not_held(self, calculated: Caller, db: Session) -> None:
        """Only a held draft can be released on its own."""
        refused(calculated, db, "billrun.release_bill", draft_ref(COMMERCIAL), "BILL_DRAFT_NOT_HELD")

    def test_recalculating_a_draft_not_held(self, calculated: Caller, db: Session) -> None:
        """Only a held draft is recalculated on its own (the others go with the run)."""
        refused(calculated, db, "billrun.recalculate_bill", draft_ref(COMMERCIAL), "BILL_DRAFT_NOT_HELD")

    def test_holding_a_released_draft(self, released: Caller, db: Session) -> None:
        """A released draft is a bill: it cannot be held any more."""
        refused(released, db, "billrun.hold_bill", {**draft_ref(COMMERCIAL), "reason": "x"}, "BILL_DRAFT_RELEASED")

    def test_recalculating_a_released_draft(self, released: Caller, db: Session) -> None:
        """A released draft is a bill: it is corrected by 退补, not recalculated."""
        refused(released, db, "billrun.recalculate_bill", draft_ref(COMMERCIAL), "BILL_DRAFT_RELEASED")

    def test_releasing_an_unpriced_draft(self, released: Caller, db: Session) -> None:
        """A held draft without a reading cannot be released on its own; it stays held."""
        refused(released, db, "billrun.release_bill", draft_ref(WANG_FANG), "BILL_DRAFT_NOT_PRICED")
