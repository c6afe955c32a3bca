# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""The desk serving a customer from a cache days old with the link down: the 360 view and the message
say how old the customer data is (客户资料为 N 天前的数据), the late fee is computed to today on the
counter; a cache of a few hours shows the ordinary offline note. Real widgets against the wire peer."""

from __future__ import annotations

import datetime as dt

import pytest
from pytestqt.qtbot import QtBot

from client.core.config import ClientPaths
from client.core.customer_cache.cache import CustomerCache
from client.core.outbox.queue import Outbox
from client.ui.ops import running_ops
from client.ui.screens.cashier_screen import CashierScreen
from shared_models.errors import ErrorCode
from shared_models.methods.cache import CachedBill, HallChangesPage, HallCustomer, LateFeeTerms, PrincipalStep
from shared_models.methods.customers import CustomerCategory, CustomerProfile, CustomerStatus, MeterInfo, PaymentMode
from shared_models.methods.shifts import CurrentShift, ShiftInfo
from shared_models.money import format_fen
from shared_models.roles import Role
from shared_models.rules.hall_time import hall_now
from shared_models.rules.late_fees import CrossYearRule
from tests.client.wire_peer import Reply, RpcFactory, WirePeer
from tests.ui.conftest import AppFactory
from tests.ui.ui_helpers import counter_info, login_result, whoami_result

CUSTOMER_NO = "3301000001"
DESK_COUNTER = "H0101"
TIMEOUT_MS = 10_000


def _hall_customer(today: dt.date) -> HallCustomer:
    """张伟 with one bill of 120.00 due 40 days before ``today`` (residential: 1 ‰ a day)."""
    due_on = today - dt.timedelta(days=40)
    bill = CachedBill(
        bill_no=f"202609{CUSTOMER_NO}", period=202609, kwh="223.0", amount_fen=12000, principal_open_fen=12000,
        issued_on=due_on - dt.timedelta(days=15), due_on=due_on, steps=[PrincipalStep(on=due_on, open_fen=12000)],
        fee_charged_fen=0, terms=LateFeeTerms(daily_permille_current="1", daily_permille_cross_year="1",
                                              cross_year=CrossYearRule.SPLIT_BY_DAY, minimum_fen=100))
    profile = CustomerProfile(
        customer_no=CUSTOMER_NO, name="张伟", address="浙江省杭州市西湖区文三路100号", phone="13800000000",
        id_number_masked="330***********001X", category=CustomerCategory.RESIDENTIAL, status=CustomerStatus.ACTIVE,
        payment_mode=PaymentMode.POSTPAID, hall_code="H01", tariff_name="居民生活用电",
        meters=[MeterInfo(asset_no="0000000000000000000001", multiplier=1, digits=6)], balance_fen=-12000)
    return HallCustomer(profile=profile, open_bills=[bill], arrears_fen=12000, prepayment_fen=0)


def _shift() -> CurrentShift:
    opened = hall_now() - dt.timedelta(hours=1)
    return CurrentShift(shift=ShiftInfo(shift_no=f"{DESK_COUNTER}-{opened:%Y%m%d}-01", cashier_username="zhang.san",
                                        cashier_name="张三", counter_code=DESK_COUNTER, hall_code="H01",
                                        business_date=opened.date(), opened_at=opened, float_fen=0,
                                        closed_at=None), next_receipt_seq=1)


class TestCacheAge:
    @pytest.mark.parametrize(("locale", "age", "expected", "message"), [
        ("zh_CN", dt.timedelta(days=3, hours=2), "客户资料为 3 天前的数据", "离线：客户资料为 3 天前的数据"),
        ("en", dt.timedelta(days=3, hours=2), "Customer data 3 days old", "Offline: the customer data is 3 days old"),
        ("zh_CN", dt.timedelta(hours=5), "由本柜台计算", "离线：客户数据为最近一次同步"),
    ], ids=["zh-3-days", "en-3-days", "zh-hours"])
    def test_age_of_the_cached_customer_data(  # noqa: PLR0917 - pytest hands fixtures in
        self, qtbot: QtBot, make_app: AppFactory, make_rpc: RpcFactory, peer: WirePeer, client_paths: ClientPaths,
        locale: str, age: dt.timedelta, expected: str, message: str,
    ) -> None:
        """The cache was last complete ``age`` ago and the link is down: the customer is served from it, the
        360 view names the data's age (in days once a day or more, flagged), the late fee is today's."""
        now = hall_now()
        sync = Reply.ok(HallChangesPage(hall_code="H01", customers=[_hall_customer(now.date())], departed=[],
                                        next_cursor=9, next_customer_id=1, complete=True, restarted=False,
                                        as_of=(now - age).astimezone(dt.UTC), business_date=(now - age).date()))
        peer.on("customer.get_hall_changes", sync)
        filler = make_rpc(peer.url)
        filler.set_session(token="t", counter_code=DESK_COUNTER)
        store = CustomerCache.in_folder(client_paths.data_dir)
        store.refresh(filler)
        expected_fee = store.quote(CUSTOMER_NO).lines[0].late_fee_fen
        store.close()
        # The shift was opened online before the link went down: the counter remembers the server's answer.
        outbox = Outbox.in_folder(client_paths.data_dir).open()
        opened = _shift().shift
        assert opened is not None
        outbox.remember_server_shift(counter_code=DESK_COUNTER, username="zhang.san",
                                     shift_json=opened.model_dump_json())
        down = Reply.error(ErrorCode.SERVICE_UNAVAILABLE)
        for method in ("customer.get_hall_changes", "customer.get_overview", "payment.get_quote"):
            peer.on(method, down)  # the link to the center is down from here on

        app = make_app(locale=locale)
        counter = counter_info().model_copy(update={"code": DESK_COUNTER})
        peer.on("auth.login", Reply.ok(login_result(Role.CASHIER).model_copy(update={"counter": counter})))
        peer.on("auth.whoami", Reply.ok(whoami_result(Role.CASHIER).model_copy(update={"counter": counter})))
        peer.on("shift.get_current", Reply.ok(_shift()))
        login = app.login_window
        with qtbot.waitSignal(login.connection_checked, timeout=TIMEOUT_MS):
            app.start()
        login.username_edit.setText("zhang.san")
        login.password_edit.setText("pass-1234")
        with qtbot.waitSignal(login.signed_in, timeout=TIMEOUT_MS):
            login.login_button.click()
        window = app.main_window
        assert window is not None
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)
        screen = window.screen_widget("desk")
        assert isinstance(screen, CashierScreen)
        assert window.show_screen("desk")

        with qtbot.waitSignal(screen.overview_shown, timeout=TIMEOUT_MS):
            screen.open_customer(CUSTOMER_NO)
        assert screen.served_offline
        label = screen.overview.as_of_label.text()
        assert expected in label
        assert now.date().isoformat() in label  # late fees as of today, computed on the counter
        assert screen.overview.text_of("lateFeeValue") == format_fen(expected_fee)
        assert expected_fee == 12000 * 40 // 1000  # 40 days at 1 ‰ of 120.00: the fee grew past the sync
        old = age >= dt.timedelta(days=1)
        assert ("font-weight: bold" in screen.overview.as_of_label.styleSheet()) is old
        assert screen.message_label.text().startswith(message)
        assert ("天前" in label) is (old and locale == "zh_CN")
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)
