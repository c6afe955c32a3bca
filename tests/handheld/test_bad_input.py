"""Bad input the issue names that the other handheld tests do not: a customer closed after the download, a package
of a book another package completed, a 200 MB upload refused before it is read; each writes nothing."""

from __future__ import annotations

import socket
import ssl
import urllib.parse

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from server.models.customers import Customer
from server.models.handheld import HandheldAccepted
from server.models.readings import Reading
from shared_models.methods.customers import CustomerStatus
from shared_models.rpc import CONTRACT_VERSION, HEADER_CONTRACT
from tests.e2e.conftest import LiveServer
from tests.handheld.conftest import b64, download, error_code, fill, ok
from tests.rpc_helpers import Caller


def count(db: Session, model: type[object]) -> int:
    """Rows of a table."""
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def test_a_customer_closed_after_the_download_is_an_error_on_its_record(reader: Caller, db: Session) -> None:
    document = fill(download(reader))
    first = document["records"][0]
    db.execute(update(Customer).where(Customer.customer_no == first["customer_no"])
               .values(status=CustomerStatus.CLOSED))
    db.commit()
    report = ok(reader.call("handheld.validate_upload", {"content_b64": b64(document)}))
    record = report["records"][0]
    assert (record["severity"], record["findings"][0]["code"], record["findings"][0]["field"]) == \
        ("error", "customer_closed", "customer_no")
    answer = reader.call("handheld.accept_upload", {"content_b64": b64(document),
                                                    "decisions": [{"seq": first["seq"], "decision": "accept"}]})
    assert error_code(answer) == "HANDHELD_DECISION_REFUSED"
    assert answer.body["error"]["params"]["finding"] == "customer_closed"


def test_a_package_of_a_book_another_package_completed_is_refused(reader: Caller, db: Session) -> None:
    first, second = fill(download(reader)), fill(download(reader))
    decisions = [{"seq": r["seq"], "decision": "accept"} for r in first["records"]]
    assert ok(reader.call("handheld.accept_upload", {"content_b64": b64(first), "decisions": decisions}))[
        "state"] == "accepted"
    readings, accepted = count(db, Reading), count(db, HandheldAccepted)
    for method, extra in (("handheld.validate_upload", {}), ("handheld.accept_upload", {"decisions": decisions})):
        answer = reader.call(method, {"content_b64": b64(second), **extra})
        assert error_code(answer) == "HANDHELD_BOOK_ACCEPTED", method
        assert answer.body["error"]["params"]["book_code"] == first["book"]
    assert (count(db, Reading), count(db, HandheldAccepted)) == (readings, accepted)
    again = ok(reader.call("handheld.accept_upload", {"content_b64": b64(first), "decisions": decisions}))
    assert all(r["repeated"] for r in again["records"])  # the package that completed it still answers


def test_a_200_mb_upload_is_refused_before_its_body_is_sent(live_server: LiveServer) -> None:
    """Only the head of a 200 MB request goes out: the server answers 413 from the declared length alone."""
    url = urllib.parse.urlsplit(live_server.url)
    assert url.hostname is not None
    assert url.port is not None
    context = ssl.create_default_context(cafile=live_server.ca)
    with socket.create_connection((url.hostname, url.port), timeout=30) as raw, \
            context.wrap_socket(raw, server_hostname=url.hostname) as tls:
        tls.sendall((f"POST /rpc/handheld.validate_upload HTTP/1.1\r\nHost: {url.hostname}\r\n"
                     f"Content-Type: application/json\r\nContent-Length: {200 * 1024 * 1024}\r\n"
                     f"{HEADER_CONTRACT}: {CONTRACT_VERSION}\r\n\r\n{{").encode())
        head = tls.recv(4096).decode("latin-1")
    assert head.split(" ", 2)[1] == "413", head
