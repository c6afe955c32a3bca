"""The daily settlement report 日结单 (SPEC C4, DOMAIN §8): plain data, its checks, and an A4 PDF.

A :class:`SettlementReport` is filled by the server from closed shifts (closed shifts are immutable, so
the report of a day is reproducible). :meth:`SettlementReport.validate` checks that the figures are
consistent; :func:`render_settlement_pdf` refuses a report that is not, so a settlement that does not
add up never reaches finance.

Checked (all integer fen):

* per cashier, the amounts by business type add up to the amounts by payment method. Counts are not
  compared: one payment may cover 电费 and 违约金 (two business lines) or be split over cash and card
  (two method lines);
* cash is counted only in the notes and coins of :data:`DENOMINATIONS_FEN`, each at most once, never a
  negative number of pieces;
* a cash difference (counted − expected) other than zero carries the supervisor who approved it.
* offline items (SPEC §5), when listed, carry a known status, and the unconfirmed ones are as many as the
  shift's 离线未确认笔数.

Labels are Chinese (a business document, like the receipt) and all live in :data:`LABELS_ZH`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

from printing.pdf.fonts import register_cjk_font
from printing.receipt import LABELS_ZH as RECEIPT_LABELS_ZH
from shared_models.money import format_fen

#: Notes and coins a drawer is counted in: 100, 50, 20, 10, 5, 1 yuan; 5 and 1 jiao (in fen).
DENOMINATIONS_FEN: Final = (10000, 5000, 2000, 1000, 500, 100, 50, 10, 5, 2, 1)
#: Business types a payment is booked to (DOMAIN §8), in report order.
BUSINESS_TYPES: Final = ("电费", "违约金", "预收", "购电", "业务费")
#: Payment methods in report order (the receipt's tender methods).
METHODS: Final = ("cash", "bank_card", "qr", "cheque")
#: Where an offline item stands (the contract's ``OfflineStatus`` values): booked; not yet booked (still on
#: the counter, signed as unsent at the close); booked after the close (into a later shift).
OFFLINE_STATUSES: Final = ("confirmed", "unconfirmed", "confirmed_later")

LABELS_ZH: Final = MappingProxyType(
    {
        "title": "营业厅日结单",
        "provisional_title": "营业厅日结单（临时）",
        "provisional_note": (
            "临时日结单：断网期间由柜台自行汇总，尚未与中心核对；网络恢复、中心入账后以正式日结单为准。"
        ),
        "hall": "营业厅",
        "hall_code": "营业厅编码",
        "business_date": "营业日期",
        "deposit_slip_no": "解款单号",
        "prepayment_opening": "期初预收余额",
        "prepayment_closing": "期末预收余额",
        "printed": "打印",
        "cashier": "收费员",
        "counter": "柜台",
        "shift_no": "班次号",
        "shift_opened": "班次开始",
        "shift_closed": "班次结束",
        "float": "备用金",
        "by_method": "按支付方式",
        "by_business": "按业务类型",
        "method": "支付方式",
        "business": "业务类型",
        "count": "笔数",
        "amount": "金额（元）",
        "total": "合计",
        "receipts": "票据号段",
        "first": "起始号",
        "last": "终止号",
        "pieces": "张数",
        "receipts_voided": "作废票据号",
        "voids": "冲正（作废）",
        "original_no": "原流水号",
        "original_amount": "原金额（元）",
        "reversed_at": "冲正时间",
        "cosigner": "复核人",
        "reason": "原因",
        "cash_count": "现金清点",
        "denomination": "面额",
        "expected_cash": "应有现金",
        "counted_cash": "实点现金",
        "difference": "差额（实点−应有）",
        "over": "长款",
        "short": "短款",
        "approved_by": "差额审批人",
        "offline_unconfirmed": "离线未确认笔数",
        "offline_items": "离线业务明细",
        "offline_receipt": "票据号",
        "offline_customer": "户号",
        "offline_local_time": "受理时间（柜台）",
        "offline_booked_at": "入账时间（中心）",
        "offline_status": "状态",
        "offline_note": "备注",
        "offline_confirmed": "已确认",
        "offline_unconfirmed_status": "未确认",
        "offline_confirmed_later": "事后确认",
        "offline_from_shift": "来自班次",
        "offline_booked_shift": "入账班次",
        "offline_redirected": "转预收",
        "offline_voided": "已冲正",
        "none": "无",
        "hall_total": "全厅合计",
        "by_cashier": "各收费员汇总",
        "collected": "实收金额",
        "voided_count": "作废张数",
        "sign_cashier": "收费员",
        "sign_supervisor": "班长",
        "sign_finance": "财务",
        "page": "第 {page} 页 共 {pages} 页",
        "yuan": "元",
        "jiao": "角",
        "fen": "分",
    }
)

_TIME = "%Y-%m-%d %H:%M"


class SettlementErrorCode(StrEnum):
    """Why a settlement report cannot be printed."""

    FIELD_INVALID = "SETTLEMENT_FIELD_INVALID"
    AMOUNT_NEGATIVE = "SETTLEMENT_AMOUNT_NEGATIVE"
    PIECES_NEGATIVE = "SETTLEMENT_PIECES_NEGATIVE"
    DENOMINATION_INVALID = "SETTLEMENT_DENOMINATION_INVALID"
    DIFFERENCE_NOT_APPROVED = "SETTLEMENT_DIFFERENCE_NOT_APPROVED"
    BUSINESS_METHOD_MISMATCH = "SETTLEMENT_BUSINESS_METHOD_MISMATCH"


class SettlementError(Exception):
    """A settlement that does not add up (or is malformed); carries a code and params, never prose."""

    def __init__(self, code: SettlementErrorCode, /, **params: str | int) -> None:
        super().__init__(f"{code.value} {params}" if params else code.value)
        self.code = code
        self.params: dict[str, str | int] = params


@dataclass(frozen=True, kw_only=True, slots=True)
class MethodTotal:
    """Payments taken by one method (one of :data:`METHODS`) during a shift."""

    method: str
    count: int
    amount_fen: int


@dataclass(frozen=True, kw_only=True, slots=True)
class BusinessTotal:
    """Payments booked to one business type (one of :data:`BUSINESS_TYPES`) during a shift."""

    business: str
    count: int
    amount_fen: int


@dataclass(frozen=True, kw_only=True, slots=True)
class ReceiptRange:
    """A run of consecutive receipt or invoice numbers used, ``first`` to ``last`` inclusive."""

    first: str
    last: str
    count: int


@dataclass(frozen=True, kw_only=True, slots=True)
class VoidLine:
    """A reversal (冲正) before 日结: the original receipt is voided, co-signed by a supervisor."""

    receipt_no: str
    original_amount_fen: int
    reversed_at: dt.datetime
    cosigner: str
    reason: str


@dataclass(frozen=True, kw_only=True, slots=True)
class OfflineLine:
    """A payment taken offline at the counter (离线受理), as the settlement lists it: the counter's clock when
    the cashier confirmed, the center's when it booked the payment (both shown: the counter's clock may be
    wrong), and where it stands (one of :data:`OFFLINE_STATUSES`)."""

    receipt_no: str
    customer_no: str
    amount_fen: int
    status: str
    local_time: dt.datetime | None
    booked_at: dt.datetime | None
    #: The shift whose close signed it as unsent, when that is another shift.
    from_shift_no: str | None = None
    #: The shift it was booked into, when that is another shift.
    booked_shift_no: str | None = None
    #: Money the bills no longer took (paid elsewhere meanwhile), booked as prepayment.
    redirected_fen: int = 0
    voided: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class CashCount:
    """Pieces of one note or coin counted in the drawer."""

    denomination_fen: int
    pieces: int

    @property
    def amount_fen(self) -> int:
        """What these pieces are worth."""
        return self.denomination_fen * self.pieces


@dataclass(frozen=True, kw_only=True, slots=True)
class CashierSettlement:
    """One cashier's closed shift: what was taken, voided and counted."""

    cashier_name: str
    counter_code: str
    #: The shift's number (``<counter>-<yyyymmdd>-<n>``), printed beside the cashier.
    shift_no: str
    shift_opened_at: dt.datetime
    shift_closed_at: dt.datetime
    float_fen: int
    methods: tuple[MethodTotal, ...]
    businesses: tuple[BusinessTotal, ...]
    receipts_used: tuple[ReceiptRange, ...]
    receipts_voided: tuple[str, ...]
    voids: tuple[VoidLine, ...]
    cash_counts: tuple[CashCount, ...]
    expected_cash_fen: int
    difference_approved_by: str | None
    offline_unconfirmed: int
    #: The offline items of the shift (empty: none, or not listed).
    offline_items: tuple[OfflineLine, ...] = ()

    @property
    def counted_cash_fen(self) -> int:
        """Cash counted in the drawer: the sum of denomination × pieces."""
        return sum(c.amount_fen for c in self.cash_counts)

    @property
    def difference_fen(self) -> int:
        """Counted minus expected: positive is 长款 (over), negative 短款 (short)."""
        return self.counted_cash_fen - self.expected_cash_fen

    @property
    def collected_fen(self) -> int:
        """Everything taken during the shift, over all methods."""
        return sum(m.amount_fen for m in self.methods)

    @property
    def receipts_used_count(self) -> int:
        """Receipt numbers consumed, over all ranges."""
        return sum(r.count for r in self.receipts_used)

    def validate(self) -> None:
        """Raise :class:`SettlementError` unless the shift is well formed and adds up."""
        for name in ("cashier_name", "counter_code", "shift_no"):
            _check_text(name, getattr(self, name))
        for name in ("shift_opened_at", "shift_closed_at"):
            _check_time(name, getattr(self, name))
        if self.shift_closed_at < self.shift_opened_at:
            raise SettlementError(SettlementErrorCode.FIELD_INVALID, field="shift_closed_at")
        _check_fen("float_fen", self.float_fen)
        _check_fen("expected_cash_fen", self.expected_cash_fen)
        _check_count("offline_unconfirmed", self.offline_unconfirmed)
        for i, m in enumerate(self.methods):
            if not isinstance(m, MethodTotal) or m.method not in METHODS:
                raise SettlementError(SettlementErrorCode.FIELD_INVALID, field=f"methods[{i}]")
            _check_count(f"methods[{i}].count", m.count)
            _check_fen(f"methods[{i}].amount_fen", m.amount_fen)
        for i, b in enumerate(self.businesses):
            if not isinstance(b, BusinessTotal) or b.business not in BUSINESS_TYPES:
                raise SettlementError(SettlementErrorCode.FIELD_INVALID, field=f"businesses[{i}]")
            _check_count(f"businesses[{i}].count", b.count)
            _check_fen(f"businesses[{i}].amount_fen", b.amount_fen)
        for i, r in enumerate(self.receipts_used):
            _check_text(f"receipts_used[{i}].first", r.first)
            _check_text(f"receipts_used[{i}].last", r.last)
            _check_count(f"receipts_used[{i}].count", r.count, minimum=1)
        for i, no in enumerate(self.receipts_voided):
            _check_text(f"receipts_voided[{i}]", no)
        for i, v in enumerate(self.voids):
            for name in ("receipt_no", "cosigner", "reason"):
                _check_text(f"voids[{i}].{name}", getattr(v, name))
            _check_time(f"voids[{i}].reversed_at", v.reversed_at)
            _check_fen(f"voids[{i}].original_amount_fen", v.original_amount_fen)
        self._validate_cash()
        self._validate_offline()
        by_method, by_business = self.collected_fen, sum(b.amount_fen for b in self.businesses)
        if by_method != by_business:
            raise SettlementError(
                SettlementErrorCode.BUSINESS_METHOD_MISMATCH,
                cashier=self.cashier_name,
                methods_fen=by_method,
                businesses_fen=by_business,
            )

    def _validate_offline(self) -> None:
        if not isinstance(self.offline_items, tuple):
            raise SettlementError(SettlementErrorCode.FIELD_INVALID, field="offline_items")
        for i, line in enumerate(self.offline_items):
            if not isinstance(line, OfflineLine) or line.status not in OFFLINE_STATUSES:
                raise SettlementError(SettlementErrorCode.FIELD_INVALID, field=f"offline_items[{i}]")
            _check_text(f"offline_items[{i}].receipt_no", line.receipt_no)
            _check_text(f"offline_items[{i}].customer_no", line.customer_no)
            _check_fen(f"offline_items[{i}].amount_fen", line.amount_fen)
            _check_fen(f"offline_items[{i}].redirected_fen", line.redirected_fen)
            for name in ("local_time", "booked_at"):
                if getattr(line, name) is not None:
                    _check_time(f"offline_items[{i}].{name}", getattr(line, name))
            if (line.booked_at is None) != (line.status == "unconfirmed"):
                raise SettlementError(SettlementErrorCode.FIELD_INVALID, field=f"offline_items[{i}].booked_at")
        unconfirmed = sum(1 for line in self.offline_items if line.status == "unconfirmed")
        if self.offline_items and unconfirmed != self.offline_unconfirmed:
            raise SettlementError(SettlementErrorCode.FIELD_INVALID, field="offline_unconfirmed")

    def _validate_cash(self) -> None:
        seen: set[int] = set()
        for i, c in enumerate(self.cash_counts):
            if c.denomination_fen not in DENOMINATIONS_FEN or c.denomination_fen in seen:
                raise SettlementError(
                    SettlementErrorCode.DENOMINATION_INVALID,
                    field=f"cash_counts[{i}]",
                    denomination_fen=c.denomination_fen,
                )
            seen.add(c.denomination_fen)
            if isinstance(c.pieces, bool) or not isinstance(c.pieces, int):
                raise SettlementError(SettlementErrorCode.FIELD_INVALID, field=f"cash_counts[{i}].pieces")
            if c.pieces < 0:
                raise SettlementError(SettlementErrorCode.PIECES_NEGATIVE, field=f"cash_counts[{i}]", pieces=c.pieces)
        if self.difference_approved_by is not None:
            _check_text("difference_approved_by", self.difference_approved_by)
        elif self.difference_fen != 0:
            raise SettlementError(
                SettlementErrorCode.DIFFERENCE_NOT_APPROVED,
                cashier=self.cashier_name,
                difference_fen=self.difference_fen,
            )


@dataclass(frozen=True, kw_only=True, slots=True)
class SettlementReport:
    """A hall's 日结单 for one business day; times are timezone-aware, in the hall's local time."""

    hall_name: str
    hall_code: str
    business_date: dt.date
    cashiers: tuple[CashierSettlement, ...]
    deposit_slip_no: str
    prepayment_opening_fen: int
    prepayment_closing_fen: int
    printed_at: dt.datetime
    printed_by: str
    #: Summed up by the counter with the link down (not yet the center's books): printed marked 临时, and the
    #: final report prints once the counter's outbox has been replayed (docs/offline.md).
    provisional: bool = False

    @property
    def method_totals(self) -> tuple[MethodTotal, ...]:
        """Hall totals by payment method, in :data:`METHODS` order."""
        lines = [(m.method, m.count, m.amount_fen) for c in self.cashiers for m in c.methods]
        return tuple(MethodTotal(method=k, count=n, amount_fen=a) for k, n, a in _merge(lines, METHODS))

    @property
    def business_totals(self) -> tuple[BusinessTotal, ...]:
        """Hall totals by business type, in :data:`BUSINESS_TYPES` order."""
        lines = [(b.business, b.count, b.amount_fen) for c in self.cashiers for b in c.businesses]
        return tuple(BusinessTotal(business=k, count=n, amount_fen=a) for k, n, a in _merge(lines, BUSINESS_TYPES))

    @property
    def collected_fen(self) -> int:
        """Everything the hall took today."""
        return sum(c.collected_fen for c in self.cashiers)

    @property
    def float_fen(self) -> int:
        """All floats handed out."""
        return sum(c.float_fen for c in self.cashiers)

    @property
    def expected_cash_fen(self) -> int:
        """Cash every drawer should hold, together."""
        return sum(c.expected_cash_fen for c in self.cashiers)

    @property
    def counted_cash_fen(self) -> int:
        """Cash counted in every drawer, together."""
        return sum(c.counted_cash_fen for c in self.cashiers)

    @property
    def difference_fen(self) -> int:
        """Hall difference, counted minus expected."""
        return self.counted_cash_fen - self.expected_cash_fen

    @property
    def offline_unconfirmed(self) -> int:
        """Offline items not yet confirmed by the server, all counters."""
        return sum(c.offline_unconfirmed for c in self.cashiers)

    def validate(self) -> None:
        """Raise :class:`SettlementError` unless the report and every cashier's shift are consistent."""
        for name in ("hall_name", "hall_code", "deposit_slip_no", "printed_by"):
            _check_text(name, getattr(self, name))
        if not isinstance(self.business_date, dt.date) or isinstance(self.business_date, dt.datetime):
            raise SettlementError(SettlementErrorCode.FIELD_INVALID, field="business_date")
        _check_time("printed_at", self.printed_at)
        for name in ("prepayment_opening_fen", "prepayment_closing_fen"):
            _check_fen(name, getattr(self, name))
        if not isinstance(self.cashiers, tuple) or not all(isinstance(c, CashierSettlement) for c in self.cashiers):
            raise SettlementError(SettlementErrorCode.FIELD_INVALID, field="cashiers")
        for cashier in self.cashiers:
            cashier.validate()


def _merge(lines: Iterable[tuple[str, int, int]], order: tuple[str, ...]) -> list[tuple[str, int, int]]:
    counts: dict[str, list[int]] = {}
    for key, count, amount in lines:
        acc = counts.setdefault(key, [0, 0])
        acc[0] += count
        acc[1] += amount
    return [(key, counts[key][0], counts[key][1]) for key in order if key in counts]


def _check_text(name: str, value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise SettlementError(SettlementErrorCode.FIELD_INVALID, field=name)


def _check_time(name: str, value: object) -> None:
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise SettlementError(SettlementErrorCode.FIELD_INVALID, field=name)


def _check_count(name: str, value: object, *, minimum: int = 0) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise SettlementError(SettlementErrorCode.FIELD_INVALID, field=name)


def _check_fen(name: str, value: object) -> None:
    # bool is an int subclass and a float may carry binary noise: neither is an amount of fen
    if isinstance(value, bool) or not isinstance(value, int):
        raise SettlementError(SettlementErrorCode.FIELD_INVALID, field=name)
    if value < 0:
        raise SettlementError(SettlementErrorCode.AMOUNT_NEGATIVE, field=name, amount_fen=value)


# --- rendering -----------------------------------------------------------------------------------

_L = LABELS_ZH
_GRID = colors.Color(0.55, 0.55, 0.55)
_HEAD_BG = colors.Color(0.9, 0.9, 0.9)
_CONTENT_WIDTH = A4[0] - 30 * mm


def render_settlement_pdf(report: SettlementReport) -> bytes:
    """Validate ``report`` and render it as an A4 PDF; equal reports give byte-identical files."""
    report.validate()
    font = register_cjk_font()
    # Two passes: the first only counts pages, so every footer can say "共 M 页". The story is rebuilt
    # because platypus consumes (splits) flowables while laying them out.
    pages = _build(report, font=font, total_pages=0)[1]
    return _build(report, font=font, total_pages=pages)[0]


def _build(report: SettlementReport, *, font: str, total_pages: int) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    title = f"{_title(report)} {report.hall_name} {report.business_date.isoformat()}"
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=report.printed_by,
        subject=_L["title"],
        creator="GridCounter",
        initialFontName=font,  # else every page names Helvetica, a font the PDF does not embed
        invariant=1,  # fixed document id and no random comments: equal input, equal bytes
    )
    pages = [0]
    on_page = _footer(report, font=font, total_pages=total_pages, pages=pages)
    doc.build(_story(report, font=font), onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue(), pages[0]


def _footer(report: SettlementReport, *, font: str, total_pages: int, pages: list[int]) -> Callable[[Any, Any], None]:
    offset = report.printed_at.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    # The PDF's CreationDate/ModDate is when the report was printed, not when the bytes were made.
    stamp = f"D:{report.printed_at:%Y%m%d%H%M%S}{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"
    printed = f"{_L['printed']}：{report.printed_by} {report.printed_at:{_TIME}}"
    left = f"{_title(report)} · {report.hall_name} · {report.business_date.isoformat()}"

    def draw(canvas: Any, doc: Any) -> None:
        pages[0] = doc.page
        canvas.setDateFormatter(lambda *_: stamp)
        canvas.saveState()
        canvas.setFont(font, 8)
        y = 10 * mm
        canvas.drawString(15 * mm, y, left)
        canvas.drawRightString(A4[0] - 15 * mm, y, printed)
        if total_pages:
            canvas.drawCentredString(A4[0] / 2, y, _L["page"].format(page=doc.page, pages=total_pages))
        canvas.restoreState()

    return draw


def _title(report: SettlementReport) -> str:
    return _L["provisional_title"] if report.provisional else _L["title"]


class _Styles:
    def __init__(self, font: str) -> None:
        self.font = font
        self.title = ParagraphStyle("title", fontName=font, fontSize=18, leading=24, alignment=TA_CENTER)
        self.h1 = ParagraphStyle("h1", fontName=font, fontSize=13, leading=18, spaceBefore=4, spaceAfter=4)
        self.h2 = ParagraphStyle("h2", fontName=font, fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=2)
        self.body = ParagraphStyle("body", fontName=font, fontSize=9, leading=12, wordWrap="CJK")


def _story(report: SettlementReport, *, font: str) -> list[Any]:
    st = _Styles(font)
    story: list[Any] = [Paragraph(_title(report), st.title), Spacer(1, 3 * mm)]
    if report.provisional:
        story += [Paragraph(_L["provisional_note"], st.body), Spacer(1, 2 * mm)]
    story.append(
        _kv_table(
            st,
            [
                (_L["hall"], report.hall_name, _L["hall_code"], report.hall_code),
                (_L["business_date"], report.business_date.isoformat(), _L["deposit_slip_no"], report.deposit_slip_no),
                (
                    _L["prepayment_opening"],
                    format_fen(report.prepayment_opening_fen),
                    _L["prepayment_closing"],
                    format_fen(report.prepayment_closing_fen),
                ),
            ],
        )
    )
    for i, cashier in enumerate(report.cashiers):
        if i:
            story.append(PageBreak())
        story += _cashier_section(st, cashier)
    story.append(PageBreak())
    story += _hall_section(st, report)
    return story


def _cashier_section(st: _Styles, c: CashierSettlement) -> list[Any]:
    out: list[Any] = [
        Paragraph(
            f"{_L['cashier']}：{_esc(c.cashier_name)}　{_L['counter']}：{_esc(c.counter_code)}"
            f"　{_L['shift_no']}：{_esc(c.shift_no)}",
            st.h1,
        )
    ]
    out.append(
        _kv_table(
            st,
            [
                (
                    _L["shift_opened"],
                    f"{c.shift_opened_at:{_TIME}}",
                    _L["shift_closed"],
                    f"{c.shift_closed_at:{_TIME}}",
                ),
                (_L["float"], format_fen(c.float_fen), _L["offline_unconfirmed"], str(c.offline_unconfirmed)),
            ],
        )
    )
    out += _totals_tables(st, methods=c.methods, businesses=c.businesses)
    out.append(Paragraph(_L["receipts"], st.h2))
    ranges = [[r.first, r.last, str(r.count)] for r in c.receipts_used] or [[_L["none"], "", ""]]
    out.append(_grid(st, [_L["first"], _L["last"], _L["pieces"]], ranges, widths=(0.4, 0.4, 0.2), right=(2,)))
    voided = "、".join(c.receipts_voided) or _L["none"]
    out.append(Paragraph(f"{_L['receipts_voided']}（{len(c.receipts_voided)}）：{_esc(voided)}", st.body))
    out.append(Paragraph(_L["voids"], st.h2))
    voids = [
        [v.receipt_no, format_fen(v.original_amount_fen), f"{v.reversed_at:{_TIME}}", v.cosigner, v.reason]
        for v in c.voids
    ] or [[_L["none"], "", "", "", ""]]
    head = [_L["original_no"], _L["original_amount"], _L["reversed_at"], _L["cosigner"], _L["reason"]]
    out.append(_grid(st, head, voids, widths=(0.26, 0.16, 0.2, 0.12, 0.26), right=(1,)))
    if c.offline_items:
        out += _offline_section(st, c.offline_items)
    pieces = {cc.denomination_fen: cc.pieces for cc in c.cash_counts}
    rows = [[_denomination(d), str(pieces.get(d, 0)), format_fen(d * pieces.get(d, 0))] for d in DENOMINATIONS_FEN]
    rows.append([_L["total"], str(sum(pieces.values())), format_fen(c.counted_cash_fen)])
    count = _grid(st, [_L["denomination"], _L["pieces"], _L["amount"]], rows, widths=(0.3, 0.3, 0.4), right=(1, 2))
    summary = _cash_summary(st, [(c.expected_cash_fen, c.counted_cash_fen, c.difference_approved_by)])
    # the count, its result and the signatures are one thing to sign: never split over two pages
    out.append(KeepTogether([Paragraph(_L["cash_count"], st.h2), count, Spacer(1, 2 * mm), summary, _signatures(st)]))
    return out


_OFFLINE_STATUS_LABELS: Final = MappingProxyType({
    "confirmed": _L["offline_confirmed"],
    "unconfirmed": _L["offline_unconfirmed_status"],
    "confirmed_later": _L["offline_confirmed_later"],
})


def _offline_note(line: OfflineLine) -> str:
    parts = []
    if line.from_shift_no:
        parts.append(f"{_L['offline_from_shift']} {line.from_shift_no}")
    if line.booked_shift_no:
        parts.append(f"{_L['offline_booked_shift']} {line.booked_shift_no}")
    if line.redirected_fen:
        parts.append(f"{_L['offline_redirected']} {format_fen(line.redirected_fen)}")
    if line.voided:
        parts.append(_L["offline_voided"])
    return "；".join(parts)


def _offline_section(st: _Styles, lines: tuple[OfflineLine, ...]) -> list[Any]:
    """Each payment taken offline, with the counter's and the center's time and whether it is confirmed."""
    head = [_L["offline_receipt"], _L["offline_customer"], _L["amount"], _L["offline_local_time"],
            _L["offline_booked_at"], _L["offline_status"], _L["offline_note"]]
    rows = [
        [line.receipt_no, line.customer_no, format_fen(line.amount_fen),
         f"{line.local_time:{_TIME}}" if line.local_time else "—",
         f"{line.booked_at:{_TIME}}" if line.booked_at else "—",
         _OFFLINE_STATUS_LABELS[line.status], Paragraph(_esc(_offline_note(line)), st.body)]
        for line in lines
    ]
    widths = (0.2, 0.12, 0.09, 0.14, 0.14, 0.09, 0.22)
    return [Paragraph(f"{_L['offline_items']}（{len(lines)}）", st.h2),
            _grid(st, head, rows, widths=widths, right=(2,))]


def _hall_section(st: _Styles, r: SettlementReport) -> list[Any]:
    out: list[Any] = [Paragraph(f"{_L['hall_total']}（{_esc(r.hall_name)} {r.business_date.isoformat()}）", st.h1)]
    out.append(
        _kv_table(
            st,
            [
                (_L["deposit_slip_no"], r.deposit_slip_no, _L["float"], format_fen(r.float_fen)),
                (
                    _L["prepayment_opening"],
                    format_fen(r.prepayment_opening_fen),
                    _L["prepayment_closing"],
                    format_fen(r.prepayment_closing_fen),
                ),
                (_L["collected"], format_fen(r.collected_fen), _L["offline_unconfirmed"], str(r.offline_unconfirmed)),
            ],
        )
    )
    out += _totals_tables(st, methods=r.method_totals, businesses=r.business_totals)
    out.append(Paragraph(_L["by_cashier"], st.h2))
    head = [
        _L["cashier"], _L["counter"], _L["collected"], _L["pieces"], _L["voided_count"],
        _L["expected_cash"], _L["counted_cash"], _L["difference"], _L["approved_by"],
    ]  # fmt: skip
    rows = [
        [
            c.cashier_name, c.counter_code, format_fen(c.collected_fen), str(c.receipts_used_count),
            str(len(c.receipts_voided)), format_fen(c.expected_cash_fen), format_fen(c.counted_cash_fen),
            format_fen(c.difference_fen), c.difference_approved_by or "—",
        ]
        for c in r.cashiers
    ]  # fmt: skip
    widths = (0.11, 0.09, 0.12, 0.07, 0.08, 0.12, 0.12, 0.16, 0.13)
    out.append(_grid(st, head, rows, widths=widths, right=(2, 3, 4, 5, 6, 7)))
    out.append(Spacer(1, 2 * mm))
    summary = _cash_summary(
        st, [(c.expected_cash_fen, c.counted_cash_fen, c.difference_approved_by) for c in r.cashiers]
    )
    out.append(KeepTogether([summary, _signatures(st)]))
    return out


def _totals_tables(
    st: _Styles, *, methods: tuple[MethodTotal, ...], businesses: tuple[BusinessTotal, ...]
) -> list[Any]:
    m_rows = [[RECEIPT_LABELS_ZH[f"method_{m.method}"], str(m.count), format_fen(m.amount_fen)] for m in methods]
    m_rows.append([_L["total"], str(sum(m.count for m in methods)), format_fen(sum(m.amount_fen for m in methods))])
    b_rows = [[b.business, str(b.count), format_fen(b.amount_fen)] for b in businesses]
    b_rows.append(
        [_L["total"], str(sum(b.count for b in businesses)), format_fen(sum(b.amount_fen for b in businesses))]
    )
    # side by side, each half the width minus a gutter: both tables fit the first page with the header
    widths = (0.2, 0.1, 0.18)
    by_method = _grid(
        st, [_L["method"], _L["count"], _L["amount"]], m_rows, widths=widths, right=(1, 2), total_row=True
    )
    by_business = _grid(
        st, [_L["business"], _L["count"], _L["amount"]], b_rows, widths=widths, right=(1, 2), total_row=True
    )
    pair = Table(
        [[Paragraph(_L["by_method"], st.h2), Paragraph(_L["by_business"], st.h2)], [by_method, by_business]],
        colWidths=[_CONTENT_WIDTH / 2] * 2,
    )
    pair.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    return [pair]


def _cash_summary(st: _Styles, shifts: list[tuple[int, int, str | None]]) -> Table:
    """Expected vs counted cash and the difference, with 长款/短款 and who approved it."""
    expected = sum(s[0] for s in shifts)
    counted = sum(s[1] for s in shifts)
    diff = counted - expected
    kind = _L["over"] if diff > 0 else _L["short"] if diff < 0 else ""
    approvers = "、".join(dict.fromkeys(s[2] for s in shifts if s[2] and s[1] != s[0]))
    rows = [
        (_L["expected_cash"], format_fen(expected), _L["counted_cash"], format_fen(counted)),
        (_L["difference"], f"{format_fen(diff)} {kind}".strip(), _L["approved_by"], approvers or "—"),
    ]
    return _kv_table(st, rows)


def _signatures(st: _Styles) -> Table:
    cells = [f"{who}签字：________________" for who in (_L["sign_cashier"], _L["sign_supervisor"], _L["sign_finance"])]
    table = Table([cells], colWidths=[_CONTENT_WIDTH / 3] * 3)
    table.setStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), st.font),
            ("FONTSIZE", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, -1), 14 * mm),
        ]
    )
    return table


def _kv_table(st: _Styles, rows: list[tuple[str, str, str, str]]) -> Table:
    data = [[Paragraph(_esc(cell), st.body) for cell in row] for row in rows]
    table = Table(data, colWidths=[w * _CONTENT_WIDTH for w in (0.17, 0.33, 0.17, 0.33)])
    table.setStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, _GRID),
            ("BACKGROUND", (0, 0), (0, -1), _HEAD_BG),
            ("BACKGROUND", (2, 0), (2, -1), _HEAD_BG),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
    )
    return table


def _grid(
    st: _Styles,
    head: list[str],
    rows: list[list[str]],
    *,
    widths: tuple[float, ...],
    right: tuple[int, ...],
    total_row: bool = False,
) -> Table:
    table = Table([head, *rows], colWidths=[w * _CONTENT_WIDTH for w in widths], repeatRows=1)
    style: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), st.font),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("GRID", (0, 0), (-1, -1), 0.5, _GRID),
        ("BACKGROUND", (0, 0), (-1, 0), _HEAD_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    style += [("ALIGN", (col, 1), (col, -1), "RIGHT") for col in right]  # amounts and counts right-aligned
    if total_row:
        style.append(("BACKGROUND", (0, -1), (-1, -1), _HEAD_BG))
    table.setStyle(style)
    return table


def _denomination(fen: int) -> str:
    if fen >= 100:
        return f"{fen // 100} {_L['yuan']}"
    return f"{fen // 10} {_L['jiao']}" if fen >= 10 else f"{fen} {_L['fen']}"


def _esc(text: str) -> str:
    """Escape text for a Paragraph (its markup is XML-like; a name may hold '&' or '<')."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
