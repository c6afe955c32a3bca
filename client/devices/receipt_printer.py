"""The receipt printer as a device: every printer call on its own ``receipt_printer`` thread (STYLE rule 7).

The UI calls :meth:`ReceiptPrinterDevice.print` (or ``reprint``, ``status``, ``retry``) from the GUI
thread and gets a Future at once; it wraps the Future in its Op runner. A receipt that does not add up
raises :class:`~printing.receipt.ReceiptError` right away, on the caller's thread, before any I/O; a
printer fault is the Future's exception, a :class:`~printing.printer.PrinterError` carrying its code.

The last job that failed on the printer is kept in memory so the UI can offer Retry; any successful
print clears it. Logs name a receipt by its number only: never the customer, address or amounts.
No Qt here.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from concurrent.futures import Future
from types import TracebackType
from typing import Final, Self

from client.devices.device_thread import DeviceThread, on_device_thread
from printing.escpos import Paper
from printing.printer import NetworkPrinter, PrinterError, PrinterStatus, print_receipt
from printing.receipt import ReceiptDocument

log = logging.getLogger(__name__)

DEVICE: Final = "receipt_printer"


class NothingToRetryError(RuntimeError):
    """:meth:`ReceiptPrinterDevice.retry` was called with no failed job pending."""


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class ReceiptPrinterConfig:
    """Where the network printer is, its paper width, and whether a cash payment opens the drawer."""

    host: str
    port: int = 9100
    paper: Paper = 80
    open_drawer_on_cash: bool = True
    timeout: float = 5.0  # bounds each connect, send and status answer: how long a hung printer stalls

    def __post_init__(self) -> None:
        if self.paper not in (58, 80):
            raise ValueError(f"paper width must be 58 or 80 mm, not {self.paper!r}")


@dataclasses.dataclass(frozen=True, slots=True)
class _Job:
    doc: ReceiptDocument
    open_drawer: bool


class ReceiptPrinterDevice:
    """A network receipt printer owning its device thread; methods return Futures and never block."""

    def __init__(self, config: ReceiptPrinterConfig) -> None:
        """Nothing connects yet: the thread starts with the first job, the printer is reached per job."""
        self.config = config
        self._printer = NetworkPrinter(config.host, config.port, config.timeout)
        self._thread = DeviceThread(DEVICE)
        # Written on the device thread, read on the GUI thread.
        self._lock = threading.Lock()
        self._failed: _Job | None = None

    def __repr__(self) -> str:
        return f"ReceiptPrinterDevice({self._printer!r})"

    # --- called from any thread (the GUI's): return at once ------------------------------------------

    def print(self, doc: ReceiptDocument) -> Future[None]:
        """Print ``doc``, kicking the drawer first when it was paid (partly) in cash and the option is on.

        Raises ReceiptError at once when ``doc`` does not add up; printer faults come by the Future.
        """
        doc.validate()
        return self._submit(_Job(doc, open_drawer=self.config.open_drawer_on_cash and doc.has_cash))

    def reprint(self, doc: ReceiptDocument, count: int) -> Future[None]:
        """Print ``doc`` again marked 补打 ``count`` (count ≥ 1). A reprint never opens the drawer:
        no cash changes hands."""
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValueError(f"a reprint count starts at 1, not {count!r}")
        copy = dataclasses.replace(doc, reprint_count=count)
        copy.validate()
        return self._submit(_Job(copy, open_drawer=False))

    def status(self) -> Future[PrinterStatus]:
        """Ask the printer's paper sensor: OK, PAPER_OUT or OFFLINE (PrinterError PRINTER_TIMEOUT if hung)."""
        return self._thread.submit(self._status_now)

    def pending_retry(self) -> ReceiptDocument | None:
        """The document of the last job that failed on the printer, until a print succeeds."""
        with self._lock:
            return self._failed.doc if self._failed is not None else None

    def retry(self) -> Future[None]:
        """Print the last failed job again; NothingToRetryError when there is none.

        The drawer opens on the retry only if the failed attempt surely sent nothing: after a
        ``partial`` failure the kick (sent first) may already have opened it.
        """
        with self._lock:
            job = self._failed
        if job is None:
            raise NothingToRetryError("no failed receipt to retry")
        return self._submit(job)

    def close(self, timeout: float | None = None) -> bool:
        """Take no more jobs, let queued ones finish and join the thread; False if still busy after ``timeout``."""
        return self._thread.shutdown(wait=True, timeout=timeout)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- the device thread ----------------------------------------------------------------------------

    def _submit(self, job: _Job) -> Future[None]:
        log.info("receipt %s queued (reprint %d)", job.doc.receipt_no, job.doc.reprint_count)
        return self._thread.submit(self._print_now, job)

    @on_device_thread(DEVICE)
    def _print_now(self, job: _Job) -> None:
        try:
            print_receipt(self._printer, job.doc, paper=self.config.paper, open_drawer=job.open_drawer)
        except PrinterError as exc:
            # Keep the job for Retry; the drawer must not open twice if the kick may have gone out.
            failed = _Job(job.doc, open_drawer=job.open_drawer and not exc.partial)
            with self._lock:
                self._failed = failed
            log.warning("receipt %s not printed: %s (partial=%s)", job.doc.receipt_no, exc.code, exc.partial)
            raise
        with self._lock:
            self._failed = None
        log.info("receipt %s printed", job.doc.receipt_no)

    @on_device_thread(DEVICE)
    def _status_now(self) -> PrinterStatus:
        return self._printer.status()
