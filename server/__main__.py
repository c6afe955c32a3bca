"""``gridcounter-server``: serve, migrate, load demo data, enroll counters, verify the audit trail, price a usage."""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from server.cards.cli import add_card_keys_parser
from server.settings import Settings
from shared_models.roles import Role

if TYPE_CHECKING:  # the CLI imports the heavy parts lazily, per command
    from server.context import CallContext
    from server.security import PiiCipher

log = logging.getLogger("gridcounter.server")


def _out(text: str) -> None:
    """CLI output (the CLI's stdout is its interface; package code logs instead)."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


@contextmanager
def database(settings: Settings) -> Iterator[str]:
    """The database URL: the configured one, or the embedded server (started if needed, and
    stopped again afterwards only if this command started it)."""
    if settings.database_url:
        yield settings.database_url
        return
    from server.db.embedded import EmbeddedPostgres

    pg = EmbeddedPostgres(data_dir=settings.data_dir)
    was_running = pg.is_running()
    url = pg.start()
    try:
        yield url
    finally:
        if not was_running:
            pg.stop()


def _pii(settings: Settings) -> PiiCipher:
    from server.security import PiiCipher

    return PiiCipher.from_settings(key_b64=settings.pii_key, key_file=settings.pii_key_file)


@contextmanager
def _admin_context(url: str, settings: Settings, *, method: str) -> Iterator[CallContext]:
    """A CallContext for an administrative CLI action, audited on the ``server`` chain."""
    from server.audit_chain import write_records
    from server.clock import SystemClock
    from server.context import AuditEntry, CallContext
    from server.db.session import make_engine, make_session_factory

    engine = make_engine(url, pool_size=1, max_overflow=0)
    session = make_session_factory(engine)()
    clock = SystemClock()
    ctx = CallContext(session=session, clock=clock, settings=settings, pii=_pii(settings), now=clock.now(),
                      method=method)
    try:
        yield ctx
        who = os.environ.get("SUDO_USER") or os.environ.get("USER") or "cli"
        entries = [AuditEntry(target=e.target, before=e.before, after=e.after, username=f"cli:{who}")
                   for e in ctx.audit]
        write_records(ctx, entries, idempotency_key=None)
        session.commit()
    finally:
        session.close()
        engine.dispose()


def _run_admin(settings: Settings, method: str, action: Callable[[CallContext], object]) -> int:
    """Run one audited administrative action; print the error code on failure."""
    from server.errors import AppError

    with database(settings) as url:
        try:
            with _admin_context(url, settings, method=method) as ctx:
                action(ctx)
        except AppError as exc:
            _out(f"error: {exc.code.value} {exc.params}")
            return 2
    return 0


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from server.migrate import upgrade

    with database(settings) as url:
        upgrade(url)
    _out("database is at the newest schema")
    return 0


def cmd_demo_data(args: argparse.Namespace, settings: Settings) -> int:
    from server.demo_data import load_demo_data
    from server.migrate import upgrade

    with database(settings) as url:
        upgrade(url)
        summary = load_demo_data(url=url, customers=args.customers, pii=_pii(settings))
    _out(f"loaded {summary.customers} customers, {summary.bills} bills, {summary.ledger_entries} ledger entries "
         f"in {summary.seconds:.1f} s")
    return 0


def cmd_audit_verify(args: argparse.Namespace, settings: Settings) -> int:
    from server.audit_chain import verify_chains
    from server.db.session import make_engine, make_session_factory

    with database(settings) as url:
        engine = make_engine(url, pool_size=1, max_overflow=0)
        with make_session_factory(engine)() as session:
            report = verify_chains(session)
        engine.dispose()
    for problem in report.problems:
        _out(f"BROKEN {problem}")
    _out(f"{report.records} records in {report.chains} chains: " + ("OK" if not report.problems else "BROKEN"))
    return 0 if not report.problems else 1


def cmd_counter_enroll(args: argparse.Namespace, settings: Settings) -> int:
    from server.services.counters import enroll_counter

    keys: list[str] = []
    code = _run_admin(settings, "counter.enroll",
                      lambda ctx: keys.append(enroll_counter(ctx=ctx, counter_code=args.counter)))
    if code != 0:
        return code
    key = keys[0]
    if args.key_file:
        path = Path(args.key_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(key + "\n")
        _out(f"counter {args.counter} enrolled; device key written to {path}")
    else:
        _out(key)
    return 0


def cmd_org_add(args: argparse.Namespace, settings: Settings) -> int:
    from server.models.org import OrgKind
    from server.services.org import add_org_unit

    code = _run_admin(settings, "org.add", lambda ctx: add_org_unit(
        ctx=ctx, code=args.code, name=args.name, kind=OrgKind(args.kind), parent_code=args.parent))
    if code == 0:
        _out(f"{args.kind} {args.code} {args.name} added")
    return code


def cmd_counter_add(args: argparse.Namespace, settings: Settings) -> int:
    from server.services.org import add_counter

    code = _run_admin(settings, "counter.add", lambda ctx: add_counter(
        ctx=ctx, code=args.code, name=args.name, hall_code=args.hall))
    if code == 0:
        _out(f"counter {args.code} added to hall {args.hall}; enroll it with: counter enroll --counter {args.code}")
    return code


def _new_password() -> str:
    """From GRIDCOUNTER_NEW_PASSWORD (scripts), else asked twice on the terminal (never an argument:
    arguments show in the process list and the shell history)."""
    import getpass

    given = os.environ.get("GRIDCOUNTER_NEW_PASSWORD")
    if given:
        return given
    first = getpass.getpass("initial password: ")
    if first != getpass.getpass("again: "):
        raise SystemExit("the two passwords differ")
    return first


def cmd_user_add(args: argparse.Namespace, settings: Settings) -> int:
    from server.services.admin import create_user
    from shared_models.methods.admin import CreateUserRequest

    try:
        req = CreateUserRequest(username=args.username, display_name=args.name, role=Role(args.role),
                                org_unit_code=args.org, initial_password=_new_password())
    except ValueError as exc:
        _out(f"error: INVALID_REQUEST {exc}")
        return 2
    code = _run_admin(settings, "user.add", lambda ctx: create_user(ctx=ctx, req=req))
    if code == 0:
        _out(f"user {args.username} ({args.role}) added; the password must be changed at first sign-in")
    return code


def cmd_tls_init(args: argparse.Namespace, settings: Settings) -> int:
    from server.tls import ensure_tls

    files = ensure_tls(tls_dir=settings.data_dir / "tls", hostnames=[socket.gethostname(), *args.hostname])
    _out(f"ca={files.ca_cert} cert={files.server_cert}")
    return 0


def _announce_when_ready(url: str, ca: Path) -> None:
    """Print the READY line once the server answers /health (scripts wait for it)."""
    import ssl

    import httpx

    with httpx.Client(verify=ssl.create_default_context(cafile=ca), timeout=2.0) as client:
        for _ in range(600):
            try:
                if client.get(f"{url}/health").status_code == 200:
                    _out(f"GRIDCOUNTER READY url={url} ca={ca}")
                    return
            except httpx.HTTPError:
                pass
            threading.Event().wait(0.1)
    log.error("the server did not become ready")


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from server.tls import ensure_tls

    with database(settings) as url:
        if args.migrate or args.demo_data:
            from server.migrate import upgrade

            upgrade(url)
        pii = _pii(settings)  # create the key file before workers race for it
        if args.demo_data:
            from server.demo_data import has_data, load_demo_data

            if not has_data(url):
                summary = load_demo_data(url=url, customers=args.demo_data, pii=pii)
                _out(f"demo data: {summary.customers} customers loaded in {summary.seconds:.1f} s")
        files = ensure_tls(tls_dir=settings.data_dir / "tls", hostnames=[socket.gethostname(), args.host])
        os.environ["GRIDCOUNTER_DATABASE_URL"] = url
        os.environ["GRIDCOUNTER_DATA_DIR"] = str(settings.data_dir)
        public = f"https://{'127.0.0.1' if args.host in {'0.0.0.0', '::'} else args.host}:{args.port}"  # noqa: S104
        threading.Thread(target=_announce_when_ready, args=(public, files.ca_cert), daemon=True).start()
        uvicorn.run(
            "server.app:create_app_from_env", factory=True, host=args.host, port=args.port,
            workers=args.workers, ssl_certfile=str(files.server_cert), ssl_keyfile=str(files.server_key),
            # httptools and uvloop explicitly: with several workers uvicorn's pure-Python h11 path
            # answered ~40 ms late on every call (measured; see docs/benchmarks.md).
            http="httptools", loop="uvloop",
            log_level="warning", access_log=False, timeout_graceful_shutdown=5,
        )
    return 0


def cmd_price(args: argparse.Namespace, settings: Settings) -> int:
    from server.pricing.cli import PriceInputError, price_files, render

    try:
        bill = price_files(tariff_file=args.tariff_file, usage_file=args.usage, terms_file=args.terms)
    except PriceInputError as exc:
        _out(f"error: {exc}")
        return 2
    _out(render(bill))
    return 0


def cmd_quote(args: argparse.Namespace, settings: Settings) -> int:
    """测算电费 against a stored tariff code: the versions in force over the usage's period, priced as the
    ``tariff.quote_bill`` RPC prices them; reads only."""
    from pydantic import ValidationError

    from server.clock import SystemClock
    from server.context import CallContext
    from server.db.session import make_engine, make_session_factory
    from server.errors import AppError
    from server.pricing.cli import render
    from server.services.tariffs import quote_bill
    from shared_models.methods.tariffs import QuoteBillRequest

    try:
        body = {"tariff_code": args.tariff, "usage": json.loads(args.usage.read_text(encoding="utf-8")),
                "terms": json.loads(args.terms.read_text(encoding="utf-8")) if args.terms else {}}
        req = QuoteBillRequest.model_validate_json(json.dumps(body))
    except (OSError, ValueError, ValidationError) as exc:  # a JSON error is a ValueError
        _out(f"error: {exc}")
        return 2
    with database(settings) as url:
        engine = make_engine(url, pool_size=1, max_overflow=0)
        clock = SystemClock()
        try:
            with make_session_factory(engine)() as session:
                ctx = CallContext(session=session, clock=clock, settings=settings, pii=_pii(settings),
                                  now=clock.now(), method="tariff.quote_bill")
                bill = quote_bill(ctx=ctx, req=req)
                session.rollback()  # a quote writes nothing
        except AppError as exc:
            _out(f"error: {exc.code.value} {exc.params}")
            return 2
        finally:
            engine.dispose()
    _out(render(bill))
    return 0


def _add_price_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    calc = sub.add_parser("price", help="price a usage against a tariff version file (测算电费, no database)")
    calc.add_argument("--tariff-file", type=Path, required=True, help="a version document (JSON), or a list of them")
    calc.add_argument("--usage", type=Path, required=True, help="the period's consumption (JSON Usage)")
    calc.add_argument("--terms", type=Path, help="the customer's terms (JSON CustomerTerms)")
    calc.set_defaults(func=cmd_price)
    quote = sub.add_parser("quote", help="price a usage against a stored tariff code (测算电费, reads the database)")
    quote.add_argument("--tariff", required=True, help="the tariff code (电价码)")
    quote.add_argument("--usage", type=Path, required=True, help="the period's consumption (JSON Usage)")
    quote.add_argument("--terms", type=Path, help="the customer's terms (JSON CustomerTerms)")
    quote.set_defaults(func=cmd_quote)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gridcounter-server", description=__doc__)
    parser.add_argument("--data-dir", type=Path, help="data folder (default: GRIDCOUNTER_DATA_DIR or system default)")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the RPC server over HTTPS")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8443)
    serve.add_argument("--workers", type=int, default=2)
    serve.add_argument("--migrate", action="store_true", help="upgrade the schema before serving")
    serve.add_argument("--demo-data", type=int, metavar="N", default=0,
                       help="load demo data with N customers if the database is empty")
    serve.set_defaults(func=cmd_serve)

    db = sub.add_parser("db", help="database schema").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="apply migrations").set_defaults(func=cmd_db_upgrade)

    demo = sub.add_parser("demo-data", help="load demo data into an empty database")
    demo.add_argument("--customers", type=int, default=10_000)
    demo.set_defaults(func=cmd_demo_data)

    audit = sub.add_parser("audit", help="audit trail").add_subparsers(dest="audit_command", required=True)
    audit.add_parser("verify", help="verify every hash chain").set_defaults(func=cmd_audit_verify)

    counter = sub.add_parser("counter", help="counters").add_subparsers(dest="counter_command", required=True)
    enroll = counter.add_parser("enroll", help="issue a device key for a counter")
    enroll.add_argument("--counter", required=True)
    enroll.add_argument("--key-file", help="write the key to this file (mode 0600) instead of stdout")
    enroll.set_defaults(func=cmd_counter_enroll)

    add_counter = counter.add_parser("add", help="add a counter to a hall")
    add_counter.add_argument("--code", required=True)
    add_counter.add_argument("--name", required=True)
    add_counter.add_argument("--hall", required=True, help="hall code")
    add_counter.set_defaults(func=cmd_counter_add)

    org = sub.add_parser("org", help="organization tree").add_subparsers(dest="org_command", required=True)
    add_org = org.add_parser("add", help="add a center, city, county or hall")
    add_org.add_argument("--code", required=True)
    add_org.add_argument("--name", required=True)
    add_org.add_argument("--kind", required=True, choices=["center", "city", "county", "hall"])
    add_org.add_argument("--parent", help="code of the unit above (not for the center)")
    add_org.set_defaults(func=cmd_org_add)

    user = sub.add_parser("user", help="users").add_subparsers(dest="user_command", required=True)
    add_user = user.add_parser("add", help="add a user (password from GRIDCOUNTER_NEW_PASSWORD or the terminal)")
    add_user.add_argument("--username", required=True)
    add_user.add_argument("--name", required=True, help="display name")
    add_user.add_argument("--role", required=True, choices=[r.value for r in Role])
    add_user.add_argument("--org", required=True, help="code of the user's organization unit")
    add_user.set_defaults(func=cmd_user_add)

    _add_price_parser(sub)
    add_card_keys_parser(sub, _run_admin)
    tls = sub.add_parser("tls", help="certificates").add_subparsers(dest="tls_command", required=True)
    init = tls.add_parser("init", help="create the CA and server certificate")
    init.add_argument("--hostname", action="append", default=[])
    init.set_defaults(func=cmd_tls_init)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``gridcounter-server``."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.data_dir:
        os.environ["GRIDCOUNTER_DATA_DIR"] = str(args.data_dir)
    settings = Settings()
    from server.migrate import UnsupportedDatabaseError

    try:
        return int(args.func(args, settings))
    except UnsupportedDatabaseError as exc:
        _out(f"error: {exc}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
