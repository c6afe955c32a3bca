"""What ``card.read_card`` said about the card in the reader: whose it is, what it holds, what may be done.

A view only: :meth:`CardViewPanel.show_card` renders a ``CardView`` (customer, meter, card type, the wallet's count
against the books', the return file the meter wrote, the pending write with its receipt, the sale terms) and the
refusal sentence when no sale may be made; it knows nothing of the reader or the server."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from client.ui.messages import error_message
from client.ui.models.rows_model import MINUTES, hall_text
from client.ui.widgets.card_tables import card_kind_text, write_kind_text
from client.ui.widgets.labels import ERROR_STYLE, wrapped_label
from shared_models.methods.cards import CardStanding, CardView
from shared_models.money import format_fen

_WARN = "color: #8a5a00; font-weight: bold;"
_OK = "color: #1b5e20; font-weight: bold;"


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class CardViewPanel(QWidget):
    """The card read: customer and meter, the card's files, the pending write, the terms or the refusal."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardViewPanel")
        self.card: CardView | None = None
        self.values: dict[str, QLabel] = {}

        self.card_box = QGroupBox(self.tr("Card in the reader"))
        grid = QGridLayout(self.card_box)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        # Short values two a row; the sentences (customer, standing, the meter's report) a row each, so that they
        # wrap on the counter's narrow screen instead of being cut.
        for row, pairs in enumerate((
            (("cardCustomerValue", self.tr("Customer")),),
            (("cardMeterValue", self.tr("Meter")), ("cardSerialValue", self.tr("Card serial"))),
            (("cardKindValue", self.tr("Card type")), ("cardCountValue", self.tr("Purchase count"))),
            (("cardStandingValue", self.tr("Standing")),),
            (("cardWalletValue", self.tr("On the card, not yet in the meter")),),
            (("cardReturnValue", self.tr("Meter's last report")),),
        )):
            for column, (name, caption) in enumerate(pairs):
                grid.addWidget(_caption(caption), row, column * 2)
                grid.addWidget(self._value(name), row, column * 2 + 1, 1, 3 if len(pairs) == 1 else 1)
        grid.setRowStretch(grid.rowCount(), 1)  # the rows at the top of the box, the room below them

        self.pending_label = wrapped_label("cardPendingLabel")
        self.pending_label.setStyleSheet(_WARN)
        self.terms_label = wrapped_label("cardTermsLabel")
        self.refusal_label = wrapped_label("cardRefusalLabel")
        self.refusal_label.setStyleSheet(ERROR_STYLE + " font-weight: bold;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # What may be done comes first, where the eye goes; the card's details take the rest of the height.
        layout.addWidget(self.refusal_label)
        layout.addWidget(self.pending_label)
        layout.addWidget(self.terms_label)
        layout.addWidget(self.card_box, 1)
        self.show_card(None)

    def _value(self, name: str) -> QLabel:
        label = wrapped_label(name)
        self.values[name] = label
        return label

    def text_of(self, name: str) -> str:
        """The text shown in value ``name`` (``cardCountValue``, ``cardReturnValue`` …)."""
        return self.values[name].text()

    def show_card(self, card: CardView | None) -> None:
        """Render ``card``; None: no card read yet."""
        self.card = card
        if card is None:
            for label in self.values.values():
                label.setText("")
            self.values["cardCustomerValue"].setText(self.tr("No card read yet: insert the card and press F3."))
            for label in (self.pending_label, self.terms_label, self.refusal_label):
                label.setText("")
                label.setVisible(False)
            return
        if card.customer_no is not None:
            customer = self.tr("{customer_no} {name}, {address}").format(
                customer_no=card.customer_no, name=card.customer_name or "", address=card.address or "")
        else:
            customer = self.tr("Not registered to any customer")
        books = "—" if card.system_count is None else str(card.system_count)
        shown = {
            "cardCustomerValue": customer,
            "cardMeterValue": card.meter_no or "—",
            "cardSerialValue": card.serial.upper(),
            "cardKindValue": card_kind_text(card.kind),
            "cardStandingValue": self._standing(card.standing),
            "cardCountValue": self.tr("card {card} / books {books}").format(card=card.wallet_count, books=books),
            "cardWalletValue": self.tr("¥{amount}").format(amount=format_fen(card.wallet_amount_fen)),
            "cardReturnValue": self._returned(card),
        }
        for name, text in shown.items():
            self.values[name].setText(text)
        self.values["cardStandingValue"].setStyleSheet("" if card.standing in (
            CardStanding.CURRENT, CardStanding.BLANK) else ERROR_STYLE + " font-weight: bold;")
        self._show_pending(card)
        self._show_terms(card)
        refusal = error_message(card.refusal.code, card.refusal.params) if card.refusal is not None else ""
        self.refusal_label.setText(refusal)
        self.refusal_label.setVisible(bool(refusal))

    def _standing(self, standing: CardStanding) -> str:
        return {
            CardStanding.BLANK: self.tr("blank: may be opened or issued as a replacement"),
            CardStanding.CURRENT: self.tr("the customer's current card"),
            CardStanding.RETIRED: self.tr("retired: replaced by a newer card"),
            CardStanding.UNKNOWN: self.tr("not registered to anyone"),
        }[standing]

    def _returned(self, card: CardView) -> str:
        ret = card.returned
        if ret is None:
            return self.tr("Return file empty: the card has not been in the meter since it was written.")
        text = self.tr("Remaining ¥{remaining}, overdraft ¥{overdraft}, purchase count {count}, inserted {when}.") \
            .format(remaining=format_fen(ret.remaining_fen), overdraft=format_fen(ret.overdraft_fen),
                    count=ret.purchase_count, when=hall_text(ret.written_at, MINUTES))
        if ret.illegal_inserts:
            text += " " + self.tr("Illegal inserts: %n.", "", ret.illegal_inserts)
        return text

    def _show_pending(self, card: CardView) -> None:
        pending = card.pending
        if pending is None:
            self.pending_label.setText("")
            self.pending_label.setVisible(False)
            return
        receipt = pending.receipt_no or "—"
        if pending.on_card:
            text = self.tr("{kind} no. {count} of ¥{amount} (receipt {receipt}) is on the card but not confirmed: "
                           "the next read confirms it.")
        else:
            text = self.tr("{kind} no. {count} of ¥{amount} (receipt {receipt}) was paid but is not on the card: "
                           "rewrite it with F6 (补写卡), no new money.")
        self.pending_label.setText(text.format(kind=write_kind_text(pending.kind), count=pending.purchase_count,
                                               amount=format_fen(pending.write_amount_fen), receipt=receipt))
        self.pending_label.setVisible(True)

    def _show_terms(self, card: CardView) -> None:
        terms = card.sale
        if terms is None:
            self.terms_label.setText("")
            self.terms_label.setVisible(False)
            return
        text = self.tr("Purchase no. {count} may be sold: from ¥{min} to ¥{max}.").format(
            count=terms.next_purchase_count, min=format_fen(terms.min_fen), max=format_fen(terms.max_fen))
        if terms.arrears_fen:
            text += " " + self.tr("Arrears of ¥{arrears} are settled first and are not written to the card.") \
                .format(arrears=format_fen(terms.arrears_fen))
        self.terms_label.setText(text)
        self.terms_label.setStyleSheet(_OK)
        self.terms_label.setVisible(True)
