"""The 日结单: its consistency checks, and a PDF whose Chinese text, font and pixels are really there."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from printing.pdf import fonts
from printing.pdf.fonts import CJK_FONT_ENV, FontMissingError, register_cjk_font
from printing.pdf.settlement import (
    BusinessTotal,
    CashCount,
    CashierSettlement,
    MethodTotal,
    ReceiptRange,
    SettlementError,
    SettlementErrorCode,
    SettlementReport,
    VoidLine,
    render_settlement_pdf,
)

CST = dt.timezone(dt.timedelta(hours=8), "CST")
E = SettlementErrorCode
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"

needs_poppler = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdftotext", "pdftoppm", "pdffonts")), reason="poppler-utils missing"
)


def _at(hour: int, minute: int) -> dt.datetime:
    return dt.datetime(2026, 10, 12, hour, minute, tzinfo=CST)


def li_xiaohong(**changes: Any) -> CashierSettlement:
    """A busy shift: cash, card and QR; one void; 0.50 short, approved by 王班长."""
    shift = CashierSettlement(
        cashier_name="李小红",
        counter_code="T0101",
        shift_no="T0101-20261012-01",
        shift_opened_at=_at(8, 30),
        shift_closed_at=_at(17, 5),
        float_fen=50000,
        methods=(
            MethodTotal(method="cash", count=42, amount_fen=1823450),
            MethodTotal(method="bank_card", count=15, amount_fen=956720),
            MethodTotal(method="qr", count=31, amount_fen=412385),
        ),
        businesses=(
            BusinessTotal(business="电费", count=70, amount_fen=2950000),
            BusinessTotal(business="违约金", count=12, amount_fen=4555),
            BusinessTotal(business="预收", count=5, amount_fen=150000),
            BusinessTotal(business="购电", count=3, amount_fen=80000),
            BusinessTotal(business="业务费", count=1, amount_fen=8000),
        ),
        receipts_used=(ReceiptRange(first="T0101-20261012-000001", last="T0101-20261012-000090", count=90),),
        receipts_voided=("T0101-20261012-000037",),
        voids=(
            VoidLine(
                receipt_no="T0101-20261012-000037",
                original_amount_fen=23000,
                reversed_at=_at(10, 42),
                cosigner="王班长",
                reason="户号输错",
            ),
        ),
        # 18,734.50 expected (500.00 float + 18,234.50 cash); 18,734.00 counted
        cash_counts=(
            CashCount(denomination_fen=10000, pieces=185),
            CashCount(denomination_fen=5000, pieces=3),
            CashCount(denomination_fen=2000, pieces=2),
            CashCount(denomination_fen=1000, pieces=3),
            CashCount(denomination_fen=500, pieces=2),
            CashCount(denomination_fen=100, pieces=3),
            CashCount(denomination_fen=50, pieces=1),
            CashCount(denomination_fen=10, pieces=5),
        ),
        expected_cash_fen=1873450,
        difference_approved_by="王班长",
        offline_unconfirmed=0,
    )
    return dataclasses.replace(shift, **changes)


def chen_xiaodong(**changes: Any) -> CashierSettlement:
    """A quieter shift with a cheque, no voids, cash exact, two offline items still unconfirmed."""
    shift = CashierSettlement(
        cashier_name="陈晓东",
        counter_code="T0102",
        shift_no="T0102-20261012-02",
        shift_opened_at=_at(8, 25),
        shift_closed_at=_at(17, 10),
        float_fen=30000,
        methods=(
            MethodTotal(method="cash", count=20, amount_fen=650000),
            MethodTotal(method="bank_card", count=8, amount_fen=300000),
            MethodTotal(method="cheque", count=2, amount_fen=1200000),
        ),
        businesses=(
            BusinessTotal(business="电费", count=25, amount_fen=1950000),
            BusinessTotal(business="违约金", count=3, amount_fen=2000),
            BusinessTotal(business="预收", count=2, amount_fen=198000),
        ),
        receipts_used=(
            ReceiptRange(first="T0102-20261012-000001", last="T0102-20261012-000018", count=18),
            ReceiptRange(first="T0102-20261012-000101", last="T0102-20261012-000112", count=12),
        ),
        receipts_voided=(),
        voids=(),
        cash_counts=(CashCount(denomination_fen=10000, pieces=68),),
        expected_cash_fen=680000,
        difference_approved_by=None,
        offline_unconfirmed=2,
    )
    return dataclasses.replace(shift, **changes)


def settlement_report(**changes: Any) -> SettlementReport:
    """城东营业厅's day of 2026-10-12 with two cashiers; it adds up."""
    report = SettlementReport(
        hall_name="国网示范市供电公司城东营业厅",
        hall_code="CD01",
        business_date=dt.date(2026, 10, 12),
        cashiers=(li_xiaohong(), chen_xiaodong()),
        deposit_slip_no="JK20261012-0017",
        prepayment_opening_fen=12345678,
        prepayment_closing_fen=12693678,
        printed_at=_at(18, 5),
        printed_by="王班长",
    )
    return dataclasses.replace(report, **changes)


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


class TestModel:
    """The settlement data and its derived figures."""

    def test_fields_are_keyword_only(self) -> None:
        """Positional construction is refused, so a count and an amount can never be swapped silently."""
        with pytest.raises(TypeError):
            MethodTotal("cash", 1, 100)  # type: ignore[call-arg]

    def test_reports_are_frozen(self) -> None:
        """A report cannot change between validation and printing."""
        report = settlement_report()
        with pytest.raises(dataclasses.FrozenInstanceError):
            report.deposit_slip_no = "X"  # type: ignore[misc]

    def test_counted_cash_and_difference(self) -> None:
        """Counted cash is denomination × pieces summed, and the difference is counted minus expected."""
        shift = li_xiaohong()
        assert shift.counted_cash_fen == 1873400
        assert shift.difference_fen == -50

    def test_hall_totals_sum_over_cashiers(self) -> None:
        """Hall totals merge the cashiers' lines per method and business type, in report order."""
        report = settlement_report()
        assert [(m.method, m.count, m.amount_fen) for m in report.method_totals] == [
            ("cash", 62, 2473450),
            ("bank_card", 23, 1256720),
            ("qr", 31, 412385),
            ("cheque", 2, 1200000),
        ]
        assert [b.business for b in report.business_totals] == ["电费", "违约金", "预收", "购电", "业务费"]
        assert report.business_totals[0].amount_fen == 4900000
        assert report.collected_fen == 5342555
        assert report.expected_cash_fen == 2553450
        assert report.counted_cash_fen == 2553400
        assert report.difference_fen == -50
        assert report.offline_unconfirmed == 2


class TestValidate:
    """A settlement that does not add up is refused with a code."""

    def _code(self, report: SettlementReport) -> SettlementErrorCode:
        with pytest.raises(SettlementError) as info:
            report.validate()
        return info.value.code

    def test_consistent_report_passes(self) -> None:
        """The realistic two-cashier day validates."""
        settlement_report().validate()

    def test_difference_needs_an_approver(self) -> None:
        """A cash difference without a supervisor's approval is refused."""
        report = settlement_report(cashiers=(li_xiaohong(difference_approved_by=None), chen_xiaodong()))
        assert self._code(report) is E.DIFFERENCE_NOT_APPROVED

    def test_exact_cash_needs_no_approver(self) -> None:
        """No difference, no approval needed."""
        chen_xiaodong(difference_approved_by=None).validate()

    def test_negative_pieces_are_refused(self) -> None:
        """A negative number of notes is a counting error, not a correction."""
        shift = chen_xiaodong(cash_counts=(CashCount(denomination_fen=10000, pieces=-1),))
        assert self._code(settlement_report(cashiers=(shift,))) is E.PIECES_NEGATIVE

    def test_unknown_denomination_is_refused(self) -> None:
        """Only 100, 50, 20, 10, 5, 1 yuan and 5, 1 jiao are counted."""
        shift = chen_xiaodong(cash_counts=(CashCount(denomination_fen=200, pieces=1),))
        assert self._code(settlement_report(cashiers=(shift,))) is E.DENOMINATION_INVALID

    def test_duplicate_denomination_is_refused(self) -> None:
        """Each denomination is counted on one line, so it cannot be added twice."""
        count = CashCount(denomination_fen=10000, pieces=34)
        assert self._code(settlement_report(cashiers=(chen_xiaodong(cash_counts=(count, count)),))) is (
            E.DENOMINATION_INVALID
        )

    def test_business_totals_must_match_method_totals(self) -> None:
        """Money booked to business types must be the money taken by the methods."""
        shift = chen_xiaodong(businesses=(BusinessTotal(business="电费", count=30, amount_fen=2149999),))
        assert self._code(settlement_report(cashiers=(shift,))) is E.BUSINESS_METHOD_MISMATCH

    def test_unknown_business_type_is_refused(self) -> None:
        """Business types are the five of DOMAIN §8."""
        shift = chen_xiaodong(businesses=(BusinessTotal(business="其他", count=30, amount_fen=2150000),))
        assert self._code(settlement_report(cashiers=(shift,))) is E.FIELD_INVALID

    def test_negative_amount_is_refused(self) -> None:
        """An amount below zero is refused by code, naming the field."""
        with pytest.raises(SettlementError) as info:
            settlement_report(prepayment_closing_fen=-1).validate()
        assert info.value.code is E.AMOUNT_NEGATIVE
        assert info.value.params["field"] == "prepayment_closing_fen"

    def test_naive_times_are_refused(self) -> None:
        """Shift times must carry their UTC offset."""
        shift = chen_xiaodong(shift_opened_at=dt.datetime(2026, 10, 12, 8, 25))  # noqa: DTZ001 - the error under test
        assert self._code(settlement_report(cashiers=(shift,))) is E.FIELD_INVALID

    def test_blank_shift_number_is_refused(self) -> None:
        """Every cashier section names its shift: a blank shift number is refused."""
        report = settlement_report(cashiers=(chen_xiaodong(shift_no="  "),))
        assert self._code(report) is E.FIELD_INVALID

    def test_render_refuses_an_inconsistent_report(self) -> None:
        """An inconsistent report never becomes a PDF."""
        report = settlement_report(cashiers=(li_xiaohong(difference_approved_by=None),))
        with pytest.raises(SettlementError):
            render_settlement_pdf(report)


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
        """The PDF's creation date is printed_at, not the wall clock."""
        assert b"D:20261012180500+08'00'" in rendered.read_bytes()
