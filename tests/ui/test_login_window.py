# pytest-qt's QtBot and ModelTester are untyped:
# mypy: disable-error-code="no-untyped-call"
"""The login window in both locales: what it renders, what it remembers, what it sends, what it says.

Against the live server (tests/ui/live_client.py): its handshake, its refusals and its lockout. One test
keeps the scripted wire peer (tests/client/wire_peer.py), because the stand-in is its point: a server of
another contract version, which the real server of this tree never is."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPainter
from pytestqt.qtbot import QtBot

from client.core.config import ClientPaths
from client.ui.errors import error_text
from client.ui.i18n import SETTINGS_KEY
from client.ui.login_window import KEY_COUNTER, KEY_SERVER, KEY_USERNAME
from client.ui.messages import MESSAGES, error_message, fill, generic_message
from client.ui.ops import running_ops
from server.services.auth import SERVER_VERSION
from server.settings import Settings
from shared_models.errors import ErrorCode
from shared_models.rpc import CONTRACT_VERSION
from tests.client.wire_peer import Reply, WirePeer
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.factories import password_for
from tests.ui.conftest import ARTIFACTS, AppFactory
from tests.ui.live_client import (
    LIVE_COUNTER,
    TIMEOUT_MS,
    LiveAppFactory,
    live_sql,
    live_store,  # noqa: F401 - the fixture
    make_live_app,  # noqa: F401 - the fixture
    start,
)

LOCALES = ["zh_CN", "en"]
LABELS = {
    "zh_CN": {"title": "GridCounter 营业厅柜台系统", "server": "服务器", "counter": "柜台", "username": "用户名",
              "password": "密码", "language": "语言", "login": "登录", "window": "GridCounter — 登录",
              "reachable": f"服务器连接正常（版本 {SERVER_VERSION}）"},
    "en": {"title": "GridCounter business hall counter", "server": "Server", "counter": "Counter",
           "username": "User name", "password": "Password", "language": "Language", "login": "Sign in",
           "window": "GridCounter — Sign in", "reachable": f"Server reachable (version {SERVER_VERSION})"},
}
WRONG_PASSWORD = {"zh_CN": "用户名或密码错误。", "en": "The user name or password is wrong."}
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _draw(text: str, font: QFont) -> QImage:
    image = QImage(240, 60, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setFont(font)
    painter.drawText(4, 40, text)
    painter.end()
    return image


def _sessions(live: LiveServer, username: str) -> int:
    """Sessions the server has opened for ``username``."""
    [(count,)] = live_sql(live, "SELECT count(*) FROM user_sessions s JOIN users u ON u.id = s.user_id"
                                " WHERE u.username = :u", u=username)
    return int(str(count))


class TestRendering:
    @pytest.mark.parametrize("locale", LOCALES)
    def test_labels_and_screenshot(self, qtbot: QtBot, make_live_app: LiveAppFactory, live_server: LiveServer,  # noqa: F811
                                   locale: str) -> None:
        """The window shows its labels in the locale, the live server's version, and is saved as
        artifacts/login-<locale>.png."""
        app = make_live_app(locale=locale)
        window = app.login_window
        with qtbot.waitSignal(window.connection_checked, timeout=TIMEOUT_MS) as checked:
            app.start()
        assert checked.args == [True]
        qtbot.waitExposed(window)
        expected = LABELS[locale]
        assert window.windowTitle() == expected["window"]
        assert window.title_label.text() == expected["title"]
        assert window.server_label.text() == expected["server"]
        assert window.counter_label.text() == expected["counter"]
        assert window.username_label.text() == expected["username"]
        assert window.password_label.text() == expected["password"]
        assert window.language_label.text() == expected["language"]
        assert window.login_button.text() == expected["login"]
        assert window.link_label.text() == expected["reachable"]
        assert window.server_edit.text() == live_server.url
        assert window.counter_edit.text() == LIVE_COUNTER
        ARTIFACTS.mkdir(exist_ok=True)
        target = ARTIFACTS / f"login-{locale}.png"
        assert window.grab().save(str(target))
        assert QImage(str(target)).width() >= window.minimumWidth()

    def test_chinese_renders_as_glyphs(self, qtbot: QtBot, make_live_app: LiveAppFactory) -> None:  # noqa: F811
        """A CJK font is installed and 登录 paints glyphs, not the boxes of missing characters."""
        assert QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
        app = make_live_app(locale="zh_CN", configured=False)
        font = app.login_window.login_button.font()
        drawn = _draw("登录营业厅", font)
        assert drawn != _draw("", font)
        assert drawn != _draw("\U000f0000\U000f0001\U000f0002\U000f0003\U000f0004", font)


class TestLanguage:
    def test_choice_is_remembered(self, qtbot: QtBot, make_live_app: LiveAppFactory,  # noqa: F811
                                  client_paths: ClientPaths) -> None:
        """Choosing English relabels the window at once and the next start opens in English."""
        first = make_live_app(configured=False)
        window = first.start()
        qtbot.waitExposed(window)
        assert window.login_button.text() == "登录"
        window.language_combo.setCurrentIndex(window.language_combo.findData("en"))
        qtbot.waitUntil(lambda: window.login_button.text() == "Sign in", timeout=5_000)
        assert window.server_label.text() == "Server"
        stored = QSettings(str(client_paths.settings_file), QSettings.Format.IniFormat)
        assert stored.value(SETTINGS_KEY) == "en"
        first.language.remove()

        second = make_live_app(configured=False)
        assert second.language.locale == "en"
        assert second.login_window.login_button.text() == "Sign in"
        assert second.login_window.language_combo.currentData() == "en"

    def test_default_is_chinese(self, make_live_app: LiveAppFactory) -> None:  # noqa: F811
        """Without a remembered choice the counter speaks Simplified Chinese."""
        app = make_live_app(configured=False)
        assert app.language.locale == "zh_CN"
        assert app.login_window.language_combo.currentData() == "zh_CN"


class TestSignIn:
    def test_double_click_sends_one_login(self, qtbot: QtBot, make_live_app: LiveAppFactory,  # noqa: F811
                                          live_server: LiveServer, client_paths: ClientPaths) -> None:  # noqa: F811
        """Clicking Sign in twice (and pressing Enter) while signing in opens one session on the server."""
        before = _sessions(live_server, "cashier1")
        app = make_live_app(locale="en")
        window = app.login_window
        start(qtbot, app)
        qtbot.keyClicks(window.username_edit, "cashier1")
        qtbot.keyClicks(window.password_edit, password_for("cashier1"))
        # all in one turn of the event loop: the first sign-in cannot have been answered yet
        qtbot.mouseDClick(window.login_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(window.login_button, Qt.MouseButton.LeftButton)
        window.password_edit.returnPressed.emit()  # even a signal that bypasses the disabled button
        assert not window.login_button.isEnabled()
        assert not window.password_edit.isEnabled()
        qtbot.waitUntil(lambda: app.main_window is not None, timeout=TIMEOUT_MS)
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)  # the first screen asks for the open shift
        assert _sessions(live_server, "cashier1") == before + 1
        assert not window.isVisible()
        stored = QSettings(str(client_paths.settings_file), QSettings.Format.IniFormat)
        assert (stored.value(KEY_SERVER), stored.value(KEY_COUNTER), stored.value(KEY_USERNAME)) == (
            live_server.url, LIVE_COUNTER, "cashier1")

    @pytest.mark.parametrize("locale", LOCALES)
    def test_wrong_password(self, qtbot: QtBot, make_live_app: LiveAppFactory, locale: str) -> None:  # noqa: F811
        """A wrong password shows its sentence in the locale and clears the password field."""
        app = make_live_app(locale=locale)
        window = app.login_window
        start(qtbot, app)
        window.username_edit.setText("cashier2")
        window.password_edit.setText("wrong-password-1")
        window.login_button.click()
        qtbot.waitUntil(lambda: window.error_label.text() == WRONG_PASSWORD[locale], timeout=TIMEOUT_MS)
        qtbot.waitUntil(window.login_button.isEnabled, timeout=5_000)
        assert window.password_edit.text() == ""

    def test_locked_account(self, qtbot: QtBot, make_live_app: LiveAppFactory) -> None:  # noqa: F811
        """Wrong passwords up to the server's threshold lock the account; the window says for how long, in
        Chinese, and the right password is refused the same way while the lock lasts."""
        settings = Settings()
        app = make_live_app(locale="zh_CN")
        window = app.login_window
        start(qtbot, app)
        window.username_edit.setText("super2")
        for _ in range(settings.lockout_threshold):
            window.password_edit.setText("not-the-password-1")
            window.login_button.click()
            qtbot.waitUntil(window.login_button.isEnabled, timeout=TIMEOUT_MS)
        assert "锁定" in window.error_label.text()
        window.password_edit.setText(password_for("super2"))
        window.login_button.click()
        qtbot.waitUntil(window.login_button.isEnabled, timeout=TIMEOUT_MS)
        assert "锁定" in window.error_label.text()
        assert f"{settings.lockout_minutes} 分钟" in window.error_label.text()
        assert "{" not in window.error_label.text()
        assert app.main_window is None

    def test_missing_fields(self, qtbot: QtBot, make_live_app: LiveAppFactory,  # noqa: F811
                            live_server: LiveServer) -> None:  # noqa: F811
        """Signing in with an empty field asks for it and sends nothing (no session, no failed attempt)."""
        before = _sessions(live_server, "cashier1")
        app = make_live_app(locale="zh_CN")
        window = app.login_window
        start(qtbot, app)
        window.username_edit.setText("cashier1")
        window.login_button.click()
        assert window.error_label.text() == "请填写服务器、柜台、用户名和密码。"
        assert running_ops() == 0
        assert _sessions(live_server, "cashier1") == before
        [(failed,)] = live_sql(live_server, "SELECT failed_attempts FROM users WHERE username = 'cashier1'")
        assert failed == 0

    @pytest.mark.parametrize("locale", LOCALES)
    def test_contract_version_unsupported(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer,
                                          locale: str) -> None:
        """A server refusing this client's contract version is reported on start, in the locale.

        Scripted (wire peer): the server of this tree always speaks this contract version, so only a
        stand-in can be the older or newer server this test needs."""
        peer.on("system.handshake", Reply.error(ErrorCode.CONTRACT_VERSION_UNSUPPORTED,
                                                {"client_version": CONTRACT_VERSION, "server_version": "2.0"}))
        app = make_app(locale=locale)
        window = app.login_window
        with qtbot.waitSignal(window.connection_checked, timeout=10_000) as checked:
            app.start()
        assert checked.args == [False]
        text = window.error_label.text()
        assert CONTRACT_VERSION in text
        assert "2.0" in text
        assert ("升级柜台软件" in text) if locale == "zh_CN" else ("update the counter software" in text)

    def test_swapped_ca_is_untrusted_on_start(self, qtbot: QtBot, make_live_app: LiveAppFactory,  # noqa: F811
                                              client_paths: ClientPaths, foreign_tls: object) -> None:
        """A CA file that no longer matches the pin is reported before anyone signs in."""
        client_paths.ca_file.write_bytes(foreign_tls.ca_cert.read_bytes())  # type: ignore[attr-defined]
        app = make_live_app(locale="zh_CN")
        window = app.login_window
        with qtbot.waitSignal(window.connection_checked, timeout=TIMEOUT_MS) as checked:
            app.start()
        assert checked.args == [False]
        assert window.error_label.text().startswith("本柜台不信任该服务器的证书")


class TestErrorSentences:
    @pytest.mark.parametrize("locale", LOCALES)
    def test_every_code_has_its_own_sentence(self, use_locale: object, locale: str) -> None:
        """Every ErrorCode maps to a translated sentence with its placeholders filled, never the generic one."""
        use_locale(locale)  # type: ignore[operator]
        assert set(MESSAGES) == set(ErrorCode)
        generic = generic_message("REF")
        seen: set[str] = set()
        for code in ErrorCode:
            source = MESSAGES[code]
            params = {name: f"V{index}x" for index, name in enumerate(re.findall(r"\{(\w+)\}", source))}
            text = error_message(code, params)
            assert text != generic, code
            assert "{" not in text, (code, text)
            assert all(value in text for value in params.values()), (code, text)
            if locale == "zh_CN":
                assert _CJK.search(text), (code, text)
            else:
                assert text == fill(source, params)
            seen.add(text)
        assert len(seen) == len(ErrorCode)

    def test_field_and_permission_names_translated(self, use_locale: object) -> None:
        """A field or permission named in the parameters is shown in the user's language."""
        use_locale("zh_CN")  # type: ignore[operator]
        assert error_message(ErrorCode.INVALID_REQUEST, {"field": "phone", "problem": "string_too_short"}) == \
            "“联系电话”的输入未被接受（string_too_short）。"
        assert error_message(ErrorCode.PERMISSION_DENIED, {"permission": "manage_users"}) == \
            "您没有执行此操作所需的“用户管理”权限。"
        assert error_message(ErrorCode.FEN_NOT_INTEGER, {"field": "amount_fen"}) == \
            "金额“amount_fen”必须是以分为单位的整数。"

    def test_unknown_placeholder_left_intact(self, use_locale: object) -> None:
        """A parameter the server did not send leaves its placeholder rather than failing."""
        use_locale("en")  # type: ignore[operator]
        assert error_message(ErrorCode.USER_NOT_FOUND, {}) == "There is no user {username}."

    def test_unexpected_exception_gets_reference(self, use_locale: object, caplog: pytest.LogCaptureFixture) -> None:
        """An exception without a code shows the generic sentence and a reference; the log has the traceback."""
        use_locale("zh_CN")  # type: ignore[operator]

        def fail() -> None:
            raise ValueError("internal detail")

        try:
            fail()
        except ValueError as exc:
            text = error_text(exc)
        ref = re.search(r"C-[0-9a-f]{8}", text)
        assert ref is not None
        assert text == f"系统出现异常，请将参考编号 {ref.group(0)} 告知技术支持。"
        assert ref.group(0) in caplog.text
        assert "internal detail" in caplog.text
        assert "internal detail" not in text
