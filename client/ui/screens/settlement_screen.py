"""The daily settlement 日结单 (SPEC C4, DOMAIN §8): fetched, rendered to PDF, shown, printed or saved.

Choose the business day (default today) and, as a supervisor, your own shifts or the whole hall; **Show**
fetches ``settlement.get_daily`` (the report as the server assembled and checked it), renders the PDF
(``printing.pdf``) and draws its pages, all off the GUI thread; nothing is added up here.
 **Print…** goes through the system's print dialog (the pages are printed as images, as shown);
**Save PDF…** writes the PDF itself. :meth:`SettlementScreen.print_to` and :meth:`SettlementScreen.save_pdf`
are the non-interactive halves the dialogs end in (tests call them directly).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDate, QRect, Qt, Signal
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from client.core.pdf_pages import RasterUnavailableError, pdf_pages_png, raster_available
from client.core.settlement_day import hall_today, load_settlement
from client.ui.context import UiContext
from client.ui.ops import Op
from client.ui.widgets.pdf_save import ask_pdf_path
from printing.pdf.settlement import DEPOSIT_SLIP_SEPARATOR, render_settlement_pdf
from shared_models.methods.settlement import DailySettlement, SettlementReport
from shared_models.money import format_fen
from shared_models.roles import Perm
from shared_models.rules.hall_time import hall_now
from shared_models.rules.settlement import SettlementMismatchError

#: Preview resolution: an A4 page is 744 × 1052 pixels, the width of the screen area in the main window.
PREVIEW_DPI = 90
#: Printing resolution cap: finer than this only makes the spool file bigger for a text report.
PRINT_DPI_MAX = 300


@dataclass(frozen=True)
class LoadedSettlement:
    """What one **Show** produced: the day's settlement and, when any shift of the day is closed, its PDF."""

    daily: DailySettlement
    pdf: bytes | None
    #: The pages drawn for the preview; None where this PC cannot rasterise PDFs.
    pages: list[QImage] | None

    @property
    def report(self) -> SettlementReport | None:
        """The report shown (None: no shift of the day is closed)."""
        return self.daily.report


def print_pages(printer: QPrinter, pdf: bytes) -> int:
    """Print ``pdf`` on ``printer`` page by page as images, each fitted to the paper; the number of pages.

    Runs in a worker: QPainter may paint on a QPrinter outside the GUI thread (Qt's threading rules), and
    rasterising and spooling take seconds.
    """
    dpi = max(72, min(printer.resolution(), PRINT_DPI_MAX))
    pages = pdf_pages_png(pdf, dpi=dpi)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("the printer could not be started")
    try:
        for number, png in enumerate(pages):
            if number:
                printer.newPage()
            image = QImage.fromData(png)
            area = painter.viewport()
            fitted = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(area.topLeft(), fitted), image)
    finally:
        painter.end()
    return len(pages)


class SettlementScreen(QWidget):
    """Show, print and save the 日结单 of a business day."""

    #: A settlement was fetched and rendered (``LoadedSettlement``).
    settlement_shown = Signal(object)
    #: The PDF was written to this path.
    saved = Signal(str)
    #: The pages went to the printer (number of pages).
    printed = Signal(int)

    def __init__(self, *, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settlementScreen")
        self._ctx = ctx
        self.loaded: LoadedSettlement | None = None

        bar = self._build_bar()

        self.message_label = QLabel()
        self.message_label.setObjectName("settlementMessageLabel")
        self.message_label.setWordWrap(True)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("settlementSummaryLabel")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pages_widget = QWidget()
        self.pages_layout = QVBoxLayout(self.pages_widget)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.page_labels: list[QLabel] = []
        self.preview = QScrollArea()
        self.preview.setObjectName("settlementPreview")
        self.preview.setWidgetResizable(True)
        self.preview.setWidget(self.pages_widget)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message_label)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.preview, 1)

        self.show_button.clicked.connect(self.load)
        self.print_button.clicked.connect(self.start_print)
        self.save_button.clicked.connect(self.start_save)
        self._render()

    def _build_bar(self) -> QHBoxLayout:
        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("businessDateEdit")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.set_business_date(hall_today())
        self.scope_combo = QComboBox()
        self.scope_combo.setObjectName("scopeCombo")
        self.scope_combo.addItem(self.tr("My shifts"), False)
        self.scope_combo.addItem(self.tr("Whole hall"), True)
        may_see_hall = self._ctx.session.can(Perm.APPROVE)
        self.scope_combo.setVisible(may_see_hall)
        self.scope_combo.setCurrentIndex(1 if may_see_hall else 0)
        self.show_button = QPushButton(self.tr("Show"))
        self.show_button.setObjectName("loadSettlementButton")
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setObjectName("printSettlementButton")
        self.save_button = QPushButton(self.tr("Save PDF…"))
        self.save_button.setObjectName("saveSettlementButton")
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Business date")))
        bar.addWidget(self.date_edit)
        bar.addWidget(self.scope_combo)
        bar.addWidget(self.show_button)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.save_button)
        return bar

    # --- fetching and rendering -------------------------------------------------------------------

    def activate(self) -> None:
        """The screen became visible: today, unless a settlement is on screen; nothing fetched until **Show**."""
        if self.loaded is None:
            self.set_business_date(hall_today())  # the client may have run past midnight since sign-in
        self.show_button.setFocus()

    def business_date(self) -> dt.date:
        """The business date chosen."""
        chosen = self.date_edit.date()
        return dt.date(chosen.year(), chosen.month(), chosen.day())

    def set_business_date(self, day: dt.date) -> None:
        """Choose ``day``."""
        self.date_edit.setDate(QDate(day.year, day.month, day.day))

    def whole_hall(self) -> bool:
        """Whether the whole hall's settlement is asked for (supervisors only)."""
        return bool(self.scope_combo.currentData()) and self._ctx.session.can(Perm.APPROVE)

    def show_day(self, day: dt.date | None = None) -> None:
        """Choose ``day`` (default: keep the chosen one) and fetch its settlement."""
        if day is not None:
            self.set_business_date(day)
        self.load()

    def load(self) -> None:
        """Fetch the settlement of the chosen day, render the PDF and draw its pages."""
        rpc, day, whole, outbox = self._ctx.rpc, self.business_date(), self.whole_hall(), self._ctx.outbox
        state = self._ctx.session.state
        printed_by = state.user.display_name if state is not None else ""
        hall_name = state.counter.hall_name if state is not None else ""

        def work() -> LoadedSettlement:
            daily = load_settlement(rpc=rpc, outbox=outbox, day=day, whole_hall=whole, hall_name=hall_name,
                                    printed_by=printed_by, now=hall_now())
            if daily.report is None:
                return LoadedSettlement(daily=daily, pdf=None, pages=None)
            pdf = render_settlement_pdf(daily.report, printed_by=printed_by or None)
            pages = None
            if raster_available():
                pages = [QImage.fromData(png) for png in pdf_pages_png(pdf, dpi=PREVIEW_DPI)]
            return LoadedSettlement(daily=daily, pdf=pdf, pages=pages)

        self._say("")
        Op(parent=self, run=work, busy=[self.show_button, self.print_button, self.save_button], key="load") \
            .on_success(self._on_loaded) \
            .on_failure(self._on_load_failed) \
            .start()

    def _on_loaded(self, loaded: LoadedSettlement) -> None:
        self.loaded = loaded
        self._render()
        self.settlement_shown.emit(loaded)

    def _on_load_failed(self, exc: BaseException) -> None:
        self.loaded = None
        self._render()
        if isinstance(exc, SettlementMismatchError):  # the counter's own (provisional) figures
            self._say(self.tr("The settlement does not add up ({code}), so it cannot be printed. Please call the "
                              "supervisor.").format(code=exc.code.value))
            return
        self._ctx.report_error(self, exc)

    def _render(self) -> None:
        loaded = self.loaded
        for label in self.page_labels:
            self.pages_layout.removeWidget(label)
            label.deleteLater()
        self.page_labels = []
        has_pdf = loaded is not None and loaded.pdf is not None
        self.save_button.setEnabled(has_pdf)
        self.print_button.setEnabled(has_pdf and raster_available())
        if loaded is None:
            self.summary_label.setText("")
            return
        self.summary_label.setText(self._summary_text(loaded))
        if loaded.report is None:
            self._say(self.tr("No shift of {date} is closed yet: there is nothing to settle.")
                      .format(date=loaded.daily.business_date.isoformat()))
        elif loaded.pages is None:
            self._say(self.tr("This PC cannot draw PDF pages (poppler-utils is missing), so there is no preview "
                              "and no printing. The PDF can still be saved."))
        for number, image in enumerate(loaded.pages or [], start=1):
            label = QLabel()
            label.setObjectName(f"settlementPage{number}")
            label.setPixmap(QPixmap.fromImage(image))
            label.setFixedSize(image.size())  # a page keeps its shape; the scroll area scrolls
            label.setStyleSheet("border: 1px solid #999; background: white;")
            self.pages_layout.addWidget(label)
            self.page_labels.append(label)

    def _summary_text(self, loaded: LoadedSettlement) -> str:
        daily, report = loaded.daily, loaded.report
        lines = []
        if report is not None:
            lines.append(self.tr(
                "{hall} {date}: {shifts} closed shift(s), collected {collected} yuan; expected cash {expected}, "
                "counted {counted}; deposit slip {slips}.").format(
                    hall=daily.hall_name, date=daily.business_date.isoformat(), shifts=len(report.cashiers),
                    collected=format_fen(report.hall.collected_fen), expected=format_fen(report.hall.expected_cash_fen),
                    counted=format_fen(report.hall.counted_cash_fen), slips=DEPOSIT_SLIP_SEPARATOR.join(
                        report.deposit_slip_nos)))
        if daily.open_shifts:
            lines.append(self.tr("Still open, not in this settlement: {shifts}.")
                         .format(shifts=", ".join(daily.open_shifts)))
        return "\n".join(lines)

    def _say(self, text: str) -> None:
        self.message_label.setText(text)

    # --- printing and saving ----------------------------------------------------------------------

    def new_printer(self) -> QPrinter:
        """A printer set up for the 日结单: A4 portrait, the whole sheet (the PDF carries its own margins)."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        printer.setFullPage(True)
        loaded = self.loaded
        if loaded is not None:
            printer.setDocName(self._file_stem(loaded.daily))
        return printer

    def start_print(self) -> None:
        """The system's print dialog; printing starts when it is accepted."""
        if self.loaded is None or self.loaded.pdf is None:
            return
        printer = self.new_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("settlementPrintDialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.print_to(printer))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()  # like open(): returns at once (QPrintDialog's own open() wants a receiver slot)

    def print_to(self, printer: QPrinter) -> None:
        """Print the shown settlement on ``printer`` in the background; :attr:`printed` says when it is done."""
        loaded = self.loaded
        if loaded is None or loaded.pdf is None:
            return
        pdf = loaded.pdf
        Op(parent=self, run=lambda: print_pages(printer, pdf), busy=[self.print_button], key="print") \
            .on_success(self._on_printed) \
            .on_failure(self._on_print_failed) \
            .start()

    def _on_printed(self, pages: int) -> None:
        self._say(self.tr("The settlement went to the printer ({pages} pages).").format(pages=pages))
        self.printed.emit(pages)

    def _on_print_failed(self, exc: BaseException) -> None:
        if isinstance(exc, (OSError, RasterUnavailableError)):
            self._say(self.tr("The settlement could not be printed. Check the printer and try again, or save the "
                              "PDF and print it from another program."))
            return
        self._ctx.report_error(self, exc)

    @staticmethod
    def _file_stem(daily: DailySettlement) -> str:
        return f"日结单-{daily.hall_code}-{daily.business_date.isoformat()}"

    def start_save(self) -> None:
        """A save-file dialog; the PDF is written when a file is chosen."""
        loaded = self.loaded
        if loaded is None or loaded.pdf is None:
            return
        ask_pdf_path(self, title=self.tr("Save the settlement as PDF"), file_stem=self._file_stem(loaded.daily),
                     object_name="settlementSaveDialog", on_chosen=self.save_pdf)

    def save_pdf(self, path: Path) -> None:
        """Write the shown settlement's PDF to ``path`` in the background; :attr:`saved` says when."""
        loaded = self.loaded
        if loaded is None or loaded.pdf is None:
            return
        pdf = loaded.pdf

        def work() -> str:
            path.write_bytes(pdf)
            return str(path)

        Op(parent=self, run=work, busy=[self.save_button], key="save") \
            .on_success(self._on_saved) \
            .on_failure(lambda exc: self._on_save_failed(path, exc)) \
            .start()

    def _on_saved(self, path: str) -> None:
        self._say(self.tr("Saved to {path}.").format(path=path))
        self.saved.emit(path)

    def _on_save_failed(self, path: Path, exc: BaseException) -> None:
        if isinstance(exc, OSError):
            self._say(self.tr("The PDF could not be saved to {path}. Choose another folder.").format(path=str(path)))
            return
        self._ctx.report_error(self, exc)
