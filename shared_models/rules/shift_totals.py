"""A shift's totals and its drawer (SPEC C4, DOMAIN §8): one summation for the server and the offline counter.

The server sums a shift from its books (``server/services/shift_summary.py``), the counter with the link down
from its outbox (``client/core/offline_shift.py``); both turn each payment into :class:`PaymentParts` and call
:func:`shift_totals` and :func:`expected_cash_fen`, so the screen's figures offline and the center's agree.

* By tender method: one line per tender of a payment not voided (count and amount).
* By business type: 电费 is what went to the bills' principal, 违约金 to their late fees, 预收 to prepayment,
  购电 onto a prepaid card (the write amount of a card sale), 业务费 to a fee (the replacement card fee); a payment
  counts once in each type it paid something to; types without money are left out.
* Expected cash (应有现金): the float plus the cash part of the payments not voided (tendered minus change),
  plus the cash of unsent items in the drawer, minus the cash of payments booked here whose money an earlier
  shift's drawer held.
* The cash count: a line is worth its denomination times its pieces (:func:`count_line_fen`); a count takes each
  denomination of :data:`DENOMINATIONS_FEN` at most once, never negative pieces (:func:`counted_cash_fen`).
* At the close the drawer holds the expected cash and the cash of the payments not yet confirmed; a difference,
  or any unconfirmed payment, needs a supervisor's co-sign (:func:`drawer_at_close`, :func:`cosign_needed`).
  The server checks a close with it, the counter's close dialog shows it.

Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from shared_models.methods.payments import BusinessType, TenderMethod
from shared_models.methods.shifts import DENOMINATIONS_FEN, BusinessTotalLine, MethodTotalLine


@dataclass(frozen=True, kw_only=True, slots=True)
class PaymentParts:
    """One payment of a shift as the totals see it: what it brought in by tender, and where the money went."""

    amount_fen: int
    tenders: tuple[tuple[TenderMethod, int], ...]
    electricity_fen: int
    late_fee_fen: int
    prepayment_fen: int
    voided: bool = False
    #: What went onto a prepaid card (购电); the offline counter sells no cards, so its callers leave it 0.
    card_purchase_fen: int = 0
    #: What went to a business fee (业务费: the replacement card fee).
    service_fee_fen: int = 0

    @property
    def cash_fen(self) -> int:
        """The cash part (what stays in the drawer: tendered minus change)."""
        return sum(amount for method, amount in self.tenders if method is TenderMethod.CASH)


@dataclass(frozen=True, kw_only=True, slots=True)
class ShiftTotals:
    """The totals of a shift's payments not voided."""

    payments_count: int
    collected_fen: int
    methods: list[MethodTotalLine]
    businesses: list[BusinessTotalLine]
    cash_fen: int


def shift_totals(payments: Iterable[PaymentParts]) -> ShiftTotals:
    """Totals by tender method (``TenderMethod`` order) and business type (``BusinessType`` order) over the
    payments not voided."""
    kept = [p for p in payments if not p.voided]
    by_method: dict[TenderMethod, tuple[int, int]] = {}
    by_business: dict[BusinessType, tuple[int, int]] = {}
    for p in kept:
        for method, amount in p.tenders:
            n, fen = by_method.get(method, (0, 0))
            by_method[method] = (n + 1, fen + amount)
        for business, amount in ((BusinessType.ELECTRICITY, p.electricity_fen), (BusinessType.LATE_FEE, p.late_fee_fen),
                                 (BusinessType.PREPAYMENT, p.prepayment_fen),
                                 (BusinessType.CARD_PURCHASE, p.card_purchase_fen),
                                 (BusinessType.SERVICE_FEE, p.service_fee_fen)):
            if amount > 0:
                n, fen = by_business.get(business, (0, 0))
                by_business[business] = (n + 1, fen + amount)
    return ShiftTotals(
        payments_count=len(kept),
        collected_fen=sum(p.amount_fen for p in kept),
        methods=[MethodTotalLine(method=m, count=by_method[m][0], amount_fen=by_method[m][1])
                 for m in TenderMethod if m in by_method],
        businesses=[BusinessTotalLine(business=b, count=by_business[b][0], amount_fen=by_business[b][1])
                    for b in BusinessType if b in by_business],
        cash_fen=sum(p.cash_fen for p in kept),
    )


def expected_cash_fen(*, float_fen: int, cash_fen: int, unsent_cash_fen: int = 0, carried_in_cash_fen: int = 0) -> int:
    """What the drawer should hold: the float plus the cash taken (``cash_fen``), plus the cash of unsent items
    signed at the close and not booked here, minus the cash of payments booked here that an earlier shift's close
    had signed as unsent (that drawer held it)."""
    return float_fen + cash_fen + unsent_cash_fen - carried_in_cash_fen


def drawer_expected_fen(*, expected_cash_fen: int, unsent_cash: Iterable[int]) -> int:
    """What the drawer holds at the close: the expected cash and the cash of the payments not yet confirmed."""
    return expected_cash_fen + sum(unsent_cash)


def cosign_needed(*, difference_fen: int, unsent_count: int) -> bool:
    """A close needs a supervisor's co-sign when the counted cash differs from the expected (to approve the
    difference) or when payments are not yet confirmed (to sign their list)."""
    return difference_fen != 0 or unsent_count > 0


class CashCountError(ValueError):
    """A cash count the close refuses: a denomination not counted at close or counted twice, or negative pieces."""

    def __init__(self, message: str, *, denomination_fen: int) -> None:
        super().__init__(message)
        self.denomination_fen = denomination_fen


def count_line_fen(*, denomination_fen: int, pieces: int) -> int:
    """What one line of a cash count is worth (fen): the denomination times its pieces."""
    return denomination_fen * pieces


def counted_cash_fen(lines: Iterable[tuple[int, int]]) -> int:
    """What a cash count of ``(denomination_fen, pieces)`` lines is worth (fen).

    Raises :class:`CashCountError` for a denomination not in :data:`DENOMINATIONS_FEN`, one counted twice, or a
    negative number of pieces.
    """
    total = 0
    seen: set[int] = set()
    for denomination, pieces in lines:
        if denomination not in DENOMINATIONS_FEN:
            raise CashCountError(f"{denomination} fen is not a denomination counted at close",
                                 denomination_fen=denomination)
        if denomination in seen:
            raise CashCountError(f"{denomination} fen is counted twice", denomination_fen=denomination)
        if pieces < 0:
            raise CashCountError("a negative number of pieces", denomination_fen=denomination)
        seen.add(denomination)
        total += count_line_fen(denomination_fen=denomination, pieces=pieces)
    return total


@dataclass(frozen=True, kw_only=True, slots=True)
class DrawerAtClose:
    """What a close is counted against: the cash the drawer should hold and the payments not yet confirmed."""

    #: What the drawer should hold: the shift's expected cash plus the cash of the unsent payments.
    expected_fen: int
    #: Of which the cash of the payments not yet confirmed.
    unsent_cash_fen: int
    unsent_count: int

    def difference_fen(self, counted_fen: int) -> int:
        """Counted minus expected (fen): positive 长款, negative 短款."""
        return counted_fen - self.expected_fen

    def cosign_needed(self, counted_fen: int) -> bool:
        """Whether a count worth ``counted_fen`` closes only with a supervisor's co-sign."""
        return cosign_needed(difference_fen=self.difference_fen(counted_fen), unsent_count=self.unsent_count)


def drawer_at_close(*, expected_cash_fen: int, unsent_cash: Sequence[int]) -> DrawerAtClose:
    """The drawer at the close of a shift whose books expect ``expected_cash_fen``, with one cash figure per
    payment not yet confirmed (zero for one whose cash is not in the drawer: voided, or booked in this shift)."""
    return DrawerAtClose(expected_fen=drawer_expected_fen(expected_cash_fen=expected_cash_fen, unsent_cash=unsent_cash),
                         unsent_cash_fen=sum(unsent_cash), unsent_count=len(unsent_cash))
