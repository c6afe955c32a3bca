"""Set-up for the bill run screens against the live server: the factories' book ``T01-B001`` read.

The meter reader's September, October and November readings are entered over the wire as the handheld sends
them (so none is flagged as entered by hand; October's consumption is the history November is compared with);
the screens under test then calculate, review and release the book's 2026-11.
"""

from __future__ import annotations

import datetime as dt

from client.core.rpc_client import Cosign
from shared_models.methods.readings import ENTER_READING, EnterReadingRequest, ReadingSource, ReadingStatus, Register
from tests.action_helpers import confirmed
from tests.e2e.conftest import LiveServer
from tests.factories import COMMERCIAL, LI_XIUYING, WANG_FANG, ZHANG_WEI, password_for
from tests.ui.live_helpers import live_client

TIMEOUT_MS = 20_000
BOOK, PERIOD = "T01-B001", 202611
SUPERVISOR = Cosign(username="super1", password=password_for("super1"))
#: The book's customers in the order the review lists them (by customer number).
CUSTOMERS = (ZHANG_WEI, LI_XIUYING, WANG_FANG, COMMERCIAL)


def asset_no(customer_no: str) -> str:
    """The factories' meter of ``customer_no``."""
    return f"{CUSTOMERS.index(customer_no):022d}"


#: When each period is read.
READ_ON = {202609: dt.date(2026, 9, 25), 202610: dt.date(2026, 10, 25), PERIOD: dt.date(2026, 11, 22)}


def enter_readings(live: LiveServer, readings: dict[str, tuple[str, str, str]]) -> None:
    """户号 → (value of 2026-09, of 2026-10, of 2026-11): entered by ``reader1`` from the handheld, co-signed."""
    rpc, _ = live_client(live, "reader1", "T0101")
    try:
        for customer_no, values in readings.items():
            for (period, day), value in zip(READ_ON.items(), values, strict=True):
                rpc.send(ENTER_READING, EnterReadingRequest(
                    asset_no=asset_no(customer_no), period=period, read_on=day, status=ReadingStatus.ACTUAL,
                    source=ReadingSource.HANDHELD, values={Register.TOTAL: value}),
                    action=confirmed(), cosign=SUPERVISOR)
    finally:
        rpc.close()
