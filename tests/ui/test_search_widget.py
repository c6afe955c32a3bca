# pytest-qt's QtBot and ModelTester are untyped:
# mypy: disable-error-code="no-untyped-call"
"""The customer search: its table model (qtmodeltester) and the real widget, driven by keys, against the
live server (``customer.search_customers`` over HTTPS on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from client.core.rpc_client import RpcClient
from client.core.session import Session
from client.ui.context import UiContext
from client.ui.models.search_table_model import SearchTableModel
from client.ui.widgets.customer_search import CustomerSearchWidget
from shared_models.methods.auth import LOGIN, LoginRequest
from shared_models.methods.customers import (
    CustomerCategory,
    CustomerStatus,
    PaymentMode,
    SearchHit,
    SearchKind,
)
from shared_models.pinning import ca_fingerprint
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture, shared with tests/e2e
from tests.factories import DEVICE_KEYS, password_for


def _hit(no: str, name: str, status: CustomerStatus = CustomerStatus.ACTIVE) -> SearchHit:
    return SearchHit(customer_no=no, name=name, address=f"浙江省杭州市西湖区文三路{no[-2:]}号", phone="13800000000",
                     status=status, category=CustomerCategory.RESIDENTIAL, payment_mode=PaymentMode.POSTPAID,
                     meter_no="3310012301234567890001", hall_code="H01")


def _cells(model: SearchTableModel) -> list[list[str]]:
    return [[str(model.data(model.index(r, c))) for c in range(model.columnCount())] for r in range(model.rowCount())]


def _headers(model: SearchTableModel) -> list[str]:
    return [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]


class TestSearchTableModel:
    def test_model_passes_qtmodeltester(self, qtmodeltester: ModelTester) -> None:
        """The model keeps Qt's rules through a reset, an appended page and an empty search."""
        model = SearchTableModel()
        model.set_hits([_hit("3301000001", "张伟"), _hit("3301000002", "王芳", CustomerStatus.CLOSED)])
        qtmodeltester.check(model)
        model.append_hits([_hit("3301000003", "李秀英")])
        qtmodeltester.check(model)
        model.set_hits([])
        qtmodeltester.check(model)

    def test_cells_and_headers_in_chinese(self, use_locale: Callable[[str], None]) -> None:
        """zh_CN: the six columns are titled in Chinese and the status is a Chinese word."""
        use_locale("zh_CN")
        model = SearchTableModel()
        model.set_hits([_hit("3301000001", "张伟")])
        assert _headers(model) == ["户号", "户名", "地址", "电话", "表号", "状态"]
        assert _cells(model) == [["3301000001", "张伟", "浙江省杭州市西湖区文三路01号", "13800000000",
                                  "3310012301234567890001", "正常供电"]]

    def test_cells_in_english(self, use_locale: Callable[[str], None]) -> None:
        """en: English titles; a closed account is greyed out."""
        use_locale("en")
        model = SearchTableModel()
        model.set_hits([_hit("3301000001", "张伟", CustomerStatus.CLOSED)])
        assert _headers(model) == ["Account no.", "Name", "Address", "Phone", "Meter no.", "Status"]
        assert _cells(model)[0][5] == "Account closed"
        assert model.data(model.index(0, 1), Qt.ItemDataRole.ForegroundRole) is not None

    def test_appended_page_follows_the_first(self) -> None:
        """"More" adds rows after the ones shown, in rank order."""
        model = SearchTableModel()
        model.set_hits([_hit("3301000001", "张伟")])
        model.append_hits([_hit("3301000009", "张伟民")])
        assert [model.hit_at(r).customer_no for r in range(2)] == ["3301000001", "3301000009"]  # type: ignore[union-attr]
        assert model.hit_at(2) is None


@pytest.fixture
def signed_in_rpc(live_server: LiveServer) -> Iterator[RpcClient]:  # noqa: F811 - fixture
    """The client's RPC stub signed in as cashier1 at counter T0101 of the live server."""
    pin = ca_fingerprint(live_server.ca.read_bytes())
    client = RpcClient(ca_file=live_server.ca, ca_pin=lambda: pin, client_version="test", server_url=live_server.url)
    result = client.call(LOGIN, LoginRequest(username="cashier1", password=password_for("cashier1"),
                                             counter_code="T0101", device_key=DEVICE_KEYS["T0101"]))
    client.set_session(token=result.token, counter_code="T0101")
    yield client
    client.close()


@pytest.fixture
def widget(qtbot: QtBot, signed_in_rpc: RpcClient, use_locale: Callable[[str], None]) -> CustomerSearchWidget:
    """The search widget in Chinese on a live session, shown in a window."""
    use_locale("zh_CN")
    reported: list[BaseException] = []

    def report(parent: QWidget | None, exc: BaseException) -> None:
        reported.append(exc)

    search = CustomerSearchWidget(ctx=UiContext(rpc=signed_in_rpc, session=Session(), report_error=report))
    qtbot.addWidget(search)
    search.resize(900, 400)
    search.show()
    qtbot.waitExposed(search)
    search.search_box.setFocus()
    return search


def _on_street(live: LiveServer, fragment: str) -> list[str]:
    """The 户号 of the customers whose address holds ``fragment`` (none starts with it), in the search's
    rank order — where the fragment stands, the shorter address, the 户号 — read from the database."""
    engine = create_engine(live.db_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT customer_no, address FROM customers WHERE strpos(address, :f) > 0"),
                                {"f": fragment}).all()
    finally:
        engine.dispose()
    return [no for no, address in sorted(rows, key=lambda r: (r[1].index(fragment), len(r[1]), r[0]))]


def _type(qtbot: QtBot, box: QLineEdit, text: str) -> None:
    """Type ``text``: ASCII as key clicks, anything else as a Chinese input method commits it."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(box, char)
        else:
            event = QInputMethodEvent()
            event.setCommitString(char)
            QApplication.sendEvent(box, event)


def _type_and_search(qtbot: QtBot, widget: CustomerSearchWidget, text: str) -> None:
    _type(qtbot, widget.search_box, text)
    with qtbot.waitSignal(widget.results_shown, timeout=20_000):
        qtbot.keyClick(widget.search_box, Qt.Key.Key_Return)


class TestCustomerSearchWidget:
    def test_kind_shown_as_you_type(self, qtbot: QtBot, widget: CustomerSearchWidget) -> None:
        """The label names what the box holds so far: not yet a key, then a name, then an address."""
        _type(qtbot, widget.search_box, "张")
        assert widget.kind_label.text() == "还不是查询条件"
        _type(qtbot, widget.search_box, "伟")
        assert widget.kind_label.text() == "户名"
        widget.search_box.clear()
        _type(qtbot, widget.search_box, "文三路")
        assert widget.kind_label.text() == "地址"

    def test_name_search_then_enter_opens(self, qtbot: QtBot, widget: CustomerSearchWidget) -> None:
        """张伟 lists its customer; Down moves into the table and Enter emits the 户号."""
        _type_and_search(qtbot, widget, "张伟")
        model = widget.model
        assert _cells(model)[0][:3] == ["3301000001", "张伟", "浙江省杭州市西湖区文三路100号"]
        assert widget.message_label.text() != ""
        qtbot.keyClick(widget.search_box, Qt.Key.Key_Down)
        assert widget.results_view.hasFocus()
        with qtbot.waitSignal(widget.customerChosen, timeout=5_000) as chosen:
            qtbot.keyClick(widget.results_view, Qt.Key.Key_Return)
        assert chosen.args == ["3301000001"]

    def test_address_rows_in_rank_order(self, qtbot: QtBot, widget: CustomerSearchWidget,
                                        live_server: LiveServer) -> None:  # noqa: F811 - fixture
        """An address fragment lists every customer on 文三路 in rank order; double-click opens the second."""
        _type_and_search(qtbot, widget, "文三路")
        numbers = [row[0] for row in _cells(widget.model)]
        assert numbers == _on_street(live_server, "文三路")
        assert len(numbers) >= 5
        assert all("文三路" in row[2] for row in _cells(widget.model))
        rect = widget.results_view.visualRect(widget.model.index(1, 1))
        viewport = widget.results_view.viewport()
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())  # a view needs the press first
        with qtbot.waitSignal(widget.customerChosen, timeout=5_000) as chosen:
            qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
        assert chosen.args == [numbers[1]]

    def test_esc_clears(self, qtbot: QtBot, widget: CustomerSearchWidget) -> None:
        """Esc empties the box, the table and the message, and leaves the cursor in the box."""
        _type_and_search(qtbot, widget, "文三路")
        assert widget.model.rowCount() > 0
        qtbot.keyClick(widget.search_box, Qt.Key.Key_Escape)
        assert (widget.search_box.text(), widget.model.rowCount(), widget.message_label.text()) == ("", 0, "")
        assert widget.search_box.hasFocus()

    def test_scanned_barcode_opens_the_customer(self, qtbot: QtBot, widget: CustomerSearchWidget) -> None:
        """A scanner types the bill number (202609-3301000001 without its dash) and Enter: 张伟 opens at once."""
        qtbot.keyClicks(widget.search_box, "2026093301000001")
        assert widget.kind_label.text() == "账单条码"
        with qtbot.waitSignal(widget.customerChosen, timeout=20_000) as chosen:
            qtbot.keyClick(widget.search_box, Qt.Key.Key_Return)
        assert chosen.args == ["3301000001"]
        assert _cells(widget.model)[0][1] == "张伟"

    def test_full_width_customer_no(self, qtbot: QtBot, widget: CustomerSearchWidget) -> None:
        """A 户号 typed with a Chinese input method (full-width digits) opens the customer."""
        _type(qtbot, widget.search_box, "３３００００００００００２")
        assert widget.kind_label.text() == "户号"
        with qtbot.waitSignal(widget.customerChosen, timeout=20_000) as chosen:
            qtbot.keyClick(widget.search_box, Qt.Key.Key_Return)
        assert chosen.args == ["3300000000002"]

    def test_not_a_key_is_explained_without_a_call(self, qtbot: QtBot, widget: CustomerSearchWidget) -> None:
        """One character and Enter: the translated SEARCH_QUERY_INVALID sentence, an empty table."""
        _type(qtbot, widget.search_box, "张")
        qtbot.keyClick(widget.search_box, Qt.Key.Key_Return)
        assert widget.message_label.text().startswith("请输入")
        assert widget.model.rowCount() == 0

    def test_forced_kind_with_f4(self, qtbot: QtBot, widget: CustomerSearchWidget) -> None:
        """F4 steps the kind: 文三 searched as an address (it would be a name) finds the 文三路 customers."""
        _type(qtbot, widget.search_box, "文三")
        assert widget.kind_label.text() == "户名"
        for _ in range(6):  # Auto → 户号 → barcode → phone → meter → name → address
            qtbot.keyClick(widget.search_box, Qt.Key.Key_F4)
        assert widget.forced_kind is SearchKind.ADDRESS
        assert widget.kind_label.text() == "地址"
        with qtbot.waitSignal(widget.results_shown, timeout=20_000):
            qtbot.keyClick(widget.search_box, Qt.Key.Key_Return)
        assert widget.model.rowCount() >= 5

    def test_more_pages_with_f3(self, qtbot: QtBot, widget: CustomerSearchWidget, live_server: LiveServer,  # noqa: F811
                                monkeypatch: pytest.MonkeyPatch) -> None:
        """With pages of two, F3 appends the next page until the button goes grey."""
        monkeypatch.setattr("client.ui.widgets.customer_search.PAGE", 2)
        _type_and_search(qtbot, widget, "文三路")
        first = [row[0] for row in _cells(widget.model)]
        assert len(first) == 2
        assert widget.more_button.isEnabled()
        while widget.more_button.isEnabled():
            with qtbot.waitSignal(widget.results_shown, timeout=20_000):
                qtbot.keyClick(widget.search_box, Qt.Key.Key_F3)
        numbers = [row[0] for row in _cells(widget.model)]
        assert numbers[:2] == first
        assert numbers == _on_street(live_server, "文三路")
