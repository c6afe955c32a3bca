"""A payment accepted offline booked into the cached figures, so the next offline payment of the same
customer sees the reduced due; the server's next figures for that customer replace them."""

from __future__ import annotations

import datetime as dt
import sqlite3

from client.core.customer_cache.store import CacheFile
from client.core.customer_cache.views import read_customer
from client.core.rpc_client import RpcError
from shared_models.errors import ErrorCode
from shared_models.methods.payments import Quote
from shared_models.money import Fen
from shared_models.rules.quote import allocate_bills


def book_local_payment(file: CacheFile, customer_no: str, quote: Quote, *, day: dt.date) -> None:
    """Book a payment accepted offline on ``day`` into the cached figures: the quote's amount allocated over
    the cached bills by the shared rule (as the server will on replay), so the bills lose what it pays,
    settled bills go, and the rest raises prepayment. Unchanged bills give exactly ``quote``'s lines.
    """
    if quote.customer_no != customer_no:
        raise ValueError("the quote is for another customer")
    if quote.amount_fen <= 0:
        raise RpcError(ErrorCode.AMOUNT_NOT_POSITIVE)

    def book(conn: sqlite3.Connection) -> None:
        with file.transaction(conn):
            row, _, cached = read_customer(conn, customer_no)
            allocation = allocate_bills([b.view_on(day) for b in cached], Fen(quote.amount_fen))
            principal_paid = 0
            for line in allocation.lines:
                bill = cached[line.bill_id]
                principal_paid += line.principal_fen
                if line.settles_bill:
                    conn.execute("DELETE FROM bills WHERE customer_no = ? AND bill_no = ?",
                                 (customer_no, bill.bill_no))
                else:
                    paid = bill.after_payment(day=day, principal_fen=line.principal_fen,
                                              late_fee_fen=line.late_fee_fen)
                    conn.execute("UPDATE bills SET bill = ? WHERE customer_no = ? AND bill_no = ?",
                                 (paid.model_dump_json(), customer_no, bill.bill_no))
            arrears = int(row["arrears_fen"]) - principal_paid
            prepayment = int(row["prepayment_fen"]) + allocation.prepayment_fen
            conn.execute("UPDATE customers SET arrears_fen = ?, prepayment_fen = ?, balance_fen = ?, local = 1"
                         " WHERE customer_no = ?", (arrears, prepayment, prepayment - arrears, customer_no))

    file.run(book, write=True)
