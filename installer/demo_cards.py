"""The demo step's list of prepaid cards to emulate: ``--issued`` / ``--blank`` arguments of
``python -m client.devices.cardsim demo-cards`` for what the demo books hold (installer/demo.sh).

Every customer's current card whose serial follows the demo rule ``sha256("demo card " + customer_no)[:8]`` with its
last written purchase (count, amount, the meter number written on the card), and two prepaid-card customers without
a card yet (a blank card each, for 开户 or 补卡) with their meters.

    python installer/demo_cards.py DATA_DIR        # the server's data folder (its embedded PostgreSQL is running)
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from the repository

_ISSUED = text(
    "SELECT DISTINCT ON (c.id) c.customer_no, k.serial, w.meter_no, w.purchase_count, w.write_amount_fen"
    " FROM cards k JOIN customers c ON c.id = k.customer_id"
    " JOIN card_writes w ON w.card_id = k.id JOIN card_write_outcomes o ON o.write_id = w.id"
    " WHERE o.outcome = 'written' AND NOT EXISTS (SELECT 1 FROM card_retirements r WHERE r.card_id = k.id)"
    " ORDER BY c.id, w.purchase_count DESC")
_BLANK = text(
    "SELECT c.customer_no, right(min(m.asset_no), 12) FROM customers c JOIN meters m ON m.customer_id = c.id"
    " WHERE c.payment_mode = 'prepaid_card' AND c.status = 'active' AND length(c.customer_no) = 10"
    " AND NOT EXISTS (SELECT 1 FROM cards k WHERE k.customer_id = c.id)"
    " GROUP BY c.customer_no ORDER BY c.customer_no LIMIT :blank")


def card_specs(url: str, *, issued_limit: int = 20, blank: int = 2) -> list[str]:
    """The demo-cards arguments for the database at ``url``."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            issued = conn.execute(_ISSUED).all()
            blanks = conn.execute(_BLANK, {"blank": blank}).all()
    finally:
        engine.dispose()
    args = [f"--issued={no}:{meter_no}:{count}:{amount}" for no, serial, meter_no, count, amount in issued
            if bytes(serial) == hashlib.sha256(f"demo card {no}".encode()).digest()[:8]][:issued_limit]
    return args + [f"--blank={no}:{meter_no}" for no, meter_no in blanks]


def main(argv: list[str]) -> int:
    """Print the arguments, one a line."""
    from server.db.embedded import EmbeddedPostgres

    for arg in card_specs(EmbeddedPostgres(data_dir=Path(argv[0])).url):
        sys.stdout.write(arg + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
