"""Card-sale benchmark: 200 购电 sales end to end through the real pcscd and vpcd with the emulated card (issue 14).

It starts what it needs: an embedded PostgreSQL in ``--data-dir`` (default a fresh temporary folder), migrated,
with a small demo and one prepaid-card customer added (a 12-digit meter); the TEST card keys
(``gridcounter-server card-keys init --test-keys``); the live server; ``pcscd -f -a`` unless one is running with the
``Virtual PCD 00 00`` reader; the emulated card in that reader. Then the counter's own code does the work, as the
desk does: ``client.core.card_flow.CardFlow`` over the client's ``CardReader`` device thread (pyscard) and the
``RpcClient`` (HTTPS). The card is opened once (not timed); then each of ``--sales`` sales is timed:

* ``read``: the card read and ``card.read_card`` (the view the cashier sees);
* ``prepare``: the card read again and ``card.prepare_sale`` (the money and the pending write);
* ``write``: (EXTERNAL AUTHENTICATE for the first sale onto the opening card), GET CHALLENGE,
  ``card.get_write_commands`` and the MAC'd UPDATE BINARYs;
* ``verify``: the card re-read;
* ``confirm``: ``card.confirm_write``.

Between two sales the card is inserted into the meter simulator (not timed), as the customer would, so the next sale
is allowed. A sale that does not end ``Done`` counts as an error.

The GUI thread: each sale runs on a worker thread (as the card-sale screen runs it in an Op on the pool) while a
5 ms timer ticks on a Qt GUI thread (offscreen); the longest gap between two ticks during a sale is that sale's
stall (the GIL the flow's parsing, TLS and pyscard share with the GUI thread; the 5 ms period is its floor).

Last line: ``RESULT card_sales=… p50_ms=… p95_ms=… errors=… gui_stall_ms=…`` (per sale, read to confirm; the worst
GUI stall of any sale); the steps' p50/p95 above it.

Usage: python bench/cards.py [--sales 200] [--amount-fen 1000] [--workers 1] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Final, TypeVar

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
T = TypeVar("T")
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _common import start_server  # noqa: E402 - path set-up

READER: Final = "Virtual PCD 00 00"
CUSTOMER_NO: Final = "3301990001"
METER_NO: Final = "000000990001"
COUNTER: Final = "H0101"
CASHIER: Final = "cashier0101"
STEPS: Final = ("read", "prepare", "write", "verify", "confirm")


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _reader_listed() -> bool:
    from smartcard.pcsc.PCSCExceptions import EstablishContextException, ListReadersException
    from smartcard.System import readers

    try:
        return READER in [str(r) for r in readers()]
    except (EstablishContextException, ListReadersException):
        return False


def _start_pcscd(log_file: Path) -> subprocess.Popen[bytes] | None:
    """Use the running pcscd, else start ``pcscd -f -a`` and wait until it lists the vpcd reader."""
    if _reader_listed():
        return None
    binary = shutil.which("pcscd") or "/usr/sbin/pcscd"
    proc = subprocess.Popen([binary, "-f", "-a"], stdout=log_file.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 15
    while not _reader_listed():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"pcscd did not list {READER} (see {log_file})")
        time.sleep(0.05)
    return proc


def _add_customer(url: str, pii_key: str) -> None:
    """One prepaid-card customer of hall H01 with a meter whose number fits the card."""
    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    from server.models.customers import Customer, CustomerCategory, CustomerStatus, Meter, PaymentMode
    from server.models.org import OrgUnit
    from server.security import PiiCipher, mask_id_number

    pii = PiiCipher(base64.b64decode(pii_key))
    engine = create_engine(url)
    with Session(engine) as s:
        template = s.execute(select(Customer).where(Customer.category == CustomerCategory.RESIDENTIAL)
                             .limit(1)).scalar_one()
        hall = s.execute(select(OrgUnit.id).where(OrgUnit.code == "H01")).scalar_one()
        customer = Customer(customer_no=CUSTOMER_NO, name="购电基准户", address="杭州市文三路1号", phone="13900000009",
                            id_number_enc=pii.encrypt("330106199001010019"),
                            id_number_masked=mask_id_number("330106199001010019"),
                            category=CustomerCategory.RESIDENTIAL, status=CustomerStatus.ACTIVE,
                            payment_mode=PaymentMode.PREPAID_CARD, tariff_id=template.tariff_id, hall_id=hall,
                            book_code=template.book_code, book_seq=99_999)
        s.add(customer)
        s.flush()
        s.add(Meter(asset_no="3301000000" + METER_NO, customer_id=customer.id, multiplier=1, digits=6,
                    installed_on=dt.date(2020, 1, 1)))
        s.commit()
    engine.dispose()


def _server_cli(data_dir: Path, url: str, pii_key: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "server", "--data-dir", str(data_dir), *args], cwd=ROOT,
                          env={**os.environ, "GRIDCOUNTER_DATABASE_URL": url, "GRIDCOUNTER_PII_KEY": pii_key},
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"gridcounter-server {' '.join(args)} failed: {done.stdout}{done.stderr}")
    return done.stdout


def _off_the_gui_thread(work: Callable[[], T]) -> tuple[T, float]:
    """Run ``work`` on a worker thread while the GUI thread ticks every 5 ms; its result and the longest gap (ms)."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    _app = QApplication.instance() or QApplication([])
    done: list[T] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            done.append(work())
        except BaseException as exc:  # re-raised on the GUI thread below
            failed.append(exc)

    worker = threading.Thread(target=run, name="bench-sale")
    clock, ticker, loop = QElapsedTimer(), QTimer(), QEventLoop()
    worst, last = [0.0], [0.0]

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        worst[0] = max(worst[0], now - last[0])
        last[0] = now
        if not worker.is_alive():
            loop.quit()

    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.timeout.connect(tick)
    clock.start()
    ticker.start(5)
    worker.start()
    loop.exec()
    ticker.stop()
    worker.join()
    if failed:
        raise failed[0]
    return done[0], worst[0]


def _run(*, server_url: str, ca: Path, device_key: str, sales: int, amount_fen: int,
         outbox_file: Path) -> tuple[list[float], dict[str, list[float]], int, list[float]]:
    """Open the card, then ``sales`` timed sales; (per-sale ms, per-step ms, errors, per-sale GUI stall ms)."""
    from client.core.actions import ActionSlot
    from client.core.card_flow import CardFlow, CardTicket, Done, Read, ReaderAccess, Step, mint_ticket
    from client.core.config import CardReaderConfig
    from client.core.outbox.queue import Outbox
    from client.core.rpc_client import RpcClient
    from client.devices.card_reader import CardReader
    from client.devices.cardsim.card import CardState, VirtualCard
    from client.devices.cardsim.keys import Esam, default_test_version
    from client.devices.cardsim.meter import MeterSimulator, MeterState
    from client.devices.cardsim.vpcd import DEFAULT_PORT, VpcdLink
    from server.demo_data import DEMO_PASSWORD
    from shared_models.cards.files import BEIJING
    from shared_models.methods.auth import LOGIN, LoginRequest
    from shared_models.methods.payments import Tender, TenderMethod
    from shared_models.methods.shifts import GET_CURRENT, OPEN, OpenShiftRequest
    from shared_models.pinning import ca_fingerprint
    from shared_models.rpc import Empty

    pin = ca_fingerprint(ca.read_bytes())
    rpc = RpcClient(ca_file=ca, ca_pin=lambda: pin, client_version="bench", server_url=server_url)
    login = rpc.call(LOGIN, LoginRequest(username=CASHIER, password=DEMO_PASSWORD, counter_code=COUNTER,
                                         device_key=device_key))
    rpc.set_session(token=login.token, counter_code=COUNTER)
    rpc.send(OPEN, OpenShiftRequest(float_fen=0), action=ActionSlot().confirm("open"))
    outbox = Outbox(outbox_file).open()
    esam = Esam.test()
    # in memory: the bench measures the counter, not the emulator saving its JSON file
    card = VirtualCard(CardState.blank(serial=bytes.fromhex("BE4C000000000001"), version=default_test_version(),
                                       esam=esam))
    link = VpcdLink(card, port=DEFAULT_PORT)
    link.insert()
    meter = MeterSimulator(MeterState(meter_no=METER_NO, hoarding_limit_fen=99_999_999), esam)
    reader = CardReader(CardReaderConfig(name=READER))
    marks: list[tuple[Step, float]] = []
    flow = CardFlow(rpc, ReaderAccess(reader), on_step=lambda step: marks.append((step, time.perf_counter())))

    def ticket() -> CardTicket:
        floor = rpc.call(GET_CURRENT, Empty()).next_receipt_seq
        return mint_ticket(ActionSlot().confirm(object()), outbox=outbox, counter_code=COUNTER, server_next_seq=floor)

    def cash() -> list[Tender]:
        return [Tender(method=TenderMethod.CASH, amount_fen=amount_fen, cash_handed_fen=amount_fen)]

    per_sale: list[float] = []
    per_step: dict[str, list[float]] = {step: [] for step in STEPS}
    stalls: list[float] = []
    errors = 0
    try:
        deadline = time.monotonic() + 10
        while not isinstance(first := flow.read(CUSTOMER_NO), Read):
            if time.monotonic() > deadline:
                raise SystemExit(f"the card does not read: {first}")
            time.sleep(0.1)  # pcscd polls the reader: the card shows some hundred ms after the insertion
        opened = flow.open_card(ticket(), customer_no=CUSTOMER_NO, tenders=cash(), quoted_arrears_fen=0)
        if not isinstance(opened, Done):
            raise SystemExit(f"the card could not be opened: {opened}")
        meter.insert(card, now=dt.datetime.now(BEIJING))
        for _ in range(sales):
            the_ticket = ticket()  # the cashier's confirm (a local receipt number): not a step of the sale
            marks.clear()

            def sale(ticket: CardTicket = the_ticket) -> tuple[object, float, object, float, float]:
                started = time.perf_counter()
                read = flow.read(CUSTOMER_NO)
                read_done = time.perf_counter()
                if not isinstance(read, Read) or read.view.sale is None:
                    return read, read_done, None, started, read_done
                outcome = flow.sell(ticket, customer_no=CUSTOMER_NO,
                                    purchase_count=read.view.sale.next_purchase_count, tenders=cash(),
                                    quoted_arrears_fen=read.view.sale.arrears_fen, serial=read.view.serial)
                return read, read_done, outcome, started, time.perf_counter()

            (read, read_done, outcome, started, ended), stall = _off_the_gui_thread(sale)
            stalls.append(stall)
            if outcome is None:
                errors += 1
                print(f"sale refused at read: {read}", file=sys.stderr)
                meter.insert(card, now=dt.datetime.now(BEIJING))
                continue
            if not isinstance(outcome, Done):
                errors += 1
                print(f"sale failed: {outcome}", file=sys.stderr)
            else:
                per_sale.append((ended - started) * 1000)
                at = dict(marks[::-1])  # the first mark of each step (the list reversed, so the first wins)
                per_step["read"].append((read_done - started) * 1000)
                per_step["prepare"].append((at[Step.PAID] - read_done) * 1000)
                per_step["write"].append((at[Step.WRITTEN] - at[Step.PAID]) * 1000)
                per_step["verify"].append((at[Step.VERIFIED] - at[Step.WRITTEN]) * 1000)
                per_step["confirm"].append((ended - at[Step.VERIFIED]) * 1000)
            meter.insert(card, now=dt.datetime.now(BEIJING))  # the customer takes the card home: credited
    finally:
        reader.close(timeout=10.0)
        link.remove()
        rpc.close()
    return per_sale, per_step, errors, stalls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sales", type=int, default=200)
    parser.add_argument("--amount-fen", type=int, default=1_000, help="each sale's cash (at least the minimum)")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()

    from server.db.embedded import EmbeddedPostgres
    from server.demo_data import load_demo_data
    from server.migrate import upgrade
    from server.security import PiiCipher

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="gridcounter-bench-cards-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    data_dir.chmod(0o755)  # the PostgreSQL service user traverses it to its cluster folder
    pg = EmbeddedPostgres(data_dir=data_dir / "pg")
    server = None
    pcscd = None
    try:
        url = pg.start()
        upgrade(url)
        pii_key = base64.b64encode(os.urandom(32)).decode()
        load_demo_data(url=url, customers=20, pii=PiiCipher(base64.b64decode(pii_key)), months=1)
        _add_customer(url, pii_key)
        server_dir = data_dir / "server"
        _server_cli(server_dir, url, pii_key, "card-keys", "init", "--test-keys")
        key_file = data_dir / "bench-H0101.key"
        _server_cli(server_dir, url, pii_key, "counter", "enroll", "--counter", COUNTER, "--key-file", str(key_file))
        pcscd = _start_pcscd(data_dir / "pcscd.log")
        server = start_server(url=url, data_dir=server_dir, pii_key=pii_key, workers=args.workers)
        per_sale, per_step, errors, stalls = _run(
            server_url=f"https://127.0.0.1:{server.port}", ca=server.ca, device_key=key_file.read_text().strip(),
            sales=args.sales, amount_fen=args.amount_fen,
            outbox_file=data_dir / "counter.sqlite3")
        for step in STEPS:
            values = per_step[step]
            print(f"step {step:<8} p50 {_quantile(values, 0.5):7.1f} ms  p95 {_quantile(values, 0.95):7.1f} ms  "
                  f"mean {statistics.fmean(values) if values else 0:7.1f} ms")
        print(f"gui stall per sale p50 {_quantile(stalls, 0.5):.1f} ms  p95 {_quantile(stalls, 0.95):.1f} ms  "
              f"max {max(stalls, default=0.0):.1f} ms")
        load = os.getloadavg()
        print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        print(f"RESULT card_sales={len(per_sale)} p50_ms={_quantile(per_sale, 0.5):.0f} "
              f"p95_ms={_quantile(per_sale, 0.95):.0f} errors={errors} gui_stall_ms={max(stalls, default=0.0):.0f}")
        return 0
    finally:
        if server is not None:
            server.stop()
        if pcscd is not None:
            pcscd.terminate()
            pcscd.wait(timeout=10)
        pg.stop()
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
