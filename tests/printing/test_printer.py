"""Printing over TCP to a real printer endpoint on 127.0.0.1: bytes, drawer, paper and power."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from printing.escpos import Paper, drawer_kick, render
from printing.printer import NetworkPrinter, PrinterError, PrinterErrorCode, PrinterStatus, print_receipt
from printing.receipt import ReceiptError
from tests.printing import card_sale_receipt, payment_receipt
from tests.printing.printer_endpoint import PrinterEndpoint

WAIT = 5.0  # seconds: a bound for waits that normally end in milliseconds


@pytest.fixture
def endpoint() -> Iterator[PrinterEndpoint]:
    """A printer endpoint switched on for one test."""
    with PrinterEndpoint() as ep:
        yield ep


@pytest.fixture
def printer(endpoint: PrinterEndpoint) -> NetworkPrinter:
    """A network printer client aimed at the endpoint."""
    return NetworkPrinter("127.0.0.1", endpoint.port, timeout=WAIT)


class TestNetworkPrinter:
    """The raw TCP client."""

    def test_send_delivers_every_byte(self, endpoint: PrinterEndpoint, printer: NetworkPrinter) -> None:
        """One send is one job holding exactly the bytes sent, even a large one."""
        data = bytes(range(32, 127)) * 5000
        printer.send(data)
        assert endpoint.wait_for_jobs(1, timeout=WAIT) == [data]

    def test_status_ok(self, endpoint: PrinterEndpoint, printer: NetworkPrinter) -> None:
        """A printer with paper answers DLE EOT 4 with no paper-end bit; the query prints nothing."""
        assert printer.status() is PrinterStatus.OK
        endpoint.wait_for_connections(1, timeout=WAIT)
        assert (endpoint.status_queries, endpoint.jobs) == (1, [])

    def test_status_paper_out(self, endpoint: PrinterEndpoint, printer: NetworkPrinter) -> None:
        """Bits 5 and 6 of the answer mean the roll has run out."""
        endpoint.set_paper_out(True)
        assert printer.status() is PrinterStatus.PAPER_OUT

    def test_status_offline_when_switched_off(self, endpoint: PrinterEndpoint, printer: NetworkPrinter) -> None:
        """A printer that refuses connections is offline, and back once switched on again."""
        endpoint.switch_off()
        assert printer.status() is PrinterStatus.OFFLINE
        endpoint.switch_on()
        assert printer.status() is PrinterStatus.OK

    def test_status_timeout_when_the_printer_hangs(self, endpoint: PrinterEndpoint) -> None:
        """A printer that takes the connection but never answers gives PRINTER_TIMEOUT."""
        endpoint.set_silent(True)
        with pytest.raises(PrinterError) as caught:
            NetworkPrinter("127.0.0.1", endpoint.port, timeout=0.2).status()
        assert caught.value.code is PrinterErrorCode.PRINTER_TIMEOUT

    def test_send_to_switched_off_printer(self, endpoint: PrinterEndpoint, printer: NetworkPrinter) -> None:
        """Sending to a printer that is off raises PRINTER_OFFLINE with nothing sent."""
        endpoint.switch_off()
        with pytest.raises(PrinterError) as caught:
            printer.send(b"hello\n")
        assert (caught.value.code, caught.value.partial) == (PrinterErrorCode.PRINTER_OFFLINE, False)

    def test_printer_that_never_reads_the_job_times_out(self, endpoint: PrinterEndpoint) -> None:
        """A printer that answers status queries but never reads the job: PRINTER_TIMEOUT, partial, no job."""
        endpoint.set_stalled(True)
        printer = NetworkPrinter("127.0.0.1", endpoint.port, timeout=1.0)
        assert printer.status() is PrinterStatus.OK
        with pytest.raises(PrinterError) as info:
            printer.send(b"receipt text\n" * 10)
        assert (info.value.code, info.value.partial) == (PrinterErrorCode.PRINTER_TIMEOUT, True)
        assert endpoint.stalled_jobs == 1
        endpoint.set_stalled(False)
        endpoint.wait_for_connections(2, timeout=WAIT)
        assert endpoint.jobs == []

    def test_printer_that_closes_before_reading_everything(self, endpoint: PrinterEndpoint) -> None:
        """A printer whose connection ends before it answered the read check: offline, partial."""
        endpoint.set_stalled(True)
        printer = NetworkPrinter("127.0.0.1", endpoint.port, timeout=WAIT)
        failed: list[PrinterError] = []

        def send() -> None:
            try:
                printer.send(b"receipt text\n")
            except PrinterError as exc:
                failed.append(exc)

        sender = threading.Thread(target=send)
        sender.start()
        endpoint.wait_for_stalled_jobs(1, timeout=WAIT)
        endpoint.switch_off()  # power cut with the job unread
        sender.join(WAIT * 2)
        assert [(e.code, e.partial) for e in failed] == [(PrinterErrorCode.PRINTER_OFFLINE, True)]
        endpoint.switch_on()

    def test_arguments_are_checked(self) -> None:
        """A port out of range or a non-positive timeout is refused at construction."""
        with pytest.raises(ValueError, match="port"):
            NetworkPrinter("127.0.0.1", 70000)
        with pytest.raises(ValueError, match="timeout"):
            NetworkPrinter("127.0.0.1", 9100, timeout=0)


class TestPrintReceipt:
    """print_receipt: validate, check the paper, then print (and open the drawer)."""

    @pytest.mark.parametrize("paper", [58, 80])
    def test_captures_exactly_the_rendered_bytes(
        self, endpoint: PrinterEndpoint, printer: NetworkPrinter, paper: Paper
    ) -> None:
        """The printer receives the rendered receipt, byte for byte, as one job."""
        doc = card_sale_receipt()
        print_receipt(printer, doc, paper=paper, open_drawer=False)
        assert endpoint.wait_for_jobs(1, timeout=WAIT) == [render(doc, paper=paper)]
        assert endpoint.status_queries == 2  # the paper check before, the read check after the job

    def test_drawer_kick_comes_first(self, endpoint: PrinterEndpoint, printer: NetworkPrinter) -> None:
        """With open_drawer the job is the drawer kick followed by the receipt."""
        doc = payment_receipt()
        print_receipt(printer, doc, paper=58, open_drawer=True)
        [job] = endpoint.wait_for_jobs(1, timeout=WAIT)
        assert job == drawer_kick() + render(doc, paper=58)

    def test_paper_out_prints_nothing(self, endpoint: PrinterEndpoint, printer: NetworkPrinter) -> None:
        """Out of paper: PRINTER_PAPER_OUT before anything is sent, the drawer stays shut."""
        endpoint.set_paper_out(True)
        with pytest.raises(PrinterError) as caught:
            print_receipt(printer, payment_receipt(), paper=58, open_drawer=True)
        assert (caught.value.code, caught.value.partial) == (PrinterErrorCode.PRINTER_PAPER_OUT, False)
        endpoint.wait_for_connections(1, timeout=WAIT)
        assert (endpoint.status_queries, endpoint.jobs) == (1, [])

    def test_paper_refilled_prints_again(self, endpoint: PrinterEndpoint, printer: NetworkPrinter) -> None:
        """After the roll is changed the same receipt prints."""
        endpoint.set_paper_out(True)
        with pytest.raises(PrinterError):
            print_receipt(printer, payment_receipt(), paper=80, open_drawer=False)
        endpoint.set_paper_out(False)
        print_receipt(printer, payment_receipt(), paper=80, open_drawer=False)
        assert endpoint.wait_for_jobs(1, timeout=WAIT) == [render(payment_receipt(), paper=80)]

    def test_printer_off(self, endpoint: PrinterEndpoint, printer: NetworkPrinter) -> None:
        """A printer that is off gives PRINTER_OFFLINE."""
        endpoint.switch_off()
        with pytest.raises(PrinterError) as caught:
            print_receipt(printer, payment_receipt(), paper=58, open_drawer=True)
        assert caught.value.code is PrinterErrorCode.PRINTER_OFFLINE

    def test_receipt_that_does_not_add_up_is_refused_before_any_io(
        self, endpoint: PrinterEndpoint, printer: NetworkPrinter
    ) -> None:
        """ReceiptError, not a printer error, even with the printer off: validation comes first."""
        endpoint.switch_off()
        with pytest.raises(ReceiptError):
            print_receipt(printer, payment_receipt(change_fen=0), paper=58, open_drawer=True)
