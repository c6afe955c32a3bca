"""What a search key is: one search box serves 户号, bill barcode, phone, meter number, name and address.

Pure functions, no I/O: the client calls them as the cashier types (to show the recognised kind) and
the server calls them again on what arrives (it trusts only the text, never the client's guess).

Normalisation (:func:`normalize`): Unicode NFKC, which turns full-width digits and letters (``１２３``,
``ＡＢ``) and the ideographic space into ASCII; then whitespace is trimmed and runs of it collapse to
one space; invisible characters (controls, zero-width spaces, unassigned code points) are dropped.
Scanners that type like a keyboard end with Enter, Tab or CR/LF: those go with the trim. Letters keep
their case: names and addresses are matched as stored.

Recognition (:func:`classify`), in this order:

* **Numbers** — the text is digits, optionally grouped with spaces, ``-`` or ``.`` (``3301 0000 01``,
  ``0571-8888 6666``) and, for a phone, a leading ``+``. By the number of digits:

  ====== ============== ====================================================================
  digits kind           why
  ====== ============== ====================================================================
  10, 13 ``customer_no`` the 户号: 10 digits, or 13 with the province prefix; exact match
  16, 19 ``barcode``     a bill barcode: a ``YYYYMM`` period (20xx, month 01–12) and 10 or 13
                         digits — the bill number (``server/demo_data/bills.py``: period + 10
                         digits, or ``YYYYMM-户号``), which names the customer; else the
                         户号 after the period
  5–9    ``phone``       the trailing digits of a phone (the last 5–8 digits people remember,
                         a landline without its area code)
  11, 12 ``phone``       a mobile (11) or a landline with its area code (11–12); also the
                         trailing digits of a number stored with ``+86``
  16–24  ``meter``       a meter asset number (State Grid asset numbers have 22 digits); 16 and
                         19 digits only when they do not start with a period
  other  none            1–4 digits say too little; 14, 15 and over 24 are no known key
  ====== ============== ====================================================================

  ``+86`` or ``0086`` before an 11-digit mobile is dropped.
* **Meter numbers with letters** — 6 to 24 ASCII letters and digits (dashes allowed), with at least one
  of each and no other characters: a meter asset number (``ZJ3301-0042``); matched upper-cased.
* **Text** — needs at least two letters, digits or Chinese characters (one Chinese character matches
  a tenth of all customers and says nothing). It is an **address** when it holds a digit or an
  address word after its first character (省 市 区 县 镇 乡 村 路 街 巷 弄 号 幢 栋 楼 层 室 单元 小区);
  otherwise a **name** (people, shops and companies: 张伟, 鑫源便利店, 杭州恒达贸易有限公司). The first
  character does not count, because 路 and 楼 are surnames too. Spaces next to a Chinese character are
  dropped (``张 伟`` is 张伟); Latin text keeps single spaces.
* Anything else (one Chinese character, punctuation only, an empty box) is no key: the server answers
  ``SEARCH_QUERY_INVALID``.

The client may force a kind (the cashier knows that ``西湖`` is an address fragment, not a name);
:func:`parse` then checks that the text can be a key of that kind.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from shared_models.methods.customers import SearchKind

__all__ = ["MAX_QUERY_LENGTH", "SearchKey", "barcode_parts", "classify", "is_barcode", "is_cjk", "normalize",
           "parse"]

#: The longest query the contract accepts (``SearchRequest.query``).
MAX_QUERY_LENGTH = 64

_NUMBER = re.compile(r"^\+?[0-9]+(?:[ .\-][0-9]+)*$")
_SEPARATORS = re.compile(r"[ .\-+]")
_ALNUM_METER = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?$")
_SPACES = re.compile(r"\s+")
_ADDRESS_WORDS = ("省", "市", "区", "县", "镇", "乡", "村", "路", "街", "巷", "弄", "号", "幢", "栋", "楼", "层",
                  "室", "单元", "小区")

_CUSTOMER_NO_DIGITS = frozenset({10, 13})
_BARCODE_DIGITS = frozenset({16, 19})  # period + a 10- or 13-digit number
_PERIOD = 6
_MONTHS = 12
_PHONE_DIGITS = frozenset({5, 6, 7, 8, 9, 11, 12})
_METER_DIGITS = range(16, 25)
_METER_ALNUM = range(6, 25)
_MIN_PHONE = 5
_MAX_PHONE = 20  # the phone column holds up to 20 characters
_MIN_TEXT = 2


@dataclass(frozen=True)
class SearchKey:
    """A recognised key: its kind and the normalised text to look for (digits only for numbers)."""

    kind: SearchKind
    text: str


def is_cjk(char: str) -> bool:
    """True for a Chinese character (CJK unified ideographs, extension A and compatibility block)."""
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF or code >= 0x20000


def normalize(query: str) -> str:
    """NFKC (full-width → ASCII), trimmed, runs of whitespace collapsed to one space, and control,
    format, private-use, surrogate and unassigned characters dropped (a scanner's GS separator, a
    zero-width space pasted from a chat)."""
    spaced = _SPACES.sub(" ", unicodedata.normalize("NFKC", query))
    return "".join(c for c in spaced if not unicodedata.category(c).startswith("C")).strip()


def _digits(text: str) -> str | None:
    """The digits of a number-like text (grouping and a leading ``+86``/``0086`` removed), else None."""
    if not _NUMBER.match(text):
        return None
    digits = _SEPARATORS.sub("", text)
    if (text.startswith("+86") or digits.startswith("0086")) and len(digits) in (13, 15):
        digits = digits[-11:]  # +86 138…, 0086 138…: the mobile itself
    return digits


def is_barcode(digits: str) -> bool:
    """True for 16 or 19 digits that start with a billing period ``YYYYMM`` of this century."""
    return (len(digits) in _BARCODE_DIGITS and digits.isdigit() and digits.startswith("20")
            and 1 <= int(digits[4:6]) <= _MONTHS)


def barcode_parts(digits: str) -> tuple[str, str]:
    """(period ``YYYYMM``, the digits after it) of a barcode."""
    return digits[:_PERIOD], digits[_PERIOD:]


def _number_kind(digits: str) -> SearchKind | None:
    n = len(digits)
    if n in _CUSTOMER_NO_DIGITS:
        return SearchKind.CUSTOMER_NO
    if is_barcode(digits):
        return SearchKind.BARCODE
    if n in _PHONE_DIGITS:
        return SearchKind.PHONE
    if n in _METER_DIGITS:
        return SearchKind.METER
    return None


def _plus_kind(digits: str) -> SearchKind | None:
    """Only a phone is written with a leading ``+``."""
    return SearchKind.PHONE if _MIN_PHONE <= len(digits) <= _MAX_PHONE else None


def _meter_text(text: str) -> str | None:
    """An alphanumeric meter number, upper-cased, or None."""
    if (len(text) in _METER_ALNUM and _ALNUM_METER.match(text) and any(c.isdigit() for c in text)
            and any(c.isalpha() for c in text)):
        return text.upper()
    return None


def _clean_text(text: str) -> str:
    """Drop the spaces next to Chinese characters (张 伟 → 张伟); keep single spaces in Latin text."""
    out: list[str] = []
    for i, char in enumerate(text):
        if char == " " and ((i > 0 and is_cjk(text[i - 1])) or (i + 1 < len(text) and is_cjk(text[i + 1]))):
            continue
        out.append(char)
    return "".join(out)


def _has_meaning(text: str) -> bool:
    return sum(1 for c in text if c.isalnum()) >= _MIN_TEXT


def _text_kind(text: str) -> SearchKind:
    if any(c.isdigit() for c in text) or any(word in text[1:] for word in _ADDRESS_WORDS):
        return SearchKind.ADDRESS
    return SearchKind.NAME


def parse(query: str, kind: SearchKind | None = None) -> SearchKey | None:
    """The key in ``query``: recognised, or checked against the forced ``kind``; None when it is no key."""
    text = normalize(query)
    if not text or len(text) > MAX_QUERY_LENGTH:
        return None
    digits = _digits(text)
    if kind is None:
        if digits is not None:
            number_kind = _number_kind(digits) if not text.startswith("+") else _plus_kind(digits)
            return SearchKey(number_kind, digits) if number_kind is not None else None
        meter = _meter_text(text)
        if meter is not None:
            return SearchKey(SearchKind.METER, meter)
        cleaned = _clean_text(text)
        return SearchKey(_text_kind(cleaned), cleaned) if _has_meaning(cleaned) else None
    return _forced(text, digits, kind)


def _forced(text: str, digits: str | None, kind: SearchKind) -> SearchKey | None:
    if kind in (SearchKind.NAME, SearchKind.ADDRESS):
        cleaned = _clean_text(text)
        return SearchKey(kind, cleaned) if _has_meaning(cleaned) else None
    if kind is SearchKind.METER:
        meter = _meter_text(text)
        if meter is not None:
            return SearchKey(kind, meter)
        return SearchKey(kind, digits) if digits is not None and len(digits) in _METER_ALNUM else None
    if digits is None:
        return None
    fits = {
        SearchKind.CUSTOMER_NO: len(digits) in _CUSTOMER_NO_DIGITS,
        SearchKind.BARCODE: is_barcode(digits),
        SearchKind.PHONE: _MIN_PHONE <= len(digits) <= _MAX_PHONE,
    }[kind]
    return SearchKey(kind, digits) if fits else None


def classify(query: str) -> SearchKind | None:
    """The kind of key ``query`` is, or None when it is none (see the module docstring for the rules)."""
    key = parse(query)
    return key.kind if key is not None else None
