"""The bill calculator (测算电费): a tariff, a period's registers (total, TOU, reactive, demand) and, for a two-part
tariff, the customer's basis, priced by the server's one pricing function; the lines and the total, nothing
written. A cashier answers "why is my bill this high" with it; a prepaid customer estimates a purchase."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from client.ui.context import UiContext
from client.ui.messages import error_message
from client.ui.ops import Op
from client.ui.screens.tariff_models import LineModel, kwh_text, number, word
from client.ui.widgets.labels import error_label
from client.ui.widgets.table_fit import TableFit
from shared_models.methods.tariffs import (
    LIST_TARIFFS,
    QUOTE_BILL,
    ListTariffsRequest,
    QuoteBillRequest,
    TariffList,
    TariffSummary,
)
from shared_models.money import format_fen
from shared_models.pricing import PricedBill
from shared_models.refusals import contract_refusal
from shared_models.rules.hall_time import HALL_TZ
from shared_models.tariffs import DemandBasis, TouPeriod

# The TOU registers a meter may have, in the order they are entered.
REGISTERS = (TouPeriod.SHARP, TouPeriod.PEAK, TouPeriod.FLAT, TouPeriod.VALLEY, TouPeriod.DEEP_VALLEY)
_BASES = (DemandBasis.CAPACITY, DemandBasis.DEMAND, DemandBasis.CONTRACT_DEMAND)


def _kwh_edit(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setMaxLength(14)
    edit.setPlaceholderText("0.00")
    return edit


def _last_month() -> tuple[QDate, QDate]:
    first = dt.datetime.now(HALL_TZ).date().replace(day=1)
    last = first - dt.timedelta(days=1)
    return QDate(last.year, last.month, 1), QDate(last.year, last.month, last.day)


class TariffCalculatorScreen(QWidget):
    """测算电费: enter the registers, press Calculate, read the lines."""

    # A quote arrived (the PricedBill).
    quoted = Signal(object)

    def __init__(self, *, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tariffCalculatorScreen")
        self._ctx = ctx
        self._tariffs: list[TariffSummary] = []
        self.tariff_combo = QComboBox()
        self.tariff_combo.setObjectName("calcTariffCombo")
        self.from_edit, self.to_edit = QDateEdit(), QDateEdit()
        self.from_edit.setObjectName("calcFromEdit")
        self.to_edit.setObjectName("calcToEdit")
        for date_edit, day in zip((self.from_edit, self.to_edit), _last_month(), strict=True):
            date_edit.setCalendarPopup(True)
            date_edit.setDisplayFormat("yyyy-MM-dd")
            date_edit.setDate(day)
        self.total_edit = _kwh_edit("calcTotalEdit")
        self.register_edits = {p: _kwh_edit(f"calc_{p.value}_Edit") for p in REGISTERS}
        self.reactive_edit = _kwh_edit("calcReactiveEdit")
        self.demand_edit = _kwh_edit("calcDemandEdit")
        self.basis_combo = QComboBox()
        self.basis_combo.setObjectName("calcBasisCombo")
        self.basis_combo.addItem(self.tr("(single-part)"), None)
        for basis in _BASES:
            self.basis_combo.addItem(word(basis.value), basis.value)
        self.capacity_edit = _kwh_edit("calcCapacityEdit")
        self.contract_edit = _kwh_edit("calcContractEdit")
        self.calculate_button = QPushButton(self.tr("Calculate"))
        self.calculate_button.setObjectName("calculateButton")
        self.calculate_button.setDefault(True)
        self.error_label = error_label("calcErrorLabel")
        self.two_part_box = QGroupBox(self.tr("Two-part customer"))
        self.lines = LineModel(self)
        self.line_table = QTableView()
        self.total_label = QLabel()
        self.detail_label = QLabel()
        layout = QHBoxLayout(self)
        layout.addLayout(self._inputs())
        layout.addLayout(self._results(), 1)
        self.calculate_button.clicked.connect(self.calculate)
        self.tariff_combo.currentIndexChanged.connect(self._on_tariff_chosen)
        self._on_tariff_chosen()

    def _inputs(self) -> QVBoxLayout:
        form = QFormLayout()
        form.addRow(self.tr("Tariff"), self.tariff_combo)
        form.addRow(self.tr("From"), self.from_edit)
        form.addRow(self.tr("To"), self.to_edit)
        form.addRow(self.tr("Total kWh"), self.total_edit)
        for period, edit in self.register_edits.items():
            form.addRow(self.tr("{period} kWh").format(period=word(period.value).capitalize()), edit)
        form.addRow(self.tr("Reactive kvarh"), self.reactive_edit)
        form.addRow(self.tr("Maximum demand kW"), self.demand_edit)
        terms = QFormLayout(self.two_part_box)
        terms.addRow(self.tr("Basic charge on"), self.basis_combo)
        terms.addRow(self.tr("Capacity kVA"), self.capacity_edit)
        terms.addRow(self.tr("Contract demand kW"), self.contract_edit)
        inputs = QVBoxLayout()
        inputs.addLayout(form)
        inputs.addWidget(self.two_part_box)
        inputs.addWidget(self.calculate_button)
        inputs.addWidget(self.error_label)
        inputs.addStretch(1)
        return inputs

    def _results(self) -> QVBoxLayout:
        self.line_table.setObjectName("quoteLineTable")
        self.line_table.setModel(self.lines)
        self.line_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.line_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.line_table.setWordWrap(False)
        # Amount, quantity, price and item whole; days, version, tier and period elided before it scrolls.
        self.line_fit = TableFit(self.line_table, key=[0, 5, 6, 7], secondary=[4, 1, 3, 2], min_rows=6)
        self.total_label.setObjectName("quoteTotalLabel")
        self.total_label.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.detail_label.setObjectName("quoteDetailLabel")
        self.detail_label.setWordWrap(True)
        result = QVBoxLayout()
        result.addWidget(self.line_table, 1)
        result.addWidget(self.detail_label)
        result.addWidget(self.total_label)
        return result

    def activate(self) -> None:
        """The screen became visible: load the tariff codes once."""
        if not self._tariffs:
            rpc = self._ctx.rpc
            Op(parent=self, run=lambda: rpc.call(LIST_TARIFFS, ListTariffsRequest()), key="list") \
                .on_success(self._on_list) \
                .on_failure(lambda exc: self._ctx.report_error(self, exc)) \
                .start()

    def _on_list(self, result: TariffList) -> None:
        self._tariffs = list(result.tariffs)
        self.tariff_combo.clear()
        for tariff in self._tariffs:
            self.tariff_combo.addItem(f"{tariff.code}  {tariff.name}", tariff.code)

    def select_tariff(self, code: str) -> bool:
        """Choose the tariff ``code``; False when it is not listed (yet)."""
        index = self.tariff_combo.findData(code)
        if index >= 0:
            self.tariff_combo.setCurrentIndex(index)
        return index >= 0

    def _current(self) -> TariffSummary | None:
        code = self.tariff_combo.currentData()
        return next((t for t in self._tariffs if t.code == code), None)

    def _on_tariff_chosen(self, *_args: object) -> None:
        """Two-part terms only for a two-part tariff."""
        tariff = self._current()
        self.two_part_box.setEnabled(tariff is not None and tariff.two_part)

    def request(self) -> QuoteBillRequest:
        """The quote the fields ask for, validated as the server validates it (ValidationError otherwise)."""
        def text(edit: QLineEdit) -> str | None:
            return edit.text().strip() or None

        usage: dict[str, Any] = {
            "period_from": self.from_edit.date().toString("yyyy-MM-dd"),
            "period_to": self.to_edit.date().toString("yyyy-MM-dd"),
            "total_kwh": text(self.total_edit) or "",
            "tou_kwh": {p.value: v for p, e in self.register_edits.items() if (v := text(e)) is not None},
            "reactive_kvarh": text(self.reactive_edit),
            "max_demand_kw": text(self.demand_edit),
        }
        terms: dict[str, Any] = {}
        tariff = self._current()
        if tariff is not None and tariff.two_part and self.basis_combo.currentData() is not None:
            terms = {"demand_basis": self.basis_combo.currentData(), "capacity_kva": text(self.capacity_edit),
                     "contract_demand_kw": text(self.contract_edit)}
        body = {"tariff_code": self.tariff_combo.currentData(), "usage": usage, "terms": terms}
        return QuoteBillRequest.model_validate_json(json.dumps(body))

    def calculate(self) -> None:
        """Price the entered consumption on the server (nothing is written)."""
        if self.tariff_combo.currentData() is None:
            self.error_label.setText(self.tr("Choose a tariff first."))
            return
        try:
            req = self.request()
        except ValidationError as exc:
            code, params = contract_refusal(exc)
            self.error_label.setText(error_message(code, params))
            return
        self.error_label.clear()
        rpc = self._ctx.rpc
        Op(parent=self, run=lambda: rpc.call(QUOTE_BILL, req), busy=[self.calculate_button], key="quote") \
            .on_success(self._on_quote) \
            .on_failure(self._on_failed) \
            .start()

    def _on_failed(self, exc: BaseException) -> None:
        self.lines.set_rows([])
        self.total_label.clear()
        self.detail_label.clear()
        self._ctx.report_error(self, exc)

    def _on_quote(self, bill: PricedBill) -> None:
        self.lines.set_rows(bill.lines)
        self.total_label.setText(self.tr("Total ¥{total} for {kwh} kWh").format(
            total=format_fen(bill.total_fen), kwh=kwh_text(bill.total_kwh)))
        parts = [self.tr("Versions from {days}").format(days=", ".join(d.isoformat() for d in bill.versions_from))]
        if bill.power_factor is not None:
            parts.append(self.tr("power factor {pf}").format(pf=number(bill.power_factor)))
        funds = sum(f.amount_fen for f in bill.funds)
        if bill.funds:
            parts.append(self.tr("government funds ¥{amount} ({names})").format(
                amount=format_fen(funds), names=", ".join(
                    f"{f.name} {format_fen(f.amount_fen)}" + (self.tr(" included") if f.included else "")
                    for f in bill.funds)))
        self.detail_label.setText("; ".join(parts))
        self.quoted.emit(bill)
