"""Dialogs of the bill run screen: hold a draft with its reason, and confirm the release of a run with its totals.

Both are opened with ``open()`` and answer by signals (no nested ``exec()``); they only ask, the screen sends.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from client.core.receipts import period_text
from shared_models.methods.billruns import RunSummary
from shared_models.money import format_fen


class _AskDialog(QDialog):
    """A text, what the dialog asks, an error line, OK and Cancel."""

    def __init__(self, *, name: str, ok_name: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.text_label = QLabel()
        self.text_label.setObjectName("askTextLabel")
        self.text_label.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setObjectName("dialogErrorLabel")
        self.error_label.setStyleSheet("color: #b00020;")
        self.ok_button = QPushButton()
        self.ok_button.setObjectName(ok_name)
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("dialogCancelButton")
        buttons = QDialogButtonBox()
        buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.text_label)
        self.body.addWidget(self.error_label)
        self.body.addWidget(buttons)
        self.ok_button.clicked.connect(self._on_ok)
        self.cancel_button.clicked.connect(self.reject)

    def _on_ok(self) -> None:
        self.accept()


class HoldDialog(_AskDialog):
    """Why the draft of a customer is held (it is then left out of the run's release)."""

    hold_confirmed = Signal(str)  # the reason

    def __init__(self, *, customer_no: str, customer_name: str, parent: QWidget | None = None) -> None:
        super().__init__(name="holdDialog", ok_name="holdConfirmButton", parent=parent)
        self.setWindowTitle(self.tr("Hold the bill"))
        self.text_label.setText(self.tr("Hold the draft bill of {customer_no} {name}: it is not released with the "
                                        "run until the hold is lifted.").format(customer_no=customer_no,
                                                                                name=customer_name))
        self.reason_combo = QComboBox()
        self.reason_combo.setObjectName("holdReasonCombo")
        self.reason_combo.setEditable(True)
        self.reason_combo.addItems([self.tr("Reading to be checked on site"), self.tr("Customer complaint"),
                                    self.tr("Meter change pending")])
        self.reason_combo.setCurrentIndex(-1)
        self.body.insertWidget(1, self.reason_combo)
        self.ok_button.setText(self.tr("Hold"))
        self.cancel_button.setText(self.tr("Cancel"))

    def reason(self) -> str:
        """The reason typed or picked."""
        return self.reason_combo.currentText().strip()

    def _on_ok(self) -> None:
        reason = self.reason()
        if not reason:
            self.error_label.setText(self.tr("Give the reason for the hold."))
            return
        self.hold_confirmed.emit(reason)
        self.accept()


class ReleaseRunDialog(_AskDialog):
    """The run's totals and what a release does; OK releases."""

    release_confirmed = Signal()

    def __init__(self, *, run: RunSummary, parent: QWidget | None = None) -> None:
        super().__init__(name="releaseRunDialog", ok_name="releaseConfirmButton", parent=parent)
        self.setWindowTitle(self.tr("Release the bill run"))
        self.text_label.setText(self.tr(
            "Release the bill run of book {book}, period {period}?\n\n"
            "Drafts: {drafts} for {kwh} kWh, ¥{total} in all; held: {held}; with anomalies: {anomalies}.\n\n"
            "Every draft that is not held becomes a bill charged to the customer's account (a prepayment pays it "
            "at once). Held drafts stay back and can be released one by one later. A released bill is never "
            "changed: only a refund/back-charge (退补) corrects it.").format(
                book=run.book_code, period=period_text(run.period), drafts=run.drafts, kwh=run.total_kwh,
                total=format_fen(run.total_fen), held=run.held, anomalies=run.with_anomalies))
        self.ok_button.setText(self.tr("Release"))
        self.cancel_button.setText(self.tr("Cancel"))

    def _on_ok(self) -> None:
        self.release_confirmed.emit()
        self.accept()
