"""Handheld hand-over benchmark: a 5 000-customer book downloaded, filled, validated and accepted over the API,
and a 20 000-record CSV validated and accepted.

It starts an embedded PostgreSQL in ``--data-dir`` (default a fresh temporary folder), migrates it, loads a small
demo and clones one residential customer ``--customers`` + ``--csv-records`` times by COPY with four months of
per-register readings (``bench/billrun.py``'s set-up, periods 2026-07..2026-10, half of them three-register TOU
meters); the first ``--customers`` stay in book ``BENCH``, the rest move to book ``BENCHCSV``. Then the live server
(``gridcounter-server serve``) is started and the book's reader signs in at an enrolled counter over HTTPS. Each
step is one RPC, timed as the client sees it (request sent to answer read, JSON decoding of the answer included):

* ``download``: ``handheld.download_book`` of ``BENCH`` for 2026-11 (the package built, signed, stored);
* ``simulate``: ``server.handheld.simulator.fill_document`` (every anomaly kind and status once, the rest normal;
  client side, not a server step);
* ``validate``: ``handheld.validate_upload`` of the filled JSON (the signature, the one validator);
* ``accept``: ``handheld.accept_upload`` with a decision for every record (accept; re-read for a record with an
  error or without a reading);
* ``csv``: ``BENCHCSV`` downloaded (not timed), filled normally, written by ``simulator.to_csv``, then validated
  and accepted; ``csv_s`` is validate + accept.

* ``gui``: the counter's GUI thread while the filled file is checked (``bench/_gui_stall.py``: the real report panel
  offscreen, the check on an Op's pool thread, a 5 ms timer on the GUI thread): the longest stall, and what showing
  the 5 000-row report costs the GUI thread.

Last line: ``RESULT book_customers=… download_s=… validate_s=… accept_s=… csv_records=… csv_s=… gui_stall_ms=…
show_report_ms=…``.

Usage: python bench/handheld.py [--customers 5000] [--csv-records 20000] [--workers 1] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _common import RawHttps, Server, client_ssl, event_loop_runner, start_server  # noqa: E402 - path set-up
from billrun import TODAY, _populate  # noqa: E402 - path set-up above

PERIOD = 202611
BOOK, CSV_BOOK = "BENCH", "BENCHCSV"


def _split_books(url: str, customers: int) -> tuple[str, str]:
    """Move the customers after the first ``customers`` of book BENCH to book BENCHCSV (same hall and reader);
    the reader's user name and hall code."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO reading_books (code, name, hall_id, reader_id, reading_day, window_days) "
                "SELECT :csv, 'bench csv', hall_id, reader_id, reading_day, window_days FROM reading_books "
                "WHERE code = :book"), {"csv": CSV_BOOK, "book": BOOK})
            conn.execute(text("UPDATE customers SET book_code = :csv WHERE book_code = :book AND book_seq > :n"),
                         {"csv": CSV_BOOK, "book": BOOK, "n": customers})
            reader, hall = conn.execute(text(
                "SELECT u.username, o.code FROM reading_books b JOIN users u ON u.id = b.reader_id "
                "JOIN org_units o ON o.id = b.hall_id WHERE b.code = :book"), {"book": BOOK}).one()
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    finally:
        engine.dispose()
    return str(reader), str(hall)


def _enroll(data_dir: Path, url: str, counter: str) -> str:
    """A device key for ``counter`` (``gridcounter-server counter enroll``)."""
    key_file = data_dir / f"bench-{counter}.key"
    subprocess.run([sys.executable, "-m", "server", "--data-dir", str(data_dir / "server"), "counter", "enroll",
                    "--counter", counter, "--key-file", str(key_file)], cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "GRIDCOUNTER_DATABASE_URL": url})
    return key_file.read_text().strip()


def _stored_sizes(url: str) -> None:
    """What a download of the JSON book keeps in PostgreSQL: the package's document and the idempotent answer
    (the file's text) stored for a replay, as stored (jsonb, TOAST-compressed) and as text."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            package, package_text = conn.execute(text(
                "SELECT pg_column_size(payload), octet_length(payload::text) FROM handheld_packages "
                "WHERE book_code = :book"), {"book": BOOK}).one()
            answer, answer_text = conn.execute(text(
                "SELECT pg_column_size(response), octet_length(response::text) FROM idempotency_records "
                "WHERE method = 'handheld.download_book' ORDER BY created_at LIMIT 1")).one()
    finally:
        engine.dispose()
    print(f"stored per download: package document {package / 1e6:.1f} MB ({package_text / 1e6:.1f} MB as text), "
          f"idempotent answer {answer / 1e6:.1f} MB ({answer_text / 1e6:.1f} MB as text)", flush=True)


def _decisions(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Accept every record the report allows; re-read one with an error or without a reading."""
    out = []
    for record in report["records"]:
        codes = {f["code"] for f in record["findings"]}
        blocked = record["severity"] == "error" or "missing" in codes
        out.append({"seq": record["seq"], "decision": "reread" if blocked else "accept"})
    return out


class _Spy:
    """With ``--profile DIR``: py-spy on the server's workers during each timed step (raw folded stacks in
    ``DIR/<step>.txt``, for flamegraph.pl or speedscope)."""

    def __init__(self, server: Server, folder: Path | None) -> None:
        self.server, self.folder = server, folder

    def start(self, step: str) -> list[subprocess.Popen[bytes]]:
        if self.folder is None:
            return []
        self.folder.mkdir(parents=True, exist_ok=True)
        spy = Path(sys.executable).parent / "py-spy"
        procs = [subprocess.Popen([str(spy), "record", "--pid", str(pid), "--rate", "200", "--nonblocking",
                                   "--format", "raw", "--output", str(self.folder / f"{step}-{pid}.txt")],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for pid in self.server.worker_pids() or [self.server.proc.pid]]  # one worker: the process
        time.sleep(1.0)  # py-spy attached before the call
        return procs

    @staticmethod
    def stop(procs: list[subprocess.Popen[bytes]]) -> None:
        for proc in procs:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=60)


async def _timed(conn: RawHttps, method: str, payload: dict[str, Any], *, spy: _Spy, step: str,
                 mutating: bool = False) -> tuple[Any, float]:
    procs = spy.start(step)
    started = time.perf_counter()
    answer = await conn.call(method, payload, mutating=mutating)
    elapsed = time.perf_counter() - started
    spy.stop(procs)
    return answer, elapsed


async def _run(server: Server, *, reader: str, counter: str, device_key: str, profile: Path | None
               ) -> dict[str, Any]:
    from server.demo_data import DEMO_PASSWORD
    from server.handheld.simulator import fill_document, to_csv

    spy = _Spy(server, profile)
    conn = RawHttps(server.base_host, server.port, client_ssl(server.ca), counter=counter)
    try:
        login = await conn.call("auth.login", {"username": reader, "password": DEMO_PASSWORD,
                                               "counter_code": counter, "device_key": device_key})
        conn.token = login["token"]
        package, download_s = await _timed(conn, "handheld.download_book", {"book_code": BOOK, "period": PERIOD},
                                           spy=spy, step="download", mutating=True)
        print(f"download: {package['records']} records, {len(package['text']) / 1e6:.1f} MB in {download_s:.2f} s",
              flush=True)
        started = time.perf_counter()
        filled = fill_document(json.loads(package["text"]), mix="all")
        content = base64.b64encode(json.dumps(filled, ensure_ascii=False).encode()).decode()
        print(f"simulate: filled in {time.perf_counter() - started:.2f} s (client side)", flush=True)
        report, validate_s = await _timed(conn, "handheld.validate_upload", {"content_b64": content},
                                            spy=spy, step="validate")
        print(f"validate: {len(report['records'])} records, {report['errors']} errors, {report['warnings']} "
              f"warnings in {validate_s:.2f} s", flush=True)
        decisions = _decisions(report)
        result, accept_s = await _timed(conn, "handheld.accept_upload",
                                        {"content_b64": content, "decisions": decisions}, spy=spy,
                                        step="accept", mutating=True)
        accepted = sum(1 for r in result["records"] if r["reading_id"] is not None)
        print(f"accept: {accepted} readings written, {result['open_records']} open, state {result['state']} "
              f"in {accept_s:.2f} s", flush=True)
        big = await conn.call("handheld.download_book", {"book_code": CSV_BOOK, "period": PERIOD}, mutating=True)
        text = to_csv(fill_document(json.loads(big["text"]), mix="normal"))
        csv_content = base64.b64encode(text.encode()).decode()
        csv_report, csv_validate_s = await _timed(conn, "handheld.validate_upload", {"content_b64": csv_content},
                                                    spy=spy, step="csv-validate")
        print(f"csv validate: {len(csv_report['records'])} records, {len(text) / 1e6:.1f} MB, "
              f"{csv_report['errors']} errors in {csv_validate_s:.2f} s", flush=True)
        csv_result, csv_accept_s = await _timed(conn, "handheld.accept_upload", {
            "content_b64": csv_content, "decisions": _decisions(csv_report)}, spy=spy, step="csv-accept", mutating=True)
        print(f"csv accept: {sum(1 for r in csv_result['records'] if r['reading_id'] is not None)} readings, "
              f"state {csv_result['state']} in {csv_accept_s:.2f} s", flush=True)
        return {"book_customers": package["records"], "download_s": download_s, "validate_s": validate_s,
                "accept_s": accept_s, "csv_records": len(csv_report["records"]),
                "csv_s": csv_validate_s + csv_accept_s, "package_text": package["text"],
                "content": base64.b64decode(content), "answer_text": json.dumps(report, ensure_ascii=False)}
    finally:
        await conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=5000, help="customers of the JSON book")
    parser.add_argument("--csv-records", type=int, default=20_000, help="customers of the CSV book")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--profile", type=Path, default=None, help="py-spy each step into this folder")
    args = parser.parse_args()

    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from server.db.embedded import EmbeddedPostgres
    from server.demo_data import load_demo_data
    from server.migrate import upgrade
    from server.security import PiiCipher

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="gridcounter-bench-handheld-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    data_dir.chmod(0o755)  # the PostgreSQL service user traverses it to its cluster folder
    pg = EmbeddedPostgres(data_dir=data_dir / "pg")
    server = None
    try:
        url = pg.start()
        upgrade(url)
        pii_key = base64.b64encode(os.urandom(32)).decode()
        load_demo_data(url=url, customers=20, pii=PiiCipher(base64.b64decode(pii_key)), months=1, today=TODAY)
        t0 = time.perf_counter()
        engine = create_engine(url, poolclass=NullPool)
        _populate(engine, args.customers + args.csv_records)
        engine.dispose()
        reader, hall = _split_books(url, args.customers)
        counter = f"{hall}01"  # the hall's first counter (demo: H0101, …)
        device_key = _enroll(data_dir, url, counter)
        print(f"setup: {args.customers} + {args.csv_records} customers with readings in "
              f"{time.perf_counter() - t0:.1f} s; reader {reader}", flush=True)
        server = start_server(url=url, data_dir=data_dir / "server", pii_key=pii_key, workers=args.workers)
        with event_loop_runner() as runner:
            figures = runner.run(_run(server, reader=reader, counter=counter, device_key=device_key,
                                          profile=args.profile))
        _stored_sizes(url)
        from _gui_stall import measure

        gui = measure(figures["package_text"], figures["content"], figures["answer_text"], today=TODAY)
        print(f"gui: longest GUI-thread stall while the file is checked offline {gui['offline_stall_ms']:.0f} ms, "
              f"while the server's report is parsed {gui['online_stall_ms']:.0f} ms; showing the report "
              f"{gui['show_report_ms']:.0f} ms", flush=True)
        load = os.getloadavg()
        print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        print(f"RESULT book_customers={figures['book_customers']} download_s={figures['download_s']:.2f} "
              f"validate_s={figures['validate_s']:.2f} accept_s={figures['accept_s']:.2f} "
              f"csv_records={figures['csv_records']} csv_s={figures['csv_s']:.2f} "
              f"gui_stall_ms={max(gui['offline_stall_ms'], gui['online_stall_ms']):.0f} "
              f"show_report_ms={gui['show_report_ms']:.0f}")
        return 0
    finally:
        if server is not None:
            server.stop()
        pg.stop()
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
