"""Which receipt sequences a counter can have minted (the server refuses the others, docs/offline.md).

A counter numbers its receipts per day, one after the other (``client/core/outbox.py``), starting past
the highest number the server has booked for it that day. Numbers are spent without a booking only by
payments the server refused on replay (listed for the supervisor), so a new number lies at most
``RECEIPT_SEQ_WINDOW`` past the highest booked one. After a damaged outbox was set aside and a supervisor
acknowledged it, the counter jumps ``RECEIPT_GAP_AFTER_DAMAGE`` further (the numbers spent in the damaged
file must never be handed out again); the acknowledgement is on the server, so each one of that counter
on that day widens the window by the gap.
"""

from __future__ import annotations

from typing import Final

#: How far past the highest booked sequence of the counter and day a new receipt may be.
RECEIPT_SEQ_WINDOW: Final = 100
#: After a damaged outbox was set aside, the day's receipt numbers jump this far past the server's: the
#: numbers spent in the damaged file (unsent payments) must never be handed out again.
RECEIPT_GAP_AFTER_DAMAGE: Final = 1000


def highest_allowed_seq(*, highest_booked: int, damage_acks: int) -> int:
    """The highest sequence the counter could have minted, given its highest booked one (0: none) and
    the damaged-outbox acknowledgements recorded for it that day."""
    if highest_booked < 0 or damage_acks < 0:
        raise ValueError("counts must not be negative")
    return highest_booked + RECEIPT_SEQ_WINDOW + damage_acks * RECEIPT_GAP_AFTER_DAMAGE
