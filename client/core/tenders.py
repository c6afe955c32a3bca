"""How the money of one payment is handed over: the tender lines of ``payment.pay_bills``, checked before
anything is sent. Qt-free and pure.

The cashier types the amount and, for a mixed payment, the bank card, QR and cheque parts with their
references; cash takes whatever is left, so the parts always add up to the amount. An empty "cash
handed over" means the exact cash part was handed over (no change).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from client.core.rpc_client import make_request
from shared_models.methods.payments import Tender, TenderMethod
from shared_models.money import Fen
from shared_models.rules.allocation import AllocationError, change_due


class PlanProblem(StrEnum):
    """Why the entry cannot be confirmed; the first three are the server's codes for the same refusal."""

    AMOUNT_NOT_POSITIVE = "AMOUNT_NOT_POSITIVE"
    CASH_TENDERED_TOO_LOW = "CASH_TENDERED_TOO_LOW"
    TENDER_REFERENCE_REQUIRED = "TENDER_REFERENCE_REQUIRED"
    PARTS_EXCEED_AMOUNT = "PARTS_EXCEED_AMOUNT"


class PlanError(ValueError):
    """An entry that cannot be confirmed: a problem code and its message parameters (fen amounts)."""

    def __init__(self, problem: PlanProblem, **params: str | int) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.params: dict[str, str | int] = params


@dataclass(frozen=True, kw_only=True)
class TenderEntry:
    """What the cashier typed; amounts in fen, None where the field is empty."""

    amount_fen: int
    cash_handed_fen: int | None = None
    bank_card_fen: int | None = None
    bank_card_reference: str = ""
    qr_fen: int | None = None
    qr_reference: str = ""
    cheque_fen: int | None = None
    cheque_number: str = ""


@dataclass(frozen=True, kw_only=True)
class TenderPlan:
    """The checked tender lines, with the cash part and the change to give back."""

    tenders: tuple[Tender, ...]
    cash_fen: int
    cash_handed_fen: int
    change_fen: int

    @property
    def has_cash(self) -> bool:
        """Whether part of the payment is cash (the drawer opens)."""
        return self.cash_fen > 0


def cash_part(entry: TenderEntry) -> int:
    """The amount minus the non-cash parts (negative when those exceed the amount)."""
    others = sum(v or 0 for v in (entry.bank_card_fen, entry.qr_fen, entry.cheque_fen))
    return entry.amount_fen - others


def plan_tenders(entry: TenderEntry) -> TenderPlan:
    """The tender lines of ``entry``; :class:`PlanError` when it cannot be confirmed (``RpcError``
    INVALID_REQUEST for a reference the contract refuses)."""
    if entry.amount_fen <= 0:
        raise PlanError(PlanProblem.AMOUNT_NOT_POSITIVE)
    tenders: list[Tender] = []
    for method, fen, reference in (
        (TenderMethod.BANK_CARD, entry.bank_card_fen, entry.bank_card_reference),
        (TenderMethod.QR, entry.qr_fen, entry.qr_reference),
        (TenderMethod.CHEQUE, entry.cheque_fen, entry.cheque_number),
    ):
        if fen is None or fen == 0:
            continue
        if fen < 0:
            raise PlanError(PlanProblem.AMOUNT_NOT_POSITIVE)
        if not reference.strip():
            raise PlanError(PlanProblem.TENDER_REFERENCE_REQUIRED, method=method.value)
        # make_request: a reference the contract refuses is the RpcError the server would send
        tenders.append(make_request(Tender, method=method, amount_fen=fen, reference=reference.strip()))
    cash = cash_part(entry)
    if cash < 0:
        raise PlanError(PlanProblem.PARTS_EXCEED_AMOUNT, parts_fen=entry.amount_fen - cash,
                        amount_fen=entry.amount_fen)
    if cash == 0:
        return TenderPlan(tenders=tuple(tenders), cash_fen=0, cash_handed_fen=0, change_fen=0)
    handed = cash if entry.cash_handed_fen is None else entry.cash_handed_fen
    try:  # the change rule the server applies (``shared_models.rules.allocation.change_due``)
        change = change_due(cash_tendered_fen=Fen(max(handed, 0)), cash_part_fen=Fen(cash))
    except AllocationError:
        raise PlanError(PlanProblem.CASH_TENDERED_TOO_LOW, handed_fen=handed, cash_fen=cash) from None
    tenders.insert(0, Tender(method=TenderMethod.CASH, amount_fen=cash, cash_handed_fen=handed))
    return TenderPlan(tenders=tuple(tenders), cash_fen=cash, cash_handed_fen=handed, change_fen=change)
