"""The cluster's configuration: the superuser password, the remembered port and ``gridcounter.conf``."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import socket
import stat
import tempfile
from pathlib import Path
from typing import Final

from server.db.embedded.account import Account, chown
from server.db.embedded.errors import EmbeddedPostgresError
from server.db.embedded.layout import Layout

logger = logging.getLogger(__name__)

#: The only address the cluster listens on.
HOST: Final = "127.0.0.1"

# Linux limits a Unix socket path (sun_path) to 107 bytes plus the terminating NUL.
_MAX_SOCKET_PATH = 107
# Ports below the Linux ephemeral range (32768-60999) cannot be taken by an outgoing connection
# between two starts, so a remembered port stays free.
_PORT_RANGE = (20000, 32000)
_INCLUDE_LINE = "include_if_exists = 'gridcounter.conf'"


# ---------------------------------------------------------------------- password


def read_password(layout: Layout) -> str:
    """The superuser password from its file."""
    password = layout.password_file.read_text(encoding="ascii").strip()
    if not password:
        raise EmbeddedPostgresError(f"{layout.password_file} is empty")
    return password


def ensure_password(layout: Layout) -> str:
    """Generate the superuser password once; keep the file 0600. Returns the password."""
    path = layout.password_file
    if not path.exists():
        if (layout.pgdata / "PG_VERSION").exists():
            raise EmbeddedPostgresError(
                f"{path} is missing but the cluster in {layout.pgdata} exists: its superuser password "
                f"is lost. Restore the file, or reset the password in single-user mode."
            )
        # URL-safe characters need no escaping in a connection URL.
        write_private(path, secrets.token_urlsafe(32) + "\n")
    elif stat.S_IMODE(path.stat().st_mode) & 0o077:
        path.chmod(0o600)
    return read_password(layout)


# ---------------------------------------------------------------------- port


def read_port_file(layout: Layout) -> int | None:
    """The port remembered from an earlier start, if any."""
    try:
        return int(layout.port_file.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        return None
    except ValueError as exc:
        raise EmbeddedPostgresError(f"{layout.port_file} does not hold a port number") from exc


def choose_port(layout: Layout, *, requested: int | None) -> int:
    """The requested port, else the remembered one, else a free one; remembered for restarts."""
    remembered = read_port_file(layout)
    port = requested or remembered or _find_free_port()
    if remembered != port:
        write_private(layout.port_file, f"{port}\n", mode=0o644)
    return port


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


# ---------------------------------------------------------------------- gridcounter.conf


def write_config(layout: Layout, *, port: int, account: Account | None) -> None:
    """Write our settings to gridcounter.conf, included from postgresql.conf.

    Rewritten on every start so a changed port or tuning takes effect, while hand edits to
    postgresql.conf (which is read first) are left alone.
    """
    pgdata = layout.pgdata
    socket_path = pgdata / f".s.PGSQL.{port}"
    if len(os.fsencode(socket_path)) <= _MAX_SOCKET_PATH:
        socket_dirs = _quote_conf(str(pgdata))
    else:
        logger.warning("%s is too long for a Unix socket; listening on TCP only", socket_path)
        socket_dirs = "''"
    settings = f"""\
# Written by GridCounter at every start; edit server/db/embedded/config.py instead.
listen_addresses = '{HOST}'
port = {port}
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
    conf = pgdata / "gridcounter.conf"
    write_private(conf, settings)
    chown(conf, account)
    main_conf = pgdata / "postgresql.conf"
    content = main_conf.read_text(encoding="utf-8")
    if _INCLUDE_LINE not in content.splitlines():
        with main_conf.open("a", encoding="utf-8") as handle:
            handle.write(f"\n# GridCounter settings (port, tuning, durability)\n{_INCLUDE_LINE}\n")


def write_private(path: Path, content: str, *, mode: int = 0o600) -> None:
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


def _quote_conf(value: str) -> str:
    """Quote a postgresql.conf string value."""
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"
