"""The offline validator (issue 13 §5) against the server's: the same findings and figures on every record the
package alone can judge, each damage kind reported or refused with the server's code, each bad input refused,
and hypothesis mutations of the file or the saved package never give anything but a report or a refusal."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from sqlalchemy.orm import Session

from server.handheld.simulator import CASES, DAMAGES, damage, fill_document, to_csv
from server.models.customers import Meter
from server.models.readings import Reading
from shared_models.errors import ErrorCode
from shared_models.handheld import MAX_FILE_BYTES, FindingCode, Severity, ValidationReport
from shared_models.methods.readings import ReadingSource, ReadingStatus
from shared_models.rules.hall_time import business_date
from shared_models.rules.handheld_offline import SERVER_ONLY_CODES, OfflineRefusal, validate_offline
from tests.factories import WANG_FANG, World
from tests.handheld.conftest import BOOK, PERIOD, b64, ok
from tests.handheld.mutations import EDITS, mutate
from tests.rpc_helpers import Caller

TODAY = dt.date(2026, 11, 30)


def _today() -> dt.date:
    """The server's business date (the validators' ``today``: a reading after it is in the future)."""
    return business_date(dt.datetime.now(dt.UTC))


@pytest.fixture
def package_text(reader: Caller, db: Session, world: World) -> str:
    """The package text reader1 saved at download; 王芳 has a second meter (total, peak, valley) read in 2026-10,
    so a TOU record is among the five."""
    meter = Meter(asset_no="TOU-0001", customer_id=world.customers[WANG_FANG], multiplier=1, digits=6,
                  installed_on=dt.date(2024, 1, 1), registers=["total", "peak", "valley"])
    db.add(meter)
    db.flush()
    db.add(Reading(meter_id=meter.id, period=202610, read_on=dt.date(2026, 10, 20), status=ReadingStatus.ACTUAL,
                   source=ReadingSource.IMPORT, total=Decimal(500), peak=Decimal(200), valley=Decimal(300)))
    db.commit()
    text: str = ok(reader.call("handheld.download_book", {"book_code": BOOK, "period": PERIOD}))["text"]
    return text


def _as_bytes(document: dict[str, Any], file_format: str) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=1) if file_format == "json" else to_csv(document)).encode()


def _judgeable(record: dict[str, Any], server_record: dict[str, Any], case: str) -> bool:
    """A record the package alone can judge: no finding that needs the books, and not a month of no consumption
    (read zero, or 门闭 / 表坏 billed as last month's) after a zero month: the zero streak counts months the
    package does not carry."""
    if {f["code"] for f in server_record["findings"]} & {c.value for c in SERVER_ONLY_CODES}:
        return False
    zero_before = record["previous_kwh"] is not None and Decimal(record["previous_kwh"]) == 0
    return not (zero_before and case in {"zero", "no_access", "meter_fault"})


def _compared(report: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """Per sequence, what the reader sees of a record."""
    keys = ("status", "read_on", "values", "note", "severity", "findings")
    return {r["seq"]: {k: r[k] for k in keys} for r in report["records"]}


def _codes(report: dict[str, Any]) -> dict[int, list[tuple[str, str | None, str | None]]]:
    """Per sequence, the codes of its findings (a flipped year may be "before installation" on the server, which
    knows the meter's installation date, and "not after the previous reading" offline: both refuse the date)."""
    return {r["seq"]: [(f["code"], f["anomaly"], f["field"]) for f in r["findings"]] for r in report["records"]}


class TestAgreesWithTheServer:
    """The offline report is the server's on what the package can judge."""

    @pytest.mark.parametrize("file_format", ["json", "csv"])
    def test_every_simulated_case_gets_the_servers_findings(self, reader: Caller, package_text: str,
                                                            file_format: str) -> None:
        """Each case of the simulator on each record: the same findings, figures and severities per sequence."""
        document = json.loads(package_text)
        assert len(document["records"]) == 5
        compared = skipped = 0
        seen_codes: set[str] = set()
        for shift in range(len(CASES)):
            cases = [CASES[(shift + i) % len(CASES)] for i in range(len(document["records"]))]
            data = _as_bytes(fill_document(document, cases=cases), file_format)
            server = ok(reader.call("handheld.validate_upload", {"content_b64": b64(data)}))
            offline = validate_offline(package_text, data, today=_today(), reader="reader1").model_dump(mode="json")
            for key in ("package_id", "book_code", "period", "reader", "file_format", "encoding", "strays"):
                assert offline[key] == server[key], key
            theirs, ours = _compared(server), _compared(offline)
            assert ours.keys() == theirs.keys()
            for index, record in enumerate(document["records"]):
                seq = record["seq"]
                if not _judgeable(record, next(r for r in server["records"] if r["seq"] == seq), cases[index]):
                    skipped += 1
                    continue
                compared += 1
                assert ours[seq] == theirs[seq], (cases[index], seq)
                seen_codes |= {f["anomaly"] or f["code"] for f in ours[seq]["findings"]}
        assert skipped == 3  # the idle commercial customer read zero, 门闭 and 表坏 once each
        assert compared == len(CASES) * 5 - skipped
        assert {"rise_vs_previous", "drop_vs_previous", "below_previous", "rollover", "outside_window",
                "tou_sum_mismatch", "status_flag", "meter_change_at_desk", "missing"} <= seen_codes

    def test_the_json_report_says_the_server_checks_the_signature(self, package_text: str) -> None:
        """An info notice on a JSON (the HMAC is checked on replay), none on a CSV (it has no signature)."""
        filled = fill_document(json.loads(package_text), mix="normal")
        report = validate_offline(package_text, _as_bytes(filled, "json"), today=_today())
        assert [(n.code, n.severity) for n in report.notices] == [(FindingCode.SIGNATURE_UNCHECKED, Severity.INFO)]
        assert report.notices[0].figures["key_id"] == json.loads(package_text)["key_id"]
        assert report.errors == 0
        assert validate_offline(package_text, _as_bytes(filled, "csv"), today=_today()).notices == []

    @pytest.mark.parametrize("file_format", ["json", "csv"])
    @pytest.mark.parametrize("kind", DAMAGES)
    def test_each_damage_kind_is_refused_or_reported_as_the_server_does(self, reader: Caller, package_text: str,
                                                                        kind: str, file_format: str) -> None:
        """Truncated, flipped, duplicated, swapped: the server's refusal code, or its findings on the records."""
        filled = fill_document(json.loads(package_text), mix="normal")
        for seed in range(3):
            data = damage(_as_bytes(filled, file_format), kind, seed=seed)
            server = reader.call("handheld.validate_upload", {"content_b64": b64(data)})
            if server.status != 200:
                with pytest.raises(OfflineRefusal) as caught:
                    validate_offline(package_text, data, today=_today(), reader="reader1")
                assert caught.value.code.value == server.body["error"]["code"], (kind, seed)
                continue
            offline = validate_offline(package_text, data, today=_today(), reader="reader1")
            ours = offline.model_dump(mode="json")
            assert ours["strays"] == server.body["strays"]
            assert _codes(ours) == _codes(server.body), (kind, seed)
            if kind == "duplicate":
                assert [f.code for f in offline.strays] == [FindingCode.DUPLICATE]
            if kind == "swap":
                assert sum(any(f.code is FindingCode.CUSTOMER_MISMATCH for f in r.findings)
                           for r in offline.records) == 2
        if kind == "flip":  # a digit of the package as downloaded is signed (or the HMAC): always refused
            for seed in range(6):
                with pytest.raises(OfflineRefusal):
                    validate_offline(package_text, damage(package_text.encode(), kind, seed=seed), today=_today())
        elif file_format == "json" or kind == "truncate":
            with pytest.raises(OfflineRefusal):  # a damaged package is never read offline either
                validate_offline(package_text, damage(_as_bytes(filled, file_format), kind), today=_today())


# --- without the server: a package as the counter saved it ---------------------------------------------------

def _record(seq: int, previous: str | None = "1100.00", previous_kwh: str | None = "100.00") -> dict[str, Any]:
    return {"seq": seq, "book_seq": seq * 10, "customer_no": f"C{seq:05d}", "name": "张三", "address": "文三路",
            "asset_no": f"M{seq:05d}", "multiplier": 1, "digits": 6,
            "registers": [{"register": "total", "previous": previous}],
            "previous_read_on": "2026-10-20" if previous is not None else None, "previous_kwh": previous_kwh,
            "last_year_kwh": "120.00", "thresholds": {"rise_pct": "5E+1", "drop_pct": "5E+1", "zero_streak": 3}}


def _package(**changes: Any) -> dict[str, Any]:
    document = {"format": "gridcounter.book/1", "package_id": "7b0c3e0e-0000-4000-8000-000000000001",
                "key_id": "k0123456789abcdef01234567", "book": "T01-B001", "book_name": "文三路一段",
                "reader": "reader1", "period": 202611, "generated_at": "2026-11-01T08:00:00+08:00",
                "window_from": "2026-11-15", "window_to": "2026-11-25",
                "records": [_record(1), _record(2), _record(3, previous=None, previous_kwh=None),
                            _record(4, previous_kwh=None)],
                "hmac": "a" * 64}
    return document | changes


def _read(document: dict[str, Any], *readings: dict[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(json.dumps(document))
    for record, reading in zip(out["records"], readings, strict=False):
        if reading is not None:
            record["reading"] = reading
    return out


def _reading(total: str | None = "1200.00", status: str = "实抄", read_at: str = "2026-11-20T09:00:00",
             **more: Any) -> dict[str, Any]:
    return {"read_at": read_at, "status": status, "values": {} if total is None else {"total": total}, "note": "",
            **more}


def _refusal(package: dict[str, Any] | str, data: bytes, **kwargs: Any) -> OfflineRefusal:
    text = package if isinstance(package, str) else json.dumps(package, ensure_ascii=False)
    with pytest.raises(OfflineRefusal) as caught:
        validate_offline(text, data, today=TODAY, **kwargs)
    return caught.value


def _findings(report: ValidationReport) -> dict[int, list[tuple[str, str | None, dict[str, str]]]]:
    return {r.seq: [(f.code.value, f.anomaly.value if f.anomaly else None, f.figures) for f in r.findings]
            for r in report.records}


class TestBadInput:
    """Each file the offline counter cannot use is refused with the server's code and figures."""

    def test_the_file_as_a_whole(self) -> None:
        """Empty, too large, the wrong encoding, damaged, another format, wrong CSV columns."""
        package = _package()
        assert _refusal(package, b"").code is ErrorCode.HANDHELD_FILE_EMPTY
        assert _refusal(package, b" " * (MAX_FILE_BYTES + 1)).code is ErrorCode.HANDHELD_FILE_TOO_LARGE
        assert _refusal(package, "{\"format\": \"书\"}".encode("utf-16")).code is ErrorCode.HANDHELD_FILE_ENCODING
        cut = _refusal(package, json.dumps(_read(package, _reading())).encode()[:300])
        assert (cut.code, cut.params["field"]) == (ErrorCode.HANDHELD_FILE_DAMAGED, "document")
        other = _refusal(package, json.dumps(package | {"format": "gridcounter.book/2"}).encode())
        assert (other.code, other.params) == (ErrorCode.HANDHELD_FORMAT_UNSUPPORTED, {"found": "gridcounter.book/2"})
        columns = _refusal(package, b"package_id,seq\n1,2\n")
        assert columns.code is ErrorCode.HANDHELD_CSV_COLUMNS

    def test_another_package_a_changed_signed_part_or_a_foreign_reader(self) -> None:
        """Another package id; a changed customer, key id or HMAC; the package of another reader."""
        package = _package()
        good = _read(package, _reading())
        assert validate_offline(json.dumps(package), json.dumps(good).encode(), today=TODAY).errors == 0
        foreign = _refusal(package, json.dumps(good | {"package_id": "another"}).encode())
        assert (foreign.code, foreign.params) == (ErrorCode.HANDHELD_PACKAGE_UNKNOWN, {"package_id": "another"})
        renamed = json.loads(json.dumps(good))
        renamed["records"][1]["name"] = "李四"
        for changed in (renamed, good | {"key_id": "k1"}, good | {"hmac": "b" * 64}, good | {"reader": "reader2"}):
            refusal = _refusal(package, json.dumps(changed, ensure_ascii=False).encode())
            assert (refusal.code, refusal.params) == (ErrorCode.HANDHELD_SIGNATURE_INVALID,
                                                      {"package_id": package["package_id"]})
        csv_other = to_csv(_read(package, _reading()) | {"package_id": "p2"}).encode()
        assert _refusal(package, csv_other).code is ErrorCode.HANDHELD_PACKAGE_UNKNOWN
        mine = _refusal(package, json.dumps(good).encode(), reader="reader2")
        assert (mine.code, mine.params) == (ErrorCode.HANDHELD_FOREIGN_READER,
                                            {"package_id": package["package_id"], "reader": "reader1"})

    @pytest.mark.parametrize("saved", ["", "[]", "{\"format\": \"gridcounter.book/1\"}", "{\"records\": [1]}",
                                       "{not json"])
    def test_a_damaged_saved_copy(self, saved: str) -> None:
        """The counter's own copy of the package cut or broken: refused, naming the package."""
        refusal = _refusal(saved, json.dumps(_read(_package(), _reading())).encode())
        assert (refusal.code, refusal.params) == (ErrorCode.HANDHELD_FILE_DAMAGED, {"line": 0, "field": "package"})


class TestRecords:
    """The per-record checks on the package's own figures."""

    def test_duplicates_strays_missing_and_a_swapped_meter(self) -> None:
        """A CSV with a record twice, a sequence the package lacks, a record not read, a meter of another
        record."""
        package = _package()
        text = to_csv(_read(package, _reading(), _reading(), _reading(note="x" * 201)))
        lines = text.splitlines()
        extra = lines[1].replace(",1,C00001,", ",9,C00009,")
        swapped = lines[2].replace("M00002", "M00001")
        data = "\n".join([lines[0], lines[1], swapped, lines[3], lines[1], extra]).encode()
        report = validate_offline(json.dumps(package), data, today=TODAY)
        assert [(f.code, f.seq, f.figures) for f in report.strays] == [
            (FindingCode.DUPLICATE, 1, {"first_line": "2"}), (FindingCode.NOT_IN_PACKAGE, 9, {})]
        found = _findings(report)
        assert found[1] == [("duplicate", None, {"first_line": "2"})]
        assert found[2] == [("customer_mismatch", None, {"expected": "M00002", "found": "M00001"})]
        assert found[3][0] == ("note_too_long", None, {"length": "201", "limit": "200"})
        assert found[4] == [("missing", None, {})]
        assert report.records[3].severity is Severity.WARNING
        assert (report.errors, report.warnings) == (4, 1)

    def test_status_date_and_values(self) -> None:
        """An unknown status word, a date in the future, before the previous reading or unreadable, a value
        that is no number, a register the meter lacks, values with 门闭."""
        package = _package()
        document = _read(package, _reading(status="在家"), _reading(read_at="2026-12-01T08:00"),
                         _reading(read_at="yesterday"), _reading(read_at="2026-10-19"))
        found = _findings(validate_offline(json.dumps(package), json.dumps(document).encode(), today=TODAY))
        assert found[1] == [("status_invalid", None, {"found": "在家"})]
        assert found[2] == [("read_at_invalid", None, {"problem": "future", "read_on": "2026-12-01"})]
        assert found[3] == [("read_at_invalid", None, {"problem": "unreadable", "found": "yesterday"})]
        assert found[4] == [("read_at_invalid", None, {"problem": "not_after_previous", "read_on": "2026-10-19",
                                                       "previous": "2026-10-20"})]
        document = _read(package, _reading(total="12,5"), _reading() | {"values": {"total": "1", "peak": "1"}},
                         _reading(status="门闭") | {"values": {"total": "1"}}, _reading(total=None))
        found = _findings(validate_offline(json.dumps(package), json.dumps(document).encode(), today=TODAY))
        assert found[1] == [("value_invalid", None, {"found": "12,5"})]
        assert found[2] == [("register_unknown", None, {})]
        assert found[3] == [("status_flag", None, {"status": "no_access"}),
                            ("values_not_expected", None, {"status": "no_access"})]
        assert found[4] == [("register_missing", None, {})]

    def test_anomalies_from_the_package_figures(self) -> None:
        """A rise against the previous month and last year, below the previous value, a first reading, 门闭
        estimated by the previous month's kWh (and without one, nothing to compare with), outside the window."""
        package = _package()
        document = _read(package, _reading(total="1400.00"), _reading(total="1000.00"), _reading(total="5.00"),
                         _reading(total=None, status="门闭", read_at="2026-11-10"))
        found = _findings(validate_offline(json.dumps(package), json.dumps(document).encode(), today=TODAY))
        assert found[1] == [
            ("anomaly", "rise_vs_previous", {"kwh": "300.00", "previous_kwh": "100.00", "change_pct": "200.0",
                                             "limit_pct": "50.0"}),
            ("anomaly", "rise_vs_last_year", {"kwh": "300.00", "last_year_kwh": "120.00", "change_pct": "150.0",
                                              "limit_pct": "50.0"})]
        assert found[2] == [("anomaly", "below_previous", {"register": "total", "previous": "1100.00",
                                                           "current": "1000.00"})]
        assert found[3] == [("anomaly", "no_previous", {"period": "202611"})]
        assert found[4] == [("status_flag", None, {"status": "no_access"}),
                            ("anomaly", "outside_window", {"read_on": "2026-11-10", "window_from": "2026-11-15",
                                                           "window_to": "2026-11-25"}),
                            ("anomaly", "no_previous", {"period": "202610"})]
        estimated = _read(package, _reading(total=None, status="门闭"))
        found = _findings(validate_offline(json.dumps(package), json.dumps(estimated).encode(), today=TODAY))
        assert found[1] == [("status_flag", None, {"status": "no_access"})]  # 100 kWh as last month: no change

    def test_a_confirmed_rollover_and_the_thresholds_of_the_package(self) -> None:
        """A value below the previous with the rollover confirmed is a rollover; the package's ±80 % keeps a
        +50 % rise quiet."""
        package = _package()
        package["records"][1]["thresholds"] = {"rise_pct": "80", "drop_pct": "80", "zero_streak": 2}
        document = _read(package, _reading(total="1099.00", rollover_confirmed=True), _reading(total="1250.00"))
        report = validate_offline(json.dumps(package), json.dumps(document).encode(), today=TODAY)
        found = _findings(report)
        assert found[1][0] == ("anomaly", "rollover", {"register": "total"})
        assert [c for c, _, _ in found[1]] == ["anomaly", "anomaly", "anomaly"]  # rollover, rise, rise last year
        assert found[2] == []
        assert report.records[1].values == {"total": "1250.00"}




_FILLED = fill_document(_package(), cases=list(CASES[:4]))


@pytest.mark.parametrize("target", ["json", "csv", "package"])
@settings(max_examples=150, deadline=None)
@given(edits=EDITS)
def test_mutations_never_break_the_offline_validator(target: str, edits: list[tuple[int, int, int]]) -> None:
    """A mutated file (or a mutated saved package): a report, or a refusal with a HANDHELD_ code."""
    package = json.dumps(_package(), ensure_ascii=False, indent=1)
    data = (json.dumps(_FILLED, ensure_ascii=False) if target != "csv" else to_csv(_FILLED)).encode()
    if target == "package":
        package = mutate(package.encode(), edits).decode("utf-8", errors="replace")
    else:
        data = mutate(data, edits)
    refused: OfflineRefusal | None = None
    try:
        report = validate_offline(package, data, today=TODAY)
    except OfflineRefusal as refusal:
        refused = refusal
    if refused is not None:
        assert refused.code.value.startswith("HANDHELD_")
        return
    assert report.package_id == _package()["package_id"]
    assert len(report.records) == 4
