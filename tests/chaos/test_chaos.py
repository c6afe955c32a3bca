"""The chaos test of the suite (issue #5, item 6), bounded: three simulated counters take a few hundred
payments through the real client core while the link is cut (three times after the server committed)
and slowed, the server is SIGKILLed three times and PostgreSQL once, two counters are SIGKILLed and
restarted from their outbox, and a second process replays one counter's outbox alongside it; then
every confirmed payment must be booked exactly once, the books balanced and the audit chain intact.

The long run is ``bench/chaos.py``; how to read the figures: ``docs/chaos.md``.
"""

from __future__ import annotations

import sys

import pytest

from client.core.outbox.items import ItemState
from tests.chaos.harness import ChaosPlan, ChaosRun

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

#: Every counter closes its shift and opens the next every 20 payments, so shifts open and close while the
#: link is cut and counters are killed too.
PLAN = ChaosPlan(ops=300, server_kills=3, db_kills=1, client_kills=2, link_cuts=8, cuts_after_commit=3,
                 double_replays=1, delays=2, shift_every=20)


def test_exactly_once_under_chaos(capsys: pytest.CaptureFixture[str]) -> None:
    """Every payment a counter confirmed is booked once and only once whatever was cut or killed."""
    with ChaosRun(PLAN) as run:
        result = run.run()
        where = run.root
    with capsys.disabled():
        sys.stdout.write(f"\n{result.detail_line()}\n{result.result_line()}\n")
    assert result.lost == 0, f"lost payments (run folder kept: {where})"
    assert result.duplicated == 0, f"duplicated payments (run folder kept: {where})"
    assert result.orphans == 0, "payments no outbox holds"
    assert result.mismatched == 0, "payments that differ from their outbox items"
    assert result.refused_but_booked == 0
    assert result.balanced, result.balance_problems[:10]
    assert result.audit_ok, result.audit_problems[:10]
    assert set(result.states) == {ItemState.DONE.value}, "every item answered and booked (none for attention)"
    assert result.shift_problems == [], result.shift_problems[:10]
    assert result.shift_closes >= len(PLAN.counters), "every counter closed shifts during the run"
    assert result.shifts == result.shift_closes + len(PLAN.counters), "each counter ends with one shift open"
    assert result.exactly_once
    assert result.ops >= PLAN.ops
    assert result.payments == result.ops
    assert result.handed > 0
    assert 0 < result.offline_items < result.ops, "some payments accepted offline, some confirmed online"
    assert (result.server_kills, result.db_kills, result.client_kills) == (3, 1, 2)
    assert (result.link_cuts, result.cuts_after_commit, result.double_replays) == (8, 3, 1)
    assert result.replay_backlog[0] >= 8
    assert result.replay_answers[0] > 0, "the second process replayed payments too"
