"""``ask_pdf_path``: the one save-as-PDF dialog (日结单, 电费通知单): non-blocking, in the user's Documents folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog, QWidget


def ask_pdf_path(parent: QWidget, *, title: str, file_stem: str, object_name: str,
                 on_chosen: Callable[[Path], None]) -> QFileDialog:
    """Open a save-file dialog for ``file_stem``.pdf; ``on_chosen(path)`` runs when the user picks a file."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    dialog = QFileDialog(parent, title, str(Path(folder) / f"{file_stem}.pdf"),
                         QCoreApplication.translate("PdfSave", "PDF files (*.pdf)"))
    dialog.setObjectName(object_name)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix("pdf")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.fileSelected.connect(lambda name: on_chosen(Path(name)))
    dialog.open()
    return dialog
