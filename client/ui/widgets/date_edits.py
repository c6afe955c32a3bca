"""Date fields as the dialogs make them: a day with a calendar (``yyyy-MM-dd``) and a billing period (``yyyy-MM``).

A period is the integer ``YYYYMM`` the server speaks; its field shows the month's first day as ``yyyy-MM``.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit


def qdate(day: dt.date) -> QDate:
    """``day`` as Qt's date."""
    return QDate(day.year, day.month, day.day)


def day_edit(object_name: str, day: dt.date) -> QDateEdit:
    """A day field (``yyyy-MM-dd``, with a calendar) showing ``day``."""
    edit = QDateEdit()
    edit.setObjectName(object_name)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    edit.setDate(qdate(day))
    return edit


def day_of(edit: QDateEdit) -> dt.date:
    """The day chosen in ``edit``."""
    chosen = edit.date()
    return dt.date(chosen.year(), chosen.month(), chosen.day())


def period_edit(object_name: str, period: int) -> QDateEdit:
    """A period field (``yyyy-MM``) showing ``period`` (``YYYYMM``)."""
    edit = QDateEdit()
    edit.setObjectName(object_name)
    edit.setDisplayFormat("yyyy-MM")
    edit.setDate(QDate(period // 100, period % 100, 1))
    return edit


def period_of(edit: QDateEdit) -> int:
    """The period chosen in ``edit`` (``YYYYMM``)."""
    chosen = edit.date()
    return chosen.year() * 100 + chosen.month()
