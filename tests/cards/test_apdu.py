"""APDU builders and parsers: exact bytes of each command, strict parsing, and every bad answer a typed error."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared_models.cards import apdu
from shared_models.cards.apdu import CommandApdu, ResponseApdu, Sw
from shared_models.cards.errors import CardFault, CardFormatError, CardStatusError

DETERMINISTIC = settings(derandomize=True, deadline=None, max_examples=200)


class TestBuilders:
    """Each builder's bytes (ISO 7816-4 short APDUs)."""

    @pytest.mark.parametrize(("command", "hex_"), [
        (apdu.select(0x3F00), "00a40000023f00"),
        (apdu.select(0xDF01), "00a4000002df01"),
        (apdu.read_binary(0x02, 12), "00b082000c"),
        (apdu.read_binary(0x15, 256), "00b0950000"),
        (apdu.get_challenge(), "0084000008"),
        (apdu.internal_authenticate(1, bytes(range(8))), "0088000108000102030405060710"),
        (apdu.external_authenticate(2, bytes(16)), "0082000210" + "00" * 16),
        (apdu.update_binary(0x02, bytes(12), bytes.fromhex("a1b2c3d4")), "04d6820010" + "00" * 12 + "a1b2c3d4"),
    ], ids=["select-mf", "select-df01", "read-wallet", "read-256", "challenge", "internal", "external", "update"])
    def test_bytes(self, command: CommandApdu, hex_: str) -> None:
        """The encoded command, and that it parses back to itself."""
        assert command.encode().hex() == hex_
        assert CommandApdu.decode(command.encode()) == command

    @pytest.mark.parametrize("build", [
        lambda: apdu.read_binary(0, 1), lambda: apdu.read_binary(31, 1), lambda: apdu.read_binary(1, 0),
        lambda: apdu.read_binary(1, 257), lambda: apdu.read_binary(1, 1, offset=256),
        lambda: apdu.update_binary(1, b"", bytes(4)), lambda: apdu.update_binary(1, bytes(252), bytes(4)),
        lambda: apdu.update_binary(1, bytes(4), bytes(3)), lambda: apdu.internal_authenticate(1, bytes(7)),
        lambda: apdu.external_authenticate(2, bytes(8)), lambda: CommandApdu(cla=256, ins=0, p1=0, p2=0),
        lambda: CommandApdu(cla=0, ins=0, p1=0, p2=0, data=bytes(256)), lambda: CommandApdu(cla=0, ins=0, p1=0, p2=0,
                                                                                             le=256),
    ])
    def test_refused(self, build: object) -> None:
        """Impossible commands are CardFormatErrors, not bytes sent to a card."""
        with pytest.raises(CardFormatError):
            build()  # type: ignore[operator]


class TestCommandParser:
    """The emulator's parser of C-APDUs."""

    @DETERMINISTIC
    @given(st.builds(CommandApdu, cla=st.integers(0, 255), ins=st.integers(0, 255), p1=st.integers(0, 255),
                     p2=st.integers(0, 255), data=st.binary(max_size=255), le=st.none() | st.integers(0, 255)))
    def test_round_trip(self, command: CommandApdu) -> None:
        """Every short APDU parses back to itself."""
        assert CommandApdu.decode(command.encode()) == command

    @pytest.mark.parametrize("raw", ["", "00", "00a400", "00a4000005df01", "00a4000002df010000", "00a4000000ffff"],
                             ids=["empty", "1-byte", "3-bytes", "lc-too-long", "lc-too-short", "extended"])
    def test_malformed(self, raw: str) -> None:
        """Short headers, a wrong Lc, an extended length."""
        with pytest.raises(CardFormatError) as caught:
            CommandApdu.decode(bytes.fromhex(raw))
        assert caught.value.fault is CardFault.APDU


class TestResponse:
    """R-APDUs: the data of a 9000, a CardStatusError otherwise, a CardFormatError when too short or wrong size."""

    def test_ok(self) -> None:
        """Data and 9000, from bytes or pyscard's list of ints."""
        assert ResponseApdu.decode(bytes.fromhex("01029000")).expect("read", length=2) == b"\x01\x02"
        assert ResponseApdu.decode([1, 2, 0x90, 0]) == ResponseApdu(b"\x01\x02", 0x9000)

    @pytest.mark.parametrize("sw", [Sw.WALLET_MAC_WRONG, Sw.MAC_WRONG, Sw.SECURITY_NOT_SATISFIED, Sw.FILE_NOT_FOUND,
                                    Sw.WRONG_LENGTH, 0x63C3, 0x6F00])
    def test_status_words(self, sw: int) -> None:
        """6989, 6988, 6982, 6A82, 6700 and any other SW raise CardStatusError with it."""
        with pytest.raises(CardStatusError) as caught:
            ResponseApdu.decode(sw.to_bytes(2, "big")).expect("update")
        assert caught.value.sw == sw

    @pytest.mark.parametrize("raw", [b"", b"\x90"])
    def test_truncated(self, raw: bytes) -> None:
        """An answer shorter than a status word."""
        with pytest.raises(CardFormatError) as caught:
            ResponseApdu.decode(raw)
        assert caught.value.fault is CardFault.APDU

    @pytest.mark.parametrize("data", [bytes(11), bytes(13)], ids=["truncated", "over-long"])
    def test_wrong_size(self, data: bytes) -> None:
        """A 9000 answer with fewer or more bytes than the file."""
        with pytest.raises(CardFormatError) as caught:
            ResponseApdu.decode(data + b"\x90\x00").expect("read wallet", length=12)
        assert caught.value.fault is CardFault.LENGTH

    @DETERMINISTIC
    @given(st.binary(max_size=40))
    def test_fuzzed_answers(self, raw: bytes) -> None:
        """Any answer bytes give data, a CardStatusError or a CardFormatError: nothing else."""
        try:
            ResponseApdu.decode(raw).expect("read", length=12)
        except (CardStatusError, CardFormatError):
            return
        assert raw[-2:] == b"\x90\x00"
        assert len(raw) == 14
