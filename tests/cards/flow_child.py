"""The counter process of the crash test (tests/cards/test_card_crash.py): drives client.core.card_flow against the
live server with the card in the real pcscd's first vpcd slot, and can be stopped at a step.

    python -m tests.cards.flow_child sell --url URL --ca CA --outbox FILE --customer NO --count N --amount-fen A
                                          [--stop-at paid|written|verified|confirming]
    python -m tests.cards.flow_child recover --url URL --ca CA --customer NO

It prints ``STEP <step>`` for every step. At ``--stop-at`` it prints ``AT <step>`` and waits for a line on stdin
(the parent SIGKILLs it there, or cuts the link and writes ``go``). Last line: ``OUTCOME <name> <json>``.
``recover`` is the cashier after a restart: read the card; a pending write already on the card is confirmed
(finish_pending), one not on it is rewritten (补写卡); ``OUTCOME Nothing`` when nothing is pending.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from client.core.card_flow import CardFlow, Read, ReaderAccess, Step
from client.core.config import CardReaderConfig
from client.core.outbox.queue import Outbox
from client.devices.card_reader import CardReader
from tests.cards.flow_live import READER, cash, new_ticket, rpc_for, sign_in


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _outcome(outcome: object) -> None:
    name = type(outcome).__name__
    doc = dataclasses.asdict(outcome) if dataclasses.is_dataclass(outcome) and not isinstance(outcome, type) else {}
    _say(f"OUTCOME {name} {json.dumps(doc, default=str, ensure_ascii=False)}")


def main(argv: list[str] | None = None) -> int:
    """Run one flow; exit 0 once its outcome is printed."""
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("sell", "recover"))
    parser.add_argument("--url", required=True)
    parser.add_argument("--ca", type=Path, required=True)
    parser.add_argument("--customer", required=True)
    parser.add_argument("--outbox", type=Path)
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--amount-fen", type=int, default=0)
    parser.add_argument("--stop-at", choices=[s.value for s in Step])
    args = parser.parse_args(argv)
    rpc = rpc_for(args.url, args.ca, read_timeout_s=5.0)
    sign_in(rpc)
    stop_at = Step(args.stop_at) if args.stop_at else None

    def on_step(step: Step) -> None:
        _say(f"STEP {step.value}")
        if step is stop_at:
            _say(f"AT {step.value}")
            sys.stdin.readline()  # the parent kills us here, or cuts the link and lets us go on

    reader = CardReader(CardReaderConfig(name=READER))
    try:
        flow = CardFlow(rpc, ReaderAccess(reader, timeout_s=10.0), on_step=on_step)
        if args.mode == "sell":
            outbox = Outbox(args.outbox).open()
            _outcome(flow.sell(new_ticket(outbox, rpc), customer_no=args.customer, purchase_count=args.count,
                               tenders=cash(args.amount_fen), quoted_arrears_fen=0))
            return 0
        read = flow.read(args.customer)
        if not isinstance(read, Read):
            _outcome(read)
        elif read.view.pending is None:
            _say("OUTCOME Nothing {}")
        elif read.view.pending.on_card:
            _outcome(flow.finish_pending(read))
        else:
            _outcome(flow.rewrite(read.view.pending))
        return 0
    finally:
        reader.close(timeout=10.0)
        rpc.close()


if __name__ == "__main__":
    sys.exit(main())
