"""Test folders that know their owner, and the reaper of what a killed test run left behind.

A test run that is killed (Ctrl-C twice, a CI timeout, SIGKILL) never reaches its fixtures' teardown:
the embedded PostgreSQL clusters it started keep running, and live servers it spawned keep their
ports. Every folder a test run makes under /tmp for such processes is made by :func:`owned_temp_dir`,
which writes the owning process (PID and kernel start time, so a reused PID does not count) into it.
At the start of each run :func:`reap_orphans` stops the clusters and processes of folders whose owner
is gone, and removes the folders. Folders of runs still alive (another engineer's, a parallel CI job)
are never touched.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from server.db.embedded import EmbeddedPostgres, EmbeddedPostgresError

log = logging.getLogger(__name__)

OWNER_FILE: Final = ".gridcounter-test-owner"
#: The prefixes of the folders test runs make under /tmp (tests, demo-data tests, chaos runs).
PREFIXES: Final = ("gridcounter-test-", "gridcounter-demo-", "gc-chaos-")
_TMP: Final = Path("/tmp")  # noqa: S108 - the shared place every run looks in, on purpose
_KILL_WAIT_S: Final = 10.0


def _start_time(pid: int) -> str | None:
    """The kernel's start time of ``pid`` (field 22 of /proc/<pid>/stat), or None if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return None
    # The command name (field 2) may hold spaces and parentheses: split after its closing one.
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else None


def owned_temp_dir(prefix: str) -> Path:
    """A new world-readable folder under /tmp that names this process as its owner."""
    if not prefix.startswith(PREFIXES):
        raise ValueError(f"test folders start with one of {PREFIXES}, not {prefix!r}")
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=_TMP))
    # Not 0700 like pytest's own tmp folders: the PostgreSQL service user must reach its data.
    folder.chmod(0o755)
    pid = os.getpid()
    (folder / OWNER_FILE).write_text(f"{pid} {_start_time(pid)}\n", encoding="ascii")
    return folder


def owner_alive(folder: Path) -> bool | None:
    """True while the folder's owner runs, False once it is gone, None for a folder without an owner file."""
    try:
        pid_text, started = (folder / OWNER_FILE).read_text(encoding="ascii").split()
        pid = int(pid_text)
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return _start_time(pid) == started


def _processes_naming(folder: Path) -> list[int]:
    """PIDs of processes whose command line names ``folder`` (live servers, counters, pg_ctl)."""
    needle = str(folder).encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if needle in cmdline:
            found.append(int(entry.name))
    return found


def _end(pids: Iterable[int]) -> None:
    """SIGTERM, then SIGKILL what is still there after a grace period."""
    pids = list(pids)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
    waited = threading.Event()
    for _ in range(int(_KILL_WAIT_S / 0.05)):
        if not any(_start_time(pid) is not None for pid in pids):
            return
        waited.wait(0.05)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            continue


def reap(folder: Path) -> None:
    """Stop every PostgreSQL cluster and process of ``folder``, then remove it."""
    for pid_file in folder.rglob("postmaster.pid"):
        cluster = EmbeddedPostgres(data_dir=pid_file.parent.parent)
        if cluster.pgdata != pid_file.parent:
            continue
        try:
            cluster.kill()  # nothing in it is kept: no need for a clean shutdown
        except EmbeddedPostgresError as exc:
            log.warning("could not stop the orphaned cluster in %s: %s", pid_file.parent, exc)
    _end(_processes_naming(folder))
    shutil.rmtree(folder, ignore_errors=True)


def reap_orphans(tmp: Path = _TMP) -> list[Path]:
    """Reap every test folder under ``tmp`` whose owner process is gone; the folders reaped."""
    reaped = []
    for prefix in PREFIXES:
        for folder in sorted(tmp.glob(f"{prefix}*")):
            if folder.is_dir() and owner_alive(folder) is False:
                log.warning("reaping %s: its test run is gone", folder)
                reap(folder)
                reaped.append(folder)
    return reaped
