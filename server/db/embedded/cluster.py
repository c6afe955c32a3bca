"""``EmbeddedPostgres``: one PostgreSQL cluster in a data folder, created, started, stopped and killed.

It runs the steps the sibling modules own in the right order, under the start/stop lock: the service
account and folders (``account.py``), the binaries (``binaries.py``), the password, port and settings
(``config.py``), initdb and the application database (here), the postmaster (``process.py``). The
server listens on 127.0.0.1 only, with scram-sha-256 passwords for every connection.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from subprocess import CompletedProcess

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from server.db.databases import LOCALE, create_database, render_url
from server.db.embedded import account as accounts
from server.db.embedded import binaries, config, process
from server.db.embedded.errors import EmbeddedPostgresError, log_tail, tail
from server.db.embedded.layout import Layout

logger = logging.getLogger(__name__)

#: Database superuser created by initdb, and the name of the application database.
SUPERUSER = "gridcounter"
DATABASE = "gridcounter"


class EmbeddedPostgres:
    """One PostgreSQL cluster in ``data_dir``; ``start()`` and ``stop()`` are idempotent."""

    def __init__(self, *, data_dir: Path, port: int | None = None, service_user: str = "gridcounter") -> None:
        self._layout = Layout.of(data_dir)
        self._requested_port = port
        self._service_user = service_user
        self._as_root = os.geteuid() == 0
        self._port: int | None = None
        self._password: str | None = None
        self._account: accounts.Account | None = None

    # ------------------------------------------------------------------ paths and properties

    @property
    def data_dir(self) -> Path:
        """The folder holding the cluster, its password, port, logs and binaries."""
        return self._layout.data_dir

    @property
    def pgdata(self) -> Path:
        """The PostgreSQL data directory (PGDATA)."""
        return self._layout.pgdata

    @property
    def log_file(self) -> Path:
        """The postgres server log."""
        return self._layout.log_file

    @property
    def port(self) -> int:
        """The TCP port on 127.0.0.1; known once started (or remembered from an earlier start)."""
        if self._port is None:
            remembered = config.read_port_file(self._layout)
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
            if not self._layout.password_file.exists():
                raise EmbeddedPostgresError(f"No password yet for {self.pgdata}: call start() first")
            self._password = config.read_password(self._layout)
        return render_url(
            URL.create(
                "postgresql+psycopg2",
                username=SUPERUSER,
                password=self._password,
                host=config.HOST,
                port=self.port,
                database=database,
            )
        )

    # ------------------------------------------------------------------ public operations

    def is_running(self) -> bool:
        """Whether a postmaster serves this PGDATA (a stale postmaster.pid does not count)."""
        return process.running_pid(self.pgdata) is not None

    def start(self) -> str:
        """Initialise the cluster if needed, start it if not running, and return ``url``."""
        try:
            return self._start()
        except OSError as exc:
            raise EmbeddedPostgresError(
                f"Cannot start PostgreSQL in {self.pgdata}: {exc}", log_tail=log_tail(self.log_file)
            ) from exc

    def stop(self) -> None:
        """Stop the server with a fast shutdown (sessions are cut, no crash recovery needed)."""
        try:
            if not (self.pgdata / "PG_VERSION").exists():
                return
            with process.start_stop_lock(self._layout):
                process.pg_ctl_stop(self._bin_dir(), layout=self._layout, account=self._service_account())
        except OSError as exc:
            raise EmbeddedPostgresError(f"Cannot stop PostgreSQL in {self.pgdata}: {exc}") from exc

    def kill(self) -> None:
        """SIGKILL the postmaster, as a crash would, and wait until its processes are gone."""
        process.kill_postmaster(self._layout)

    def _start(self) -> str:
        layout = self._layout
        account = self._service_account()
        accounts.prepare_data_dir(layout, account)
        with process.start_stop_lock(layout):
            bin_dir = self._bin_dir()
            binaries.check_major_version(self.pgdata, bin_dir, run=self._run)
            running = process.running_pid(self.pgdata)
            if running is not None:
                self._port = process.running_port(self.pgdata) or self.port
                logger.debug("PostgreSQL already running in %s (pid %d)", self.pgdata, running)
            else:
                self._password = config.ensure_password(layout)
                if not (self.pgdata / "PG_VERSION").exists():
                    self._initdb(bin_dir)
                self._port = config.choose_port(layout, requested=self._requested_port)
                config.write_config(layout, port=self._port, account=account)
                accounts.fix_ownership(self.pgdata, account)
                process.remove_stale_lock_files(layout)
                process.pg_ctl_start(bin_dir, layout=layout, account=account, host=config.HOST, port=self._port)
            self._ensure_database()
            if self._as_root:
                binaries.remove_old_copies(self.data_dir, keep=bin_dir)
        return self.url

    # ------------------------------------------------------------------ steps

    def _service_account(self) -> accounts.Account | None:
        """The account the PostgreSQL processes run as when we are root (created once); None otherwise."""
        if not self._as_root:
            return None
        if self._account is None:
            self._account = accounts.ensure_account(self._service_user)
        return self._account

    def _bin_dir(self) -> Path:
        return binaries.bin_dir(self.data_dir, as_root=self._as_root)

    def _run(self, args: Sequence[str], *, timeout: float = 30) -> CompletedProcess[str]:
        return process.run_tool(args, layout=self._layout, account=self._service_account(), timeout=timeout)

    def _initdb(self, bin_dir: Path) -> None:
        """Create the cluster in a staging folder, renamed into place only when complete."""
        if self.pgdata.exists():
            if any(self.pgdata.iterdir()):
                raise EmbeddedPostgresError(
                    f"{self.pgdata} is not empty but holds no PostgreSQL cluster (no PG_VERSION); "
                    f"refusing to overwrite it"
                )
            self.pgdata.rmdir()
        account = self._service_account()
        staging = self.data_dir / "pg.initdb-partial"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(mode=0o700)
        accounts.chown(staging, account)
        # initdb runs as the service user, who cannot read the root-only pg.password.
        fd, pwfile_name = tempfile.mkstemp(prefix="pwfile-", dir=self._layout.run_dir)
        pwfile = Path(pwfile_name)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(f"{self._password}\n")
            accounts.chown(pwfile, account)
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
                log_tail=tail(result.stdout + result.stderr),
            )
        staging.rename(self.pgdata)

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
                log_tail=log_tail(self.log_file),
            ) from exc
        finally:
            engine.dispose()
