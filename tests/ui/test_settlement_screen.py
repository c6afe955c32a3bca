# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""The settlement screen against the live server: the 日结单 fetched, shown, saved and printed, and read back
from the files with poppler (text and pixels)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from client.core.rpc_client import Cosign
from client.ui.context import UiContext
from client.ui.screens.settlement_screen import SettlementScreen
from shared_models.methods.shifts import CLOSE, OPEN, CashCountLine, CloseShiftRequest, OpenShiftRequest
from shared_models.money import format_fen
from tests.action_helpers import confirmed
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.factories import LI_XIUYING, ZHANG_WEI, password_for
from tests.ui.conftest import ARTIFACTS
from tests.ui.live_helpers import SignIn, live_client, sign_in_live, take_payment, void_payment  # noqa: F401

pytestmark = pytest.mark.skipif(not all(shutil.which(t) for t in ("pdftotext", "pdftoppm", "pdfinfo")),
                                reason="poppler-utils missing")
CLICK = Qt.MouseButton.LeftButton


@dataclass(frozen=True)
class Day:
    """What the module's business day holds: cashier1's closed shift, cashier2's open one."""

    closed_shift: str
    open_shift: str
    receipts: tuple[str, str]
    voided: str
    slip: str
    expected_fen: int
    counted_fen: int


@pytest.fixture(scope="module")
def day(live_server: LiveServer) -> Iterator[Day]:  # noqa: F811 - fixture
    """cashier1 takes two payments, one voided, and closes 0.50 short (approved by super1); cashier2 is open."""
    rpc, _ = live_client(live_server, "cashier1", "T0101")
    other, _ = live_client(live_server, "cashier2", "T0102")
    try:
        shift = rpc.send(OPEN, OpenShiftRequest(float_fen=30_000), action=confirmed())
        kept = take_payment(rpc, ZHANG_WEI, cash_fen=10_000, card_fen=5_000)
        voided = take_payment(rpc, LI_XIUYING, cash_fen=2_000)
        void_payment(rpc, voided.receipt_no, supervisor="super1")
        counts = [CashCountLine(denomination_fen=10_000, pieces=3), CashCountLine(denomination_fen=5_000, pieces=1),
                  CashCountLine(denomination_fen=2_000, pieces=2), CashCountLine(denomination_fen=500, pieces=1),
                  CashCountLine(denomination_fen=100, pieces=4), CashCountLine(denomination_fen=50, pieces=1)]
        closed = rpc.send(CLOSE, CloseShiftRequest(shift_no=shift.shift_no, cash_counts=counts,
                                                   deposit_slip_no="JK-20261123-0017"),
                          action=confirmed(), cosign=Cosign(username="super1", password=password_for("super1")))
        assert closed.closing is not None
        still_open = other.send(OPEN, OpenShiftRequest(float_fen=10_000), action=confirmed())
        yield Day(closed_shift=shift.shift_no, open_shift=still_open.shift_no,
                  receipts=(kept.receipt_no, voided.receipt_no), voided=voided.receipt_no, slip="JK-20261123-0017",
                  expected_fen=closed.expected_cash_fen, counted_fen=closed.closing.counted_cash_fen)
    finally:
        rpc.close()
        other.close()


def _screen(qtbot: QtBot, ctx: UiContext, day: Day) -> SettlementScreen:
    """The settlement screen on the day's business date, shown, the settlement fetched through **Show**."""
    screen = SettlementScreen(ctx=ctx)
    qtbot.addWidget(screen)
    screen.resize(1000, 800)
    screen.show()
    with qtbot.waitSignal(screen.settlement_shown, timeout=30_000):
        qtbot.mouseClick(screen.show_button, CLICK)
    return screen


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return "".join(out.split())  # pdftotext spaces CJK glyphs and digits as it likes


def _ink(pdf: Path, folder: Path, *, page: int = 1) -> float:
    """The fraction of page ``page`` (rasterised at 60 dpi) that is not near white."""
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", str(page), "-l", str(page), str(pdf),
                    str(folder / "page")], check=True)
    png = next(folder.glob("page*.png"))
    with Image.open(png) as image:
        grey = image.convert("L")
        dark = sum(grey.histogram()[:200])
        return dark / (image.width * image.height)


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


class TestSettlementScreen:
    """The 日结单 through the real widgets."""

    def test_cashier_shows_saves_and_prints(self, qtbot: QtBot, sign_in_live: SignIn, day: Day,  # noqa: F811
                                            use_locale: Callable[[str], None], tmp_path: Path) -> None:
        """The cashier's own settlement is shown page by page, saved as a PDF with every required item, and
        printed through a QPrinter."""
        use_locale("zh_CN")
        ctx = sign_in_live("cashier1", "T0101")
        screen = _screen(qtbot, ctx, day)
        assert screen.scope_combo.isHidden()  # a cashier gets their own shifts only
        assert screen.loaded is not None
        assert screen.loaded.pdf is not None
        assert len(screen.page_labels) >= 2  # a cashier section and the hall total page
        assert all(not label.pixmap().isNull() for label in screen.page_labels)
        assert screen.save_button.isEnabled()
        assert screen.print_button.isEnabled()
        summary = screen.summary_label.text()
        assert f"应有现金 {format_fen(day.expected_fen)}" in summary
        assert day.slip in summary

        target = tmp_path / "日结单.pdf"
        with qtbot.waitSignal(screen.saved, timeout=10_000):
            screen.save_pdf(target)
        assert screen.message_label.text() == f"已保存到 {target}。"
        text = _text(target)
        expected = ["营业厅日结单", "收费员甲", day.closed_shift.split("-")[0], "解款单号", day.slip,
                    day.receipts[0], "作废票据号", day.voided, "差额审批人班长甲",
                    f"应有现金{format_fen(day.expected_fen)}", f"实点现金{format_fen(day.counted_fen)}", "-0.50短款",
                    "期初预收余额", "期末预收余额"]
        assert [item for item in expected if item not in text] == []
        assert day.open_shift not in text  # an open shift is not in the settlement
        ink = _ink(target, tmp_path)
        assert ink > 0.01
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copyfile(target, ARTIFACTS / "settlement-screen.pdf")
        assert screen.grab().save(str(ARTIFACTS / "settlement-screen-zh_CN.png"))

        printer = screen.new_printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printed = tmp_path / "printed.pdf"
        printer.setOutputFileName(str(printed))
        with qtbot.waitSignal(screen.printed, timeout=60_000) as done:
            screen.print_to(printer)
        assert done.args == [_pages(target)]
        assert _pages(printed) == _pages(target)
        printed_pages = tmp_path / "printed-pages"
        printed_pages.mkdir()
        assert _ink(printed, printed_pages) > 0.01

    def test_supervisor_sees_the_whole_hall(self, qtbot: QtBot, sign_in_live: SignIn, day: Day,  # noqa: F811
                                            use_locale: Callable[[str], None]) -> None:
        """A supervisor gets the hall by default, with the shifts still open named and left out."""
        use_locale("zh_CN")
        ctx = sign_in_live("super1", "T0101")
        screen = _screen(qtbot, ctx, day)
        assert not screen.scope_combo.isHidden()
        assert screen.whole_hall()
        assert screen.loaded is not None
        assert screen.loaded.report is not None
        assert [c.cashier_name for c in screen.loaded.report.cashiers] == ["收费员甲"]
        assert screen.loaded.daily.open_shifts == [day.open_shift]
        assert f"尚未结班、未计入本日结单：{day.open_shift}。" in screen.summary_label.text()

    def test_a_day_without_closed_shifts(self, qtbot: QtBot, sign_in_live: SignIn, day: Day,  # noqa: F811
                                         use_locale: Callable[[str], None]) -> None:
        """A cashier without a closed shift that day is told there is nothing to settle; nothing to print."""
        use_locale("zh_CN")
        ctx = sign_in_live("cashier2", "T0102")
        screen = _screen(qtbot, ctx, day)
        assert screen.loaded is not None
        assert screen.loaded.report is None
        assert "尚无已结班的班次" in screen.message_label.text()
        assert not screen.save_button.isEnabled()
        assert not screen.print_button.isEnabled()
        assert screen.page_labels == []
