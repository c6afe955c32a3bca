"""Payments benchmark (issues 4 and 11): ``payment.pay_bills`` throughput against its own SQL replayed by
pgbench (the floor) and against pgbench TPC-B, and latency under open-loop arrivals, on the real server
over HTTPS on the embedded PostgreSQL.

One run, on one PostgreSQL cluster:

0. TPC-B: ``pgbench -i -s 20`` into database ``pgbench``, then ``pgbench -c 16 -j 2 -T 20``.
0. The floor: the statements the server runs for one payment, replayed by ``pgbench -M prepared -c 16
   -j 2 -T 20`` with a custom script on a clone of the same template, each client paying its own
   customers (``_payments_floor.py``). Checked against the statements the server really runs: one
   payment is made with ``log_statement = all`` before the throughput phase and compared.
1. Throughput: 64 simulated counters, each with its own session, connection and open shift, pay
   bills back to back for 30 s (after a 3 s warm-up). payments/s and its ratios to the floor's tps
   (``ratio_sql``: target >= 0.5) and to the TPC-B tps (``ratio_tpcb``).
2. Latency: 520 simulated counters, each signed in with its own session and connection, offer
   200 payments/s together as Poisson arrivals for 30 s; each arrival goes to a random idle counter
   (or waits for one) and its latency runs from its scheduled arrival, so queueing counts.

Data: a prepared folder ``bench/.data/payments`` (gitignored) holds the cluster and a template
database (demo data with 100 000 customers plus 520 bench counters with a cashier each), built on
the first run and whenever the schema, the demo data code or the parameters change. Every run
clones it (``CREATE DATABASE … TEMPLATE``), so every run starts from the same books.

Each payment pays 1 yuan in cash (or the rest, when less is due) towards a customer with open
bills: partial payments are allowed, and the demo books hold ~15 000 open bills, too few to settle
one per payment for a whole run. The allocation is a real one: late fee of the oldest bill first,
then its principal, with ledger entries, the tender, the payment and its audit record. Every counter
pays its own customers (no two counters pay the same customer, as in a hall) and knows their due
from one ``payment.get_quote`` each before the run, then from its own receipts.

Sessions are written straight into ``user_sessions`` (a sign-in per counter costs an argon2 check,
~0.1 s of CPU, and is not what is measured); ``--login`` signs every counter in over RPC instead.
Shifts are opened over RPC (``shift.open_shift``). Before each phase: ``VACUUM (ANALYZE)`` and a
``CHECKPOINT``, as pgbench vacuums before its run. The load generator is ``bench/_common.RawHttps``:
one kept-alive HTTPS connection per counter, on uvloop, sharing the machine's cores with the server
and PostgreSQL; the table shows how many cores each used.

Usage: python bench/payments.py [--workers 2] [--seconds 30] [--rate 200] [--profile] [--rebuild]
Last line: ``RESULT payments_per_s=… sql_tps=… ratio_sql=… tpcb_tps=… ratio_tpcb=… p99_ms_at_200=… errors=…``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import sys
import time
from collections import Counter as Tally
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    CpuMeter,
    RawHttps,
    RpcCallError,
    client_ssl,
    event_loop_runner,
    quantile_ms,
    start_server,
)
from _payments_floor import FloorResult, check_statements
from _payments_setup import Cluster, Prepared, prepare

from shared_models.rules.hall_time import HALL_TZ
from shared_models.rules.receipt_numbers import make_receipt_no

WARMUP_S = 3.0


@dataclass
class Counter:
    """One simulated counter: its session, connection, shift day, receipt sequence and customers."""

    code: str
    token: str
    conn: RawHttps | None = None
    day: dt.date | None = None
    seq: int = 1
    customers: list[str] = field(default_factory=list)
    turn: int = 0


@dataclass
class PhaseResult:
    """What one phase measured."""

    name: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: Tally[str] = field(default_factory=Tally)
    cpu: dict[str, float] = field(default_factory=dict)
    kernel: dict[str, float] = field(default_factory=dict)
    ran_out: int = 0
    new_connections: int = 0
    #: (seconds into the window, latency) of each success, for the p99 of each third of the window.
    timeline: list[tuple[float, float]] = field(default_factory=list)

    @property
    def per_s(self) -> float:
        """Successful payments per second in the window."""
        return len(self.latencies) / self.seconds


class Book:
    """What the counters believe each customer owes (from a quote, then from their own receipts)."""

    def __init__(self, due: dict[str, int]) -> None:
        self.due = due

    def next_customer(self, counter: Counter) -> str | None:
        """The counter's next customer with something due, round robin."""
        for _ in range(len(counter.customers)):
            no = counter.customers[counter.turn % len(counter.customers)]
            counter.turn += 1
            if self.due[no] > 0:
                return no
        return None


async def pay_one(counter: Counter, book: Book, customer_no: str) -> tuple[bool, str]:
    """One payment of 1 yuan (or the rest); (ok, error code)."""
    assert counter.conn is not None
    assert counter.day is not None
    due = book.due[customer_no]
    amount = min(100, due)
    receipt_no = make_receipt_no(counter.code, counter.day, counter.seq)
    counter.seq += 1
    payload = {
        "customer_no": customer_no, "receipt_no": receipt_no, "quoted_due_fen": due,
        "tenders": [{"method": "cash", "amount_fen": amount, "cash_handed_fen": amount}],
        "local_time": dt.datetime.now(dt.UTC).isoformat(),
    }
    book.due[customer_no] = due - amount  # the counter's own view until the receipt comes back
    try:
        receipt = await counter.conn.call("payment.pay_bills", payload, mutating=True)
    except RpcCallError as exc:
        if exc.code == "DUE_CHANGED":
            book.due[customer_no] = 0  # never guess: take the customer out of the rotation
        return False, exc.code
    except (OSError, asyncio.IncompleteReadError) as exc:
        return False, type(exc).__name__
    book.due[customer_no] = int(receipt["due_fen"]) - int(receipt["paid_fen"]) + (
        int(receipt["prepayment_after_fen"]) - int(receipt["prepayment_before_fen"]))
    return True, ""


# ---------------------------------------------------------------------------------------------- phases


async def throughput_phase(counters: list[Counter], book: Book, seconds: float, cpu: CpuMeter) -> PhaseResult:
    """Closed loop: every counter pays back to back; successes in the window count."""
    result = PhaseResult(name=f"throughput {len(counters)} counters closed loop", seconds=seconds)
    t_start = time.monotonic() + WARMUP_S
    t_end = t_start + seconds

    async def run(counter: Counter) -> None:
        while (now := time.monotonic()) < t_end:
            customer = book.next_customer(counter)
            if customer is None:
                result.ran_out += 1
                return
            t0 = time.perf_counter()
            ok, code = await pay_one(counter, book, customer)
            if now < t_start:
                continue
            if ok:
                result.latencies.append(time.perf_counter() - t0)
            else:
                result.errors[code] += 1

    async def meter() -> None:
        await asyncio.sleep(max(0.0, t_start - time.monotonic()))
        cpu.start()
        await asyncio.sleep(max(0.0, t_end - time.monotonic()))
        result.cpu = cpu.stop()
        result.kernel = dict(cpu.kernel_share)

    await asyncio.gather(meter(), *(run(c) for c in counters))
    return result


async def latency_phase(counters: list[Counter], book: Book, rate: float, seconds: float, cpu: CpuMeter,
                        seed: int = 4) -> PhaseResult:
    """Open loop: Poisson arrivals at ``rate``/s, each to a random idle counter; latency from the arrival."""
    result = PhaseResult(name=f"latency {len(counters)} counters at {rate:.0f}/s open loop", seconds=seconds)
    rng = random.Random(seed)
    idle = list(counters)
    waiting: asyncio.Queue[float] = asyncio.Queue()
    tasks: set[asyncio.Task[None]] = set()
    t_zero = time.monotonic() + 0.5
    t_start = t_zero + WARMUP_S
    t_end = t_start + seconds

    async def serve(counter: Counter, arrival: float) -> None:
        while True:
            customer = book.next_customer(counter)
            if customer is None:
                result.ran_out += 1
                ok, code = False, "RAN_OUT"
            else:
                ok, code = await pay_one(counter, book, customer)
            done = time.monotonic()
            if t_start <= arrival < t_end:
                if ok:
                    result.latencies.append(done - arrival)
                    result.timeline.append((arrival - t_start, done - arrival))
                else:
                    result.errors[code] += 1
            if waiting.empty():
                idle.append(counter)
                return
            arrival = waiting.get_nowait()

    opened = sum(c.conn.connections for c in counters if c.conn is not None)
    arrivals = []
    t = t_zero
    while t < t_end:
        t += rng.expovariate(rate)
        arrivals.append(t)
    cpu_started = False
    for arrival in arrivals:
        delay = arrival - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        if not cpu_started and arrival >= t_start:
            cpu.start()
            cpu_started = True
        if idle:
            counter = idle.pop(rng.randrange(len(idle)))
            task = asyncio.create_task(serve(counter, arrival))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        else:
            waiting.put_nowait(arrival)
    await asyncio.sleep(max(0.0, t_end - time.monotonic()))
    result.cpu = cpu.stop()
    result.kernel = dict(cpu.kernel_share)
    if tasks:
        await asyncio.wait(tasks, timeout=60)
    result.new_connections = sum(c.conn.connections for c in counters if c.conn is not None) - opened
    return result


# ---------------------------------------------------------------------------------------------- set-up over RPC


async def connect_and_open_shifts(counters: list[Counter], prepared: Prepared, host: str, port: int,
                                  ca: Path, login: bool) -> None:
    """Connect every counter, sign in (with ``login``), open its shift and learn its receipt sequence."""
    ctx = client_ssl(ca)
    sem = asyncio.Semaphore(32)

    async def one(counter: Counter) -> None:
        async with sem:
            counter.conn = RawHttps(host, port, ctx, counter=counter.code, token=counter.token)
            await counter.conn.connect()
            if login:
                ident = prepared.identity(counter.code)
                answer = await counter.conn.call("auth.login", {
                    "username": ident.username, "password": ident.password, "counter_code": counter.code,
                    "device_key": ident.device_key})
                counter.conn.token = counter.token = answer["token"]
            current = await counter.conn.call("shift.get_current", {})
            shift = current["shift"] or await counter.conn.call("shift.open_shift", {"float_fen": 50_000},
                                                                mutating=True)
            counter.day = dt.date.fromisoformat(shift["business_date"])
            counter.seq = int(current["next_receipt_seq"])

    await asyncio.gather(*(one(c) for c in counters))


async def quote_all(counters: list[Counter], customers: dict[str, list[str]]) -> Book:
    """One quote per customer, by the counter that will pay them."""
    due: dict[str, int] = {}

    async def one(counter: Counter) -> None:
        assert counter.conn is not None
        for no in customers.get(counter.code, []):
            quote = await counter.conn.call("payment.get_quote", {"customer_no": no})
            due[no] = int(quote["due_fen"])
            counter.customers.append(no)

    await asyncio.gather(*(one(c) for c in counters))
    return Book(due)


async def capture_one_payment(cluster: Cluster, counter: Counter, book: Book) -> str:
    """Make one payment with every statement logged and compare them with the floor's script; the verdict."""
    customer = book.next_customer(counter)
    if customer is None:
        return "floor statements not checked: no customer with something due"
    assert counter.day is not None
    receipt_no = make_receipt_no(counter.code, counter.day, counter.seq)
    with cluster.statement_log() as log:
        ok, code = await pay_one(counter, book, customer)
    if not ok:
        return f"floor statements not checked: the logged payment was refused ({code})"
    matches, note = check_statements(log, receipt_no)
    return note if matches else f"WARNING: {note}"


async def close_all(counters: list[Counter]) -> None:
    """Close every connection."""
    await asyncio.gather(*(c.conn.close() for c in counters if c.conn is not None))


# ---------------------------------------------------------------------------------------------- report


def _row(r: PhaseResult) -> str:
    lat = r.latencies
    errors = sum(r.errors.values())
    cpu = r.cpu

    def per(group: str) -> str:
        return f"{1000 * cpu.get(group, 0) / r.per_s:.2f}" if lat else "-"

    return (f"| {r.name} | {len(lat)} | {r.per_s:.0f} | {quantile_ms(lat, 0.5):.1f} | {quantile_ms(lat, 0.99):.1f} | "
            f"{(max(lat) * 1000 if lat else float('nan')):.1f} | {errors} | "
            f"{cpu.get('server', 0):.2f} / {cpu.get('postgres', 0):.2f} / {cpu.get('load', 0):.2f} / "
            f"{cpu.get('other', 0):.2f} | {per('server')} / {per('postgres')} / {per('load')} |")


def lat_ok(r: PhaseResult) -> bool:
    """Whether a phase has payments to divide by."""
    return bool(r.latencies) and r.per_s > 0


def report(tpcb: float, floor: FloorResult | None, same: str, phases: list[PhaseResult],
           ) -> tuple[PhaseResult, PhaseResult]:
    """Print the table; returns (throughput phase, latency phase)."""
    print()
    print(f"pgbench TPC-B (scale 20, 16 clients, 2 threads): {tpcb:.0f} tps")
    if floor is not None:
        pg_ms, bench_ms = floor.cpu_ms()
        print(f"pgbench payment script (the server's statements of one payment, -M prepared, 16 clients, 2 threads): "
              f"{floor.tps:.0f} tps, {floor.transactions} payments, {floor.failed} failed; CPU ms per payment: "
              f"postgres {pg_ms:.2f} / pgbench {bench_ms:.2f}")
    print(same)
    print()
    print("| phase | payments | per s | p50 ms | p99 ms | max ms | errors | cores: server / postgres / load / other "
          "| CPU ms per payment: server / postgres / load |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in phases:
        print(_row(r))
        if r.errors:
            print(f"  errors: {dict(r.errors)}")
        print("  kernel (system) share of the CPU: " + ", ".join(
            f"{name} {100 * share:.0f} %" for name, share in r.kernel.items()))
        if r.timeline:
            thirds = [[lat for at, lat in r.timeline if k * r.seconds / 3 <= at < (k + 1) * r.seconds / 3]
                      for k in range(3)]
            print("  p99 by third of the window: " + " / ".join(f"{quantile_ms(t, 0.99):.0f} ms" for t in thirds))
        if r.new_connections:
            print(f"  {r.new_connections} new TLS connections (a counter idle over 5 s reconnects, as httpx does)")
        if r.ran_out:
            print(f"  {r.ran_out} counters ran out of customers with something due")
        if floor is not None and lat_ok(r):
            pg_ms, bench_ms = floor.cpu_ms()
            payment_ms = 1000 * sum(r.cpu.get(g, 0) for g in ("server", "postgres", "load")) / r.per_s
            print(f"  CPU per payment against the floor's: {(pg_ms + bench_ms) / payment_ms:.2f} "
                  f"({pg_ms + bench_ms:.2f} ms against {payment_ms:.2f} ms; independent of other people's load)")
    return phases[0], phases[-1]


def _ratio(payments_per_s: float, tps: float) -> str:
    return f"{payments_per_s / tps:.2f}" if tps else "nan"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--seconds", type=float, default=30.0, help="measured seconds per phase")
    parser.add_argument("--rate", type=float, default=200.0, help="arrivals per second in the latency phase")
    parser.add_argument("--throughput-counters", type=int, default=64)
    parser.add_argument("--latency-counters", type=int, default=520)
    parser.add_argument("--customers", type=int, default=100_000, help="demo customers in the template")
    parser.add_argument("--tpcb-seconds", type=float, default=20.0)
    parser.add_argument("--skip-tpcb", action="store_true", help="no TPC-B (tpcb_tps=0, ratio_tpcb nan)")
    parser.add_argument("--floor-seconds", type=float, default=20.0)
    parser.add_argument("--skip-floor", action="store_true", help="no payment floor (sql_tps=0, ratio_sql nan)")
    parser.add_argument("--only", choices=["throughput", "latency"], help="run one phase only")
    parser.add_argument("--login", action="store_true", help="sign counters in over RPC (argon2 each)")
    parser.add_argument("--profile", action="store_true",
                        help="py-spy on the server workers and pg_stat_statements during the throughput phase")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the template database")
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parent / ".data" / "payments")
    args = parser.parse_args()

    counters_needed = max(args.throughput_counters, args.latency_counters)
    cluster = Cluster(args.data, profile=args.profile)
    server = None
    try:
        # The template holds at least the default 520 counters, so smaller runs reuse it as it is.
        prepared = prepare(cluster, customers=args.customers, counters=max(counters_needed, 520),
                           rebuild=args.rebuild)
        run_url = cluster.fresh_run_database(login=args.login, prepared=prepared)
        tpcb = 0.0 if args.skip_tpcb else cluster.tpcb(seconds=args.tpcb_seconds)
        counters = [Counter(code=code, token=token) for code, token in prepared.sessions[:counters_needed]]
        # Every counter pays its own customers; counters 0..63 pay in both phases: 80 customers each
        # (a few payments per customer), the others 4 each. 7 000 of the 7 300 customers in arrears.
        wanted = {c.code: 80 if i < args.throughput_counters else 4 for i, c in enumerate(counters)}
        customers = cluster.pick_customers(wanted)
        # The floor's clients pay the customers of the first 16 throughput counters, on their own clone.
        floor = None if args.skip_floor else cluster.payment_floor(
            seconds=args.floor_seconds, day=dt.datetime.now(HALL_TZ).date(),
            customers={code: customers[code] for code in list(wanted)[:min(16, args.throughput_counters)]})
        server = start_server(url=run_url, data_dir=args.data / "server", pii_key=prepared.pii_key,
                              workers=args.workers)
        cpu = CpuMeter({"server": lambda: [server.proc.pid, *server.worker_pids()],
                        "postgres": cluster.postgres_pids, "load": lambda: [os.getpid()]})
        phases: list[PhaseResult] = []
        with event_loop_runner() as runner:
            t0 = time.monotonic()
            runner.run(connect_and_open_shifts(counters, prepared, server.base_host, server.port, server.ca,
                                               args.login))
            book = runner.run(quote_all(counters, customers))
            print(f"set-up over RPC: {len(counters)} shifts, {len(book.due)} quotes in "
                  f"{time.monotonic() - t0:.1f} s", file=sys.stderr)
            same = runner.run(capture_one_payment(cluster, counters[0], book))
            if args.only != "latency":
                cluster.settle()
                profiler = cluster.start_profile(server.worker_pids(), args.seconds + WARMUP_S) if args.profile \
                    else None
                phases.append(runner.run(throughput_phase(counters[:args.throughput_counters], book,
                                                          args.seconds, cpu)))
                if profiler is not None:
                    profiler.finish()
            if args.only != "throughput":
                cluster.settle()
                phases.append(runner.run(latency_phase(counters[:args.latency_counters], book, args.rate,
                                                       args.seconds, cpu)))
            runner.run(close_all(counters))
        thr, lat = report(tpcb, floor, same, phases)
        errors = sum(sum(r.errors.values()) for r in phases)
        sql_tps = floor.tps if floor is not None else 0.0
        print(f"RESULT payments_per_s={thr.per_s:.0f} sql_tps={sql_tps:.0f} ratio_sql={_ratio(thr.per_s, sql_tps)} "
              f"tpcb_tps={tpcb:.0f} ratio_tpcb={_ratio(thr.per_s, tpcb)} "
              f"p99_ms_at_{args.rate:.0f}={quantile_ms(lat.latencies, 0.99):.1f} errors={errors}")
    finally:
        if server is not None:
            server.stop()
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
