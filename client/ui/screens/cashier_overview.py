"""The 360 view of the cashier desk (SPEC C2): profile with the ID number masked, meters, card status,
open bills with the late fee to today, what is owed and prepaid, and the latest payments. A view only:
it renders a ``CustomerOverview`` and knows nothing of the server (**Bill lines…** asks the desk for the selected
open bill's lines)."""

from __future__ import annotations

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from client.ui.messages import customer_value
from client.ui.models.desk_models import OpenBillsModel, RecentPaymentsModel
from client.ui.widgets.table_fit import RowDetails, TableFit
from shared_models.methods.customers import CustomerOverview, CustomerStatus, PaymentMode
from shared_models.money import format_fen

_ALERT = "color: #b00020; font-weight: bold;"


def _table(name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    return table


# Open bills (``OpenBillsModel``): what decides the payment stays whole (period, principal, late fee, owed
# today); due date, days late, kWh and the bill number share the rest, and go to the details line below.
BILL_KEY = (0, 3, 6, 7)
BILL_SECONDARY = (5, 4, 2, 1)
BILL_ORDER = (0, 3, 6, 7, 4, 5, 2, 1)
# Recent payments (``RecentPaymentsModel``): receipt, amount and state whole; time, method, counter after.
PAYMENT_KEY = (0, 2, 5)
PAYMENT_SECONDARY = (1, 3, 4)


def _caption(text: str) -> QLabel:
    """A field's caption; on a narrow screen it wraps onto two lines so the values keep their width."""
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class OverviewPanel(QWidget):
    """Who the customer is and what they owe; :meth:`show_overview` renders, None clears."""

    #: The lines of this open bill are asked for (its bill number).
    bill_lines_requested = Signal(str)
    #: The card-sale screen is asked for, for this customer (a prepaid-card customer's account number).
    card_sale_requested = Signal(str)
    #: The card history of this customer is asked for.
    card_history_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overviewPanel")
        self.overview: CustomerOverview | None = None
        self.values: dict[str, QLabel] = {}

        self.profile_box = QGroupBox(self.tr("Customer"))
        profile = QGridLayout(self.profile_box)
        profile.setColumnStretch(1, 1)
        profile.setColumnStretch(3, 1)
        # Two pairs a row keeps the bills table in view; address, tariff and meters take a whole row.
        for row, pairs in enumerate((
            (("customerNoValue", self.tr("Account number")), ("nameValue", self.tr("Name"))),
            (("addressValue", self.tr("Address")),),
            (("phoneValue", self.tr("Phone")), ("idNumberValue", self.tr("ID number"))),
            (("statusValue", self.tr("Status")), ("categoryValue", self.tr("Category"))),
            (("paymentModeValue", self.tr("Payment mode")), ("cardStatusValue", self.tr("IC card"))),
            (("tariffValue", self.tr("Tariff")),),
            (("metersValue", self.tr("Meters")),),
        )):
            for column, (name, caption) in enumerate(pairs):
                profile.addWidget(_caption(caption), row, column * 2)
                profile.addWidget(self._value(name), row, column * 2 + 1, 1, 3 if len(pairs) == 1 else 1)

        self.money_box = QGroupBox(self.tr("Account"))
        money = QGridLayout(self.money_box)
        for column, (name, caption) in enumerate((
            ("arrearsValue", self.tr("Arrears")), ("lateFeeValue", self.tr("Late fee to today")),
            ("dueValue", self.tr("Due today")), ("prepaymentValue", self.tr("Prepayment")),
        )):
            money.addWidget(_caption(caption), 0, column)
            money.addWidget(self._value(name), 1, column)
        self.values["dueValue"].setStyleSheet("font-size: 16pt; font-weight: bold;")

        self.bills_model = OpenBillsModel(self)
        self.bills_table = _table("openBillsTable")
        self.bills_table.setModel(self.bills_model)
        self.bills_fit = TableFit(self.bills_table, key=BILL_KEY, secondary=BILL_SECONDARY, order=BILL_ORDER,
                                  min_rows=3)
        self.bill_details = RowDetails(self.bills_fit, name="billDetailsLabel")
        self.payments_model = RecentPaymentsModel(self)
        self.payments_table = _table("recentPaymentsTable")
        self.payments_table.setModel(self.payments_model)
        self.payments_fit = TableFit(self.payments_table, key=PAYMENT_KEY, secondary=PAYMENT_SECONDARY,
                                     order=range(6), min_rows=2)
        self.as_of_label = QLabel()
        self.as_of_label.setObjectName("asOfLabel")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.profile_box)
        layout.addWidget(self.money_box)
        self.bill_lines_button = QPushButton(self.tr("Bill lines…"))
        self.bill_lines_button.setObjectName("billLinesButton")
        self.bill_lines_button.clicked.connect(self._on_bill_lines)
        self.bills_table.doubleClicked.connect(self._on_bill_lines)
        bills_title = QHBoxLayout()
        bills_title.addWidget(QLabel(self.tr("Open bills (late fee to today)")), 1)
        bills_title.addWidget(self.bill_lines_button)
        layout.addLayout(bills_title)
        layout.addWidget(self.bills_table, 2)
        layout.addWidget(self.bill_details)
        layout.addWidget(self.as_of_label)
        layout.addLayout(self._payments_title())
        layout.addWidget(self.payments_table, 1)
        self.show_overview(None)

    def _payments_title(self) -> QHBoxLayout:
        """"Recent payments" and, for a prepaid-card customer, Card sale and Card history (issue 14): on the title
        line, so the buttons take no height from the tables."""
        self.card_sale_button = QPushButton(self.tr("Card sale 购电 (F10)"))
        self.card_sale_button.setObjectName("cardSaleButton")
        self.card_history_button = QPushButton(self.tr("Card history…"))
        self.card_history_button.setObjectName("cardHistoryOpenButton")
        self.card_sale_button.clicked.connect(lambda: self._emit_card(self.card_sale_requested))
        self.card_history_button.clicked.connect(lambda: self._emit_card(self.card_history_requested))
        title = QHBoxLayout()
        title.addWidget(QLabel(self.tr("Recent payments")), 1)
        title.addWidget(self.card_history_button)
        title.addWidget(self.card_sale_button)
        return title

    def _value(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        self.values[name] = label
        return label

    def text_of(self, name: str) -> str:
        """The text shown in value ``name`` (``dueValue``, ``idNumberValue`` …)."""
        return self.values[name].text()

    def selected_receipt_no(self) -> str | None:
        """The receipt number of the recent payment selected, or None."""
        row = self.payments_model.row_at(self.payments_table.currentIndex().row())
        return row.receipt_no if row is not None else None

    def selected_bill_no(self) -> str | None:
        """The bill number of the open bill selected (the oldest when none is), or None."""
        index = self.bills_table.currentIndex()
        row = self.bills_model.row_at(index.row() if index.isValid() else 0)
        return row.bill_no if row is not None else None

    def _on_bill_lines(self, *_args: object) -> None:
        bill_no = self.selected_bill_no()
        if bill_no is not None:
            self.bill_lines_requested.emit(bill_no)

    def is_card_customer(self) -> bool:
        """The customer shown pays by prepaid IC card (the card buttons are offered)."""
        return self.overview is not None and self.overview.profile.payment_mode is PaymentMode.PREPAID_CARD

    def _emit_card(self, signal: SignalInstance) -> None:
        if self.overview is not None and self.is_card_customer():
            signal.emit(self.overview.profile.customer_no)

    def show_overview(self, overview: CustomerOverview | None) -> None:
        """Render ``overview``; None empties every field and table."""
        self.overview = overview
        for button in (self.card_sale_button, self.card_history_button):
            button.setVisible(self.is_card_customer())
        if overview is None:
            for label in self.values.values():
                label.setText("")
            self.bills_model.set_rows([])
            self.payments_model.set_rows([])
            self.as_of_label.setText("")
            self.setEnabled(False)
            return
        self.setEnabled(True)
        p = overview.profile
        meters = "; ".join(
            self.tr("{asset_no} (multiplier {multiplier})").format(asset_no=m.asset_no, multiplier=m.multiplier)
            for m in p.meters
        )
        shown = {
            "customerNoValue": p.customer_no,
            "nameValue": p.name,
            "addressValue": p.address,
            "phoneValue": p.phone,
            "idNumberValue": p.id_number_masked,  # masked by the server: the full number never travels
            "statusValue": customer_value(p.status),
            "categoryValue": customer_value(p.category),
            "paymentModeValue": customer_value(p.payment_mode),
            "tariffValue": p.tariff_name,
            "metersValue": meters or self.tr("No meter"),
            "cardStatusValue": self._card_text(overview),
            "arrearsValue": format_fen(overview.arrears_fen),
            "lateFeeValue": format_fen(overview.late_fee_fen),
            "dueValue": format_fen(overview.due_fen),
            "prepaymentValue": format_fen(overview.prepayment_fen),
        }
        for name, text in shown.items():
            self.values[name].setText(text)
        self.values["statusValue"].setStyleSheet("" if p.status is CustomerStatus.ACTIVE else _ALERT)
        self.bills_model.set_rows(overview.open_bills)
        self.payments_model.set_rows(overview.recent_payments)
        self.as_of_label.setText(self.tr("Late fees as of {date}.").format(date=overview.as_of.isoformat()))
        self.as_of_label.setStyleSheet("")

    def show_cache_age(self, *, days: int | None, synced_at: str) -> None:
        """The view came from the counter's cache: say how old its customer data is (last complete sync
        ``synced_at``, ``days`` whole days ago, None: never complete), explicitly when a day or more."""
        if self.overview is None:
            return
        date = self.overview.as_of.isoformat()
        if days is not None and days >= 1:
            text = self.tr("Customer data %n day(s) old (last sync {when}); late fees as of {date}, computed on "
                           "this counter.", "", days).format(when=synced_at, date=date)
        else:
            text = self.tr("Late fees as of {date}, computed on this counter (customer data of the last sync, "
                           "{when}).").format(date=date, when=synced_at)
        self.as_of_label.setText(text)
        self.as_of_label.setStyleSheet(_ALERT if days is None or days >= 1 else "")

    def _card_text(self, overview: CustomerOverview) -> str:
        if overview.card_status:
            return overview.card_status
        if overview.profile.payment_mode is PaymentMode.PREPAID_CARD:
            return self.tr("No card issued")
        return self.tr("Not a card customer")
