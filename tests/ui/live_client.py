"""The composed client against the live server: the application as ``gridcounter`` builds it, set up for
counter T0101 of the factory world (CA pinned, device key stored), signed in through the login window.

The login, shell and working-screen tests use it instead of a scripted wire peer: the answers, the
sentences and the session's life are the real server's. ``live_sql`` reads (and, to set a test's stage,
writes) the live server's database directly.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from keyrings.alt.file import PlaintextKeyring
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from client.core.config import ClientPaths
from client.core.secrets import SecretStore
from client.ui.app import ClientApp, build_app, open_settings
from client.ui.login_window import KEY_COUNTER, KEY_SERVER
from client.ui.main_window import MainWindow
from client.ui.ops import running_ops
from tests.e2e.conftest import LiveServer
from tests.factories import DEVICE_KEYS, password_for

#: The counter the client is set up for (hall T01 of the factory world).
LIVE_COUNTER = "T0101"
TIMEOUT_MS = 20_000

LiveAppFactory = Callable[..., ClientApp]


@pytest.fixture
def live_store(client_paths: ClientPaths, live_server: LiveServer) -> SecretStore:
    """The counter's secrets as its operator enrolled them: the live server's CA pinned, T0101's device key."""
    backend = PlaintextKeyring()
    backend.file_path = str(client_paths.data_dir / "live-keyring.cfg")
    store = SecretStore(backend)
    store.pin_ca(source=live_server.ca, dest=client_paths.ca_file)
    store.store_device_key(counter_code=LIVE_COUNTER, key=DEVICE_KEYS[LIVE_COUNTER])
    return store


@pytest.fixture
def make_live_app(qapp: QApplication, client_paths: ClientPaths, live_store: SecretStore, qm_dir: Path,
                  live_server: LiveServer) -> Iterator[LiveAppFactory]:
    """Compose the client as ``gridcounter`` does, configured for the live server; shut down after the test.

    ``server_url`` points the counter elsewhere (a proxy the test can cut); ``configured=False`` leaves the
    settings empty (a first start)."""
    apps: list[ClientApp] = []

    def build(*, locale: str | None = None, whoami_interval_ms: int = 60_000, configured: bool = True,
              server_url: str | None = None) -> ClientApp:
        if configured:
            settings = open_settings(client_paths)
            settings.setValue(KEY_SERVER, server_url or live_server.url)
            settings.setValue(KEY_COUNTER, LIVE_COUNTER)
            settings.sync()
        app = build_app(qapp, paths=client_paths, secrets=live_store, locale=locale, qm_dir=qm_dir,
                        whoami_interval_ms=whoami_interval_ms)
        apps.append(app)
        return app

    yield build
    for app in apps:
        app.shutdown(wait_ms=10_000)  # deletes its windows now, at a safe point
        app.language.remove()
    apps.clear()
    gc.collect()  # no wrapper of this test may be collected later, in the middle of another test's events


def start(qtbot: QtBot, app: ClientApp) -> None:
    """Show the login window and wait for its first connection check."""
    window = app.login_window
    if not window.isVisible():
        with qtbot.waitSignal(window.connection_checked, timeout=TIMEOUT_MS):
            app.start()


def sign_in_live(qtbot: QtBot, app: ClientApp, username: str, password: str | None = None) -> MainWindow:
    """Sign in as the factory user ``username`` by typing into the login window; returns the main window."""
    start(qtbot, app)
    window = app.login_window
    window.username_edit.setText(username)
    window.password_edit.setText(password or password_for(username))
    with qtbot.waitSignal(window.signed_in, timeout=TIMEOUT_MS):
        window.login_button.click()
    assert app.main_window is not None
    # The first screen may ask the server something as it opens (the shift, for a cashier): let it land.
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)
    return app.main_window


def live_sql(live: LiveServer, query: str, **params: object) -> list[tuple[object, ...]]:
    """Rows of ``query`` on the live server's database (a statement returning nothing gives [])."""
    engine = create_engine(live.db_url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(query), params)
            return [tuple(r) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()
