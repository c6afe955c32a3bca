"""The login window: server, counter, user name, password and language.

When the center cannot be reached, a user who signed in online at this counter before signs in against
the verifier cached here (SPEC §5): ``signed_in`` then carries an :class:`OfflineSignIn`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QSettings, Qt, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.core.offline_auth import VerifierStore
from client.core.rpc_client import RpcClient, RpcError, normalize_server_url
from client.core.secrets import SecretStore
from client.core.session import OfflineSignIn, sign_in_or_offline
from client.ui.errors import error_text
from client.ui.i18n import LANGUAGE_NAMES, SUPPORTED_LOCALES, Language
from client.ui.ops import Op
from client.ui.widgets.labels import error_label
from shared_models.errors import ErrorCode
from shared_models.methods.auth import LoginResult
from shared_models.methods.system import HandshakeResult

log = logging.getLogger(__name__)

KEY_SERVER = "connection/server"
KEY_COUNTER = "connection/counter"
KEY_USERNAME = "login/username"


class LoginWindow(QWidget):
    """Sign-in at this counter; emits ``signed_in(LoginResult)``, or ``signed_in(OfflineSignIn)`` offline."""

    signed_in = Signal(object)
    connection_checked = Signal(bool)

    def __init__(
        self, *, rpc: RpcClient, secrets: SecretStore, settings: QSettings, language: Language,
        verifiers: Callable[[str], VerifierStore] | None = None, parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("loginWindow")
        self._rpc = rpc
        self._secrets = secrets
        self._verifiers = verifiers
        self._settings = settings
        self._language = language
        self._message: Callable[[], str] | None = None
        self._link_text: Callable[[], str] | None = None
        self._probed = False

        self._build()

        self.server_edit.setText(str(settings.value(KEY_SERVER, "") or ""))
        self.counter_edit.setText(str(settings.value(KEY_COUNTER, "") or ""))
        self.username_edit.setText(str(settings.value(KEY_USERNAME, "") or ""))
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(language.locale)))

        self.login_button.clicked.connect(self._on_login_clicked)
        self.password_edit.returnPressed.connect(self._on_login_clicked)
        self.username_edit.returnPressed.connect(self.password_edit.setFocus)
        self.language_combo.currentIndexChanged.connect(self._on_language_chosen)
        self._retranslate()

    def _build(self) -> None:
        self.title_label = QLabel()
        self.title_label.setObjectName("titleLabel")
        font = QFont(self.title_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.server_edit = self._line_edit("serverEdit")
        self.server_edit.setPlaceholderText("https://gridcounter.example:8443")
        self.counter_edit = self._line_edit("counterEdit")
        self.username_edit = self._line_edit("usernameEdit")
        self.password_edit = self._line_edit("passwordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("languageCombo")
        for locale in SUPPORTED_LOCALES:
            self.language_combo.addItem(LANGUAGE_NAMES[locale], locale)
        self.login_button = QPushButton()
        self.login_button.setObjectName("loginButton")
        self.login_button.setDefault(True)
        self.error_label = error_label("errorLabel")
        self.link_label = QLabel()
        self.link_label.setObjectName("linkLabel")
        self.link_label.setWordWrap(True)

        self.server_label = QLabel()
        self.counter_label = QLabel()
        self.username_label = QLabel()
        self.password_label = QLabel()
        self.language_label = QLabel()
        form = QFormLayout()
        form.addRow(self.server_label, self.server_edit)
        form.addRow(self.counter_label, self.counter_edit)
        form.addRow(self.username_label, self.username_edit)
        form.addRow(self.password_label, self.password_edit)
        form.addRow(self.language_label, self.language_combo)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.login_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addSpacing(12)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.link_label)
        layout.addLayout(buttons)
        self.setMinimumWidth(460)

    def _line_edit(self, name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        return edit

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("GridCounter — Sign in"))
        self.title_label.setText(self.tr("GridCounter business hall counter"))
        self.server_label.setText(self.tr("Server"))
        self.counter_label.setText(self.tr("Counter"))
        self.username_label.setText(self.tr("User name"))
        self.password_label.setText(self.tr("Password"))
        self.language_label.setText(self.tr("Language"))
        self.login_button.setText(self.tr("Sign in"))
        self.error_label.setText(self._message() if self._message else "")
        self.link_label.setText(self._link_text() if self._link_text else "")

    def changeEvent(self, event: QEvent) -> None:
        """Re-label everything when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        """On first show, check the connection so a wrong server or CA is reported before sign-in."""
        super().showEvent(event)
        if not self._probed:
            self._probed = True
            self._focus_first_empty()
            self.check_connection()

    # -- messages ------------------------------------------------------------------------------

    def show_error(self, exc: BaseException) -> None:
        """Show ``exc``'s sentence under the form."""
        if isinstance(exc, RpcError):
            self._message = lambda: error_text(exc)
        else:
            text = error_text(exc)  # logs the traceback once, under a fresh reference
            self._message = lambda: text
        self.error_label.setText(self._message())

    def clear_error(self) -> None:
        """Remove the message under the form."""
        self._message = None
        self.error_label.clear()

    def reset_for_sign_in(self) -> None:
        """Ready for the next user: password cleared, focus on the first empty field."""
        self.password_edit.clear()
        self._focus_first_empty()

    def _focus_first_empty(self) -> None:
        for edit in (self.server_edit, self.counter_edit, self.username_edit, self.password_edit):
            if not edit.text():
                edit.setFocus()
                return

    # -- connection check ----------------------------------------------------------------------

    def check_connection(self) -> bool:
        """Handshake with the configured server in the background; False when none is configured."""
        try:
            url = normalize_server_url(self.server_edit.text())
        except ValueError:
            return False
        self._link_text = lambda: self.tr("Connecting…")
        self.link_label.setText(self._link_text())

        def probe() -> HandshakeResult:
            self._rpc.set_server(url)
            return self._rpc.handshake()

        Op(parent=self, run=probe, key="probe").on_success(self._on_probe_ok).on_failure(self._on_probe_failed).start()
        return True

    def _on_probe_ok(self, result: HandshakeResult) -> None:
        version = result.server_version
        self._link_text = lambda: self.tr("Server reachable (version {version})").format(version=version)
        self.link_label.setText(self._link_text())
        self.connection_checked.emit(True)

    def _on_probe_failed(self, exc: BaseException) -> None:
        self._link_text = lambda: self.tr("Server not reachable")
        self.link_label.setText(self._link_text())
        self.show_error(exc)
        self.connection_checked.emit(False)

    # -- sign-in -------------------------------------------------------------------------------

    def _on_login_clicked(self) -> None:
        server = self.server_edit.text().strip()
        counter = self.counter_edit.text().strip()
        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        if not (server and counter and username and password):
            self._message = lambda: self.tr("Please fill in server, counter, user name and password.")
            self.error_label.setText(self._message())
            return
        try:
            url = normalize_server_url(server)
        except ValueError:
            self._message = lambda: self.tr("The server address must look like https://host:port.")
            self.error_label.setText(self._message())
            return
        self.clear_error()

        verifiers = self._verifiers(counter) if self._verifiers is not None else None

        def work() -> LoginResult | OfflineSignIn:
            return sign_in_or_offline(rpc=self._rpc, secrets=self._secrets, verifiers=verifiers, server_url=url,
                                      counter_code=counter, username=username, password=password)

        busy = [self.login_button, self.server_edit, self.counter_edit, self.username_edit, self.password_edit,
                self.language_combo]
        Op(parent=self, run=work, busy=busy, key="login") \
            .on_success(lambda result: self._on_signed_in(result, url=url, counter=counter, username=username)) \
            .on_failure(self._on_login_failed) \
            .start()

    def _on_signed_in(self, result: LoginResult | OfflineSignIn, *, url: str, counter: str, username: str) -> None:
        if isinstance(result, OfflineSignIn):
            self._link_text = lambda: self.tr("Server not reachable: signed in offline (verified at this counter)")
            self.link_label.setText(self._link_text())
        self._settings.setValue(KEY_SERVER, url)
        self._settings.setValue(KEY_COUNTER, counter)
        self._settings.setValue(KEY_USERNAME, username)
        self._settings.sync()
        self.password_edit.clear()
        self.signed_in.emit(result)

    def _on_login_failed(self, exc: BaseException) -> None:
        self.show_error(exc)
        if isinstance(exc, RpcError) and exc.code in {
            ErrorCode.INVALID_CREDENTIALS, ErrorCode.ACCOUNT_LOCKED, ErrorCode.OFFLINE_SIGN_IN_LOCKED,
        }:
            self.password_edit.clear()
            self.password_edit.setFocus()

    # -- language ------------------------------------------------------------------------------

    def _on_language_chosen(self, index: int) -> None:
        locale = self.language_combo.itemData(index)
        if isinstance(locale, str):
            self._language.apply(locale, remember=True)
