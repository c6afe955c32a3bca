"""The meter reader's handheld files on disk (Qt-free): packages written atomically, kept copies, uploads read.

A package goes to a folder the reader picks (a USB stick) through :func:`write_atomically`: a temporary file in
the same folder is written, flushed and ``fsync``-ed, then renamed over the target (``os.replace``) and the
folder ``fsync``-ed. A stick pulled at any moment leaves the old file or none, never half a package. Every
package downloaded is also kept in the client data folder (``<data_dir>/handheld/<package_id>.json``, written
the same way) so the offline validator can check a returned file against it while the link is down. A returned
file is read with the size cap of the server (``MAX_FILE_BYTES``): a larger file is refused before it is read.

Failures are :class:`HandheldFileError` with a :class:`FileErrorKind` the screen words; nothing here shows text.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from enum import StrEnum
from pathlib import Path
from typing import Final

from client.core.atomic_file import replace_file
from shared_models.handheld import MAX_FILE_BYTES

#: The folder of the kept packages inside the client data folder.
KEPT_FOLDER: Final = "handheld"
_SAFE_NAME: Final = re.compile(r"[^A-Za-z0-9._-]")


class FileErrorKind(StrEnum):
    """Why a handheld file could not be written or read."""

    FOLDER_MISSING = "folder_missing"  # the folder is gone (a stick pulled) or never existed
    NOT_A_FOLDER = "not_a_folder"
    READ_ONLY = "read_only"  # no permission, a write-protected stick, a read-only file system
    FULL = "full"  # no space left (or over the quota)
    FILE_MISSING = "file_missing"  # the chosen upload file is gone
    TOO_LARGE = "too_large"  # above MAX_FILE_BYTES: not read
    FAILED = "failed"  # any other input/output error (``detail`` holds the system's words)


class HandheldFileError(Exception):
    """A handheld file could not be written or read: ``kind``, the ``path`` concerned, and details."""

    def __init__(self, kind: FileErrorKind, path: Path, *, size: int = 0, detail: str = "") -> None:
        super().__init__(kind.value, str(path), detail)
        self.kind = kind
        self.path = path
        self.size = size
        self.detail = detail


def _error(exc: OSError, path: Path) -> HandheldFileError:
    """The kind of an operating-system failure."""
    if exc.errno in {errno.ENOENT, errno.ENODEV, errno.ENXIO}:
        return HandheldFileError(FileErrorKind.FOLDER_MISSING, path)
    if exc.errno == errno.ENOTDIR:
        return HandheldFileError(FileErrorKind.NOT_A_FOLDER, path)
    if exc.errno in {errno.EACCES, errno.EPERM, errno.EROFS}:
        return HandheldFileError(FileErrorKind.READ_ONLY, path)
    if exc.errno in {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}:
        return HandheldFileError(FileErrorKind.FULL, path)
    return HandheldFileError(FileErrorKind.FAILED, path, detail=exc.strerror or type(exc).__name__)


def write_atomically(target: Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` so that it is either the whole new file, or the old one (or none).

    The temporary file lives in ``target``'s folder (a rename across file systems is not atomic); on any
    failure it is removed and :class:`HandheldFileError` raised.
    """
    folder = target.parent
    try:
        is_folder = stat.S_ISDIR(folder.stat().st_mode)
    except OSError as exc:  # gone, or a parent the user may not pass through
        raise _error(exc, folder) from exc
    if not is_folder:
        raise HandheldFileError(FileErrorKind.NOT_A_FOLDER, folder)
    try:
        replace_file(target, data)
    except OSError as exc:
        raise _error(exc, target) from exc
    return target


def safe_file_name(name: str) -> str:
    """The server's file name reduced to one plain name (no folder, no character a stick's FAT refuses)."""
    plain = _SAFE_NAME.sub("_", Path(name.replace("\\", "/")).name).lstrip(".")
    return plain or "package.json"


def save_package(folder: Path, file_name: str, text: str) -> Path:
    """Write a downloaded package (UTF-8 JSON text) into ``folder`` as ``file_name``; the path written."""
    return write_atomically(folder / safe_file_name(file_name), text.encode("utf-8"))


def kept_path(data_dir: Path, package_id: str) -> Path:
    """Where the copy of package ``package_id`` is kept in the client data folder."""
    return data_dir / KEPT_FOLDER / f"{safe_file_name(package_id)}.json"


def keep_package(data_dir: Path, package_id: str, text: str) -> Path:
    """Keep a copy of a downloaded package in the client data folder (for the offline validator)."""
    path = kept_path(data_dir, package_id)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise _error(exc, path.parent) from exc
    return write_atomically(path, text.encode("utf-8"))


def kept_package(data_dir: Path, package_id: str) -> str | None:
    """The kept copy of package ``package_id`` as text, or None when this counter never downloaded it."""
    path = kept_path(data_dir, package_id)
    try:
        data = read_capped(path)
    except HandheldFileError:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def read_capped(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a chosen upload file; a file above ``limit`` is refused before it is read whole."""
    try:
        with path.open("rb") as source:
            size = os.fstat(source.fileno()).st_size
            if size > limit:
                raise HandheldFileError(FileErrorKind.TOO_LARGE, path, size=size)
            data = source.read(limit + 1)  # a file growing while read is caught here as well
    except FileNotFoundError as exc:
        raise HandheldFileError(FileErrorKind.FILE_MISSING, path) from exc
    except IsADirectoryError as exc:
        raise HandheldFileError(FileErrorKind.FILE_MISSING, path) from exc
    except OSError as exc:
        raise _error(exc, path) from exc
    if len(data) > limit:
        raise HandheldFileError(FileErrorKind.TOO_LARGE, path, size=len(data))
    return data
