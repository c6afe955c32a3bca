"""A handheld simulator: fills a downloaded package with readings, or damages a returned file (tests and demo).

    python -m server.handheld.simulator fill PACKAGE.json OUT [--csv] [--encoding gb18030] [--mix all|normal]
                                             [--read-on YYYY-MM-DD]
    python -m server.handheld.simulator damage FILE OUT --kind truncate|flip|duplicate|swap [--seed N]

``fill`` reads each record as a reader would: the previous value plus last period's advance (previous kWh ÷
multiplier, 100 when unknown). With ``--mix all`` (the default) the first records get one case each, in
:data:`CASES` order: every anomaly a handheld reading can show and every status; the rest are read normally.
``damage`` cuts a file in half, flips one digit, duplicates a record or swaps two records' customers (in a JSON
package each breaks the signature; in a CSV the duplicate and the swap are the validator's findings). Pure
functions below, deterministic for a given ``--seed``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import sys
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Final

from shared_models.handheld import CSV_COLUMNS
from shared_models.methods.readings import TOU_REGISTERS, Register

#: The cases of ``--mix all``, one per record from the first on.
CASES: Final = ("rise", "drop", "zero", "below_previous", "rollover", "outside_window", "tou_mismatch",
                "estimated", "no_access", "meter_fault", "meter_changed", "no_reading")
DAMAGES: Final = ("truncate", "flip", "duplicate", "swap")
_CENT: Final = Decimal("0.01")
_STATUS: Final = {"estimated": "估抄", "no_access": "门闭", "meter_fault": "表坏", "meter_changed": "换表"}


def _money(value: Decimal) -> str:
    return str(value.quantize(_CENT, rounding=ROUND_HALF_UP))


def _advance(record: dict[str, Any]) -> Decimal:
    previous = record.get("previous_kwh")
    if previous is None or Decimal(previous) <= 0:
        return Decimal(100)
    return Decimal(previous) / Decimal(record["multiplier"])


def _values(record: dict[str, Any], case: str) -> tuple[dict[str, str], bool]:
    """Register values for ``case`` and whether a rollover is confirmed."""
    factor = {"rise": Decimal(3), "drop": Decimal("0.1"), "zero": Decimal(0)}.get(case, Decimal(1))
    advance = _advance(record) * factor
    wrap = Decimal(10) ** int(record["digits"])
    registers = [r["register"] for r in record["registers"]]
    tou = [r for r in registers if Register(r) in TOU_REGISTERS]
    out: dict[str, str] = {}
    rollover = False
    for item in record["registers"]:
        name, previous = item["register"], Decimal(item["previous"] or 0)
        share = advance / len(tou) if name in tou else advance
        if name == Register.DEMAND.value:
            out[name] = _money(Decimal(10))
            continue
        if name == Register.REACTIVE.value:
            share = advance * Decimal("0.3")
        if case == "tou_mismatch" and name in tou:
            share *= 2
        value = previous + share
        if case == "below_previous":
            value = max(previous - 10, Decimal(0))
        if case == "rollover" and previous > 0:
            value, rollover = previous - 1, True  # went round 10^digits once and stopped just below the previous
        out[name] = _money(value % wrap)
    return out, rollover


def fill_document(document: dict[str, Any], *, mix: str = "all", read_on: dt.date | None = None,
                  cases: Sequence[str] | None = None) -> dict[str, Any]:
    """A copy of the package with each record read (``mix`` ``all``: the first records one case each of
    :data:`CASES`; ``cases`` names the case of each record from the first on instead)."""
    chosen: Sequence[str] = cases if cases is not None else CASES if mix == "all" else ()
    out: dict[str, Any] = json.loads(json.dumps(document))
    window_from = dt.date.fromisoformat(out["window_from"]) if out.get("window_from") else None
    window_to = dt.date.fromisoformat(out["window_to"]) if out.get("window_to") else None
    if read_on is None:
        read_on = (window_from + (window_to - window_from) / 2 if window_from and window_to
                   else dt.date.fromisoformat(out["generated_at"][:10]))
    for index, record in enumerate(out["records"]):
        case = chosen[index] if index < len(chosen) else "normal"
        if case == "no_reading":
            record.pop("reading", None)
            continue
        day = read_on
        if case == "outside_window" and window_from is not None:
            day = window_from - dt.timedelta(days=2)
        status = _STATUS.get(case, "实抄")
        values, rollover = ({}, False) if case in {"no_access", "meter_fault"} else _values(record, case)
        record["reading"] = {"read_at": f"{day.isoformat()}T09:{index % 60:02d}:00", "status": status,
                             "values": values, "rollover_confirmed": rollover,
                             "note": "" if case == "normal" else f"模拟:{case}"}
    return out


def to_csv(document: dict[str, Any]) -> str:
    """The readings of a filled package as a CSV of the documented layout (docs/handheld-formats.md)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in document["records"]:
        reading = record.get("reading")
        if reading is None:
            continue
        cells = {"package_id": document["package_id"], "seq": record["seq"], "customer_no": record["customer_no"],
                 "asset_no": record["asset_no"], "read_at": reading["read_at"], "status": reading["status"],
                 "rollover_confirmed": "1" if reading.get("rollover_confirmed") else "0",
                 "note": reading.get("note", ""), **reading["values"]}
        writer.writerow([cells.get(c, "") for c in CSV_COLUMNS])
    return buffer.getvalue()


def damage(data: bytes, kind: str, *, seed: int = 0) -> bytes:
    """``data`` damaged: ``truncate`` (cut in half), ``flip`` (one digit changed), ``duplicate`` (a record twice),
    ``swap`` (two records' customers exchanged)."""
    rng = random.Random(seed)  # noqa: S311 - which byte to damage, repeatable by seed; no secret
    if kind == "truncate":
        return data[: len(data) // 2]
    if kind == "flip":
        digits = [i for i, b in enumerate(data) if 0x30 <= b <= 0x39]
        if not digits:
            return data[:-1] + bytes([data[-1] ^ 0x01]) if data else data
        position = rng.choice(digits)
        out = bytearray(data)
        out[position] = 0x30 + (out[position] - 0x30 + 1 + rng.randrange(9)) % 10
        return bytes(out)
    if kind not in {"duplicate", "swap"}:
        raise ValueError(f"unknown damage {kind!r}: one of {', '.join(DAMAGES)}")
    if data.lstrip()[:1] == b"{":
        document = json.loads(data)
        records = document["records"]
        if kind == "duplicate":
            records.insert(rng.randrange(len(records) + 1), json.loads(json.dumps(rng.choice(records))))
        elif len(records) >= 2:
            a, b = rng.sample(range(len(records)), 2)
            records[a]["customer_no"], records[b]["customer_no"] = records[b]["customer_no"], records[a]["customer_no"]
        return json.dumps(document, ensure_ascii=False, indent=1).encode()
    return _damage_csv(data, kind, rng)


def _damage_csv(data: bytes, kind: str, rng: random.Random) -> bytes:
    encoding = "utf-8"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text, encoding = data.decode("gb18030"), "gb18030"
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    if kind == "duplicate" and body:
        body.insert(rng.randrange(len(body) + 1), list(rng.choice(body)))
    elif kind == "swap" and len(body) >= 2:
        column = header.index("customer_no")
        a, b = rng.sample(range(len(body)), 2)
        body[a][column], body[b][column] = body[b][column], body[a][column]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *body])
    return buffer.getvalue().encode(encoding)


def main(argv: Sequence[str] | None = None) -> int:
    """The command line (see the module's docstring)."""
    parser = argparse.ArgumentParser(prog="python -m server.handheld.simulator", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    fill = commands.add_parser("fill", help="read every record of a downloaded package")
    fill.add_argument("package", type=Path)
    fill.add_argument("out", type=Path)
    fill.add_argument("--csv", action="store_true", help="write the readings as CSV instead of the package JSON")
    fill.add_argument("--encoding", default="utf-8", choices=("utf-8", "gb18030"))
    fill.add_argument("--mix", default="all", choices=("all", "normal"))
    fill.add_argument("--read-on", type=dt.date.fromisoformat, default=None)
    broken = commands.add_parser("damage", help="damage a returned file")
    broken.add_argument("file", type=Path)
    broken.add_argument("out", type=Path)
    broken.add_argument("--kind", required=True, choices=DAMAGES)
    broken.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.command == "fill":
        document = fill_document(json.loads(args.package.read_text(encoding="utf-8")), mix=args.mix,
                                 read_on=args.read_on)
        text = to_csv(document) if args.csv else json.dumps(document, ensure_ascii=False, indent=1)
        args.out.write_bytes(text.encode(args.encoding))
    else:
        args.out.write_bytes(damage(args.file.read_bytes(), args.kind, seed=args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
