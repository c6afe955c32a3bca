"""Customer search benchmark: ``customer.search_customers`` on a million demo customers, through the real
client stub (``RpcClient``) and the real server over HTTPS, one cashier typing one key after another.

Keys are drawn from the data: 户号, bill barcodes (bill numbers), phones (all 11 digits, and the last 5
to 8), meter numbers, and fragments of two, three and four characters cut at random places from real
names and addresses (sent as name or address searches, since a cashier would say which). For each kind
it prints p50 and p95; the last line is ``RESULT search_p95_ms=<worst kind's p95> worst_kind=… ``.

The database is generated once and reused between runs, in ``--data-dir`` (default
``GRIDCOUNTER_BENCH_SEARCH_DIR`` or ``var/bench-search``, git-ignored): ``gridcounter-server demo-data
--customers 1000000`` takes about 13 minutes and 13 GB. The run then migrates it to the newest schema,
enrols counter H0101, starts ``gridcounter-server serve`` on it and signs in as the demo cashier.

Usage: python bench/search.py [--customers 1000000] [--per-kind 300] [--data-dir DIR] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from server.db.embedded import EmbeddedPostgres

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: Kinds measured: (label, SearchKind sent or None to let the server recognise the key).
KINDS = ("customer_no", "barcode", "phone", "phone_tail", "meter", "name2", "name3", "name4",
         "address2", "address3", "address4")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(data_dir: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([sys.executable, "-m", "server", "--data-dir", str(data_dir), *args], cwd=ROOT,
                          env=env or dict(os.environ), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"gridcounter-server {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def _ensure_data(data_dir: Path, customers: int) -> tuple[EmbeddedPostgres, str, bool]:
    """Start the embedded PostgreSQL of ``data_dir`` (loading demo data first if it has none).

    Returns the cluster, its URL, and whether it was already running (then it is left running).
    """
    from sqlalchemy import create_engine, text

    from server.db.embedded import EmbeddedPostgres
    from server.migrate import upgrade

    data_dir.mkdir(parents=True, exist_ok=True)
    data_dir.chmod(0o755)
    pg = EmbeddedPostgres(data_dir=data_dir)
    was_running = pg.is_running()
    url = pg.start()
    upgrade(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        have = int(conn.execute(text("SELECT count(*) FROM customers")).scalar_one())
    engine.dispose()
    if have == 0:
        print(f"generating {customers} demo customers in {data_dir} (once; about 13 minutes for a million)")
        started = time.perf_counter()
        print(_cli(data_dir, "demo-data", "--customers", str(customers)).strip(),
              f"({time.perf_counter() - started:.0f} s)")
        url = pg.start()
    elif have != customers:
        print(f"note: {data_dir} holds {have} customers, not {customers}")
    return pg, url, was_running


def _cut(text: str, length: int, rng: random.Random) -> str | None:
    if len(text) < length:
        return None
    start = rng.randrange(len(text) - length + 1)
    return text[start:start + length]


def _draw(url: str, per_kind: int, seed: int) -> dict[str, list[tuple[str, str | None]]]:
    """(query, forced kind) per benchmark kind, from customers picked at random."""
    from sqlalchemy import create_engine, text

    rng = random.Random(seed)
    engine = create_engine(url)
    with engine.connect() as conn:
        top = int(conn.execute(text("SELECT max(id) FROM customers")).scalar_one())
        ids = rng.sample(range(1, top + 1), min(top, per_kind * 25))  # 4-character names are rare (firms)
        rows = list(conn.execute(text(
            "SELECT c.customer_no, c.name, c.address, c.phone,"
            " (SELECT m.asset_no FROM meters m WHERE m.customer_id = c.id ORDER BY m.id LIMIT 1),"
            " (SELECT b.bill_no FROM bills b WHERE b.customer_id = c.id ORDER BY b.period DESC LIMIT 1)"
            " FROM customers c WHERE c.id = ANY(:ids)"), {"ids": ids}).all())
    engine.dispose()
    rng.shuffle(rows)
    out: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for customer_no, name, address, phone, meter, bill in rows:
        candidates: dict[str, tuple[str, str | None] | None] = {
            "customer_no": (customer_no, None),
            "barcode": (bill, None) if bill else None,
            "phone": (phone, None),
            "phone_tail": (phone[-rng.randint(5, 8):], None),
            "meter": (meter, None) if meter else None,
        }
        for length in (2, 3, 4):
            for column in ("name", "address"):
                piece = _cut(name if column == "name" else address, length, rng)
                candidates[f"{column}{length}"] = (piece, column) if piece and piece.strip() else None
        for kind, query in candidates.items():
            if query is not None and len(out[kind]) < per_kind:
                out[kind].append(query)
    return out


def _serve(data_dir: Path, url: str, workers: int) -> tuple[subprocess.Popen[str], str]:
    port = _free_port()
    env = {**os.environ, "GRIDCOUNTER_DATABASE_URL": url}
    server = subprocess.Popen(
        [sys.executable, "-m", "server", "--data-dir", str(data_dir), "serve", "--port", str(port),
         "--workers", str(workers)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
    )
    assert server.stdout is not None
    for line in server.stdout:
        if line.startswith("GRIDCOUNTER READY"):
            return server, f"https://127.0.0.1:{port}"
    raise SystemExit("server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--per-kind", type=int, default=300, help="measured searches per kind")
    parser.add_argument("--warmup", type=int, default=30, help="unmeasured searches per kind first")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--data-dir", type=Path,
                        default=Path(os.environ.get("GRIDCOUNTER_BENCH_SEARCH_DIR", ROOT / "var" / "bench-search")))
    args = parser.parse_args()

    from client.core.rpc_client import RpcClient, RpcError
    from server.demo_data import DEMO_PASSWORD
    from shared_models.methods.auth import LOGIN, LoginRequest
    from shared_models.methods.customers import SEARCH, SearchKind, SearchRequest
    from shared_models.pinning import ca_fingerprint

    data_dir = args.data_dir.resolve()
    pg, url, was_running = _ensure_data(data_dir, args.customers)
    queries = _draw(url, args.per_kind + args.warmup, args.seed)
    key_file = data_dir / "bench-h0101.key"
    _cli(data_dir, "counter", "enroll", "--counter", "H0101", "--key-file", str(key_file),
         env={**os.environ, "GRIDCOUNTER_DATABASE_URL": url})
    server, base = _serve(data_dir, url, args.workers)
    ca = data_dir / "tls" / "ca.pem"
    pin = ca_fingerprint(ca.read_bytes())
    client = RpcClient(ca_file=ca, ca_pin=lambda: pin, client_version="bench", server_url=base)
    try:
        client.handshake()
        login = client.call(LOGIN, LoginRequest(username="cashier0101", password=DEMO_PASSWORD, counter_code="H0101",
                                                device_key=key_file.read_text().strip()))
        client.set_session(token=login.token, counter_code="H0101")
        plan = [(kind, q, forced, i < args.warmup) for kind in KINDS for i, (q, forced) in enumerate(queries[kind])]
        random.Random(args.seed).shuffle(plan)  # kinds interleaved, as at a counter: no kind gets a warm cache
        plan.sort(key=lambda p: not p[3])  # every warm-up first
        latencies: dict[str, list[float]] = defaultdict(list)
        hits: dict[str, int] = defaultdict(int)
        errors: dict[str, int] = defaultdict(int)
        for kind, query, forced, warmup in plan:
            req = SearchRequest(query=query, kind=SearchKind(forced) if forced else None)
            started = time.perf_counter()
            try:
                result = client.call(SEARCH, req)
            except RpcError as exc:
                errors[kind] += 1
                print(f"  {kind} {query!r}: {exc.code.value}")
                continue
            elapsed = (time.perf_counter() - started) * 1000
            if not warmup:
                latencies[kind].append(elapsed)
                hits[kind] += bool(result.items)
        print(f"{'kind':<12} {'n':>5} {'found':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        worst = ("", -1.0)
        for kind in KINDS:
            lat = sorted(latencies[kind])
            if len(lat) < 2:  # quantiles need two points
                print(f"{kind:<12} {len(lat):>5} (too few keys)")
                continue
            q = statistics.quantiles(lat, n=100, method="inclusive")
            print(f"{kind:<12} {len(lat):>5} {hits[kind]:>6} {q[49]:>8.1f} {q[94]:>8.1f} {lat[-1]:>8.1f}")
            if q[94] > worst[1]:
                worst = (kind, q[94])
        total_errors = sum(errors.values())
        print(f"RESULT search_p95_ms={worst[1]:.1f} worst_kind={worst[0]} customers={args.customers} "
              f"per_kind={args.per_kind} errors={total_errors}")
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=30)
        if not was_running:
            pg.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
