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

from client.core.outbox.items import ItemState
from client.core.outbox.queue import Outbox
from client.core.session import Session
from client.core.sync import Backoff, SyncWorker
from client.ui.context import UiContext
from client.ui.errors import ErrorHandler
from client.ui.messages import error_message
from client.ui.screens.handheld_screen import HandheldScreen
from server.handheld.simulator import damage, fill_document
from shared_models.errors import ErrorCode
from shared_models.handheld import DecisionKind, FindingCode, Severity
from tests.chaos.proxy import ChaosProxy
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.ui.handheld_live_helpers import TIMEOUT_MS, download, open_books, prepare_book, settle, today, upload
from tests.ui.live_client import live_sql
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
def reader_ctx(live_server: LiveServer, link: ChaosProxy, tmp_path: Path) -> Iterator[UiContext]:  # noqa: F811
    """reader1 signed in at T0101 through the proxy, with this PC's outbox."""
    rpc, result = live_client(dataclasses.replace(live_server, url=link.url), "reader1", "T0101")
    session = Session()
    session.start(result)
    outbox = Outbox.in_folder(tmp_path)
    outbox.open()
    lost: list[BaseException] = []
    yield UiContext(rpc=rpc, session=session, report_error=ErrorHandler(on_session_lost=lost.append),
                    outbox=outbox)
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
    assert screen.accept_button.text().startswith(screen.tr("Queue decided records in the outbox ({count})")
                                                  .split("(")[0])

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


@pytest.mark.usefixtures("period")
def test_an_acceptance_checked_offline_is_queued_and_sent_once_when_the_link_is_back(
        qtbot: QtBot, reader_ctx: UiContext, link: ChaosProxy, tmp_path: Path,
        live_server: LiveServer) -> None:  # noqa: F811
    """Accept with the link down queues the decisions in the outbox (nothing reaches the books); the sync worker
    sends them once the link is back, and the readings are in the books once."""
    screen = _screen(qtbot, reader_ctx, tmp_path / "data")
    package = download(qtbot, screen, tmp_path / "stick")
    path = tmp_path / "stick" / "returned.json"
    path.write_text(json.dumps(fill_document(package, cases=CASES, read_on=today()), ensure_ascii=False),
                    encoding="utf-8")
    link.cut()
    upload(qtbot, screen, path)
    assert screen.upload is not None
    assert screen.upload.offline
    panel = screen.report
    for seqs, kind in (({1, 4}, DecisionKind.ACCEPT), ({2}, DecisionKind.ESTIMATE), ({3}, DecisionKind.REREAD)):
        panel.select_seqs(seqs)
        panel.decision_buttons[kind].click()
    before = live_sql(live_server, "SELECT count(*) FROM readings")
    with qtbot.waitSignal(screen.queued, timeout=TIMEOUT_MS):
        screen.accept_button.click()
    settle(qtbot)
    outbox = reader_ctx.outbox
    assert outbox is not None
    [item] = outbox.items(states=[ItemState.PENDING])
    assert (item.method, item.offline, item.summary["records"]) == ("handheld.accept_upload", True, 4)
    assert [r.decided for r in panel.shown_rows()] == [DecisionKind.ACCEPT, DecisionKind.ESTIMATE,
                                                       DecisionKind.REREAD, DecisionKind.ACCEPT]
    assert not screen.accept_button.isEnabled()  # nothing left to send twice
    assert "4" in screen.message_label.text()
    assert live_sql(live_server, "SELECT count(*) FROM readings") == before

    link.heal()
    worker = SyncWorker(outbox=outbox, rpc=reader_ctx.rpc, user=lambda: "reader1",
                        backoff=Backoff(base_s=0.05, cap_s=0.3), idle_s=0.2)
    worker.start()
    try:
        done = worker.wait_for(item.id, 60.0)
    finally:
        worker.stop()
    assert done.state is ItemState.DONE, (done.last_error, done.last_error_params)
    rows = live_sql(live_server, "SELECT seq, decision FROM handheld_accepted WHERE package_id = :p ORDER BY seq",
                    p=package["package_id"])
    assert [(s, str(d).lower()) for s, d in rows] == [(1, "accept"), (2, "estimate"), (3, "reread"), (4, "accept")]
    assert live_sql(live_server, "SELECT count(*) FROM readings")[0][0] == before[0][0] + 3  # type: ignore[operator]
