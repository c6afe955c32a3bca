"""The embedded PostgreSQL: a real cluster in a fresh data folder, started, killed and restarted."""

from __future__ import annotations

import os
import pwd
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from server.db.databases import create_database, drop_database
from server.db.embedded import EmbeddedPostgres, EmbeddedPostgresError, default_data_dir
from tests.reaper import owned_temp_dir


def _temp_dir() -> Path:
    # Not under /tmp/pytest-of-root: that folder is 0700 and bars the service user.
    return owned_temp_dir("gridcounter-test-")


def _query(url: str, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params or {})
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()


def _scalar(url: str, sql: str) -> Any:
    return _query(url, sql)[0][0]


@pytest.fixture(scope="class")
def own_pg() -> Iterator[EmbeddedPostgres]:
    """A running embedded PostgreSQL of its own (these tests kill and stop it), removed afterwards."""
    data_dir = _temp_dir()
    server = EmbeddedPostgres(data_dir=data_dir)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


class TestEmbeddedPostgres:
    def test_url_points_at_gridcounter_on_loopback(self, own_pg: EmbeddedPostgres) -> None:
        """The URL names the gridcounter superuser and database on 127.0.0.1 with psycopg2."""
        url = make_url(own_pg.url)
        assert (url.drivername, url.username, url.host, url.port, url.database) == (
            "postgresql+psycopg2",
            "gridcounter",
            "127.0.0.1",
            own_pg.port,
            "gridcounter",
        )
        assert _scalar(own_pg.url, "SELECT current_user") == "gridcounter"

    def test_database_uses_utf8_ctype(self, own_pg: EmbeddedPostgres) -> None:
        """The database is UTF-8 with a C.UTF-8 ctype (PostgreSQL 16+ has no lc_ctype setting to SHOW)."""
        encoding, ctype = _query(
            own_pg.url,
            "SELECT pg_encoding_to_char(encoding), datctype FROM pg_database WHERE datname = current_database()",
        )[0]
        assert encoding == "UTF8"
        assert ctype == "C.UTF-8"

    def test_trigrams_of_chinese_names(self, own_pg: EmbeddedPostgres) -> None:
        """pg_trgm extracts trigrams from a Chinese name, so trigram indexes serve Chinese search."""
        _query(own_pg.url, "CREATE EXTENSION IF NOT EXISTS pg_trgm")
        trigrams = _scalar(own_pg.url, "SELECT show_trgm('张三丰')")
        assert len(trigrams) > 0

    def test_settings_for_a_two_core_server(self, own_pg: EmbeddedPostgres) -> None:
        """Connections, memory, durability and the listen address are the configured ones."""
        rows = _query(
            own_pg.url,
            "SELECT name, setting, unit FROM pg_settings WHERE name IN "
            "('listen_addresses', 'max_connections', 'shared_buffers', 'fsync', 'synchronous_commit', "
            "'unix_socket_directories')",
        )
        settings = {name: (setting, unit) for name, setting, unit in rows}
        assert settings["listen_addresses"][0] == "127.0.0.1"
        assert settings["max_connections"][0] == "300"
        assert settings["shared_buffers"] == ("32768", "8kB")  # 256 MB
        assert settings["fsync"][0] == "on"
        assert settings["synchronous_commit"][0] == "on"
        assert settings["unix_socket_directories"][0] == str(own_pg.pgdata)

    def test_postgres_never_runs_as_root(self, own_pg: EmbeddedPostgres) -> None:
        """Backends run as the service user when we are root, else as ourselves."""
        expected = pwd.getpwnam("gridcounter").pw_uid if os.geteuid() == 0 else os.geteuid()
        engine = create_engine(own_pg.url, poolclass=NullPool)
        try:
            # The connection stays open while /proc is read: its backend lives exactly that long.
            with engine.connect() as conn:
                backend_pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
                owner = Path(f"/proc/{backend_pid}").stat().st_uid
        finally:
            engine.dispose()
        assert owner == expected

    def test_password_file_is_private(self, own_pg: EmbeddedPostgres) -> None:
        """The superuser password file is readable by its owner only."""
        mode = stat.S_IMODE((own_pg.data_dir / "pg.password").stat().st_mode)
        assert mode == 0o600

    def test_wrong_password_is_refused(self, own_pg: EmbeddedPostgres) -> None:
        """TCP connections need the password (scram-sha-256), not trust."""
        bad = make_url(own_pg.url).set(password="wrong").render_as_string(hide_password=False)
        with pytest.raises(OperationalError, match="password authentication failed"):
            _scalar(bad, "SELECT 1")

    def test_start_is_idempotent(self, own_pg: EmbeddedPostgres) -> None:
        """A second start returns the same URL without restarting the running server."""
        started = _scalar(own_pg.url, "SELECT pg_postmaster_start_time()")
        assert own_pg.start() == own_pg.url
        assert EmbeddedPostgres(data_dir=own_pg.data_dir).start() == own_pg.url
        assert _scalar(own_pg.url, "SELECT pg_postmaster_start_time()") == started

    def test_create_database_from_template(self, own_pg: EmbeddedPostgres) -> None:
        """A database cloned from a template has the template's tables and a UTF-8 ctype."""
        template_url = create_database(admin_url=own_pg.admin_url, name="gc_template")
        try:
            _query(template_url, "CREATE TABLE marker (note text)")
            _query(template_url, "INSERT INTO marker VALUES ('电费')")
            clone_url = create_database(admin_url=own_pg.admin_url, name="gc_clone", template="gc_template")
            assert make_url(clone_url).database == "gc_clone"
            assert _scalar(clone_url, "SELECT note FROM marker") == "电费"
            assert _scalar(clone_url, "SELECT datctype FROM pg_database WHERE datname = 'gc_clone'") == "C.UTF-8"
        finally:
            drop_database(admin_url=own_pg.admin_url, name="gc_clone")
            drop_database(admin_url=own_pg.admin_url, name="gc_template")
        assert _scalar(own_pg.admin_url, "SELECT count(*) FROM pg_database WHERE datname LIKE 'gc\\_%'") == 0

    def test_drop_database_disconnects_sessions_and_is_idempotent(self, own_pg: EmbeddedPostgres) -> None:
        """Dropping a database with an open session succeeds, and dropping it again is a no-op."""
        url = create_database(admin_url=own_pg.admin_url, name="gc_busy")
        engine = create_engine(url, poolclass=NullPool)
        try:
            with engine.connect() as busy:
                busy.execute(text("SELECT 1"))
                drop_database(admin_url=own_pg.admin_url, name="gc_busy")
                drop_database(admin_url=own_pg.admin_url, name="gc_busy")
        except OperationalError:
            pass  # the forced drop cut this session: closing it may report the broken link
        finally:
            engine.dispose()
        assert _scalar(own_pg.admin_url, "SELECT count(*) FROM pg_database WHERE datname = 'gc_busy'") == 0

    def test_invalid_database_name_is_rejected(self, own_pg: EmbeddedPostgres) -> None:
        """Names that would need quoting are refused before reaching SQL."""
        with pytest.raises(ValueError, match="Invalid database name"):
            create_database(admin_url=own_pg.admin_url, name='x"; DROP DATABASE gridcounter; --')

    def test_restart_after_kill_keeps_data_and_port(self, own_pg: EmbeddedPostgres) -> None:
        """After a SIGKILL of the postmaster, a new start recovers the data on the same port."""
        _query(own_pg.url, "CREATE TABLE IF NOT EXISTS survivor (id int)")
        _query(own_pg.url, "INSERT INTO survivor VALUES (42)")
        url, port = own_pg.url, own_pg.port
        own_pg.kill()
        assert (own_pg.pgdata / "postmaster.pid").exists()  # stale, as after a real crash
        assert not own_pg.is_running()
        with pytest.raises(OperationalError):
            _scalar(url, "SELECT 1")
        restarted = EmbeddedPostgres(data_dir=own_pg.data_dir)
        assert restarted.start() == url
        assert restarted.port == port
        assert _scalar(url, "SELECT id FROM survivor") == 42

    def test_stop_is_idempotent(self, own_pg: EmbeddedPostgres) -> None:
        """Stopping twice is harmless, and the server starts again afterwards."""
        own_pg.stop()
        assert not own_pg.is_running()
        assert not (own_pg.pgdata / "postmaster.pid").exists()
        own_pg.stop()
        own_pg.kill()  # not running: nothing to kill
        assert own_pg.start() == own_pg.url
        assert own_pg.is_running()
        assert _scalar(own_pg.url, "SELECT 1") == 1


class TestDataFolderErrors:
    def test_untraversable_parent_is_named(self) -> None:
        """A parent folder the server cannot pass through gives a clear error naming it."""
        parent = _temp_dir()
        try:
            # 0o000 bars us when not root; as root it bars the service user.
            parent.chmod(0o000)
            with pytest.raises(EmbeddedPostgresError, match=str(parent)):
                EmbeddedPostgres(data_dir=parent / "data").start()
        finally:
            parent.chmod(0o700)
            shutil.rmtree(parent)

    def test_parent_that_is_a_file_is_refused(self) -> None:
        """A data folder below a regular file gives an EmbeddedPostgresError, not an OSError."""
        parent = _temp_dir()
        try:
            (parent / "file").write_text("not a folder", encoding="utf-8")
            with pytest.raises(EmbeddedPostgresError):
                EmbeddedPostgres(data_dir=parent / "file" / "data").start()
        finally:
            shutil.rmtree(parent)

    def test_url_before_first_start_is_an_error(self) -> None:
        """Asking for the URL of a cluster never started says to start it first."""
        parent = _temp_dir()
        try:
            with pytest.raises(EmbeddedPostgresError, match="start"):
                _ = EmbeddedPostgres(data_dir=parent).url
        finally:
            shutil.rmtree(parent)


class TestDefaultDataDir:
    def test_environment_wins(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """GRIDCOUNTER_DATA_DIR overrides the default location."""
        monkeypatch.setenv("GRIDCOUNTER_DATA_DIR", "/srv/gc")
        assert default_data_dir() == Path("/srv/gc")

    def test_default_depends_on_user(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Root gets /var/lib/gridcounter, other users a folder in their home."""
        monkeypatch.delenv("GRIDCOUNTER_DATA_DIR", raising=False)
        expected = (
            Path("/var/lib/gridcounter") if os.geteuid() == 0 else Path.home() / ".local" / "share" / "gridcounter"
        )
        assert default_data_dir() == expected
