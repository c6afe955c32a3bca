"""Replace a file atomically and durably: the one way the counter writes a file that must never be half there.

A temporary file in the target's folder (a rename across file systems is not atomic), written and fsync'ed, then
``os.replace`` over the target, then an fsync of the folder so the rename itself survives a power cut. A failure
at any step removes the temporary file and re-raises the ``OSError``: the target is the old file (or none),
never a torn one. Used by the handheld packages (``handheld_files``), the offline verifier file
(``offline_auth``) and the outbox damage marker (``outbox/damage``).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable: its entry is on the medium too (POSIX; Windows has no folder fsync,
    and its rename is durable enough)."""
    if os.name != "posix":  # pragma: no cover - the tests run on Linux
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_file(target: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write ``data`` to ``target`` so that it is either the whole new file or the old one (or none).

    ``mode`` is the new file's permission bits (``0o600`` for a secret); OSError on failure, nothing left behind.
    """
    folder = target.parent
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    temp = Path(temp_name)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    fsync_folder(folder)
