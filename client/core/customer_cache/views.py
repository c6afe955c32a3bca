"""What the desk reads about one cached customer: the 360 view and the quote, computed for the counter's
business day by the server's rules (late fees by ``shared_models.rules.late_fees`` via
``CachedBill.view_on``, the quote by ``shared_models.rules.quote``), so a new day costs no refresh and a
cache days old quotes today's fee."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from client.core.customer_cache.store import CacheFile, stored_time
from client.core.rpc_client import RpcError, make_request
from shared_models.errors import ErrorCode
from shared_models.methods.cache import CachedBill
from shared_models.methods.customers import (
    CustomerCategory,
    CustomerOverview,
    CustomerProfile,
    CustomerStatus,
    MeterInfo,
    PaymentMode,
)
from shared_models.methods.payments import Quote, QuoteRequest
from shared_models.money import Fen
from shared_models.rules.allocation import AllocationError
from shared_models.rules.quote import quote_payment


@dataclass(frozen=True)
class CachedOverview:
    """The 360 view from the cache: the server's model (no recent payments) and when it was true."""

    overview: CustomerOverview
    #: Server time of the last complete refresh (None: the cache was never complete).
    as_of: dt.datetime | None
    #: A payment accepted offline was booked into these figures since the server last sent them.
    local_changes: bool


def cache_age_days(as_of: dt.datetime | None, now: dt.datetime) -> int | None:
    """Whole days since the last complete refresh (0: less than a day); None if it never completed."""
    if as_of is None:
        return None
    return max((now - as_of) // dt.timedelta(days=1), 0)


def read_customer(conn: sqlite3.Connection, customer_no: str
                  ) -> tuple[sqlite3.Row, list[sqlite3.Row], list[CachedBill]]:
    """The customer's row, meters and open bills; ``CUSTOMER_NOT_FOUND`` (as RpcError) if not cached."""
    row = conn.execute("SELECT * FROM customers WHERE customer_no = ?", (customer_no,)).fetchone()
    if row is None:
        raise RpcError(ErrorCode.CUSTOMER_NOT_FOUND, {"customer_no": customer_no})
    meters = conn.execute("SELECT * FROM meters WHERE customer_no = ? ORDER BY seq", (customer_no,)).fetchall()
    bills = conn.execute("SELECT * FROM bills WHERE customer_no = ? ORDER BY seq", (customer_no,)).fetchall()
    return row, meters, [CachedBill.model_validate_json(b["bill"]) for b in bills]


def overview(file: CacheFile, customer_no: str, *, day: dt.date) -> CachedOverview:
    """The 360 view as cached (no recent payments, no card) with late fees to ``day``; ``CUSTOMER_NOT_FOUND``
    if not cached."""
    def read(conn: sqlite3.Connection) -> tuple[sqlite3.Row, list[sqlite3.Row], list[CachedBill], dict[str, str]]:
        with file.transaction(conn, write=False):
            return (*read_customer(conn, customer_no), file.meta(conn))

    row, meters, cached, meta = file.run(read)
    bills = [b.view_on(day) for b in cached]
    late_fee = sum(b.late_fee_fen for b in bills)
    profile = CustomerProfile(
        customer_no=row["customer_no"], name=row["name"], address=row["address"], phone=row["phone"],
        id_number_masked=row["id_number_masked"], category=CustomerCategory(row["category"]),
        status=CustomerStatus(row["status"]), payment_mode=PaymentMode(row["payment_mode"]),
        hall_code=row["hall_code"], tariff_name=row["tariff_name"],
        meters=[MeterInfo(asset_no=m["asset_no"], multiplier=m["multiplier"], digits=m["digits"]) for m in meters],
        balance_fen=row["balance_fen"],
    )
    view = CustomerOverview(
        profile=profile, open_bills=bills, arrears_fen=row["arrears_fen"], late_fee_fen=late_fee,
        due_fen=row["arrears_fen"] + late_fee, prepayment_fen=row["prepayment_fen"], recent_payments=[],
        card_status=None, as_of=day,
    )
    return CachedOverview(overview=view, as_of=stored_time(meta, "as_of"), local_changes=bool(row["local"]))


def quote(file: CacheFile, customer_no: str, amount_fen: int | None, *, day: dt.date) -> Quote:
    """What the cached bills owe on ``day`` and how ``amount_fen`` (None: everything due) would be allocated:
    the server's ``payment.get_quote`` on the cached figures: the contract's refusals (``make_request``), then
    the server's quote rule (``shared_models.rules.quote``), refusals as RpcError."""
    req = make_request(QuoteRequest, customer_no=customer_no, amount_fen=amount_fen)

    def read(conn: sqlite3.Connection) -> tuple[sqlite3.Row, list[sqlite3.Row], list[CachedBill]]:
        with file.transaction(conn, write=False):
            return read_customer(conn, customer_no)

    row, _, cached = file.run(read)
    if row["status"] == CustomerStatus.CLOSED.value:
        raise RpcError(ErrorCode.CUSTOMER_CLOSED, {"customer_no": customer_no})
    try:
        return quote_payment(customer_no=customer_no, customer_name=row["name"],
                             bills=[b.view_on(day) for b in cached], prepayment_fen=Fen(int(row["prepayment_fen"])),
                             amount_fen=None if req.amount_fen is None else Fen(req.amount_fen))
    except AllocationError as exc:
        raise RpcError(ErrorCode(exc.code.value), exc.params) from None
