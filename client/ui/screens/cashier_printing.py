"""The receipt line of the cashier desk: prints on the printer's own thread, says how it went, offers
Print again after a printer fault. A printer fault never touches the payment: it is booked before its
receipt prints (docs/receipts.md)."""

from __future__ import annotations

import contextlib
import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from client.devices.receipt_printer import NothingToRetryError, ReceiptPrinterDevice
from client.ui.errors import error_text
from client.ui.messages import printer_message
from client.ui.ops import Op
from printing.printer import PrinterError
from printing.receipt import ReceiptDocument, ReceiptError

log = logging.getLogger(__name__)

_ERROR = "color: #b00020; font-weight: bold;"
_OK = "color: #1b5e20;"


class ReceiptPrintBar(QWidget):
    """What the printer is doing, and Print again when it failed."""

    printed = Signal(str)  # receipt_no
    failed = Signal(str)  # printer fault code (or RECEIPT_INVALID, NO_PRINTER)

    def __init__(self, *, printer: ReceiptPrinterDevice | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("receiptPrintBar")
        self._printer = printer
        self.label = QLabel()
        self.label.setObjectName("printMessageLabel")
        self.label.setWordWrap(True)
        self.retry_button = QPushButton(self.tr("Print again"))
        self.retry_button.setObjectName("retryPrint")
        self.retry_button.setVisible(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.retry_button)
        self.retry_button.clicked.connect(self.retry)

    def print_receipt(self, doc: ReceiptDocument, *, reprint_count: int = 0) -> None:
        """Print ``doc`` (marked 补打 ``reprint_count`` when not 0; a reprint never opens the drawer)."""
        printer = self._printer
        self.retry_button.setVisible(False)
        if printer is None:
            self._problem("NO_PRINTER", doc.receipt_no)
            return
        self._busy(doc.receipt_no)

        def work() -> str:
            future = printer.reprint(doc, reprint_count) if reprint_count else printer.print(doc)
            future.result()  # on a pool thread: the printer itself works on its own device thread
            return doc.receipt_no

        Op(parent=self, run=work, key=f"print:{doc.receipt_no}:{reprint_count}") \
            .on_success(self._on_printed) \
            .on_failure(lambda exc: self._on_failed(exc, doc.receipt_no)) \
            .start()

    def retry(self) -> None:
        """Print again the receipt that failed (no 补打 mark: it never came out)."""
        printer = self._printer
        doc = printer.pending_retry() if printer is not None else None
        if printer is None or doc is None:
            self.retry_button.setVisible(False)
            return
        self._busy(doc.receipt_no)

        def work() -> str:
            with contextlib.suppress(NothingToRetryError):  # printed meanwhile by a later job
                printer.retry().result()
            return doc.receipt_no

        Op(parent=self, run=work, busy=[self.retry_button], key="retry_print") \
            .on_success(self._on_printed) \
            .on_failure(lambda exc: self._on_failed(exc, doc.receipt_no)) \
            .start()

    def _busy(self, receipt_no: str) -> None:
        self.label.setText(self.tr("Printing receipt {receipt_no}…").format(receipt_no=receipt_no))
        self.label.setStyleSheet("")

    def _on_printed(self, receipt_no: str) -> None:
        self.retry_button.setVisible(False)
        self.label.setText(self.tr("Receipt {receipt_no} printed.").format(receipt_no=receipt_no))
        self.label.setStyleSheet(_OK)
        self.printed.emit(receipt_no)

    def _on_failed(self, exc: BaseException, receipt_no: str) -> None:
        if isinstance(exc, PrinterError):
            self._problem(exc.code.value, receipt_no, partial=exc.partial)
        elif isinstance(exc, ReceiptError):
            log.error("receipt %s cannot be printed: %s", receipt_no, exc)
            self._problem("RECEIPT_INVALID", receipt_no)
        else:
            self.label.setText(error_text(exc))
            self.label.setStyleSheet(_ERROR)

    def _problem(self, code: str, receipt_no: str, *, partial: bool = False) -> None:
        self.label.setText(printer_message(code, receipt_no=receipt_no, partial=partial))
        self.label.setStyleSheet(_ERROR)
        printer = self._printer
        self.retry_button.setVisible(printer is not None and printer.pending_retry() is not None)
        if self.retry_button.isVisibleTo(self):
            self.retry_button.setFocus()  # Enter prints again once the paper is in
        self.failed.emit(code)
