"""A cashier from the demo data signs in through the real client to the real server on PostgreSQL."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyrings.alt.file import PlaintextKeyring
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from client.core.config import ClientPaths
from client.core.secrets import SecretStore
from client.ui.app import ClientApp, build_app, open_settings
from client.ui.login_window import KEY_COUNTER, KEY_SERVER
from client.ui.ops import running_ops
from server.demo_data import DEMO_PASSWORD
from tests.e2e.conftest import DemoServer, demo_server  # noqa: F401 - the fixture, shared with tests/e2e
from tests.ui.conftest import ARTIFACTS


@pytest.fixture
def live_app(qapp: QApplication, client_paths: ClientPaths, qm_dir: Path,
             demo_server: DemoServer) -> Iterator[ClientApp]:  # noqa: F811 - fixture
    """The composed client, set up as an operator sets up counter H0101 (CA pinned, device key stored)."""
    backend = PlaintextKeyring()
    backend.file_path = str(client_paths.data_dir / "live-keyring.cfg")
    store = SecretStore(backend)
    store.pin_ca(source=demo_server.ca, dest=client_paths.ca_file)
    store.store_device_key(counter_code="H0101", key=demo_server.device_key)
    settings = open_settings(client_paths)
    settings.setValue(KEY_SERVER, demo_server.url)
    settings.setValue(KEY_COUNTER, "H0101")
    settings.sync()
    apps: list[ClientApp] = []

    def build(locale: str) -> ClientApp:
        app = build_app(qapp, paths=client_paths, secrets=store, locale=locale, qm_dir=qm_dir)
        apps.append(app)
        return app

    yield build  # type: ignore[misc]
    for app in apps:
        app.shutdown(wait_ms=10_000)
        app.language.remove()
    gc.collect()


@pytest.mark.parametrize(("locale", "wrong", "role_text"), [
    ("zh_CN", "用户名或密码错误。", "收费员"),
    ("en", "The user name or password is wrong.", "Cashier"),
])
def test_demo_cashier_signs_in(qtbot: QtBot, live_app, locale: str, wrong: str, role_text: str) -> None:  # type: ignore[no-untyped-def]
    """A wrong password shows the translated sentence; the right one opens the cashier's main window."""
    app = live_app(locale)
    window = app.login_window
    with qtbot.waitSignal(window.connection_checked, timeout=20_000) as probe:
        app.start()
    assert probe.args == [True]
    window.username_edit.setText("cashier0101")
    window.password_edit.setText("not-the-password-1")
    window.login_button.click()
    qtbot.waitUntil(lambda: window.error_label.text() != "", timeout=20_000)
    assert window.error_label.text() == wrong
    window.password_edit.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(window.signed_in, timeout=20_000):
        window.login_button.click()
    main = app.main_window
    assert main is not None
    qtbot.waitExposed(main)
    assert "cashier0101" in main.user_label.text() or role_text in main.user_label.text()
    # a cashier sees Account and the counter's day (shift, desk, settlement), not Users or Audit
    assert main.screen_names() == [
        "account", "shift", "desk", "cardsale", "settlement", "outbox", "tariffs", "calculator"]
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=20_000)  # the shift screen asks for the open shift
    ARTIFACTS.mkdir(exist_ok=True)
    assert main.grab().save(str(ARTIFACTS / f"main-cashier-{locale}.png"))
