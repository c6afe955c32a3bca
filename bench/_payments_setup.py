"""The prepared data of ``bench/payments.py``: cluster, template database, run database, pgbench (TPC-B and the
payment's own floor) and the profilers (py-spy on the server workers, pg_stat_statements in PostgreSQL)."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import resource
import subprocess
import sys
import time
from collections import Counter as Tally
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from _common import ROOT, postgres_pids, process_cpu_s
from _payments_floor import FLOOR, FloorResult, prepare_floor, run_floor
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import NullPool

from server.db.databases import create_database, drop_database
from server.db.embedded import EmbeddedPostgres
from server.db.embedded.binaries import wheel_bin_dir

TEMPLATE, RUN, PGBENCH = "bench_template", "bench_run", "pgbench"
PASSWORD = "Bench-pass-2026"
#: Bump when the template's bench part changes.
SETUP_VERSION = 1


@dataclass(frozen=True)
class Identity:
    """A bench counter and its cashier."""

    code: str
    username: str
    password: str
    device_key: str


@dataclass
class Prepared:
    """What the template holds for the bench, and the sessions of the current run."""

    pii_key: str
    identities: list[Identity]
    sessions: list[tuple[str, str]]

    def identity(self, code: str) -> Identity:
        """The identity of counter ``code``."""
        return next(i for i in self.identities if i.code == code)


def _fingerprint(customers: int, counters: int) -> str:
    """Changes whenever the template would come out different."""
    h = hashlib.sha256(f"{SETUP_VERSION}:{customers}:{counters}".encode())
    for path in [*sorted((ROOT / "server" / "demo_data").glob("*.py")),
                 *sorted((ROOT / "server" / "migrations" / "versions").glob("*.py"))]:
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


class Cluster:
    """The bench's own PostgreSQL cluster in the prepared folder."""

    def __init__(self, data: Path, *, profile: bool) -> None:
        self.data = data
        self.pg = EmbeddedPostgres(data_dir=data)
        self.pg.start()
        self._set_preload(profile)
        self._admin = create_engine(self.pg.admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")

    def _set_preload(self, profile: bool) -> None:
        """pg_stat_statements is loaded only for --profile (it costs a little on every statement)."""
        engine = create_engine(self.pg.admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        with engine.connect() as c:
            loaded = "pg_stat_statements" in c.execute(text("SHOW shared_preload_libraries")).scalar_one()
            if loaded == profile:
                engine.dispose()
                return
            if profile:
                c.execute(text("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"))
                c.execute(text("ALTER SYSTEM SET pg_stat_statements.track_planning = on"))
            else:
                c.execute(text("ALTER SYSTEM RESET shared_preload_libraries"))
                c.execute(text("ALTER SYSTEM RESET pg_stat_statements.track_planning"))
        engine.dispose()
        self.pg.stop()
        self.pg.start()

    def url(self, database: str) -> str:
        """URL of a database of this cluster."""
        return make_url(self.pg.admin_url).set(database=database).render_as_string(hide_password=False)

    def has_database(self, database: str) -> bool:
        with self._admin.connect() as c:
            return bool(c.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": database}).scalar())

    # ------------------------------------------------------------------------------------------ template

    def build_template(self, *, customers: int, counters: int) -> dict[str, object]:
        """Demo data plus ``counters`` bench counters with one cashier each, in the template database."""
        from sqlalchemy.orm import Session

        from server.demo_data import load_demo_data
        from server.migrate import upgrade
        from server.models.org import Counter, OrgUnit
        from server.models.users import User
        from server.security import PiiCipher, hash_password, new_token, token_hash
        from shared_models.roles import Role

        drop_database(admin_url=self.pg.admin_url, name=TEMPLATE)
        url = create_database(admin_url=self.pg.admin_url, name=TEMPLATE)
        pii_key = base64.b64encode(os.urandom(32)).decode()
        t0 = time.monotonic()
        upgrade(url)
        load_demo_data(url=url, customers=customers, pii=PiiCipher(base64.b64decode(pii_key)))
        engine = create_engine(url, poolclass=NullPool)
        identities = []
        with Session(engine) as s:
            halls = {h.code: h.id for h in s.query(OrgUnit).filter(OrgUnit.code.in_(["H01", "H02", "H03", "H04"]))}
            pw_hash = hash_password(PASSWORD)
            for i in range(counters):
                hall = f"H0{1 + i % 4}"
                key = new_token()
                code, username = f"B{i:04d}", f"bench{i:04d}"
                s.add(Counter(hall_id=halls[hall], code=code, name=f"压测 {i}", device_key_hash=token_hash(key)))
                s.add(User(username=username, display_name=f"压测{i}", role=Role.CASHIER, org_unit_id=halls[hall],
                           password_hash=pw_hash, must_change_password=False, failed_attempts=0, active=True))
                identities.append({"code": code, "username": username, "device_key": key})
            s.commit()
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM ANALYZE"))
        engine.dispose()
        print(f"template: {customers} customers and {counters} counters in {time.monotonic() - t0:.0f} s",
              file=sys.stderr)
        return {"pii_key": pii_key, "identities": identities}

    def fresh_run_database(self, *, login: bool, prepared: Prepared) -> str:
        """Clone the template into the run database; without ``login``, open a session per counter."""
        from sqlalchemy.orm import Session

        from server.migrate import upgrade
        from server.security import new_token, token_hash

        drop_database(admin_url=self.pg.admin_url, name=RUN)
        with self._admin.connect() as c:
            c.execute(text(f"CREATE DATABASE {RUN} TEMPLATE {TEMPLATE} STRATEGY FILE_COPY"))
        url = self.url(RUN)
        upgrade(url)
        prepared.sessions = []
        engine = create_engine(url, poolclass=NullPool)
        with Session(engine) as s:
            rows = []
            for ident in prepared.identities:
                token = "" if login else new_token()
                prepared.sessions.append((ident.code, token))
                if not login:
                    rows.append({"h": token_hash(token), "u": ident.username, "c": ident.code})
            if rows:
                s.execute(text(
                    "INSERT INTO user_sessions (token_hash, user_id, counter_id, created_at, last_seen_at)"
                    " SELECT :h, u.id, k.id, now(), now() FROM users u, counters k"
                    " WHERE u.username = :u AND k.code = :c"), rows)
            s.commit()
        engine.dispose()
        return url

    def pick_customers(self, wanted: dict[str, int]) -> dict[str, list[str]]:
        """Distinct customers with arrears (negative balance) for each counter, the same on every run."""
        engine = create_engine(self.url(RUN), poolclass=NullPool)
        with engine.connect() as c:
            rows = c.execute(text(
                "SELECT c.customer_no FROM customers c"
                " JOIN (SELECT customer_id FROM ledger_entries GROUP BY customer_id HAVING sum(amount_fen) < -1000)"
                " a ON a.customer_id = c.id WHERE c.status <> 'closed' ORDER BY hashint8(c.id) LIMIT :n"),
                {"n": sum(wanted.values())}).scalars().all()
        engine.dispose()
        if len(rows) < sum(wanted.values()):
            raise SystemExit(f"only {len(rows)} customers with arrears; need {sum(wanted.values())}: more --customers")
        out: dict[str, list[str]] = {}
        it = iter(rows)
        for code, n in wanted.items():
            out[code] = [next(it) for _ in range(n)]
        return out

    def settle(self) -> None:
        """Before a phase, as pgbench does before its run: VACUUM and ANALYZE the run database (what
        the set-up or the previous phase wrote, which autovacuum would otherwise work off during the
        phase), then CHECKPOINT."""
        engine = create_engine(self.url(RUN), poolclass=NullPool, isolation_level="AUTOCOMMIT")
        with engine.connect() as c:
            c.execute(text("VACUUM (ANALYZE)"))
        engine.dispose()
        self.checkpoint()

    def checkpoint(self) -> None:
        """Flush dirty buffers now, not in the middle of a phase."""
        with self._admin.connect() as c:
            c.execute(text("CHECKPOINT"))

    def postgres_pids(self) -> list[int]:
        """This cluster's processes."""
        return postgres_pids(self.pg.pgdata)

    # ------------------------------------------------------------------------------------------ pgbench

    def pgbench(self) -> tuple[Path, dict[str, str]]:
        """The pgbench of the embedded binaries, and an environment that connects it to this cluster."""
        url = make_url(self.pg.admin_url)
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("PG")}, "PGPASSWORD": url.password or "",
               "PGHOST": url.host or "127.0.0.1", "PGPORT": str(url.port), "PGUSER": url.username or ""}
        return wheel_bin_dir() / "pgbench", env

    def tpcb(self, *, seconds: float, scale: int = 20, clients: int = 16, threads: int = 2) -> float:
        """pgbench's TPC-B-like script on a fresh ``pgbench`` database; tps without connection time."""
        pgbench, env = self.pgbench()
        drop_database(admin_url=self.pg.admin_url, name=PGBENCH)
        create_database(admin_url=self.pg.admin_url, name=PGBENCH)
        t0 = time.monotonic()
        subprocess.run([str(pgbench), "-i", "-q", "-s", str(scale), PGBENCH], env=env, check=True,
                       capture_output=True)
        self.checkpoint()
        print(f"pgbench -i -s {scale}: {time.monotonic() - t0:.0f} s", file=sys.stderr)
        out = subprocess.run([str(pgbench), "-c", str(clients), "-j", str(threads), "-T", str(int(seconds)), PGBENCH],
                             env=env, check=True, capture_output=True, text=True).stdout
        match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out)
        if match is None:
            raise SystemExit(f"cannot read pgbench's output:\n{out}")
        self.checkpoint()
        return float(match.group(1))

    def payment_floor(self, *, seconds: float, customers: dict[str, list[str]], day: dt.date) -> FloorResult:
        """The payment's own SQL replayed by pgbench (``_payments_floor``) on a fresh clone of the template."""
        t0 = time.monotonic()
        per_client = prepare_floor(admin_url=self.pg.admin_url, url=self.url(FLOOR), template=TEMPLATE, day=day,
                                   customers=customers)
        self.checkpoint()
        print(f"payment floor set-up: {time.monotonic() - t0:.0f} s", file=sys.stderr)
        pgbench, env = self.pgbench()
        postgres_before, pgbench_before = self.postgres_cpu_s(), _children_cpu_s()
        result = run_floor(pgbench=pgbench, env=env, url=self.url(FLOOR), data=self.data, seconds=seconds,
                           per_client=per_client)
        result = replace(result, postgres_cpu_s=self.postgres_cpu_s() - postgres_before,
                         pgbench_cpu_s=_children_cpu_s() - pgbench_before)
        self.checkpoint()
        return result

    def postgres_cpu_s(self) -> float:
        """CPU seconds used so far by this cluster: its live processes, plus what the postmaster's exited
        children used (pgbench's backends end with their connections)."""
        total = sum(sum(process_cpu_s(pid)) for pid in self.postgres_pids())
        postmaster = int((self.pg.pgdata / "postmaster.pid").read_text().split()[0])
        fields = Path(f"/proc/{postmaster}/stat").read_text().rsplit(")", 1)[1].split()
        return total + (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")

    @contextlib.contextmanager
    def statement_log(self) -> Iterator[list[str]]:
        """Log every statement (``log_statement = all``, every session at once) inside the block; the list
        it yields holds the log lines written meanwhile once the block ends."""
        lines: list[str] = []
        offset = self.pg.log_file.stat().st_size
        with self._admin.connect() as c:
            c.execute(text("ALTER SYSTEM SET log_statement = 'all'"))
            c.execute(text("SELECT pg_reload_conf()"))
        # A backend rereads the configuration before its next command; give the reload a moment to land.
        time.sleep(0.5)
        try:
            yield lines
        finally:
            with self._admin.connect() as c:
                c.execute(text("ALTER SYSTEM RESET log_statement"))
                c.execute(text("SELECT pg_reload_conf()"))
            with self.pg.log_file.open("rb") as fh:
                fh.seek(offset)
                lines.extend(fh.read().decode("utf-8", errors="replace").splitlines())

    # ------------------------------------------------------------------------------------------ profiling

    def start_profile(self, worker_pids: list[int], seconds: float) -> Profile:
        """py-spy on every server worker and pg_stat_statements, for ``seconds``."""
        return Profile(self, worker_pids, seconds)

    def stop(self) -> None:
        """Stop the cluster (the prepared data stays)."""
        self._admin.dispose()
        self.pg.stop()


class Profile:
    """py-spy (CPU samples of the server's Python) and pg_stat_statements (time inside PostgreSQL)."""

    def __init__(self, cluster: Cluster, worker_pids: list[int], seconds: float) -> None:
        self.out = cluster.data / "profile"
        self.out.mkdir(exist_ok=True)
        self.engine: Engine = create_engine(cluster.url(RUN), poolclass=NullPool, isolation_level="AUTOCOMMIT")
        with self.engine.connect() as c:
            c.execute(text("CREATE EXTENSION IF NOT EXISTS pg_stat_statements"))
            c.execute(text("SELECT pg_stat_statements_reset()"))
        spy = Path(sys.executable).parent / "py-spy"
        self.files = [self.out / f"worker-{pid}.txt" for pid in worker_pids]
        self.procs = [
            subprocess.Popen([str(spy), "record", "--pid", str(pid), "--duration", str(int(seconds)), "--rate", "200",
                              "--nonblocking", "--gil", "--format", "raw", "--output", str(f)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for pid, f in zip(worker_pids, self.files, strict=True)
        ]
        self.t0 = time.monotonic()

    def finish(self) -> None:
        """Wait for py-spy and print both summaries."""
        wall = time.monotonic() - self.t0
        for proc in self.procs:
            proc.wait(timeout=120)
        self._print_python()
        with self.engine.connect() as c:
            rows = c.execute(text(
                "SELECT calls, total_exec_time + total_plan_time, mean_plan_time, mean_exec_time, rows,"
                " left(regexp_replace(query, '\\s+', ' ', 'g'), 110)"
                " FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = :d)"
                " ORDER BY total_exec_time + total_plan_time DESC LIMIT 25"), {"d": RUN}).all()
        self.engine.dispose()
        total = sum(r[1] for r in rows)
        print(f"\npg_stat_statements (top 25, {total / 1000:.1f} s planning + executor time in {wall:.0f} s):")
        for calls, tot, plan, run, nrows, query in rows:
            print(f"  {calls:>7} calls {tot / 1000:6.2f} s  plan {plan:6.3f} + run {run:6.3f} ms/call {nrows:>7} rows  "
                  f"{query}")

    def _print_python(self) -> None:
        inclusive: Tally[str] = Tally()
        own: Tally[str] = Tally()
        samples = 0
        for f in self.files:
            if not f.exists():
                continue
            for line in f.read_text().splitlines():
                stack, _, count = line.rpartition(" ")
                n = int(count)
                frames = [re.sub(r":\d+\)$", ")", fr) for fr in stack.split(";")]
                samples += n
                for fr in set(frames):
                    inclusive[fr] += n
                own[frames[-1]] += n
        if not samples:
            print("py-spy: no samples (is ptrace allowed?)")
            return
        print(f"\npy-spy: {samples} samples over the workers; inclusive (self) share of the workers' CPU:")
        for fr, n in inclusive.most_common(45):
            print(f"  {100 * n / samples:5.1f}% ({100 * own[fr] / samples:4.1f}%)  {fr[:150]}")
        print("top self time:")
        for fr, n in own.most_common(25):
            print(f"  {100 * n / samples:5.1f}%  {fr[:150]}")


def _children_cpu_s() -> float:
    """CPU seconds of this process's finished children (pgbench)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def prepare(cluster: Cluster, *, customers: int, counters: int, rebuild: bool) -> Prepared:
    """The template's bench data; builds the template when missing, stale or asked to."""
    stamp_file = cluster.data / "template.json"
    fingerprint = _fingerprint(customers, counters)
    stamp = json.loads(stamp_file.read_text()) if stamp_file.exists() else {}
    if rebuild or stamp.get("fingerprint") != fingerprint or not cluster.has_database(TEMPLATE):
        stamp_file.unlink(missing_ok=True)
        stamp = cluster.build_template(customers=customers, counters=counters)
        stamp["fingerprint"] = fingerprint
        fd = os.open(stamp_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # holds device keys
        with os.fdopen(fd, "w") as fh:
            json.dump(stamp, fh)
    identities = [Identity(code=i["code"], username=i["username"], password=PASSWORD, device_key=i["device_key"])
                  for i in stamp["identities"]]
    return Prepared(pii_key=str(stamp["pii_key"]), identities=identities, sessions=[])
