"""ESC/POS rendering: every field of SPEC §6.3 on both paper widths, in GB18030, read back by decode_text."""

from __future__ import annotations

import re
import unicodedata

import pytest
from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy
from hypothesis import given, settings
from hypothesis import strategies as st

from printing.escpos import (
    CHINESE_OFF,
    CHINESE_ON,
    COLUMNS,
    Paper,
    decode_text,
    drawer_kick,
    qr_payloads,
    render,
)
from printing.receipt import ReceiptDocument, ReceiptError, ReceiptErrorCode
from tests.printing import card_sale_receipt, payment_receipt

PAPERS: list[Paper] = [58, 80]


def printed_width(line: str) -> int:
    """Columns a line takes, counted independently of the renderer: 2 for wide or double-byte characters."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" or len(ch.encode("gb18030")) > 1 else 1 for ch in line)


def field_value(text: str, label: str) -> str:
    """The value printed after ``label：``, its wrapped continuation lines joined back."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(label + "："))
    hang = printed_width(label + "：")
    value = lines[start][len(label) + 1 :]
    for line in lines[start + 1 :]:
        if not line.startswith(" " * hang):  # continuation lines hang under the value
            break
        value += line[hang:]
    return value


def in_order(text: str, *parts: str) -> bool:
    """Whether every part occurs in ``text``, each after the previous one."""
    at = 0
    for part in parts:
        found = text.find(part, at)
        if found == -1:
            return False
        at = found + len(part)
    return True


class TestRender:
    """What a rendered receipt holds."""

    @pytest.mark.parametrize("paper", PAPERS)
    def test_frame(self, paper: Paper) -> None:
        """The job starts with ESC @ and ends with feed and cut (GS V)."""
        data = render(payment_receipt(), paper=paper)
        assert data.startswith(b"\x1b@")
        assert data.endswith(b"\x1bd\x06\x1dV\x00")

    @pytest.mark.parametrize("paper", PAPERS)
    def test_header_and_customer(self, paper: Paper) -> None:
        """Hall, title, receipt number, date-time, counter, cashier, 户号, 户名 and 用电地址 read back."""
        doc = payment_receipt()
        text = decode_text(render(doc, paper=paper))
        lines = text.split("\n")
        assert lines[0] == doc.hall_name
        assert lines[1] == "电费收费凭证"
        assert field_value(text, "流水号") == doc.receipt_no
        assert field_value(text, "时间") == "2026-10-12 14:03:05"
        assert field_value(text, "柜台") == doc.counter_code
        assert field_value(text, "收费员") == doc.cashier_name
        assert field_value(text, "户号") == doc.customer_no
        assert field_value(text, "户名") == doc.customer_name
        assert field_value(text, "用电地址") == doc.address

    @pytest.mark.parametrize("paper", PAPERS)
    def test_bills(self, paper: Paper) -> None:
        """Each bill shows period, kWh, principal, late fee and paid, in that order."""
        text = decode_text(render(payment_receipt(), paper=paper))
        text = text[text.index("缴费明细") :]
        assert in_order(text, "电费年月", "电量(kWh)", "电费", "违约金", "本次实收")
        first, second = text.index("2026-09"), text.index("2026-10")
        assert in_order(text[first:second], "213.5", "114.86", "0.57", "115.43")
        assert in_order(text[second:], "198", "106.52", "0.00", "106.52")

    def test_80mm_prints_one_row_per_bill(self) -> None:
        """On 80 mm paper a bill is one table row."""
        lines = decode_text(render(payment_receipt(), paper=80)).split("\n")
        assert "2026-09       213.5    114.86     0.57    115.43" in lines

    def test_80mm_falls_back_when_an_amount_is_too_wide(self) -> None:
        """An amount wider than its table column moves the bills to the stacked layout, still within 48 columns."""
        bill = payment_receipt().bills[1]
        big = type(bill)(period="2026-10", kwh=bill.kwh, principal_fen=12345678901, late_fee_fen=0, paid_fen=10652)
        text = decode_text(render(payment_receipt(bills=(payment_receipt().bills[0], big)), paper=80))
        assert "123,456,789.01" in text
        assert all(printed_width(line) <= 48 for line in text.split("\n"))

    @pytest.mark.parametrize("paper", PAPERS)
    def test_totals_and_method(self, paper: Paper) -> None:
        """应收, 实收, cash tendered, change, 预收 before and after and the method, each with its amount."""
        text = decode_text(render(payment_receipt(), paper=paper))
        for label, amount in [
            ("应收金额", "￥221.95"),
            ("实收金额", "￥230.00"),
            ("收取现金", "￥250.00"),
            ("找零", "￥20.00"),
            ("原预收余额", "￥10.00"),
            ("现预收余额", "￥18.05"),
            ("  现金", "￥230.00"),
        ]:
            assert re.search(rf"^{label} +{re.escape(amount)}$", text, re.MULTILINE), label
        assert "支付方式：" in text

    @pytest.mark.parametrize("paper", PAPERS)
    def test_card_sale(self, paper: Paper) -> None:
        """A card sale is titled 购电凭证 and shows 购电次数, 写卡金额, 剩余金额, 表号 and the card payment."""
        doc = card_sale_receipt()
        text = decode_text(render(doc, paper=paper))
        assert text.split("\n")[1] == "购电凭证"
        assert re.search(r"^购电次数 +7$", text, re.MULTILINE)
        assert re.search(r"^写卡金额 +￥500\.00$", text, re.MULTILINE)
        assert re.search(r"^剩余金额 +￥12\.34$", text, re.MULTILINE)
        assert re.search(r"^表号 +3300001234567890$", text, re.MULTILINE)
        assert re.search(r"^  银行卡 +￥500\.00$", text, re.MULTILINE)
        assert field_value(text, "    参考号") == "POS 000417"
        assert "收取现金" not in text  # no cash: no cash tendered, no change

    def test_reprint_offline_and_void_marks(self) -> None:
        """补打 2 on the second reprint, 离线受理 when taken offline, 作废 when voided, right under the title."""
        text = decode_text(render(payment_receipt(reprint_count=2, offline=True, voided=True), paper=58))
        assert text.split("\n")[2:5] == ["补打 2", "离线受理", "作废"]

    def test_original_has_no_marks(self) -> None:
        """An original online receipt carries none of the marks."""
        text = decode_text(render(payment_receipt(), paper=58))
        assert not {"补打", "离线受理", "作废"} & set(text.split("\n"))
        assert "补打" not in text

    @pytest.mark.parametrize("paper", PAPERS)
    @pytest.mark.parametrize("doc", [payment_receipt(), card_sale_receipt(), payment_receipt(reprint_count=12)])
    def test_lines_fit_the_paper(self, paper: Paper, doc: ReceiptDocument) -> None:
        """No printed line is wider than the paper (32 or 48 columns, CJK counted double)."""
        lines = decode_text(render(doc, paper=paper)).split("\n")
        assert max(printed_width(line) for line in lines) <= COLUMNS[paper]

    def test_fullwidth_punctuation_and_yuan_sign_survive(self) -> None:
        """A line of only full-width punctuation and ￥ (also given as ¥) prints as itself, never as ?."""
        punctuation = "（）：，。、；！？《》“”￥" * 3
        doc = payment_receipt(address="人民路1号" + punctuation, customer_name="赵六¥")
        data = render(doc, paper=58)
        text = decode_text(data)
        assert field_value(text, "用电地址") == "人民路1号" + punctuation
        assert field_value(text, "户名") == "赵六￥"
        assert "?" not in text
        assert "\ufffd" not in text
        assert "¥".encode("gb18030") not in data  # the 4-byte sequence GBK printers cannot print

    def test_chinese_lines_are_sent_in_chinese_mode(self) -> None:
        """Every non-ASCII byte sits between FS & and FS .; no code page switch (the magic encoder's ESC t)."""
        data = render(payment_receipt(), paper=80)
        for segment in data.split(b"\n"):
            high = [i for i, byte in enumerate(segment) if byte >= 0x80]
            if high:
                assert segment.index(CHINESE_ON) < high[0] < high[-1] < segment.rindex(CHINESE_OFF)
        assert b"\x1bt" not in data

    def test_qr_code_holds_the_receipt_number(self) -> None:
        """The QR payload is the receipt number, sent as python-escpos's native GS ( k sequence."""
        doc = payment_receipt()
        data = render(doc, paper=58)
        assert qr_payloads(data) == [doc.receipt_no]
        dummy = Dummy()
        dummy.qr(doc.receipt_no, native=True, size=5, ec=QR_ECLEVEL_M)
        assert bytes(dummy.output) in data

    def test_control_characters_never_reach_the_printer(self) -> None:
        """An ESC or line break inside a customer's address is not sent as a command."""
        data = render(payment_receipt(address="人民路\x1b@1号\n2栋\u200b3室"), paper=58)
        assert data.count(b"\x1b@") == 1  # the initialisation only
        assert field_value(decode_text(data), "用电地址") == "人民路@1号 2栋3室"

    def test_gbk_printers_get_a_box_for_what_gbk_lacks(self) -> None:
        """With charset gbk a character outside GBK prints as □; GB18030 keeps it."""
        doc = payment_receipt(customer_name="王䶮")
        assert field_value(decode_text(render(doc, paper=58, charset="gbk")), "户名") == "王□"
        assert field_value(decode_text(render(doc, paper=58)), "户名") == "王䶮"

    def test_receipt_that_does_not_add_up_never_renders(self) -> None:
        """render() validates first: no bytes for a receipt whose change is wrong."""
        with pytest.raises(ReceiptError) as caught:
            render(payment_receipt(change_fen=1999), paper=58)
        assert caught.value.code is ReceiptErrorCode.CHANGE_MISMATCH

    def test_unknown_paper_width(self) -> None:
        """Only 58 and 80 mm paper exist."""
        with pytest.raises(ValueError, match="paper"):
            render(payment_receipt(), paper=76)  # type: ignore[arg-type]


class TestRenderProperty:
    """Whatever the customer is called and wherever they live, the receipt fits and reads back."""

    names = st.text(
        alphabet=st.one_of(
            st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
            st.characters(min_codepoint=0x20, max_codepoint=0x7E),
            st.sampled_from("（）：，。、·－"),
        ),
        min_size=1,
        max_size=80,
    ).filter(lambda s: s.strip() != "")

    @settings(max_examples=150, deadline=None, database=None)
    @given(name=names, address=names, paper=st.sampled_from(PAPERS))
    def test_any_name_and_address(self, name: str, address: str, paper: Paper) -> None:
        """Random CJK and ASCII names and addresses stay within the paper width and decode back."""
        text = decode_text(render(payment_receipt(customer_name=name, address=address), paper=paper))
        assert max(printed_width(line) for line in text.split("\n")) <= COLUMNS[paper]
        assert field_value(text, "户名") == name
        assert field_value(text, "用电地址") == address


class TestDecodeText:
    """decode_text strips commands and decodes GB18030."""

    def test_strips_every_command_render_uses(self) -> None:
        """ESC @, ESC a, ESC E, GS !, FS &/., GS ( k, ESC d, GS V and ESC p leave only the text."""
        data = (
            b"\x1b@\x1ba\x01\x1bE\x01\x1d!\x01\x1c&" + "电费".encode("gb18030") + b"\x1c.\n"
            b"\x1d(k\x07\x001P0AB12\x1bd\x06\x1dV\x00\x1dVB\x03" + drawer_kick() + b"OK\n"
        )
        assert decode_text(data) == "电费\nOK\n"

    def test_four_byte_sequences_are_text(self) -> None:
        """A GB18030 four-byte character (its second byte a digit) is not split."""
        assert decode_text("A䶮B".encode("gb18030")) == "A䶮B"

    @pytest.mark.parametrize("data", [b"\x1bZ", b"\x1d(k\x09\x001P0", b"\x1ba", b"\x07"])
    def test_unknown_or_truncated_commands(self, data: bytes) -> None:
        """Bytes that are not a known, complete command raise ValueError instead of turning into text."""
        with pytest.raises(ValueError, match=r"ESC/POS|control byte"):
            decode_text(data)

    def test_drawer_kick(self) -> None:
        """The drawer kick is ESC p 0 25 250."""
        assert drawer_kick() == b"\x1bp\x00\x19\xfa"
