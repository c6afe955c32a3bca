"""Tender lines of a payment, checked before anything is sent: cash takes what the other methods leave."""

from __future__ import annotations

import pytest

from client.core.rpc_client import RpcError
from client.core.tenders import PlanError, PlanProblem, TenderEntry, cash_part, plan_tenders
from shared_models.errors import ErrorCode
from shared_models.methods.payments import TenderMethod


class TestPlanTenders:
    """plan_tenders."""

    def test_exact_cash(self) -> None:
        """An empty 'handed over' means the exact cash part: no change."""
        plan = plan_tenders(TenderEntry(amount_fen=12345))
        assert [(t.method, t.amount_fen, t.cash_handed_fen) for t in plan.tenders] == [
            (TenderMethod.CASH, 12345, 12345)]
        assert (plan.change_fen, plan.has_cash) == (0, True)

    def test_cash_with_change(self) -> None:
        """200.00 handed over for 123.45 gives 76.55 change."""
        plan = plan_tenders(TenderEntry(amount_fen=12345, cash_handed_fen=20000))
        assert (plan.cash_fen, plan.cash_handed_fen, plan.change_fen) == (12345, 20000, 7655)

    def test_mixed_card_and_cash(self) -> None:
        """Card 100.00 of 230.00 leaves 130.00 cash; 150.00 handed over gives 20.00 change."""
        plan = plan_tenders(TenderEntry(amount_fen=23000, cash_handed_fen=15000, bank_card_fen=10000,
                                        bank_card_reference="T123"))
        assert [(t.method, t.amount_fen, t.reference) for t in plan.tenders] == [
            (TenderMethod.CASH, 13000, ""), (TenderMethod.BANK_CARD, 10000, "T123")]
        assert plan.change_fen == 2000
        assert sum(t.amount_fen for t in plan.tenders) == 23000

    def test_all_four_methods(self) -> None:
        """Card, QR, cheque and cash in one payment, each once, adding up to the amount."""
        plan = plan_tenders(TenderEntry(amount_fen=10000, bank_card_fen=1000, bank_card_reference="A1",
                                        qr_fen=2000, qr_reference="WX-9", cheque_fen=3000, cheque_number="C 77"))
        assert [t.method for t in plan.tenders] == [TenderMethod.CASH, TenderMethod.BANK_CARD, TenderMethod.QR,
                                                    TenderMethod.CHEQUE]
        assert plan.cash_fen == 4000

    def test_no_cash_part_ignores_handed_over(self) -> None:
        """When the card pays everything there is no cash line, whatever is typed as handed over."""
        plan = plan_tenders(TenderEntry(amount_fen=5000, cash_handed_fen=100, qr_fen=5000, qr_reference="Q1"))
        assert [t.method for t in plan.tenders] == [TenderMethod.QR]
        assert (plan.has_cash, plan.change_fen) == (False, 0)

    @pytest.mark.parametrize("amount", [0, -1, -10000])
    def test_amount_must_be_positive(self, amount: int) -> None:
        """Zero or less is refused."""
        with pytest.raises(PlanError) as caught:
            plan_tenders(TenderEntry(amount_fen=amount))
        assert caught.value.problem is PlanProblem.AMOUNT_NOT_POSITIVE

    def test_cash_handed_below_cash_part(self) -> None:
        """Handing over less than the cash part is refused, naming both amounts."""
        with pytest.raises(PlanError) as caught:
            plan_tenders(TenderEntry(amount_fen=23000, cash_handed_fen=12000, bank_card_fen=10000,
                                     bank_card_reference="T1"))
        assert caught.value.problem is PlanProblem.CASH_TENDERED_TOO_LOW
        assert caught.value.params == {"handed_fen": 12000, "cash_fen": 13000}

    def test_reference_required(self) -> None:
        """A card part without its terminal reference is refused."""
        with pytest.raises(PlanError) as caught:
            plan_tenders(TenderEntry(amount_fen=5000, bank_card_fen=5000, bank_card_reference="  "))
        assert (caught.value.problem, caught.value.params) == (PlanProblem.TENDER_REFERENCE_REQUIRED,
                                                                {"method": "bank_card"})

    def test_parts_exceed_amount(self) -> None:
        """Card and QR parts above the amount are refused (cash would be negative)."""
        entry = TenderEntry(amount_fen=5000, bank_card_fen=4000, bank_card_reference="A", qr_fen=2000,
                            qr_reference="B")
        assert cash_part(entry) == -1000
        with pytest.raises(PlanError) as caught:
            plan_tenders(entry)
        assert caught.value.params == {"parts_fen": 6000, "amount_fen": 5000}

    def test_reference_outside_contract(self) -> None:
        """A reference with characters the contract refuses is the server's INVALID_REQUEST, before sending."""
        with pytest.raises(RpcError) as caught:
            plan_tenders(TenderEntry(amount_fen=5000, cheque_fen=5000, cheque_number="支票#1"))
        assert caught.value.code is ErrorCode.INVALID_REQUEST
