"""The hand-over screen's steps beside the widgets: what a download and an upload give back, the offline check of
a returned file against the package kept at download, and every failure of the screen in words.

:func:`validate_here` runs in a worker when the server cannot be reached: the file is checked on this PC with
``shared_models.rules.handheld_offline.validate_offline``; a file that cannot be used is refused with the
server's code (the same sentence), a package this PC never downloaded with :class:`NoKeptPackageError`.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from client.core.handheld_files import HandheldFileError, kept_package
from client.core.rpc_client import RpcError
from client.ui.errors import error_text
from client.ui.messages import error_message
from client.ui.screens.handheld_words import csv_problem, file_error_text, finding_field, finding_name
from shared_models.errors import ErrorCode
from shared_models.handheld import FileProblem, FindingCode, ValidationReport, read_upload
from shared_models.rules.hall_time import business_date, hall_now
from shared_models.rules.handheld_offline import OfflineRefusal, validate_offline

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # PySide6's stub says it returns object
        ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

NO_KEPT_COPY = QT_TRANSLATE_NOOP(
    "HandheldScreen", "The server cannot be reached, and package {package_id} was not downloaded on this PC: there "
    "is nothing to check the file against here. Upload it when the link is back.")
#: HANDHELD_CSV_COLUMNS for a row whose cell count differs from the header's (``column`` holds the count).
ROW_WIDTH = QT_TRANSLATE_NOOP(
    "HandheldScreen", "Line {line} of the CSV file has {cells} cells: the number of cells differs from the header's "
    "columns. Check the separators and quotes of that line, or use the column layout of the handheld formats guide.")


@dataclass(frozen=True)
class Downloaded:
    """A package written to the reader's folder (and whether the copy for offline checks was kept)."""

    book_code: str
    path: Path
    records: int
    kept: bool


@dataclass(frozen=True)
class Uploaded:
    """A returned file read and validated: what is sent again with the decisions."""

    path: Path
    content_b64: str
    report: ValidationReport
    #: Validated on this PC against the kept package (the server was out of reach): Accept queues.
    offline: bool = False


class NoKeptPackageError(Exception):
    """The server is out of reach and this PC kept no copy of the file's package: nothing to check against."""

    def __init__(self, package_id: str) -> None:
        super().__init__(package_id)
        self.package_id = package_id


def validate_here(data_dir: Path, data: bytes, *, reader: str | None) -> ValidationReport:
    """(worker) The report of a returned file against the package kept at download, without the server; the
    server's refusal codes (``RpcError``) for a file that cannot be used, :class:`NoKeptPackageError` when this
    PC never downloaded its package."""
    try:
        package_id = read_upload(data).package_id
    except FileProblem as problem:
        raise RpcError(ErrorCode(f"HANDHELD_{problem.code.value}"), problem.params) from None
    text = kept_package(data_dir, package_id)
    if text is None:
        raise NoKeptPackageError(package_id)
    try:
        return validate_offline(text, data, today=business_date(hall_now()), reader=reader)
    except OfflineRefusal as refusal:
        raise RpcError(refusal.code, refusal.params) from None


def refusal_text(exc: BaseException) -> str:
    """The sentence of a failure: file errors and the hand-over's refusals with their codes in words."""
    if isinstance(exc, HandheldFileError):
        return file_error_text(exc)
    if isinstance(exc, NoKeptPackageError):
        return QCoreApplication.translate("HandheldScreen", NO_KEPT_COPY).format(package_id=exc.package_id)
    if isinstance(exc, RpcError) and exc.code is ErrorCode.HANDHELD_CSV_COLUMNS:
        params = dict(exc.params)
        if params.get("problem") == "row_width":
            return QCoreApplication.translate("HandheldScreen", ROW_WIDTH).format(
                line=params.get("line", "?"), cells=params.get("column", "?"))
        params["problem"] = csv_problem(str(params.get("problem", "")))
        return error_message(exc.code, params)
    if isinstance(exc, RpcError) and exc.code is ErrorCode.HANDHELD_DECISION_REFUSED:
        params = dict(exc.params)
        with contextlib.suppress(ValueError):
            params["finding"] = finding_name(FindingCode(str(params.get("finding"))))
        params["field"] = finding_field(str(params.get("field") or "")) or "—"
        return error_message(exc.code, params)
    return error_text(exc)
