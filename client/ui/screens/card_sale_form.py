"""The entry side of the card-sale screen: what is done (sale 购电, opening 开户, replacement 补卡 with its reason),
the amount and mixed tender lines, the flow's progress, and the action buttons. A view: the screen decides what
is enabled and runs the flow."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.core.card_flow import Step
from client.ui.screens.card_sale_words import STEP_COUNT, STEP_ORDER, step_text
from client.ui.widgets.card_tenders import CardTenderBox
from client.ui.widgets.labels import wrapped_label


class SaleMode(StrEnum):
    """What the confirm key does with the card in the reader."""

    SALE = "sale"  # 购电 onto the customer's current card
    OPENING = "opening"  # 开户: a blank card, the first purchase
    REPLACEMENT = "replacement"  # 补卡: a blank card replaces a lost one (the fee)


class CardSaleForm(QWidget):
    """Mode, reason, tenders, progress and the sell / rewrite / reverse buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardSaleForm")
        self.mode_combo = QComboBox()
        self.mode_combo.setObjectName("cardModeCombo")
        for mode, caption in ((SaleMode.SALE, self.tr("Sale 购电")), (SaleMode.OPENING, self.tr("Opening 开户")),
                              (SaleMode.REPLACEMENT, self.tr("Replacement 补卡"))):
            self.mode_combo.addItem(caption, mode.value)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("cardReplaceReasonEdit")
        self.reason_edit.setMaxLength(200)
        self.reason_edit.setPlaceholderText(self.tr("why: lost, broken…"))
        self.reason_caption = QLabel(self.tr("Reason"))
        self.tenders = CardTenderBox(title=self.tr("Payment"), amount_caption=self.tr("Amount received (yuan)"))
        self.progress = QProgressBar()
        self.progress.setObjectName("cardProgressBar")
        self.progress.setRange(0, STEP_COUNT)
        self.progress.setTextVisible(False)
        self.step_label = wrapped_label("cardStepLabel")
        self.sell_button = QPushButton()
        self.sell_button.setObjectName("cardSellButton")
        self.sell_button.setStyleSheet("font-weight: bold; padding: 6px 14px;")
        self.rewrite_button = QPushButton(self.tr("Rewrite 补写卡 (F6)"))
        self.rewrite_button.setObjectName("cardRewriteButton")
        self.reverse_button = QPushButton(self.tr("Reverse 冲正 (F8)"))
        self.reverse_button.setObjectName("cardReverseButton")

        entry = QGridLayout()
        entry.addWidget(QLabel(self.tr("What")), 0, 0)
        entry.addWidget(self.mode_combo, 0, 1)
        entry.addWidget(self.reason_caption, 1, 0)
        entry.addWidget(self.reason_edit, 1, 1)
        buttons = QHBoxLayout()  # the sell key on a line of its own: whole in both languages at 1024 pixels
        buttons.addWidget(self.rewrite_button)
        buttons.addWidget(self.reverse_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(entry)
        layout.addWidget(self.tenders)
        layout.addWidget(self.progress)
        layout.addWidget(self.step_label)
        layout.addWidget(self.sell_button)
        layout.addLayout(buttons)
        layout.addStretch(1)
        QWidget.setTabOrder(self.tenders.last_field(), self.sell_button)
        self.show_mode()

    def mode(self) -> SaleMode:
        """The mode chosen."""
        return SaleMode(self.mode_combo.currentData())

    def set_mode(self, mode: SaleMode) -> None:
        """Choose ``mode``."""
        self.mode_combo.setCurrentIndex(self.mode_combo.findData(mode.value))

    def reason(self) -> str:
        """The replacement's reason as typed."""
        return self.reason_edit.text().strip()

    def show_mode(self) -> None:
        """The confirm button's words and the reason field follow the mode."""
        mode = self.mode()
        self.sell_button.setText({SaleMode.SALE: self.tr("Sell 售电 (F9)"),
                                  SaleMode.OPENING: self.tr("Open card 开户 (F9)"),
                                  SaleMode.REPLACEMENT: self.tr("Replace card 补卡 (F9)")}[mode])
        self.reason_edit.setVisible(mode is SaleMode.REPLACEMENT)
        self.reason_caption.setVisible(mode is SaleMode.REPLACEMENT)

    def start_progress(self, text: str) -> None:
        """A flow starts: the bar empty, ``text`` under it."""
        self.progress.setValue(0)
        self.step_label.setText(text)

    def show_step(self, step: Step) -> None:
        """The flow reached ``step``."""
        self.progress.setValue(STEP_ORDER.get(step, 0))
        self.step_label.setText(step_text(step))
