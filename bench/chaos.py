"""The long chaos run (issue #5, item 6): at least 10 000 payments taken by simulated counters (the
real client core without the GUI) while the link between them and the server is cut 50 times (20 of
them right after the server committed, the answer dropped), slowed now and then, the server is
SIGKILLed 20 times, PostgreSQL 5 times, and counters 10 times, restarted from their outbox; second
processes replay counters' outboxes alongside them. Then every confirmed payment must be booked
exactly once, the books balanced and the audit chain intact.

The engine is ``tests/chaos/harness.py`` (the suite's ``tests/chaos/test_chaos.py`` runs a short plan
of it); what is cut and killed, and how to read the figures: ``docs/chaos.md``.

Progress goes to stderr. Last lines on stdout: ``DETAIL …`` then
``RESULT ops=… server_kills=… link_cuts=… lost=… duplicated=… balanced=… db_kills=… client_kills=…``.
Exit status 0 only when the verdict is exactly-once.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

from _common import ROOT  # noqa: F401 - ROOT puts the repository on sys.path

from tests.chaos.harness import ChaosPlan, ChaosRun

COUNTERS = (("H0101", "cashier0101"), ("H0102", "cashier0102"), ("H0201", "cashier0201"),
            ("H0301", "cashier0301"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ops", type=int, default=10_000, help="payments to take (at least)")
    parser.add_argument("--server-kills", type=int, default=20)
    parser.add_argument("--db-kills", type=int, default=5)
    parser.add_argument("--client-kills", type=int, default=10)
    parser.add_argument("--link-cuts", type=int, default=50, help="all cuts, including those after a commit")
    parser.add_argument("--cuts-after-commit", type=int, default=20)
    parser.add_argument("--double-replays", type=int, default=3, help="counters replayed by two processes")
    parser.add_argument("--delays", type=int, default=10, help="spells of a slow link")
    parser.add_argument("--counters", type=int, default=len(COUNTERS), choices=range(1, len(COUNTERS) + 1))
    parser.add_argument("--customers", type=int, default=1000, help="demo customers")
    parser.add_argument("--pace", type=float, default=0.05, help="mean pause of a counter between payments (s)")
    parser.add_argument("--shift-every", type=int, default=100,
                        help="payments per shift: shifts close and open (on or off line) all through the run")
    parser.add_argument("--seed", type=int, default=26)
    parser.add_argument("--keep", action="store_true", help="keep the run folder (logs, outboxes, database)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    plan = ChaosPlan(
        counters=COUNTERS[:args.counters], ops=args.ops, server_kills=args.server_kills, db_kills=args.db_kills,
        client_kills=args.client_kills, link_cuts=args.link_cuts, cuts_after_commit=args.cuts_after_commit,
        double_replays=min(args.double_replays, args.counters), delays=args.delays, demo_customers=args.customers,
        customers_per_counter=60, pace_s=args.pace, calm_s=2.0, cut_s=(0.5, 3.0), slow_s=(1.0, 3.0), seed=args.seed,
        shift_every=args.shift_every, drain_timeout_s=600, event_timeout_s=180)
    started = time.monotonic()

    def progress(message: str) -> None:
        sys.stderr.write(f"{time.monotonic() - started:8.1f} s  {message}\n")
        sys.stderr.flush()

    with ChaosRun(plan, keep=args.keep, progress=progress) as run:
        progress(f"run folder {run.root}")
        result = run.run()
    for problem in [*result.balance_problems[:20], *result.audit_problems[:20], *result.shift_problems[:20]]:
        print(f"PROBLEM {problem}")
    print(result.detail_line())
    print(result.result_line(long=True))
    return 0 if result.exactly_once else 1


if __name__ == "__main__":
    sys.exit(main())
