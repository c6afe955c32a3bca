"""The daily settlement 日结单 as an A4 PDF (SPEC C4, DOMAIN §8): renders the report it is given, nothing more.

The report (``shared_models.methods.settlement.SettlementReport``) comes assembled and checked by the server
(``server/services/settlement.py``), or by the counter for its provisional report with the link down, both
through ``shared_models.rules.settlement``: every figure printed is in it, so nothing is added up here.
Times are printed in hall time; names of methods and business types come from ``printing.labels``, every
other word from ``printing.pdf.settlement_words``. Equal reports give byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from types import MappingProxyType
from typing import Any, Final

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

from printing.labels import BUSINESS_LABELS_ZH, TENDER_LABELS_ZH
from printing.pdf.fonts import register_cjk_font
from printing.pdf.settlement_words import LABELS_ZH
from printing.pdf.tables import CONTENT_WIDTH, Styles, esc, grid, kv_table, signatures
from shared_models.methods.settlement import BusinessTotals, CashierSection, MethodTotals, SettlementReport
from shared_models.methods.shifts import OfflineItemLine, OfflineStatus
from shared_models.money import format_fen
from shared_models.rules.hall_time import HALL_TZ

_L = LABELS_ZH
_TIME = "%Y-%m-%d %H:%M"
#: Joins the deposit slip numbers of a day with several closed shifts (one bank deposit each).
DEPOSIT_SLIP_SEPARATOR: Final = "、"
_SIGNERS: Final = (_L["sign_cashier"], _L["sign_supervisor"], _L["sign_finance"])
_OFFLINE_STATUS_LABELS: Final = MappingProxyType({
    OfflineStatus.CONFIRMED: _L["offline_confirmed"],
    OfflineStatus.UNCONFIRMED: _L["offline_unconfirmed_status"],
    OfflineStatus.CONFIRMED_LATER: _L["offline_confirmed_later"],
})


def render_settlement_pdf(report: SettlementReport, *, printed_by: str | None = None) -> bytes:
    """``report`` as an A4 PDF. ``printed_by`` names who prints (default: whom the report was made for); the
    print time is the report's ``generated_at``, so a report of closed shifts prints the same every time."""
    font = register_cjk_font()
    who = printed_by or report.generated_by
    # Two passes: the first only counts pages, so every footer can say "共 M 页". The story is rebuilt
    # because platypus consumes (splits) flowables while laying them out.
    pages = _build(report, who=who, font=font, total_pages=0)[1]
    return _build(report, who=who, font=font, total_pages=pages)[0]


def _hall(moment: dt.datetime) -> str:
    return f"{moment.astimezone(HALL_TZ):{_TIME}}"


def _title(report: SettlementReport) -> str:
    return _L["provisional_title"] if report.provisional else _L["title"]


def _slips(report: SettlementReport) -> str:
    return DEPOSIT_SLIP_SEPARATOR.join(report.deposit_slip_nos)


def _build(report: SettlementReport, *, who: str, font: str, total_pages: int) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=f"{_title(report)} {report.hall_name} {report.business_date.isoformat()}",
        author=who,
        subject=_L["title"],
        creator="GridCounter",
        initialFontName=font,  # else every page names Helvetica, a font the PDF does not embed
        invariant=1,  # fixed document id and no random comments: equal input, equal bytes
    )
    pages = [0]
    on_page = _footer(report, who=who, font=font, total_pages=total_pages, pages=pages)
    doc.build(_story(report, font=font), onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue(), pages[0]


def _footer(report: SettlementReport, *, who: str, font: str, total_pages: int,
            pages: list[int]) -> Callable[[Any, Any], None]:
    printed_at = report.generated_at.astimezone(HALL_TZ)
    # The PDF's CreationDate/ModDate is when the report was printed, not when the bytes were made.
    stamp = f"D:{printed_at:%Y%m%d%H%M%S}+08'00'"
    printed = f"{_L['printed']}：{who} {printed_at:{_TIME}}"
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


def _story(report: SettlementReport, *, font: str) -> list[Any]:
    st = Styles(font)
    story: list[Any] = [Paragraph(_title(report), st.title), Spacer(1, 3 * mm)]
    if report.provisional:
        story += [Paragraph(_L["provisional_note"], st.body), Spacer(1, 2 * mm)]
    story.append(kv_table(st, [
        (_L["hall"], report.hall_name, _L["hall_code"], report.hall_code),
        (_L["business_date"], report.business_date.isoformat(), _L["deposit_slip_no"], _slips(report)),
        (_L["prepayment_opening"], format_fen(report.prepayment_opening_fen),
         _L["prepayment_closing"], format_fen(report.prepayment_closing_fen)),
    ]))
    for i, cashier in enumerate(report.cashiers):
        if i:
            story.append(PageBreak())
        story += _cashier_section(st, cashier)
    story.append(PageBreak())
    story += _hall_section(st, report)
    return story


def _cashier_section(st: Styles, c: CashierSection) -> list[Any]:
    out: list[Any] = [Paragraph(
        f"{_L['cashier']}：{esc(c.cashier_name)}　{_L['counter']}：{esc(c.counter_code)}"
        f"　{_L['shift_no']}：{esc(c.shift_no)}", st.h1)]
    out.append(kv_table(st, [
        (_L["shift_opened"], _hall(c.opened_at), _L["shift_closed"], _hall(c.closed_at)),
        (_L["float"], format_fen(c.float_fen), _L["offline_unconfirmed"], str(c.offline_unconfirmed)),
    ]))
    out += _totals_tables(st, methods=c.methods, businesses=c.businesses)
    out.append(Paragraph(_L["receipts"], st.h2))
    ranges = [[r.first, r.last, str(r.count)] for r in c.receipts_used] or [[_L["none"], "", ""]]
    out.append(grid(st, [_L["first"], _L["last"], _L["pieces"]], ranges, widths=(0.4, 0.4, 0.2), right=(2,)))
    voided = "、".join(v.receipt_no for v in c.voids) or _L["none"]
    out.append(Paragraph(f"{_L['receipts_voided']}（{len(c.voids)}）：{esc(voided)}", st.body))
    out.append(Paragraph(_L["voids"], st.h2))
    voids = [[v.receipt_no, format_fen(v.amount_fen), _hall(v.voided_at), v.cosigned_by, v.reason.strip() or "—"]
             for v in c.voids] or [[_L["none"], "", "", "", ""]]
    head = [_L["original_no"], _L["original_amount"], _L["reversed_at"], _L["cosigner"], _L["reason"]]
    out.append(grid(st, head, voids, widths=(0.26, 0.16, 0.2, 0.12, 0.26), right=(1,)))
    if c.offline_items:
        out += _offline_section(st, c)
    rows = [[_denomination(x.denomination_fen), str(x.pieces), format_fen(x.amount_fen)] for x in c.cash_counts]
    rows.append([_L["total"], str(c.cash_pieces), format_fen(c.counted_cash_fen)])
    count = grid(st, [_L["denomination"], _L["pieces"], _L["amount"]], rows, widths=(0.3, 0.3, 0.4), right=(1, 2))
    summary = _cash_summary(st, expected_fen=c.expected_cash_fen, counted_fen=c.counted_cash_fen,
                            difference_fen=c.difference_fen,
                            approvers=c.difference_approved_by if c.difference_fen else None)
    # the count, its result and the signatures are one thing to sign: never split over two pages
    out.append(KeepTogether([Paragraph(_L["cash_count"], st.h2), count, Spacer(1, 2 * mm), summary,
                             signatures(st, _SIGNERS)]))
    return out


def _offline_note(line: OfflineItemLine, *, shift_no: str) -> str:
    parts = []
    if line.from_shift_no:
        parts.append(f"{_L['offline_from_shift']} {line.from_shift_no}")
    if line.booked_shift_no and line.booked_shift_no != shift_no:
        parts.append(f"{_L['offline_booked_shift']} {line.booked_shift_no}")
    if line.redirected_to_prepayment_fen:
        parts.append(f"{_L['offline_redirected']} {format_fen(line.redirected_to_prepayment_fen)}")
    if line.voided:
        parts.append(_L["offline_voided"])
    return "；".join(parts)


def _offline_section(st: Styles, c: CashierSection) -> list[Any]:
    """Each payment taken offline, with the counter's and the center's time and whether it is confirmed."""
    head = [_L["offline_receipt"], _L["offline_customer"], _L["amount"], _L["offline_local_time"],
            _L["offline_booked_at"], _L["offline_status"], _L["offline_note"]]
    rows = [
        [line.receipt_no, line.customer_no, format_fen(line.amount_fen),
         _hall(line.local_time) if line.local_time else "—", _hall(line.booked_at) if line.booked_at else "—",
         _OFFLINE_STATUS_LABELS[line.status], Paragraph(esc(_offline_note(line, shift_no=c.shift_no)), st.body)]
        for line in c.offline_items
    ]
    widths = (0.2, 0.12, 0.09, 0.14, 0.14, 0.09, 0.22)
    return [Paragraph(f"{_L['offline_items']}（{len(c.offline_items)}）", st.h2),
            grid(st, head, rows, widths=widths, right=(2,))]


def _hall_section(st: Styles, r: SettlementReport) -> list[Any]:
    h = r.hall
    out: list[Any] = [Paragraph(f"{_L['hall_total']}（{esc(r.hall_name)} {r.business_date.isoformat()}）", st.h1)]
    out.append(kv_table(st, [
        (_L["deposit_slip_no"], _slips(r), _L["float"], format_fen(h.float_fen)),
        (_L["prepayment_opening"], format_fen(r.prepayment_opening_fen),
         _L["prepayment_closing"], format_fen(r.prepayment_closing_fen)),
        (_L["collected"], format_fen(h.collected_fen), _L["offline_unconfirmed"], str(h.offline_unconfirmed)),
    ]))
    out += _totals_tables(st, methods=h.methods, businesses=h.businesses)
    out.append(Paragraph(_L["by_cashier"], st.h2))
    head = [
        _L["cashier"], _L["counter"], _L["collected"], _L["pieces"], _L["voided_count"],
        _L["expected_cash"], _L["counted_cash"], _L["difference"], _L["approved_by"],
    ]  # fmt: skip
    rows = [
        [
            c.cashier_name, c.counter_code, format_fen(c.collected_fen), str(c.receipts_used_count),
            str(len(c.voids)), format_fen(c.expected_cash_fen), format_fen(c.counted_cash_fen),
            format_fen(c.difference_fen), c.difference_approved_by or "—",
        ]
        for c in r.cashiers
    ]  # fmt: skip
    widths = (0.11, 0.09, 0.12, 0.07, 0.08, 0.12, 0.12, 0.16, 0.13)
    out.append(grid(st, head, rows, widths=widths, right=(2, 3, 4, 5, 6, 7)))
    out.append(Spacer(1, 2 * mm))
    summary = _cash_summary(st, expected_fen=h.expected_cash_fen, counted_fen=h.counted_cash_fen,
                            difference_fen=h.difference_fen, approvers="、".join(h.difference_approved_by) or None)
    out.append(KeepTogether([summary, signatures(st, _SIGNERS)]))
    return out


def _totals_tables(st: Styles, *, methods: MethodTotals, businesses: BusinessTotals) -> list[Any]:
    m_rows = [[TENDER_LABELS_ZH[m.method], str(m.count), format_fen(m.amount_fen)] for m in methods.lines]
    m_rows.append([_L["total"], str(methods.count), format_fen(methods.amount_fen)])
    b_rows = [[BUSINESS_LABELS_ZH[b.business], str(b.count), format_fen(b.amount_fen)] for b in businesses.lines]
    b_rows.append([_L["total"], str(businesses.count), format_fen(businesses.amount_fen)])
    # side by side, each half the width minus a gutter: both tables fit the first page with the header
    widths = (0.2, 0.1, 0.18)
    by_method = grid(st, [_L["method"], _L["count"], _L["amount"]], m_rows, widths=widths, right=(1, 2),
                     total_row=True)
    by_business = grid(st, [_L["business"], _L["count"], _L["amount"]], b_rows, widths=widths, right=(1, 2),
                       total_row=True)
    pair = Table(
        [[Paragraph(_L["by_method"], st.h2), Paragraph(_L["by_business"], st.h2)], [by_method, by_business]],
        colWidths=[CONTENT_WIDTH / 2] * 2,
    )
    pair.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    return [pair]


def _cash_summary(st: Styles, *, expected_fen: int, counted_fen: int, difference_fen: int,
                  approvers: str | None) -> Table:
    """Expected vs counted cash and the difference, with 长款/短款 and who approved it."""
    kind = _L["over"] if difference_fen > 0 else _L["short"] if difference_fen < 0 else ""
    return kv_table(st, [
        (_L["expected_cash"], format_fen(expected_fen), _L["counted_cash"], format_fen(counted_fen)),
        (_L["difference"], f"{format_fen(difference_fen)} {kind}".strip(), _L["approved_by"], approvers or "—"),
    ])


def _denomination(fen: int) -> str:
    if fen >= 100:
        return f"{fen // 100} {_L['yuan']}"
    return f"{fen // 10} {_L['jiao']}" if fen >= 10 else f"{fen} {_L['fen']}"
