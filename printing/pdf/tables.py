"""The A4 building blocks GridCounter's PDFs are laid out with: paragraph styles, key/value tables, grids and
signature lines, all in the embedded CJK font (``printing.pdf.fonts``)."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table

GRID = colors.Color(0.55, 0.55, 0.55)
HEAD_BG = colors.Color(0.9, 0.9, 0.9)
#: A4 less 15 mm margins left and right.
CONTENT_WIDTH = A4[0] - 30 * mm


class Styles:
    """The paragraph styles of a report, in one font."""

    def __init__(self, font: str) -> None:
        self.font = font
        self.title = ParagraphStyle("title", fontName=font, fontSize=18, leading=24, alignment=TA_CENTER)
        self.h1 = ParagraphStyle("h1", fontName=font, fontSize=13, leading=18, spaceBefore=4, spaceAfter=4)
        self.h2 = ParagraphStyle("h2", fontName=font, fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=2)
        self.body = ParagraphStyle("body", fontName=font, fontSize=9, leading=12, wordWrap="CJK")


def kv_table(st: Styles, rows: list[tuple[str, str, str, str]]) -> Table:
    """Rows of two label/value pairs, labels shaded."""
    data = [[Paragraph(esc(cell), st.body) for cell in row] for row in rows]
    table = Table(data, colWidths=[w * CONTENT_WIDTH for w in (0.17, 0.33, 0.17, 0.33)])
    table.setStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, GRID),
            ("BACKGROUND", (0, 0), (0, -1), HEAD_BG),
            ("BACKGROUND", (2, 0), (2, -1), HEAD_BG),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
    )
    return table


def grid(
    st: Styles,
    head: list[str],
    rows: list[list[Any]],
    *,
    widths: tuple[float, ...],
    right: tuple[int, ...],
    total_row: bool = False,
) -> Table:
    """A table with a shaded head row repeated on every page; ``right`` columns (amounts, counts) right-aligned;
    ``widths`` as fractions of the content width."""
    table = Table([head, *rows], colWidths=[w * CONTENT_WIDTH for w in widths], repeatRows=1)
    style: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), st.font),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    style += [("ALIGN", (col, 1), (col, -1), "RIGHT") for col in right]
    if total_row:
        style.append(("BACKGROUND", (0, -1), (-1, -1), HEAD_BG))
    table.setStyle(style)
    return table


def signatures(st: Styles, who: tuple[str, ...]) -> Table:
    """A signature line for each of ``who``, side by side."""
    cells = [f"{name}签字：________________" for name in who]
    table = Table([cells], colWidths=[CONTENT_WIDTH / len(who)] * len(who))
    table.setStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), st.font),
            ("FONTSIZE", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, -1), 14 * mm),
        ]
    )
    return table


def esc(text: str) -> str:
    """Escape text for a Paragraph (its markup is XML-like; a name may hold '&' or '<')."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
