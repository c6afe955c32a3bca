"""``FenEdit``: a yuan amount typed by a person, read as integer fen (after Electrum's ``AmountEdit``).

The text is parsed with :func:`shared_models.money.yuan_to_fen` (Decimal, never float). Full-width digits
from a Chinese input method, spaces, thousands separators and a leading ¥/￥ or trailing 元 are accepted;
anything else is refused with a sentence the screen shows beside the field.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from shared_models.money import MoneyFormatError, format_fen, yuan_to_fen

#: The largest amount a counter takes in one go (¥99,999,999.99): a typo guard, not a business rule.
MAX_FEN: Final = 9_999_999_999
_PLAIN = re.compile(r"^-?\d+(\.\d*)?$|^-?\.\d+$")


class FenEdit(QLineEdit):
    """A line edit for yuan amounts; :meth:`fen` is the amount in fen, or None when empty or invalid."""

    #: The parsed amount changed: int fen, or None (empty or invalid).
    fen_changed = Signal(object)

    def __init__(self, *, name: str, allow_empty: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setMaxLength(20)
        self._allow_empty = allow_empty
        self._fen: int | None = None
        self._problem: str | None = None
        self.textChanged.connect(self._on_text_changed)
        self.setPlaceholderText("0.00")

    def fen(self) -> int | None:
        """The amount in fen; None when the field is empty or its text is not an amount."""
        return self._fen

    def problem(self) -> str | None:
        """Why the text is not accepted (translated), or None."""
        return self._problem

    def is_empty(self) -> bool:
        """True when nothing is typed."""
        return not self.text().strip()

    def set_fen(self, fen: int | None) -> None:
        """Show ``fen`` as yuan (``12.30``), or clear the field."""
        self.setText("" if fen is None else format_fen(fen).replace(",", ""))

    def _on_text_changed(self, text: str) -> None:
        fen, problem = self._parse(text)
        changed = fen != self._fen
        self._fen, self._problem = fen, problem
        self.setStyleSheet("" if problem is None else "color: #b00020;")
        if changed:
            self.fen_changed.emit(fen)

    def _parse(self, text: str) -> tuple[int | None, str | None]:
        cleaned = unicodedata.normalize("NFKC", text).strip()  # full-width ０-９ and ． become ASCII
        for noise in (",", " ", "¥", "元"):
            cleaned = cleaned.replace(noise, "")
        if not cleaned:
            return None, None if self._allow_empty else self.tr("Enter an amount.")
        if not _PLAIN.match(cleaned):
            return None, self.tr("“{text}” is not an amount in yuan (for example 123.45).").format(text=text.strip())
        try:
            fen = yuan_to_fen(cleaned)
        except MoneyFormatError:
            return None, self.tr("An amount has at most two decimals (fen).")
        if fen > MAX_FEN:
            return None, self.tr("The amount is too large.")
        return int(fen), None
