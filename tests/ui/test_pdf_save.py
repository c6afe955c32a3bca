"""``ask_pdf_path``: the save-as-PDF dialog opens in Documents with the proposed name and hands the chosen path on."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from client.ui.widgets.pdf_save import ask_pdf_path


def test_the_chosen_file_is_handed_on(qtbot: QtBot, tmp_path: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    chosen: list[Path] = []
    dialog = ask_pdf_path(parent, title="Save", file_stem="日结单-T01-2026-12-06", object_name="testSaveDialog",
                          on_chosen=chosen.append)
    assert parent.findChild(QFileDialog, "testSaveDialog") is dialog
    assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    assert dialog.defaultSuffix() == "pdf"
    assert chosen == []  # nothing until the user picks a file
    target = tmp_path / "day.pdf"
    dialog.fileSelected.emit(str(target))
    assert chosen == [target]
    dialog.close()
