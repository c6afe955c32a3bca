"""The reaper: a killed test run's embedded PostgreSQL is stopped and its folder removed; a live run's is kept."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from server.db.embedded import EmbeddedPostgres
from tests.reaper import OWNER_FILE, owned_temp_dir, owner_alive, reap_orphans

#: A test run in miniature: an owned folder with a running cluster, then it waits to be killed.
_ORPHAN_SCRIPT = """
import sys, threading
from server.db.embedded import EmbeddedPostgres
from tests.reaper import owned_temp_dir
folder = owned_temp_dir("gridcounter-test-reaper-")
cluster = EmbeddedPostgres(data_dir=folder / "pg")
cluster.start()
print(folder, flush=True)
threading.Event().wait()
"""


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return True
    return state[state.rfind(")") + 2] == "Z"  # a zombie has ended; init reaps it lazily


class TestReaper:
    def test_a_killed_runs_cluster_is_stopped_and_its_folder_removed(self) -> None:
        """SIGKILL the owner while its cluster runs: the next reap stops the postmaster and removes the folder."""
        proc = subprocess.Popen([sys.executable, "-c", _ORPHAN_SCRIPT], stdout=subprocess.PIPE, text=True,
                                cwd=Path(__file__).resolve().parents[2])
        try:
            assert proc.stdout is not None
            folder = Path(proc.stdout.readline().strip())
            cluster = EmbeddedPostgres(data_dir=folder / "pg")
            postmaster = int((cluster.pgdata / "postmaster.pid").read_text(encoding="utf-8").split()[0])
            assert owner_alive(folder) is True
            assert folder not in reap_orphans()  # the owner still runs: left alone
            assert cluster.is_running()
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            assert proc.stdout is not None
            proc.stdout.close()
        assert owner_alive(folder) is False
        assert cluster.is_running()  # what the issue saw: the cluster outlives its killed test run
        assert folder in reap_orphans()
        assert not folder.exists()
        waited = threading.Event()
        for _ in range(400):
            if _gone(postmaster):
                break
            waited.wait(0.05)
        assert _gone(postmaster)

    def test_a_folder_without_an_owner_file_is_never_touched(self, tmp_path: Path) -> None:
        """Only folders that name their owner are reaped: anything else under /tmp is not ours to judge."""
        folder = tmp_path / "gridcounter-test-legacy"
        folder.mkdir()
        assert owner_alive(folder) is None
        assert reap_orphans(tmp_path) == []
        assert folder.exists()

    def test_a_reused_pid_does_not_count_as_the_owner(self, tmp_path: Path) -> None:
        """The owner file holds the start time too: our PID with another start time is a gone owner."""
        folder = tmp_path / "gridcounter-test-reused"
        folder.mkdir()
        (folder / OWNER_FILE).write_text(f"{os.getpid()} 1\n", encoding="ascii")
        assert owner_alive(folder) is False
        assert reap_orphans(tmp_path) == [folder]
        assert not folder.exists()

    def test_prefix_is_checked(self) -> None:
        """Folders are made only with the prefixes the reaper looks for."""
        with pytest.raises(ValueError, match="test folders start with"):
            owned_temp_dir("elsewhere-")
