"""The meter reader's handheld files: atomic writes to the stick, kept copies, uploads read with the size cap."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from client.core.handheld_files import (
    FileErrorKind,
    HandheldFileError,
    keep_package,
    kept_package,
    kept_path,
    read_capped,
    safe_file_name,
    save_package,
    write_atomically,
)
from shared_models.handheld import MAX_FILE_BYTES

TEXT = '{"format": "gridcounter.book/1", "name": "张伟"}'


def test_a_package_is_written_whole_and_nothing_else_is_left(tmp_path: Path) -> None:
    """The package lands under its name, as UTF-8, and no temporary file stays in the folder."""
    path = save_package(tmp_path, "T01-B001-202611-k1.json", TEXT)
    assert path == tmp_path / "T01-B001-202611-k1.json"
    assert path.read_text(encoding="utf-8") == TEXT
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_a_second_download_replaces_the_first(tmp_path: Path) -> None:
    """Writing over an existing package leaves the new one whole."""
    save_package(tmp_path, "p.json", "old")
    save_package(tmp_path, "p.json", TEXT)
    assert (tmp_path / "p.json").read_text(encoding="utf-8") == TEXT
    assert len(list(tmp_path.iterdir())) == 1


def test_a_failure_between_write_and_rename_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stick pulled before the rename: no package, no half file, no temporary file."""
    def pulled(src: object, dst: object) -> None:
        raise OSError(errno.ENODEV, "No such device")

    monkeypatch.setattr("client.core.handheld_files.os.replace", pulled)
    with pytest.raises(HandheldFileError) as caught:
        save_package(tmp_path, "p.json", TEXT)
    assert caught.value.kind is FileErrorKind.FOLDER_MISSING
    assert list(tmp_path.iterdir()) == []


def test_a_failure_between_write_and_rename_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    """A failed replacement leaves the previous package as it was."""
    save_package(tmp_path, "p.json", "old")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("client.core.handheld_files.os.fsync", full)
    with pytest.raises(HandheldFileError) as caught:
        save_package(tmp_path, "p.json", TEXT)
    assert caught.value.kind is FileErrorKind.FULL
    assert [p.name for p in tmp_path.iterdir()] == ["p.json"]
    assert (tmp_path / "p.json").read_text(encoding="utf-8") == "old"


def test_an_interrupt_while_writing_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    """Even a failure that is not an OSError removes the temporary file."""
    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("client.core.handheld_files.os.fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(tmp_path / "p.json", b"x")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_is_gone_is_named(tmp_path: Path) -> None:
    """A pulled stick (the folder no longer exists) is a clear error, not an OSError."""
    with pytest.raises(HandheldFileError) as caught:
        save_package(tmp_path / "stick", "p.json", TEXT)
    assert caught.value.kind is FileErrorKind.FOLDER_MISSING
    assert caught.value.path == tmp_path / "stick"


def test_a_file_chosen_as_folder_is_refused(tmp_path: Path) -> None:
    """A regular file is not a folder to write into."""
    (tmp_path / "f").write_text("x", encoding="utf-8")
    with pytest.raises(HandheldFileError) as caught:
        save_package(tmp_path / "f", "p.json", TEXT)
    assert caught.value.kind is FileErrorKind.NOT_A_FOLDER


_WRITE_AS_NOBODY = """
import os, sys
from pathlib import Path
from client.core.handheld_files import HandheldFileError, save_package
if os.getuid() == 0:  # imported first: the interpreter's own files may not be readable by nobody
    os.setgid(65534)
    os.setuid(65534)
try:
    save_package(Path(sys.argv[1]), "p.json", "{}")
except HandheldFileError as exc:
    print(exc.kind.value)
else:
    print("written")
"""


def _write_as_nobody(folder: Path) -> str:
    """What ``save_package`` into ``folder`` gives for an unprivileged user: "written" or the error's kind."""
    root = Path(__file__).parents[2]
    result = subprocess.run([sys.executable, "-c", _WRITE_AS_NOBODY, str(folder)], capture_output=True, text=True,
                            check=False, cwd=root, env={**os.environ, "PYTHONPATH": str(root)})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_folder_behind_a_closed_parent_is_refused_as_read_only(tmp_path: Path) -> None:
    """A folder whose parent the user may not pass through is READ_ONLY too (not an OSError)."""
    tmp_path.chmod(0o700)
    (tmp_path / "stick").mkdir()
    assert _write_as_nobody(tmp_path / "stick") == FileErrorKind.READ_ONLY.value


def test_a_read_only_folder_is_refused_as_read_only(tmp_path: Path) -> None:
    """A folder the user may not write to (a write-protected stick) is READ_ONLY and nothing is written (run as
    an unprivileged user: root writes anywhere)."""
    root = Path(tempfile.mkdtemp(prefix="gc-stick-"))  # pytest's tmp_path sits below a folder of mode 0700
    root.chmod(0o755)
    folder = root / "stick"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        assert _write_as_nobody(folder) == FileErrorKind.READ_ONLY.value
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)
        shutil.rmtree(root)


def test_the_file_name_cannot_leave_the_folder(tmp_path: Path) -> None:
    """A name with folders or odd characters is reduced to one plain name inside the chosen folder."""
    assert safe_file_name("../../etc/passwd") == "passwd"
    assert safe_file_name("a\\b:c*.json") == "b_c_.json"
    assert safe_file_name("..") == "package.json"
    path = save_package(tmp_path, "../x.json", TEXT)
    assert path.parent == tmp_path


def test_a_kept_copy_is_found_by_package_id(tmp_path: Path) -> None:
    """The copy kept in the data folder is read back by id; a package never downloaded here is None."""
    path = keep_package(tmp_path, "4c1f", TEXT)
    assert path == kept_path(tmp_path, "4c1f") == tmp_path / "handheld" / "4c1f.json"
    assert kept_package(tmp_path, "4c1f") == TEXT
    assert kept_package(tmp_path, "other") is None
    path.write_bytes(b"\xff\xfe")
    assert kept_package(tmp_path, "4c1f") is None


def test_an_upload_is_read_whole_below_the_cap(tmp_path: Path) -> None:
    """A file at the cap is read; its bytes as they are."""
    path = tmp_path / "up.csv"
    path.write_bytes(b"a" * 10)
    assert read_capped(path, limit=10) == b"a" * 10


def test_an_upload_above_the_cap_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file larger than the server reads (a sparse 200 MB file) is refused with its size, unread."""
    path = tmp_path / "big.json"
    with path.open("wb") as out:
        out.truncate(200 * 1024 * 1024)
    reads: list[int] = []
    real_open = Path.open

    def counting_open(self: Path, *args: object, **kwargs: object) -> object:
        handle = real_open(self, *args, **kwargs)  # type: ignore[call-overload]
        original = handle.read

        def read(n: int = -1) -> bytes:
            reads.append(n)
            return bytes(original(n))

        return _Spy(handle, read)

    monkeypatch.setattr(Path, "open", counting_open)
    with pytest.raises(HandheldFileError) as caught:
        read_capped(path)
    assert caught.value.kind is FileErrorKind.TOO_LARGE
    assert caught.value.size == 200 * 1024 * 1024 > MAX_FILE_BYTES
    assert reads == []


class _Spy:
    """A file handle whose ``read`` is counted."""

    def __init__(self, handle: object, read: object) -> None:
        self._handle = handle
        self.read = read

    def __enter__(self) -> _Spy:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.__exit__(*exc)  # type: ignore[attr-defined]

    def fileno(self) -> int:
        return int(self._handle.fileno())  # type: ignore[attr-defined]


def test_an_upload_that_is_gone_is_named(tmp_path: Path) -> None:
    """A file removed after it was chosen (or a folder chosen) is FILE_MISSING."""
    with pytest.raises(HandheldFileError) as caught:
        read_capped(tmp_path / "gone.json")
    assert caught.value.kind is FileErrorKind.FILE_MISSING
    with pytest.raises(HandheldFileError) as caught:
        read_capped(tmp_path)
    assert caught.value.kind is FileErrorKind.FILE_MISSING
