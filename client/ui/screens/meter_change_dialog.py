"""A meter change (换表) entered at the desk after the work order (DOMAIN §9): both meters, co-signed by a supervisor.

Opened from the reading dialog (**Meter change…**) for a customer, by a meter reader or billing clerk. It fetches
``reading.list_readings`` and offers the customer's meters in service; for the old meter it shows a field per
register for the final reading with the previous reading beside it, the day of the change and the period; for
the new meter its asset number, digits, current and voltage transformer ratios (the server makes the multiplier
CT × PT), its registers (the old meter's ticked to begin with) and a start value for each register ticked.
**Save** sends ``reading.change_meter`` with the co-signature; the answer (the new meter's multiplier, the old
meter's last consumption) is shown and :attr:`MeterChangeDialog.change_saved` says it was stored. Every rule
(asset number in use, date, released period, registers the tariff needs) is the server's: its refusal is shown
and nothing changes. Opened with ``open()``.
"""

from __future__ import annotations

import datetime as dt
import itertools

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from client.core.actions import ActionSlot
from client.core.rpc_client import make_request
from client.ui.context import UiContext
from client.ui.errors import show_in_dialog
from client.ui.messages import error_message
from client.ui.ops import Op
from client.ui.reading_words import register_name
from client.ui.widgets.cosign_fields import CosignFields
from client.ui.widgets.date_edits import day_edit, day_of, period_edit, period_of
from client.ui.widgets.dialog_fit import fit_later
from client.ui.widgets.labels import error_label, field_caption, wrapped_label
from client.ui.widgets.meter_choice import customer_label, load_history, meter_combo, show_meters_in_service
from shared_models.errors import ErrorCode
from shared_models.methods.readings import (
    CHANGE_METER,
    ChangeMeterRequest,
    MeterChangeView,
    MeterView,
    NewMeter,
    ReadingHistory,
    ReadingView,
    Register,
)
from shared_models.rules.hall_time import hall_now

#: Room the spin boxes give (the server holds the ranges: METER_SPEC_INVALID).
_SPIN_MAX = 99_999


def _spin(name: str, value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setRange(0, _SPIN_MAX)
    spin.setValue(value)
    return spin


class MeterChangeDialog(QDialog):
    """The old meter's final reading, the new meter and its start reading, and the supervisor's co-signature."""

    #: The change was stored (its ``MeterChangeView``).
    change_saved = Signal(object)
    #: The customer's meters and readings arrived (the form can be filled).
    history_loaded = Signal()

    def __init__(self, *, ctx: UiContext, customer_no: str, asset_no: str | None = None, period: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("meterChangeDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Meter change"))
        self._ctx = ctx
        self.customer_no = customer_no
        self._asset_no = asset_no
        self.history: ReadingHistory | None = None
        self.saved: MeterChangeView | None = None
        self.slot = ActionSlot()  # a retry after a lost answer changes the meter once
        today = hall_now().date()
        self._period = period if period is not None else today.year * 100 + today.month
        self._build_fields(today)
        self._build_layout()
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        self.meter_combo.currentIndexChanged.connect(self._render_old)
        self._load()

    # --- the form ----------------------------------------------------------------------------------------

    def _build_fields(self, today: dt.date) -> None:
        self.customer_label = customer_label("meterChangeCustomerLabel", self.customer_no)
        self.meter_combo = meter_combo("oldMeterCombo")
        self.previous_label = wrapped_label("oldMeterPreviousLabel")
        self.period_edit = period_edit("changePeriodEdit", self._period)
        self.changed_on_edit = day_edit("changedOnEdit", today)
        self.final_form = QFormLayout()
        self.final_edits: dict[Register, QLineEdit] = {}
        self.rollover_check = QCheckBox(self.tr("Rolled over since its last reading"))
        self.rollover_check.setToolTip(self.tr("A register of the old meter passed its highest value and started "
                                               "again from zero"))
        self.rollover_check.setObjectName("changeRolloverCheck")
        self._build_new_fields()
        self.cosign = CosignFields(hint=self.tr(
            "A meter change is co-signed by a supervisor with their own user name and password; both names go "
            "into the audit trail."))
        self.result_label = wrapped_label("meterChangeResultLabel")
        self.error_label = error_label()
        self.save_button = QPushButton(self.tr("Save meter change"))
        self.save_button.setObjectName("saveMeterChangeButton")
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        self.close_button = QPushButton(self.tr("Cancel"))
        self.close_button.setObjectName("dialogCancelButton")

    def _build_new_fields(self) -> None:
        self.asset_edit = QLineEdit()
        self.asset_edit.setObjectName("newAssetEdit")
        self.asset_edit.setMaxLength(24)
        self.digits_spin = _spin("newDigitsSpin", 6)
        self.ct_spin = _spin("newCtSpin", 1)
        self.pt_spin = _spin("newPtSpin", 1)
        self.register_checks: dict[Register, QCheckBox] = {}
        self.start_edits: dict[Register, QLineEdit] = {}
        for register in Register:
            check = QCheckBox(field_caption(register_name(register)))
            check.setObjectName(f"newRegister_{register.value}")
            edit = QLineEdit()
            edit.setObjectName(f"start_{register.value}")
            edit.setMaxLength(14)
            edit.setEnabled(False)
            check.toggled.connect(edit.setEnabled)
            self.register_checks[register] = check
            self.start_edits[register] = edit

    def _build_layout(self) -> None:
        old_box = QGroupBox(self.tr("Old meter: final reading"))
        old_box.setObjectName("oldMeterBox")
        old_form = QFormLayout()
        old_form.addRow(self.tr("&Meter"), self.meter_combo)
        old_form.addRow(self.previous_label)
        old_form.addRow(self.tr("Changed &on"), self.changed_on_edit)
        old_form.addRow(self.tr("&Period"), self.period_edit)
        old_layout = QVBoxLayout(old_box)
        old_layout.addLayout(old_form)
        old_layout.addLayout(self.final_form)
        old_layout.addWidget(self.rollover_check)
        old_layout.addStretch(1)

        new_box = QGroupBox(self.tr("New meter: installed and its start reading"))
        new_box.setObjectName("newMeterBox")
        new_form = QFormLayout()
        new_form.addRow(self.tr("&Asset number"), self.asset_edit)
        new_form.addRow(self.tr("&Digits"), self.digits_spin)
        new_form.addRow(self.tr("Current transformer ratio (CT)"), self.ct_spin)
        new_form.addRow(self.tr("Voltage transformer ratio (PT)"), self.pt_spin)
        grid = QGridLayout()  # two register columns side by side, so the dialog fits a 768-pixel screen
        half = (len(Register) + 1) // 2
        for column in (0, 2):
            grid.addWidget(QLabel(self.tr("Register")), 0, column)
            grid.addWidget(QLabel(self.tr("Start value")), 0, column + 1)
        for i, register in enumerate(Register):
            row, column = 1 + i % half, 2 * (i // half)
            grid.addWidget(self.register_checks[register], row, column)
            grid.addWidget(self.start_edits[register], row, column + 1)
        new_layout = QVBoxLayout(new_box)
        new_layout.addLayout(new_form)
        new_layout.addWidget(QLabel(self.tr("Tick the registers the new meter has and type each start value.")))
        new_layout.addLayout(grid)

        buttons = QDialogButtonBox()
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        meters = QHBoxLayout()  # the old meter beside the new one, as on the work order
        meters.addWidget(old_box)
        meters.addWidget(new_box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.customer_label)
        layout.addLayout(meters)
        layout.addWidget(self.cosign)
        layout.addWidget(self.result_label)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 110)

    # --- the customer's meters ---------------------------------------------------------------------------

    def _load(self) -> None:
        load_history(self, self._ctx, self.customer_no, on_history=self._on_history, on_failure=self._failed)

    def _on_history(self, history: ReadingHistory) -> None:
        self.history = history
        in_service = show_meters_in_service(history, label=self.customer_label, combo=self.meter_combo,
                                            error_label=self.error_label, asset_no=self._asset_no)
        self.save_button.setEnabled(in_service)
        self._render_old()
        self.history_loaded.emit()

    def old_meter(self) -> MeterView | None:
        """The meter taken out."""
        if self.history is None:
            return None
        asset_no = self.meter_combo.currentData()
        return next((m for m in self.history.meters if m.asset_no == asset_no), None)

    def previous_reading(self) -> ReadingView | None:
        """The old meter's latest current reading with values."""
        meter = self.old_meter()
        if meter is None or self.history is None:
            return None
        own = [r for r in self.history.readings if r.asset_no == meter.asset_no and not r.superseded and r.values]
        return max(own, key=lambda r: (r.period, r.read_on, r.reading_id), default=None)

    def _render_old(self) -> None:
        while self.final_form.rowCount():
            self.final_form.removeRow(0)
        self.final_edits = {}
        meter = self.old_meter()
        if meter is None:
            return
        previous = self.previous_reading()
        if previous is None:
            self.previous_label.setText(self.tr("The old meter has no reading yet."))
        else:
            values = ", ".join(f"{register_name(r)} {v}" for r, v in previous.values.items())
            self.previous_label.setText(self.tr("Last reading: {period}, {read_on}: {values}").format(
                period=previous.period, read_on=previous.read_on.isoformat(), values=values))
        for register in meter.registers:
            edit = QLineEdit()
            edit.setObjectName(f"final_{register.value}")
            edit.setMaxLength(14)
            before = previous.values.get(register) if previous is not None else None
            edit.setPlaceholderText(self.tr("previous {value}").format(value=before) if before is not None else "")
            self.final_edits[register] = edit
            self.final_form.addRow(field_caption(register_name(register)), edit)
        for register, check in self.register_checks.items():  # like for like unless the work order says otherwise
            check.setChecked(register in meter.registers)
        self._set_tab_order()
        fit_later(self)

    def _set_tab_order(self) -> None:
        """Tab goes down the old meter (its register fields are made after the meters arrive), then down the new
        meter register by register, then to the co-signature and Save."""
        chain: list[QWidget] = [self.meter_combo, self.changed_on_edit, self.period_edit, *self.final_edits.values(),
                                self.rollover_check, self.asset_edit, self.digits_spin, self.ct_spin, self.pt_spin]
        for register in Register:
            chain += [self.register_checks[register], self.start_edits[register]]
        chain += [self.cosign.username_edit, self.cosign.password_edit, self.save_button, self.close_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def set_final(self, register: str, value: str) -> None:
        """Type ``value`` into the old meter's field of ``register``."""
        self.final_edits[Register(register)].setText(value)

    def set_start(self, register: str, value: str) -> None:
        """Tick ``register`` on the new meter and type its start value."""
        self.register_checks[Register(register)].setChecked(True)
        self.start_edits[Register(register)].setText(value)

    # --- saving ------------------------------------------------------------------------------------------

    def save(self) -> None:
        """Send the change with the co-signature; the stored change is shown."""
        meter = self.old_meter()
        if meter is None:
            return
        cosign = self.cosign.cosign()
        if cosign is None:  # the server refuses the same; saying it here spares the round trip
            self.error_label.setText(error_message(ErrorCode.COSIGN_REQUIRED))
            return
        registers = [r for r, check in self.register_checks.items() if check.isChecked()]
        final = {r: e.text().strip() for r, e in self.final_edits.items() if e.text().strip()}
        start = {r: self.start_edits[r].text().strip() for r in registers if self.start_edits[r].text().strip()}
        new = {"asset_no": self.asset_edit.text().strip(), "digits": self.digits_spin.value(),
               "ct_ratio": self.ct_spin.value(), "pt_ratio": self.pt_spin.value(), "registers": registers}
        fields: dict[str, object] = {
            "asset_no": meter.asset_no, "period": period_of(self.period_edit),
            "changed_on": day_of(self.changed_on_edit),
            "rollover_confirmed": self.rollover_check.isChecked(),
        }
        self.error_label.clear()
        rpc, slot = self._ctx.rpc, self.slot
        action = slot.confirm((sorted(fields.items(), key=lambda kv: kv[0]), sorted(final.items()),
                               sorted(start.items()), sorted((k, str(v)) for k, v in new.items()), cosign.username))

        def work() -> MeterChangeView:
            req = make_request(ChangeMeterRequest, **fields, final_values=final, start_values=start,
                               new_meter=make_request(NewMeter, **new))
            return slot.attempt(action, lambda: rpc.send(CHANGE_METER, req, action=action, cosign=cosign))

        Op(parent=self, run=work, busy=[self.save_button], key="save") \
            .on_success(self._on_saved) \
            .on_failure(self._on_save_failed) \
            .start()

    def _on_saved(self, change: MeterChangeView) -> None:
        self.saved = change
        self.cosign.clear()
        kwh = change.final_reading.kwh.get(Register.TOTAL)
        text = self.tr("Meter {old} was removed on {day} and meter {new} (multiplier {multiplier}) installed; "
                       "readings {final_id} and {start_id} are stored.").format(
            old=change.old_meter.asset_no, day=change.final_reading.read_on.isoformat(),
            new=change.new_meter.asset_no, multiplier=change.new_meter.multiplier,
            final_id=change.final_reading.reading_id, start_id=change.start_reading.reading_id)
        if kwh is not None:
            text += " " + self.tr("The old meter's last part is {kwh} kWh; the new meter's part follows from its "
                                  "next reading.").format(kwh=kwh)
        self.result_label.setText(text)
        fit_later(self)
        self.save_button.setVisible(False)
        self.close_button.setText(self.tr("Close"))
        self.change_saved.emit(change)

    def _on_save_failed(self, exc: BaseException) -> None:
        self.cosign.clear()
        self._failed(exc)

    def _failed(self, exc: BaseException) -> None:
        if not show_in_dialog(self, self.error_label, exc, self._ctx.report_error):
            return
        fit_later(self)

