"""The 电费通知单 PDF: a bill with its lines, read back as text (pdftotext) and as an image (pdftoppm)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy.orm import Session

from printing.pdf.bill_notice import render_bill_notice_pdf
from shared_models.methods.billruns import BillLines
from shared_models.pricing import LineKind, PricedLine
from shared_models.tariffs import TouPeriod
from tests.billruns.helpers import PERIOD, add_readings, billing, calculate_all, run_ref
from tests.factories import LI_XIUYING, World
from tests.rpc_helpers import Caller

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
PRINTED_AT = dt.datetime(2026, 11, 23, 10, 30, tzinfo=dt.UTC)
needs_poppler = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdftotext", "pdftoppm", "pdffonts")), reason="poppler-utils missing"
)
V = dt.date(2026, 1, 1)
D1, D2 = dt.date(2026, 10, 26), dt.date(2026, 11, 22)


def _line(n: int, kind: LineKind, quantity: str, price: str, fen: int, **extra: object) -> PricedLine:
    return PricedLine.model_validate({
        "line_no": n, "kind": kind, "version_from": V, "days_from": D1, "days_to": D2, "quantity": quantity,
        "unit_price": price, "amount_fen": fen, **extra})


def two_part_bill() -> BillLines:
    """A large-industry bill with TOU energy in a tier, basic charge, power factor and an added fund."""
    lines = [
        _line(1, LineKind.ENERGY, "1200.00", "0.95", 114000, tier=1, tou_period=TouPeriod.PEAK),
        _line(2, LineKind.ENERGY, "800.00", "0.35", 28000, tier=1, tou_period=TouPeriod.VALLEY),
        _line(3, LineKind.BASIC_CAPACITY, "315.00", "22.6", 711900),
        _line(4, LineKind.POWER_FACTOR, "8539.00", "-0.75", -6404),
        _line(5, LineKind.FUND, "2000.00", "0.019", 3800, fund_code="renewable", fund_name="可再生能源电价附加"),
    ]
    total = sum(x.amount_fen for x in lines)
    return BillLines(
        bill_no=f"{PERIOD}-3301000004-C1", customer_no="3301000004", customer_name="杭州顺达商贸有限公司",
        address="浙江省杭州市西湖区文三路103号", book_code="T01-B001", period=PERIOD, period_from=D1, period_to=D2,
        kwh=Decimal("2000.00"), amount_fen=total, issued_on=dt.date(2026, 11, 23), due_on=dt.date(2026, 12, 13),
        tariff_code="IND-2P", tariff_name="大工业用电 1-10千伏", lines=lines, prepayment_applied_fen=50000,
        principal_open_fen=total - 50000, corrects_bill_no=f"{PERIOD}-3301000004", correction_reason="倍率录错",
        corrected_by_bill_no=None,
    )


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return "".join(out.split())  # pdftotext adds or drops spaces between CJK glyphs and digits


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pdf = tmp_path_factory.mktemp("notice") / "notice.pdf"
    pdf.write_bytes(render_bill_notice_pdf(two_part_bill(), hall_name="一号营业厅", printed_at=PRINTED_AT))
    return pdf


@needs_poppler
class TestBillNotice:
    def test_every_line_and_figure_is_text(self, rendered: Path) -> None:
        """Title, customer, period, each line with what priced it, totals, prepayment and the 退补 note."""
        text = _text(rendered)
        expected = ["电费通知单", "3301000004", "杭州顺达商贸有限公司", "2026年11月", "2026-10-26至2026-11-22",
                    "大工业用电1-10千伏（IND-2P）", "电度电费第1档峰", "1200.00", "0.95", "1,140.00",
                    "电度电费第1档谷", "基本电费(容量)", "7,119.00", "力调电费", "-0.75%", "-64.04",
                    "政府性基金及附加可再生能源电价附加", "0.019", "38.00", "2026-01-01", "10-26~11-22",
                    "合计", "8,512.96", "预收抵扣(元)500.00", "尚欠电费(元)8,012.96", "2026-12-13",
                    f"退补：本单更正电费单{PERIOD}-3301000004，原因：倍率录错"]
        assert [item for item in expected if item not in text] == []

    def test_page_renders_ink(self, rendered: Path, tmp_path: Path) -> None:
        """The page rasterises to an A4-shaped PNG that is not blank."""
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(rendered), str(tmp_path / "p")],
                       check=True)
        png = next(tmp_path.glob("p*.png"))
        with Image.open(png) as image:
            width, height = image.size
            ink = sum(image.convert("L").histogram()[:200])
        assert (490 <= width <= 500, 698 <= height <= 706) == (True, True)
        assert ink > 0.01 * width * height
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copyfile(rendered, ARTIFACTS / "bill-notice.pdf")
        shutil.copyfile(png, ARTIFACTS / "bill-notice-page-1.png")

    def test_cjk_font_is_embedded(self, rendered: Path) -> None:
        """pdffonts lists the CJK font as embedded."""
        out = subprocess.run(["pdffonts", str(rendered)], check=True, capture_output=True, text=True).stdout
        lines = [line.split() for line in out.splitlines() if "WenQuanYiMicroHei" in line]
        assert lines
        assert all(line[-5] == "yes" for line in lines)

    def test_equal_bill_gives_equal_bytes(self, rendered: Path) -> None:
        """The same bill printed at the same time gives byte-identical PDFs, dated with the print time."""
        again = render_bill_notice_pdf(two_part_bill(), hall_name="一号营业厅", printed_at=PRINTED_AT)
        assert again == rendered.read_bytes()
        assert b"D:20261123183000+08'00'" in again

    def test_released_bill_prints_from_get_lines(
        self, caller: Caller, db: Session, world: World, tmp_path: Path,
    ) -> None:
        """A bill released by a run, read with bill.get_lines, prints with its line and its prepayment."""
        add_readings(db)
        billing(caller)
        calculate_all(caller)
        caller.call("billrun.release_run", run_ref())
        body = caller.call("bill.get_lines", {"bill_no": f"{PERIOD}-{LI_XIUYING}"}).body
        pdf = tmp_path / "li.pdf"
        pdf.write_bytes(render_bill_notice_pdf(BillLines.model_validate_json(json.dumps(body)),
                                               hall_name="一号营业厅", printed_at=PRINTED_AT))
        text = _text(pdf)
        wanted = ("李秀英", "电度电费", "100.00", "0.538", "53.80", "预收抵扣(元)50.00", "尚欠电费(元)3.80")
        missing = [s for s in wanted if s not in text]
        assert missing == []
