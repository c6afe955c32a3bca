# pytest-qt's QtBot and ModelTester are untyped:
# mypy: disable-error-code="no-untyped-call"
"""The cashier desk's parts on their own: the table models (qtmodeltester), the yuan amount field, and
a payment whose answer is lost on the way back (against the wire peer, which can lose it on purpose)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from client.__main__ import build_parser
from client.core.config import ClientPaths
from client.ui.app import ClientApp, _save_connection, open_settings, parse_printer_address, printer_from_settings
from client.ui.main_window import MainWindow
from client.ui.models.desk_models import AllocationModel, OpenBillsModel, RecentPaymentsModel
from client.ui.ops import running_ops
from client.ui.screens.cashier_screen import CashierScreen
from client.ui.widgets.fen_edit import FenEdit
from shared_models.errors import ErrorCode
from shared_models.methods.customers import (
    CustomerCategory,
    CustomerOverview,
    CustomerProfile,
    CustomerStatus,
    MeterInfo,
    OpenBillView,
    PaymentMode,
    RecentPayment,
)
from shared_models.methods.payments import (
    AllocationLine,
    PaymentReceipt,
    Quote,
    ReceiptBill,
    ReceiptTenderLine,
    TenderMethod,
)
from shared_models.methods.shifts import CurrentShift, ShiftInfo, ShiftSummary
from shared_models.roles import Role
from tests.client.wire_peer import Call, Reply, WirePeer
from tests.ui.conftest import AppFactory
from tests.ui.ui_helpers import counter_info, login_result, whoami_result

CUSTOMER_NO = "3301000001"
DESK_COUNTER = "H0101"
UTC_NOON = dt.datetime(2026, 11, 23, 4, 0, tzinfo=dt.UTC)


def bill(period: int, *, principal: int, fee: int, days: int) -> OpenBillView:
    """An open bill of the customer."""
    return OpenBillView(bill_no=f"{period}{CUSTOMER_NO}", period=period, kwh="123.4", amount_fen=principal,
                        principal_open_fen=principal, issued_on=dt.date(2026, 10, 1), due_on=dt.date(2026, 10, 25),
                        late_days=days, late_fee_fen=fee)


def overview() -> CustomerOverview:
    """张伟 owes two bills, 120.00 + 1.20 late fee and 80.00."""
    profile = CustomerProfile(
        customer_no=CUSTOMER_NO, name="张伟", address="浙江省杭州市西湖区文三路100号", phone="13800000000",
        id_number_masked="330***********001X", category=CustomerCategory.RESIDENTIAL, status=CustomerStatus.ACTIVE,
        payment_mode=PaymentMode.POSTPAID, hall_code="H01", tariff_name="居民生活用电",
        meters=[MeterInfo(asset_no="0000000000000000000001", multiplier=1, digits=6)], balance_fen=-20120)
    return CustomerOverview(
        profile=profile, open_bills=[bill(202609, principal=12000, fee=120, days=29),
                                     bill(202610, principal=8000, fee=0, days=0)],
        arrears_fen=20000, late_fee_fen=120, due_fen=20120, prepayment_fen=0,
        recent_payments=[RecentPayment(receipt_no="H0101-20260901-00003", paid_at=UTC_NOON, amount_fen=5000,
                                       methods=["cash", "qr"], counter_code="H0101", voided=True)],
        card_status=None, as_of=dt.date(2026, 11, 23))


def quote(amount: int = 20120) -> Quote:
    """The allocation of paying everything due."""
    lines = [AllocationLine(bill_no=b.bill_no, period=b.period, kwh=b.kwh, due_on=b.due_on,
                            principal_open_fen=b.principal_open_fen, late_days=b.late_days,
                            late_fee_fen=b.late_fee_fen, pay_late_fee_fen=b.late_fee_fen,
                            pay_principal_fen=b.principal_open_fen, settles_bill=True)
             for b in overview().open_bills]
    return Quote(customer_no=CUSTOMER_NO, customer_name="张伟", due_fen=20120, amount_fen=amount, lines=lines,
                 to_prepayment_fen=amount - 20120, prepayment_before_fen=0, prepayment_after_fen=amount - 20120,
                 remaining_due_fen=0)


class TestDeskModels:
    def test_model_contract(self, qtmodeltester: ModelTester) -> None:
        """The three desk tables pass the model tester empty and filled."""
        bills, allocation, payments = OpenBillsModel(), AllocationModel(), RecentPaymentsModel()
        for model in (bills, allocation, payments):
            qtmodeltester.check(model)
        bills.set_rows(overview().open_bills)
        allocation.set_rows(quote().lines)
        payments.set_rows(overview().recent_payments)
        for model in (bills, allocation, payments):
            qtmodeltester.check(model)

    def test_cells(self, use_locale: Callable[[str], None]) -> None:
        """Bills show period, late fee and what is owed today; payments their hall-local time and methods."""
        use_locale("zh_CN")
        bills = OpenBillsModel()
        bills.set_rows(overview().open_bills)
        first = [bills.data(bills.index(0, c)) for c in range(bills.columnCount())]
        assert first == ["2026-09", f"202609{CUSTOMER_NO}", "123.4", "120.00", "2026-10-25", "29", "1.20", "121.20"]
        assert bills.headerData(7, Qt.Orientation.Horizontal) == "今日应缴"
        assert bills.data(bills.index(0, 3), Qt.ItemDataRole.TextAlignmentRole) == (
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        payments = RecentPaymentsModel()
        payments.set_rows(overview().recent_payments)
        row = [payments.data(payments.index(0, c)) for c in range(payments.columnCount())]
        assert row == ["H0101-20260901-00003", "2026-11-23 12:00", "50.00", "现金 + 扫码支付", "H0101", "已冲正"]
        allocation = AllocationModel()
        allocation.set_rows(quote().lines)
        assert allocation.data(allocation.index(0, 5)) == "结清"


class TestFenEdit:
    @pytest.mark.parametrize(("typed", "fen"), [
        ("123.45", 12345), ("１２３．４", 12340), ("￥1,234.5", 123450), ("¥ 8 元", 800), ("0", 0), ("-5", -500),
        (".5", 50), ("7.", 700),
    ])
    def test_amounts(self, qtbot: QtBot, typed: str, fen: int) -> None:
        """Yuan typed with full-width digits, ￥/元 and separators become integer fen (never a float)."""
        edit = FenEdit(name="amountEdit")
        qtbot.addWidget(edit)
        edit.setText(typed)
        assert (edit.fen(), edit.problem()) == (fen, None)
        assert isinstance(edit.fen(), int)

    @pytest.mark.parametrize(("typed", "problem"), [
        ("12.345", "An amount has at most two decimals (fen)."),
        ("12a", "“12a” is not an amount in yuan (for example 123.45)."),
        ("1e3", "“1e3” is not an amount in yuan (for example 123.45)."),
        ("100000000", "The amount is too large."),
    ])
    def test_refused(self, qtbot: QtBot, use_locale: Callable[[str], None], typed: str, problem: str) -> None:
        """Text that is not an amount is refused with a sentence, and reads as no amount."""
        use_locale("en")
        edit = FenEdit(name="amountEdit")
        qtbot.addWidget(edit)
        edit.setText(typed)
        assert (edit.fen(), edit.problem()) == (None, problem)

    def test_set_fen_round_trips(self, qtbot: QtBot) -> None:
        """An amount shown by the desk reads back as the same fen, without thousands separators."""
        edit = FenEdit(name="amountEdit")
        qtbot.addWidget(edit)
        edit.set_fen(123456789)
        assert (edit.text(), edit.fen()) == ("1234567.89", 123456789)


def _shift() -> CurrentShift:
    opened = dt.datetime(2026, 11, 23, 0, 30, tzinfo=dt.UTC)
    return CurrentShift(shift=ShiftInfo(shift_no=f"{DESK_COUNTER}-20261123-01", cashier_username="zhang.san",
                                        cashier_name="张三", counter_code=DESK_COUNTER, hall_code="H01",
                                        business_date=dt.date(2026, 11, 23), opened_at=opened, float_fen=0,
                                        closed_at=None), next_receipt_seq=12)


def _receipt(call: Call) -> Reply:
    body = call.json()
    b1, b2 = overview().open_bills
    return Reply.ok(PaymentReceipt(
        receipt_no=body["receipt_no"], hall_name="城东营业厅", counter_code=DESK_COUNTER, cashier_name="张三",
        shift_no=f"{DESK_COUNTER}-20261123-01", paid_at=UTC_NOON, local_time=None, customer_no=CUSTOMER_NO,
        customer_name="张伟", address="浙江省杭州市西湖区文三路100号",
        bills=[ReceiptBill(bill_no=b.bill_no, period=b.period, kwh=b.kwh, principal_fen=b.principal_open_fen,
                           late_fee_fen=b.late_fee_fen, paid_fen=b.principal_open_fen + b.late_fee_fen)
               for b in (b1, b2)],
        due_fen=20120, paid_fen=20120, tendered_fen=20120, change_fen=0, prepayment_before_fen=0,
        prepayment_after_fen=0, tenders=[ReceiptTenderLine(method=TenderMethod.CASH, amount_fen=20120, reference="")],
        accepted_offline=False, redirected_to_prepayment_fen=0, reprint_count=0, voided=False))


def _sign_in_at_desk_counter(qtbot: QtBot, app: ClientApp, peer: WirePeer) -> MainWindow:
    """A cashier signed in at counter H0101 (receipt numbers take a counter code without dashes)."""
    counter = counter_info().model_copy(update={"code": DESK_COUNTER})
    peer.on("auth.login", Reply.ok(login_result(Role.CASHIER).model_copy(update={"counter": counter})))
    peer.on("auth.whoami", Reply.ok(whoami_result(Role.CASHIER).model_copy(update={"counter": counter})))
    peer.on("shift.get_current", Reply.ok(_shift()))
    info = _shift().shift
    assert info is not None
    peer.on("shift.get_summary", Reply.ok(ShiftSummary(  # the shift screen, first in the list, shows it
        shift=info, payments_count=0, collected_fen=0, methods=[], businesses=[], voids=[], receipts_used=[],
        expected_cash_fen=0, offline_count=0, closing=None)))
    login = app.login_window
    with qtbot.waitSignal(login.connection_checked, timeout=10_000):
        app.start()
    login.username_edit.setText("zhang.san")
    login.password_edit.setText("pass-1234")
    with qtbot.waitSignal(login.signed_in, timeout=10_000):
        login.login_button.click()
    assert app.main_window is not None
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=10_000)
    return app.main_window


class TestLostAnswer:
    def test_no_answer_is_accepted_offline_then_confirmed(
        self, qtbot: QtBot, make_app: AppFactory, peer: WirePeer,
    ) -> None:
        """When the server gives no answer, the desk accepts the payment offline after its wait (离线受理,
        the counter's receipt number); the sync worker resends it with the same key, now marked offline,
        until the server books it; the status bar counts it until then."""
        window = _sign_in_at_desk_counter(qtbot, make_app(locale="zh_CN", payment_wait_s=1.5), peer)
        peer.on("customer.get_overview", Reply.ok(overview()))
        peer.on("payment.get_quote", Reply.ok(quote()))
        peer.on("payment.pay_bills", Reply.error(ErrorCode.SERVICE_UNAVAILABLE, {"ref": "lb-1"}))
        screen = window.screen_widget("desk")
        assert isinstance(screen, CashierScreen)
        assert window.show_screen("desk")
        qtbot.waitUntil(screen.payment.shift_button.isHidden, timeout=10_000)
        with qtbot.waitSignal(screen.overview_shown, timeout=10_000):
            screen.open_customer(CUSTOMER_NO)
        qtbot.waitUntil(screen.payment.quote_is_current, timeout=10_000)

        with qtbot.waitSignal(screen.payment_done, timeout=10_000) as done:
            qtbot.keyClick(screen, Qt.Key.Key_F9)
        receipt_no = done.args[0]
        assert receipt_no.startswith(f"{DESK_COUNTER}-")
        assert receipt_no.endswith("-00012")  # the server's floor
        assert "离线受理" in screen.message_label.text()
        assert receipt_no in screen.message_label.text()
        assert screen.last_receipt is not None
        assert screen.last_receipt.accepted_offline
        first = peer.calls_to("payment.pay_bills")[0]
        assert first.json()["accepted_offline"] is False
        qtbot.waitUntil(lambda: "待上传 1 笔" in window.queue_label.text(), timeout=10_000)

        peer.on("payment.pay_bills", _receipt)
        qtbot.waitUntil(lambda: "待上传" not in window.queue_label.text(), timeout=20_000)
        calls = peer.calls_to("payment.pay_bills")
        assert len({c.headers["idempotency-key"] for c in calls}) == 1
        last = calls[-1].json()
        assert last["accepted_offline"] is True
        assert {k: v for k, v in last.items() if k != "accepted_offline"} == \
            {k: v for k, v in first.json().items() if k != "accepted_offline"}
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=10_000)


class TestPrinterSetting:
    @pytest.mark.parametrize(("text", "address"), [
        ("192.168.1.50:9100", ("192.168.1.50", 9100)), (" printer.hall.local ", ("printer.hall.local", 9100)),
        ("127.0.0.1:1", ("127.0.0.1", 1)),
    ])
    def test_addresses(self, text: str, address: tuple[str, int]) -> None:
        """host:port, the port 9100 when left out."""
        assert parse_printer_address(text) == address

    @pytest.mark.parametrize("text", ["printer:0", "printer:70000", "printer:ip", ":9100", "a b:9100", ""])
    def test_refused(self, text: str) -> None:
        """Anything else is no printer address."""
        with pytest.raises(ValueError, match="printer address"):
            parse_printer_address(text)

    def test_from_settings(self, client_paths: ClientPaths) -> None:
        """--printer saves the printer and its paper; the device is built from the settings, or none."""
        settings = open_settings(client_paths)
        assert printer_from_settings(settings) is None
        args = build_parser().parse_args(["--printer", "10.0.0.7:9101", "--printer-paper", "58"])
        assert _save_connection(client_paths, args) is None
        device = printer_from_settings(open_settings(client_paths))
        assert device is not None
        assert (device.config.host, device.config.port, device.config.paper) == ("10.0.0.7", 9101, 58)
        assert device.close(timeout=1.0)
        assert _save_connection(client_paths, build_parser().parse_args(["--printer", "nowhere:x"])) is not None
        assert _save_connection(client_paths, build_parser().parse_args(["--printer", "none"])) is None
        assert printer_from_settings(open_settings(client_paths)) is None
