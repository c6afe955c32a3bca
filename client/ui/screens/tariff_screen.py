"""The tariffs (电价) screen: the tariff codes, the selected code's versions, and the selected version's document
as readable tables (prices and rules, tiers, TOU periods, funds). Read-only unless the role has BILLING, which
may add the next version of a code (a JSON document, checked here and by the server)."""

from __future__ import annotations

import json

from pydantic import ValidationError
from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from client.core.actions import ActionSlot
from client.ui.context import UiContext
from client.ui.errors import show_in_dialog
from client.ui.messages import error_message
from client.ui.ops import Op
from client.ui.screens.tariff_models import (
    Fact,
    FactModel,
    FundModel,
    TariffListModel,
    TierModel,
    TouModel,
    VersionListModel,
    number,
    tier_rows,
    tou_rows,
    word,
)
from client.ui.widgets.labels import error_label
from client.ui.widgets.table_fit import TableFit
from shared_models.methods.tariffs import (
    ADD_VERSION,
    GET_TARIFF,
    LIST_TARIFFS,
    AddVersionRequest,
    GetTariffRequest,
    ListTariffsRequest,
    TariffDetail,
    TariffList,
)
from shared_models.money import format_fen
from shared_models.refusals import contract_refusal
from shared_models.roles import Perm
from shared_models.tariffs import TariffVersionDoc


def _table(name: str, model: object) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)  # type: ignore[arg-type]
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    return table


class TariffScreen(QWidget):
    """Tariff codes, versions and documents; a billing clerk adds a version."""

    # A version was added (the tariff code).
    version_added = Signal(str)
    # The selected code's versions arrived (the tariff code).
    tariff_shown = Signal(str)

    def __init__(self, *, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tariffScreen")
        self._ctx = ctx
        self._detail: TariffDetail | None = None
        self.add_slot = ActionSlot()
        self.tariffs = TariffListModel(self)
        self.versions = VersionListModel(self)
        self.facts = FactModel(self)
        self.tiers = TierModel(self)
        self.tou = TouModel(self)
        self.funds = FundModel(self)
        self.tariff_table = _table("tariffTable", self.tariffs)
        self.version_table = _table("versionTable", self.versions)
        self.fact_table = _table("factTable", self.facts)
        self.tier_table = _table("tierTable", self.tiers)
        self.tou_table = _table("touTable", self.tou)
        self.fund_table = _table("fundTable", self.funds)
        # The codes and versions share the screen's width: key columns whole, the rest elided or hidden
        # (their full text in the tooltip) so neither table scrolls sideways at 1024 pixels.
        self.tariff_fit = TableFit(self.tariff_table, key=[0, 1], secondary=[4, 5, 2, 3, 6], min_rows=4)
        self.version_fit = TableFit(self.version_table, key=[0, 1, 3], secondary=[2, 4], min_rows=3)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("versionTabs")
        self.tabs.addTab(self.fact_table, self.tr("Prices and rules"))
        self.tabs.addTab(self.tier_table, self.tr("Tiers"))
        self.tabs.addTab(self.tou_table, self.tr("Time of use"))
        self.tabs.addTab(self.fund_table, self.tr("Government funds"))
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("refreshTariffsButton")
        self.add_button = QPushButton(self.tr("New version…"))
        self.add_button.setObjectName("addVersionButton")
        self.add_button.setVisible(ctx.session.can(Perm.BILLING))
        self.add_button.setEnabled(False)
        self.billed_label = QLabel()
        self.billed_label.setObjectName("billedToLabel")
        self._lay_out()
        self.refresh_button.clicked.connect(self.refresh)
        self.add_button.clicked.connect(self.open_add_dialog)
        self.tariff_table.selectionModel().currentRowChanged.connect(self._on_tariff_chosen)
        self.version_table.selectionModel().currentRowChanged.connect(self._on_version_chosen)

    def _lay_out(self) -> None:
        """Actions on top; the codes beside the versions; the version's tables below."""
        top = QHBoxLayout()
        top.addWidget(self.tariff_table, 3)
        side = QVBoxLayout()
        side.addWidget(QLabel(self.tr("Versions")))
        side.addWidget(self.version_table, 1)
        side.addWidget(self.billed_label)
        top.addLayout(side, 2)
        actions = QHBoxLayout()
        actions.addWidget(self.refresh_button)
        actions.addWidget(self.add_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addLayout(top, 2)
        layout.addWidget(self.tabs, 3)

    def activate(self) -> None:
        """The screen became visible: load the codes."""
        self.refresh()

    def refresh(self) -> None:
        """Reload the tariff codes (the selection is kept by code)."""
        rpc = self._ctx.rpc
        Op(parent=self, run=lambda: rpc.call(LIST_TARIFFS, ListTariffsRequest()), busy=[self.refresh_button],
           key="list").on_success(self._on_list).on_failure(lambda exc: self._ctx.report_error(self, exc)).start()

    def _on_list(self, result: TariffList) -> None:
        code = self.current_code()
        self.tariffs.set_rows(result.tariffs)
        codes = [t.code for t in result.tariffs]
        if codes:
            self.select_code(code if code in codes else codes[0])

    def current_code(self) -> str | None:
        """The code of the selected tariff."""
        row = self.tariffs.row_at(self.tariff_table.currentIndex().row())
        return row.code if row is not None else None

    def select_code(self, code: str) -> bool:
        """Select the tariff ``code`` (its versions load); False when it is not listed."""
        for row, tariff in enumerate(self.tariffs.rows()):
            if tariff.code == code:
                index = self.tariffs.index(row, 0)
                if self.tariff_table.currentIndex().row() == row:  # already chosen: load it again
                    self._on_tariff_chosen(index, index)
                self.tariff_table.selectRow(row)
                self.tariff_table.setCurrentIndex(index)
                return True
        return False

    def _on_tariff_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        tariff = self.tariffs.row_at(current.row())
        if tariff is None:
            return
        rpc, req = self._ctx.rpc, GetTariffRequest(code=tariff.code)
        Op(parent=self, run=lambda: rpc.call(GET_TARIFF, req), key="get") \
            .on_success(self._on_detail) \
            .on_failure(lambda exc: self._ctx.report_error(self, exc)) \
            .start()

    def _on_detail(self, detail: TariffDetail) -> None:
        if detail.header.code != self.current_code():  # another code was chosen while this one loaded
            code = self.current_code()
            if code is not None:
                self._on_tariff_chosen(self.tariff_table.currentIndex(), QModelIndex())
            return
        self._detail = detail
        self.versions.set_rows(detail.versions)
        self.billed_label.setText(
            self.tr("Released bills up to {day}: a new version starts after it.").format(day=detail.billed_to)
            if detail.billed_to is not None else self.tr("No released bill yet."))
        self.add_button.setEnabled(True)
        if detail.versions:
            last = len(detail.versions) - 1
            self.version_table.selectRow(last)
            self.version_table.setCurrentIndex(self.versions.index(last, 0))
        self.tariff_shown.emit(detail.header.code)

    def _on_version_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        doc = self.versions.row_at(current.row())
        if doc is not None:
            self.show_version(doc)

    def show_version(self, doc: TariffVersionDoc) -> None:
        """Show ``doc`` in the tabs: its figures, tiers, TOU periods and funds."""
        self.facts.set_rows(self._facts(doc))
        self.tiers.set_rows(tier_rows(doc))
        self.tou.set_rows(tou_rows(doc))
        self.funds.set_rows([(f.code, f.name, f.rate_per_kwh, f.included) for f in doc.funds])
        self.tabs.setTabEnabled(1, doc.tiers is not None)
        self.tabs.setTabEnabled(2, doc.tou is not None)
        self.tabs.setTabEnabled(3, bool(doc.funds))

    def _facts(self, doc: TariffVersionDoc) -> list[Fact]:
        """The single figures of a version, each a translated item and its value."""
        facts = [
            Fact(self.tr("In force"), self.tr("{start} to {end}").format(
                start=doc.effective_from.isoformat(),
                end=doc.effective_to.isoformat() if doc.effective_to else word("open"))),
            Fact(self.tr("Energy price (yuan/kWh)"), number(doc.energy_price)),
        ]
        if doc.shared_meter_price is not None:
            facts.append(Fact(self.tr("Shared-meter (合表) price (yuan/kWh)"), number(doc.shared_meter_price)))
        if doc.tiers is not None:
            facts.append(Fact(self.tr("Tier cycle"), word(doc.tiers.cycle.value)))
            facts.append(Fact(self.tr("Tiers cut on opening or closing"), word(doc.tiers.proration.value)))
        if doc.tou is not None:
            facts.append(Fact(self.tr("Time-of-use prices"), word(doc.tou.pricing.value)))
        part = doc.two_part
        if part is not None:
            facts += [
                Fact(self.tr("Basic charge per kVA a month"), number(part.capacity_price_per_kva)),
                Fact(self.tr("Basic charge per kW a month"), number(part.demand_price_per_kw)),
                Fact(self.tr("Demand above contract × {share} charged at").format(
                    share=number(part.over_contract_share)), "× " + number(part.over_contract_factor)),
                Fact(self.tr("Contract demand at least"), self.tr("{share} of the capacity").format(
                    share=number(part.contract_floor_share))),
                Fact(self.tr("Demand price in a month of ≥ {kwh} kWh per kVA").format(kwh=part.high_use_kwh_per_kva),
                     "× " + number(part.high_use_factor)),
                Fact(self.tr("Days of a month (opening, change, closure)"), str(part.days_per_month)),
            ]
        pf = doc.power_factor
        if pf is not None:
            base = [self.tr("basic charge")] if pf.include_basic else []
            base += [self.tr("energy charge")] if pf.include_energy else []
            base += [self.tr("government funds")] if pf.include_funds else []
            facts.append(Fact(self.tr("Power-factor standard"), pf.standard.value))
            facts.append(Fact(self.tr("Power-factor adjustment on"), " + ".join(base)))
        fee = doc.late_fee
        facts += [
            Fact(self.tr("Late fee a day (‰)"), number(fee.daily_permille_current)),
            Fact(self.tr("Late fee a day across a year end (‰)"), number(fee.daily_permille_cross_year)),
            Fact(self.tr("Across a year end"), word(fee.cross_year.value)),
            Fact(self.tr("Late fee at least"), format_fen(fee.minimum_fen) if fee.minimum_fen else word("none")),
        ]
        if doc.note:
            facts.append(Fact(self.tr("Note"), doc.note))
        return facts

    def open_add_dialog(self) -> AddVersionDialog | None:
        """Open the new-version dialog for the selected code, its document prefilled from the newest version."""
        if self._detail is None or not self._ctx.session.can(Perm.BILLING):
            return None
        template = self._detail.versions[-1] if self._detail.versions else None
        dialog = AddVersionDialog(ctx=self._ctx, code=self._detail.header.code, template=template, parent=self,
                                  slot=self.add_slot)
        dialog.version_added.connect(self._on_added)
        dialog.open()
        return dialog

    def _on_added(self, detail: TariffDetail) -> None:
        self._detail = None
        self.refresh()
        self._on_detail(detail)
        self.version_added.emit(detail.header.code)


class AddVersionDialog(QDialog):
    """The next version of a tariff code as its JSON document: checked here as the server checks it, then sent
    once (a lost answer keeps the key: pressing again replays)."""

    version_added = Signal(object)

    def __init__(self, *, ctx: UiContext, code: str, template: TariffVersionDoc | None, parent: QWidget | None,
                 slot: ActionSlot) -> None:
        super().__init__(parent)
        self.setObjectName("addVersionDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._ctx, self._code, self.slot = ctx, code, slot
        self.setWindowTitle(self.tr("New version of {code}").format(code=code))
        self.doc_edit = QPlainTextEdit()
        self.doc_edit.setObjectName("versionDocEdit")
        if template is not None:
            start = template.effective_from.isoformat()
            text = json.dumps(template.model_copy(update={"effective_to": None}).model_dump(mode="json"),
                              ensure_ascii=False, indent=2)
            self.doc_edit.setPlainText(text.replace(f'"{start}"', '"YYYY-MM-DD"', 1))
        self.error_label = error_label()
        self.ok_button = QPushButton(self.tr("Add version"))
        self.ok_button.setObjectName("addVersionConfirmButton")
        self.cancel_button = QPushButton(self.tr("Cancel"))
        buttons = QDialogButtonBox()
        buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("The version's document: set its first day (effective_from) and the "
                                        "prices. The version in force until then ends the day before.")))
        layout.addWidget(self.doc_edit, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.resize(640, 560)
        self.ok_button.clicked.connect(self._on_ok)
        self.cancel_button.clicked.connect(self.reject)

    def _on_ok(self) -> None:
        try:
            version = json.loads(self.doc_edit.toPlainText())
            req = AddVersionRequest.model_validate_json(json.dumps({"code": self._code, "version": version}))
        except json.JSONDecodeError as exc:
            self.error_label.setText(self.tr("The document is not valid JSON (line {line}).").format(line=exc.lineno))
            return
        except ValidationError as exc:
            code, params = contract_refusal(exc)
            self.error_label.setText(error_message(code, params))
            return
        self.error_label.clear()
        rpc, slot = self._ctx.rpc, self.slot
        action = slot.confirm((self._code, req.version.model_dump_json()))
        Op(parent=self, run=lambda: slot.attempt(action, lambda: rpc.send(ADD_VERSION, req, action=action)),
           busy=[self.ok_button], key="add_version") \
            .on_success(self._done) \
            .on_failure(self._failed) \
            .start()

    def _done(self, detail: TariffDetail) -> None:
        self.version_added.emit(detail)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        show_in_dialog(self, self.error_label, exc, self._ctx.report_error)
