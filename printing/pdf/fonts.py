"""The CJK font every GridCounter PDF embeds.

A PDF leaves the machine (to finance, to the bank, to an auditor's laptop), so its Chinese must not
depend on the reader's fonts: the CID font STSong-Light is never embedded, and reportlab refuses the
Noto CJK ``.ttc`` (CFF outlines). WenQuanYi Micro Hei (Debian ``fonts-wqy-microhei``) is TrueType and
reportlab embeds a subset of it, so we use that.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Final

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

logger = logging.getLogger(__name__)

#: The name documents use in ``fontName=``; the same for whatever file the font was loaded from.
CJK_FONT_NAME: Final = "WenQuanYiMicroHei"
#: Where Debian's fonts-wqy-microhei installs the font.
DEFAULT_CJK_FONT_PATH: Final = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
#: Environment variable that points at another copy (Windows counters, a bundled resources/fonts file).
CJK_FONT_ENV: Final = "GRIDCOUNTER_CJK_FONT"
#: The Micro Hei face inside the collection (index 1 is the monospaced Micro Hei Mono).
_SUBFONT_INDEX: Final = 0

_lock = threading.Lock()


class FontMissingError(RuntimeError):
    """The CJK font file is missing or unreadable; the message says which file and how to install it."""

    def __init__(self, path: Path, *, reason: str) -> None:
        super().__init__(
            f"CJK font {str(path)!r} cannot be used ({reason}); install the Debian package "
            f"fonts-wqy-microhei (apt-get install fonts-wqy-microhei) or set {CJK_FONT_ENV} to a wqy-microhei.ttc"
        )
        self.path = path


def cjk_font_path() -> Path:
    """The font file to load: ``$GRIDCOUNTER_CJK_FONT`` when set, else the Debian package's file."""
    override = os.environ.get(CJK_FONT_ENV, "").strip()
    return Path(override) if override else DEFAULT_CJK_FONT_PATH


def register_cjk_font() -> str:
    """Register the embedded CJK font with reportlab once per process and return its name.

    Idempotent and thread-safe: the first caller loads the file under a lock, later callers (any
    thread) get the name back. The path is read on the first successful registration only.
    """
    with _lock:
        if CJK_FONT_NAME in pdfmetrics.getRegisteredFontNames():
            return CJK_FONT_NAME
        path = cjk_font_path()
        if not path.is_file():
            raise FontMissingError(path, reason="file not found")
        try:
            font = TTFont(CJK_FONT_NAME, str(path), subfontIndex=_SUBFONT_INDEX)
        except (TTFError, OSError) as exc:
            raise FontMissingError(path, reason=str(exc)) from exc
        pdfmetrics.registerFont(font)
        logger.info("registered CJK font %s from %s", CJK_FONT_NAME, path)
        return CJK_FONT_NAME
