"""Customer profile by 户号 (Perm.VIEW_CUSTOMERS); the contact phone is editable with Perm.EDIT_CUSTOMERS, a
meter reader or billing clerk (Perm.READINGS) enters or corrects a reading by hand from here, and a billing clerk
(Perm.BILLING) opens the customer's terms (计费参数)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
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
from client.ui.messages import customer_value
from client.ui.ops import Op
from client.ui.screens.customer_terms_dialog import CustomerTermsDialog
from client.ui.screens.reading_dialog import ReadingDialog
from shared_models.ids import is_customer_no
from shared_models.methods.customers import (
    GET_CUSTOMER,
    UPDATE_CONTACT,
    CustomerProfile,
    GetCustomerRequest,
    UpdateContactRequest,
)
from shared_models.money import format_fen
from shared_models.roles import Perm


class CustomerScreen(QWidget):
    """Look a customer up and show profile, meters and balance."""

    def __init__(self, *, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerScreen")
        self._ctx = ctx
        self._profile: CustomerProfile | None = None
        self._message: Callable[[], str] | None = None
        self.phone_action = ActionSlot()  # the phone change waiting for an answer

        self.customer_no_edit = QLineEdit()
        self.customer_no_edit.setObjectName("customerNoEdit")
        self.customer_no_edit.setMaxLength(13)
        self.customer_no_edit.setPlaceholderText(self.tr("10 or 13 digits"))
        self.lookup_button = QPushButton(self.tr("Look up"))
        self.lookup_button.setObjectName("lookupButton")
        self.message_label = QLabel()
        self.message_label.setObjectName("customerMessageLabel")
        self.message_label.setWordWrap(True)
        self.reading_button = self._reading_button(ctx)
        self.reading_dialog: ReadingDialog | None = None
        search = QHBoxLayout()
        search.addWidget(QLabel(self.tr("Account number (户号)")))
        search.addWidget(self.customer_no_edit, 1)
        search.addWidget(self.lookup_button)
        search.addWidget(self.reading_button)
        search.addWidget(self._terms_button(ctx))

        self.values: dict[str, QLabel] = {}
        self.profile_box = self._build_profile_box()

        self.meters_table = QTableWidget(0, 3)
        self.meters_table.setObjectName("metersTable")
        self.meters_table.setHorizontalHeaderLabels([self.tr("Meter asset number"), self.tr("Multiplier"),
                                                     self.tr("Digits")])
        self.meters_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.meters_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

        self.phone_edit = QLineEdit()
        self.phone_edit.setObjectName("phoneEdit")
        self.save_phone_button = QPushButton(self.tr("Save phone"))
        self.save_phone_button.setObjectName("savePhoneButton")
        self.contact_box = QGroupBox(self.tr("Change contact phone"))
        contact = QHBoxLayout(self.contact_box)
        contact.addWidget(self.phone_edit, 1)
        contact.addWidget(self.save_phone_button)
        self.contact_box.setVisible(ctx.session.can(Perm.EDIT_CUSTOMERS))

        layout = QVBoxLayout(self)
        layout.addLayout(search)
        layout.addWidget(self.message_label)
        layout.addWidget(self.profile_box)
        layout.addWidget(self.meters_table, 1)
        layout.addWidget(self.contact_box)

        self.customer_no_edit.returnPressed.connect(self.look_up)
        self.lookup_button.clicked.connect(self.look_up)
        self.save_phone_button.clicked.connect(self._on_save_phone)
        self.phone_edit.returnPressed.connect(self._on_save_phone)
        self._render(None)

    def _reading_button(self, ctx: UiContext) -> QPushButton:
        button = QPushButton(self.tr("Enter reading…"))
        button.setObjectName("enterReadingButton")
        button.setVisible(ctx.session.can(Perm.READINGS))
        button.clicked.connect(self.open_reading)
        return button

    def _terms_button(self, ctx: UiContext) -> QPushButton:
        """The billing clerk's way to the customer's terms (``terms_button``; the dialog is ``terms_dialog``)."""
        self.terms_dialog: CustomerTermsDialog | None = None
        self.terms_button = QPushButton(self.tr("Terms (计费参数)…"))
        self.terms_button.setObjectName("customerTermsButton")
        self.terms_button.setVisible(ctx.session.can(Perm.BILLING))
        self.terms_button.clicked.connect(self.open_terms)
        return self.terms_button

    def _build_profile_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Customer"))
        form = QFormLayout(box)
        for name, caption in (
            ("customerNoValue", self.tr("Account number")), ("nameValue", self.tr("Name")),
            ("addressValue", self.tr("Address")), ("phoneValue", self.tr("Phone")),
            ("idNumberValue", self.tr("ID number")), ("categoryValue", self.tr("Category")),
            ("statusValue", self.tr("Status")), ("paymentModeValue", self.tr("Payment mode")),
            ("tariffValue", self.tr("Tariff")), ("hallValue", self.tr("Business hall")),
            ("balanceValue", self.tr("Balance (yuan)")),
        ):
            label = QLabel()
            label.setObjectName(name)
            label.setWordWrap(True)
            self.values[name] = label
            form.addRow(caption, label)
        return box

    def activate(self) -> None:
        """The screen became visible: put the cursor in the 户号 field."""
        self.customer_no_edit.setFocus()

    def _say(self, message: Callable[[], str] | None) -> None:
        self._message = message
        self.message_label.setText(message() if message else "")

    def look_up(self) -> None:
        """Fetch the customer whose 户号 is typed in."""
        customer_no = self.customer_no_edit.text().strip()
        if not is_customer_no(customer_no):
            self._say(lambda: self.tr("An account number has 10 or 13 digits."))
            return
        self._say(None)
        rpc = self._ctx.rpc
        Op(parent=self, run=lambda: rpc.call(GET_CUSTOMER, GetCustomerRequest(customer_no=customer_no)),
           busy=[self.lookup_button, self.customer_no_edit], key="lookup") \
            .on_success(self._render) \
            .on_failure(self._on_failed) \
            .start()

    def _on_failed(self, exc: BaseException) -> None:
        self._render(None)
        self._ctx.report_error(self, exc)

    def _render(self, profile: CustomerProfile | None) -> None:
        self._profile = profile
        self.profile_box.setEnabled(profile is not None)
        self.save_phone_button.setEnabled(profile is not None)
        self.reading_button.setEnabled(profile is not None)
        self.terms_button.setEnabled(profile is not None)
        self.phone_edit.setEnabled(profile is not None)
        shown = {
            "customerNoValue": profile.customer_no if profile else "",
            "nameValue": profile.name if profile else "",
            "addressValue": profile.address if profile else "",
            "phoneValue": profile.phone if profile else "",
            "idNumberValue": profile.id_number_masked if profile else "",  # masked by the server, shown as sent
            "categoryValue": customer_value(profile.category) if profile else "",
            "statusValue": customer_value(profile.status) if profile else "",
            "paymentModeValue": customer_value(profile.payment_mode) if profile else "",
            "tariffValue": profile.tariff_name if profile else "",
            "hallValue": profile.hall_code if profile else "",
            "balanceValue": format_fen(profile.balance_fen) if profile else "",
        }
        for name, text in shown.items():
            self.values[name].setText(text)
        self.phone_edit.setText(profile.phone if profile else "")
        meters = profile.meters if profile else []
        self.meters_table.setRowCount(len(meters))
        for row, meter in enumerate(meters):
            for column, text in enumerate((meter.asset_no, str(meter.multiplier), str(meter.digits))):
                self.meters_table.setItem(row, column, QTableWidgetItem(text))

    def open_reading(self) -> ReadingDialog | None:
        """Enter or correct a reading of the customer on screen (co-signed by a supervisor)."""
        if self._profile is None:
            return None
        dialog = ReadingDialog(ctx=self._ctx, customer_no=self._profile.customer_no, parent=self)
        self.reading_dialog = dialog
        dialog.open()
        return dialog

    def open_terms(self) -> CustomerTermsDialog | None:
        """Show the terms of the customer on screen, with their history and a form for a dated change."""
        if self._profile is None:
            return None
        dialog = CustomerTermsDialog(ctx=self._ctx, customer_no=self._profile.customer_no, parent=self)
        self.terms_dialog = dialog
        dialog.open()
        return dialog

    def _on_save_phone(self) -> None:
        profile = self._profile
        if profile is None:
            return
        phone = self.phone_edit.text().strip()
        rpc, customer_no, slot = self._ctx.rpc, profile.customer_no, self.phone_action
        action = slot.confirm((customer_no, phone))

        def work() -> CustomerProfile:
            req = make_request(UpdateContactRequest, customer_no=customer_no, phone=phone)
            return slot.attempt(action, lambda: rpc.send(UPDATE_CONTACT, req, action=action))

        Op(parent=self, run=work, busy=[self.save_phone_button, self.phone_edit], key="save_phone") \
            .on_success(self._on_phone_saved) \
            .on_failure(lambda exc: self._ctx.report_error(self, exc)) \
            .start()

    def _on_phone_saved(self, profile: CustomerProfile) -> None:
        self._render(profile)
        self._say(lambda: self.tr("The contact phone is saved."))
