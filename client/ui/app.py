"""The composition root: builds transport, secrets, session, translators and windows, and wires them.

Nothing is built at import time and nothing is global: ``build_app`` makes one :class:`ClientApp`,
whose parts are handed to the windows through their constructors.
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import sys
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from client.core.actions import ActionSlot
from client.core.cashier import DESK_WAIT_S
from client.core.config import (
    KEY_CARD_READER_ENABLED,
    KEY_CARD_READER_NAME,
    CardReaderConfig,
    ClientPaths,
    client_version,
)
from client.core.customer_cache.cache import CustomerCache
from client.core.customer_cache.refresher import CacheRefresher
from client.core.outbox.damage import DamageGate, DamageReport, damage_report, set_aside
from client.core.outbox.queue import Outbox
from client.core.outbox.store import OutboxDamagedError, OutboxError
from client.core.rpc_client import RpcClient, RpcError, normalize_server_url
from client.core.secrets import SecretStore, choose_backend
from client.core.session import OfflineSignIn, Session, sign_out
from client.core.sync import SyncWorker
from client.devices.card_reader import CardReader
from client.devices.receipt_printer import ReceiptPrinterConfig, ReceiptPrinterDevice
from client.ui import gui_thread
from client.ui.context import UiContext
from client.ui.errors import ErrorHandler
from client.ui.i18n import Language, i18n_dir
from client.ui.login_window import KEY_COUNTER, KEY_SERVER, LoginWindow
from client.ui.main_window import WHOAMI_INTERVAL_MS, MainWindow
from client.ui.offline_session import (
    RECONNECT_INTERVAL_MS,
    OnlineReconnector,
    Verifiers,
    offline_valid_for,
    verifier_stores,
)
from client.ui.ops import Op
from shared_models.errors import ErrorCode
from shared_models.methods.auth import LoginResult

log = logging.getLogger(__name__)

#: Settings of the receipt printer (``--printer host:port``, ``--printer-paper 58|80``).
KEY_PRINTER = "printer/address"
KEY_PRINTER_PAPER = "printer/paper"
#: How long closing the client waits for a receipt still printing.
PRINTER_CLOSE_S = 10.0
#: How long closing the client waits for a card job still running.
CARD_READER_CLOSE_S = 5.0


class ClientApp(QObject):
    """One running client: the login window, and a main window per signed-in session."""

    #: The server has been told (or could not be told) that the session ended.
    signed_out = Signal()

    def __init__(
        self, *, settings: QSettings, language: Language, secrets: SecretStore, rpc: RpcClient, session: Session,
        whoami_interval_ms: int = WHOAMI_INTERVAL_MS, printer: ReceiptPrinterDevice | None = None,
        outbox: Outbox | None = None, outbox_damage: DamageReport | None = None,
        payment_wait_s: float = DESK_WAIT_S, cache: CustomerCache | None = None,
        verifiers: Verifiers | None = None, reconnect_interval_ms: int = RECONNECT_INTERVAL_MS,
        card_reader: CardReader | None = None,
    ) -> None:
        super().__init__()
        self.card_reader = card_reader
        #: The offline verifier store of a counter (None: no offline sign-in on this client).
        self.verifiers = verifiers
        self.printer = printer
        self.outbox = outbox
        self.outbox_damage = DamageGate(outbox_damage)
        self.payment_wait_s = payment_wait_s
        self.cache = cache
        self.refresher = CacheRefresher(cache=cache, rpc=rpc) if cache is not None else None
        self.sync: SyncWorker | None = None
        if outbox is not None:
            self.sync = SyncWorker(outbox=outbox, rpc=rpc, user=self._sync_user)
            rpc.link_listener = self.sync.note_link
        self.settings = settings
        self.language = language
        self.secrets = secrets
        self.rpc = rpc
        self._sign_out = ActionSlot()
        self.session = session
        self._whoami_interval_ms = whoami_interval_ms
        self.errors = ErrorHandler(on_session_lost=self._on_session_lost)
        self.login_window = LoginWindow(rpc=rpc, secrets=secrets, settings=settings, language=language,
                                        verifiers=verifiers)
        self.main_window: MainWindow | None = None
        self._retired: list[QWidget] = []
        self.login_window.signed_in.connect(self._on_signed_in)
        self.reconnector = OnlineReconnector(owner=self.login_window, rpc=rpc, secrets=secrets, verifiers=verifiers,
                                             interval_ms=reconnect_interval_ms)
        self.reconnector.went_online.connect(self._on_went_online)
        self.reconnector.refused.connect(self._on_online_refused)

    def start(self) -> LoginWindow:
        """Show the login window."""
        self.login_window.show()
        return self.login_window

    def _sync_user(self) -> str | None:
        """Whose outbox items the sync worker may send now: the user of the online session (read on its
        thread); nobody's while the session is offline-verified (no token: it sends after the online
        sign-in of that same user)."""
        state = self.session.state
        return state.user.username if state is not None and not state.offline_verified else None

    def _on_signed_in(self, result: LoginResult | OfflineSignIn) -> None:
        if isinstance(result, OfflineSignIn):
            self.session.start_offline(result.identity)
            self.reconnector.begin(result)
        else:
            self.session.start(result)
        state = self.session.state
        assert state is not None
        if self.sync is not None:
            self.sync.start().wake()  # items queued before (another session, a restart) go out now
        if self.refresher is not None:
            self.refresher.start().wake()  # the hall's customers, for when the link drops
        ctx = UiContext(rpc=self.rpc, session=self.session, report_error=self.errors, printer=self.printer,
                        card_reader=self.card_reader, outbox=self.outbox, sync=self.sync,
                        outbox_damage=self.outbox_damage, payment_wait_s=self.payment_wait_s, cache=self.cache,
                        verifiers=self.verifiers(state.counter.code) if self.verifiers is not None else None)
        window = MainWindow(ctx=ctx, whoami_interval_ms=self._whoami_interval_ms)
        window.sign_out_requested.connect(self._on_sign_out_requested)
        self.main_window = window
        window.show()
        self.login_window.hide()  # after the main window shows, so the app never has no window

    def _on_went_online(self, result: LoginResult) -> None:
        """The offline-verified session is online now: the queued items of this user go out."""
        self.session.go_online(result)
        if self.sync is not None:
            self.sync.wake()
        if self.refresher is not None:
            self.refresher.wake()

    def _on_online_refused(self, exc: RpcError) -> None:
        """The server refused the offline-verified user (disabled, locked, password changed …): signed out."""
        self._back_to_login()
        self.session.end(exc.code)
        self.login_window.show_error(exc)

    def _on_sign_out_requested(self) -> None:
        rpc = self.rpc
        self.reconnector.stop()
        # One sign-out per session: the token is forgotten whatever the answer, so there is no retry.
        action = self._sign_out.confirm(rpc.session_token)
        self._back_to_login()
        Op(parent=self.login_window, run=lambda: sign_out(rpc=rpc, action=action), key="sign_out") \
            .on_success(lambda _: self.signed_out.emit()) \
            .on_failure(self._on_sign_out_failed) \
            .start()
        self.session.end()

    def _on_sign_out_failed(self, exc: BaseException) -> None:
        log.warning("sign-out: the server was not told: %r", exc)  # its idle timeout ends the session
        self.signed_out.emit()

    def _on_session_lost(self, exc: RpcError) -> None:
        if self.session.offline_verified:
            # No token yet: the server answered, so the link is back; sign in online now instead.
            log.info("offline-verified session: %s from the server, signing in online", exc.code.value)
            self.reconnector.try_now()
            return
        log.info("session lost: %s", exc.code.value)
        username = self.session.username
        if exc.code is ErrorCode.SESSION_INVALID and username is not None and self.verifiers is not None:
            self._forget_verifier(username)  # ended by the server: disabled or password reset
        self._back_to_login()
        self.session.end(exc.code)
        self.login_window.show_error(exc)

    def _forget_verifier(self, username: str) -> None:
        state, verifiers = self.session.state, self.verifiers
        if state is None or verifiers is None:
            return
        store = verifiers(state.counter.code)
        Op(parent=self.login_window, run=lambda: store.forget(username), key="forget_verifier") \
            .on_failure(lambda exc: log.error("offline verifier of %s not wiped: %r", username, exc)) \
            .start()

    def _back_to_login(self) -> None:
        self.reconnector.stop()
        self.login_window.reset_for_sign_in()
        self.login_window.clear_error()
        self.login_window.show()  # before the main window closes, so the app does not quit
        window, self.main_window = self.main_window, None
        if window is not None:
            window.shutdown()
            window.close()
            self._retire(window)

    def _retire(self, window: QWidget) -> None:
        """Delete ``window`` at the event loop's next safe point.

        Often called from a signal of the window itself (its Sign out button). Dropping the last Python
        reference would delete it at once, under the running emission, or later wherever the garbage
        collector happens to run; deleteLater() plus a reference kept until Qt has deleted it avoids both.
        """
        self._retired = [w for w in self._retired if shiboken6.isValid(w)]
        window.deleteLater()
        self._retired.append(window)

    def shutdown(self, *, wait_ms: int = 10_000) -> None:
        """Close the windows, wait for running work, delete the windows, close the connection pool."""
        window, self.main_window = self.main_window, None
        if window is not None:
            window.shutdown()
            window.close()
            self._retire(window)
        self.reconnector.stop()
        self.login_window.close()
        self._retire(self.login_window)
        QThreadPool.globalInstance().waitForDone(wait_ms)
        # Deliver what finished and delete the retired windows now, outside any event handler.
        QCoreApplication.sendPostedEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        self._retired = [w for w in self._retired if shiboken6.isValid(w)]
        if self.sync is not None:
            self.sync.stop()
        if self.refresher is not None:
            self.refresher.stop()
        if self.cache is not None:
            self.cache.close()
        self.rpc.close()
        if self.printer is not None and not self.printer.close(timeout=PRINTER_CLOSE_S):
            log.warning("the receipt printer was still busy when the client closed")
        if self.card_reader is not None and not self.card_reader.close(timeout=CARD_READER_CLOSE_S):
            log.warning("the card reader was still busy when the client closed")


def open_settings(paths: ClientPaths) -> QSettings:
    """The client's QSettings: an INI file in the data folder, so tests and backups find it in one place."""
    return QSettings(str(paths.settings_file), QSettings.Format.IniFormat)


def parse_printer_address(text: str) -> tuple[str, int]:
    """``"192.168.1.50:9100"`` -> ``("192.168.1.50", 9100)``; the port defaults to 9100. ValueError if malformed."""
    host, sep, port_text = text.strip().rpartition(":")
    if not sep:
        host, port_text = port_text, "9100"
    if not host or not port_text.isdigit() or not 0 < int(port_text) < 65536 or any(c.isspace() for c in host):
        raise ValueError(f"not a printer address (host:port): {text!r}")
    return host, int(port_text)


def printer_from_settings(settings: QSettings) -> ReceiptPrinterDevice | None:
    """The receipt printer configured on this PC, or None (no thread starts until the first receipt)."""
    address = str(settings.value(KEY_PRINTER, "") or "")
    if not address:
        return None
    try:
        host, port = parse_printer_address(address)
        paper = int(str(settings.value(KEY_PRINTER_PAPER, "80") or "80"))
        config = ReceiptPrinterConfig(host=host, port=port, paper=58 if paper == 58 else 80)
    except ValueError:
        log.error("printer setting %r is not host:port: no receipt printer", address)
        return None
    return ReceiptPrinterDevice(config)


def card_reader_from_settings(settings: QSettings) -> CardReader | None:
    """The card reader of this PC (on by default, the first reader), or None when switched off; nothing starts yet."""
    config = CardReaderConfig.from_settings(enabled=settings.value(KEY_CARD_READER_ENABLED, "true"),
                                            name=settings.value(KEY_CARD_READER_NAME, ""))
    return CardReader(config) if config.enabled else None


def build_app(
    qapp: QApplication, *, paths: ClientPaths, secrets: SecretStore | None = None, locale: str | None = None,
    qm_dir: Path | None = None, whoami_interval_ms: int = WHOAMI_INTERVAL_MS, payment_wait_s: float = DESK_WAIT_S,
    reconnect_interval_ms: int = RECONNECT_INTERVAL_MS,
) -> ClientApp:
    """Build every part of the client; ``secrets`` defaults to the keyring chosen for this machine."""
    paths.ensure()
    gui_thread.install()  # before any worker may hand something back to the GUI thread
    settings = open_settings(paths)
    language = Language(app=qapp, settings=settings, qm_dir=qm_dir or i18n_dir())
    language.apply(locale or language.saved(), remember=False)
    # The keyring is opened lazily, in a worker: the file keyring costs an argon2 derivation.
    store = secrets or SecretStore(lambda: choose_backend(paths))
    rpc = RpcClient(ca_file=paths.ca_file, ca_pin=store.ca_pin, client_version=client_version())
    outbox, damage = open_outbox(paths)
    return ClientApp(settings=settings, language=language, secrets=store, rpc=rpc, session=Session(),
                     whoami_interval_ms=whoami_interval_ms, printer=printer_from_settings(settings),
                     outbox=outbox, outbox_damage=damage, payment_wait_s=payment_wait_s,
                     cache=CustomerCache.in_folder(paths.data_dir),
                     verifiers=verifier_stores(paths, store, valid_for=offline_valid_for(settings)),
                     reconnect_interval_ms=reconnect_interval_ms, card_reader=card_reader_from_settings(settings))


def open_outbox(paths: ClientPaths) -> tuple[Outbox | None, DamageReport | None]:
    """Open and check the outbox before any window shows (start-up, a few ms).

    A damaged file is set aside untouched and a fresh outbox opened; the damage report stays until a
    supervisor acknowledges it, and until then the desk takes no money. A folder that cannot hold an
    outbox at all (read-only, full) gives None: the desk then takes no money either.
    """
    outbox = Outbox.in_folder(paths.data_dir)
    try:
        outbox.open()
    except OutboxDamagedError as exc:
        set_aside(outbox.path, reason=exc.reason)
        outbox = Outbox.in_folder(paths.data_dir)
        try:
            outbox.open()
        except OutboxError:
            log.exception("cannot create a new outbox in %s", paths.data_dir)
            return None, damage_report(paths.data_dir)
    except OutboxError:
        log.exception("cannot open the outbox in %s", paths.data_dir)
        return None, None
    return outbox, damage_report(paths.data_dir)


class _AfterFirstPaint(QObject):
    """Calls back once the watched widget has painted (for --screenshot)."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback = callback
        self._done = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._done:
            self._done = True
            QTimer.singleShot(50, self._callback)
        return False


def _configure_logging(paths: ClientPaths) -> None:
    handler = logging.handlers.RotatingFileHandler(paths.log_file, maxBytes=2_000_000, backupCount=5,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    logging.getLogger("httpx").setLevel(logging.WARNING)  # our rpc log line says the same, once


def _save_connection(paths: ClientPaths, args: argparse.Namespace) -> str | None:
    """Apply --server/--counter to the settings; an error message for the operator, or None."""
    settings = open_settings(paths)
    if args.server:
        try:
            settings.setValue(KEY_SERVER, normalize_server_url(args.server))
        except ValueError:
            return f"--server must be an https URL such as https://gridcounter.example:8443, not {args.server!r}"
    if args.counter:
        settings.setValue(KEY_COUNTER, args.counter)
    printer = getattr(args, "printer", None)
    if printer is not None:
        if printer.strip().lower() in {"", "none"}:
            settings.remove(KEY_PRINTER)
        else:
            try:
                host, port = parse_printer_address(printer)
            except ValueError:
                return f"--printer must be host:port, e.g. 192.168.1.50:9100, not {printer!r}"
            settings.setValue(KEY_PRINTER, f"{host}:{port}")
    paper = getattr(args, "printer_paper", None)
    if paper is not None:
        settings.setValue(KEY_PRINTER_PAPER, str(paper))
    settings.sync()
    return None


def _enroll(app: ClientApp, args: argparse.Namespace, paths: ClientPaths) -> str | None:
    """Apply --ca/--device-key-file (keyring writes, before the event loop); an error message, or None."""
    try:
        if args.ca:
            fingerprint = app.secrets.pin_ca(source=Path(args.ca), dest=paths.ca_file)
            sys.stderr.write(f"CA pinned: sha256 {fingerprint}\n")
        if args.device_key_file:
            counter = args.counter or str(app.settings.value(KEY_COUNTER, "") or "")
            if not counter:
                return "--device-key-file needs --counter (or a counter saved in the settings)"
            app.secrets.store_device_key_file(counter_code=counter, key_file=Path(args.device_key_file))
            sys.stderr.write(f"device key of counter {counter} stored in the keyring\n")
    except (OSError, ValueError) as exc:
        return f"enrollment failed: {exc}"
    return None


def run(args: argparse.Namespace) -> int:
    """The ``gridcounter`` program: parse done by ``client.__main__``; returns the exit code."""
    paths = ClientPaths.from_env().ensure()
    _configure_logging(paths)
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qapp, QApplication)
    qapp.setApplicationName("GridCounter")
    qapp.setOrganizationName("GridCounter")
    problem = _save_connection(paths, args)
    app = build_app(qapp, paths=paths, locale=args.locale)
    problem = problem or _enroll(app, args, paths)
    if problem is not None:
        sys.stderr.write(problem + "\n")
        return 2
    window = app.start()
    if args.screenshot:
        target = Path(args.screenshot)

        taken: list[bool] = []

        def take() -> None:
            if taken:
                return
            taken.append(True)
            target.parent.mkdir(parents=True, exist_ok=True)
            window.grab().save(str(target))
            log.info("login window screenshot written to %s", target)
            if args.exit_after_screenshot:
                qapp.quit()

        # Show the window as a person would see it: painted, and with the link check answered
        # (online, or why not); give up waiting for the check after 15 s.
        checked: list[bool] = []

        def on_checked(_ok: bool) -> None:
            checked.append(True)
            QTimer.singleShot(100, take)

        window.connection_checked.connect(on_checked)
        _AfterFirstPaint(window, lambda: take() if checked else None)
        QTimer.singleShot(15_000, take)
    code = qapp.exec()
    app.shutdown()
    return code
