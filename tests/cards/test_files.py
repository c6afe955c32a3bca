"""The card files' codecs: hypothesis round trips, and every malformed file a typed CardFormatError (never an
IndexError or a struct.error)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared_models.cards.errors import CardFault, CardFormatError
from shared_models.cards.files import (
    BEIJING,
    EF_INFO,
    EF_PARAMETERS,
    EF_RETURN,
    EF_WALLET,
    MAX_AMOUNT_FEN,
    CardInfo,
    CardType,
    ParameterFile,
    ReturnFile,
    WalletFile,
    decode_bcd,
    encode_bcd,
)

DETERMINISTIC = settings(derandomize=True, deadline=None, max_examples=200)
digits12 = st.text(alphabet="0123456789", min_size=12, max_size=12)
amounts = st.integers(min_value=0, max_value=MAX_AMOUNT_FEN)
ratios = st.integers(min_value=1, max_value=9_999)
moments = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31, 23, 59),  # noqa: DTZ001
                       timezones=st.just(BEIJING)).map(lambda moment: moment.replace(second=0, microsecond=0))

parameter_files = st.builds(
    ParameterFile, card_type=st.sampled_from([t for t in CardType if t is not CardType.BLANK]), meter_no=digits12,
    customer_no=digits12, ct_ratio=ratios, pt_ratio=ratios, alarm1_fen=amounts, alarm2_fen=amounts,
    update_flags=st.integers(0, 255))
wallet_files = st.builds(WalletFile, amount_fen=amounts, purchase_count=st.integers(0, 0xFFFF_FFFF),
                         mac=st.binary(min_size=4, max_size=4))
return_files = st.builds(
    ReturnFile, ct_ratio=ratios, pt_ratio=ratios, meter_no=digits12, customer_no=digits12, remaining_fen=amounts,
    purchase_count=st.integers(0, 0xFFFF_FFFF), overdraft_fen=amounts, illegal_inserts=st.integers(0, 0xFFFF),
    written_at=moments)
DECODERS: dict[str, tuple[Callable[[bytes], object], int]] = {
    "info": (CardInfo.decode, EF_INFO.size), "parameters": (ParameterFile.decode, EF_PARAMETERS.size),
    "wallet": (WalletFile.decode, EF_WALLET.size), "return": (ReturnFile.decode, EF_RETURN.size)}


class TestRoundTrips:
    """Encode then decode gives the record back, and the bytes have the file's exact size."""

    @DETERMINISTIC
    @given(parameter_files)
    def test_parameters(self, record: ParameterFile) -> None:
        """Parameter files of every card type."""
        data = record.encode()
        assert len(data) == EF_PARAMETERS.size
        assert ParameterFile.decode(data) == record

    @DETERMINISTIC
    @given(wallet_files)
    def test_wallet(self, record: WalletFile) -> None:
        """Wallet files."""
        assert WalletFile.decode(record.encode()) == record

    @DETERMINISTIC
    @given(return_files)
    def test_return(self, record: ReturnFile) -> None:
        """Return files, framed 68 ... cs 16."""
        data = record.encode()
        assert (len(data), data[0], data[-1]) == (EF_RETURN.size, 0x68, 0x16)
        assert ReturnFile.decode(data) == record

    @DETERMINISTIC
    @given(st.binary(min_size=8, max_size=8), st.integers(1, 255))
    def test_info(self, serial: bytes, version: int) -> None:
        """Card info files."""
        assert CardInfo.decode(CardInfo(serial=serial, key_version=version).encode()) == CardInfo(
            serial=serial, key_version=version)

    def test_blank_card(self) -> None:
        """All zeros decode to the blank parameter file and an empty return file."""
        assert ParameterFile.decode(bytes(26)) == ParameterFile.blank()
        assert ReturnFile.decode(bytes(38)) is None
        assert ReturnFile.empty() == bytes(38)

    def test_known_layout(self) -> None:
        """A purchase card's parameter file, byte by byte (docs/card-format.md)."""
        record = ParameterFile(card_type=CardType.PURCHASE, meter_no="000000123456", customer_no="330100000001",
                               ct_ratio=40, pt_ratio=1, alarm1_fen=2_000, alarm2_fen=1_000, update_flags=0x01)
        assert record.encode().hex() == "0201000007d0000003e800280001" "000000123456" "330100000001"

    def test_return_time_in_beijing(self) -> None:
        """The return file's time is written in Beijing time, whatever zone it is given in."""
        moment = dt.datetime(2026, 12, 6, 16, 5, tzinfo=dt.UTC)
        record = ReturnFile(ct_ratio=1, pt_ratio=1, meter_no="0" * 12, customer_no="1" * 12, remaining_fen=0,
                            purchase_count=1, overdraft_fen=0, illegal_inserts=0, written_at=moment)
        assert record.encode()[31:36].hex() == "2612070005"
        decoded = ReturnFile.decode(record.encode())
        assert decoded is not None
        assert decoded.written_at == moment


class TestMalformed:
    """Every malformed answer is a CardFormatError with its fault."""

    @pytest.mark.parametrize("name", list(DECODERS))
    def test_every_wrong_length(self, name: str) -> None:
        """Truncated and over-long files, from 0 bytes to size + 8."""
        decode, size = DECODERS[name]
        for length in range(size + 9):
            if length != size:
                with pytest.raises(CardFormatError) as caught:
                    decode(bytes([0x68]) * length)
                assert caught.value.fault is CardFault.LENGTH

    @pytest.mark.parametrize("name", list(DECODERS))
    @DETERMINISTIC
    @given(data=st.data())
    def test_random_bytes_decode_or_refuse(self, name: str, data: st.DataObject) -> None:
        """Arbitrary bytes of the right size decode (and re-encode identically) or raise CardFormatError."""
        decode, size = DECODERS[name]
        raw = data.draw(st.binary(min_size=size, max_size=size))
        try:
            record = decode(raw)
        except CardFormatError:
            return
        assert record is None or record.encode() == raw  # type: ignore[attr-defined]

    def test_unknown_card_type(self) -> None:
        """A card type byte that is none of ours."""
        data = bytearray(ParameterFile(card_type=CardType.PURCHASE, meter_no="1" * 12, customer_no="2" * 12).encode())
        data[0] = 0x09
        with pytest.raises(CardFormatError) as caught:
            ParameterFile.decode(bytes(data))
        assert caught.value.fault is CardFault.CARD_TYPE

    @pytest.mark.parametrize("offset", [14, 19, 20, 25])
    def test_bad_bcd_nibble(self, offset: int) -> None:
        """A nibble above 9 in the meter or customer number."""
        data = bytearray(ParameterFile(card_type=CardType.PURCHASE, meter_no="1" * 12, customer_no="2" * 12).encode())
        data[offset] = 0x1A
        with pytest.raises(CardFormatError) as caught:
            ParameterFile.decode(bytes(data))
        assert caught.value.fault is CardFault.BCD

    def test_blank_type_with_data(self) -> None:
        """A blank card type beside a customer number is refused."""
        data = bytearray(26)
        data[-1] = 0x01
        with pytest.raises(CardFormatError) as caught:
            ParameterFile.decode(bytes(data))
        assert caught.value.fault is CardFault.RANGE

    def test_zero_ratio_on_an_issued_card(self) -> None:
        """CT ratio 0 on a purchase card."""
        data = bytearray(ParameterFile(card_type=CardType.PURCHASE, meter_no="1" * 12, customer_no="2" * 12).encode())
        data[10:12] = b"\x00\x00"
        with pytest.raises(CardFormatError) as caught:
            ParameterFile.decode(bytes(data))
        assert caught.value.fault is CardFault.RANGE

    def test_wallet_amount_above_limit(self) -> None:
        """An amount above 999 999.99 yuan."""
        with pytest.raises(CardFormatError) as caught:
            WalletFile.decode((MAX_AMOUNT_FEN + 1).to_bytes(4, "big") + bytes(8))
        assert caught.value.fault is CardFault.RANGE

    def _return(self) -> bytearray:
        return bytearray(ReturnFile(ct_ratio=1, pt_ratio=1, meter_no="1" * 12, customer_no="2" * 12,
                                    remaining_fen=100, purchase_count=3, overdraft_fen=0, illegal_inserts=0,
                                    written_at=dt.datetime(2026, 12, 6, 9, 30, tzinfo=BEIJING)).encode())

    @pytest.mark.parametrize("offset", [0, 37])
    def test_return_frame(self, offset: int) -> None:
        """A return file without its 0x68 head or 0x16 tail."""
        data = self._return()
        data[offset] = 0x00
        with pytest.raises(CardFormatError) as caught:
            ReturnFile.decode(bytes(data))
        assert caught.value.fault is CardFault.FRAME

    def test_return_checksum(self) -> None:
        """A return file whose checksum does not add up."""
        data = self._return()
        data[20] ^= 0x01
        with pytest.raises(CardFormatError) as caught:
            ReturnFile.decode(bytes(data))
        assert caught.value.fault is CardFault.CHECKSUM

    def test_return_impossible_date(self) -> None:
        """A return time of month 13 (checksum fixed up) is a RANGE fault."""
        data = self._return()
        data[32] = 0x13  # the month
        data[36] = sum(data[:36]) & 0xFF
        with pytest.raises(CardFormatError) as caught:
            ReturnFile.decode(bytes(data))
        assert caught.value.fault is CardFault.RANGE


class TestEncodeRefuses:
    """Records that cannot be written refuse at construction."""

    @pytest.mark.parametrize("number", ["33010000000", "3301000000011", "33010000000a", "３３０１００００００01", ""])
    def test_customer_number_must_be_12_ascii_digits(self, number: str) -> None:
        """11 or 13 digits, a letter, full-width digits, nothing."""
        with pytest.raises(CardFormatError) as caught:
            ParameterFile(card_type=CardType.PURCHASE, meter_no="1" * 12, customer_no=number)
        assert caught.value.fault is CardFault.BCD

    @pytest.mark.parametrize(("field", "value"), [("alarm1_fen", -1), ("alarm2_fen", MAX_AMOUNT_FEN + 1),
                                                  ("ct_ratio", 10_000), ("pt_ratio", 0), ("update_flags", 256)])
    def test_parameter_ranges(self, field: str, value: int) -> None:
        """Out-of-range amounts, ratios and flags."""
        with pytest.raises(CardFormatError) as caught:
            ParameterFile(card_type=CardType.PURCHASE, meter_no="1" * 12, customer_no="2" * 12, **{field: value})
        assert caught.value.fault is CardFault.RANGE

    def test_wallet_refuses_bool_and_negative(self) -> None:
        """A bool is not a count and an amount is never negative."""
        with pytest.raises(CardFormatError):
            WalletFile(amount_fen=True, purchase_count=1)
        with pytest.raises(CardFormatError):
            WalletFile(amount_fen=-1, purchase_count=1)
        with pytest.raises(CardFormatError):
            WalletFile(amount_fen=1, purchase_count=1, mac=b"\x00")

    def test_return_naive_time(self) -> None:
        """A return time without a zone."""
        with pytest.raises(CardFormatError):
            ReturnFile(ct_ratio=1, pt_ratio=1, meter_no="1" * 12, customer_no="2" * 12, remaining_fen=0,
                       purchase_count=0, overdraft_fen=0, illegal_inserts=0,
                       written_at=dt.datetime(2026, 1, 1))  # noqa: DTZ001 (the naive time under test)

    def test_info_serial_and_version(self) -> None:
        """A 7-byte serial and key version 0."""
        with pytest.raises(CardFormatError):
            CardInfo(serial=bytes(7), key_version=1)
        with pytest.raises(CardFormatError):
            CardInfo(serial=bytes(8), key_version=0)

    def test_bcd_helpers(self) -> None:
        """BCD packs two digits a byte, first digit high; a nibble above 9 refuses."""
        assert encode_bcd("330100000001", 6, "x").hex() == "330100000001"
        assert decode_bcd(bytes.fromhex("0912"), "x") == "0912"
        with pytest.raises(CardFormatError):
            decode_bcd(bytes.fromhex("0F12"), "x")
