"""The handheld simulator against the live validator: each anomaly kind and status it fills is reported with its
figures, each damage it does is refused or reported; hypothesis mutations of valid JSON and CSV files never give
anything but a report or a translated refusal, and never a partial write."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.handheld.simulator import damage, fill_document, main, to_csv
from server.models.customers import Meter
from server.models.handheld import HandheldAccepted
from server.models.readings import Reading
from shared_models.errors import ErrorCode
from shared_models.methods.readings import ReadingSource, ReadingStatus
from tests.factories import WANG_FANG, World
from tests.handheld.conftest import b64, download, error_code, ok
from tests.handheld.mutations import EDITS, mutate
from tests.rpc_helpers import Caller

#: Every refusal a damaged file may get.
FILE_REFUSALS = {c.value for c in ErrorCode if c.value.startswith("HANDHELD_")}


@pytest.fixture
def tou_reader(reader: Caller, db: Session, world: World) -> Caller:
    """reader1, with a second meter of 王芳 (total, peak, valley; ×1) read in 2026-10 (fourth in the package)."""
    meter = Meter(asset_no="TOU-0001", customer_id=world.customers[WANG_FANG], multiplier=1, digits=6,
                  installed_on=dt.date(2024, 1, 1), registers=["total", "peak", "valley"])
    db.add(meter)
    db.flush()
    db.add(Reading(meter_id=meter.id, period=202610, read_on=dt.date(2026, 10, 20), status=ReadingStatus.ACTUAL,
                   source=ReadingSource.IMPORT, total=Decimal(500), peak=Decimal(200), valley=Decimal(300)))
    db.commit()
    return reader


def count(db: Session, model: type[Any]) -> int:
    """Rows of a table."""
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def findings(report: dict[str, Any]) -> list[set[str]]:
    """Per record, its finding codes and anomaly codes."""
    return [{f["anomaly"] or f["code"] for f in r["findings"]} for r in report["records"]]


def validate(caller: Caller, data: bytes | str | dict[str, Any]) -> dict[str, Any]:
    """The report of a file."""
    return ok(caller.call("handheld.validate_upload", {"content_b64": b64(data)}))


def test_each_filled_case_is_reported(tou_reader: Caller) -> None:
    document = download(tou_reader)
    assert [r["asset_no"] for r in document["records"]][3] == "TOU-0001"
    first = findings(validate(tou_reader, fill_document(
        document, cases=["rise", "drop", "below_previous", "tou_mismatch", "zero"])))
    assert "rise_vs_previous" in first[0]
    assert "drop_vs_previous" in first[1]
    assert "below_previous" in first[2]
    assert "tou_sum_mismatch" in first[3]
    assert "zero_streak" in first[4]
    second = validate(tou_reader, fill_document(
        document, cases=["rollover", "outside_window", "estimated", "no_access", "meter_fault"]))
    assert "rollover" in findings(second)[0]
    assert "outside_window" in findings(second)[1]
    assert [r["status"] for r in second["records"]][2:] == ["estimated", "no_access", "meter_fault"]
    assert all("status_flag" in f for f in findings(second)[2:])
    third = findings(validate(tou_reader, fill_document(document, cases=["meter_changed", "no_reading"])))
    assert third[:2] == [{"meter_change_at_desk"}, {"missing"}]


def test_the_command_line_fills_a_csv_in_gb18030(tou_reader: Caller, tmp_path: Any) -> None:
    package = tmp_path / "book.json"
    package.write_text(json.dumps(download(tou_reader), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "readings.csv"
    assert main(["fill", str(package), str(out), "--csv", "--encoding", "gb18030"]) == 0
    report = validate(tou_reader, out.read_bytes())
    assert report["encoding"] == "gb18030"
    assert report["file_format"] == "csv"
    assert report["errors"] >= 1  # below_previous and 换表 among the cases


@pytest.mark.parametrize("seed", range(6))
def test_every_flipped_digit_of_a_package_is_refused(reader: Caller, seed: int) -> None:
    text = ok(reader.call("handheld.download_book", {"book_code": "T01-B001", "period": 202611}))["text"]
    answer = reader.call("handheld.validate_upload", {"content_b64": b64(damage(text.encode(), "flip", seed=seed))})
    assert error_code(answer) in {"HANDHELD_SIGNATURE_INVALID", "HANDHELD_PACKAGE_UNKNOWN",
                                  "HANDHELD_FORMAT_UNSUPPORTED", "HANDHELD_FILE_DAMAGED"}


def test_damaged_json_is_refused_and_damaged_csv_reported(reader: Caller) -> None:
    document = fill_document(download(reader), mix="normal")
    data = json.dumps(document, ensure_ascii=False).encode()
    for kind, code in (("truncate", "HANDHELD_FILE_DAMAGED"), ("duplicate", "HANDHELD_SIGNATURE_INVALID"),
                       ("swap", "HANDHELD_SIGNATURE_INVALID")):
        assert error_code(reader.call("handheld.validate_upload", {"content_b64": b64(damage(data, kind))})) == code
    csv_data = to_csv(document).encode()
    duplicated = validate(reader, damage(csv_data, "duplicate", seed=1))
    assert [f["code"] for f in duplicated["strays"]] == ["duplicate"]
    swapped = validate(reader, damage(csv_data, "swap", seed=1))
    assert sum("customer_mismatch" in f for f in findings(swapped)) == 2


@pytest.fixture
def filled(reader: Caller) -> dict[str, Any]:
    """One package of the book read normally (a fixture of the test function: shared by its examples)."""
    return fill_document(download(reader), mix="normal")


@pytest.mark.parametrize("file_format", ["json", "csv"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_mutated_files_never_break_the_importer(reader: Caller, db: Session, filled: dict[str, Any], file_format: str,
                                                edits: list[tuple[int, int, int]]) -> None:
    """Validate and accept a mutated file: a report or a translated refusal, and either every decided record
    written or nothing."""
    data = json.dumps(filled, ensure_ascii=False).encode() if file_format == "json" else to_csv(filled).encode()
    mutated = mutate(data, edits)
    answer = reader.call("handheld.validate_upload", {"content_b64": b64(mutated)})
    assert answer.status == 200 or answer.body["error"]["code"] in FILE_REFUSALS, answer.body
    db.expire_all()
    before = count(db, Reading)
    decided = count(db, HandheldAccepted)
    accepted = reader.call("handheld.accept_upload", {"content_b64": b64(mutated), "decisions": [
        {"seq": s, "decision": "accept"} for s in (1, 2, 3, 4)]})
    after = count(db, Reading)
    if accepted.status == 200:
        fresh = [r for r in accepted.body["records"] if not r["repeated"]]
        assert after == before + len(fresh)
        assert count(db, HandheldAccepted) == decided + len(fresh)
    else:
        assert accepted.body["error"]["code"] in FILE_REFUSALS | {"READING_EXISTS"}, accepted.body
        assert after == before

