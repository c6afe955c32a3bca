"""The chaos run (issue #5, item 6): simulated counters take payments through the real client core while
the link is cut and slowed, the server and PostgreSQL are SIGKILLed and restarted, and counters are
SIGKILLed and restarted from their outbox; then everything is checked for exactly-once.

Used by ``tests/chaos/test_chaos.py`` (the bounded run of the suite) and ``bench/chaos.py`` (the long
run): one engine, two plans. See ``docs/chaos.md``.

Pieces, all on 127.0.0.1 and in one private folder:

- a PostgreSQL cluster of its own (:class:`server.db.embedded.EmbeddedPostgres`), never the test
  session's, since it gets killed;
- the server, ``python -m server serve --workers 2`` in a process group of its own (SIGKILL takes the
  supervisor and its workers), first started with ``--migrate --demo-data N``; counters enrolled with
  ``counter enroll``;
- :class:`tests.chaos.proxy.ChaosProxy` between counters and server;
- one ``python -m tests.chaos.counter`` process per counter (one cashier each, each with its shift),
  plus, in the double-replay scenario, a second process on the same outbox file.

Events fire one after another as the payments taken reach milestones, so they spread over the run
whatever the machine's speed. At the end the link is healed, the counters stop taking payments and
drain their outboxes, and :func:`verify` compares every outbox item with the server's books.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import logging
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter as Tally
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Engine, Row, create_engine, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from client.core.outbox.items import ItemState, OutboxItem
from client.core.outbox.queue import Outbox
from server.audit_chain import verify_chains
from server.db.embedded import EmbeddedPostgres
from server.demo_data import DEMO_PASSWORD
from shared_models.methods.payments import PAY
from shared_models.methods.shifts import CLOSE, OPEN
from tests.chaos.counter import HANDED_LOG, STOP_TAKING
from tests.chaos.proxy import ChaosProxy, free_low_port
from tests.reaper import owned_temp_dir

log = logging.getLogger("chaos")

ROOT: Final = Path(__file__).resolve().parents[2]
PII_KEY_B64: Final = base64.b64encode(bytes(range(100, 132))).decode()
_READY: Final = "GRIDCOUNTER READY"


class ChaosError(RuntimeError):
    """The run could not be carried out as planned (not a verdict on exactly-once: see ChaosResult)."""


@dataclass(frozen=True)
class ChaosPlan:
    """What one run does. ``link_cuts`` counts every cut of the link: plain ones, the ones after a
    commit, and the one of each double-replay scenario."""

    counters: tuple[tuple[str, str], ...] = (("H0101", "cashier0101"), ("H0102", "cashier0102"),
                                             ("H0201", "cashier0201"))
    ops: int = 300
    server_kills: int = 3
    db_kills: int = 1
    client_kills: int = 2
    link_cuts: int = 8
    cuts_after_commit: int = 3
    double_replays: int = 1
    delays: int = 2
    demo_customers: int = 300
    customers_per_counter: int = 25
    #: Mean pause of a counter between two payments, and how long its desk waits for an answer.
    pace_s: float = 0.3
    wait_s: float = 1.5
    #: After an event and its recovery, at least this long with a working link before the next one.
    calm_s: float = 0.4
    #: How long a plain cut and a slow spell last (uniform between the two bounds), in seconds.
    cut_s: tuple[float, float] = (0.3, 1.5)
    slow_s: tuple[float, float] = (0.5, 1.5)
    seed: int = 5
    #: Payments per shift: every counter closes its shift and opens the next after this many (through its
    #: outbox, on or off line, the close co-signed by the hall's supervisor as verified at the counter);
    #: 0 keeps one shift for the whole run.
    shift_every: int = 0
    drain_timeout_s: float = 120.0
    event_timeout_s: float = 60.0

    def events(self) -> list[str]:
        """The events in the order they fire (shuffled with the plan's seed)."""
        plain_cuts = self.link_cuts - self.cuts_after_commit - self.double_replays
        if plain_cuts < 0:
            raise ValueError("link_cuts must cover the cuts after commit and the double replays")
        if self.double_replays > len(self.counters):
            raise ValueError("one double replay per counter at most")
        events = (["server_kill"] * self.server_kills + ["db_kill"] * self.db_kills
                  + ["client_kill"] * self.client_kills + ["cut"] * plain_cuts
                  + ["cut_after_commit"] * self.cuts_after_commit + ["double_replay"] * self.double_replays
                  + ["delay"] * self.delays)
        random.Random(self.seed).shuffle(events)
        return events


@dataclass
class ChaosResult:
    """What happened and what the books say."""

    ops: int = 0
    server_kills: int = 0
    db_kills: int = 0
    client_kills: int = 0
    link_cuts: int = 0
    cuts_after_commit: int = 0
    double_replays: int = 0
    delays: int = 0
    #: Items by final state (after the drain): everything should be ``done``.
    states: dict[str, int] = field(default_factory=dict)
    offline_items: int = 0
    #: Receipts the simulated cashiers handed over (server's or offline), and refusals they saw.
    handed: int = 0
    refused_seen: int = 0
    #: Confirmed items (or handed receipts) with no payment on the server.
    lost: int = 0
    #: Extra payments for one item (two or more payments with its key or receipt number).
    duplicated: int = 0
    #: Payments on the server that no outbox holds.
    orphans: int = 0
    #: Items whose payment differs from the item (amount, customer, receipt) or whose stored answer does.
    mismatched: int = 0
    #: Refused items (rejected/attention) that the server booked anyway.
    refused_but_booked: int = 0
    balanced: bool = False
    balance_problems: list[str] = field(default_factory=list)
    audit_ok: bool = False
    audit_records: int = 0
    audit_problems: list[str] = field(default_factory=list)
    payments: int = 0
    paid_fen: int = 0
    #: Shifts opened and closes booked on the server, and what is wrong with them: a shift or close the
    #: counters confirmed but the server does not have, or has twice, or a close the server counted
    #: differently from the counter.
    shifts: int = 0
    shift_closes: int = 0
    shift_problems: list[str] = field(default_factory=list)
    #: The double-replay scenarios: the backlog both processes replayed at once, and the payment answers
    #: the second process received (each one an item its twin sent too, or could have).
    replay_backlog: list[int] = field(default_factory=list)
    replay_answers: list[int] = field(default_factory=list)
    #: The longest time from the end of an event until everything queued before was answered.
    recovery_s: float = 0.0
    wall_s: float = 0.0

    @property
    def attention(self) -> int:
        """Items that need a supervisor (none expected in this set-up)."""
        return self.states.get(ItemState.ATTENTION.value, 0)

    @property
    def exactly_once(self) -> bool:
        """Every confirmed item applied once, nothing else applied, the books balanced, the audit chain intact."""
        return (self.lost == 0 and self.duplicated == 0 and self.orphans == 0 and self.mismatched == 0
                and self.refused_but_booked == 0 and self.balanced and self.audit_ok
                and self.states.get(ItemState.PENDING.value, 0) == 0 and not self.shift_problems)

    def result_line(self, *, long: bool = False) -> str:
        """``RESULT ops=… server_kills=… link_cuts=… lost=… duplicated=… balanced=…`` (+ db/client kills)."""
        line = (f"RESULT ops={self.ops} server_kills={self.server_kills} link_cuts={self.link_cuts} lost={self.lost}"
                f" duplicated={self.duplicated} balanced={str(self.balanced).lower()}")
        if long:
            line += f" db_kills={self.db_kills} client_kills={self.client_kills}"
        return line

    def detail_line(self) -> str:
        """The other figures, one line."""
        states = ",".join(f"{k}:{v}" for k, v in sorted(self.states.items()))
        return (f"DETAIL states={states} offline={self.offline_items} handed={self.handed}"
                f" refused_seen={self.refused_seen} after_commit={self.cuts_after_commit} delays={self.delays}"
                f" double_replays={self.double_replays} replay_backlog={self.replay_backlog}"
                f" replay_answers={self.replay_answers} orphans={self.orphans} mismatched={self.mismatched}"
                f" refused_but_booked={self.refused_but_booked} payments={self.payments} paid_fen={self.paid_fen}"
                f" audit_records={self.audit_records} audit_ok={str(self.audit_ok).lower()}"
                f" attention={self.attention} shifts={self.shifts} shift_closes={self.shift_closes}"
                f" shift_problems={len(self.shift_problems)}"
                f" max_recovery_s={self.recovery_s:.1f} wall_s={self.wall_s:.1f}")


# --- the server -------------------------------------------------------------------------------------


class ServerProcess:
    """``python -m server serve`` in a process group of its own, restartable on the same port."""

    def __init__(self, *, data_dir: Path, db_url: str, port: int, logs: Path) -> None:
        self.data_dir = data_dir
        self.port = port
        self._logs = logs
        self._env = {**os.environ, "GRIDCOUNTER_DATABASE_URL": db_url, "GRIDCOUNTER_PII_KEY": PII_KEY_B64}
        self._proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def ca(self) -> Path:
        """The CA the counters pin."""
        return self.data_dir / "tls" / "ca.pem"

    def command(self, *args: str) -> subprocess.Popen[bytes]:
        """Start ``python -m server --data-dir D ARGS`` (an operator's command); its output is piped."""
        return subprocess.Popen([sys.executable, "-m", "server", "--data-dir", str(self.data_dir), *args],
                                env=self._env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def start(self, *extra: str, timeout_s: float = 180) -> None:
        """Start and wait for the READY line."""
        self.starts += 1
        log_file = self._logs / f"server-{self.starts}.log"
        with log_file.open("wb") as out:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "server", "--data-dir", str(self.data_dir), "serve", "--port", str(self.port),
                 "--workers", "2", *extra],
                env=self._env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if _READY in log_file.read_text(errors="replace"):
                return
            if self._proc.poll() is not None:
                break
            time.sleep(0.05)
        raise ChaosError(f"the server did not start:\n{log_file.read_text(errors='replace')[-3000:]}")

    def kill(self) -> None:
        """SIGKILL the whole process group (supervisor and workers), as a power cut would."""
        if self._proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._proc.pid, signal.SIGKILL)
        self._proc.wait(30)
        self._proc = None

    def stop(self) -> None:
        """Terminate gracefully (end of run)."""
        if self._proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._proc.pid, signal.SIGTERM)
        try:
            self._proc.wait(30)
        except subprocess.TimeoutExpired:
            self.kill()
        self._proc = None


# --- the counters -------------------------------------------------------------------------------------


@dataclass
class CounterSpec:
    """One counter PC: its code, cashier, files and customers."""

    code: str
    username: str
    work: Path
    key_file: Path
    customers: list[str]

    @property
    def outbox(self) -> Path:
        return self.work / "counter.sqlite3"

    @property
    def customers_file(self) -> Path:
        return self.work / "customers.txt"


class CounterProcess:
    """One ``python -m tests.chaos.counter`` process."""

    def __init__(self, spec: CounterSpec, *, mode: str, server_url: str, ca: Path, plan: ChaosPlan,
                 seed: str) -> None:
        self.spec = spec
        self.mode = mode
        self.killed = False
        log_file = spec.work / f"counter-{mode}-{time.monotonic_ns()}.log"
        with log_file.open("wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tests.chaos.counter", "--server", server_url, "--ca", str(ca),
                 "--counter", spec.code, "--username", spec.username, "--password", DEMO_PASSWORD,
                 "--key-file", str(spec.key_file), "--outbox", str(spec.outbox), "--work-dir", str(spec.work),
                 "--customers-file", str(spec.customers_file), "--mode", mode, "--seed", seed,
                 "--pace-s", str(plan.pace_s), "--wait-s", str(plan.wait_s),
                 "--shift-every", str(plan.shift_every), "--supervisor", f"supervisor{spec.code[1:3]}"],
                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        self.log_file = log_file

    @property
    def pid(self) -> int:
        return self.proc.pid

    def ready(self) -> bool:
        return (self.spec.work / f"ready-{self.pid}").exists()

    def idle(self) -> bool:
        return (self.spec.work / f"idle-{self.pid}").exists()

    def failed(self) -> str | None:
        """Why the process ended on its own, or None while it runs (or was ended by us)."""
        code = self.proc.poll()
        if code is None or self.killed:
            return None
        return f"{self.spec.code} {self.mode} process {self.pid} exited with {code}: " + \
            self.log_file.read_text(errors="replace")[-2000:]

    def kill(self) -> None:
        """SIGKILL (a power cut at the counter)."""
        self.killed = True
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        self.proc.wait(30)

    def terminate(self, timeout_s: float = 30) -> dict[str, object]:
        """SIGTERM, wait, and read the stats the process wrote."""
        self.killed = True
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        stats = self.spec.work / f"stats-{self.pid}.json"
        return json.loads(stats.read_text()) if stats.exists() else {}


def pending_up_to(path: Path, last_id: int | None = None) -> tuple[int, int]:
    """(pending items with an id up to ``last_id`` (all), the highest id) of an outbox file, read-only."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        row = conn.execute("SELECT coalesce(sum(state = 'pending' AND id <= ?), 0), coalesce(max(id), 0) FROM outbox",
                           (last_id if last_id is not None else 2**62,)).fetchone()
    finally:
        conn.close()
    return int(row[0]), int(row[1])


def outbox_counts(path: Path) -> tuple[int, int]:
    """(payments, pending items of any kind) of an outbox file, read-only (the counters write it meanwhile).

    The run's progress is counted in payments (``ChaosPlan.ops``), not in shift opens and closes."""
    if not path.exists():
        return 0, 0
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        row = conn.execute("SELECT coalesce(sum(method = ?), 0), coalesce(sum(state = 'pending'), 0) FROM outbox",
                           (PAY.name,)).fetchone()
    except sqlite3.OperationalError:  # created but no table yet
        return 0, 0
    finally:
        conn.close()
    return int(row[0]), int(row[1])


# --- the run ------------------------------------------------------------------------------------------


class ChaosRun:
    """One chaos run: ``with ChaosRun(plan) as run: result = run.run()`` (cleans up on exit)."""

    def __init__(self, plan: ChaosPlan, *, root: Path | None = None, keep: bool = False,
                 progress: Callable[[str], None] | None = None) -> None:
        self.plan = plan
        self.keep = keep
        self._own_root = root is None
        self.root = root or owned_temp_dir("gc-chaos-")
        self.root.chmod(0o755)  # the PostgreSQL service user must traverse it when we run as root
        self._say = progress or (lambda message: log.info("%s", message))
        self.rng = random.Random(plan.seed)
        self.result = ChaosResult()
        self.pg: EmbeddedPostgres | None = None
        self.server: ServerProcess | None = None
        self.proxy: ChaosProxy | None = None
        self.counters: list[CounterSpec] = []
        self.takers: dict[str, CounterProcess] = {}
        self.others: list[CounterProcess] = []  # replayers, and processes that were replaced
        self._twins: list[tuple[CounterSpec, CounterProcess]] = []
        self._engine: Engine | None = None
        self._failed = False

    # --- life ---------------------------------------------------------------------------------------

    def __enter__(self) -> ChaosRun:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self._failed = self._failed or exc_type is not None
        self.close()

    def close(self) -> None:
        """Stop everything; remove the folder unless asked to keep it (or the run failed)."""
        for proc in [*self.takers.values(), *self.others]:
            if proc.proc.poll() is None:
                proc.kill()
        for stop in (self.proxy.close if self.proxy else None, self.server.stop if self.server else None,
                     self._engine.dispose if self._engine else None):
            if stop is not None:
                try:
                    stop()
                except Exception:  # go on: the cluster below must not outlive the run
                    self._failed = True
                    log.exception("could not stop a part of the chaos run")
        if self.pg is not None:
            try:
                self.pg.stop()
            except Exception:
                self._failed = True
                log.exception("could not stop the chaos PostgreSQL; killing it")
                self.pg.kill()
        if self._own_root and not self.keep and not self._failed:
            shutil.rmtree(self.root, ignore_errors=True)
        elif self._failed:
            log.warning("chaos run folder kept for inspection: %s", self.root)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            assert self.pg is not None
            self._engine = create_engine(self.pg.url, poolclass=NullPool)
        return self._engine

    def run(self) -> ChaosResult:
        """Set up, run the plan, heal, drain, verify; the result (``result.exactly_once`` is the verdict)."""
        started = time.monotonic()
        try:
            self._set_up()
            self._chaos()
            self._drain()
            verify(self)
        except BaseException:
            self._failed = True
            raise
        self.result.wall_s = time.monotonic() - started
        if not self.result.exactly_once:
            self._failed = True
        return self.result

    # --- set-up -------------------------------------------------------------------------------------

    def _set_up(self) -> None:
        plan = self.plan
        t0 = time.monotonic()
        self.pg = EmbeddedPostgres(data_dir=self.root / "pg")
        url = self.pg.start()
        logs = self.root / "logs"
        logs.mkdir()
        self.server = ServerProcess(data_dir=self.root / "server", db_url=url, port=free_low_port(), logs=logs)
        self.server.start("--migrate", "--demo-data", str(plan.demo_customers))
        self._say(f"PostgreSQL and the server with {plan.demo_customers} demo customers up"
                  f" in {time.monotonic() - t0:.1f} s")
        customers = self._customers()
        enrolls = []
        for code, username in plan.counters:
            work = self.root / "counters" / code
            work.mkdir(parents=True)
            key_file = work / "device.key"
            enrolls.append(self.server.command("counter", "enroll", "--counter", code, "--key-file", str(key_file)))
            spec = CounterSpec(code=code, username=username, work=work, key_file=key_file,
                               customers=customers[code])
            spec.customers_file.write_text("\n".join(spec.customers) + "\n")
            self.counters.append(spec)
        for enroll in enrolls:
            out, _ = enroll.communicate(timeout=120)
            if enroll.returncode != 0:
                raise ChaosError(f"counter enroll failed: {out!r}")
        problems = balance_problems(self.engine)
        if problems:  # the check itself must hold on the untouched demo books, or it proves nothing
            raise ChaosError(f"the demo books do not balance before the run: {problems[:5]}")
        self.proxy = ChaosProxy(upstream_port=self.server.port, cert_file=self.server.data_dir / "tls" / "server.pem",
                                key_file=self.server.data_dir / "tls" / "server.key", ca_file=self.server.ca).start()
        for spec in self.counters:
            self.takers[spec.code] = self._spawn(spec, "take")
        self._wait(lambda: all(p.ready() for p in self.takers.values()), "the counters to sign in", 120)
        self._say(f"{len(self.counters)} counters signed in with open shifts ({time.monotonic() - t0:.1f} s)")

    def _customers(self) -> dict[str, list[str]]:
        """Disjoint customer lists per counter, from the counter's hall, most arrears first.

        Disjoint so that an online quote is never made stale by another counter: the only refusal
        left would be a real one, and none is expected (counted as ``attention``/``rejected`` if any).
        """
        by_hall: dict[str, list[str]] = defaultdict(list)
        with self.engine.connect() as conn:
            rows = conn.execute(text(
                """
                SELECT h.code, c.customer_no
                FROM customers c JOIN org_units h ON h.id = c.hall_id
                WHERE c.status = 'active'
                ORDER BY h.code, (SELECT coalesce(sum(e.amount_fen), 0) FROM ledger_entries e
                                  WHERE e.customer_id = c.id), c.customer_no
                """)).all()
        for hall, customer_no in rows:
            by_hall[hall].append(customer_no)
        taken: Tally[str] = Tally()
        out: dict[str, list[str]] = {}
        for code, _ in self.plan.counters:
            hall = code[:3]
            start = taken[hall]
            out[code] = by_hall[hall][start:start + self.plan.customers_per_counter]
            taken[hall] += self.plan.customers_per_counter
            if len(out[code]) < 3:
                raise ChaosError(f"not enough customers in hall {hall} for counter {code}")
        return out

    def _spawn(self, spec: CounterSpec, mode: str) -> CounterProcess:
        assert self.proxy is not None
        assert self.server is not None
        return CounterProcess(spec, mode=mode, server_url=self.proxy.url, ca=self.server.ca, plan=self.plan,
                              seed=f"{self.plan.seed}-{spec.code}-{mode}-{self.rng.random()}")

    # --- the chaos ----------------------------------------------------------------------------------

    def _items(self) -> int:
        return sum(outbox_counts(spec.outbox)[0] for spec in self.counters)

    def _reached(self, items: int) -> bool:
        return self._items() >= items

    def _check_processes(self) -> None:
        for proc in [*self.takers.values(), *self.others]:
            why = proc.failed()
            if why:
                raise ChaosError(why)

    def _wait(self, done: Callable[[], bool], what: str, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while not done():
            self._check_processes()
            if time.monotonic() > deadline:
                raise ChaosError(f"timed out after {timeout_s:.0f} s waiting for {what}")
            time.sleep(0.05)

    def _chaos(self) -> None:
        events = self.plan.events()
        for n, event in enumerate(events, start=1):
            milestone = self.plan.ops * n // (len(events) + 1)
            self._wait(functools.partial(self._reached, milestone), f"{milestone} payments",
                       self.plan.event_timeout_s * 3)
            t0 = time.monotonic()
            getattr(self, f"_event_{event}")()
            t1 = time.monotonic()
            self._recover()
            recovery = time.monotonic() - t1
            self.result.recovery_s = max(self.result.recovery_s, recovery)
            time.sleep(self.plan.calm_s)
            self._say(f"[{n}/{len(events)}] {event} at {self._items()} items ({t1 - t0:.1f} s,"
                      f" backlog replayed in {recovery:.1f} s)")
        self._wait(functools.partial(self._reached, self.plan.ops), f"{self.plan.ops} payments",
                   self.plan.event_timeout_s * 3)

    def _recover(self) -> None:
        """Wait until every payment queued so far is answered: the system got over the event (and the
        next one starts from a working link, so the run is not one long outage)."""
        marks = [(spec, pending_up_to(spec.outbox)[1]) for spec in self.counters]
        self._wait(lambda: all(pending_up_to(spec.outbox, last)[0] == 0 for spec, last in marks),
                   "the backlog to be replayed", self.plan.event_timeout_s)

    def _event_server_kill(self) -> None:
        assert self.server is not None
        self.server.kill()
        self.result.server_kills += 1
        time.sleep(self.rng.uniform(0.2, 1.0))
        self.server.start()

    def _event_db_kill(self) -> None:
        assert self.pg is not None
        self.pg.kill()
        self.result.db_kills += 1
        time.sleep(self.rng.uniform(0.2, 1.0))
        self.pg.start()

    def _event_client_kill(self) -> None:
        spec = self.rng.choice(self.counters)
        victim = self.takers[spec.code]
        self._wait(victim.ready, f"{spec.code} to be up", self.plan.event_timeout_s)
        time.sleep(self.rng.uniform(0.0, 1.0))  # a random moment: maybe mid-payment, maybe mid-send
        victim.kill()
        self.result.client_kills += 1
        self.others.append(victim)
        self.takers[spec.code] = self._spawn(spec, "take")

    def _event_cut(self) -> None:
        assert self.proxy is not None
        self.proxy.cut()
        time.sleep(self.rng.uniform(*self.plan.cut_s))
        self.proxy.heal()

    def _event_cut_after_commit(self) -> None:
        assert self.proxy is not None
        arm = self.proxy.arm_cut_after_commit()
        if not arm.fired.wait(self.plan.event_timeout_s):
            self.proxy.disarm(arm)
            raise ChaosError("no payment went through to cut after its commit")

    def _event_delay(self) -> None:
        assert self.proxy is not None
        self.proxy.delay(self.rng.uniform(0.05, 0.4))
        time.sleep(self.rng.uniform(*self.plan.slow_s))
        self.proxy.delay(0)
        self.result.delays += 1

    def _event_double_replay(self) -> None:
        """A second process on a counter's outbox file (same counter, same cashier, a session of its own)
        replays it alongside the counter's own process from now to the end of the run; the link is cut
        until the file holds a backlog, then healed (slow at first) so that both send it at once."""
        assert self.proxy is not None
        spec = self.rng.choice([s for s in self.counters if s.code not in {t.code for t, _ in self._twins}])
        self._wait(self.takers[spec.code].ready, f"{spec.code} to be up", self.plan.event_timeout_s)
        twin = self._spawn(spec, "replay")
        self.others.append(twin)
        self._wait(twin.ready, f"the second process on {spec.code}'s outbox to sign in", self.plan.event_timeout_s)
        self.proxy.cut()
        before = outbox_counts(spec.outbox)[1]
        self._wait(lambda: outbox_counts(spec.outbox)[1] >= before + 8, f"{spec.code} to queue payments offline",
                   self.plan.event_timeout_s)
        backlog, last_id = pending_up_to(spec.outbox)
        self.result.replay_backlog.append(backlog)
        self.proxy.heal()
        self.proxy.delay(0.1)
        self._wait(lambda: pending_up_to(spec.outbox, last_id)[0] == 0, f"{spec.code}'s backlog to be replayed",
                   self.plan.event_timeout_s)
        self.proxy.delay(0)
        self.result.double_replays += 1
        self._twins.append((spec, twin))

    # --- the end ------------------------------------------------------------------------------------

    def _drain(self) -> None:
        """Heal everything, stop taking payments, send everything, stop the counters."""
        assert self.proxy is not None
        self.proxy.heal()
        self.proxy.delay(0)
        for spec in self.counters:
            (spec.work / STOP_TAKING).write_text("")
        t0 = time.monotonic()
        self._wait(lambda: all(p.idle() for p in self.takers.values()), "the counters to stop taking payments",
                   self.plan.drain_timeout_s)
        self._wait(lambda: all(outbox_counts(s.outbox)[1] == 0 for s in self.counters), "the outboxes to drain",
                   self.plan.drain_timeout_s)
        self._say(f"outboxes drained in {time.monotonic() - t0:.1f} s")
        answers: dict[int, int] = {}
        for proc in [*self.takers.values(), *self.others]:
            if proc.proc.poll() is None:
                answers[proc.pid] = int(str(proc.terminate().get("pay_answers", -1)))
        self.result.replay_answers = [answers.get(twin.pid, -1) for _, twin in self._twins]
        proxy = self.proxy.stats()
        self.result.link_cuts = proxy.cuts + proxy.after_commit
        self.result.cuts_after_commit = proxy.after_commit


# --- verification -------------------------------------------------------------------------------------

#: Per bill: what the payment tables say is still open must be what the ledger says (books identity,
#: docs/business-rules.md §3): the bill's amount, less what was paid on it outside the counters (demo
#: history), less the principal the counter payments not voided took.
_BILL_SQL: Final = """
    WITH paid AS (
        SELECT a.bill_id, sum(a.principal_fen) AS principal FROM payment_allocations a
        WHERE NOT EXISTS (SELECT 1 FROM payment_voids v WHERE v.payment_id = a.payment_id)
        GROUP BY a.bill_id
    ), outside AS (
        SELECT bill_id, sum(amount_fen) AS amount FROM ledger_entries
        WHERE kind = 'payment' AND payment_id IS NULL AND bill_id IS NOT NULL GROUP BY bill_id
    ), ledger AS (
        SELECT bill_id, -sum(amount_fen) AS open_fen FROM ledger_entries WHERE bill_id IS NOT NULL GROUP BY bill_id
    )
    SELECT b.id, b.customer_id, b.bill_no, b.amount_fen - coalesce(o.amount, 0) - coalesce(p.principal, 0) AS expected,
           coalesce(l.open_fen, 0) AS ledger
    FROM bills b LEFT JOIN paid p ON p.bill_id = b.id LEFT JOIN outside o ON o.bill_id = b.id
    LEFT JOIN ledger l ON l.bill_id = b.id
"""

#: Per customer: the balance (sum of every entry) must equal prepayment − arrears, both recomputed from
#: the payment tables: prepayment = prepayment entries from outside the counters + what counter payments
#: not voided sent to 预收; arrears = the open principal of the bills (above).
_CUSTOMER_SQL: Final = f"""
    WITH bills AS ({_BILL_SQL}),
    arrears AS (SELECT customer_id, sum(greatest(expected, 0)) AS fen FROM bills GROUP BY customer_id),
    prepay AS (
        SELECT c.id AS customer_id,
               coalesce((SELECT sum(e.amount_fen) FROM ledger_entries e
                         WHERE e.customer_id = c.id AND e.bill_id IS NULL AND e.payment_id IS NULL), 0)
             + coalesce((SELECT sum(p.to_prepayment_fen) FROM payments p WHERE p.customer_id = c.id
                         AND NOT EXISTS (SELECT 1 FROM payment_voids v WHERE v.payment_id = p.id)), 0) AS fen
        FROM customers c
    ),
    balance AS (SELECT customer_id, sum(amount_fen) AS fen FROM ledger_entries GROUP BY customer_id)
    SELECT c.customer_no, coalesce(b.fen, 0) AS balance, p.fen AS prepayment, coalesce(a.fen, 0) AS arrears
    FROM customers c JOIN prepay p ON p.customer_id = c.id LEFT JOIN arrears a ON a.customer_id = c.id
    LEFT JOIN balance b ON b.customer_id = c.id
    WHERE coalesce(b.fen, 0) <> p.fen - coalesce(a.fen, 0)
"""  # noqa: S608 - our own SQL text, no input

#: Per payment: its PAYMENT entries add up to what was paid, its LATE_FEE entries to minus the fees it
#: allocated, and allocations plus prepayment to the amount.
_PAYMENT_SQL: Final = """
    SELECT p.receipt_no, p.amount_fen, e.pay, e.fee, a.fee AS alloc_fee, a.principal, p.to_prepayment_fen
    FROM payments p
    CROSS JOIN LATERAL (
        SELECT coalesce(sum(amount_fen) FILTER (WHERE kind = 'payment'), 0) AS pay,
               coalesce(sum(amount_fen) FILTER (WHERE kind = 'late_fee'), 0) AS fee
        FROM ledger_entries WHERE payment_id = p.id) e
    CROSS JOIN LATERAL (
        SELECT coalesce(sum(late_fee_fen), 0) AS fee, coalesce(sum(principal_fen), 0) AS principal
        FROM payment_allocations WHERE payment_id = p.id) a
    WHERE e.pay <> p.amount_fen OR e.fee <> -a.fee OR a.fee + a.principal + p.to_prepayment_fen <> p.amount_fen
"""

#: In total: the payment entries of counter payments, net of their reversals, equal the payments less
#: the voided ones.
_TOTAL_SQL: Final = """
    SELECT (SELECT coalesce(sum(e.amount_fen), 0) FROM ledger_entries e
            LEFT JOIN ledger_entries o ON o.id = e.reverses_id
            WHERE e.payment_id IS NOT NULL AND (e.kind = 'payment' OR o.kind = 'payment')) AS entries,
           (SELECT coalesce(sum(amount_fen), 0) FROM payments) AS payments,
           (SELECT coalesce(sum(p.amount_fen), 0) FROM payments p JOIN payment_voids v ON v.payment_id = p.id)
               AS reversed
"""

#: One audit record per payment (target ``receipt:<no>``), none for a payment that does not exist (the
#: records of refused attempts, ``refusal`` set, are not payments).
_AUDIT_SQL: Final = """
    WITH a AS (SELECT target, count(*) AS n FROM audit_log WHERE method = 'payment.pay_bills' AND refusal IS NULL
               GROUP BY target)
    SELECT (SELECT count(*) FROM payments p LEFT JOIN a ON a.target = 'receipt:' || p.receipt_no
            WHERE coalesce(a.n, 0) <> 1) AS payments_not_once,
           (SELECT count(*) FROM a WHERE NOT EXISTS (
                SELECT 1 FROM payments p WHERE 'receipt:' || p.receipt_no = a.target)) AS records_without_payment
"""


def balance_problems(engine: Engine) -> list[str]:
    """Every way the books fail their identities (empty: balanced)."""
    problems: list[str] = []
    with engine.connect() as conn:
        for row in conn.execute(text(f"SELECT * FROM ({_BILL_SQL}) x WHERE expected <> ledger")):  # noqa: S608
            problems.append(f"bill {row.bill_no}: open {row.ledger} in the ledger, {row.expected} by the payments")
        for row in conn.execute(text(_CUSTOMER_SQL)):
            problems.append(f"customer {row.customer_no}: balance {row.balance} but prepayment {row.prepayment}"
                            f" - arrears {row.arrears}")
        for row in conn.execute(text(_PAYMENT_SQL)):
            problems.append(f"payment {row.receipt_no}: amount {row.amount_fen}, payment entries {row.pay}, fee"
                            f" entries {row.fee}, allocated fee {row.alloc_fee} principal {row.principal}"
                            f" prepayment {row.to_prepayment_fen}")
        total = conn.execute(text(_TOTAL_SQL)).one()
        if total.entries != total.payments - total.reversed:
            problems.append(f"payment entries {total.entries} <> payments {total.payments} - reversed {total.reversed}")
    return problems


def _handed(run: ChaosRun) -> tuple[set[str], set[str]]:
    """Receipts the simulated cashiers handed over, and the receipts of refusals they saw."""
    handed: set[str] = set()
    refused: set[str] = set()
    for spec in run.counters:
        path = spec.work / HANDED_LOG
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) != 3:  # a line cut short by a SIGKILL: the outbox, not this log, is the record
                continue
            if parts[0] == "REFUSED":
                refused.add(parts[1])
            else:
                handed.add(parts[0])
    return handed, refused


def match_items(r: ChaosResult, items: list[OutboxItem], payments: list[Row[Any]]) -> set[str]:
    """Pair every item with the server's payments (by key or by receipt number); the lost items' keys."""
    by_key: dict[str, list[int]] = defaultdict(list)
    by_receipt: dict[str, list[int]] = defaultdict(list)
    rows = {p.id: p for p in payments}
    for p in payments:
        by_key[str(p.idempotency_key)].append(p.id)
        by_receipt[p.receipt_no].append(p.id)
    claimed: set[int] = set()
    lost: set[str] = set()
    for item in items:
        ids = sorted(set(by_key.get(str(item.key), [])) | set(by_receipt.get(item.receipt_no or "", [])))
        claimed.update(ids)
        if item.state in (ItemState.REJECTED, ItemState.ATTENTION):
            r.refused_but_booked += len(ids)
        elif item.state is ItemState.DONE and not ids:
            lost.add(str(item.key))
        elif item.state is ItemState.DONE:
            r.duplicated += len(ids) - 1
            row = rows[ids[0]]
            answer = item.result or {}
            if (row.receipt_no != item.receipt_no or str(row.idempotency_key) != str(item.key)
                    or row.customer_no != item.customer_no or row.amount_fen != item.amount_fen
                    or answer.get("receipt_no") != item.receipt_no or answer.get("paid_fen") != item.amount_fen):
                r.mismatched += 1
    r.orphans = len(set(rows) - claimed)
    return lost


def match_receipts(r: ChaosResult, *, handed: set[str], refused: set[str], items: list[OutboxItem],
                    booked: set[str]) -> set[str]:
    """Every receipt handed over is a done item booked on the server; every refusal seen a rejected item.
    Returns the handed receipts (or their items' keys) that are not."""
    r.handed, r.refused_seen = len(handed), len(refused)
    by_receipt = {i.receipt_no: i for i in items}
    lost: set[str] = set()
    for receipt_no in handed:
        item = by_receipt.get(receipt_no)
        if item is None:
            lost.add(receipt_no)
        elif item.state is not ItemState.DONE or receipt_no not in booked:
            lost.add(str(item.key))
    for receipt_no in refused:
        seen = by_receipt.get(receipt_no)
        if seen is None or seen.state is not ItemState.REJECTED:
            r.mismatched += 1
    return lost


def shift_problems(r: ChaosResult, engine: Engine, items: list[OutboxItem]) -> list[str]:
    """Every shift open and close the counters had answered is on the server once, under the counter's
    number, and every close the server booked counted what the counter expected (difference 0)."""
    with engine.connect() as conn:
        shifts = Tally(n for (n,) in conn.execute(text("SELECT shift_no FROM shifts")))
        closes = {row.shift_no: row for row in conn.execute(text(
            "SELECT s.shift_no, c.counted_cash_fen - c.expected_cash_fen AS difference FROM shift_closings c"
            " JOIN shifts s ON s.id = c.shift_id"))}
    r.shifts, r.shift_closes = sum(shifts.values()), len(closes)
    problems = [f"shift {n} booked {k} times" for n, k in shifts.items() if k > 1]
    for item in items:
        if item.state is not ItemState.DONE:
            continue
        number = str(item.body.get("shift_no", ""))
        if item.method == OPEN.name and shifts.get(number) != 1:
            problems.append(f"shift {number} opened at the counter is not on the server once")
        if item.method == CLOSE.name:
            booked = closes.get(number)
            if booked is None:
                problems.append(f"the close of shift {number} is not on the server")
            elif booked.difference != 0:
                problems.append(f"shift {number} closed with a difference of {booked.difference} fen on the server")
    return problems


def verify(run: ChaosRun) -> ChaosResult:
    """Compare every outbox item with the server's payments, check the books and the audit chain."""
    r = run.result
    items: list[OutboxItem] = []
    for spec in run.counters:
        items.extend(Outbox(spec.outbox).open().items(limit=10**9))
    r.ops = len(items)
    r.states = dict(Tally(i.state.value for i in items))
    r.shift_problems = shift_problems(r, run.engine, items)
    items = [i for i in items if i.method == PAY.name]  # shift opens and closes are checked above
    r.ops = len(items)
    r.offline_items = sum(1 for i in items if i.offline)
    with run.engine.connect() as conn:
        payments = list(conn.execute(text(
            "SELECT p.id, p.receipt_no, p.idempotency_key, c.customer_no, p.amount_fen"
            " FROM payments p JOIN customers c ON c.id = p.customer_id")).all())
    r.payments, r.paid_fen = len(payments), sum(p.amount_fen for p in payments)
    lost = match_items(r, items, payments)
    handed, refused = _handed(run)
    lost |= match_receipts(r, handed=handed, refused=refused, items=items, booked={p.receipt_no for p in payments})
    r.lost = len(lost)
    r.balance_problems = balance_problems(run.engine)
    r.balanced = not r.balance_problems
    with Session(run.engine) as session:
        report = verify_chains(session)
        audit = session.execute(text(_AUDIT_SQL)).one()
    r.audit_records = report.records
    r.audit_problems = list(report.problems)
    if audit.payments_not_once:
        r.audit_problems.append(f"{audit.payments_not_once} payments without exactly one audit record")
    if audit.records_without_payment:
        r.audit_problems.append(f"{audit.records_without_payment} payment audit records without a payment")
    r.audit_ok = not r.audit_problems
    return r
