"""The OS account PostgreSQL runs as when we are root, and the ownership and folder modes it needs.

PostgreSQL refuses to run as root. Started by root (the installed service), the cluster runs as a
system user (``gridcounter``), created on first use; the data folder, its logs and PGDATA are given to
it, while the secrets stay root's. Started by anyone else, everything runs as that user.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pwd
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

from server.db.embedded.errors import EmbeddedPostgresError
from server.db.embedded.layout import Layout

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Account:
    """The OS account the PostgreSQL processes run as."""

    name: str
    uid: int
    gid: int
    groups: frozenset[int]


def ensure_account(name: str) -> Account:
    """Create the system account PostgreSQL runs as (it refuses to run as root)."""
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        logger.info("Creating system user %s for PostgreSQL", name)
        result = subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
            capture_output=True,
            text=True,
            check=False,
        )
        # Exit 9: another process created the user in the meantime.
        if result.returncode not in (0, 9):
            raise EmbeddedPostgresError(f"useradd {name} failed: {result.stderr.strip()}") from None
        entry = pwd.getpwnam(name)
    groups = frozenset(os.getgrouplist(entry.pw_name, entry.pw_gid))
    return Account(entry.pw_name, entry.pw_uid, entry.pw_gid, groups)


def prepare_data_dir(layout: Layout, account: Account | None) -> None:
    """Create data_dir and its private sub-folders with owners the service user can use.

    ``account`` is the service account when we run as root, None otherwise (then every folder is ours).
    """
    data_dir = layout.data_dir
    try:
        if account is not None:
            _check_parents_traversable(data_dir, account)
            _create_missing_parents(data_dir)
            # Both may pre-exist (created by an installer script with any mode).
            for folder in (data_dir, layout.log_file.parent):
                mkdir_exact(folder, 0o711)
                _ensure_traversable(folder, account)
            mkdir_exact(layout.run_dir, 0o700)
            os.chown(layout.run_dir, account.uid, account.gid)
            if not layout.log_file.exists():
                # pg_ctl opens the log as the service user, who may not create files in logs/.
                fd = os.open(layout.log_file, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o640)
                os.close(fd)
            os.chown(layout.log_file, account.uid, account.gid)
        else:
            data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            mkdir_exact(layout.log_file.parent, 0o700)
            mkdir_exact(layout.run_dir, 0o700)
    except OSError as exc:
        raise EmbeddedPostgresError(f"Cannot prepare the data folder {data_dir}: {exc}") from exc


def fix_ownership(pgdata: Path, account: Account | None) -> None:
    """Give PGDATA back to the service user if root touched it (restore, manual copy)."""
    if account is None or pgdata.stat().st_uid == account.uid:
        return
    logger.warning("Re-owning %s to %s", pgdata, account.name)
    for root, dirs, files in os.walk(pgdata):
        os.chown(root, account.uid, account.gid)
        for name in [*dirs, *files]:
            os.lchown(os.path.join(root, name), account.uid, account.gid)


def chown(path: Path, account: Account | None) -> None:
    """Give ``path`` to the service account (nothing to do when we are not root)."""
    if account is not None:
        os.chown(path, account.uid, account.gid)


def mkdir_exact(path: Path, mode: int) -> None:
    """Create ``path`` with exactly ``mode`` (mkdir alone is subject to the umask)."""
    try:
        path.mkdir(mode=mode)
    except FileExistsError:
        if not path.is_dir():
            raise
        return
    path.chmod(mode)


def _create_missing_parents(data_dir: Path) -> None:
    """Create missing ancestors as 0755, whatever the umask, so the service user can pass."""
    missing = [p for p in reversed(data_dir.parents) if not p.exists()]
    for parent in missing:
        with contextlib.suppress(FileExistsError):
            parent.mkdir(mode=0o755)
            parent.chmod(0o755)


def _check_parents_traversable(data_dir: Path, account: Account) -> None:
    """Fail clearly when an existing ancestor of data_dir bars the service user; never chmod it."""
    for parent in reversed(Path(os.path.realpath(data_dir)).parents):
        if not parent.exists():
            break  # the rest is created by _create_missing_parents, traversable
        if not parent.is_dir():
            raise EmbeddedPostgresError(f"{parent} is not a folder: cannot create {data_dir}")
        if not _can_traverse(parent, account):
            raise EmbeddedPostgresError(
                f"The folder {parent} cannot be traversed by the PostgreSQL service user "
                f"{account.name!r} (mode {stat.filemode(parent.stat().st_mode)}). Choose a data folder "
                f"whose parents are traversable (e.g. /var/lib/gridcounter) or run "
                f"'chmod o+x {parent}' yourself."
            )


def _ensure_traversable(folder: Path, account: Account) -> None:
    """Add search (not read) permission for others when ``account`` cannot enter ``folder``.

    Traverse only, no listing: the secrets inside stay 0600 and root-owned.
    """
    if not _can_traverse(folder, account):
        folder.chmod(stat.S_IMODE(folder.stat().st_mode) | stat.S_IXOTH)
        logger.info("Made %s traversable for %s", folder, account.name)


def _can_traverse(path: Path, account: Account) -> bool:
    """Whether ``account`` may enter ``path`` by its mode bits (ACLs are not consulted)."""
    st = path.stat()
    if st.st_uid == account.uid:
        return bool(st.st_mode & stat.S_IXUSR)
    if st.st_gid in account.groups:
        return bool(st.st_mode & stat.S_IXGRP)
    return bool(st.st_mode & stat.S_IXOTH)
