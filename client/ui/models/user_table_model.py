"""The users an administrator manages, as a table: locked or not is the server's word, never this PC's clock."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Final

from client.ui.messages import role_name
from client.ui.models.rows_model import Column, RowsModel, hall_text, translated
from shared_models.methods.admin import UserRow

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # PySide6's stub says it returns object
        ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

_LOCKED: Final = QT_TRANSLATE_NOOP("UserTableModel", "Locked")
_ACTIVE: Final = QT_TRANSLATE_NOOP("UserTableModel", "Active")
_DISABLED: Final = QT_TRANSLATE_NOOP("UserTableModel", "Disabled")


def _status(user: UserRow) -> str:
    # locked or not is the server's word, judged by its clock: this PC's clock may be wrong
    source = _LOCKED if user.locked else _ACTIVE if user.active else _DISABLED
    return translated("UserTableModel", source)


class UserTableModel(RowsModel[UserRow]):
    """Rows of ``admin.list_users``; read-only."""

    CONTEXT = "UserTableModel"
    COLUMNS: ClassVar[tuple[Column[Any], ...]] = (
        Column(QT_TRANSLATE_NOOP("UserTableModel", "User name"), lambda u: u.username),
        Column(QT_TRANSLATE_NOOP("UserTableModel", "Full name"), lambda u: u.display_name),
        Column(QT_TRANSLATE_NOOP("UserTableModel", "Role"), lambda u: role_name(u.role)),
        Column(QT_TRANSLATE_NOOP("UserTableModel", "Unit"), lambda u: u.org_unit_name),
        Column(QT_TRANSLATE_NOOP("UserTableModel", "Status"), _status),
        Column(QT_TRANSLATE_NOOP("UserTableModel", "Locked until"),
               lambda u: hall_text(u.locked_until) if u.locked else ""),
        Column(QT_TRANSLATE_NOOP("UserTableModel", "Failed sign-ins"), lambda u: u.failed_attempts, numeric=True),
    )
