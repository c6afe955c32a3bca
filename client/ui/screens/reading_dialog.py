"""Enter or correct a meter reading by hand (SPEC C1, C5; DOMAIN §9), co-signed by a supervisor on the same dialog.

Opened for a customer (from the bill run review, to correct the reading of a held bill, or from the customer
screen) by a meter reader or billing clerk. It fetches ``reading.list_readings`` and offers the customer's
meters; for the chosen meter and period it shows a field per register with the previous reading beside it.
When the period already has a reading, the entry corrects it (the reason is then required). **Save** sends
``reading.enter_reading`` with the co-signature; the answer's anomalies are shown as translated sentences and
:attr:`ReadingDialog.reading_saved` says it was stored. Every rule (below previous, missing register, twice for
a period, a closed meter) is the server's: its refusal is shown and nothing changes. Opened with ``open()``.
**Meter change…** opens :class:`~client.ui.screens.meter_change_dialog.MeterChangeDialog` (换表) for the meter
chosen; once the change is stored the meters are fetched again, so the new meter can be read here.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.core.actions import ActionSlot
from client.core.rpc_client import make_request
from client.ui.context import UiContext
from client.ui.errors import show_in_dialog
from client.ui.messages import error_message
from client.ui.ops import Op
from client.ui.reading_words import STATUS_NAMES, anomaly_message, register_name, status_name
from client.ui.screens.meter_change_dialog import MeterChangeDialog
from client.ui.widgets.cosign_fields import CosignFields
from client.ui.widgets.date_edits import day_edit, day_of, period_edit, period_of
from client.ui.widgets.dialog_fit import fit_later
from client.ui.widgets.labels import error_label, field_caption, wrapped_label
from client.ui.widgets.meter_choice import customer_label, load_history, meter_combo, show_meters_in_service
from shared_models.errors import ErrorCode
from shared_models.methods.readings import (
    ENTER_READING,
    WITHOUT_VALUES,
    EnterReadingRequest,
    MeterView,
    ReadingCorrection,
    ReadingHistory,
    ReadingSource,
    ReadingStatus,
    ReadingView,
    Register,
)
from shared_models.rules.hall_time import hall_now


def _period_of(day: dt.date) -> int:
    return day.year * 100 + day.month


class ReadingDialog(QDialog):
    """One reading of one meter: registers, date, status, note, and the supervisor's co-signature."""

    #: The reading was stored (its ``ReadingView``, with consumption and anomalies).
    reading_saved = Signal(object)
    #: The customer's meters and readings arrived (the form can be filled).
    history_loaded = Signal()

    def __init__(self, *, ctx: UiContext, customer_no: str, period: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readingDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Enter a meter reading"))
        self._ctx = ctx
        self.customer_no = customer_no
        self.history: ReadingHistory | None = None
        self.saved: ReadingView | None = None
        self.meter_change_dialog: MeterChangeDialog | None = None
        self.slot = ActionSlot()  # a retry after a lost answer stores the reading once
        today = hall_now().date()
        self._period = period if period is not None else _period_of(today)
        self._build_fields(today)
        self._build_layout()
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        self.meter_change_button.clicked.connect(self.open_meter_change)
        self.meter_combo.currentIndexChanged.connect(self._render_form)
        self.period_edit.dateChanged.connect(self._render_form)
        self.status_combo.currentIndexChanged.connect(self._render_values_enabled)
        self._load()

    def _build_fields(self, today: dt.date) -> None:
        self.customer_label = customer_label("readingCustomerLabel", self.customer_no)
        self.meter_combo = meter_combo("readingMeterCombo")
        self.period_edit = period_edit("readingPeriodEdit", self._period)
        self.read_on_edit = day_edit("readingDateEdit", today)
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("readingStatusCombo")
        for code in STATUS_NAMES:
            self.status_combo.addItem(field_caption(status_name(code)), code)
        self.registers_form = QFormLayout()
        self.register_edits: dict[str, QLineEdit] = {}
        self.rollover_check = QCheckBox(self.tr("A register passed its highest value and started again from zero"))
        self.rollover_check.setObjectName("rolloverCheck")
        self.correction_label = wrapped_label("correctionLabel")
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("readingNoteEdit")
        self.note_edit.setMaxLength(200)
        self.cosign = CosignFields(hint=self.tr(
            "A reading typed in by hand is co-signed by a supervisor with their own user name and password; both "
            "names go into the audit trail."))
        self.result_label = wrapped_label("readingResultLabel")
        self.error_label = error_label()
        self.save_button = QPushButton(self.tr("Save reading"))
        self.save_button.setObjectName("saveReadingButton")
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        self.close_button = QPushButton(self.tr("Cancel"))
        self.close_button.setObjectName("dialogCancelButton")
        self.meter_change_button = QPushButton(self.tr("Meter c&hange…"))
        self.meter_change_button.setObjectName("meterChangeButton")
        self.meter_change_button.setAutoDefault(False)
        self.meter_change_button.setEnabled(False)

    def _build_layout(self) -> None:
        buttons = QDialogButtonBox()
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.addButton(self.meter_change_button, QDialogButtonBox.ButtonRole.ActionRole)

        form = QFormLayout()
        form.addRow(self.customer_label)
        form.addRow(self.tr("Meter"), self.meter_combo)
        form.addRow(self.tr("Period"), self.period_edit)
        form.addRow(self.tr("Read on"), self.read_on_edit)
        form.addRow(self.tr("Status"), self.status_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(self.registers_form)
        layout.addWidget(self.rollover_check)
        layout.addWidget(self.correction_label)
        note = QFormLayout()
        note.addRow(self.tr("Reason for the correction"), self.note_edit)
        layout.addLayout(note)
        layout.addWidget(self.cosign)
        layout.addWidget(self.result_label)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)

    # --- the customer's meters and readings ----------------------------------------------------------

    def _load(self) -> None:
        load_history(self, self._ctx, self.customer_no, on_history=self._on_history, on_failure=self._failed)

    def _on_history(self, history: ReadingHistory) -> None:
        self.history = history
        in_service = show_meters_in_service(history, label=self.customer_label, combo=self.meter_combo,
                                            error_label=self.error_label)
        self.save_button.setEnabled(in_service)
        self.meter_change_button.setEnabled(in_service)
        self._render_form()
        self.history_loaded.emit()

    def meter(self) -> MeterView | None:
        """The meter chosen."""
        if self.history is None:
            return None
        asset_no = self.meter_combo.currentData()
        return next((m for m in self.history.meters if m.asset_no == asset_no), None)

    def period(self) -> int:
        """The period chosen (``YYYYMM``)."""
        return period_of(self.period_edit)

    def current_reading(self) -> ReadingView | None:
        """The meter's current (not superseded, not a meter change) reading of the chosen period: the one a
        save corrects."""
        meter = self.meter()
        if meter is None or self.history is None:
            return None
        period = self.period()
        return next((r for r in self.history.readings if r.asset_no == meter.asset_no and r.period == period
                     and not r.superseded and r.status is not ReadingStatus.METER_CHANGED), None)

    def previous_reading(self) -> ReadingView | None:
        """The meter's latest current reading before the chosen period."""
        meter = self.meter()
        if meter is None or self.history is None:
            return None
        period = self.period()
        earlier = [r for r in self.history.readings if r.asset_no == meter.asset_no and r.period < period
                   and not r.superseded and r.values]
        return max(earlier, key=lambda r: (r.period, r.reading_id), default=None)

    def _render_form(self) -> None:
        while self.registers_form.rowCount():
            self.registers_form.removeRow(0)
        self.register_edits = {}
        meter = self.meter()
        if meter is None:
            return
        previous, current = self.previous_reading(), self.current_reading()
        for register in meter.registers:
            edit = QLineEdit()
            edit.setObjectName(f"register_{register.value}")
            edit.setMaxLength(14)
            before = previous.values.get(register) if previous is not None else None
            edit.setPlaceholderText(self.tr("previous {value}").format(value=before) if before is not None else "")
            if current is not None and register in current.values:
                edit.setText(str(current.values[register]))
            self.register_edits[register.value] = edit
            self.registers_form.addRow(field_caption(register_name(register)), edit)
        if current is not None:
            self.correction_label.setText(self.tr(
                "Period {period} already has reading {reading_id} (entered {when}). Saving corrects it: give the "
                "reason below.").format(period=current.period, reading_id=current.reading_id,
                                              when=current.read_on.isoformat()))
            self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(current.status.value)))
        else:
            self.correction_label.setText("")
        self.note_edit.setEnabled(current is not None)  # only a correction carries a reason
        self._render_values_enabled()
        fit_later(self)

    def _render_values_enabled(self) -> None:
        without = ReadingStatus(self.status_combo.currentData()) in WITHOUT_VALUES
        for edit in self.register_edits.values():
            edit.setEnabled(not without)

    def set_value(self, register: str, value: str) -> None:
        """Type ``value`` into the field of ``register``."""
        self.register_edits[register].setText(value)

    # --- a meter change ------------------------------------------------------------------------------------

    def open_meter_change(self) -> MeterChangeDialog | None:
        """Open the 换表 dialog for the meter chosen; the meters are fetched again once it is stored."""
        meter = self.meter()
        if meter is None:
            return None
        dialog = MeterChangeDialog(ctx=self._ctx, customer_no=self.customer_no, asset_no=meter.asset_no,
                                   period=self.period(), parent=self)
        dialog.change_saved.connect(lambda _change: self._load())
        self.meter_change_dialog = dialog
        dialog.open()
        return dialog

    # --- saving ----------------------------------------------------------------------------------------

    def save(self) -> None:
        """Send the reading with the co-signature; the anomalies found are shown when it is stored."""
        meter = self.meter()
        if meter is None:
            return
        status = ReadingStatus(self.status_combo.currentData())
        values = {} if status in WITHOUT_VALUES else \
            {Register(register): edit.text().strip() for register, edit in self.register_edits.items()
             if edit.text().strip()}
        note = self.note_edit.text().strip() or None
        current = self.current_reading()
        if current is not None and note is None:
            self.error_label.setText(self.tr("Give the reason for the correction."))
            return
        cosign = self.cosign.cosign()
        if cosign is None:  # the server refuses the same; saying it here spares the round trip
            self.error_label.setText(error_message(ErrorCode.COSIGN_REQUIRED))
            return
        fields: dict[str, object] = {
            "asset_no": meter.asset_no, "period": self.period(),
            "read_on": day_of(self.read_on_edit), "status": status,
            "source": ReadingSource.MANUAL, "values": values, "rollover_confirmed": self.rollover_check.isChecked(),
            "correction": ReadingCorrection(reading_id=current.reading_id, reason=note)
            if current is not None and note is not None else None,
        }
        self.error_label.clear()
        rpc, slot = self._ctx.rpc, self.slot
        action = slot.confirm((sorted(values.items()), sorted((k, str(v)) for k, v in fields.items() if k != "values"),
                              cosign.username))

        def work() -> ReadingView:
            req = make_request(EnterReadingRequest, **fields)
            return slot.attempt(action, lambda: rpc.send(ENTER_READING, req, action=action, cosign=cosign))

        Op(parent=self, run=work, busy=[self.save_button], key="save") \
            .on_success(self._on_saved) \
            .on_failure(self._on_save_failed) \
            .start()

    def _on_saved(self, reading: ReadingView) -> None:
        self.saved = reading
        self.cosign.clear()
        sentences = [anomaly_message(a) for a in reading.anomalies]
        text = self.tr("Reading {reading_id} of meter {asset_no} is stored.").format(
            reading_id=reading.reading_id, asset_no=reading.asset_no)
        if sentences:
            text += "\n" + self.tr("The checks found:") + "\n• " + "\n• ".join(sentences)
        else:
            text += " " + self.tr("The checks found nothing unusual.")
        self.result_label.setText(text)
        fit_later(self)
        self.save_button.setVisible(False)
        self.close_button.setText(self.tr("Close"))
        self.reading_saved.emit(reading)

    def _on_save_failed(self, exc: BaseException) -> None:
        self.cosign.clear()
        self._failed(exc)

    def _failed(self, exc: BaseException) -> None:
        if not show_in_dialog(self, self.error_label, exc, self._ctx.report_error):
            return
        fit_later(self)
