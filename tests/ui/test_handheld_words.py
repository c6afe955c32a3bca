"""The hand-over in words: every finding, state, decision and file error has its sentence in both languages, the
figures filled in; the refusals whose parameters are codes (a CSV column's problem, a refused decision's finding
and field) are worded in the user's language; which decisions a record allows."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from client.core.handheld_files import FileErrorKind, HandheldFileError
from client.core.rpc_client import RpcError
from client.ui.models.handheld_models import ReportRow, allowed_decisions
from client.ui.screens.handheld_steps import refusal_text
from client.ui.screens.handheld_words import (
    book_state_name,
    decision_name,
    file_error_text,
    finding_name,
    finding_text,
    severity_name,
)
from shared_models.errors import ErrorCode
from shared_models.handheld import BookState, DecisionKind, Finding, FindingCode, Severity
from shared_models.methods.readings import AnomalyCode, ReadingStatus

#: Figures enough for every sentence.
FIGURES = {"first_line": "3", "expected": "3301000001", "found": "x", "book": "T01-B002", "removed_on": "2026-11-02",
           "status": "no_access", "length": "260", "limit": "200", "reading_id": "17", "decision": "accept",
           "problem": "future", "read_on": "2026-12-30", "previous": "2026-11-20"}
LOCALES = ["zh_CN", "en"]
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _finding(code: FindingCode, **extra: object) -> Finding:
    return Finding.model_validate({"seq": 4, "line": 7, "customer_no": "3301000004", "asset_no": "0003",
                                   "severity": Severity.WARNING, "code": code, "field": "total",
                                   "figures": FIGURES} | extra)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_finding_has_a_filled_sentence(qapp: QApplication, use_locale: Callable[[str], None],
                                             locale: str) -> None:
    """Each finding code (and each reading-time problem) gives a sentence with no placeholder left; Chinese ones
    carry no English word but the figures."""
    use_locale(locale)
    texts = [finding_text(_finding(code)) for code in FindingCode if code is not FindingCode.ANOMALY]
    texts += [finding_text(_finding(FindingCode.READ_AT_INVALID, figures=FIGURES | {"problem": p}))
              for p in ("unreadable", "future", "before_installation", "not_after_previous")]
    texts.append(finding_text(_finding(FindingCode.ANOMALY, anomaly=AnomalyCode.RISE_VS_PREVIOUS, figures={
        "kwh": "300.00", "change_pct": "200.0", "previous_kwh": "100.00", "limit_pct": "50.0"})))
    texts += [finding_name(code) for code in FindingCode]
    texts += [book_state_name(s) for s in BookState] + [severity_name(s) for s in Severity]
    texts += [decision_name(d) for d in DecisionKind]
    for text in texts:
        assert text, texts
        assert not _PLACEHOLDER.search(text), text
        if locale == "zh_CN":
            assert not re.search(r"[A-Za-z]{3,}", text.replace("kWh", "")), text
    assert "4" in finding_text(_finding(FindingCode.DUPLICATE))
    assert "3" in finding_text(_finding(FindingCode.DUPLICATE))


@pytest.mark.parametrize("locale", LOCALES)
def test_every_file_error_names_the_path(qapp: QApplication, use_locale: Callable[[str], None], locale: str) -> None:
    """Each file error kind is a sentence naming the folder or file."""
    use_locale(locale)
    for kind in FileErrorKind:
        text = file_error_text(HandheldFileError(kind, Path("/media/stick"), size=1, detail="I/O"))
        assert "/media/stick" in text, text
        assert not _PLACEHOLDER.search(text), text


@pytest.mark.parametrize(("problem", "word"), [("missing", "缺失"), ("extra", "不是规定格式中的列"),
                                                ("duplicate", "重复出现")])
def test_a_csv_column_problem_reads_in_chinese(qapp: QApplication, use_locale: Callable[[str], None],
                                               problem: str, word: str) -> None:
    """The CSV column refusal's problem is a Chinese word in the Chinese sentence, not the English code."""
    use_locale("zh_CN")
    text = refusal_text(RpcError(ErrorCode.HANDHELD_CSV_COLUMNS, {"column": "reading", "problem": problem,
                                                                   "line": 1}))
    assert word in text, text
    assert problem not in text, text


@pytest.mark.parametrize(("locale", "words"), [("zh_CN", ("第 12 行", "7 个单元格", "表头")),
                                               ("en", ("Line 12", "7 cells", "header"))])
def test_a_csv_row_of_another_width_names_line_and_cells(qapp: QApplication, use_locale: Callable[[str], None],
                                                         locale: str, words: tuple[str, ...]) -> None:
    """A CSV row whose cell count differs from the header: its own sentence with the line and the cell count
    (the server sends the count in ``column``), not "the column "7" is …"."""
    use_locale(locale)
    text = refusal_text(RpcError(ErrorCode.HANDHELD_CSV_COLUMNS, {"column": "7", "problem": "row_width",
                                                                   "line": 12}))
    assert all(w in text for w in words), text
    assert "row_width" not in text, text
    assert not _PLACEHOLDER.search(text), text


def test_a_refused_decision_names_the_finding_and_register(qapp: QApplication,
                                                           use_locale: Callable[[str], None]) -> None:
    """HANDHELD_DECISION_REFUSED's finding and field codes become words."""
    use_locale("zh_CN")
    text = refusal_text(RpcError(ErrorCode.HANDHELD_DECISION_REFUSED, {
        "seq": 3, "customer_no": "3301000003", "finding": "anomaly", "field": "total"}))
    assert "3301000003" in text
    assert "anomaly" not in text
    assert "total" not in text


def _row(severity: Severity | None, status: ReadingStatus | None, **extra: object) -> ReportRow:
    findings = [] if severity is None else [_finding(FindingCode.ANOMALY, severity=severity)]
    return ReportRow(seq=1, customer_no="3301000001", name="张伟", status=status, values="", severity=severity,
                     findings=findings, **extra)  # type: ignore[arg-type]


def test_allowed_decisions_follow_the_server() -> None:
    """An error: only a re-read; no reading: estimate or re-read; otherwise any; decided or stray: none."""
    assert allowed_decisions(_row(Severity.ERROR, ReadingStatus.ACTUAL)) == {DecisionKind.REREAD}
    assert allowed_decisions(_row(Severity.WARNING, None)) == {DecisionKind.ESTIMATE, DecisionKind.REREAD}
    assert allowed_decisions(_row(Severity.WARNING, ReadingStatus.NO_ACCESS)) == set(DecisionKind)
    assert allowed_decisions(_row(None, ReadingStatus.ACTUAL)) == set(DecisionKind)
    assert allowed_decisions(_row(None, ReadingStatus.ACTUAL, decided=DecisionKind.ACCEPT)) == set()
    assert allowed_decisions(_row(Severity.ERROR, None, stray=True)) == set()
