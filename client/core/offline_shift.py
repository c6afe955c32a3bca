"""A shift as the counter sums it up from its own outbox, for when the center cannot answer (SPEC §5).

With the link down the counter cannot ask for ``shift.get_summary``; it knows every payment of the shift
(each went through its outbox), every void confirmed offline (queued there too) and, when the link dropped
after the shift opened, the server's last summary (for voids done online before). :func:`provisional_summary`
builds a :class:`ShiftSummary` from these with the server's own rules (``shared_models.rules``): what the shift
screen shows, what the close dialog counts against, and what the provisional 日结单 prints. The server
recomputes everything when the outbox is replayed; its figures are the final ones.

Pure: reads nothing but the items it is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

from client.core.outbox.items import ItemState, OutboxItem
from shared_models.methods.payments import PAY, VOID_ATTESTED, TenderMethod
from shared_models.methods.shifts import (
    CashCountLine,
    OfflineItemLine,
    OfflineStatus,
    ShiftClosing,
    ShiftInfo,
    ShiftSummary,
    UnsentItem,
    VoidedLine,
)
from shared_models.rules.receipt_ranges import receipt_ranges
from shared_models.rules.shift_totals import PaymentParts, counted_cash_fen, expected_cash_fen, shift_totals

#: States of an item whose money was taken (everything but a refusal the cashier saw come back).
_TAKEN: Final = (ItemState.PENDING, ItemState.DONE, ItemState.ATTENTION)


def _tenders(item: OutboxItem) -> list[tuple[TenderMethod, int]]:
    tenders = item.body.get("tenders")
    if not isinstance(tenders, list):
        return []
    return [(TenderMethod(t["method"]), int(t["amount_fen"])) for t in tenders if isinstance(t, dict)]


def voided_receipts(items: Sequence[OutboxItem], server: ShiftSummary | None = None) -> dict[str, VoidedLine]:
    """Receipts voided offline (queued voids not refused) and online (the server's last summary)."""
    voids = {v.receipt_no: v for v in (server.voids if server is not None else [])}
    for item in items:
        if item.method == VOID_ATTESTED.name and item.state in _TAKEN:
            receipt_no = str(item.body["receipt_no"])
            voids.setdefault(receipt_no, VoidedLine(
                receipt_no=receipt_no, amount_fen=item.amount_fen, voided_at=item.created_at,
                cosigned_by=str(item.summary.get("cosigner_name", "")), reason=str(item.body.get("reason", "")),
                cosign_at_counter=True))
    return voids


def close_unsent(items: Sequence[OutboxItem], unsent: Sequence[UnsentItem],
                 server: ShiftSummary | None = None) -> list[UnsentItem]:
    """The close's unsent list, where a payment voided meanwhile has no cash in the drawer (handed back)."""
    voided = voided_receipts(items, server)
    return [u.model_copy(update={"cash_fen": 0}) if u.receipt_no in voided else u for u in unsent]


def payment_parts(item: OutboxItem, *, voided: bool = False) -> PaymentParts:
    """A queued payment as the shared totals see it: its tenders, and its late fee and prepayment as the counter
    quoted them (the rest went to the bills' principal)."""
    late = int(item.summary.get("late_fee_fen", 0))
    prepaid = int(item.summary.get("prepayment_fen", 0))
    return PaymentParts(amount_fen=item.amount_fen, tenders=tuple(_tenders(item)),
                        electricity_fen=item.amount_fen - late - prepaid, late_fee_fen=late, prepayment_fen=prepaid,
                        voided=voided)


def provisional_summary(info: ShiftInfo, items: Sequence[OutboxItem], *, server: ShiftSummary | None = None,
                        closing: ShiftClosing | None = None) -> ShiftSummary:
    """The shift ``info`` summed up from its outbox ``items`` (see the module docstring).

    Every payment whose money was taken counts, sent or not; pending ones are listed as not yet confirmed.
    The totals and the expected cash (the float plus the cash of the payments not voided) are the server's rule,
    ``shared_models.rules.shift_totals``.
    """
    payments = sorted((i for i in items if i.method == PAY.name and i.state in _TAKEN and i.receipt_no),
                      key=lambda i: i.id)
    voids = voided_receipts(items, server)
    totals = shift_totals(payment_parts(p, voided=p.receipt_no in voids) for p in payments)
    offline = [OfflineItemLine(
        receipt_no=p.receipt_no or "", customer_no=p.customer_no or "", amount_fen=p.amount_fen,
        status=OfflineStatus.CONFIRMED if p.state is ItemState.DONE else OfflineStatus.UNCONFIRMED,
        local_time=_local_time(p), booked_at=p.server_time, booked_shift_no=info.shift_no if p.state is ItemState.DONE
        else None, from_shift_no=None, voided=p.receipt_no in voids,
    ) for p in payments if p.offline or p.state is not ItemState.DONE]
    return ShiftSummary(
        shift=info,
        payments_count=totals.payments_count,
        collected_fen=totals.collected_fen,
        methods=totals.methods,
        businesses=totals.businesses,
        voids=sorted(voids.values(), key=lambda v: (v.voided_at, v.receipt_no)),
        receipts_used=receipt_ranges(p.receipt_no for p in payments if p.receipt_no),
        expected_cash_fen=expected_cash_fen(float_fen=info.float_fen, cash_fen=totals.cash_fen),
        offline_count=sum(1 for p in payments if p.offline and p.receipt_no not in voids),
        closing=closing,
        offline_items=offline,
        offline_unconfirmed=sum(1 for line in offline if line.status is OfflineStatus.UNCONFIRMED),
    )


def offline_closing(*, summary: ShiftSummary, counts: Sequence[CashCountLine], deposit_slip_no: str, note: str,
                    approved_by: str | None, local_time: dt.datetime) -> ShiftClosing:
    """The closing the counter records for a shift it closes with the link down (its own figures)."""
    counted = counted_cash_fen((c.denomination_fen, c.pieces) for c in counts)
    return ShiftClosing(
        closed_at=local_time, counted_cash_fen=counted, difference_fen=counted - summary.expected_cash_fen,
        cash_counts=[c for c in counts if c.pieces], approved_by=approved_by, deposit_slip_no=deposit_slip_no,
        note=note, closed_offline=True, local_closed_at=local_time, cosign_at_counter=approved_by is not None,
    )


def _local_time(item: OutboxItem) -> dt.datetime:
    raw = item.body.get("local_time")
    return dt.datetime.fromisoformat(raw) if isinstance(raw, str) else item.created_at
