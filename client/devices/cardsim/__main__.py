"""Command line of the card emulator and meter simulator: create, insert, remove, show; meter create/insert/consume.

    python -m client.devices.cardsim create card.json [--serial HEX16] [--key-version 1|2]
    python -m client.devices.cardsim insert card.json [--port 35963] [--seconds N]   # until removed or Ctrl-C
    python -m client.devices.cardsim remove card.json                              # pulls a card `insert` holds
    python -m client.devices.cardsim show card.json
    python -m client.devices.cardsim issue card.json --customer-no 330100000001 --meter-no 000000123456 \
        --count 3 --amount-fen 10000 --type purchase|opening|replacement [--serial HEX16] [--key-version 1|2]
    python -m client.devices.cardsim demo-cards FOLDER --issued CUSTOMER_NO:METER_NO:COUNT:AMOUNT_FEN ... \
        --blank CUSTOMER_NO:METER_NO ...                                             # the demo's cards and meters
    python -m client.devices.cardsim meter-create meter.json --meter-no 000000123456 [--hoarding-limit-fen N]
    python -m client.devices.cardsim meter-insert meter.json card.json
    python -m client.devices.cardsim meter-consume meter.json --kwh 12.5 --price 0.538

Cards and meters use the public TEST keys (client/devices/cardsim/keys.py): for tests, the demo and developers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import secrets
import signal
import sys
import threading
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from client.devices.cardsim.card import CardState, VirtualCard
from client.devices.cardsim.demo import BlankSpec, IssuedSpec, issue_card, write_demo_cards
from client.devices.cardsim.keys import TEST_VERSIONS, Esam, default_test_version
from client.devices.cardsim.meter import MeterSimulator, MeterState
from client.devices.cardsim.vpcd import DEFAULT_HOST, DEFAULT_PORT, VpcdLink
from shared_models.cards.errors import CardFormatError
from shared_models.cards.files import BEIJING, CardType
from shared_models.cards.image import read_card

log = logging.getLogger("client.devices.cardsim")


def _out(doc: object) -> None:
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=1, default=str) + "\n")


def _pid_file(card: Path) -> Path:
    return card.with_name(card.name + ".pid")


def _create(args: argparse.Namespace) -> int:
    path: Path = args.card
    if path.exists() and not args.force:
        log.error("%s exists (use --force to overwrite)", path)
        return 1
    serial = bytes.fromhex(args.serial) if args.serial else secrets.token_bytes(8)
    version = TEST_VERSIONS[args.key_version] if args.key_version else default_test_version()
    CardState.blank(serial=serial, version=version, esam=Esam.test()).save(path)
    _out({"card": str(path), "serial": serial.hex(), "key_version": version.number, "suite": version.suite.value})
    return 0


def _insert(args: argparse.Namespace) -> int:
    path: Path = args.card
    link = VpcdLink(VirtualCard.load(path), host=args.host, port=args.port)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    try:
        link.insert(timeout=args.wait)
    except OSError as exc:
        log.error("no vpcd reader at %s:%d (is pcscd running?): %s", args.host, args.port, exc)
        return 1
    _pid_file(path).write_text(str(os.getpid()), encoding="utf-8")
    log.info("card %s inserted into vpcd port %d", path, args.port)
    try:
        deadline = time.monotonic() + args.seconds if args.seconds else None
        while not stop.wait(0.2) and link.inserted:
            if deadline is not None and time.monotonic() >= deadline:
                break
    finally:
        link.remove()
        _pid_file(path).unlink(missing_ok=True)
    log.info("card %s removed after %d APDUs", path, link.apdus)
    return 0


def _remove(args: argparse.Namespace) -> int:
    pid_file = _pid_file(args.card)
    try:
        pid = int(pid_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        log.error("%s is not inserted", args.card)
        return 1
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:  # the holder died without cleaning up: the card is out already
        pid_file.unlink(missing_ok=True)
        return 0
    deadline = time.monotonic() + 5
    while pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return 0


def _show(args: argparse.Namespace) -> int:
    card = VirtualCard.load(args.card)
    card.reset()
    try:
        image = read_card(card)
    except CardFormatError as exc:
        log.error("the card's files do not decode: %s", exc)
        return 1
    _out({"serial": image.info.serial.hex(), "key_version": image.info.key_version,
          "suite": card.state.version.suite.value, "inserted": _pid_file(args.card).exists(),
          "parameters": {**_fields(image.parameters), "card_type": image.parameters.card_type.name},
          "wallet": {**_fields(image.wallet), "mac": image.wallet.mac.hex()},
          "return": _fields(image.returned) if image.returned else None})
    return 0


def _issue(args: argparse.Namespace) -> int:
    path: Path = args.card
    if path.exists() and args.serial:
        log.error("%s exists: --serial only names a new card", path)
        return 1
    serial = bytes.fromhex(args.serial) if args.serial else secrets.token_bytes(8)
    version = TEST_VERSIONS[args.key_version] if args.key_version else default_test_version()
    try:
        info = issue_card(path, serial=serial, version=version, card_type=CardType[args.type.upper()],
                          customer_no=args.customer_no, meter_no=args.meter_no, purchase_count=args.count,
                          amount_fen=args.amount_fen)
    except (CardFormatError, ValueError) as exc:
        log.error("cannot issue the card: %s", exc)
        return 1
    _out({"card": str(path), "serial": info.serial.hex(), "key_version": info.key_version, "type": args.type,
          "customer_no": args.customer_no, "meter_no": args.meter_no, "purchase_count": args.count,
          "amount_fen": args.amount_fen})
    return 0


def _demo_cards(args: argparse.Namespace) -> int:
    try:
        issued = [IssuedSpec.parse(text) for text in args.issued]
        blank = [BlankSpec.parse(text) for text in args.blank]
        written = write_demo_cards(args.folder, issued=issued, blank=blank, now=dt.datetime.now(BEIJING))
    except (CardFormatError, ValueError) as exc:
        log.error("cannot write the demo cards: %s", exc)
        return 1
    _out(written)
    return 0


def _serial_hex(text: str) -> str:
    if len(text) != 16 or any(c not in "0123456789abcdefABCDEF" for c in text):
        raise argparse.ArgumentTypeError(f"{text!r} is not 16 hex digits")
    return text


def _fields(record: object) -> dict[str, object]:
    return {name: getattr(record, name) for name in record.__slots__}  # type: ignore[attr-defined]


def _meter_create(args: argparse.Namespace) -> int:
    state = MeterState(meter_no=args.meter_no, hoarding_limit_fen=args.hoarding_limit_fen)
    state.save(args.meter)
    _out(state.to_json())
    return 0


def _meter_insert(args: argparse.Namespace) -> int:
    if _pid_file(args.card).exists():
        log.error("%s sits in the reader: remove it first", args.card)
        return 1
    meter = MeterSimulator(MeterState.load(args.meter), Esam.test())
    result = meter.insert(VirtualCard.load(args.card), now=dt.datetime.now(BEIJING))
    meter.state.save(args.meter)
    _out({"outcome": result.outcome.value, "credited_fen": result.credited_fen,
          "return_written": result.return_written, "remaining_fen": meter.state.remaining_fen,
          "purchase_count": meter.state.purchase_count})
    return 0


def _meter_consume(args: argparse.Namespace) -> int:
    meter = MeterSimulator(MeterState.load(args.meter), Esam.test())
    try:
        cost = meter.consume(Decimal(args.kwh), Decimal(args.price))
    except (InvalidOperation, ValueError) as exc:
        log.error("bad energy or price: %s", exc)
        return 1
    meter.state.save(args.meter)
    _out({"cost_fen": cost, "remaining_fen": meter.state.remaining_fen, "overdraft_fen": meter.state.overdraft_fen})
    return 0


def _issue_commands(commands: Any) -> None:
    """The ``issue`` and ``demo-cards`` commands."""
    issue = commands.add_parser("issue", help="write a customer's card with the TEST keys (new card if missing)")
    issue.add_argument("card", type=Path)
    issue.add_argument("--customer-no", required=True, help="12 digits")
    issue.add_argument("--meter-no", required=True, help="12 digits")
    issue.add_argument("--count", type=int, required=True, help="purchase count 购电次数 on the card")
    issue.add_argument("--amount-fen", type=int, required=True, help="the purchase's amount in fen")
    issue.add_argument("--type", choices=("purchase", "opening", "replacement"), default="purchase")
    issue.add_argument("--serial", type=_serial_hex, help="16 hex digits for a new card (random by default)")
    issue.add_argument("--key-version", type=int, choices=sorted(TEST_VERSIONS))
    issue.set_defaults(run=_issue)
    demo = commands.add_parser("demo-cards", help="the demo's customer cards, blank cards and meters")
    demo.add_argument("folder", type=Path)
    demo.add_argument("--issued", nargs="*", action="extend", default=[],
                      metavar="CUSTOMER_NO:METER_NO:COUNT:AMOUNT_FEN")
    demo.add_argument("--blank", nargs="*", action="extend", default=[], metavar="CUSTOMER_NO:METER_NO")
    demo.set_defaults(run=_demo_cards)


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` and run one command; the exit status."""
    parser = argparse.ArgumentParser(prog="python -m client.devices.cardsim", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="a blank, personalised card")
    create.add_argument("card", type=Path)
    create.add_argument("--serial", help="16 hex digits (random by default)")
    create.add_argument("--key-version", type=int, choices=sorted(TEST_VERSIONS))
    create.add_argument("--force", action="store_true")
    create.set_defaults(run=_create)
    insert = commands.add_parser("insert", help="put the card into the vpcd reader (foreground)")
    insert.add_argument("card", type=Path)
    insert.add_argument("--host", default=DEFAULT_HOST)
    insert.add_argument("--port", type=int, default=DEFAULT_PORT)
    insert.add_argument("--seconds", type=float, default=0, help="remove after this long (default: never)")
    insert.add_argument("--wait", type=float, default=5.0, help="seconds to wait for pcscd's vpcd port")
    insert.set_defaults(run=_insert)
    remove = commands.add_parser("remove", help="pull a card that `insert` holds")
    remove.add_argument("card", type=Path)
    remove.set_defaults(run=_remove)
    show = commands.add_parser("show", help="the card's files, decoded")
    show.add_argument("card", type=Path)
    show.set_defaults(run=_show)
    _issue_commands(commands)
    meter_create = commands.add_parser("meter-create", help="a new, unopened meter")
    meter_create.add_argument("meter", type=Path)
    meter_create.add_argument("--meter-no", required=True)
    meter_create.add_argument("--hoarding-limit-fen", type=int, default=99_999_999)
    meter_create.set_defaults(run=_meter_create)
    meter_insert = commands.add_parser("meter-insert", help="insert a card into the meter")
    meter_insert.add_argument("meter", type=Path)
    meter_insert.add_argument("card", type=Path)
    meter_insert.set_defaults(run=_meter_insert)
    consume = commands.add_parser("meter-consume", help="use energy")
    consume.add_argument("meter", type=Path)
    consume.add_argument("--kwh", required=True)
    consume.add_argument("--price", required=True, help="yuan per kWh, e.g. 0.538")
    consume.set_defaults(run=_meter_consume)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="cardsim: %(message)s")
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
