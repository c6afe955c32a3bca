"""Recognising a search key (shared by the client's search box and the server): the documented rules."""

from __future__ import annotations

import pytest

from shared_models.methods.customers import SearchKind
from shared_models.search_keys import SearchKey, classify, is_barcode, normalize, parse

K = SearchKind


@pytest.mark.parametrize(("query", "kind", "text"), [
    ("3301000001", K.CUSTOMER_NO, "3301000001"),
    ("3300000000002", K.CUSTOMER_NO, "3300000000002"),
    ("３３０１０００００１", K.CUSTOMER_NO, "3301000001"),  # full-width, from a Chinese input method
    ("3301 0000 01", K.CUSTOMER_NO, "3301000001"),
    ("2026093301000001", K.BARCODE, "2026093301000001"),
    ("202609-3301000001", K.BARCODE, "2026093301000001"),  # the bill number as printed
    ("2026103300000000002", K.BARCODE, "2026103300000000002"),  # period + 13-digit 户号
    ("\x1d2026093301000001\r\n", K.BARCODE, "2026093301000001"),  # a scanner's GS prefix and CR/LF
    ("13800000000", K.PHONE, "13800000000"),
    ("138-0000-0000", K.PHONE, "13800000000"),
    ("+86 138 0000 0000", K.PHONE, "13800000000"),
    ("0086 13800000000", K.PHONE, "13800000000"),
    ("0571-88886666", K.PHONE, "057188886666"),
    ("86666", K.PHONE, "86666"),
    ("88886666", K.PHONE, "88886666"),
    ("3310122101234567890123", K.METER, "3310122101234567890123"),
    ("9926093301000001", K.METER, "9926093301000001"),  # 16 digits without a period in front
    ("2026133301000001", K.METER, "2026133301000001"),  # month 13 is no period
    ("zj3301-0042", K.METER, "ZJ3301-0042"),
    ("张伟", K.NAME, "张伟"),
    ("张 伟", K.NAME, "张伟"),
    ("张\u200b伟", K.NAME, "张伟"),  # a zero-width space pasted from a chat
    ("鑫源便利店", K.NAME, "鑫源便利店"),
    ("杭州恒达贸易有限公司", K.NAME, "杭州恒达贸易有限公司"),
    ("路遥", K.NAME, "路遥"),  # 路 first is a surname, not a road
    ("John Smith", K.NAME, "John Smith"),
    ("文三路", K.ADDRESS, "文三路"),
    ("灯塔村", K.ADDRESS, "灯塔村"),
    ("文三路 25号", K.ADDRESS, "文三路25号"),
    ("1幢2单元", K.ADDRESS, "1幢2单元"),
    ("A座12", K.ADDRESS, "A座12"),
])
def test_recognised(query: str, kind: SearchKind, text: str) -> None:
    """Each documented form is recognised as its kind, with the normalised text to search for."""
    assert parse(query) == SearchKey(kind, text)
    assert classify(query) is kind


@pytest.mark.parametrize("query", [
    "", "   ", "张", "一、", "!!!", "1234", "12345678901234", "123456789012345", "1" * 25, "+3301",
    "\u200b\u200b", "A",
])
def test_not_a_key(query: str) -> None:
    """Too short, punctuation only, or a digit count that is no key: nothing to search for."""
    assert parse(query) is None
    assert classify(query) is None


def test_too_long() -> None:
    """More than 64 characters is refused even when it would otherwise be a name."""
    assert parse("张" * 65) is None
    assert parse("张" * 64) == SearchKey(K.NAME, "张" * 64)


@pytest.mark.parametrize(("query", "kind", "expected"), [
    ("西湖", K.ADDRESS, SearchKey(K.ADDRESS, "西湖")),
    ("文三路", K.NAME, SearchKey(K.NAME, "文三路")),
    ("3301000001", K.PHONE, SearchKey(K.PHONE, "3301000001")),
    ("86666", K.METER, None),  # a meter number has at least six characters
    ("123456", K.METER, SearchKey(K.METER, "123456")),
    ("张伟", K.CUSTOMER_NO, None),
    ("13800000000", K.CUSTOMER_NO, None),
    ("9926093301000001", K.BARCODE, None),
    ("张", K.NAME, None),
    ("2026093301000001", K.BARCODE, SearchKey(K.BARCODE, "2026093301000001")),
])
def test_forced_kind(query: str, kind: SearchKind, expected: SearchKey | None) -> None:
    """A forced kind is checked against the text, never trusted blindly."""
    assert parse(query, kind) == expected


def test_normalize() -> None:
    """NFKC, trimmed, inner whitespace collapsed, invisible characters dropped; case kept."""
    assert normalize("\u3000ＡＢｃ  １２\t３ \n") == "ABc 12 3"
    assert normalize("a\x00b\ufeffc\U0010ffff") == "abc"


def test_barcode_period() -> None:
    """A barcode starts with a period of this century: month 01 to 12."""
    assert is_barcode("2026013301000001")
    assert is_barcode("2026123301000001")
    assert not is_barcode("2026003301000001")
    assert not is_barcode("1926013301000001")
    assert not is_barcode("202601330100001")  # 15 digits
