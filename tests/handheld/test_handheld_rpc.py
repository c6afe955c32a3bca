"""handheld.* through the dispatcher on a real PostgreSQL: download, validate, accept once, each refusal."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.models.customers import Meter
from server.models.handheld import HandheldAccepted
from server.models.readings import Reading
from shared_models.handheld import CSV_COLUMNS, MAX_FILE_BYTES
from tests.handheld.conftest import PERIOD, b64, download, error_code, fill, ok
from tests.rpc_helpers import Caller


def count(db: Session, model: type[Any]) -> int:
    """Rows of a table."""
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def test_list_and_download_move_the_book_on(reader: Caller) -> None:
    books = ok(reader.call("handheld.list_books", {"period": PERIOD}))["books"]
    assert [(b["book_code"], b["state"], b["customers"]) for b in books] == [("T01-B001", "not_sent", 4)]
    document = download(reader)
    assert document['format'] == 'gridcounter.book/1'
    assert len(document['records']) == 4
    first = document["records"][0]
    assert first["registers"] == [{"register": "total", "previous": "1100.00"}]
    assert first['previous_kwh'] == '100.00'
    assert 'hmac' in document
    assert '"key"' not in json.dumps(document)
    books = ok(reader.call("handheld.list_books", {"period": PERIOD}))["books"]
    assert books[0]['state'] == 'on_handheld'
    assert books[0]['package_records'] == 4


def test_validate_writes_nothing_and_accept_is_once(reader: Caller, db: Session) -> None:
    document = fill(download(reader))
    before = count(db, Reading)
    report = ok(reader.call("handheld.validate_upload", {"content_b64": b64(document)}))
    assert report['errors'] == 0
    assert [r['severity'] for r in report['records']] == [None] * 4
    assert count(db, Reading) == before
    decisions = [{"seq": r["seq"], "decision": "accept"} for r in report["records"][:2]]
    first = ok(reader.call("handheld.accept_upload", {"content_b64": b64(document), "decisions": decisions}))
    assert first['state'] == 'partly_accepted'
    assert first['open_records'] == 2
    assert count(db, Reading) == before + 2
    assert count(db, HandheldAccepted) == 2
    again = ok(reader.call("handheld.accept_upload", {"content_b64": b64(document), "decisions": decisions}))
    assert [r["repeated"] for r in again["records"]] == [True, True]
    assert [r["reading_id"] for r in again["records"]] == [r["reading_id"] for r in first["records"]]
    assert count(db, Reading) == before + 2
    rest = [{"seq": 3, "decision": "accept"}, {"seq": 4, "decision": "accept"}]
    last = ok(reader.call("handheld.accept_upload", {"content_b64": b64(document), "decisions": rest}))
    assert last['state'] == 'accepted'
    assert last['open_records'] == 0
    assert error_code(reader.call("handheld.validate_upload", {"content_b64": b64(document)})) == \
        "HANDHELD_PACKAGE_ACCEPTED"
    assert error_code(reader.call("handheld.download_book", {"book_code": "T01-B001", "period": PERIOD})) == \
        "HANDHELD_BOOK_ACCEPTED"


def test_anomalies_and_statuses_are_reported_with_figures(reader: Caller) -> None:
    document = fill(download(reader))
    records = document["records"]
    records[0]["reading"]["values"] = {"total": "1400.00"}  # 300 kWh against 100: a rise
    records[1]["reading"] = {"read_at": "2026-11-20", "status": "门闭", "values": {}, "note": "锁门"}
    records[2]["reading"]["values"] = {"total": "1000.00"}  # below the previous 1100
    del records[3]["reading"]
    report = ok(reader.call("handheld.validate_upload", {"content_b64": b64(document)}))
    by_seq = {r["seq"]: r for r in report["records"]}
    rise = next(f for f in by_seq[1]["findings"] if f["anomaly"] == "rise_vs_previous")
    assert rise['figures']['kwh'] == '300.00'
    assert rise['figures']['previous_kwh'] == '100.00'
    assert by_seq[2]['findings'][0]['code'] == 'status_flag'
    assert by_seq[2]['severity'] == 'warning'
    assert [f['anomaly'] for f in by_seq[3]['findings']] == ['below_previous']
    assert by_seq[3]['severity'] == 'error'
    assert [f["code"] for f in by_seq[4]["findings"]] == ["missing"]
    refused = reader.call("handheld.accept_upload", {"content_b64": b64(document),
                                                     "decisions": [{"seq": 1, "decision": "accept"},
                                                                   {"seq": 3, "decision": "accept"}]})
    assert error_code(refused) == 'HANDHELD_DECISION_REFUSED'
    assert refused.body['error']['params']['seq'] == 3
    done = ok(reader.call("handheld.accept_upload", {"content_b64": b64(document), "decisions": [
        {"seq": 1, "decision": "accept_with_note", "note": "新装空调"}, {"seq": 3, "decision": "reread"},
        {"seq": 4, "decision": "estimate"}]}))
    assert [r["decision"] for r in done["records"]] == ["accept_with_note", "reread", "estimate"]
    assert done['records'][1]['reading_id'] is None
    assert done['open_records'] == 2


def test_estimate_uses_the_previous_consumption(reader: Caller, db: Session) -> None:
    document = fill(download(reader))
    del document["records"][0]["reading"]
    done = ok(reader.call("handheld.accept_upload", {"content_b64": b64(document),
                                                     "decisions": [{"seq": 1, "decision": "estimate"}]}))
    row = db.get(Reading, done["records"][0]["reading_id"])
    assert row is not None
    assert str(row.total) == '1200.00'
    assert row.status.value == 'estimated'


def csv_of(document: dict[str, Any], rows: list[dict[str, Any]] | None = None) -> str:
    """The readings of a filled document as a CSV of the documented layout."""
    lines = [",".join(CSV_COLUMNS)]
    for record in rows or document["records"]:
        reading = record["reading"]
        cells = {"package_id": document["package_id"], "seq": str(record["seq"]), "customer_no": record["customer_no"],
                 "asset_no": record["asset_no"], "read_at": reading["read_at"], "status": reading["status"],
                 "rollover_confirmed": "0", "note": reading.get("note", ""), **reading["values"]}
        lines.append(",".join(cells.get(c, "") for c in CSV_COLUMNS))
    return "\n".join(lines) + "\n"


def test_a_swapped_customer_in_the_json_breaks_the_signature(reader: Caller) -> None:
    document = fill(download(reader))
    records = document["records"]
    records[0]["customer_no"], records[1]["customer_no"] = records[1]["customer_no"], records[0]["customer_no"]
    assert error_code(reader.call("handheld.validate_upload", {"content_b64": b64(document)})) == \
        "HANDHELD_SIGNATURE_INVALID"


def test_csv_in_gb18030_with_a_swap_and_a_duplicate(reader: Caller, db: Session) -> None:
    document = fill(download(reader))
    records = document["records"]
    swapped = dict(records[1], customer_no=records[0]["customer_no"])
    text = csv_of(document, [records[0], swapped, records[2], records[2]])
    report = ok(reader.call("handheld.validate_upload", {"content_b64": b64(text.encode("gb18030"))}))
    by_seq = {r["seq"]: r for r in report["records"]}
    assert report['file_format'] == 'csv'
    assert report['encoding'] == 'gb18030'
    assert [(f["code"], f["field"]) for f in by_seq[2]["findings"]] == [("customer_mismatch", "customer_no")]
    assert [f["code"] for f in by_seq[3]["findings"]] == ["duplicate"]
    assert [f["code"] for f in report["strays"]] == ["duplicate"]
    rows = csv_of(document).splitlines()
    rows[1] = rows[1].rsplit(",", 1)[0] + ",抄表员备注"
    report = ok(reader.call("handheld.validate_upload", {"content_b64": b64("\n".join(rows).encode("gb18030"))}))
    assert report['encoding'] == 'gb18030'
    assert report['records'][0]['note'] == '抄表员备注'


def test_each_damaged_file_is_refused_and_nothing_is_written(reader: Caller, db: Session) -> None:
    document = fill(download(reader))
    text = json.dumps(document, ensure_ascii=False)
    before = count(db, Reading)
    cases = {
        "HANDHELD_FILE_EMPTY": b"  \n",
        "HANDHELD_FILE_DAMAGED": text[: len(text) // 2].encode(),
        "HANDHELD_FILE_ENCODING": text.encode("utf-16"),
        "HANDHELD_FORMAT_UNSUPPORTED": json.dumps(document | {"format": "gridcounter.book/2"}).encode(),
        "HANDHELD_PACKAGE_UNKNOWN": json.dumps(document | {"package_id": str(uuid.uuid4())}).encode(),
        "HANDHELD_CSV_COLUMNS": csv_of(document).replace("note", "remark", 1).encode(),
    }
    flipped = bytearray(text.encode())
    flipped[text.encode().index(b'"previous": "1100.00"') + 14] ^= 0x01  # 1100 -> 0100
    cases["HANDHELD_SIGNATURE_INVALID"] = bytes(flipped)
    for code, data in cases.items():
        for method, extra in (("handheld.validate_upload", {}),
                              ("handheld.accept_upload", {"decisions": [{"seq": 1, "decision": "accept"}]})):
            assert error_code(reader.call(method, {"content_b64": b64(data), **extra})) == code, (code, method)
    assert count(db, Reading) == before


def test_a_file_over_the_cap_is_refused_before_parsing(reader: Caller) -> None:
    data = b"{" + b" " * MAX_FILE_BYTES + b"}"
    answer = reader.call("handheld.validate_upload", {"content_b64": b64(data)})
    assert error_code(answer) in {"HANDHELD_FILE_TOO_LARGE", "MALFORMED_REQUEST", "REQUEST_TOO_LARGE"}


def test_another_readers_package_and_book_are_refused(reader: Caller, db: Session) -> None:
    document = fill(download(reader))
    assert reader.login("billing1").status == 200  # may read readings, but the book is reader1's
    answer = reader.call("handheld.validate_upload", {"content_b64": b64(document)})
    assert error_code(answer) == "HANDHELD_FOREIGN_READER"
    assert answer.body["error"]["params"]["reader"] == "reader1"
    answer = reader.call("handheld.download_book", {"book_code": "T01-B001", "period": PERIOD})
    assert error_code(answer) == "HANDHELD_FOREIGN_BOOK"
    assert error_code(reader.call("handheld.download_book", {"book_code": "NOPE", "period": PERIOD})) == \
        "HANDHELD_BOOK_NOT_FOUND"


def test_decisions_are_checked_before_anything_is_written(reader: Caller, db: Session) -> None:
    document = fill(download(reader))
    before = count(db, Reading)
    cases = {
        "HANDHELD_DECISION_DUPLICATE": [{"seq": 1, "decision": "accept"}, {"seq": 1, "decision": "reread"}],
        "HANDHELD_DECISION_UNKNOWN_RECORD": [{"seq": 1, "decision": "accept"}, {"seq": 99, "decision": "accept"}],
        "HANDHELD_DECISION_NOTE_MISSING": [{"seq": 1, "decision": "accept"},
                                           {"seq": 2, "decision": "accept_with_note", "note": " "}],
    }
    for code, decisions in cases.items():
        answer = reader.call("handheld.accept_upload", {"content_b64": b64(document), "decisions": decisions})
        assert error_code(answer) == code
    assert count(db, Reading) == before
    assert count(db, HandheldAccepted) == 0


def test_a_second_meter_reading_of_the_period_is_refused(reader: Caller, db: Session) -> None:
    """Two packages of the same book: the second cannot double a reading the first wrote."""
    first = fill(download(reader))
    second = fill(download(reader))
    ok(reader.call("handheld.accept_upload", {"content_b64": b64(first),
                                              "decisions": [{"seq": 1, "decision": "accept"}]}))
    report = ok(reader.call("handheld.validate_upload", {"content_b64": b64(second)}))
    assert [f["code"] for f in report["records"][0]["findings"]] == ["reading_exists"]
    answer = reader.call("handheld.accept_upload", {"content_b64": b64(second),
                                                    "decisions": [{"seq": 1, "decision": "accept"}]})
    assert error_code(answer) == "HANDHELD_DECISION_REFUSED"


def test_a_closed_meter_is_an_error_on_its_record(reader: Caller, db: Session) -> None:
    document = fill(download(reader))
    meter = db.scalar(select(Meter).where(Meter.asset_no == document["records"][0]["asset_no"]))
    assert meter is not None
    meter.removed_on = dt.date(2026, 11, 10)
    db.commit()
    report = ok(reader.call("handheld.validate_upload", {"content_b64": b64(document)}))
    assert report["records"][0]["findings"][0]["code"] == "meter_closed"
