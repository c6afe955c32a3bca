"""PDF pages as PNG images, for the on-screen preview and for printing through the OS print dialog.

Our Qt package (PySide6-Essentials) has no QtPdf, so pages are rasterised by poppler's ``pdftoppm``
(Debian package ``poppler-utils``, installed by ``installer/setup.sh``). Blocking: call it in an Op.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Final

PDFTOPPM: Final = "pdftoppm"
#: A page that takes longer than this to rasterise means poppler hangs: give up rather than wait forever.
_TIMEOUT_S: Final = 60


class RasterUnavailableError(RuntimeError):
    """``pdftoppm`` is not installed: no preview and no printing, saving the PDF still works."""


def raster_available() -> bool:
    """Whether pages can be rasterised on this PC."""
    return shutil.which(PDFTOPPM) is not None


def pdf_pages_png(pdf: bytes, *, dpi: int) -> list[bytes]:
    """Every page of ``pdf`` as PNG bytes at ``dpi``, in page order."""
    if not 30 <= dpi <= 600:
        raise ValueError("dpi must be between 30 and 600")
    tool = shutil.which(PDFTOPPM)
    if tool is None:
        raise RasterUnavailableError(PDFTOPPM)
    with tempfile.TemporaryDirectory(prefix="gridcounter-pdf-") as folder:
        source = Path(folder) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(  # a fixed tool on our own temporary files, no shell
            [tool, "-r", str(dpi), "-png", str(source), str(Path(folder) / "page")],
            check=True, capture_output=True, timeout=_TIMEOUT_S,
        )
        # pdftoppm zero-pads the page number to the width of the page count: page-1.png or page-01.png
        pages = sorted(Path(folder).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        return [page.read_bytes() for page in pages]
