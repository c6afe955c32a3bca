# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""Offline sign-in at the login window (SPEC §5) against the wire peer: the center answering "unavailable"
is the link down; every refusal the server can give the online sign-in that follows is played."""

from __future__ import annotations

import datetime as dt

import pytest
from pytestqt.qtbot import QtBot

from client.core.offline_auth import VerifierStore
from client.core.outbox.items import ItemState
from client.ui.app import ClientApp
from client.ui.main_window import MainWindow
from client.ui.ops import is_running, running_ops
from client.ui.screens.account_screen import AccountScreen
from shared_models.errors import ErrorCode
from shared_models.methods.payments import PAY, PayRequest, Tender, TenderMethod
from shared_models.roles import Role
from shared_models.rpc import Empty
from tests.client.wire_peer import Reply, WirePeer, handshake_reply
from tests.ui.conftest import AppFactory
from tests.ui.ui_helpers import COUNTER, NAMES, login_result, sign_in

PASSWORD = "pass-1234"  # what ui_helpers.sign_in types
USER = NAMES[Role.CASHIER][0]
CASHIER_SCREENS = ["account", "shift", "desk", "cardsale", "settlement", "outbox", "tariffs", "calculator"]
CUSTOMER = "3301000001"
_DOWN_METHODS = ("system.handshake", "auth.login", "auth.whoami", "shift.get_current")


def _pay_request(receipt_no: str | None) -> PayRequest:
    """A cash payment of 50 yuan, as the desk queues it offline."""
    assert receipt_no is not None
    return PayRequest(customer_no=CUSTOMER, receipt_no=receipt_no, quoted_due_fen=5000, accepted_offline=True,
                      tenders=[Tender(method=TenderMethod.CASH, amount_fen=5000, cash_handed_fen=5000)])


def link_down(peer: WirePeer) -> None:
    """The center answers nothing useful: every call the counter makes is "unavailable"."""
    for method in _DOWN_METHODS:
        peer.on(method, Reply.error(ErrorCode.SERVICE_UNAVAILABLE, {"ref": "link-down"}))


def link_up(peer: WirePeer, login: Reply) -> None:
    """The center is back and answers the next sign-in with ``login``."""
    peer.on("system.handshake", handshake_reply)
    peer.on("auth.login", login)


def verifiers(app: ClientApp) -> VerifierStore:
    """The offline verifier store of the test counter."""
    assert app.verifiers is not None
    return app.verifiers(COUNTER)


def sign_out(qtbot: QtBot, app: ClientApp, peer: WirePeer) -> None:
    """Press Sign out and wait until the server was told (or could not be)."""
    peer.on("auth.logout", Reply.ok(Empty()))
    window = app.main_window
    assert window is not None
    with qtbot.waitSignal(app.signed_out, timeout=10_000):
        window.sign_out_button.click()
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=10_000)


def type_sign_in(qtbot: QtBot, app: ClientApp, password: str, *, username: str = USER) -> str:
    """Type ``username``/``password`` at the login window and press Sign in; the error shown, "" when signed in."""
    window = app.login_window
    window.username_edit.setText(username)
    window.password_edit.setText(password)
    signed: list[object] = []
    window.signed_in.connect(signed.append)
    window.login_button.click()
    qtbot.waitUntil(lambda: not is_running(window, "login"), timeout=20_000)
    window.signed_in.disconnect(signed.append)
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=10_000)
    return "" if signed else window.error_label.text()


def offline_main(qtbot: QtBot, app: ClientApp, peer: WirePeer) -> MainWindow:
    """Signed in online once, signed out, link down, signed in offline: the main window."""
    sign_in(qtbot, app, peer, Role.CASHIER)
    sign_out(qtbot, app, peer)
    link_down(peer)
    assert type_sign_in(qtbot, app, PASSWORD) == ""
    window = app.main_window
    assert window is not None
    return window


class TestOfflineSignIn:
    def test_offline_then_online_by_itself(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer) -> None:
        """With the center out of reach the cashier signs in against the cached verifier, sees the cashier's
        screens and an offline-verified status bar, sends nothing; when the center answers again the client
        signs in online with the typed password by itself, and drops it."""
        app = make_app(locale="zh_CN")
        window = offline_main(qtbot, app, peer)
        assert app.session.offline_verified
        assert window.screen_names() == CASHIER_SCREENS
        assert window.user_label.text() == f"张三（收费员）@ {COUNTER}"
        assert window.session_label.text() == "离线验证登录：网络恢复后将自动联网登录"
        assert not window.session_label.isHidden()
        assert window.link_label.text() == "● 离线"
        assert app.rpc.session_token is None
        assert app.sync is not None
        assert app.sync.status().waiting is ErrorCode.NOT_AUTHENTICATED  # nothing goes out offline-verified
        assert app.reconnector.active
        assert app.outbox is not None
        item = app.outbox.submit(method=PAY.name, build=_pay_request, counter_code=COUNTER, username=USER,
                                 customer_no=CUSTOMER, amount_fen=5000, numbered=True, offline=True)
        peer.on(PAY.name, Reply.error(ErrorCode.CUSTOMER_CLOSED, {"customer_no": CUSTOMER}))
        assert app.sync.wait_for(item.id, timeout_s=2.0).state is ItemState.PENDING  # woken, still not sent
        assert peer.calls_to(PAY.name) == []
        logins_before = len(peer.calls_to("auth.login"))

        link_up(peer, Reply.ok(login_result(Role.CASHIER, token="tok-2")))
        peer.on("auth.whoami", Reply.error(ErrorCode.SERVICE_UNAVAILABLE, {"ref": "x"}))  # not asked before online
        app.reconnector.try_now()
        qtbot.waitUntil(lambda: not app.session.offline_verified, timeout=20_000)
        assert app.rpc.session_token == "tok-2"
        assert app.main_window is window
        assert window.session_label.isHidden()
        assert not app.reconnector.active
        relogin = peer.calls_to("auth.login")[logins_before:]
        assert [c.json()["username"] for c in relogin] == [USER]
        assert relogin[0].json()["password"] == PASSWORD
        # the queued payment goes out now, under the online session of the same user
        qtbot.waitUntil(lambda: app.outbox is not None and app.outbox.counts().pending == 0, timeout=20_000)
        assert [c.headers["authorization"] for c in peer.calls_to(PAY.name)] == ["Bearer tok-2"]
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=10_000)

    @pytest.mark.parametrize(("code", "params", "zh"), [
        (ErrorCode.INVALID_CREDENTIALS, {}, "用户名或密码错误。"),
        (ErrorCode.ACCOUNT_DISABLED, {"username": USER}, f"账号 {USER} 已停用，请联系管理员。"),
        (ErrorCode.ACCOUNT_LOCKED, {"minutes": 15, "until": "2026-12-06T08:15:00+00:00"}, None),
    ])
    def test_refused_online_ends_session_and_wipes(  # noqa: PLR0917 - pytest hands fixtures and parameters in
        self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer, code: ErrorCode, params: dict[str, object],
        zh: str | None,
    ) -> None:
        """The online sign-in after an offline one refused (password changed, disabled, locked): the session
        ends with the reason, the verifier is wiped and the next offline sign-in is refused."""
        app = make_app(locale="zh_CN")
        offline_main(qtbot, app, peer)
        link_up(peer, Reply.error(code, params))  # type: ignore[arg-type]
        app.reconnector.try_now()
        qtbot.waitUntil(app.login_window.isVisible, timeout=20_000)
        assert app.main_window is None
        assert app.session.ended_reason is code
        if zh is not None:
            assert app.login_window.error_label.text() == zh
        else:
            assert "锁定" in app.login_window.error_label.text()
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=10_000)
        assert not verifiers(app).knows(username=USER, counter_code=COUNTER)
        link_down(peer)
        assert type_sign_in(qtbot, app, PASSWORD) == (
            f"无法连接服务器，{USER} 也不能在 {COUNTER} 号柜台离线登录：离线登录前须先在本柜台联网登录过一次。")

    def test_signed_out_while_offline_stops_trying(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer) -> None:
        """Signing out of an offline-verified session drops the kept password: no online sign-in follows."""
        app = make_app(locale="en")
        offline_main(qtbot, app, peer)
        sign_out(qtbot, app, peer)
        assert not app.reconnector.active
        logins = len(peer.calls_to("auth.login"))
        link_up(peer, Reply.ok(login_result(Role.CASHIER, token="tok-3")))
        app.reconnector.try_now()
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=10_000)
        assert len(peer.calls_to("auth.login")) == logins
        assert app.rpc.session_token is None


class TestRefusedAtTheLoginWindow:
    def test_never_signed_in_here(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer) -> None:
        """A user who never signed in online at this counter gets the sentence that says so."""
        app = make_app(locale="en")
        link_down(peer)
        with qtbot.waitSignal(app.login_window.connection_checked, timeout=10_000):
            app.start()
        assert type_sign_in(qtbot, app, PASSWORD) == (
            f"The server cannot be reached, and {USER} cannot sign in offline at counter {COUNTER}: offline "
            "sign-in needs an online sign-in at this counter first.")
        assert app.main_window is None

    def test_wrong_password_then_lockout_survives_restart(
        self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer,
    ) -> None:
        """Wrong passwords offline are refused; the fifth locks offline sign-in, and a restarted client is
        still locked even for the right password."""
        app = make_app(locale="zh_CN")
        sign_in(qtbot, app, peer, Role.CASHIER)
        sign_out(qtbot, app, peer)
        link_down(peer)
        for _ in range(4):
            assert type_sign_in(qtbot, app, "wrong-pass-1") == "用户名或密码错误。"
        assert type_sign_in(qtbot, app, "wrong-pass-1").startswith("密码错误次数过多，离线登录已锁定。请 15 分钟后")
        assert app.login_window.password_edit.text() == ""
        restarted = make_app(locale="zh_CN")
        with qtbot.waitSignal(restarted.login_window.connection_checked, timeout=10_000):
            restarted.start()
        assert type_sign_in(qtbot, restarted, PASSWORD).startswith("密码错误次数过多")
        assert restarted.main_window is None

    def test_online_typo_keeps_disabled_wipes(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer) -> None:
        """A wrong password refused online is a typo (the verifier stays); "disabled" online wipes it."""
        app = make_app(locale="en")
        sign_in(qtbot, app, peer, Role.CASHIER)
        sign_out(qtbot, app, peer)
        peer.on("auth.login", Reply.error(ErrorCode.INVALID_CREDENTIALS))
        assert type_sign_in(qtbot, app, "typo-pass-1") == "The user name or password is wrong."
        assert verifiers(app).knows(username=USER, counter_code=COUNTER)
        peer.on("auth.login", Reply.error(ErrorCode.ACCOUNT_DISABLED, {"username": USER}))
        disabled = f"The account {USER} is disabled. Please contact the administrator."
        assert type_sign_in(qtbot, app, PASSWORD) == disabled
        assert not verifiers(app).knows(username=USER, counter_code=COUNTER)


class TestVerifierFollowsThePassword:
    def test_password_change_renews_the_verifier(self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer) -> None:
        """After the user changes the password online, offline sign-in takes the new one, not the old."""
        app = make_app(locale="en")
        window = sign_in(qtbot, app, peer, Role.CASHIER)
        before = verifiers(app).verify(username=USER, password=PASSWORD, counter_code=COUNTER).verified_at
        peer.on("auth.change_password", Reply.ok(Empty()))
        account = window.screen_widget("account")
        assert isinstance(account, AccountScreen)
        account.old_password_edit.setText(PASSWORD)
        account.new_password_edit.setText("new-pass-5678")
        account.repeat_password_edit.setText("new-pass-5678")
        account.change_button.click()
        qtbot.waitUntil(lambda: account.message_label.text() == "Your password has been changed.", timeout=10_000)
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=10_000)
        sign_out(qtbot, app, peer)
        link_down(peer)
        assert type_sign_in(qtbot, app, PASSWORD) == "The user name or password is wrong."
        assert type_sign_in(qtbot, app, "new-pass-5678") == ""
        assert app.session.offline_verified
        assert verifiers(app).verify(username=USER, password="new-pass-5678", counter_code=COUNTER).verified_at >= (
            before)

    def test_password_set_by_administrator_is_not_cached(
        self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer,
    ) -> None:
        """A sign-in with a password to be changed now caches nothing: that password cannot open the counter
        offline."""
        app = make_app(locale="en")
        sign_in(qtbot, app, peer, Role.CASHIER, change_required=True)
        assert not verifiers(app).knows(username=USER, counter_code=COUNTER)
        assert verifiers(app).valid_for == dt.timedelta(hours=72)  # the default, as the client configures it
