# pytest-qt's QtBot is untyped:
# mypy: disable-error-code="no-untyped-call"
"""The hand-over screen's two mutations with their answer lost after the server committed (issue 10 §2): the
reader presses again and gets the first result — the same package written to the stick, the readings entered
once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from client.ui.screens.handheld_screen import HandheldScreen
from server.handheld.simulator import fill_document
from tests.chaos.proxy import ChaosProxy
from tests.e2e.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.ui.confirm_helpers import TIMEOUT_MS, LostAnswer, ViaLink, link, sql, via_link  # noqa: F401
from tests.ui.handheld_live_helpers import open_books, prepare_book, settle, today, upload

pytestmark = pytest.mark.timeout(300)


def test_lost_answers_pressed_again_apply_once(qtbot: QtBot, live_server: LiveServer,  # noqa: F811
                                               link: ChaosProxy, via_link: ViaLink, tmp_path: Path) -> None:  # noqa: F811
    """Download: the first answer is lost, the second press writes the package the server made the first time;
    Accept: the first answer is lost, the second press answers the first result and no reading is doubled."""
    prepare_book(live_server)
    screen = HandheldScreen(ctx=via_link("reader1", "T0101"), data_dir=tmp_path / "data")
    qtbot.addWidget(screen)
    screen.show()
    open_books(qtbot, screen)
    stick = tmp_path / "stick"
    stick.mkdir()

    lost = LostAnswer.arm_for(live_server, link, "handheld.download_book")
    screen.download_to(stick)
    lost.wait_lost(qtbot, screen.download_slot)
    assert screen.error_label.text()
    assert list(stick.iterdir()) == []
    with qtbot.waitSignal(screen.downloaded, timeout=TIMEOUT_MS) as blocker:
        screen.download_to(stick)
    settle(qtbot)
    stored = lost.check_once(screen.download_slot)
    package = json.loads(blocker.args[0].path.read_text(encoding="utf-8"))
    assert package["package_id"] == stored["package_id"]
    assert sql(live_server, "SELECT count(*) FROM handheld_packages") == [(1,)]

    path = stick / "returned.json"
    path.write_text(json.dumps(fill_document(package, mix="normal", read_on=today()), ensure_ascii=False),
                    encoding="utf-8")
    upload(qtbot, screen, path)
    screen.report.accept_clean()
    [(before,)] = sql(live_server, "SELECT count(*) FROM readings")
    lost = LostAnswer.arm_for(live_server, link, "handheld.accept_upload")
    screen.accept_button.click()
    lost.wait_lost(qtbot, screen.accept_slot)
    assert screen.error_label.text().endswith(screen.tr(
        "The answer did not arrive: press Accept again — the same acceptance is sent, never twice."))
    assert screen.accept_button.isEnabled()
    with qtbot.waitSignal(screen.accepted, timeout=TIMEOUT_MS) as accepted:
        screen.accept_button.click()
    settle(qtbot)
    lost.check_once(screen.accept_slot, accepted.args[0])
    assert sql(live_server, "SELECT count(*) FROM readings") == [(before + 4,)]
    assert sql(live_server, "SELECT count(*) FROM handheld_accepted") == [(4,)]
