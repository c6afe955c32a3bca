"""The meter simulator through every row of DOMAIN §7.3: the checks in order, the purchase-count rule, the return
file, 返写不为空, 购电次数错, the hoarding limit 超囤积, and only the last-issued card after a replacement."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from client.devices.cardsim.card import CardState, VirtualCard
from client.devices.cardsim.issuer import Issuer
from client.devices.cardsim.keys import Esam
from client.devices.cardsim.meter import MeterSimulator, MeterState, Outcome
from shared_models.cards.apdu import Sw
from shared_models.cards.files import (
    EF_PARAMETERS,
    EF_RETURN,
    EF_WALLET,
    MAX_AMOUNT_FEN,
    CardType,
    ParameterFile,
    WalletFile,
)
from shared_models.cards.image import read_card
from tests.cards.helpers import (
    CUSTOMER,
    METER_NO,
    NOW,
    OTHER_CUSTOMER,
    OTHER_METER_NO,
    SERIAL_A,
    SERIAL_B,
    blank_card,
    foreign_esam,
    issued_card,
    meter,
    raw_write,
    stale_return,
)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Row:
    """One row of §7.3: the meter before, the card inserted, and what must follow."""

    # the meter
    opened: bool = True
    count: int = 3
    remaining_fen: int = 5_000
    overdraft_fen: int = 0
    hoarding_limit_fen: int = 99_999_999
    retired: tuple[bytes, ...] = ()
    # the card
    card_type: CardType = CardType.PURCHASE
    card_count: int = 4
    amount_fen: int = 10_000
    serial: bytes = SERIAL_A
    meter_no: str = METER_NO
    customer_no: str = CUSTOMER
    stale_return: bool = False
    tamper: str = ""  # "wallet_mac", "foreign_keys", "bad_bcd"
    # what follows
    outcome: Outcome
    credited_fen: int = 0
    return_written: bool = True
    count_after: int | None = None  # default: unchanged
    remaining_after: int | None = None
    serial_after: bytes | None = None
    sw: int | None = None


ROWS = {
    # the checks, in DOMAIN's order; each refuses, writes nothing and counts an illegal insertion
    "check1-meter-no": Row(meter_no=OTHER_METER_NO, outcome=Outcome.METER_MISMATCH, return_written=False),
    "check2-card-type-preset": Row(card_type=CardType.PRESET, outcome=Outcome.CARD_TYPE, return_written=False),
    "check3-customer-no": Row(customer_no=OTHER_CUSTOMER, outcome=Outcome.CUSTOMER_MISMATCH, return_written=False),
    "check4-purchase-card-serial-not-registered": Row(serial=SERIAL_B, outcome=Outcome.SERIAL_MISMATCH,
                                                      return_written=False),
    "check5-purchase-card-unopened-meter": Row(opened=False, card_count=1, outcome=Outcome.NOT_OPENED,
                                               return_written=False),
    "check5-replacement-card-unopened-meter": Row(opened=False, card_type=CardType.REPLACEMENT, card_count=1,
                                                  outcome=Outcome.NOT_OPENED, return_written=False),
    "check6-opening-card-count-2": Row(opened=False, card_type=CardType.OPENING, card_count=2,
                                       outcome=Outcome.OPENING_COUNT, return_written=False),
    "wallet-mac-wrong-6989": Row(tamper="wallet_mac", outcome=Outcome.WALLET_MAC, sw=Sw.WALLET_MAC_WRONG,
                                 return_written=False),
    "card-of-foreign-keys": Row(tamper="foreign_keys", outcome=Outcome.AUTH_FAILED, return_written=False),
    "card-unreadable-parameters": Row(tamper="bad_bcd", outcome=Outcome.CARD_ERROR, return_written=False),
    "replaced-card-refused": Row(card_type=CardType.REPLACEMENT, serial=SERIAL_B, retired=(SERIAL_B,),
                                 outcome=Outcome.SERIAL_MISMATCH, return_written=False),
    # opening an unopened meter (count 0 or 1)
    "opening-count-0": Row(opened=False, card_type=CardType.OPENING, card_count=0, amount_fen=0,
                           outcome=Outcome.SAME_COUNT, count_after=0, remaining_after=0, serial_after=SERIAL_A),
    "opening-count-1-credits": Row(opened=False, card_type=CardType.OPENING, card_count=1, outcome=Outcome.CREDITED,
                                   credited_fen=10_000, count_after=1, remaining_after=10_000, serial_after=SERIAL_A),
    # the purchase-count rule against the meter's count 3
    "count-below-meter": Row(card_count=2, outcome=Outcome.NOT_NEWER),
    "count-below-meter-replacement-registers": Row(card_type=CardType.REPLACEMENT, serial=SERIAL_B, card_count=2,
                                                   outcome=Outcome.NOT_NEWER, serial_after=SERIAL_B),
    "count-equal-meter": Row(card_count=3, outcome=Outcome.SAME_COUNT),
    "count-equal-meter-replacement-registers": Row(card_type=CardType.REPLACEMENT, serial=SERIAL_B, card_count=3,
                                                   outcome=Outcome.SAME_COUNT, serial_after=SERIAL_B),
    "count-meter-plus-1-credits": Row(outcome=Outcome.CREDITED, credited_fen=10_000, count_after=4,
                                      remaining_after=15_000),
    "count-meter-plus-1-replacement-carried-purchase": Row(card_type=CardType.REPLACEMENT, serial=SERIAL_B,
                                                           outcome=Outcome.CREDITED, credited_fen=10_000,
                                                           count_after=4, remaining_after=15_000,
                                                           serial_after=SERIAL_B),
    "count-meter-plus-1-repays-overdraft": Row(remaining_fen=0, overdraft_fen=3_000, outcome=Outcome.CREDITED,
                                               credited_fen=10_000, count_after=4, remaining_after=7_000),
    "count-meter-plus-1-return-not-empty": Row(stale_return=True, outcome=Outcome.RETURN_NOT_EMPTY),
    "count-meter-plus-1-hoarding-limit": Row(hoarding_limit_fen=14_999, outcome=Outcome.HOARDING, return_written=False),
    "count-meter-plus-1-exactly-at-hoarding-limit": Row(hoarding_limit_fen=15_000, outcome=Outcome.CREDITED,
                                                        credited_fen=10_000, count_after=4, remaining_after=15_000),
    "count-meter-plus-1-above-999999.99-yuan": Row(remaining_fen=MAX_AMOUNT_FEN - 9_999, outcome=Outcome.HOARDING,
                                                   return_written=False),
    "count-meter-plus-2-count-error": Row(card_count=5, outcome=Outcome.COUNT_ERROR),
    "count-meter-plus-9-count-error": Row(card_count=12, outcome=Outcome.COUNT_ERROR),
}


def _card_for(row: Row, esam: Esam) -> VirtualCard:
    if row.tamper == "foreign_keys":
        return issued_card(foreign_esam(), card_type=row.card_type, count=row.card_count, amount_fen=row.amount_fen,
                           serial=row.serial, meter_no=row.meter_no, customer_no=row.customer_no)
    card = issued_card(esam, card_type=row.card_type, count=row.card_count, amount_fen=row.amount_fen,
                       serial=row.serial, meter_no=row.meter_no, customer_no=row.customer_no)
    if row.stale_return:
        assert raw_write(card, esam, EF_RETURN, stale_return(count=3, remaining_fen=4_000)) == Sw.OK
    if row.tamper == "wallet_mac":
        forged = WalletFile(amount_fen=row.amount_fen, purchase_count=row.card_count, mac=b"\x00\x01\x02\x03")
        assert raw_write(card, esam, EF_WALLET, forged.encode()) == Sw.OK
    if row.tamper == "bad_bcd":
        broken = bytearray(card.file(EF_PARAMETERS))
        broken[-1] = 0xAF  # a nibble above 9 in the customer number
        assert raw_write(card, esam, EF_PARAMETERS, bytes(broken)) == Sw.OK
    return card


@pytest.mark.parametrize("row", list(ROWS.values()), ids=list(ROWS))
def test_count_table(row: Row, esam: Esam) -> None:
    """Each row of §7.3 gives its outcome, credits only what it must, and writes the return file only when due."""
    simulator = meter(esam, opened=row.opened, count=row.count, remaining_fen=row.remaining_fen,
                      overdraft_fen=row.overdraft_fen, hoarding_limit_fen=row.hoarding_limit_fen, retired=row.retired)
    card = _card_for(row, esam)
    before = card.file(EF_RETURN)
    was_opened = simulator.state.customer_no is not None
    serial_before = simulator.state.serial

    result = simulator.insert(card, now=NOW)

    assert result.outcome is row.outcome
    assert result.credited_fen == row.credited_fen
    assert result.sw == row.sw
    assert result.return_written is row.return_written
    state = simulator.state
    assert state.purchase_count == (row.count if row.count_after is None and row.opened else row.count_after or 0)
    expected_remaining = row.remaining_fen if row.opened else 0
    assert state.remaining_fen == (expected_remaining if row.remaining_after is None else row.remaining_after)
    assert state.serial == (row.serial_after or serial_before)
    assert state.illegal_inserts == (0 if result.outcome in {Outcome.CREDITED, Outcome.NOT_NEWER,
                                                             Outcome.SAME_COUNT} else 1)
    if row.return_written:
        returned = read_card(card).returned
        assert returned is not None
        assert (returned.meter_no, returned.customer_no) == (METER_NO, state.customer_no)
        assert (returned.purchase_count, returned.remaining_fen) == (state.purchase_count, state.remaining_fen)
        assert (returned.overdraft_fen, returned.illegal_inserts) == (state.overdraft_fen, state.illegal_inserts)
        assert returned.written_at == NOW
    else:
        assert card.file(EF_RETURN) == before
        assert (state.customer_no is not None) is was_opened


def test_every_outcome_has_a_row() -> None:
    """The table covers every outcome the meter can give."""
    assert {row.outcome for row in ROWS.values()} == set(Outcome)


class TestReplacement:
    """Only the most recently issued card is accepted once a replacement card was inserted."""

    def test_old_card_refused_after_replacement(self, esam: Esam) -> None:
        """Card A credited; replacement B (same count) registers; A, even with a newer purchase, is refused."""
        simulator = meter(esam, opened=False)
        card_a = issued_card(esam, card_type=CardType.OPENING, count=1, serial=SERIAL_A)
        assert simulator.insert(card_a, now=NOW).outcome is Outcome.CREDITED
        card_b = issued_card(esam, card_type=CardType.REPLACEMENT, count=1, serial=SERIAL_B)
        assert simulator.insert(card_b, now=NOW).outcome is Outcome.SAME_COUNT
        assert simulator.state.serial == SERIAL_B
        assert simulator.state.retired_serials == [SERIAL_A]

        Issuer(esam).write(card_a, amount_fen=5_000, purchase_count=2)
        assert simulator.insert(card_a, now=NOW).outcome is Outcome.SERIAL_MISMATCH
        Issuer(esam).write(card_b, parameters=ParameterFile(card_type=CardType.PURCHASE, meter_no=METER_NO,
                                                            customer_no=CUSTOMER), amount_fen=5_000, purchase_count=2)
        assert simulator.insert(card_b, now=NOW).credited_fen == 5_000
        assert (simulator.state.purchase_count, simulator.state.remaining_fen) == (2, 15_000)

    def test_old_replacement_card_refused(self, esam: Esam) -> None:
        """A second replacement retires the first replacement card too."""
        simulator = meter(esam, count=1, remaining_fen=0)
        first = issued_card(esam, card_type=CardType.REPLACEMENT, count=1, serial=SERIAL_B)
        assert simulator.insert(first, now=NOW).outcome is Outcome.SAME_COUNT
        second = issued_card(esam, card_type=CardType.REPLACEMENT, count=1, serial=bytes(range(8)))
        assert simulator.insert(second, now=NOW).outcome is Outcome.SAME_COUNT
        assert simulator.insert(first, now=NOW).outcome is Outcome.SERIAL_MISMATCH


class TestCycle:
    """Sale, insertion, sale: the counter reads the return file and each purchase is credited once."""

    def test_no_double_credit(self, esam: Esam) -> None:
        """A credited card inserted again credits nothing (its count now equals the meter's)."""
        simulator = meter(esam)
        card = issued_card(esam, card_type=CardType.PURCHASE, count=4)
        assert simulator.insert(card, now=NOW).credited_fen == 10_000
        again = simulator.insert(card, now=NOW)
        assert (again.outcome, again.credited_fen) == (Outcome.SAME_COUNT, 0)
        assert simulator.state.remaining_fen == 15_000

    def test_next_sale_clears_return_file_and_credits(self, esam: Esam) -> None:
        """The return file written at insertion is cleared by the next sale, which then credits."""
        simulator = meter(esam)
        card = issued_card(esam, card_type=CardType.PURCHASE, count=4)
        simulator.insert(card, now=NOW)
        returned = read_card(card).returned
        assert returned is not None
        assert returned.purchase_count == 4
        Issuer(esam).write(card, amount_fen=2_000, purchase_count=returned.purchase_count + 1)
        assert read_card(card).returned is None
        assert simulator.insert(card, now=NOW).credited_fen == 2_000
        assert simulator.state.remaining_fen == 17_000

    def test_hoarding_refusal_leaves_card_creditable(self, esam: Esam) -> None:
        """After 超囤积 and some consumption the same card credits (no 返写不为空 trap)."""
        simulator = meter(esam, hoarding_limit_fen=12_000)
        card = issued_card(esam, card_type=CardType.PURCHASE, count=4)
        assert simulator.insert(card, now=NOW).outcome is Outcome.HOARDING
        simulator.consume(Decimal(60), Decimal("0.5"))  # 30 yuan: 20 yuan left, room for the 100
        assert simulator.insert(card, now=NOW).outcome is Outcome.CREDITED
        assert simulator.state.remaining_fen == 12_000


class TestConsume:
    """Consumption lowers the remaining amount, then runs into overdraft; money in whole fen, half up."""

    def test_cost_comes_off_remaining(self, esam: Esam) -> None:
        """100 kWh at 0.538 yuan costs 53.80 yuan."""
        simulator = meter(esam, remaining_fen=10_000)
        assert simulator.consume(Decimal(100), Decimal("0.538")) == 5_380
        assert simulator.state.remaining_fen == 4_620

    def test_half_fen_rounds_up(self, esam: Esam) -> None:
        """1 kWh at 0.5385 yuan is 53.85 fen: 54 fen."""
        simulator = meter(esam, remaining_fen=100)
        assert simulator.consume(Decimal(1), Decimal("0.5385")) == 54

    def test_overdraft(self, esam: Esam) -> None:
        """Beyond the remaining amount the meter counts overdraft."""
        simulator = meter(esam, remaining_fen=1_000)
        simulator.consume(Decimal(30), Decimal("0.5"))
        assert (simulator.state.remaining_fen, simulator.state.overdraft_fen) == (0, 500)

    def test_negative_energy_refused(self, esam: Esam) -> None:
        """Negative consumption is a ValueError, nothing changes."""
        simulator = meter(esam, remaining_fen=1_000)
        with pytest.raises(ValueError, match="negative"):
            simulator.consume(Decimal(-1), Decimal("0.5"))
        assert simulator.state.remaining_fen == 1_000


def test_state_round_trips_through_json(tmp_path: Path, esam: Esam) -> None:
    """The meter's state survives save and load (the demo hands it between commands)."""
    simulator = meter(esam, retired=(SERIAL_B,))
    simulator.insert(blank_card(esam), now=NOW)  # an illegal insertion, logged
    path = tmp_path / "meter.json"
    simulator.state.save(path)
    assert MeterState.load(path) == simulator.state
    assert MeterState.load(path).events == [{"outcome": "meter_mismatch", "serial": SERIAL_A.hex(), "sw": None}]


def test_card_and_meter_share_a_json_card(tmp_path: Path, esam: Esam) -> None:
    """A card saved as JSON, loaded into the meter, is credited and saved back with its return file."""
    path = tmp_path / "card.json"
    card = issued_card(esam, card_type=CardType.OPENING, count=1)
    card.state.save(path)
    simulator = MeterSimulator(MeterState(meter_no=METER_NO), esam)
    assert simulator.insert(VirtualCard.load(path), now=NOW).outcome is Outcome.CREDITED
    returned = read_card(VirtualCard(CardState.load(path))).returned
    assert returned is not None
    assert returned.purchase_count == 1


@settings(derandomize=True, deadline=None, max_examples=150)
@given(parameters=st.binary(min_size=26, max_size=26), wallet=st.binary(min_size=12, max_size=12),
       returned=st.binary(min_size=38, max_size=38))
def test_fuzzed_card_files_never_credit(parameters: bytes, wallet: bytes, returned: bytes) -> None:
    """A card holding arbitrary bytes in its files gives an outcome (never an exception) and never credits."""
    esam = Esam.test()
    card = issued_card(esam, card_type=CardType.PURCHASE, count=4)
    card.state.files.update({EF_PARAMETERS.fid: parameters, EF_WALLET.fid: wallet, EF_RETURN.fid: returned})
    simulator = meter(esam)
    result = simulator.insert(card, now=NOW)
    assert result.credited_fen == 0
    assert (simulator.state.purchase_count, simulator.state.remaining_fen) == (3, 5_000)
