"""The payment floor of ``bench/payments.py``: reading one payment's statements from a postgres log and
comparing them with the pgbench script's."""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from _payments_floor import STATEMENTS, captured_statements, check_statements, normalized, script

_RECEIPT = "B0000-20261206-00387"


def _server_log(bodies: tuple[str, ...], *, first_use: bool) -> list[str]:
    """A postgres log as ``log_statement = all`` writes it for one payment whose statements are ``bodies``
    (``$n`` parameters), with another session's lines in between; on a connection's first use each
    statement is sent as PREPARE before its EXECUTE."""
    lines = [*_entry(23551, "LOG", "statement: BEGIN"), *_entry(9999, "LOG", "statement: SELECT 1")]
    for n, body in enumerate(bodies):
        name = f"gc_{n:020d}"
        dollar = _dollars(body)
        if first_use:
            lines += _entry(23551, "LOG", f"statement: PREPARE {name} AS {dollar}")
        lines += _entry(23551, "LOG", f"statement: EXECUTE {name}(22, '{_RECEIPT}', NULL)")
        lines += _entry(23551, "DETAIL", f"prepare: PREPARE {name} AS {dollar}")
    return [*lines, *_entry(23551, "LOG", "statement: COMMIT"), *_entry(22184, "LOG", "checkpoint starting: time")]


def _entry(pid: int, kind: str, message: str) -> list[str]:
    """The log lines of one entry: its first line with the prefix, the others indented by a tab."""
    first, *rest = message.split("\n")
    return [f"2026-12-06 14:31:21.287 UTC [{pid}] {kind}:  {first}", *("\t" + line for line in rest)]


def _dollars(body: str) -> str:
    """``body`` with its pgbench variables and NULLs as ``$n``, as the server's statements are logged."""
    counter = iter(range(1, 1000))
    return re.sub(r"(?<![:\w]):[A-Za-z_]\w*|\bNULL\b", lambda _: f"${next(counter)}", body)


class TestCheckStatements:
    def test_the_servers_statements_match(self) -> None:
        """A log of the same five statements, sent as PREPARE first or not, matches the script."""
        for first_use in (False, True):
            log = _server_log(STATEMENTS, first_use=first_use)
            assert len(captured_statements(log, _RECEIPT)) == len(STATEMENTS)
            matches, note = check_statements(log, _RECEIPT)
            assert matches, note

    def test_a_changed_statement_is_named(self) -> None:
        """A statement the script does not have is reported with its number."""
        changed = (*STATEMENTS[:2], STATEMENTS[2].replace("ORDER BY o.due_on", "ORDER BY o.period"), *STATEMENTS[3:])
        matches, note = check_statements(_server_log(changed, first_use=False), _RECEIPT)
        assert not matches
        assert "statement 3" in note
        assert "statement 1" not in note

    def test_an_extra_statement_is_reported(self) -> None:
        """A sixth statement in the server's payment is a mismatch."""
        matches, note = check_statements(_server_log((*STATEMENTS, "SELECT 1"), first_use=False), _RECEIPT)
        assert not matches
        assert "the server ran 6 statements" in note

    def test_a_log_without_the_payment_matches_nothing(self) -> None:
        """A log that does not hold the receipt number yields no statements and no match."""
        log = _server_log(STATEMENTS, first_use=False)
        assert captured_statements(log, "B0001-20261206-00001") == []
        assert not check_statements(log, "B0001-20261206-00001")[0]


class TestScript:
    def test_every_statement_is_in_the_script_once(self) -> None:
        """The script runs the five statements between BEGIN and COMMIT, after the per-payment read."""
        text = script()
        begin, commit = text.index("BEGIN;"), text.index("COMMIT;")
        positions = [text.index(statement.strip()) for statement in STATEMENTS]
        assert begin < positions[0]
        assert positions == sorted(positions)
        assert positions[-1] < commit
        assert all(text.count(statement.strip()) == 1 for statement in STATEMENTS)
        assert text.index("bench_floor_slots") < begin

    def test_normalized_ignores_parameters_and_spacing(self) -> None:
        """``$n``, ``:name`` and NULL read alike; casts (``::``) and the rest of the text do not."""
        assert normalized("SELECT  $1,\n CAST($2 AS int)") == normalized("SELECT :a, CAST(NULL AS int)")
        assert normalized("SELECT x::int") != normalized("SELECT x")
        assert normalized("SELECT 1") != normalized("SELECT 2")
