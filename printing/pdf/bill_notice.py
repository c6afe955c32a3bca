"""The customer's 电费通知单 (electricity bill notice) as an A4 PDF: renders a released bill with its lines.

The bill comes from ``bill.get_lines`` (``shared_models.methods.billruns.BillLines``): every figure printed is in
it, each line with what priced it (tariff version, days, tier, TOU period, fund, quantity, price), so nothing is
priced or added up here. Line names come from ``printing.labels``. Equal bills give byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, Final

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from printing.labels import line_label
from printing.pdf.fonts import register_cjk_font
from printing.pdf.tables import Styles, esc, grid, kv_table
from shared_models.methods.billruns import BillLines
from shared_models.money import format_fen
from shared_models.pricing import LineKind, PricedLine
from shared_models.rules.hall_time import HALL_TZ

TITLE: Final = "电费通知单"
_HEAD: Final = ["序号", "计费项目", "计费区间", "电价版本", "数量", "单价(元)", "金额(元)"]
_WIDTHS: Final = (0.06, 0.27, 0.2, 0.12, 0.11, 0.11, 0.13)
_NOTE: Final = ("请于交费截止日期前交清电费，逾期将按规定加收电费违约金。"
                "如对电费有疑问，请携带本通知单到营业厅咨询。")


def render_bill_notice_pdf(bill: BillLines, *, hall_name: str, printed_at: dt.datetime) -> bytes:
    """``bill`` as the customer's 电费通知单; ``printed_at`` is the PDF's creation date (hall time)."""
    font = register_cjk_font()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=18 * mm,
        title=f"{TITLE} {bill.bill_no}", author=hall_name, subject=TITLE, creator="GridCounter",
        initialFontName=font,  # else every page names Helvetica, a font the PDF does not embed
        invariant=1,  # fixed document id: equal input, equal bytes
    )
    stamp = f"D:{printed_at.astimezone(HALL_TZ):%Y%m%d%H%M%S}+08'00'"
    footer = f"{hall_name} · {bill.bill_no} · 打印时间 {printed_at.astimezone(HALL_TZ):%Y-%m-%d %H:%M}"

    def on_page(canvas: Any, page_doc: Any) -> None:
        canvas.setDateFormatter(lambda *_: stamp)
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawString(15 * mm, 10 * mm, footer)
        canvas.drawRightString(A4[0] - 15 * mm, 10 * mm, f"第 {page_doc.page} 页")
        canvas.restoreState()

    doc.build(_story(bill, Styles(font)), onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def _story(bill: BillLines, st: Styles) -> list[Any]:
    span = (f"{bill.period_from.isoformat()} 至 {bill.period_to.isoformat()}"
            if bill.period_from and bill.period_to else "")
    story: list[Any] = [Paragraph(TITLE, st.title), Spacer(1, 3 * mm), kv_table(st, [
        ("户号", bill.customer_no, "户名", bill.customer_name),
        ("用电地址", bill.address, "抄表段", bill.book_code),
        ("电费年月", f"{bill.period // 100}年{bill.period % 100:02d}月", "抄表周期", span),
        ("电价", f"{bill.tariff_name}（{bill.tariff_code}）", "电费单号", bill.bill_no),
        ("本期电量(kWh)", f"{bill.kwh:f}", "本期电费(元)", format_fen(bill.amount_fen)),
        ("出账日期", bill.issued_on.isoformat(), "交费截止日期", bill.due_on.isoformat()),
    ])]
    if bill.corrects_bill_no:
        story += [Spacer(1, 2 * mm), Paragraph(
            esc(f"退补：本单更正电费单 {bill.corrects_bill_no}，原因：{bill.correction_reason or ''}"), st.body)]
    total = ["", "合计", "", "", "", "", format_fen(bill.amount_fen)]
    story += [Paragraph("电费明细", st.h2), grid(
        st, list(_HEAD), [*(_row(line) for line in bill.lines), total], widths=_WIDTHS, right=(4, 5, 6),
        total_row=True,
    )]
    story += [Paragraph("交费信息", st.h2), kv_table(st, [
        ("本期电费(元)", format_fen(bill.amount_fen), "预收抵扣(元)", format_fen(bill.prepayment_applied_fen)),
        ("尚欠电费(元)", format_fen(bill.principal_open_fen), "交费截止日期", bill.due_on.isoformat()),
    ]), Spacer(1, 3 * mm), Paragraph(_NOTE, st.body)]
    return story


def _row(line: PricedLine) -> list[str]:
    if line.kind is LineKind.POWER_FACTOR:  # quantity is the base in yuan, the price a percentage
        quantity, price = f"{line.quantity:f}元", f"{line.unit_price:f}%"
    else:
        quantity, price = f"{line.quantity:f}", f"{line.unit_price.normalize():f}"
    days = f"{line.days_from:%m-%d}~{line.days_to:%m-%d}"
    return [str(line.line_no), line_label(line), days, line.version_from.isoformat(), quantity, price,
            format_fen(line.amount_fen)]
