"""Receipts on the counter: the server's booked receipt as a printable document, and the receipt book
that numbers this counter's receipts (SPEC §5: counters number their own receipts).

Qt-free. :class:`ReceiptBook` writes to disk (SQLite, ``synchronous=FULL``): call :meth:`ReceiptBook.take`
from a worker (an ``Op``), never on the GUI thread.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Final

from printing.receipt import ReceiptBillLine, ReceiptDocument, ReceiptTender
from shared_models.methods.payments import PaymentReceipt, TenderMethod, make_receipt_no

log = logging.getLogger(__name__)

#: The halls keep China Standard Time (no daylight saving): receipts and receipt numbers use it.
HALL_TZ: Final = dt.timezone(dt.timedelta(hours=8), "CST")
RECEIPT_BOOK_FILE: Final = "receipts.sqlite3"


def hall_now() -> dt.datetime:
    """The current time in the hall's time zone."""
    return dt.datetime.now(HALL_TZ)


def hall_time(moment: dt.datetime) -> dt.datetime:
    """``moment`` (timezone-aware) in the hall's time zone; a naive value is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(HALL_TZ)


def period_text(period: int) -> str:
    """``202610`` -> ``"2026-10"`` (a bill's 电费年月)."""
    year, month = divmod(period, 100)
    return f"{year:04d}-{month:02d}"


def _kwh(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:  # the receipt's own validation names the field
        return Decimal("NaN")


def to_document(receipt: PaymentReceipt, *, reprint_count: int | None = None) -> ReceiptDocument:
    """The printable document of a booked receipt (``printing.receipt``), in hall-local time.

    ``reprint_count`` defaults to the receipt's own (0 for the first print). The time printed is the
    time the money was taken: the counter's clock for a payment accepted offline, the server's booking
    time otherwise. The cash handed over is the cash part plus the change, whatever the server calls
    tendered, so the document's money identities hold by construction.
    """
    tenders = tuple(
        ReceiptTender(method=t.method.value, amount_fen=t.amount_fen, reference=t.reference or None)
        for t in receipt.tenders
    )
    cash = sum(t.amount_fen for t in receipt.tenders if t.method is TenderMethod.CASH)
    has_cash = any(t.method is TenderMethod.CASH for t in receipt.tenders)
    taken_at = receipt.local_time if receipt.accepted_offline and receipt.local_time else receipt.paid_at
    return ReceiptDocument(
        hall_name=receipt.hall_name,
        receipt_no=receipt.receipt_no,
        printed_at=hall_time(taken_at),
        counter_code=receipt.counter_code,
        cashier_name=receipt.cashier_name,
        customer_no=receipt.customer_no,
        customer_name=receipt.customer_name,
        address=receipt.address,
        bills=tuple(
            ReceiptBillLine(period=period_text(b.period), kwh=_kwh(b.kwh), principal_fen=b.principal_fen,
                            late_fee_fen=b.late_fee_fen, paid_fen=b.paid_fen)
            for b in receipt.bills
        ),
        due_fen=receipt.due_fen,
        paid_fen=receipt.paid_fen,
        tendered_fen=cash + receipt.change_fen if has_cash else 0,
        change_fen=receipt.change_fen if has_cash else 0,
        prepayment_before_fen=receipt.prepayment_before_fen,
        prepayment_after_fen=receipt.prepayment_after_fen,
        tenders=tenders,
        reprint_count=receipt.reprint_count if reprint_count is None else reprint_count,
        offline=receipt.accepted_offline,
        voided=receipt.voided,
    )


class ReceiptBook:
    """The local receipt sequence per counter and hall-local day, kept in the client's data folder.

    A number is *taken* when the cashier confirms a payment and is never handed out again, whether the
    call then succeeds, is refused or is lost: a number that may have reached the server is spent.
    The next number is the larger of the local sequence + 1 and the server's ``next_receipt_seq``
    (so a reinstalled PC, or a second PC on the same counter code, does not collide with what the
    server already booked).
    """

    def __init__(self, path: Path, *, now: Callable[[], dt.datetime] = hall_now) -> None:
        self.path = path
        self._now = now
        self._lock = threading.Lock()  # one writer per process; SQLite's lock covers other processes
        self._ready = False  # the file is created on first use, in a worker: building the book costs no I/O

    @classmethod
    def in_folder(cls, data_dir: Path) -> ReceiptBook:
        """The book in the client data folder (``receipts.sqlite3``)."""
        return cls(data_dir / RECEIPT_BOOK_FILE)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")  # a taken number survives a power cut
            if not self._ready:
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS receipt_seq ("
                    " counter_code TEXT NOT NULL, day TEXT NOT NULL, last_seq INTEGER NOT NULL,"
                    " PRIMARY KEY (counter_code, day))"
                )
                conn.execute("CREATE TABLE IF NOT EXISTS receipts_taken ("
                             " receipt_no TEXT PRIMARY KEY, taken_at TEXT NOT NULL)")
                self._ready = True
            yield conn
        finally:
            conn.close()

    def today(self) -> dt.date:
        """The hall-local business day the next number is for."""
        return self._now().astimezone(HALL_TZ).date()

    def last_taken(self, counter_code: str, day: dt.date | None = None) -> int:
        """The last sequence taken for ``counter_code`` on ``day`` (today), 0 if none."""
        day = day or self.today()
        with self._connect() as conn:
            row = conn.execute("SELECT last_seq FROM receipt_seq WHERE counter_code = ? AND day = ?",
                               (counter_code, day.isoformat())).fetchone()
        return int(row[0]) if row else 0

    def take(self, *, counter_code: str, server_next_seq: int = 1) -> str:
        """Spend the next receipt number of ``counter_code`` today and return it (blocking disk write).

        ValueError when the day's 99,999 numbers are used up.
        """
        day = self.today()
        with self._lock, self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                row = conn.execute("SELECT last_seq FROM receipt_seq WHERE counter_code = ? AND day = ?",
                                   (counter_code, day.isoformat())).fetchone()
                seq = max((int(row[0]) if row else 0) + 1, server_next_seq, 1)
                receipt_no = make_receipt_no(counter_code, day, seq)
                conn.execute(
                    "INSERT INTO receipt_seq (counter_code, day, last_seq) VALUES (?, ?, ?)"
                    " ON CONFLICT (counter_code, day) DO UPDATE SET last_seq = excluded.last_seq",
                    (counter_code, day.isoformat(), seq),
                )
                conn.execute("INSERT INTO receipts_taken (receipt_no, taken_at) VALUES (?, ?)",
                             (receipt_no, self._now().isoformat()))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        log.info("receipt number %s taken", receipt_no)
        return receipt_no
