"""Grow a dialog to what its layout asks for, once widgets added after it was shown are polished.

A dialog whose rows, answers or errors arrive later (a reading's registers, a server's refusal) calls
:func:`fit_later`; the fitting runs on the next turn of the event loop, when the new widgets have their sizes.
The dialog only grows (a size the user chose is kept when it is larger).
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget


def fit_later(dialog: QWidget) -> None:
    """Fit ``dialog`` to its layout on the next turn of the event loop (not at all once it is deleted)."""
    QTimer.singleShot(0, dialog, lambda: fit_now(dialog))


def fit_now(dialog: QWidget) -> None:
    """Grow ``dialog`` to the width its layout asks for and the height that width needs."""
    layout = dialog.layout()
    if layout is None:  # pragma: no cover - a dialog fitted has its layout
        return
    layout.activate()
    width = max(dialog.width(), dialog.sizeHint().width())
    height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else dialog.sizeHint().height()
    dialog.resize(width, max(dialog.height(), height))
