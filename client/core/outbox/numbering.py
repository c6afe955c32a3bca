"""The counter's own receipt and shift numbering in the outbox file (tables ``receipt_seq``,
``receipts_taken``, ``shift_seq``): a number is taken in the same local transaction as the request that
carries it, by the sequence rules of ``shared_models.rules.receipt_numbers`` and ``shift_numbers``."""

from __future__ import annotations

import datetime as dt
import sqlite3

from shared_models.rules.receipt_numbers import make_receipt_no, next_receipt_seq, seq_floor_after_damage
from shared_models.rules.shift_numbers import make_shift_no, next_shift_seq

_RAISE_RECEIPT_SEQ = ("INSERT INTO receipt_seq (counter_code, day, last_seq) VALUES (?, ?, ?)"
                      " ON CONFLICT (counter_code, day) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq)")


def take_receipt_no(conn: sqlite3.Connection, *, counter_code: str, day: dt.date, server_next_seq: int,
                    taken_at: dt.datetime) -> str:
    """The next receipt number of the counter on ``day`` (past its own last one and the server's floor),
    recorded as taken; ValueError past 99,999 a day."""
    seq = next_receipt_seq(own_last=last_receipt_seq(conn, counter_code=counter_code, day=day),
                           server_next=server_next_seq)
    receipt_no = make_receipt_no(counter_code, day, seq)
    _record_seq(conn, "receipt_seq", counter_code=counter_code, day=day, seq=seq)
    conn.execute("INSERT INTO receipts_taken (receipt_no, taken_at) VALUES (?, ?)",
                 (receipt_no, taken_at.isoformat()))
    return receipt_no


def last_receipt_seq(conn: sqlite3.Connection, *, counter_code: str, day: dt.date) -> int:
    """The last receipt sequence taken for the counter on ``day``, 0 if none."""
    return _last_seq(conn, "receipt_seq", counter_code=counter_code, day=day)


def _last_seq(conn: sqlite3.Connection, table: str, *, counter_code: str, day: dt.date) -> int:
    """The last sequence of ``table`` (receipt_seq or shift_seq) for the counter on ``day``, 0 if none."""
    row = conn.execute(f"SELECT last_seq FROM {table} WHERE counter_code = ? AND day = ?",  # noqa: S608 - our table names
                       (counter_code, day.isoformat())).fetchone()
    return int(row[0]) if row else 0


def _record_seq(conn: sqlite3.Connection, table: str, *, counter_code: str, day: dt.date, seq: int) -> None:
    """Record ``seq`` as the last one taken in ``table`` for the counter on ``day``."""
    conn.execute(f"INSERT INTO {table} (counter_code, day, last_seq) VALUES (?, ?, ?)"  # noqa: S608 - our table names
                 " ON CONFLICT (counter_code, day) DO UPDATE SET last_seq = excluded.last_seq",
                 (counter_code, day.isoformat(), seq))


def jump_after_damage(conn: sqlite3.Connection, *, counter_code: str, day: dt.date, server_next_seq: int) -> None:
    """After a supervisor acknowledged a damaged outbox: the day's numbering jumps past any number it may hold."""
    conn.execute(_RAISE_RECEIPT_SEQ, (counter_code, day.isoformat(),
                                      seq_floor_after_damage(server_next=server_next_seq)))


def take_shift_no(conn: sqlite3.Connection, *, counter_code: str, day: dt.date, server_next_seq: int) -> str:
    """The next shift number of the counter on ``day``; ValueError past 99 a day."""
    seq = next_shift_seq(own_last=_last_seq(conn, "shift_seq", counter_code=counter_code, day=day),
                         server_next=server_next_seq)
    shift_no = make_shift_no(counter_code, day, seq)
    _record_seq(conn, "shift_seq", counter_code=counter_code, day=day, seq=seq)
    return shift_no


def note_shift_floor(conn: sqlite3.Connection, *, counter_code: str, day: dt.date, next_seq: int) -> None:
    """The server's next shift sequence of the counter on ``day``: the counter's own numbering never goes
    below it (shifts numbered by the server before, or by another client of this counter)."""
    conn.execute("INSERT INTO shift_seq (counter_code, day, last_seq) VALUES (?, ?, ?)"
                 " ON CONFLICT (counter_code, day) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq)",
                 (counter_code, day.isoformat(), max(next_seq, 1) - 1))
