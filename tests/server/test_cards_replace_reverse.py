"""Replacement cards 补卡 and reversals 冲正 of card sales, with the emulated card and meter; the shift totals and the
日结单 with 购电 and 业务费; payment.void_payment refused on a card receipt."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from client.devices.cardsim.meter import Outcome
from server.models.ledger import EntryKind, LedgerEntry
from tests.rpc_helpers import Caller
from tests.server.card_helpers import (
    PREPAID_A,
    SERIAL_A,
    SERIAL_B,
    SUPER,
    blank,
    card_dispatcher,
    card_world,
    cc,
    confirm,
    files,
    insert,
    meter,
    opened,
    read,
    sale,
    tenders,
    write,
)
from tests.server.payment_helpers import receipt
from tests.server.shift_helpers import close, yuan_notes

__all__ = ["card_dispatcher", "card_world", "cc"]  # fixtures


@pytest.fixture
def ready(cc: Caller) -> Any:
    """PREPAID_A's card opened with 100 yuan, confirmed and credited by its meter."""
    card, m = blank(), meter()
    opened(cc, card, m)
    return card, m


def _replace(caller: Caller, card: Any, seq: int, *, fee: int = 2_000) -> Any:
    return caller.call("card.replace_card", {"customer_no": PREPAID_A, "files": files(card),
                                             "receipt_no": receipt(seq), "tenders": tenders(fee), "reason": "卡丢失"})


def _reverse(caller: Caller, card: Any, count: int, *, cosign: tuple[str, str] | None = SUPER) -> Any:
    return caller.call("card.reverse_sale", {"customer_no": PREPAID_A, "purchase_count": count, "files": files(card),
                                             "reason": "顾客不要了"}, cosign=cosign)


class TestReplacement:
    def test_uncredited_purchase_carried_and_old_card_refused(self, cc: Caller, ready: Any) -> None:
        old, m = ready
        assert sale(cc, old, PREPAID_A, 5_000, seq=2, count=2).status == 200
        write(cc, old, PREPAID_A, 2, auth=True)
        assert confirm(cc, old, PREPAID_A, 2).status == 200  # written, never inserted; then the card is lost
        new = blank(SERIAL_B)
        answer = _replace(cc, new, 3)
        assert answer.status == 200, answer.body
        body = answer.body
        assert (body["kind"], body["purchase_count"], body["write_amount_fen"]) == ("replacement", 2, 5_000)
        assert (body["paid_fen"], body["deducted_fen"]) == (2_000, 2_000)
        assert body["receipt"]["card"]["kind"] == "replacement"
        assert read(cc, old, PREPAID_A).body["refusal"]["code"] == "CARD_RETIRED"
        write(cc, new, PREPAID_A, 2, auth=True)
        assert confirm(cc, new, PREPAID_A, 2).status == 200
        assert insert(m, new).credited_fen == 5_000  # the carried purchase, credited once
        assert insert(m, old).outcome is Outcome.SERIAL_MISMATCH
        assert m.state.remaining_fen == 15_000
        view = read(cc, new, PREPAID_A).body
        assert view["sale"]["next_purchase_count"] == 3
        history = cc.call("card.get_history", {"customer_no": PREPAID_A}).body
        assert [c["serial"] for c in history["cards"]] == [SERIAL_B.hex().upper(), SERIAL_A.hex().upper()]
        assert history["cards"][1]["retire_reason"] == "卡丢失"

    def test_credited_purchase_not_credited_again(self, cc: Caller, ready: Any) -> None:
        _, m = ready
        new = blank(SERIAL_B)
        assert _replace(cc, new, 2).status == 200
        write(cc, new, PREPAID_A, 1, auth=True)
        assert confirm(cc, new, PREPAID_A, 1).status == 200
        result = insert(m, new)
        assert (result.outcome, result.credited_fen) == (Outcome.SAME_COUNT, 0)
        assert m.state.serial == SERIAL_B

    def test_pending_write_superseded(self, cc: Caller, ready: Any) -> None:
        old, m = ready
        assert sale(cc, old, PREPAID_A, 5_000, seq=2, count=2).status == 200  # never written
        new = blank(SERIAL_B)
        assert _replace(cc, new, 3).status == 200
        history = cc.call("card.get_history", {"customer_no": PREPAID_A}).body
        assert history["pending"]["kind"] == "replacement"
        write(cc, new, PREPAID_A, 2, auth=True)
        assert confirm(cc, new, PREPAID_A, 2).status == 200
        assert insert(m, new).credited_fen == 5_000

    def test_refusals(self, cc: Caller, ready: Any) -> None:
        assert _replace(cc, ready[0], 2).code == "CARD_NOT_BLANK"
        assert _replace(cc, blank(SERIAL_B), 2, fee=1_000).code == "CARD_AMOUNT_BELOW_MIN"
        other = cc.call("card.replace_card", {"customer_no": "3301000102", "files": files(blank(SERIAL_B)),
                                              "receipt_no": receipt(2), "tenders": tenders(2_000), "reason": "卡坏了"})
        assert other.code == "CARD_NONE_ISSUED"


class TestReversal:
    def test_pending_not_on_card(self, cc: Caller, ready: Any, db: Session) -> None:
        card, m = ready
        assert sale(cc, card, PREPAID_A, 5_000, seq=2, count=2).status == 200
        assert _reverse(cc, card, 2, cosign=None).code == "COSIGN_REQUIRED"
        answer = _reverse(cc, card, 2)
        assert answer.status == 200, answer.body
        assert (answer.body["cancel_write"], answer.body["amount_fen"]) == (False, 5_000)
        assert answer.body["receipt_no"] == receipt(2)
        assert cc.call("payment.get_receipt", {"receipt_no": receipt(2)}).body["voided"] is True
        history = cc.call("card.get_history", {"customer_no": PREPAID_A}).body
        assert history["purchases"][0]["state"] == "reversed"
        assert history["pending"] is None
        # the count goes to the next sale, which the meter credits
        again = sale(cc, card, PREPAID_A, 3_000, seq=3, count=2)
        assert again.status == 200, again.body
        write(cc, card, PREPAID_A, 2, auth=True)
        assert confirm(cc, card, PREPAID_A, 2).status == 200
        assert insert(m, card).credited_fen == 3_000
        assert m.state.remaining_fen == 13_000

    def test_on_card_not_inserted_gets_a_cancel_write(self, cc: Caller, ready: Any, db: Session) -> None:
        card, m = ready
        assert sale(cc, card, PREPAID_A, 5_000, seq=2, count=2).status == 200
        write(cc, card, PREPAID_A, 2, auth=True)
        assert confirm(cc, card, PREPAID_A, 2).status == 200
        answer = _reverse(cc, card, 2)
        assert answer.status == 200, answer.body
        assert answer.body["cancel_write"] is True
        assert read(cc, card, PREPAID_A).body["pending"]["kind"] == "cancel"
        write(cc, card, PREPAID_A, 2, auth=False)
        assert confirm(cc, card, PREPAID_A, 2).status == 200
        assert insert(m, card).credited_fen == 0
        assert m.state.remaining_fen == 10_000
        assert read(cc, card, PREPAID_A).body["sale"]["next_purchase_count"] == 3
        reversals = db.scalar(select(func.count()).select_from(LedgerEntry)
                              .where(LedgerEntry.kind == EntryKind.REVERSAL))
        assert reversals == 0  # no arrears were settled: the card part had no ledger entry to reverse

    def test_credited_refused(self, cc: Caller, ready: Any) -> None:
        card, m = ready
        assert sale(cc, card, PREPAID_A, 5_000, seq=2, count=2).status == 200
        write(cc, card, PREPAID_A, 2, auth=True)
        assert confirm(cc, card, PREPAID_A, 2).status == 200
        assert insert(m, card).credited_fen == 5_000
        answer = _reverse(cc, card, 2)
        assert answer.code == "CARD_REVERSAL_REFUSED"
        assert answer.params["reason"] == "credited"
        assert _reverse(cc, card, 1).code == "CARD_REVERSAL_REFUSED"  # not a sale (the opening)

    def test_void_payment_refused_on_a_card_receipt(self, cc: Caller, ready: Any) -> None:
        answer = cc.call("payment.void_payment", {"receipt_no": receipt(1), "reason": "录错"}, cosign=SUPER)
        assert answer.code == "CARD_SALE_USE_CARD_REVERSAL"


class TestTotals:
    def test_shift_and_settlement_count_card_purchase_and_fee(self, cc: Caller, ready: Any) -> None:
        card, _ = ready
        assert sale(cc, card, PREPAID_A, 5_000, seq=2, count=2, pay=[
            {"method": "cash", "amount_fen": 3_000, "cash_handed_fen": 3_000},
            {"method": "qr", "amount_fen": 2_000, "reference": "WX-1"}]).status == 200
        assert _replace(cc, blank(SERIAL_B), 3).status == 200
        shift_no = cc.call("shift.get_current", {}).body["shift"]["shift_no"]
        summary = cc.call("shift.get_summary", {"shift_no": shift_no}).body
        businesses = {b["business"]: (b["count"], b["amount_fen"]) for b in summary["businesses"]}
        assert businesses == {"card_purchase": (2, 15_000), "service_fee": (1, 2_000)}
        methods = {m["method"]: m["amount_fen"] for m in summary["methods"]}
        assert methods == {"cash": 15_000, "qr": 2_000}
        assert summary["collected_fen"] == 17_000
        closed = close(cc, shift_no, yuan_notes(15_000))
        assert closed.status == 200, closed.body
        daily = cc.call("settlement.get_daily", {"business_date": "2026-11-23", "whole_hall": False})
        assert daily.status == 200, daily.body
        report = daily.body["report"]
        lines = {b["business"]: b["amount_fen"] for b in report["cashiers"][0]["businesses"]["lines"]}
        assert lines == {"card_purchase": 15_000, "service_fee": 2_000}
        assert report["prepayment_closing_fen"] == report["prepayment_opening_fen"]
