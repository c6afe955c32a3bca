"""A live server: the real ``gridcounter-server serve`` (HTTPS, two worker processes) on a fresh
copy of the seeded database, started once per test module."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from server.db.databases import create_database, drop_database
from server.db.embedded import EmbeddedPostgres
from tests.conftest import PII_KEY_B64, TEMPLATE
from tests.factories import World


@dataclass(frozen=True)
class LiveServer:
    """Where the live server listens, the CA that signed its certificate, and its database."""

    url: str
    ca: Path
    db_url: str


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(args: list[str], env: dict[str, str], *, timeout_s: float = 120) -> Iterator[None]:
    """Run ``python -m server ARGS serve …`` until the block ends; enter once it printed READY."""
    proc = subprocess.Popen([sys.executable, "-m", "server", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)

    pumper = threading.Thread(target=pump, daemon=True)
    pumper.start()
    seen: list[str] = []
    try:
        while not (seen and seen[-1].startswith("GRIDCOUNTER READY")):
            try:
                seen.append(lines.get(timeout=timeout_s))
            except queue.Empty:
                pytest.fail(f"the server did not start: {''.join(seen)}")
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        pumper.join(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.fixture(scope="module")
def live_server(pg: EmbeddedPostgres, world_template: World, test_root: Path) -> Iterator[LiveServer]:
    """Start the server as an operator would, on a copy of the seeded database."""
    name = f"gc_live_{uuid.uuid4().hex[:10]}"
    db_url = create_database(admin_url=pg.admin_url, name=name, template=TEMPLATE)
    data_dir = test_root / name
    port = _free_port()
    env = {**os.environ, "GRIDCOUNTER_DATABASE_URL": db_url, "GRIDCOUNTER_PII_KEY": PII_KEY_B64}
    try:
        with running_server(["--data-dir", str(data_dir), "serve", "--port", str(port), "--workers", "2"], env):
            yield LiveServer(url=f"https://127.0.0.1:{port}", ca=data_dir / "tls" / "ca.pem", db_url=db_url)
    finally:
        drop_database(admin_url=pg.admin_url, name=name)


@dataclass(frozen=True)
class DemoServer:
    """A server started exactly as the demo starts it, with counter H0101 enrolled."""

    url: str
    ca: Path
    device_key: str


@pytest.fixture(scope="session")
def demo_server(pg: EmbeddedPostgres, test_root: Path) -> Iterator[DemoServer]:
    """``serve --migrate --demo-data 300`` on an empty database, then ``counter enroll --counter H0101``."""
    name = f"gc_demo_{uuid.uuid4().hex[:10]}"
    db_url = create_database(admin_url=pg.admin_url, name=name)
    data_dir = test_root / name
    port = _free_port()
    env = {**os.environ, "GRIDCOUNTER_DATABASE_URL": db_url, "GRIDCOUNTER_PII_KEY": PII_KEY_B64}
    base = ["--data-dir", str(data_dir)]
    try:
        with running_server([*base, "serve", "--port", str(port), "--workers", "2", "--migrate",
                             "--demo-data", "300"], env):
            key_file = data_dir / "h0101.key"
            enrolled = subprocess.run(
                [sys.executable, "-m", "server", *base, "counter", "enroll", "--counter", "H0101",
                 "--key-file", str(key_file)],
                env=env, capture_output=True, text=True, timeout=60, check=False,
            )
            assert enrolled.returncode == 0, enrolled.stdout + enrolled.stderr
            yield DemoServer(url=f"https://127.0.0.1:{port}", ca=data_dir / "tls" / "ca.pem",
                             device_key=key_file.read_text().strip())
    finally:
        drop_database(admin_url=pg.admin_url, name=name)
