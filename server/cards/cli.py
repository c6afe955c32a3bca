"""``gridcounter-server card-keys init|rotate|list``: the card key versions, from the operator's shell.

``init`` makes key version 1 (and the card key-encryption key file when there is none and ``GRIDCOUNTER_CARD_KEK``
is not set); ``rotate`` adds the next version and retires the current one; ``list`` shows versions, ciphers and
dates, never key material. ``init`` and ``rotate`` are audited on the server chain like the other administrative
commands.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from server.cards.keys import VersionInfo
    from server.context import CallContext
    from server.settings import Settings
    from shared_models.cards.crypto import Suite

#: ``server.__main__._run_admin``: runs one audited administrative action, 0 on success.
RunAdmin = Callable[["Settings", str, Callable[["CallContext"], object]], int]


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _suite(args: argparse.Namespace) -> Suite | None:
    from shared_models.cards.crypto import Suite

    return {None: None, "sm4": Suite.SM4, "aes128": Suite.AES128}[args.algorithm]


def _guarded(settings: Settings, run_admin: RunAdmin, method: str,
             action: Callable[[CallContext], object]) -> int:
    from server.cards.keys import CardKeyError

    try:
        return run_admin(settings, method, action)
    except CardKeyError as exc:
        _out(f"error: {exc}")
        return 2


def cmd_init(args: argparse.Namespace, settings: Settings, run_admin: RunAdmin) -> int:
    from server.cards.keys import create_first_version, import_test_keys

    made: list[int] = []
    if getattr(args, "test_keys", False):
        if args.algorithm is not None:
            _out("error: --test-keys takes the TEST versions as they are (1 AES-128, 2 SM4); no --algorithm")
            return 2
        code = _guarded(settings, run_admin, "card_keys.init", lambda ctx: made.append(import_test_keys(ctx)))
        if code == 0:
            _out(f"TEST card keys imported (public, for the demo and tests only); version {made[0]} is current")
        return code
    code = _guarded(settings, run_admin, "card_keys.init",
                    lambda ctx: made.append(create_first_version(ctx, suite=_suite(args))))
    if code == 0:
        _out(f"card key version {made[0]} made; it is current")
    return code


def cmd_rotate(args: argparse.Namespace, settings: Settings, run_admin: RunAdmin) -> int:
    from server.cards.keys import rotate

    made: list[int] = []
    code = _guarded(settings, run_admin, "card_keys.rotate",
                    lambda ctx: made.append(rotate(ctx, suite=_suite(args))))
    if code == 0:
        _out(f"card key version {made[0]} made; it is current, version {made[0] - 1} is retired "
             "(its cards still work)")
    return code


def cmd_list(args: argparse.Namespace, settings: Settings, run_admin: RunAdmin) -> int:
    from server.cards.keys import list_versions

    versions: list[VersionInfo] = []
    code = _guarded(settings, run_admin, "card_keys.list", lambda ctx: versions.extend(list_versions(ctx.session)))
    if code != 0:
        return code
    if not versions:
        _out("no card key version yet (`card-keys init` makes the first)")
    _out(f"{'version':>7}  {'algorithm':<9}  {'state':<7}  {'created':<25}  {'retired':<25}  created by")
    for v in versions:
        retired = v.retired_at.isoformat(timespec="seconds") if v.retired_at else "-"
        test = "  TEST (public keys)" if v.created_by.startswith("TEST ") else ""
        _out(f"{v.version:>7}  {v.algorithm.value:<9}  {'current' if v.current else 'retired':<7}  "
             f"{v.created_at.isoformat(timespec='seconds'):<25}  {retired:<25}  {v.created_by}{test}")
    return 0


def add_card_keys_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], run_admin: RunAdmin) -> None:
    """The ``card-keys`` subcommands on the server's command line."""
    keys = sub.add_parser("card-keys", help="prepaid card master keys (issue 14)").add_subparsers(
        dest="card_keys_command", required=True)
    init = keys.add_parser("init", help="make key version 1 (and the key-encryption key file if there is none)")
    rotate = keys.add_parser("rotate", help="make the next key version current; the old one still serves its cards")
    init.add_argument("--test-keys", action="store_true",
                      help="import the PUBLIC test master keys the card emulator and meter simulator use (demo/tests)")
    for parser in (init, rotate):
        parser.add_argument("--algorithm", choices=["sm4", "aes128"],
                            help="the cipher (default: sm4 where this machine runs it, else aes128)")
    init.set_defaults(func=lambda args, settings: cmd_init(args, settings, run_admin))
    rotate.set_defaults(func=lambda args, settings: cmd_rotate(args, settings, run_admin))
    keys.add_parser("list", help="versions, ciphers and dates (never key material)").set_defaults(
        func=lambda args, settings: cmd_list(args, settings, run_admin))
