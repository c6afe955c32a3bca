"""Reading books in words: a book's hand-over state and its reader, as both books screens show them.

The server sends the state as a code (``shared_models.handheld.BookState``); the words are marked with
``QT_TRANSLATE_NOOP`` so lupdate extracts them, and translated when shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from shared_models.handheld import BookState

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # PySide6's stub says it returns object
        ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

STATE_NAMES: dict[BookState, str] = {
    BookState.NOT_SENT: QT_TRANSLATE_NOOP("Books", "Not sent"),
    BookState.ON_HANDHELD: QT_TRANSLATE_NOOP("Books", "On handheld"),
    BookState.RETURNED: QT_TRANSLATE_NOOP("Books", "Returned"),
    BookState.PARTLY_ACCEPTED: QT_TRANSLATE_NOOP("Books", "Partly accepted"),
    BookState.ACCEPTED: QT_TRANSLATE_NOOP("Books", "Accepted"),
}
NO_READER = QT_TRANSLATE_NOOP("Books", "(no reader)")


def state_name(state: BookState) -> str:
    """A book's hand-over state in the user's language."""
    return QCoreApplication.translate("Books", STATE_NAMES[state])


def reader_text(username: str | None, display_name: str | None) -> str:
    """A reader as a cell shows them, "抄表员甲 (reader1)"; a book without a reader says so."""
    if username is None:
        return QCoreApplication.translate("Books", NO_READER)
    return f"{display_name} ({username})" if display_name else username
