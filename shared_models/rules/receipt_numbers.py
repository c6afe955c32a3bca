"""Receipt numbers, one home: their format and the sequence rules of the counter that mints them and of the
server that checks them (SPEC §5, docs/offline.md).

A receipt number is ``<counter>-<YYYYMMDD>-<seq>``, for example ``H0101-20261123-00042``: minted by the
counter, never by the center, so a counter working offline numbers its receipts on its own. A counter
numbers its receipts per business day, one after the other (its outbox), starting past both its own last
number and the server's next one (:func:`next_receipt_seq`). Numbers are spent without a booking only by
payments the server refused on replay (listed for the supervisor), so a new number lies at most
``RECEIPT_SEQ_WINDOW`` past the highest booked one. After a damaged outbox was set aside and a supervisor
acknowledged it, the counter jumps ``RECEIPT_GAP_AFTER_DAMAGE`` further (the numbers spent in the damaged
file must never be handed out again, :func:`seq_floor_after_damage`); the acknowledgement is on the server,
so each one of that counter on that day widens the window by the gap (:func:`highest_allowed_seq`).

Pure: no clock, no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

#: Highest receipt sequence a counter may mint per day.
MAX_RECEIPT_SEQ: Final = 99999
#: How far past the highest booked sequence of the counter and day a new receipt may be.
RECEIPT_SEQ_WINDOW: Final = 100
#: After a damaged outbox was set aside, the day's receipt numbers jump this far past the server's: the
#: numbers spent in the damaged file (unsent payments) must never be handed out again.
RECEIPT_GAP_AFTER_DAMAGE: Final = 1000

# A calendar day of 2000-2099 as ``YYYYMMDD``, leap days included, so that the contract's pattern says
# exactly which numbers the server takes (``H0101-00000000-00001`` has the shape but no day).
_DAY: Final = (
    r"20[0-9]{2}(?:(?:0[13578]|1[02])(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)(?:0[1-9]|[12][0-9]|30)"
    r"|02(?:0[1-9]|1[0-9]|2[0-8]))|20(?:0[048]|[2468][048]|[13579][26])0229"
)
_SEQ_DIGITS: Final = 5
_RECEIPT_NO_BODY: Final = rf"[A-Za-z0-9_-]{{1,24}}-(?:{_DAY})-[0-9]{{{_SEQ_DIGITS}}}"
#: ``<counter code>-<YYYYMMDD>-<5-digit local sequence>``, the day a real one of 2000-2099.
RECEIPT_NO_PATTERN: Final = rf"^{_RECEIPT_NO_BODY}$"
_RECEIPT_NO: Final = re.compile(_RECEIPT_NO_BODY)


def make_receipt_no(counter_code: str, day: dt.date, seq: int) -> str:
    """The receipt number of the ``seq``-th receipt of ``counter_code`` on ``day``."""
    if not 1 <= seq <= MAX_RECEIPT_SEQ:
        raise ValueError(f"a receipt sequence runs from 1 to {MAX_RECEIPT_SEQ} per counter and day")
    return f"{counter_code}-{day:%Y%m%d}-{seq:05d}"


def parse_receipt_no(receipt_no: str) -> tuple[str, dt.date, int]:
    """``(counter_code, day, seq)`` of a receipt number; ValueError when it is not one.

    The one shape rule of receipt numbers: the contract field, the server and the counter all use it.
    """
    if not _RECEIPT_NO.fullmatch(receipt_no):
        raise ValueError(f"not a receipt number: {receipt_no!r}")
    counter, day, seq = receipt_no.rsplit("-", 2)
    return counter, dt.date(int(day[:4]), int(day[4:6]), int(day[6:])), int(seq)


def is_receipt_no(text: str) -> bool:
    """True when ``text`` is a receipt number (shape and a real day)."""
    try:
        parse_receipt_no(text)
    except ValueError:
        return False
    return True


def day_range(counter_code: str, day: dt.date) -> tuple[str, str, str]:
    """``(prefix, lowest, highest)``: every receipt number of the counter and day starts with ``prefix``
    and sorts between the other two (a range a unique index serves whatever the collation)."""
    prefix = make_receipt_no(counter_code, day, 1)[:-_SEQ_DIGITS]
    return prefix, f"{prefix}{0:05d}", f"{prefix}{MAX_RECEIPT_SEQ:05d}"


def check_counter_receipt_no(receipt_no: str, *, counter_code: str, today: dt.date,
                             offline: bool) -> tuple[dt.date, int]:
    """``(day, seq)`` of a number the counter ``counter_code`` may have minted; ValueError otherwise.

    Its counter's own, from 1, of ``today`` (the server's business day); a payment accepted offline keeps
    the day its outbox numbered it (an earlier one when replayed after midnight, a later one when the
    counter's clock ran ahead: the as-of rules judge that day).
    """
    code, day, seq = parse_receipt_no(receipt_no)
    if code != counter_code or (day != today and not offline) or seq < 1:
        raise ValueError(f"not a receipt number of {counter_code} today: {receipt_no!r}")
    return day, seq


def next_receipt_seq(*, own_last: int, server_next: int) -> int:
    """The sequence a counter gives its next receipt today: past its own last one and the server's floor."""
    return max(own_last + 1, server_next, 1)


def server_next_seq(highest_booked: str | None) -> int:
    """The floor the server tells a counter: one past the highest sequence booked for it today (1: none)."""
    return 1 if highest_booked is None else parse_receipt_no(highest_booked)[2] + 1


def seq_floor_after_damage(*, server_next: int) -> int:
    """The last sequence a counter counts as spent once a supervisor acknowledged its damaged outbox: the
    server's floor plus the gap, so no number the damaged file may hold is handed out again."""
    return max(server_next, 1) - 1 + RECEIPT_GAP_AFTER_DAMAGE


def highest_allowed_seq(*, highest_booked: int, damage_acks: int) -> int:
    """The highest sequence the counter could have minted, given its highest booked one (0: none) and
    the damaged-outbox acknowledgements recorded for it that day."""
    if highest_booked < 0 or damage_acks < 0:
        raise ValueError("counts must not be negative")
    return highest_booked + RECEIPT_SEQ_WINDOW + damage_acks * RECEIPT_GAP_AFTER_DAMAGE
