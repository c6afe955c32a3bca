"""The receipt book from before the outbox (``receipts.sqlite3``): its numbers are carried into a new outbox
file, so none is handed out again."""

from __future__ import annotations

import logging
from typing import Final

from client.core.outbox.store import OutboxError, OutboxFile

log = logging.getLogger(__name__)

_LEGACY_RECEIPT_BOOK: Final = "receipts.sqlite3"


def import_legacy_receipt_book(file: OutboxFile) -> None:
    """Carry the numbers of a ``receipts.sqlite3`` from before the outbox over, so none is reused."""
    legacy = file.path.parent / _LEGACY_RECEIPT_BOOK
    if not legacy.exists():
        return
    try:
        with file.write() as conn:
            conn.execute("ATTACH DATABASE ? AS legacy", (str(legacy),))
            conn.execute(
                "INSERT INTO receipt_seq (counter_code, day, last_seq) SELECT counter_code, day, last_seq"
                " FROM legacy.receipt_seq WHERE true ON CONFLICT (counter_code, day)"
                " DO UPDATE SET last_seq = max(last_seq, excluded.last_seq)")
            conn.execute("INSERT OR IGNORE INTO receipts_taken"
                         " SELECT receipt_no, taken_at FROM legacy.receipts_taken")
        log.info("receipt numbers of %s carried over into %s", legacy, file.path)
    except OutboxError:
        log.exception("could not read the old receipt book %s; numbering continues from the server's", legacy)
