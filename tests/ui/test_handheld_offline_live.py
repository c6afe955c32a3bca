# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""The hand-over screen when the link is down (issue 13 §5), against the live server behind a proxy the test
cuts: the returned file is checked on this PC against the package kept at download, with the server's finding
codes and a notice that the signature is checked on sending; a changed file is refused offline with the server's
sentence; a package this PC never downloaded cannot be checked here and says so."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from client.core.session import Session
from client.ui.context import UiContext
from client.ui.errors import ErrorHandler
from client.ui.messages import error_message
from client.ui.screens.handheld_screen import HandheldScreen
from server.handheld.simulator import damage, fill_document
from shared_models.errors import ErrorCode
from shared_models.handheld import FindingCode, Severity
from tests.chaos.proxy import ChaosProxy
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.ui.handheld_live_helpers import TIMEOUT_MS, download, open_books, prepare_book, settle, today, upload
from tests.ui.live_helpers import live_client

CASES = ("rise", "no_reading", "below_previous", "no_access")


@pytest.fixture(scope="module")
def period(live_server: LiveServer) -> int:  # noqa: F811 - fixture
    """The book assigned to reader1 and read in the two months before; the current period."""
    return prepare_book(live_server)


@pytest.fixture
def link(live_server: LiveServer) -> Iterator[ChaosProxy]:  # noqa: F811 - fixture
    """The counter's link to the server: a proxy in front of it that the test cuts and heals."""
    tls = live_server.ca.parent
    port = int(live_server.url.rsplit(":", 1)[1])
    with ChaosProxy(upstream_port=port, cert_file=tls / "server.pem", key_file=tls / "server.key",
                    ca_file=live_server.ca) as proxy:
        yield proxy


@pytest.fixture
def reader_ctx(live_server: LiveServer, link: ChaosProxy) -> Iterator[UiContext]:  # noqa: F811
    """reader1 signed in at T0101 through the proxy."""
    rpc, result = live_client(dataclasses.replace(live_server, url=link.url), "reader1", "T0101")
    session = Session()
    session.start(result)
    lost: list[BaseException] = []
    yield UiContext(rpc=rpc, session=session, report_error=ErrorHandler(on_session_lost=lost.append))
    rpc.close()


def _screen(qtbot: QtBot, ctx: UiContext, data_dir: Path) -> HandheldScreen:
    screen = HandheldScreen(ctx=ctx, data_dir=data_dir)
    qtbot.addWidget(screen)
    screen.show()
    open_books(qtbot, screen)
    return screen


def test_the_file_is_checked_on_this_pc_while_the_link_is_down(
        qtbot: QtBot, period: int, reader_ctx: UiContext, link: ChaosProxy, tmp_path: Path) -> None:
    """The same findings as the server's where the package can judge, the notice, and the offline summary."""
    screen = _screen(qtbot, reader_ctx, tmp_path / "data")
    package = download(qtbot, screen, tmp_path / "stick")
    path = tmp_path / "stick" / "returned.json"
    path.write_text(json.dumps(fill_document(package, cases=CASES, read_on=today()), ensure_ascii=False),
                    encoding="utf-8")
    upload(qtbot, screen, path)  # online first: the server's report
    assert screen.upload is not None
    assert not screen.upload.offline
    online = {r.seq: r.codes for r in screen.report.shown_rows()}
    cut_short = tmp_path / "stick" / "cut.json"
    cut_short.write_bytes(damage(path.read_bytes(), "truncate"))
    with qtbot.waitSignal(screen.failed, timeout=TIMEOUT_MS) as blocker:
        screen.upload_file(cut_short)
    settle(qtbot)
    damaged_online = blocker.args[0]
    assert not screen.upload

    link.cut()
    upload(qtbot, screen, path)
    assert screen.upload is not None
    assert screen.upload.offline
    rows = screen.report.shown_rows()
    assert {r.seq: r.codes for r in rows} == online
    assert [r.severity for r in rows] == [Severity.WARNING, Severity.WARNING, Severity.ERROR, Severity.WARNING]
    assert [n.code for n in screen.upload.report.notices] == [FindingCode.SIGNATURE_UNCHECKED]
    summary = screen.report.summary_label.text()
    assert summary.startswith(screen.tr("Checked on this PC: the server cannot be reached."))
    assert "{" not in summary

    # A changed figure is refused here as the server would refuse it.
    broken = tmp_path / "stick" / "changed.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["records"][0]["name"] = "李四"
    broken.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with qtbot.waitSignal(screen.failed, timeout=TIMEOUT_MS) as blocker:
        screen.upload_file(broken)
    settle(qtbot)
    assert blocker.args[0] == error_message(ErrorCode.HANDHELD_SIGNATURE_INVALID,
                                            {"package_id": package["package_id"]})
    assert screen.report.model.rowCount() == 0
    with qtbot.waitSignal(screen.failed, timeout=TIMEOUT_MS) as blocker:
        screen.upload_file(cut_short)
    settle(qtbot)
    assert blocker.args[0] == damaged_online  # the cut file: the server's sentence, line and field

    # Another PC (no kept copy): nothing to check against, said in a sentence.
    other = HandheldScreen(ctx=reader_ctx, data_dir=tmp_path / "other")
    qtbot.addWidget(other)
    with qtbot.waitSignal(other.failed, timeout=TIMEOUT_MS) as blocker:
        other.upload_file(path)
    settle(qtbot)
    assert package["package_id"] in blocker.args[0]
    assert "{" not in blocker.args[0]
    link.heal()
