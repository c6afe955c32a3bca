"""Shift numbers and the rules for a shift opened at the counter with the link down (SPEC C4, §5).

A shift's number is ``<counter>-<YYYYMMDD>-<nn>``: the ``nn``-th shift opened at that counter on that
China business day (``H0101-20261123-01``). Like receipt numbers, the counter mints it itself from its own
sequence (the outbox file), starting from the larger of its own last number and the server's
(``CurrentShift.next_shift_seq``), so a shift opened offline has its number at once and keeps it.

The server accepts a counter-minted number only when the counter could have minted it
(:func:`shift_no_problem`):

* **right counter**: the number's counter is the caller's;
* **plausible day**: not after the server's business day, and not more than
  :data:`MAX_OFFLINE_SHIFT_DAYS` before it (a counter offline longer must sign in online first);
* **no reuse**: no shift of that counter and day has that number (checked by the server against its books);
* **no jump**: the sequence is at most :data:`SHIFT_SEQ_WINDOW` past the highest one booked for that
  counter and day (a refused offline open leaves a gap; a counter inventing far-off numbers is refused).

Pure: no clock, no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Final

#: Highest shift sequence a counter may open per day.
MAX_SHIFT_SEQ: Final = 99
#: How far past the highest booked sequence of the day a counter-minted number may be.
SHIFT_SEQ_WINDOW: Final = 5
#: How many days before the server's business day an offline shift may have been opened.
MAX_OFFLINE_SHIFT_DAYS: Final = 3

_SHIFT_NO: Final = re.compile(r"^([A-Za-z0-9_-]{1,24})-(\d{8})-(\d{2})$")


class ShiftNoProblem(StrEnum):
    """Why a counter-minted shift number is refused (the ``problem`` of ``SHIFT_NO_INVALID``)."""

    MALFORMED = "malformed"
    OTHER_COUNTER = "other_counter"
    FUTURE_DAY = "future_day"
    TOO_OLD = "too_old"
    REUSED = "reused"
    JUMP = "jump"


def make_shift_no(counter_code: str, day: dt.date, seq: int) -> str:
    """The number of the ``seq``-th shift opened at ``counter_code`` on ``day``; ValueError past 99."""
    if not 1 <= seq <= MAX_SHIFT_SEQ:
        raise ValueError(f"a shift sequence runs from 1 to {MAX_SHIFT_SEQ} per counter and day")
    return f"{counter_code}-{day:%Y%m%d}-{seq:02d}"


def parse_shift_no(shift_no: str) -> tuple[str, dt.date, int]:
    """``(counter_code, day, seq)`` of a shift number; ValueError when it is not one."""
    match = _SHIFT_NO.match(shift_no)
    if match is None:
        raise ValueError(f"not a shift number: {shift_no!r}")
    code, day, seq = match.groups()
    return code, dt.date(int(day[:4]), int(day[4:6]), int(day[6:])), int(seq)


def next_shift_seq(*, own_last: int, server_next: int) -> int:
    """The sequence a counter gives its next shift today: past its own last one and the server's floor."""
    return max(own_last + 1, server_next, 1)


def shift_no_problem(shift_no: str, *, counter_code: str, today: dt.date, highest_booked: int,
                     taken: bool) -> ShiftNoProblem | None:
    """Why the server refuses a counter-minted ``shift_no`` (None: acceptable).

    ``today`` is the server's business day, ``highest_booked`` the highest sequence it has booked for the
    number's counter and day (0 when none), ``taken`` whether that exact number is booked.
    """
    try:
        code, day, seq = parse_shift_no(shift_no)
    except ValueError:
        return ShiftNoProblem.MALFORMED
    # The first rule broken, in this order.
    broken = (
        (code != counter_code, ShiftNoProblem.OTHER_COUNTER),
        (day > today, ShiftNoProblem.FUTURE_DAY),
        ((today - day).days > MAX_OFFLINE_SHIFT_DAYS, ShiftNoProblem.TOO_OLD),
        (taken, ShiftNoProblem.REUSED),
        (seq > highest_booked + SHIFT_SEQ_WINDOW, ShiftNoProblem.JUMP),
    )
    return next((problem for failed, problem in broken if failed), None)
