"""Qt test fixtures: offscreen platform, compiled translations, an isolated client data folder, the wire
peer, a fully composed client, and a guard that fails a test leaving background work running."""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt loads: tests never need a display

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from keyrings.alt.file import PlaintextKeyring
from PySide6.QtCore import QCoreApplication, QThreadPool, QTranslator
from PySide6.QtWidgets import QApplication

from client.core.config import ENV_DATA_DIR, KEY_CARD_READER_ENABLED, ClientPaths
from client.core.secrets import SecretStore
from client.ui.app import ClientApp, build_app, open_settings
from client.ui.i18n import install_translators
from client.ui.i18n_check import run_lrelease, ts_files
from client.ui.login_window import KEY_COUNTER, KEY_SERVER
from client.ui.ops import running_ops
from server.tls import TlsFiles
from tests.client.wire_peer import WirePeer, foreign_tls, make_rpc, peer, tls_files  # noqa: F401 - fixtures
from tests.ui.ui_helpers import COUNTER, DEVICE_KEY

#: Screenshots and other test artifacts (git-ignored).
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail a test that returns while an Op or a QThreadPool task still runs (napari's leak guard)."""
    try:
        return (yield)
    finally:
        pool = QThreadPool.globalInstance()
        pending = running_ops()
        # A worker that has delivered its result may still be returning; give it a moment, no more.
        finished = pool.waitForDone(2_000)
        if pending or not finished:
            pool.waitForDone(10_000)
            QCoreApplication.processEvents()
            pytest.fail(f"{item.name} left background work running: {pending} undelivered Ops, "
                        f"{pool.activeThreadCount()} pool threads")


@pytest.fixture(scope="session")
def qm_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The .ts files compiled with lrelease, outside the source tree."""
    folder = tmp_path_factory.mktemp("qm")
    for ts in ts_files():
        run_lrelease(ts, folder / ts.with_suffix(".qm").name)
    return folder


@pytest.fixture
def client_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ClientPaths:
    """A private client data folder (settings, CA, keyring): never the real user's.

    The card reader is switched off: a client's reader watches the first PC/SC reader and reads every card
    inserted there, which would talk to the card of a card test running in the other xdist worker (its GET
    CHALLENGE answered, then the challenge taken by the watcher's read). Card tests switch it on
    (``card_reader/enabled``) with the reader they own."""
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "client-data"))
    paths = ClientPaths.from_env().ensure()
    settings = open_settings(paths)
    settings.setValue(KEY_CARD_READER_ENABLED, "false")
    settings.sync()
    return paths


@pytest.fixture
def secrets_store(client_paths: ClientPaths, tls_files: TlsFiles) -> SecretStore:  # noqa: F811 - fixture
    """Secrets in a plain file keyring: the test CA pinned and this counter's device key enrolled."""
    backend = PlaintextKeyring()
    backend.file_path = str(client_paths.data_dir / "test-keyring.cfg")
    store = SecretStore(backend)
    store.pin_ca(source=tls_files.ca_cert, dest=client_paths.ca_file)
    store.store_device_key(counter_code=COUNTER, key=DEVICE_KEY)
    return store


AppFactory = Callable[..., ClientApp]


@pytest.fixture
def make_app(
    qapp: QApplication, client_paths: ClientPaths, secrets_store: SecretStore, peer: WirePeer,  # noqa: F811
    qm_dir: Path,
) -> Iterator[AppFactory]:
    """Compose the client as ``gridcounter`` does, configured for the wire peer; shut down after the test."""
    apps: list[ClientApp] = []

    def build(*, locale: str | None = None, whoami_interval_ms: int = 60_000, configured: bool = True,
              payment_wait_s: float = 6.0) -> ClientApp:
        if configured:
            settings = open_settings(client_paths)
            settings.setValue(KEY_SERVER, peer.url)
            settings.setValue(KEY_COUNTER, COUNTER)
            settings.sync()
        app = build_app(qapp, paths=client_paths, secrets=secrets_store, locale=locale, qm_dir=qm_dir,
                        whoami_interval_ms=whoami_interval_ms, payment_wait_s=payment_wait_s)
        apps.append(app)
        return app

    yield build
    for app in apps:
        app.shutdown(wait_ms=10_000)  # deletes its windows now, at a safe point
        app.language.remove()
    apps.clear()
    gc.collect()  # no wrapper of this test may be collected later, in the middle of another test's events


@pytest.fixture
def use_locale(qapp: QApplication, qm_dir: Path) -> Iterator[Callable[[str], None]]:
    """Install the translators of a locale for this test only."""
    installed: list[QTranslator] = []

    def apply(locale: str) -> None:
        installed[:] = install_translators(qapp, locale, qm_dir=qm_dir, previous=installed)

    yield apply
    for translator in installed:
        qapp.removeTranslator(translator)
