"""Replay speed of the counters' outboxes (issue #5, SPEC §7 "offline"): 10 000 queued operations
replayed against the server on PostgreSQL; target ≤ 30 s.

What it does, on the bench cluster of ``bench/payments.py`` (``bench/.data/payments``, built on the
first run: 100 000 demo customers and 520 bench counters):

1. a fresh run database, the server (``--workers`` processes, HTTPS), and ``--counters`` counters of
   one hall signed in, each with a shift open (the hall's link is about to come back);
2. queue: each counter's outbox (a real ``client.core.outbox.Outbox`` in a temporary folder) gets its
   share of the ``--ops`` payments, accepted offline (1 yuan cash to a customer in arrears), exactly as
   the desk writes them with the link down;
3. replay: one real ``client.core.sync.SyncWorker`` per counter (the client's own httpx stub) starts at
   the same moment; the clock stops when every outbox is empty;
4. checks: every item is ``done``, the database holds exactly one payment per item (by receipt number)
   and no other.

Last line: ``RESULT replay_ops=… replay_s=… ops_per_s=… counters=… queue_s=… errors=…``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

from _common import ROOT, start_server  # noqa: F401 - ROOT puts the repository on sys.path
from _payments_setup import Cluster, prepare
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from client.core.actions import ActionSlot
from client.core.outbox.items import ItemState
from client.core.outbox.queue import Outbox
from client.core.rpc_client import RpcClient
from client.core.sync import Backoff, SyncWorker
from shared_models.methods.payments import PAY, PayRequest, Tender, TenderMethod
from shared_models.methods.shifts import GET_CURRENT, OPEN, OpenShiftRequest
from shared_models.pinning import ca_fingerprint
from shared_models.rpc import Empty
from shared_models.rules.hall_time import hall_now


def _client(server_url: str, ca: Path) -> RpcClient:
    pin = ca_fingerprint(ca.read_bytes())
    return RpcClient(ca_file=ca, ca_pin=lambda: pin, client_version="bench", server_url=server_url)


def queue_payments(
    *, sessions: list[tuple[str, str]], per_counter: list[int], customers: dict[str, list[str]], url: str, ca: Path,
    folder: Path, usernames: dict[str, str], clients: list[RpcClient],
) -> list[Outbox]:
    """Each counter: signed in (``clients`` gets its stub), a shift open, its payments queued offline."""
    outboxes = []
    for (code, token), n in zip(sessions, per_counter, strict=True):
        rpc = _client(url, ca)
        rpc.set_session(token=token, counter_code=code)
        clients.append(rpc)
        shift = rpc.send(OPEN, OpenShiftRequest(float_fen=0), action=ActionSlot().confirm(0))
        floor = rpc.call(GET_CURRENT, Empty()).next_receipt_seq
        outbox = Outbox(folder / f"{code}.sqlite3").open()
        outboxes.append(outbox)
        mine = customers[code]
        for i in range(n):
            customer_no = mine[i % len(mine)]

            def build(receipt_no: str | None, customer_no: str = customer_no) -> PayRequest:
                assert receipt_no is not None
                return PayRequest(customer_no=customer_no, receipt_no=receipt_no, quoted_due_fen=100,
                                  tenders=[Tender(method=TenderMethod.CASH, amount_fen=100, cash_handed_fen=100)],
                                  accepted_offline=True, local_time=hall_now())

            outbox.submit(method=PAY.name, build=build, counter_code=code, username=usernames[code],
                          shift_no=shift.shift_no, customer_no=customer_no, amount_fen=100, numbered=True,
                          server_next_seq=floor, offline=True)
    return outboxes


def check(outboxes: list[Outbox], run_url: str, ops: int) -> int:
    """Every item done, exactly one payment per item and no other: the number of problems found."""
    items = [i for o in outboxes for i in o.items(limit=ops + 1)]
    states = {s: sum(1 for i in items if i.state is s) for s in ItemState}
    receipt_nos = {i.receipt_no for i in items}
    engine = create_engine(run_url, poolclass=NullPool)
    with engine.connect() as c:
        booked = c.execute(text("SELECT receipt_no, count(*) FROM payments GROUP BY receipt_no")).all()
    engine.dispose()
    booked_nos = {r[0] for r in booked}
    duplicated = sum(1 for r in booked if r[1] > 1)
    lost = len(receipt_nos - booked_nos)
    extra = len(booked_nos - receipt_nos)
    errors = states[ItemState.PENDING] + states[ItemState.REJECTED] + states[ItemState.ATTENTION] \
        + lost + duplicated + extra
    print(f"states: { {s.value: n for s, n in states.items()} }; booked {len(booked_nos)}, lost {lost}, "
          f"duplicated {duplicated}, unexpected {extra}; at {dt.datetime.now(dt.UTC):%H:%M:%S} UTC, "
          f"load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ops", type=int, default=10_000, help="queued operations in all")
    parser.add_argument("--counters", type=int, default=8, help="counters whose outboxes replay at once")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--customers", type=int, default=100_000, help="demo customers in the template")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the template database")
    parser.add_argument("--profile", action="store_true",
                        help="py-spy on the server workers and pg_stat_statements during the replay")
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parent / ".data" / "payments")
    args = parser.parse_args()

    cluster = Cluster(args.data, profile=args.profile)
    server = None
    clients: list[RpcClient] = []
    workers: list[SyncWorker] = []
    try:
        prepared = prepare(cluster, customers=args.customers, counters=520, rebuild=args.rebuild)
        run_url = cluster.fresh_run_database(login=False, prepared=prepared)
        server = start_server(url=run_url, data_dir=args.data / "server", pii_key=prepared.pii_key,
                              workers=args.workers)
        url = f"https://{server.base_host}:{server.port}"
        # Counters of one hall (bench counters are dealt to the four halls in turn): B0000, B0004, …
        sessions = [s for i, s in enumerate(prepared.sessions) if i % 4 == 0][:args.counters]
        per_counter = [args.ops // args.counters + (1 if i < args.ops % args.counters else 0)
                       for i in range(args.counters)]
        customers = cluster.pick_customers({code: max(1, n // 4) for (code, _), n in zip(sessions, per_counter,
                                                                                            strict=True)})
        folder = Path(tempfile.mkdtemp(prefix="gridcounter-replay-"))
        t0 = time.monotonic()
        outboxes = queue_payments(sessions=sessions, per_counter=per_counter, customers=customers, url=url,
                                  ca=server.ca, folder=folder, usernames={i.code: i.username
                                                                          for i in prepared.identities},
                                  clients=clients)
        queue_s = time.monotonic() - t0
        print(f"queued {args.ops} payments in {args.counters} outboxes in {queue_s:.1f} s "
              f"({args.ops / queue_s:.0f}/s, synchronous=FULL)", file=sys.stderr)
        cluster.settle()

        for (code, _), rpc, outbox in zip(sessions, clients, outboxes, strict=True):
            username = prepared.identity(code).username
            workers.append(SyncWorker(outbox=outbox, rpc=rpc, user=functools.partial(str, username),
                                      backoff=Backoff(base_s=0.2, cap_s=2.0), idle_s=0.5, name=f"sync-{code}"))
        done = threading.Event()
        profiler = cluster.start_profile(server.worker_pids(), 15.0) if args.profile else None
        t0 = time.monotonic()
        for worker in workers:
            worker.start()
        while not done.is_set():
            if all(o.counts().pending == 0 for o in outboxes):
                done.set()
            else:
                time.sleep(0.05)
            if time.monotonic() - t0 > 600:
                print("gave up after 600 s", file=sys.stderr)
                break
        replay_s = time.monotonic() - t0
        for worker in workers:
            worker.stop()
        if profiler is not None:
            profiler.finish()

        errors = check(outboxes, run_url, args.ops)
        print(f"RESULT replay_ops={args.ops} replay_s={replay_s:.1f} ops_per_s={args.ops / replay_s:.0f} "
              f"counters={args.counters} queue_s={queue_s:.1f} errors={errors}")
        return 0 if errors == 0 else 1
    finally:
        for worker in workers:
            worker.stop()
        for rpc in clients:
            rpc.close()
        if server is not None:
            server.stop()
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
