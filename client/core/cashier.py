"""Taking a payment at the counter through the outbox (SPEC §5), online or offline.

:func:`take_payment` is what the desk (and the chaos test's simulated counters) call when the cashier
confirms: the request, its idempotency key and the receipt number go to the outbox in one durable
transaction; then the sync worker sends it. When the server answers within ``wait_s`` the receipt is the
server's; when it does not (the link is down, or the answer is lost) the payment is *accepted offline*:
the counter hands over a receipt marked 离线受理 with its own receipt number, built from the allocation
the cashier saw, and the outbox sends it when the link returns (a bill paid elsewhere meanwhile turns the
money into prepayment on the server — never lost, never refused).

Qt-free and blocking: run it in an ``Op``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from client.core.outbox.items import ItemState, OutboxItem
from client.core.outbox.queue import Outbox
from client.core.rpc_client import RpcError
from client.core.sync import LinkState, SyncWorker
from shared_models.errors import ErrorCode
from shared_models.methods.payments import PAY, PaymentReceipt, PayRequest, Quote, Tender
from shared_models.rules.receipts import ReceiptHeader, build_receipt

log = logging.getLogger(__name__)

#: How long the cashier waits for the server's answer before the payment is accepted offline.
DESK_WAIT_S: Final = 6.0


@dataclass(frozen=True)
class PaymentOutcome:
    """What became of a confirmed payment."""

    item: OutboxItem
    #: The receipt to print: the server's, or the counter's own for a payment accepted offline; None if refused.
    receipt: PaymentReceipt | None
    offline: bool
    refused: RpcError | None


def offline_receipt(*, quote: Quote, tenders: Sequence[Tender], receipt_no: str, header: ReceiptHeader,
                    local_time: dt.datetime) -> PaymentReceipt:
    """The receipt of a payment accepted offline, from the allocation the cashier confirmed: the server's
    receipt rule (``shared_models.rules.receipts``), taken at the counter's clock and marked 离线受理."""
    return build_receipt(receipt_no=receipt_no, header=header, quote=quote, tenders=tenders, paid_at=local_time,
                         local_time=local_time, accepted_offline=True)


def refusal_of(item: OutboxItem) -> RpcError:
    """The server's refusal stored on an outbox item, as the error the desk shows (unknown codes: internal)."""
    try:
        code = ErrorCode(item.last_error or ErrorCode.INTERNAL_ERROR.value)
    except ValueError:
        code = ErrorCode.INTERNAL_ERROR
    return RpcError(code, item.last_error_params)


def outcome_of(item: OutboxItem, *, quote: Quote, tenders: Sequence[Tender], header: ReceiptHeader,
               local_time: dt.datetime) -> PaymentOutcome:
    """The outcome an outbox item stands for right now."""
    if item.state is ItemState.DONE and item.result is not None:
        return PaymentOutcome(item=item, receipt=PaymentReceipt.model_validate_json(item.result_json),
                              offline=item.offline, refused=None)
    if item.state in (ItemState.REJECTED, ItemState.ATTENTION):
        return PaymentOutcome(item=item, receipt=None, offline=item.offline, refused=refusal_of(item))
    assert item.receipt_no is not None
    return PaymentOutcome(item=item, offline=True, refused=None, receipt=offline_receipt(
        quote=quote, tenders=tenders, receipt_no=item.receipt_no, header=header, local_time=local_time))


def take_payment(
    *, outbox: Outbox, sync: SyncWorker, username: str, header: ReceiptHeader, server_next_seq: int,
    quote: Quote, tenders: Sequence[Tender], local_time: dt.datetime, wait_s: float = DESK_WAIT_S,
) -> PaymentOutcome:
    """Queue the payment, wait up to ``wait_s`` for the server, else accept it offline (see the module doc).

    ``quote`` is the allocation the cashier confirmed (the server's, or the customer cache's when offline):
    its ``due_fen`` goes along as the due the cashier saw. :class:`client.core.outbox.OutboxFullError` (disk
    full) and other :class:`client.core.outbox.OutboxError` propagate: nothing was queued, no receipt may
    be printed.
    """
    offline_now = sync.link is LinkState.DOWN

    def build(receipt_no: str | None) -> PayRequest:
        assert receipt_no is not None
        return PayRequest(customer_no=quote.customer_no, receipt_no=receipt_no, tenders=list(tenders),
                          quoted_due_fen=quote.due_fen, accepted_offline=offline_now, local_time=local_time)

    item = outbox.submit(
        method=PAY.name, build=build, counter_code=header.counter_code, username=username,
        shift_no=header.shift_no, customer_no=quote.customer_no, amount_fen=sum(t.amount_fen for t in tenders),
        # the allocation the cashier saw: what a shift summed up at the counter books by business type
        summary={"customer_name": quote.customer_name, "methods": sorted({t.method.value for t in tenders}),
                 "late_fee_fen": sum(line.pay_late_fee_fen for line in quote.lines),
                 "prepayment_fen": quote.to_prepayment_fen},
        numbered=True, server_next_seq=server_next_seq, offline=offline_now,
    )
    if not offline_now:
        sync.watch(item.id)
        try:
            item = sync.wait_for(item.id, wait_s)
            if item.state is ItemState.PENDING:
                item = outbox.accept_offline(item.id, patch={"accepted_offline": True})
                log.info("payment %s accepted offline after %.1f s without an answer", item.receipt_no, wait_s)
        finally:
            sync.unwatch(item.id)
    else:
        sync.wake()
    return outcome_of(item, quote=quote, tenders=tenders, header=header, local_time=local_time)
