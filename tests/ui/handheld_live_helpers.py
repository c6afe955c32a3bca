"""Set-up of the hand-over screen tests against the live server: book T01-B001 assigned to reader1 and read in
the two months before the current one (1000, then 1100: 100 a month), so the package carries previous values,
the previous consumption an estimate goes by, and the anomaly checks have a history.

The period is the hall's current month, as ``handheld.list_books`` gives it; the book's reading day is today
(up to the 28th) so a reading taken today is inside its window.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from client.ui.ops import running_ops
from client.ui.screens.handheld_screen import HandheldScreen
from server.models.customers import Meter
from server.models.org import OrgUnit
from server.models.readings import Reading, ReadingBook
from server.models.users import User
from shared_models.methods.readings import ReadingSource, ReadingStatus
from shared_models.rules.hall_time import business_date, hall_now
from tests.e2e.conftest import LiveServer

TIMEOUT_MS = 20_000
BOOK = "T01-B001"


def today() -> dt.date:
    """The hall's business day."""
    return business_date(hall_now())


def current_period() -> int:
    """The period ``handheld.list_books`` gives when asked for none."""
    day = today()
    return day.year * 100 + day.month


def months_before(period: int, months: int) -> int:
    """``period`` minus ``months`` months."""
    index = period // 100 * 12 + period % 100 - 1 - months
    return index // 12 * 100 + index % 12 + 1


def prepare_book(live: LiveServer) -> int:
    """Assign the book to reader1 with two months of readings before the current period; the period."""
    period = current_period()
    engine = create_engine(live.db_url)
    try:
        with Session(engine) as db:
            hall = db.scalar(select(OrgUnit.id).where(OrgUnit.code == "T01"))
            reader = db.scalar(select(User.id).where(User.username == "reader1"))
            assert hall is not None
            assert reader is not None
            db.add(ReadingBook(code=BOOK, name="文三路一段", hall_id=hall, reader_id=reader,
                               reading_day=min(today().day, 28), window_days=5))
            for meter in db.scalars(select(Meter)).all():
                for months, total in ((2, "1000.00"), (1, "1100.00")):
                    earlier = months_before(period, months)
                    db.add(Reading(meter_id=meter.id, period=earlier,
                                   read_on=dt.date(earlier // 100, earlier % 100, 15), status=ReadingStatus.ACTUAL,
                                   source=ReadingSource.IMPORT, total=Decimal(total)))
            db.commit()
    finally:
        engine.dispose()
    return period


def settle(qtbot: QtBot) -> None:
    """Every Op delivered."""
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=TIMEOUT_MS)


def open_books(qtbot: QtBot, screen: HandheldScreen) -> None:
    """Load the reader's books into the screen."""
    with qtbot.waitSignal(screen.books_loaded, timeout=TIMEOUT_MS):
        screen.refresh()
    settle(qtbot)


def download(qtbot: QtBot, screen: HandheldScreen, folder: Path) -> dict[str, Any]:
    """Download the selected book into ``folder`` through the screen; the package written, as a document."""
    folder.mkdir(exist_ok=True)
    with qtbot.waitSignal(screen.downloaded, timeout=TIMEOUT_MS) as blocker:
        screen.download_to(folder)
    settle(qtbot)
    path = blocker.args[0].path
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def upload(qtbot: QtBot, screen: HandheldScreen, path: Path) -> None:
    """Upload ``path`` through the screen and wait for the report."""
    with qtbot.waitSignal(screen.report_shown, timeout=TIMEOUT_MS):
        screen.upload_file(path)
    settle(qtbot)
