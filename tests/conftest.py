"""Shared fixtures: a real PostgreSQL (embedded, started here), a migrated and seeded template
database, a fresh database per test copied from the template, and a dispatcher on it; the hooks that
split the suite over pytest-xdist workers (tests/parallel.py)."""

from __future__ import annotations

import base64
import datetime as dt
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from server.clock import FixedClock
from server.db.databases import create_database, drop_database
from server.db.embedded import EmbeddedPostgres
from server.db.session import make_engine, make_session_factory
from server.migrate import upgrade
from server.rpc.dispatch import Dispatcher
from server.security import PiiCipher
from server.settings import Settings
from tests.factories import World, seed_world
from tests.parallel import group_items, make_scheduler
from tests.reaper import owned_temp_dir, reap_orphans
from tests.rpc_helpers import Caller

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: A fixed PII key for tests (never a production key).
PII_KEY_B64 = base64.b64encode(bytes(range(32))).decode()
TEMPLATE = "gc_template"
#: Settings that trade crash safety of the machine for speed: right for a cluster that lives one test run.
_NOT_DURABLE = ("fsync", "synchronous_commit", "full_page_writes")


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the xdist_group marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests of a machine-wide resource (the pcscd reader) share one xdist worker."""
    group_items(items)


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """With ``-n N --dist loadgroup``: whole test files as units, each xdist group as one unit."""
    if config.getvalue("dist") != "loadgroup":
        return None
    return make_scheduler(config, log)


@pytest.fixture(scope="session")
def test_root() -> Iterator[Path]:
    """A private folder under /tmp (pytest's own tmp folders are 0700, closed to the PG service user)."""
    reap_orphans()  # clusters and servers of killed earlier runs
    root = owned_temp_dir("gridcounter-test-")
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg(test_root: Path) -> Iterator[EmbeddedPostgres]:
    """A real PostgreSQL for the whole session, without the durability a crash of the machine needs.

    Nothing of a test run outlives the run and no test crashes this cluster, so it does not wait for the
    disk: no fsync, no synchronous commit, no full-page images. The product's durable settings are
    checked on clusters of their own (tests/server/test_embedded.py, tests/chaos).
    """
    server = EmbeddedPostgres(data_dir=test_root / "pg")
    server.start()
    engine = create_engine(server.admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for name in _NOT_DURABLE:
                conn.execute(text(f"ALTER SYSTEM SET {name} = off"))
            conn.execute(text("SELECT pg_reload_conf()"))
    finally:
        engine.dispose()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pii() -> PiiCipher:
    """The PII cipher with the test key."""
    return PiiCipher(base64.b64decode(PII_KEY_B64))


@pytest.fixture(scope="session")
def world_template(pg: EmbeddedPostgres, pii: PiiCipher) -> World:
    """Migrate and seed the template database once; tests get copies of it."""
    url = create_database(admin_url=pg.admin_url, name=TEMPLATE)
    upgrade(url)
    engine = make_engine(url, pool_size=1, max_overflow=0)
    with Session(engine) as session:
        world = seed_world(session, pii)
        session.commit()
    engine.dispose()  # a template must have no connections when it is copied
    return world


@pytest.fixture
def world(world_template: World) -> World:
    """The ids of the seeded world (the same in every copy)."""
    return world_template


@pytest.fixture
def db_url(pg: EmbeddedPostgres, world_template: World) -> Iterator[str]:
    """A fresh database copied from the template, dropped after the test."""
    name = f"gc_{uuid.uuid4().hex[:12]}"
    url = create_database(admin_url=pg.admin_url, name=name, template=TEMPLATE)
    yield url
    drop_database(admin_url=pg.admin_url, name=name)


@pytest.fixture
def settings(db_url: str, test_root: Path) -> Settings:
    """Server settings for the test database."""
    return Settings(database_url=db_url, data_dir=test_root / "server", pii_key=PII_KEY_B64)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on the test database."""
    eng = make_engine(db_url, pool_size=4, max_overflow=8)
    yield eng
    eng.dispose()


@pytest.fixture
def clock() -> FixedClock:
    """A clock that moves only when the test says so."""
    return FixedClock(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC))


@pytest.fixture
def dispatcher(engine: Engine, settings: Settings, clock: FixedClock, pii: PiiCipher) -> Dispatcher:
    """The real dispatcher on the test database."""
    return Dispatcher(sessions=make_session_factory(engine), settings=settings, clock=clock, pii=pii)


@pytest.fixture
def caller(dispatcher: Dispatcher) -> Caller:
    """Calls the dispatcher as the client would, at counter T0101."""
    return Caller(dispatcher)


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session on the test database for looking at what calls did."""
    with Session(engine) as session:
        yield session
