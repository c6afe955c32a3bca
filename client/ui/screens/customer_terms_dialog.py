"""The customer terms dialog (计费参数): a customer's terms in force, their dated history and a form to add a change.

Opened from the customer screen for a billing clerk (Perm.BILLING). It fetches ``customer.get_terms`` and shows
what the customer's tariff asks for (two-part, annual tiers), the terms in force today and every stored row with
who recorded it and why. The form holds the whole terms from a date on, filled from the current ones: the demand
basis and its kVA / kW (a two-part tariff only), the first day of the annual tier cycle (annual tiers only), a
household adjustment (a residential customer only), and the reason. **Save** sends ``customer.set_terms``; every
rule (a date inside a billed period, a figure the tariff does not take, a missing figure) is the server's: its
refusal is shown and nothing changes. Opened with ``open()``.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from client.core.actions import ActionSlot
from client.core.rpc_client import make_request
from client.ui.context import UiContext
from client.ui.errors import show_in_dialog
from client.ui.messages import customer_value
from client.ui.ops import Op
from client.ui.widgets.date_edits import day_edit, day_of, qdate
from client.ui.widgets.labels import error_label, wrapped_label
from shared_models.methods.customer_terms import (
    GET_TERMS,
    SET_TERMS,
    CustomerTermsView,
    GetTermsRequest,
    SetTermsRequest,
    TermsEntry,
)
from shared_models.methods.customers import CustomerCategory
from shared_models.pricing import HouseholdAdjustment, HouseholdKind
from shared_models.roles import Perm
from shared_models.rules.hall_time import hall_now
from shared_models.tariffs import DemandBasis


class CustomerTermsDialog(QDialog):
    """One customer's terms: today's, their history and a dated change."""

    #: The customer's terms arrived (``view`` is filled).
    terms_loaded = Signal()
    #: A change was stored (the ``CustomerTermsView`` after it).
    terms_saved = Signal(object)

    def __init__(self, *, ctx: UiContext, customer_no: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerTermsDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Customer terms (计费参数)"))
        self._ctx = ctx
        self.customer_no = customer_no
        self.view: CustomerTermsView | None = None
        self.slot = ActionSlot()  # a retry after a lost answer stores the change once
        self._build_fields(hall_now().date())
        self._build_layout()
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        self.cycle_check.toggled.connect(self.cycle_edit.setEnabled)
        self.household_combo.currentIndexChanged.connect(self._render_household_enabled)
        self._load()

    # --- words -------------------------------------------------------------------------------------------

    def basis_name(self, basis: DemandBasis | None) -> str:
        """The demand basis as the clerk reads it."""
        if basis is None:
            return self.tr("None (single-part)")
        return {DemandBasis.CAPACITY: self.tr("Transformer capacity (kVA)"),
                DemandBasis.DEMAND: self.tr("Maximum demand (kW)"),
                DemandBasis.CONTRACT_DEMAND: self.tr("Contract demand (kW)")}[basis]

    def household_name(self, kind: HouseholdKind | None) -> str:
        """A household adjustment kind as the clerk reads it."""
        if kind is None:
            return self.tr("None")
        return {HouseholdKind.EXTRA_KWH: self.tr("Large household: extra kWh per tier (一户多人口)"),
                HouseholdKind.SHARED_METER_PRICE: self.tr("Shared-meter price (合表)"),
                HouseholdKind.FREE_KWH: self.tr("Free kWh per month (低保/五保)")}[kind]

    def household_text(self, household: HouseholdAdjustment | None) -> str:
        """A household adjustment in one line."""
        if household is None:
            return ""
        figures = ""
        if household.kind is HouseholdKind.EXTRA_KWH:
            figures = " " + ", ".join(str(k) for k in household.extra_kwh_per_tier)
        elif household.kind is HouseholdKind.FREE_KWH:
            figures = f" {household.free_kwh_per_month}"
        return self.tr("{kind}{figures} from {valid_from}").format(
            kind=self.household_name(household.kind), figures=figures, valid_from=household.valid_from.isoformat())

    # --- building ----------------------------------------------------------------------------------------

    def _build_fields(self, today: dt.date) -> None:
        self.customer_label = wrapped_label("termsCustomerLabel", self.tr("Loading the terms of {customer_no}…").format(
            customer_no=self.customer_no))
        self.current_label = wrapped_label("termsCurrentLabel")
        self.history_table = QTableWidget(0, 8)
        self.history_table.setObjectName("termsHistoryTable")
        self.history_table.setHorizontalHeaderLabels([
            self.tr("From"), self.tr("Demand basis"), self.tr("Capacity (kVA)"), self.tr("Contract demand (kW)"),
            self.tr("Tier cycle starts"), self.tr("Household"), self.tr("Recorded by"), self.tr("Reason")])
        self.history_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history_table.horizontalHeader().setStretchLastSection(True)
        self.result_label = wrapped_label("termsResultLabel")
        self.error_label = error_label()
        self.save_button = QPushButton(self.tr("Save change"))
        self.save_button.setObjectName("saveTermsButton")
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setObjectName("dialogCancelButton")
        self._build_form_fields(today)

    def _build_form_fields(self, today: dt.date) -> None:
        self.from_edit = day_edit("termsFromEdit", today)
        self.basis_combo = QComboBox()
        self.basis_combo.setObjectName("termsBasisCombo")
        for basis in (None, *DemandBasis):
            self.basis_combo.addItem(self.basis_name(basis), basis.value if basis is not None else "")
        self.capacity_edit = QLineEdit()
        self.capacity_edit.setObjectName("termsCapacityEdit")
        self.capacity_edit.setMaxLength(16)
        self.demand_edit = QLineEdit()
        self.demand_edit.setObjectName("termsDemandEdit")
        self.demand_edit.setMaxLength(16)
        self.cycle_check = QCheckBox(self.tr("The annual tier cycle starts on"))
        self.cycle_check.setObjectName("termsCycleCheck")
        self.cycle_edit = day_edit("termsCycleEdit", dt.date(today.year, 1, 1))
        self.cycle_edit.setEnabled(False)
        self.household_combo = QComboBox()
        self.household_combo.setObjectName("termsHouseholdCombo")
        for kind in (None, *HouseholdKind):
            self.household_combo.addItem(self.household_name(kind), kind.value if kind is not None else "")
        self.household_figures_edit = QLineEdit()
        self.household_figures_edit.setObjectName("termsHouseholdFiguresEdit")
        self.household_figures_edit.setPlaceholderText(self.tr("kWh, for extra kWh one per tier: 100, 100"))
        self.household_from_edit = day_edit("termsHouseholdFromEdit", today)
        self.household_document_edit = QLineEdit()
        self.household_document_edit.setObjectName("termsHouseholdDocumentEdit")
        self.household_document_edit.setMaxLength(64)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("termsReasonEdit")
        self.reason_edit.setMaxLength(200)
        self.reason_edit.setPlaceholderText(self.tr("The contract or application the change comes from"))

    def _build_layout(self) -> None:
        self.change_box = QGroupBox(self.tr("Add a change (the whole terms from a date on)"))
        form = QFormLayout(self.change_box)
        form.addRow(self.tr("Effective from"), self.from_edit)
        form.addRow(self.tr("Demand basis"), self.basis_combo)
        form.addRow(self.tr("Transformer capacity (kVA)"), self.capacity_edit)
        form.addRow(self.tr("Contract demand (kW)"), self.demand_edit)
        form.addRow(self.cycle_check, self.cycle_edit)
        form.addRow(self.tr("Household adjustment"), self.household_combo)
        form.addRow(self.tr("Household kWh"), self.household_figures_edit)
        form.addRow(self.tr("Household approved from"), self.household_from_edit)
        form.addRow(self.tr("Approval document"), self.household_document_edit)
        form.addRow(self.tr("Reason"), self.reason_edit)
        self.change_box.setVisible(self._ctx.session.can(Perm.BILLING))

        buttons = QDialogButtonBox()
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.customer_label)
        layout.addWidget(self.current_label)
        layout.addWidget(self.history_table, 1)
        layout.addWidget(self.change_box)
        layout.addWidget(self.result_label)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.save_button.setVisible(self._ctx.session.can(Perm.BILLING))
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 110)
        self.setMinimumHeight(self.fontMetrics().height() * 36)

    # --- showing -----------------------------------------------------------------------------------------

    def _load(self) -> None:
        rpc, customer_no = self._ctx.rpc, self.customer_no
        Op(parent=self, run=lambda: rpc.call(GET_TERMS, GetTermsRequest(customer_no=customer_no)), key="terms") \
            .on_success(self._on_loaded).on_failure(self._failed).start()

    def _on_loaded(self, view: CustomerTermsView) -> None:
        self._show(view)
        self._fill_form(view)
        self.save_button.setEnabled(True)
        self.terms_loaded.emit()

    def _show(self, view: CustomerTermsView) -> None:
        self.view = view
        kind = self.tr("two-part") if view.two_part else self.tr("single-part")
        billed = view.billed_to.isoformat() if view.billed_to is not None else self.tr("not yet billed")
        self.customer_label.setText(self.tr(
            "{customer_no} {name} · {category} · tariff {tariff_name} ({tariff_code}), {kind} · billed up to "
            "{billed}").format(customer_no=view.customer_no, name=view.customer_name,
                               category=customer_value(view.category), tariff_name=view.tariff_name,
                               tariff_code=view.tariff_code, kind=kind, billed=billed))
        current = view.current
        self.current_label.setText(self.tr("In force today: {terms}").format(
            terms=self.entry_text(current)) if current is not None else self.tr("No terms are in force today."))
        self.history_table.setRowCount(len(view.history))
        for row, entry in enumerate(view.history):
            cells = (entry.effective_from.isoformat(),
                     self.basis_name(entry.demand_basis) if entry.demand_basis is not None else "",
                     "" if entry.capacity_kva is None else format(entry.capacity_kva, "f"),
                     "" if entry.contract_demand_kw is None else format(entry.contract_demand_kw, "f"),
                     "" if entry.tier_cycle_start is None else entry.tier_cycle_start.isoformat(),
                     self.household_text(entry.household), entry.recorded_by or "", entry.reason or "")
            for column, text in enumerate(cells):
                self.history_table.setItem(row, column, QTableWidgetItem(text))
        residential = view.category is CustomerCategory.RESIDENTIAL
        for widget in (self.basis_combo, self.capacity_edit, self.demand_edit):
            widget.setEnabled(view.two_part)
        self.cycle_check.setEnabled(view.annual_tiers)
        self.household_combo.setEnabled(residential)
        self._render_household_enabled()

    def entry_text(self, entry: TermsEntry) -> str:
        """A stored row in one line (what it holds besides the date)."""
        parts = [self.tr("from {day}").format(day=entry.effective_from.isoformat())]
        if entry.demand_basis is not None:
            parts.append(self.basis_name(entry.demand_basis))
        if entry.capacity_kva is not None:
            parts.append(self.tr("{kva} kVA").format(kva=format(entry.capacity_kva, "f")))
        if entry.contract_demand_kw is not None:
            parts.append(self.tr("contract {kw} kW").format(kw=format(entry.contract_demand_kw, "f")))
        if entry.tier_cycle_start is not None:
            parts.append(self.tr("tier cycle from {day}").format(day=entry.tier_cycle_start.isoformat()))
        if entry.household is not None:
            parts.append(self.household_text(entry.household))
        return " · ".join(parts)

    def _fill_form(self, view: CustomerTermsView) -> None:
        """The form starts from the terms in force (or the newest row), the day after the billed periods."""
        today = hall_now().date()
        start = max(today, view.billed_to + dt.timedelta(days=1)) if view.billed_to is not None else today
        self.from_edit.setDate(qdate(start))
        base = view.current or (view.history[0] if view.history else None)
        if base is None:
            return
        basis = base.demand_basis.value if base.demand_basis is not None else ""
        self.basis_combo.setCurrentIndex(max(0, self.basis_combo.findData(basis)))
        self.capacity_edit.setText("" if base.capacity_kva is None else format(base.capacity_kva, "f"))
        self.demand_edit.setText("" if base.contract_demand_kw is None else format(base.contract_demand_kw, "f"))
        self.cycle_check.setChecked(base.tier_cycle_start is not None)
        if base.tier_cycle_start is not None:
            self.cycle_edit.setDate(qdate(base.tier_cycle_start))
        household = base.household
        self.household_combo.setCurrentIndex(
            max(0, self.household_combo.findData(household.kind.value if household is not None else "")))
        if household is not None:
            self.household_figures_edit.setText(
                ", ".join(str(k) for k in household.extra_kwh_per_tier)
                if household.kind is HouseholdKind.EXTRA_KWH else str(household.free_kwh_per_month))
            self.household_from_edit.setDate(qdate(household.valid_from))
            self.household_document_edit.setText(household.document_no)

    def basis(self) -> DemandBasis | None:
        """The demand basis chosen (None: none)."""
        data = self.basis_combo.currentData()
        return DemandBasis(data) if data else None

    def household_kind(self) -> HouseholdKind | None:
        """The household adjustment chosen (None: none, or the customer is not residential)."""
        data = self.household_combo.currentData()
        return HouseholdKind(data) if data and self.household_combo.isEnabled() else None

    def _render_household_enabled(self) -> None:
        kind = self.household_kind()
        chosen = kind is not None
        for widget in (self.household_from_edit, self.household_document_edit):
            widget.setEnabled(chosen)
        self.household_figures_edit.setEnabled(chosen and kind is not HouseholdKind.SHARED_METER_PRICE)

    # --- saving ------------------------------------------------------------------------------------------

    def _household(self) -> dict[str, object] | str | None:
        """The household adjustment's fields of the form, None without one, or the sentence saying what is
        wrong."""
        kind = self.household_kind()
        if kind is None:
            return None
        words = [w.strip() for w in self.household_figures_edit.text().replace("，", ",").split(",") if w.strip()]
        if kind is not HouseholdKind.SHARED_METER_PRICE and (not words or not all(w.isdigit() for w in words)):
            return self.tr("Give the household's kWh as whole numbers separated by commas.")
        figures = [int(w) for w in words]
        extra = figures if kind is HouseholdKind.EXTRA_KWH else []
        free = figures[0] if kind is HouseholdKind.FREE_KWH else 0
        return {"kind": kind, "valid_from": day_of(self.household_from_edit), "extra_kwh_per_tier": extra,
                "free_kwh_per_month": free, "document_no": self.household_document_edit.text().strip()}

    def save(self) -> None:
        """Send the change; the terms are shown again as the server stored them."""
        if self.view is None:
            return
        household = self._household()
        if isinstance(household, str):
            self.error_label.setText(household)
            return
        two_part = self.basis_combo.isEnabled()
        capacity = self.capacity_edit.text().strip() if two_part else ""
        demand = self.demand_edit.text().strip() if two_part else ""
        fields: dict[str, object] = {
            "customer_no": self.customer_no, "effective_from": day_of(self.from_edit),
            "demand_basis": self.basis() if two_part else None,
            "capacity_kva": capacity or None, "contract_demand_kw": demand or None,
            "tier_cycle_start": day_of(self.cycle_edit) if self.cycle_check.isEnabled()
            and self.cycle_check.isChecked() else None,
            "reason": self.reason_edit.text().strip(),
        }
        self.error_label.clear()
        self.result_label.clear()
        rpc, slot = self._ctx.rpc, self.slot
        action = slot.confirm((sorted((k, repr(v)) for k, v in fields.items()),
                               sorted((k, repr(v)) for k, v in (household or {}).items())))
        day = day_of(self.from_edit)

        def work() -> CustomerTermsView:
            adjustment = None if household is None else make_request(HouseholdAdjustment, **household)
            req = make_request(SetTermsRequest, household=adjustment, **fields)
            return slot.attempt(action, lambda: rpc.send(SET_TERMS, req, action=action))

        Op(parent=self, run=work, busy=[self.save_button], key="save") \
            .on_success(lambda view: self._on_saved(view, day)).on_failure(self._failed).start()

    def _on_saved(self, view: CustomerTermsView, day: dt.date) -> None:
        self._show(view)
        self.reason_edit.clear()
        self.result_label.setText(self.tr("The terms from {day} are stored.").format(day=day.isoformat()))
        self.terms_saved.emit(view)

    def _failed(self, exc: BaseException) -> None:
        show_in_dialog(self, self.error_label, exc, self._ctx.report_error)
