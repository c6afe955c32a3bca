"""Demo prepaid cards: for the first prepaid-card customers of each hall, a card, a purchase history and the meter's
last return file, sealed under the PUBLIC TEST card keys exactly as the card emulator holds them.

**The serial rule** (stable; the client's demo CLI writes matching emulator card files from it):
``serial = sha256(("demo card " + customer_no).encode()).digest()[:8]``, key version ``default_test_version()``
of ``client.devices.cardsim.keys`` (2 SM4 where this machine runs SM4, else 1 AES-128) — the version
``gridcounter-server card-keys init --test-keys`` makes current. The history of a customer (:func:`demo_history`)
is deterministic too: ``purchases`` = 2..6 from the serial's first byte, each of ``amount_fen(n)`` =
``5_000 + 1_000 * ((serial[1] + n) % 10)``, every one written and credited; the meter's return file reports that
last count, a remaining amount of ``remaining_fen`` = ``1_000 + 100 * serial[2]`` fen, no overdraft, no illegal
insert, written 12:00 Beijing time on the load's day. So the emulator's card holds: a purchase-card parameter file
(meter no = last 12 digits of the meter's asset number, customer no zero-padded to 12, CT = the meter's multiplier,
PT 1, alarm amounts 2 000 / 1 000), the last purchase's sealed wallet and that return file; and a sale is possible
at once (next count = purchases + 1).

Only customers with a 10-digit number get a card (13 digits do not fit the card's customer field). The purchases
are history: they have no payment (they predate the demo's books) and so no part in any shift.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from typing import Final

from sqlalchemy import text
from sqlalchemy.orm import Session

from server.cards.keys import encryptor, sm4_available
from server.models.card_sales import Card, CardReturn, CardWrite, CardWriteOutcome, IssuedKind, WriteOutcome
from shared_models.cards.crypto import TEST_VERSIONS, KeyId, KeyVersion, diversify, public_master_key, seal_wallet
from shared_models.cards.files import BEIJING, CardType, ParameterFile, ReturnFile, WalletFile

#: Prepaid-card customers per hall that get a demo card.
CARDS_PER_HALL: Final = 10


def demo_serial(customer_no: str) -> bytes:
    """The demo card serial of a customer (the rule in the module docstring)."""
    return hashlib.sha256(("demo card " + customer_no).encode()).digest()[:8]


def demo_key_version() -> KeyVersion:
    """The TEST key version demo cards are personalised with (the emulator's ``default_test_version``)."""
    return TEST_VERSIONS[2] if sm4_available() else TEST_VERSIONS[1]


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class DemoHistory:
    """A demo card's purchases (amounts in count order) and what its meter last reported."""

    serial: bytes
    amounts_fen: tuple[int, ...]
    remaining_fen: int

    @property
    def purchases(self) -> int:
        """The purchase count on the card and in the meter."""
        return len(self.amounts_fen)


def demo_history(customer_no: str) -> DemoHistory:
    """The deterministic purchase history of a customer's demo card."""
    serial = demo_serial(customer_no)
    purchases = 2 + serial[0] % 5
    amounts = tuple(5_000 + 1_000 * ((serial[1] + n) % 10) for n in range(1, purchases + 1))
    return DemoHistory(serial=serial, amounts_fen=amounts, remaining_fen=1_000 + 100 * serial[2])


def sealed(serial: bytes, version: KeyVersion, *, amount_fen: int, count: int) -> WalletFile:
    """The wallet record of a purchase, MAC'd under the TEST wallet master of ``version``."""
    encrypt = encryptor(version.suite)
    key = diversify(encrypt, master_key=public_master_key(version.number, KeyId.WALLET), serial=serial)
    return seal_wallet(encrypt, wallet_key=key, serial=serial, amount_fen=amount_fen, purchase_count=count)


_CANDIDATES: Final = text("""
    SELECT c.id, c.customer_no, c.hall_id, m.asset_no, m.multiplier,
           (SELECT k.id FROM counters k WHERE k.hall_id = c.hall_id ORDER BY k.id LIMIT 1) AS counter_id
    FROM customers c
    JOIN LATERAL (SELECT asset_no, multiplier FROM meters WHERE customer_id = c.id AND removed_on IS NULL
                  ORDER BY installed_on DESC, id DESC LIMIT 1) m ON true
    WHERE c.payment_mode = 'prepaid_card' AND c.status = 'active' AND length(c.customer_no) = 10
      AND c.hall_id = :hall
    ORDER BY c.id LIMIT :n
""")


def load_demo_cards(session: Session, *, halls: list[int], user_id: int, today: dt.date) -> int:
    """Register the demo cards and their histories (the module docstring's rules); the number of cards."""
    version = demo_key_version()
    noon = dt.datetime.combine(today, dt.time(12), tzinfo=BEIJING)
    made = 0
    for hall in halls:
        for row in session.execute(_CANDIDATES, {"hall": hall, "n": CARDS_PER_HALL}).all():
            history = demo_history(row.customer_no)
            meter_no = row.asset_no[-12:]
            if not meter_no.isdigit() or row.counter_id is None:
                continue
            card = Card(customer_id=row.id, serial=history.serial, key_version=version.number,
                        kind=IssuedKind.OPENING, issued_at=noon - dt.timedelta(days=40 * history.purchases),
                        issued_by=user_id)
            session.add(card)
            session.flush()
            parameters = ParameterFile(card_type=CardType.OPENING, meter_no=meter_no,
                                       customer_no=row.customer_no.rjust(12, "0"),
                                       ct_ratio=max(1, min(int(row.multiplier), 9_999)), pt_ratio=1,
                                       alarm1_fen=2_000, alarm2_fen=1_000)
            follows: int | None = None
            for n, amount in enumerate(history.amounts_fen, start=1):
                at = noon - dt.timedelta(days=40 * (history.purchases - n) + 1)
                kind = "opening" if n == 1 else "sale"
                params = parameters if n <= 2 else None
                if n == 2:
                    params = dataclasses.replace(parameters, card_type=CardType.PURCHASE)
                write = CardWrite(
                    customer_id=row.id, card_id=card.id, purchase_count=n, kind=kind, payment_id=None, paid_fen=0,
                    deducted_fen=0, write_amount_fen=amount, card_fen=0, fee_fen=0,
                    wallet=sealed(history.serial, version, amount_fen=amount, count=n).encode(),
                    parameters=params.encode() if params is not None else None, meter_no=meter_no, prepared_at=at,
                    prepared_by=user_id, counter_id=row.counter_id, shift_id=None, follows_write_id=follows)
                session.add(write)
                session.flush()
                session.add(CardWriteOutcome(write_id=write.id, outcome=WriteOutcome.WRITTEN, at=at, by_user=user_id,
                                             counter_id=row.counter_id, rewrite=False, card_wallet=write.wallet))
                session.flush()
                follows = write.id
            returned = demo_return(row.customer_no, meter_no=meter_no, multiplier=int(row.multiplier), today=today)
            session.add(CardReturn(customer_id=row.id, card_id=card.id, meter_no=meter_no,
                                   remaining_fen=returned.remaining_fen, purchase_count=returned.purchase_count,
                                   overdraft_fen=0, illegal_inserts=0, written_at=returned.written_at,
                                   seen_at=returned.written_at, seen_by=user_id))
            made += 1
    session.flush()
    return made


def demo_return(customer_no: str, *, meter_no: str, multiplier: int, today: dt.date) -> ReturnFile:
    """The return file the customer's meter last wrote onto the demo card."""
    history = demo_history(customer_no)
    return ReturnFile(ct_ratio=max(1, min(multiplier, 9_999)), pt_ratio=1, meter_no=meter_no,
                      customer_no=customer_no.rjust(12, "0"), remaining_fen=history.remaining_fen,
                      purchase_count=history.purchases, overdraft_fen=0, illegal_inserts=0,
                      written_at=dt.datetime.combine(today, dt.time(12), tzinfo=BEIJING))
