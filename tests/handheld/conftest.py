"""Fixtures of the handheld tests: book T01-B001 assigned to reader1 with two months of readings, signed in."""

from __future__ import annotations

import base64
import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from server.models.customers import Meter
from server.models.readings import Reading, ReadingBook
from shared_models.methods.readings import ReadingSource, ReadingStatus
from tests.e2e.conftest import live_server
from tests.factories import COMMERCIAL, World
from tests.rpc_helpers import Answer, Caller

__all__ = ["live_server"]

BOOK = "T01-B001"
PERIOD = 202611


@pytest.fixture
def book(db: Session, world: World) -> str:
    """Book T01-B001 (reading day 20 ± 5) of reader1; each meter read 2026-09 (1000) and 2026-10 (1100), but the
    commercial customer's, read 1100 from 2026-08 on (no consumption since)."""
    db.add(ReadingBook(code=BOOK, name="文三路一段", hall_id=world.org["T01"], reader_id=world.users["reader1"],
                       reading_day=20, window_days=5))
    idle = world.customers[COMMERCIAL]
    for meter in db.query(Meter).all():
        history = ((202608, "1100.00"), (202609, "1100.00"), (202610, "1100.00")) if meter.customer_id == idle else (
            (202609, "1000.00"), (202610, "1100.00"))
        for period, total in history:
            db.add(Reading(meter_id=meter.id, period=period, read_on=dt.date(period // 100, period % 100, 20),
                           status=ReadingStatus.ACTUAL, source=ReadingSource.IMPORT, total=Decimal(total)))
    db.commit()
    return BOOK


@pytest.fixture
def reader(caller: Caller, book: str) -> Caller:
    """Signed in as reader1."""
    assert caller.login("reader1").status == 200
    return caller


def ok(answer: Answer) -> dict[str, Any]:
    """The body of a successful call."""
    assert answer.status == 200, answer.body
    return answer.body


def download(caller: Caller, period: int = PERIOD) -> dict[str, Any]:
    """A package of the book, as a document."""
    document: dict[str, Any] = json.loads(
        ok(caller.call("handheld.download_book", {"book_code": BOOK, "period": period}))["text"])
    return document


def fill(document: dict[str, Any], total: str = "1200.00", status: str = "实抄",
         read_at: str = "2026-11-20T10:00:00") -> dict[str, Any]:
    """Every record read with ``total``."""
    for record in document["records"]:
        record["reading"] = {"read_at": read_at, "status": status, "values": {"total": total}, "note": "",
                             "rollover_confirmed": False}
    return document


def b64(data: bytes | str | dict[str, Any]) -> str:
    """A file for the upload RPCs."""
    if isinstance(data, dict):
        data = json.dumps(data, ensure_ascii=False)
    if isinstance(data, str):
        data = data.encode()
    return base64.b64encode(data).decode()


def error_code(answer: Answer) -> str:
    """The error code of a refused call."""
    assert answer.status != 200, answer.body
    return str(answer.body["error"]["code"])
