"""Showing failures: a known code becomes its sentence; anything else a generic sentence with a reference.

Tracebacks go to the log only, under the reference shown on screen, never onto the screen
(the anti-pattern of Electrum's ``on_error``).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox, QWidget

from client.core.rpc_client import SESSION_LOST_CODES, RpcError
from client.ui.messages import error_message, generic_message

log = logging.getLogger(__name__)


class UserCancelledError(Exception):
    """The user cancelled: nothing to show."""


def new_ref() -> str:
    """A short reference to quote to the support desk and find in the log."""
    return "C-" + secrets.token_hex(4)


def error_text(exc: BaseException) -> str:
    """The translated sentence for ``exc``; an unexpected exception is logged with a fresh reference."""
    if isinstance(exc, RpcError):
        params = dict(exc.params)
        if exc.ref is not None:
            params.setdefault("ref", exc.ref)
        return error_message(exc.code, params)
    ref = new_ref()
    log.error("unexpected error, reference %s", ref, exc_info=(type(exc), exc, exc.__traceback__))
    return generic_message(ref)


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox | None:
    """Show ``exc`` in a non-blocking message box over ``parent``; nothing for a cancel."""
    if isinstance(exc, UserCancelledError):
        return None
    owner = parent if parent is not None else QApplication.activeWindow()
    if owner is None:  # an unowned box would be deleted with its last Python reference, unseen
        log.error("cannot show %r: no window", exc)
        return None
    box = QMessageBox(owner)
    box.setObjectName("errorBox")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("Errors", "GridCounter"))
    box.setText(error_text(exc))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()  # window-modal, returns at once: the GUI thread never waits in a nested exec()
    return box


def show_in_dialog(dialog: QDialog, label: QLabel, exc: BaseException,
                   report: Callable[[QWidget | None, BaseException], None]) -> bool:
    """A dialog's failed call: the sentence in its error ``label`` and True; a lost session instead closes the
    dialog and goes to ``report`` (the context's ``report_error``: back to the login window) and gives False."""
    if isinstance(exc, RpcError) and exc.code in SESSION_LOST_CODES:
        dialog.reject()
        report(dialog.parentWidget(), exc)
        return False
    label.setText(error_text(exc))
    return True


class ErrorHandler:
    """The failure callback the screens hand to ``Op``: a lost session returns to the login window."""

    def __init__(self, *, on_session_lost: Callable[[RpcError], None]) -> None:
        self._on_session_lost = on_session_lost

    def __call__(self, parent: QWidget | None, exc: BaseException) -> None:
        """Route ``exc``: session lost -> login window, anything else -> :func:`show_error`."""
        if isinstance(exc, RpcError) and exc.code in SESSION_LOST_CODES:
            self._on_session_lost(exc)
            return
        show_error(parent, exc)
