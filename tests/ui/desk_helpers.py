"""The cashier desk against a live server: a demo-data server of its own (counters H0101 and H0102
enrolled), a real TCP receipt printer, the composed client signed in, and RPC/SQL helpers that check what
the server booked."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from keyrings.alt.file import PlaintextKeyring
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from client.core.config import ClientPaths
from client.core.rpc_client import Cosign, RpcClient
from client.core.secrets import SecretStore
from client.ui.app import KEY_PRINTER, ClientApp, build_app, open_settings
from client.ui.login_window import KEY_COUNTER, KEY_SERVER
from client.ui.main_window import MainWindow
from client.ui.ops import running_ops
from client.ui.screens.cashier_screen import CashierScreen
from server.db.databases import create_database, drop_database
from server.db.embedded import EmbeddedPostgres
from server.demo_data import DEMO_PASSWORD
from shared_models.methods.auth import LOGIN, LoginRequest
from shared_models.methods.shifts import (
    CLOSE,
    DENOMINATIONS_FEN,
    GET_CURRENT,
    OPEN,
    SUMMARY,
    CashCountLine,
    CloseShiftRequest,
    OpenShiftRequest,
    ShiftInfo,
    ShiftRequest,
)
from shared_models.pinning import ca_fingerprint
from shared_models.rpc import Empty
from tests.action_helpers import confirmed
from tests.chaos.proxy import ChaosProxy
from tests.conftest import PII_KEY_B64
from tests.e2e.conftest import _free_port, running_server
from tests.printing.printer_endpoint import PrinterEndpoint

COUNTERS = ("H0101", "H0102")
TIMEOUT_MS = 20_000


@dataclass(frozen=True)
class DeskServer:
    """``serve --migrate --demo-data`` on a database of its own, with two counters enrolled."""

    url: str
    ca: Path
    db_url: str
    device_keys: dict[str, str]


@pytest.fixture(scope="module")
def desk_server(pg: EmbeddedPostgres, test_root: Path) -> Iterator[DeskServer]:
    """A demo server per test module: payments change its books, so no module shares it."""
    name = f"gc_desk_{uuid.uuid4().hex[:10]}"
    db_url = create_database(admin_url=pg.admin_url, name=name)
    data_dir = test_root / name
    port = _free_port()
    env = {**os.environ, "GRIDCOUNTER_DATABASE_URL": db_url, "GRIDCOUNTER_PII_KEY": PII_KEY_B64}
    base = [sys.executable, "-m", "server", "--data-dir", str(data_dir)]
    try:
        with running_server(["--data-dir", str(data_dir), "serve", "--port", str(port), "--workers", "2",
                             "--migrate", "--demo-data", "300"], env):
            keys = {}
            for counter in COUNTERS:
                key_file = data_dir / f"{counter}.key"
                done = subprocess.run([*base, "counter", "enroll", "--counter", counter, "--key-file", str(key_file)],
                                      env=env, capture_output=True, text=True, timeout=60, check=False)
                assert done.returncode == 0, done.stdout + done.stderr
                keys[counter] = key_file.read_text().strip()
            yield DeskServer(url=f"https://127.0.0.1:{port}", ca=data_dir / "tls" / "ca.pem", db_url=db_url,
                             device_keys=keys)
    finally:
        drop_database(admin_url=pg.admin_url, name=name)


# --- the server's books, read directly ----------------------------------------------------------------

def sql(server: DeskServer, query: str, **params: object) -> list[tuple[object, ...]]:
    """Rows of ``query`` on the server's database."""
    engine = create_engine(server.db_url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            return [tuple(r) for r in conn.execute(text(query), params)]
    finally:
        engine.dispose()


def payments_of(server: DeskServer, customer_no: str) -> list[tuple[str, int, bool]]:
    """``(receipt_no, amount_fen, voided)`` of every payment of the customer booked at a counter."""
    rows = sql(server, "SELECT p.receipt_no, p.amount_fen, v.id IS NOT NULL FROM payments p"
                       " JOIN customers c ON c.id = p.customer_id LEFT JOIN payment_voids v ON v.payment_id = p.id"
                       " WHERE c.customer_no = :n ORDER BY p.id", n=customer_no)
    return [(str(r[0]), int(str(r[1])), bool(r[2])) for r in rows]


def customers_in_arrears(server: DeskServer) -> list[str]:
    """Active customers with an overdue open bill (so a late fee runs), those with the most open bills first."""
    rows = sql(server, """
        SELECT c.customer_no FROM customers c
        JOIN (SELECT e.bill_id FROM ledger_entries e WHERE e.bill_id IS NOT NULL
              GROUP BY e.bill_id HAVING sum(e.amount_fen) < 0) o ON true
        JOIN bills b ON b.id = o.bill_id AND b.customer_id = c.id
        WHERE c.status = 'active'
        GROUP BY c.customer_no HAVING min(b.due_on) < current_date - 5
        ORDER BY count(*) DESC, c.customer_no""")
    return [str(r[0]) for r in rows]


def close_customer(server: DeskServer) -> str:
    """Mark one paid-up customer of H01 closed (销户) and return the 户号: test data, set before the test."""
    [(customer_no,)] = sql(server, """
        UPDATE customers SET status = 'closed' WHERE id = (
            SELECT c.id FROM customers c JOIN org_units h ON h.id = c.hall_id AND h.code = 'H01'
            WHERE c.status = 'active' AND NOT EXISTS (
                SELECT 1 FROM ledger_entries e WHERE e.customer_id = c.id AND e.bill_id IS NOT NULL
                GROUP BY e.bill_id HAVING sum(e.amount_fen) < 0)
            ORDER BY c.customer_no DESC LIMIT 1)
        RETURNING customer_no""")
    return str(customer_no)


# --- a second counter, as a plain RPC client ----------------------------------------------------------

def rpc_session(server: DeskServer, *, username: str, counter: str) -> RpcClient:
    """An RPC client signed in as ``username`` at ``counter`` (another PC of the hall)."""
    pin = ca_fingerprint(server.ca.read_bytes())
    rpc = RpcClient(ca_file=server.ca, ca_pin=lambda: pin, client_version="test", server_url=server.url)
    rpc.handshake()
    result = rpc.call(LOGIN, LoginRequest(username=username, password=DEMO_PASSWORD, counter_code=counter,
                                          device_key=server.device_keys[counter]))
    rpc.set_session(token=result.token, counter_code=counter)
    return rpc


def ensure_shift(rpc: RpcClient, float_fen: int = 50_000) -> ShiftInfo:
    """The caller's open shift at its counter, opened if there is none."""
    current = rpc.call(GET_CURRENT, Empty())
    if current.shift is not None:
        return current.shift
    return rpc.send(OPEN, OpenShiftRequest(float_fen=float_fen), action=confirmed())


def close_shift(rpc: RpcClient, shift_no: str) -> None:
    """Close the shift counting the expected cash (a supervisor co-signs any fen the notes cannot make)."""
    expected = rpc.call(SUMMARY, ShiftRequest(shift_no=shift_no)).expected_cash_fen
    counts, rest = [], expected
    for denomination in DENOMINATIONS_FEN:
        pieces, rest = divmod(rest, denomination)
        counts.append(CashCountLine(denomination_fen=denomination, pieces=pieces))
    rpc.send(CLOSE, CloseShiftRequest(shift_no=shift_no, cash_counts=counts, deposit_slip_no="JK-TEST-1"),
             action=confirmed(), cosign=Cosign(username="supervisor01", password=DEMO_PASSWORD))


# --- the client -----------------------------------------------------------------------------------------

@dataclass
class Desk:
    """A signed-in client at counter H0101 with its printer."""

    app: ClientApp
    window: MainWindow
    screen: CashierScreen
    printer: PrinterEndpoint


DeskFactory = Callable[..., Desk]


@pytest.fixture
def printer() -> Iterator[PrinterEndpoint]:
    """The counter's receipt printer: a real TCP ESC/POS endpoint on 127.0.0.1."""
    with PrinterEndpoint() as endpoint:
        yield endpoint


@pytest.fixture
def open_desk(  # noqa: PLR0917 - pytest hands fixtures in
    qapp: QApplication, qtbot: QtBot, client_paths: ClientPaths, qm_dir: Path, desk_server: DeskServer,
    printer: PrinterEndpoint,
) -> Iterator[DeskFactory]:
    """Compose the client for counter H0101 (CA pinned, device key, printer), sign in, open the desk."""
    backend = PlaintextKeyring()
    backend.file_path = str(client_paths.data_dir / "desk-keyring.cfg")
    store = SecretStore(backend)
    store.pin_ca(source=desk_server.ca, dest=client_paths.ca_file)
    store.store_device_key(counter_code="H0101", key=desk_server.device_keys["H0101"])
    settings = open_settings(client_paths)
    settings.setValue(KEY_SERVER, desk_server.url)
    settings.setValue(KEY_COUNTER, "H0101")
    settings.setValue(KEY_PRINTER, f"127.0.0.1:{printer.port}")
    settings.sync()
    apps: list[ClientApp] = []

    def build(locale: str = "zh_CN", username: str = "cashier0101", payment_wait_s: float = 6.0,
              server_url: str | None = None) -> Desk:
        if server_url is not None:  # through a proxy the test controls (the link can be cut)
            configured = open_settings(client_paths)
            configured.setValue(KEY_SERVER, server_url)
            configured.sync()
        app = build_app(qapp, paths=client_paths, secrets=store, locale=locale, qm_dir=qm_dir,
                        payment_wait_s=payment_wait_s)
        apps.append(app)
        login = app.login_window
        with qtbot.waitSignal(login.connection_checked, timeout=TIMEOUT_MS):
            app.start()
        login.username_edit.setText(username)
        login.password_edit.setText(DEMO_PASSWORD)
        with qtbot.waitSignal(login.signed_in, timeout=TIMEOUT_MS):
            login.login_button.click()
        window = app.main_window
        assert window is not None
        screen = window.screen_widget("desk")
        assert isinstance(screen, CashierScreen)
        assert window.show_screen("desk")
        # the first screens ask the server as they open (the shift, its summary): let every answer land
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)
        return Desk(app=app, window=window, screen=screen, printer=printer)

    yield build
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)
    for app in apps:
        app.shutdown(wait_ms=10_000)
        app.language.remove()
    gc.collect()


@pytest.fixture
def link(desk_server: DeskServer) -> Iterator[ChaosProxy]:
    """The hall's WAN link: a proxy in front of the desk server that the test cuts and heals."""
    tls = desk_server.ca.parent
    port = int(desk_server.url.rsplit(":", 1)[1])
    with ChaosProxy(upstream_port=port, cert_file=tls / "server.pem", key_file=tls / "server.key",
                    ca_file=desk_server.ca) as proxy:
        yield proxy


def counter_apps(  # noqa: PLR0917 - the fixtures the caller was handed
    qapp: QApplication, qtbot: QtBot, client_paths: ClientPaths, qm_dir: Path, desk_server: DeskServer,
    link: ChaosProxy, *, counter: str, printer_port: int | None = None, **build: Any,
) -> Iterator[Callable[[], ClientApp]]:
    """Counter ``counter`` set up by its operator (CA pinned, device key, printer when given), talking to the
    server through ``link``: yields a factory of started client apps (at the login window), shut down after.
    ``build`` goes to ``build_app`` (``payment_wait_s``, ``reconnect_interval_ms``)."""
    backend = PlaintextKeyring()
    backend.file_path = str(client_paths.data_dir / "counter-keyring.cfg")
    store = SecretStore(backend)
    store.pin_ca(source=desk_server.ca, dest=client_paths.ca_file)
    store.store_device_key(counter_code=counter, key=desk_server.device_keys[counter])
    settings = open_settings(client_paths)
    settings.setValue(KEY_SERVER, link.url)
    settings.setValue(KEY_COUNTER, counter)
    if printer_port is not None:
        settings.setValue(KEY_PRINTER, f"127.0.0.1:{printer_port}")
    settings.sync()
    apps: list[ClientApp] = []

    def make() -> ClientApp:
        app = build_app(qapp, paths=client_paths, secrets=store, locale="zh_CN", qm_dir=qm_dir, **build)
        apps.append(app)
        with qtbot.waitSignal(app.login_window.connection_checked, timeout=TIMEOUT_MS):
            app.start()
        return app

    yield make
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)
    for app in apps:
        app.shutdown(wait_ms=10_000)
        app.language.remove()
    gc.collect()
