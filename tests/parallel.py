"""How the suite is split over pytest-xdist workers: one test file per work unit, machine-wide resources in one.

``pytest -n 2`` (installer/test.sh) starts two workers; each has its own PostgreSQL cluster, template database,
live servers and temporary folders (every fixture of tests/ picks free ports and owned temporary folders), so
two tests in different workers share nothing of the run. Two kinds of sharing remain, and this module keeps
them inside one worker:

* A test file's module-scoped fixtures (a live server, a signed-in client) are started once per worker that
  runs a test of the file. :class:`FileGroupScheduling` therefore hands out whole files, never single tests.
* Some fixtures stand for a thing the machine has only once: pcscd serves the ``Virtual PCD 00 0x`` readers,
  each holding one card at a time. Every test file with a test that uses such a fixture (directly or through
  another fixture, e.g. ``link`` or ``terminal``) is marked ``xdist_group`` with the fixture's group by
  :func:`group_items`, and a group is one work unit whatever files its tests are in, so the group's tests
  never run side by side.

A new test file needs nothing for this: it is a work unit of its own, or joins a fixture's group when one of
its tests uses a fixture in :data:`MACHINE_WIDE`. A test that uses such a resource without the fixture marks
itself: ``@pytest.mark.xdist_group("pcscd")``. Without ``-n`` (or with xdist missing) nothing changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import pytest

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

#: Fixture name -> xdist group: fixtures of a resource the machine has once (see the module docstring).
MACHINE_WIDE: Final = {"pcscd": "pcscd"}


def group_items(items: Sequence[pytest.Item]) -> None:
    """Put every test of a file that uses a machine-wide fixture into that fixture's xdist group.

    The whole file, not only the tests naming the fixture: its other tests may look at the same reader
    (e.g. that no card is present), and its module-scoped fixtures then start in one worker only. A test
    marked ``xdist_group`` by hand keeps its mark.
    """
    file_group: dict[Path, str] = {}
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        for fixture, group in MACHINE_WIDE.items():
            if fixture in names:
                file_group.setdefault(item.path, group)
                break
    for item in items:
        joined = file_group.get(item.path)
        if joined is not None and item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(joined))


def make_scheduler(config: pytest.Config, log: Any) -> Any:
    """The scheduler for ``--dist loadgroup``: xdist groups as one unit each, every other test file as one."""
    from xdist.scheduler import LoadGroupScheduling

    class FileGroupScheduling(LoadGroupScheduling):  # type: ignore[misc]
        """xdist's loadgroup with a test file, not a single test, as the unit of the tests of no group."""

        def _split_scope(self, nodeid: str) -> str:
            scope: str = super()._split_scope(nodeid)
            if scope != nodeid:  # a test of an xdist group: the group is the unit
                return f"group:{scope}"
            return nodeid.split("::", 1)[0]

    return FileGroupScheduling(config, log)
