"""The 日结单 the counter shows: the server's checked report, or with the link down the counter's provisional one.

The server assembles and checks the report (``settlement.get_daily``). Shifts this counter closed with the
link down and has not replayed yet are not on the server: for them the counter assembles the report from its
own figures with the same rule (``shared_models.rules.settlement``), checks it the same way, and marks it
provisional (printed 临时) until its outbox has been replayed. Qt-free; :func:`load_settlement` is a worker's
job (network and disk).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from client.core.outbox.queue import Outbox
from client.core.rpc_client import RpcClient
from client.core.shift_ops import pending_closes
from shared_models.methods.settlement import SETTLEMENT, DailySettlement, SettlementRequest
from shared_models.methods.shifts import ShiftSummary
from shared_models.rules.hall_time import business_date, hall_now
from shared_models.rules.settlement import assemble_settlement, check_settlement


def hall_today(now: dt.datetime | None = None) -> dt.date:
    """Today's business date in the hall's time zone (``shared_models.rules.hall_time``)."""
    return business_date(now or hall_now())


def provisional_settlement(summaries: Sequence[ShiftSummary], *, hall_name: str, printed_by: str,
                           now: dt.datetime) -> DailySettlement:
    """The day's 日结单 of shifts the counter closed with the link down (its own figures), checked, marked
    provisional. Prepayment balances are the center's and unknown here: printed as 0.
    :class:`shared_models.rules.settlement.SettlementMismatchError` when the figures do not agree."""
    first = summaries[0].shift
    report = assemble_settlement(
        hall_code=first.hall_code, hall_name=hall_name, business_date=first.business_date, summaries=summaries,
        prepayment_opening_fen=0, prepayment_closing_fen=0, generated_at=now, generated_by=printed_by,
        provisional=True,
    )
    if report is not None:
        check_settlement(report)
    return DailySettlement(hall_code=first.hall_code, hall_name=hall_name, business_date=first.business_date,
                           open_shifts=[], report=report)


def load_settlement(*, rpc: RpcClient, outbox: Outbox | None, day: dt.date, whole_hall: bool, hall_name: str,
                    printed_by: str, now: dt.datetime) -> DailySettlement:
    """(worker) The 日结单 of ``day``: the counter's provisional one while shifts it closed offline wait in its
    outbox (own shifts only), else the server's."""
    own = pending_closes(outbox, day) if outbox is not None and not whole_hall else []
    if own:
        return provisional_settlement(own, hall_name=hall_name, printed_by=printed_by, now=now)
    return rpc.call(SETTLEMENT, SettlementRequest(business_date=day, whole_hall=whole_hall))
