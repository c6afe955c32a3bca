"""RPC benchmark: 64 concurrent signed-in clients drive an authenticated read call
(``customer.get_customer``) and a mutating call (``customer.update_contact``: idempotency record,
audit record with before/after, all in one transaction) against the real server over HTTPS on
PostgreSQL.

Starts what it needs: an embedded PostgreSQL in a temporary folder (or the database at
GRIDCOUNTER_DATABASE_URL, which must be empty), the schema, demo data, 64 enrolled counters with a
cashier each, and ``gridcounter-server serve`` with two workers. Load comes from two processes of
32 asyncio clients each. Prints requests/s, p50 and p99 per call; the last line is
``RESULT rpc_read_rps=… rpc_write_rps=… write_p99_ms=…``.

Usage: python bench/rpc.py [--clients 64] [--seconds 15] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import multiprocessing
import os
import random
import shutil
import ssl
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import start_server

from shared_models.rpc import CONTRACT_VERSION

PASSWORD = "Bench-pass-2026"


def _seed(url: str, clients: int, pii_key: str) -> list[tuple[str, str, str]]:
    """Demo data plus one enrolled counter and one cashier per client; returns (user, counter, key)."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from server.db.session import make_engine
    from server.demo_data import load_demo_data
    from server.migrate import upgrade
    from server.models.org import Counter, OrgUnit
    from server.models.users import User
    from server.security import PiiCipher, hash_password, new_token, token_hash
    from shared_models.roles import Role

    upgrade(url)
    load_demo_data(url=url, customers=5000, pii=PiiCipher(base64.b64decode(pii_key)))
    engine = make_engine(url, pool_size=1, max_overflow=0)
    out = []
    with Session(engine) as s:
        hall = s.scalars(select(OrgUnit).where(OrgUnit.code == "H01")).one()
        pw_hash = hash_password(PASSWORD)
        for i in range(clients):
            key = new_token()
            code = f"B{i:04d}"
            s.add(Counter(hall_id=hall.id, code=code, name=f"bench {i}", device_key_hash=token_hash(key)))
            s.add(User(username=f"bench{i:04d}", display_name=f"压测{i}", role=Role.CASHIER, org_unit_id=hall.id,
                       password_hash=pw_hash, must_change_password=False, failed_attempts=0, active=True))
            out.append((f"bench{i:04d}", code, key))
        s.commit()
    engine.dispose()
    return out


async def _client_loop(base: str, ca: str, ident: tuple[str, str, str], kind: str, window: tuple[float, float],
                       customers: list[str], latencies: list[float], errors: list[int]) -> None:
    start, deadline = window
    import httpx

    user, counter, device_key = ident
    ctx = ssl.create_default_context(cafile=ca)
    headers = {"X-GridCounter-Contract": CONTRACT_VERSION, "X-GridCounter-Counter": counter}
    async with httpx.AsyncClient(base_url=base, verify=ctx, timeout=30) as http:
        r = await http.post("/rpc/auth.login", headers=headers, json={
            "username": user, "password": PASSWORD, "counter_code": counter, "device_key": device_key})
        r.raise_for_status()
        headers["Authorization"] = f"Bearer {r.json()['token']}"
        rng = random.Random(counter)
        while time.monotonic() < deadline:
            no = rng.choice(customers)
            t0 = time.perf_counter()
            if kind == "read":
                r = await http.post("/rpc/customer.get_customer", headers=headers, json={"customer_no": no})
            else:
                r = await http.post("/rpc/customer.update_contact",
                                    headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
                                    json={"customer_no": no, "phone": f"139{rng.randrange(10**8):08d}"})
            if time.monotonic() < start:  # warm-up: connections and sessions settle first
                continue
            latencies.append(time.perf_counter() - t0)
            if r.status_code != 200:
                errors.append(r.status_code)


def _load_process(
    args: tuple[str, str, list[tuple[str, str, str]], str, tuple[float, float], list[str]],
) -> tuple[list[float], int]:
    base, ca, idents, kind, window, customers = args
    latencies: list[float] = []
    errors: list[int] = []

    async def main() -> None:
        await asyncio.gather(*(_client_loop(base, ca, i, kind, window, customers, latencies, errors)
                               for i in idents))

    asyncio.run(main())
    return latencies, len(errors)


def _phase(base: str, ca: str, idents: list[tuple[str, str, str]], kind: str, seconds: float,
           customers: list[str]) -> dict[str, float]:
    procs = 2
    start = time.monotonic() + 5.0  # the pool starts, clients sign in and warm up before the window
    window = (start, start + seconds)
    chunks = [idents[i::procs] for i in range(procs)]
    with multiprocessing.get_context("spawn").Pool(procs) as pool:
        results = pool.map(_load_process, [(base, ca, c, kind, window, customers) for c in chunks])
    lat = sorted(x for r in results for x in r[0])
    errors = sum(r[1] for r in results)
    q = statistics.quantiles(lat, n=100, method="inclusive")
    return {"n": len(lat), "rps": len(lat) / seconds, "p50": q[49] * 1000, "p99": q[98] * 1000,
            "errors": errors}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    from server.db.embedded import EmbeddedPostgres

    tmp = Path(tempfile.mkdtemp(prefix="gridcounter-bench-", dir="/tmp"))
    tmp.chmod(0o755)
    pg = None
    url = os.environ.get("GRIDCOUNTER_DATABASE_URL")
    if not url:
        pg = EmbeddedPostgres(data_dir=tmp / "pg")
        url = pg.start()
    pii_key = base64.b64encode(os.urandom(32)).decode()
    server = None
    try:
        idents = _seed(url, args.clients, pii_key)
        from sqlalchemy import create_engine, text

        eng = create_engine(url)
        with eng.connect() as c:
            customers = [r[0] for r in c.execute(text("SELECT customer_no FROM customers LIMIT 5000"))]
        eng.dispose()
        server = start_server(url=url, data_dir=tmp / "server", pii_key=pii_key, workers=args.workers)
        base, ca = f"https://127.0.0.1:{server.port}", str(server.ca)
        read = _phase(base, ca, idents, "read", args.seconds, customers)
        write = _phase(base, ca, idents, "write", args.seconds, customers)
        for name, r in (("read  customer.get_customer", read), ("write customer.update_contact", write)):
            print(f"{name}: {r['n']} calls, {r['rps']:.0f} req/s, p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms, "
                  f"errors {r['errors']}")
        print(f"RESULT rpc_read_rps={read['rps']:.0f} rpc_write_rps={write['rps']:.0f} "
              f"read_p99_ms={read['p99']:.1f} write_p99_ms={write['p99']:.1f} "
              f"errors={int(read['errors'] + write['errors'])} clients={args.clients} workers={args.workers}")
    finally:
        if server is not None:
            server.stop()
        if pg is not None:
            pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
