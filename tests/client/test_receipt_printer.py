"""Tests of the receipt printer device against a real TCP printer endpoint on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest

from client.devices.receipt_printer import NothingToRetryError, ReceiptPrinterConfig, ReceiptPrinterDevice
from printing.escpos import DRAWER_KICK, Paper, decode_text
from printing.printer import PrinterError, PrinterErrorCode, PrinterStatus
from printing.receipt import ReceiptError
from tests.printing import card_sale_receipt, payment_receipt
from tests.printing.printer_endpoint import PrinterEndpoint

TIMEOUT = 5.0

MakeDevice = Callable[..., ReceiptPrinterDevice]


def printer_threads_alive() -> list[str]:
    """Names of the live receipt printer device threads."""
    return [t.name for t in threading.enumerate() if t.name.startswith("device-receipt_printer")]


@pytest.fixture
def endpoint() -> Iterator[PrinterEndpoint]:
    """A printer with paper, listening on 127.0.0.1."""
    with PrinterEndpoint() as ep:
        yield ep


@pytest.fixture
def make_device(endpoint: PrinterEndpoint) -> Iterator[MakeDevice]:
    """Create devices on the endpoint; each is closed after the test and its thread checked gone."""
    made: list[ReceiptPrinterDevice] = []

    def make(*, paper: Paper = 80, open_drawer_on_cash: bool = True) -> ReceiptPrinterDevice:
        config = ReceiptPrinterConfig(
            host="127.0.0.1", port=endpoint.port, paper=paper, open_drawer_on_cash=open_drawer_on_cash, timeout=2.0
        )
        device = ReceiptPrinterDevice(config)
        made.append(device)
        return device

    yield make
    for device in made:
        assert device.close(timeout=TIMEOUT)
    assert printer_threads_alive() == []


class TestPrint:
    """Printing a receipt over TCP, with and without the cash drawer."""

    def test_cash_receipt_kicks_drawer_then_prints(self, endpoint: PrinterEndpoint, make_device: MakeDevice) -> None:
        """A cash receipt is sent as one job: the drawer kick, then the receipt with its number."""
        doc = payment_receipt()
        make_device().print(doc).result(timeout=TIMEOUT)
        [job] = endpoint.wait_for_jobs(1, timeout=TIMEOUT)
        assert job.startswith(DRAWER_KICK)
        assert doc.receipt_no in decode_text(job)

    def test_non_cash_receipt_does_not_kick_the_drawer(
        self, endpoint: PrinterEndpoint, make_device: MakeDevice
    ) -> None:
        """A receipt paid without cash prints without opening the drawer."""
        doc = card_sale_receipt()
        make_device(paper=58).print(doc).result(timeout=TIMEOUT)
        [job] = endpoint.wait_for_jobs(1, timeout=TIMEOUT)
        assert DRAWER_KICK not in job
        assert doc.receipt_no in decode_text(job)

    def test_drawer_option_off(self, endpoint: PrinterEndpoint, make_device: MakeDevice) -> None:
        """With open_drawer_on_cash off, even a cash receipt leaves the drawer shut."""
        make_device(open_drawer_on_cash=False).print(payment_receipt()).result(timeout=TIMEOUT)
        [job] = endpoint.wait_for_jobs(1, timeout=TIMEOUT)
        assert DRAWER_KICK not in job

    def test_invalid_document_fails_at_once(self, endpoint: PrinterEndpoint, make_device: MakeDevice) -> None:
        """A receipt that does not add up raises on the caller's thread and never reaches the printer."""
        device = make_device()
        with pytest.raises(ReceiptError):
            device.print(payment_receipt(change_fen=1))
        assert printer_threads_alive() == []  # the device thread was never even started
        assert endpoint.connections == 0
        assert endpoint.status_queries == 0
        assert device.pending_retry() is None

    def test_status(self, endpoint: PrinterEndpoint, make_device: MakeDevice) -> None:
        """status() reports the paper sensor through a Future."""
        device = make_device()
        assert device.status().result(timeout=TIMEOUT) is PrinterStatus.OK
        endpoint.set_paper_out(True)
        assert device.status().result(timeout=TIMEOUT) is PrinterStatus.PAPER_OUT

    def test_config_paper_is_checked(self) -> None:
        """Only 58 and 80 mm paper exist."""
        with pytest.raises(ValueError, match="58 or 80"):
            ReceiptPrinterConfig(host="127.0.0.1", paper=76)  # type: ignore[arg-type]


class TestFailuresAndRetry:
    """Printer faults come back as the Future's PrinterError and leave the job for Retry."""

    def test_paper_out(self, endpoint: PrinterEndpoint, make_device: MakeDevice) -> None:
        """Out of paper: PRINTER_PAPER_OUT, nothing printed, the document kept for Retry."""
        endpoint.set_paper_out(True)
        device = make_device()
        doc = payment_receipt()
        with pytest.raises(PrinterError) as info:
            device.print(doc).result(timeout=TIMEOUT)
        assert info.value.code is PrinterErrorCode.PRINTER_PAPER_OUT
        endpoint.wait_for_connections(1, timeout=TIMEOUT)
        assert endpoint.jobs == []
        assert device.pending_retry() == doc

    def test_offline_then_retry(self, endpoint: PrinterEndpoint, make_device: MakeDevice) -> None:
        """Switched off: PRINTER_OFFLINE; switched on again, retry() prints the job and clears it."""
        device = make_device()
        doc = payment_receipt()
        endpoint.switch_off()
        with pytest.raises(PrinterError) as info:
            device.print(doc).result(timeout=TIMEOUT)
        assert info.value.code is PrinterErrorCode.PRINTER_OFFLINE
        assert device.pending_retry() == doc
        endpoint.switch_on()
        device.retry().result(timeout=TIMEOUT)
        [job] = endpoint.wait_for_jobs(1, timeout=TIMEOUT)
        assert job.startswith(DRAWER_KICK)  # nothing was sent the first time: the drawer has not opened yet
        assert doc.receipt_no in decode_text(job)
        assert device.pending_retry() is None

    def test_retry_with_nothing_pending(self, make_device: MakeDevice) -> None:
        """retry() without a failed job raises at once."""
        with pytest.raises(NothingToRetryError):
            make_device().retry()

    def test_hung_printer_times_out(self, endpoint: PrinterEndpoint, make_device: MakeDevice) -> None:
        """A printer that never answers fails the job with PRINTER_TIMEOUT instead of hanging forever."""
        endpoint.set_silent(True)
        device = make_device()
        with pytest.raises(PrinterError) as info:
            device.print(card_sale_receipt()).result(timeout=TIMEOUT)
        assert info.value.code is PrinterErrorCode.PRINTER_TIMEOUT
        assert device.pending_retry() == card_sale_receipt()


class TestReprint:
    """Reprints carry 补打 N and never open the drawer."""

    def test_reprint_is_marked(self, endpoint: PrinterEndpoint, make_device: MakeDevice) -> None:
        """reprint(doc, 2) prints the same receipt marked 补打 2, without a drawer kick."""
        doc = payment_receipt()
        make_device().reprint(doc, 2).result(timeout=TIMEOUT)
        [job] = endpoint.wait_for_jobs(1, timeout=TIMEOUT)
        text = decode_text(job)
        assert "补打 2" in text
        assert doc.receipt_no in text
        assert DRAWER_KICK not in job

    @pytest.mark.parametrize("count", [0, -1])
    def test_reprint_count_below_one_is_refused(
        self, endpoint: PrinterEndpoint, make_device: MakeDevice, count: int
    ) -> None:
        """A reprint count below 1 raises at once and sends nothing."""
        with pytest.raises(ValueError, match="reprint count"):
            make_device().reprint(payment_receipt(), count)
        assert endpoint.connections == 0
