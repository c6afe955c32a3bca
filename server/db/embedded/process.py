"""Process supervision of the embedded cluster: the postmaster, its PID and port, and the tools it runs.

PostgreSQL tools run as the service account; the postmaster is started, stopped and killed; orphaned
backends are waited for and stale lock files removed.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from server.db.databases import LOCALE
from server.db.embedded.account import Account
from server.db.embedded.errors import EmbeddedPostgresError, log_tail
from server.db.embedded.layout import Layout

logger = logging.getLogger(__name__)

_START_TIMEOUT_S = 180  # crash recovery after a SIGKILL replays WAL; leave it room
_STOP_TIMEOUT_S = 60
_ORPHAN_WAIT_S = 15.0


@contextlib.contextmanager
def start_stop_lock(layout: Layout) -> Iterator[None]:
    """Serialise start/stop across processes (parallel test workers, server and CLI)."""
    fd = os.open(layout.lock_file, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def run_tool(
    args: Sequence[str], *, layout: Layout, account: Account | None, timeout: float
) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL tool as the service account (``account``; None: as ourselves), with a private,
    predictable environment."""
    run_dir = layout.run_dir
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    # Messages and tool locale independent of the caller's LANG (which may not exist).
    env.update({"XDG_RUNTIME_DIR": str(run_dir), "LC_ALL": LOCALE, "LANG": LOCALE})
    # Temporary files, not pipes: the postmaster started by pg_ctl could inherit a pipe and
    # keep it open, and run() would then wait forever for end of file.
    with (
        tempfile.TemporaryFile("w+", encoding="utf-8") as out,
        tempfile.TemporaryFile("w+", encoding="utf-8") as err,
    ):
        try:
            as_account: dict[str, Any] = {}
            if account is not None:
                env["HOME"] = str(run_dir)
                env["USER"] = env["LOGNAME"] = account.name
                # extra_groups=[]: drop root's supplementary groups too
                as_account = {"user": account.uid, "group": account.gid, "extra_groups": []}
            completed = subprocess.run(
                list(args),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                env=env,
                cwd=run_dir,
                timeout=timeout,
                check=False,
                umask=0o077,
                **as_account,
            )
        except subprocess.TimeoutExpired as exc:
            raise EmbeddedPostgresError(
                f"{Path(args[0]).name} did not finish within {timeout:.0f} s", log_tail=log_tail(layout.log_file)
            ) from exc
        except OSError as exc:
            raise EmbeddedPostgresError(f"Cannot run {args[0]}: {exc}") from exc
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(completed.args, completed.returncode, out.read(), err.read())


def pg_ctl_start(bin_dir: Path, *, layout: Layout, account: Account | None, host: str, port: int) -> None:
    """Start the postmaster with pg_ctl and wait until it accepts connections."""
    pgdata = layout.pgdata
    logger.info("Starting PostgreSQL in %s on %s:%d", pgdata, host, port)
    result = run_tool(
        [
            str(bin_dir / "pg_ctl"),
            "-D",
            str(pgdata),
            "-l",
            str(layout.log_file),
            "-w",
            "-t",
            str(_START_TIMEOUT_S),
            "-s",
            "start",
        ],
        layout=layout,
        account=account,
        timeout=_START_TIMEOUT_S + 15,
    )
    if result.returncode != 0 or running_pid(pgdata) is None:
        raise EmbeddedPostgresError(
            f"PostgreSQL did not start in {pgdata} on port {port} "
            f"(pg_ctl exit {result.returncode}: {result.stderr.strip()})",
            log_tail=log_tail(layout.log_file),
        )


def pg_ctl_stop(bin_dir: Path, *, layout: Layout, account: Account | None) -> None:
    """Stop the postmaster with a fast shutdown (sessions are cut, no crash recovery needed)."""
    pgdata = layout.pgdata
    pid = running_pid(pgdata)
    if pid is None:
        logger.debug("PostgreSQL in %s is not running", pgdata)
        return
    logger.info("Stopping PostgreSQL in %s (pid %d)", pgdata, pid)
    result = run_tool(
        [str(bin_dir / "pg_ctl"), "-D", str(pgdata), "-m", "fast", "-w", "-t", str(_STOP_TIMEOUT_S), "-s", "stop"],
        layout=layout,
        account=account,
        timeout=_STOP_TIMEOUT_S + 15,
    )
    if result.returncode != 0 and running_pid(pgdata) is not None:
        raise EmbeddedPostgresError(
            f"pg_ctl stop failed for {pgdata}: {result.stderr.strip()}", log_tail=log_tail(layout.log_file)
        )


def kill_postmaster(layout: Layout) -> None:
    """SIGKILL the postmaster, as a crash would, and wait until its processes are gone."""
    pid = running_pid(layout.pgdata)
    if pid is None:
        logger.info("kill(): PostgreSQL in %s is not running", layout.pgdata)
        return
    logger.warning("Killing the PostgreSQL postmaster %d in %s", pid, layout.pgdata)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # died on its own meanwhile
    except OSError as exc:
        raise EmbeddedPostgresError(f"Cannot kill the postmaster {pid}: {exc}") from exc
    wait_for_orphans(layout)


def running_pid(pgdata: Path) -> int | None:
    """The postmaster's PID if it is alive and serving this PGDATA, else None."""
    lines = _pid_file_lines(pgdata)
    if not lines:
        return None
    try:
        pid = int(lines[0])
    except ValueError:
        return None
    return pid if pid in postgres_pids_in(pgdata) else None


def running_port(pgdata: Path) -> int | None:
    """The port the running postmaster wrote into postmaster.pid, if any."""
    lines = _pid_file_lines(pgdata)
    if lines is None or len(lines) < 4:
        return None
    try:
        return int(lines[3])
    except ValueError:
        return None


def wait_for_orphans(layout: Layout) -> None:
    """Wait until no postgres process works in this PGDATA.

    After the postmaster dies, its backends notice through a pipe and exit on their own; a
    new postmaster must not start while they still touch the data files.
    """
    deadline = time.monotonic() + _ORPHAN_WAIT_S
    while pids := postgres_pids_in(layout.pgdata):
        if time.monotonic() > deadline:
            raise EmbeddedPostgresError(
                f"PostgreSQL processes {pids} still use {layout.pgdata} although the postmaster is gone; "
                f"stop them before starting the server again",
                log_tail=log_tail(layout.log_file),
            )
        threading.Event().wait(0.02)


def remove_stale_lock_files(layout: Layout) -> None:
    """Remove postmaster.pid and socket lock files left by a server that died.

    postgres ignores a lock file whose PID is dead, but not one whose PID is still a zombie
    (this machine's init reaps lazily) or was reused by another process after a reboot. The caller
    holds the start lock and no postgres process works in this PGDATA, so the files are stale.
    """
    pgdata = layout.pgdata
    stale = [pgdata / "postmaster.pid", *pgdata.glob(".s.PGSQL.*")]
    if not any(path.exists() for path in stale):
        return
    wait_for_orphans(layout)
    logger.warning("Removing stale lock files in %s (server was not shut down cleanly)", pgdata)
    for path in stale:
        path.unlink(missing_ok=True)


def postgres_pids_in(pgdata: Path) -> list[int]:
    """Live (not zombie) postgres processes working in ``pgdata``.

    Every postgres process changes its directory to PGDATA, so the working directory ties a
    process to a cluster and tells a reused or dead PID apart from ours.
    """
    target = os.path.realpath(pgdata)
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        info = _proc_stat(int(entry.name))
        if info is None or info[0] != "postgres" or info[1] in ("Z", "X"):
            continue
        try:
            cwd = os.readlink(entry / "cwd")
        except OSError:  # exited meanwhile, or not ours to inspect
            continue
        if cwd == target:
            found.append(int(entry.name))
    return found


def _pid_file_lines(pgdata: Path) -> list[str] | None:
    try:
        return (pgdata / "postmaster.pid").read_text(encoding="utf-8").splitlines()
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def _proc_stat(pid: int) -> tuple[str, str] | None:
    """(comm, state) of a process from /proc, or None if it does not exist."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    # comm may contain spaces and parentheses: it ends at the last ')'.
    comm = raw[raw.index("(") + 1 : raw.rindex(")")]
    state = raw[raw.rindex(")") + 2 :].split(maxsplit=1)[0]
    return comm, state
