"""The dialog that gives a reading book (抄表段) to a meter reader with its reading day (例日) and window.

Opened from the Reading books screen (Perm.BILLING) with the book's row and the hall's active meter readers.
**Assign** sends ``books.assign_book`` off the GUI thread with the key of the confirmed action (a press again after
a lost answer replays the first result); every rule (a reader who is no meter reader, deactivated or of another
hall, a day or window out of range) is the server's: its refusal is shown and nothing changes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from client.core.actions import ActionSlot
from client.core.rpc_client import SESSION_LOST_CODES, RpcError, make_request
from client.ui.context import UiContext
from client.ui.errors import error_text
from client.ui.ops import Op
from client.ui.widgets.dialog_fit import fit_later
from client.ui.widgets.labels import error_label, wrapped_label
from shared_models.methods.reading_books import (
    ASSIGN_BOOK,
    READING_DAY_MAX,
    READING_DAY_MIN,
    WINDOW_DAYS_MAX,
    WINDOW_DAYS_MIN,
    AssignBookRequest,
    ReaderRef,
    ReadingBookRow,
)


class BookAssignDialog(QDialog):
    """A book's reader, reading day and window; Assign stores them."""

    #: The server stored the assignment (the ``ReadingBookRow`` after it).
    book_assigned = Signal(object)

    def __init__(self, *, ctx: UiContext, book: ReadingBookRow, readers: list[ReaderRef],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bookAssignDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Assign reading book"))
        self._ctx = ctx
        self.book = book
        self.slot = ActionSlot()
        self.book_label = wrapped_label("assignBookLabel", self.tr("Book {book_code} {name}, {customers} customers")
                                        .format(book_code=book.book_code, name=book.name, customers=book.customers))
        self.reader_combo = QComboBox()
        self.reader_combo.setObjectName("assignReaderCombo")
        for reader in readers:
            self.reader_combo.addItem(f"{reader.display_name} ({reader.username})", reader.username)
        if book.reader is not None and self.reader_combo.findData(book.reader) < 0:
            # The book's reader can no longer take books (deactivated, moved): shown, so the clerk sees who it was.
            self.reader_combo.addItem(book.reader_name or book.reader, book.reader)
        self.reader_combo.setCurrentIndex(max(0, self.reader_combo.findData(book.reader)))
        self.day_spin = QSpinBox()
        self.day_spin.setObjectName("assignDaySpin")
        self.day_spin.setRange(READING_DAY_MIN, READING_DAY_MAX)
        self.day_spin.setValue(book.reading_day)
        self.window_spin = QSpinBox()
        self.window_spin.setObjectName("assignWindowSpin")
        self.window_spin.setRange(WINDOW_DAYS_MIN, WINDOW_DAYS_MAX)
        self.window_spin.setValue(book.window_days)
        self.window_spin.setSuffix(self.tr(" days"))
        self.error_label = error_label()
        self.assign_button = QPushButton(self.tr("Assign"))
        self.assign_button.setObjectName("assignBookButton")
        self.assign_button.setDefault(True)
        self.assign_button.setEnabled(self.reader_combo.count() > 0)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("dialogCancelButton")

        form = QFormLayout()
        form.addRow(self.tr("Meter reader"), self.reader_combo)
        form.addRow(self.tr("Reading day (例日)"), self.day_spin)
        form.addRow(self.tr("Window (± days)"), self.window_spin)
        buttons = QDialogButtonBox()
        buttons.addButton(self.assign_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.book_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 50)
        self.assign_button.clicked.connect(self.assign)
        self.cancel_button.clicked.connect(self.reject)

    def assign(self) -> None:
        """Send the assignment; the dialog closes when the server stored it."""
        fields: dict[str, object] = {"book_code": self.book.book_code, "reader": self.reader_combo.currentData(),
                                     "reading_day": self.day_spin.value(), "window_days": self.window_spin.value()}
        self.error_label.clear()
        rpc, slot = self._ctx.rpc, self.slot
        action = slot.confirm(sorted((k, repr(v)) for k, v in fields.items()))

        def work() -> ReadingBookRow:
            req = make_request(AssignBookRequest, **fields)
            return slot.attempt(action, lambda: rpc.send(ASSIGN_BOOK, req, action=action))

        Op(parent=self, run=work, busy=[self.assign_button], key="assign") \
            .on_success(self._on_assigned).on_failure(self._failed).start()

    def _on_assigned(self, row: ReadingBookRow) -> None:
        self.book_assigned.emit(row)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, RpcError) and exc.code in SESSION_LOST_CODES:
            self.reject()
            self._ctx.report_error(self.parentWidget(), exc)
            return
        self.error_label.setText(error_text(exc))
        fit_later(self)
