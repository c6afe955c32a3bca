"""The labels every dialog makes the same way: a word-wrapped label, and the red error label under a form.

Tests find these widgets by ``objectName``; the factories take it as given, so a dialog keeps its names.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

#: The colour of a refusal or problem shown in a label.
ERROR_STYLE = "color: #b00020;"


def wrapped_label(object_name: str, text: str = "") -> QLabel:
    """A label named ``object_name`` that wraps its (later) text to the dialog's width."""
    label = QLabel(text)
    label.setObjectName(object_name)
    label.setWordWrap(True)
    return label


def error_label(object_name: str = "dialogErrorLabel") -> QLabel:
    """The empty, word-wrapped, red label a dialog shows the server's refusal (or its own check) in."""
    label = wrapped_label(object_name)
    label.setStyleSheet(ERROR_STYLE)
    return label


def field_caption(word: str) -> str:
    """A word made for a sentence ("total") as a field's caption ("Total"); Chinese is left as it is."""
    return word[:1].upper() + word[1:]
