"""The 日结单 PDF: it renders the report it is given, and its Chinese text, font and pixels are really there."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from PIL import Image

from printing.pdf import fonts
from printing.pdf.fonts import CJK_FONT_ENV, FontMissingError, register_cjk_font
from printing.pdf.settlement import render_settlement_pdf
from tests.settlement_data import settlement_report

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"

needs_poppler = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdftotext", "pdftoppm", "pdffonts")), reason="poppler-utils missing"
)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report rendered once, written to a temporary file (and copied to artifacts/ for a human)."""
    pdf = tmp_path_factory.mktemp("settlement") / "settlement.pdf"
    pdf.write_bytes(render_settlement_pdf(settlement_report()))
    return pdf


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def _compact(text: str) -> str:
    # pdftotext drops or adds spaces between CJK glyphs and digits; compare without whitespace
    return "".join(text.split())


class TestFonts:
    """The embedded CJK font."""

    def test_registration_is_idempotent_and_thread_safe(self) -> None:
        """Concurrent callers all get the same font name back and nothing fails."""
        names: list[str] = []
        threads = [threading.Thread(target=lambda: names.append(register_cjk_font())) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert names == [fonts.CJK_FONT_NAME] * 8

    def test_env_overrides_the_path(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        """GRIDCOUNTER_CJK_FONT points at another copy of the font."""
        monkeypatch.setenv(CJK_FONT_ENV, str(tmp_path / "wqy.ttc"))
        assert fonts.cjk_font_path() == tmp_path / "wqy.ttc"

    def test_missing_font_names_the_package(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        """A missing font file says which Debian package provides it."""
        monkeypatch.setattr(fonts, "CJK_FONT_NAME", "GridCounterTestMissingFont")
        monkeypatch.setenv(CJK_FONT_ENV, str(tmp_path / "missing.ttc"))
        with pytest.raises(FontMissingError, match="fonts-wqy-microhei"):
            register_cjk_font()


@needs_poppler
class TestPdf:
    """The rendered 日结单, read back with poppler."""

    def test_every_required_item_is_text(self, rendered: Path) -> None:
        """Title, hall, date, deposit slip, cashiers, totals, ranges, voids, cash and prepayment all appear."""
        text = _compact(_text(rendered))
        expected = [
            "营业厅日结单",
            "国网示范市供电公司城东营业厅",
            "2026-10-12",
            "解款单号",
            "JK20261012-0017",
            "李小红",
            "陈晓东",
            # each cashier section names its shift
            "班次号：T0101-20261012-01",
            "班次号：T0102-20261012-02",
            "备用金",
            # by method (李小红 cash, card, QR; 陈晓东 cheque; hall cash) and by business type
            "18,234.50",
            "9,567.20",
            "4,123.85",
            "12,000.00",
            "24,734.50",
            "29,500.00",
            "45.55",
            "49,000.00",
            "53,425.55",
            # receipt ranges, the voided number and the void's co-signer and reason
            "T0101-20261012-000001",
            "T0101-20261012-000090",
            "T0102-20261012-000112",
            "作废票据号(1)",
            "T0101-20261012-000037",
            "230.00",
            "户号输错",
            # cash: expected, counted, difference and approver
            "应有现金18,734.50",
            "实点现金18,734.00",
            "-0.50短款",
            "差额审批人王班长",
            "离线未确认笔数2",
            "期初预收余额123,456.78",
            "期末预收余额126,936.78",
            "收费员签字",
            "班长签字",
            "财务签字",
            "第1页共3页",
            "第3页共3页",
        ]
        missing = [item for item in expected if item.replace("(", "（").replace(")", "）") not in text]
        assert missing == []

    def test_first_page_renders_ink(self, rendered: Path, tmp_path: Path) -> None:
        """The first page rasterises to an A4-shaped PNG that is not blank."""
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(rendered), str(tmp_path / "page")], check=True
        )
        png = next(tmp_path.glob("page*.png"))
        with Image.open(png) as image:
            width, height = image.size
            grey = image.convert("L")
            ink = sum(grey.histogram()[:200])  # pixels darker than light grey
        assert 490 <= width <= 500  # A4 at 60 dpi is 496 × 702 (poppler may round up a pixel)
        assert 698 <= height <= 706
        assert ink > 0.01 * width * height
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copyfile(rendered, ARTIFACTS / "settlement.pdf")
        shutil.copyfile(png, ARTIFACTS / "settlement-page-1.png")

    def test_cjk_font_is_embedded(self, rendered: Path) -> None:
        """pdffonts lists WenQuanYi Micro Hei as embedded, so readers without CJK fonts show the text."""
        out = subprocess.run(["pdffonts", str(rendered)], check=True, capture_output=True, text=True).stdout
        lines = [line.split() for line in out.splitlines() if "WenQuanYiMicroHei" in line]
        assert lines
        assert all(line[-5] == "yes" for line in lines)  # columns: … emb sub uni object ID

    def test_equal_input_gives_equal_bytes(self, rendered: Path) -> None:
        """Rendering the same report twice gives byte-identical PDFs."""
        assert render_settlement_pdf(settlement_report()) == rendered.read_bytes()

    def test_creation_date_is_the_print_time(self, rendered: Path) -> None:
        """The PDF's creation date is when the report was generated, not the wall clock."""
        assert b"D:20261012180500+08'00'" in rendered.read_bytes()

    def test_times_print_in_hall_time(self, tmp_path: Path) -> None:
        """A report whose times travel in UTC prints them in hall time (08:30 China is 00:30 UTC)."""
        report = settlement_report()
        utc = [c.model_copy(update={"opened_at": c.opened_at.astimezone(dt.UTC),
                                    "closed_at": c.closed_at.astimezone(dt.UTC)}) for c in report.cashiers]
        pdf = tmp_path / "utc.pdf"
        pdf.write_bytes(render_settlement_pdf(report.model_copy(update={
            "cashiers": utc, "generated_at": report.generated_at.astimezone(dt.UTC)})))
        assert pdf.read_bytes() == render_settlement_pdf(report)

    def test_prints_the_figures_it_is_given(self, tmp_path: Path) -> None:
        """The renderer adds nothing up: the hall total it prints is the report's, whatever the sections say,
        and the person printing is the one named."""
        report = settlement_report()
        pdf = tmp_path / "given.pdf"
        pdf.write_bytes(render_settlement_pdf(
            report.model_copy(update={"hall": report.hall.model_copy(update={"collected_fen": 777})}),
            printed_by="李会计"))
        text = _compact(_text(pdf))
        assert "实收金额7.77" in text
        assert "打印：李会计" in text
