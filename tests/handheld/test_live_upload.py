"""The handheld upload over HTTPS against the live server: a file above the 256 KiB of other RPCs goes through
``handheld.validate_upload``; a body above the upload limit is refused (413) before it is read."""

from __future__ import annotations

import base64
import datetime as dt
import json
import ssl
from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from client.core.actions import ConfirmedAction
from client.core.rpc_client import RpcClient
from server.handheld.simulator import fill_document
from server.models.customers import Meter
from server.models.org import OrgUnit
from server.models.readings import Reading, ReadingBook
from server.models.users import User
from shared_models.ids import new_idempotency_key
from shared_models.methods.auth import LOGIN, LoginRequest
from shared_models.methods.handheld import (
    DOWNLOAD_BOOK,
    UPLOAD_REQUEST_BYTES,
    VALIDATE_UPLOAD,
    DownloadBookRequest,
    ValidateUploadRequest,
)
from shared_models.methods.readings import ReadingSource, ReadingStatus
from shared_models.pinning import ca_fingerprint
from shared_models.rpc import CONTRACT_VERSION, MAX_REQUEST_BYTES
from tests.e2e.conftest import LiveServer
from tests.factories import DEVICE_KEYS, password_for


@pytest.fixture
def reader_client(live_server: LiveServer) -> Iterator[RpcClient]:
    """reader1 signed in over HTTPS, book T01-B001 assigned and read in 2026-10."""
    engine = create_engine(live_server.db_url)
    with Session(engine) as db:
        if db.get(ReadingBook, "T01-B001") is None:
            hall = db.scalar(select(OrgUnit.id).where(OrgUnit.code == "T01"))
            reader = db.scalar(select(User.id).where(User.username == "reader1"))
            assert hall is not None
            db.add(ReadingBook(code="T01-B001", name="文三路一段", hall_id=hall, reader_id=reader, reading_day=20,
                               window_days=5))
            for meter in db.scalars(select(Meter)).all():
                db.add(Reading(meter_id=meter.id, period=202610, read_on=dt.date(2026, 10, 20),
                               status=ReadingStatus.ACTUAL, source=ReadingSource.IMPORT, total=Decimal(1000)))
            db.commit()
    engine.dispose()
    pin = ca_fingerprint(live_server.ca.read_bytes())
    client = RpcClient(ca_file=live_server.ca, ca_pin=lambda: pin, client_version="test", server_url=live_server.url)
    result = client.call(LOGIN, LoginRequest(username="reader1", password=password_for("reader1"),
                                             counter_code="T0101", device_key=DEVICE_KEYS["T0101"]))
    client.set_session(token=result.token, counter_code="T0101")
    try:
        yield client
    finally:
        client.close()


def test_a_file_larger_than_other_requests_is_validated(reader_client: RpcClient) -> None:
    today = dt.datetime.now(tz=dt.UTC).date()
    period = today.year * 100 + today.month
    package = reader_client.send(DOWNLOAD_BOOK, DownloadBookRequest(book_code="T01-B001", period=period),
                                 action=ConfirmedAction.from_outbox(new_idempotency_key()))
    document = fill_document(json.loads(package.text), mix="normal", read_on=today)
    # Whitespace is outside the signed canonical JSON: the padded file is the same package, 400 KB larger.
    data = json.dumps(document, ensure_ascii=False).encode() + b" " * (MAX_REQUEST_BYTES + 150_000)
    report = reader_client.call(VALIDATE_UPLOAD, ValidateUploadRequest(content_b64=base64.b64encode(data).decode()))
    assert report.package_id == package.package_id
    assert len(report.records) == package.records


def test_a_body_over_the_upload_limit_is_refused_before_reading(live_server: LiveServer) -> None:
    with httpx.Client(verify=ssl.create_default_context(cafile=live_server.ca)) as http:
        response = http.post(f"{live_server.url}/rpc/handheld.validate_upload",
                             content=b"{" + b" " * UPLOAD_REQUEST_BYTES + b"}",
                             headers={"X-GridCounter-Contract": CONTRACT_VERSION})
    assert response.status_code == 413
    assert response.json()["error"]["params"]["limit"] == UPLOAD_REQUEST_BYTES
