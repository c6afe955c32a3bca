# pytest-qt's QtBot and ModelTester are untyped:
# mypy: disable-error-code="no-untyped-call"
"""The tariff and bill-calculator screens against a live demo server: a billing clerk opens the two-part and the
tiered TOU tariff as readable tables, runs the calculator, adds a version (and is refused an overlapping one);
a cashier reads but cannot add; both screens fit 1024×768 in Chinese and English. Screenshots go to
artifacts/screens/."""

from __future__ import annotations

import gc
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from keyrings.alt.file import PlaintextKeyring
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication, QMessageBox, QTableView, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from client.core.config import ClientPaths
from client.core.secrets import SecretStore
from client.ui.app import ClientApp, build_app, open_settings
from client.ui.login_window import KEY_COUNTER, KEY_SERVER
from client.ui.main_window import MainWindow
from client.ui.ops import running_ops
from client.ui.screens.tariff_calculator_screen import TariffCalculatorScreen
from client.ui.screens.tariff_screen import AddVersionDialog, TariffScreen
from server.demo_data import DEMO_PASSWORD
from shared_models.pricing import PricedBill
from tests.ui.conftest import ARTIFACTS
from tests.ui.desk_helpers import TIMEOUT_MS, DeskServer, desk_server, sql  # noqa: F401 - the fixture

ClientFactory = Callable[..., MainWindow]


@pytest.fixture
def open_client(qapp: QApplication, qtbot: QtBot, client_paths: ClientPaths, qm_dir: Path,
                desk_server: DeskServer) -> Iterator[ClientFactory]:  # noqa: F811 - fixture
    """Compose the client for counter H0101 of the demo server and sign in as ``username``."""
    backend = PlaintextKeyring()
    backend.file_path = str(client_paths.data_dir / "tariff-keyring.cfg")
    store = SecretStore(backend)
    store.pin_ca(source=desk_server.ca, dest=client_paths.ca_file)
    store.store_device_key(counter_code="H0101", key=desk_server.device_keys["H0101"])
    settings = open_settings(client_paths)
    settings.setValue(KEY_SERVER, desk_server.url)
    settings.setValue(KEY_COUNTER, "H0101")
    settings.sync()
    apps: list[ClientApp] = []

    def build(username: str = "billing01", locale: str = "zh_CN") -> MainWindow:
        app = build_app(qapp, paths=client_paths, secrets=store, locale=locale, qm_dir=qm_dir)
        apps.append(app)
        login = app.login_window
        with qtbot.waitSignal(login.connection_checked, timeout=TIMEOUT_MS):
            app.start()
        login.username_edit.setText(username)
        login.password_edit.setText(DEMO_PASSWORD)
        with qtbot.waitSignal(login.signed_in, timeout=TIMEOUT_MS):
            login.login_button.click()
        assert app.main_window is not None
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)
        return app.main_window

    yield build
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)
    for app in apps:
        app.shutdown(wait_ms=10_000)
        app.language.remove()
    gc.collect()


def _settle(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)
    for _ in range(3):
        QApplication.processEvents()


def _tariffs(qtbot: QtBot, window: MainWindow) -> TariffScreen:
    screen = window.screen_widget("tariffs")
    assert isinstance(screen, TariffScreen)
    assert window.show_screen("tariffs")
    qtbot.waitUntil(lambda: screen.tariffs.rowCount() > 0, timeout=TIMEOUT_MS)
    _settle(qtbot)
    return screen


def _open_tariff(qtbot: QtBot, screen: TariffScreen, code: str) -> None:
    with qtbot.waitSignal(screen.tariff_shown, timeout=TIMEOUT_MS,
                          check_params_cb=lambda shown: shown == code):
        assert screen.select_code(code)
    _settle(qtbot)


def _cells(table: QTableView) -> list[list[str]]:
    model = table.model()
    return [[str(model.index(r, c).data()) for c in range(model.columnCount())] for r in range(model.rowCount())]


def _save(tmp_path: Path, widget: QWidget, name: str) -> None:
    """Grab ``widget`` into tmp_path and copy it to artifacts/screens/ for a person to look at."""
    target = tmp_path / name
    assert widget.grab().save(str(target))
    assert target.stat().st_size > 0
    screens = ARTIFACTS / "screens"
    screens.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(target, screens / name)


def _assert_fits(table: QTableView) -> None:
    """No sideways scrolling: every shown column inside the viewport."""
    assert table.isVisible(), table.objectName()
    assert table.horizontalScrollBar().maximum() == 0, (table.objectName(), table.horizontalScrollBar().maximum())


class TestTariffScreen:
    def test_two_part_tariff(self, qtbot: QtBot, open_client: ClientFactory, tmp_path: Path) -> None:
        """The 35 kV industry tariff shows its basic-charge prices, the 105 % rule, power-factor standard 0.90,
        its TOU seasons and its added funds, in Chinese; the tables pass Qt's model test."""
        window = open_client("billing01", "zh_CN")
        screen = _tariffs(qtbot, window)
        codes = [t.code for t in screen.tariffs.rows()]
        assert {"ZJ-RES-TOU", "ZJ-LI-DEM-35KV", "ZJ-LI-CAP-10KV", "ZJ-COM-TOU", "ZJ-AGR-1KV"} <= set(codes)
        _open_tariff(qtbot, screen, "ZJ-LI-DEM-35KV")
        facts = dict((item, value) for item, value in _cells(screen.fact_table))
        assert facts["基本电费（元/千瓦·月）"] == "34.0"
        assert facts["基本电费（元/千伏安·月）"] == "21.3"
        assert facts["超过合同需量 × 1.05 的部分按"] == "× 2"
        assert facts["功率因数标准"] == "0.90"
        assert facts["力调电费计算基数"] == "基本电费 + 电度电费"
        assert facts["违约金日费率（‰）"] == "2"
        funds = _cells(screen.fund_table)
        assert [(f[0], f[2], f[3]) for f in funds] == [
            ("国家重大水利工程建设基金", "0.004200", "另行加收"),
            ("大中型水库移民后期扶持资金", "0.006200", "另行加收"),
            ("可再生能源电价附加", "0.019000", "另行加收"),
        ]
        summer = [row for row in _cells(screen.tou_table) if row[0] == "夏季"]
        assert ["夏季", "7, 8", "15:00", "17:00", "尖峰", "1.92"] in summer
        assert not screen.tabs.isTabEnabled(1)  # no tiers
        for model in (screen.tariffs, screen.versions, screen.facts, screen.tou, screen.funds):
            ModelTester(None).check(model)
        screen.tabs.setCurrentIndex(0)
        _save(tmp_path, window, "tariffs-two-part-zh_CN.png")

    def test_tiered_tou_household(self, qtbot: QtBot, open_client: ClientFactory, tmp_path: Path) -> None:
        """The household tariff shows its annual tiers (2760 / 4800 kWh, +0.05 / +0.30) and peak and valley
        prices, in English."""
        window = open_client("billing01", "en")
        screen = _tariffs(qtbot, window)
        _open_tariff(qtbot, screen, "ZJ-RES-TOU")
        assert _cells(screen.tier_table) == [
            ["1", "0", "2760", "0", "0.538", ""], ["2", "2761", "4800", "0.05", "0.588", ""],
            ["3", "4801", "", "0.30", "0.838", ""]]
        assert [(r[2], r[3], r[4], r[5]) for r in _cells(screen.tou_table)] == [
            ("08:00", "22:00", "peak", "0.568"), ("22:00", "08:00", "valley", "0.288")]
        facts = dict((item, value) for item, value in _cells(screen.fact_table))
        assert facts["Tier cycle"] == "yearly"
        assert facts["Shared-meter (合表) price (yuan/kWh)"] == "0.558"
        assert [f[3] for f in _cells(screen.fund_table)] == ["included in the price"] * 3
        ModelTester(None).check(screen.tiers)
        screen.tabs.setCurrentIndex(1)
        _save(tmp_path, window, "tariffs-tiered-tou-en.png")

    def test_price_change_shows_two_versions(self, qtbot: QtBot, open_client: ClientFactory) -> None:
        """ZJ-COM-TOU lists its two versions, the first ending the day before the second starts."""
        screen = _tariffs(qtbot, open_client("billing01", "en"))
        _open_tariff(qtbot, screen, "ZJ-COM-TOU")
        rows = _cells(screen.version_table)
        assert len(rows) == 2
        assert rows[1][1] == "(current)"
        assert QDate.fromString(rows[0][1], "yyyy-MM-dd").addDays(1) == QDate.fromString(rows[1][0], "yyyy-MM-dd")

    def test_cashier_reads_only(self, qtbot: QtBot, open_client: ClientFactory) -> None:
        """A cashier sees the tariffs but no way to add a version."""
        window = open_client("cashier0101", "zh_CN")
        screen = _tariffs(qtbot, window)
        assert screen.add_button.isHidden()
        assert screen.open_add_dialog() is None

    def test_add_version_and_refused_overlap(self, qtbot: QtBot, open_client: ClientFactory,
                                             desk_server: DeskServer) -> None:  # noqa: F811
        """The clerk adds the next version of 合表 1–10 kV through the dialog (the open one closes the day before);
        a second version on the same day is refused with its translated sentence and nothing is written."""
        screen = _tariffs(qtbot, open_client("billing01", "zh_CN"))
        _open_tariff(qtbot, screen, "ZJ-RES-SHARED-10KV")
        dialog = screen.open_add_dialog()
        assert isinstance(dialog, AddVersionDialog)
        doc = json.loads(dialog.doc_edit.toPlainText().replace("YYYY-MM-DD", "2031-01-01"))
        doc["energy_price"] = "0.548"
        dialog.doc_edit.setPlainText(json.dumps(doc))
        with qtbot.waitSignal(screen.version_added, timeout=TIMEOUT_MS):
            dialog.ok_button.click()
        _settle(qtbot)
        rows = _cells(screen.version_table)
        assert [(r[0], r[1], r[3]) for r in rows][-2:] == [
            (rows[-2][0], "2030-12-31", "0.538"), ("2031-01-01", "（现行）", "0.548")]
        again = screen.open_add_dialog()
        assert isinstance(again, AddVersionDialog)
        again.doc_edit.setPlainText(json.dumps(doc))
        again.ok_button.click()
        qtbot.waitUntil(lambda: again.error_label.text() != "", timeout=TIMEOUT_MS)
        assert again.error_label.text() == ("电价 ZJ-RES-SHARED-10KV 自 2031-01-01 起的版本会与自 2031-01-01 起的"
                                            "版本重叠：新版本必须晚于所有已有版本开始。")
        count = sql(desk_server, "SELECT count(*) FROM tariff_versions v JOIN tariffs t ON t.id = v.tariff_id"
                                 " WHERE t.code = 'ZJ-RES-SHARED-10KV'")
        assert count == [(2,)]
        again.reject()

    def test_float_price_in_the_dialog(self, qtbot: QtBot, open_client: ClientFactory) -> None:
        """A price typed as a JSON number is refused in the dialog with the translated sentence; nothing is sent."""
        screen = _tariffs(qtbot, open_client("billing01", "zh_CN"))
        _open_tariff(qtbot, screen, "ZJ-AGR-1KV")
        dialog = screen.open_add_dialog()
        assert isinstance(dialog, AddVersionDialog)
        doc = json.loads(dialog.doc_edit.toPlainText().replace("YYYY-MM-DD", "2031-01-01"))
        doc["energy_price"] = 0.5
        dialog.doc_edit.setPlainText(json.dumps(doc))
        dialog.ok_button.click()
        assert running_ops() == 0
        assert dialog.error_label.text() == ("数值“version.energy_price”必须写成 0.538 这样的十进制数字文本，"
                                             "不能是浮点数。")
        dialog.reject()


def _calculator(qtbot: QtBot, window: MainWindow, code: str) -> TariffCalculatorScreen:
    screen = window.screen_widget("calculator")
    assert isinstance(screen, TariffCalculatorScreen)
    assert window.show_screen("calculator")
    qtbot.waitUntil(lambda: screen.tariff_combo.count() > 0, timeout=TIMEOUT_MS)
    assert screen.select_tariff(code)
    return screen


def _quote(qtbot: QtBot, screen: TariffCalculatorScreen) -> PricedBill:
    with qtbot.waitSignal(screen.quoted, timeout=TIMEOUT_MS) as quoted:
        screen.calculate_button.click()
    _settle(qtbot)
    bill = quoted.args[0]
    assert isinstance(bill, PricedBill)
    return bill


class TestCalculator:
    def test_two_part_customer(self, qtbot: QtBot, open_client: ClientFactory, tmp_path: Path) -> None:
        """A contract-demand customer's month: energy by TOU period, the basic charge with the part above 105 %
        doubled, the power-factor reduction and the added funds; the total is shown in yuan."""
        window = open_client("billing01", "zh_CN")
        screen = _calculator(qtbot, window, "ZJ-LI-DEM-35KV")
        assert screen.two_part_box.isEnabled()
        screen.from_edit.setDate(QDate(2026, 3, 1))
        screen.to_edit.setDate(QDate(2026, 3, 31))
        screen.total_edit.setText("1000")
        for period, kwh in (("peak", "400"), ("flat", "300"), ("valley", "300")):
            next(e for p, e in screen.register_edits.items() if p.value == period).setText(kwh)
        screen.reactive_edit.setText("400")
        screen.demand_edit.setText("300")
        screen.basis_combo.setCurrentIndex(screen.basis_combo.findData("contract_demand"))
        screen.capacity_edit.setText("630")
        screen.contract_edit.setText("280")
        bill = _quote(qtbot, screen)
        kinds = [line.kind.value for line in bill.lines]
        assert "basic_demand_over" in kinds
        assert "power_factor" in kinds
        assert kinds.count("fund") == 3
        assert screen.lines.rowCount() == len(bill.lines)
        yuan = f"{bill.total_fen // 100:,}.{bill.total_fen % 100:02d}"
        assert screen.total_label.text() == f"合计 ¥{yuan}，电量 1000.00 千瓦时"
        assert "功率因数 0.93" in screen.detail_label.text()
        ModelTester(None).check(screen.lines)
        _save(tmp_path, window, "calculator-two-part-zh_CN.png")

    def test_tiered_tou_household(self, qtbot: QtBot, open_client: ClientFactory, tmp_path: Path) -> None:
        """A household's peak and valley registers, priced at 0.568 and 0.288, in English; a cashier may use it."""
        window = open_client("cashier0101", "en")
        screen = _calculator(qtbot, window, "ZJ-RES-TOU")
        assert not screen.two_part_box.isEnabled()
        screen.from_edit.setDate(QDate(2026, 5, 1))
        screen.to_edit.setDate(QDate(2026, 5, 31))
        screen.total_edit.setText("300")
        for period, kwh in (("peak", "200"), ("valley", "100")):
            next(e for p, e in screen.register_edits.items() if p.value == period).setText(kwh)
        bill = _quote(qtbot, screen)
        assert bill.total_fen == 14240
        assert _cells_of(screen) == [["Energy charge", "05-01–05-31", "2025-01-01", "1", "peak", "200.00", "0.568",
                                      "113.60"],
                                     ["Energy charge", "05-01–05-31", "2025-01-01", "1", "valley", "100.00", "0.288",
                                      "28.80"]]
        assert screen.total_label.text() == "Total ¥142.40 for 300.00 kWh"
        _save(tmp_path, window, "calculator-tiered-tou-en.png")

    def test_bad_kwh_is_refused_here(self, qtbot: QtBot, open_client: ClientFactory) -> None:
        """kWh with three decimals is refused on the screen with the translated sentence; nothing is sent."""
        screen = _calculator(qtbot, open_client("billing01", "en"), "ZJ-AGR-1KV")
        screen.total_edit.setText("12.345")
        screen.calculate_button.click()
        assert running_ops() == 0
        assert screen.error_label.text() == "The entry “usage.total_kwh” was not accepted (value_error)."

    def test_server_refusal_is_translated(self, qtbot: QtBot, open_client: ClientFactory) -> None:
        """A two-part tariff without the customer's basis: the server's refusal shows as its sentence."""
        window = open_client("billing01", "en")
        screen = _calculator(qtbot, window, "ZJ-LI-CAP-10KV")
        screen.total_edit.setText("1000")
        screen.reactive_edit.setText("100")
        screen.basis_combo.setCurrentIndex(0)
        screen.calculate_button.click()
        qtbot.waitUntil(lambda: screen.findChild(QMessageBox, "errorBox") is not None, timeout=TIMEOUT_MS)
        box = screen.findChild(QMessageBox, "errorBox")
        assert box is not None
        assert box.text() == ("This consumption cannot be priced: a two-part tariff needs the customer's basis "
                              "(capacity, demand or contract demand).")
        box.close()
        assert screen.lines.rowCount() == 0


def _cells_of(screen: TariffCalculatorScreen) -> list[list[str]]:
    return _cells(screen.line_table)


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_screens_fit_1024x768(qtbot: QtBot, open_client: ClientFactory, tmp_path: Path, locale: str) -> None:
    """At 1024×768 the tariff tables and the calculator's lines need no sideways scrolling."""
    window = open_client("billing01", locale)
    window.resize(1024, 768)
    qtbot.waitExposed(window)
    screen = _tariffs(qtbot, window)
    _open_tariff(qtbot, screen, "ZJ-LI-DEM-35KV")
    assert (window.width(), window.height()) == (1024, 768)
    for table in (screen.tariff_table, screen.version_table, screen.fact_table):
        _assert_fits(table)
    screen.tabs.setCurrentIndex(2)
    _settle(qtbot)
    _assert_fits(screen.tou_table)
    _save(tmp_path, window, f"tariffs-1024-{locale}.png")
    calc = _calculator(qtbot, window, "ZJ-COM-TOU")
    calc.from_edit.setDate(QDate(2026, 5, 20))
    calc.to_edit.setDate(QDate(2026, 6, 19))
    calc.total_edit.setText("310")
    _quote(qtbot, calc)
    _assert_fits(calc.line_table)
    _save(tmp_path, window, f"calculator-1024-{locale}.png")
