"""Render a :class:`~printing.receipt.ReceiptDocument` as ESC/POS bytes, and read such bytes back as text.

Text is written raw, not through python-escpos's magic encoder: that encoder switches to GB18030 only for
lines holding an ideograph in U+4E00–U+9FA5, so a line of full-width punctuation prints as ``??``, and it
turns ``¥`` (U+00A5) into a 4-byte GB18030 sequence GBK printers cannot print. Here every line with a
non-ASCII character is sent between ``FS &`` (Chinese mode on) and ``FS .`` (off) in GB18030 (GBK for
every character GBK has); ASCII lines go as plain bytes, which every code page prints alike. python-escpos
(its ``Dummy`` printer) builds the native QR code (``GS ( k``) and the feed-and-cut (``GS V``).

In Chinese mode a printer gives every double-byte character two columns of the 12-dot ASCII font, so a
line's width is counted as 1 per ASCII character and 2 per anything else: 32 columns on 58 mm paper
(384 dots), 48 on 80 mm (576 dots). Nothing printed is ever wider than the paper.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Generator, Iterator
from decimal import Decimal
from types import MappingProxyType
from typing import Final, Literal

from printing.receipt import LABELS_ZH, ReceiptDocument
from shared_models.money import format_fen

Paper = Literal[58, 80]
Charset = Literal["gb18030", "gbk"]

#: Columns of the 12×24 font per paper width.
COLUMNS: Final = MappingProxyType({58: 32, 80: 48})
_QR_SIZE: Final = MappingProxyType({58: 5, 80: 6})

ESC: Final = b"\x1b"
GS: Final = b"\x1d"
FS: Final = b"\x1c"
DLE: Final = b"\x10"
INIT: Final = ESC + b"@"
ALIGN_LEFT: Final = ESC + b"a\x00"
ALIGN_CENTER: Final = ESC + b"a\x01"
BOLD_ON: Final = ESC + b"E\x01"
BOLD_OFF: Final = ESC + b"E\x00"
SIZE_NORMAL: Final = GS + b"!\x00"
SIZE_TALL: Final = GS + b"!\x01"  # double height only: the line keeps its column count
CHINESE_ON: Final = FS + b"&"
CHINESE_OFF: Final = FS + b"."
LF: Final = b"\n"
#: ESC p m t1 t2: pulse drawer pin 2 (m=0) for 25×2 ms, then 250×2 ms off.
DRAWER_KICK: Final = ESC + b"p" + bytes((0, 25, 250))

_SEPARATOR: Final = "："  # full-width colon, as Chinese documents write it
_UNPRINTABLE: Final = "□"  # U+25A1, GBK A1F5: stands in for a character the printer cannot print


def drawer_kick() -> bytes:
    """The bytes that open the cash drawer (``ESC p 0 25 250``)."""
    return DRAWER_KICK


def text_width(text: str) -> int:
    """Printed width in columns: 1 per ASCII character, 2 per double-byte (GBK/GB18030) character."""
    return sum(1 if ord(ch) < 0x80 else 2 for ch in text)


def printable(text: str, *, charset: Charset = "gb18030") -> str:
    """``text`` as it can be printed: control and format characters never reach the printer.

    Line breaks and tabs become spaces; other controls (an ``ESC`` in a customer's address would be a
    printer command) and invisible format characters are dropped; ``¥`` becomes ``￥``; a character the
    charset cannot encode (a lone surrogate, or anything outside GBK when printing GBK) becomes ``□``.
    """
    out: list[str] = []
    for ch in text:
        if ch == "\u00a5":
            out.append("￥")
            continue
        category = unicodedata.category(ch)
        if ch in "\t\n\r\v\f\x85\u2028\u2029":
            out.append(" ")
        elif category in ("Cc", "Cf"):
            continue
        elif category == "Cs" or not _encodable(ch, charset):
            out.append(_UNPRINTABLE)
        else:
            out.append(ch)
    return "".join(out)


def wrap(text: str, columns: int) -> list[str]:
    """Cut ``text`` into lines of at most ``columns`` columns (by character: Chinese has no spaces)."""
    lines: list[str] = []
    current: list[str] = []
    used = 0
    for ch in text:
        w = text_width(ch)
        if used + w > columns and current:
            lines.append("".join(current))
            current, used = [], 0
        current.append(ch)
        used += w
    lines.append("".join(current))
    return lines


def render(doc: ReceiptDocument, *, paper: Paper, charset: Charset = "gb18030") -> bytes:
    """The ESC/POS bytes of ``doc`` for ``paper`` mm paper; raises ReceiptError if it does not add up."""
    if paper not in COLUMNS:
        raise ValueError(f"paper must be 58 or 80 (mm), not {paper!r}")
    doc.validate()
    out = _Out(columns=COLUMNS[paper], charset=charset)
    out.raw(INIT)
    _header(out, doc)
    _bills(out, doc)
    _totals(out, doc)
    _card_sale(out, doc)
    out.rule()
    out.raw(ALIGN_CENTER)
    out.wrapped(LABELS_ZH["footer"])
    out.raw(_qr(doc.receipt_no, size=_QR_SIZE[paper]))
    out.raw(LF + ALIGN_LEFT + _feed_and_cut())
    return bytes(out.buf)


def _header(out: _Out, doc: ReceiptDocument) -> None:
    """Hall, title and marks (centred, bold), then who, when, where and for whom."""
    labels = LABELS_ZH
    out.raw(ALIGN_CENTER + BOLD_ON + SIZE_TALL)
    out.wrapped(doc.hall_name)
    out.wrapped(labels["title_card_sale"] if doc.card_sale is not None else labels["title_payment"])
    out.raw(SIZE_NORMAL)
    if doc.reprint_count > 0:
        out.wrapped(labels["reprint"].format(count=doc.reprint_count))
    if doc.offline:
        out.wrapped(labels["offline"])
    if doc.voided:
        out.wrapped(labels["voided"])
    out.raw(BOLD_OFF + ALIGN_LEFT)
    out.rule()
    out.field(labels["receipt_no"], doc.receipt_no)
    out.field(labels["printed_at"], doc.printed_at.strftime("%Y-%m-%d %H:%M:%S"))
    out.field(labels["counter"], doc.counter_code)
    out.field(labels["cashier"], doc.cashier_name)
    out.field(labels["customer_no"], doc.customer_no)
    out.field(labels["customer_name"], doc.customer_name)
    out.field(labels["address"], doc.address)


def _bills(out: _Out, doc: ReceiptDocument) -> None:
    """One table row per bill on 80 mm paper; a small block per bill where the table does not fit."""
    if not doc.bills:
        return
    labels = LABELS_ZH
    out.rule()
    out.wrapped(labels["bills"])
    if out.bill_table(doc):
        return
    for bill in doc.bills:
        out.pair(labels["period"], bill.period)
        out.pair(labels["kwh"], _kwh(bill.kwh), indent=2)
        out.pair(labels["principal"], format_fen(bill.principal_fen), indent=2)
        out.pair(labels["late_fee"], format_fen(bill.late_fee_fen), indent=2)
        out.pair(labels["bill_paid"], format_fen(bill.paid_fen), indent=2)


def _totals(out: _Out, doc: ReceiptDocument) -> None:
    """应收, 实收, cash tendered and change (when cash was given), 预收 before and after, the methods."""
    labels = LABELS_ZH
    out.rule()
    out.pair(labels["due"], _money(doc.due_fen))
    out.pair(labels["paid"], _money(doc.paid_fen))
    if doc.has_cash:
        out.pair(labels["tendered"], _money(doc.tendered_fen))
        out.pair(labels["change"], _money(doc.change_fen))
    out.pair(labels["prepayment_before"], _money(doc.prepayment_before_fen))
    out.pair(labels["prepayment_after"], _money(doc.prepayment_after_fen))
    if doc.tenders:
        out.wrapped(labels["methods"] + _SEPARATOR)
    for tender in doc.tenders:
        out.pair(labels[f"method_{tender.method}"], _money(tender.amount_fen), indent=2)
        if tender.reference is not None:
            out.field(labels["reference"], tender.reference, indent=4)


def _card_sale(out: _Out, doc: ReceiptDocument) -> None:
    """业务类别, card serial, the replacement fee, 购电次数, amounts and meter number of a card receipt."""
    sale = doc.card_sale
    if sale is None:
        return
    labels = LABELS_ZH
    out.rule()
    out.wrapped(labels["card_sale"])
    out.pair(labels["card_kind"], labels.get(f"card_kind_{sale.kind}", sale.kind))
    if sale.serial is not None:
        out.pair(labels["serial"], sale.serial)
    if sale.fee_fen:
        out.pair(labels["fee"], _money(sale.fee_fen))
    out.pair(labels["purchase_count"], str(sale.purchase_count))
    if sale.purchase_fen is not None:
        out.pair(labels["purchase"], _money(sale.purchase_fen))
    out.pair(labels["amount_written"], _money(sale.amount_written_fen))
    if sale.remaining_fen is not None:
        out.pair(labels["remaining"], _money(sale.remaining_fen))
    out.pair(labels["meter_no"], sale.meter_no)


class _Out:
    """Lines into bytes, each checked to fit the paper."""

    def __init__(self, *, columns: int, charset: Charset) -> None:
        self.columns = columns
        self.charset: Charset = charset
        self.buf = bytearray()

    def raw(self, data: bytes) -> None:
        self.buf += data

    def line(self, text: str) -> None:
        assert text_width(text) <= self.columns, text  # every caller wraps first
        if text.isascii():
            self.buf += text.encode("ascii") + LF
        else:
            self.buf += CHINESE_ON + text.encode(self.charset) + CHINESE_OFF + LF

    def wrapped(self, text: str) -> None:
        for chunk in wrap(printable(text, charset=self.charset), self.columns):
            self.line(chunk)

    def rule(self) -> None:
        self.line("-" * self.columns)

    def field(self, label: str, value: str, *, indent: int = 0) -> None:
        """``label：value``, the value wrapped under itself (or under the label when the label is wide)."""
        prefix = " " * indent + label + _SEPARATOR
        value = printable(value, charset=self.charset)
        hang = text_width(prefix)
        if hang > self.columns // 2:
            self.wrapped(prefix)
            prefix, hang = " " * indent, indent
        chunks = wrap(value, self.columns - hang)
        self.line(prefix + chunks[0])
        for chunk in chunks[1:]:
            self.line(" " * hang + chunk)

    def pair(self, label: str, value: str, *, indent: int = 0) -> None:
        """``label`` at the left and ``value`` at the right; the value on lines of its own if both don't fit."""
        left = " " * indent + label
        value = printable(value, charset=self.charset)
        gap = self.columns - text_width(left) - text_width(value)
        if gap >= 1:
            self.line(left + " " * gap + value)
            return
        self.wrapped(left)
        for chunk in wrap(value, self.columns):
            self.line(" " * (self.columns - text_width(chunk)) + chunk)

    def bill_table(self, doc: ReceiptDocument) -> bool:
        """Bills as one table row each when the paper is wide enough and every cell fits; else False."""
        widths = (9, 10, 10, 9, 10)  # period, kWh, principal, late fee, paid: 48 columns
        if self.columns < sum(widths):
            return False
        keys = ("period", "kwh", "principal", "late_fee", "bill_paid")
        rows = [[LABELS_ZH[key] for key in keys]]
        rows += [
            [b.period, _kwh(b.kwh), format_fen(b.principal_fen), format_fen(b.late_fee_fen), format_fen(b.paid_fen)]
            for b in doc.bills
        ]
        if any(text_width(cell) >= width for row in rows for cell, width in zip(row, widths, strict=True)):
            return False
        for row in rows:
            cells = [row[0] + " " * (widths[0] - text_width(row[0]))]
            cells += [" " * (w - text_width(cell)) + cell for cell, w in zip(row[1:], widths[1:], strict=True)]
            self.line("".join(cells))
        return True


def _encodable(ch: str, charset: Charset) -> bool:
    if ord(ch) < 0x80:
        return True
    try:
        ch.encode(charset)
    except UnicodeEncodeError:
        return False
    return True


def _money(fen: int) -> str:
    return format_fen(fen, symbol=LABELS_ZH["currency"])


def _kwh(kwh: Decimal) -> str:
    return format(kwh, "f")


def _qr(payload: str, *, size: int) -> bytes:
    """Native QR code (``GS ( k``: model 2, dot size, level M, store data in clear, print)."""
    from escpos.constants import QR_ECLEVEL_M
    from escpos.printer import Dummy

    dummy = Dummy()
    dummy.qr(payload, native=True, size=size, ec=QR_ECLEVEL_M)
    return bytes(dummy.output)


def _feed_and_cut() -> bytes:
    """Feed the printed part past the cutter (``ESC d 6``), then cut (``GS V``)."""
    from escpos.printer import Dummy

    dummy = Dummy()
    dummy.cut()
    return bytes(dummy.output)


# --- reading bytes back -------------------------------------------------------------------------------

# Number of parameter bytes after ESC x / GS x / FS x, for the commands whose length is fixed.
_ESC_ARGS: Final = MappingProxyType(
    {b"@": 0, b"2": 0, b"a": 1, b"E": 1, b"d": 1, b"!": 1, b"t": 1, b"-": 1, b"M": 1, b"{": 1, b"3": 1, b"J": 1}
    | {b"G": 1, b"R": 1, b"V": 1, b" ": 1, b"=": 1, b"U": 1, b"r": 1, b"$": 2, b"c": 2, b"p": 3}
)
_GS_ARGS: Final = MappingProxyType(
    {b"!": 1, b"B": 1, b"b": 1, b"H": 1, b"h": 1, b"w": 1, b"f": 1, b"a": 1, b"r": 1, b"I": 1, b"L": 2, b"W": 2}
    | {b"P": 2}
)
_FS_ARGS: Final = MappingProxyType({b"&": 0, b".": 0, b"!": 1, b"-": 1, b"W": 1, b"C": 1, b"S": 2, b"p": 2})
_DLE_ARGS: Final = MappingProxyType({b"\x04": 1, b"\x05": 1, b"\x14": 3})
_SKIPPED: Final = frozenset(b"\r\x0c\x18")  # CR, FF, CAN: no text


def decode_text(data: bytes) -> str:
    """The text that ``data`` prints: ESC/POS commands stripped, the rest decoded as GB18030.

    Understands the commands :func:`render` and python-escpos send (``ESC @``, ``ESC a``, ``ESC E``,
    ``GS !``, ``FS &``/``FS .``, ``GS ( k`` with its length, ``GS V``, ``ESC d``, ``ESC p`` …); raises
    ValueError on anything else, so a preview never shows command bytes as text.
    """
    text = bytearray()
    for kind, payload in _tokens(data):
        if kind == "text":
            text += payload
    return text.decode("gb18030", errors="replace")


def qr_payloads(data: bytes) -> list[str]:
    """The data of every QR code ``data`` stores (``GS ( k`` cn=49 fn=80), in order."""
    return [payload.decode("utf-8") for kind, payload in _tokens(data) if kind == "qr"]


_Token = tuple[Literal["text", "command", "qr"], bytes]


def _tokens(data: bytes) -> Iterator[_Token]:
    i, n = 0, len(data)
    while i < n:
        byte = data[i]
        if byte >= 0x81:  # a GB18030 lead byte: 2 bytes, or 4 when the second is a digit
            size = 4 if i + 1 < n and 0x30 <= data[i + 1] <= 0x39 else 2
            yield "text", data[i : i + size]
            i += size
        elif byte in (0x0A, 0x09) or 0x20 <= byte < 0x80:
            yield "text", data[i : i + 1]
            i += 1
        elif byte in _SKIPPED:
            i += 1
        elif byte in (0x1B, 0x1C, 0x10):
            table = {0x1B: _ESC_ARGS, 0x1C: _FS_ARGS, 0x10: _DLE_ARGS}[byte]
            args = table.get(data[i + 1 : i + 2])
            if args is None:
                raise ValueError(f"unknown ESC/POS command at byte {i}: {data[i : i + 2]!r}")
            end = i + 2 + args
            yield "command", _take(data, i, end)
            i = end
        elif byte == 0x1D:
            i = yield from _gs_command(data, i)
        else:
            raise ValueError(f"unexpected control byte 0x{byte:02x} at byte {i}")


def _gs_command(data: bytes, i: int) -> Generator[_Token, None, int]:
    """Yield the GS command at ``i``; return the index after it."""
    fn = data[i + 1 : i + 2]
    if fn in _GS_ARGS:
        end = i + 2 + _GS_ARGS[fn]
    elif fn == b"V":  # GS V m, or GS V m n for m = 65/66 (feed n then cut)
        m = _take(data, i + 2, i + 3)[0]
        end = i + (4 if m in (65, 66) else 3)
    elif fn == b"(":  # GS ( x pL pH data: the length prefix counts the data
        head = _take(data, i + 2, i + 5)
        end = i + 5 + head[1] + 256 * head[2]
        body = _take(data, i + 5, end)
        if head[0:1] == b"k" and body[:3] == b"1P0":
            yield "qr", body[3:]
    elif fn == b"v":  # GS v 0 m xL xH yL yH: raster image of xL+256xH bytes by yL+256yH rows
        head = _take(data, i + 2, i + 8)
        end = i + 8 + (head[2] + 256 * head[3]) * (head[4] + 256 * head[5])
    elif fn == b"k":  # barcode: GS k m d1…dk NUL (m <= 6) or GS k m n d1…dn
        m = _take(data, i + 2, i + 3)[0]
        end = data.index(b"\x00", i + 3) + 1 if m <= 6 else i + 4 + _take(data, i + 3, i + 4)[0]
    else:
        raise ValueError(f"unknown ESC/POS command at byte {i}: {data[i : i + 2]!r}")
    yield "command", _take(data, i, end)
    return end


def _take(data: bytes, start: int, end: int) -> bytes:
    if end > len(data):
        raise ValueError(f"truncated ESC/POS command at byte {start}")
    return data[start:end]
