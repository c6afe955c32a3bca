"""Print or save a released bill's 电费通知单 (``printing.pdf.bill_notice``), as the settlement screen prints.

:meth:`BillNoticeBar.set_bill` takes the ``BillLines`` that ``bill.get_lines`` answered; **Print…** opens the
system's print dialog and prints the PDF's pages as images in the background, **Save PDF…** writes the PDF.
:meth:`BillNoticeBar.print_to` and :meth:`BillNoticeBar.save_pdf` are the non-interactive halves the dialogs end
in (tests call them directly). The PDF is rendered off the GUI thread; nothing on it is computed here.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from client.core.pdf_pages import RasterUnavailableError, raster_available
from client.ui.errors import show_error
from client.ui.ops import Op
from client.ui.screens.settlement_screen import print_pages
from client.ui.widgets.pdf_save import ask_pdf_path
from printing.pdf.bill_notice import render_bill_notice_pdf
from shared_models.methods.billruns import BillLines
from shared_models.rules.hall_time import hall_now


class BillNoticeBar(QWidget):
    """Print… and Save PDF… for one released bill, and a line saying what happened."""

    #: The PDF was written to this path.
    saved = Signal(str)
    #: The pages went to the printer (number of pages).
    printed = Signal(int)

    def __init__(self, *, hall_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("billNoticeBar")
        self._hall_name = hall_name
        self.bill: BillLines | None = None
        self.print_button = QPushButton(self.tr("Print bill notice…"))
        self.print_button.setObjectName("printBillNoticeButton")
        self.save_button = QPushButton(self.tr("Save bill notice PDF…"))
        self.save_button.setObjectName("saveBillNoticeButton")
        self.message_label = QLabel()
        self.message_label.setObjectName("billNoticeMessage")
        self.message_label.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message_label, 1)
        layout.addWidget(self.print_button)
        layout.addWidget(self.save_button)
        self.print_button.clicked.connect(self.start_print)
        self.save_button.clicked.connect(self.start_save)
        self.set_bill(None)

    def set_bill(self, bill: BillLines | None) -> None:
        """The bill printed from now on (None: nothing to print)."""
        self.bill = bill
        self.save_button.setEnabled(bill is not None)
        self.print_button.setEnabled(bill is not None and raster_available())
        self.message_label.setText("")

    def _render(self) -> bytes:
        bill = self.bill
        if bill is None:
            raise ValueError("no bill")
        return render_bill_notice_pdf(bill, hall_name=self._hall_name, printed_at=hall_now())

    def file_stem(self) -> str:
        """The file name of the notice, without suffix."""
        return f"电费通知单-{self.bill.bill_no}" if self.bill is not None else "电费通知单"

    def start_print(self) -> None:
        """The system's print dialog; printing starts when it is accepted."""
        if self.bill is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        printer.setFullPage(True)
        printer.setDocName(self.file_stem())
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("billNoticePrintDialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.print_to(printer))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()

    def print_to(self, printer: QPrinter) -> None:
        """Render and print the notice on ``printer`` in the background; :attr:`printed` says when."""
        if self.bill is None:
            return
        render = self._render
        Op(parent=self, run=lambda: print_pages(printer, render()), busy=[self.print_button], key="print") \
            .on_success(self._on_printed) \
            .on_failure(self._on_print_failed) \
            .start()

    def _on_printed(self, pages: int) -> None:
        self.message_label.setText(self.tr("The bill notice went to the printer (%n page(s)).", "", pages))
        self.printed.emit(pages)

    def _on_print_failed(self, exc: BaseException) -> None:
        if isinstance(exc, (OSError, RasterUnavailableError)):
            self.message_label.setText(self.tr("The bill notice could not be printed. Check the printer, or save "
                                               "the PDF and print it from another program."))
            return
        show_error(self, exc)

    def start_save(self) -> None:
        """A save-file dialog; the PDF is written when a file is chosen."""
        if self.bill is None:
            return
        ask_pdf_path(self, title=self.tr("Save the bill notice as PDF"), file_stem=self.file_stem(),
                     object_name="billNoticeSaveDialog", on_chosen=self.save_pdf)

    def save_pdf(self, path: Path) -> None:
        """Render the notice and write it to ``path`` in the background; :attr:`saved` says when."""
        if self.bill is None:
            return
        render = self._render

        def work() -> str:
            path.write_bytes(render())
            return str(path)

        Op(parent=self, run=work, busy=[self.save_button], key="save") \
            .on_success(self._on_saved) \
            .on_failure(lambda exc: self._on_save_failed(path, exc)) \
            .start()

    def _on_saved(self, path: str) -> None:
        self.message_label.setText(self.tr("Saved to {path}.").format(path=path))
        self.saved.emit(path)

    def _on_save_failed(self, path: Path, exc: BaseException) -> None:
        if isinstance(exc, OSError):
            self.message_label.setText(self.tr("The PDF could not be saved to {path}. Choose another folder.")
                                       .format(path=str(path)))
            return
        show_error(self, exc)
