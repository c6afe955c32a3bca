"""Customer cache benchmark: the daily first refresh of a counter's hall cache, before and after caching
late-fee inputs instead of fees of one day.

Before, the server answered the first refresh of a business day with a restart: the counter re-read its
whole hall (the cost of a full refresh from an empty file, measured here as ``full``). Now a new day costs
nothing: the first refresh of the day brings only the customers changed since the cursor. Measured, on
the demo data through the real server over HTTPS and the real client (``CustomerCache.refresh``):

* ``full``: a refresh into an empty file (the old daily first refresh; now only a brand-new or damaged
  cache, or a cursor the server never handed out);
* ``nothing``: the next refresh when nothing changed (now the daily first refresh of a quiet night);
* ``changed``: a refresh after ``--changed`` customers of the hall changed (their rows touched in one
  statement: the triggers of migration 0004 move them past the cursor as a payment would), the median of
  ``--rounds`` rounds; each must bring exactly those customers.

The database is generated once and reused, in ``--data-dir`` (default ``GRIDCOUNTER_BENCH_CACHE_DIR`` or
``var/bench-cache``, git-ignored); 40 000 demo customers are 4 halls of about 10 000 (a minute to load).
Last line: ``RESULT hall_customers=… full_s=… nothing_s=… nothing_received=… changed=… changed_s=…
changed_received=… speedup=… file_mb=…``.

Usage: python bench/cache_refresh.py [--customers 40000] [--changed 200] [--rounds 3] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from search import _cli, _ensure_data, _serve  # noqa: E402 - after the path set-up above

COUNTER = "H0101"


def _touch(url: str, count: int) -> int:
    """Touch ``count`` random customers of the counter's hall in one statement; how many were touched."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            touched = conn.execute(text(
                "UPDATE customers SET phone = phone WHERE id IN ("
                " SELECT c.id FROM customers c JOIN counters k ON k.hall_id = c.hall_id"
                " WHERE k.code = :counter ORDER BY random() LIMIT :n)"), {"counter": COUNTER, "n": count}).rowcount
    finally:
        engine.dispose()
    return int(touched)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=40_000)
    parser.add_argument("--changed", type=int, default=200, help="customers changed before each 'changed' refresh")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data-dir", type=Path,
                        default=Path(os.environ.get("GRIDCOUNTER_BENCH_CACHE_DIR", ROOT / "var" / "bench-cache")))
    args = parser.parse_args()

    from client.core.customer_cache.cache import CustomerCache
    from client.core.rpc_client import RpcClient
    from server.demo_data import DEMO_PASSWORD
    from shared_models.methods.auth import LOGIN, LoginRequest
    from shared_models.pinning import ca_fingerprint

    data_dir = args.data_dir.resolve()
    pg, url, was_running = _ensure_data(data_dir, args.customers)
    key_file = data_dir / "bench-h0101.key"
    _cli(data_dir, "counter", "enroll", "--counter", COUNTER, "--key-file", str(key_file),
         env={**os.environ, "GRIDCOUNTER_DATABASE_URL": url})
    server, base = _serve(data_dir, url, args.workers)
    ca = data_dir / "tls" / "ca.pem"
    pin = ca_fingerprint(ca.read_bytes())
    client = RpcClient(ca_file=ca, ca_pin=lambda: pin, client_version="bench", server_url=base)
    try:
        client.handshake()
        login = client.call(LOGIN, LoginRequest(username="cashier0101", password=DEMO_PASSWORD, counter_code=COUNTER,
                                                device_key=key_file.read_text().strip()))
        client.set_session(token=login.token, counter_code=COUNTER)
        with tempfile.TemporaryDirectory(prefix="bench-cache-") as folder:
            cache = CustomerCache.in_folder(Path(folder))
            try:
                full = cache.refresh(client)
                print(f"full     {full.seconds:7.2f} s  {full.received:>7} customers  {full.pages:>4} pages"
                      f"  (hall {full.count})")
                nothing = cache.refresh(client)
                print(f"nothing  {nothing.seconds:7.3f} s  {nothing.received:>7} customers  {nothing.pages:>4} pages")
                changed_s: list[float] = []
                received: list[int] = []
                for _ in range(args.rounds):
                    touched = _touch(url, args.changed)
                    stats = cache.refresh(client)
                    if stats.received != touched or stats.full_pass:
                        raise SystemExit(f"expected {touched} changed customers, got {stats.received}"
                                         f" (full pass: {stats.full_pass})")
                    changed_s.append(stats.seconds)
                    received.append(stats.received)
                    print(f"changed  {stats.seconds:7.3f} s  {stats.received:>7} customers  {stats.pages:>4} pages")
                median = statistics.median(changed_s)
                cache.close()  # the last connection checkpoints the WAL into the file
                size_mb = cache.path.stat().st_size / 1e6
                print(f"RESULT hall_customers={full.count} full_s={full.seconds:.2f} nothing_s={nothing.seconds:.3f} "
                      f"nothing_received={nothing.received} changed={args.changed} changed_s={median:.3f} "
                      f"changed_received={max(received)} speedup={full.seconds / median:.0f} file_mb={size_mb:.1f}")
            finally:
                cache.close()
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=30)
        if not was_running:
            pg.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
