"""Setting up a real (non-demo) installation with ``gridcounter-server``: tree, counter, first admin."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.__main__ import main
from server.audit_chain import verify_chains
from server.clock import FixedClock
from server.db.databases import create_database, drop_database
from server.db.embedded import EmbeddedPostgres
from server.db.session import make_engine, make_session_factory
from server.migrate import upgrade
from server.models.users import User
from server.rpc.dispatch import Dispatcher
from server.security import PiiCipher
from server.settings import Settings
from tests.conftest import PII_KEY_B64
from tests.rpc_helpers import Caller


@pytest.fixture
def empty_db(pg: EmbeddedPostgres, test_root: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A migrated database with nothing in it, which the CLI under test uses."""
    name = f"gc_empty_{uuid.uuid4().hex[:10]}"
    url = create_database(admin_url=pg.admin_url, name=name)
    upgrade(url)
    monkeypatch.setenv("GRIDCOUNTER_DATABASE_URL", url)
    monkeypatch.setenv("GRIDCOUNTER_PII_KEY", PII_KEY_B64)
    monkeypatch.setenv("GRIDCOUNTER_DATA_DIR", str(test_root / name))
    yield url
    drop_database(admin_url=pg.admin_url, name=name)


def _tree() -> None:
    assert main(["org", "add", "--code", "P11", "--name", "北京电力公司", "--kind", "center"]) == 0
    assert main(["org", "add", "--code", "B01", "--name", "城区供电公司", "--kind", "city", "--parent", "P11"]) == 0
    assert main(["org", "add", "--code", "B01K1", "--name", "东城分公司", "--kind", "county", "--parent", "B01"]) == 0
    assert main(["org", "add", "--code", "BH1", "--name", "东单营业厅", "--kind", "hall", "--parent", "B01K1"]) == 0


class TestBootstrap:
    def test_first_admin_signs_in(self, empty_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
        """Tree, counter, enrollment and a first administrator who must change the password."""
        _tree()
        assert main(["counter", "add", "--code", "BH101", "--name", "1号柜台", "--hall", "BH1"]) == 0
        monkeypatch.setenv("GRIDCOUNTER_NEW_PASSWORD", "First-admin-1")
        assert main(["user", "add", "--username", "root.admin", "--name", "系统管理员", "--role", "admin",
                     "--org", "P11"]) == 0
        key_file = tmp_path / "bh101.key"
        assert main(["counter", "enroll", "--counter", "BH101", "--key-file", str(key_file)]) == 0
        assert "must be changed at first sign-in" in capsys.readouterr().out

        engine = make_engine(empty_db, pool_size=2, max_overflow=0)
        settings = Settings(database_url=empty_db, pii_key=PII_KEY_B64, data_dir=tmp_path)
        clock = FixedClock(dt.datetime(2026, 11, 23, tzinfo=dt.UTC))
        dispatcher = Dispatcher(sessions=make_session_factory(engine), settings=settings, clock=clock,
                                pii=PiiCipher.from_settings(key_b64=PII_KEY_B64, key_file=tmp_path / "k"))
        caller = Caller(dispatcher, counter="BH101")
        answer = caller.call("auth.login", {"username": "root.admin", "password": "First-admin-1",
                                            "counter_code": "BH101", "device_key": key_file.read_text().strip()},
                             counter="BH101")
        assert answer.status == 200, answer.body
        assert answer.body["password_change_required"] is True
        with Session(engine) as s:
            assert s.scalars(select(User.role).where(User.username == "root.admin")).one() == "admin"
            report = verify_chains(s)
        engine.dispose()
        assert report.problems == []
        assert report.records == 8  # 4 units, 1 counter, 1 user, 1 enrollment, 1 sign-in

    def test_levels_must_nest(self, empty_db: str, capsys: pytest.CaptureFixture[str]) -> None:
        """A hall directly under a city is refused, and so is an unknown parent or a taken code."""
        _tree()
        capsys.readouterr()
        assert main(["org", "add", "--code", "BH2", "--name", "x", "--kind", "hall", "--parent", "B01"]) == 2
        assert "hall_needs_county" in capsys.readouterr().out
        assert main(["org", "add", "--code", "BH3", "--name", "x", "--kind", "hall", "--parent", "NOPE"]) == 2
        assert "ORG_UNIT_NOT_FOUND" in capsys.readouterr().out
        assert main(["org", "add", "--code", "BH1", "--name", "x", "--kind", "hall", "--parent", "B01K1"]) == 2
        assert "taken" in capsys.readouterr().out
        assert main(["counter", "add", "--code", "C1", "--name", "x", "--hall", "B01"]) == 2  # a city, not a hall

    def test_weak_first_password(self, empty_db: str, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
        """A weak initial password is refused and no user is created."""
        _tree()
        monkeypatch.setenv("GRIDCOUNTER_NEW_PASSWORD", "12345678")
        assert main(["user", "add", "--username", "weak", "--name", "弱", "--role", "admin", "--org", "P11"]) == 2
        assert "PASSWORD_TOO_WEAK" in capsys.readouterr().out
